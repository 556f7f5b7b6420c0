//! Many terminals, one file: real processes racing on the same register.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::thread;

use common::*;
#[allow(unused_imports)]
use welcome_desk::store::prelude::*;
use welcome_desk::store::{SqliteStore, Store};

const NOW: &str = "2025-07-07T10:00:00+02:00";

/// The exit code and stdout; a failure's stderr is kept in the text so an assertion on the
/// code says why.
fn run(db: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = welcome_desk_at(db, NOW, args);
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        text.push_str(&String::from_utf8_lossy(&out.stderr));
    }
    (out.status.code(), text)
}

#[test]
fn eight_desks_call_five_hundred_visitors_each_exactly_once() {
    let (_dir, path) = temp_db();
    {
        let mut store = SqliteStore::open(&path).unwrap();
        for i in 0..500 {
            store
                .register(
                    &new_walk_in("Rossi", &format!("Persona {i}"), i % 3 == 0),
                    rome("2025-07-07 09:00"),
                )
                .unwrap();
        }
    }
    let desks: Vec<thread::JoinHandle<Vec<String>>> = (1..=8)
        .map(|d| {
            let path: PathBuf = path.clone();
            thread::spawn(move || {
                let desk = format!("Sportello {d}");
                let mut called = Vec::new();
                loop {
                    let (code, out) =
                        run(&path, &["call-next", "--desk", &desk, "--format", "json"]);
                    match code {
                        Some(0) => {
                            let v: serde_json::Value = serde_json::from_str(&out).unwrap();
                            called.push(v["ticket"].as_str().unwrap().to_string());
                        }
                        Some(3) => return called,
                        other => panic!("call-next exited {other:?}: {out}"),
                    }
                }
            })
        })
        .collect();
    let mut times: HashMap<String, usize> = HashMap::new();
    let mut per_desk = Vec::new();
    for d in desks {
        let called = d.join().unwrap();
        per_desk.push(called.len());
        for t in called {
            *times.entry(t).or_default() += 1;
        }
    }
    assert_eq!(times.len(), 500, "every visitor called");
    assert!(times.values().all(|n| *n == 1), "nobody called twice");
    assert!(
        per_desk.iter().filter(|n| **n > 0).count() >= 2,
        "{per_desk:?}"
    );
}

#[test]
fn eight_receptions_registering_at_once_never_share_a_ticket_and_lose_nothing() {
    let (_dir, path) = temp_db();
    SqliteStore::open(&path).unwrap();
    let receptions: Vec<thread::JoinHandle<Vec<(String, String)>>> = (0..8)
        .map(|r| {
            let path = path.clone();
            thread::spawn(move || {
                (0..25)
                    .map(|i| {
                        // Letters only: a digit is not part of a name.
                        let letter = |n: usize| char::from(b'a' + n as u8);
                        let given = format!("R{} N{}{}", letter(r), letter(i / 26), letter(i % 26));
                        let mut args = vec![
                            "register",
                            "--family-name",
                            "Quispe",
                            "--given-name",
                            &given,
                            "--service",
                            "housing",
                            "--format",
                            "json",
                        ];
                        if i % 2 == 0 {
                            args.push("--sai-guest");
                        }
                        let (code, out) = run(&path, &args);
                        assert_eq!(code, Some(0), "{out}");
                        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
                        (
                            v["ticket"].as_str().unwrap().to_string(),
                            v["access_id"].as_str().unwrap().to_string(),
                        )
                    })
                    .collect()
            })
        })
        .collect();
    let issued: Vec<(String, String)> = receptions
        .into_iter()
        .flat_map(|r| r.join().unwrap())
        .collect();
    let mut tickets: Vec<&String> = issued.iter().map(|(t, _)| t).collect();
    tickets.sort();
    tickets.dedup();
    assert_eq!(tickets.len(), 200, "200 different tickets");
    let store = SqliteStore::open(&path).unwrap();
    let stored = store.tickets_of_day(day("2025-07-07")).unwrap();
    assert_eq!(
        stored.len(),
        200,
        "every acknowledged registration is there"
    );
    for (_, access) in &issued {
        assert!(stored.iter().any(|t| t.access_id.to_string() == *access));
    }
    // Numbers are dense per queue: 13 of each reception's 25 are SAI guests (S-001..S-104),
    // the other 12 general (G-001..G-096).
    for (letter, count) in [("S", 104), ("G", 96)] {
        let mut numbers: Vec<u32> = stored
            .iter()
            .filter(|t| t.ticket.to_string().starts_with(letter))
            .map(|t| t.ticket.number)
            .collect();
        numbers.sort();
        assert_eq!(numbers, (1..=count).collect::<Vec<_>>(), "{letter}");
    }
}

#[test]
fn a_lock_held_beyond_the_busy_timeout_is_a_clear_retryable_error() {
    let (_dir, db) = temp_db();
    drop(SqliteStore::open(&db).unwrap());
    // Another terminal (here: a raw connection) holds the write lock and does not let go.
    let blocker = rusqlite::Connection::open(&db).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let register = [
        "register",
        "--family-name",
        "Hassan",
        "--given-name",
        "Omar",
        "--service",
        "housing",
    ];
    let out = welcome_desk_at(&db, NOW, &register);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("busy"), "{stderr}");
    assert!(stderr.contains("try again"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");

    // Once the other terminal lets go, the same command simply works.
    blocker.execute_batch("ROLLBACK").unwrap();
    let (code, _) = run(&db, &register);
    assert_eq!(code, Some(0));
    assert_eq!(SqliteStore::open(&db).unwrap().counts().unwrap(), (1, 1));
}
