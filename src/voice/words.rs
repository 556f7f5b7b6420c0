//! What a call says, as clip names: pure, so the tests can read the sentence without
//! listening to it.

use super::Language;
use crate::domain::{Queue, Ticket};

/// One piece of an announcement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Clip {
        language: Language,
        name: String,
    },
    /// Silence, in milliseconds.
    Pause(u32),
}

/// Between the words of a sentence.
pub const WORD_GAP_MS: u32 = 70;
/// Between the ticket and the desk (the comma).
pub const COMMA_MS: u32 = 300;
/// Between one language and the next.
pub const LANGUAGE_GAP_MS: u32 = 800;

/// The number a desk label ends with ("Sportello 3" -> 3): the desk is spoken by its number,
/// in every language, whatever its label says.
pub fn desk_number(label: &str) -> Option<u32> {
    let digits: String = label
        .chars()
        .rev()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits.parse().ok().filter(|n| *n > 0)
}

/// The clip names that say `n` (1..=9999) in `language`, composed from parts: units, teens,
/// tens, hundreds, thousands.
pub fn number(language: Language, n: u32) -> Vec<String> {
    let n = n.min(9999);
    let mut out: Vec<String> = Vec::new();
    let s = |x: u32| x.to_string();
    let thousands = n / 1000;
    let hundreds = (n % 1000) / 100;
    let rest = n % 100;
    if n == 0 {
        return vec![s(0)];
    }
    match language {
        Language::Italian => {
            match thousands {
                0 => {}
                1 => out.push(s(1000)),
                k => {
                    out.push(s(k));
                    out.push("mila".into());
                }
            }
            if hundreds > 0 {
                out.push(s(hundreds * 100));
            }
            match rest {
                0 => {}
                1..=19 => out.push(s(rest)),
                _ => {
                    let (tens, units) = (rest / 10 * 10, rest % 10);
                    // "ventuno", "ventotto": the tens lose their vowel before uno and otto.
                    match units {
                        0 => out.push(s(tens)),
                        1 | 8 => {
                            out.push(format!("{tens}e"));
                            out.push(s(units));
                        }
                        _ => {
                            out.push(s(tens));
                            out.push(s(units));
                        }
                    }
                }
            }
        }
        Language::English => {
            if thousands > 0 {
                out.push(s(thousands));
                out.push("thousand".into());
            }
            if hundreds > 0 {
                out.push(s(hundreds));
                out.push("hundred".into());
            }
            match rest {
                0 => {}
                1..=19 => out.push(s(rest)),
                _ => {
                    out.push(s(rest / 10 * 10));
                    if !rest.is_multiple_of(10) {
                        out.push(s(rest % 10));
                    }
                }
            }
        }
        Language::Spanish => {
            match thousands {
                0 => {}
                1 => out.push(s(1000)),
                k => {
                    out.push(s(k));
                    out.push(s(1000));
                }
            }
            match (hundreds, rest) {
                (0, _) => {}
                (1, 0) => out.push(s(100)),
                (1, _) => out.push("100+".into()),
                (h, _) => out.push(s(h * 100)),
            }
            match rest {
                0 => {}
                1..=29 => out.push(s(rest)),
                _ => {
                    out.push(s(rest / 10 * 10));
                    if !rest.is_multiple_of(10) {
                        out.push("and".into());
                        out.push(s(rest % 10));
                    }
                }
            }
        }
        Language::French => {
            match thousands {
                0 => {}
                1 => out.push(s(1000)),
                k => {
                    out.push(s(k));
                    out.push(s(1000));
                }
            }
            match hundreds {
                0 => {}
                1 => out.push(s(100)),
                h => {
                    out.push(s(h));
                    out.push(s(100));
                }
            }
            let (tens, units) = (rest / 10, rest % 10);
            match rest {
                0 => {}
                1..=19 => out.push(s(rest)),
                // soixante-dix .. soixante-dix-neuf; soixante et onze
                70..=79 => {
                    out.push(s(60));
                    if rest == 71 {
                        out.push("and".into());
                    }
                    out.push(s(rest - 60));
                }
                80 => out.push(s(80)),
                81..=99 => {
                    out.push("80e".into());
                    out.push(s(rest - 80));
                }
                _ => {
                    out.push(s(tens * 10));
                    if units == 1 {
                        out.push("and".into());
                    }
                    if units > 0 {
                        out.push(s(units));
                    }
                }
            }
        }
    }
    out
}

fn letter(queue: Queue) -> &'static str {
    match queue {
        Queue::Sai => "letter-s",
        Queue::General => "letter-g",
    }
}

/// "Numero G dodici, sportello tre", once per language, in order. A desk label without a
/// number is left out of the sentence rather than guessed.
pub fn announcement(ticket: Ticket, desk: &str, languages: &[Language]) -> Vec<Part> {
    let mut parts = Vec::new();
    for (i, &language) in languages.iter().enumerate() {
        if i > 0 {
            parts.push(Part::Pause(LANGUAGE_GAP_MS));
        }
        let clip = |name: &str| Part::Clip {
            language,
            name: name.to_string(),
        };
        let mut words = vec![clip("number"), clip(letter(ticket.queue))];
        words.extend(number(language, ticket.number).iter().map(|n| clip(n)));
        for (j, w) in words.into_iter().enumerate() {
            if j > 0 {
                parts.push(Part::Pause(WORD_GAP_MS));
            }
            parts.push(w);
        }
        if let Some(n) = desk_number(desk) {
            parts.push(Part::Pause(COMMA_MS));
            parts.push(clip("desk"));
            for w in number(language, n) {
                parts.push(Part::Pause(WORD_GAP_MS));
                parts.push(clip(&w));
            }
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::voice::clips;

    fn said(language: Language, n: u32) -> Vec<String> {
        number(language, n)
    }

    #[test]
    fn numbers_are_composed_as_each_language_says_them() {
        use Language::*;
        assert_eq!(said(Italian, 12), ["12"]);
        assert_eq!(said(Italian, 21), ["20e", "1"]);
        assert_eq!(said(Italian, 28), ["20e", "8"]);
        assert_eq!(said(Italian, 35), ["30", "5"]);
        assert_eq!(said(Italian, 112), ["100", "12"]);
        assert_eq!(said(Italian, 2345), ["2", "mila", "300", "40", "5"]);
        assert_eq!(said(English, 12), ["12"]);
        assert_eq!(said(English, 121), ["1", "hundred", "20", "1"]);
        assert_eq!(said(Spanish, 100), ["100"]);
        assert_eq!(said(Spanish, 112), ["100+", "12"]);
        assert_eq!(said(Spanish, 45), ["40", "and", "5"]);
        assert_eq!(said(Spanish, 26), ["26"]);
        assert_eq!(said(French, 21), ["20", "and", "1"]);
        assert_eq!(said(French, 71), ["60", "and", "11"]);
        assert_eq!(said(French, 77), ["60", "17"]);
        assert_eq!(said(French, 80), ["80"]);
        assert_eq!(said(French, 91), ["80e", "11"]);
    }

    #[test]
    fn every_clip_a_call_can_ask_for_is_recorded() {
        for language in Language::ALL {
            for n in 1..=9999 {
                for name in number(language, n) {
                    assert!(
                        clips::get(language, &name).is_some(),
                        "{language}: {n} needs '{name}'"
                    );
                }
            }
            for name in ["number", "desk", "letter-g", "letter-s"] {
                assert!(clips::get(language, name).is_some(), "{language}: {name}");
            }
        }
    }

    #[test]
    fn desks_are_spoken_by_their_number() {
        assert_eq!(desk_number("Sportello 3"), Some(3));
        assert_eq!(desk_number("Desk 12 "), Some(12));
        assert_eq!(desk_number("S3"), Some(3));
        assert_eq!(desk_number("Accoglienza"), None);
        assert_eq!(desk_number("Sportello 0"), None);
    }

    #[test]
    fn the_sentence_is_number_letter_digits_then_desk() {
        let ticket = Ticket {
            queue: Queue::General,
            number: 12,
        };
        let names: Vec<String> = announcement(
            ticket,
            "Sportello 3",
            &[Language::Italian, Language::English],
        )
        .into_iter()
        .filter_map(|p| match p {
            Part::Clip { language, name } => Some(format!("{language}/{name}")),
            Part::Pause(_) => None,
        })
        .collect();
        assert_eq!(
            names,
            [
                "it/number",
                "it/letter-g",
                "it/12",
                "it/desk",
                "it/3",
                "en/number",
                "en/letter-g",
                "en/12",
                "en/desk",
                "en/3"
            ]
        );
    }
}
