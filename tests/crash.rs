//! Crashes: processes killed with SIGKILL in the middle of their work. Every registration a
//! process acknowledged is in the register afterwards, the file passes `integrity_check`, and
//! the next start needs no manual step.
//!
//! The registering processes are this test binary run again in "burst" mode (a real process
//! with its own connection, as a terminal is); the importing one is the real `welcome-desk`.
#![cfg(unix)]

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::*;
use uuid::Uuid;
#[allow(unused_imports)]
use welcome_desk::store::prelude::*;
use welcome_desk::store::{SqliteStore, Store};

const CHILD_ENV: &str = "WELCOME_DESK_BURST_DB";
const ACK: &str = "ACK ";

/// Burst mode: register walk-ins as fast as possible, printing each access only after the
/// store acknowledged it, until killed. Does nothing in a normal test run.
#[test]
fn burst_of_registrations() {
    let Some(db) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let mut store = SqliteStore::open(Path::new(&db)).expect("open the register");
    let at = rome("2025-07-07 10:00");
    for n in 0.. {
        let registered = store
            .register(
                &new_walk_in("Hossain", &format!("Rahim {n}"), n % 4 == 0),
                at,
            )
            .expect("register");
        println!("{ACK}{} {}", registered.access_id, registered.ticket);
    }
}

/// Start a burst process; its acknowledgements arrive on the returned channel.
fn start_burst(db: &Path, acks: mpsc::Sender<Uuid>) -> std::process::Child {
    let mut child = Command::new(std::env::current_exe().expect("this test binary"))
        .args(["burst_of_registrations", "--exact", "--nocapture"])
        .env(CHILD_ENV, db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start a burst process");
    let out = child.stdout.take().expect("piped stdout");
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines() {
            let Ok(line) = line else { break };
            if let Some(rest) = line.strip_prefix(ACK)
                && let Some(id) = rest.split(' ').next().and_then(|s| s.parse().ok())
            {
                let _ = acks.send(id);
            }
        }
    });
    child
}

#[test]
fn registrations_acknowledged_before_a_kill_are_all_there() {
    let (_dir, db) = temp_db();
    drop(SqliteStore::open(&db).expect("create the register"));
    let mut rng = fastrand::Rng::with_seed(7);
    let (tx, rx) = mpsc::channel();
    for _round in 0..6 {
        let mut children: Vec<_> = (0..3).map(|_| start_burst(&db, tx.clone())).collect();
        std::thread::sleep(Duration::from_millis(rng.u64(150..600)));
        // Killed at a random point: between statements, inside a transaction, mid-fsync.
        for child in &mut children {
            child.kill().expect("SIGKILL");
            child.wait().expect("reap");
        }
    }
    drop(tx);
    // Give the reader threads the last lines the dead processes had written.
    let acknowledged: Vec<Uuid> = rx.iter().collect();
    assert!(
        acknowledged.len() > 100,
        "only {} registrations were acknowledged: the bursts did not run",
        acknowledged.len()
    );

    // The next start: no manual step, no message.
    let mut store = SqliteStore::open(&db).expect("open after the kills");
    assert_eq!(store.integrity_check().unwrap(), "ok");
    for id in &acknowledged {
        assert!(
            store.visitor_of_access(*id).is_ok(),
            "acknowledged access {id} is missing"
        );
    }
    let (_, accesses) = store.counts().unwrap();
    eprintln!(
        "18 processes killed: {} registrations acknowledged, {accesses} stored",
        acknowledged.len()
    );
    // A kill can fall between the commit and the print: stored but not acknowledged.
    assert!(accesses as usize >= acknowledged.len());
    assert!(accesses as usize <= acknowledged.len() + 18);

    // Ticket numbers stayed unique and dense per queue, and numbering carries on.
    let tickets = store.tickets_of_day(day("2025-07-07")).unwrap();
    assert_eq!(tickets.len() as u64, accesses);
    let after = store
        .register(
            &new_walk_in("Mamani", "Rosa", false),
            rome("2025-07-07 11:00"),
        )
        .unwrap();
    let general = tickets
        .iter()
        .filter(|t| t.ticket.queue == after.ticket.queue)
        .count() as u32;
    assert_eq!(
        after.ticket.number,
        general + 1,
        "numbering skipped or repeated"
    );
}

#[test]
fn an_import_killed_halfway_leaves_all_or_nothing() {
    let (dir, db) = temp_db();
    let csv = dir.path().join("legacy.csv");
    let mut text = String::from(
        "arrived_at,person_ref,family_name,given_name,birth_date,sex,country,sai_guest,channel,service\n",
    );
    const ROWS: u64 = 30_000;
    for n in 0..ROWS {
        let day = 1 + n % 28;
        text.push_str(&format!(
            "2024-03-{day:02} 10:{:02},P{},Rahman,Karim {n},,M,BD,no,walk-in,housing\n",
            n % 60,
            n / 2
        ));
    }
    std::fs::write(&csv, text).unwrap();
    drop(SqliteStore::open(&db).expect("create the register"));

    let wal = dir.path().join("register.db-wal");
    let import = || {
        Command::new(env!("CARGO_BIN_EXE_welcome-desk"))
            .arg("--db")
            .arg(&db)
            .args(["import", "accesses"])
            .arg(&csv)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the import")
    };
    for round in 0..3 {
        let before = std::fs::metadata(&wal).map_or(0, |m| m.len());
        let mut child = import();
        // Wait until the import's transaction is writing pages into the WAL, then kill it.
        let mut waited = 0;
        while std::fs::metadata(&wal).map_or(0, |m| m.len()) <= before + 512 * 1024 {
            assert!(waited < 20_000, "the import never started writing");
            std::thread::sleep(Duration::from_millis(2));
            waited += 2;
        }
        child.kill().expect("SIGKILL");
        let status = child.wait().expect("reap");
        assert!(
            !status.success(),
            "round {round}: the import finished before the kill"
        );
        let store = SqliteStore::open(&db).expect("open after the kill");
        assert_eq!(store.integrity_check().unwrap(), "ok");
        assert_eq!(
            store.counts().unwrap(),
            (0, 0),
            "round {round}: a killed import left rows behind"
        );
    }
    // The next run needs no manual step and imports everything.
    let status = import().wait().expect("import");
    assert!(status.success());
    let store = SqliteStore::open(&db).unwrap();
    assert_eq!(store.counts().unwrap(), (ROWS / 2, ROWS));
    assert_eq!(store.integrity_check().unwrap(), "ok");
}
