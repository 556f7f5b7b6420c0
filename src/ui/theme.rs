//! The terminal's two themes: iced's own, with the colours that fell short of WCAG AA
//! contrast replaced (see `contrast`, whose test holds every pairing to it).

use iced::theme::Palette;
use iced::{Color, Theme};

pub fn light() -> Theme {
    Theme::custom(
        "Chiaro".to_string(),
        Palette {
            // A darker blue than iced's: white on it, and it as a focus ring, both read well.
            primary: Color::from_rgb8(0x3B, 0x4B, 0xD8),
            success: Color::from_rgb8(0x0E, 0x5A, 0x45),
            warning: Color::from_rgb8(0x9A, 0x5B, 0x00),
            danger: Color::from_rgb8(0xA3, 0x22, 0x1F),
            ..Palette::LIGHT
        },
    )
}

pub fn dark() -> Theme {
    Theme::custom(
        "Scuro".to_string(),
        Palette {
            primary: Color::from_rgb8(0x3B, 0x4B, 0xD8),
            success: Color::from_rgb8(0x0E, 0x5A, 0x45),
            warning: Color::from_rgb8(0x9A, 0x5B, 0x00),
            danger: Color::from_rgb8(0xA3, 0x22, 0x1F),
            ..Palette::DARK
        },
    )
}
