//! The store against real SQLite files.

mod common;

use common::*;
use welcome_desk::domain::hours::rome_day;
use welcome_desk::domain::matching::BirthQuery;
use welcome_desk::domain::{Priority, Queue, Ticket, TicketEvent, TicketState};
use welcome_desk::report::report;
use welcome_desk::store::Location;
#[allow(unused_imports)]
use welcome_desk::store::prelude::*;
use welcome_desk::store::{Actor, LegacyAccess, SqliteStore, Store, StoreError, VisitorChoice};

/// A mediator acting on a ticket already at their desk.
const M: Actor<'static> = Actor {
    staff: "m",
    desk: None,
};

#[test]
fn tickets_count_up_per_queue_and_restart_each_rome_day() {
    let (_dir, mut store) = open_temp();
    let a = store
        .register(
            &new_walk_in("Hassan", "Omar", false),
            rome("2025-07-07 09:00"),
        )
        .unwrap();
    let b = store
        .register(
            &new_walk_in("Rahman", "Nasrin", true),
            rome("2025-07-07 09:01"),
        )
        .unwrap();
    let c = store
        .register(
            &new_walk_in("Quispe", "Rosa", false),
            rome("2025-07-07 09:02"),
        )
        .unwrap();
    assert_eq!(a.ticket.to_string(), "G-001");
    assert_eq!(b.ticket.to_string(), "S-001");
    assert_eq!(c.ticket.to_string(), "G-002");
    assert_eq!(b.queue, Queue::Sai);
    // 00:30 in Rome is still the previous UTC day, but a new ticket day.
    let d = store
        .register(&new_walk_in("Chen", "Wei", false), rome("2025-07-08 00:30"))
        .unwrap();
    assert_eq!(d.ticket.to_string(), "G-001");
    assert_eq!(d.day, day("2025-07-08"));
}

#[test]
fn the_store_decides_first_time_and_keeps_sai_status() {
    let (_dir, mut store) = open_temp();
    let first = store
        .register(
            &new_walk_in("Hossain", "Md Rahim", true),
            rome("2025-07-07 09:00"),
        )
        .unwrap();
    assert!(first.first_time);
    // Back a week later; reception did not tick SAI this time: the file remembers.
    let again = store
        .register(
            &walk_in(VisitorChoice::Existing(first.visitor_id), "housing"),
            rome("2025-07-14 10:00"),
        )
        .unwrap();
    assert!(!again.first_time);
    assert_eq!(again.visitor_id, first.visitor_id);
    assert_eq!(again.queue, Queue::Sai);
    let unknown = store.register(
        &walk_in(VisitorChoice::Existing(uuid::Uuid::now_v7()), "housing"),
        rome("2025-07-14 10:00"),
    );
    assert!(matches!(unknown, Err(StoreError::NotFound(_))));
}

#[test]
fn an_override_is_recorded_and_needs_a_reason() {
    let (_dir, mut store) = open_temp();
    let mut reg = new_walk_in("Tesfaye", "Yonas", false);
    reg.queue_override = Some((Queue::Sai, " ".into()));
    let err = store.register(&reg, rome("2025-07-07 09:00")).unwrap_err();
    assert!(err.to_string().starts_with("queue:"), "{err}");
    reg.queue_override = Some((Queue::Sai, "SAI card not yet issued".into()));
    let ok = store.register(&reg, rome("2025-07-07 09:00")).unwrap();
    assert_eq!(ok.queue, Queue::Sai);
    assert_eq!(
        ok.override_reason.as_deref(),
        Some("SAI card not yet issued")
    );
    // The failed attempt stored nothing: the only ticket is the one just issued.
    assert_eq!(store.tickets_of_day(day("2025-07-07")).unwrap().len(), 1);
}

#[test]
fn call_next_follows_the_queue_order_and_never_gives_one_ticket_twice() {
    let (_dir, mut store) = open_temp();
    let at = rome("2025-07-07 09:00");
    store.register(&new_walk_in("A", "One", false), at).unwrap();
    store.register(&new_walk_in("B", "Two", false), at).unwrap();
    let mut vulnerable = new_walk_in("C", "Three", false);
    vulnerable.priority = Some(Priority::Pregnancy);
    store
        .register(&vulnerable, rome("2025-07-07 09:05"))
        .unwrap();

    let later = rome("2025-07-07 09:10");
    let first = store
        .call_next("Sportello 1", &[], "test:mediator", later)
        .unwrap()
        .unwrap();
    assert_eq!(first.ticket.to_string(), "G-003", "priority first");
    let second = store
        .call_next("Sportello 2", &[Queue::General], "test:mediator", later)
        .unwrap()
        .unwrap();
    assert_eq!(second.ticket.to_string(), "G-001", "then arrival order");
    let third = store
        .call_next("Sportello 1", &[Queue::Sai], "test:mediator", later)
        .unwrap();
    assert_eq!(third, None, "nobody waits in the SAI queue");
    let third = store
        .call_next("Sportello 3", &[], "test:mediator", later)
        .unwrap()
        .unwrap();
    assert_eq!(third.ticket.to_string(), "G-002");
    assert_eq!(
        store
            .call_next("Sportello 3", &[], "test:mediator", later)
            .unwrap(),
        None
    );
}

#[test]
fn every_transition_writes_an_event_and_illegal_ones_are_refused() {
    let (_dir, mut store) = open_temp();
    let d = day("2025-07-07");
    let r = store
        .register(
            &new_walk_in("Diallo", "Mamadou", false),
            rome("2025-07-07 09:00"),
        )
        .unwrap();
    let t = r.ticket;
    let err = store
        .transition(d, t, TicketEvent::Finish, M, rome("2025-07-07 09:01"))
        .unwrap_err();
    assert!(matches!(err, StoreError::Transition(_)), "{err}");
    store
        .call_next("Sportello 4", &[], "m", rome("2025-07-07 09:05"))
        .unwrap();
    store
        .transition(d, t, TicketEvent::Recall, M, rome("2025-07-07 09:07"))
        .unwrap();
    store
        .transition(d, t, TicketEvent::Start, M, rome("2025-07-07 09:08"))
        .unwrap();
    let state = store
        .transition(d, t, TicketEvent::Finish, M, rome("2025-07-07 09:30"))
        .unwrap();
    assert_eq!(state, TicketState::Done);
    let events: Vec<(TicketEvent, Option<String>)> = store
        .events_of_day(d)
        .unwrap()
        .into_iter()
        .map(|e| (e.event, e.desk))
        .collect();
    let desk = Some("Sportello 4".to_string());
    assert_eq!(
        events,
        vec![
            (TicketEvent::Issue, None),
            (TicketEvent::Call, desk.clone()),
            (TicketEvent::Recall, desk.clone()),
            (TicketEvent::Start, desk.clone()),
            (TicketEvent::Finish, desk),
        ]
    );
    let missing = Ticket {
        queue: Queue::Sai,
        number: 9,
    };
    assert!(matches!(
        store.transition(d, missing, TicketEvent::Finish, M, rome("2025-07-07 09:30")),
        Err(StoreError::NotFound(_))
    ));
}

#[test]
fn a_transfer_closes_the_ticket_and_issues_a_linked_one() {
    let (_dir, mut store) = open_temp();
    let d = day("2025-07-07");
    let r = store
        .register(
            &new_walk_in("Haile", "Saba", false),
            rome("2025-07-07 09:00"),
        )
        .unwrap();
    store
        .call_next("Sportello 1", &[], "m", rome("2025-07-07 09:05"))
        .unwrap();
    let new_ticket = store
        .transfer(
            d,
            r.ticket,
            Queue::Sai,
            "psychological-support",
            M,
            rome("2025-07-07 09:10"),
        )
        .unwrap();
    assert_eq!(new_ticket.to_string(), "S-001");
    let tickets = store.tickets_of_day(d).unwrap();
    assert_eq!(tickets.len(), 2);
    assert_eq!(tickets[0].state, TicketState::Transferred);
    assert_eq!(tickets[1].state, TicketState::Waiting);
    assert_eq!(tickets[1].service, "psychological-support");
    assert_eq!(tickets[0].access_id, tickets[1].access_id, "one access");
    // The report still counts one access.
    assert_eq!(report(&store, d, d).unwrap().accesses, 1);
}

#[test]
fn exact_search_finds_swapped_fields_and_case() {
    let (_dir, mut store) = open_temp();
    let r = store
        .register(
            &new_walk_in("Hossain", "Md Rahim", false),
            rome("2025-07-07 09:00"),
        )
        .unwrap();
    let found = store
        .search("md rahim", "HOSSAIN", BirthQuery::Unknown, 5)
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].visitor_id, r.visitor_id);
    let other = store
        .search("Hossain", "Karim", BirthQuery::Unknown, 5)
        .unwrap();
    assert!(
        other.iter().all(|c| !c.likely),
        "another person is never likely"
    );
}

#[test]
fn search_finds_transliterations_and_the_index_loses_nothing_against_a_scan() {
    let (_dir, mut store) = open_temp();
    let mut reg = new_walk_in("Abdel Rahman", "Mostafa", false);
    if let VisitorChoice::New(d) = &mut reg.visitor {
        d.birth_date = Some(day("1991-03-04"));
    }
    let target = store.register(&reg, rome("2025-06-02 10:00")).unwrap();
    for (i, (f, g)) in [
        ("Mohamed", "Ahmed"),
        ("Abdelaziz", "Omar"),
        ("Rahman", "Nasrin"),
    ]
    .iter()
    .enumerate()
    {
        let mut r = new_walk_in(f, g, false);
        if let VisitorChoice::New(d) = &mut r.visitor {
            d.birth_date = Some(day("1980-01-01") + chrono::Duration::days(i as i64 * 400));
        }
        store.register(&r, rome("2025-06-02 10:05")).unwrap();
    }
    // Another receptionist, another spelling, fields swapped, day and month swapped.
    let birth = BirthQuery::parse("1991-04-03").unwrap();
    let found = store.search("Mustafa", "Abdelrahman", birth, 5).unwrap();
    assert_eq!(found[0].visitor_id, target.visitor_id);
    assert!(found[0].likely, "{:?}", found[0]);
    let scanned = store
        .search_by_scan("Mustafa", "Abdelrahman", birth, 5)
        .unwrap();
    assert_eq!(found, scanned);
}

#[test]
fn a_merge_joins_two_records_of_one_person_and_can_be_undone() {
    let (_dir, mut store) = open_temp();
    let d = |s: &str| day(s);
    let first = store
        .register(
            &new_walk_in("Hossain", "Md Rahim", false),
            rome("2025-05-05 10:00"),
        )
        .unwrap();
    // Months later reception did not find him and created a second record.
    let second = store
        .register(
            &new_walk_in("Hussain", "Mohammad Rahim", false),
            rome("2025-07-07 10:00"),
        )
        .unwrap();
    assert!(second.first_time, "a wrong first access, until the merge");
    let july = |s: &SqliteStore| report(s, d("2025-07-01"), d("2025-07-31")).unwrap();
    let whole = |s: &SqliteStore| report(s, d("2025-05-01"), d("2025-07-31")).unwrap();
    assert_eq!(july(&store).new_visitors, 1);
    assert_eq!(whole(&store).unique_visitors, 2);

    let merge = store
        .merge_visitors(
            second.visitor_id,
            first.visitor_id,
            "coordinator",
            rome("2025-07-08 09:00"),
        )
        .unwrap();
    assert_eq!(
        july(&store).new_visitors,
        0,
        "July was not his first access"
    );
    assert_eq!(july(&store).first_time_walk_ins, 0);
    assert_eq!(whole(&store).unique_visitors, 1);
    assert_eq!(whole(&store).accesses, 2, "no access deleted");
    // Registering the merged record lands on the surviving one.
    let third = store
        .register(
            &walk_in(VisitorChoice::Existing(second.visitor_id), "housing"),
            rome("2025-07-09 10:00"),
        )
        .unwrap();
    assert_eq!(third.visitor_id, first.visitor_id);
    assert!(!third.first_time);
    // Merged records no longer show up as separate candidates.
    let found = store
        .search("Hussain", "Mohammad Rahim", BirthQuery::Unknown, 5)
        .unwrap();
    assert!(found.iter().all(|c| c.visitor_id != second.visitor_id));

    assert!(matches!(
        store.merge_visitors(
            second.visitor_id,
            first.visitor_id,
            "c",
            rome("2025-07-10 09:00")
        ),
        Err(StoreError::Input(_))
    ));
    store
        .undo_merge(merge, "coordinator", rome("2025-07-10 09:00"))
        .unwrap();
    assert_eq!(whole(&store).unique_visitors, 2);
    assert_eq!(july(&store).new_visitors, 1, "back as before the merge");
    assert!(
        store
            .undo_merge(merge, "c", rome("2025-07-10 09:00"))
            .is_err(),
        "once only"
    );
}

#[test]
fn a_new_file_is_private_to_its_owner() {
    let (_dir, path) = temp_db();
    SqliteStore::open(&path).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}

#[test]
fn files_that_are_not_a_register_are_refused_and_left_untouched() {
    let (dir, _) = temp_db();
    let text = dir.path().join("notes.db");
    std::fs::write(&text, "family_name;given_name\nHassan;Omar\n").unwrap();
    let err = SqliteStore::open(&text).unwrap_err();
    assert!(err.to_string().contains("not an SQLite database"), "{err}");
    assert_eq!(
        std::fs::read(&text).unwrap(),
        b"family_name;given_name\nHassan;Omar\n"
    );

    let other = dir.path().join("other.db");
    {
        let c = rusqlite::Connection::open(&other).unwrap();
        c.execute_batch("CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('x');")
            .unwrap();
    }
    let before = std::fs::read(&other).unwrap();
    let err = SqliteStore::open(&other).unwrap_err();
    assert!(err.to_string().contains("another program"), "{err}");
    assert_eq!(std::fs::read(&other).unwrap(), before);

    let missing = dir.path().join("no-such-folder").join("r.db");
    assert!(matches!(
        SqliteStore::open(&missing),
        Err(StoreError::MissingFolder { .. })
    ));
}

#[test]
fn a_newer_schema_and_a_truncated_file_are_refused() {
    let (dir, path) = temp_db();
    {
        let mut store = SqliteStore::open(&path).unwrap();
        for i in 0..200 {
            store
                .register(
                    &new_walk_in("Mohamed", &format!("Ahmed {i}"), false),
                    rome("2025-07-07 09:00"),
                )
                .unwrap();
        }
        store.backup_to(&dir.path().join("copy.db")).unwrap();
    }
    let copy = dir.path().join("copy.db");
    let bytes = std::fs::read(&copy).unwrap();
    assert!(bytes.len() > 8192);
    let truncated = dir.path().join("truncated.db");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let err = SqliteStore::open(&truncated).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains("truncated"), "{err}");
    assert_eq!(std::fs::read(&truncated).unwrap().len(), bytes.len() / 2);

    {
        let c = rusqlite::Connection::open(&copy).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
    }
    let before = std::fs::read(&copy).unwrap();
    let err = SqliteStore::open(&copy).unwrap_err();
    assert!(matches!(err, StoreError::TooNew { found: 99, .. }), "{err}");
    assert!(err.to_string().contains("newer welcome-desk"));
    assert_eq!(std::fs::read(&copy).unwrap(), before);
}

#[test]
fn a_backup_reports_the_same_figures() {
    let (dir, mut store) = open_temp();
    for i in 0..30 {
        store
            .register(
                &new_walk_in("Quispe", &format!("Rosa {i}"), i % 3 == 0),
                rome("2025-07-07 09:00") + chrono::Duration::minutes(i),
            )
            .unwrap();
    }
    let dest = dir.path().join("backup.db");
    store.backup_to(&dest).unwrap();
    let restored = SqliteStore::open(&dest).unwrap();
    let d = day("2025-07-07");
    assert_eq!(
        report(&store, d, d).unwrap(),
        report(&restored, d, d).unwrap()
    );
    assert_eq!(restored.integrity_check().unwrap(), "ok");
}

#[test]
fn dst_change_days_count_every_hour_on_the_right_day() {
    let (_dir, mut store) = open_temp();
    // Spring forward: 2025-03-30 has 23 hours; fall back: 2025-10-26 has 25.
    for t in [
        "2025-03-29 23:59",
        "2025-03-30 00:30",
        "2025-03-30 03:30",
        "2025-03-30 23:30",
        "2025-03-31 00:00",
        "2025-10-26 00:30",
        "2025-10-26 23:30",
        "2025-10-27 00:10",
    ] {
        store
            .register(&new_walk_in("Rossi", t, false), rome(t))
            .unwrap();
    }
    let count = |d: &str| report(&store, day(d), day(d)).unwrap().accesses;
    assert_eq!(count("2025-03-29"), 1);
    assert_eq!(count("2025-03-30"), 3);
    assert_eq!(count("2025-03-31"), 1);
    assert_eq!(count("2025-10-26"), 2);
    assert_eq!(count("2025-10-27"), 1);
    assert_eq!(rome_day(rome("2025-10-26 23:30")), day("2025-10-26"));
}

#[test]
fn another_connection_sees_changes_through_the_change_feed() {
    let (_dir, path) = temp_db();
    let mut writer = SqliteStore::open(&path).unwrap();
    let mut feed = welcome_desk::store::watch(&Location::file(path.clone())).unwrap();
    assert!(
        !feed.wait(std::time::Duration::from_millis(300)).unwrap(),
        "nothing changed yet"
    );
    writer
        .register(&new_walk_in("Ali", "Omar", false), rome("2025-07-07 09:00"))
        .unwrap();
    assert!(feed.wait(std::time::Duration::from_secs(2)).unwrap());
    // Reported once: the next wait sees nothing new.
    assert!(!feed.wait(std::time::Duration::from_millis(300)).unwrap());
}

#[test]
fn damage_below_the_header_is_found_by_the_page_check() {
    let (dir, path) = temp_db();
    {
        let mut store = SqliteStore::open(&path).unwrap();
        for i in 0..300 {
            store
                .register(
                    &new_walk_in("Mohamed", &format!("Ahmed {i}"), false),
                    rome("2025-07-07 09:00"),
                )
                .unwrap();
        }
        store.check().unwrap();
        store.backup_to(&dir.path().join("copy.db")).unwrap();
    }
    let copy = dir.path().join("copy.db");
    let mut bytes = std::fs::read(&copy).unwrap();
    let page = 4096;
    assert!(bytes.len() > 6 * page);
    // Scribble over the b-tree headers of pages 3 to 5: table and index pages, not the
    // file header (which the open checks already cover).
    for p in 2..5 {
        for b in &mut bytes[p * page..p * page + 12] {
            *b = 0xA5;
        }
    }
    std::fs::write(&copy, &bytes).unwrap();
    let verdict = SqliteStore::open(&copy).and_then(|s| s.check());
    assert!(
        matches!(verdict, Err(StoreError::Corrupt { .. })),
        "{verdict:?}"
    );
}

#[test]
fn among_equal_scores_the_closest_spelling_comes_first() {
    let (_dir, mut store) = open_temp();
    let at = rome("2025-07-07 09:00");
    // Registered first, so the visitor code alone would put it first.
    for (family, given) in [
        ("Hussein", "Rahim"),
        ("Hossain", "Md Rahima"),
        ("Hossain", "Md Rahim"),
    ] {
        store
            .register(&new_walk_in(family, given, false), at)
            .unwrap();
    }
    // Many people share these parts: without a birth date no name among them is "likely",
    // and the scores are capped alike.
    for _ in 0..4 {
        for (family, given) in [
            ("Hossain", "Nur"),
            ("Rahim", "Salma"),
            ("Mohamed", "Ali"),
            ("Hassan", "Ali"),
        ] {
            store
                .register(&new_walk_in(family, given, false), at)
                .unwrap();
        }
    }
    let found = store
        .search("Hussain", "Md Rahim", BirthQuery::Unknown, 5)
        .unwrap();
    let names: Vec<String> = found
        .iter()
        .map(|c| format!("{} {} {}", c.family_name, c.given_name, c.score))
        .collect();
    assert_eq!(found[0].score, found[1].score, "{names:?}");
    assert_eq!(found[0].family_name, "Hossain", "{names:?}");
    assert_eq!(found[0].given_name, "Md Rahim", "{names:?}");
}

#[test]
fn a_name_on_file_in_arabic_script_is_found_typed_in_latin_letters_also_after_an_upgrade() {
    let (dir, mut store) = open_temp();
    let mut details = person("حسن", "محمد", false);
    details.birth_date = Some(day("1990-03-04"));
    let on_file = store
        .register(
            &walk_in(VisitorChoice::New(details), "housing"),
            rome("2025-07-07 09:00"),
        )
        .unwrap();
    store
        .register(
            &new_walk_in("Hassan", "Omar", false),
            rome("2025-07-07 09:05"),
        )
        .unwrap();
    let birth = BirthQuery::Date(day("1990-03-04"));
    let found = store.search("Hassan", "Mohamed", birth, 5).unwrap();
    assert_eq!(found[0].visitor_id, on_file.visitor_id, "{found:?}");
    assert!(found[0].likely, "{found:?}");
    drop(store);

    // A register written before skeletons: the old profile and keys, schema version 2.
    let path = dir.path().join("register.db");
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute_batch(
        "UPDATE visitor SET match_profile = 'حسن:حسن:0 محمد:محمد:0' WHERE seq = 1;
         DELETE FROM visitor_match_key WHERE visitor_seq = 1;
         INSERT INTO visitor_match_key VALUES ('t:حسن', 1), ('t:محمد', 1), ('p:حسن|محمد', 1);
         PRAGMA user_version = 2;",
    )
    .unwrap();
    drop(raw);
    let store = SqliteStore::open(&path).unwrap();
    let found = store.search("Hassan", "Mohamed", birth, 5).unwrap();
    assert_eq!(
        found.first().map(|c| c.visitor_id),
        Some(on_file.visitor_id),
        "{found:?}"
    );
}

/// How common a name is counts people sharing its spelling, not its phonetic key: Intriago,
/// Andrade, Andrey and Andres are all ANTR to Double Metaphone, Edwin, Adan, Aden and Aydin
/// all ATN, yet a register holding them all has one Edwin Intriago. Registers written before
/// version 4 have no spelling keys; the upgrade writes them.
#[test]
fn a_rare_name_sharing_a_phonetic_key_with_many_is_still_rare_also_after_an_upgrade() {
    let (dir, mut store) = open_temp();
    let on_file = store
        .register(
            &new_walk_in("Intriago", "Edwin", false),
            rome("2025-07-07 09:00"),
        )
        .unwrap();
    for (family, given) in [
        ("Andrade", "Adan"),
        ("Andrey", "Aden"),
        ("Andres", "Aydin"),
        ("Andrade", "Aden"),
    ] {
        store
            .register(&new_walk_in(family, given, false), rome("2025-07-07 09:05"))
            .unwrap();
    }
    let likely = |store: &SqliteStore| {
        let found = store
            .search("INTRIAGO", "Edwin", BirthQuery::Unknown, 5)
            .unwrap();
        assert_eq!(found[0].visitor_id, on_file.visitor_id, "{found:?}");
        found[0].likely
    };
    assert!(likely(&store), "a rare name, even without a date");
    drop(store);

    let path = dir.path().join("register.db");
    let spellings = || {
        rusqlite::Connection::open(&path)
            .unwrap()
            .query_row(
                "SELECT group_concat(key || visitor_seq) FROM                  (SELECT key, visitor_seq FROM visitor_match_key WHERE key LIKE 'n:%' ORDER BY 1, 2)",
                [],
                |r| r.get::<_, String>(0),
            )
            .unwrap()
    };
    let written = spellings();
    assert!(written.contains("n:intriago1"), "{written}");
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute_batch(
        "DELETE FROM visitor_match_key WHERE key LIKE 'n:%';
         PRAGMA user_version = 3;",
    )
    .unwrap();
    drop(raw);
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(
        spellings(),
        written,
        "the upgrade writes what registration writes"
    );
    assert!(likely(&store), "after the upgrade to version 4");
}

/// A time or an id the store cannot read back is an error that says so, never the epoch or
/// the nil id standing in for it.
#[test]
fn an_unreadable_time_or_id_is_an_error_not_a_stand_in() {
    let (dir, mut store) = open_temp();
    let at = rome("2025-07-07 10:00");
    store
        .register(&new_walk_in("Hassan", "Omar", false), at)
        .unwrap();
    drop(store);
    let path = dir.path().join("register.db");
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute_batch("UPDATE ticket SET issued_at = 9223372036854775807")
        .unwrap();
    drop(raw);
    let store = SqliteStore::open(&path).unwrap();
    let err = store.tickets_of_day(day("2025-07-07")).unwrap_err();
    assert!(err.to_string().contains("not a time"), "{err}");
    drop(store);

    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute_batch("UPDATE ticket SET issued_at = 0; UPDATE access SET id = 'not-an-id'")
        .unwrap();
    drop(raw);
    let mut store = SqliteStore::open(&path).unwrap();
    let err = store
        .call_next("Sportello 1", &[], "test:desk", at)
        .unwrap_err();
    assert!(
        err.to_string().contains("not-an-id") || err.to_string().contains("invalid"),
        "{err}"
    );
}

/// A pair of names more than a thousand people share is narrowed by the birth date: by the
/// year and the years either side, and (since version 5) by the day and month, which a slip
/// in the year leaves as they were. So a namesake whose year was typed with two digits
/// swapped (1961 as 1916) is found among them, first, with the reason; and a register
/// written before version 5 gets the day keys on opening.
#[test]
fn a_namesake_whose_year_slipped_is_found_first_among_a_thousand_also_after_an_upgrade() {
    let (dir, mut store) = open_temp();
    let at = rome("2025-03-03 10:00");
    let namesake = |i: i64, born: chrono::NaiveDate| {
        let mut details = person("Mansour", "Fatma", false);
        details.birth_date = Some(born);
        LegacyAccess {
            line: i as u64 + 2,
            arrived_at: at + chrono::Duration::minutes(i),
            person_ref: format!("P{i}"),
            details,
            channel: welcome_desk::domain::Channel::WalkIn,
            service: "other".into(),
        }
    };
    // Born from 1950 on, every 17 days: none of them is one slip from 2 March 1916 but the
    // one born on 2 March 1961 (the 1956, 1966... of 2 March are a digit off, a weaker level).
    let mut rows: Vec<LegacyAccess> = (0..1100)
        .map(|i| namesake(i, day("1950-01-05") + chrono::Duration::days(i * 17)))
        .filter(|r| r.details.birth_date != Some(day("1961-03-02")))
        .collect();
    rows.push(namesake(5000, day("1961-03-02")));
    store.import_accesses(&rows, at).unwrap();
    let birth = BirthQuery::parse("02/03/1916").unwrap();
    let first = |store: &SqliteStore| {
        let found = store.search("Mansour", "Fatma", birth, 5).unwrap();
        found.into_iter().next()
    };
    let found = first(&store).expect("a candidate");
    assert_eq!(found.birth_date, Some(day("1961-03-02")));
    let reasons: Vec<String> = found.evidence.reasons().iter().map(|r| r.code()).collect();
    assert_eq!(reasons, ["name-same", "date-digits-swapped"]);
    // The rest share nothing with the date typed; the index reads only some of them.
    let scanned = store.search_by_scan("Mansour", "Fatma", birth, 5).unwrap();
    assert_eq!(
        scanned.first().map(|c| c.visitor_id),
        Some(found.visitor_id),
        "the index finds the one a scan finds first"
    );
    drop(store);

    let path = dir.path().join("register.db");
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute_batch(
        "DELETE FROM visitor_match_key WHERE key LIKE 'm:%';
         PRAGMA user_version = 4;",
    )
    .unwrap();
    drop(raw);
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(
        first(&store).and_then(|c| c.birth_date),
        Some(day("1961-03-02")),
        "after the upgrade to version 5"
    );
}
