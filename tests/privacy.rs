//! Protecting the people in the register: accounts and sign-in, the chained audit trail,
//! erasure and retention (reports unchanged, the text gone from the file), and the right of
//! access, through the store and the real binary.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use chrono::Duration;
use common::*;
use welcome_desk::domain::audit::AuditAction;
use welcome_desk::domain::staff::Role;
use welcome_desk::domain::{Sex, VisitorDetails};
#[allow(unused_imports)]
use welcome_desk::store::prelude::*;
use welcome_desk::store::{Principal, SqliteStore, Store, StoreError, VisitorChoice};

fn welcome_desk(db: &Path, now: &str, args: &[&str]) -> Output {
    welcome_desk_command(db, now)
        .args(args)
        .env("USER", "coordinator-on-duty")
        .output()
        .expect("run welcome-desk")
}

fn terminal() -> Principal {
    Principal {
        staff: "amina".into(),
        role: Role::Reception,
        terminal: "terminal:front-1".into(),
    }
}

#[test]
fn the_first_admin_only_once_and_six_failures_lock_for_thirty_minutes() {
    let (_dir, mut store) = open_temp();
    let at = rome("2025-07-07 08:30");
    assert!(
        store
            .create_staff("admin", Role::Admin, "short", true, at)
            .is_err()
    );
    store
        .create_staff("Admin", Role::Admin, "a long secret", true, at)
        .unwrap();
    // A second "first administrator" is refused: accounts exist.
    assert!(
        store
            .create_staff("mallory", Role::Admin, "another secret", true, at)
            .is_err()
    );
    store
        .create_staff("Amina", Role::Reception, "reception pass", false, at)
        .unwrap();
    assert!(matches!(
        store.create_staff("amina", Role::Mediator, "reception pass", false, at),
        Err(StoreError::Input(e)) if e.field == "name"
    ));

    let session = store
        .sign_in("amina", "reception pass", "terminal:front-1", at)
        .unwrap();
    assert_eq!(
        (session.staff.as_str(), session.role),
        ("Amina", Role::Reception)
    );
    for n in 1..=5 {
        let e = store
            .sign_in("amina", "wrong guess", "terminal:front-1", at)
            .unwrap_err();
        assert!(matches!(e, StoreError::SignInRefused), "attempt {n}: {e}");
    }
    let e = store
        .sign_in("amina", "wrong guess", "terminal:front-1", at)
        .unwrap_err();
    assert!(
        e.to_string().contains("locked") && e.to_string().contains("09:00"),
        "{e}"
    );
    // Locked: the right password does not open it for thirty minutes.
    let later = at + Duration::minutes(29);
    assert!(matches!(
        store.sign_in("amina", "reception pass", "terminal:front-1", later),
        Err(StoreError::AccountLocked { .. })
    ));
    let after = at + Duration::minutes(31);
    assert!(
        store
            .sign_in("amina", "reception pass", "terminal:front-1", after)
            .is_ok()
    );

    // A forgotten password: the administrator resets it; it must be changed at sign-in.
    store.set_password("amina", "temporary 123", true).unwrap();
    let session = store
        .sign_in("amina", "temporary 123", "terminal:front-1", after)
        .unwrap();
    assert!(session.must_change_password);

    // Every attempt is in the trail; an unknown name is recorded without the name.
    let trail = store
        .audit_trail(day("2025-07-07"), day("2025-07-07"))
        .unwrap();
    let count = |action: &str| trail.iter().filter(|e| e.action == action).count();
    assert_eq!(count("sign-in"), 3);
    assert_eq!(count("sign-in-failed"), 7);
    store
        .sign_in("nobody", "x", "terminal:front-1", after)
        .unwrap_err();
    let last = store
        .audit_trail(day("2025-07-07"), day("2025-07-07"))
        .unwrap();
    let last = last.last().unwrap();
    assert_eq!(
        (last.staff.as_str(), last.record.as_deref()),
        ("unknown", None)
    );
    // No account ever shows its hash.
    let listed = serde_json::to_string(&store.staff_accounts().unwrap()).unwrap();
    assert!(!listed.contains("argon2"), "{listed}");
}

#[test]
fn an_edited_or_deleted_audit_entry_is_found_by_verify() {
    let (dir, mut store) = open_temp();
    let db = dir.path().join("register.db");
    let at = rome("2025-07-07 10:00");
    for n in 0..6 {
        store
            .audit(
                &terminal(),
                AuditAction::Search,
                None,
                &[],
                at + Duration::minutes(n),
            )
            .unwrap();
    }
    store
        .audit(&terminal(), AuditAction::OpenCard, Some("v-1"), &[], at)
        .unwrap();
    assert_eq!(store.verify_audit().unwrap(), 7);
    let out = welcome_desk(&db, "2025-07-07T12:00:00+02:00", &["audit", "verify"]);
    assert!(out.status.success(), "{}", stderr(&out));

    let raw = rusqlite::Connection::open(&db).unwrap();
    // Edited: someone hides who opened the card.
    raw.execute("UPDATE audit SET staff = 'someone' WHERE seq = 7", [])
        .unwrap();
    let e = store.verify_audit().unwrap_err();
    assert!(e.to_string().contains("entry 7"), "{e}");
    let out = welcome_desk(&db, "2025-07-07T12:00:00+02:00", &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("broken"), "{}", stderr(&out));
    raw.execute("UPDATE audit SET staff = 'amina' WHERE seq = 7", [])
        .unwrap();
    assert!(store.verify_audit().is_ok());

    // Deleted in the middle.
    let row: (i64, String, String) = raw
        .query_row("SELECT at, action, mac FROM audit WHERE seq = 3", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    raw.execute("DELETE FROM audit WHERE seq = 3", []).unwrap();
    assert!(
        store
            .verify_audit()
            .unwrap_err()
            .to_string()
            .contains("entry 3 is missing")
    );
    raw.execute(
        "INSERT INTO audit (seq, at, staff, role, terminal, action, mac) VALUES (3, ?1, 'amina', 'reception', 'terminal:front-1', ?2, ?3)",
        rusqlite::params![row.0, row.1, row.2],
    )
    .unwrap();
    assert_eq!(store.verify_audit().unwrap(), 7);

    // Deleted at the end: the head recorded beside the register notices.
    raw.execute("DELETE FROM audit WHERE seq >= 6", []).unwrap();
    let e = store.verify_audit().unwrap_err();
    assert!(e.to_string().contains("deleted"), "{e}");
}

fn zainab() -> VisitorDetails {
    VisitorDetails {
        family_name: "Qureshi-Zaffarano".into(),
        given_name: "Zainab".into(),
        birth_date: Some(day("1990-03-15")),
        sex: Sex::F,
        country: Some("PK".into()),
        languages: vec!["ur".into()],
        sai_guest: true,
        phone: Some("+39 333 1234567".into()),
    }
}

/// Whether `needle` appears in the register file or its WAL.
fn on_disk(db: &Path, needle: &str) -> bool {
    [db.to_path_buf(), db.with_extension("db-wal")]
        .iter()
        .any(|p| {
            std::fs::read(p)
                .is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle.as_bytes()))
        })
}

#[test]
fn erasing_a_person_keeps_every_report_and_leaves_no_trace_of_the_name_in_the_file() {
    let (dir, mut store) = open_temp();
    let db = dir.path().join("register.db");
    // Two records of one person (merged), visits across a birthday and two months.
    let first = store
        .register(
            &walk_in(VisitorChoice::New(zainab()), "housing"),
            rome("2025-03-10 10:00"),
        )
        .unwrap();
    let second = store
        .register(
            &walk_in(VisitorChoice::New(zainab()), "housing"),
            rome("2025-03-20 10:00"),
        )
        .unwrap();
    store
        .merge_visitors(
            second.visitor_id,
            first.visitor_id,
            "coord",
            rome("2025-03-21 09:00"),
        )
        .unwrap();
    store
        .register(
            &walk_in(
                VisitorChoice::Existing(first.visitor_id),
                "legal-administrative",
            ),
            rome("2025-04-02 10:00"),
        )
        .unwrap();
    store
        .register(
            &new_walk_in("Hassan", "Omar", false),
            rome("2025-03-10 11:00"),
        )
        .unwrap();
    let reports = |store: &SqliteStore| {
        [
            ("2025-03-01", "2025-03-31"),
            ("2025-04-01", "2025-04-30"),
            ("2025-03-14", "2025-03-16"),
            ("2025-01-01", "2025-06-30"),
        ]
        .map(|(f, t)| welcome_desk::report::report(store, day(f), day(t)).unwrap())
    };
    let before = reports(&store);
    assert_eq!(before[0].by_age_band["25-44"], 1);
    assert_eq!(before[0].by_age_band["unknown"], 1);
    // Before the erasure the name is there to be found: the check below can fail.
    assert!(on_disk(&db, "Qureshi-Zaffarano"));
    drop(store);

    let out = welcome_desk(
        &db,
        "2025-05-01T10:00:00+02:00",
        &["erase-visitor", &second.visitor_id.to_string()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let store = SqliteStore::open(&db).unwrap();
    assert_eq!(
        reports(&store),
        before,
        "every report prints the same figures"
    );
    for text in ["Qureshi-Zaffarano", "Zainab", "333 1234567", "1990-03-15"] {
        assert!(!on_disk(&db, text), "'{text}' is still in the file");
    }
    let held = store.export_visitor(first.visitor_id).unwrap();
    assert_eq!(held.records.len(), 2);
    assert!(
        held.records
            .iter()
            .all(|r| r.visitor.details.family_name.is_empty() && r.anonymised_at.is_some())
    );
    assert_eq!(held.accesses.len(), 3, "no access is deleted");
    assert!(
        held.audit
            .iter()
            .any(|a| a.action == "erase" && a.role == "system")
    );
    // The erased person is no longer found.
    let found = store
        .search(
            "Qureshi Zaffarano",
            "Zainab",
            welcome_desk::domain::matching::BirthQuery::Unknown,
            5,
        )
        .unwrap();
    assert!(
        found.iter().all(|c| c.visitor_id != first.visitor_id),
        "{found:?}"
    );
}

#[test]
fn the_retention_purge_anonymises_old_visitors_and_past_reports_do_not_move() {
    let (dir, mut store) = open_temp();
    let db = dir.path().join("register.db");
    // Last seen in 2022: past retention on 2025-07-07. Seen again in 2025: kept.
    let old = store
        .register(
            &walk_in(VisitorChoice::New(zainab()), "housing"),
            rome("2022-05-10 10:00"),
        )
        .unwrap();
    let kept = store
        .register(
            &new_walk_in("Quispe", "Rosa", false),
            rome("2022-05-11 10:00"),
        )
        .unwrap();
    store
        .register(
            &walk_in(VisitorChoice::Existing(kept.visitor_id), "housing"),
            rome("2025-06-01 10:00"),
        )
        .unwrap();
    let range = (day("2022-01-01"), day("2025-06-30"));
    let before = welcome_desk::report::report(&store, range.0, range.1).unwrap();
    drop(store);

    let out = welcome_desk(&db, "2025-07-07T10:00:00+02:00", &["purge"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["anonymised"], 1);
    assert_eq!(summary["months"], 24);
    let store = SqliteStore::open(&db).unwrap();
    assert_eq!(
        welcome_desk::report::report(&store, range.0, range.1).unwrap(),
        before
    );
    assert!(
        store
            .visitor(old.visitor_id)
            .unwrap()
            .details
            .family_name
            .is_empty()
    );
    assert_eq!(
        store.visitor(kept.visitor_id).unwrap().details.family_name,
        "Quispe"
    );
    assert!(!on_disk(&db, "Qureshi-Zaffarano"));
    // The purge is audited under the operating-system user.
    let trail = store
        .audit_trail(day("2025-07-07"), day("2025-07-07"))
        .unwrap();
    let purge = trail
        .iter()
        .find(|e| e.action == "purge")
        .expect("a purge entry");
    assert_eq!(
        (purge.staff.as_str(), purge.role.as_str()),
        ("os:coordinator-on-duty", "system")
    );
    assert!(purge.fields.contains(&"family_name".to_string()));
    assert_eq!(store.verify_audit().unwrap(), trail.len() as i64);
}

#[test]
fn export_visitor_prints_everything_held_and_is_audited() {
    let (_dir, db) = temp_db();
    let now = "2025-07-07T10:00:00+02:00";
    let out = welcome_desk(
        &db,
        now,
        &[
            "register",
            "--family-name",
            "Rahman",
            "--given-name",
            "Sumaiya",
            "--birth-date",
            "1995-01-02",
            "--phone",
            "+39 320 0000000",
            "--service",
            "housing",
            "--format",
            "json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let registered: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = registered["visitor_id"].as_str().unwrap();
    let out = welcome_desk(&db, now, &["export-visitor", id]);
    assert!(out.status.success(), "{}", stderr(&out));
    let held: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(held["records"][0]["family_name"], "Rahman");
    assert_eq!(held["records"][0]["phone"], "+39 320 0000000");
    assert_eq!(held["accesses"][0]["tickets"][0]["ticket"], "G-001");
    assert_eq!(held["audit"][0]["action"], "create");
    // The export itself is in the trail, under the operating-system user, fields never values.
    let store = SqliteStore::open(&db).unwrap();
    let trail = store
        .audit_trail(day("2025-07-07"), day("2025-07-07"))
        .unwrap();
    let export = trail.iter().find(|e| e.action == "export").unwrap();
    assert_eq!(export.record.as_deref(), Some(id));
    let text = format!("{trail:?}");
    assert!(
        !text.contains("Rahman") && !text.contains("320 0000000"),
        "{text}"
    );
}

#[test]
fn the_command_line_manages_accounts_under_the_operating_system_user() {
    let (_dir, db) = temp_db();
    let now = "2025-07-07T10:00:00+02:00";
    let add = welcome_desk_command(&db, now)
        .args(["staff", "add", "--name", "Admin", "--role", "admin"])
        .env("USER", "coordinator-on-duty")
        .env("WELCOME_DESK_PASSWORD", "a long secret")
        .output()
        .unwrap();
    assert!(add.status.success(), "{}", stderr(&add));
    let short = Command::new(env!("CARGO_BIN_EXE_welcome-desk"))
        .arg("--db")
        .arg(&db)
        .args(["staff", "add", "--name", "Bob", "--role", "mediator"])
        .env("WELCOME_DESK_PASSWORD", "short")
        .output()
        .unwrap();
    assert_eq!(short.status.code(), Some(2));
    assert!(
        stderr(&short).contains("password: must be at least 8"),
        "{}",
        stderr(&short)
    );
    let list = welcome_desk(&db, now, &["staff", "list"]);
    let accounts: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(accounts.as_array().unwrap().len(), 1);
    assert_eq!(accounts[0]["role"], "admin");
    let store = SqliteStore::open(&db).unwrap();
    let trail = store
        .audit_trail(day("2025-07-07"), day("2025-07-07"))
        .unwrap();
    assert_eq!(trail[0].action, "staff-create");
    assert_eq!(trail[0].staff, "os:coordinator-on-duty");
}

#[test]
fn the_terminal_applies_the_retention_period_at_the_first_start_of_each_day() {
    use std::sync::Arc;
    use welcome_desk::clock::FixedClock;
    use welcome_desk::ui::app::App;
    let (dir, mut store) = open_temp();
    let path = dir.path().join("register.db");
    let old = store
        .register(
            &new_walk_in("Qureshi", "Zainab", false),
            rome("2022-05-10 10:00"),
        )
        .unwrap();
    let start = |store: &mut SqliteStore, at: &str| {
        App::new(path.clone(), Arc::new(FixedClock(rome(at)))).start_headless(store);
    };
    start(&mut store, "2025-07-07 08:30");
    assert!(
        store
            .visitor(old.visitor_id)
            .unwrap()
            .details
            .family_name
            .is_empty()
    );
    let trail = store
        .audit_trail(day("2025-07-07"), day("2025-07-07"))
        .unwrap();
    assert!(
        trail
            .iter()
            .any(|e| e.action == "purge" && e.staff == "retention")
    );

    // Another person past the period, found by a later start: not again today, tomorrow yes.
    let later = store
        .register(
            &new_walk_in("Hassan", "Omar", false),
            rome("2022-06-10 10:00"),
        )
        .unwrap();
    start(&mut store, "2025-07-07 14:00");
    assert_eq!(
        store.visitor(later.visitor_id).unwrap().details.family_name,
        "Hassan"
    );
    start(&mut store, "2025-07-08 08:30");
    assert!(
        store
            .visitor(later.visitor_id)
            .unwrap()
            .details
            .family_name
            .is_empty()
    );
}
