//! Encryption at rest. With `--features encryption` (SQLCipher): a register created with a
//! passphrase is unreadable without it, its backups too, and it works as any register.
//! Without the feature: an encrypted file is refused with a clear message, and a passphrase
//! never silently yields a plain file. `.ci/run` runs both builds.

mod common;

use std::path::Path;
use std::process::Output;

use common::*;

const NOW: &str = "2025-07-07T10:00:00+02:00";
const PASSPHRASE: &str = "correct horse battery staple";

fn welcome_desk(db: &Path, passphrase: Option<&str>, args: &[&str]) -> Output {
    let mut command = welcome_desk_command(db, NOW);
    command.args(args);
    match passphrase {
        Some(p) => command.env("WELCOME_DESK_PASSPHRASE", p),
        None => command.env_remove("WELCOME_DESK_PASSPHRASE"),
    };
    command.output().expect("run welcome-desk")
}

const REGISTER: [&str; 7] = [
    "register",
    "--family-name",
    "Qureshi-Zaffarano",
    "--given-name",
    "Zainab",
    "--service",
    "housing",
];
const REPORT: [&str; 5] = ["report", "--day", "2025-07-07", "--format", "json"];

#[cfg(feature = "encryption")]
fn contains(path: &Path, needle: &[u8]) -> bool {
    std::fs::read(path).is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle))
}

#[cfg(feature = "encryption")]
#[test]
fn an_encrypted_register_reveals_nothing_without_its_passphrase() {
    let (dir, db) = temp_db();
    let out = welcome_desk(&db, Some(PASSPHRASE), &REGISTER);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !contains(&db, b"SQLite format 3"),
        "the file is not plain SQLite"
    );
    assert!(!contains(&db, b"Qureshi"), "the name is not in the file");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&db).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    let none = welcome_desk(&db, None, &REPORT);
    assert_eq!(none.status.code(), Some(1));
    assert!(
        stderr(&none).contains("encrypted: give its passphrase in WELCOME_DESK_PASSPHRASE"),
        "{}",
        stderr(&none)
    );
    let wrong = welcome_desk(&db, Some("wrong passphrase"), &REPORT);
    assert_eq!(wrong.status.code(), Some(1));
    assert_eq!(stderr(&wrong).lines().count(), 1, "{}", stderr(&wrong));
    assert!(
        stderr(&wrong).contains("passphrase is wrong"),
        "{}",
        stderr(&wrong)
    );

    let report = welcome_desk(&db, Some(PASSPHRASE), &REPORT);
    assert!(report.status.success(), "{}", stderr(&report));
    let figures: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    assert_eq!(figures["accesses"], 1);
    let found = welcome_desk(
        &db,
        Some(PASSPHRASE),
        &[
            "search",
            "--family-name",
            "Qureshi Zaffarano",
            "--given-name",
            "Zainab",
            "--format",
            "json",
        ],
    );
    let found: serde_json::Value = serde_json::from_slice(&found.stdout).unwrap();
    assert_eq!(found[0]["family_name"], "Qureshi-Zaffarano");

    // Its backup is encrypted too, and restores to the same figures.
    let copy = dir.path().join("copy.db");
    let out = welcome_desk(&db, Some(PASSPHRASE), &["backup", copy.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!contains(&copy, b"SQLite format 3") && !contains(&copy, b"Qureshi"));
    assert!(!welcome_desk(&copy, None, &REPORT).status.success());
    let restored = dir.path().join("restored.db");
    let out = welcome_desk(
        &restored,
        Some(PASSPHRASE),
        &["restore", copy.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        welcome_desk(&restored, Some(PASSPHRASE), &REPORT).stdout,
        report.stdout
    );
    let out = welcome_desk(&restored, Some(PASSPHRASE), &["audit", "verify"]);
    assert!(out.status.success(), "{}", stderr(&out));

    // A plain register stays plain when a passphrase happens to be set.
    let (_plain_dir, plain) = temp_db();
    assert!(welcome_desk(&plain, None, &REGISTER).status.success());
    assert!(
        welcome_desk(&plain, Some(PASSPHRASE), &REPORT)
            .status
            .success()
    );
    assert!(contains(&plain, b"SQLite format 3"));
}

#[cfg(not(feature = "encryption"))]
#[test]
fn a_build_without_the_cipher_fails_closed() {
    // Made by a build with the cipher (passphrase "fixture passphrase").
    let fixture = fixture("encrypted-register.db");
    let (dir, db) = temp_db();
    std::fs::copy(&fixture, &db).unwrap();
    let bytes = std::fs::read(&db).unwrap();
    let out = welcome_desk(&db, Some("fixture passphrase"), &REPORT);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("encrypted") && err.contains("--features encryption"),
        "{err}"
    );
    assert!(
        std::fs::read(&db).unwrap() == bytes,
        "the file is untouched"
    );

    // Asked for an encrypted register, it creates nothing rather than a plain file.
    let new = dir.path().join("new.db");
    let out = welcome_desk(&new, Some(PASSPHRASE), &REGISTER);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no encryption support; nothing was created"),
        "{}",
        stderr(&out)
    );
    assert!(!new.exists());
}

#[cfg(feature = "encryption")]
#[test]
fn the_terminal_asks_for_the_passphrase_of_an_encrypted_register() {
    use std::sync::Arc;
    use welcome_desk::store::StoreError;
    use welcome_desk::ui::app::{App, Effect, Message};
    use welcome_desk::ui::gate;
    let (_dir, db) = temp_db();
    assert!(
        welcome_desk(&db, Some(PASSPHRASE), &REGISTER)
            .status
            .success()
    );
    // Started without WELCOME_DESK_PASSPHRASE: opening says a passphrase is needed.
    let Err(refused) = welcome_desk::store::SqliteStore::open_with(&db, None) else {
        panic!("opened without its passphrase");
    };
    assert!(
        matches!(refused, StoreError::PassphraseNeeded { .. }),
        "{refused}"
    );
    let mut app = App::new(
        db.clone(),
        Arc::new(welcome_desk::clock::FixedClock(rome("2025-07-07 10:00"))),
    );
    app.step(Message::Opened(Err(refused)));
    assert_eq!(app.gate.mode, gate::Mode::Passphrase);
    app.step(Message::Gate(gate::Message::Password(PASSPHRASE.into())));
    let effects = app.step(Message::Gate(gate::Message::Submit));
    assert_eq!(effects, vec![Effect::Reopen]);
    // A wrong one is said on the gate, which stays.
    let Err(wrong) = welcome_desk::store::SqliteStore::open_with(&db, Some("wrong")) else {
        panic!("opened with a wrong passphrase");
    };
    app.step(Message::Opened(Err(wrong)));
    assert_eq!(app.gate.mode, gate::Mode::Passphrase);
    assert!(
        app.gate
            .error
            .as_deref()
            .is_some_and(|e| e.contains("passphrase is wrong"))
    );
}
