//! The appointments screen by keyboard alone (issue 14, items 3 and 4): real key events
//! through a real iced interface that keeps its focus between keys, the app's own steps, a
//! real SQLite file. A phone booking, a check-in in two keys, a late arrival, and the
//! `booking` role that sees the agenda and nothing else.

mod common;
// Not every helper of the keyboard harness is used here.
#[allow(dead_code)]
#[path = "common/keys.rs"]
mod keys;

use std::sync::Arc;

use common::*;
use iced::Size;
use iced::keyboard::key::Named;
use iced_test::{selector, simulator};
use keys::Keyboard;
use welcome_desk::clock::FixedClock;
use welcome_desk::domain::Channel;
use welcome_desk::domain::appointment::{
    AppointmentState, BookedVia, ConfirmationLanguage, NewPerson, Person,
};
use welcome_desk::domain::staff::Role;
#[allow(unused_imports)]
use welcome_desk::store::prelude::*;
use welcome_desk::store::{BookingOrder, SqliteStore, Store, VisitorChoice};
use welcome_desk::ui::app::{App, Message, Screen};

/// Monday 7 July 2025, 10:00 in Rome: walk-in and appointment hours.
const NOW: &str = "2025-07-07 10:00";
const SMALL: Size = Size::new(1024.0, 600.0);

fn signed_in(path: &std::path::Path, role: Role) -> Keyboard {
    let mut store = SqliteStore::open(path).unwrap();
    let mut app = App::new(path.to_path_buf(), Arc::new(FixedClock(rome(NOW))));
    sign_in(&mut app, &mut store, role);
    Keyboard::new(app, store, SMALL)
}

/// A booking for someone new, made by the contact center a week before.
fn booked(store: &mut SqliteStore, family: &str, given: &str, at: &str) -> String {
    let order = BookingOrder {
        person: Person::New(NewPerson {
            family_name: family.into(),
            given_name: given.into(),
            birth_date: None,
            phone: None,
        }),
        service: "housing".into(),
        local: chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M").unwrap(),
        booked_via: BookedVia::ContactCenter,
    };
    store
        .book_appointment(&order, "test:contact-center", rome("2025-06-30 09:00"))
        .expect("bookable")
        .code
        .to_string()
}

/// Whether the main window shows exactly `content` somewhere.
fn shows(app: &App, content: &str) -> bool {
    simulator(app.view(iced::window::Id::unique()))
        .find(content)
        .is_ok()
}

/// Whether the main window shows the widget `id`.
fn shows_id(app: &App, id: &'static str) -> bool {
    simulator(app.view(iced::window::Id::unique()))
        .find(selector::id(id))
        .is_ok()
}

#[test]
fn a_phone_booking_by_keyboard_is_stored_and_its_confirmation_copied_in_arabic() {
    let (_dir, path) = temp_db();
    let mut kb = signed_in(&path, Role::Reception);
    assert_eq!(
        kb.app.screens(),
        vec![Screen::Reception, Screen::Appointments]
    );

    kb.ctrl("2");
    assert_eq!(kb.app.screen, Screen::Appointments);
    assert!(kb.has_focus("agenda-filter"), "{:?}", kb.focused());
    kb.press(Named::F3);
    assert!(kb.has_focus("book-service"), "F3: the booking half");

    // Enter with nothing chosen: the error names the field, in the staff's language.
    kb.press(Named::Enter);
    let state = kb.app.appointments().unwrap();
    assert_eq!(
        state.error.as_deref(),
        Some("Servizio richiesto: scegliere dall'elenco")
    );
    assert_eq!(state.error_field, Some("service"));

    kb.type_text("ca");
    let state = kb.app.appointments().unwrap();
    assert_eq!(state.service.as_deref(), Some("housing"));
    assert_eq!(state.error, None, "choosing the service clears its error");
    assert!(
        state.slots.len() >= 2,
        "the next free slots: {:?}",
        state.slots
    );
    let second = state.slots[1].slot.local;
    assert_eq!(
        state.slot,
        Some(state.slots[0].slot.local),
        "the first free slot is proposed"
    );
    kb.press(Named::Tab);
    assert!(kb.has_focus("book-slot"));
    kb.press(Named::ArrowDown);
    assert_eq!(kb.app.appointments().unwrap().slot, Some(second));
    kb.press(Named::Tab);
    assert!(kb.has_focus("book-family-name"));
    kb.type_text("Rahman");
    kb.press(Named::Tab);
    kb.type_text("Hasina");
    kb.press(Named::Enter);

    let state = kb.app.appointments().unwrap();
    assert_eq!(state.error, None);
    let confirmed = state.confirmation.clone().expect("a confirmation");
    let stored = kb.store.appointment(confirmed.code).unwrap();
    assert_eq!(stored.state, AppointmentState::Booked);
    assert_eq!(stored.service, "housing");
    assert_eq!(stored.booked_via, BookedVia::Desk, "booked at the desk");
    assert_eq!(
        stored
            .start
            .with_timezone(&welcome_desk::domain::hours::ROME)
            .naive_local(),
        second
    );
    match &stored.person {
        Person::New(p) => assert_eq!(
            (p.family_name.as_str(), p.given_name.as_str()),
            ("Rahman", "Hasina")
        ),
        other => panic!("someone new, not {other:?}"),
    }
    let italian = state.confirmation_text().unwrap();
    let code = stored.code.to_string();
    assert!(italian.contains(&code), "{italian}");
    assert!(italian.contains("via Sammartini 75, Milano"), "{italian}");
    assert!(
        italian.contains(&second.format("%d/%m/%Y").to_string()),
        "{italian}"
    );
    assert!(
        italian.contains(&second.format("%H:%M").to_string()),
        "{italian}"
    );
    assert!(italian.contains("Casa e alloggio"), "{italian}");
    assert!(shows_id(&kb.app, "copy-confirmation"));

    // Booked: the keyboard is on the confirmation's language. Its code's first letter, then
    // Tab and Enter on Copy: the text on the clipboard.
    assert!(kb.has_focus("confirmation-language"), "{:?}", kb.focused());
    kb.type_text("a");
    assert_eq!(
        kb.app.appointments().unwrap().confirmation_lang,
        ConfirmationLanguage::Ar
    );
    kb.press(Named::Tab);
    assert!(kb.has_focus("copy-confirmation"));
    kb.press(Named::Enter);
    let copied = kb.app.clipboard.clone().expect("copied");
    assert!(copied.contains("رمز الحجز"), "{copied}");
    assert!(copied.contains(&code), "{copied}");
    assert!(copied.contains("Sammartini 75"), "{copied}");
}

#[test]
fn a_booked_person_is_checked_in_with_two_keys_from_reception() {
    let (_dir, path) = temp_db();
    let mut store = SqliteStore::open(&path).unwrap();
    booked(&mut store, "Diallo", "Mamadou", "2025-07-07 11:30");
    let code = booked(&mut store, "Rahman", "Hasina", "2025-07-07 10:30");
    drop(store);
    let mut kb = signed_in(&path, Role::Reception);
    assert_eq!(kb.app.screen, Screen::Reception);
    // Reception sees who is due within the hour, and only them.
    let due = &kb.app.reception().unwrap().due;
    assert_eq!(due.len(), 2, "today's open bookings");
    assert!(shows(&kb.app, code.as_str()), "due at 10:30: listed");
    assert!(shows(&kb.app, "Rahman Hasina"));
    assert!(
        !shows(&kb.app, "Diallo Mamadou"),
        "11:30 is beyond the hour"
    );

    kb.keys = 0;
    kb.press(Named::F2);
    assert_eq!(kb.app.screen, Screen::Appointments);
    assert!(kb.has_focus("agenda-filter"));
    kb.press(Named::Enter);
    assert_eq!(kb.keys, 2, "F2, Enter");

    let state = kb.app.appointments().unwrap();
    assert_eq!(state.error, None);
    let notice = state.notice.clone().expect("what the check-in came to");
    assert_eq!(notice.ticket.as_deref(), Some("G-001"));
    assert!(
        notice.text.contains("in coda come appuntamento"),
        "{}",
        notice.text
    );
    let a = kb.store.appointment(code.parse().unwrap()).unwrap();
    assert_eq!(a.state, AppointmentState::CheckedIn);
    let tickets = kb.store.tickets_of_day(day("2025-07-07")).unwrap();
    assert_eq!(tickets.len(), 1);
    assert_eq!(tickets[0].channel, Channel::Appointment);
    assert_eq!(tickets[0].appointment_at, Some(rome("2025-07-07 10:30")));
    assert_eq!(
        kb.app.reception().unwrap().due.len(),
        1,
        "checked in: no longer due"
    );
}

#[test]
fn a_code_typed_into_the_filter_and_enter_check_that_booking_in() {
    let (_dir, path) = temp_db();
    let mut store = SqliteStore::open(&path).unwrap();
    booked(&mut store, "Rahman", "Hasina", "2025-07-07 10:30");
    let code = booked(&mut store, "Diallo", "Mamadou", "2025-07-07 11:30");
    drop(store);
    let mut kb = signed_in(&path, Role::Reception);
    kb.press(Named::F2);
    kb.type_text(&code.to_lowercase().replace('-', ""));
    assert_eq!(kb.app.appointments().unwrap().visible().len(), 1);
    kb.press(Named::Enter);
    let a = kb.store.appointment(code.parse().unwrap()).unwrap();
    assert_eq!(a.state, AppointmentState::CheckedIn);
    // And by name, in any order of the words: the other one.
    kb.type_text("hasina rah");
    assert_eq!(kb.app.appointments().unwrap().visible().len(), 1);
}

#[test]
fn a_late_arrival_is_checked_in_as_a_walk_in_and_the_screen_says_so() {
    let (_dir, path) = temp_db();
    let mut store = SqliteStore::open(&path).unwrap();
    let code = booked(&mut store, "Okafor", "Ngozi", "2025-07-07 09:00");
    drop(store);
    let mut kb = signed_in(&path, Role::Reception);
    kb.press(Named::F2);
    kb.press(Named::Enter);
    let notice = kb
        .app
        .appointments()
        .unwrap()
        .notice
        .clone()
        .expect("a notice");
    assert!(notice.text.starts_with(&code), "{}", notice.text);
    assert!(
        notice
            .text
            .ends_with("Arrivo oltre la tolleranza: servito come accesso spontaneo"),
        "{}",
        notice.text
    );
    assert_eq!(notice.ticket.as_deref(), Some("G-001"));
    let tickets = kb.store.tickets_of_day(day("2025-07-07")).unwrap();
    assert_eq!(tickets[0].channel, Channel::WalkIn, "60 minutes late");
}

#[test]
fn the_booking_role_has_the_agenda_only_and_books_someone_on_file_by_code_and_names() {
    let (_dir, path) = temp_db();
    let mut store = SqliteStore::open(&path).unwrap();
    let on_file = store
        .register(
            &walk_in(
                VisitorChoice::New(person("Hossain", "Md Rahim", false)),
                "housing",
            ),
            rome("2025-06-02 10:00"),
        )
        .unwrap();
    let code = booked(&mut store, "Rahman", "Hasina", "2025-07-07 10:30");
    drop(store);
    let mut kb = signed_in(&path, Role::Booking);
    assert_eq!(kb.app.screens(), vec![Screen::Appointments]);
    assert_eq!(kb.app.screen, Screen::Appointments);
    assert!(kb.has_focus("agenda-filter"));
    for id in [
        "tab-reception",
        "tab-desk",
        "tab-tally",
        "tab-records",
        "tab-staff",
        "family-name",
        "check-in",
    ] {
        assert!(!shows_id(&kb.app, id), "{id} is not for the booking role");
    }
    assert!(shows_id(&kb.app, "tab-appointments"));
    for n in ["1", "2", "3", "4", "5"] {
        kb.ctrl(n);
        assert_eq!(kb.app.screen, Screen::Appointments);
    }
    for screen in [
        Screen::Reception,
        Screen::Desk,
        Screen::Tally,
        Screen::Records,
        Screen::Staff,
    ] {
        kb.app.run_headless(&mut kb.store, Message::Show(screen));
        assert_eq!(kb.app.screen, Screen::Appointments, "{screen:?}");
    }
    // The day's agenda, with names; F2 and Enter check nobody in: that is reception's.
    assert!(shows(&kb.app, "Rahman Hasina"));
    assert!(shows(&kb.app, code.as_str()));
    kb.press(Named::F2);
    kb.press(Named::Enter);
    assert_eq!(
        kb.store.appointment(code.parse().unwrap()).unwrap().state,
        AppointmentState::Booked
    );
    assert!(
        kb.store
            .tickets_of_day(day("2025-07-07"))
            .unwrap()
            .is_empty()
    );

    // Someone on file by the code of their card and their names: names that do not agree
    // are refused, naming the field; the right names book that record.
    kb.press(Named::F3);
    kb.type_text("ca");
    kb.press(Named::Tab);
    kb.press(Named::Tab);
    kb.type_text("Hossain");
    kb.press(Named::Tab);
    kb.type_text("Rahim");
    let mut tabs = 0;
    while !kb.has_focus("book-visitor-code") {
        kb.press(Named::Tab);
        tabs += 1;
        assert!(tabs < 6, "Tab reaches the visitor code");
    }
    kb.type_text(&on_file.visitor_code);
    kb.press(Named::Enter);
    assert_eq!(
        kb.app.appointments().unwrap().error.as_deref(),
        Some(
            "Codice visitatore (se già registrato): il codice e i nomi non corrispondono a nessun visitatore"
        )
    );
    assert_eq!(
        kb.app.appointments().unwrap().error_field,
        Some("visitor_code")
    );
    assert!(kb.app.appointments().unwrap().confirmation.is_none());
    assert!(
        !shows(&kb.app, "Md Rahim") && !shows(&kb.app, "Hossain Md Rahim"),
        "a code never tells the names on file"
    );
    for _ in 0..40 {
        kb.shift_tab();
        if kb.has_focus("book-given-name") {
            break;
        }
    }
    assert!(kb.has_focus("book-given-name"));
    kb.type_text(" Md");
    kb.press(Named::Enter);
    let state = kb.app.appointments().unwrap();
    assert_eq!(state.error, None);
    let booked = state.confirmation.clone().expect("booked");
    assert_eq!(
        kb.store.appointment(booked.code).unwrap().person,
        Person::OnFile {
            visitor_id: on_file.visitor_id
        }
    );
    assert_eq!(booked.booked_via, BookedVia::ContactCenter);
    // Nothing of the person's history is on the screen: no candidates, no card, no accesses.
    assert!(state.candidates.is_empty());
    assert!(
        !shows(&kb.app, on_file.visitor_code.as_str()),
        "no visitor code on the screen once booked"
    );
}

#[test]
fn the_booking_role_is_refused_reception_work_sent_around_the_screen() {
    use welcome_desk::store::Principal;
    use welcome_desk::ui::app::{Job, perform};
    use welcome_desk::ui::appointments::Action;
    let (dir, path) = temp_db();
    let mut store = SqliteStore::open(&path).unwrap();
    let code = booked(&mut store, "Rahman", "Hasina", "2025-07-07 10:30");
    let booking = Principal {
        staff: "test-booking".into(),
        role: Role::Booking,
        terminal: "terminal:test".into(),
    };
    let exports = dir.path().join("exports");
    let check_in = perform(
        &mut store,
        Job::Appointments(Action::CheckIn {
            code: code.parse().unwrap(),
            access_id: uuid::Uuid::now_v7(),
        }),
        Some(&booking),
        rome(NOW),
        &exports,
    );
    assert!(
        matches!(&check_in, Message::Failed(m) if m.starts_with("booking accounts may not")),
        "{check_in:?}"
    );
    let search = perform(
        &mut store,
        Job::Appointments(Action::Search(welcome_desk::ui::reception::SearchRequest {
            generation: 1,
            family_name: "Rahman".into(),
            given_name: "Hasina".into(),
            birth: welcome_desk::domain::matching::BirthQuery::Unknown,
        })),
        Some(&booking),
        rome(NOW),
        &exports,
    );
    assert!(matches!(&search, Message::Failed(_)), "{search:?}");
    // What the role is for goes through.
    let agenda = perform(
        &mut store,
        Job::Appointments(Action::Load(day("2025-07-07"))),
        Some(&booking),
        rome(NOW),
        &exports,
    );
    assert!(
        matches!(&agenda, Message::AppointmentsDone(Ok(welcome_desk::ui::appointments::Done::Agenda(_, e))) if e.len() == 1),
        "{agenda:?}"
    );
}

#[test]
fn reception_books_a_returning_visitor_found_by_name_with_the_arrows_and_enter() {
    let (_dir, path) = temp_db();
    let mut store = SqliteStore::open(&path).unwrap();
    let on_file = store
        .register(
            &walk_in(
                VisitorChoice::New(person("Hossain", "Md Rahim", false)),
                "housing",
            ),
            rome("2025-06-02 10:00"),
        )
        .unwrap();
    drop(store);
    let mut kb = signed_in(&path, Role::Reception);
    kb.ctrl("2");
    kb.press(Named::F3);
    kb.type_text("so");
    kb.press(Named::Tab);
    kb.press(Named::Tab);
    kb.type_text("Hussain");
    kb.press(Named::Tab);
    kb.type_text("Md Rahim");
    let state = kb.app.appointments().unwrap();
    assert_eq!(
        state.candidates.len(),
        1,
        "found while typing, spelt another way"
    );
    kb.press(Named::ArrowDown);
    assert_eq!(kb.app.appointments().unwrap().candidate, Some(0));
    kb.press(Named::Enter);
    assert_eq!(
        kb.app
            .appointments()
            .unwrap()
            .picked
            .as_ref()
            .map(|c| c.visitor_id),
        Some(on_file.visitor_id),
        "Enter confirms the highlighted person"
    );
    assert!(
        kb.app.appointments().unwrap().confirmation.is_none(),
        "not booked yet"
    );
    kb.press(Named::Enter);
    let booked = kb
        .app
        .appointments()
        .unwrap()
        .confirmation
        .clone()
        .expect("booked");
    assert_eq!(
        kb.store.appointment(booked.code).unwrap().person,
        Person::OnFile {
            visitor_id: on_file.visitor_id
        }
    );
    assert_eq!(booked.service, "social-support");
}

#[test]
fn a_booking_is_moved_with_f6_and_cancelled_with_f8_pressed_twice() {
    let (_dir, path) = temp_db();
    let mut store = SqliteStore::open(&path).unwrap();
    let first = booked(&mut store, "Rahman", "Hasina", "2025-07-08 10:30");
    let second = booked(&mut store, "Diallo", "Mamadou", "2025-07-08 11:30");
    drop(store);
    let mut kb = signed_in(&path, Role::Booking);
    kb.press(Named::PageDown);
    assert_eq!(kb.app.appointments().unwrap().day, day("2025-07-08"));
    assert_eq!(kb.app.appointments().unwrap().visible().len(), 2);

    // The first open booking of the day is highlighted; F6: its service's slots in the
    // booking half; Enter moves it.
    kb.press(Named::F6);
    let state = kb.app.appointments().unwrap();
    assert_eq!(
        state
            .moving
            .as_ref()
            .map(|m| m.appointment.code.to_string()),
        Some(first.clone())
    );
    let to = state.slot.expect("the first free slot proposed");
    kb.press(Named::Enter);
    let state = kb.app.appointments().unwrap();
    assert_eq!(state.error, None);
    let moved = state.confirmation.clone().expect("the new booking");
    assert_ne!(moved.code.to_string(), first, "a new code");
    assert_eq!(
        kb.store.appointment(first.parse().unwrap()).unwrap().state,
        AppointmentState::Cancelled
    );
    let new = kb.store.appointment(moved.code).unwrap();
    assert_eq!(new.state, AppointmentState::Booked);
    assert_eq!(
        new.start
            .with_timezone(&welcome_desk::domain::hours::ROME)
            .naive_local(),
        to
    );
    assert!(state.moving.is_none());

    // F8 on the second: asked once, cancelled on the second press; Escape between disarms.
    kb.press(Named::Escape);
    assert!(kb.has_focus("agenda-filter"), "Escape: back to the agenda");
    kb.type_text(&second);
    kb.press(Named::F8);
    assert!(kb.app.appointments().unwrap().confirm_cancel.is_some());
    kb.press(Named::Escape);
    assert!(kb.app.appointments().unwrap().confirm_cancel.is_none());
    kb.press(Named::F8);
    assert_eq!(
        kb.store.appointment(second.parse().unwrap()).unwrap().state,
        AppointmentState::Booked,
        "one press cancels nothing"
    );
    kb.press(Named::F8);
    assert_eq!(
        kb.store.appointment(second.parse().unwrap()).unwrap().state,
        AppointmentState::Cancelled
    );
}
