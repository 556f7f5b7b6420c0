//! The command line as real processes against real files.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::*;

/// A Monday morning, within walk-in hours, after the fixture register's last row.
const NOW: &str = "2025-12-01T10:30:00+01:00";

fn welcome_desk(db: &Path, args: &[&str]) -> Output {
    welcome_desk_command(db, NOW)
        .args(args)
        .env_remove("WELCOME_DESK_DB")
        .output()
        .expect("run welcome-desk")
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON value on stdout")
}

/// Why each candidate is proposed: a list of reason codes in JSON, the same in words in the
/// text output; the date as reception writes it in Italy, with a two-digit year too.
#[test]
fn search_says_why_and_reads_dates_as_written_at_the_desk() {
    let (_dir, db) = temp_db();
    for born in ["1993-03-02", "1975-06-12"] {
        let out = welcome_desk(
            &db,
            &[
                "register",
                "--family-name",
                "Mansour",
                "--given-name",
                "Fatma",
                "--birth-date",
                born,
                "--service",
                "housing",
            ],
        );
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let search = |date: &str, format: &str| {
        welcome_desk(
            &db,
            &[
                "search",
                "--family-name",
                "MANSOUR",
                "--given-name",
                "fatma",
                "--birth-date",
                date,
                "--format",
                format,
            ],
        )
    };
    // 1993 typed 1939: the namesake one slip away comes first, and says so.
    let found = json(&search("02/03/1939", "json"));
    assert_eq!(found[0]["birth_date"], "1993-03-02");
    assert_eq!(
        found[0]["reasons"],
        serde_json::json!(["name-same", "date-digits-swapped"])
    );
    assert_eq!(found[1]["birth_date"], "1975-06-12");
    assert_eq!(
        found[1]["reasons"],
        serde_json::json!(["name-same", "date-different"])
    );
    let found = json(&search("02/03/93", "json"));
    assert_eq!(found[0]["birth_date"], "1993-03-02");
    assert_eq!(found[0]["evidence"]["date"], "two-digit-year");
    let text = search("1993-02-03", "text");
    assert!(text.status.success(), "{}", stderr(&text));
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.lines()
            .nth(1)
            .is_some_and(|l| l.trim() == "same name; date with day and month swapped"),
        "{text}"
    );
    // Not a day of the calendar, or born in the future: a slip for sure, searched for what
    // it is one slip from.
    let found = json(&search("02/30/1993", "json"));
    assert_eq!(found[0]["birth_date"], "1993-03-02");
    assert_eq!(
        found[0]["reasons"],
        serde_json::json!(["name-same", "date-impossible", "date-digits-swapped"])
    );
    let future = search("02/03/2093", "json");
    assert!(
        stderr(&future).contains("cannot be a birth date"),
        "{}",
        stderr(&future)
    );
    let found = json(&future);
    assert_eq!(found[0]["birth_date"], "1993-03-02");
    assert_eq!(
        found[0]["reasons"],
        serde_json::json!(["name-same", "date-impossible", "date-two-digit-year"])
    );
    let bad = search("02/03", "json");
    assert_eq!(bad.status.code(), Some(2), "half a date");
    assert!(stderr(&bad).contains("DD/MM/YYYY"), "{}", stderr(&bad));
}

#[test]
fn register_call_finish_round_trip() {
    let (_dir, db) = temp_db();
    let r = json(&welcome_desk(
        &db,
        &[
            "register",
            "--family-name",
            "Hossain",
            "--given-name",
            "Md Rahim",
            "--birth-date",
            "1990-02-03",
            "--sex",
            "M",
            "--country",
            "BD",
            "--sai-guest",
            "--service",
            "family-reunification",
            "--format",
            "json",
        ],
    ));
    assert_eq!(r["ticket"], "S-001");
    assert_eq!(r["queue"], "sai");
    assert_eq!(r["first_time"], true);
    let visitor_id = r["visitor_id"].as_str().unwrap().to_string();
    assert!(uuid::Uuid::parse_str(&visitor_id).is_ok());
    assert!(uuid::Uuid::parse_str(r["access_id"].as_str().unwrap()).is_ok());

    let again = json(&welcome_desk(
        &db,
        &[
            "register",
            "--family-name",
            "Hossain",
            "--given-name",
            "Md Rahim",
            "--service",
            "housing",
            "--visitor",
            &visitor_id,
            "--format",
            "json",
        ],
    ));
    assert_eq!(again["first_time"], false);
    assert_eq!(again["ticket"], "S-002");
    assert_eq!(again["visitor_id"], visitor_id.as_str());

    let found = json(&welcome_desk(
        &db,
        &[
            "search",
            "--family-name",
            "md rahim",
            "--given-name",
            "hossain",
            "--format",
            "json",
        ],
    ));
    assert_eq!(found[0]["visitor_id"], visitor_id.as_str());
    assert_eq!(found[0]["birth_date"], "1990-02-03");
    // The same name without a birth date: likely, not certain.
    assert!(found[0]["score"].as_f64().unwrap() >= 0.9);
    assert_eq!(found[0]["likely"], true);
    assert_eq!(
        found[0]["reasons"],
        serde_json::json!(["name-same", "fields-swapped", "date-not-typed"])
    );
    assert_eq!(found[0]["evidence"]["date"], "not-typed");
    assert_eq!(found[0]["evidence"]["parts"][0]["typed"], "md");
    assert_eq!(found[0]["evidence"]["parts"][0]["how"], "same");

    let called = json(&welcome_desk(
        &db,
        &["call-next", "--desk", "Sportello 3", "--format", "json"],
    ));
    assert_eq!(called["ticket"], "S-001");
    assert_eq!(called["queue"], "sai");
    assert_eq!(called["access_id"], r["access_id"]);

    let done = welcome_desk(&db, &["finish", "S-001", "--outcome", "done"]);
    assert!(done.status.success(), "{}", stderr(&done));
    let twice = welcome_desk(&db, &["finish", "S-001", "--outcome", "no-show"]);
    assert_eq!(
        twice.status.code(),
        Some(2),
        "a done ticket cannot be a no-show"
    );
    assert!(stderr(&twice).contains("cannot take"));

    welcome_desk(&db, &["call-next", "--desk", "Sportello 1"]);
    let empty = welcome_desk(&db, &["call-next", "--desk", "Sportello 1"]);
    assert_eq!(empty.status.code(), Some(3), "nobody waiting");
    assert!(stderr(&empty).contains("nobody is waiting"));

    let report = json(&welcome_desk(
        &db,
        &["report", "--day", "2025-12-01", "--format", "json"],
    ));
    for key in [
        "accesses",
        "walk_ins",
        "first_time_walk_ins",
        "first_time_share_of_walk_ins",
        "unique_visitors",
        "new_visitors",
        "monthly_accesses",
        "average_monthly_accesses",
        "by_queue",
        "by_channel",
        "appointments",
        "by_service",
        "top_services",
        "by_country",
        "by_sex",
        "by_age_band",
    ] {
        assert!(report.get(key).is_some(), "report lacks {key}");
    }
    assert_eq!(report["accesses"], 2);
    assert_eq!(report["unique_visitors"], 1);
    assert_eq!(report["first_time_share_of_walk_ins"], 0.5);
    assert_eq!(report["monthly_accesses"]["2025-12"], 2);
    assert_eq!(report["by_age_band"]["25-44"], 1);
}

#[test]
fn bad_input_exits_2_naming_the_field_and_stores_nothing() {
    let (_dir, db) = temp_db();
    for (args, field) in [
        (
            vec![
                "--family-name",
                " ",
                "--given-name",
                "Omar",
                "--service",
                "housing",
            ],
            "family_name",
        ),
        (
            vec![
                "--family-name",
                "Ali",
                "--given-name",
                "Omar",
                "--birth-date",
                "2025-02-30",
                "--service",
                "housing",
            ],
            "birth_date",
        ),
        (
            vec![
                "--family-name",
                "Ali",
                "--given-name",
                "Omar",
                "--service",
                "haircut",
            ],
            "service",
        ),
        (
            vec![
                "--family-name",
                "Ali",
                "--given-name",
                "Omar",
                "--country",
                "XX",
                "--service",
                "housing",
            ],
            "country",
        ),
    ] {
        let mut full = vec!["register"];
        full.extend(args);
        let out = welcome_desk(&db, &full);
        assert_eq!(out.status.code(), Some(2), "{full:?}");
        assert!(stderr(&out).contains(field), "{full:?}: {}", stderr(&out));
    }
    let report = json(&welcome_desk(
        &db,
        &["report", "--day", "2025-12-01", "--format", "json"],
    ));
    assert_eq!(report["accesses"], 0);
}

#[test]
fn import_report_csv_and_text() {
    let (dir, db) = temp_db();
    let fixture = fixture("register_excel_it.csv");
    let out = welcome_desk(&db, &["import", "accesses", fixture.to_str().unwrap()]);
    let summary = json(&out);
    assert_eq!(summary["accesses_added"], 10);
    let again = json(&welcome_desk(
        &db,
        &["import", "accesses", fixture.to_str().unwrap()],
    ));
    assert_eq!(again["accesses_added"], 0);

    let csv = welcome_desk(
        &db,
        &[
            "report",
            "--from",
            "2025-07-01",
            "--to",
            "2025-07-31",
            "--format",
            "csv",
        ],
    );
    let csv = String::from_utf8(csv.stdout).unwrap();
    assert!(csv.starts_with("metric,key,value\n"));
    assert!(csv.contains("\naccesses,,8\n"), "{csv}");
    assert!(csv.contains("\nmonthly_accesses,2025-07,8\n"));

    let text = welcome_desk(
        &db,
        &["report", "--from", "2025-07-01", "--to", "2025-07-31"],
    );
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("luglio 2025"), "{text}");
    assert!(text.contains("Accessi: 8"), "{text}");
    assert!(text.contains("ricongiungimento familiare"), "{text}");

    // A bad row aborts the whole import with its line, and nothing is stored.
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "arrived_at,person_ref,family_name,given_name,birth_date,sex,country,sai_guest,channel,service\n\
         2025-07-02 10:00,N1,Ali,Omar,,M,EG,no,walk-in,housing\n\
         2025-07-02 10:05,N2,Ali,Karim,,M,EG,no,walk-in,unknown-service\n",
    )
    .unwrap();
    let out = welcome_desk(&db, &["import", "accesses", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("line 3: service"), "{}", stderr(&out));
    let july = json(&welcome_desk(
        &db,
        &[
            "report",
            "--from",
            "2025-07-01",
            "--to",
            "2025-07-31",
            "--format",
            "json",
        ],
    ));
    assert_eq!(july["accesses"], 8, "nothing of the bad file was stored");
}

#[test]
fn a_file_that_is_not_a_register_is_refused_with_exit_1() {
    let (dir, _) = temp_db();
    let not_db = dir.path().join("photo.db");
    std::fs::write(&not_db, b"\x89PNG\r\n\x1a\n not a database").unwrap();
    let out = welcome_desk(&not_db, &["report", "--day", "2025-12-01"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("not an SQLite database"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read(&not_db).unwrap(),
        b"\x89PNG\r\n\x1a\n not a database"
    );
}

#[test]
fn demo_and_backup() {
    let (dir, db) = temp_db();
    let out = json(&welcome_desk(&db, &["demo", "--days", "60", "--seed", "5"]));
    assert!(out["accesses"].as_u64().unwrap() > 1000);
    let dest = dir.path().join("copy.db");
    let b = welcome_desk(&db, &["backup", dest.to_str().unwrap()]);
    assert!(b.status.success(), "{}", stderr(&b));
    let args = [
        "report",
        "--from",
        "2025-10-01",
        "--to",
        "2025-12-01",
        "--format",
        "json",
    ];
    assert_eq!(
        json(&welcome_desk(&db, &args)),
        json(&welcome_desk(&dest, &args))
    );
    let refuse = welcome_desk(&db, &["backup", dest.to_str().unwrap()]);
    assert_eq!(refuse.status.code(), Some(2), "never overwrite a backup");
}

#[test]
fn without_a_display_the_window_says_so_in_one_line() {
    let (_dir, db) = temp_db();
    let out = Command::new(env!("CARGO_BIN_EXE_welcome-desk"))
        .arg("--db")
        .arg(&db)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("needs a display"), "{err}");
    assert!(err.contains("--help"), "{err}");
}

/// Output that never arrived is a failure: stdout on a full disk, or into a pipe nobody
/// reads, exits 1 and says why on stderr (not 0 with nothing delivered).
#[cfg(unix)]
#[test]
fn output_that_cannot_be_written_fails() {
    use std::process::Stdio;
    let (_dir, db) = temp_db();
    let register = [
        "register",
        "--family-name",
        "Hossain",
        "--given-name",
        "Rahim",
        "--service",
        "housing",
        "--format",
        "json",
    ];
    let report = ["report", "--day", "2025-12-01", "--format", "csv"];
    let text = ["report", "--day", "2025-12-01"];
    for args in [&register[..], &report[..], &text[..]] {
        let full = welcome_desk_command(&db, NOW)
            .args(args)
            .stdout(Stdio::from(
                std::fs::File::create("/dev/full").expect("/dev/full"),
            ))
            .output()
            .expect("run welcome-desk");
        assert_eq!(full.status.code(), Some(1), "{args:?} to /dev/full");
        assert!(
            stderr(&full).contains("could not write the output"),
            "{args:?}: {}",
            stderr(&full)
        );

        let (reader, writer) = std::io::pipe().expect("a pipe");
        drop(reader);
        let closed = welcome_desk_command(&db, NOW)
            .args(args)
            .stdout(writer)
            .output()
            .expect("run welcome-desk");
        assert_eq!(closed.status.code(), Some(1), "{args:?} into a closed pipe");
        assert!(
            stderr(&closed).contains("could not write the output"),
            "{args:?}: {}",
            stderr(&closed)
        );
        let said = stderr(&closed);
        assert_eq!(
            said.lines()
                .filter(|l| l.starts_with("welcome-desk:"))
                .count(),
            1,
            "one line says it: {said}"
        );
    }
}

/// A pinned clock that is not a time is refused, not replaced by the real clock.
#[test]
fn a_clock_that_is_not_a_time_is_refused() {
    let (_dir, db) = temp_db();
    let out = welcome_desk_command(&db, "next monday")
        .args(["report", "--day", "2025-12-01", "--format", "json"])
        .output()
        .expect("run welcome-desk");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("WELCOME_DESK_NOW"),
        "{}",
        stderr(&out)
    );
    assert!(!db.exists(), "nothing was opened");
}

/// A script that timed out sends `register` again with the access id it made: one access, the
/// same ticket printed twice. Without the id, the same command is another arrival.
#[test]
fn register_sent_again_with_its_access_id_prints_the_ticket_already_issued() {
    let (_dir, db) = temp_db();
    let access_id = "01938b6e-3c2a-7d4e-9f10-2b3c4d5e6f70";
    let register = |extra: &[&str]| {
        let mut args = vec![
            "register",
            "--family-name",
            "Okafor",
            "--given-name",
            "Chidi",
            "--service",
            "housing",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        json(&welcome_desk(&db, &args))
    };
    let first = register(&["--access-id", access_id]);
    let again = register(&["--access-id", access_id]);
    assert_eq!(first["access_id"], access_id);
    assert_eq!(again, first);
    let other = register(&[]);
    assert_ne!(other["access_id"], access_id);
    assert_ne!(other["ticket"], first["ticket"]);

    let bad = welcome_desk(
        &db,
        &[
            "register",
            "--family-name",
            "A",
            "--given-name",
            "B",
            "--service",
            "housing",
            "--access-id",
            "not-a-uuid",
        ],
    );
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
}
