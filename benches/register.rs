//! The register at city scale: ten years at ten-plus times the center's traffic (about 1.5
//! million accesses). Targets (README, Performance): register and call-next under 5 ms median
//! including the fsync, and a registration as the terminal makes it (with its audit entry)
//! at most 1.5x a bare single-row INSERT + COMMIT with the same pragmas; the day's tally under 10 ms; a half-year report under 250 ms; a search under
//! 10 ms, also when the birth year was typed with two digits swapped.

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use welcome_desk::demo::Generator;
use welcome_desk::domain::matching::BirthQuery;
#[allow(unused_imports)]
use welcome_desk::store::prelude::*;
use welcome_desk::store::{SqliteStore, Store};

use common::{DAYS, SCALE, now, typed_otherwise};

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

    common::writes(&mut group, &mut store);
    group.finish();

    let mut group = c.benchmark_group("read");
    group
        .sample_size(30)
        .measurement_time(Duration::from_secs(8));
    common::reads(&mut group, &store);
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
    stmt.query_map([], |r| {
        let family: String = r.get(0)?;
        let given: String = r.get(1)?;
        let birth: Option<String> = r.get(2)?;
        Ok(typed_otherwise(&family, &given, birth.as_deref()))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

fn search(c: &mut Criterion) {
    let path = big_register();
    let store = SqliteStore::open(&path).unwrap();
    let queries = search_queries(&path);
    let mut group = c.benchmark_group("search");
    group
        .sample_size(100)
        .measurement_time(Duration::from_secs(8));
    common::searches(&mut group, &store, &queries);
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
