//! The coordinators' records screen, headless: the audit trail, a person's data exported and
//! erased (with a confirmation), two records merged and the merge undone, by code.

mod common;

use std::sync::Arc;

use common::*;
use welcome_desk::clock::FixedClock;
use welcome_desk::domain::staff::Role;
#[allow(unused_imports)]
use welcome_desk::store::prelude::*;
use welcome_desk::store::{SqliteStore, Store};
use welcome_desk::ui::app::{App, Message, Screen};
use welcome_desk::ui::records;

fn coordinator(store: &mut SqliteStore, path: std::path::PathBuf, role: Role) -> App {
    let mut app = App::new(path, Arc::new(FixedClock(rome("2025-07-07 12:00"))));
    sign_in(&mut app, store, role);
    app
}

fn send(app: &mut App, store: &mut SqliteStore, messages: Vec<records::Message>) {
    for m in messages {
        app.run_headless(store, Message::Records(m));
    }
}

#[test]
fn a_coordinator_exports_erases_merges_and_reads_the_trail() {
    let (_dir, path) = temp_db();
    let mut store = SqliteStore::open(&path).unwrap();
    let a = store
        .register(
            &new_walk_in("Hossain", "Md Rahim", true),
            rome("2025-07-07 09:00"),
        )
        .unwrap();
    let b = store
        .register(
            &new_walk_in("Hussain", "Rahim", true),
            rome("2025-07-07 09:30"),
        )
        .unwrap();
    let c = store
        .register(
            &new_walk_in("Mamani", "Rosa", false),
            rome("2025-07-07 10:00"),
        )
        .unwrap();
    let before =
        welcome_desk::report::report(&store, day("2025-07-07"), day("2025-07-07")).unwrap();
    let mut app = coordinator(&mut store, path.clone(), Role::Coordinator);
    app.run_headless(&mut store, Message::Show(Screen::Records));
    assert_eq!(app.screen, Screen::Records);

    // Merge the two records of one person by the codes on their cards, then undo.
    send(
        &mut app,
        &mut store,
        vec![
            records::Message::MergeFrom(b.visitor_code.clone()),
            records::Message::MergeInto(a.visitor_code.clone()),
            records::Message::Merge,
        ],
    );
    assert!(
        app.records().unwrap().error.is_none(),
        "{:?}",
        app.records().unwrap().error
    );
    let merge: i64 = app
        .records()
        .unwrap()
        .undo
        .parse()
        .expect("the merge number is offered for undo");
    let after_merge =
        welcome_desk::report::report(&store, day("2025-07-07"), day("2025-07-07")).unwrap();
    assert_eq!(after_merge.unique_visitors, before.unique_visitors - 1);
    send(&mut app, &mut store, vec![records::Message::Undo]);
    assert!(
        app.records()
            .unwrap()
            .notice
            .as_deref()
            .is_some_and(|n| n.contains(&merge.to_string()))
    );
    assert_eq!(
        welcome_desk::report::report(&store, day("2025-07-07"), day("2025-07-07")).unwrap(),
        before
    );

    // Export what is held about a person: a private file.
    send(
        &mut app,
        &mut store,
        vec![
            records::Message::Who(c.visitor_code.clone()),
            records::Message::ExportVisitor,
        ],
    );
    let exported = std::fs::read_dir(path.parent().unwrap().join("exports"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(".json"))
        .expect("an exported file");
    let text = std::fs::read_to_string(&exported).unwrap();
    assert!(text.contains("Mamani"), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&exported).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    // Erase: the first press only asks for confirmation.
    send(&mut app, &mut store, vec![records::Message::Erase]);
    assert!(app.records().unwrap().confirm_erase);
    assert_eq!(
        store.visitor(c.visitor_id).unwrap().details.family_name,
        "Mamani"
    );
    send(&mut app, &mut store, vec![records::Message::ConfirmErase]);
    assert!(
        app.records().unwrap().error.is_none(),
        "{:?}",
        app.records().unwrap().error
    );
    assert!(
        store
            .visitor(c.visitor_id)
            .unwrap()
            .details
            .family_name
            .is_empty()
    );
    assert_eq!(
        welcome_desk::report::report(&store, day("2025-07-07"), day("2025-07-07")).unwrap(),
        before,
        "the figures stay"
    );

    // The trail of the day, read on the screen, holds all of it, with field names only.
    send(&mut app, &mut store, vec![records::Message::LoadTrail]);
    let actions: Vec<&str> = app
        .records()
        .unwrap()
        .trail
        .iter()
        .map(|e| e.action.as_str())
        .collect();
    for expected in ["sign-in", "merge", "undo-merge", "export", "erase"] {
        assert!(actions.contains(&expected), "{actions:?}");
    }
    assert!(!format!("{:?}", app.records().unwrap().trail).contains("Mamani"));
    send(&mut app, &mut store, vec![records::Message::ExportTrail]);
    assert!(
        path.parent()
            .unwrap()
            .join("exports")
            .join("audit-2025-07-07.csv")
            .is_file()
    );
}

#[test]
fn an_administrator_reads_the_trail_but_not_a_person() {
    let (_dir, path) = temp_db();
    let mut store = SqliteStore::open(&path).unwrap();
    let a = store
        .register(
            &new_walk_in("Hossain", "Md Rahim", true),
            rome("2025-07-07 09:00"),
        )
        .unwrap();
    let mut app = coordinator(&mut store, path, Role::Admin);
    app.run_headless(&mut store, Message::Show(Screen::Records));
    assert!(!app.records().unwrap().trail.is_empty());
    send(
        &mut app,
        &mut store,
        vec![
            records::Message::Who(a.visitor_code.clone()),
            records::Message::ExportVisitor,
        ],
    );
    let refused = app.banner.clone().unwrap_or_default();
    assert_eq!(refused, "admin accounts may not export a visitor's data");
    // And the screen does not offer it.
    let view = app.view(iced::window::Id::unique());
    assert!(
        iced_test::simulator(view)
            .find("Esporta i dati (JSON)")
            .is_err()
    );
}
