//! Visitors: the people who come to the front office. Keep only what the work needs.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::reference;

/// Sex as the visitor states it; `Unknown` when not asked or not said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Sex {
    F,
    M,
    X,
    #[serde(rename = "unknown")]
    Unknown,
}

impl Sex {
    pub const ALL: [Sex; 4] = [Sex::F, Sex::M, Sex::X, Sex::Unknown];

    pub fn code(self) -> &'static str {
        match self {
            Sex::F => "F",
            Sex::M => "M",
            Sex::X => "X",
            Sex::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Sex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Sex {
    type Err = String;
    /// Empty means unknown, as in the legacy registers.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "F" | "f" => Ok(Sex::F),
            "M" | "m" => Ok(Sex::M),
            "X" | "x" => Ok(Sex::X),
            "" | "unknown" => Ok(Sex::Unknown),
            other => Err(format!("unknown sex '{other}' (expected F, M, X or empty)")),
        }
    }
}

/// A field of the visitor form that is wrong, and why, in words reception can act on.
/// `message` is the command line's English; `problem` lets a screen say it in the staff's
/// language, beside the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    pub field: &'static str,
    pub problem: Problem,
    pub message: String,
}

/// What is wrong with a field, for a screen to put in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Empty,
    TooLong {
        max: usize,
    },
    TooShort {
        min: usize,
    },
    NoLetter,
    /// A character that names are not made of (shown), or an invisible one (`None`).
    NotANameCharacter(Option<char>),
    NotADate,
    InTheFuture,
    Before1900,
    NotACountry,
    NotALanguage(String),
    NotAPhone,
    OnlySpaces,
    /// Two entries that must agree do not (the password typed twice).
    Mismatch,
    /// A choice to make (the service, a role).
    NotChosen,
    /// A number, or a length, outside `min..=max`.
    OutOfRange {
        min: u32,
        max: u32,
    },
    NotANumber,
    /// Said only in `message`.
    Other,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        FieldError::of(field, Problem::Other, message)
    }

    pub fn of(field: &'static str, problem: Problem, message: impl Into<String>) -> Self {
        FieldError {
            field,
            problem,
            message: message.into(),
        }
    }
}

/// Longest name part accepted: long enough for four Peruvian surnames, short enough to catch
/// a paste gone wrong.
pub const MAX_NAME_CHARS: usize = 100;

/// What is known of a person, validated. Names are kept exactly as typed (trimmed), in any
/// script: normalisation is for search only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitorDetails {
    pub family_name: String,
    pub given_name: String,
    pub birth_date: Option<NaiveDate>,
    pub sex: Sex,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: Option<String>,
    /// ISO 639-1, lower case.
    pub languages: Vec<String>,
    pub sai_guest: bool,
    pub phone: Option<String>,
}

/// A visitor as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visitor {
    pub id: Uuid,
    /// Short code reception can read aloud or write on a card (`V-000123`).
    pub code: String,
    #[serde(flatten)]
    pub details: VisitorDetails,
}

/// Check one name field as reception or the command line enters it: not blank, not absurdly
/// long, and made of what names are made of in any script (letters, their combining marks,
/// spaces, apostrophes, hyphens, dots, and the joiners Arabic and Bengali spelling uses).
/// Anything else (an emoji, a `;`, a digit, an invisible direction mark) is a slip of the
/// keyboard or of a paste, named so it can be fixed. Returned trimmed, in NFC.
pub fn validate_name(field: &'static str, raw: &str) -> Result<String, FieldError> {
    let name = validate_legacy_name(field, raw)?;
    if let Some(c) = name.chars().find(|&c| !is_name_char(c)) {
        let message = if c.is_whitespace() || is_invisible(c) {
            format!("contains an invisible character (U+{:04X})", c as u32)
        } else {
            format!(
                "contains '{c}' (U+{:04X}), which is not part of a name",
                c as u32
            )
        };
        let shown = (!c.is_whitespace() && !is_invisible(c)).then_some(c);
        return Err(FieldError::of(
            field,
            Problem::NotANameCharacter(shown),
            message,
        ));
    }
    Ok(name)
}

/// Check one name field of a legacy register: history is kept as it was typed, so only what
/// cannot be a name at all is refused (blank, control characters, over-long, no letter).
pub fn validate_legacy_name(field: &'static str, raw: &str) -> Result<String, FieldError> {
    use unicode_normalization::UnicodeNormalization;
    let name: String = raw.trim().nfc().collect();
    if name.is_empty() {
        return Err(FieldError::of(field, Problem::Empty, "is empty"));
    }
    if let Some(c) = name.chars().find(|c| c.is_control()) {
        return Err(FieldError::of(
            field,
            Problem::NotANameCharacter(None),
            format!("contains a control character (U+{:04X})", c as u32),
        ));
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(FieldError::of(
            field,
            Problem::TooLong {
                max: MAX_NAME_CHARS,
            },
            format!("is {chars} characters long (at most {MAX_NAME_CHARS})"),
        ));
    }
    if !name.chars().any(char::is_alphabetic) {
        return Err(FieldError::of(field, Problem::NoLetter, "has no letter"));
    }
    Ok(name)
}

fn is_name_char(c: char) -> bool {
    c.is_alphabetic()
        || unicode_normalization::char::is_combining_mark(c)
        || c == ' '
        || matches!(c, '\'' | '’' | '-' | '.' | '\u{200C}' | '\u{200D}')
}

/// Format characters that show nothing: direction marks and overrides, zero-width spaces.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}')
}

/// Parse a `YYYY-MM-DD` birth date; it must be a real date, not in the future, not before 1900.
pub fn parse_birth_date(raw: &str, today: NaiveDate) -> Result<Option<NaiveDate>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| {
        FieldError::of(
            "birth_date",
            Problem::NotADate,
            format!("'{raw}' is not a date (expected YYYY-MM-DD, a real calendar day)"),
        )
    })?;
    validate_birth_date(date, today).map(Some)
}

/// A day as Italians type it, `GG/MM/AAAA` (also with `.` or `-`), or as `AAAA-MM-GG`: the
/// search's own reading of a typed date (`BirthQuery::parse`), when it is a calendar day. A
/// two-digit year is not a day: 05 could be 1905 or 2005.
pub fn parse_typed_day(raw: &str) -> Option<NaiveDate> {
    match crate::domain::matching::BirthQuery::parse(raw)? {
        crate::domain::matching::BirthQuery::Date(day) => Some(day),
        _ => None,
    }
}

/// A birth date as reception types it (see `parse_typed_day`); empty is not said.
pub fn parse_typed_birth_date(
    raw: &str,
    today: NaiveDate,
) -> Result<Option<NaiveDate>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let date = parse_typed_day(raw).ok_or_else(|| {
        FieldError::of(
            "birth_date",
            Problem::NotADate,
            format!("'{raw}' is not a date (expected DD/MM/YYYY or YYYY-MM-DD)"),
        )
    })?;
    validate_birth_date(date, today).map(Some)
}

pub fn validate_birth_date(date: NaiveDate, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    if date > today {
        return Err(FieldError::of(
            "birth_date",
            Problem::InTheFuture,
            format!("{date} is in the future"),
        ));
    }
    if date.year() < 1900 {
        return Err(FieldError::of(
            "birth_date",
            Problem::Before1900,
            format!("{date} is before 1900"),
        ));
    }
    Ok(date)
}

/// An ISO 3166-1 alpha-2 code known to the country list; empty means not said.
pub fn parse_country(raw: &str) -> Result<Option<String>, FieldError> {
    let code = raw.trim().to_ascii_uppercase();
    if code.is_empty() {
        return Ok(None);
    }
    if reference::country(&code).is_none() {
        return Err(FieldError::of(
            "country",
            Problem::NotACountry,
            format!("'{}' is not an ISO 3166-1 alpha-2 country code", raw.trim()),
        ));
    }
    Ok(Some(code))
}

/// ISO 639-1 codes separated by commas, spaces or `;`.
pub fn parse_languages(raw: &str) -> Result<Vec<String>, FieldError> {
    let mut out: Vec<String> = Vec::new();
    for part in raw.split([',', ';', ' ']).filter(|p| !p.trim().is_empty()) {
        let code = part.trim().to_ascii_lowercase();
        if reference::language(&code).is_none() {
            return Err(FieldError::of(
                "languages",
                Problem::NotALanguage(part.trim().to_string()),
                format!("'{}' is not an ISO 639-1 language code", part.trim()),
            ));
        }
        if !out.contains(&code) {
            out.push(code);
        }
    }
    Ok(out)
}

/// A phone number as people write it: digits with spaces, dashes, dots, brackets, a leading +.
pub fn parse_phone(raw: &str) -> Result<Option<String>, FieldError> {
    let phone = raw.trim();
    if phone.is_empty() {
        return Ok(None);
    }
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let allowed = phone.chars().enumerate().all(|(i, c)| {
        c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')') || (c == '+' && i == 0)
    });
    if !allowed || !(6..=15).contains(&digits) {
        return Err(FieldError::of(
            "phone",
            Problem::NotAPhone,
            format!("'{phone}' is not a phone number (6 to 15 digits, optional leading +)"),
        ));
    }
    Ok(Some(phone.to_string()))
}

/// The short visitor code shown at the desk, derived from the store's sequence number.
pub fn visitor_code(sequence: i64) -> String {
    format!("V-{sequence:06}")
}

/// The sequence number in a visitor code (`V-000123`, `v123`), if it is one.
pub fn parse_visitor_code(code: &str) -> Option<i64> {
    let digits = code
        .trim()
        .strip_prefix(['V', 'v'])?
        .trim_start_matches('-');
    (!digits.is_empty() && digits.len() <= 12 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

/// Age in whole years on `on`.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> u32 {
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age.max(0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn days_are_read_as_italians_write_them_and_in_iso() {
        let d = NaiveDate::from_ymd_opt(1990, 2, 3);
        assert_eq!(parse_typed_day("03/02/1990"), d);
        assert_eq!(parse_typed_day("3.2.1990"), d);
        assert_eq!(parse_typed_day("1990-02-03"), d);
        assert_eq!(parse_typed_day("31/02/1990"), None);
        assert_eq!(
            parse_typed_day("03/02/90"),
            None,
            "a two-digit year is no day"
        );
        assert_eq!(parse_typed_day("1990-13-01"), None);
    }

    #[test]
    fn names_are_kept_as_typed_in_any_script() {
        assert_eq!(validate_name("family_name", "  محمد ").unwrap(), "محمد");
        assert_eq!(validate_name("given_name", "হোসেন").unwrap(), "হোসেন");
        assert_eq!(
            validate_name("family_name", "Quispe Mamani").unwrap(),
            "Quispe Mamani"
        );
    }

    #[test]
    fn bad_names_name_the_field() {
        let e = validate_name("family_name", "   ").unwrap_err();
        assert_eq!(e.field, "family_name");
        assert!(validate_name("given_name", "Ali\u{0007}").is_err());
        assert!(validate_name("given_name", &"a".repeat(101)).is_err());
        assert!(validate_name("given_name", &"a".repeat(100)).is_ok());
        assert!(validate_name("given_name", "1234").is_err());
        let e = validate_name("given_name", "Omar 😀").unwrap_err();
        assert_eq!(
            e.message,
            "contains '😀' (U+1F600), which is not part of a name"
        );
        assert!(validate_name("given_name", "Robert'); DROP TABLE visitor; --").is_err());
        let e = validate_name("family_name", "\u{202E}nosslaH").unwrap_err();
        assert_eq!(e.message, "contains an invisible character (U+202E)");
        assert!(validate_name("given_name", "Ali\tBaba").is_err());
        // The legacy register keeps what history typed.
        assert!(validate_legacy_name("given_name", "María; Rosa").is_ok());
        assert!(validate_legacy_name("given_name", "   ").is_err());
    }

    #[test]
    fn names_accept_what_names_are_made_of() {
        for ok in [
            "O'Brien",
            "N’Diaye",
            "Abdel-Rahman",
            "Md. Rahim",
            "মোঃ রহিম",
            "عبد الرحمن",
            "ابو\u{200C}بكر",
            "Nguyễn",
        ] {
            assert!(validate_name("family_name", ok).is_ok(), "{ok}");
        }
        // Decomposed accents (a Mac keyboard, a paste) are stored composed.
        assert_eq!(validate_name("given_name", "Jose\u{0301}").unwrap(), "José");
    }

    #[test]
    fn birth_dates() {
        let today = d("2025-07-01");
        assert_eq!(parse_birth_date("", today), Ok(None));
        assert_eq!(
            parse_birth_date("1990-02-28", today),
            Ok(Some(d("1990-02-28")))
        );
        assert_eq!(
            parse_birth_date("2025-02-30", today).unwrap_err().field,
            "birth_date"
        );
        assert!(parse_birth_date("2025-07-02", today).is_err());
        assert!(parse_birth_date("1899-12-31", today).is_err());
        assert!(parse_birth_date("01/02/1990", today).is_err());
    }

    #[test]
    fn ages() {
        assert_eq!(age_on(d("2000-07-02"), d("2025-07-01")), 24);
        assert_eq!(age_on(d("2000-07-01"), d("2025-07-01")), 25);
        assert_eq!(age_on(d("2004-02-29"), d("2025-02-28")), 20);
        assert_eq!(age_on(d("2004-02-29"), d("2025-03-01")), 21);
    }

    #[test]
    fn countries_languages_phones() {
        assert_eq!(parse_country("eg"), Ok(Some("EG".into())));
        assert_eq!(parse_country(""), Ok(None));
        assert_eq!(parse_country("ZZ").unwrap_err().field, "country");
        assert_eq!(
            parse_languages("ar, it;bn ar").unwrap(),
            vec!["ar", "it", "bn"]
        );
        assert!(parse_languages("arabic").is_err());
        assert_eq!(
            parse_phone("+39 333 123 4567"),
            Ok(Some("+39 333 123 4567".into()))
        );
        assert!(parse_phone("call me").is_err());
        assert!(parse_phone("12+345678").is_err());
    }

    #[test]
    fn sex_codes() {
        assert_eq!("".parse::<Sex>(), Ok(Sex::Unknown));
        assert_eq!("f".parse::<Sex>(), Ok(Sex::F));
        assert!("female".parse::<Sex>().is_err());
    }
}
