//! The register at city scale: ten years at ten-plus times the center's traffic (about 1.5
//! million accesses). Targets (README, Performance): register and call-next under 5 ms median
//! including the fsync, and a registration as the terminal makes it (with its audit entry)
//! at most 1.5x a bare single-row INSERT + COMMIT with the same pragmas; the day's tally under 10 ms; a half-year report under 250 ms; a search under
//! 10 ms, also when the birth year was typed with two digits swapped.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use welcome_desk::demo::Generator;
use welcome_desk::domain::matching::BirthQuery;
use welcome_desk::domain::{Channel, Sex, VisitorDetails};
use welcome_desk::report::report;
#[allow(unused_imports)]
use welcome_desk::store::prelude::*;
use welcome_desk::store::{Registration, SqliteStore, Store, VisitorChoice};

/// A Tuesday in July, inside walk-in hours.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 7, 7, 8, 0, 0).unwrap()
}

const DAYS: u32 = 3650;
const SCALE: f64 = 12.5;

/// The big register, built once and kept under target/ (rebuilding takes about a minute).
fn big_register() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("register-{DAYS}d-x{SCALE}-v6.db"));
    if !path.exists() {
        let tmp = path.with_extension("building");
        let _ = std::fs::remove_file(&tmp);
        let started = Instant::now();
        let mut store = SqliteStore::open(&tmp).unwrap();
        let mut days = Generator::new(DAYS, 42, SCALE, now());
        let (visitors, accesses) = store.load_synthetic(&mut days, "bench").unwrap();
        drop(store);
        std::fs::rename(&tmp, &path).unwrap();
        let _ = std::fs::remove_file(tmp.with_extension("building-wal"));
        let _ = std::fs::remove_file(tmp.with_extension("building-shm"));
        eprintln!(
            "built {}: {accesses} accesses of {visitors} visitors in {:.1} s",
            path.display(),
            started.elapsed().as_secs_f64()
        );
    }
    path
}

/// A working copy, so that the benchmark's registrations do not pile up across runs.
fn working_copy(dir: &tempfile::TempDir) -> PathBuf {
    let copy = dir.path().join("bench.db");
    std::fs::copy(big_register(), &copy).unwrap();
    copy
}

fn walk_in(i: u64) -> Registration {
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

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = working_copy(&dir);
    let mut store = SqliteStore::open(&path).unwrap();
    let (visitors, accesses) = store.counts().unwrap();
    eprintln!("register under test: {accesses} accesses, {visitors} visitors");

    let mut group = c.benchmark_group("write");
    group
        .sample_size(100)
        .measurement_time(Duration::from_secs(8));

    // The floor: one row, one commit, the same file and pragmas (WAL, synchronous=FULL).
    let bare = rusqlite::Connection::open(&path).unwrap();
    bare.pragma_update(None, "journal_mode", "wal").unwrap();
    bare.pragma_update(None, "synchronous", "FULL").unwrap();
    bare.execute_batch(
        "CREATE TABLE IF NOT EXISTS bench_bare (seq INTEGER PRIMARY KEY, at INTEGER)",
    )
    .unwrap();
    let mut n = 0i64;
    group.bench_function("bare_insert_commit", |b| {
        b.iter(|| {
            n += 1;
            bare.execute_batch(&format!(
                "BEGIN IMMEDIATE; INSERT INTO bench_bare (at) VALUES ({n}); COMMIT;"
            ))
            .unwrap();
        })
    });

    let mut i = 0u64;
    group.bench_function("register", |b| {
        b.iter(|| {
            i += 1;
            store
                .register(
                    &walk_in(i),
                    now() + chrono::Duration::seconds(i as i64 % 20_000),
                )
                .unwrap()
        })
    });

    // As the terminal and the command line register: through the service, the role checked
    // and the audit entry written in the same transaction (its HMAC, its chained row).
    let by = welcome_desk::store::Principal {
        staff: "bench".into(),
        role: welcome_desk::domain::staff::Role::Reception,
        terminal: "terminal:bench".into(),
    };
    group.bench_function("register_audited", |b| {
        b.iter(|| {
            i += 1;
            welcome_desk::service::reception::register(
                &mut store,
                &by,
                &walk_in(i),
                now() + chrono::Duration::seconds(i as i64 % 20_000),
            )
            .unwrap()
        })
    });

    // A busy morning: 150 people waiting, on a day of its own (the register benchmark above
    // left its tickets waiting on another day). Each timed call is followed by an untimed
    // registration, so the queue stays as long as it was.
    let busy_day = now() + chrono::Duration::days(1);
    for k in 0..150 {
        store.register(&walk_in(2_000_000 + k), busy_day).unwrap();
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
                    .unwrap()
                    .unwrap();
                timed += started.elapsed();
                k += 1;
                store.register(&walk_in(k), busy_day).unwrap();
            }
            timed
        })
    });
    group.finish();

    let mut group = c.benchmark_group("read");
    group
        .sample_size(30)
        .measurement_time(Duration::from_secs(8));
    let today = NaiveDate::from_ymd_opt(2026, 7, 6).unwrap();
    group.bench_function("day_tally", |b| {
        b.iter(|| report(&store, today, today).unwrap())
    });
    let from = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let to = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
    group.bench_function("half_year_report", |b| {
        b.iter(|| report(&store, from, to).unwrap())
    });
    group.finish();
}

/// Visitors on file, typed another way: fields swapped, a transliteration variant, the
/// birth date as on file.
fn search_queries(path: &std::path::Path) -> Vec<(String, String, BirthQuery)> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT family_name, given_name, birth_date FROM visitor \
             WHERE seq % 6007 = 1 LIMIT 200",
        )
        .unwrap();
    let variant = |w: &str| match w {
        "Mohamed" => "Muhammad".to_string(),
        "Ahmed" => "Ahmad".to_string(),
        "Hossain" => "Hussain".to_string(),
        "Mostafa" => "Mustafa".to_string(),
        "Youssef" => "Yusuf".to_string(),
        "Md Rahim" => "Mohammad Rahim".to_string(),
        other => other.to_lowercase(),
    };
    stmt.query_map([], |r| {
        let family: String = r.get(0)?;
        let given: String = r.get(1)?;
        let birth: Option<String> = r.get(2)?;
        Ok((
            variant(&given),
            variant(&family),
            birth
                .and_then(|b| BirthQuery::parse(&b))
                .unwrap_or(BirthQuery::Unknown),
        ))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// The same visitors with the last two digits of the birth year swapped (1961 typed 1916):
/// a very common name is then narrowed by the day and month rather than the year.
fn slipped(queries: &[(String, String, BirthQuery)]) -> Vec<(String, String, BirthQuery)> {
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

fn search(c: &mut Criterion) {
    let path = big_register();
    let store = SqliteStore::open(&path).unwrap();
    let queries = search_queries(&path);
    let slips = slipped(&queries);
    let mut group = c.benchmark_group("search");
    group
        .sample_size(100)
        .measurement_time(Duration::from_secs(8));
    let mut i = 0;
    group.bench_function("index", |b| {
        b.iter(|| {
            let (f, g, birth) = &queries[i % queries.len()];
            i += 1;
            store.search(f, g, *birth, 5).unwrap()
        })
    });
    let mut k = 0;
    group.bench_function("index_year_digits_swapped", |b| {
        b.iter(|| {
            let (f, g, birth) = &slips[k % slips.len()];
            k += 1;
            store.search(f, g, *birth, 5).unwrap()
        })
    });
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    let mut j = 0;
    group.bench_function("full_scan", |b| {
        b.iter(|| {
            let (f, g, birth) = &queries[j % queries.len()];
            j += 1;
            store.search_by_scan(f, g, *birth, 5).unwrap()
        })
    });
    group.finish();
}

criterion_group!(register, benches, search);
criterion_main!(register);
