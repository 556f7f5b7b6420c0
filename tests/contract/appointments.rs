//! Appointments, for a store that takes bookings: a slot holds as many people as the agenda
//! says, a cancel frees a place, a check-in issues one ticket, the sweep marks no-shows.

use chrono::{Duration, NaiveDateTime};
use uuid::Uuid;
use welcome_desk::domain::agenda::Agenda;
use welcome_desk::domain::appointment::{
    Appointment, AppointmentState, BookedVia, NewPerson, Person,
};
use welcome_desk::domain::staff::Role;
use welcome_desk::domain::{Channel, Queue, Ticket};
use welcome_desk::service;
use welcome_desk::store::{BookingOrder, Principal, Store, StoreError, VisitorChoice};

use super::BookingEngine;
use crate::common::*;

const SERVICE: &str = "housing";
/// Thursday 4 December 2025, a working day; bookings are taken the Monday before.
const SLOT: &str = "2025-12-04 10:30";
const BOOKED_ON: &str = "2025-12-01 10:30";

fn local(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("test time")
}

fn someone(family: &str) -> Person {
    Person::New(
        NewPerson::new(family, "Amina", None, "+39 333 1234567", day("2025-12-01")).expect("valid"),
    )
}

/// `n` written in letters (A, B, ... Z, BA, BB...): names take no digits.
fn letters(mut n: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(char::from(b'A' + (n % 26) as u8));
        n /= 26;
        if n == 0 {
            break;
        }
    }
    out.iter().rev().collect()
}

fn order(person: Person, at: &str) -> BookingOrder {
    BookingOrder {
        person,
        service: SERVICE.into(),
        local: local(at),
        booked_via: BookedVia::ContactCenter,
    }
}

fn book(store: &mut dyn Store, person: Person, at: &str) -> Appointment {
    store
        .book_appointment(&order(person, at), "contact-center", rome(BOOKED_ON))
        .expect("bookable")
}

pub fn a_full_slot_is_refused_and_a_cancel_frees_it(engine: &dyn BookingEngine) {
    let mut reg = engine.fresh_with_appointments();
    let mut other = reg.another();
    let store = &mut *reg.store;
    let places = Agenda::new(SERVICE).places_per_slot;
    assert!(places > 0, "the default agenda takes bookings");
    let booked: Vec<Appointment> = (0..places)
        .map(|i| book(store, someone(&format!("Rahman {}", letters(i))), SLOT))
        .collect();
    for a in &booked {
        assert_eq!(a.state, AppointmentState::Booked);
        assert_eq!(a.start, rome(SLOT));
        assert_eq!(a.service, SERVICE);
        assert_eq!(a.booked_via, BookedVia::ContactCenter);
        // The other terminal reads the same booking.
        assert_eq!(other.appointment(a.code).unwrap(), *a);
    }
    let free = |store: &dyn Store| {
        store
            .free_slots(SERVICE, day("2025-12-04"), 40, rome(BOOKED_ON))
            .unwrap()
            .into_iter()
            .map(|f| f.slot.local)
            .collect::<Vec<_>>()
    };
    assert!(!free(&*store).contains(&local(SLOT)), "the slot is full");

    // From the other terminal too, the slot is full.
    let refused = other.book_appointment(
        &order(someone("Mansour"), SLOT),
        "contact-center",
        rome(BOOKED_ON),
    );
    assert!(
        matches!(refused, Err(StoreError::BookingRefused(_))),
        "{refused:?}"
    );
    assert_eq!(
        store.appointments_of_day(day("2025-12-04")).unwrap().len(),
        booked.len(),
        "the refusal stored nothing"
    );

    let cancelled = store
        .cancel_appointment(booked[0].code, "contact-center", rome("2025-12-02 09:00"))
        .unwrap();
    assert_eq!(cancelled.state, AppointmentState::Cancelled);
    assert!(free(&*other).contains(&local(SLOT)), "a place again");
    let second = book(&mut *other, someone("Mansour"), SLOT);
    assert_ne!(second.code, booked[0].code);
    let e = store
        .cancel_appointment(booked[0].code, "contact-center", rome("2025-12-02 09:01"))
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Appointment(_)),
        "cancelled twice: {e}"
    );
    let states: Vec<AppointmentState> = store
        .appointments_of_day(day("2025-12-04"))
        .unwrap()
        .into_iter()
        .map(|a| a.state)
        .collect();
    let mut expected = vec![AppointmentState::Booked; booked.len()];
    expected.push(AppointmentState::Cancelled);
    let mut sorted = states.clone();
    sorted.sort_by_key(|s| s.code());
    expected.sort_by_key(|s| s.code());
    assert_eq!(sorted, expected, "{states:?}");
}

pub fn a_check_in_issues_an_appointment_ticket_once(engine: &dyn BookingEngine) {
    let mut reg = engine.fresh_with_appointments();
    let store = &mut *reg.store;
    let d = day("2025-12-04");
    let new = book(store, someone("Rahman"), SLOT);
    let earlier = store
        .register(
            &walk_in(VisitorChoice::New(person("Quispe", "Ana", false)), SERVICE),
            rome("2025-11-20 10:00"),
        )
        .unwrap();
    let on_file = book(
        store,
        Person::OnFile {
            visitor_id: earlier.visitor_id,
        },
        "2025-12-04 11:00",
    );
    // A walk-in already has the day's first general ticket.
    let walk = store
        .register(
            &new_walk_in("Diallo", "Mamadou", false),
            rome("2025-12-04 09:00"),
        )
        .unwrap();

    let checked = store
        .check_in_appointment(new.code, "Amina", rome("2025-12-04 10:20"))
        .unwrap();
    assert!(!checked.late);
    assert!(checked.registered.first_time);
    assert_eq!(checked.appointment.state, AppointmentState::CheckedIn);
    assert_eq!(
        checked.registered.ticket,
        Ticket {
            queue: Queue::General,
            number: walk.ticket.number + 1
        }
    );
    let visitor = store.visitor(checked.registered.visitor_id).unwrap();
    assert_eq!(visitor.details.family_name, "Rahman");
    let view = store
        .tickets_of_day(d)
        .unwrap()
        .into_iter()
        .find(|t| t.ticket == checked.registered.ticket)
        .unwrap();
    assert_eq!(view.channel, Channel::Appointment);
    assert_eq!(view.appointment_at, Some(rome(SLOT)));
    let held = store.export_visitor(checked.registered.visitor_id).unwrap();
    assert_eq!(held.accesses.len(), 1);
    assert_eq!(held.accesses[0].channel, Channel::Appointment);
    assert_eq!(held.accesses[0].staff, "Amina");

    // Once only: a second check-in is refused and issues no ticket.
    let tickets = store.tickets_of_day(d).unwrap().len();
    let again = store.check_in_appointment(new.code, "Amina", rome("2025-12-04 10:25"));
    assert!(
        matches!(again, Err(StoreError::CheckInRefused(_))),
        "{again:?}"
    );
    assert_eq!(store.tickets_of_day(d).unwrap().len(), tickets);

    // Someone on file, too late to keep the slot's place: a walk-in, on their own record.
    let allowance = Duration::minutes(i64::from(Agenda::new(SERVICE).lateness_minutes));
    let past_allowance = on_file.start + allowance + Duration::minutes(1);
    let late = store
        .check_in_appointment(on_file.code, "Amina", past_allowance)
        .unwrap();
    assert!(late.late);
    assert!(!late.registered.first_time);
    assert_eq!(late.registered.visitor_id, earlier.visitor_id);
    let view = store
        .tickets_of_day(d)
        .unwrap()
        .into_iter()
        .find(|t| t.ticket == late.registered.ticket)
        .unwrap();
    assert_eq!(view.channel, Channel::WalkIn);
    assert_eq!(view.appointment_at, None);
}

pub fn the_sweep_marks_no_shows_once(engine: &dyn BookingEngine) {
    let mut reg = engine.fresh_with_appointments();
    let store = &mut *reg.store;
    let d = day("2025-12-04");
    let came = book(store, someone("Rahman"), "2025-12-04 10:30");
    let missed = book(store, someone("Mansour"), "2025-12-04 11:00");
    let cancelled = book(store, someone("Quispe"), "2025-12-04 11:30");
    store
        .cancel_appointment(cancelled.code, "contact-center", rome("2025-12-02 09:00"))
        .unwrap();
    store
        .check_in_appointment(came.code, "Amina", rome("2025-12-04 10:25"))
        .unwrap();
    assert!(
        store
            .sweep_no_shows(d, rome("2025-12-04 12:00"))
            .unwrap()
            .is_empty(),
        "not before the doors close"
    );
    let swept = store.sweep_no_shows(d, rome("2025-12-05 08:00")).unwrap();
    let swept: Vec<_> = swept.into_iter().map(|a| (a.code, a.state)).collect();
    assert_eq!(swept, [(missed.code, AppointmentState::NoShow)]);
    assert!(
        store
            .sweep_no_shows(d, rome("2025-12-05 08:01"))
            .unwrap()
            .is_empty(),
        "once"
    );
    let mut states: Vec<_> = store
        .appointments_of_day(d)
        .unwrap()
        .into_iter()
        .map(|a| (a.code, a.state))
        .collect();
    states.sort_by_key(|(code, _)| code.value());
    let mut expected = vec![
        (came.code, AppointmentState::CheckedIn),
        (missed.code, AppointmentState::NoShow),
        (cancelled.code, AppointmentState::Cancelled),
    ];
    expected.sort_by_key(|(code, _)| code.value());
    assert_eq!(states, expected);
    // A no-show cannot be checked in afterwards.
    let e = store
        .check_in_appointment(missed.code, "Amina", rome("2025-12-05 09:00"))
        .unwrap_err();
    assert!(e.is_bad_input(), "{e}");
}

/// A service's own agenda (issue 14: slot length, places, hours per weekday, lateness) is
/// what booking, free slots and check-in follow on every terminal; a bad one is refused
/// naming the agenda, and only an administrator sets it.
pub fn a_services_agenda_shapes_its_slots(engine: &dyn BookingEngine) {
    use welcome_desk::domain::agenda::{DayHours, parse_week};
    use welcome_desk::domain::staff::Role;
    use welcome_desk::service::appointments::{service_agenda as agenda, set_agenda};
    use welcome_desk::store::Principal;

    let as_role = |role: Role| Principal {
        staff: "Giulia".into(),
        role,
        terminal: "terminal:office".into(),
    };
    let mut reg = engine.fresh_with_appointments();
    let mut other = reg.another();
    let store = &mut *reg.store;
    let now = rome(BOOKED_ON);

    let mut wanted = agenda(store, &as_role(Role::Booking), SERVICE).unwrap();
    assert_eq!(wanted, Agenda::new(SERVICE), "no setting: the defaults");
    wanted.slot_minutes = 20;
    wanted.places_per_slot = 2;
    wanted.lateness_minutes = 10;
    wanted.weekly = parse_week("wed=14:00-17:00,thu=closed", wanted.weekly).unwrap();

    // Not the back office's to change, nor a wrong one anyone's: nothing changes.
    let refused = set_agenda(store, &as_role(Role::Booking), &wanted, now);
    assert!(
        matches!(refused, Err(StoreError::Forbidden { .. })),
        "{refused:?}"
    );
    let mut bad = wanted.clone();
    bad.slot_minutes = 3;
    let e = set_agenda(store, &as_role(Role::Admin), &bad, now).unwrap_err();
    assert!(
        e.to_string().contains("agenda") && e.to_string().contains("3 min"),
        "{e}"
    );
    assert_eq!(
        agenda(store, &as_role(Role::Admin), SERVICE).unwrap(),
        Agenda::new(SERVICE)
    );

    set_agenda(store, &as_role(Role::Admin), &wanted, now).unwrap();
    assert_eq!(
        agenda(&mut *other, &as_role(Role::Reception), SERVICE).unwrap(),
        wanted
    );
    assert_eq!(
        wanted.weekly[2],
        DayHours::Hours {
            from: chrono::NaiveTime::from_hms_opt(14, 0, 0).unwrap(),
            to: chrono::NaiveTime::from_hms_opt(17, 0, 0).unwrap()
        }
    );

    // Wednesday: the afternoon only, every 20 minutes, two places each (seen from the other PC).
    let wednesday: Vec<(NaiveDateTime, u32)> = other
        .free_slots(SERVICE, day("2025-12-03"), 100, now)
        .unwrap()
        .into_iter()
        .filter(|f| f.slot.local.date() == day("2025-12-03"))
        .map(|f| (f.slot.local, f.free_places))
        .collect();
    let expected: Vec<(NaiveDateTime, u32)> = (0..9)
        .map(|i| (local("2025-12-03 14:00") + Duration::minutes(20 * i), 2))
        .collect();
    assert_eq!(wednesday, expected);

    // Thursday closed for appointments; Wednesday 14:20 takes two people, not three.
    let thursday = store.book_appointment(&order(someone("Rahman"), SLOT), "contact-center", now);
    assert!(
        matches!(thursday, Err(StoreError::BookingRefused(_))),
        "{thursday:?}"
    );
    let first = book(store, someone("Rahman"), "2025-12-03 14:20");
    book(&mut *other, someone("Hossain"), "2025-12-03 14:20");
    let third = store.book_appointment(
        &order(someone("Mansour"), "2025-12-03 14:20"),
        "contact-center",
        now,
    );
    assert!(
        matches!(third, Err(StoreError::BookingRefused(_))),
        "{third:?}"
    );
    // Not on the old half-hour grid either.
    let off_grid = store.book_appointment(
        &order(someone("Mansour"), "2025-12-03 14:30"),
        "contact-center",
        now,
    );
    assert!(
        matches!(off_grid, Err(StoreError::BookingRefused(_))),
        "{off_grid:?}"
    );

    // Eleven minutes late is past this agenda's ten: served as a walk-in.
    let late = store
        .check_in_appointment(first.code, "Amina", rome("2025-12-03 14:31"))
        .unwrap();
    assert!(late.late);
}

/// A person's export (the right of access) shows their bookings, every state, with the
/// accesses: the bookings are personal data too.
pub fn a_persons_export_lists_their_bookings(engine: &dyn BookingEngine) {
    let mut reg = engine.fresh_with_appointments();
    let store = &mut *reg.store;
    let on_file = store
        .register(
            &walk_in(VisitorChoice::New(person("Quispe", "Ana", false)), SERVICE),
            rome("2025-11-20 10:00"),
        )
        .unwrap();
    let me = Person::OnFile {
        visitor_id: on_file.visitor_id,
    };
    let kept = book(store, me.clone(), "2025-12-04 11:00");
    let dropped = book(store, me, "2025-12-05 09:00");
    store
        .cancel_appointment(dropped.code, "contact-center", rome("2025-12-02 09:00"))
        .unwrap();
    // Someone else's booking is not theirs.
    book(store, someone("Rahman"), SLOT);

    let held = store.export_visitor(on_file.visitor_id).unwrap();
    let listed: Vec<(String, AppointmentState)> = held
        .appointments
        .iter()
        .map(|a| (a.code.to_string(), a.state))
        .collect();
    assert_eq!(
        listed,
        vec![
            (kept.code.to_string(), AppointmentState::Booked),
            (dropped.code.to_string(), AppointmentState::Cancelled),
        ]
    );
    assert_eq!(held.accesses.len(), 1);
}

/// A check-in sent again with its access id (the reply to the first send was lost on the
/// way back) is given the ticket already issued: no second ticket, access or `create`
/// entry, on the same connection or another. Another id meets a booking checked in and is
/// refused, as before.
pub fn a_check_in_sent_again_gets_the_ticket_already_issued(engine: &dyn BookingEngine) {
    let mut reg = engine.fresh_with_appointments();
    let mut other_pc = reg.another();
    let store = &mut *reg.store;
    let amina = Principal {
        staff: "Amina".into(),
        role: Role::Reception,
        terminal: "terminal:front-1".into(),
    };
    let d = day("2025-12-04");
    let booked = book(store, someone("Rahman"), SLOT);
    let access_id = Uuid::now_v7();
    let first = service::appointments::check_in(
        store,
        &amina,
        booked.code,
        access_id,
        rome("2025-12-04 10:20"),
    )
    .unwrap();
    assert_eq!(first.registered.access_id, access_id, "the sender's id");

    let retry = service::appointments::check_in(
        store,
        &amina,
        booked.code,
        access_id,
        rome("2025-12-04 10:21"),
    )
    .unwrap();
    assert_eq!(retry.registered, first.registered);
    assert_eq!(retry.late, first.late);
    assert_eq!(retry.appointment.state, AppointmentState::CheckedIn);
    let elsewhere = service::appointments::check_in(
        &mut *other_pc,
        &amina,
        booked.code,
        access_id,
        rome("2025-12-04 10:22"),
    )
    .unwrap();
    assert_eq!(elsewhere.registered, first.registered);

    let tickets = store.tickets_of_day(d).unwrap();
    assert_eq!(tickets.len(), 1, "{tickets:?}");
    assert_eq!(tickets[0].access_id, access_id);
    let held = store.export_visitor(first.registered.visitor_id).unwrap();
    assert_eq!(held.accesses.len(), 1, "one access");
    let creates = store
        .audit_trail(d, d)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "create")
        .count();
    assert_eq!(creates, 1, "one entry for one check-in");

    // Another attempt (another id) at a booking checked in: refused, nothing issued.
    let another = service::appointments::check_in(
        store,
        &amina,
        booked.code,
        Uuid::now_v7(),
        rome("2025-12-04 10:23"),
    );
    assert!(
        matches!(another, Err(StoreError::CheckInRefused(_))),
        "{another:?}"
    );
    // An id another arrival holds would hand over that arrival's ticket: refused.
    let walk = store
        .register(
            &new_walk_in("Diallo", "Mamadou", false),
            rome("2025-12-04 09:00"),
        )
        .unwrap();
    let second = book(store, someone("Mansour"), "2025-12-04 11:00");
    let taken = service::appointments::check_in(
        store,
        &amina,
        second.code,
        walk.access_id,
        rome("2025-12-04 10:50"),
    );
    assert!(
        matches!(&taken, Err(StoreError::Input(e)) if e.field == "access_id"),
        "{taken:?}"
    );
    assert_eq!(
        store.appointment(second.code).unwrap().state,
        AppointmentState::Booked
    );
    assert_eq!(store.tickets_of_day(d).unwrap().len(), 2);
}
