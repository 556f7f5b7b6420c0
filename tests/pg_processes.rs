//! Many PCs, one server: the real binary, as separate processes, racing on one server
//! register (tests/concurrency.rs and tests/crash.rs do the same on a file). Each test has
//! its own database; the restart has its own cluster.
#![cfg(unix)]

#[path = "common/pg.rs"]
mod pg;

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use pg::Cluster;
use welcome_desk::store::{Location, watch};

const NOW: &str = "2025-12-01T10:00:00+01:00";
const DAY: &str = "2025-12-01";

/// The place a PC keeps its things: the site's audit key, its data folder.
struct Pc {
    home: tempfile::TempDir,
}

impl Pc {
    fn new() -> Pc {
        Pc {
            home: tempfile::tempdir().expect("a home for the PC"),
        }
    }

    fn home(&self) -> PathBuf {
        self.home.path().to_path_buf()
    }
}

/// The real binary on `url`, its clock pinned, in `home`; not yet started.
fn command(url: &str, home: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_welcome-desk"));
    c.arg("--db")
        .arg(url)
        .args(args)
        .env("WELCOME_DESK_NOW", NOW)
        .env("WELCOME_DESK_AUDIT_KEY", home.join("site.audit-key"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("HOME", home)
        .env_remove("WELCOME_DESK_DB")
        .env_remove("WELCOME_DESK_PASSPHRASE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn run(url: &str, home: &Path, args: &[&str]) -> Output {
    command(url, home, args).output().expect("the program runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A name made of letters only (a digit is not part of a name): `n` in base 26.
fn letters(n: usize) -> String {
    let mut s = String::new();
    let mut n = n;
    for _ in 0..4 {
        s.insert(0, char::from(b'a' + (n % 26) as u8));
        n /= 26;
    }
    s
}

/// The arguments registering `given` (unique per test), every third one an SAI guest.
fn registration(given: &str, n: usize) -> Vec<String> {
    let mut args: Vec<String> = [
        "register",
        "--family-name",
        "Quispe",
        "--given-name",
        given,
        "--service",
        "housing",
        "--format",
        "json",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    if n.is_multiple_of(3) {
        args.push("--sai-guest".into());
    }
    args
}

/// An acknowledged registration: its access id and ticket.
type Ack = (String, String);

/// The acknowledgement a process printed (its JSON), if it printed one.
fn acknowledged(out: &Output) -> Option<Ack> {
    if out.status.code() != Some(0) {
        return None;
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    Some((
        v["access_id"].as_str()?.to_string(),
        v["ticket"].as_str()?.to_string(),
    ))
}

fn db_name(url: &str) -> String {
    url.rsplit('/').next().expect("a database name").to_string()
}

/// What the server holds of the day, read behind the program's back.
struct Stored {
    /// Access id -> (queue, number, given name).
    accesses: BTreeMap<String, (String, i32, String)>,
}

fn stored(cluster: &Cluster, url: &str) -> Stored {
    let mut c = cluster.admin_client(&db_name(url));
    let day: chrono::NaiveDate = DAY.parse().expect("the day");
    let rows = c
        .query(
            "SELECT a.id::text, t.queue, t.number, v.given_name \
             FROM welcome_desk.access a \
             JOIN welcome_desk.ticket t ON t.access_seq = a.seq \
             JOIN welcome_desk.visitor v ON v.seq = a.visitor_seq \
             WHERE t.day = $1",
            &[&day],
        )
        .expect("the day's accesses");
    Stored {
        accesses: rows
            .iter()
            .map(|r| (r.get(0), (r.get(1), r.get(2), r.get(3))))
            .collect(),
    }
}

/// Nothing half-written: every access has its ticket and its ticket's first event, every
/// visitor an access; numbers are unique and dense (1..=n) per queue; the audit trail holds.
fn assert_whole(cluster: &Cluster, url: &str, pc: &Pc) -> Stored {
    let mut c = cluster.admin_client(&db_name(url));
    let count = |c: &mut postgres::Client, sql: &str| -> i64 {
        c.query_one(sql, &[])
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .get(0)
    };
    let orphans = [
        "SELECT count(*) FROM welcome_desk.access a WHERE NOT EXISTS \
         (SELECT 1 FROM welcome_desk.ticket t WHERE t.access_seq = a.seq)",
        "SELECT count(*) FROM welcome_desk.ticket t WHERE NOT EXISTS \
         (SELECT 1 FROM welcome_desk.ticket_event e WHERE e.ticket_seq = t.seq AND e.event = 'issue')",
        "SELECT count(*) FROM welcome_desk.visitor v WHERE NOT EXISTS \
         (SELECT 1 FROM welcome_desk.access a WHERE a.visitor_seq = v.seq)",
    ];
    for sql in orphans {
        assert_eq!(count(&mut c, sql), 0, "half-written: {sql}");
    }
    let s = stored(cluster, url);
    let mut per_queue: BTreeMap<&str, Vec<i32>> = BTreeMap::new();
    for (queue, number, _) in s.accesses.values() {
        per_queue.entry(queue).or_default().push(*number);
    }
    for (queue, numbers) in &mut per_queue {
        numbers.sort_unstable();
        let dense: Vec<i32> = (1..=numbers.len() as i32).collect();
        assert_eq!(*numbers, dense, "queue {queue}: unique and dense");
    }
    let verify = run(url, &pc.home(), &["audit", "verify"]);
    assert_eq!(
        verify.status.code(),
        Some(0),
        "audit verify: {}{}",
        text(&verify.stdout),
        text(&verify.stderr)
    );
    s
}

#[test]
fn eight_desks_on_eight_processes_call_forty_waiting_each_exactly_once() {
    let cluster = Cluster::shared();
    let url = cluster.fresh_database();
    let pc = Pc::new();
    // Forty waiting, registered by four receptions at once.
    let receptions: Vec<_> = (0..4)
        .map(|r| {
            let url = url.clone();
            let home = pc.home();
            thread::spawn(move || {
                for i in 0..10 {
                    let n = r * 10 + i;
                    let args = registration(&letters(n), n);
                    let args: Vec<&str> = args.iter().map(String::as_str).collect();
                    let out = run(&url, &home, &args);
                    assert!(acknowledged(&out).is_some(), "{}", text(&out.stderr));
                }
            })
        })
        .collect();
    for r in receptions {
        r.join().expect("a reception");
    }

    let desks: Vec<thread::JoinHandle<Vec<String>>> = (1..=8)
        .map(|d| {
            let url = url.clone();
            let home = pc.home();
            thread::spawn(move || {
                let desk = format!("Sportello {d}");
                let mut called = Vec::new();
                loop {
                    let out = run(
                        &url,
                        &home,
                        &["call-next", "--desk", &desk, "--format", "json"],
                    );
                    match out.status.code() {
                        Some(0) => {
                            let v: serde_json::Value =
                                serde_json::from_slice(&out.stdout).expect("JSON");
                            called.push(v["access_id"].as_str().expect("access_id").to_string());
                        }
                        Some(3) => return called,
                        other => panic!("call-next exited {other:?}: {}", text(&out.stderr)),
                    }
                }
            })
        })
        .collect();
    let mut times: BTreeMap<String, usize> = BTreeMap::new();
    let mut per_desk = Vec::new();
    for d in desks {
        let called = d.join().expect("a desk");
        per_desk.push(called.len());
        for a in called {
            *times.entry(a).or_default() += 1;
        }
    }
    let waiting: BTreeSet<String> = stored(cluster, &url).accesses.into_keys().collect();
    assert_eq!(waiting.len(), 40);
    assert_eq!(
        times.keys().cloned().collect::<BTreeSet<_>>(),
        waiting,
        "every waiting person called"
    );
    assert!(
        times.values().all(|n| *n == 1),
        "somebody called twice: {times:?}"
    );
    assert!(
        per_desk.iter().filter(|n| **n > 0).count() >= 2,
        "the desks did not overlap: {per_desk:?}"
    );
    let mut c = cluster.admin_client(&db_name(&url));
    let left: i64 = c
        .query_one(
            "SELECT count(*) FROM welcome_desk.ticket WHERE state = 'waiting'",
            &[],
        )
        .expect("count")
        .get(0);
    assert_eq!(left, 0, "nobody left waiting");
    eprintln!("8 desks called 40 people: {per_desk:?}");
}

/// One registering process after another, each killed with SIGKILL at a random moment of
/// its life (connecting, inside its transaction, committing, printing): what each printed
/// is what was acknowledged.
#[test]
fn registrations_acknowledged_before_a_sigkill_are_all_stored() {
    let cluster = Cluster::shared();
    let url = cluster.fresh_database();
    let pc = Pc::new();
    // The schema and the audit key are made by the first run, not under a kill.
    let first = run(&url, &pc.home(), &["report", "--day", DAY]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));

    // How long a registration takes on this machine now (a debug build, busy cores), so
    // that the kills fall across a process's whole life: three, not killed.
    let mut acks = Vec::new();
    let mut life = Duration::ZERO;
    for n in 0..3 {
        let args = registration(&letters(10_000 + n), n);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let started = Instant::now();
        let out = run(&url, &pc.home(), &args);
        life += started.elapsed();
        acks.push(acknowledged(&out).unwrap_or_else(|| panic!("{}", text(&out.stderr))));
    }
    let first_window = (life.as_millis() as u64 / 3).max(20);

    const BURSTS: usize = 3;
    const EACH: usize = 30;
    let bursts: Vec<thread::JoinHandle<(Vec<Ack>, usize)>> = (0..BURSTS)
        .map(|b| {
            let url = url.clone();
            let home = pc.home();
            thread::spawn(move || {
                let mut rng = fastrand::Rng::with_seed(b as u64 + 11);
                let mut acks = Vec::new();
                let mut killed = 0;
                // The kill falls uniformly in [0, window): widened after a kill, narrowed
                // after a process that finished first, so that about half are killed
                // whatever the machine's load.
                let mut window = first_window as f64;
                for i in 0..EACH {
                    let n = b * EACH + i;
                    let args = registration(&letters(n), n);
                    let args: Vec<&str> = args.iter().map(String::as_str).collect();
                    let mut child = command(&url, &home, &args)
                        .spawn()
                        .expect("start a registration");
                    thread::sleep(Duration::from_millis(rng.u64(0..window as u64 + 1)));
                    // A process that has exited is not reaped yet, so this cannot hit
                    // another one; whether it killed shows in the exit status.
                    let _ = child.kill();
                    let out = child.wait_with_output().expect("reap");
                    if out.status.signal() == Some(9) {
                        killed += 1;
                        window *= 1.2;
                    } else {
                        window = (window * 0.8).max(5.0);
                    }
                    if let Some(ack) = acknowledged(&out) {
                        acks.push(ack);
                    }
                }
                (acks, killed)
            })
        })
        .collect();
    let mut kills = 0;
    for b in bursts {
        let (a, k) = b.join().expect("a burst");
        acks.extend(a);
        kills += k;
    }
    assert!(
        acks.len() >= 15,
        "only {} registrations were acknowledged: the kills came too early",
        acks.len()
    );
    assert!(kills >= 15, "only {kills} processes were killed");

    let s = assert_whole(cluster, &url, &pc);
    for (access, ticket) in &acks {
        let (queue, number, _) = s
            .accesses
            .get(access)
            .unwrap_or_else(|| panic!("acknowledged access {access} ({ticket}) is missing"));
        let letter = if queue == "sai" { "S" } else { "G" };
        assert_eq!(
            *ticket,
            format!("{letter}-{number:03}"),
            "the ticket printed"
        );
    }
    // A kill between the commit and the print leaves one stored but not acknowledged.
    let stored_n = s.accesses.len();
    assert!(stored_n >= acks.len() && stored_n <= acks.len() + kills);
    eprintln!(
        "{} processes, {kills} killed with SIGKILL: {} acknowledged, {stored_n} stored",
        BURSTS * EACH + 3,
        acks.len()
    );
    // Numbering carries on after the kills.
    let after = run(
        &url,
        &pc.home(),
        &registration("Zeta", 1)
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    let (_, ticket) = acknowledged(&after).unwrap_or_else(|| panic!("{}", text(&after.stderr)));
    let generals = s
        .accesses
        .values()
        .filter(|(q, _, _)| q == "general")
        .count();
    assert_eq!(ticket, format!("G-{:03}", generals + 1));
}

/// The server restarted (`pg_ctl restart -m fast`) while four PCs register: each
/// registration is acknowledged and stored once, or fails with the one retryable line;
/// after the restart registrations work again; nothing is lost or doubled.
#[test]
fn a_server_restart_amid_registrations_loses_and_doubles_nothing() {
    let cluster = Cluster::start();
    let url = cluster.fresh_database();
    let pc = Pc::new();
    let first = run(&url, &pc.home(), &["report", "--day", DAY]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));

    /// One attempt: its name, when it started, and what came of it.
    struct Attempt {
        given: String,
        started: Instant,
        ack: Option<(String, String)>,
        stderr: String,
        code: Option<i32>,
    }
    let stop = Arc::new(AtomicBool::new(false));
    let receptions: Vec<thread::JoinHandle<Vec<Attempt>>> = (0..4)
        .map(|r| {
            let url = url.clone();
            let home = pc.home();
            let stop = Arc::clone(&stop);
            thread::spawn(move || {
                let mut attempts = Vec::new();
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    let n = r * 1000 + i;
                    i += 1;
                    let given = letters(n);
                    let args = registration(&given, n);
                    let args: Vec<&str> = args.iter().map(String::as_str).collect();
                    let started = Instant::now();
                    let out = run(&url, &home, &args);
                    attempts.push(Attempt {
                        given,
                        started,
                        ack: acknowledged(&out),
                        stderr: text(&out.stderr),
                        code: out.status.code(),
                    });
                }
                attempts
            })
        })
        .collect();
    thread::sleep(Duration::from_millis(800));
    let restarting = Instant::now();
    cluster.restart_server();
    let restarted = Instant::now();
    eprintln!("restart took {:?}", restarted - restarting);
    thread::sleep(Duration::from_millis(1200));
    stop.store(true, Ordering::Relaxed);
    let attempts: Vec<Attempt> = receptions
        .into_iter()
        .flat_map(|r| r.join().expect("a reception"))
        .collect();

    let failed: Vec<&Attempt> = attempts.iter().filter(|a| a.ack.is_none()).collect();
    for a in &failed {
        assert_eq!(a.code, Some(1), "{}", a.stderr);
        let lines: Vec<&str> = a.stderr.lines().collect();
        assert!(
            lines.len() == 1 && lines[0].contains("try again"),
            "not the one retryable line: {:?}",
            a.stderr
        );
    }
    assert!(
        !failed.is_empty(),
        "no registration met the restart: the test proved nothing"
    );
    let after: Vec<&Attempt> = attempts
        .iter()
        .filter(|a| a.started > restarted + Duration::from_millis(100))
        .collect();
    assert!(
        after.iter().any(|a| a.ack.is_some()),
        "nothing registered after the restart"
    );
    assert!(
        after.iter().all(|a| a.ack.is_some()),
        "a registration failed after the server was back: {:?}",
        after.iter().find(|a| a.ack.is_none()).map(|a| &a.stderr)
    );

    let s = assert_whole(&cluster, &url, &pc);
    let mut names: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, _, given) in s.accesses.values() {
        *names.entry(given.as_str()).or_default() += 1;
    }
    assert!(
        names.values().all(|n| *n == 1),
        "a registration stored twice"
    );
    let attempted: BTreeSet<&str> = attempts.iter().map(|a| a.given.as_str()).collect();
    assert!(names.keys().all(|n| attempted.contains(n)));
    for a in &attempts {
        if let Some((access, _)) = &a.ack {
            let (_, _, given) = s
                .accesses
                .get(access)
                .unwrap_or_else(|| panic!("acknowledged {access} is missing"));
            assert_eq!(given, &a.given);
        }
    }
    let acked = attempts.iter().filter(|a| a.ack.is_some()).count();
    eprintln!(
        "{} registrations: {acked} acknowledged, {} failed with the retryable line, {} stored",
        attempts.len(),
        failed.len(),
        s.accesses.len()
    );
}

/// A terminal waiting on the change feed wakes when another process registers, and not
/// before.
#[test]
fn a_waiting_terminal_wakes_when_another_process_registers() {
    let cluster = Cluster::shared();
    let url = cluster.fresh_database();
    let pc = Pc::new();
    let first = run(&url, &pc.home(), &["report", "--day", DAY]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));

    let mut feed = watch(&Location::Server { url: url.clone() }).expect("the change feed");
    assert!(
        !feed.wait(Duration::from_millis(300)).expect("wait"),
        "woke with nothing changed"
    );
    let registering = {
        let url = url.clone();
        let home = pc.home();
        thread::spawn(move || {
            let args = registration("Amina", 1);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            run(&url, &home, &args)
        })
    };
    let woke = feed.wait(Duration::from_secs(20)).expect("wait");
    let out = registering.join().expect("the registering process");
    assert!(acknowledged(&out).is_some(), "{}", text(&out.stderr));
    assert!(woke, "the registration did not wake the feed");
}
