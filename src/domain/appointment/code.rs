//! Booking codes: `A-7K3F`, short enough to say on the phone and type at the desk.
//!
//! The alphabet keeps the ten digits (read alike in every language the center speaks) and the
//! Latin capitals that no digit or other capital can be mistaken for: O, I, L, S, Z and B are
//! left out because they look like 0, 1, 1, 5, 2 and 8. A code never contains them, so when
//! one is typed it can only be the digit it resembles, and the parser reads it as that digit.
//! A is left out too, so that an A can only be the prefix: `A-7K3` with a symbol lost is then
//! too short, where it would otherwise read as the different code `A7K3`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The symbols of a code, in the order of their value.
pub const ALPHABET: &[u8; 29] = b"0123456789CDEFGHJKMNPQRTUVWXY";

/// Symbols after the `A-` prefix.
pub const CODE_LEN: u32 = 4;

/// How many distinct codes there are (29^4 = 707 281): the store keeps codes unique and
/// draws again on a clash, which stays rare for a center booking a few thousand a year.
pub const CODE_SPACE: u32 = 707_281;

/// Marks a booking code apart from a ticket (`S-001`, `G-001`) and a visitor code (`V-…`).
const PREFIX: char = 'A';

/// A booking code. Always within [`CODE_SPACE`]; shown and stored as `A-XXXX`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BookingCode(u32);

/// Why typed text is not a booking code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("a booking code has {CODE_LEN} characters after A- (found {found})")]
    Length { found: usize },
    #[error("'{0}' is not used in booking codes")]
    Character(char),
}

impl BookingCode {
    /// The code for a random number the caller draws (the domain holds no generator, so that
    /// tests and the demo can pin it). Every `u64` gives a valid code; the modulo bias over
    /// 2^64 is far below anything a person could notice.
    pub fn from_random(random: u64) -> Self {
        BookingCode((random % u64::from(CODE_SPACE)) as u32)
    }

    /// Reads a code as a person types or dictates it: upper or lower case, with or without
    /// `A-`, with spaces or dashes anywhere, digits in Arabic-Indic or Bengali script, and
    /// O, I, L, S, Z, B read as 0, 1, 1, 5, 2, 8.
    pub fn parse(raw: &str) -> Result<Self, CodeError> {
        let mut symbols: Vec<char> = raw
            .chars()
            .filter(|c| !c.is_whitespace() && !is_dash(*c))
            .map(|c| fold(c).to_ascii_uppercase())
            .collect();
        if symbols.first() == Some(&PREFIX) {
            symbols.remove(0);
        }
        if symbols.len() != CODE_LEN as usize {
            return Err(CodeError::Length {
                found: symbols.len(),
            });
        }
        let mut value = 0u32;
        for c in symbols {
            let digit = ALPHABET
                .iter()
                .position(|&a| char::from(a) == c)
                .ok_or(CodeError::Character(c))?;
            value = value * ALPHABET.len() as u32 + digit as u32;
        }
        Ok(BookingCode(value))
    }

    /// The code's number in `0..CODE_SPACE`, for a store that prefers an integer column.
    pub fn value(self) -> u32 {
        self.0
    }

    /// The code with number `value`, if it is one.
    pub fn from_value(value: u32) -> Option<Self> {
        (value < CODE_SPACE).then_some(BookingCode(value))
    }
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑' | '‒' | '–' | '—' | '−' | '_' | '.')
}

/// A typed character as the code symbol it must have been.
fn fold(c: char) -> char {
    let digit = match c as u32 {
        // Arabic-Indic, Eastern Arabic-Indic (Persian, Urdu keyboards) and Bengali digits.
        d @ 0x0660..=0x0669 => Some(d - 0x0660),
        d @ 0x06F0..=0x06F9 => Some(d - 0x06F0),
        d @ 0x09E6..=0x09EF => Some(d - 0x09E6),
        _ => None,
    };
    if let Some(d) = digit.and_then(|d| char::from_digit(d, 10)) {
        return d;
    }
    match c.to_ascii_uppercase() {
        'O' => '0',
        'I' | 'L' => '1',
        'S' => '5',
        'Z' => '2',
        'B' => '8',
        other => other,
    }
}

impl fmt::Display for BookingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let base = ALPHABET.len() as u32;
        let mut symbols = [b'0'; CODE_LEN as usize];
        let mut rest = self.0;
        for slot in symbols.iter_mut().rev() {
            *slot = ALPHABET[(rest % base) as usize];
            rest /= base;
        }
        write!(f, "{PREFIX}-")?;
        symbols
            .iter()
            .try_for_each(|&s| write!(f, "{}", char::from(s)))
    }
}

impl FromStr for BookingCode {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        BookingCode::parse(s)
    }
}

impl Serialize for BookingCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for BookingCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_alphabet_has_no_look_alikes() {
        assert_eq!(ALPHABET.len().pow(CODE_LEN), CODE_SPACE as usize);
        for c in b"OILSZBA" {
            assert!(!ALPHABET.contains(c), "{}", char::from(*c));
        }
        let mut sorted = ALPHABET.to_vec();
        sorted.dedup();
        assert_eq!(sorted.len(), ALPHABET.len(), "no symbol twice");
    }

    #[test]
    fn shown_as_a_dash_and_four_symbols() {
        assert_eq!(BookingCode::from_random(0).to_string(), "A-0000");
        assert_eq!(
            BookingCode::from_random(u64::from(CODE_SPACE) - 1).to_string(),
            "A-YYYY"
        );
        assert_eq!(
            BookingCode::from_random(u64::from(CODE_SPACE)),
            BookingCode::from_random(0)
        );
        let c = BookingCode::parse("A-7K3F").expect("a code");
        assert_eq!(c.to_string(), "A-7K3F");
        assert_eq!(BookingCode::from_value(c.value()), Some(c));
        assert_eq!(BookingCode::from_value(CODE_SPACE), None);
    }

    #[test]
    fn typing_slips_are_forgiven() {
        let c = BookingCode::parse("A-7K3F").expect("a code");
        for typed in [
            "a-7k3f",
            "7K3F",
            "A7K3F",
            " a 7k 3f ",
            "A–7K3F",
            "٧K٣F",
            "৭k৩f",
        ] {
            assert_eq!(BookingCode::parse(typed), Ok(c), "{typed}");
        }
        let d = BookingCode::parse("A-1052").expect("a code");
        for typed in ["A-IOS2", "a-lOSz", "A-1O5Z", "iO5z"] {
            assert_eq!(BookingCode::parse(typed), Ok(d), "{typed}");
        }
        assert_eq!(BookingCode::parse("A-8008"), BookingCode::parse("A-BOOB"));
    }

    #[test]
    fn what_is_not_a_code_says_why() {
        // A lost symbol is never another code, prefix or not.
        assert_eq!(
            BookingCode::parse("A-7K3"),
            Err(CodeError::Length { found: 3 })
        );
        assert_eq!(
            BookingCode::parse("A7K3"),
            Err(CodeError::Length { found: 3 })
        );
        assert_eq!(BookingCode::parse("7KA3"), Err(CodeError::Character('A')));
        assert_eq!(BookingCode::parse(""), Err(CodeError::Length { found: 0 }));
        assert_eq!(
            BookingCode::parse("G-7K3F"),
            Err(CodeError::Length { found: 5 })
        );
        assert_eq!(BookingCode::parse("A-7K3!"), Err(CodeError::Character('!')));
        assert_eq!(
            BookingCode::parse("A-7K3F").map(|c| serde_json::to_string(&c).ok()),
            Ok(Some("\"A-7K3F\"".to_string()))
        );
        assert!(serde_json::from_str::<BookingCode>("\"A-7K3\"").is_err());
    }

    proptest! {
        #[test]
        fn every_code_reads_back(random: u64) {
            let code = BookingCode::from_random(random);
            let shown = code.to_string();
            prop_assert_eq!(BookingCode::parse(&shown), Ok(code));
            prop_assert_eq!(BookingCode::parse(&shown.to_lowercase()), Ok(code));
            let bare: String = shown.chars().skip(2).collect();
            prop_assert_eq!(BookingCode::parse(&bare), Ok(code));
        }

        #[test]
        fn look_alike_letters_read_as_their_digits(random: u64) {
            let code = BookingCode::from_random(random);
            let slipped: String = code
                .to_string()
                .chars()
                .map(|c| match c {
                    '0' => 'o',
                    '1' => 'I',
                    '5' => 'S',
                    '2' => 'z',
                    '8' => 'B',
                    other => other,
                })
                .collect();
            prop_assert_eq!(BookingCode::parse(&slipped), Ok(code));
        }
    }
}
