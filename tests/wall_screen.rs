//! The wall-screen PC (issue 13, item 5): an account that reads the board and nothing else,
//! refused by every service it might be sent to; and a terminal that, signed in with it by
//! keyboard, becomes the waiting room's display, full screen, showing no name, deaf to the
//! keys of the screens, never locked, back by itself after a restart, and left only by an
//! administrator. Real SQLite files, real key events through a real iced interface.

mod common;

use std::path::Path;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
#[path = "common/keys.rs"]
#[allow(dead_code)]
mod keys;
use common::*;
use iced::keyboard::key::Named;
use iced::{Size, window};
use iced_test::selector::Candidate;
use iced_test::simulator;
use keys::Keyboard;
use uuid::Uuid;
use welcome_desk::clock::Clock;
use welcome_desk::domain::staff::Role;
use welcome_desk::domain::{Queue, Ticket, TicketEvent, TicketState};
use welcome_desk::progress::Silent;
use welcome_desk::service;
#[allow(unused_imports)]
use welcome_desk::store::prelude::*;
use welcome_desk::store::{Principal, SqliteStore, Store, StoreError};
use welcome_desk::ui::app::{App, Message};
use welcome_desk::ui::gate;
use welcome_desk::ui::this_pc::Settings;
use welcome_desk::voice::Sound;

struct TestClock(Mutex<DateTime<Utc>>);

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("clock")
    }
}

impl TestClock {
    fn advance(&self, by: Duration) {
        let mut now = self.0.lock().expect("clock");
        *now += by;
    }
}

const MORNING: &str = "2025-07-07 10:00";

fn system() -> Principal {
    Principal {
        staff: "os:test".into(),
        role: Role::System,
        terminal: "cli:test".into(),
    }
}

/// The people of `morning`.
struct Morning {
    first: Uuid,
    first_access: Uuid,
    second: Uuid,
}

/// A register where Rahman Sumaiya has been called to Sportello 3 (G-001) and Hossain
/// Md Rahim waits (G-002).
fn morning(path: &Path) -> (SqliteStore, Morning) {
    let mut store = SqliteStore::open(path).expect("open");
    let now = rome(MORNING);
    let first = service::reception::register(
        &mut store,
        &system(),
        &new_walk_in("Rahman", "Sumaiya", false),
        now - Duration::minutes(20),
    )
    .expect("register");
    let second = service::reception::register(
        &mut store,
        &system(),
        &new_walk_in("Hossain", "Md Rahim", false),
        now - Duration::minutes(10),
    )
    .expect("register");
    let called = service::desk::call_next(
        &mut store,
        &system(),
        "Sportello 3",
        &[Queue::General],
        now - Duration::minutes(5),
    )
    .expect("call")
    .expect("someone waits");
    assert_eq!(called.ticket, first.ticket);
    (
        store,
        Morning {
            first: first.visitor_id,
            first_access: first.access_id,
            second: second.visitor_id,
        },
    )
}

#[test]
fn the_wall_screen_account_is_refused_everything_but_the_board() {
    let (dir, path) = temp_db();
    let (mut store, morning_people) = morning(&path);
    let now = rome(MORNING);
    let today = day("2025-07-07");
    let wall = Principal {
        staff: "parete".into(),
        role: Role::WallScreen,
        terminal: "terminal:sala".into(),
    };
    let g001: Ticket = "G-001".parse().expect("ticket");
    let booking = "A-7K3F".parse().expect("booking code");
    let outcomes: Vec<(&str, Result<(), StoreError>)> = vec![
        (
            "search",
            service::reception::search(
                &mut store,
                &wall,
                "Rahman",
                "Sumaiya",
                welcome_desk::domain::matching::BirthQuery::Unknown,
                5,
                now,
            )
            .map(drop),
        ),
        (
            "preview",
            service::reception::preview(&mut store, &wall, morning_people.first, now).map(drop),
        ),
        (
            "register",
            service::reception::register(
                &mut store,
                &wall,
                &new_walk_in("Nuovo", "Arrivo", false),
                now,
            )
            .map(drop),
        ),
        (
            "ticket slip",
            service::reception::slip(&mut store, &wall, g001, now).map(drop),
        ),
        (
            "call next",
            service::desk::call_next(&mut store, &wall, "Sportello 1", &[], now).map(drop),
        ),
        (
            "recall",
            service::desk::act(
                &mut store,
                &wall,
                today,
                g001,
                TicketEvent::Recall,
                Some("Sportello 3"),
                now,
            )
            .map(drop),
        ),
        (
            "transfer",
            service::desk::transfer(
                &mut store,
                &wall,
                today,
                g001,
                Queue::Sai,
                "housing",
                None,
                now,
            )
            .map(drop),
        ),
        (
            "visitor card",
            service::desk::open_card(&mut store, &wall, morning_people.first_access, now).map(drop),
        ),
        (
            "report",
            service::records::report(&mut store, &wall, today, today, now).map(drop),
        ),
        (
            "audit trail",
            service::records::trail(&mut store, &wall, today, today).map(drop),
        ),
        (
            "audit export",
            service::records::export_trail(&mut store, &wall, today, today, now).map(drop),
        ),
        (
            "audit verify",
            service::records::verify_trail(&mut store, &wall).map(drop),
        ),
        (
            "export a visitor",
            service::records::export_visitor(&mut store, &wall, morning_people.first, now)
                .map(drop),
        ),
        (
            "erase a visitor",
            service::records::erase(&mut store, &wall, morning_people.first, now).map(drop),
        ),
        (
            "merge",
            service::records::merge(
                &mut store,
                &wall,
                morning_people.second,
                morning_people.first,
                now,
            )
            .map(drop),
        ),
        (
            "undo a merge",
            service::records::undo_merge(&mut store, &wall, 1, now).map(drop),
        ),
        (
            "purge",
            service::records::purge(&mut store, &wall, Some(1), &mut Silent, now).map(drop),
        ),
        (
            "staff accounts",
            service::staff::accounts(&mut store, &wall).map(drop),
        ),
        (
            "create an account",
            service::staff::create(
                &mut store,
                &wall,
                "intruso",
                Role::Admin,
                "a long secret",
                now,
            )
            .map(drop),
        ),
        (
            "reset a password",
            service::staff::reset_password(&mut store, &wall, "parete", "a long secret", now)
                .map(drop),
        ),
        (
            "change a role",
            service::staff::set_role(&mut store, &wall, "parete", Role::Admin, now).map(drop),
        ),
        (
            "settings",
            service::staff::set_setting(&mut store, &wall, "idle_lock_minutes", 60, now).map(drop),
        ),
        (
            "free slots",
            service::appointments::free(&mut store, &wall, "housing", today, 3, now).map(drop),
        ),
        (
            "the day's bookings",
            service::appointments::list(&mut store, &wall, today, now).map(drop),
        ),
        (
            "cancel a booking",
            service::appointments::cancel(&mut store, &wall, booking, now).map(drop),
        ),
        (
            "check in",
            service::appointments::check_in(&mut store, &wall, booking, uuid::Uuid::now_v7(), now)
                .map(drop),
        ),
        (
            "backup",
            service::maintenance::backup(
                &mut store,
                &wall,
                &dir.path().join("copy.db"),
                &mut Silent,
                now,
            )
            .map(drop),
        ),
    ];
    for (what, outcome) in outcomes {
        assert!(
            matches!(
                outcome,
                Err(StoreError::Forbidden {
                    role: Role::WallScreen,
                    ..
                })
            ),
            "{what}: {outcome:?}"
        );
    }
    // Nothing changed, nothing was read on the account's behalf, no copy was written.
    assert!(!dir.path().join("copy.db").exists());
    let tickets = store.tickets_of_day(today).expect("tickets");
    let states: Vec<(String, TicketState)> = tickets
        .iter()
        .map(|t| (t.ticket.to_string(), t.state))
        .collect();
    assert_eq!(
        states,
        [
            ("G-001".to_string(), TicketState::Called),
            ("G-002".to_string(), TicketState::Waiting)
        ]
    );
    let trail = store.audit_trail(today, today).expect("trail");
    assert!(
        trail.iter().all(|e| e.staff != "parete"),
        "{:?}",
        trail
            .iter()
            .map(|e| (&e.staff, &e.action))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        store
            .export_visitor(morning_people.first)
            .expect("still there")
            .records[0]
            .visitor
            .details
            .family_name,
        "Rahman"
    );
}

#[test]
fn the_command_line_makes_a_wall_screen_account() {
    let (_dir, path) = temp_db();
    drop(SqliteStore::open(&path).expect("a new register"));
    let out = welcome_desk_command(&path, "2025-07-07T08:00:00Z")
        .args([
            "staff",
            "add",
            "--name",
            "Parete sala",
            "--role",
            "wall-screen",
        ])
        .env("WELCOME_DESK_PASSWORD", "wall screen pass")
        .output()
        .expect("run welcome-desk");
    assert!(out.status.success(), "{}", stderr(&out));
    let mut store = SqliteStore::open(&path).expect("open");
    let accounts = store.staff_accounts().expect("accounts");
    assert!(
        accounts
            .iter()
            .any(|a| a.name == "Parete sala" && a.role == Role::WallScreen),
        "{accounts:?}"
    );
    let session = store
        .sign_in(
            "parete sala",
            "wall screen pass",
            "terminal:sala",
            rome(MORNING),
        )
        .expect("the account signs in");
    assert_eq!(session.role, Role::WallScreen);
}

/// Every text the main window draws at `size` (labels and what fields hold).
fn texts(app: &App, size: Size) -> Vec<String> {
    let mut seen = Vec::new();
    let mut ui = simulator::Simulator::with_size(
        iced_test::core::Settings::default(),
        size,
        app.view(window::Id::unique()),
    );
    // A selector that never selects walks the whole tree, collecting on its way.
    let _ = ui.find(|candidate: Candidate<'_>| -> Option<()> {
        match candidate {
            Candidate::Text { content, .. } => seen.push(content.to_string()),
            Candidate::TextInput { state, .. } => seen.push(state.text().to_string()),
            _ => {}
        }
        None
    });
    seen
}

fn shows_no_name(seen: &[String]) {
    for name in ["Rahman", "Sumaiya", "Hossain", "Rahim"] {
        assert!(
            seen.iter().all(|t| !t.contains(name)),
            "{name} is on the wall: {seen:?}"
        );
    }
}

/// G-001's call to Sportello 3: the newest call, or among the last ones (desk without arrow).
fn shows_the_call(seen: &[String]) {
    assert!(seen.iter().any(|t| t == "G-001"), "{seen:?}");
    assert!(
        seen.iter()
            .any(|t| t == "→ Sportello 3" || t == "Sportello 3"),
        "{seen:?}"
    );
}

fn settings_of(path: &Path) -> Settings {
    Settings::load(path).expect("settings")
}

#[test]
fn signed_in_as_the_wall_screen_a_pc_shows_the_calls_full_screen_and_nothing_else() {
    let (dir, path) = temp_db();
    let (mut store, _) = morning(&path);
    for (name, role) in [
        ("parete", Role::WallScreen),
        ("Amina", Role::Reception),
        ("Admin", Role::Admin),
    ] {
        store
            .create_staff(name, role, TEST_PASSWORD, false, rome("2025-07-01 08:00"))
            .expect("account");
    }
    let settings = dir.path().join("terminal.json");
    // The PC had the second window open as a reception PC: the wall replaces it.
    Settings {
        display_open: true,
        ..Settings::default()
    }
    .save(&settings)
    .expect("settings");
    let clock = Arc::new(TestClock(Mutex::new(rome(MORNING))));
    let mut app = App::new(path.clone(), clock.clone()).with_settings(Some(settings.clone()), None);
    app.start_headless(&mut store);
    assert!(app.display_window.is_some());
    let big = Size::new(1920.0, 1080.0);
    let mut kb = Keyboard::new(app, store, big);

    // Name, Tab, password, Enter: the PC is the wall screen.
    kb.type_text("parete");
    kb.press(Named::Tab);
    kb.type_text(TEST_PASSWORD);
    kb.press(Named::Enter);
    assert!(kb.app.is_wall_screen(), "{:?}", kb.app.gate.error);
    assert!(kb.app.full_screen, "the main window takes the whole screen");
    assert!(kb.app.session().is_none(), "no session is kept");
    assert!(kb.app.display_window.is_none(), "one display, not two");
    let remembered = settings_of(&settings);
    assert!(remembered.wall_screen && !remembered.display_open);
    let seen = texts(&kb.app, big);
    shows_the_call(&seen);
    shows_no_name(&seen);
    for shell in ["Accoglienza", "Esci", "Schermo sala", "English", "parete"] {
        assert!(seen.iter().all(|t| !t.contains(shell)), "{shell}: {seen:?}");
    }

    // The keys of the screens do nothing: no tab opens, F5 calls nobody.
    for n in ["1", "2", "3", "4", "5"] {
        kb.ctrl(n);
    }
    for key in [
        Named::F5,
        Named::F6,
        Named::F8,
        Named::Enter,
        Named::Tab,
        Named::Escape,
        Named::ArrowDown,
    ] {
        kb.press(key);
    }
    kb.type_text("Rahman");
    assert!(kb.app.is_wall_screen() && kb.app.session().is_none());
    assert!(kb.app.screens().is_empty());
    let seen = texts(&kb.app, big);
    shows_the_call(&seen);
    shows_no_name(&seen);
    // The F5 above called nobody: G-002 still waits.
    let states: Vec<TicketState> = kb
        .store
        .tickets_of_day(day("2025-07-07"))
        .expect("tickets")
        .iter()
        .map(|t| t.state)
        .collect();
    assert_eq!(states, [TicketState::Called, TicketState::Waiting]);

    // The next call reaches the wall, and is spoken there (the main window is the display).
    service::desk::call_next(
        &mut kb.store,
        &system(),
        "Sportello 5",
        &[],
        rome("2025-07-07 10:01"),
    )
    .expect("call")
    .expect("G-002 waits");
    kb.app.run_headless(&mut kb.store, Message::Tick);
    assert!(
        matches!(kb.app.calls.playing(), Some(Sound::Voice(call)) if call.ticket.to_string() == "G-002"),
        "{:?}",
        kb.app.calls.playing()
    );
    let seen = texts(&kb.app, big);
    assert!(seen.iter().any(|t| t == "→ Sportello 5"), "{seen:?}");
    shows_no_name(&seen);

    // Ten idle minutes (the lock's are 3): no lock, the wall stays.
    clock.advance(Duration::minutes(10));
    kb.app.run_headless(&mut kb.store, Message::IdleCheck);
    assert!(!kb.app.locked());
    assert_ne!(
        std::mem::discriminant(&kb.app.gate.mode),
        std::mem::discriminant(&gate::Mode::Locked {
            staff: String::new()
        })
    );
    shows_the_call(&texts(&kb.app, big));

    // At 1280x800 too.
    let small = Size::new(1280.0, 800.0);
    let seen = texts(&kb.app, small);
    shows_the_call(&seen);
    shows_no_name(&seen);

    // Ctrl+L brings the sign-in over the wall; a reception password is not enough.
    kb.ctrl("l");
    assert!(kb.app.wall_gate_open());
    assert!(texts(&kb.app, big).iter().any(|t| t == "Schermo sala"));
    kb.type_text("Amina");
    kb.press(Named::Tab);
    kb.type_text(TEST_PASSWORD);
    kb.press(Named::Enter);
    assert!(kb.app.is_wall_screen() && kb.app.session().is_none());
    assert_eq!(
        kb.app.gate.error.as_deref(),
        Some("Solo un amministratore può riportare questo PC a terminale")
    );
    assert!(kb.has_focus(gate::PASSWORD), "the password keeps the focus");
    // Esc: the wall is back.
    kb.press(Named::Escape);
    assert!(!kb.app.wall_gate_open());
    shows_the_call(&texts(&kb.app, big));
    // Left alone, the sign-in goes by itself after a minute.
    kb.ctrl("l");
    assert!(kb.app.wall_gate_open());
    clock.advance(Duration::seconds(30));
    kb.app.run_headless(&mut kb.store, Message::IdleCheck);
    assert!(kb.app.wall_gate_open(), "half a minute: still there");
    clock.advance(Duration::seconds(31));
    kb.app.run_headless(&mut kb.store, Message::IdleCheck);
    assert!(!kb.app.wall_gate_open(), "a minute: the wall is back");

    // A restart (a power cut): the PC comes back to the wall by itself, nobody signs in.
    let mut store = SqliteStore::open(&path).expect("open again");
    let mut again =
        App::new(path.clone(), clock.clone()).with_settings(Some(settings.clone()), None);
    again.start_headless(&mut store);
    assert!(again.is_wall_screen() && again.session().is_none());
    assert!(again.display_window.is_none());
    let seen = texts(&again, big);
    shows_the_call(&seen);
    shows_no_name(&seen);

    // An administrator makes it a terminal again.
    kb.ctrl("l");
    kb.type_text("Admin");
    kb.press(Named::Tab);
    kb.type_text(TEST_PASSWORD);
    kb.press(Named::Enter);
    assert!(!kb.app.is_wall_screen(), "{:?}", kb.app.gate.error);
    assert!(!kb.app.full_screen);
    assert_eq!(kb.app.session().map(|s| s.role), Some(Role::Admin));
    assert!(!settings_of(&settings).wall_screen);

    let trail = kb
        .store
        .audit_trail(day("2025-07-07"), day("2025-07-07"))
        .expect("trail");
    let of = |who: &str| -> Vec<&str> {
        trail
            .iter()
            .filter(|e| e.staff == who)
            .map(|e| e.action.as_str())
            .collect()
    };
    assert_eq!(of("parete"), ["sign-in"]);
    assert_eq!(of("Amina"), ["sign-in", "sign-out"]);
    assert_eq!(of("Admin"), ["sign-in"]);
}
