//! Merging two records of one person, and undoing it: nothing deleted, the figures and the
//! first-time flags follow the person, the undo gives both records back.

use welcome_desk::domain::tally::Report;
use welcome_desk::report::report;
use welcome_desk::store::{Store, StoreError, VisitorChoice};

use super::Engine;
use crate::common::*;

fn figures(store: &dyn Store) -> [Report; 2] {
    [
        report(store, day("2025-07-01"), day("2025-07-31")).unwrap(),
        report(store, day("2025-05-01"), day("2025-07-31")).unwrap(),
    ]
}

pub fn reports_and_first_time_follow_the_person_and_undo_restores_both(engine: &dyn Engine) {
    let mut reg = engine.fresh();
    let store = &mut reg.store;
    let first = store
        .register(
            &new_walk_in("Hossain", "Md Rahim", false),
            rome("2025-05-05 10:00"),
        )
        .unwrap();
    // In July reception did not find him and made a second record: a wrong first access.
    let second = store
        .register(
            &new_walk_in("Hussain", "Mohammad Rahim", false),
            rome("2025-07-07 10:00"),
        )
        .unwrap();
    assert!(second.first_time);
    let before = figures(&**store);
    let [july, whole] = &before;
    assert_eq!((july.new_visitors, july.first_time_walk_ins), (1, 1));
    assert_eq!((whole.unique_visitors, whole.accesses), (2, 2));
    let held_before = store.export_visitor(second.visitor_id).unwrap();

    let merge = store
        .merge_visitors(
            second.visitor_id,
            first.visitor_id,
            "coordinator",
            rome("2025-07-08 09:00"),
        )
        .unwrap();
    let [july, whole] = figures(&**store);
    assert_eq!(
        (july.new_visitors, july.first_time_walk_ins),
        (0, 0),
        "July was not his first access"
    );
    assert_eq!(july.unique_visitors, 1);
    assert_eq!((whole.unique_visitors, whole.new_visitors), (1, 1));
    assert_eq!(whole.accesses, 2, "no access deleted");
    // Either record leads to the person: both records, both accesses, one first access.
    for id in [first.visitor_id, second.visitor_id] {
        let held = store.export_visitor(id).unwrap();
        assert_eq!(held.records.len(), 2);
        assert_eq!(
            held.records[0].visitor.id, first.visitor_id,
            "survivor first"
        );
        assert_eq!(held.records[1].merged_into, Some(first.visitor_id));
        let flags: Vec<bool> = held.accesses.iter().map(|a| a.first_time).collect();
        assert_eq!(flags, [true, false]);
    }
    let (card, visits) = store.visitor_of_access(second.access_id).unwrap();
    assert_eq!((card.id, visits), (first.visitor_id, 2));
    // A merged record cannot be merged again, nor be merged into; nor a record into itself.
    for (from, into) in [
        (second.visitor_id, first.visitor_id),
        (first.visitor_id, second.visitor_id),
        (first.visitor_id, first.visitor_id),
    ] {
        let e = store
            .merge_visitors(from, into, "coordinator", rome("2025-07-08 09:01"))
            .unwrap_err();
        assert!(matches!(e, StoreError::Input(_)), "{e}");
    }

    store
        .undo_merge(merge, "coordinator", rome("2025-07-08 09:05"))
        .unwrap();
    assert_eq!(figures(&**store), before, "the figures as before the merge");
    assert_eq!(
        store.export_visitor(second.visitor_id).unwrap(),
        held_before,
        "the second record as it was"
    );
    assert_eq!(
        store.visitor(first.visitor_id).unwrap().details.family_name,
        "Hossain"
    );
    assert_eq!(
        store
            .export_visitor(first.visitor_id)
            .unwrap()
            .records
            .len(),
        1
    );
    let e = store
        .undo_merge(merge, "coordinator", rome("2025-07-08 09:06"))
        .unwrap_err();
    assert!(matches!(e, StoreError::Input(_)), "undone twice: {e}");
    assert!(matches!(
        store.undo_merge(merge + 1000, "coordinator", rome("2025-07-08 09:06")),
        Err(StoreError::NotFound(_))
    ));

    // Merged again: registering the merged record lands on the surviving one, and stays
    // there after an undo (no access is moved).
    let again = store
        .merge_visitors(
            second.visitor_id,
            first.visitor_id,
            "coordinator",
            rome("2025-07-09 09:00"),
        )
        .unwrap();
    let third = store
        .register(
            &walk_in(VisitorChoice::Existing(second.visitor_id), "housing"),
            rome("2025-07-09 10:00"),
        )
        .unwrap();
    assert_eq!(third.visitor_id, first.visitor_id);
    assert!(!third.first_time);
    store
        .undo_merge(again, "coordinator", rome("2025-07-09 11:00"))
        .unwrap();
    let accesses = |id| {
        store
            .export_visitor(id)
            .unwrap()
            .accesses
            .iter()
            .map(|a| (a.id, a.first_time))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        accesses(first.visitor_id),
        [(first.access_id, true), (third.access_id, false)]
    );
    assert_eq!(accesses(second.visitor_id), [(second.access_id, true)]);
}

pub fn chained_merges_are_undone_latest_first(engine: &dyn Engine) {
    let mut reg = engine.fresh();
    let store = &mut reg.store;
    let mut record = |family: &str, at: &str| {
        store
            .register(&new_walk_in(family, "Rahim", false), rome(at))
            .unwrap()
    };
    let x = record("Hossain", "2025-05-05 10:00");
    let y = record("Hussain", "2025-06-06 10:00");
    let z = record("Hosain", "2025-04-04 10:00");
    let roots = |store: &dyn Store| {
        [x.visitor_id, y.visitor_id, z.visitor_id].map(|id| {
            let held = store.export_visitor(id).unwrap();
            (held.records[0].visitor.id, held.records.len())
        })
    };
    let separate = roots(&**store);
    let before = figures(&**store);
    let first = store
        .merge_visitors(y.visitor_id, x.visitor_id, "c", rome("2025-07-01 09:00"))
        .unwrap();
    let one_two = roots(&**store);
    assert_eq!(
        one_two,
        [(x.visitor_id, 2), (x.visitor_id, 2), (z.visitor_id, 1)]
    );
    // x, with y inside it, joins z: all three are one person, under z.
    let second = store
        .merge_visitors(x.visitor_id, z.visitor_id, "c", rome("2025-07-01 09:05"))
        .unwrap();
    assert_eq!(roots(&**store), [(z.visitor_id, 3); 3]);
    let flags: Vec<(uuid::Uuid, bool)> = store
        .export_visitor(y.visitor_id)
        .unwrap()
        .accesses
        .iter()
        .map(|a| (a.id, a.first_time))
        .collect();
    assert_eq!(
        flags,
        [
            (z.access_id, true),
            (x.access_id, false),
            (y.access_id, false)
        ],
        "one first access: the earliest of the three"
    );
    // The earlier merge cannot be undone under the later one.
    let e = store
        .undo_merge(first, "c", rome("2025-07-01 09:10"))
        .unwrap_err();
    assert!(matches!(e, StoreError::Input(_)), "{e}");
    assert_eq!(roots(&**store), [(z.visitor_id, 3); 3], "nothing changed");
    store
        .undo_merge(second, "c", rome("2025-07-01 09:10"))
        .unwrap();
    assert_eq!(roots(&**store), one_two, "y stays with x");
    store
        .undo_merge(first, "c", rome("2025-07-01 09:15"))
        .unwrap();
    assert_eq!(roots(&**store), separate);
    assert_eq!(figures(&**store), before);
}
