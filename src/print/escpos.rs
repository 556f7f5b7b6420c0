//! The ticket as an ESC/POS byte stream. The commands (initialise, code page, alignment,
//! type size, feed, cut) come from the `escpos` crate. Two things go through its `custom`
//! command instead: text, encoded here in code page 858, because the crate's table sends
//! '-' as 0xF0 (a soft hyphen) and lacks '¿' and 'Ò'; and pictures, as a GS v 0 raster,
//! because the crate's own image path needs the `image` crate and an encoded file, and we
//! already hold the dots.

use std::cell::RefCell;
use std::rc::Rc;

use ::escpos::driver::Driver;
use ::escpos::printer::Printer;
use ::escpos::printer_options::PrinterOptions;
use ::escpos::utils::{JustifyMode, PageCode, Protocol};

use super::PrintError;
use super::picture::{self, Bitmap};
use super::slip::{Align, Line, Paper};

/// The upper half of code page 858 (Latin-1 with the euro), which every ESC/POS printer in
/// Italy carries: the characters a ticket may use beyond ASCII.
pub const CP858_HIGH: [char; 128] = [
    'Ç', 'ü', 'é', 'â', 'ä', 'à', 'å', 'ç', 'ê', 'ë', 'è', 'ï', 'î', 'ì', 'Ä', 'Å', 'É', 'æ', 'Æ',
    'ô', 'ö', 'ò', 'û', 'ù', 'ÿ', 'Ö', 'Ü', 'ø', '£', 'Ø', '×', 'ƒ', 'á', 'í', 'ó', 'ú', 'ñ', 'Ñ',
    'ª', 'º', '¿', '®', '¬', '½', '¼', '¡', '«', '»', '░', '▒', '▓', '│', '┤', 'Á', 'Â', 'À', '©',
    '╣', '║', '╗', '╝', '¢', '¥', '┐', '└', '┴', '┬', '├', '─', '┼', 'ã', 'Ã', '╚', '╔', '╩', '╦',
    '╠', '═', '╬', '¤', 'ð', 'Ð', 'Ê', 'Ë', 'È', '€', 'Í', 'Î', 'Ï', '┘', '┌', '█', '▄', '¦', 'Ì',
    '▀', 'Ó', 'ß', 'Ô', 'Ò', 'õ', 'Õ', 'µ', 'þ', 'Þ', 'Ú', 'Û', 'Ù', 'ý', 'Ý', '¯', '´', '\u{AD}',
    '±', '‗', '¾', '¶', '§', '÷', '¸', '°', '¨', '·', '¹', '³', '²', '■', '\u{A0}',
];

/// Rows per raster command: small bands keep within the receive buffer of cheap printers.
const BAND_ROWS: u32 = 96;

/// `text` in code page 858, as the printer reads it after ESC t 19.
pub fn cp858(text: &str) -> Vec<u8> {
    printable(text)
        .chars()
        .map(|c| match CP858_HIGH.iter().position(|h| *h == c) {
            Some(i) => 0x80 + i as u8,
            None => c as u8,
        })
        .collect()
}

/// Replace what code page 858 cannot print: typographic quotes and dashes by their ASCII
/// look-alikes, anything else by '?'.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            ' '..='~' => c,
            '’' | '‘' => '\'',
            '“' | '”' => '"',
            '–' | '—' => '-',
            c if CP858_HIGH.contains(&c) => c,
            _ => '?',
        })
        .collect()
}

/// Collects what the `escpos` printer writes, so that the stream can be sent by our own
/// devices (with their deadlines and status checks) or kept in a file.
#[derive(Clone, Default)]
struct Capture(Rc<RefCell<Vec<u8>>>);

impl Driver for Capture {
    fn name(&self) -> String {
        "capture".into()
    }
    fn write(&self, data: &[u8]) -> ::escpos::errors::Result<()> {
        self.0.borrow_mut().extend_from_slice(data);
        Ok(())
    }
    fn read(&self, _buf: &mut [u8]) -> ::escpos::errors::Result<usize> {
        Ok(0)
    }
    fn flush(&self) -> ::escpos::errors::Result<()> {
        Ok(())
    }
}

fn encoder_error(e: ::escpos::errors::PrinterError) -> PrintError {
    PrintError::Render(e.to_string())
}

/// GS v 0: a raster picture, normal density.
pub fn raster(bitmap: &Bitmap) -> Vec<u8> {
    let per_row = bitmap.bytes_per_row();
    let mut out = Vec::with_capacity(bitmap.rows.len() + 16);
    let mut y = 0;
    while y < bitmap.height {
        let rows = BAND_ROWS.min(bitmap.height - y);
        out.extend_from_slice(&[
            0x1D,
            b'v',
            b'0',
            0,
            (per_row & 0xFF) as u8,
            (per_row >> 8) as u8,
            (rows & 0xFF) as u8,
            (rows >> 8) as u8,
        ]);
        let start = y as usize * per_row;
        out.extend_from_slice(&bitmap.rows[start..start + rows as usize * per_row]);
        y += rows;
    }
    out
}

/// The whole ticket: initialise, code page 858, the lines, feed and cut.
pub fn encode(lines: &[Line], paper: Paper) -> Result<Vec<u8>, PrintError> {
    let capture = Capture::default();
    let options = PrinterOptions::new(None, None, paper.columns() as u8);
    let mut printer = Printer::new(capture.clone(), Protocol::default(), Some(options));
    printer
        .init()
        .and_then(|p| p.page_code(PageCode::PC858))
        .map_err(encoder_error)?;
    for line in lines {
        match line {
            Line::Text {
                text,
                scale,
                bold,
                align,
            } => {
                let justify = match align {
                    Align::Left => JustifyMode::LEFT,
                    Align::Center => JustifyMode::CENTER,
                };
                let scale = (*scale).clamp(1, super::slip::MAX_SCALE);
                printer
                    .justify(justify)
                    .and_then(|p| p.bold(*bold))
                    .and_then(|p| p.size(scale, scale))
                    .and_then(|p| p.custom(&cp858(text)))
                    .and_then(|p| p.feed())
                    .and_then(|p| p.reset_size())
                    .and_then(|p| p.bold(false))
                    .map_err(encoder_error)?;
            }
            Line::Picture { text, script } => {
                let bitmap = picture::render(text, *script, paper.dots())?;
                printer
                    .justify(JustifyMode::LEFT)
                    .and_then(|p| p.custom(&raster(&bitmap)))
                    .map_err(encoder_error)?;
            }
            Line::Rule => {
                printer
                    .justify(JustifyMode::LEFT)
                    .and_then(|p| p.custom(&cp858(&"-".repeat(paper.columns()))))
                    .and_then(|p| p.feed())
                    .map_err(encoder_error)?;
            }
        }
    }
    printer
        .feeds(3)
        .and_then(|p| p.print_cut())
        .map_err(encoder_error)?;
    let bytes = capture.0.borrow().clone();
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::slip::Script;

    #[test]
    fn starts_with_initialise_and_code_page_and_ends_with_a_cut() {
        let lines = vec![Line::Text {
            text: "Città".into(),
            scale: 2,
            bold: true,
            align: Align::Center,
        }];
        let bytes = encode(&lines, Paper::Mm80).expect("encoded");
        assert_eq!(&bytes[..2], b"\x1b@");
        assert_eq!(&bytes[2..5], b"\x1bt\x13", "code page 858 is ESC t 19");
        assert!(bytes.ends_with(b"\x1dVA\x00"), "feed and full cut");
        let a_grave = 0x85;
        assert!(
            bytes
                .windows(5)
                .any(|w| w == [b'C', b'i', b't', b't', a_grave]),
            "à in code page 858"
        );
        assert!(bytes.windows(3).any(|w| w == b"\x1d!\x11"), "double size");
    }

    #[test]
    fn what_the_code_page_lacks_becomes_ascii_or_a_question_mark() {
        assert_eq!(printable("l’écran — ok"), "l'écran - ok");
        assert_eq!(printable("ক"), "?");
        assert_eq!(cp858("G-012 è"), b"G-012 \x8a");
    }

    #[test]
    fn pictures_are_raster_bands_of_the_paper_width() {
        let lines = vec![Line::Picture {
            text: "احتفظ بهذه التذكرة".into(),
            script: Script::Arabic,
        }];
        let bytes = encode(&lines, Paper::Mm58).expect("encoded");
        let at = bytes
            .windows(3)
            .position(|w| w == b"\x1dv0")
            .expect("a raster command");
        assert_eq!(bytes[at + 4], 48, "384 dots = 48 bytes a row");
    }
}
