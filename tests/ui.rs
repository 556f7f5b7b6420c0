//! The terminal's screens driven headless: iced_test simulators type and click, and the
//! messages they produce run through the app's real steps against a real SQLite file.

mod common;

use std::sync::Arc;

use common::*;
use iced::{keyboard, window};
use iced_test::{selector, simulator};
use welcome_desk::clock::FixedClock;
use welcome_desk::domain::staff::Role;
use welcome_desk::domain::{Queue, TicketEvent};
#[allow(unused_imports)]
use welcome_desk::store::prelude::*;
use welcome_desk::store::{SqliteStore, Store};
use welcome_desk::ui::app::{App, Message, Screen, Shortcut};
use welcome_desk::ui::{desk, reception, tally};

/// Monday 7 July 2025, 10:00 in Rome: walk-in hours.
const NOW: &str = "2025-07-07 10:00";

/// A terminal on `store`, signed in with `role`.
fn app_on(store: &mut SqliteStore, path: std::path::PathBuf, role: Role) -> App {
    // This PC is Sportello 1, as if started with --desk.
    let mut app = App::new(path, Arc::new(FixedClock(rome(NOW))))
        .with_settings(None, Some("Sportello 1".into()));
    app.start_headless(store);
    sign_in(&mut app, store, role);
    app
}

/// Feed every message a simulator produced into the app.
fn deliver(app: &mut App, store: &mut SqliteStore, messages: impl IntoIterator<Item = Message>) {
    for m in messages {
        app.run_headless(store, m);
    }
}

fn choose_service(app: &mut App, store: &mut SqliteStore, code: &str) {
    let choice = reception::service_choices(app.lang)
        .into_iter()
        .find(|c| c.value == code)
        .expect("a service of the catalogue");
    app.run_headless(
        store,
        Message::Reception(reception::Message::Service(choice)),
    );
}

fn main_window() -> window::Id {
    window::Id::unique()
}

/// Whether `window` of the app shows exactly `content` somewhere.
fn shows(app: &App, window: window::Id, content: &str) -> bool {
    simulator(app.view(window)).find(content).is_ok()
}

#[test]
fn reception_registers_a_walk_in_and_shows_its_ticket() {
    let (_dir, path) = temp_db();
    let mut store = SqliteStore::open(&path).unwrap();
    let mut app = app_on(&mut store, path, Role::Reception);
    choose_service(&mut app, &mut store, "family-reunification");

    assert!(
        shows(&app, main_window(), "PRIMO ACCESSO"),
        "a new person is a first access"
    );
    let mut ui = simulator(app.view(main_window()));
    ui.click(selector::id("family-name")).unwrap();
    ui.typewrite("Hassan");
    ui.click(selector::id("given-name")).unwrap();
    ui.typewrite("Omar");
    ui.tap_key(keyboard::key::Named::Enter);
    let messages: Vec<Message> = ui.into_messages().collect();
    deliver(&mut app, &mut store, messages);

    assert_eq!(app.reception().unwrap().error, None);
    let issued = app
        .reception()
        .unwrap()
        .issued
        .clone()
        .expect("a ticket was issued");
    assert_eq!(issued.ticket.to_string(), "G-001");
    assert!(issued.first_time);
    assert_eq!(
        app.reception().unwrap().family_name,
        "",
        "the form clears for the next person"
    );

    assert!(
        shows(&app, main_window(), "G-001"),
        "the ticket is shown large"
    );
    assert_eq!(store.tickets_of_day(day("2025-07-07")).unwrap().len(), 1);
}

#[test]
fn a_bad_field_is_named_and_the_form_keeps_what_was_typed() {
    let (_dir, path) = temp_db();
    let mut store = SqliteStore::open(&path).unwrap();
    let mut app = app_on(&mut store, path, Role::Reception);
    choose_service(&mut app, &mut store, "housing");
    for m in [
        reception::Message::FamilyName("Quispe Mamani".into()),
        reception::Message::GivenName("Rosa".into()),
        reception::Message::BirthDate("2025-02-30".into()),
        reception::Message::Submit,
    ] {
        app.run_headless(&mut store, Message::Reception(m));
    }
    let error = app
        .reception()
        .unwrap()
        .error
        .clone()
        .expect("an error banner");
    // Named as the screen labels the field, in the screen's language.
    assert!(error.starts_with("Data di nascita: "), "{error}");
    assert_eq!(app.reception().unwrap().family_name, "Quispe Mamani");
    assert_eq!(app.reception().unwrap().birth_date, "2025-02-30");
    assert!(store.tickets_of_day(day("2025-07-07")).unwrap().is_empty());
    assert!(
        shows(&app, main_window(), &error),
        "the banner is on screen"
    );
}

#[test]
fn when_the_register_cannot_be_written_the_form_keeps_its_text_and_a_retry_works() {
    let (_dir, path) = temp_db();
    let mut store = SqliteStore::open(&path).unwrap();
    let mut app = app_on(&mut store, path.clone(), Role::Reception);
    choose_service(&mut app, &mut store, "housing");
    let mut ui = simulator(app.view(main_window()));
    ui.click(selector::id("family-name")).unwrap();
    ui.typewrite("Rahman");
    ui.click(selector::id("given-name")).unwrap();
    ui.typewrite("Sumaiya");
    let messages: Vec<Message> = ui.into_messages().collect();
    deliver(&mut app, &mut store, messages);
    // Another terminal holds the write lock past the busy timeout; then Enter.
    let blocker = rusqlite::Connection::open(&path).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    app.run_headless(&mut store, Message::Reception(reception::Message::Submit));

    let error = app
        .reception()
        .unwrap()
        .error
        .clone()
        .expect("the failure is shown");
    assert!(
        error.contains("occupato") && error.contains("riprovare"),
        "{error}"
    );
    assert!(shows(&app, main_window(), &error));
    assert_eq!(app.reception().unwrap().family_name, "Rahman");
    assert_eq!(app.reception().unwrap().given_name, "Sumaiya");
    assert!(app.reception().unwrap().issued.is_none());

    // The other terminal lets go; Enter again registers what is still in the form.
    blocker.execute_batch("ROLLBACK").unwrap();
    app.run_headless(&mut store, Message::Reception(reception::Message::Submit));
    assert_eq!(app.reception().unwrap().error, None);
    let issued = app
        .reception()
        .unwrap()
        .issued
        .clone()
        .expect("registered on retry");
    assert_eq!(issued.ticket.to_string(), "G-001");
    assert_eq!(
        store
            .visitor(issued.visitor_id)
            .unwrap()
            .details
            .family_name,
        "Rahman"
    );
}

#[test]
fn a_returning_visitor_is_found_while_typing_and_picked() {
    let (_dir, path) = temp_db();
    let mut store = SqliteStore::open(&path).unwrap();
    let first = store
        .register(
            &new_walk_in("Hossain", "Md Rahim", true),
            rome("2025-06-02 10:00"),
        )
        .unwrap();
    let mut app = app_on(&mut store, path, Role::Reception);
    // Typed the other way round, in lower case: the debounced search still finds him.
    for m in [
        reception::Message::FamilyName("md rahim".into()),
        reception::Message::GivenName("hossain".into()),
    ] {
        app.run_headless(&mut store, Message::Reception(m));
    }
    assert_eq!(app.reception().unwrap().candidates.len(), 1);
    assert_eq!(
        app.reception().unwrap().candidates[0].visitor_id,
        first.visitor_id
    );
    app.run_headless(
        &mut store,
        Message::Reception(reception::Message::Pick(first.visitor_id)),
    );
    assert!(
        app.reception().unwrap().sai_guest,
        "the file's SAI status fills the form"
    );
    choose_service(&mut app, &mut store, "housing");
    assert!(shows(&app, main_window(), "Già registrato · V-000001"));
    app.run_headless(&mut store, Message::Reception(reception::Message::Submit));
    let issued = app.reception().unwrap().issued.clone().unwrap();
    assert!(!issued.first_time);
    assert_eq!(issued.queue, Queue::Sai);
    assert_eq!(issued.visitor_id, first.visitor_id);
}

#[test]
fn two_desks_call_different_visitors_and_the_display_shows_the_call() {
    let (_dir, path) = temp_db();
    let mut store = SqliteStore::open(&path).unwrap();
    for (f, g) in [("Hassan", "Omar"), ("Rahman", "Nasrin")] {
        store
            .register(&new_walk_in(f, g, false), rome("2025-07-07 09:30"))
            .unwrap();
    }
    let mut desk1 = app_on(&mut store, path.clone(), Role::Mediator);
    let mut store2 = SqliteStore::open(&path).unwrap();
    let mut desk2 = app_on(&mut store2, path, Role::Mediator);
    desk2.run_headless(
        &mut store2,
        Message::Desk(desk::Message::Label("Sportello 2".into())),
    );
    desk2.run_headless(&mut store2, Message::Desk(desk::Message::SaveDesk));
    desk1.run_headless(&mut store, Message::Show(Screen::Desk));
    desk2.run_headless(&mut store2, Message::Show(Screen::Desk));

    let mut ui = simulator(desk1.view(main_window()));
    ui.click("Chiama il prossimo (F5)").unwrap();
    let messages: Vec<Message> = ui.into_messages().collect();
    deliver(&mut desk1, &mut store, messages);
    // The second desk uses F5.
    desk2.run_headless(&mut store2, Message::Key(Some(Shortcut::Function(5))));

    let at_1 = desk1.ticket_at_desk().unwrap();
    let at_2 = desk2.ticket_at_desk().unwrap();
    assert_ne!(at_1, at_2, "two desks never get the same visitor");
    assert_eq!(at_1.to_string(), "G-001");
    assert_eq!(at_2.to_string(), "G-002");

    // The desk shows the card of the person it serves.
    assert!(shows(&desk1, main_window(), "Hassan Omar"));

    // The display, refreshed, shows the latest call and its desk, and never a name.
    desk1.run_headless(&mut store, Message::Tick);
    desk1.run_headless(&mut store, Message::OpenDisplay);
    let display = desk1.display_window.expect("the display window");
    assert!(shows(&desk1, display, "G-002"), "the latest call");
    assert!(shows(&desk1, display, "→ Sportello 2"));
    assert!(shows(&desk1, display, "G-001"), "an earlier call below");
    assert!(!shows(&desk1, display, "Hassan Omar"));
    assert!(!shows(&desk1, display, "Hassan"));
}

#[test]
fn the_tally_moves_after_a_registration_and_speaks_english() {
    let (_dir, path) = temp_db();
    let mut store = SqliteStore::open(&path).unwrap();
    let mut app = app_on(&mut store, path.clone(), Role::Coordinator);
    app.run_headless(&mut store, Message::Show(Screen::Tally));
    assert!(shows(&app, main_window(), "Accessi"));
    assert!(!shows(&app, main_window(), "3"), "nothing yet");

    // Another terminal registers three walk-ins; the one-second poll notices.
    let mut other = SqliteStore::open(&path).unwrap();
    for g in ["Uno", "Due", "Tre"] {
        other
            .register(&new_walk_in("Rossi", g, false), rome("2025-07-07 09:45"))
            .unwrap();
    }
    app.run_headless(&mut store, Message::Tick);
    assert_eq!(app.today.report.as_ref().unwrap().accesses, 3);
    assert!(
        shows(&app, main_window(), "3"),
        "the tally shows three accesses"
    );

    let mut ui = simulator(app.view(main_window()));
    ui.click("English").unwrap();
    let messages: Vec<Message> = ui.into_messages().collect();
    deliver(&mut app, &mut store, messages);
    assert!(shows(&app, main_window(), "Accesses"));
    assert!(shows(&app, main_window(), "Italiano"));

    // A range report, as the `report` command computes it.
    app.run_headless(
        &mut store,
        Message::Tally(tally::Message::From("2025-07-01".into())),
    );
    app.run_headless(
        &mut store,
        Message::Tally(tally::Message::To("2025-07-31".into())),
    );
    app.run_headless(&mut store, Message::Tally(tally::Message::Compute));
    let r = app.tally().unwrap().report.clone().unwrap();
    assert_eq!(r.accesses, 3);
    assert_eq!(r.monthly_accesses["2025-07"], 3);
    app.run_headless(&mut store, Message::Tally(tally::Message::Export));
    let exported = app.tally().unwrap().exported.clone().expect("a CSV file");
    let csv = std::fs::read_to_string(exported).unwrap();
    assert!(csv.contains("accesses,,3"), "{csv}");
}

/// Reported: arrivals before 8:00 and after 17:00 vanished from the tally's per-hour chart.
#[test]
fn the_tally_charts_arrivals_before_and_after_hours() {
    let (_dir, path) = temp_db();
    let mut store = SqliteStore::open(&path).unwrap();
    for (family, at) in [
        ("Presto", "2025-07-07 07:40"),
        ("Tardi", "2025-07-07 18:10"),
    ] {
        store
            .register(&new_walk_in(family, "Ada", false), rome(at))
            .unwrap();
    }
    let mut app = app_on(&mut store, path, Role::Coordinator);
    app.run_headless(&mut store, Message::Show(Screen::Tally));
    assert!(shows(&app, main_window(), "7"), "the 7:00 hour is charted");
    assert!(
        shows(&app, main_window(), "18"),
        "the 18:00 hour is charted"
    );
    // Nobody has called yet: the estimate says so rather than promising minutes.
    assert!(shows(&app, main_window(), "nessuno sportello aperto"));
}

#[test]
fn the_display_chimes_once_for_each_new_call_when_the_chime_is_on() {
    let (_dir, path) = temp_db();
    let mut store = SqliteStore::open(&path).unwrap();
    for (f, g) in [("Diallo", "Mamadou"), ("Okafor", "Ngozi"), ("Chen", "Wei")] {
        store
            .register(&new_walk_in(f, g, false), rome("2025-07-07 09:30"))
            .unwrap();
    }
    let mut app = app_on(&mut store, path, Role::Mediator);
    app.run_headless(&mut store, Message::Show(Screen::Desk));
    app.run_headless(&mut store, Message::Key(Some(Shortcut::Function(5))));
    app.run_headless(
        &mut store,
        Message::Desk(desk::Message::Act(TicketEvent::Finish)),
    );
    assert_eq!(app.chimes, 0, "no display, no chime");

    app.run_headless(&mut store, Message::OpenDisplay);
    app.run_headless(&mut store, Message::Key(Some(Shortcut::Function(5))));
    assert_eq!(app.chimes, 0, "the chime is off by default");
    // The call was spoken (voice is on by default); the sound has ended.
    app.run_headless(&mut store, Message::SoundEnded);
    app.run_headless(
        &mut store,
        Message::Desk(desk::Message::Act(TicketEvent::Finish)),
    );

    let mut ui = simulator(app.view(main_window()));
    ui.click("Suono: no").unwrap();
    let messages: Vec<Message> = ui.into_messages().collect();
    deliver(&mut app, &mut store, messages);
    assert!(app.chime);
    app.run_headless(&mut store, Message::Key(Some(Shortcut::Function(5))));
    assert_eq!(app.chimes, 1, "one chime for the new call");
    app.run_headless(&mut store, Message::Tick);
    assert_eq!(app.chimes, 1, "and not again for the same call");
}
