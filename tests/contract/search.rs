//! Search: a person is found however reception spells them, with the reasons why, at most
//! as many as asked for, and once however many records they have.

use std::collections::HashSet;

use chrono::Duration;
use uuid::Uuid;
use welcome_desk::domain::matching::BirthQuery;
use welcome_desk::store::{Candidate, Store, VisitorChoice};

use super::Engine;
use crate::common::*;

fn born(family: &str, given: &str, birth: &str) -> welcome_desk::store::Registration {
    let mut details = person(family, given, false);
    details.birth_date = Some(day(birth));
    walk_in(VisitorChoice::New(details), "housing")
}

fn reasons(c: &Candidate) -> Vec<String> {
    c.evidence.reasons().iter().map(|r| r.code()).collect()
}

fn ids(found: &[Candidate]) -> Vec<Uuid> {
    found.iter().map(|c| c.visitor_id).collect()
}

pub fn an_exact_and_a_differently_transliterated_name_find_the_visitor(engine: &dyn Engine) {
    let mut reg = engine.fresh();
    let store = &mut reg.store;
    let at = rome("2025-06-02 10:00");
    let target = store
        .register(&born("Abdel Rahman", "Mostafa", "1991-03-04"), at)
        .unwrap();
    let script = store
        .register(&born("حسن", "محمد", "1990-03-04"), at)
        .unwrap();
    for (family, given, birth) in [
        ("Mohamed", "Ahmed", "1980-01-01"),
        ("Abdelaziz", "Omar", "1981-02-05"),
        ("Rahman", "Nasrin", "1982-03-11"),
        ("Hassan", "Omar", "1990-03-04"),
    ] {
        store.register(&born(family, given, birth), at).unwrap();
    }

    // As on file.
    let exact = store
        .search(
            "Abdel Rahman",
            "Mostafa",
            BirthQuery::Date(day("1991-03-04")),
            5,
        )
        .unwrap();
    let first = &exact[0];
    assert_eq!(first.visitor_id, target.visitor_id, "{exact:?}");
    assert_eq!(first.visitor_code, target.visitor_code);
    assert_eq!(
        (first.family_name.as_str(), first.given_name.as_str()),
        ("Abdel Rahman", "Mostafa")
    );
    assert_eq!(first.birth_date, Some(day("1991-03-04")));
    assert!(first.likely && first.score <= 1.0, "{first:?}");
    assert_eq!(reasons(first), ["name-same", "date-exact"]);

    // Another receptionist: another spelling, the fields swapped, day and month swapped.
    let birth = BirthQuery::parse("1991-04-03").unwrap();
    let other = store.search("Mustafa", "Abdelrahman", birth, 5).unwrap();
    let first = &other[0];
    assert_eq!(first.visitor_id, target.visitor_id, "{other:?}");
    assert!(first.likely, "{first:?}");
    let why = reasons(first);
    assert!(!why.contains(&"name-same".to_string()), "{why:?}");
    assert!(why.contains(&"fields-swapped".to_string()), "{why:?}");
    assert!(
        why.contains(&"date-day-month-swapped".to_string()),
        "{why:?}"
    );

    // On file in Arabic script, typed in Latin letters.
    let latin = store
        .search("Hassan", "Mohamed", BirthQuery::Date(day("1990-03-04")), 5)
        .unwrap();
    assert_eq!(latin[0].visitor_id, script.visitor_id, "{latin:?}");
    assert!(latin[0].likely, "{latin:?}");
    assert!(
        reasons(&latin[0]).contains(&"name-script".to_string()),
        "{:?}",
        reasons(&latin[0])
    );

    // Best first.
    for found in [&exact, &other, &latin] {
        let scores: Vec<f64> = found.iter().map(|c| c.score).collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    }
}

pub fn the_limit_is_respected(engine: &dyn Engine) {
    let mut reg = engine.fresh();
    let store = &mut reg.store;
    let at = rome("2025-06-02 10:00");
    let namesakes: Vec<Uuid> = (0..6)
        .map(|i| {
            let birth = (day("1980-01-10") + Duration::days(i * 400)).to_string();
            store
                .register(&born("Quispe", "Rosa", &birth), at)
                .unwrap()
                .visitor_id
        })
        .collect();
    store
        .register(&born("Mamani", "Ana", "1985-05-05"), at)
        .unwrap();
    for limit in [1, 3, namesakes.len()] {
        let found = store
            .search("Quispe", "Rosa", BirthQuery::Unknown, limit)
            .unwrap();
        assert_eq!(found.len(), limit, "limit {limit}: {found:?}");
        let distinct: HashSet<Uuid> = ids(&found).into_iter().collect();
        assert_eq!(distinct.len(), limit, "no one twice");
        assert!(
            distinct.iter().all(|id| namesakes.contains(id)),
            "{found:?}"
        );
    }
    let all = store
        .search("Quispe", "Rosa", BirthQuery::Unknown, 50)
        .unwrap();
    let all: HashSet<Uuid> = ids(&all).into_iter().collect();
    assert!(
        namesakes.iter().all(|id| all.contains(id)),
        "every namesake within a large limit"
    );
    // With the birth date, that one comes first, even with a limit of one.
    let third_birth = (day("1980-01-10") + Duration::days(2 * 400)).to_string();
    let one = store
        .search("Quispe", "Rosa", BirthQuery::Date(day(&third_birth)), 1)
        .unwrap();
    assert_eq!(ids(&one), [namesakes[2]]);
    assert!(
        store
            .search("Quispe", "Rosa", BirthQuery::Unknown, 0)
            .unwrap()
            .is_empty()
    );
}

pub fn a_merged_person_is_found_once(engine: &dyn Engine) {
    let mut reg = engine.fresh();
    let store = &mut reg.store;
    let first = store
        .register(
            &born("Hossain", "Md Rahim", "1990-01-15"),
            rome("2025-05-05 10:00"),
        )
        .unwrap();
    // Months later reception did not find him and made a second record.
    let second = store
        .register(
            &born("Hossain", "Md Rahim", "1990-01-15"),
            rome("2025-07-07 10:00"),
        )
        .unwrap();
    let search = |store: &dyn Store| {
        ids(&store
            .search(
                "Hossain",
                "Md Rahim",
                BirthQuery::Date(day("1990-01-15")),
                10,
            )
            .unwrap())
    };
    let mut before = search(&**store);
    before.sort();
    let mut both = vec![first.visitor_id, second.visitor_id];
    both.sort();
    assert_eq!(before, both, "two records, two candidates");

    let merge = store
        .merge_visitors(
            second.visitor_id,
            first.visitor_id,
            "coordinator",
            rome("2025-07-08 09:00"),
        )
        .unwrap();
    assert_eq!(search(&**store), [first.visitor_id], "one person, once");
    store
        .undo_merge(merge, "coordinator", rome("2025-07-08 09:05"))
        .unwrap();
    let mut after = search(&**store);
    after.sort();
    assert_eq!(after, both, "the undo brings the record back");
}
