//! The diagnostic log: beside the crash logs, owner-only, and never a name, a birth date, a
//! password or a search query, whether the work came from the command line or a terminal.

mod common;

use std::path::Path;

use common::*;
use welcome_desk::domain::matching::BirthQuery;
use welcome_desk::domain::staff::Role;
#[allow(unused_imports)]
use welcome_desk::store::prelude::*;
use welcome_desk::store::{Principal, SqliteStore, Store, VisitorChoice};
use welcome_desk::ui::app::{Job, Message, perform_caught};
use welcome_desk::ui::reception::SearchRequest;

const NOW: &str = "2025-12-01T10:30:00+01:00";
const FAMILY: &str = "Zyxwquorth";
const GIVEN: &str = "Plimbotha";
const BIRTH: &str = "1987-03-04";
const PASSWORD: &str = "Quuxlebrant horse 42";

/// Everything the log folder beside `db` holds, as text.
fn logs_beside(db: &Path) -> String {
    let folder = db.parent().unwrap().join("logs");
    let mut text = String::new();
    for entry in std::fs::read_dir(&folder).expect("a log folder") {
        let path = entry.unwrap().path();
        if path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("diagnostic-"))
        {
            text.push_str(&std::fs::read_to_string(&path).unwrap());
        }
    }
    text
}

fn assert_nothing_personal(log: &str) {
    for secret in [FAMILY, GIVEN, BIRTH, PASSWORD] {
        assert!(
            !log.to_lowercase().contains(&secret.to_lowercase()),
            "the log holds {secret:?}:\n{log}"
        );
    }
}

#[test]
fn the_command_line_logs_what_it_did_and_no_one_it_did_it_for() {
    let (_dir, db) = temp_db();
    let run = |args: &[&str]| {
        let out = welcome_desk_at(&db, NOW, args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    };
    run(&[
        "register",
        "--family-name",
        FAMILY,
        "--given-name",
        GIVEN,
        "--birth-date",
        BIRTH,
        "--service",
        "housing",
    ]);
    run(&[
        "search",
        "--family-name",
        FAMILY,
        "--given-name",
        GIVEN,
        "--birth-date",
        BIRTH,
    ]);
    let out = welcome_desk_command(&db, NOW)
        .args(["staff", "add", "--name", GIVEN, "--role", "reception"])
        .env("WELCOME_DESK_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    // A refused input is logged by its exit code, not by what was typed.
    let bad = welcome_desk_at(
        &db,
        NOW,
        &[
            "register",
            "--family-name",
            FAMILY,
            "--given-name",
            GIVEN,
            "--birth-date",
            "1987-13-45",
            "--service",
            "housing",
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("1987-13-45"),
        "stderr still says what was wrong"
    );

    let log = logs_beside(&db);
    assert!(log.contains(r#"what="register""#), "{log}");
    assert!(log.contains(r#"what="search""#), "{log}");
    assert!(
        log.contains("register opened") && log.contains("schema_version="),
        "{log}"
    );
    assert!(log.contains(r#"outcome="failed" exit=2"#), "{log}");
    assert_nothing_personal(&log);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let folder = db.parent().unwrap().join("logs");
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&folder), 0o700, "the folder is its owner's only");
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            assert_eq!(mode(&path), 0o600, "{}", path.display());
        }
    }
}

#[test]
fn a_terminal_logs_its_jobs_and_sign_ins_by_kind_and_role_only() {
    let (dir, db) = temp_db();
    let exports = dir.path().join("exports");
    welcome_desk::diagnostics::init(&db).expect("a diagnostic log");
    let mut store = SqliteStore::open(&db).unwrap();
    let now = rome("2025-12-01 10:30");
    store
        .create_staff(GIVEN, Role::Reception, PASSWORD, false, now)
        .unwrap();
    let signed = perform_caught(
        &mut store,
        Job::SignIn {
            name: GIVEN.into(),
            password: PASSWORD.into(),
        },
        None,
        now,
        &exports,
    );
    assert!(matches!(signed, Message::SignedIn(Ok(_))), "{signed:?}");
    let refused = perform_caught(
        &mut store,
        Job::SignIn {
            name: FAMILY.into(),
            password: PASSWORD.into(),
        },
        None,
        now,
        &exports,
    );
    assert!(matches!(refused, Message::SignedIn(Err(_))));
    let by = Principal {
        staff: GIVEN.into(),
        role: Role::Reception,
        terminal: "terminal:test".into(),
    };
    let mut registration = new_walk_in(FAMILY, GIVEN, false);
    if let VisitorChoice::New(details) = &mut registration.visitor {
        details.birth_date = Some(day(BIRTH));
    }
    perform_caught(
        &mut store,
        Job::Register(registration),
        Some(&by),
        now,
        &exports,
    );
    perform_caught(
        &mut store,
        Job::Search(SearchRequest {
            generation: 1,
            family_name: FAMILY.into(),
            given_name: GIVEN.into(),
            birth: BirthQuery::parse(BIRTH).unwrap(),
        }),
        Some(&by),
        now,
        &exports,
    );
    drop(store);

    let log = logs_beside(&db);
    assert!(
        log.contains(r#"sign-in accepted role="reception""#),
        "{log}"
    );
    assert!(
        log.contains(r#"sign-in refused error="sign-in-refused""#),
        "{log}"
    );
    assert!(
        log.contains(r#"job="register" ms="#) && log.contains(r#"job="search""#),
        "{log}"
    );
    assert_nothing_personal(&log);
}
