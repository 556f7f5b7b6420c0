//! The register on a PostgreSQL server at city scale, beside the SQLite figures of
//! `benches/register.rs`: ten years at 12.5 times the center's traffic (about 1.5 million
//! accesses) loaded by `demo`'s bulk `COPY` into a throwaway cluster on loopback (its own
//! data directory, port and socket, started as tests/common/pg.rs starts it; stopped at the
//! end). Targets (issue 13, README Performance): register and call-next under 5 ms median
//! and at most 2x a bare single-row INSERT + COMMIT on the same server; the day's tally
//! under 10 ms; a half-year report under 250 ms; a search under 10 ms; the load under 90 s;
//! the change feed's latency from one process's commit to another process's wake-up, p99
//! under 250 ms, on both engines.
//!
//! Without PostgreSQL's server binaries the server part says so and is skipped.

mod common;
#[path = "../tests/common/pg.rs"]
mod pg;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use criterion::Criterion;
use welcome_desk::demo::Generator;
use welcome_desk::domain::matching::BirthQuery;
use welcome_desk::domain::staff::Role;
use welcome_desk::progress::Silent;
use welcome_desk::store::postgres::PgStore;
use welcome_desk::store::postgres::schema::SCHEMA;
#[allow(unused_imports)]
use welcome_desk::store::prelude::*;
use welcome_desk::store::{KeyFile, Location, Principal, Store};

use common::{DAYS, SCALE, now, typed_otherwise, walk_in};

/// Changes timed for the feed's latency.
const CHANGES: usize = 200;
/// Set in the child process that listens on the feed (this same binary, started again).
const LISTENER: &str = "WELCOME_DESK_BENCH_FEED_LISTENER";

fn reception() -> Principal {
    Principal {
        staff: "bench".into(),
        role: Role::Reception,
        terminal: "terminal:bench".into(),
    }
}

fn main() {
    // The other process of the feed's latency: wake on the feed, print when.
    if let Ok(location) = std::env::var(LISTENER) {
        listen(&location);
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    match pg::server_binaries() {
        Some(_) => server(&mut c),
        None => {
            eprintln!("PostgreSQL's server binaries were not found: the server bench is skipped")
        }
    }
    sqlite_feed(&mut c);
    c.final_summary();
}

fn server(c: &mut Criterion) {
    let cluster = pg::Cluster::start_as_server();
    let url = cluster.fresh_database();
    let dir = tempfile::tempdir().expect("a folder");
    let key = dir.path().join("site.audit-key");
    let mut store = PgStore::connect_with(&url, None, KeyFile::installed(&key)).expect("connect");

    let started = Instant::now();
    // A shorter register for trying the bench itself (`WELCOME_DESK_BENCH_DAYS=30`).
    let days_loaded = std::env::var("WELCOME_DESK_BENCH_DAYS")
        .ok()
        .and_then(|d| d.parse().ok())
        .unwrap_or(DAYS);
    let mut days = Generator::new(days_loaded, 42, SCALE, now());
    let (visitors, accesses) = store
        .load_synthetic_with(&mut days, "bench", &mut Silent)
        .expect("the demo load");
    eprintln!(
        "server: loaded {accesses} accesses of {visitors} visitors by COPY in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    // The load leaves gigabytes of dirty pages: written out now, they do not slow the
    // timed commits' fsyncs (two runs without this differed by 2x).
    cluster.admin_execute("CHECKPOINT");
    let synced = Command::new("sync").status();
    if !synced.is_ok_and(|s| s.success()) {
        eprintln!("server: sync failed; the write figures may include the load's write-back");
    }

    let mut group = c.benchmark_group("server_write");
    group
        .sample_size(100)
        .measurement_time(Duration::from_secs(8));

    // The floor: one row, one commit, on the same server, as the same role.
    let mut bare = postgres::Client::connect(&url, postgres::NoTls).expect("the bare client");
    bare.batch_execute(&format!(
        "CREATE TABLE IF NOT EXISTS {SCHEMA}.bench_bare (seq bigserial PRIMARY KEY, at bigint)"
    ))
    .expect("the bare table");
    let insert = bare
        .prepare(&format!("INSERT INTO {SCHEMA}.bench_bare (at) VALUES ($1)"))
        .expect("the bare insert");
    let mut n = 0i64;
    group.bench_function("bare_insert_commit", |b| {
        b.iter(|| {
            n += 1;
            let mut tx = bare.transaction().expect("begin");
            tx.execute(&insert, &[&n]).expect("insert");
            tx.commit().expect("commit");
        })
    });

    common::writes(&mut group, &mut store);
    group.finish();

    let mut group = c.benchmark_group("server_read");
    group
        .sample_size(30)
        .measurement_time(Duration::from_secs(8));
    common::reads(&mut group, &store);
    group.finish();

    let queries = search_queries(&mut bare);
    let mut group = c.benchmark_group("server_search");
    group
        .sample_size(100)
        .measurement_time(Duration::from_secs(8));
    common::searches(&mut group, &store, &queries);
    group.finish();

    let location = Location::Server { url: url.clone() };
    feed_latency("server", &location, &mut store);
    drop(bare);
    drop(store);
    drop(cluster);
}

/// The SQLite feed on a small register: the same measure, for the table's other column.
fn sqlite_feed(_c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a folder");
    let path = dir.path().join("feed.db");
    let location = Location::File {
        path: path.clone(),
        passphrase: None,
    };
    let mut store = welcome_desk::store::open(&location).expect("a register");
    feed_latency("sqlite", &location, &mut *store);
}

/// Commit `CHANGES` registrations one by one; another process (this binary started again,
/// see [`listen`]) waits on the feed and prints the wall-clock time of each wake-up. The
/// latency of a change is its wake-up's time less the time its commit returned.
fn feed_latency(engine: &str, location: &Location, store: &mut dyn Store) {
    let target = match location {
        Location::File { path, .. } => path.display().to_string(),
        Location::Server { url } => url.clone(),
    };
    let exe = std::env::current_exe().expect("this bench's binary");
    let mut child = Command::new(exe)
        .env(LISTENER, &target)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the listening process");
    let mut wakes = BufReader::new(child.stdout.take().expect("its output")).lines();
    // The listener says when it waits; a first change proves the path before timing.
    let ready = wakes.next().and_then(|l| l.ok()).unwrap_or_default();
    assert_eq!(ready, "listening", "the listener did not start");
    let by = reception();
    let mut latencies = Vec::with_capacity(CHANGES);
    let mut before_reply = 0;
    for i in 0..=CHANGES as u64 {
        // Let the listener go back to waiting first: a change arriving while it is busy
        // would measure its own bookkeeping, not the feed.
        std::thread::sleep(Duration::from_millis(20));
        let sent = unix_nanos();
        welcome_desk::service::reception::register(
            store,
            &by,
            &walk_in(9_000_000 + i),
            now() + chrono::Duration::days(3),
        )
        .expect("register");
        let committed = unix_nanos();
        // A wake-up from before this change (a feed may wake twice for one) is not its own.
        let woke: u128 = loop {
            let woke: u128 = wakes
                .next()
                .and_then(|l| l.ok())
                .and_then(|l| l.parse().ok())
                .expect("a wake-up from the listener");
            if woke >= sent {
                break woke;
            }
        };
        if i > 0 {
            // From the start of the registration: an upper bound. From the writer's reply
            // (`committed`) the wait is often below zero: the server wakes the listener at the
            // commit, before the writer has read its own reply.
            latencies.push(Duration::from_nanos(woke.saturating_sub(sent) as u64));
            before_reply += usize::from(woke < committed);
        }
    }
    drop(child.stdin.take());
    let _ = child.kill();
    let _ = child.wait();
    latencies.sort();
    let at = |p: f64| latencies[((latencies.len() as f64 * p).ceil() as usize).saturating_sub(1)];
    eprintln!(
        "feed/{engine}: {CHANGES} changes, a registration's start to another process's wake-up \
         (the commit included): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; \
         {before_reply} woke before the writer had its reply",
        at(0.50).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        at(1.0).as_secs_f64() * 1e3,
    );
}

/// The listening process: wait on the feed, print the wall-clock time of each wake-up.
fn listen(target: &str) {
    let location = if target.starts_with("postgres") {
        Location::Server {
            url: target.to_string(),
        }
    } else {
        Location::File {
            path: Path::new(target).to_path_buf(),
            passphrase: None,
        }
    };
    let mut feed = welcome_desk::store::watch(&location).expect("the feed");
    let mut out = std::io::stdout();
    writeln!(out, "listening")
        .and_then(|()| out.flush())
        .expect("stdout");
    loop {
        match feed.wait(Duration::from_secs(5)) {
            Ok(true) => {
                if writeln!(out, "{}", unix_nanos())
                    .and_then(|()| out.flush())
                    .is_err()
                {
                    return; // the bench has gone
                }
            }
            Ok(false) => {}
            Err(e) => panic!("the feed failed: {e}"),
        }
    }
}

fn unix_nanos() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

/// Visitors on file typed another way, as in the SQLite bench.
fn search_queries(client: &mut postgres::Client) -> Vec<(String, String, BirthQuery)> {
    client
        .query(
            &format!(
                "SELECT family_name, given_name, birth_date::text FROM {SCHEMA}.visitor \
                 WHERE seq % 6007 = 1 LIMIT 200"
            ),
            &[],
        )
        .expect("visitors to look for")
        .iter()
        .map(|r| {
            let family: String = r.get(0);
            let given: String = r.get(1);
            let birth: Option<String> = r.get(2);
            typed_otherwise(&family, &given, birth.as_deref())
        })
        .collect()
}
