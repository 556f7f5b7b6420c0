//! The terminal's gate and roles, driven headless: the first start's administrator, screens
//! by role (and the same rule again where jobs run), the idle lock and Ctrl+L, and what a
//! locked terminal shows.

mod common;

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use common::*;
use iced::keyboard::{self, key};
use iced::window;
use iced_test::{selector, simulator};
use welcome_desk::clock::Clock;
use welcome_desk::domain::staff::Role;
#[allow(unused_imports)]
use welcome_desk::store::prelude::*;
use welcome_desk::store::{Principal, SqliteStore, Store};
use welcome_desk::ui::app::{App, Job, Message, Screen, Shift, Shortcut, keys, perform};
use welcome_desk::ui::{gate, reception, staff};

struct TestClock(Mutex<DateTime<Utc>>);

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("clock")
    }
}

fn shows(app: &App, content: &str) -> bool {
    simulator(app.view(window::Id::unique()))
        .find(content)
        .is_ok()
}

#[test]
fn the_first_start_asks_for_an_administrator_who_sees_no_visitor() {
    let (_dir, path) = temp_db();
    let mut store = SqliteStore::open(&path).unwrap();
    store
        .register(
            &new_walk_in("Hassan", "Omar", false),
            rome("2025-07-07 09:30"),
        )
        .unwrap();
    let mut app = App::new(
        path,
        Arc::new(welcome_desk::clock::FixedClock(rome("2025-07-07 10:00"))),
    );
    app.start_headless(&mut store);
    assert_eq!(app.gate.mode, gate::Mode::FirstAdmin);
    assert!(shows(&app, "Primo avvio: account amministratore"));

    let mut ui = simulator(app.view(window::Id::unique()));
    ui.click(selector::id("gate-name")).unwrap();
    ui.typewrite("Admin");
    ui.click(selector::id("gate-password")).unwrap();
    ui.typewrite("a long secret");
    ui.click(selector::id("gate-repeat")).unwrap();
    ui.typewrite("a long secret");
    ui.tap_key(keyboard::key::Named::Enter);
    let messages: Vec<Message> = ui.into_messages().collect();
    for m in messages {
        app.run_headless(&mut store, m);
    }
    assert!(app.unlocked(), "{:?}", app.gate.error);
    assert_eq!(app.screens(), vec![Screen::Records, Screen::Staff]);
    assert_eq!(app.screen, Screen::Staff);
    // The administrator cannot open reception, and a job asking for visitor data is refused.
    app.run_headless(&mut store, Message::Show(Screen::Reception));
    assert_eq!(app.screen, Screen::Staff);
    let admin = app.principal().unwrap();
    let refused = perform(
        &mut store,
        Job::Report {
            from: day("2025-07-01"),
            to: day("2025-07-31"),
        },
        Some(&admin),
        rome("2025-07-07 10:00"),
        &path_exports(),
    );
    assert!(
        matches!(&refused, Message::Failed(m) if m == "admin accounts may not compute or export reports"),
        "{refused:?}"
    );

    // The administrator creates a reception account; it signs in and sees reception only.
    for m in [
        staff::Message::Name("Amina".into()),
        staff::Message::Role(Role::Reception),
        staff::Message::Password("reception pass".into()),
        staff::Message::Create,
    ] {
        app.run_headless(&mut store, Message::Staff(m));
    }
    assert!(
        app.staff().unwrap().error.is_none(),
        "{:?}",
        app.staff().unwrap().error
    );
    assert!(
        app.staff()
            .unwrap()
            .accounts
            .iter()
            .any(|a| a.name == "Amina")
    );
    app.run_headless(&mut store, Message::SignOut);
    assert!(!app.unlocked());
    for m in [
        gate::Message::Name("amina".into()),
        gate::Message::Password("reception pass".into()),
        gate::Message::Submit,
    ] {
        app.run_headless(&mut store, Message::Gate(m));
    }
    // Reception books and checks in too (issue 14): its agenda is its second screen.
    assert_eq!(app.screens(), vec![Screen::Reception, Screen::Appointments]);
    // The role in the staff's language, as the Staff screen names it.
    assert!(shows(&app, "Amina · Accoglienza"));
    let trail = store
        .audit_trail(day("2025-07-07"), day("2025-07-07"))
        .unwrap();
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    for expected in ["staff-create", "sign-in", "sign-out"] {
        assert!(actions.contains(&expected), "{actions:?}");
    }
    assert_eq!(store.verify_audit().unwrap(), trail.len() as i64);
}

fn path_exports() -> std::path::PathBuf {
    std::env::temp_dir().join("welcome-desk-test-exports")
}

#[test]
fn each_role_reaches_its_own_work_only_even_around_the_screens() {
    let (_dir, path) = temp_db();
    let mut store = SqliteStore::open(&path).unwrap();
    let registered = store
        .register(
            &new_walk_in("Hassan", "Omar", false),
            rome("2025-07-07 09:30"),
        )
        .unwrap();
    let now = rome("2025-07-07 10:00");
    let as_role = |role: Role| Principal {
        staff: format!("test-{role}"),
        role,
        terminal: "terminal:test".into(),
    };
    let card = Job::Desk(welcome_desk::ui::desk::Action::LoadCard(
        registered.access_id,
    ));
    let reception = perform(
        &mut store,
        card.clone(),
        Some(&as_role(Role::Reception)),
        now,
        &path_exports(),
    );
    assert!(
        matches!(&reception, Message::Failed(m) if m == "reception accounts may not open a visitor card"),
        "{reception:?}"
    );
    let mediator = perform(
        &mut store,
        card,
        Some(&as_role(Role::Mediator)),
        now,
        &path_exports(),
    );
    assert!(!matches!(mediator, Message::Failed(_)), "{mediator:?}");
    let report = Job::Report {
        from: day("2025-07-01"),
        to: day("2025-07-31"),
    };
    let mediator = perform(
        &mut store,
        report.clone(),
        Some(&as_role(Role::Mediator)),
        now,
        &path_exports(),
    );
    assert!(
        matches!(&mediator, Message::Failed(m) if m == "mediator accounts may not compute or export reports"),
        "{mediator:?}"
    );
    let nobody = perform(&mut store, report, None, now, &path_exports());
    assert!(
        matches!(&nobody, Message::Failed(m) if m == "sign in first"),
        "{nobody:?}"
    );
    // The card a mediator opened is in the trail, under their name.
    let trail = store
        .audit_trail(day("2025-07-07"), day("2025-07-07"))
        .unwrap();
    let opened = trail
        .iter()
        .find(|e| e.action == "open-card")
        .expect("an open-card entry");
    assert_eq!(opened.staff, "test-mediator");
    assert_eq!(
        opened.record.as_deref(),
        Some(registered.visitor_id.to_string().as_str())
    );
}

#[test]
fn after_idle_minutes_the_terminal_locks_shows_nothing_and_the_owner_resumes() {
    let (_dir, path) = temp_db();
    let mut store = SqliteStore::open(&path).unwrap();
    let clock = Arc::new(TestClock(Mutex::new(rome("2025-07-07 10:00"))));
    let mut app = App::new(path, clock.clone());
    sign_in(&mut app, &mut store, Role::Reception);
    for m in [
        reception::Message::FamilyName("Rahman".into()),
        reception::Message::GivenName("Sumaiya".into()),
    ] {
        app.run_headless(&mut store, Message::Reception(m));
    }
    assert!(shows(&app, "Rahman"), "the form shows what was typed");
    let set = |t: &str| *clock.0.lock().unwrap() = rome(t);
    set("2025-07-07 10:01");
    app.run_headless(&mut store, Message::Activity);
    set("2025-07-07 10:03");
    app.run_headless(&mut store, Message::IdleCheck);
    assert!(app.unlocked(), "two idle minutes: still open");
    set("2025-07-07 10:04");
    app.run_headless(&mut store, Message::IdleCheck);
    assert!(!app.unlocked(), "three idle minutes: locked");
    assert!(shows(&app, "Terminale bloccato"));
    assert!(!shows(&app, "Rahman"), "a locked terminal shows no visitor");
    // Typing into a hidden form does nothing.
    app.run_headless(
        &mut store,
        Message::Reception(reception::Message::FamilyName("X".into())),
    );
    assert_eq!(app.reception().unwrap().family_name, "Rahman");

    // A wrong password is refused; the right one resumes where it was.
    for m in [
        gate::Message::Password("nope nope".into()),
        gate::Message::Submit,
    ] {
        app.run_headless(&mut store, Message::Gate(m));
    }
    assert!(!app.unlocked());
    assert_eq!(app.gate.error.as_deref(), Some("Nome o password errati"));
    for m in [
        gate::Message::Password(TEST_PASSWORD.into()),
        gate::Message::Submit,
    ] {
        app.run_headless(&mut store, Message::Gate(m));
    }
    assert!(app.unlocked());
    assert_eq!(
        app.reception().unwrap().family_name,
        "Rahman",
        "the form is as it was left"
    );

    // Ctrl+L locks at once; someone else signing in starts from a clean form.
    let ctrl_l = iced::Event::Keyboard(keyboard::Event::KeyPressed {
        key: keyboard::Key::Character("l".into()),
        modified_key: keyboard::Key::Character("l".into()),
        physical_key: key::Physical::Code(key::Code::KeyL),
        location: keyboard::Location::Standard,
        modifiers: keyboard::Modifiers::CTRL,
        text: None,
        repeat: false,
    });
    let message =
        keys(ctrl_l, iced::event::Status::Ignored, window::Id::unique()).expect("Ctrl+L is seen");
    assert!(matches!(message, Message::Key(Some(Shortcut::Lock))));
    app.run_headless(&mut store, message);
    assert!(!app.unlocked());
    app.run_headless(&mut store, Message::Gate(gate::Message::SomeoneElse));
    sign_in(&mut app, &mut store, Role::Mediator);
    assert!(
        app.reception().unwrap().family_name.is_empty(),
        "the next person sees nothing of the last"
    );
    assert_eq!(app.screen, Screen::Desk);

    let trail = store
        .audit_trail(day("2025-07-07"), day("2025-07-07"))
        .unwrap();
    let locks = trail.iter().filter(|e| e.action == "lock").count();
    assert_eq!(locks, 2);
    assert!(
        trail
            .iter()
            .any(|e| e.action == "sign-out" && e.staff == "test-reception")
    );
}

#[test]
fn the_idle_minutes_are_a_setting_and_a_reset_password_must_be_changed() {
    let (_dir, path) = temp_db();
    let mut store = SqliteStore::open(&path).unwrap();
    let clock = Arc::new(TestClock(Mutex::new(rome("2025-07-07 10:00"))));
    let mut app = App::new(path.clone(), clock.clone());
    sign_in(&mut app, &mut store, Role::Admin);
    for m in [
        staff::Message::IdleMinutes("10".into()),
        staff::Message::SaveIdleMinutes,
    ] {
        app.run_headless(&mut store, Message::Staff(m));
    }
    assert_eq!(app.idle_minutes, 10);
    assert_eq!(
        store.setting("idle_lock_minutes").unwrap().as_deref(),
        Some("10")
    );
    // The administrator resets a forgotten password.
    store
        .create_staff(
            "Bilal",
            Role::Mediator,
            "first password",
            false,
            rome("2025-07-07 09:00"),
        )
        .unwrap();
    for m in [
        staff::Message::Password("temporary pass".into()),
        staff::Message::Reset("Bilal".into()),
    ] {
        app.run_headless(&mut store, Message::Staff(m));
    }
    assert!(
        app.staff().unwrap().error.is_none(),
        "{:?}",
        app.staff().unwrap().error
    );

    // Another terminal starts with the setting, and Bilal must choose a new password.
    let mut other = App::new(path, clock.clone());
    other.start_headless(&mut store);
    assert_eq!(other.idle_minutes, 10);
    for m in [
        gate::Message::Name("Bilal".into()),
        gate::Message::Password("temporary pass".into()),
        gate::Message::Submit,
    ] {
        other.run_headless(&mut store, Message::Gate(m));
    }
    assert_eq!(other.gate.mode, gate::Mode::NewPassword);
    assert!(!other.unlocked());
    for m in [
        gate::Message::Password("bilal's own pass".into()),
        gate::Message::Repeat("bilal's own pass".into()),
        gate::Message::Submit,
    ] {
        other.run_headless(&mut store, Message::Gate(m));
    }
    assert!(other.unlocked(), "{:?}", other.gate.error);
    assert!(
        store
            .sign_in("Bilal", "bilal's own pass", "t", rome("2025-07-07 10:05"))
            .is_ok()
    );
    assert!(
        store
            .sign_in("Bilal", "temporary pass", "t", rome("2025-07-07 10:05"))
            .is_err()
    );
    // Nine idle minutes do not lock it; ten do.
    *clock.0.lock().unwrap() = rome("2025-07-07 10:09");
    other.run_headless(&mut store, Message::IdleCheck);
    assert!(other.unlocked());
    *clock.0.lock().unwrap() = rome("2025-07-07 10:10") + Duration::seconds(1);
    other.run_headless(&mut store, Message::IdleCheck);
    assert!(!other.unlocked());
}

#[test]
fn a_terminal_behind_its_gate_opens_no_card_and_the_desk_resumes_after_sign_in() {
    let (_dir, path) = temp_db();
    let mut store = SqliteStore::open(&path).unwrap();
    store
        .register(
            &new_walk_in("Hassan", "Omar", false),
            rome("2025-07-07 09:30"),
        )
        .unwrap();
    store
        .call_next("Sportello 1", &[], "test", rome("2025-07-07 09:40"))
        .unwrap()
        .expect("a call");
    // The terminal is Sportello 1, as started with --desk.
    let mut app = App::new(
        path,
        Arc::new(welcome_desk::clock::FixedClock(rome("2025-07-07 10:00"))),
    )
    .with_settings(None, Some("Sportello 1".into()));
    app.start_headless(&mut store);
    assert_eq!(
        app.banner, None,
        "nothing was asked of the store before sign-in"
    );
    assert!(app.desk().and_then(|d| d.card.as_ref()).is_none());
    assert!(!shows(&app, "Hassan"));
    sign_in(&mut app, &mut store, Role::Mediator);
    assert_eq!(app.banner, None);
    assert!(
        app.desk().unwrap().card.is_some(),
        "the desk picks up the person it was serving"
    );
    assert!(shows(&app, "Hassan Omar"));
}

/// Sign in as `name` through the gate's form.
fn sign_in_as(app: &mut App, store: &mut SqliteStore, name: &str) {
    for m in [
        gate::Message::Name(name.into()),
        gate::Message::Password(TEST_PASSWORD.into()),
        gate::Message::Submit,
    ] {
        app.run_headless(store, Message::Gate(m));
    }
    assert!(app.unlocked(), "{name}: {:?}", app.gate.error);
}

/// A register with Hossain Md Rahim on file and two receptionists, Giulia and Marco, and a
/// terminal open on it at the gate.
fn two_receptionists_and_one_visitor() -> (tempfile::TempDir, SqliteStore, App) {
    let (dir, path) = temp_db();
    let mut store = SqliteStore::open(&path).unwrap();
    store
        .register(
            &new_walk_in("Hossain", "Md Rahim", true),
            rome("2025-06-02 10:00"),
        )
        .unwrap();
    for name in ["Giulia", "Marco"] {
        store
            .create_staff(
                name,
                Role::Reception,
                TEST_PASSWORD,
                false,
                rome("2025-07-01 08:00"),
            )
            .unwrap();
    }
    let mut app = App::new(
        path,
        Arc::new(welcome_desk::clock::FixedClock(rome("2025-07-07 10:00"))),
    );
    app.start_headless(&mut store);
    (dir, store, app)
}

#[test]
fn signing_out_drops_the_form_and_the_candidates_with_the_person() {
    let (_dir, mut store, mut app) = two_receptionists_and_one_visitor();
    assert!(app.reception().is_none(), "no form exists before sign-in");

    sign_in_as(&mut app, &mut store, "Giulia");
    for m in [
        reception::Message::FamilyName("Hossain".into()),
        reception::Message::GivenName("Md Rahim".into()),
    ] {
        app.run_headless(&mut store, Message::Reception(m));
    }
    let form = app.reception().expect("Giulia's form");
    assert_eq!(form.family_name, "Hossain");
    assert_eq!(form.candidates.len(), 1, "found while typing");
    assert!(shows(&app, "Md Rahim"));

    app.run_headless(&mut store, Message::SignOut);
    // Signed out, the terminal holds no screen at all: nothing is left to clear or to leak.
    assert!(matches!(app.shift(), Shift::Gate));
    assert!(app.reception().is_none());
    assert!(app.desk().is_none() && app.tally().is_none());
    assert!(app.staff().is_none() && app.records().is_none());
    assert!(!shows(&app, "Hossain"));
    // A debounce of Giulia's typing that fires late finds no form to search from.
    app.run_headless(
        &mut store,
        Message::Reception(reception::Message::SearchDue(1)),
    );
    assert!(app.reception().is_none());

    sign_in_as(&mut app, &mut store, "Marco");
    let form = app.reception().expect("Marco's form");
    assert!(form.family_name.is_empty() && form.given_name.is_empty());
    assert!(
        form.candidates.is_empty(),
        "no candidate of the last person"
    );
    assert!(form.picked.is_none());
    assert!(!shows(&app, "Hossain"));
    assert!(!shows(&app, "Md Rahim"));
}

#[test]
fn an_answer_to_the_last_shifts_job_never_reaches_the_next_persons_screens() {
    use welcome_desk::domain::matching::BirthQuery;
    use welcome_desk::ui::app::Outcome;

    let (_dir, mut store, mut app) = two_receptionists_and_one_visitor();
    let found = store
        .search("Hossain", "Md Rahim", BirthQuery::Unknown, 5)
        .unwrap();
    assert_eq!(found.len(), 1);

    sign_in_as(&mut app, &mut store, "Giulia");
    let giulia = app.shift().serial().expect("Giulia's shift");
    app.run_headless(&mut store, Message::SignOut);
    sign_in_as(&mut app, &mut store, "Marco");
    let marco = app.shift().serial().expect("Marco's shift");
    assert_ne!(giulia, marco);

    // Giulia's search comes back now, on a slow network: it lands nowhere.
    let answer = |serial: u64| {
        Message::ForShift(
            serial,
            Box::new(Message::Finished(Outcome::Searched(0, Ok(found.clone())))),
        )
    };
    app.run_headless(&mut store, answer(giulia));
    assert!(app.reception().expect("Marco's form").candidates.is_empty());
    assert!(!shows(&app, "Md Rahim"));
    // The same answer for Marco's own shift is shown: the rule is the shift, not the message.
    app.run_headless(&mut store, answer(marco));
    assert_eq!(app.reception().expect("Marco's form").candidates.len(), 1);
}
