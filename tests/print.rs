//! Printed tickets through the real binary and a fake network printer: a TCP listener on
//! 127.0.0.1 that keeps every byte it receives, which the test then reads as ESC/POS.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Output;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use common::*;
use welcome_desk::domain::hours::rome_day;
use welcome_desk::print::{PrintError, Printer, TicketSlip};
#[allow(unused_imports)]
use welcome_desk::store::prelude::*;
use welcome_desk::store::{SqliteStore, Store};

/// A Monday morning, within walk-in hours.
const NOW: &str = "2025-12-01T10:30:00+01:00";

fn welcome_desk(db: &Path, config: &Path, args: &[&str]) -> Output {
    welcome_desk_command(db, NOW)
        .args(args)
        .env(welcome_desk::ui::this_pc::CONFIG_ENV, config)
        .output()
        .expect("run welcome-desk")
}

/// How the fake printer behaves.
#[derive(Clone, Copy)]
enum Behaviour {
    /// Takes everything, answers no status request (as many cheap printers).
    Silent,
    /// Answers DLE EOT 1, 2 and 4 with these bytes.
    Answers([u8; 3]),
    /// Answers the first status round, then never again and reads nothing more.
    AnswersOnceThenHangs,
    /// Reads this many bytes, then closes the connection.
    ClosesAfter(usize),
}

/// A printer on 127.0.0.1: its address, and the bytes it will have received.
fn fake_printer(behaviour: Behaviour) -> (String, JoinHandle<Vec<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
    let address = format!("tcp://{}", listener.local_addr().expect("its address"));
    let handle = std::thread::spawn(move || {
        let Ok((mut stream, _)) = listener.accept() else {
            return Vec::new();
        };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        let mut answered = 0;
        loop {
            let n = match stream.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            got.extend_from_slice(&buf[..n]);
            match behaviour {
                Behaviour::ClosesAfter(limit) if got.len() >= limit => {
                    got.truncate(limit);
                    break;
                }
                Behaviour::Answers(bytes) => answer(&mut stream, &got, &mut answered, bytes),
                Behaviour::AnswersOnceThenHangs => {
                    if answered < 3 {
                        answer(&mut stream, &got, &mut answered, [0x12; 3]);
                    } else {
                        std::thread::sleep(Duration::from_secs(4));
                        break;
                    }
                }
                _ => {}
            }
        }
        got
    });
    (address, handle)
}

/// Answer each DLE EOT n not answered yet.
fn answer(stream: &mut TcpStream, got: &[u8], answered: &mut usize, bytes: [u8; 3]) {
    let requests: Vec<u8> = got
        .windows(3)
        .filter(|w| w[0] == 0x10 && w[1] == 0x04)
        .map(|w| w[2])
        .collect();
    for n in &requests[*answered..] {
        let reply = match n {
            1 => bytes[0],
            2 => bytes[1],
            _ => bytes[2],
        };
        let _ = stream.write_all(&[reply]);
    }
    *answered = requests.len();
}

/// What the test reads in a stream: its own small ESC/POS reader, independent of the
/// program's encoder and preview.
#[derive(Debug, PartialEq)]
enum Op {
    Init,
    Text(String),
    Raster {
        width: usize,
        height: usize,
    },
    Cut,
    /// DLE EOT n: the status request before and after a ticket.
    Status,
    Other,
}

fn decode(bytes: &[u8]) -> Vec<Op> {
    let mut ops = Vec::new();
    let mut line = String::new();
    let mut i = 0;
    let end_line = |line: &mut String, ops: &mut Vec<Op>| {
        if !line.is_empty() {
            ops.push(Op::Text(std::mem::take(line)));
        }
    };
    while i < bytes.len() {
        match bytes[i..] {
            [0x1B, b'@', ..] => {
                ops.push(Op::Init);
                i += 2;
            }
            [0x1B, b'd', _, ..] | [b'\n', ..] => {
                end_line(&mut line, &mut ops);
                i += if bytes[i] == b'\n' { 1 } else { 3 };
            }
            [0x10, 0x04, _, ..] => {
                ops.push(Op::Status);
                i += 3;
            }
            [0x1B, b't' | b'a' | b'E', _, ..] | [0x1D, b'!', _, ..] => {
                ops.push(Op::Other);
                i += 3;
            }
            [0x1D, b'v', b'0', _, xl, xh, yl, yh, ..] => {
                end_line(&mut line, &mut ops);
                let width = usize::from(xl) | usize::from(xh) << 8;
                let height = usize::from(yl) | usize::from(yh) << 8;
                ops.push(Op::Raster {
                    width: width * 8,
                    height,
                });
                i += 8 + width * height;
            }
            [0x1D, b'V', b'A', _, ..] => {
                end_line(&mut line, &mut ops);
                ops.push(Op::Cut);
                i += 4;
            }
            [b, ..] if b >= 0x20 => {
                // Code page 858 above 0x7F; the lines checked here are ASCII.
                line.push(if b < 0x80 { b as char } else { '~' });
                i += 1;
            }
            _ => panic!("unexpected byte {:#04x} at {i}", bytes[i]),
        }
    }
    ops
}

fn texts(ops: &[Op]) -> Vec<&str> {
    ops.iter()
        .filter_map(|o| match o {
            Op::Text(t) => Some(t.as_str()),
            _ => None,
        })
        .collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn register_args<'a>(family: &'a str, given: &'a str) -> Vec<&'a str> {
    vec![
        "register",
        "--family-name",
        family,
        "--given-name",
        given,
        "--birth-date",
        "1990-02-03",
        "--service",
        "legal-administrative",
    ]
}

fn tickets_today(db: &Path) -> Vec<String> {
    let store = SqliteStore::open(db).expect("the register");
    let now = chrono::DateTime::parse_from_rfc3339(NOW)
        .expect("test time")
        .to_utc();
    store
        .tickets_of_day(rome_day(now))
        .expect("today's tickets")
        .iter()
        .map(|t| t.ticket.to_string())
        .collect()
}

#[test]
fn a_walk_in_registered_with_print_gets_its_number_and_no_name_on_paper() {
    let (dir, db) = temp_db();
    let config = dir.path().join("terminal.json");
    for (family, given) in [("Rossi", "Mario"), ("Diallo", "Awa")] {
        let out = welcome_desk(&db, &config, &register_args(family, given));
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let (printer, received) = fake_printer(Behaviour::Silent);
    let mut args = register_args("Hossain", "Md Rahim");
    args.extend(["--print", "--printer", &printer, "--format", "json"]);
    let out = welcome_desk(&db, &config, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    let registered: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(registered["ticket"], "G-003");
    assert!(stderr(&out).contains("G-003 printed on tcp://127.0.0.1:"));

    let bytes = received.join().expect("the printer's bytes");
    let ops: Vec<Op> = decode(&bytes)
        .into_iter()
        .filter(|o| *o != Op::Status)
        .collect();
    assert_eq!(ops.first(), Some(&Op::Init), "initialise first");
    assert_eq!(ops.last(), Some(&Op::Cut), "cut last");
    let lines = texts(&ops);
    assert!(lines.contains(&"G-003"), "the number: {lines:?}");
    assert!(lines.contains(&"Persone prima di te: 2"), "{lines:?}");
    assert!(lines.contains(&"Coda generale"), "{lines:?}");
    let rasters: Vec<&Op> = ops
        .iter()
        .filter(|o| matches!(o, Op::Raster { width: 576, .. }))
        .collect();
    assert!(rasters.len() >= 2, "Arabic and Bengali as pictures");
    let code = registered["visitor_code"].as_str().expect("a code");
    for secret in [
        "Hossain", "HOSSAIN", "Md Rahim", "Rahim", "1990", "03/02", "02-03", code,
    ] {
        assert!(
            !contains(&bytes, secret.as_bytes()),
            "'{secret}' is on the ticket"
        );
    }
}

#[test]
fn a_printer_out_of_paper_gets_nothing_and_the_ticket_stays() {
    let (dir, db) = temp_db();
    let config = dir.path().join("terminal.json");
    let out = welcome_desk(&db, &config, &register_args("Rossi", "Mario"));
    assert!(out.status.success(), "{}", stderr(&out));
    let (printer, received) = fake_printer(Behaviour::Answers([0x1A, 0x32, 0x72]));
    let out = welcome_desk(&db, &config, &["setting", "printer", &printer]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = welcome_desk(&db, &config, &["print-ticket", "G-001"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("out of paper"), "{}", stderr(&out));
    let bytes = received.join().expect("the printer's bytes");
    assert!(
        !contains(&bytes, b"\x1b@"),
        "nothing printed on a printer without paper"
    );
    assert_eq!(tickets_today(&db), ["G-001"]);
}

#[test]
fn a_printer_that_refuses_leaves_the_ticket_stored_and_says_so_within_2_s() {
    let (dir, db) = temp_db();
    let config = dir.path().join("terminal.json");
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let printer = format!("tcp://127.0.0.1:{port}");
    let mut args = register_args("Hossain", "Md Rahim");
    args.extend(["--print", "--printer", &printer]);
    let started = Instant::now();
    let out = welcome_desk(&db, &config, &args);
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(out.status.code(), Some(1));
    let message = stderr(&out);
    assert!(
        message.contains("G-001 is registered, but not printed"),
        "{message}"
    );
    assert!(message.contains("refused"), "{message}");
    assert!(message.contains("print-ticket G-001"), "{message}");
    assert_eq!(tickets_today(&db), ["G-001"]);

    let slip = slip_of(&db, "G-001");
    let started = Instant::now();
    let printer: Printer = printer.parse().expect("an address");
    let e = welcome_desk::print::print(&printer, &slip).expect_err("refused");
    assert!(matches!(e, PrintError::Refused { .. }), "{e}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

fn slip_of(db: &Path, ticket: &str) -> TicketSlip {
    let store = SqliteStore::open(db).expect("the register");
    let now = chrono::DateTime::parse_from_rfc3339(NOW)
        .expect("test time")
        .to_utc();
    welcome_desk::print::slip_of_today(&store, ticket.parse().expect("a ticket"), now)
        .expect("read")
        .expect("a ticket of today")
}

#[test]
fn a_printer_that_closes_midway_is_reported_and_the_ticket_stays() {
    let (dir, db) = temp_db();
    let config = dir.path().join("terminal.json");
    let (printer, received) = fake_printer(Behaviour::ClosesAfter(200));
    let mut args = register_args("Hossain", "Md Rahim");
    args.extend(["--print", "--printer", &printer]);
    let started = Instant::now();
    let out = welcome_desk(&db, &config, &args);
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("closed the connection"),
        "{}",
        stderr(&out)
    );
    assert_eq!(received.join().expect("bytes").len(), 200);
    assert_eq!(tickets_today(&db), ["G-001"]);

    // Printed again from the register, on a printer that works.
    let (printer, received) = fake_printer(Behaviour::Answers([0x12, 0x12, 0x12]));
    let out = welcome_desk(
        &db,
        &config,
        &["print-ticket", "G-001", "--printer", &printer],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let bytes = received.join().expect("bytes");
    assert!(texts(&decode(&bytes)).contains(&"G-001"));
    assert_eq!(tickets_today(&db), ["G-001"], "a reprint issues nothing");
}

#[test]
fn a_printer_that_stops_answering_is_reported_within_2_s() {
    let (_dir, db) = temp_db();
    let mut store = SqliteStore::open(&db).expect("a register");
    store
        .register(
            &new_walk_in("Rossi", "Mario", false),
            rome("2025-12-01 10:00"),
        )
        .expect("registered");
    drop(store);
    let slip = slip_of(&db, "G-001");
    let (printer, _received) = fake_printer(Behaviour::AnswersOnceThenHangs);
    let printer: Printer = printer.parse().expect("an address");
    let started = Instant::now();
    let e = welcome_desk::print::print(&printer, &slip).expect_err("no receipt");
    let took = started.elapsed();
    assert!(took < Duration::from_millis(2100), "{took:?}");
    assert!(matches!(e, PrintError::NoAnswer { .. }), "{e}");
}

#[test]
fn without_a_printer_print_ticket_says_how_to_set_one() {
    let (dir, db) = temp_db();
    let config = dir.path().join("terminal.json");
    let out = welcome_desk(&db, &config, &register_args("Rossi", "Mario"));
    assert!(out.status.success());
    let out = welcome_desk(&db, &config, &["print-ticket", "G-001"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("setting printer"), "{}", stderr(&out));
    let out = welcome_desk(
        &db,
        &config,
        &["print-ticket", "G-002", "--printer", "t.bin"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not a ticket of today"));
    let out = welcome_desk(&db, &config, &["setting", "printer", "http://x"]);
    assert_eq!(out.status.code(), Some(2));
    let file = dir.path().join("ticket.bin");
    let uri = format!("{}?paper=58", file.display());
    let out = welcome_desk(&db, &config, &["setting", "printer", &uri]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), uri);
    let out = welcome_desk(&db, &config, &["print-ticket", "G-001"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let ops = decode(&std::fs::read(&file).expect("the file printer"));
    assert!(
        ops.iter()
            .any(|o| matches!(o, Op::Raster { width: 384, .. })),
        "58 mm paper: 384 dots"
    );
}

/// The terminal: a reception PC with a printer, signed in.
mod terminal {
    use super::*;
    use iced::{keyboard, window};
    use iced_test::{selector, simulator};
    use welcome_desk::clock::FixedClock;
    use welcome_desk::domain::staff::Role;
    use welcome_desk::ui::app::{App, Effect, Job, Message};
    use welcome_desk::ui::reception;
    use welcome_desk::ui::this_pc::Settings;

    fn reception_pc(store: &mut SqliteStore, db: &Path, config: &Path, printer: &str) -> App {
        let settings = Settings {
            printer: Some(printer.to_string()),
            ..Settings::default()
        };
        settings.save(config).expect("settings saved");
        let mut app = App::new(
            db.to_path_buf(),
            std::sync::Arc::new(FixedClock(rome("2025-12-01 10:30"))),
        )
        .with_settings(Some(config.to_path_buf()), None);
        app.start_headless(store);
        sign_in(&mut app, store, Role::Reception);
        app
    }

    fn register_by_keyboard(app: &mut App, store: &mut SqliteStore, family: &str, given: &str) {
        let choice = reception::service_choices(app.lang)
            .into_iter()
            .find(|c| c.value == "housing")
            .expect("a service");
        app.run_headless(
            store,
            Message::Reception(reception::Message::Service(choice)),
        );
        let mut ui = simulator(app.view(window::Id::unique()));
        ui.click(selector::id("family-name"))
            .expect("the family name");
        ui.typewrite(family);
        ui.click(selector::id("given-name"))
            .expect("the given name");
        ui.typewrite(given);
        ui.tap_key(keyboard::key::Named::Enter);
        for m in ui.into_messages().collect::<Vec<_>>() {
            app.run_headless(store, m);
        }
    }

    #[test]
    fn a_refused_print_shows_the_banner_with_reprint_and_the_ticket_stays() {
        let (dir, db) = temp_db();
        let mut store = SqliteStore::open(&db).expect("a register");
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let config = dir.path().join("terminal.json");
        let mut app = reception_pc(&mut store, &db, &config, &format!("tcp://127.0.0.1:{port}"));

        let started = Instant::now();
        register_by_keyboard(&mut app, &mut store, "Hossain", "Md Rahim");
        assert!(started.elapsed() < Duration::from_secs(2));
        let issued = app.reception().unwrap().issued.clone().expect("issued");
        assert_eq!(issued.ticket.to_string(), "G-001");
        assert_eq!(app.last_ticket, issued.ticket.to_string().parse().ok());
        let (ticket, error) = app.not_printed.clone().expect("the banner");
        assert_eq!(ticket.to_string(), "G-001");
        assert!(matches!(error, PrintError::Refused { .. }), "{error}");
        assert_eq!(tickets_today(&db), ["G-001"]);

        let main = window::Id::unique();
        {
            let mut ui = simulator(app.view(main));
            assert!(
                ui.find("G-001: non stampato: la stampante rifiuta la connessione (accesa? indirizzo giusto?)")
                    .is_ok(),
                "the banner in Italian"
            );
        }
        // The printer comes back; Reprint prints the same ticket and the banner goes.
        let (printer, received) = fake_printer(Behaviour::Silent);
        let mut settings = Settings::load(&config).expect("settings");
        settings.printer = Some(printer);
        app.settings = settings;
        let mut ui = simulator(app.view(main));
        ui.click(selector::id("reprint"))
            .expect("the Reprint button");
        for m in ui.into_messages().collect::<Vec<_>>() {
            app.run_headless(&mut store, m);
        }
        assert!(app.not_printed.is_none(), "printed: no banner");
        let bytes = received.join().expect("bytes");
        assert!(texts(&decode(&bytes)).contains(&"G-001"));
        assert!(!contains(&bytes, b"Hossain"));
        assert_eq!(tickets_today(&db), ["G-001"], "a reprint issues nothing");
    }

    #[test]
    fn printing_is_a_step_after_the_ticket_is_stored_never_inside_it() {
        let (dir, db) = temp_db();
        let mut store = SqliteStore::open(&db).expect("a register");
        let config = dir.path().join("terminal.json");
        let mut app = reception_pc(&mut store, &db, &config, "tcp://127.0.0.1:9");
        let registered = store
            .register(
                &new_walk_in("Rossi", "Mario", false),
                rome("2025-12-01 10:20"),
            )
            .expect("registered");
        let effects = app.step(Message::Finished(
            welcome_desk::ui::app::Outcome::Registered(Ok(registered)),
        ));
        assert!(
            effects.contains(&Effect::Focus(reception::FIRST_FIELD)),
            "the form is free for the next person at once"
        );
        assert!(
            effects
                .iter()
                .any(|e| matches!(e, Effect::Job(j) if matches!(**j, Job::Slip(_)))),
            "the print is its own job: {effects:?}"
        );
    }
}
