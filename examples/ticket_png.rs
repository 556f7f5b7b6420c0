//! Draw an ESC/POS stream as the paper would come out, as a PNG.
//!
//! `cargo run --example ticket_png -- STREAM.bin OUT.png [58]` draws a stream captured with
//! `welcome-desk print-ticket G-012 --printer STREAM.bin`; `--sample OUT.png [58]` draws a
//! sample ticket (G-012, three people ahead) without a register.

use std::io::BufWriter;

use chrono::TimeZone;
use welcome_desk::domain::{Queue, Ticket};
use welcome_desk::print::{Paper, TicketSlip, escpos, preview, slip};
#[allow(unused_imports)]
use welcome_desk::store::prelude::*;

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let paper = if args.get(2).map(String::as_str) == Some("58") {
        Paper::Mm58
    } else {
        Paper::Mm80
    };
    let (input, output) = match (args.first(), args.get(1)) {
        (Some(i), Some(o)) => (i.as_str(), o.as_str()),
        _ => return Err("usage: ticket_png STREAM.bin|--sample OUT.png [58]".into()),
    };
    let stream = if input == "--sample" {
        let slip = TicketSlip {
            ticket: Ticket {
                queue: Queue::General,
                number: 12,
            },
            service: "legal-administrative".into(),
            issued_at: chrono::Utc
                .with_ymd_and_hms(2025, 12, 1, 9, 42, 0)
                .single()
                .ok_or("sample time")?,
            ahead: 3,
            estimated_wait_minutes: Some(40),
        };
        escpos::encode(&slip::lines(&slip, paper), paper).map_err(|e| e.to_string())?
    } else {
        std::fs::read(input).map_err(|e| format!("{input}: {e}"))?
    };
    let pixmap = preview::render(&stream, paper).map_err(|e| e.to_string())?;
    let file = std::fs::File::create(output).map_err(|e| format!("{output}: {e}"))?;
    let mut encoder = png::Encoder::new(BufWriter::new(file), pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    // Opaque pixels: premultiplied RGBA is plain RGBA.
    writer
        .write_image_data(pixmap.data())
        .map_err(|e| e.to_string())?;
    eprintln!("{output}: {} x {} dots", pixmap.width(), pixmap.height());
    Ok(())
}
