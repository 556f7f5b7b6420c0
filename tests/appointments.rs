//! Appointments (issue 14) on real register files: the store, and the command line as real
//! processes.

mod common;

use std::path::Path;
use std::process::Output;

use chrono::NaiveDateTime;
use common::*;
use welcome_desk::domain::Channel;
use welcome_desk::domain::appointment::{
    AppointmentState, BookedVia, BookingCode, NewPerson, Person,
};
use welcome_desk::domain::matching::BirthQuery;
use welcome_desk::domain::staff::{Permission, Role};
use welcome_desk::service;
#[allow(unused_imports)]
use welcome_desk::store::prelude::*;
use welcome_desk::store::{
    Appointments, BookingOrder, Principal, SqliteStore, Store, StoreError, VisitorChoice,
};

/// Monday 1 December 2025, mid-morning: bookings are for the Thursday after.
const MONDAY: &str = "2025-12-01T10:30:00+01:00";

fn local(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("test time")
}

fn new_person(family: &str, given: &str) -> Person {
    Person::New(
        NewPerson::new(family, given, None, "+39 333 1234567", day("2025-12-01")).expect("valid"),
    )
}

fn order(person: Person, at: &str) -> BookingOrder {
    BookingOrder {
        person,
        service: "housing".into(),
        local: local(at),
        booked_via: BookedVia::ContactCenter,
    }
}

fn book(
    store: &mut SqliteStore,
    person: Person,
    at: &str,
) -> welcome_desk::domain::appointment::Appointment {
    store
        .book_appointment(
            &order(person, at),
            "test:contact-center",
            rome("2025-12-01 10:30"),
        )
        .expect("bookable")
}

fn cli(db: &Path, now: &str, args: &[&str]) -> Output {
    welcome_desk_command(db, now)
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
        stderr(out)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON value on stdout")
}

fn cli_book(db: &Path, now: &str, family: &str, at: &str) -> Output {
    cli(
        db,
        now,
        &[
            "appointment",
            "book",
            "--family-name",
            family,
            "--given-name",
            "Amina",
            "--service",
            "housing",
            "--at",
            at,
            "--via",
            "contact-center",
            "--format",
            "json",
        ],
    )
}

/// The channel of the only access of a visitor, as the register holds it.
fn channel_of(store: &SqliteStore, visitor: uuid::Uuid) -> Channel {
    let held = store.export_visitor(visitor).expect("on file");
    assert_eq!(held.accesses.len(), 1);
    held.accesses[0].channel
}

#[test]
fn appointment_checked_in_on_time_gets_an_appointment_ticket() {
    let (_dir, mut store) = open_temp();
    let booked = book(
        &mut store,
        new_person("Rahman", "Hasina"),
        "2025-12-04 10:30",
    );
    assert_eq!(booked.state, AppointmentState::Booked);
    assert_eq!(booked.start, rome("2025-12-04 10:30"));

    let checked = store
        .check_in_appointment(booked.code, "test:reception", rome("2025-12-04 10:20"))
        .expect("on the day");
    assert!(!checked.late);
    assert!(checked.registered.first_time);
    assert_eq!(checked.appointment.state, AppointmentState::CheckedIn);
    assert_eq!(
        channel_of(&store, checked.registered.visitor_id),
        Channel::Appointment
    );
    let visitor = store
        .visitor(checked.registered.visitor_id)
        .expect("new visitor");
    assert_eq!(visitor.details.family_name, "Rahman");
    let of_day = store.appointments_of_day(day("2025-12-04")).expect("read");
    assert_eq!(of_day.len(), 1);
    assert_eq!(of_day[0].state, AppointmentState::CheckedIn);

    // Checked in once: a second check-in is refused, and issues no ticket.
    let again = store.check_in_appointment(booked.code, "test:reception", rome("2025-12-04 10:25"));
    assert!(
        matches!(again, Err(StoreError::CheckInRefused(_))),
        "{again:?}"
    );
    assert_eq!(
        store.tickets_of_day(day("2025-12-04")).expect("read").len(),
        1
    );
}

#[test]
fn appointment_late_arrival_is_a_walk_in_for_a_visitor_on_file() {
    let (_dir, mut store) = open_temp();
    let earlier = store
        .register(
            &walk_in(
                VisitorChoice::New(person("Quispe", "Ana", false)),
                "housing",
            ),
            rome("2025-11-20 10:00"),
        )
        .expect("registered");
    let on_file = Person::OnFile {
        visitor_id: earlier.visitor_id,
    };
    let booked = book(&mut store, on_file, "2025-12-04 10:30");
    let checked = store
        .check_in_appointment(booked.code, "test:reception", rome("2025-12-04 11:01"))
        .expect("on the day");
    assert!(checked.late);
    assert!(!checked.registered.first_time);
    assert_eq!(checked.registered.visitor_id, earlier.visitor_id);
    let held = store.export_visitor(earlier.visitor_id).expect("on file");
    let last = held
        .accesses
        .iter()
        .max_by_key(|a| a.arrived_at)
        .expect("two");
    assert_eq!(last.channel, Channel::WalkIn);
}

#[test]
fn appointment_cancel_frees_the_place() {
    let (_dir, mut store) = open_temp();
    let first = book(
        &mut store,
        new_person("Rahman", "Hasina"),
        "2025-12-04 10:30",
    );
    let refused = store.book_appointment(
        &order(new_person("Mansour", "Fatma"), "2025-12-04 10:30"),
        "test:contact-center",
        rome("2025-12-01 10:30"),
    );
    match refused {
        Err(e @ StoreError::BookingRefused(_)) => {
            assert_eq!(e.to_string(), "the 10:30 slot is full; next free: 11:00");
            assert!(e.is_bad_input());
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let cancelled = store
        .cancel_appointment(first.code, "test:contact-center", rome("2025-12-02 09:00"))
        .expect("booked");
    assert_eq!(cancelled.state, AppointmentState::Cancelled);
    let second = book(
        &mut store,
        new_person("Mansour", "Fatma"),
        "2025-12-04 10:30",
    );
    assert_ne!(second.code, first.code);
    // Cancelled once: a second cancel says so.
    assert!(matches!(
        store.cancel_appointment(first.code, "test:contact-center", rome("2025-12-02 09:01")),
        Err(StoreError::Appointment(_))
    ));
    let free = store
        .free_slots("housing", day("2025-12-04"), 1, rome("2025-12-01 10:30"))
        .expect("read");
    assert_eq!(free[0].slot.local, local("2025-12-04 09:00"));
}

#[test]
fn appointment_sweep_marks_no_shows_once() {
    let (_dir, mut store) = open_temp();
    let came = book(
        &mut store,
        new_person("Rahman", "Hasina"),
        "2025-12-04 10:30",
    );
    let missed = book(
        &mut store,
        new_person("Mansour", "Fatma"),
        "2025-12-04 11:00",
    );
    let cancelled = book(&mut store, new_person("Quispe", "Ana"), "2025-12-04 11:30");
    store
        .cancel_appointment(cancelled.code, "test", rome("2025-12-02 09:00"))
        .expect("booked");
    store
        .check_in_appointment(came.code, "test:reception", rome("2025-12-04 10:25"))
        .expect("on the day");
    // Before the doors close, nobody is a no-show yet.
    assert!(
        store
            .sweep_no_shows(day("2025-12-04"), rome("2025-12-04 12:00"))
            .expect("sweep")
            .is_empty()
    );
    let swept = store
        .sweep_no_shows(day("2025-12-04"), rome("2025-12-05 08:00"))
        .expect("sweep");
    assert_eq!(swept.len(), 1);
    assert_eq!(swept[0].code, missed.code);
    assert_eq!(swept[0].state, AppointmentState::NoShow);
    assert!(
        store
            .sweep_no_shows(day("2025-12-04"), rome("2025-12-05 08:01"))
            .expect("sweep again")
            .is_empty()
    );
    let states: Vec<(BookingCode, AppointmentState)> = store
        .appointments_of_day(day("2025-12-04"))
        .expect("read")
        .into_iter()
        .map(|a| (a.code, a.state))
        .collect();
    assert_eq!(
        states,
        vec![
            (came.code, AppointmentState::CheckedIn),
            (missed.code, AppointmentState::NoShow),
            (cancelled.code, AppointmentState::Cancelled),
        ]
    );
}

#[test]
fn appointment_cli_books_and_checks_in() {
    let (_dir, db) = temp_db();
    let booked = json(&cli_book(&db, MONDAY, "Rahman", "2025-12-04 10:30"));
    assert_eq!(booked["at"], "2025-12-04 10:30");
    assert_eq!(booked["service"], "housing");
    assert_eq!(booked["visitor_id"], "");
    let code = booked["booking"].as_str().expect("a code").to_string();
    assert!(BookingCode::parse(&code).is_ok(), "{code}");

    let late = json(&cli(
        &db,
        "2025-12-04T11:15:00+01:00",
        &["appointment", "check-in", &code, "--format", "json"],
    ));
    assert_eq!(late["late"], true);
    assert_eq!(late["first_time"], true);
    assert_eq!(late["queue"], "general");
    for key in ["ticket", "visitor_id", "access_id"] {
        assert!(late[key].is_string(), "{key}: {late}");
    }

    let on_time = json(&cli_book(&db, MONDAY, "Mansour", "2025-12-04 11:00"));
    let on_time_code = on_time["booking"].as_str().expect("a code");
    let checked = json(&cli(
        &db,
        "2025-12-04T10:55:00+01:00",
        &["appointment", "check-in", on_time_code, "--format", "json"],
    ));
    assert_eq!(checked["late"], false);

    let listed = json(&cli(
        &db,
        MONDAY,
        &[
            "appointment",
            "list",
            "--day",
            "2025-12-04",
            "--format",
            "json",
        ],
    ));
    assert_eq!(listed.as_array().map(Vec::len), Some(2));
    assert_eq!(listed[0]["state"], "checked-in");

    let verify = cli(&db, MONDAY, &["audit", "verify"]);
    assert!(verify.status.success(), "{}", stderr(&verify));
}

#[test]
fn appointment_cli_refusals_exit_2_with_the_reason() {
    let (_dir, db) = temp_db();
    json(&cli_book(&db, MONDAY, "Rahman", "2025-12-04 10:30"));
    let full = cli_book(&db, MONDAY, "Mansour", "2025-12-04 10:30");
    assert_eq!(full.status.code(), Some(2), "{}", stderr(&full));
    assert!(
        stderr(&full).contains("the 10:30 slot is full; next free: 11:00"),
        "{}",
        stderr(&full)
    );
    assert!(full.stdout.is_empty());

    let closed = cli_book(&db, MONDAY, "Mansour", "2025-12-07 10:00");
    assert_eq!(closed.status.code(), Some(2));
    assert!(
        stderr(&closed).contains("no appointments on 2025-12-07: public holiday (Sant'Ambrogio)"),
        "{}",
        stderr(&closed)
    );

    let past = cli_book(&db, MONDAY, "Mansour", "2025-12-01 10:00");
    assert_eq!(past.status.code(), Some(2));
    assert!(
        stderr(&past).contains("10:00 on 2025-12-01 is in the past"),
        "{}",
        stderr(&past)
    );

    let unknown = cli(&db, MONDAY, &["appointment", "cancel", "A-7K3F"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("no booking A-7K3F"),
        "{}",
        stderr(&unknown)
    );

    let cancel_twice = |expected: i32| {
        let listed = json(&cli(
            &db,
            MONDAY,
            &[
                "appointment",
                "list",
                "--day",
                "2025-12-04",
                "--format",
                "json",
            ],
        ));
        let code = listed[0]["booking"].as_str().expect("a code").to_string();
        let out = cli(&db, MONDAY, &["appointment", "cancel", &code]);
        assert_eq!(out.status.code(), Some(expected), "{}", stderr(&out));
    };
    cancel_twice(0);
    cancel_twice(2);
    // The place is free again.
    json(&cli_book(&db, MONDAY, "Mansour", "2025-12-04 10:30"));
}

/// Eight processes book the one place of a slot at the same moment: the write lock lets one
/// through, and the seven others see the slot full.
#[test]
fn appointment_eight_processes_race_for_one_place() {
    let (_dir, db) = temp_db();
    // Created and migrated once, so that the race is about the booking, not the schema.
    drop(SqliteStore::open(&db).expect("a new register"));
    let children: Vec<_> = (0..8)
        .map(|i| {
            welcome_desk_command(&db, MONDAY)
                .args([
                    "appointment",
                    "book",
                    "--family-name",
                    &format!("Person{}", ["A", "B", "C", "D", "E", "F", "G", "H"][i]),
                    "--given-name",
                    "Amina",
                    "--service",
                    "housing",
                    "--at",
                    "2025-12-04 10:30",
                    "--format",
                    "json",
                ])
                .env_remove("WELCOME_DESK_DB")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("start welcome-desk")
        })
        .collect();
    let outs: Vec<Output> = children
        .into_iter()
        .map(|c| c.wait_with_output().expect("finish"))
        .collect();
    let won: Vec<&Output> = outs.iter().filter(|o| o.status.success()).collect();
    assert_eq!(
        won.len(),
        1,
        "{:?}",
        outs.iter().map(stderr).collect::<Vec<_>>()
    );
    for lost in outs.iter().filter(|o| !o.status.success()) {
        assert_eq!(lost.status.code(), Some(2), "{}", stderr(lost));
        assert!(
            stderr(lost).contains("the 10:30 slot is full; next free: 11:00"),
            "{}",
            stderr(lost)
        );
    }
    let store = SqliteStore::open(&db).expect("open");
    let held = store.appointments_of_day(day("2025-12-04")).expect("read");
    assert_eq!(held.len(), 1);
}

/// A booking holds a person's names only while they are not on file: at check-in the names go
/// to the visitor record (which erasure and the retention purge reach), and the names of
/// people who never came go with the purge.
#[test]
fn a_bookings_names_live_where_erasure_and_the_purge_reach_them() {
    let (_dir, path) = temp_db();
    let mut store = SqliteStore::open(&path).unwrap();
    let came = book(
        &mut store,
        new_person("Qorbani", "Zarifa"),
        "2025-12-04 10:30",
    );
    let never = book(
        &mut store,
        new_person("Tesfamariam", "Yodit"),
        "2025-12-04 11:00",
    );
    store
        .check_in_appointment(came.code, "test:reception", rome("2025-12-04 10:25"))
        .expect("checked in");
    drop(store);
    let raw = rusqlite::Connection::open(&path).unwrap();
    let names_of = |code: u32| -> (Option<String>, Option<String>) {
        raw.query_row(
            "SELECT family_name, phone FROM appointment WHERE code = ?1",
            [code],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
    };
    assert_eq!(
        names_of(came.code.value()),
        (None, None),
        "checked in: the booking keeps the link, not a copy of the names"
    );
    assert_eq!(
        names_of(never.code.value()).0.as_deref(),
        Some("Tesfamariam")
    );

    // Years later, the retention purge: the booking of the person who never came loses them.
    let mut store = SqliteStore::open(&path).unwrap();
    store
        .purge(rome("2028-01-01 00:00"), rome("2028-01-02 10:00"))
        .expect("purged");
    assert_eq!(names_of(never.code.value()), (Some(String::new()), None));
    let on_file: i64 = raw
        .query_row(
            "SELECT count(*) FROM appointment WHERE family_name LIKE '%Tesfamariam%' \
             OR family_name LIKE '%Qorbani%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(on_file, 0);
}

fn principal(role: Role) -> Principal {
    Principal {
        staff: format!("test:{role}"),
        role,
        terminal: "terminal:test".into(),
    }
}

fn forbidden<T: std::fmt::Debug>(what: &str, result: Result<T, StoreError>) {
    match result {
        Err(StoreError::Forbidden {
            role: Role::Booking,
            ..
        }) => {}
        other => panic!("{what}: expected booking to be refused, got {other:?}"),
    }
}

/// The contact center's account works the agenda, where the jobs run (the service layer),
/// and reaches nothing of a person's history: no search, no card, no reports, no export,
/// no ticket.
#[test]
fn the_booking_role_has_the_agenda_and_nothing_else() {
    let (_dir, mut store) = open_temp();
    let now = rome("2025-12-01 10:30");
    let on_file = store
        .register(
            &new_walk_in("Mansour", "Fatma", false),
            rome("2025-12-01 10:00"),
        )
        .expect("registered");
    let booking = principal(Role::Booking);
    let today = day("2025-12-01");

    forbidden(
        "search",
        service::reception::search(
            &mut store,
            &booking,
            "Mansour",
            "Fatma",
            BirthQuery::Unknown,
            10,
            now,
        ),
    );
    forbidden(
        "register",
        service::reception::register(
            &mut store,
            &booking,
            &new_walk_in("Rahman", "Hasina", false),
            now,
        ),
    );
    forbidden(
        "open card",
        service::desk::open_card(&mut store, &booking, on_file.access_id, now),
    );
    forbidden(
        "report",
        service::records::report(&mut store, &booking, today, today, now),
    );
    forbidden(
        "export a report",
        service::records::exported(&mut store, &booking, "report", Permission::Reports, now),
    );
    forbidden(
        "export a visitor",
        service::records::export_visitor(&mut store, &booking, on_file.visitor_id, now),
    );

    // The agenda: free slots, book, the day's list, cancel.
    let free = service::appointments::free(&mut store, &booking, "housing", today, 3, now)
        .expect("free slots");
    assert_eq!(free.len(), 3);
    let booked = service::appointments::book(
        &mut store,
        &booking,
        &order(new_person("Rahman", "Hasina"), "2025-12-04 10:30"),
        now,
    )
    .expect("booked");
    let listed =
        service::appointments::list(&mut store, &booking, day("2025-12-04"), now).expect("listed");
    assert_eq!(listed.len(), 1);

    // Checking in issues a ticket and the sweep closes bookings: reception's work.
    let on_the_day = rome("2025-12-04 10:25");
    forbidden(
        "check in",
        service::appointments::check_in(
            &mut store,
            &booking,
            booked.code,
            uuid::Uuid::now_v7(),
            on_the_day,
        ),
    );
    forbidden(
        "sweep",
        service::appointments::sweep(&mut store, &booking, day("2025-12-04"), on_the_day),
    );
    service::appointments::cancel(&mut store, &booking, booked.code, now).expect("cancelled");

    // Reception books and checks in; a mediator does neither.
    let reception = principal(Role::Reception);
    let again = service::appointments::book(
        &mut store,
        &reception,
        &order(new_person("Rahman", "Hasina"), "2025-12-04 10:30"),
        now,
    )
    .expect("reception books");
    service::appointments::check_in(
        &mut store,
        &reception,
        again.code,
        uuid::Uuid::now_v7(),
        on_the_day,
    )
    .expect("reception checks in");
    let mediator = principal(Role::Mediator);
    assert!(matches!(
        service::appointments::free(&mut store, &mediator, "housing", today, 3, now),
        Err(StoreError::Forbidden { .. })
    ));

    // What booking did is on the trail under its role; what it was refused left nothing.
    let trail = store.audit_trail(today, day("2025-12-04")).expect("trail");
    let by_booking: Vec<&str> = trail
        .iter()
        .filter(|e| e.role == "booking")
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(by_booking, ["create", "search", "update"], "{trail:?}");
}

/// An administrator creates a contact-center account from the command line; the account's
/// role is stored and listed as `booking`.
#[test]
fn staff_add_takes_the_booking_role() {
    let (_dir, db) = temp_db();
    let add = welcome_desk_command(&db, MONDAY)
        .args(["staff", "add", "--name", "Giulia", "--role", "booking"])
        .env("WELCOME_DESK_PASSWORD", TEST_PASSWORD)
        .env_remove("WELCOME_DESK_DB")
        .output()
        .expect("run welcome-desk");
    assert!(add.status.success(), "{}", stderr(&add));
    assert!(stderr(&add).contains("(booking)"), "{}", stderr(&add));
    let store = SqliteStore::open(&db).expect("open");
    let accounts = store.staff_accounts().expect("accounts");
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].role, Role::Booking);

    let wrong = cli(
        &db,
        MONDAY,
        &[
            "staff",
            "add",
            "--name",
            "Paolo",
            "--role",
            "contact-center",
        ],
    );
    assert_eq!(wrong.status.code(), Some(2), "{}", stderr(&wrong));
    assert!(
        stderr(&wrong).contains("admin or booking"),
        "{}",
        stderr(&wrong)
    );
}

/// A reschedule cancels the booking and books the new slot for the same person, linked, with
/// a new code; the old slot's place is free again. Moving within the same day is not "a
/// second booking that day".
#[test]
fn reschedule_moves_the_booking_and_links_it() {
    let (_dir, mut store) = open_temp();
    let old = book(
        &mut store,
        new_person("Rahman", "Hasina"),
        "2025-12-04 10:30",
    );
    let moved = store
        .reschedule_appointment(
            old.code,
            local("2025-12-04 11:30"),
            "test:contact-center",
            rome("2025-12-02 09:00"),
        )
        .expect("moved");
    assert_eq!(moved.cancelled.code, old.code);
    assert_eq!(moved.cancelled.state, AppointmentState::Cancelled);
    assert_ne!(moved.booked.code, old.code);
    assert_eq!(moved.booked.rescheduled_from, Some(old.id));
    assert_eq!(moved.booked.person, old.person);
    assert_eq!(moved.booked.service, old.service);
    assert_eq!(moved.booked.booked_via, BookedVia::ContactCenter);
    assert_eq!(moved.booked.start, rome("2025-12-04 11:30"));

    // As stored: the old one cancelled, the new one booked and linked.
    let stored_old = store.appointment(old.code).expect("kept");
    assert_eq!(stored_old.state, AppointmentState::Cancelled);
    let stored_new = store.appointment(moved.booked.code).expect("stored");
    assert_eq!(stored_new, moved.booked);
    // The 10:30 place is free again.
    book(
        &mut store,
        new_person("Mansour", "Fatma"),
        "2025-12-04 10:30",
    );

    // The cancelled booking cannot move again, and the new one cannot "move" onto itself.
    assert!(matches!(
        store.reschedule_appointment(
            old.code,
            local("2025-12-05 09:00"),
            "test",
            rome("2025-12-02 09:01")
        ),
        Err(StoreError::Appointment(_))
    ));
    let same = store.reschedule_appointment(
        moved.booked.code,
        local("2025-12-04 11:30"),
        "test",
        rome("2025-12-02 09:01"),
    );
    assert!(
        matches!(&same, Err(StoreError::Input(e)) if e.field == "at"),
        "{same:?}"
    );
}

/// The new slot is full: the move is refused with the agenda's reason and the booking stays
/// exactly as it was, in its slot, with its code.
#[test]
fn reschedule_to_a_full_slot_leaves_the_booking_untouched() {
    let (_dir, mut store) = open_temp();
    let mine = book(
        &mut store,
        new_person("Rahman", "Hasina"),
        "2025-12-04 10:30",
    );
    book(
        &mut store,
        new_person("Mansour", "Fatma"),
        "2025-12-04 11:30",
    );
    let before = store.appointments_of_day(day("2025-12-04")).expect("read");
    let refused = store.reschedule_appointment(
        mine.code,
        local("2025-12-04 11:30"),
        "test:contact-center",
        rome("2025-12-02 09:00"),
    );
    match refused {
        Err(e @ StoreError::BookingRefused(_)) => {
            assert_eq!(e.to_string(), "the 11:30 slot is full; next free: 12:00");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(
        store.appointments_of_day(day("2025-12-04")).expect("read"),
        before
    );
    assert_eq!(
        store.appointment(mine.code).expect("kept").state,
        AppointmentState::Booked
    );
}

#[test]
fn reschedule_on_the_command_line() {
    let (_dir, db) = temp_db();
    let booked = json(&cli_book(&db, MONDAY, "Rahman", "2025-12-04 10:30"));
    let code = booked["booking"].as_str().expect("a code").to_string();
    let moved = json(&cli(
        &db,
        MONDAY,
        &[
            "appointment",
            "reschedule",
            &code,
            "--at",
            "2025-12-05 09:30",
            "--format",
            "json",
        ],
    ));
    assert_eq!(moved["at"], "2025-12-05 09:30");
    assert_eq!(moved["service"], "housing");
    assert_eq!(moved["rescheduled_from"], code.as_str());
    let new_code = moved["booking"].as_str().expect("a code");
    assert_ne!(new_code, code);
    assert!(BookingCode::parse(new_code).is_ok(), "{new_code}");

    // A closed day: exit 2 with the reason, and the booking is still where it was.
    let closed = cli(
        &db,
        MONDAY,
        &[
            "appointment",
            "reschedule",
            new_code,
            "--at",
            "2025-12-08 10:00",
        ],
    );
    assert_eq!(closed.status.code(), Some(2), "{}", stderr(&closed));
    assert!(
        stderr(&closed).contains("no appointments on 2025-12-08"),
        "{}",
        stderr(&closed)
    );
    let listed = json(&cli(
        &db,
        MONDAY,
        &[
            "appointment",
            "list",
            "--day",
            "2025-12-05",
            "--format",
            "json",
        ],
    ));
    assert_eq!(listed[0]["booking"], new_code);
    assert_eq!(listed[0]["state"], "booked");
    let verify = cli(&db, MONDAY, &["audit", "verify"]);
    assert!(verify.status.success(), "{}", stderr(&verify));
}

fn import_file(db: &Path, now: &str, file: &Path) -> Output {
    cli(
        db,
        now,
        &[
            "appointment",
            "import",
            file.to_str().expect("a UTF-8 path"),
            "--format",
            "json",
        ],
    )
}

/// The contact center's export as Excel in Italian saves it (BOM, `;`, CRLF, quotes, dates
/// as DD/MM/YYYY): every row booked; the same file again books nobody, even after one
/// booking was cancelled and another checked in (its names then live on the visitor).
#[test]
fn import_books_the_export_once() {
    let (_dir, db) = temp_db();
    let file = fixture("appointments_contact_center_it.csv");
    let first = json(&import_file(&db, MONDAY, &file));
    assert_eq!(first["rows"], 4);
    assert_eq!(first["already_present"], 0);
    let booked = first["booked"].as_array().expect("a list");
    let slots: Vec<(&str, &str, &str)> = booked
        .iter()
        .map(|b| {
            (
                b["at"].as_str().unwrap_or(""),
                b["service"].as_str().unwrap_or(""),
                b["booked_via"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        slots,
        [
            ("2025-12-04 09:00", "housing", "contact-center"),
            ("2025-12-04 09:30", "family-reunification", "email"),
            ("2025-12-04 10:00", "legal-administrative", "contact-center"),
            ("2025-12-05 09:00", "housing", "contact-center"),
        ]
    );
    assert_eq!(booked[1]["family_name"], "El Sayed");
    assert_eq!(booked[3]["family_name"], "D'Angelo");

    let again = json(&import_file(&db, MONDAY, &file));
    assert_eq!(again["already_present"], 4);
    assert_eq!(again["booked"].as_array().map(Vec::len), Some(0));

    // One cancelled, one checked in on the day: still on file, in any state.
    let code = |i: usize| booked[i]["booking"].as_str().expect("a code").to_string();
    let cancel = cli(&db, MONDAY, &["appointment", "cancel", &code(3)]);
    assert!(cancel.status.success(), "{}", stderr(&cancel));
    let on_the_day = "2025-12-04T08:55:00+01:00";
    let checked = cli(&db, on_the_day, &["appointment", "check-in", &code(0)]);
    assert!(checked.status.success(), "{}", stderr(&checked));
    let later = json(&import_file(&db, on_the_day, &file));
    assert_eq!(later["already_present"], 4, "{later}");

    let store = SqliteStore::open(&db).expect("open");
    let held = store
        .appointments_of_day(day("2025-12-04"))
        .expect("read")
        .len()
        + store
            .appointments_of_day(day("2025-12-05"))
            .expect("read")
            .len();
    assert_eq!(held, 4);
    let verify = cli(&db, MONDAY, &["audit", "verify"]);
    assert!(verify.status.success(), "{}", stderr(&verify));
}

/// All or nothing: a row the agenda refuses (its slot taken by a booking already on file)
/// stops the import with its line and field, and none of the rows before it is kept; a
/// malformed field is refused before the register is opened.
#[test]
fn import_refuses_the_whole_file_at_its_first_bad_row() {
    let (dir, db) = temp_db();
    json(&cli_book(&db, MONDAY, "Ali", "2025-12-04 10:30"));
    let header = "at;family_name;given_name;birth_date;phone;service;via";
    let write = |name: &str, rows: &[&str]| {
        let path = dir.path().join(name);
        let text = format!("{header}\r\n{}\r\n", rows.join("\r\n"));
        std::fs::write(&path, text).expect("write the file");
        path
    };
    let full = write(
        "full.csv",
        &[
            "04/12/2025 09:00;Rahman;Hasina;;;housing;",
            "04/12/2025 10:30;Mansour;Fatma;;;housing;",
        ],
    );
    let out = import_file(&db, MONDAY, &full);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("line 3: at: the 10:30 slot is full; next free: 11:00"),
        "{}",
        stderr(&out)
    );
    let closed = write("closed.csv", &["08/12/2025 10:00;Rahman;Hasina;;;housing;"]);
    let out = import_file(&db, MONDAY, &closed);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("line 2: at: no appointments on 2025-12-08"),
        "{}",
        stderr(&out)
    );
    let malformed = write(
        "malformed.csv",
        &[
            "04/12/2025 09:00;Rahman;Hasina;;;housing;",
            "04/12/2025 09:30;Quispe;Ana;;;haircut;",
        ],
    );
    let out = import_file(&db, MONDAY, &malformed);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("line 3: service:"),
        "{}",
        stderr(&out)
    );

    // Only the booking made before is there.
    let store = SqliteStore::open(&db).expect("open");
    let held = store.appointments_of_day(day("2025-12-04")).expect("read");
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].start, rome("2025-12-04 10:30"));
}

/// The report's appointment figures against a count by hand. Monday 1 to Friday 5 December:
/// three walk-ins; on Thursday A comes on time, B comes late (checked in, but queued and
/// counted as a walk-in), C never comes (swept), D is cancelled, E is moved to Friday (E
/// cancelled, its new booking still to come); a booking of Tuesday 9 is outside the range.
#[test]
fn the_report_counts_appointments_as_counted_by_hand() {
    let (dir, mut store) = open_temp();
    for name in ["Ali", "Omar", "Karim"] {
        store
            .register(&new_walk_in(name, "Test", false), rome("2025-12-01 09:30"))
            .expect("registered");
    }
    let a = book(
        &mut store,
        new_person("Rahman", "Hasina"),
        "2025-12-04 10:30",
    );
    let b = book(
        &mut store,
        new_person("Mansour", "Fatma"),
        "2025-12-04 11:00",
    );
    book(&mut store, new_person("Quispe", "Ana"), "2025-12-04 11:30");
    let d = book(&mut store, new_person("Flores", "Rosa"), "2025-12-04 12:00");
    let e = book(
        &mut store,
        new_person("Hossain", "Nasrin"),
        "2025-12-04 12:30",
    );
    book(&mut store, new_person("Islam", "Ruma"), "2025-12-09 09:00");
    let staff = "test:contact-center";
    store
        .cancel_appointment(d.code, staff, rome("2025-12-02 09:00"))
        .expect("cancelled");
    store
        .reschedule_appointment(
            e.code,
            local("2025-12-05 09:00"),
            staff,
            rome("2025-12-02 09:05"),
        )
        .expect("moved");
    store
        .check_in_appointment(a.code, "test:reception", rome("2025-12-04 10:25"))
        .expect("on time");
    let late = store
        .check_in_appointment(b.code, "test:reception", rome("2025-12-04 11:45"))
        .expect("late");
    assert!(late.late);
    store
        .sweep_no_shows(day("2025-12-04"), rome("2025-12-04 18:00"))
        .expect("swept");
    drop(store);

    let db = dir.path().join("register.db");
    let report = json(&cli(
        &db,
        "2025-12-05T08:00:00+01:00",
        &[
            "report",
            "--from",
            "2025-12-01",
            "--to",
            "2025-12-05",
            "--format",
            "json",
        ],
    ));
    assert_eq!(report["accesses"], 5);
    assert_eq!(report["by_channel"]["walk-in"], 4);
    assert_eq!(report["by_channel"]["appointment"], 1);
    let figures = &report["appointments"];
    assert_eq!(figures["booked"], 6, "{figures}");
    assert_eq!(figures["checked_in"], 2);
    assert_eq!(figures["no_show"], 1);
    assert_eq!(figures["cancelled"], 2);
    assert_eq!(figures["open"], 1);
    let share = figures["no_show_share"].as_f64().expect("a number");
    assert!((share - 1.0 / 3.0).abs() < 1e-9, "{share}");

    let text = cli(
        &db,
        "2025-12-05T08:00:00+01:00",
        &[
            "report",
            "--from",
            "2025-12-01",
            "--to",
            "2025-12-05",
            "--format",
            "text",
        ],
    );
    assert!(text.status.success(), "{}", stderr(&text));
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("Accessi su appuntamento: 1 (20,0%); prenotazioni 6: presentati 2, assenti 1 (33,3%), annullate 2, ancora in agenda 1"),
        "{text}"
    );
}

#[test]
fn a_services_agenda_is_set_and_shown_on_the_command_line() {
    let (_dir, db) = temp_db();
    let shown = cli(
        &db,
        MONDAY,
        &["appointment", "agenda", "--service", "housing"],
    );
    assert!(shown.status.success(), "{}", stderr(&shown));
    let text = String::from_utf8_lossy(&shown.stdout);
    assert!(text.contains("housing: 30 min slots, 1 per slot"), "{text}");
    assert!(text.contains("wed  walk-in hours"), "{text}");

    let set = json(&cli(
        &db,
        MONDAY,
        &[
            "appointment",
            "agenda",
            "--service",
            "housing",
            "--slot-minutes",
            "20",
            "--places",
            "2",
            "--hours",
            "wed=14:00-17:00,sat=closed",
            "--format",
            "json",
        ],
    ));
    assert_eq!(set["slot_minutes"], 20);
    assert_eq!(set["places_per_slot"], 2);
    assert_eq!(set["weekly"][2]["from"], "14:00:00");
    assert_eq!(set["weekly"][5]["kind"], "closed");

    // The next command books on it: Wednesday's first slot is 14:00, two places.
    let free = json(&cli(
        &db,
        MONDAY,
        &[
            "appointment",
            "free",
            "--service",
            "housing",
            "--from",
            "2025-12-03",
            "--count",
            "1",
            "--format",
            "json",
        ],
    ));
    assert_eq!(free[0]["at"], "2025-12-03 14:00");
    assert_eq!(free[0]["free_places"], 2);

    // A wrong day name or slot length: exit 2 naming what is wrong; the agenda stays.
    for (args, says) in [
        (
            vec!["--hours", "wen=closed"],
            "'wen=closed' is not a day's appointment hours",
        ),
        (vec!["--slot-minutes", "600"], "slot length 600 min"),
    ] {
        let mut all = vec!["appointment", "agenda", "--service", "housing"];
        all.extend(args);
        let out = cli(&db, MONDAY, &all);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(stderr(&out).contains(says), "{}", stderr(&out));
    }
    let kept = cli(
        &db,
        MONDAY,
        &["appointment", "agenda", "--service", "housing"],
    );
    assert!(String::from_utf8_lossy(&kept.stdout).contains("20 min slots, 2 per slot"));
}
