//! The server engine's tickets, visitors and reports on a real PostgreSQL server
//! (tests/common/pg.rs), each scenario run on SQLite too: the server must give SQLite's
//! results, refusals and messages, so the two are compared step by step.

#[path = "common/pg.rs"]
mod pg;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use welcome_desk::domain::hours::rome_local_to_utc;
use welcome_desk::domain::matching::BirthQuery;
use welcome_desk::domain::tally::{AccessFact, VisitorFact};
use welcome_desk::domain::{Channel, Queue, Sex, Ticket, TicketEvent, VisitorDetails};
use welcome_desk::progress::Progress;
use welcome_desk::store::postgres::{PgStore, PgTx};
use welcome_desk::store::prelude::*;
use welcome_desk::store::{
    Actor, Candidate, KeyFile, LegacyAccess, Registration, SqliteStore, StoreError, VisitorChoice,
};

use pg::Cluster;

/// A server store on its own throwaway cluster (the store is dropped before the cluster).
struct Server {
    store: PgStore,
    _keys: tempfile::TempDir,
    _cluster: Cluster,
}

fn server() -> Server {
    let cluster = Cluster::start();
    let url = cluster.fresh_database();
    let keys = tempfile::tempdir().expect("temporary folder");
    let store = PgStore::connect_with(
        &url,
        None,
        KeyFile::installed(&keys.path().join("server.audit-key")),
    )
    .unwrap_or_else(|e| panic!("connect {url}: {e}"));
    Server {
        store,
        _keys: keys,
        _cluster: cluster,
    }
}

fn sqlite() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let store = SqliteStore::open_with(&dir.path().join("register.db"), None).expect("open");
    (dir, store)
}

/// One committed transaction on the server, as `Store::begin` will run it.
fn pg_write<T>(
    store: &mut PgStore,
    work: impl FnOnce(&mut PgTx<'_>) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let mut tx = store.begin_tx()?;
    let value = work(&mut tx)?;
    tx.commit()?;
    Ok(value)
}

/// The same on SQLite.
fn sqlite_write<T>(
    store: &mut SqliteStore,
    work: impl FnOnce(&mut dyn Tx) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let mut tx = store.begin()?;
    let value = work(&mut *tx)?;
    tx.commit()?;
    Ok(value)
}

fn rome(local: &str) -> DateTime<Utc> {
    let t = NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").expect("test time");
    rome_local_to_utc(t).expect("existing local time")
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test day")
}

fn person(family: &str, given: &str, birth: Option<&str>, sai_guest: bool) -> VisitorDetails {
    VisitorDetails {
        family_name: family.into(),
        given_name: given.into(),
        birth_date: birth.map(day),
        sex: Sex::M,
        country: Some("EG".into()),
        languages: vec!["ar".into(), "en".into()],
        sai_guest,
        phone: None,
    }
}

fn walk_in(visitor: VisitorChoice, sai_guest: bool) -> Registration {
    Registration {
        access_id: uuid::Uuid::now_v7(),
        visitor,
        channel: Channel::WalkIn,
        service: "legal-administrative".into(),
        priority: None,
        queue_override: None,
        appointment_at: None,
        sai_guest,
        staff: "test:reception".into(),
    }
}

fn new_walk_in(family: &str, given: &str, birth: Option<&str>, sai_guest: bool) -> Registration {
    walk_in(
        VisitorChoice::New(person(family, given, birth, sai_guest)),
        sai_guest,
    )
}

/// An outcome as both engines must give it: the value, or the error's kind and words.
fn outcome<T: std::fmt::Debug>(r: Result<T, StoreError>) -> String {
    match r {
        Ok(v) => format!("ok {v:?}"),
        Err(e) => format!("{}: {e}", e.kind()),
    }
}

/// A desk's morning, step by step: registrations, a call, accepted and refused events, a
/// transfer and a refused one. What each step gave, in words (no ids: they differ).
fn desk_morning<W: TicketWork + ?Sized>(w: &mut W) -> Vec<String> {
    let today = day("2025-07-07");
    let staff = Actor {
        staff: "test:desk",
        desk: Some("Sportello 1"),
    };
    let by_number = Actor {
        staff: "test:cli",
        desk: None,
    };
    let g = |number| Ticket {
        queue: Queue::General,
        number,
    };
    let s = |number| Ticket {
        queue: Queue::Sai,
        number,
    };
    let mut steps = Vec::new();
    for (i, (family, given, sai)) in [
        ("Tesfay", "Aster", true),
        ("Haile", "Bereket", false),
        ("Okafor", "Chidi", false),
    ]
    .iter()
    .enumerate()
    {
        let at = rome(&format!("2025-07-07 09:0{i}"));
        steps.push(outcome(
            w.register(&new_walk_in(family, given, None, *sai), at)
                .map(|r| (r.ticket.to_string(), r.first_time, r.visitor_code, r.day)),
        ));
    }
    steps.push(outcome(
        w.call_next(
            "Sportello 1",
            &[Queue::General],
            "test:desk",
            rome("2025-07-07 09:10"),
        )
        .map(|c| c.map(|c| (c.ticket.to_string(), c.desk, c.service))),
    ));
    let at = rome("2025-07-07 09:12");
    steps.push(outcome(w.transition(
        today,
        g(1),
        TicketEvent::Start,
        staff,
        at,
    )));
    steps.push(outcome(w.transition(
        today,
        g(2),
        TicketEvent::Finish,
        staff,
        at,
    )));
    steps.push(outcome(w.transition(
        today,
        g(2),
        TicketEvent::Call,
        staff,
        at,
    )));
    steps.push(outcome(w.transition(
        today,
        g(9),
        TicketEvent::Cancel,
        staff,
        at,
    )));
    let at = rome("2025-07-07 09:20");
    for (ticket, queue, service) in [
        (g(2), Queue::Sai, "housing"),
        (g(2), Queue::Sai, "housing"),
        (s(1), Queue::General, "nope"),
    ] {
        steps.push(outcome(
            w.transfer(today, ticket, queue, service, staff, at)
                .map(|t| t.to_string()),
        ));
    }
    steps.push(outcome(w.transition(
        today,
        s(2),
        TicketEvent::Cancel,
        by_number,
        at,
    )));
    steps.push(outcome(w.transition(
        today,
        g(1),
        TicketEvent::Finish,
        by_number,
        at,
    )));
    steps
}

#[test]
fn a_desks_morning_gives_sqlites_tickets_events_and_refusals() {
    let mut pg = server();
    let (_dir, mut lite) = sqlite();
    let on_pg = pg_write(&mut pg.store, |tx| Ok(desk_morning(tx))).expect("server");
    let on_lite = sqlite_write(&mut lite, |tx| Ok(desk_morning(tx))).expect("sqlite");
    assert_eq!(on_pg, on_lite);
    // And what they are: the numbering per queue, the domain's refusals, the transfer.
    assert!(
        on_pg[0].starts_with("ok (\"S-001\", true, \"V-000001\""),
        "{on_pg:?}"
    );
    assert!(on_pg[2].starts_with("ok (\"G-002\""), "{on_pg:?}");
    assert!(on_pg[3].starts_with("ok Some((\"G-001\""), "{on_pg:?}");
    assert_eq!(on_pg[4], "ok InService");
    assert!(on_pg[5].starts_with("transition: "), "{on_pg:?}");
    assert!(on_pg[6].starts_with("transition: "), "{on_pg:?}");
    assert!(
        on_pg[7].starts_with("not-found: no ticket G-009 on 2025-07-07"),
        "{on_pg:?}"
    );
    assert_eq!(on_pg[8], "ok \"S-002\"");
    assert!(on_pg[9].starts_with("transition: "), "{on_pg:?}");
    assert!(on_pg[10].starts_with("input: "), "{on_pg:?}");
    assert_eq!(on_pg[11], "ok Cancelled");
    assert_eq!(on_pg[12], "ok Done");

    let today = day("2025-07-07");
    // The day's list and its event log, read back after the commit: the same on both
    // (access ids aside, which each engine makes).
    let strip = |views: Vec<welcome_desk::store::TicketView>| -> Vec<String> {
        views
            .into_iter()
            .map(|v| {
                format!(
                    "{} {:?} {} {} {:?} {} {:?} {:?} {:?} {}",
                    v.ticket,
                    v.state,
                    v.service,
                    v.priority,
                    v.channel,
                    v.arrived_at,
                    v.appointment_at,
                    v.desk,
                    v.languages,
                    v.updated_at
                )
            })
            .collect()
    };
    let pg_list = strip(pg.store.tickets_of_day(today).expect("tickets"));
    assert_eq!(pg_list, strip(lite.tickets_of_day(today).expect("tickets")));
    assert_eq!(pg_list.len(), 4, "{pg_list:?}");
    assert!(pg_list[2].starts_with("G-002 Transferred"), "{pg_list:?}");
    let pg_events = pg.store.events_of_day(today).expect("events");
    assert_eq!(pg_events, lite.events_of_day(today).expect("events"));
    assert!(
        pg.store
            .tickets_of_day(day("2025-07-08"))
            .expect("tickets")
            .is_empty()
    );
}

/// Search results as both engines must give them (ids aside).
fn names(found: &[Candidate]) -> Vec<String> {
    found
        .iter()
        .map(|c| {
            format!(
                "{} {} {} {:?} {:.6} {}",
                c.visitor_code, c.family_name, c.given_name, c.birth_date, c.score, c.likely
            )
        })
        .collect()
}

fn register_people<W: TicketWork + ?Sized>(w: &mut W) -> Result<(), StoreError> {
    w.register(
        &new_walk_in("Abdel Rahman", "Mostafa", Some("1991-03-04"), false),
        rome("2025-06-02 10:00"),
    )?;
    for (i, (f, g)) in [
        ("Mohamed", "Ahmed"),
        ("Abdelaziz", "Omar"),
        ("Rahman", "Nasrin"),
    ]
    .iter()
    .enumerate()
    {
        let birth = (day("1980-01-01") + chrono::Duration::days(i as i64 * 400)).to_string();
        w.register(
            &new_walk_in(f, g, Some(&birth), false),
            rome("2025-06-02 10:05"),
        )?;
    }
    w.register(
        &new_walk_in("حسن", "محمد", Some("1990-03-04"), false),
        rome("2025-06-02 10:10"),
    )?;
    Ok(())
}

#[test]
fn search_finds_a_transliterated_name_as_sqlite_does_and_cards_open_by_code() {
    let mut pg = server();
    let (_dir, mut lite) = sqlite();
    pg_write(&mut pg.store, |tx| register_people(tx)).expect("server");
    sqlite_write(&mut lite, |tx| register_people(tx)).expect("sqlite");

    // Another receptionist, another spelling, fields swapped, day and month swapped.
    let birth = BirthQuery::parse("1991-04-03").expect("birth");
    let found = pg
        .store
        .search("Mustafa", "Abdelrahman", birth, 5)
        .expect("search");
    assert_eq!(found[0].family_name, "Abdel Rahman");
    assert!(found[0].likely, "{:?}", found[0]);
    assert_eq!(
        names(&found),
        names(
            &lite
                .search("Mustafa", "Abdelrahman", birth, 5)
                .expect("search")
        )
    );
    // A name on file in Arabic script, typed in Latin letters.
    let birth = BirthQuery::Date(day("1990-03-04"));
    let found = pg
        .store
        .search("Hassan", "Mohamed", birth, 5)
        .expect("search");
    assert_eq!(found[0].family_name, "حسن", "{found:?}");
    assert!(found[0].likely, "{found:?}");
    assert_eq!(
        names(&found),
        names(&lite.search("Hassan", "Mohamed", birth, 5).expect("search"))
    );
    assert!(
        pg.store
            .search("", "", BirthQuery::Unknown, 5)
            .expect("search")
            .is_empty()
    );

    // The card: by code, by id, by one of its accesses.
    let card = pg.store.visitor_by_reference("V-000001").expect("by code");
    assert_eq!(card.details.family_name, "Abdel Rahman");
    assert_eq!(card.details.languages, ["ar", "en"]);
    assert_eq!(card.details.birth_date, Some(day("1991-03-04")));
    let by_id = pg
        .store
        .visitor_by_reference(&card.id.to_string())
        .expect("by id");
    assert_eq!(by_id, card);
    for reference in ["V-000099", "someone", &uuid::Uuid::nil().to_string()] {
        assert_eq!(
            outcome(pg.store.visitor_by_reference(reference)),
            outcome(lite.visitor_by_reference(reference)),
            "{reference}"
        );
    }
    let access = pg.store.tickets_of_day(day("2025-06-02")).expect("tickets")[0].access_id;
    let (visitor, visits) = pg.store.visitor_of_access(access).expect("card");
    assert_eq!((visitor.code.as_str(), visits), ("V-000001", 1));
    assert!(matches!(
        pg.store.visitor_of_access(uuid::Uuid::nil()),
        Err(StoreError::NotFound(_))
    ));
}

type Facts = (Vec<AccessFact>, Vec<VisitorFact>);

/// Facts in one order: neither engine promises one, and the tally needs none.
fn sorted(facts: Facts) -> Facts {
    let (mut accesses, mut visitors) = facts;
    accesses.sort_by_key(|a| (a.arrived_at, a.visitor));
    visitors.sort_by_key(|v| v.visitor);
    (accesses, visitors)
}

#[test]
fn a_merge_and_its_undo_give_sqlites_figures_and_refusals() {
    let mut pg = server();
    let (_dir, mut lite) = sqlite();
    // The same person twice: in May, and in July as a new record reception did not find.
    let first = new_walk_in("Hossain", "Md Rahim", None, false);
    let second = new_walk_in("Hussain", "Mohammad Rahim", None, false);
    let (may, july) = (rome("2025-05-05 10:00"), rome("2025-07-07 10:00"));
    let pg_people = pg_write(&mut pg.store, |tx| {
        Ok((tx.register(&first, may)?, tx.register(&second, july)?))
    })
    .expect("server");
    let lite_people = sqlite_write(&mut lite, |tx| {
        Ok((tx.register(&first, may)?, tx.register(&second, july)?))
    })
    .expect("sqlite");
    let facts = |s: &dyn Reports| -> Facts {
        sorted(
            s.report_facts(day("2025-01-01"), day("2025-12-31"))
                .expect("facts"),
        )
    };
    let before = facts(&pg.store);
    assert_eq!(before, facts(&lite));
    assert_eq!(before.0.iter().filter(|a| a.first_time).count(), 2);

    let at = rome("2025-07-08 09:00");
    let merged = pg_write(&mut pg.store, |tx| {
        tx.merge_visitors(pg_people.1.visitor_id, pg_people.0.visitor_id, "c", at)
    })
    .expect("merge");
    let lite_merged = lite
        .merge_visitors(lite_people.1.visitor_id, lite_people.0.visitor_id, "c", at)
        .expect("merge");
    assert_eq!(merged, lite_merged);
    let after = facts(&pg.store);
    assert_eq!(after, facts(&lite));
    assert_eq!(after.1.len(), 1, "one person now");
    assert!(!after.0[1].first_time, "July was not his first access");
    // The July access's card is the surviving record, with both accesses.
    let (card, visits) = pg
        .store
        .visitor_of_access(pg_people.1.access_id)
        .expect("card");
    assert_eq!((card.id, visits), (pg_people.0.visitor_id, 2));
    // Registering the merged record lands on the surviving one, not first-time.
    let third = pg_write(&mut pg.store, |tx| {
        tx.register(
            &walk_in(VisitorChoice::Existing(pg_people.1.visitor_id), false),
            rome("2025-07-09 10:00"),
        )
    })
    .expect("register");
    assert_eq!(
        (third.visitor_id, third.first_time),
        (pg_people.0.visitor_id, false)
    );
    let lite_third = lite
        .register(
            &walk_in(VisitorChoice::Existing(lite_people.1.visitor_id), false),
            rome("2025-07-09 10:00"),
        )
        .expect("register");
    assert!(!lite_third.first_time);
    // Merged records no longer show up as candidates.
    let found = pg
        .store
        .search("Hussain", "Mohammad Rahim", BirthQuery::Unknown, 5)
        .expect("search");
    assert!(found.iter().all(|c| c.visitor_id != pg_people.1.visitor_id));

    // The refusals, in SQLite's words.
    let (p, l) = (&pg_people, &lite_people);
    let refusals_pg = [
        outcome(pg_write(&mut pg.store, |tx| {
            tx.merge_visitors(p.1.visitor_id, p.0.visitor_id, "c", at)
        })),
        outcome(pg_write(&mut pg.store, |tx| {
            tx.merge_visitors(p.0.visitor_id, p.1.visitor_id, "c", at)
        })),
        outcome(pg_write(&mut pg.store, |tx| {
            tx.merge_visitors(p.0.visitor_id, p.0.visitor_id, "c", at)
        })),
    ];
    let refusals_lite = [
        outcome(lite.merge_visitors(l.1.visitor_id, l.0.visitor_id, "c", at)),
        outcome(lite.merge_visitors(l.0.visitor_id, l.1.visitor_id, "c", at)),
        outcome(lite.merge_visitors(l.0.visitor_id, l.0.visitor_id, "c", at)),
    ];
    assert_eq!(refusals_pg, refusals_lite);
    assert!(
        refusals_pg.iter().all(|r| r.starts_with("input: ")),
        "{refusals_pg:?}"
    );
    let nobody = uuid::Uuid::nil();
    assert_eq!(
        outcome(pg_write(&mut pg.store, |tx| tx.merge_visitors(
            nobody,
            p.0.visitor_id,
            "c",
            at
        ))),
        format!("not-found: no visitor {nobody}")
    );

    // Undo: both records as before (the third access stays with the surviving record).
    let at = rome("2025-07-10 09:00");
    pg_write(&mut pg.store, |tx| tx.undo_merge(merged, "c", at)).expect("undo");
    lite.undo_merge(lite_merged, "c", at).expect("undo");
    let undone = facts(&pg.store);
    assert_eq!(undone, facts(&lite));
    assert_eq!(undone.1.len(), 2);
    assert!(
        undone.0[1].first_time,
        "July is the second record's first again"
    );
    let again_pg = [
        outcome(pg_write(&mut pg.store, |tx| tx.undo_merge(merged, "c", at))),
        outcome(pg_write(&mut pg.store, |tx| tx.undo_merge(99, "c", at))),
    ];
    let again_lite = [
        outcome(lite.undo_merge(lite_merged, "c", at)),
        outcome(lite.undo_merge(99, "c", at)),
    ];
    assert_eq!(again_pg, again_lite);
    assert_eq!(
        again_pg[0],
        format!("input: merge: merge {merged} is already undone")
    );
    assert_eq!(again_pg[1], "not-found: no merge 99");
}

/// The stages a long operation announced.
#[derive(Default)]
struct Stages(Vec<&'static str>);

impl Progress for Stages {
    fn stage(&mut self, name: &'static str, _total: Option<u64>) {
        self.0.push(name);
    }
    fn set(&mut self, _done: u64) {}
}

fn legacy_rows() -> Vec<LegacyAccess> {
    let row = |line: u64, at: &str, person_ref: &str, family: &str, given: &str, sai: bool| {
        LegacyAccess {
            line,
            arrived_at: rome(at),
            person_ref: person_ref.into(),
            details: person(family, given, Some("1988-02-03"), sai),
            channel: Channel::WalkIn,
            service: "housing".into(),
        }
    };
    // Not sorted, as a legacy register may be.
    vec![
        row(2, "2024-03-05 10:00", "L-7", "Diallo", "Aminata", false),
        row(3, "2024-01-15 09:30", "L-7", "Diallo", "Aminata", false),
        row(4, "2024-02-20 11:00", "L-9", "Ahmadi", "Farid", true),
        row(5, "2024-03-01 12:00", "L-12", "Quispe", "Rosa", false),
        row(6, "2024-03-05 10:00", "L-12", "Quispe", "Rosa", false),
    ]
}

#[test]
fn an_import_twice_adds_nothing_the_second_time_and_reports_as_sqlite() {
    let mut pg = server();
    let (_dir, mut lite) = sqlite();
    let rows = legacy_rows();
    let at = rome("2025-07-07 08:00");
    let mut stages = Stages::default();
    let first = pg_write(&mut pg.store, |tx| {
        tx.import_accesses(&rows, at, &mut stages)
    })
    .expect("import");
    assert_eq!(
        stages.0,
        ["visitors", "accesses", "first accesses", "writing"]
    );
    assert_eq!(
        (
            first.rows,
            first.accesses_added,
            first.already_present,
            first.visitors_added
        ),
        (5, 5, 0, 3)
    );
    assert_eq!(first, lite.import_accesses(&rows, at).expect("import"));
    let second = pg_write(&mut pg.store, |tx| {
        tx.import_accesses(&rows, at, &mut Stages::default())
    })
    .expect("import again");
    assert_eq!(
        (
            second.accesses_added,
            second.already_present,
            second.visitors_added
        ),
        (0, 5, 0)
    );
    assert_eq!(
        second,
        lite.import_accesses(&rows, at).expect("import again")
    );

    // First-time flags over the whole history: January for L-7, though listed second.
    // Visitors are made in the order of their refs (L-12, L-7, L-9), as on SQLite.
    let facts = sorted(
        pg.store
            .report_facts(day("2024-01-01"), day("2024-12-31"))
            .expect("facts"),
    );
    assert_eq!(
        facts,
        sorted(
            lite.report_facts(day("2024-01-01"), day("2024-12-31"))
                .expect("facts")
        )
    );
    let firsts: Vec<(DateTime<Utc>, i64)> = facts
        .0
        .iter()
        .filter(|a| a.first_time)
        .map(|a| (a.arrived_at, a.visitor))
        .collect();
    assert_eq!(
        firsts,
        [
            (rome("2024-01-15 09:30"), 2),
            (rome("2024-02-20 11:00"), 3),
            (rome("2024-03-01 12:00"), 1),
        ]
    );
    assert_eq!(facts.0[1].queue, Queue::Sai, "an SAI guest's access");
    assert_eq!(facts.1.len(), 3);
    // Rome days: the range of one day holds that day's accesses only.
    let march_5 = pg
        .store
        .report_facts(day("2024-03-05"), day("2024-03-05"))
        .expect("facts");
    assert_eq!((march_5.0.len(), march_5.1.len()), (2, 2));
    assert_eq!(
        sorted(march_5),
        sorted(
            lite.report_facts(day("2024-03-05"), day("2024-03-05"))
                .expect("facts")
        )
    );
}

/// Run `second` on another PC's connection while `first`'s transaction (already done its
/// work, not yet committed) holds its locks; commit `first`, then give `second`'s outcome.
/// The second must wait for the first and then see what it committed.
fn while_held<T: Send + 'static>(
    held: PgTx<'_>,
    url: String,
    keys: std::path::PathBuf,
    second: impl FnOnce(&mut PgTx<'_>) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    let other = std::thread::spawn(move || {
        let mut store =
            PgStore::connect_with(&url, None, KeyFile::installed(&keys)).expect("second PC");
        pg_write(&mut store, second)
    });
    // Long enough for the other PC to reach the lock and wait on it.
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(
        !other.is_finished(),
        "the second PC did not wait for the lock"
    );
    held.commit().expect("commit the first");
    other.join().expect("second PC's thread")
}

#[test]
fn what_two_pcs_do_at_once_to_one_record_happens_once() {
    let cluster = Cluster::start();
    let url = cluster.fresh_database();
    let dir = tempfile::tempdir().expect("temporary folder");
    let keys = dir.path().join("server.audit-key");
    let mut store = PgStore::connect_with(&url, None, KeyFile::installed(&keys)).expect("connect");
    let (a, b) = pg_write(&mut store, |tx| {
        Ok((
            tx.register(
                &new_walk_in("Hossain", "Md Rahim", None, false),
                rome("2025-07-07 09:00"),
            )?,
            tx.register(
                &new_walk_in("Hussain", "Mohammad Rahim", None, false),
                rome("2025-07-07 09:01"),
            )?,
        ))
    })
    .expect("register");
    let today = day("2025-07-07");
    let at = rome("2025-07-07 09:30");

    // Two coordinators merge the same record: the second finds it merged.
    let mut tx = store.begin_tx().expect("begin");
    tx.merge_visitors(b.visitor_id, a.visitor_id, "c1", at)
        .expect("first merge");
    let (from, into) = (b.visitor_id, a.visitor_id);
    let second = while_held(tx, url.clone(), keys.clone(), move |tx| {
        tx.merge_visitors(from, into, "c2", at)
    });
    assert!(
        matches!(&second, Err(StoreError::Input(e)) if e.to_string().contains("is already merged")),
        "{second:?}"
    );

    // Two desks cancel one ticket: the second is refused by the lifecycle.
    let actor = Actor {
        staff: "test:desk",
        desk: Some("Sportello 2"),
    };
    let mut tx = store.begin_tx().expect("begin");
    tx.transition(today, a.ticket, TicketEvent::Cancel, actor, at)
        .expect("first cancel");
    let ticket = a.ticket;
    let second = while_held(tx, url.clone(), keys.clone(), move |tx| {
        let actor = Actor {
            staff: "test:desk",
            desk: Some("Sportello 3"),
        };
        tx.transition(today, ticket, TicketEvent::Cancel, actor, at)
    });
    assert!(
        matches!(second, Err(StoreError::Transition(_))),
        "{second:?}"
    );

    // Two imports of one file: the second adds nothing.
    let rows = legacy_rows();
    let mut tx = store.begin_tx().expect("begin");
    let first = tx
        .import_accesses(&rows, at, &mut Stages::default())
        .expect("first import");
    assert_eq!(first.accesses_added, 5);
    let again = rows.clone();
    let second = while_held(tx, url.clone(), keys.clone(), move |tx| {
        tx.import_accesses(&again, at, &mut Stages::default())
    })
    .expect("second import");
    assert_eq!((second.accesses_added, second.visitors_added), (0, 0));
    let events = store.events_of_day(today).expect("events");
    assert_eq!(
        events
            .iter()
            .filter(|e| e.event == TicketEvent::Cancel)
            .count(),
        1
    );
}
