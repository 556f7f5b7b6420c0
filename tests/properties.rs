//! Property-based tests: whatever bytes a spreadsheet or a keyboard produces, the importer,
//! the name normaliser, the matcher and the search never panic, and what they promise holds;
//! whatever a day at the front office brings, the tally adds up.

mod common;

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Timelike, Utc};
use common::*;
use proptest::prelude::*;
use uuid::Uuid;
use welcome_desk::domain::board::{DESK_ACTIVE_WINDOW_MINUTES, DayBoard};
use welcome_desk::domain::hours::{OpeningHours, ROME, rome_day, rome_day_bounds};
use welcome_desk::domain::matching::{BirthQuery, profile, score};
use welcome_desk::domain::names::{name_key, normalise};
use welcome_desk::domain::visitor::validate_name;
use welcome_desk::domain::{
    Channel, EventRecord, Queue, Ticket, TicketEvent, TicketState, TicketView,
};
use welcome_desk::import::{COLUMNS, parse_register};
#[allow(unused_imports)]
use welcome_desk::store::prelude::*;
use welcome_desk::store::{SqliteStore, Store};

/// Text that looks like names typed at a front desk: Latin with accents, Arabic, Bengali,
/// combining marks, punctuation, spaces, the odd control character and emoji.
fn name_like() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::char::range('a', 'z'),
            2 => prop::char::range('A', 'Z'),
            1 => prop::sample::select(vec!['é', 'ñ', 'ü', 'ş', 'ø', 'ß', 'İ', 'ı', 'ǅ', 'ﬁ']),
            2 => prop::char::range('\u{0621}', '\u{064A}'),
            2 => prop::char::range('\u{0985}', '\u{09B9}'),
            1 => prop::char::range('\u{0300}', '\u{036F}'),
            1 => prop::char::range('\u{09BE}', '\u{09CD}'),
            2 => prop::sample::select(vec![' ', '-', '\'', '.', ',', ';', '"', '\t', '\u{200F}', '\u{202E}', '\u{200C}']),
            1 => any::<char>(),
        ],
        0..40,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

/// A CSV field as a careless export writes it: plain, quoted, quoted with doubled quotes,
/// with a stray quote, or with a separator inside.
fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        name_like(),
        name_like().prop_map(|s| format!("\"{s}\"")),
        name_like().prop_map(|s| format!("\"{}\"", s.replace('"', "\"\""))),
        name_like().prop_map(|s| format!("{s}\"")),
        Just("2025-07-03 10:15".to_string()),
        Just("2025-02-30 10:15".to_string()),
        Just("1990-05-01".to_string()),
        Just("yes".to_string()),
        Just("walk-in".to_string()),
        Just("housing".to_string()),
        Just("EG".to_string()),
        Just(String::new()),
    ]
}

/// A register file: the right header (in any order, with either separator) or a damaged one,
/// then rows of arbitrary fields, with LF or CRLF and maybe a BOM.
fn register_file() -> impl Strategy<Value = Vec<u8>> {
    (
        Just(COLUMNS.to_vec()).prop_shuffle(),
        prop::bool::ANY,
        prop::bool::ANY,
        prop::bool::ANY,
        0usize..3,
        prop::collection::vec(prop::collection::vec(field(), 8..12), 0..8),
    )
        .prop_map(|(mut header, semicolon, crlf, bom, damage, rows)| {
            match damage {
                1 => {
                    header.pop();
                }
                2 => header[0] = "arived_at",
                _ => {}
            }
            let sep = if semicolon { ";" } else { "," };
            let end = if crlf { "\r\n" } else { "\n" };
            let mut text = String::new();
            if bom {
                text.push('\u{FEFF}');
            }
            text.push_str(&header.join(sep));
            for row in rows {
                text.push_str(end);
                text.push_str(&row.join(sep));
            }
            text.into_bytes()
        })
}

fn now() -> chrono::DateTime<chrono::Utc> {
    rome("2025-07-31 18:00")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_importer_never_panics_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = parse_register(&bytes, now());
    }

    #[test]
    fn the_importer_never_panics_on_damaged_registers(file in register_file()) {
        match parse_register(&file, now()) {
            Ok(rows) => {
                // Whatever it accepts is valid by the rules reception enters data by.
                for row in rows {
                    prop_assert!(!row.details.family_name.trim().is_empty());
                    prop_assert!(!row.details.given_name.chars().any(char::is_control));
                    prop_assert!(row.arrived_at <= now());
                }
            }
            Err(e) => {
                // Every refusal names a line (or the file as a whole).
                let message = e.to_string();
                prop_assert!(
                    message.starts_with("line ") || message.starts_with("the file"),
                    "{}", message
                );
            }
        }
    }

    #[test]
    fn normalising_never_panics_and_is_stable(raw in name_like()) {
        let once = normalise(&raw);
        prop_assert_eq!(normalise(&once), once.clone());
        prop_assert!(!once.starts_with(' ') && !once.ends_with(' ') && !once.contains("  "));
        let _ = name_key(&raw, &raw);
    }

    #[test]
    fn scores_stay_between_zero_and_one(
        a in name_like(), b in name_like(), c in name_like(), d in name_like(),
        year in 1900i32..2025, month in 1u32..13, day in 1u32..29,
    ) {
        let on_file = NaiveDate::from_ymd_opt(year, month, day);
        let s = score(&profile(&a, &b), BirthQuery::Year(year), &profile(&c, &d), on_file);
        prop_assert!((0.0..=1.0).contains(&s), "{}", s);
        let same = score(&profile(&a, &b), BirthQuery::Unknown, &profile(&b, &a), None);
        prop_assert!((0.0..=1.0).contains(&same));
    }

    #[test]
    fn a_name_that_passes_validation_is_trimmed_and_clean(raw in name_like()) {
        if let Ok(name) = validate_name("family_name", &raw) {
            prop_assert_eq!(name.trim(), name.as_str());
            prop_assert!(!name.chars().any(|c| c.is_control() || c == ';' || c == '"'));
            prop_assert!(name.chars().count() <= 100);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn searching_any_name_answers_without_error(family in name_like(), given in name_like()) {
        thread_local! {
            static STORE: (tempfile::TempDir, SqliteStore) = {
                let (dir, mut store) = open_temp();
                for (f, g) in [("Hossain", "Md Rahim"), ("Quispe Mamani", "Rosa"), ("محمد", "علي")] {
                    store.register(&new_walk_in(f, g, false), rome("2025-07-07 10:00")).unwrap();
                }
                (dir, store)
            };
        }
        STORE.with(|(_, store)| -> Result<(), TestCaseError> {
            let found = store.search(&family, &given, BirthQuery::Unknown, 5);
            prop_assert!(found.is_ok(), "{:?}", found.err());
            prop_assert!(found.unwrap_or_default().len() <= 5);
            Ok(())
        })?;
    }
}

/// One visit of a generated day: an arrival, and what became of its ticket.
#[derive(Debug, Clone)]
struct Visit {
    sai: bool,
    /// Seconds after the day's local midnight: early queues at the door and late appointments
    /// included.
    arrival: i64,
    fate: Fate,
    /// Seconds between one step of the ticket's life and the next (often under a minute).
    delays: Vec<i64>,
    desk: u8,
    recall: bool,
    start: bool,
    /// Where a transfer goes: the other queue or the same one.
    transfer_to_sai: bool,
    after_transfer: Fate,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Fate {
    Wait,
    Called,
    InService,
    Done,
    NoShow,
    CancelledWaiting,
    CancelledCalled,
    TransferredWaiting,
    TransferredCalled,
}

fn fate() -> impl Strategy<Value = Fate> {
    prop::sample::select(vec![
        Fate::Wait,
        Fate::Called,
        Fate::InService,
        Fate::Done,
        Fate::Done,
        Fate::Done,
        Fate::NoShow,
        Fate::CancelledWaiting,
        Fate::CancelledCalled,
        Fate::TransferredWaiting,
        Fate::TransferredCalled,
    ])
}

fn visit() -> impl Strategy<Value = Visit> {
    (
        any::<bool>(),
        0i64..25 * 3600,
        fate(),
        prop::collection::vec(prop_oneof![0i64..90, 0i64..7200], 5),
        0u8..3,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        fate().prop_filter("one transfer per visit", |f| {
            !matches!(f, Fate::TransferredWaiting | Fate::TransferredCalled)
        }),
    )
        .prop_map(
            |(sai, arrival, fate, delays, desk, recall, start, transfer_to_sai, after_transfer)| {
                Visit {
                    sai,
                    arrival,
                    fate,
                    delays,
                    desk,
                    recall,
                    start,
                    transfer_to_sai,
                    after_transfer,
                }
            },
        )
}

/// A generated day as the store would hand it over at `now`: the tickets issued so far (issue
/// order, numbered per queue), their events so far (log order), their states replayed
/// through the ticket lifecycle; plus, per access, its first arrival.
struct Day {
    tickets: Vec<TicketView>,
    events: Vec<EventRecord>,
    arrivals: Vec<DateTime<Utc>>,
}

fn queue_of(sai: bool) -> Queue {
    if sai { Queue::Sai } else { Queue::General }
}

/// A ticket's events as a script: what happens, and when.
type Script = Vec<(TicketEvent, DateTime<Utc>)>;

/// A ticket before numbering: issue, queue, access, its script and the desk that serves it.
struct RawTicket {
    issued: DateTime<Utc>,
    queue: Queue,
    access: Uuid,
    script: Script,
    desk: String,
}

/// The events of one ticket's life from `issued`, and when a transfer issues its next ticket.
fn script(
    fate: Fate,
    issued: DateTime<Utc>,
    v: &Visit,
    delays: &mut dyn Iterator<Item = i64>,
) -> (Script, Option<DateTime<Utc>>) {
    let mut at = issued;
    let mut step = |d: &mut dyn Iterator<Item = i64>| {
        at += Duration::seconds(d.next().unwrap_or(60));
        at
    };
    let mut events = vec![(TicketEvent::Issue, issued)];
    let called = !matches!(
        fate,
        Fate::Wait | Fate::CancelledWaiting | Fate::TransferredWaiting
    );
    if called {
        events.push((TicketEvent::Call, step(delays)));
        if v.recall && matches!(fate, Fate::Called | Fate::NoShow) {
            events.push((TicketEvent::Recall, step(delays)));
        }
    }
    match fate {
        Fate::InService => events.push((TicketEvent::Start, step(delays))),
        Fate::Done => {
            if v.start {
                events.push((TicketEvent::Start, step(delays)));
            }
            events.push((TicketEvent::Finish, step(delays)));
        }
        Fate::NoShow => events.push((TicketEvent::NoShow, step(delays))),
        Fate::CancelledWaiting | Fate::CancelledCalled => {
            events.push((TicketEvent::Cancel, step(delays)))
        }
        Fate::TransferredWaiting | Fate::TransferredCalled => {
            let moved = step(delays);
            events.push((TicketEvent::Transfer, moved));
            return (events, Some(moved));
        }
        Fate::Wait | Fate::Called => {}
    }
    (events, None)
}

fn generate_day(day: NaiveDate, visits: &[Visit], now: DateTime<Utc>) -> Day {
    let midnight = rome_day_bounds(day).0;
    let mut raw: Vec<RawTicket> = Vec::new();
    let mut arrivals = Vec::new();
    for (i, v) in visits.iter().enumerate() {
        let access = Uuid::from_u128(i as u128 + 1);
        let desk = format!("Sportello {}", v.desk + 1);
        let arrived = midnight + Duration::seconds(v.arrival);
        if arrived > now || rome_day(arrived) != day {
            continue;
        }
        arrivals.push(arrived);
        let mut delays = v.delays.iter().copied().cycle();
        let (events, moved) = script(v.fate, arrived, v, &mut delays);
        raw.push(RawTicket {
            issued: arrived,
            queue: queue_of(v.sai),
            access,
            script: events,
            desk: desk.clone(),
        });
        if let Some(moved) = moved.filter(|m| *m <= now) {
            let (events, _) = script(v.after_transfer, moved, v, &mut delays);
            raw.push(RawTicket {
                issued: moved,
                queue: queue_of(v.transfer_to_sai),
                access,
                script: events,
                desk,
            });
        }
    }
    raw.sort_by_key(|r| r.issued);
    let mut numbers: HashMap<Queue, u32> = HashMap::new();
    let mut tickets = Vec::new();
    let mut log: Vec<(DateTime<Utc>, usize, EventRecord)> = Vec::new();
    for RawTicket {
        issued,
        queue,
        access,
        script: events,
        desk,
    } in raw
    {
        let number = numbers.entry(queue).or_insert(0);
        *number += 1;
        let ticket = Ticket {
            queue,
            number: *number,
        };
        let mut state = TicketState::Waiting;
        let mut updated = issued;
        for (event, at) in events.into_iter().filter(|(_, at)| *at <= now) {
            if event != TicketEvent::Issue {
                state = state
                    .apply(event)
                    .expect("the generator follows the lifecycle");
            }
            updated = at;
            let seq = log.len();
            log.push((
                at,
                seq,
                EventRecord {
                    ticket,
                    day,
                    event,
                    state,
                    at,
                    desk: (event != TicketEvent::Issue).then(|| desk.clone()),
                    staff: "m".into(),
                },
            ));
        }
        tickets.push(TicketView {
            ticket,
            access_id: access,
            state,
            service: "housing".into(),
            priority: false,
            channel: Channel::WalkIn,
            arrived_at: issued,
            appointment_at: None,
            desk: None,
            languages: vec![],
            updated_at: updated,
        });
    }
    log.sort_by_key(|(at, seq, _)| (*at, *seq));
    Day {
        tickets,
        events: log.into_iter().map(|(_, _, e)| e).collect(),
        arrivals,
    }
}

/// Days with different opening hours: a Monday, a Wednesday (mornings only), and the two
/// Sundays the clocks change (closed; 23 and 25 hours long).
fn tally_day() -> impl Strategy<Value = NaiveDate> {
    prop::sample::select(vec![
        day("2025-07-07"),
        day("2025-01-15"),
        day("2025-03-30"),
        day("2025-10-26"),
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_tally_of_any_day_adds_up(
        on in tally_day(),
        visits in prop::collection::vec(visit(), 0..40),
        now_after in 0i64..25 * 3600,
    ) {
        let (midnight, end) = rome_day_bounds(on);
        let now = (midnight + Duration::seconds(now_after)).min(end - Duration::seconds(1));
        let generated = generate_day(on, &visits, now);
        let board = DayBoard::compute(&generated.tickets, &generated.events, now);

        for queue in Queue::ALL {
            let q = board.queue(queue);
            // Average and longest come from the same waits.
            match (q.average_wait_minutes, q.longest_wait_minutes) {
                (Some(average), Some(longest)) => {
                    prop_assert!(average <= longest as f64, "{queue:?}: {average} > {longest}");
                    prop_assert!(average >= 0.0);
                    // As the screen rounds it, too.
                    let shown: i64 = format!("{average:.0}").parse().unwrap_or(i64::MAX);
                    prop_assert!(shown <= longest, "{queue:?}: shows {shown} > {longest}");
                }
                (None, None) => {}
                other => prop_assert!(false, "{queue:?}: one without the other: {other:?}"),
            }
            // Each access once, in the queue its ticket ended up in.
            prop_assert_eq!(
                q.waiting + q.at_desk + q.served + q.no_show + q.cancelled,
                q.accesses,
                "{:?}: {:?}", queue, q
            );
            let here = generated
                .tickets
                .iter()
                .filter(|t| t.ticket.queue == queue && t.state != TicketState::Transferred)
                .count() as u32;
            prop_assert_eq!(q.accesses, here);
            // The estimate: nothing made up without a desk, never "~0" with people waiting.
            let desk_open = generated.events.iter().any(|e| {
                e.ticket.queue == queue
                    && e.event == TicketEvent::Call
                    && e.desk.is_some()
                    && now - e.at <= Duration::minutes(DESK_ACTIVE_WINDOW_MINUTES)
            });
            match (desk_open, q.estimated_wait_minutes) {
                (false, None) => {}
                (false, Some(m)) => prop_assert!(false, "{queue:?}: ~{m} min with no desk open"),
                (true, None) => prop_assert!(false, "{queue:?}: a desk is open, no estimate"),
                (true, Some(m)) if q.waiting > 0 => {
                    prop_assert!(m >= 1, "{queue:?}: ~{m} min with {} waiting", q.waiting)
                }
                (true, Some(m)) => prop_assert_eq!(m, 0),
            }
        }
        let per_queue: u32 = Queue::ALL.iter().map(|q| board.queue(*q).accesses).sum();
        prop_assert_eq!(per_queue, board.accesses);
        prop_assert_eq!(board.accesses as usize, generated.arrivals.len());

        // The chart: every arrival, in its Rome hour, and the opening hours at least.
        let opening = OpeningHours::default().hours_on(on);
        let chart = board.arrival_hours(opening);
        prop_assert_eq!(chart.iter().map(|(_, n)| *n).sum::<u32>(), board.accesses);
        prop_assert!(chart.windows(2).all(|w| w[1].0 == w[0].0 + 1), "no gaps: {:?}", chart);
        for arrived in &generated.arrivals {
            let hour = arrived.with_timezone(&ROME).hour();
            prop_assert!(
                chart.iter().any(|(h, n)| *h == hour && *n > 0),
                "{} (hour {}) is not in {:?}", arrived, hour, chart
            );
        }
        if let Some((open, close)) = opening {
            for hour in open.hour()..close.hour() {
                prop_assert!(chart.iter().any(|(h, _)| *h == hour), "{} open, not shown", hour);
            }
        }
    }
}
