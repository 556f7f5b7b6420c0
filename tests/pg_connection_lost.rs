//! The server going away under a working terminal (issue 13), or the cable to it pulled: a
//! reply lost after the commit never makes a second ticket (nor a second check-in), a cut
//! connection is made again by the next job, the change feed says the server is lost within
//! two seconds and back when it is, and the terminal shows it, keeps what was typed and
//! reloads on return. Each test has its own throwaway cluster (tests/common/pg.rs), since
//! they stop it or cut its connections.

mod common;
#[path = "common/pg.rs"]
mod pg;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use common::*;
use iced::window;
use iced_test::{selector, simulator};
use welcome_desk::clock::FixedClock;
use welcome_desk::domain::matching::BirthQuery;
use welcome_desk::domain::staff::Role;
use welcome_desk::service;
use welcome_desk::store::postgres::PgStore;
use welcome_desk::store::postgres::schema::SCHEMA;
#[allow(unused_imports)]
use welcome_desk::store::prelude::*;
use welcome_desk::store::{KeyFile, Location, Principal, Registration, StoreError};
use welcome_desk::ui::app::{App, Effect, Message};
use welcome_desk::ui::{reception, watcher};

use pg::Cluster;

/// Monday 7 July 2025, 10:00 in Rome: walk-in hours.
const NOW: &str = "2025-07-07 10:00";

/// The client's COMMIT as the wire carries it: a simple query message ('Q', its length
/// counting itself, the text and its NUL). Not just the word: `START TRANSACTION ISOLATION
/// LEVEL READ COMMITTED` contains it too.
const COMMIT: &[u8] = b"Q\0\0\0\x0bCOMMIT\0";

/// A TCP proxy between the program and the test cluster, on a loopback port of its own. It
/// forwards bytes both ways; armed, it lets the client's first `COMMIT` message
/// through to the server, then drops the server's reply to it and closes both sides: the
/// transaction is committed on the server, and the program never hears so.
struct CuttingProxy {
    port: u16,
    armed: Arc<AtomicBool>,
    /// Replies dropped so far.
    cuts: Arc<AtomicUsize>,
}

impl CuttingProxy {
    fn start(server_port: u16) -> CuttingProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port for the proxy");
        let port = listener.local_addr().expect("the proxy's address").port();
        let armed = Arc::new(AtomicBool::new(false));
        let cuts = Arc::new(AtomicUsize::new(0));
        let (armed_in, cuts_in) = (armed.clone(), cuts.clone());
        thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { return };
                let Ok(server) = TcpStream::connect(("127.0.0.1", server_port)) else {
                    continue;
                };
                Self::pipe(client, server, armed_in.clone(), cuts_in.clone());
            }
        });
        CuttingProxy { port, armed, cuts }
    }

    /// One connection: a thread each way.
    fn pipe(client: TcpStream, server: TcpStream, armed: Arc<AtomicBool>, cuts: Arc<AtomicUsize>) {
        // Set by the client side before it forwards the COMMIT, so it is set before the
        // server can answer.
        let cut_next_reply = Arc::new(AtomicBool::new(false));
        let streams = (|| {
            Some((
                client.try_clone().ok()?,
                server.try_clone().ok()?,
                client.try_clone().ok()?,
                server.try_clone().ok()?,
            ))
        })();
        let Some((mut from_client, mut to_server, mut to_client, mut from_server)) = streams else {
            return;
        };
        let cut = cut_next_reply.clone();
        thread::spawn(move || {
            let mut buf = [0u8; 16 * 1024];
            loop {
                let n = match from_client.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                let chunk = &buf[..n];
                if chunk.windows(COMMIT.len()).any(|w| w == COMMIT)
                    && armed.swap(false, Ordering::SeqCst)
                {
                    cut.store(true, Ordering::SeqCst);
                }
                if to_server.write_all(chunk).is_err() {
                    break;
                }
            }
            let _ = to_server.shutdown(Shutdown::Both);
        });
        thread::spawn(move || {
            let mut buf = [0u8; 16 * 1024];
            loop {
                let n = match from_server.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                if cut_next_reply.load(Ordering::SeqCst) {
                    // The reply to COMMIT: dropped, and the line cut both ways.
                    cuts.fetch_add(1, Ordering::SeqCst);
                    let _ = client.shutdown(Shutdown::Both);
                    let _ = server.shutdown(Shutdown::Both);
                    return;
                }
                if to_client.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
            let _ = to_client.shutdown(Shutdown::Both);
        });
    }

    fn arm(&self) {
        self.armed.store(true, Ordering::SeqCst);
    }

    fn cuts(&self) -> usize {
        self.cuts.load(Ordering::SeqCst)
    }
}

/// The cluster's URL for a new database, and the same through a proxy on `proxy_port`.
fn through(cluster: &Cluster, url: &str, proxy_port: u16) -> String {
    url.replace(
        &format!("127.0.0.1:{}/", cluster.port()),
        &format!("127.0.0.1:{proxy_port}/"),
    )
}

fn connect(url: &str, keys: &tempfile::TempDir) -> PgStore {
    PgStore::connect_with(
        url,
        None,
        KeyFile::installed(&keys.path().join("site.audit-key")),
    )
    .unwrap_or_else(|e| panic!("connect {url}: {e}"))
}

/// A fresh register reached through a proxy that can cut the server's reply to a COMMIT.
struct Proxied {
    cluster: Cluster,
    url: String,
    _keys: tempfile::TempDir,
    proxy: CuttingProxy,
    store: PgStore,
}

fn proxied() -> Proxied {
    let cluster = Cluster::start();
    let url = cluster.fresh_database();
    let keys = tempfile::tempdir().expect("a folder for the audit key");
    let proxy = CuttingProxy::start(cluster.port());
    let store = connect(&through(&cluster, &url, proxy.port), &keys);
    Proxied {
        cluster,
        url,
        _keys: keys,
        proxy,
        store,
    }
}

fn count(cluster: &Cluster, url: &str, sql: &str) -> i64 {
    let dbname = url.rsplit('/').next().expect("a database in the URL");
    cluster
        .admin_client(dbname)
        .query_one(sql, &[])
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .get(0)
}

fn reception_staff() -> Principal {
    Principal {
        staff: "Amina".into(),
        role: Role::Reception,
        terminal: "terminal:front-1".into(),
    }
}

#[test]
fn a_reply_lost_after_the_commit_never_makes_a_second_ticket() {
    let Proxied {
        cluster,
        url,
        _keys,
        proxy,
        mut store,
    } = proxied();
    let amina = reception_staff();
    let at = rome(NOW);

    // Someone before, so the ticket at stake is not simply the first.
    service::reception::register(
        &mut store,
        &amina,
        &new_walk_in("Rossi", "Mario", false),
        at,
    )
    .expect("a registration through the proxy");

    let sent: Registration = new_walk_in("Okafor", "Chidi", false);
    proxy.arm();
    let lost = service::reception::register(&mut store, &amina, &sent, at)
        .expect_err("the reply to the commit was dropped");
    assert_eq!(proxy.cuts(), 1, "the proxy cut the reply to COMMIT");
    assert!(
        matches!(lost, StoreError::Unreachable { .. }),
        "a retryable 'not reachable', never a ticket: {lost:?}"
    );
    assert!(lost.to_string().contains("not reachable"), "{lost}");
    // The commit went through: the server holds the access the terminal never heard of.
    let stored_ticket = format!(
        "SELECT t.number::bigint FROM {SCHEMA}.ticket t JOIN {SCHEMA}.access a \
         ON a.seq = t.access_seq WHERE a.id = '{}'",
        sent.access_id
    );
    assert_eq!(count(&cluster, &url, &stored_ticket), 2);

    // Sent again, same access id, on the same store: it connects again by itself.
    let retry = service::reception::register(&mut store, &amina, &sent, at)
        .expect("the retry on a new connection");
    assert_eq!(retry.access_id, sent.access_id);
    assert_eq!(
        retry.ticket.to_string(),
        "G-002",
        "the ticket already issued"
    );
    assert!(retry.first_time);
    assert_eq!(proxy.cuts(), 1);

    // Okafor's own rows: exactly one of each.
    for (what, sql) in [
        (
            "access",
            format!(
                "SELECT count(*) FROM {SCHEMA}.access WHERE id = '{}'",
                sent.access_id
            ),
        ),
        (
            "ticket",
            format!(
                "SELECT count(*) FROM {SCHEMA}.ticket t JOIN {SCHEMA}.access a \
                 ON a.seq = t.access_seq JOIN {SCHEMA}.visitor v ON v.seq = a.visitor_seq \
                 WHERE v.family_name = 'Okafor'"
            ),
        ),
        (
            "visitor",
            format!("SELECT count(*) FROM {SCHEMA}.visitor WHERE family_name = 'Okafor'"),
        ),
    ] {
        assert_eq!(count(&cluster, &url, &sql), 1, "Okafor's {what}");
    }
    for (table, held) in [("access", 2), ("ticket", 2), ("visitor", 2)] {
        assert_eq!(
            count(
                &cluster,
                &url,
                &format!("SELECT count(*) FROM {SCHEMA}.{table}")
            ),
            held,
            "{table}: one for Rossi, one for Okafor"
        );
    }
    assert_eq!(
        count(
            &cluster,
            &url,
            &format!(
                "SELECT count(*) FROM {SCHEMA}.audit WHERE action = 'create' AND record = '{}'",
                retry.visitor_id
            )
        ),
        1,
        "one create entry for Okafor's one access"
    );
    // The next person gets the next number: the retry left nothing behind.
    let next = service::reception::register(
        &mut store,
        &amina,
        &new_walk_in("Begum", "Nasima", false),
        at,
    )
    .expect("the next registration");
    assert_eq!(next.ticket.to_string(), "G-003");
}

#[test]
fn a_cut_connection_is_made_again_by_the_next_job() {
    let cluster = Cluster::start();
    let url = cluster.fresh_database();
    let keys = tempfile::tempdir().expect("a folder for the audit key");
    let mut store = connect(&url, &keys);
    let backend = |store: &mut PgStore| -> i32 {
        store
            .client()
            .query_one("SELECT pg_backend_pid()", &[])
            .expect("the backend's pid")
            .get(0)
    };
    let today = day("2025-07-07");
    let mut admin = cluster.admin_client(url.rsplit('/').next().expect("a database"));
    let mut cut = |pid: i32| {
        admin
            .execute("SELECT pg_terminate_backend($1)", &[&pid])
            .expect("terminate the program's backend");
    };

    // Cut while the terminal sits idle: the next job checks the connection first.
    let first = backend(&mut store);
    cut(first);
    thread::sleep(Duration::from_millis(1200));
    assert_eq!(store.tickets_of_day(today).expect("the next job").len(), 0);
    let second = backend(&mut store);
    assert_ne!(second, first, "a new connection");

    // Cut just before a job: that job may fail, as unreachable; the one after it works.
    cut(second);
    thread::sleep(Duration::from_millis(100));
    if let Err(e) = store.register(&new_walk_in("Rossi", "Mario", false), rome(NOW)) {
        assert!(matches!(e, StoreError::Unreachable { .. }), "{e:?}");
    }
    let done = store
        .register(&new_walk_in("Hassan", "Omar", false), rome(NOW))
        .expect("the job after the failure");
    assert_ne!(backend(&mut store), second);
    assert_eq!(
        store
            .tickets_of_day(today)
            .expect("read")
            .last()
            .map(|t| t.ticket),
        Some(done.ticket)
    );
}

/// The watcher's messages, as a terminal's subscription would get them, with when each came.
fn watching(location: Location) -> mpsc::Receiver<(Instant, Message)> {
    let (sender, messages) = mpsc::channel();
    thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime for the watcher");
        runtime.block_on(async move {
            use iced::futures::StreamExt;
            let mut stream = std::pin::pin!(watcher::watch(&location));
            while let Some(m) = stream.next().await {
                if sender.send((Instant::now(), m)).is_err() {
                    return;
                }
            }
        });
    });
    messages
}

/// The next message within `wait`, or a panic naming what was awaited.
fn next(
    messages: &mpsc::Receiver<(Instant, Message)>,
    wait: Duration,
    what: &str,
) -> (Instant, Message) {
    messages
        .recv_timeout(wait)
        .unwrap_or_else(|_| panic!("no message within {wait:?}: waited for {what}"))
}

/// Register people from another PC until the watcher says it saw a change: the feed is up.
fn until_a_tick(
    messages: &mpsc::Receiver<(Instant, Message)>,
    other_pc: &mut PgStore,
    family: &str,
) {
    for i in 0..10 {
        other_pc
            .register(
                &new_walk_in(family, &format!("Persona {i}"), false),
                rome(NOW),
            )
            .expect("another PC registers");
        if let Ok((_, m)) = messages.recv_timeout(Duration::from_millis(1500)) {
            assert!(matches!(m, Message::Tick), "{m:?}");
            return;
        }
    }
    panic!("the watcher never saw a change");
}

#[test]
fn the_feed_says_the_server_is_lost_within_two_seconds_and_back_when_it_is() {
    let mut cluster = Cluster::start();
    let url = cluster.fresh_database();
    let keys = tempfile::tempdir().expect("a folder for the audit key");
    let mut other_pc = connect(&url, &keys);
    let messages = watching(Location::Server { url: url.clone() });
    until_a_tick(&messages, &mut other_pc, "Rossi");

    cluster.stop();
    let stopped = Instant::now();
    let (at, m) = next(&messages, Duration::from_secs(3), "the server lost");
    assert!(matches!(m, Message::ServerLost), "{m:?}");
    assert!(
        at.saturating_duration_since(stopped) < Duration::from_secs(2),
        "said {:?} after the server stopped",
        at - stopped
    );
    // Said once, however many times the feed fails to come back.
    thread::sleep(Duration::from_secs(3));
    assert!(messages.try_recv().is_err(), "nothing more while away");

    cluster.start_again();
    let (_, m) = next(&messages, Duration::from_secs(10), "the server back");
    assert!(matches!(m, Message::ServerBack), "{m:?}");
    // A change committed afterwards is seen (the other PC connects again by itself).
    other_pc
        .register(&new_walk_in("Hassan", "Omar", false), rome(NOW))
        .expect("another PC registers after the return");
    let (_, m) = next(
        &messages,
        Duration::from_secs(3),
        "the change after the return",
    );
    assert!(matches!(m, Message::Tick), "{m:?}");
}

#[test]
fn the_terminal_shows_the_server_away_keeps_the_form_and_reloads_on_return() {
    let mut cluster = Cluster::start();
    let url = cluster.fresh_database();
    let keys = tempfile::tempdir().expect("a folder for the audit key");
    let home = tempfile::tempdir().expect("the terminal's folder");
    let mut store = connect(&url, &keys);
    let mut other_pc = connect(&url, &keys);
    let location = Location::Server { url: url.clone() };
    let mut app = App::at(
        location.clone(),
        home.path().to_path_buf(),
        Arc::new(FixedClock(rome(NOW))),
    );
    sign_in(&mut app, &mut store, Role::Reception);
    let main = window::Id::unique();
    let banner = "Server non raggiungibile, nuovo tentativo…";

    // Reception types a family name, with real keys through the real interface.
    let mut ui = simulator(app.view(main));
    ui.click(selector::id(reception::FIRST_FIELD))
        .expect("the family name field");
    ui.typewrite("Hassan");
    let typed: Vec<Message> = ui.into_messages().collect();
    for m in typed {
        app.run_headless(&mut store, m);
    }
    assert_eq!(app.reception().expect("reception").family_name, "Hassan");

    // The feed is up; another PC registers, and its notification is never delivered to
    // this terminal (as when it is sent while the terminal is away).
    let messages = watching(location);
    until_a_tick(&messages, &mut other_pc, "Rossi");
    app.run_headless(&mut store, Message::Tick);
    let before = app.today.tickets.len();
    other_pc
        .register(&new_walk_in("Begum", "Nasima", false), rome(NOW))
        .expect("another PC registers");
    let (_, m) = next(
        &messages,
        Duration::from_secs(3),
        "the change, not delivered",
    );
    assert!(matches!(m, Message::Tick), "{m:?}");

    cluster.stop();
    let (_, lost) = next(&messages, Duration::from_secs(3), "the server lost");
    assert!(matches!(lost, Message::ServerLost), "{lost:?}");
    app.run_headless(&mut store, lost);
    assert!(app.server_away());
    assert!(
        simulator(app.view(main)).find(banner).is_ok(),
        "the banner, in the staff's language"
    );
    assert_eq!(
        app.reception().expect("reception").family_name,
        "Hassan",
        "nothing typed is cleared"
    );

    // Registering now fails as unreachable: the form keeps everything, and its access id.
    let choice = reception::service_choices(app.lang)
        .into_iter()
        .find(|c| c.value == "housing")
        .expect("a service");
    for m in [
        reception::Message::GivenName("Omar".into()),
        reception::Message::Service(choice),
        reception::Message::Submit,
    ] {
        app.run_headless(&mut store, Message::Reception(m));
    }
    let form = app.reception().expect("reception");
    assert_eq!(form.family_name, "Hassan");
    assert!(form.error.is_some() && form.issued.is_none());
    let access_id = form.access_id.expect("made at the first submit");

    cluster.start_again();
    let (_, back) = next(&messages, Duration::from_secs(10), "the server back");
    assert!(matches!(back, Message::ServerBack), "{back:?}");
    assert_eq!(
        app.today.tickets.len(),
        before,
        "Begum's ticket not seen yet"
    );
    app.run_headless(&mut store, back);
    assert!(!app.server_away());
    assert!(
        simulator(app.view(main)).find(banner).is_err(),
        "the banner is gone"
    );
    assert_eq!(
        app.today.tickets.len(),
        before + 1,
        "reloaded: the ticket whose notification was lost is there"
    );
    assert_eq!(app.reception().expect("reception").family_name, "Hassan");

    // Enter again: the same registration, one ticket.
    app.run_headless(&mut store, Message::Reception(reception::Message::Submit));
    let issued = app
        .reception()
        .expect("reception")
        .issued
        .clone()
        .expect("a ticket now");
    assert_eq!(issued.access_id, access_id);
    let hassan = store
        .search("Hassan", "Omar", BirthQuery::Unknown, 5)
        .expect("search");
    assert_eq!(hassan.len(), 1, "one Hassan Omar");
    assert_eq!(
        count(
            &cluster,
            &url,
            &format!("SELECT count(*) FROM {SCHEMA}.access WHERE id = '{access_id}'")
        ),
        1
    );
}

#[test]
fn a_terminal_started_while_the_server_was_away_opens_when_it_is_back() {
    // No server at all: the messages are what the opening and the watcher would send.
    let home = tempfile::tempdir().expect("the terminal's folder");
    let url = "postgresql://desk@127.0.0.1:9/welcome".to_string();
    let mut app = App::at(
        Location::Server { url: url.clone() },
        home.path().to_path_buf(),
        Arc::new(FixedClock(rome(NOW))),
    );
    let unreachable = StoreError::Unreachable {
        server: url,
        detail: "connection refused".into(),
    };
    assert!(app.step(Message::Opened(Err(unreachable))).is_empty());
    assert!(app.step(Message::ServerLost).is_empty());
    assert!(app.server_away());
    assert_eq!(app.step(Message::ServerBack), vec![Effect::Reopen]);
    assert!(!app.server_away());
}

#[test]
fn a_check_in_whose_reply_is_lost_gives_its_ticket_on_retry() {
    use welcome_desk::domain::appointment::{BookedVia, NewPerson, Person};
    use welcome_desk::store::BookingOrder;

    let Proxied {
        cluster,
        url,
        _keys,
        proxy,
        mut store,
    } = proxied();
    let amina = reception_staff();
    // Booked on Monday for Thursday 10 July, 10:30; checked in that morning.
    let order = BookingOrder {
        person: Person::New(
            NewPerson::new(
                "Okafor",
                "Chidi",
                None,
                "+39 333 1234567",
                day("2025-07-07"),
            )
            .expect("valid"),
        ),
        service: "housing".into(),
        local: chrono::NaiveDateTime::parse_from_str("2025-07-10 10:30", "%Y-%m-%d %H:%M")
            .expect("test time"),
        booked_via: BookedVia::Desk,
    };
    let booked = service::appointments::book(&mut store, &amina, &order, rome(NOW))
        .expect("a booking through the proxy");
    let at = rome("2025-07-10 10:20");

    let access_id = uuid::Uuid::now_v7();
    proxy.arm();
    let lost = service::appointments::check_in(&mut store, &amina, booked.code, access_id, at)
        .expect_err("the reply to the commit was dropped");
    assert_eq!(proxy.cuts(), 1, "the proxy cut the reply to COMMIT");
    assert!(
        matches!(lost, StoreError::Unreachable { .. }),
        "a retryable 'not reachable', never a ticket: {lost:?}"
    );

    // The terminal sends it again with the same id, on a new connection: the ticket issued.
    let retry = service::appointments::check_in(&mut store, &amina, booked.code, access_id, at)
        .expect("the retry gets the ticket already issued");
    assert_eq!(retry.registered.access_id, access_id);
    assert_eq!(retry.registered.ticket.to_string(), "G-001");
    assert_eq!(proxy.cuts(), 1);
    for (table, held) in [("access", 1), ("ticket", 1), ("visitor", 1)] {
        assert_eq!(
            count(
                &cluster,
                &url,
                &format!("SELECT count(*) FROM {SCHEMA}.{table}")
            ),
            held,
            "{table}: Okafor's one"
        );
    }
    assert_eq!(
        count(
            &cluster,
            &url,
            &format!(
                "SELECT count(*) FROM {SCHEMA}.audit WHERE action = 'create' AND record = '{}'",
                retry.registered.visitor_id
            )
        ),
        1,
        "one create entry for the one check-in"
    );
}

/// Set for the copy of the pulled-cable test that runs in a network namespace of its own:
/// the namespace of the test that started it, which it must not be in.
const OUTER_NETWORK: &str = "WELCOME_DESK_TEST_OUTER_NETWORK";

fn network_namespace() -> Option<String> {
    std::fs::read_link("/proc/self/ns/net")
        .ok()
        .map(|p| p.display().to_string())
}

/// A pulled cable: the network goes silent and nothing closes the connection, so only the
/// keepalives can tell. Taking the loopback down drops every packet, as a pulled cable
/// would, so the test runs itself again in a network namespace of its own (`unshare -n`,
/// as root), where that cuts nobody else's connections; where that is not allowed, or
/// `unshare` or `ip` is missing, it says so and passes. Its figure prints with
/// `--nocapture`.
#[test]
fn a_pulled_cable_is_noticed_within_about_two_seconds() {
    const NAME: &str = "a_pulled_cable_is_noticed_within_about_two_seconds";
    let Some(outer) = std::env::var_os(OUTER_NETWORK) else {
        let Some(own) = network_namespace() else {
            eprintln!("skipped: no /proc/self/ns/net");
            return;
        };
        let exe = std::env::current_exe().expect("the test binary");
        let run = Command::new("unshare")
            .args([
                "-n",
                "sh",
                "-c",
                "ip link set lo up || exit 77; exec \"$0\" \"$@\"",
            ])
            .arg(exe)
            .args([NAME, "--exact", "--nocapture", "--test-threads=1"])
            .env(OUTER_NETWORK, own)
            .output();
        let out = match run {
            Ok(out) => out,
            Err(e) => {
                eprintln!("skipped: unshare: {e}");
                return;
            }
        };
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        if !out.status.success() && (out.status.code() == Some(77) || stderr.starts_with("unshare"))
        {
            eprintln!(
                "skipped: no network namespace of its own: {}",
                stderr.trim()
            );
            return;
        }
        eprint!("{stderr}");
        assert!(out.status.success(), "{stdout}\n{stderr}");
        return;
    };
    assert_ne!(
        network_namespace().map(std::ffi::OsString::from),
        Some(outer),
        "the loopback is taken down only in a network namespace of its own"
    );
    let link = |state: &str| {
        Command::new("ip")
            .args(["link", "set", "lo", state])
            .status()
            .is_ok_and(|s| s.success())
    };
    let cluster = Cluster::start();
    let url = cluster.fresh_database();
    let keys = tempfile::tempdir().expect("a folder for the audit key");
    let mut other_pc = connect(&url, &keys);
    let messages = watching(Location::Server { url: url.clone() });
    until_a_tick(&messages, &mut other_pc, "Rossi");

    assert!(link("down"), "the cable pulled");
    let pulled = Instant::now();
    let seen = messages.recv_timeout(Duration::from_secs(15));
    assert!(link("up"), "the cable back");
    let (at, m) = seen.expect("the server lost, within 15 s");
    assert!(matches!(m, Message::ServerLost), "{m:?}");
    let after = at.saturating_duration_since(pulled);
    eprintln!(
        "the server said lost {} ms after the cable was pulled",
        after.as_millis()
    );
    assert!(after < Duration::from_millis(3500), "said {after:?} after");

    // A registration sent just after the cable is pulled: nothing acknowledges it, and
    // the terminal hears "not reachable" when the connection gives up on it.
    let (_, m) = next(&messages, Duration::from_secs(10), "the server back");
    assert!(matches!(m, Message::ServerBack), "{m:?}");
    other_pc
        .register(&new_walk_in("Hassan", "Omar", false), rome(NOW))
        .expect("a registration once the cable is back");
    assert!(link("down"), "the cable pulled again");
    let pulled = Instant::now();
    let sent = other_pc.register(&new_walk_in("Begum", "Nasima", false), rome(NOW));
    let after = pulled.elapsed();
    assert!(link("up"), "the cable back");
    assert!(
        matches!(sent, Err(StoreError::Unreachable { .. })),
        "{sent:?}"
    );
    eprintln!(
        "a registration sent with the cable pulled failed after {} ms",
        after.as_millis()
    );
    assert!(
        after < Duration::from_millis(3500),
        "failed {after:?} after"
    );
}
