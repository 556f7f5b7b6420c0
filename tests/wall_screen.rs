//! The wall-screen account (issue 13, item 5): it reads the board and nothing else, and
//! every service it might be sent to refuses it. Real SQLite files.

mod common;

use std::path::Path;

use chrono::Duration;
use common::*;
use uuid::Uuid;
use welcome_desk::domain::staff::Role;
use welcome_desk::domain::{Queue, Ticket, TicketEvent, TicketState};
use welcome_desk::progress::Silent;
use welcome_desk::service;
#[allow(unused_imports)]
use welcome_desk::store::prelude::*;
use welcome_desk::store::{Principal, SqliteStore, StoreError};

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
            service::appointments::check_in(&mut store, &wall, booking, now).map(drop),
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
