//! Fonts bundled for the scripts most visitors read: the waiting-room caption and the
//! visitor card show Arabic and Bengali, which the default fonts may lack.
//! Noto Sans Arabic and Noto Sans Bengali, SIL Open Font License 1.1 (assets/fonts/OFL.txt).

pub const NOTO_SANS_ARABIC: &[u8] = include_bytes!("../../assets/fonts/NotoSansArabic-Regular.ttf");
pub const NOTO_SANS_BENGALI: &[u8] =
    include_bytes!("../../assets/fonts/NotoSansBengali-Regular.ttf");
