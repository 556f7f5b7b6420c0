//! Reading a legacy register (`import accesses FILE.csv`): the spreadsheet the center kept
//! before welcome-desk. Pure: bytes in, validated rows or the first bad line out. The
//! contact center's bookings (`appointment import`) are read the same way, in [`appointments`].

pub mod appointments;

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use crate::domain::hours::rome_local_to_utc;
use crate::domain::reference::parse_service;
use crate::domain::visitor::{
    FieldError, VisitorDetails, parse_birth_date, parse_country, validate_legacy_name,
};
use crate::domain::{Channel, Sex};
use crate::store::LegacyAccess;

/// The columns of the contract, in the order the messages list them.
pub const COLUMNS: [&str; 10] = [
    "arrived_at",
    "person_ref",
    "family_name",
    "given_name",
    "birth_date",
    "sex",
    "country",
    "sai_guest",
    "channel",
    "service",
];

/// Why a register cannot be imported. Every variant names the line, and the field where one
/// is at fault, so the file can be fixed and imported again.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error(
        "line {line}: not UTF-8 text (byte 0x{byte:02X}, perhaps an accented letter from another encoding); in Excel save the file as 'CSV UTF-8'"
    )]
    NotUtf8 { line: u64, byte: u8 },
    #[error("the file is empty")]
    Empty,
    #[error("line 1: no ',' or ';' separator in the header")]
    NoSeparator,
    #[error("line 1: missing column(s): {missing} (expected: {expected})")]
    MissingColumns { missing: String, expected: String },
    #[error("line 1: unknown column '{column}' (expected: {expected})")]
    UnknownColumn { column: String, expected: String },
    #[error("line 1: column '{0}' appears twice")]
    DuplicateColumn(String),
    #[error("line {line}: {message}")]
    Row { line: u64, message: String },
}

fn row_error(line: u64, e: FieldError) -> ImportError {
    ImportError::Row {
        line,
        message: e.to_string(),
    }
}

/// The separator Excel used: whichever of `;` and `,` the header has more of, outside quotes.
fn detect_separator(text: &str) -> Option<u8> {
    let header = text.lines().next().unwrap_or("");
    let (mut semicolons, mut commas, mut quoted) = (0, 0, false);
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => semicolons += 1,
            ',' if !quoted => commas += 1,
            _ => {}
        }
    }
    match (semicolons, commas) {
        (0, 0) => None,
        (s, c) if s >= c => Some(b';'),
        _ => Some(b','),
    }
}

fn parse_arrival(raw: &str) -> Result<DateTime<Utc>, FieldError> {
    let raw = raw.trim();
    let local = NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M"))
        .map_err(|_| {
            FieldError::new(
                "arrived_at",
                format!(
                    "'{raw}' is not a date and time (expected YYYY-MM-DD HH:MM[:SS], Europe/Rome)"
                ),
            )
        })?;
    rome_local_to_utc(local).map_err(|e| FieldError::new("arrived_at", e.to_string()))
}

fn parse_yes_no(raw: &str) -> Result<bool, FieldError> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "yes" => Ok(true),
        "no" => Ok(false),
        other => Err(FieldError::new(
            "sai_guest",
            format!("'{other}' is not yes or no"),
        )),
    }
}

/// A CSV file as Excel writes it, read against a set of expected columns: UTF-8 (a BOM
/// skipped), `,` or `;` (whichever the header has more of), CRLF or LF, RFC 4180 quotes,
/// columns in any order. Shared by every import so that each file type reads the same way.
pub(crate) struct Table {
    /// Column name -> position in the record.
    index: HashMap<&'static str, usize>,
    /// The non-blank records, each with its line in the file (1 is the header).
    pub rows: Vec<(u64, csv::StringRecord)>,
}

impl Table {
    /// Read `bytes` whose header must hold exactly `columns` (in any order). Blank records
    /// (Excel leaves some at the end) are skipped.
    pub(crate) fn read(bytes: &[u8], columns: &[&'static str]) -> Result<Table, ImportError> {
        let expected = || columns.join(", ");
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let text = std::str::from_utf8(bytes).map_err(|e| {
            let at = e.valid_up_to();
            ImportError::NotUtf8 {
                line: 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count() as u64,
                byte: bytes.get(at).copied().unwrap_or(0),
            }
        })?;
        if text.trim().is_empty() {
            return Err(ImportError::Empty);
        }
        let separator = detect_separator(text).ok_or(ImportError::NoSeparator)?;
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(separator)
            .has_headers(true)
            .flexible(false)
            .from_reader(text.as_bytes());

        let headers = reader.headers().map_err(|e| ImportError::Row {
            line: 1,
            message: e.to_string(),
        })?;
        let mut index: HashMap<&'static str, usize> = HashMap::new();
        for (i, h) in headers.iter().enumerate() {
            let name = h.trim().to_ascii_lowercase();
            let Some(&column) = columns.iter().find(|c| **c == name) else {
                return Err(ImportError::UnknownColumn {
                    column: h.trim().to_string(),
                    expected: expected(),
                });
            };
            if index.insert(column, i).is_some() {
                return Err(ImportError::DuplicateColumn(column.to_string()));
            }
        }
        let missing: Vec<&str> = columns
            .iter()
            .copied()
            .filter(|c| !index.contains_key(c))
            .collect();
        if !missing.is_empty() {
            return Err(ImportError::MissingColumns {
                missing: missing.join(", "),
                expected: expected(),
            });
        }

        // The csv crate miscounts lines in CRLF files after the header; byte offsets are exact.
        let newlines: Vec<usize> = text
            .bytes()
            .enumerate()
            .filter(|(_, b)| *b == b'\n')
            .map(|(i, _)| i)
            .collect();
        // A record's offset may point at the '\n' of the CRLF before it: skip line ends first.
        let line_at = |byte: u64| {
            let mut at = byte as usize;
            while matches!(text.as_bytes().get(at), Some(b'\r' | b'\n')) {
                at += 1;
            }
            newlines.partition_point(|&i| i < at) as u64 + 1
        };
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| {
                let line = e.position().map_or(0, |p| line_at(p.byte()));
                let message = match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => format!(
                        "expected {expected_len} fields, found {len} (a stray quote or a mixed separator?)"
                    ),
                    _ => e.to_string(),
                };
                ImportError::Row { line, message }
            })?;
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let line = record.position().map_or(0, |p| line_at(p.byte()));
            rows.push((line, record));
        }
        Ok(Table { index, rows })
    }

    /// The field `name` (one of the columns read) of `record`.
    pub(crate) fn field<'r>(&self, record: &'r csv::StringRecord, name: &str) -> &'r str {
        self.index
            .get(name)
            .and_then(|i| record.get(*i))
            .unwrap_or("")
    }
}

/// Parse and validate a whole register. `now` bounds arrival times and birth dates: a
/// register cannot hold the future.
pub fn parse_register(bytes: &[u8], now: DateTime<Utc>) -> Result<Vec<LegacyAccess>, ImportError> {
    let table = Table::read(bytes, &COLUMNS)?;
    let today: NaiveDate = crate::domain::hours::rome_day(now);
    let mut rows = Vec::new();
    for (line, record) in &table.rows {
        let line = *line;
        let field = |name: &str| table.field(record, name);
        let arrived_at = parse_arrival(field("arrived_at")).map_err(|e| row_error(line, e))?;
        if arrived_at > now {
            return Err(row_error(
                line,
                FieldError::new("arrived_at", "is in the future"),
            ));
        }
        let person_ref = field("person_ref").trim().to_string();
        if person_ref.is_empty() {
            return Err(row_error(line, FieldError::new("person_ref", "is empty")));
        }
        let family_name = validate_legacy_name("family_name", field("family_name"))
            .map_err(|e| row_error(line, e))?;
        let given_name = validate_legacy_name("given_name", field("given_name"))
            .map_err(|e| row_error(line, e))?;
        let birth_date =
            parse_birth_date(field("birth_date"), today).map_err(|e| row_error(line, e))?;
        if let Some(b) = birth_date
            && b > crate::domain::hours::rome_day(arrived_at)
        {
            return Err(row_error(
                line,
                FieldError::new("birth_date", format!("{b} is after the arrival")),
            ));
        }
        let sex: Sex = field("sex")
            .parse()
            .map_err(|m: String| row_error(line, FieldError::new("sex", m)))?;
        let country = parse_country(field("country")).map_err(|e| row_error(line, e))?;
        let sai_guest = parse_yes_no(field("sai_guest")).map_err(|e| row_error(line, e))?;
        let channel: Channel = field("channel")
            .parse()
            .map_err(|m: String| row_error(line, FieldError::new("channel", m)))?;
        let service = parse_service(field("service")).map_err(|e| row_error(line, e))?;
        rows.push(LegacyAccess {
            line,
            arrived_at,
            person_ref,
            details: VisitorDetails {
                family_name,
                given_name,
                birth_date,
                sex,
                country,
                languages: Vec::new(),
                sai_guest,
                phone: None,
            },
            channel,
            service,
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 12, 31, 12, 0, 0).unwrap()
    }

    const HEADER: &str = "arrived_at,person_ref,family_name,given_name,birth_date,sex,country,sai_guest,channel,service";

    #[test]
    fn excel_in_italian_bom_semicolons_crlf_quotes() {
        let csv = "\u{FEFF}service;channel;sai_guest;country;sex;birth_date;given_name;family_name;person_ref;arrived_at\r\n\
            family-reunification;walk-in;no;EG;M;1990-05-01;\"Mohamed; detto \"\"Mido\"\"\";El Sayed;P1;2025-03-01 10:15\r\n\
            housing;appointment;yes;BD;F;;হাসিনা;রহমান;P2;2025-02-01 09:00:30\r\n";
        let rows = parse_register(csv.as_bytes(), now()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].details.given_name, "Mohamed; detto \"Mido\"");
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[1].details.family_name, "রহমান");
        assert_eq!(rows[1].channel, Channel::Appointment);
        assert!(rows[1].details.sai_guest);
        // 10:15 in Rome in winter is 09:15 UTC.
        assert_eq!(
            rows[0].arrived_at,
            Utc.with_ymd_and_hms(2025, 3, 1, 9, 15, 0).unwrap()
        );
    }

    #[test]
    fn bad_rows_name_their_line_and_field() {
        let cases = [
            (
                "2025-02-30 10:00,P1,Ali,Omar,,M,EG,no,walk-in,housing",
                "line 2: arrived_at",
            ),
            (
                "2025-02-03 10:00,P1,Ali,Omar,,M,EG,no,walk-in,haircut",
                "line 2: service",
            ),
            (
                "2025-02-03 10:00,P1,Ali,Omar,,M,ZZ,no,walk-in,housing",
                "line 2: country",
            ),
            (
                "2025-02-03 10:00,P1,Ali,Omar,,M,EG,maybe,walk-in,housing",
                "line 2: sai_guest",
            ),
            (
                "2025-02-03 10:00,P1, ,Omar,,M,EG,no,walk-in,housing",
                "line 2: family_name",
            ),
            (
                "2025-02-03 10:00,P1,Ali,Omar,2030-01-01,M,EG,no,walk-in,housing",
                "line 2: birth_date",
            ),
            (
                "2025-02-03 10:00,P1,Ali,Omar,,M,EG,no,walk-in",
                "line 2: expected 10 fields",
            ),
            (
                "2025-03-30 02:30,P1,Ali,Omar,,M,EG,no,walk-in,housing",
                "does not exist in Europe/Rome",
            ),
        ];
        for (row, expected) in cases {
            let csv = format!("{HEADER}\n{row}\n");
            let err = parse_register(csv.as_bytes(), now())
                .unwrap_err()
                .to_string();
            assert!(err.contains(expected), "{row}: got '{err}'");
        }
    }

    #[test]
    fn header_problems() {
        let missing = "arrived_at,person_ref,family_name,given_name,birth_date,sex,country,sai_guest,channel\n";
        assert_eq!(
            parse_register(missing.as_bytes(), now()),
            Err(ImportError::MissingColumns {
                missing: "service".into(),
                expected: COLUMNS.join(", ")
            })
        );
        let unknown = format!("{HEADER},notes\n");
        assert_eq!(
            parse_register(unknown.as_bytes(), now()),
            Err(ImportError::UnknownColumn {
                column: "notes".into(),
                expected: COLUMNS.join(", ")
            })
        );
        assert_eq!(
            parse_register(b"\xEF\xBB\xBF\r\n", now()),
            Err(ImportError::Empty)
        );
        assert_eq!(
            parse_register(b"arrived_at,x\nMu\xf1oz,y\n", now()),
            Err(ImportError::NotUtf8 {
                line: 2,
                byte: 0xF1
            })
        );
        assert_eq!(
            parse_register(b"just one column\n", now()),
            Err(ImportError::NoSeparator)
        );
    }
}
