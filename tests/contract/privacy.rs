//! The person's rights and the retention period: what is held is exported, an erased person
//! is no longer findable nor readable, and no figure of any report moves.

use uuid::Uuid;
use welcome_desk::domain::matching::BirthQuery;
use welcome_desk::domain::tally::Report;
use welcome_desk::domain::{Queue, Sex, VisitorDetails};
use welcome_desk::report::report;
use welcome_desk::store::{Store, VisitorChoice};

use super::Engine;
use crate::common::*;

fn zainab() -> VisitorDetails {
    VisitorDetails {
        family_name: "Qureshi-Zaffarano".into(),
        given_name: "Zainab".into(),
        birth_date: Some(day("1990-03-15")),
        sex: Sex::F,
        country: Some("PK".into()),
        languages: vec!["ur".into()],
        sai_guest: false,
        phone: Some("+39 333 1234567".into()),
    }
}

fn reports(store: &dyn Store, ranges: &[(&str, &str)]) -> Vec<Report> {
    ranges
        .iter()
        .map(|(from, to)| report(store, day(from), day(to)).unwrap())
        .collect()
}

pub fn an_erased_person_is_gone_and_the_figures_stay(engine: &dyn Engine) {
    let mut reg = engine.fresh();
    let store = &mut reg.store;
    // Two records of one person (merged), visits across her birthday and two months, one
    // with a reason that names her.
    let first = store
        .register(
            &walk_in(VisitorChoice::New(zainab()), "housing"),
            rome("2025-03-10 10:00"),
        )
        .unwrap();
    let mut again = walk_in(VisitorChoice::New(zainab()), "housing");
    again.queue_override = Some((Queue::Sai, "Zainab's social worker asked".into()));
    let second = store.register(&again, rome("2025-03-20 10:00")).unwrap();
    store
        .merge_visitors(
            second.visitor_id,
            first.visitor_id,
            "coordinator",
            rome("2025-03-21 09:00"),
        )
        .unwrap();
    store
        .register(
            &walk_in(
                VisitorChoice::Existing(first.visitor_id),
                "legal-administrative",
            ),
            rome("2025-04-02 10:00"),
        )
        .unwrap();
    let other = store
        .register(
            &new_walk_in("Hassan", "Omar", false),
            rome("2025-03-10 11:00"),
        )
        .unwrap();
    let ranges = [
        ("2025-03-01", "2025-03-31"),
        ("2025-04-01", "2025-04-30"),
        ("2025-03-14", "2025-03-16"),
        ("2025-01-01", "2025-06-30"),
    ];
    let before = reports(&**store, &ranges);
    let secrets = ["Qureshi", "Zainab", "333 1234567", "1990-03-15"];
    let held = serde_json::to_string(&store.export_visitor(second.visitor_id).unwrap()).unwrap();
    // Before the erasure the export holds them: the checks below can fail.
    for text in secrets {
        assert!(held.contains(text), "{text} not exported: {held}");
    }

    let erased = store
        .erase_visitor(second.visitor_id, rome("2025-05-01 10:00"))
        .unwrap();
    assert_eq!(erased, 2, "both records of the person");
    assert_eq!(reports(&**store, &ranges), before, "every figure stays");
    for id in [first.visitor_id, second.visitor_id] {
        let v = store.visitor(id).unwrap();
        assert_eq!(
            (
                v.details.family_name.as_str(),
                v.details.given_name.as_str(),
                v.details.birth_date,
                v.details.phone.as_deref()
            ),
            ("", "", None, None)
        );
        let held = store.export_visitor(id).unwrap();
        assert_eq!(held.accesses.len(), 3, "no access is deleted");
        assert!(held.records.iter().all(|r| r.anonymised_at.is_some()));
        let text = serde_json::to_string(&held).unwrap();
        for secret in secrets {
            assert!(
                !text.contains(secret),
                "'{secret}' is still exported: {text}"
            );
        }
    }
    let found = store
        .search(
            "Qureshi-Zaffarano",
            "Zainab",
            BirthQuery::Date(day("1990-03-15")),
            10,
        )
        .unwrap();
    assert!(
        found
            .iter()
            .all(|c| c.visitor_id != first.visitor_id && c.visitor_id != second.visitor_id),
        "{found:?}"
    );
    // Nobody else is touched.
    assert_eq!(
        store.visitor(other.visitor_id).unwrap().details.family_name,
        "Hassan"
    );
    let found = store
        .search("Hassan", "Omar", BirthQuery::Unknown, 5)
        .unwrap();
    assert_eq!(found[0].visitor_id, other.visitor_id);
}

pub fn the_purge_anonymises_only_people_last_seen_before_the_cutoff(engine: &dyn Engine) {
    let mut reg = engine.fresh();
    let store = &mut reg.store;
    let cutoff = rome("2023-07-07 00:00");
    // Who, and when they came (Rome). Records listed together are merged into one person.
    let people: [(&str, &[&str]); 4] = [
        ("Old", &["2021-03-01 10:00", "2022-05-10 10:00"]),
        ("Returned", &["2022-05-11 10:00", "2025-06-01 10:00"]),
        ("Just", &["2023-07-07 00:00"]),
        ("Recent", &["2025-06-02 10:00"]),
    ];
    let mut ids: Vec<(Uuid, bool)> = Vec::new();
    for (family, visits) in people {
        let mut id = None;
        for at in visits {
            let choice = id.map_or_else(
                || VisitorChoice::New(person(family, "Test", false)),
                VisitorChoice::Existing,
            );
            id = Some(
                store
                    .register(&walk_in(choice, "housing"), rome(at))
                    .unwrap()
                    .visitor_id,
            );
        }
        let last = visits.iter().map(|at| rome(at)).max().unwrap();
        ids.push((id.unwrap(), last < cutoff));
    }
    // One person on two records: the old record alone is past the period, the person is not.
    let old_record = store
        .register(
            &new_walk_in("Merged", "Test", false),
            rome("2021-01-10 10:00"),
        )
        .unwrap();
    let new_record = store
        .register(
            &new_walk_in("Merged", "Test", false),
            rome("2025-03-03 10:00"),
        )
        .unwrap();
    store
        .merge_visitors(
            new_record.visitor_id,
            old_record.visitor_id,
            "coordinator",
            rome("2025-03-04 09:00"),
        )
        .unwrap();
    ids.push((old_record.visitor_id, false));
    ids.push((new_record.visitor_id, false));
    let due = ids.iter().filter(|(_, due)| *due).count() as u64;
    assert!(due > 0, "the case needs someone past the period");

    let ranges = [("2021-01-01", "2025-12-31"), ("2022-05-01", "2022-05-31")];
    let before = reports(&**store, &ranges);
    let purged = store.purge(cutoff, rome("2025-07-07 10:00")).unwrap();
    assert_eq!(purged, due);
    for (id, due) in &ids {
        let v = store.visitor(*id).unwrap();
        assert_eq!(v.details.family_name.is_empty(), *due, "{v:?}");
    }
    assert_eq!(
        reports(&**store, &ranges),
        before,
        "past reports do not move"
    );
    assert_eq!(
        store.purge(cutoff, rome("2025-07-08 10:00")).unwrap(),
        0,
        "nobody twice"
    );
}
