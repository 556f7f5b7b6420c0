//! Moving a site (issue 13): a single-PC SQLite register restored onto an empty server gives
//! the same counts, reports, cards and audit trail; a server holding a register is replaced
//! only with --force.

#[path = "common/pg.rs"]
mod pg;

use std::path::Path;
use std::process::Command;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use welcome_desk::demo::Generator;
use welcome_desk::domain::hours::{rome_day, rome_local_to_utc};
use welcome_desk::domain::staff::Role;
use welcome_desk::domain::{Channel, Sex, VisitorDetails};
use welcome_desk::progress::Silent;
use welcome_desk::service;
use welcome_desk::store::postgres::PgStore;
use welcome_desk::store::{
    KeyFile, Maintenance, People, Principal, Registration, SqliteStore, Store, VisitorChoice,
};

use pg::Cluster;

fn rome(local: &str) -> DateTime<Utc> {
    let t = NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").expect("test time");
    rome_local_to_utc(t).expect("existing local time")
}

fn connect(url: &str, key: &Path) -> PgStore {
    PgStore::connect_with(url, None, KeyFile::installed(key))
        .unwrap_or_else(|e| panic!("connect {url}: {e}"))
}

fn walk_in(family: &str) -> Registration {
    Registration {
        access_id: uuid::Uuid::now_v7(),
        visitor: VisitorChoice::New(VisitorDetails {
            family_name: family.into(),
            given_name: "Amina".into(),
            birth_date: NaiveDate::from_ymd_opt(1990, 5, 17),
            sex: Sex::F,
            country: Some("ER".into()),
            languages: vec!["ti".into(), "en".into()],
            sai_guest: true,
            phone: None,
        }),
        channel: Channel::WalkIn,
        service: "legal-administrative".into(),
        priority: None,
        queue_override: None,
        appointment_at: None,
        sai_guest: true,
        staff: String::new(),
    }
}

/// A single-PC register as a site would have it: a month of demo traffic, an administrator,
/// a few registrations and a report (each with its audit entry). The backup `move.db` (with
/// `move.audit-key` beside it) and the demo's first and last days.
fn single_pc_backup(dir: &Path) -> (std::path::PathBuf, NaiveDate, NaiveDate) {
    let now = rome("2025-12-01 12:00");
    let mut store = SqliteStore::open(&dir.join("old.db")).expect("a register");
    let days: Vec<_> = Generator::new(30, 7, 1.0, now).collect();
    let first = days
        .iter()
        .flat_map(|d| d.accesses.iter().map(|a| rome_day(a.arrived_at)))
        .min()
        .expect("demo traffic");
    service::maintenance::demo(&mut store, &admin(), &mut days.into_iter(), &mut Silent)
        .expect("demo");
    service::staff::create_first_admin(&mut store, "Rossi", "correct horse battery", "pc-1", now)
        .expect("first admin");
    for (i, family) in ["Haile", "Tesfay", "Abdel Rahman"].iter().enumerate() {
        let at = now + Duration::minutes(10 * i as i64 + 5);
        service::reception::register(&mut store, &reception(), &walk_in(family), at)
            .expect("register");
    }
    let last = rome_day(now);
    service::records::report(&mut store, &coordinator(), first, last, now).expect("report");
    let backup = dir.join("move.db");
    service::maintenance::backup(&mut store, &admin(), &backup, &mut Silent, now).expect("backup");
    assert!(dir.join("move.audit-key").is_file(), "the key travels");
    (backup, first, last)
}

fn admin() -> Principal {
    as_role("Rossi", Role::Admin)
}

fn reception() -> Principal {
    as_role("Bianchi", Role::Reception)
}

fn coordinator() -> Principal {
    as_role("Verdi", Role::Coordinator)
}

fn as_role(staff: &str, role: Role) -> Principal {
    Principal {
        staff: staff.into(),
        role,
        terminal: "terminal:pc-1".into(),
    }
}

/// What must be identical after the move: counts, the report as JSON, the trail's length,
/// and the first visitor's card by code.
fn same_register(a: &dyn Store, b: &dyn Store, from: NaiveDate, to: NaiveDate) {
    assert_eq!(a.counts().expect("counts"), b.counts().expect("counts"));
    let report = |s: &dyn Store| {
        serde_json::to_value(welcome_desk::report::report(s, from, to).expect("report"))
            .expect("json")
    };
    assert_eq!(report(a), report(b));
    assert_eq!(
        a.verify_audit().expect("the trail holds"),
        b.verify_audit().expect("the trail holds")
    );
    for code in ["V-000001", "V-000007"] {
        assert_eq!(
            a.visitor_by_reference(code).expect("by code"),
            b.visitor_by_reference(code).expect("by code"),
            "{code}"
        );
    }
}

#[test]
fn a_single_pc_register_moves_onto_an_empty_server_whole() {
    let cluster = Cluster::shared();
    let url = cluster.fresh_database();
    let dir = tempfile::tempdir().expect("a folder");
    let (backup, from, to) = single_pc_backup(dir.path());
    let key = dir.path().join("site.audit-key");
    let keep = dir.path().join("kept");
    let mut server = connect(&url, &key);
    assert!(!server.holds_register().expect("asked"));

    let restored = server
        .restore_from(&backup, false, &keep, rome("2025-12-02 08:00"), &mut Silent)
        .expect("restore onto an empty server");
    assert!(restored.kept.is_none());
    assert_eq!(
        std::fs::read(&key).expect("the site's key"),
        std::fs::read(dir.path().join("move.audit-key")).expect("the backup's key")
    );
    let lite = SqliteStore::open(&backup).expect("the backup opens");
    same_register(&lite, &server, from, to);
    assert_eq!(
        (restored.visitors, restored.accesses),
        lite.counts().expect("counts")
    );

    // New visitors get new codes: the sequences moved past the restored seqs.
    let (visitors, _) = server.counts().expect("counts");
    let new = service::reception::register(
        &mut server,
        &reception(),
        &walk_in("Mesfin"),
        rome("2025-12-02 09:00"),
    )
    .expect("a registration after the move");
    assert_eq!(new.visitor_code, format!("V-{:06}", visitors + 1));
    assert!(server.verify_audit().expect("the trail goes on") > 0);

    // Again without --force: refused as bad input, naming --force, nothing changed.
    let again = server.restore_from(&backup, false, &keep, rome("2025-12-02 10:00"), &mut Silent);
    let e = again.expect_err("a server holding a register is refused");
    assert!(e.is_bad_input(), "{e:?}");
    assert!(e.to_string().contains("--force"), "{e}");
    assert_eq!(server.counts().expect("counts").0, visitors + 1);

    // With --force: replaced in one go, a copy of the replaced register kept.
    let forced = server
        .restore_from(&backup, true, &keep, rome("2025-12-02 10:00"), &mut Silent)
        .expect("forced restore");
    let kept = forced.kept.expect("a copy kept");
    assert_eq!(
        SqliteStore::open(&kept)
            .expect("the copy opens")
            .counts()
            .expect("counts")
            .0,
        visitors + 1
    );
    same_register(&lite, &server, from, to);
}

#[test]
fn a_different_site_key_is_refused_without_force() {
    let cluster = Cluster::shared();
    let url = cluster.fresh_database();
    let dir = tempfile::tempdir().expect("a folder");
    let (backup, _, _) = single_pc_backup(dir.path());
    let key = dir.path().join("site.audit-key");
    std::fs::write(&key, [7u8; 32]).expect("another key");
    let mut server = connect(&url, &key);
    let keep = dir.path().join("kept");
    let at = rome("2025-12-02 08:00");
    let e = server
        .restore_from(&backup, false, &keep, at, &mut Silent)
        .expect_err("refused");
    assert!(e.is_bad_input(), "{e:?}");
    let shown = e.to_string();
    assert!(
        shown.contains("site.audit-key") && shown.contains("--force"),
        "{shown}"
    );
    assert!(!server.holds_register().expect("asked"), "nothing written");
    assert_eq!(std::fs::read(&key).expect("key"), [7u8; 32], "key kept");
    server
        .restore_from(&backup, true, &keep, at, &mut Silent)
        .expect("forced");
    assert!(
        server
            .verify_audit()
            .expect("the trail verifies with the new key")
            > 0
    );
}

#[test]
fn the_command_restores_onto_the_server() {
    let cluster = Cluster::shared();
    let url = cluster.fresh_database();
    let dir = tempfile::tempdir().expect("a folder");
    let (backup, from, to) = single_pc_backup(dir.path());
    let key = dir.path().join("bin.audit-key");
    let out = Command::new(env!("CARGO_BIN_EXE_welcome-desk"))
        .arg("restore")
        .arg(&backup)
        .arg("--db")
        .arg(&url)
        .arg("--force")
        .env("WELCOME_DESK_AUDIT_KEY", &key)
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("HOME", dir.path())
        .env_remove("WELCOME_DESK_PASSPHRASE")
        .output()
        .expect("the program runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("restored"), "{stderr}");
    let server = connect(&url, &key);
    let lite = SqliteStore::open(&backup).expect("the backup opens");
    assert_eq!(
        lite.counts().expect("counts"),
        server.counts().expect("counts")
    );
    let report = |s: &dyn Store| {
        serde_json::to_value(welcome_desk::report::report(s, from, to).expect("report"))
            .expect("json")
    };
    assert_eq!(report(&lite), report(&server));
    // The restore itself is the one entry more on the server's trail.
    assert_eq!(
        server.verify_audit().expect("the trail holds"),
        lite.verify_audit().expect("the trail holds") + 1
    );
}
