//! Hostile files and places, through the real binary: a read-only register, a missing
//! folder, a full disk. Each gets one clear line, no panic, and the register is left as it
//! was. (Files that are not a register, truncated ones and newer ones: tests/store.rs.)
#![cfg(unix)]

mod common;

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Output};

use common::*;
use welcome_desk::store::SqliteStore;
#[allow(unused_imports)]
use welcome_desk::store::prelude::*;

const NOW: &str = "2025-07-07T10:00:00+02:00";

fn welcome_desk(db: &Path) -> Command {
    welcome_desk_command(db, NOW)
}

const REGISTER: [&str; 7] = [
    "register",
    "--family-name",
    "Hassan",
    "--given-name",
    "Omar",
    "--service",
    "housing",
];

/// One line on stderr, no panic, the given exit code.
fn says(out: &Output, code: i32, words: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(code), "{err}");
    assert!(err.contains(words), "expected '{words}' in: {err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

fn a_register_with_one_access(db: &Path) {
    let out = welcome_desk(db).args(REGISTER).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_read_only_register_says_so_and_is_not_changed() {
    let (dir, db) = temp_db();
    a_register_with_one_access(&db);
    let bytes = std::fs::read(&db).unwrap();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    let mut command = welcome_desk(&db);
    command.args(REGISTER);
    // Root writes through any permission: run as nobody, who may read but not write. The
    // checkout may sit in a folder nobody cannot enter, so nobody runs a copy of the binary.
    let root = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
    if root {
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let copy = dir.path().join("welcome-desk");
        std::fs::copy(env!("CARGO_BIN_EXE_welcome-desk"), &copy).unwrap();
        command = Command::new(&copy);
        command
            .arg("--db")
            .arg(&db)
            .args(REGISTER)
            .env("WELCOME_DESK_NOW", NOW)
            .uid(65534)
            .gid(65534);
    }
    let out = command.output().unwrap();
    says(&out, 1, "read-only");
    assert_eq!(std::fs::read(&db).unwrap(), bytes);
}

#[test]
fn a_missing_folder_is_named_and_not_created() {
    let (dir, _) = temp_db();
    let db = dir.path().join("no-such-folder").join("register.db");
    let out = welcome_desk(&db).args(REGISTER).output().unwrap();
    says(&out, 1, "no-such-folder");
    says(&out, 1, "does not exist");
    assert!(!db.parent().unwrap().exists());
}

#[test]
fn a_folder_given_as_the_register_is_refused() {
    let (dir, _) = temp_db();
    let out = welcome_desk(dir.path()).args(REGISTER).output().unwrap();
    says(&out, 1, "is a folder");
}

#[test]
fn a_full_disk_stores_nothing_and_keeps_what_was_there() {
    let (dir, db) = temp_db();
    a_register_with_one_access(&db);
    let csv = dir.path().join("legacy.csv");
    let mut text = String::from(
        "arrived_at,person_ref,family_name,given_name,birth_date,sex,country,sai_guest,channel,service\n",
    );
    for n in 0..20_000 {
        text.push_str(&format!(
            "2024-03-{:02} 10:{:02},P{n},Rahman,Karim {n},,M,BD,no,walk-in,housing\n",
            1 + n % 28,
            n % 60
        ));
    }
    std::fs::write(&csv, text).unwrap();
    // A file-size limit of 2 MB makes the disk "full" for this process only; SIGXFSZ is
    // ignored so that the write fails as on a full disk instead of killing the process.
    let out = Command::new("sh")
        .arg("-c")
        .arg(r#"ulimit -f 4096; trap "" XFSZ; exec "$0" "$@""#)
        .arg(env!("CARGO_BIN_EXE_welcome-desk"))
        .arg("--db")
        .arg(&db)
        .args(["import", "accesses"])
        .arg(&csv)
        .env("WELCOME_DESK_NOW", NOW)
        .output()
        .unwrap();
    says(&out, 1, "nothing was saved");
    let store = SqliteStore::open(&db).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    assert_eq!(store.counts().unwrap(), (1, 1));
    assert_eq!(store.tickets_of_day(day("2025-07-07")).unwrap().len(), 1);
}
