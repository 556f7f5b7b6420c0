//! What both benches share: the clock, the register's size, the walk-in registered, and the
//! visitors looked for, so that the SQLite and the server figures measure the same work.
#![allow(dead_code)]

use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use criterion::BenchmarkGroup;
use criterion::measurement::WallTime;
use welcome_desk::domain::matching::BirthQuery;
use welcome_desk::domain::staff::Role;
use welcome_desk::domain::{Channel, Sex, VisitorDetails};
use welcome_desk::report::report;
#[allow(unused_imports)]
use welcome_desk::store::prelude::*;
use welcome_desk::store::{Principal, Registration, Store, VisitorChoice};

/// Ten years at 12.5 times the center's traffic: about 1.5 million accesses.
pub const DAYS: u32 = 3650;
pub const SCALE: f64 = 12.5;

/// A Tuesday in July, inside walk-in hours.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 7, 7, 8, 0, 0).unwrap()
}

/// The `i`th walk-in of a bench: someone new each time, one in four an SAI guest.
pub fn walk_in(i: u64) -> Registration {
    Registration {
        access_id: uuid::Uuid::now_v7(),
        visitor: VisitorChoice::New(VisitorDetails {
            family_name: "Mohamed".into(),
            given_name: format!("Ahmed {i}"),
            birth_date: NaiveDate::from_ymd_opt(1990, 1, 1),
            sex: Sex::M,
            country: Some("EG".into()),
            languages: vec!["ar".into()],
            sai_guest: i.is_multiple_of(4),
            phone: None,
        }),
        channel: Channel::WalkIn,
        service: "family-reunification".into(),
        priority: None,
        queue_override: None,
        appointment_at: None,
        sai_guest: i.is_multiple_of(4),
        staff: "bench".into(),
    }
}

/// A visitor on file typed another way: fields swapped, a transliteration variant, the birth
/// date as on file.
pub fn typed_otherwise(
    family: &str,
    given: &str,
    birth: Option<&str>,
) -> (String, String, BirthQuery) {
    let variant = |w: &str| match w {
        "Mohamed" => "Muhammad".to_string(),
        "Ahmed" => "Ahmad".to_string(),
        "Hossain" => "Hussain".to_string(),
        "Mostafa" => "Mustafa".to_string(),
        "Youssef" => "Yusuf".to_string(),
        "Md Rahim" => "Mohammad Rahim".to_string(),
        other => other.to_lowercase(),
    };
    (
        variant(given),
        variant(family),
        birth
            .and_then(BirthQuery::parse)
            .unwrap_or(BirthQuery::Unknown),
    )
}

/// The same visitors with the last two digits of the birth year swapped (1961 typed 1916):
/// a very common name is then narrowed by the day and month rather than the year.
pub fn slipped(queries: &[(String, String, BirthQuery)]) -> Vec<(String, String, BirthQuery)> {
    queries
        .iter()
        .filter_map(|(f, g, birth)| {
            let BirthQuery::Date(d) = birth else {
                return None;
            };
            let y = d.year();
            let swapped = y - y % 100 + (y % 10) * 10 + (y % 100) / 10;
            let slip = d.with_year(swapped).filter(|s| s != d)?;
            Some((f.clone(), g.clone(), BirthQuery::Date(slip)))
        })
        .collect()
}

/// The writes both engines are measured on, after the bench's own floor in `group`:
/// `register` (the store alone), `register_audited` (as the terminal and the command line
/// register: the role checked and the audit entry in the same transaction) and `call_next`
/// with 150 people waiting.
pub fn writes(group: &mut BenchmarkGroup<'_, WallTime>, store: &mut dyn Store) {
    let mut i = 0u64;
    group.bench_function("register", |b| {
        b.iter(|| {
            i += 1;
            store
                .register(
                    &walk_in(i),
                    now() + chrono::Duration::seconds(i as i64 % 20_000),
                )
                .expect("register")
        })
    });
    let by = Principal {
        staff: "bench".into(),
        role: Role::Reception,
        terminal: "terminal:bench".into(),
    };
    group.bench_function("register_audited", |b| {
        b.iter(|| {
            i += 1;
            welcome_desk::service::reception::register(
                store,
                &by,
                &walk_in(i),
                now() + chrono::Duration::seconds(i as i64 % 20_000),
            )
            .expect("register")
        })
    });

    // A busy morning: 150 people waiting, on a day of its own (the registrations above left
    // theirs on another day). Each timed call is followed by an untimed registration, so the
    // queue stays as long as it was.
    let busy_day = now() + chrono::Duration::days(1);
    for k in 0..150 {
        store
            .register(&walk_in(2_000_000 + k), busy_day)
            .expect("register");
    }
    let mut k = 3_000_000u64;
    group.bench_function("call_next", |b| {
        b.iter_custom(|iters| {
            let mut timed = Duration::ZERO;
            for _ in 0..iters {
                let started = Instant::now();
                store
                    .call_next(
                        "Sportello 1",
                        &[],
                        "bench",
                        busy_day + chrono::Duration::seconds(60),
                    )
                    .expect("call next")
                    .expect("someone waiting");
                timed += started.elapsed();
                k += 1;
                store.register(&walk_in(k), busy_day).expect("register");
            }
            timed
        })
    });
}

/// The coordinator's reads: the day's tally and a half-year report.
pub fn reads(group: &mut BenchmarkGroup<'_, WallTime>, store: &dyn Store) {
    let today = NaiveDate::from_ymd_opt(2026, 7, 6).expect("a day");
    group.bench_function("day_tally", |b| {
        b.iter(|| report(store, today, today).expect("tally"))
    });
    let from = NaiveDate::from_ymd_opt(2026, 1, 1).expect("a day");
    let to = NaiveDate::from_ymd_opt(2026, 6, 30).expect("a day");
    group.bench_function("half_year_report", |b| {
        b.iter(|| report(store, from, to).expect("report"))
    });
}

/// Reception's search through the index: visitors typed otherwise, and the same with the
/// birth year's digits swapped.
pub fn searches(
    group: &mut BenchmarkGroup<'_, WallTime>,
    store: &dyn Store,
    queries: &[(String, String, BirthQuery)],
) {
    let slips = slipped(queries);
    let mut i = 0;
    group.bench_function("index", |b| {
        b.iter(|| {
            let (f, g, birth) = &queries[i % queries.len()];
            i += 1;
            store.search(f, g, *birth, 5).expect("search")
        })
    });
    let mut k = 0;
    group.bench_function("index_year_digits_swapped", |b| {
        b.iter(|| {
            let (f, g, birth) = &slips[k % slips.len()];
            k += 1;
            store.search(f, g, *birth, 5).expect("search")
        })
    });
}
