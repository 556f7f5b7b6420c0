//! What a printed ticket says: a pure function of the ticket and the queue, never of the
//! person. [`TicketSlip`] has no field for a name, a birth date or a visitor code, so no
//! caller can put one on paper that other people in the room can read.

use chrono::{DateTime, Utc};

use crate::domain::access::{WaitingPlace, queue_order};
use crate::domain::board::{DEFAULT_SERVICE_MINUTES, DayBoard, estimate_wait};
use crate::domain::hours::ROME;
use crate::domain::ticket::{EventRecord, TicketState, TicketView};
use crate::domain::{Queue, Ticket};

/// Everything a printed ticket may say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketSlip {
    pub ticket: Ticket,
    /// A service code (`housing`); printed with its Italian label.
    pub service: String,
    pub issued_at: DateTime<Utc>,
    /// Waiting tickets of the same queue that will be called first.
    pub ahead: u32,
    /// Minutes; `None` while no desk has called from this queue recently.
    pub estimated_wait_minutes: Option<i64>,
}

impl TicketSlip {
    /// The slip of `ticket` as the day stands at `now`: who is ahead in the queue order
    /// (priority, due appointments, arrival) and the wait the board estimates for them.
    /// `None` when the ticket is not one of the day's.
    pub fn of_day(
        ticket: Ticket,
        tickets: &[TicketView],
        events: &[EventRecord],
        now: DateTime<Utc>,
    ) -> Option<TicketSlip> {
        let own = tickets.iter().find(|t| t.ticket == ticket)?;
        let place = |t: &TicketView| WaitingPlace {
            priority: t.priority,
            appointment_at: t.appointment_at,
            arrived_at: t.arrived_at,
            ticket_number: t.ticket.number,
        };
        let ahead = if own.state == TicketState::Waiting {
            tickets
                .iter()
                .filter(|t| t.state == TicketState::Waiting && t.ticket.queue == ticket.queue)
                .filter(|t| queue_order(&place(t), &place(own), now).is_lt())
                .count() as u32
        } else {
            0
        };
        let board = DayBoard::compute(tickets, events, now).queue(ticket.queue);
        let estimated_wait_minutes = estimate_wait(
            ahead,
            board.open_desks,
            board
                .average_service_minutes
                .unwrap_or(DEFAULT_SERVICE_MINUTES),
        );
        Some(TicketSlip {
            ticket,
            service: own.service.clone(),
            issued_at: own.arrived_at,
            ahead,
            estimated_wait_minutes,
        })
    }
}

/// The paper roll: what the printable width is, in dots (203 dpi) and in characters of
/// the printer's standard font (12 x 24 dots).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Paper {
    #[default]
    Mm80,
    Mm58,
}

impl Paper {
    pub fn dots(self) -> u32 {
        match self {
            Paper::Mm80 => 576,
            Paper::Mm58 => 384,
        }
    }

    pub fn columns(self) -> usize {
        (self.dots() / CHAR_DOTS) as usize
    }

    pub fn millimetres(self) -> u32 {
        match self {
            Paper::Mm80 => 80,
            Paper::Mm58 => 58,
        }
    }
}

/// Width of one character of the printer's font A, in dots.
pub const CHAR_DOTS: u32 = 12;
/// The largest magnification ESC/POS offers (GS !).
pub const MAX_SCALE: u8 = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
}

/// Scripts that thermal printers carry no font for: printed as pictures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Arabic,
    Bengali,
}

/// One line of the ticket, in the order printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// Text in the printer's own font, `scale` times its size (1..=8).
    Text {
        text: String,
        scale: u8,
        bold: bool,
        align: Align,
    },
    /// Text the printer has no font for, drawn with the bundled Noto fonts.
    Picture { text: String, script: Script },
    /// A dashed line across the paper.
    Rule,
}

/// The caption, "keep this ticket; your number will be called on the screen", in the six
/// languages most heard at the front office. Latin-script ones print as text.
pub const CAPTIONS: [(&str, Option<Script>, &str); 6] = [
    (
        "it",
        None,
        "Conservare questo biglietto: il numero sarà chiamato sullo schermo.",
    ),
    (
        "en",
        None,
        "Keep this ticket: your number will be called on the screen.",
    ),
    (
        "ar",
        Some(Script::Arabic),
        "احتفظ بهذه التذكرة، سيُنادى رقمك على الشاشة.",
    ),
    (
        "es",
        None,
        "Guarde este ticket: su número será llamado en la pantalla.",
    ),
    (
        "bn",
        Some(Script::Bengali),
        "এই টিকিটটি রাখুন: আপনার নম্বর পর্দায় ডাকা হবে।",
    ),
    (
        "fr",
        None,
        "Gardez ce ticket : votre numéro sera appelé à l'écran.",
    ),
];

/// The Italian name of a queue as the ticket prints it.
pub fn queue_label(queue: Queue) -> &'static str {
    match queue {
        Queue::Sai => "Coda SAI",
        Queue::General => "Coda generale",
    }
}

/// The line that tells how many people are ahead (the tests look for it).
pub fn ahead_line(ahead: u32) -> String {
    match ahead {
        0 => "Persone prima di te: nessuna".into(),
        n => format!("Persone prima di te: {n}"),
    }
}

fn wait_line(minutes: Option<i64>) -> String {
    match minutes {
        None => "Attesa stimata: non ancora nota".into(),
        Some(m) if m < 5 => "Attesa stimata: pochi minuti".into(),
        Some(m) if m < 90 => format!("Attesa stimata: circa {m} min"),
        Some(m) => format!("Attesa stimata: circa {} ore", (m + 30) / 60),
    }
}

/// The largest magnification at which `chars` characters fit on one line of `paper`.
pub fn number_scale(chars: usize, paper: Paper) -> u8 {
    let per_char = CHAR_DOTS as usize * chars.max(1);
    (paper.dots() as usize / per_char).clamp(1, MAX_SCALE as usize) as u8
}

/// Break `text` into lines of at most `width` characters at spaces; a word longer than a
/// line is cut, since the printer would cut it anyway.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > width {
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            lines.push(word.drain(..width).collect());
        }
        let word: String = word.into_iter().collect();
        let needed =
            current.chars().count() + usize::from(!current.is_empty()) + word.chars().count();
        if needed > width && !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(&word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// The ticket, line by line: the number in the largest type, the queue and the service in
/// Italian, date and time (Rome), people ahead and the estimated wait, and the caption in six
/// languages.
pub fn lines(slip: &TicketSlip, paper: Paper) -> Vec<Line> {
    let columns = paper.columns();
    let text = |text: String, scale: u8, bold: bool| Line::Text {
        text,
        scale,
        bold,
        align: Align::Center,
    };
    let number = slip.ticket.to_string();
    let mut out = vec![
        text("Milano Welcome Center".into(), 1, true),
        text(
            number.clone(),
            number_scale(number.chars().count(), paper),
            true,
        ),
        text(queue_label(slip.ticket.queue).into(), 2, true),
    ];
    let service = crate::domain::reference::service(&slip.service)
        .map_or(slip.service.as_str(), |s| s.label_it.as_str());
    out.extend(
        wrap(service, columns)
            .into_iter()
            .map(|l| text(l, 1, false)),
    );
    out.push(text(
        slip.issued_at
            .with_timezone(&ROME)
            .format("%d/%m/%Y  %H:%M")
            .to_string(),
        1,
        false,
    ));
    out.push(Line::Rule);
    out.push(text(ahead_line(slip.ahead), 1, true));
    out.push(text(wait_line(slip.estimated_wait_minutes), 1, false));
    out.push(Line::Rule);
    for (_, script, caption) in CAPTIONS {
        match script {
            Some(script) => out.push(Line::Picture {
                text: caption.into(),
                script,
            }),
            None => out.extend(
                wrap(caption, columns)
                    .into_iter()
                    .map(|l| text(l, 1, false)),
            ),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn slip(number: u32, ahead: u32, wait: Option<i64>) -> TicketSlip {
        TicketSlip {
            ticket: Ticket {
                queue: Queue::General,
                number,
            },
            service: "housing".into(),
            issued_at: Utc.with_ymd_and_hms(2025, 12, 1, 9, 30, 0).unwrap(),
            ahead,
            estimated_wait_minutes: wait,
        }
    }

    fn texts(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .filter_map(|l| match l {
                Line::Text { text, .. } => Some(text.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn the_ticket_says_number_queue_service_time_ahead_and_wait() {
        let lines = lines(&slip(12, 3, Some(40)), Paper::Mm80);
        let texts = texts(&lines);
        assert_eq!(texts[1], "G-012");
        assert!(texts.contains(&"Coda generale".to_string()));
        assert!(texts.contains(&"Casa e alloggio".to_string()));
        assert!(
            texts.contains(&"01/12/2025  10:30".to_string()),
            "Rome time"
        );
        assert!(texts.contains(&"Persone prima di te: 3".to_string()));
        assert!(texts.contains(&"Attesa stimata: circa 40 min".to_string()));
        let pictures: Vec<&Line> = lines
            .iter()
            .filter(|l| matches!(l, Line::Picture { .. }))
            .collect();
        assert_eq!(pictures.len(), 2, "Arabic and Bengali as pictures");
    }

    #[test]
    fn the_number_is_the_largest_type_that_fits_the_paper() {
        assert_eq!(number_scale(5, Paper::Mm80), 8);
        assert_eq!(number_scale(5, Paper::Mm58), 6);
        assert_eq!(number_scale(6, Paper::Mm58), 5);
        for paper in [Paper::Mm80, Paper::Mm58] {
            for l in lines(&slip(1234, 0, None), paper) {
                if let Line::Text { text, scale, .. } = l {
                    let width = text.chars().count() as u32 * CHAR_DOTS * u32::from(scale);
                    assert!(width <= paper.dots(), "{text} at {scale}x on {paper:?}");
                }
            }
        }
    }

    #[test]
    fn wrapping_keeps_words_and_the_width() {
        assert_eq!(
            wrap("Keep this ticket: your number will be called", 20),
            vec!["Keep this ticket:", "your number will be", "called"]
        );
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert!(wrap("   ", 10).is_empty());
    }

    #[test]
    fn waits_read_as_people_say_them() {
        assert_eq!(wait_line(None), "Attesa stimata: non ancora nota");
        assert_eq!(wait_line(Some(0)), "Attesa stimata: pochi minuti");
        assert_eq!(wait_line(Some(150)), "Attesa stimata: circa 3 ore");
        assert_eq!(ahead_line(0), "Persone prima di te: nessuna");
    }
}
