//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use welcome_desk::domain::hours::rome_local_to_utc;
use welcome_desk::domain::{Channel, Sex, VisitorDetails};
#[allow(unused_imports)]
use welcome_desk::store::prelude::*;
use welcome_desk::store::{Registration, SqliteStore, VisitorChoice};

/// A fresh database file in its own temporary folder (kept alive by the returned guard).
pub fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("register.db");
    (dir, path)
}

pub fn open_temp() -> (tempfile::TempDir, SqliteStore) {
    let (dir, path) = temp_db();
    let store = SqliteStore::open(&path).expect("open a new register");
    (dir, store)
}

/// An instant given as Europe/Rome local time `YYYY-MM-DD HH:MM`.
pub fn rome(local: &str) -> DateTime<Utc> {
    let t = NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").expect("test time");
    rome_local_to_utc(t).expect("existing local time")
}

pub fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

pub fn person(family: &str, given: &str, sai_guest: bool) -> VisitorDetails {
    VisitorDetails {
        family_name: family.into(),
        given_name: given.into(),
        birth_date: None,
        sex: Sex::M,
        country: Some("EG".into()),
        languages: vec!["ar".into()],
        sai_guest,
        phone: None,
    }
}

pub fn walk_in(visitor: VisitorChoice, service: &str) -> Registration {
    Registration {
        access_id: uuid::Uuid::now_v7(),
        visitor,
        channel: Channel::WalkIn,
        service: service.into(),
        priority: None,
        queue_override: None,
        appointment_at: None,
        sai_guest: false,
        staff: "test:reception".into(),
    }
}

pub fn new_walk_in(family: &str, given: &str, sai_guest: bool) -> Registration {
    walk_in(
        VisitorChoice::New(person(family, given, sai_guest)),
        "legal-administrative",
    )
}

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("data")
        .join(name)
}

/// The password of the accounts the tests sign in with.
pub const TEST_PASSWORD: &str = "test password";

/// Sign `app` in as a member of staff with `role` (the account is created if needed),
/// through the gate's own form.
pub fn sign_in(
    app: &mut welcome_desk::ui::app::App,
    store: &mut dyn welcome_desk::store::Store,
    role: welcome_desk::domain::staff::Role,
) {
    use welcome_desk::ui::app::Message;
    use welcome_desk::ui::gate;
    let name = format!("test-{}", role.code());
    match store.create_staff(&name, role, TEST_PASSWORD, false, rome("2025-01-01 08:00")) {
        Ok(()) | Err(welcome_desk::store::StoreError::Input(_)) => {}
        Err(e) => panic!("create {name}: {e}"),
    }
    // As at a start: the gate learns that accounts exist.
    app.start_headless(store);
    for m in [
        gate::Message::Name(name.clone()),
        gate::Message::Password(TEST_PASSWORD.into()),
        gate::Message::Submit,
    ] {
        app.run_headless(store, Message::Gate(m));
    }
    assert!(
        app.unlocked(),
        "{name} could not sign in: {:?}",
        app.gate.error
    );
}

/// The real binary on `db`, its clock pinned at `now` (RFC 3339), for a test to add its
/// arguments and environment to.
pub fn welcome_desk_command(db: &std::path::Path, now: &str) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_welcome-desk"));
    command.arg("--db").arg(db).env("WELCOME_DESK_NOW", now);
    command
}

/// The real binary on `db`, its clock pinned at `now` (RFC 3339), run with `args`.
pub fn welcome_desk_at(db: &std::path::Path, now: &str, args: &[&str]) -> std::process::Output {
    welcome_desk_command(db, now)
        .args(args)
        .output()
        .expect("run welcome-desk")
}

/// A process's standard error, as text.
pub fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
