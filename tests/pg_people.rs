//! The server engine's people, appointments and maintenance on a real PostgreSQL server
//! (each test its own throwaway cluster, tests/common/pg.rs): what two PCs at once must not
//! break, and that a server register's backup is a SQLite register the program opens.

#[path = "common/pg.rs"]
mod pg;

use std::path::Path;
use std::sync::{Arc, Barrier};
use std::thread;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use uuid::Uuid;
use welcome_desk::demo::Generator;
use welcome_desk::domain::appointment::{BookedVia, NewPerson, Person};
use welcome_desk::domain::audit::AuditAction;
use welcome_desk::domain::hours::rome_local_to_utc;
use welcome_desk::domain::staff::{FAILURES_BEFORE_LOCK, Role};
use welcome_desk::domain::{Channel, Sex, VisitorDetails};
use welcome_desk::progress::Silent;
use welcome_desk::store::passwords::hash_new;
use welcome_desk::store::postgres::tickets::register_in;
use welcome_desk::store::postgres::{PgStore, PgTx};
use welcome_desk::store::{
    AppointmentWork, Appointments, BookingOrder, KeyFile, Maintenance, People, PeopleWork,
    Principal, Registration, Result, SqliteStore, StoreError, SyntheticDay, VisitorChoice,
};

use pg::Cluster;

fn rome(local: &str) -> DateTime<Utc> {
    let t = NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").expect("test time");
    rome_local_to_utc(t).expect("existing local time")
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test day")
}

/// A PC of the site: its own connection, the site's key file.
fn connect(url: &str, key: &Path) -> PgStore {
    PgStore::connect_with(url, None, KeyFile::installed(key))
        .unwrap_or_else(|e| panic!("connect {url}: {e}"))
}

/// One transaction, committed, as `Store::write` will run it.
fn write<T>(store: &mut PgStore, work: impl FnOnce(&mut PgTx<'_>) -> Result<T>) -> Result<T> {
    let mut tx = store.begin_tx()?;
    let value = work(&mut tx)?;
    tx.commit()?;
    Ok(value)
}

fn admin() -> Principal {
    Principal {
        staff: "Rossi".into(),
        role: Role::Admin,
        terminal: "terminal:pc-1".into(),
    }
}

fn register(store: &mut PgStore, family: &str, at: DateTime<Utc>) -> Uuid {
    let reg = Registration {
        access_id: uuid::Uuid::now_v7(),
        visitor: VisitorChoice::New(VisitorDetails {
            family_name: family.into(),
            given_name: "Amina".into(),
            birth_date: Some(day("1990-05-17")),
            sex: Sex::F,
            country: Some("ER".into()),
            languages: vec!["ti".into(), "en".into()],
            sai_guest: false,
            phone: Some("+39 333 1234567".into()),
        }),
        channel: Channel::WalkIn,
        service: "legal-administrative".into(),
        priority: None,
        queue_override: None,
        appointment_at: None,
        sai_guest: false,
        staff: "test:reception".into(),
    };
    let server = store.server().to_string();
    let mut tx = store.transaction().expect("begin");
    let (registered, _) = register_in(&mut tx, &reg, Uuid::now_v7(), at)
        .unwrap_or_else(|e| panic!("register: {}", e.into_store(&server)));
    tx.commit().expect("commit");
    registered.visitor_id
}

#[test]
fn staff_audit_settings_and_erasure_across_two_pcs() {
    let cluster = Cluster::start();
    let url = cluster.fresh_database();
    let keys = tempfile::tempdir().expect("a folder for the key");
    let key = keys.path().join("server.audit-key");
    let mut pc1 = connect(&url, &key);
    let mut pc2 = connect(&url, &key);
    let at = rome("2025-12-01 09:00");

    // Staff: the first administrator once, names case-insensitive, sign-in from either PC.
    let hash = hash_new("correct horse battery").expect("hash");
    write(&mut pc1, |tx| {
        tx.create_staff("Rossi", Role::Admin, &hash, true, at)
    })
    .expect("first admin");
    let again = write(&mut pc2, |tx| {
        tx.create_staff("Bianchi", Role::Admin, &hash, true, at)
    });
    assert!(matches!(again, Err(StoreError::Input(_))), "{again:?}");
    let taken = write(&mut pc2, |tx| {
        tx.create_staff("rossi", Role::Reception, &hash, false, at)
    });
    assert!(matches!(taken, Err(StoreError::Input(_))), "{taken:?}");
    write(&mut pc2, |tx| {
        tx.create_staff("Bianchi", Role::Reception, &hash, false, at)
    })
    .expect("second account");
    let session = pc2
        .sign_in("rossi", "correct horse battery", "terminal:pc-2", at)
        .expect("signed in");
    assert_eq!(
        (session.staff.as_str(), session.role),
        ("Rossi", Role::Admin)
    );
    assert!(matches!(
        pc1.sign_in("nobody", "x", "terminal:pc-1", at),
        Err(StoreError::SignInRefused)
    ));

    // Wrong passwords from two PCs, alternating: each counts, and the account locks.
    for i in 0..FAILURES_BEFORE_LOCK {
        let pc = if i % 2 == 0 { &mut pc1 } else { &mut pc2 };
        let e = pc
            .sign_in("Bianchi", "wrong password", "terminal:pc", at)
            .unwrap_err();
        if i + 1 < FAILURES_BEFORE_LOCK {
            assert!(matches!(e, StoreError::SignInRefused), "{e:?}");
        } else {
            assert!(
                matches!(e, StoreError::AccountLocked { failures, .. } if failures == FAILURES_BEFORE_LOCK),
                "{e:?}"
            );
        }
    }
    let locked = pc1.sign_in("Bianchi", "correct horse battery", "terminal:pc-1", at);
    assert!(
        matches!(locked, Err(StoreError::AccountLocked { .. })),
        "{locked:?}"
    );
    let accounts = pc2.staff_accounts().expect("accounts");
    assert_eq!(accounts.len(), 2);
    assert_eq!(accounts[0].name, "Bianchi");
    assert!(accounts[0].locked_until.is_some());
    // An administrator's reset unlocks it; the new password must be changed.
    let reset = hash_new("a new password 42").expect("hash");
    write(&mut pc1, |tx| tx.set_password("bianchi", &reset, true)).expect("reset");
    let s = pc2
        .sign_in("Bianchi", "a new password 42", "terminal:pc-2", at)
        .expect("signed in after reset");
    assert!(s.must_change_password);
    write(&mut pc1, |tx| tx.set_role("Bianchi", Role::Coordinator)).expect("role");
    assert!(matches!(
        write(&mut pc1, |tx| tx.set_role("Verdi", Role::Reception)),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        write(&mut pc1, |tx| tx.set_password("Verdi", &reset, false)),
        Err(StoreError::NotFound(_))
    ));

    // Settings: an upsert, seen by the other PC.
    write(&mut pc1, |tx| tx.set_setting("center.name", "Milano")).expect("set");
    write(&mut pc2, |tx| {
        tx.set_setting("center.name", "Milano Welcome Center")
    })
    .expect("set");
    assert_eq!(
        pc1.setting("center.name").expect("read").as_deref(),
        Some("Milano Welcome Center")
    );
    assert_eq!(pc1.setting("nothing").expect("read"), None);

    // Audit entries from two PCs, alternating, then at once from two threads: one chain.
    for i in 0..6 {
        let pc = if i % 2 == 0 { &mut pc1 } else { &mut pc2 };
        write(pc, |tx| {
            tx.audit(&admin(), AuditAction::Search, None, &["family_name"], at)
        })
        .expect("audit");
    }
    let barrier = Arc::new(Barrier::new(2));
    let threads: Vec<_> = [pc1, pc2]
        .into_iter()
        .map(|mut pc| {
            let barrier = Arc::clone(&barrier);
            thread::spawn(move || {
                barrier.wait();
                for _ in 0..10 {
                    write(&mut pc, |tx| {
                        tx.audit(&admin(), AuditAction::OpenCard, Some("x"), &[], at)
                    })
                    .expect("audit at once");
                }
                pc
            })
        })
        .collect();
    let mut pcs: Vec<PgStore> = threads
        .into_iter()
        .map(|t| t.join().expect("thread"))
        .collect();
    let mut pc2 = pcs.pop().expect("pc2");
    let mut pc1 = pcs.pop().expect("pc1");
    // 1 unknown + 1 sign-in + 6 failures + 1 locked + 1 after reset + 6 + 20.
    let entries = 1 + 1 + i64::from(FAILURES_BEFORE_LOCK) + 1 + 1 + 6 + 20;
    assert_eq!(pc1.verify_audit().expect("the chain holds"), entries);
    assert_eq!(pc2.verify_audit().expect("the chain holds"), entries);
    let trail = pc2
        .audit_trail(day("2025-12-01"), day("2025-12-01"))
        .expect("trail");
    assert_eq!(trail.len() as i64, entries);
    assert!(trail.windows(2).all(|w| w[1].seq == w[0].seq + 1));
    assert!(
        pc2.audit_trail(day("2025-12-02"), day("2025-12-03"))
            .expect("trail")
            .is_empty()
    );

    // Erasure: the name is gone from the visitor and from the export; the access stays.
    let id = register(&mut pc1, "Haile", at);
    let record = pc2.export_visitor(id).expect("export");
    assert_eq!(record.records[0].visitor.details.family_name, "Haile");
    assert_eq!(record.accesses.len(), 1);
    assert_eq!(record.accesses[0].tickets.len(), 1);
    assert_eq!(
        write(&mut pc2, |tx| tx.erase_visitor(id, at + Duration::hours(1))).expect("erase"),
        1
    );
    let record = pc1.export_visitor(id).expect("export after erasure");
    let held = &record.records[0];
    assert_eq!(held.visitor.details.family_name, "");
    assert_eq!(held.visitor.details.phone, None);
    assert!(held.anonymised_at.is_some());
    assert_eq!(record.accesses.len(), 1, "the access stays");
    assert!(!format!("{record:?}").contains("Haile"));
    assert!(matches!(
        pc1.export_visitor(Uuid::now_v7()),
        Err(StoreError::NotFound(_))
    ));
    // Retention: someone last seen long ago is due, and purged once.
    let old = register(&mut pc1, "Tesfaye", rome("2015-03-02 10:00"));
    let cutoff = rome("2020-01-01 00:00");
    let due = pc2.due_for_purge(cutoff).expect("due");
    assert_eq!(due, vec![old]);
    let purged = write(&mut pc2, |tx| tx.purge(&due, cutoff, at, &mut Silent)).expect("purge");
    assert_eq!(purged, 1);
    assert!(pc1.due_for_purge(cutoff).expect("due").is_empty());
}

fn someone(family: &str) -> Person {
    Person::New(
        NewPerson::new(family, "Amina", None, "+39 333 1234567", day("2025-12-01")).expect("valid"),
    )
}

fn order(person: Person) -> BookingOrder {
    BookingOrder {
        person,
        service: "housing".into(),
        local: NaiveDateTime::parse_from_str("2025-12-04 10:30", "%Y-%m-%d %H:%M").expect("slot"),
        booked_via: BookedVia::ContactCenter,
    }
}

#[test]
fn four_pcs_booking_the_last_place_get_one_booking() {
    let cluster = Cluster::start();
    let url = cluster.fresh_database();
    let keys = tempfile::tempdir().expect("a folder for the key");
    let key = keys.path().join("server.audit-key");
    let booked_on = rome("2025-12-01 10:30");
    let barrier = Arc::new(Barrier::new(4));
    let results: Vec<Result<_>> = (0..4)
        .map(|i| {
            let mut pc = connect(&url, &key);
            let barrier = Arc::clone(&barrier);
            thread::spawn(move || {
                barrier.wait();
                let family = ["Rahman", "Mansour", "Haile", "Osei"][i];
                write(&mut pc, |tx| {
                    tx.book_appointment(&order(someone(family)), "contact-center", booked_on)
                })
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| t.join().expect("thread"))
        .collect();
    let won: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(won.len(), 1, "{results:?}");
    for r in &results {
        if let Err(e) = r {
            assert!(matches!(e, StoreError::BookingRefused(_)), "{e:?}");
        }
    }
    let mut pc = connect(&url, &key);
    let of_day = pc.appointments_of_day(day("2025-12-04")).expect("day");
    assert_eq!(of_day.len(), 1);
    assert_eq!(pc.appointment(won[0].code).expect("by code"), *won[0]);
    // Check-in issues the ticket once; a second check-in is refused.
    let at = rome("2025-12-04 10:25");
    let checked = write(&mut pc, |tx| {
        tx.check_in_appointment(won[0].code, "reception", at)
    })
    .expect("check in");
    assert!(!checked.late);
    let again = write(&mut pc, |tx| {
        tx.check_in_appointment(won[0].code, "reception", at)
    });
    assert!(again.is_err(), "{again:?}");
    assert_eq!(pc.counts().expect("counts"), (1, 1));
    // A checked-in booking keeps its place.
    let second = write(&mut pc, |tx| {
        tx.book_appointment(&order(someone("Mansour")), "contact-center", booked_on)
    });
    assert!(matches!(second, Err(StoreError::BookingRefused(_))));
}

#[test]
fn a_backup_is_a_sqlite_register_and_the_demo_loads_in_bulk() {
    let cluster = Cluster::start();
    let url = cluster.fresh_database();
    let dir = tempfile::tempdir().expect("a folder");
    let key = dir.path().join("server.audit-key");
    let mut pc = connect(&url, &key);

    // A small demo: counted as generated.
    let now = rome("2025-12-01 12:00");
    let days: Vec<SyntheticDay> = Generator::new(20, 7, 0.3, now).collect();
    let visitors: usize = days.iter().map(|d| d.visitors.len()).sum();
    let accesses: usize = days.iter().map(|d| d.accesses.len()).sum();
    assert!(accesses > 0);
    let loaded = pc
        .load_synthetic_with(&mut days.into_iter(), "demo", &mut Silent)
        .expect("demo");
    assert_eq!(loaded, (visitors as u64, accesses as u64));
    assert_eq!(pc.counts().expect("counts"), loaded);
    // Registration continues past the loaded rows (the sequences were moved).
    register(&mut pc, "Haile", rome("2025-12-01 12:30"));
    write(&mut pc, |tx| {
        tx.audit(&admin(), AuditAction::Search, None, &[], now)
    })
    .expect("audit");
    write(&mut pc, |tx| tx.set_setting("center.name", "Milano")).expect("setting");
    assert_eq!(pc.check().map_err(|e| e.to_string()), Ok(()));
    assert_eq!(pc.integrity_check().expect("integrity"), "ok");

    let dest = dir.path().join("backup.db");
    pc.backup_to_with(&dest, &mut Silent).expect("backup");
    assert!(!dir.path().join("backup.partial").exists());
    assert!(
        pc.backup_to_with(&dest, &mut Silent).is_err(),
        "never overwrites"
    );
    let copy = SqliteStore::open(&dest).expect("the backup opens");
    assert_eq!(copy.counts().expect("counts"), pc.counts().expect("counts"));
    assert_eq!(copy.verify_audit().expect("the copied chain holds"), 1);
    assert_eq!(
        copy.setting("center.name").expect("setting").as_deref(),
        Some("Milano")
    );
    assert_eq!(copy.integrity_check().expect("integrity"), "ok");
}

/// A backlog of a few thousand people past the retention period, as after years without a
/// purge: every one of them is anonymised (no name left, none still due), the reports do not
/// move, and each access keeps the age the file's per-person purge keeps for it (the same
/// demo, loaded in a SQLite register and purged there). The purge's time prints with
/// `--nocapture`.
#[test]
fn a_backlog_is_purged_as_the_file_purges_it_and_the_figures_stay() {
    use welcome_desk::store::{Store, Visitors};

    let cluster = Cluster::start();
    let url = cluster.fresh_database();
    let dir = tempfile::tempdir().expect("a folder");
    let mut pc = connect(&url, &dir.path().join("server.audit-key"));
    let mut file = SqliteStore::open(&dir.path().join("register.db")).expect("a file");

    let now = rome("2025-12-01 12:00");
    let days: Vec<SyntheticDay> = Generator::new(400, 11, 1.0, now).collect();
    for store in [&mut pc as &mut dyn Store, &mut file] {
        store
            .load_synthetic_with(&mut days.clone().into_iter(), "demo", &mut Silent)
            .expect("demo");
    }
    let cutoff = rome("2025-10-01 00:00");
    let (from, to) = (day("2024-01-01"), day("2025-12-31"));
    let before = welcome_desk::report::report(&pc, from, to).expect("report");
    let due = pc.due_for_purge(cutoff).expect("due");
    assert!(due.len() >= 2_000, "a backlog of thousands: {}", due.len());

    let started = std::time::Instant::now();
    let purged = pc.purge(cutoff, now).expect("purge");
    eprintln!(
        "purged {purged} of {} visitors in {} ms",
        pc.counts().expect("counts").0,
        started.elapsed().as_millis()
    );
    assert_eq!(purged, due.len() as u64);
    assert_eq!(file.purge(cutoff, now).expect("the file's purge"), purged);
    assert!(pc.due_for_purge(cutoff).expect("due").is_empty());
    for id in &due {
        let v = pc.visitor(*id).expect("still on file");
        assert!(
            v.details.family_name.is_empty()
                && v.details.given_name.is_empty()
                && v.details.birth_date.is_none()
                && v.details.phone.is_none()
                && v.details.languages.is_empty(),
            "{v:?}"
        );
    }
    assert_eq!(
        welcome_desk::report::report(&pc, from, to).expect("report"),
        before,
        "the figures stay"
    );
    let ages = |store: &dyn Store| {
        let (accesses, _) = store.report_facts(from, to).expect("facts");
        let mut kept: Vec<_> = accesses
            .into_iter()
            .map(|a| (a.arrived_at, a.service, a.first_time, a.kept_age))
            .collect();
        kept.sort();
        kept
    };
    assert_eq!(ages(&pc), ages(&file), "the ages kept are the file's");
}
