//! The server engine on a real PostgreSQL server: each test starts its own throwaway cluster
//! (tests/common/pg.rs), so nothing here depends on a system cluster nor on another test.

#[path = "common/pg.rs"]
mod pg;

use std::collections::BTreeSet;
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDateTime, Utc};
use uuid::Uuid;
use welcome_desk::domain::hours::rome_local_to_utc;
use welcome_desk::domain::{Channel, Priority, Queue, Sex, Ticket, VisitorDetails};
use welcome_desk::store::postgres::connect::Target;
use welcome_desk::store::postgres::schema::{self, SCHEMA};
use welcome_desk::store::postgres::tickets::{call_next_in, register_in};
use welcome_desk::store::postgres::{PasswordPrompt, PgStore, open_client};
use welcome_desk::store::{Called, Registered, Registration, StoreError, VisitorChoice};

use pg::Cluster;

fn rome(local: &str) -> DateTime<Utc> {
    let t = NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").expect("test time");
    rome_local_to_utc(t).expect("existing local time")
}

fn connect(url: &str) -> PgStore {
    PgStore::connect(url, None).unwrap_or_else(|e| panic!("connect {url}: {e}"))
}

fn walk_in(family: &str, given: &str, sai_guest: bool) -> Registration {
    Registration {
        access_id: uuid::Uuid::now_v7(),
        visitor: VisitorChoice::New(VisitorDetails {
            family_name: family.into(),
            given_name: given.into(),
            birth_date: None,
            sex: Sex::F,
            country: Some("ER".into()),
            languages: vec!["ti".into(), "en".into()],
            sai_guest,
            phone: None,
        }),
        channel: Channel::WalkIn,
        service: "legal-administrative".into(),
        priority: None,
        queue_override: None,
        appointment_at: None,
        sai_guest,
        staff: "test:reception".into(),
    }
}

/// One registration in its own transaction, as `Store::register` will run it.
fn register(
    store: &mut PgStore,
    reg: &Registration,
    access_id: Uuid,
    at: DateTime<Utc>,
) -> Registered {
    let server = store.server().to_string();
    let mut tx = store.transaction().expect("begin");
    let (registered, _) = register_in(&mut tx, reg, access_id, at)
        .unwrap_or_else(|e| panic!("register: {}", e.into_store(&server)));
    tx.commit().expect("commit");
    registered
}

fn call_next(store: &mut PgStore, desk: &str, at: DateTime<Utc>) -> Option<Called> {
    let server = store.server().to_string();
    let mut tx = store.transaction().expect("begin");
    let called = call_next_in(&mut tx, desk, &[], "test:desk", at)
        .unwrap_or_else(|e| panic!("call next: {}", e.into_store(&server)));
    tx.commit().expect("commit");
    called
}

fn count(cluster: &Cluster, url: &str, sql: &str) -> i64 {
    let dbname = url.rsplit('/').next().expect("a database in the URL");
    cluster
        .admin_client(dbname)
        .query_one(sql, &[])
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .get(0)
}

#[test]
fn migrations_apply_on_a_fresh_database_and_once() {
    let cluster = Cluster::start();
    eprintln!(
        "cluster initialised and started in {:?}",
        cluster.started_in
    );
    let url = cluster.fresh_database();
    let mut store = connect(&url);
    assert_eq!(
        store.schema_version().expect("version"),
        schema::latest_version()
    );
    let tables = count(
        &cluster,
        &url,
        &format!("SELECT count(*) FROM pg_tables WHERE schemaname = '{SCHEMA}'"),
    );
    // The eleven tables of SQLite schema 6, and schema_version.
    assert_eq!(tables, 12, "tables in {SCHEMA}");
    for table in [
        "visitor",
        "visitor_match_key",
        "visitor_merge",
        "access",
        "ticket",
        "ticket_event",
        "staff",
        "audit",
        "setting",
        "appointment",
        "appointment_event",
        "schema_version",
    ] {
        let found = count(
            &cluster,
            &url,
            &format!(
                "SELECT count(*) FROM pg_tables WHERE schemaname = '{SCHEMA}' AND tablename = '{table}'"
            ),
        );
        assert_eq!(found, 1, "table {table}");
    }
    // Nothing lands in public.
    assert_eq!(
        count(
            &cluster,
            &url,
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ),
        0
    );
    // The program's role is an ordinary one.
    let superuser: bool = store
        .client()
        .query_one(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user",
            &[],
        )
        .expect("role")
        .get(0);
    assert!(!superuser);
    drop(store);
    // A second start finds the schema current and applies nothing.
    let mut again = connect(&url);
    assert_eq!(
        again.schema_version().expect("version"),
        schema::latest_version()
    );
    // One row per version, each applied once.
    assert_eq!(
        count(
            &cluster,
            &url,
            &format!("SELECT count(*) FROM {SCHEMA}.schema_version")
        ),
        schema::latest_version()
    );
    // The ticket numbering's constraint is the server's own.
    assert_eq!(
        count(
            &cluster,
            &url,
            "SELECT count(*) FROM pg_constraint WHERE conname = 'ticket_number_per_queue_and_day' AND contype = 'u'"
        ),
        1
    );
}

#[test]
fn terminals_starting_together_on_a_fresh_database_all_open_it() {
    let cluster = Cluster::start();
    let url = cluster.fresh_database();
    let terminals = 8;
    // Connected first, so that the migrations themselves start together (the SCRAM
    // handshakes would otherwise stagger them).
    let barrier = Arc::new(Barrier::new(terminals));
    let handles: Vec<_> = (0..terminals)
        .map(|_| {
            let url = url.clone();
            let barrier = barrier.clone();
            thread::spawn(move || {
                let target = Target::parse(&url).expect("URL");
                let mut client = open_client(&target, None).expect("connect");
                barrier.wait();
                schema::migrate(&mut client).map_err(|e| format!("{e:?}"))
            })
        })
        .collect();
    let mut fresh = 0;
    for h in handles {
        let migrated = h.join().expect("thread").expect("migrate");
        assert_eq!(migrated.now, schema::latest_version());
        fresh += usize::from(migrated.found == 0);
    }
    assert_eq!(fresh, 1, "one terminal migrated, the others found it done");
    assert_eq!(
        count(
            &cluster,
            &url,
            &format!("SELECT count(*) FROM {SCHEMA}.schema_version")
        ),
        schema::latest_version(),
        "each version is applied once"
    );
    // And the whole open, eight at once on a second database.
    let url = cluster.fresh_database();
    let barrier = Arc::new(Barrier::new(terminals));
    let handles: Vec<_> = (0..terminals)
        .map(|_| {
            let url = url.clone();
            let barrier = barrier.clone();
            thread::spawn(move || {
                barrier.wait();
                PgStore::connect(&url, None).map(|mut s| s.schema_version())
            })
        })
        .collect();
    for h in handles {
        let version = h
            .join()
            .expect("thread")
            .expect("connect")
            .expect("version");
        assert_eq!(version, schema::latest_version());
    }
}

#[test]
fn a_schema_from_a_newer_program_is_refused_in_one_line() {
    let cluster = Cluster::start();
    let url = cluster.fresh_database();
    drop(connect(&url));
    let dbname = url.rsplit('/').next().expect("database");
    cluster.admin_execute_in(
        dbname,
        &format!(
            "INSERT INTO {SCHEMA}.schema_version (version, program) VALUES (7, 'welcome-desk 9')"
        ),
    );
    let error = PgStore::connect(&url, None).expect_err("a newer schema must be refused");
    assert!(
        matches!(
            error,
            StoreError::ServerTooNew {
                found: 7,
                known,
                ..
            } if known == schema::latest_version()
        ),
        "{error:?}"
    );
    let line = error.to_string();
    assert!(!line.contains('\n'), "{line}");
    assert!(line.contains("schema version 7"), "{line}");
    assert!(line.contains("update the program"), "{line}");
    assert!(!line.contains(pg::APP_PASSWORD), "{line}");
    // Left exactly as it was.
    assert_eq!(
        count(
            &cluster,
            &url,
            &format!("SELECT max(version)::bigint FROM {SCHEMA}.schema_version")
        ),
        7
    );
}

#[test]
fn ticket_numbers_are_dense_when_eight_pcs_register_at_once() {
    let cluster = Cluster::start();
    let url = cluster.fresh_database();
    drop(connect(&url));
    let pcs = 8;
    let each = 5;
    let at = rome("2026-03-10 09:30");
    let barrier = Arc::new(Barrier::new(pcs));
    let handles: Vec<_> = (0..pcs)
        .map(|pc| {
            let url = url.clone();
            let barrier = barrier.clone();
            thread::spawn(move || {
                let mut store = connect(&url);
                barrier.wait();
                (0..each)
                    .map(|i| {
                        let reg = walk_in(&format!("Tesfay{pc}"), &format!("Selam{i}"), true);
                        register(&mut store, &reg, Uuid::now_v7(), at)
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut numbers = Vec::new();
    for h in handles {
        for r in h.join().expect("a registering PC") {
            assert_eq!(r.queue, Queue::Sai);
            assert!(r.first_time);
            numbers.push(r.ticket.number);
        }
    }
    numbers.sort_unstable();
    let expected: Vec<u32> = (1..=(pcs * each) as u32).collect();
    assert_eq!(numbers, expected, "S-001 … S-040, each once");
    assert_eq!(
        count(
            &cluster,
            &url,
            &format!("SELECT count(DISTINCT number) FROM {SCHEMA}.ticket WHERE queue = 'sai'")
        ),
        40
    );
    // The general queue of the same day starts at 1: its own numbering.
    let mut store = connect(&url);
    let general = register(
        &mut store,
        &walk_in("Rossi", "Anna", false),
        Uuid::now_v7(),
        at,
    );
    assert_eq!(
        general.ticket,
        Ticket {
            queue: Queue::General,
            number: 1
        }
    );
    // And the next day starts again.
    let tomorrow = register(
        &mut store,
        &walk_in("Tesfay", "Yonas", true),
        Uuid::now_v7(),
        rome("2026-03-11 09:00"),
    );
    assert_eq!(tomorrow.ticket.number, 1);
}

#[test]
fn one_person_registered_at_two_pcs_at_once_is_first_time_once() {
    let cluster = Cluster::start();
    let url = cluster.fresh_database();
    let mut store = connect(&url);
    let at = rome("2026-03-10 10:00");
    // On file from an import (no access yet): the next access is the first.
    let visitor = {
        let mut tx = store.transaction().expect("begin");
        let details = match walk_in("Hossain", "Md Rahim", false).visitor {
            VisitorChoice::New(d) => d,
            VisitorChoice::Existing(_) => unreachable!("a new visitor"),
        };
        let (_, id) =
            welcome_desk::store::postgres::tickets::insert_visitor(&mut tx, &details, None, at)
                .unwrap_or_else(|e| panic!("{}", e.into_store("test")));
        tx.commit().expect("commit");
        id
    };
    let pcs = 6;
    let barrier = Arc::new(Barrier::new(pcs));
    let handles: Vec<_> = (0..pcs)
        .map(|_| {
            let url = url.clone();
            let barrier = barrier.clone();
            thread::spawn(move || {
                let mut store = connect(&url);
                let mut reg = walk_in("", "", false);
                reg.visitor = VisitorChoice::Existing(visitor);
                barrier.wait();
                register(&mut store, &reg, Uuid::now_v7(), at)
            })
        })
        .collect();
    let firsts = handles
        .into_iter()
        .map(|h| h.join().expect("a PC"))
        .inspect(|r| assert_eq!(r.visitor_id, visitor))
        .filter(|r| r.first_time)
        .count();
    assert_eq!(firsts, 1, "exactly one of the accesses is the first");
}

#[test]
fn a_retry_with_the_same_access_id_returns_the_ticket_already_issued() {
    let cluster = Cluster::start();
    let url = cluster.fresh_database();
    let mut store = connect(&url);
    let at = rome("2026-03-10 11:00");
    let access_id = Uuid::now_v7();
    let reg = walk_in("Okafor", "Chidi", false);
    let first = register(&mut store, &reg, access_id, at);
    let retry = register(&mut store, &reg, access_id, at);
    assert_eq!(retry, first);
    assert_eq!(
        count(
            &cluster,
            &url,
            &format!("SELECT count(*) FROM {SCHEMA}.access")
        ),
        1
    );
    assert_eq!(
        count(
            &cluster,
            &url,
            &format!("SELECT count(*) FROM {SCHEMA}.ticket")
        ),
        1
    );
    assert_eq!(
        count(
            &cluster,
            &url,
            &format!("SELECT count(*) FROM {SCHEMA}.visitor")
        ),
        1
    );

    // One registration sent twice at once (a retry while the first is still in flight): one
    // ticket; a loser is told to try again (nothing stored), and its retry finds the ticket.
    let access_id = Uuid::now_v7();
    let barrier = Arc::new(Barrier::new(2));
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let url = url.clone();
            let barrier = barrier.clone();
            let reg = walk_in("Mensah", "Kofi", false);
            thread::spawn(move || {
                let mut store = connect(&url);
                let server = store.server().to_string();
                let sent = {
                    let mut tx = store.transaction().expect("begin");
                    barrier.wait();
                    match register_in(&mut tx, &reg, access_id, at) {
                        Ok((r, _)) => tx.commit().map(|()| r).map_err(|e| store_error(e, &server)),
                        Err(e) => Err(e.into_store(&server)),
                    }
                };
                match sent {
                    Ok(r) => r,
                    Err(StoreError::Conflict) => register(&mut store, &reg, access_id, at),
                    Err(e) => panic!("a send of the registration: {e}"),
                }
            })
        })
        .collect();
    let tickets: BTreeSet<Ticket> = handles
        .into_iter()
        .map(|h| h.join().expect("a send").ticket)
        .collect();
    assert_eq!(tickets.len(), 1, "{tickets:?}");
    assert_eq!(
        count(
            &cluster,
            &url,
            &format!("SELECT count(*) FROM {SCHEMA}.access")
        ),
        2
    );
    assert_eq!(
        count(
            &cluster,
            &url,
            &format!("SELECT count(*) FROM {SCHEMA}.visitor")
        ),
        2
    );
}

fn store_error(e: postgres::Error, server: &str) -> StoreError {
    welcome_desk::store::postgres::classify(&e, server)
}

#[test]
fn eight_desks_calling_forty_waiting_people_call_each_once() {
    let cluster = Cluster::start();
    let url = cluster.fresh_database();
    let mut store = connect(&url);
    let arrived = rome("2026-03-10 09:00");
    let mut issued = BTreeSet::new();
    for i in 0..40 {
        let reg = walk_in("Quispe", &format!("Rosa{i}"), i % 2 == 0);
        let at = arrived + chrono::Duration::seconds(i);
        issued.insert(register(&mut store, &reg, Uuid::now_v7(), at).ticket);
    }
    let desks = 8;
    let now = rome("2026-03-10 10:00");
    let barrier = Arc::new(Barrier::new(desks));
    let handles: Vec<_> = (0..desks)
        .map(|d| {
            let url = url.clone();
            let barrier = barrier.clone();
            thread::spawn(move || {
                let mut store = connect(&url);
                let desk = format!("Sportello {}", d + 1);
                barrier.wait();
                let mut mine = Vec::new();
                while let Some(called) = call_next(&mut store, &desk, now) {
                    assert_eq!(called.desk, desk);
                    mine.push(called.ticket);
                }
                mine
            })
        })
        .collect();
    let mut called = Vec::new();
    let mut desks_that_called = 0;
    for h in handles {
        let mine = h.join().expect("a desk");
        desks_that_called += usize::from(!mine.is_empty());
        called.extend(mine);
    }
    assert_eq!(
        called.len(),
        40,
        "every call gave a distinct person: {called:?}"
    );
    let distinct: BTreeSet<Ticket> = called.iter().copied().collect();
    assert_eq!(distinct, issued, "each waiting person called exactly once");
    eprintln!("{desks_that_called} of {desks} desks called someone");
    assert_eq!(
        count(
            &cluster,
            &url,
            &format!("SELECT count(*) FROM {SCHEMA}.ticket WHERE state = 'waiting'")
        ),
        0
    );
    assert_eq!(
        count(
            &cluster,
            &url,
            &format!("SELECT count(*) FROM {SCHEMA}.ticket_event WHERE event = 'call'")
        ),
        40
    );
    // Nobody left: the next call says so.
    assert_eq!(call_next(&mut store, "Sportello 1", now), None);
}

#[test]
fn call_next_follows_the_domains_queue_order() {
    let cluster = Cluster::start();
    let url = cluster.fresh_database();
    let mut store = connect(&url);
    let first = register(
        &mut store,
        &walk_in("Ali", "Omar", false),
        Uuid::now_v7(),
        rome("2026-03-10 09:00"),
    );
    let second = register(
        &mut store,
        &walk_in("Diallo", "Awa", false),
        Uuid::now_v7(),
        rome("2026-03-10 09:01"),
    );
    let mut urgent = walk_in("Singh", "Harpreet", false);
    urgent.priority = Some(Priority::Pregnancy);
    let third = register(
        &mut store,
        &urgent,
        Uuid::now_v7(),
        rome("2026-03-10 09:02"),
    );
    let now = rome("2026-03-10 09:30");
    let order: Vec<Ticket> = std::iter::from_fn(|| call_next(&mut store, "Sportello 2", now))
        .map(|c| c.ticket)
        .collect();
    assert_eq!(order, vec![third.ticket, first.ticket, second.ticket]);
}

#[test]
fn connection_failures_say_what_to_do() {
    let mut cluster = Cluster::start();
    let url = cluster.fresh_database();
    let dbname = url.rsplit('/').next().expect("database").to_string();
    let port = cluster.port();

    let wrong = format!(
        "postgresql://{}:not-the-password@127.0.0.1:{port}/{dbname}",
        pg::APP_ROLE
    );
    let e = PgStore::connect(&wrong, None).expect_err("a wrong password");
    assert!(matches!(e, StoreError::ServerRefused { .. }), "{e:?}");
    assert!(e.to_string().contains("wrong user name or password"), "{e}");
    assert!(!e.to_string().contains("not-the-password"), "{e}");

    // No password anywhere: without a prompt, the line says where to put one; with one, it
    // is asked once and used.
    let bare = format!("postgresql://{}@127.0.0.1:{port}/{dbname}", pg::APP_ROLE);
    let e = PgStore::connect(&bare, None).expect_err("no password");
    assert!(e.to_string().contains("asks for a password"), "{e}");
    let mut asked = Vec::new();
    let mut prompt = |server: &str| {
        asked.push(server.to_string());
        Ok::<_, std::io::Error>(pg::APP_PASSWORD.to_string())
    };
    let prompt: PasswordPrompt<'_> = &mut prompt;
    PgStore::connect(&bare, Some(prompt)).expect("the prompted password");
    assert_eq!(
        asked,
        vec![format!("{}@127.0.0.1:{port}/{dbname}", pg::APP_ROLE)]
    );

    // A database the role may not create its schema in.
    cluster.admin_execute("CREATE DATABASE not_ours");
    let e = PgStore::connect(&cluster.url("not_ours"), None).expect_err("no privilege");
    assert!(matches!(e, StoreError::Privilege(_)), "{e:?}");
    assert!(e.to_string().contains("permission denied"), "{e}");

    let e = PgStore::connect(&cluster.url("no_such_register"), None).expect_err("no database");
    assert!(matches!(e, StoreError::ServerRefused { .. }), "{e:?}");
    assert!(e.to_string().contains("no_such_register"), "{e}");

    // The server stopped: unreachable, quickly, and retryable once it is back.
    cluster.stop();
    let began = Instant::now();
    let e = PgStore::connect(&url, None).expect_err("a stopped server");
    assert!(matches!(e, StoreError::Unreachable { .. }), "{e:?}");
    assert!(
        began.elapsed() < Duration::from_secs(6),
        "{:?}",
        began.elapsed()
    );
    let line = e.to_string();
    assert!(line.contains(&format!("127.0.0.1:{port}")), "{line}");
    assert!(!line.contains(pg::APP_PASSWORD), "{line}");
    cluster.start_again();
    connect(&url);
}

/// A test certificate authority and a server certificate it signed for `names`.
fn tls_material(names: &[&str]) -> (String, String, String) {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
    let ca_key = KeyPair::generate().expect("CA key");
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "welcome-desk test CA");
    let ca = CertifiedIssuer::self_signed(ca_params, ca_key).expect("CA certificate");
    let server_key = KeyPair::generate().expect("server key");
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let mut params = CertificateParams::new(names).expect("server params");
    params
        .distinguished_name
        .push(DnType::CommonName, "welcome-desk test server");
    let cert = params
        .signed_by(&server_key, &ca)
        .expect("server certificate");
    (ca.pem(), cert.pem(), server_key.serialize_pem())
}

#[test]
fn tls_verify_full_with_the_centers_ca() {
    let (ca_pem, cert_pem, key_pem) = tls_material(&["localhost", "127.0.0.1"]);
    let (other_ca_pem, _, _) = tls_material(&["localhost"]);
    let cluster = Cluster::start_with_tls(pg::ServerTls {
        cert_pem: &cert_pem,
        key_pem: &key_pem,
    });
    let files = tempfile::tempdir().expect("folder");
    let ca = files.path().join("ca.pem");
    let other_ca = files.path().join("other-ca.pem");
    std::fs::write(&ca, &ca_pem).expect("write");
    std::fs::write(&other_ca, &other_ca_pem).expect("write");
    let url = cluster.fresh_database();
    let with = |params: &str| format!("{url}?{params}");

    let mut store = connect(&with(&format!(
        "sslmode=verify-full&sslrootcert={}",
        ca.display()
    )));
    let encrypted: bool = store
        .client()
        .query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .expect("pg_stat_ssl")
        .get(0);
    assert!(encrypted, "verify-full must be encrypted");

    let e = PgStore::connect(
        &with(&format!(
            "sslmode=verify-full&sslrootcert={}",
            other_ca.display()
        )),
        None,
    )
    .expect_err("another CA's server must be refused");
    assert!(matches!(e, StoreError::ServerRefused { .. }), "{e:?}");
    assert!(
        e.to_string()
            .contains("not signed by the certificate authority"),
        "{e}"
    );

    // verify-ca does not look at the name; verify-full does.
    let (ca2_pem, cert2_pem, key2_pem) = tls_material(&["db.elsewhere.example"]);
    drop(store);
    drop(cluster);
    let cluster = Cluster::start_with_tls(pg::ServerTls {
        cert_pem: &cert2_pem,
        key_pem: &key2_pem,
    });
    std::fs::write(&ca, &ca2_pem).expect("write");
    let url = cluster.fresh_database();
    let e = PgStore::connect(
        &format!("{url}?sslmode=verify-full&sslrootcert={}", ca.display()),
        None,
    )
    .expect_err("a certificate for another host");
    assert!(
        e.to_string().contains("not issued for the host name"),
        "{e}"
    );
    connect(&format!(
        "{url}?sslmode=verify-ca&sslrootcert={}",
        ca.display()
    ));

    // require: encrypted without checking; disable: in clear.
    let mut required = connect(&format!("{url}?sslmode=require"));
    let mut clear = connect(&format!("{url}?sslmode=disable"));
    let ssl = |s: &mut PgStore| -> bool {
        s.client()
            .query_one(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                &[],
            )
            .expect("pg_stat_ssl")
            .get(0)
    };
    assert!(ssl(&mut required));
    assert!(!ssl(&mut clear));
}

#[test]
fn require_on_a_server_without_tls_is_refused() {
    let cluster = Cluster::start();
    let url = cluster.fresh_database();
    let e = PgStore::connect(&format!("{url}?sslmode=require"), None)
        .expect_err("no TLS on this server");
    assert!(matches!(e, StoreError::ServerRefused { .. }), "{e:?}");
    assert!(
        e.to_string()
            .contains("does not accept encrypted connections"),
        "{e}"
    );
    // prefer falls back to clear text, as libpq's does.
    connect(&format!("{url}?sslmode=prefer"));
}
