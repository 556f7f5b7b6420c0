//! The report's figures for a date range, counted in Europe/Rome days, checked against a
//! count made here from the same visits.

use std::collections::{BTreeMap, BTreeSet};

use uuid::Uuid;
use welcome_desk::domain::{Channel, Sex};
use welcome_desk::report::report;
use welcome_desk::store::VisitorChoice;

use super::Engine;
use crate::common::*;

/// One visit: Rome local time, who (index into `PEOPLE`), service, channel.
struct Visit {
    local: &'static str,
    who: usize,
    service: &'static str,
    channel: Channel,
}

/// Family name, SAI guest, sex, country.
const PEOPLE: [(&str, bool, Sex, &str); 4] = [
    ("Hassan", false, Sex::M, "EG"),
    ("Rahman", true, Sex::F, "BD"),
    ("Quispe", false, Sex::F, "PE"),
    ("Diallo", false, Sex::M, "GN"),
];

const fn visit(local: &'static str, who: usize, service: &'static str) -> Visit {
    Visit {
        local,
        who,
        service,
        channel: Channel::WalkIn,
    }
}

/// In arrival order (the store decides first accesses as they come). Near midnight the Rome
/// day and the UTC day differ: 1 July 00:30 in Rome is 30 June in UTC, 1 August 00:15 in
/// Rome is 31 July in UTC.
const VISITS: [Visit; 8] = [
    visit("2025-06-10 10:00", 0, "housing"),
    visit("2025-06-30 23:30", 1, "housing"),
    visit("2025-07-01 00:30", 0, "legal-administrative"),
    visit("2025-07-02 09:00", 2, "language-orientation"),
    Visit {
        local: "2025-07-15 10:00",
        who: 1,
        service: "other",
        channel: Channel::Appointment,
    },
    visit("2025-07-15 11:00", 3, "housing"),
    visit("2025-07-31 23:45", 2, "housing"),
    visit("2025-08-01 00:15", 3, "housing"),
];

/// The figures counted by hand, as it were: from the visits alone.
#[derive(Debug, Default, PartialEq)]
struct Count {
    accesses: u64,
    walk_ins: u64,
    first_time_walk_ins: u64,
    unique: BTreeSet<usize>,
    new: BTreeSet<usize>,
    months: BTreeMap<String, u64>,
    queues: BTreeMap<String, u64>,
    services: BTreeMap<String, u64>,
    countries: BTreeMap<String, u64>,
    sexes: BTreeMap<String, u64>,
}

fn count(from: &str, to: &str) -> Count {
    let mut c = Count::default();
    let first_visit = |who: usize| VISITS.iter().position(|v| v.who == who).unwrap();
    for (i, v) in VISITS.iter().enumerate() {
        let rome_day = &v.local[..10];
        if rome_day < from || rome_day > to {
            continue;
        }
        let first_time = first_visit(v.who) == i;
        c.accesses += 1;
        if v.channel == Channel::WalkIn {
            c.walk_ins += 1;
            c.first_time_walk_ins += u64::from(first_time);
        }
        c.unique.insert(v.who);
        if first_time {
            c.new.insert(v.who);
        }
        *c.months.entry(v.local[..7].to_string()).or_default() += 1;
        let queue = if PEOPLE[v.who].1 { "sai" } else { "general" };
        *c.queues.entry(queue.into()).or_default() += 1;
        *c.services.entry(v.service.into()).or_default() += 1;
    }
    for who in &c.unique {
        let (_, _, sex, country) = PEOPLE[*who];
        *c.countries.entry(country.into()).or_default() += 1;
        *c.sexes.entry(sex.code().into()).or_default() += 1;
    }
    c
}

pub fn figures_follow_the_accesses_across_a_month_boundary_in_rome_time(engine: &dyn Engine) {
    let mut reg = engine.fresh();
    let store = &mut reg.store;
    let mut ids: Vec<Option<Uuid>> = vec![None; PEOPLE.len()];
    for v in &VISITS {
        let (family, sai, sex, country) = PEOPLE[v.who];
        let choice = match ids[v.who] {
            Some(id) => VisitorChoice::Existing(id),
            None => {
                let mut details = person(family, "Test", sai);
                details.sex = sex;
                details.country = Some(country.into());
                VisitorChoice::New(details)
            }
        };
        let mut registration = walk_in(choice, v.service);
        registration.channel = v.channel;
        if v.channel == Channel::Appointment {
            registration.appointment_at = Some(rome(v.local));
        }
        let r = store.register(&registration, rome(v.local)).unwrap();
        ids[v.who] = Some(r.visitor_id);
    }

    for (from, to) in [
        ("2025-07-01", "2025-07-31"),
        ("2025-06-15", "2025-07-15"),
        ("2025-06-30", "2025-06-30"),
        ("2025-08-01", "2025-08-31"),
        ("2025-05-01", "2025-05-31"),
    ] {
        let r = report(&**store, day(from), day(to)).unwrap();
        let c = count(from, to);
        let range = format!("{from}..{to}");
        assert_eq!((r.from, r.to), (day(from), day(to)));
        assert_eq!(r.accesses, c.accesses, "{range}");
        assert_eq!(r.walk_ins, c.walk_ins, "{range}");
        assert_eq!(r.first_time_walk_ins, c.first_time_walk_ins, "{range}");
        let share = if c.walk_ins == 0 {
            0.0
        } else {
            c.first_time_walk_ins as f64 / c.walk_ins as f64
        };
        assert!(
            (r.first_time_share_of_walk_ins - share).abs() < 1e-9,
            "{range}: {}",
            r.first_time_share_of_walk_ins
        );
        assert_eq!(r.unique_visitors, c.unique.len() as u64, "{range}");
        assert_eq!(r.new_visitors, c.new.len() as u64, "{range}");
        // Every calendar month touched is listed, with its accesses (0 if none).
        let months: BTreeMap<String, u64> = r
            .monthly_accesses
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(m, n)| (m.clone(), *n))
            .collect();
        assert_eq!(months, c.months, "{range}");
        assert!(r.monthly_accesses.contains_key(&from[..7]), "{range}");
        assert!(r.monthly_accesses.contains_key(&to[..7]), "{range}");
        let nonzero = |m: &BTreeMap<String, u64>| -> BTreeMap<String, u64> {
            m.iter()
                .filter(|(_, n)| **n > 0)
                .map(|(k, n)| (k.clone(), *n))
                .collect()
        };
        assert_eq!(nonzero(&r.by_queue), c.queues, "{range}");
        assert_eq!(nonzero(&r.by_service), c.services, "{range}");
        let mut ranked: Vec<(&String, &u64)> = c.services.iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
        let top: Vec<String> = ranked.iter().take(3).map(|(s, _)| (*s).clone()).collect();
        assert_eq!(r.top_services, top, "{range}");
        assert_eq!(nonzero(&r.by_country), c.countries, "{range}");
        assert_eq!(nonzero(&r.by_sex), c.sexes, "{range}");
        assert_eq!(
            r.by_age_band.get("unknown").copied().unwrap_or(0),
            c.unique.len() as u64,
            "{range}: nobody gave a birth date"
        );
    }
}
