//! An ESC/POS stream read back and drawn as the paper would come out: for the README's
//! picture of a ticket, and for trying a terminal with a file in place of a printer. It
//! reads only what [`super::escpos`] writes (and skips what it does not know).

use cosmic_text::{Attrs, Buffer, Color, Family, FontSystem, Metrics, Shaping, SwashCache, Weight};

use super::PrintError;
use super::escpos::CP858_HIGH;
use super::picture::Bitmap;
use super::slip::{CHAR_DOTS, Paper};

/// One command of the stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// ESC @
    Initialise,
    /// ESC t n
    CodePage(u8),
    /// ESC a n: 0 left, 1 centre, 2 right
    Justify(u8),
    /// ESC E n
    Bold(bool),
    /// GS ! n: width and height multipliers
    Size(u8, u8),
    /// Printable bytes, read in code page 858.
    Text(String),
    /// LF
    LineFeed,
    /// ESC d n
    Feed(u8),
    /// GS v 0
    Raster(Bitmap),
    /// GS V
    Cut,
    /// DLE EOT n
    StatusRequest(u8),
    /// A byte this reader does not know.
    Unknown(u8),
}

fn cp858(b: u8) -> char {
    if b < 0x80 {
        b as char
    } else {
        CP858_HIGH[(b - 0x80) as usize]
    }
}

/// Read a stream into its commands; a command cut short ends the reading.
pub fn decode(bytes: &[u8]) -> Vec<Op> {
    let mut ops = Vec::new();
    let mut i = 0;
    let arg = |i: usize| bytes.get(i).copied();
    while i < bytes.len() {
        let b = bytes[i];
        let (op, len) = match (b, arg(i + 1), arg(i + 2)) {
            (0x1B, Some(b'@'), _) => (Op::Initialise, 2),
            (0x1B, Some(b't'), Some(n)) => (Op::CodePage(n), 3),
            (0x1B, Some(b'a'), Some(n)) => (Op::Justify(n % 48), 3),
            (0x1B, Some(b'E'), Some(n)) => (Op::Bold(n & 1 == 1), 3),
            (0x1B, Some(b'd'), Some(n)) => (Op::Feed(n), 3),
            (0x1D, Some(b'!'), Some(n)) => (Op::Size((n >> 4) + 1, (n & 0x0F) + 1), 3),
            (0x1D, Some(b'V'), Some(m)) => (Op::Cut, if m >= 65 { 4 } else { 3 }),
            (0x10, Some(0x04), Some(n)) => (Op::StatusRequest(n), 3),
            (0x1D, Some(b'v'), Some(b'0')) => {
                let Some(header) = bytes.get(i + 4..i + 8) else {
                    break;
                };
                let per_row = usize::from(header[0]) | usize::from(header[1]) << 8;
                let rows = usize::from(header[2]) | usize::from(header[3]) << 8;
                let Some(data) = bytes.get(i + 8..i + 8 + per_row * rows) else {
                    break;
                };
                let bitmap = Bitmap {
                    width: per_row as u32 * 8,
                    height: rows as u32,
                    rows: data.to_vec(),
                };
                (Op::Raster(bitmap), 8 + per_row * rows)
            }
            (b'\n', _, _) => (Op::LineFeed, 1),
            (0x20..=0x7E | 0x80..=0xFF, _, _) => {
                let run = bytes[i..]
                    .iter()
                    .take_while(|b| matches!(b, 0x20..=0x7E | 0x80..=0xFF))
                    .count();
                let text = bytes[i..i + run].iter().map(|b| cp858(*b)).collect();
                (Op::Text(text), run)
            }
            (b, _, _) => (Op::Unknown(b), 1),
        };
        ops.push(op);
        i += len;
    }
    ops
}

/// Dots between the tops of two lines of the standard font.
const LINE_DOTS: u32 = 30;

/// Draw the paper that `stream` would print: black dots on white, `paper` wide, with a
/// margin around it, as a tiny-skia picture (save it with `encode_png`-capable tools).
pub fn render(stream: &[u8], paper: Paper) -> Result<tiny_skia::Pixmap, PrintError> {
    let width = paper.dots();
    let mut page: Vec<Vec<bool>> = Vec::new();
    let mut fonts = FontSystem::new();
    let mut cache = SwashCache::new();
    let (mut justify, mut bold, mut scale) = (0u8, false, (1u8, 1u8));
    let mut line: Vec<(String, bool, (u8, u8))> = Vec::new();
    let mut y = 0u32;
    let ensure = |page: &mut Vec<Vec<bool>>, rows: u32| {
        while page.len() < rows as usize {
            page.push(vec![false; width as usize]);
        }
    };
    let mut flush_line = |page: &mut Vec<Vec<bool>>,
                          line: &mut Vec<(String, bool, (u8, u8))>,
                          justify: u8,
                          y: &mut u32| {
        let tallest = line
            .iter()
            .map(|(_, _, s)| u32::from(s.1))
            .max()
            .unwrap_or(1);
        let height = LINE_DOTS.max(24 * tallest + 6);
        ensure(page, *y + height);
        let chars: u32 = line
            .iter()
            .map(|(t, _, s)| t.chars().count() as u32 * CHAR_DOTS * u32::from(s.0))
            .sum();
        let mut x = match justify {
            1 => width.saturating_sub(chars) / 2,
            2 => width.saturating_sub(chars),
            _ => 0,
        };
        for (text, bold, (w, h)) in line.drain(..) {
            let cell = CHAR_DOTS * u32::from(w);
            let size = 20.0 * f32::from(h);
            for c in text.chars() {
                let mut buffer = Buffer::new(&mut fonts, Metrics::new(size, 24.0 * f32::from(h)));
                let attrs = Attrs::new().family(Family::Monospace).weight(if bold {
                    Weight::BOLD
                } else {
                    Weight::NORMAL
                });
                buffer.set_text(&mut fonts, &c.to_string(), &attrs, Shaping::Advanced, None);
                buffer.shape_until_scroll(&mut fonts, false);
                // Each character in its own cell, as the printer's fixed-width font; the
                // glyph is stretched across wider cells the way GS ! widens it.
                let glyph_width = buffer
                    .layout_runs()
                    .map(|r| r.line_w)
                    .fold(0.0f32, f32::max)
                    .max(1.0);
                let stretch = (cell as f32 * 0.9 / glyph_width).max(1.0);
                let top = *y + height - 24 * u32::from(h) - 3;
                buffer.draw(
                    &mut fonts,
                    &mut cache,
                    Color::rgb(0, 0, 0),
                    |gx, gy, _, _, color| {
                        if color.a() < 110 || gx < 0 || gy < 0 {
                            return;
                        }
                        let px0 = x as f32 + cell as f32 * 0.05 + gx as f32 * stretch;
                        for k in 0..stretch.ceil() as u32 {
                            let px = px0 as u32 + k;
                            let py = top + gy as u32;
                            if px < width && (py as usize) < page.len() {
                                page[py as usize][px as usize] = true;
                            }
                        }
                    },
                );
                x += cell;
            }
        }
        *y += height;
    };
    for op in decode(stream) {
        match op {
            Op::Justify(n) => justify = n,
            Op::Bold(b) => bold = b,
            Op::Size(w, h) => scale = (w, h),
            Op::Text(t) => line.push((t, bold, scale)),
            Op::LineFeed => flush_line(&mut page, &mut line, justify, &mut y),
            // ESC d n prints what is waiting, as LF does, and feeds n lines in all.
            Op::Feed(n) => {
                let mut n = u32::from(n);
                if !line.is_empty() {
                    flush_line(&mut page, &mut line, justify, &mut y);
                    n = n.saturating_sub(1);
                }
                y += LINE_DOTS * n;
            }
            Op::Raster(bitmap) => {
                ensure(&mut page, y + bitmap.height);
                for by in 0..bitmap.height {
                    for bx in 0..bitmap.width.min(width) {
                        if bitmap.get(bx, by) {
                            page[(y + by) as usize][bx as usize] = true;
                        }
                    }
                }
                y += bitmap.height;
            }
            Op::Cut => break,
            Op::Initialise => (justify, bold, scale) = (0, false, (1, 1)),
            Op::CodePage(_) | Op::StatusRequest(_) | Op::Unknown(_) => {}
        }
    }
    ensure(&mut page, y);
    let margin = 24;
    let mut pixmap = tiny_skia::Pixmap::new(width + 2 * margin, y + 2 * margin)
        .ok_or_else(|| PrintError::Render("an empty ticket".into()))?;
    pixmap.fill(tiny_skia::Color::from_rgba8(236, 236, 236, 255));
    let paper_rect =
        tiny_skia::Rect::from_xywh(margin as f32, margin as f32, width as f32, y as f32)
            .ok_or_else(|| PrintError::Render("an empty ticket".into()))?;
    let mut white = tiny_skia::Paint::default();
    white.set_color_rgba8(255, 255, 255, 255);
    pixmap.fill_rect(paper_rect, &white, tiny_skia::Transform::identity(), None);
    let stride = pixmap.width() as usize;
    let black = tiny_skia::PremultipliedColorU8::from_rgba(20, 20, 20, 255)
        .ok_or_else(|| PrintError::Render("colour".into()))?;
    let pixels = pixmap.pixels_mut();
    for (row, dots) in page.iter().enumerate() {
        for (col, dot) in dots.iter().enumerate() {
            if *dot {
                pixels[(row + margin as usize) * stride + col + margin as usize] = black;
            }
        }
    }
    Ok(pixmap)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_encoder_writes_reads_back() {
        let ops = decode(b"\x1b@\x1bt\x13\x1ba\x01\x1d!\x11Citt\x85\n\x1dv0\x00\x01\x00\x02\x00\x80\x01\x1dVA\x00");
        assert_eq!(
            ops,
            vec![
                Op::Initialise,
                Op::CodePage(19),
                Op::Justify(1),
                Op::Size(2, 2),
                Op::Text("Città".into()),
                Op::LineFeed,
                Op::Raster(Bitmap {
                    width: 8,
                    height: 2,
                    rows: vec![0x80, 0x01]
                }),
                Op::Cut,
            ]
        );
    }
}
