//! Backups: the daily copy kept for two weeks, and `backup` / `restore` through the real
//! binary, proving a restored register reports the same figures and that nothing is ever
//! overwritten without being kept.

mod common;

use std::path::Path;
use std::process::Output;
use std::sync::Arc;

use chrono::Duration;
use common::*;
use welcome_desk::clock::FixedClock;
use welcome_desk::store::backup::{Daily, KEEP_DAILY, daily_name, folder_of, take_daily};
#[allow(unused_imports)]
use welcome_desk::store::prelude::*;
use welcome_desk::store::{SqliteStore, Store};
use welcome_desk::ui::app::App;

fn welcome_desk(db: &Path, args: &[&str]) -> Output {
    welcome_desk_at(db, "2025-07-08T08:30:00Z", args)
}

fn register(db: &Path, family: &str) {
    let out = welcome_desk(
        db,
        &[
            "register",
            "--family-name",
            family,
            "--given-name",
            "Amina",
            "--service",
            "language-orientation",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

const REPORT: [&str; 7] = [
    "report",
    "--from",
    "2025-07-01",
    "--to",
    "2025-07-31",
    "--format",
    "json",
];

#[test]
fn the_daily_backup_is_taken_once_a_day_and_the_last_fourteen_are_kept() {
    let (dir, mut store) = open_temp();
    let folder = dir.path().join("backups");
    // Someone else's file in the folder, and a copy a restore kept: never touched.
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("notes.txt"), "mine").unwrap();
    std::fs::write(folder.join("before-restore-20250601-090000.db"), "kept").unwrap();

    let first = day("2025-06-01");
    for n in 0..20 {
        let today = first + Duration::days(n);
        store
            .register(
                &new_walk_in("Hossain", &format!("Rahim {n}"), false),
                rome(&format!("{today} 09:30")),
            )
            .unwrap();
        let taken = take_daily(&store, &folder, today, KEEP_DAILY).unwrap();
        assert!(matches!(taken, Daily::Written { .. }), "{taken:?}");
        // A second start the same day writes nothing.
        let again = take_daily(&store, &folder, today, KEEP_DAILY).unwrap();
        assert_eq!(again, Daily::AlreadyTaken(folder.join(daily_name(today))));
    }

    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let mut expected: Vec<String> = (6..20)
        .map(|n| daily_name(first + Duration::days(n)))
        .collect();
    expected.push("before-restore-20250601-090000.db".into());
    expected.push("notes.txt".into());
    expected.sort();
    assert_eq!(names, expected);

    // The newest copy holds everything up to its day, in one self-contained file.
    let newest = folder.join(daily_name(first + Duration::days(19)));
    assert!(!folder.join(format!("{}-wal", daily_name(first))).exists());
    let copy = SqliteStore::open(&newest).unwrap();
    assert_eq!(copy.counts().unwrap(), (20, 20));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(
            mode(&folder.join(daily_name(first + Duration::days(6)))),
            0o600
        );
    }
}

#[test]
fn the_terminal_takes_the_day_backup_when_it_starts() {
    let (_dir, path) = temp_db();
    let mut store = SqliteStore::open(&path).unwrap();
    store
        .register(
            &new_walk_in("Mamani", "Rosa", false),
            rome("2025-07-07 09:10"),
        )
        .unwrap();
    let mut app = App::new(path.clone(), Arc::new(FixedClock(rome("2025-07-07 10:00"))));
    app.start_headless(&mut store);
    let backup = folder_of(&path).join(daily_name(day("2025-07-07")));
    assert!(backup.is_file(), "no backup at {}", backup.display());
    assert_eq!(
        SqliteStore::open(&backup).unwrap().counts().unwrap(),
        (1, 1)
    );
    assert_eq!(app.banner, None);
}

#[test]
fn a_restored_register_reports_the_same_figures_and_nothing_is_overwritten_unasked() {
    let (dir, db) = temp_db();
    for family in ["Hassan", "Quispe", "Rahman", "Mamani"] {
        register(&db, family);
    }
    let before = welcome_desk(&db, &REPORT);
    assert!(before.status.success(), "{}", stderr(&before));
    let dest = dir.path().join("monday.db");
    let out = welcome_desk(&db, &["backup", dest.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));

    // Work goes on after the backup.
    register(&db, "Ali");
    let later = welcome_desk(&db, &REPORT);
    assert_ne!(later.stdout, before.stdout);

    // Without --force the register is left exactly as it was.
    let bytes = std::fs::read(&db).unwrap();
    let refused = welcome_desk(&db, &["restore", dest.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("--force"), "{}", stderr(&refused));
    assert_eq!(std::fs::read(&db).unwrap(), bytes);

    let forced = welcome_desk(&db, &["restore", dest.to_str().unwrap(), "--force"]);
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert_eq!(welcome_desk(&db, &REPORT).stdout, before.stdout);

    // The register it replaced was kept, with the access registered after the backup.
    let kept: Vec<_> = std::fs::read_dir(folder_of(&db))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.to_string_lossy().contains("before-restore-")
                && p.extension().is_some_and(|e| e == "db")
        })
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(welcome_desk(&kept[0], &REPORT).stdout, later.stdout);

    // On a new machine (no register yet) no --force is needed.
    let fresh = dir.path().join("new-pc").join("register.db");
    std::fs::create_dir(fresh.parent().unwrap()).unwrap();
    let out = welcome_desk(&fresh, &["restore", dest.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(welcome_desk(&fresh, &REPORT).stdout, before.stdout);
    // And the restored register takes new work.
    register(&fresh, "Ibrahim");
}

#[test]
fn a_file_that_is_not_a_sound_backup_is_refused_before_anything_changes() {
    let (dir, db) = temp_db();
    register(&db, "Hassan");

    let not_db = dir.path().join("photo.db");
    std::fs::write(&not_db, b"\x89PNG\r\n\x1a\n not a database").unwrap();
    let missing = dir.path().join("nowhere.db");
    // A real backup with a page damaged below the header.
    let damaged = dir.path().join("damaged.db");
    let out = welcome_desk(&db, &["backup", damaged.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut raw = std::fs::read(&damaged).unwrap();
    let page = 4096;
    for b in &mut raw[page + 8..page * 2] {
        *b = 0x5a;
    }
    std::fs::write(&damaged, raw).unwrap();
    // (The backup above is itself recorded in the audit trail: read the register after it.)
    let bytes = std::fs::read(&db).unwrap();

    for (src, says) in [
        (&not_db, "not an SQLite database"),
        (&missing, "no such backup file"),
        (&damaged, "damaged"),
    ] {
        let out = welcome_desk(&db, &["restore", src.to_str().unwrap(), "--force"]);
        assert!(!out.status.success(), "{} was restored", src.display());
        assert!(
            stderr(&out).contains(says),
            "{}: {}",
            src.display(),
            stderr(&out)
        );
        assert!(
            std::fs::read(&db).unwrap() == bytes,
            "{} changed the register",
            src.display()
        );
    }
}

/// What a long operation tells whoever watches it: the stages in order, each step within
/// its stage's total.
#[derive(Default)]
struct Recorded {
    stages: Vec<(&'static str, Option<u64>)>,
    over: Vec<String>,
}

impl welcome_desk::progress::Progress for Recorded {
    fn stage(&mut self, name: &'static str, total: Option<u64>) {
        self.stages.push((name, total));
    }
    fn set(&mut self, done: u64) {
        if let Some((name, Some(total))) = self.stages.last()
            && done > *total
        {
            self.over.push(format!("{name}: {done} of {total}"));
        }
    }
}

impl Recorded {
    fn names(&self) -> Vec<&'static str> {
        let mut names: Vec<_> = self.stages.iter().map(|(n, _)| *n).collect();
        names.dedup();
        names
    }
}

#[test]
fn demo_backup_restore_and_purge_report_their_progress() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("register.db");
    let now = rome("2025-07-08 10:00");
    let mut store = SqliteStore::open(&db).unwrap();
    let mut demo = Recorded::default();
    let mut days = welcome_desk::demo::Generator::new(20, 3, 1.0, now);
    store
        .load_synthetic_with(&mut days, "demo", &mut demo)
        .unwrap();
    assert_eq!(demo.names(), ["days", "search keys", "writing"]);
    assert_eq!(demo.stages[0].1, Some(20), "one step per day");
    assert!(demo.over.is_empty(), "{:?}", demo.over);

    let copy = dir.path().join("copy.db");
    let mut backup = Recorded::default();
    store.backup_to_with(&copy, &mut backup).unwrap();
    assert_eq!(backup.names(), ["copying"]);
    assert!(backup.stages[0].1.is_some_and(|pages| pages > 1));
    assert!(backup.over.is_empty(), "{:?}", backup.over);
    drop(store);

    let mut restore = Recorded::default();
    SqliteStore::restore_with(&db, &copy, &dir.path().join("kept"), now, &mut restore).unwrap();
    assert_eq!(
        restore.names(),
        ["checking the backup", "copying", "restoring"],
        "the register replaced is copied first"
    );

    let mut store = SqliteStore::open(&db).unwrap();
    let mut purge = Recorded::default();
    // A retention period of zero months: everyone seen before now is due.
    let by = welcome_desk::cli::os_principal();
    let purged = welcome_desk::service::records::purge(&mut store, &by, Some(0), &mut purge, now)
        .unwrap()
        .anonymised;
    assert!(purged > 0);
    assert_eq!(purge.names(), ["finding", "anonymising", "writing"]);
    assert_eq!(purge.stages[1].1, Some(purged));
}
