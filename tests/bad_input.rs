//! The bad-input catalogue of the README, run through the real binary: each input gets exit 2
//! and a message naming the field or the line, and the register is left exactly as it was.
//! `cargo test --test bad_input -- --nocapture` prints the table the README shows.

mod common;

use std::path::Path;
use std::process::Output;

use common::*;
use welcome_desk::store::SqliteStore;
#[allow(unused_imports)]
use welcome_desk::store::prelude::*;

const NOW: &str = "2025-07-07T10:00:00+02:00";

fn welcome_desk(db: &Path, args: &[String]) -> Output {
    welcome_desk_command(db, NOW)
        .args(args)
        .output()
        .expect("run welcome-desk")
}

/// `register` with one option replaced.
fn register_with(option: &str, value: &str) -> Vec<String> {
    let mut args: Vec<String> = [
        "register",
        "--family-name",
        "Hassan",
        "--given-name",
        "Omar",
        "--birth-date",
        "1990-05-01",
        "--sex",
        "M",
        "--country",
        "EG",
        "--service",
        "housing",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    match args.iter().position(|a| a == option) {
        Some(i) => args[i + 1] = value.to_string(),
        None => args.extend([option.to_string(), value.to_string()]),
    }
    args
}

const HEADER: &str =
    "arrived_at,person_ref,family_name,given_name,birth_date,sex,country,sai_guest,channel,service";
const ROW: &str = "2025-07-03 10:15,P1,Hassan,Omar,1990-05-01,M,EG,no,walk-in,housing";

/// How a user would describe the input, in the table (control characters made visible).
fn shown(s: &str) -> String {
    let mut out: String = s
        .chars()
        .flat_map(|c| {
            if c.is_control() || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}') {
                format!("\\u{{{:04X}}}", c as u32)
                    .chars()
                    .collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect();
    if out.chars().count() > 48 {
        out = format!(
            "{}… ({} chars)",
            out.chars().take(12).collect::<String>(),
            s.chars().count()
        );
    }
    out.replace('|', "\\|")
}

/// The register's whole state: a report over every day there is, the counts of visitors
/// and accesses, and every ticket (read in-process: a `report` command would itself add to
/// the audit trail).
fn state(db: &Path) -> (String, (u64, u64), String) {
    let store = SqliteStore::open(db).expect("open the register");
    let report =
        welcome_desk::report::report(&store, day("2024-01-01"), day("2025-12-31")).expect("report");
    let tickets = store.tickets_of_day(day("2025-07-07")).expect("tickets");
    (
        serde_json::to_string(&report).expect("json"),
        store.counts().expect("counts"),
        format!("{tickets:?}"),
    )
}

#[test]
fn every_bad_input_is_named_and_changes_nothing() {
    let (dir, db) = temp_db();
    // Something already stored, to show it is kept.
    let first = welcome_desk(&db, &register_with("--given-name", "Karim"));
    assert!(first.status.success());
    let before = state(&db);

    let long = "a".repeat(10_000);
    let zalgo = format!("Omar{}", "\u{0301}\u{0316}\u{0334}".repeat(40));
    let registers: Vec<(&str, &str, String, &str)> = vec![
        (
            "empty name",
            "--family-name",
            String::new(),
            "family_name: is empty",
        ),
        (
            "blank name",
            "--given-name",
            "   ".into(),
            "given_name: is empty",
        ),
        (
            "10,000-character name",
            "--family-name",
            long,
            "family_name: is 10000 characters long",
        ),
        (
            "control character",
            "--given-name",
            "Omar\u{0007}".into(),
            "given_name: contains a control character (U+0007)",
        ),
        (
            "tab inside a name",
            "--given-name",
            "Omar\tAli".into(),
            "given_name: contains a control character (U+0009)",
        ),
        (
            "right-to-left override",
            "--family-name",
            "\u{202E}nassaH".into(),
            "family_name: contains an invisible character (U+202E)",
        ),
        (
            "combining marks piled up",
            "--given-name",
            zalgo,
            "given_name: is 123 characters long",
        ),
        (
            "emoji",
            "--given-name",
            "Omar 😀".into(),
            "given_name: contains '😀'",
        ),
        (
            "SQL metacharacters",
            "--family-name",
            "Hassan'); DROP TABLE visitor;--".into(),
            "family_name: contains ')'",
        ),
        (
            "digits only",
            "--family-name",
            "12345".into(),
            "family_name: has no letter",
        ),
        (
            "impossible date",
            "--birth-date",
            "2025-02-30".into(),
            "birth_date: '2025-02-30' is not a date",
        ),
        (
            "birth date in the future",
            "--birth-date",
            "2031-01-01".into(),
            "birth_date:",
        ),
        (
            "birth date before 1900",
            "--birth-date",
            "1899-12-31".into(),
            "birth_date:",
        ),
        (
            "date in another format",
            "--birth-date",
            "01/05/1990".into(),
            "birth_date: '01/05/1990' is not a date",
        ),
        (
            "unknown service code",
            "--service",
            "passport".into(),
            "service: 'passport' is not a service code",
        ),
        ("unknown country code", "--country", "XX".into(), "country:"),
        (
            "unknown sex code",
            "--sex",
            "Q".into(),
            "sex: unknown sex 'Q'",
        ),
        (
            "unknown language code",
            "--languages",
            "zz".into(),
            "languages:",
        ),
    ];

    let file = |name: &str, bytes: Vec<u8>| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write the test file");
        path
    };
    let csv = |body: &str| format!("{HEADER}\n{body}\n").into_bytes();
    let imports: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "CSV: wrong header",
            format!("{}\n{ROW}\n", HEADER.replace("arrived_at", "arrival")).into_bytes(),
            "line 1: unknown column 'arrival'",
        ),
        (
            "CSV: missing column",
            format!(
                "{}\n{}\n",
                HEADER.replace(",service", ""),
                ROW.replace(",housing", "")
            )
            .into_bytes(),
            "line 1: missing column(s): service",
        ),
        (
            "CSV: a row with a field too few",
            csv(&format!("{ROW}\n{}", ROW.replace(",housing", ""))),
            "line 3:",
        ),
        (
            "CSV: stray quote",
            csv(&format!(
                "{ROW}\n2025-07-03 10:20,P2,\"Hassan,Omar,1990-05-01,M,EG,no,walk-in,housing"
            )),
            "line 3:",
        ),
        (
            "CSV: mixed separators",
            csv(&format!(
                "{ROW}\n2025-07-03 10:20;P2;Hassan;Omar;;M;EG;no;walk-in;housing"
            )),
            "line 3:",
        ),
        (
            "CSV: not UTF-8 (Latin-1 'Muñoz')",
            {
                let mut b = csv(ROW);
                b.extend(b"2025-07-03 10:20,P2,Mu\xf1oz,Ana,,F,PE,no,walk-in,housing\n");
                b
            },
            "line 3: not UTF-8",
        ),
        ("CSV: empty file", Vec::new(), "the file is empty"),
        (
            "CSV: impossible date in a row",
            csv(&ROW.replace("2025-07-03", "2025-02-30")),
            "line 2: arrived_at",
        ),
        (
            "CSV: arrival in the future",
            csv(&ROW.replace("2025-07-03", "2025-09-03")),
            "line 2: arrived_at",
        ),
        (
            "CSV: unknown service",
            csv(&ROW.replace("housing", "passport")),
            "line 2: service",
        ),
        (
            "CSV: unknown country",
            csv(&ROW.replace(",EG,", ",XX,")),
            "line 2: country",
        ),
        (
            "CSV: sai_guest neither yes nor no",
            csv(&ROW.replace(",no,", ",si,")),
            "line 2: sai_guest",
        ),
        (
            "CSV: control character in a name",
            csv(&ROW.replace("Omar", "Om\u{0001}ar")),
            "line 2: given_name: contains a control character",
        ),
    ];

    let mut table = vec![
        "| Input | Where | What the user sees (exit 2, nothing stored) |".to_string(),
        "|---|---|---|".to_string(),
    ];
    for (what, option, value, expected) in &registers {
        let out = welcome_desk(&db, &register_with(option, value));
        let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
        assert_eq!(out.status.code(), Some(2), "{what}: {err}");
        assert!(
            err.contains(expected),
            "{what}: expected '{expected}' in: {err}"
        );
        assert!(!err.contains("panicked"), "{what}: {err}");
        assert_eq!(state(&db), before, "{what} changed the register");
        let err = err.trim_start_matches("welcome-desk: ");
        table.push(format!(
            "| {what}: `{}` | `register {option}` | {} |",
            shown(value),
            err.replace('|', "\\|")
        ));
    }
    for (what, bytes, expected) in imports {
        let path = file("register.csv", bytes);
        let out = welcome_desk(
            &db,
            &[
                "import".into(),
                "accesses".into(),
                path.display().to_string(),
            ],
        );
        let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
        assert_eq!(out.status.code(), Some(2), "{what}: {err}");
        assert!(
            err.contains(expected),
            "{what}: expected '{expected}' in: {err}"
        );
        assert_eq!(state(&db), before, "{what} changed the register");
        let err = err
            .trim_start_matches("welcome-desk: ")
            .replace(&format!("{}: ", path.display()), "");
        table.push(format!(
            "| {what} | `import accesses FILE` | {} |",
            err.replace('|', "\\|")
        ));
    }
    println!("{}", table.join("\n"));
}

#[test]
fn names_in_any_script_with_marks_and_apostrophes_are_stored_exactly() {
    let (_dir, db) = temp_db();
    for (typed, stored) in [
        ("محمد عبد الرحمن", "محمد عبد الرحمن"),
        ("মোঃ রহিম", "মোঃ রহিম"),
        ("O'Brien", "O'Brien"),
        ("Jose\u{0301}", "José"),
    ] {
        let out = welcome_desk(&db, &{
            let mut a = register_with("--family-name", typed);
            a.extend(["--format".into(), "json".into()]);
            a
        });
        assert!(
            out.status.success(),
            "{typed}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let search = welcome_desk(
            &db,
            &[
                "search",
                "--family-name",
                stored,
                "--given-name",
                "Omar",
                "--format",
                "json",
            ]
            .map(String::from),
        );
        let found: serde_json::Value = serde_json::from_slice(&search.stdout).unwrap();
        assert_eq!(found[0]["visitor_id"], v["visitor_id"], "{typed}");
        assert_eq!(found[0]["family_name"], stored, "{typed}");
    }
}
