//! The front desk by keyboard alone: real key events (letters, Tab, Shift+Tab, arrows, Enter,
//! F-keys, Ctrl+L) through a real iced user interface that keeps its focus between keys, the
//! app's own steps, a real SQLite file. No click anywhere in this file.

mod common;
#[path = "common/keys.rs"]
mod keys;

use std::sync::Arc;

use common::*;
use iced::Size;
use iced::keyboard::key::Named;
use keys::Keyboard;
use welcome_desk::clock::FixedClock;
use welcome_desk::domain::staff::Role;
#[allow(unused_imports)]
use welcome_desk::store::prelude::*;
use welcome_desk::store::{SqliteStore, Store};
use welcome_desk::ui::app::{App, Screen};
use welcome_desk::ui::this_pc::Settings;

/// Monday 7 July 2025, 10:00 in Rome: walk-in hours.
const NOW: &str = "2025-07-07 10:00";
const SMALL: Size = Size::new(1024.0, 600.0);

fn terminal(path: &std::path::Path, settings: Option<std::path::PathBuf>) -> App {
    App::new(path.to_path_buf(), Arc::new(FixedClock(rome(NOW)))).with_settings(settings, None)
}

/// A terminal signed in as `role` (by messages: signing in by keys has its own test).
fn signed_in(path: &std::path::Path, role: Role) -> Keyboard {
    let mut store = SqliteStore::open(path).unwrap();
    let mut app = terminal(path, None);
    sign_in(&mut app, &mut store, role);
    Keyboard::new(app, store, SMALL)
}

#[test]
fn ten_walk_ins_in_a_row_with_three_keys_each_beyond_names_and_service() {
    let (_dir, path) = temp_db();
    let mut kb = signed_in(&path, Role::Reception);
    assert!(
        kb.has_focus("family-name"),
        "reception opens in the family name"
    );
    let people = [
        ("Rossi", "Mario", "ca", "housing"),
        ("Hassan", "Omar", "so", "social-support"),
        ("Quispe Mamani", "Rosa", "l", "work-training"),
        ("Begum", "Nasima", "r", "family-reunification"),
        ("Diallo", "Mamadou", "co", "legal-administrative"),
        ("Okafor", "Ngozi", "p", "psychological-support"),
        ("Tesfaye", "Helen", "o", "language-orientation"),
        ("Kovalenko", "Olena", "a", "other"),
        ("Mansour", "Fatma", "s", "social-support"),
        ("Miah", "Rafiqul", "ca", "housing"),
    ];
    for (i, (family, given, letters, service)) in people.into_iter().enumerate() {
        kb.type_text(family);
        kb.keys = 0;
        kb.press(Named::Tab);
        kb.type_text(given);
        let typed_name = kb.keys;
        kb.press(Named::Tab);
        assert!(
            kb.has_focus("service"),
            "Tab from the given name goes to the service"
        );
        kb.type_text(letters);
        kb.press(Named::Enter);
        let extra = kb.keys - typed_name - letters.chars().count() + 1;
        assert_eq!(
            extra, 3,
            "Tab, Tab, Enter beyond the names and the service's letters"
        );

        assert_eq!(kb.app.reception().unwrap().error, None, "{family}");
        let issued = kb
            .app
            .reception()
            .unwrap()
            .issued
            .clone()
            .expect("a ticket");
        assert_eq!(issued.ticket.to_string(), format!("G-{:03}", i + 1));
        assert!(issued.first_time);
        let visitor = kb.store.visitor(issued.visitor_id).unwrap();
        assert_eq!(visitor.details.family_name, family);
        assert_eq!(visitor.details.given_name, given);
        let tickets = kb.store.tickets_of_day(day("2025-07-07")).unwrap();
        assert_eq!(tickets.last().map(|t| t.service.as_str()), Some(service));
        assert!(kb.has_focus("family-name"), "focus back in the family name");
    }
}

#[test]
fn a_returning_visitor_is_chosen_with_the_arrows_and_confirmed_with_enter() {
    let (_dir, path) = temp_db();
    let mut store = SqliteStore::open(&path).unwrap();
    let first = store
        .register(
            &new_walk_in("Hossain", "Md Rahim", true),
            rome("2025-06-02 10:00"),
        )
        .unwrap();
    drop(store);
    let mut kb = signed_in(&path, Role::Reception);
    kb.type_text("Hossain");
    kb.keys = 0;
    kb.press(Named::Tab);
    kb.type_text("Md Rahim");
    let names = kb.keys - 1;
    assert_eq!(
        kb.app.reception().unwrap().candidates.len(),
        1,
        "found while typing"
    );
    kb.press(Named::ArrowDown);
    assert_eq!(kb.app.reception().unwrap().highlighted, Some(0));
    kb.press(Named::Enter);
    assert_eq!(
        kb.app.reception().unwrap().picked.as_ref().map(|v| v.id),
        Some(first.visitor_id),
        "Enter confirms the highlighted person"
    );
    assert!(
        kb.has_focus("service"),
        "then the service is all that is left"
    );
    kb.type_text("ca");
    kb.press(Named::Enter);
    let extra = kb.keys - names - 2;
    assert_eq!(
        extra, 4,
        "Tab, Down, Enter, Enter beyond the names and the service"
    );
    let issued = kb
        .app
        .reception()
        .unwrap()
        .issued
        .clone()
        .expect("a ticket");
    assert!(!issued.first_time);
    assert_eq!(issued.visitor_id, first.visitor_id);
    assert_eq!(issued.ticket.to_string(), "S-001", "an SAI guest on file");
}

#[test]
fn tab_and_shift_tab_follow_reading_order_through_fields_and_buttons() {
    let (_dir, path) = temp_db();
    let mut kb = signed_in(&path, Role::Reception);
    let order = [
        "family-name",
        "given-name",
        "service",
        "priority",
        "birth-date",
        "sex",
        "country",
        "languages",
        "channel",
        "sai-guest",
        "override-queue",
        "register",
        "clear",
    ];
    for pair in order.windows(2) {
        assert!(kb.has_focus(pair[0]), "at {}: {:?}", pair[0], kb.focused());
        kb.press(Named::Tab);
        assert!(kb.has_focus(pair[1]), "Tab from {} to {}", pair[0], pair[1]);
    }
    for pair in order.windows(2).rev() {
        kb.shift_tab();
        assert!(
            kb.has_focus(pair[0]),
            "Shift+Tab from {} to {}",
            pair[1],
            pair[0]
        );
    }
    // Choices by keyboard: letters and arrows on the focused list, Space on the check box.
    for _ in 0..5 {
        kb.press(Named::Tab);
    }
    assert!(kb.has_focus("sex"));
    kb.type_text("d");
    assert_eq!(
        kb.app.reception().unwrap().sex,
        welcome_desk::domain::Sex::F,
        "Donna"
    );
    kb.press(Named::Tab);
    kb.type_text("eg");
    assert_eq!(
        kb.app.reception().unwrap().country.as_deref(),
        Some("EG"),
        "Egitto"
    );
    kb.press(Named::Tab);
    kb.press(Named::Tab);
    kb.press(Named::ArrowDown);
    assert_eq!(
        kb.app.reception().unwrap().channel,
        welcome_desk::domain::Channel::Appointment
    );
    kb.press(Named::Tab);
    kb.press(Named::Space);
    assert!(
        kb.app.reception().unwrap().sai_guest,
        "Space ticks the SAI box"
    );
}

#[test]
fn errors_are_in_the_screens_language_beside_their_field_and_go_when_it_changes() {
    let (_dir, path) = temp_db();
    let mut kb = signed_in(&path, Role::Reception);
    kb.press(Named::Enter);
    assert_eq!(
        kb.app.reception().unwrap().error.as_deref(),
        Some("Cognome: campo obbligatorio")
    );
    assert_eq!(kb.app.reception().unwrap().error_field, Some("family_name"));
    assert!(kb.has_focus("family-name"), "the error took no focus");
    kb.type_text("Rossi");
    assert_eq!(
        kb.app.reception().unwrap().error,
        None,
        "typing in the field clears its error"
    );

    kb.press(Named::Tab);
    kb.type_text("Anna");
    kb.press(Named::Tab);
    kb.type_text("ca");
    kb.press(Named::Tab);
    kb.press(Named::Tab);
    kb.type_text("31/02/1990");
    kb.press(Named::Enter);
    assert_eq!(
        kb.app.reception().unwrap().error.as_deref(),
        Some("Data di nascita: non è una data (scrivere GG/MM/AAAA)")
    );
    assert!(kb.has_focus("birth-date"));

    // In English, the same with English labels; and the date as Italians write it.
    kb.app.run_headless(
        &mut kb.store,
        welcome_desk::ui::app::Message::ToggleLanguage,
    );
    assert_eq!(kb.app.lang, welcome_desk::ui::i18n::Lang::En);
    for _ in 0.."31/02/1990".len() {
        kb.press(Named::Backspace);
    }
    kb.type_text("1990-13-01");
    kb.press(Named::Enter);
    assert_eq!(
        kb.app.reception().unwrap().error.as_deref(),
        Some("Birth date: is not a date (type DD/MM/YYYY)")
    );
    for _ in 0.."1990-13-01".len() {
        kb.press(Named::Backspace);
    }
    kb.type_text("03/02/1990");
    kb.press(Named::Enter);
    let issued = kb
        .app
        .reception()
        .unwrap()
        .issued
        .clone()
        .expect("registered");
    let visitor = kb.store.visitor(issued.visitor_id).unwrap();
    assert_eq!(visitor.details.birth_date, Some(day("1990-02-03")));
}

#[test]
fn a_failed_sign_in_keeps_the_focus_in_the_password_field() {
    let (_dir, path) = temp_db();
    let mut store = SqliteStore::open(&path).unwrap();
    store
        .create_staff("Amina", Role::Reception, TEST_PASSWORD, false, rome(NOW))
        .unwrap();
    let mut app = terminal(&path, None);
    app.start_headless(&mut store);
    let mut kb = Keyboard::new(app, store, SMALL);
    assert!(kb.has_focus("gate-name"), "sign-in opens in the name");
    kb.type_text("Amina");
    kb.press(Named::Tab);
    kb.type_text("wrong password");
    kb.press(Named::Enter);
    assert!(!kb.app.unlocked());
    assert_eq!(kb.app.gate.error.as_deref(), Some("Nome o password errati"));
    assert!(kb.has_focus("gate-password"), "{:?}", kb.focused());
    assert!(kb.app.gate.password.is_empty());
    // The next try goes into the password field, never into the name in clear.
    kb.type_text(TEST_PASSWORD);
    assert_eq!(kb.app.gate.name, "Amina");
    assert_eq!(kb.app.gate.password, TEST_PASSWORD);
    kb.press(Named::Enter);
    assert!(kb.app.unlocked());
    assert!(kb.has_focus("family-name"));

    // Ctrl+L locks; the lock screen opens in the password; a typo keeps it there.
    kb.ctrl("l");
    assert!(!kb.app.unlocked());
    assert!(kb.has_focus("gate-password"));
    kb.type_text("typo");
    kb.press(Named::Enter);
    assert!(kb.has_focus("gate-password"), "{:?}", kb.focused());
    kb.type_text(TEST_PASSWORD);
    kb.press(Named::Enter);
    assert!(kb.app.unlocked());
}

#[test]
fn the_first_administrator_form_keeps_its_focus_through_an_error() {
    let (_dir, path) = temp_db();
    let mut store = SqliteStore::open(&path).unwrap();
    let mut app = terminal(&path, None);
    app.start_headless(&mut store);
    let mut kb = Keyboard::new(app, store, SMALL);
    assert!(kb.has_focus("gate-name"));
    kb.type_text("admin");
    kb.press(Named::Tab);
    kb.type_text("a long secret");
    kb.press(Named::Tab);
    kb.type_text("a long secreT");
    kb.press(Named::Enter);
    assert_eq!(
        kb.app.gate.error.as_deref(),
        Some("Password: le due password non coincidono")
    );
    assert!(kb.has_focus("gate-repeat"), "{:?}", kb.focused());
    assert!(
        kb.app.gate.repeat.is_empty(),
        "the repetition is typed again"
    );
    kb.type_text("a long secret");
    kb.press(Named::Enter);
    assert!(kb.app.unlocked(), "{:?}", kb.app.gate.error);
}

#[test]
fn the_desk_is_the_pcs_and_survives_sign_out_and_restart() {
    let (dir, path) = temp_db();
    let settings = dir.path().join("config").join("terminal.json");
    let mut store = SqliteStore::open(&path).unwrap();
    for (f, g) in [("Hassan", "Omar"), ("Rahman", "Nasrin")] {
        store
            .register(&new_walk_in(f, g, false), rome("2025-07-07 09:30"))
            .unwrap();
    }
    let mut app = terminal(&path, Some(settings.clone()));
    sign_in(&mut app, &mut store, Role::Mediator);
    let mut kb = Keyboard::new(app, store, SMALL);
    assert_eq!(kb.app.screen, Screen::Desk);
    // A PC never set up: calling is refused until it says which desk it is.
    kb.press(Named::F5);
    assert!(kb.app.desk().unwrap().error.is_some());
    assert!(kb.app.ticket_at_desk().is_none());
    assert!(kb.has_focus("desk-label"), "the set-up opens in the label");
    kb.type_text("Sportello 3");
    kb.press(Named::Enter);
    assert_eq!(kb.app.desk().unwrap().desk.as_deref(), Some("Sportello 3"));
    kb.press(Named::F5);
    assert_eq!(
        kb.app.ticket_at_desk().map(|t| t.to_string()).as_deref(),
        Some("G-001")
    );
    kb.press(Named::F8);

    // Sign out and in again: still Sportello 3, and F5 calls at once.
    kb.app
        .run_headless(&mut kb.store, welcome_desk::ui::app::Message::SignOut);
    sign_in(&mut kb.app, &mut kb.store, Role::Mediator);
    assert_eq!(kb.app.desk().unwrap().desk.as_deref(), Some("Sportello 3"));

    // A restart: a new terminal on the same PC.
    let Keyboard { store, .. } = kb;
    let mut again = terminal(&path, Some(settings.clone()));
    let mut store = store;
    sign_in(&mut again, &mut store, Role::Mediator);
    let mut kb = Keyboard::new(again, store, SMALL);
    assert_eq!(kb.app.desk().unwrap().desk.as_deref(), Some("Sportello 3"));
    kb.press(Named::F5);
    assert_eq!(
        kb.app.ticket_at_desk().map(|t| t.to_string()).as_deref(),
        Some("G-002")
    );
    let on_file = Settings::load(&settings).unwrap();
    assert_eq!(on_file.desk.as_deref(), Some("Sportello 3"));
}

#[test]
fn the_wall_screen_opens_from_the_sign_in_screen_and_comes_back_after_a_restart() {
    let (dir, path) = temp_db();
    let settings = dir.path().join("terminal.json");
    let mut store = SqliteStore::open(&path).unwrap();
    store
        .create_staff("Amina", Role::Reception, TEST_PASSWORD, false, rome(NOW))
        .unwrap();
    let mut app = terminal(&path, Some(settings.clone()));
    app.start_headless(&mut store);
    assert!(!app.unlocked());
    app.run_headless(&mut store, welcome_desk::ui::app::Message::OpenDisplay);
    assert!(
        app.display_window.is_some(),
        "no account needed for the wall screen"
    );

    let mut restarted = terminal(&path, Some(settings));
    restarted.start_headless(&mut store);
    assert!(
        restarted.display_window.is_some(),
        "the waiting room is lit again"
    );
}

/// A print that fails after the ticket is issued shows its banner without taking the focus
/// from the family name, where the next person is already being typed.
#[test]
fn a_print_failing_later_leaves_the_focus_where_reception_types() {
    use welcome_desk::print::PrintError;
    use welcome_desk::ui::app::Message;
    let (dir, path) = temp_db();
    // A PC whose printer is a file: the first print succeeds.
    let config = dir.path().join("terminal.json");
    Settings {
        printer: Some(dir.path().join("ticket.bin").display().to_string()),
        ..Settings::default()
    }
    .save(&config)
    .expect("settings");
    let mut store = SqliteStore::open(&path).unwrap();
    let mut app = terminal(&path, Some(config));
    sign_in(&mut app, &mut store, Role::Reception);
    let mut kb = Keyboard::new(app, store, SMALL);
    kb.type_text("Hossain");
    kb.press(Named::Tab);
    kb.type_text("Rahim");
    kb.press(Named::Tab);
    kb.type_text("ca");
    kb.press(Named::Enter);
    assert!(kb.app.reception().unwrap().issued.is_some(), "issued");
    assert!(kb.app.not_printed.is_none(), "printed on the file");
    assert!(dir.path().join("ticket.bin").exists());
    assert!(kb.has_focus("family-name"));
    kb.type_text("Ros");
    // A reprint's answer comes in while the next name is typed: it failed.
    let ticket = "G-001".parse().expect("a ticket");
    kb.app.run_headless(
        &mut kb.store,
        Message::Printed(
            ticket,
            Err(PrintError::Refused {
                printer: "127.0.0.1:9100".into(),
            }),
        ),
    );
    assert!(kb.app.not_printed.is_some(), "the banner");
    assert!(
        kb.has_focus("family-name"),
        "the focus stays in the family name"
    );
    kb.type_text("si");
    assert_eq!(kb.app.reception().unwrap().family_name, "Rossi");
}

/// The terminal's own banner (here a failed daily backup) appearing while reception types
/// takes neither the focus nor a keystroke.
#[test]
fn a_banner_appearing_while_typing_leaves_the_focus_in_the_field() {
    use welcome_desk::store::StoreError;
    use welcome_desk::ui::app::Message;
    let (_dir, path) = temp_db();
    let mut kb = signed_in(&path, Role::Reception);
    kb.type_text("Ros");
    kb.app
        .run_headless(&mut kb.store, Message::BackedUp(Err(StoreError::DiskFull)));
    assert!(kb.app.banner.is_some(), "the banner is up");
    assert!(kb.has_focus("family-name"), "{:?}", kb.focused());
    kb.type_text("si");
    assert_eq!(kb.app.reception().unwrap().family_name, "Rossi");
    kb.app.run_headless(&mut kb.store, Message::DismissBanner);
    kb.type_text("ni");
    assert_eq!(kb.app.reception().unwrap().family_name, "Rossini");
}

/// A namesake whose birth year was typed with two digits swapped is found first, and reception
/// reads why beside the candidate, in its own language.
#[test]
fn reception_sees_why_a_candidate_is_proposed() {
    use welcome_desk::domain::VisitorDetails;
    use welcome_desk::store::VisitorChoice;
    let (_dir, path) = temp_db();
    let mut store = SqliteStore::open(&path).unwrap();
    let mut ids = Vec::new();
    for birth in ["1993-03-02", "1975-08-19", "1988-11-30"] {
        let details = VisitorDetails {
            birth_date: Some(day(birth)),
            ..person("Mansour", "Fatma", false)
        };
        let r = store
            .register(
                &walk_in(VisitorChoice::New(details), "housing"),
                rome("2025-06-02 10:00"),
            )
            .unwrap();
        ids.push(r.visitor_id);
    }
    drop(store);
    let mut kb = signed_in(&path, Role::Reception);
    kb.type_text("Mansour");
    kb.press(Named::Tab);
    kb.type_text("Fatma");
    for _ in 0..3 {
        kb.press(Named::Tab);
    }
    assert!(kb.has_focus("birth-date"));
    // 1993 typed 1939: the search runs again as the date is typed.
    kb.type_text("02/03/1939");
    let first = kb
        .app
        .reception()
        .unwrap()
        .candidates
        .first()
        .expect("candidates");
    assert_eq!(
        first.visitor_id, ids[0],
        "the namesake one slip away comes first"
    );
    let shown = iced_test::simulator(kb.app.view(iced::window::Id::unique()))
        .find("stesso nome; data con due cifre invertite")
        .is_ok();
    assert!(shown, "the reasons are on screen");
}

/// Tab moves the focus while it is being handled: a letter typed right after it, before the
/// terminal has run anything else, lands in the next field (under Xvfb with 40 ms between
/// keys, "Rossi", Tab, "Anna" once gave "RossiA" and "nna").
#[test]
fn a_letter_right_after_tab_lands_in_the_next_field() {
    let (_dir, path) = temp_db();
    let mut kb = signed_in(&path, Role::Reception);
    kb.type_text("Rossi");
    kb.tab_then_type_at_once("Anna");
    assert_eq!(kb.app.reception().unwrap().family_name, "Rossi");
    assert_eq!(kb.app.reception().unwrap().given_name, "Anna");
}
