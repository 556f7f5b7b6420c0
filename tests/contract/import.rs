//! Importing a legacy register: idempotent, rows in any order, first-time flags decided over
//! the whole history.

use uuid::Uuid;
use welcome_desk::domain::Channel;
use welcome_desk::domain::matching::BirthQuery;
use welcome_desk::report::report;
use welcome_desk::store::{ImportSummary, LegacyAccess, Store, VisitorChoice};

use super::Engine;
use crate::common::*;

fn row(line: u64, local: &str, person_ref: &str, family: &str, service: &str) -> LegacyAccess {
    LegacyAccess {
        line,
        arrived_at: rome(local),
        person_ref: person_ref.into(),
        details: person(family, "Legacy", false),
        channel: Channel::WalkIn,
        service: service.into(),
    }
}

/// The one visitor found under `family`.
fn visitor_named(store: &dyn Store, family: &str) -> Uuid {
    let found = store
        .search(family, "Legacy", BirthQuery::Unknown, 5)
        .unwrap();
    let exact: Vec<Uuid> = found
        .iter()
        .filter(|c| c.family_name == family)
        .map(|c| c.visitor_id)
        .collect();
    assert_eq!(exact.len(), 1, "{family}: {found:?}");
    exact[0]
}

/// Each access of a visitor by arrival: (Rome local time, first-time flag).
fn history(store: &dyn Store, id: Uuid) -> Vec<(String, bool)> {
    store
        .export_visitor(id)
        .unwrap()
        .accesses
        .iter()
        .map(|a| {
            (
                a.arrived_at
                    .with_timezone(&chrono_tz::Europe::Rome)
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
                a.first_time,
            )
        })
        .collect()
}

pub fn a_second_import_adds_nothing_and_first_time_flags_are_recomputed(engine: &dyn Engine) {
    let mut reg = engine.fresh();
    let store = &mut reg.store;
    let at = rome("2025-12-01 12:00");
    // Not in date order, as legacy registers are.
    let rows = vec![
        row(2, "2025-03-10 10:00", "P1", "Hassan", "housing"),
        row(3, "2025-02-01 09:00", "P2", "Quispe", "other"),
        row(
            4,
            "2025-02-15 11:00",
            "P1",
            "Hassan",
            "legal-administrative",
        ),
        row(5, "2025-03-01 09:30", "P3", "Diallo", "housing"),
    ];
    let people = 3;
    let first = store.import_accesses(&rows, at).unwrap();
    assert_eq!(
        first,
        ImportSummary {
            rows: rows.len() as u64,
            accesses_added: rows.len() as u64,
            already_present: 0,
            visitors_added: people,
        }
    );
    let hassan = visitor_named(&**store, "Hassan");
    assert_eq!(
        history(&**store, hassan),
        [
            ("2025-02-15 11:00".to_string(), true),
            ("2025-03-10 10:00".to_string(), false)
        ]
    );
    for family in ["Quispe", "Diallo"] {
        let id = visitor_named(&**store, family);
        let flags: Vec<bool> = history(&**store, id).iter().map(|(_, f)| *f).collect();
        assert_eq!(flags, [true], "{family}");
    }
    let range = (day("2025-01-01"), day("2025-12-31"));
    let figures = report(&**store, range.0, range.1).unwrap();
    assert_eq!(figures.accesses, rows.len() as u64);
    assert_eq!(figures.new_visitors, people);
    assert_eq!(figures.first_time_walk_ins, people);

    // The same file again: nothing added, nothing changed.
    let second = store.import_accesses(&rows, at).unwrap();
    assert_eq!(
        second,
        ImportSummary {
            rows: rows.len() as u64,
            accesses_added: 0,
            already_present: rows.len() as u64,
            visitors_added: 0,
        }
    );
    assert_eq!(report(&**store, range.0, range.1).unwrap(), figures);

    // Older history turns up: the first access moves to it.
    let mut more = rows.clone();
    more.push(row(6, "2025-01-20 10:00", "P1", "Hassan", "other"));
    let third = store.import_accesses(&more, at).unwrap();
    assert_eq!(
        (
            third.accesses_added,
            third.already_present,
            third.visitors_added
        ),
        (1, rows.len() as u64, 0)
    );
    assert_eq!(visitor_named(&**store, "Hassan"), hassan, "the same person");
    assert_eq!(
        history(&**store, hassan),
        [
            ("2025-01-20 10:00".to_string(), true),
            ("2025-02-15 11:00".to_string(), false),
            ("2025-03-10 10:00".to_string(), false)
        ]
    );
    let after = report(&**store, range.0, range.1).unwrap();
    assert_eq!(after.accesses, more.len() as u64);
    assert_eq!(
        after.first_time_walk_ins, people,
        "still one first access each"
    );

    // Someone imported comes back to the terminal: not a first access.
    let back = store
        .register(
            &walk_in(VisitorChoice::Existing(hassan), "housing"),
            rome("2025-12-02 10:00"),
        )
        .unwrap();
    assert!(!back.first_time);
    assert_eq!(back.visitor_id, hassan);
}
