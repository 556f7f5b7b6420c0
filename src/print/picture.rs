//! Text the printer has no font for (Arabic, Bengali), drawn as a 1-bit picture with the
//! bundled Noto fonts. cosmic-text shapes it (joining forms, conjuncts, right-to-left order);
//! tiny-skia holds the coverage before it is cut to black and white dots.

use cosmic_text::{
    Align as TextAlign, Attrs, Buffer, Color, Family, FontSystem, Metrics, Shaping, SwashCache,
    fontdb,
};

use super::PrintError;
use super::slip::Script;

const NOTO_ARABIC: &[u8] = include_bytes!("../../assets/fonts/NotoSansArabic-Regular.ttf");
const NOTO_BENGALI: &[u8] = include_bytes!("../../assets/fonts/NotoSansBengali-Regular.ttf");

/// Type size of the pictured captions, in dots (203 dpi: about 3.5 mm, as the printer's own
/// font).
pub const CAPTION_SIZE: f32 = 26.0;

impl Script {
    fn family(self) -> &'static str {
        match self {
            Script::Arabic => "Noto Sans Arabic",
            Script::Bengali => "Noto Sans Bengali",
        }
    }
}

/// Black and white dots, row by row, eight to a byte with the leftmost dot in the high bit:
/// the layout of the ESC/POS raster command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bitmap {
    pub width: u32,
    pub height: u32,
    pub rows: Vec<u8>,
}

impl Bitmap {
    pub fn new(width: u32, height: u32) -> Bitmap {
        let bytes = width.div_ceil(8) as usize * height as usize;
        Bitmap {
            width,
            height,
            rows: vec![0; bytes],
        }
    }

    pub fn bytes_per_row(&self) -> usize {
        self.width.div_ceil(8) as usize
    }

    pub fn get(&self, x: u32, y: u32) -> bool {
        if x >= self.width || y >= self.height {
            return false;
        }
        let byte = self.rows[y as usize * self.bytes_per_row() + (x / 8) as usize];
        byte & (0x80 >> (x % 8)) != 0
    }

    pub fn set(&mut self, x: u32, y: u32) {
        if x < self.width && y < self.height {
            let i = y as usize * self.bytes_per_row() + (x / 8) as usize;
            self.rows[i] |= 0x80 >> (x % 8);
        }
    }

    /// How many dots are black (a blank picture is a bug: the font did not load).
    pub fn black_dots(&self) -> u32 {
        self.rows.iter().map(|b| b.count_ones()).sum()
    }
}

/// Only the bundled fonts: the picture is the same on every PC, whatever is installed.
fn font_system() -> FontSystem {
    let mut db = fontdb::Database::new();
    db.load_font_data(NOTO_ARABIC.to_vec());
    db.load_font_data(NOTO_BENGALI.to_vec());
    FontSystem::new_with_locale_and_db("it-IT".into(), db)
}

/// Draw `text` centred across `width` dots, wrapped at words if it is longer than a line.
pub fn render(text: &str, script: Script, width: u32) -> Result<Bitmap, PrintError> {
    let mut fonts = font_system();
    let line_height = (CAPTION_SIZE * 1.5).ceil();
    let mut buffer = Buffer::new(&mut fonts, Metrics::new(CAPTION_SIZE, line_height));
    buffer.set_size(&mut fonts, Some(width as f32), None);
    buffer.set_text(
        &mut fonts,
        text,
        &Attrs::new().family(Family::Name(script.family())),
        Shaping::Advanced,
        Some(TextAlign::Center),
    );
    buffer.shape_until_scroll(&mut fonts, false);
    let lines = buffer.layout_runs().count().max(1) as u32;
    let height = lines * line_height as u32;
    let mut coverage = tiny_skia::Pixmap::new(width, height)
        .ok_or_else(|| PrintError::Render(format!("no {width}x{height} canvas")))?;
    let mut cache = SwashCache::new();
    {
        let pixels = coverage.pixels_mut();
        buffer.draw(
            &mut fonts,
            &mut cache,
            Color::rgb(0, 0, 0),
            |x, y, w, h, color| {
                for dy in 0..h as i32 {
                    for dx in 0..w as i32 {
                        let (px, py) = (x + dx, y + dy);
                        if px < 0 || py < 0 || px as u32 >= width || py as u32 >= height {
                            continue;
                        }
                        let i = py as usize * width as usize + px as usize;
                        let alpha = pixels[i].alpha().max(color.a());
                        if let Some(c) = tiny_skia::PremultipliedColorU8::from_rgba(0, 0, 0, alpha)
                        {
                            pixels[i] = c;
                        }
                    }
                }
            },
        );
    }
    let mut bitmap = Bitmap::new(width, height);
    for (i, pixel) in coverage.pixels().iter().enumerate() {
        // Half covered is black: thin strokes (Bengali's matra, Arabic dots) survive.
        if pixel.alpha() >= 112 {
            bitmap.set(i as u32 % width, i as u32 / width);
        }
    }
    if bitmap.black_dots() == 0 && !text.trim().is_empty() {
        return Err(PrintError::Render(format!(
            "the {} font drew nothing",
            script.family()
        )));
    }
    Ok(bitmap)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The column span (leftmost, rightmost) of black dots in rows `y0..y1`.
    fn ink_span(b: &Bitmap) -> (u32, u32) {
        let mut span = (u32::MAX, 0);
        for y in 0..b.height {
            for x in 0..b.width {
                if b.get(x, y) {
                    span = (span.0.min(x), span.1.max(x));
                }
            }
        }
        span
    }

    #[test]
    fn arabic_and_bengali_draw_centred_within_the_paper() {
        for (script, text) in [
            (Script::Arabic, "احتفظ بهذه التذكرة"),
            (Script::Bengali, "এই টিকিটটি রাখুন"),
        ] {
            let b = render(text, script, 576).expect("drawn");
            assert_eq!(b.width, 576);
            assert!(b.black_dots() > 500, "{script:?}: {} dots", b.black_dots());
            let (left, right) = ink_span(&b);
            let middle = (left + right) / 2;
            assert!(
                (middle as i32 - 288).abs() < 20,
                "{script:?} centred: {left}..{right}"
            );
        }
    }

    #[test]
    fn arabic_is_shaped_right_to_left() {
        // "با" joined: the alef, first in memory, must be drawn at the left end, the beh
        // (first letter read) at the right. In left-to-right order the tall alef stroke
        // would be on the right.
        let b = render("با", Script::Arabic, 200).expect("drawn");
        let (left, right) = ink_span(&b);
        let tall_column = |x: u32| (0..b.height).filter(|&y| b.get(x, y)).count();
        let tallest = (left..=right)
            .max_by_key(|&x| tall_column(x))
            .unwrap_or(left);
        assert!(
            tallest < (left + right) / 2,
            "the alef (tallest stroke) is on the left: {tallest} in {left}..{right}"
        );
    }

    #[test]
    fn a_long_caption_wraps_to_more_lines_on_narrow_paper() {
        let text = "এই টিকিটটি রাখুন: আপনার নম্বর পর্দায় ডাকা হবে।";
        let wide = render(text, Script::Bengali, 576).expect("drawn");
        let narrow = render(text, Script::Bengali, 384).expect("drawn");
        assert!(narrow.height >= wide.height);
        assert!(ink_span(&narrow).1 < 384);
    }
}
