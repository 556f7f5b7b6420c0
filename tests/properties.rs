//! Property-based tests: whatever bytes a spreadsheet or a keyboard produces, the importer,
//! the name normaliser, the matcher and the search never panic, and what they promise holds.

mod common;

use chrono::NaiveDate;
use common::*;
use proptest::prelude::*;
use welcome_desk::domain::matching::{BirthQuery, profile, score};
use welcome_desk::domain::names::{name_key, normalise};
use welcome_desk::domain::visitor::validate_name;
use welcome_desk::import::{COLUMNS, parse_register};
use welcome_desk::store::{SqliteStore, Store};

/// Text that looks like names typed at a front desk: Latin with accents, Arabic, Bengali,
/// combining marks, punctuation, spaces, the odd control character and emoji.
fn name_like() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::char::range('a', 'z'),
            2 => prop::char::range('A', 'Z'),
            1 => prop::sample::select(vec!['é', 'ñ', 'ü', 'ş', 'ø', 'ß', 'İ', 'ı', 'ǅ', 'ﬁ']),
            2 => prop::char::range('\u{0621}', '\u{064A}'),
            2 => prop::char::range('\u{0985}', '\u{09B9}'),
            1 => prop::char::range('\u{0300}', '\u{036F}'),
            1 => prop::char::range('\u{09BE}', '\u{09CD}'),
            2 => prop::sample::select(vec![' ', '-', '\'', '.', ',', ';', '"', '\t', '\u{200F}', '\u{202E}', '\u{200C}']),
            1 => any::<char>(),
        ],
        0..40,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

/// A CSV field as a careless export writes it: plain, quoted, quoted with doubled quotes,
/// with a stray quote, or with a separator inside.
fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        name_like(),
        name_like().prop_map(|s| format!("\"{s}\"")),
        name_like().prop_map(|s| format!("\"{}\"", s.replace('"', "\"\""))),
        name_like().prop_map(|s| format!("{s}\"")),
        Just("2025-07-03 10:15".to_string()),
        Just("2025-02-30 10:15".to_string()),
        Just("1990-05-01".to_string()),
        Just("yes".to_string()),
        Just("walk-in".to_string()),
        Just("housing".to_string()),
        Just("EG".to_string()),
        Just(String::new()),
    ]
}

/// A register file: the right header (in any order, with either separator) or a damaged one,
/// then rows of arbitrary fields, with LF or CRLF and maybe a BOM.
fn register_file() -> impl Strategy<Value = Vec<u8>> {
    (
        Just(COLUMNS.to_vec()).prop_shuffle(),
        prop::bool::ANY,
        prop::bool::ANY,
        prop::bool::ANY,
        0usize..3,
        prop::collection::vec(prop::collection::vec(field(), 8..12), 0..8),
    )
        .prop_map(|(mut header, semicolon, crlf, bom, damage, rows)| {
            match damage {
                1 => {
                    header.pop();
                }
                2 => header[0] = "arived_at",
                _ => {}
            }
            let sep = if semicolon { ";" } else { "," };
            let end = if crlf { "\r\n" } else { "\n" };
            let mut text = String::new();
            if bom {
                text.push('\u{FEFF}');
            }
            text.push_str(&header.join(sep));
            for row in rows {
                text.push_str(end);
                text.push_str(&row.join(sep));
            }
            text.into_bytes()
        })
}

fn now() -> chrono::DateTime<chrono::Utc> {
    rome("2025-07-31 18:00")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_importer_never_panics_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = parse_register(&bytes, now());
    }

    #[test]
    fn the_importer_never_panics_on_damaged_registers(file in register_file()) {
        match parse_register(&file, now()) {
            Ok(rows) => {
                // Whatever it accepts is valid by the rules reception enters data by.
                for row in rows {
                    prop_assert!(!row.details.family_name.trim().is_empty());
                    prop_assert!(!row.details.given_name.chars().any(char::is_control));
                    prop_assert!(row.arrived_at <= now());
                }
            }
            Err(e) => {
                // Every refusal names a line (or the file as a whole).
                let message = e.to_string();
                prop_assert!(
                    message.starts_with("line ") || message.starts_with("the file"),
                    "{}", message
                );
            }
        }
    }

    #[test]
    fn normalising_never_panics_and_is_stable(raw in name_like()) {
        let once = normalise(&raw);
        prop_assert_eq!(normalise(&once), once.clone());
        prop_assert!(!once.starts_with(' ') && !once.ends_with(' ') && !once.contains("  "));
        let _ = name_key(&raw, &raw);
    }

    #[test]
    fn scores_stay_between_zero_and_one(
        a in name_like(), b in name_like(), c in name_like(), d in name_like(),
        year in 1900i32..2025, month in 1u32..13, day in 1u32..29,
    ) {
        let on_file = NaiveDate::from_ymd_opt(year, month, day);
        let s = score(&profile(&a, &b), BirthQuery::Year(year), &profile(&c, &d), on_file);
        prop_assert!((0.0..=1.0).contains(&s), "{}", s);
        let same = score(&profile(&a, &b), BirthQuery::Unknown, &profile(&b, &a), None);
        prop_assert!((0.0..=1.0).contains(&same));
    }

    #[test]
    fn a_name_that_passes_validation_is_trimmed_and_clean(raw in name_like()) {
        if let Ok(name) = validate_name("family_name", &raw) {
            prop_assert_eq!(name.trim(), name.as_str());
            prop_assert!(!name.chars().any(|c| c.is_control() || c == ';' || c == '"'));
            prop_assert!(name.chars().count() <= 100);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn searching_any_name_answers_without_error(family in name_like(), given in name_like()) {
        thread_local! {
            static STORE: (tempfile::TempDir, SqliteStore) = {
                let (dir, mut store) = open_temp();
                for (f, g) in [("Hossain", "Md Rahim"), ("Quispe Mamani", "Rosa"), ("محمد", "علي")] {
                    store.register(&new_walk_in(f, g, false), rome("2025-07-07 10:00")).unwrap();
                }
                (dir, store)
            };
        }
        STORE.with(|(_, store)| -> Result<(), TestCaseError> {
            let found = store.search(&family, &given, BirthQuery::Unknown, 5);
            prop_assert!(found.is_ok(), "{:?}", found.err());
            prop_assert!(found.unwrap_or_default().len() <= 5);
            Ok(())
        })?;
    }
}
