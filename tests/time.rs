//! Time: the register's days are Europe/Rome days. Clocks are pinned across midnight, both
//! DST nights and a public holiday, in the store, the real binary and the terminal; and
//! nothing reads the wall clock except `clock.rs`.

mod common;

use std::path::Path;
use std::process::Output;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use common::*;
use welcome_desk::clock::Clock;
#[allow(unused_imports)]
use welcome_desk::store::prelude::*;
use welcome_desk::store::{SqliteStore, Store};
use welcome_desk::ui::app::{App, Message};

const REGISTER: [&str; 9] = [
    "register",
    "--family-name",
    "Hassan",
    "--given-name",
    "Omar",
    "--service",
    "housing",
    "--format",
    "json",
];

fn ticket(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    v["ticket"].as_str().expect("ticket").to_string()
}

fn accesses_on(db: &Path, day: &str) -> u64 {
    let out = welcome_desk_at(
        db,
        "2025-12-31T12:00:00Z",
        &["report", "--day", day, "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    v["accesses"].as_u64().expect("accesses")
}

#[test]
fn midnight_in_rome_starts_a_new_ticket_day_though_utc_has_not_turned() {
    let (_dir, db) = temp_db();
    assert_eq!(
        ticket(&welcome_desk_at(
            &db,
            "2025-07-07T23:58:00+02:00",
            &REGISTER
        )),
        "G-001"
    );
    assert_eq!(
        ticket(&welcome_desk_at(
            &db,
            "2025-07-07T23:59:59+02:00",
            &REGISTER
        )),
        "G-002"
    );
    // 00:00:01 in Rome is 22:00:01 UTC on the 7th.
    assert_eq!(
        ticket(&welcome_desk_at(&db, "2025-07-07T22:00:01Z", &REGISTER)),
        "G-001"
    );
    assert_eq!(accesses_on(&db, "2025-07-07"), 2);
    assert_eq!(accesses_on(&db, "2025-07-08"), 1);
}

#[test]
fn both_dst_nights_keep_every_access_on_its_rome_day() {
    let (_dir, db) = temp_db();
    // Fall back, 26 October 2025: 02:30 happens twice (CEST, then CET): one day, two tickets.
    assert_eq!(
        ticket(&welcome_desk_at(
            &db,
            "2025-10-26T02:30:00+02:00",
            &REGISTER
        )),
        "G-001"
    );
    assert_eq!(
        ticket(&welcome_desk_at(
            &db,
            "2025-10-26T02:30:00+01:00",
            &REGISTER
        )),
        "G-002"
    );
    assert_eq!(
        ticket(&welcome_desk_at(
            &db,
            "2025-10-26T23:59:00+01:00",
            &REGISTER
        )),
        "G-003"
    );
    assert_eq!(
        ticket(&welcome_desk_at(&db, "2025-10-26T23:00:00Z", &REGISTER)),
        "G-001"
    );
    // Spring forward, 30 March 2025: 01:59 CET is followed by 03:00 CEST.
    assert_eq!(
        ticket(&welcome_desk_at(
            &db,
            "2025-03-30T01:59:00+01:00",
            &REGISTER
        )),
        "G-001"
    );
    assert_eq!(
        ticket(&welcome_desk_at(
            &db,
            "2025-03-30T03:00:00+02:00",
            &REGISTER
        )),
        "G-002"
    );
    assert_eq!(
        ticket(&welcome_desk_at(
            &db,
            "2025-03-29T23:30:00+01:00",
            &REGISTER
        )),
        "G-001"
    );
    assert_eq!(accesses_on(&db, "2025-10-26"), 3);
    assert_eq!(accesses_on(&db, "2025-10-27"), 1);
    assert_eq!(accesses_on(&db, "2025-03-30"), 2);
    assert_eq!(accesses_on(&db, "2025-03-29"), 1);
}

#[test]
fn a_legacy_time_that_does_not_exist_in_rome_is_named() {
    let (dir, db) = temp_db();
    let csv = dir.path().join("legacy.csv");
    std::fs::write(
        &csv,
        "arrived_at,person_ref,family_name,given_name,birth_date,sex,country,sai_guest,channel,service\n\
         2025-03-30 02:30,P1,Hassan,Omar,,M,EG,no,walk-in,housing\n",
    )
    .unwrap();
    let out = welcome_desk_at(
        &db,
        "2025-07-07T10:00:00+02:00",
        &["import", "accesses", csv.to_str().unwrap()],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("line 2: arrived_at"), "{err}");
}

#[test]
fn on_a_public_holiday_a_walk_in_is_registered_with_a_warning_naming_it() {
    let (_dir, db) = temp_db();
    let out = welcome_desk_at(&db, "2025-12-25T10:00:00+01:00", &REGISTER);
    assert_eq!(ticket(&out), "G-001");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Natale"), "{err}");
    // A weekday at 10:00 warns of nothing.
    let out = welcome_desk_at(&db, "2025-12-22T10:00:00+01:00", &REGISTER);
    assert_eq!(ticket(&out), "G-001");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A clock the test moves forward.
struct TestClock(Mutex<DateTime<Utc>>);

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("clock")
    }
}

#[test]
fn the_terminal_turns_the_day_at_rome_midnight_and_names_the_holiday() {
    let (_dir, path) = temp_db();
    let mut store = SqliteStore::open(&path).unwrap();
    store
        .register(
            &new_walk_in("Quispe", "Rosa", false),
            rome("2025-12-24 23:30"),
        )
        .unwrap();
    let clock = Arc::new(TestClock(Mutex::new(rome("2025-12-24 23:59"))));
    let mut app = App::new(path, clock.clone());
    app.start_headless(&mut store);
    sign_in(
        &mut app,
        &mut store,
        welcome_desk::domain::staff::Role::Reception,
    );
    assert_eq!(app.today.day, day("2025-12-24"));
    assert_eq!(app.today.tickets.len(), 1);

    // The minute tick after midnight: a new day, nobody waiting, the holiday named.
    *clock.0.lock().unwrap() = rome("2025-12-25 00:00");
    app.run_headless(&mut store, Message::Tick);
    assert_eq!(app.today.day, day("2025-12-25"));
    assert!(app.today.tickets.is_empty());
    let view = app.view(iced::window::Id::unique());
    let mut ui = iced_test::simulator(view);
    assert!(
        ui.find("Festivo (Natale). Fuori orario di accesso libero: registrare solo appuntamenti")
            .is_ok(),
        "the holiday warning is on screen"
    );
}

#[test]
fn nothing_reads_the_wall_clock_but_clock_rs() {
    let forbidden = [
        "Utc::now",
        "Local::now",
        "Local::today",
        "SystemTime::now",
        "UNIX_EPOCH",
    ];
    let mut offenders = Vec::new();
    let mut folders = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("src/clock.rs")
            {
                let text = std::fs::read_to_string(&path).unwrap();
                for (n, line) in text.lines().enumerate() {
                    if forbidden.iter().any(|f| line.contains(f)) {
                        offenders.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                    }
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "wall clock read outside clock.rs:\n{}",
        offenders.join("\n")
    );
}
