//! Today, live: who waits, who is served, how long it takes. Computed from the day's tickets
//! and their event log, so every terminal derives the same board from the same facts.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Duration, NaiveTime, Timelike, Utc};
use uuid::Uuid;

use super::access::Queue;
use super::hours::ROME;
use super::ticket::{EventRecord, Ticket, TicketEvent, TicketState, TicketView};

/// A desk counts as open when it called someone within this window.
pub const DESK_ACTIVE_WINDOW_MINUTES: i64 = 45;
/// Service time assumed before the day has finished anyone in a queue.
pub const DEFAULT_SERVICE_MINUTES: f64 = 15.0;

/// One queue today.
///
/// Each access counts once, in the queue its ticket is in now: a ticket transferred away is
/// represented by the ticket that replaced it. So `waiting + at_desk + served + no_show +
/// cancelled == accesses`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueueBoard {
    /// The day's accesses whose ticket is in this queue.
    pub accesses: u32,
    pub waiting: u32,
    /// Called or in service right now.
    pub at_desk: u32,
    pub served: u32,
    pub no_show: u32,
    pub cancelled: u32,
    /// The mean of the day's waits (see [`wait_minutes`]); `None` before anyone has waited.
    /// Taken over exactly the waits [`Self::longest_wait_minutes`] is taken over, so it is
    /// never above it.
    pub average_wait_minutes: Option<f64>,
    /// The longest of the day's waits (see [`wait_minutes`]), people still waiting included.
    pub longest_wait_minutes: Option<i64>,
    /// Average service time today (minutes), from call or start to finish.
    pub average_service_minutes: Option<f64>,
    /// Desks that called from this queue recently.
    pub open_desks: u32,
    /// What a person joining the queue now should expect (minutes); `None` with no open desk.
    pub estimated_wait_minutes: Option<i64>,
}

/// A call shown on the waiting-room display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub ticket: Ticket,
    pub desk: String,
    pub at: DateTime<Utc>,
}

/// The day at a glance.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DayBoard {
    /// Tickets issued, a transfer's new ticket included.
    pub tickets_issued: u32,
    /// The day's accesses (with tickets): a transfer does not make a second one.
    pub accesses: u32,
    pub by_queue: BTreeMap<Queue, QueueBoard>,
    pub by_service: BTreeMap<String, u32>,
    /// Arrivals (accesses) per Europe/Rome hour of the day (index = hour), each counted at its
    /// first ticket's issue. [`DayBoard::arrival_hours`] says which hours a chart shows.
    pub arrivals_per_hour: [u32; 24],
    /// Calls and recalls, newest first.
    pub recent_calls: Vec<Call>,
}

/// How long one ticket waited, in whole minutes (to the nearest; never negative, so a call
/// stamped by a terminal whose clock runs behind does not make a negative wait).
///
/// A wait runs from the ticket's issue (the arrival in this queue: at registration, or at the
/// transfer into it) to its first call. Someone still waiting counts with the wait so far, up
/// to `now`: a queue where nobody has been called for an hour must show an hour, not nothing.
/// A ticket that left without ever being called (cancelled or transferred while waiting) has
/// no wait. Every wait figure of the board comes from this one definition, so the average can
/// never exceed the longest.
pub fn wait_minutes(
    ticket: &TicketView,
    first_call: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<i64> {
    let end = match first_call {
        Some(call) => call,
        None if ticket.state == TicketState::Waiting => now,
        None => return None,
    };
    let seconds = (end - ticket.arrived_at).num_seconds().max(0);
    Some((seconds + 30) / 60)
}

fn minutes(d: Duration) -> f64 {
    d.num_seconds() as f64 / 60.0
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

impl DayBoard {
    /// Build the board at `now` from the day's tickets (issue order) and events (log order).
    pub fn compute(tickets: &[TicketView], events: &[EventRecord], now: DateTime<Utc>) -> Self {
        let mut board = DayBoard {
            by_queue: Queue::ALL
                .iter()
                .map(|q| (*q, QueueBoard::default()))
                .collect(),
            ..DayBoard::default()
        };
        // First call and start per ticket, from the log.
        let mut first_call: HashMap<Ticket, DateTime<Utc>> = HashMap::new();
        let mut started: HashMap<Ticket, DateTime<Utc>> = HashMap::new();
        let mut finished: HashMap<Ticket, DateTime<Utc>> = HashMap::new();
        let mut desks: BTreeMap<Queue, BTreeSet<String>> = BTreeMap::new();
        for e in events {
            match e.event {
                TicketEvent::Call => {
                    first_call.entry(e.ticket).or_insert(e.at);
                    if now - e.at <= Duration::minutes(DESK_ACTIVE_WINDOW_MINUTES)
                        && let Some(d) = &e.desk
                    {
                        desks.entry(e.ticket.queue).or_default().insert(d.clone());
                    }
                }
                TicketEvent::Start => {
                    started.entry(e.ticket).or_insert(e.at);
                }
                TicketEvent::Finish => {
                    finished.insert(e.ticket, e.at);
                }
                _ => {}
            }
            if matches!(e.event, TicketEvent::Call | TicketEvent::Recall)
                && let Some(desk) = &e.desk
            {
                board.recent_calls.push(Call {
                    ticket: e.ticket,
                    desk: desk.clone(),
                    at: e.at,
                });
            }
        }
        board.recent_calls.reverse();

        // A transfer closes a ticket and issues another for the same access: the access
        // arrived when the first ticket of that chain was issued, not at the transfer.
        let mut arrived: HashMap<Uuid, DateTime<Utc>> = HashMap::new();
        for t in tickets
            .iter()
            .filter(|t| t.state == TicketState::Transferred)
        {
            arrived
                .entry(t.access_id)
                .and_modify(|a| *a = (*a).min(t.arrived_at))
                .or_insert(t.arrived_at);
        }

        let mut waits: BTreeMap<Queue, Vec<i64>> = BTreeMap::new();
        let mut services: BTreeMap<Queue, Vec<f64>> = BTreeMap::new();
        for t in tickets {
            let q = board.by_queue.entry(t.ticket.queue).or_default();
            match t.state {
                TicketState::Waiting => q.waiting += 1,
                TicketState::Called | TicketState::InService => q.at_desk += 1,
                TicketState::Done => q.served += 1,
                TicketState::NoShow => q.no_show += 1,
                TicketState::Cancelled => q.cancelled += 1,
                TicketState::Transferred => {}
            }
            if t.state != TicketState::Transferred {
                q.accesses += 1;
            }
            if let Some(w) = wait_minutes(t, first_call.get(&t.ticket).copied(), now) {
                waits.entry(t.ticket.queue).or_default().push(w);
            }
            if let Some(end) = finished.get(&t.ticket) {
                let begin = started.get(&t.ticket).or(first_call.get(&t.ticket));
                if let Some(b) = begin {
                    services
                        .entry(t.ticket.queue)
                        .or_default()
                        .push(minutes(*end - *b));
                }
            }
            board.tickets_issued += 1;
            if t.state != TicketState::Transferred {
                *board.by_service.entry(t.service.clone()).or_insert(0) += 1;
                board.accesses += 1;
                let at = arrived
                    .get(&t.access_id)
                    .map_or(t.arrived_at, |first| (*first).min(t.arrived_at));
                board.arrivals_per_hour[at.with_timezone(&ROME).hour() as usize] += 1;
            }
        }
        for (queue, q) in board.by_queue.iter_mut() {
            let queue_waits = waits.get(queue).map_or(&[][..], Vec::as_slice);
            q.longest_wait_minutes = queue_waits.iter().copied().max();
            // Whole minutes summed exactly: the mean of integers is never above their maximum.
            q.average_wait_minutes = (!queue_waits.is_empty())
                .then(|| queue_waits.iter().sum::<i64>() as f64 / queue_waits.len() as f64);
            q.average_service_minutes = services.get(queue).and_then(|s| mean(s));
            q.open_desks = desks.get(queue).map_or(0, |d| d.len() as u32);
            q.estimated_wait_minutes = estimate_wait(
                q.waiting,
                q.open_desks,
                q.average_service_minutes.unwrap_or(DEFAULT_SERVICE_MINUTES),
            );
        }
        board
    }

    /// The per-hour chart as `(hour, arrivals)`, Europe/Rome hours in order: every hour the
    /// centre is open on the day (`opening`, `None` when closed), widened to every hour with
    /// arrivals, so that no arrival is left out of the chart (an early queue at the door, a
    /// late appointment). Without a gap: a quiet hour shows as an empty bar.
    pub fn arrival_hours(&self, opening: Option<(NaiveTime, NaiveTime)>) -> Vec<(u32, u32)> {
        let open_hours = opening.and_then(|(open, close)| {
            // 9:00-17:00 opens the hours 9 to 16; 9:00-17:30 also has people in hour 17.
            let past_close = close.hour() + u32::from(close.minute() > 0 || close.second() > 0);
            (open.hour() < past_close).then(|| (open.hour(), past_close - 1))
        });
        let mut busy = (0..24u32).filter(|h| self.arrivals_per_hour[*h as usize] > 0);
        let (first_busy, last_busy) = (busy.clone().next(), busy.next_back());
        let first = open_hours
            .map(|(o, _)| o)
            .into_iter()
            .chain(first_busy)
            .min();
        let last = open_hours
            .map(|(_, c)| c)
            .into_iter()
            .chain(last_busy)
            .max();
        match (first, last) {
            (Some(first), Some(last)) => (first..=last)
                .map(|h| (h, self.arrivals_per_hour[h as usize]))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The figures of one queue (always present).
    pub fn queue(&self, queue: Queue) -> QueueBoard {
        self.by_queue.get(&queue).cloned().unwrap_or_default()
    }
}

/// The least time a desk is assumed to spend on one person. A day's average can come out
/// near zero (a desk finishing a ticket the moment it called it, to clear a mistaken call),
/// and an estimate built on it would promise "~0 min" to a room full of people.
pub const MIN_SERVICE_MINUTES: f64 = 1.0;

/// What a person joining the queue now should expect: the people ahead shared among the open
/// desks, each taking `service_minutes` (at least [`MIN_SERVICE_MINUTES`]).
///
/// `None` when no desk is open: nobody will be called, and no number of minutes is true.
/// With a desk open, rounded up, so never `Some(0)` while anyone waits; `Some(0)` only for an
/// empty queue.
pub fn estimate_wait(waiting: u32, open_desks: u32, service_minutes: f64) -> Option<i64> {
    if open_desks == 0 {
        return None;
    }
    if waiting == 0 {
        return Some(0);
    }
    // NaN or a negative average (clocks of two terminals disagreeing) falls back to the floor.
    let per_person = if service_minutes.is_nan() {
        DEFAULT_SERVICE_MINUTES
    } else {
        service_minutes.clamp(MIN_SERVICE_MINUTES, 24.0 * 60.0)
    };
    let minutes = (f64::from(waiting) * per_person / f64::from(open_desks)).ceil();
    Some((minutes as i64).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::access::Channel;
    use chrono::{NaiveDate, TimeZone};
    use uuid::Uuid;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        // July: Rome is UTC+2.
        Utc.with_ymd_and_hms(2025, 7, 7, h - 2, m, 0).unwrap()
    }
    fn ticket(q: Queue, n: u32) -> Ticket {
        Ticket {
            queue: q,
            number: n,
        }
    }
    fn view(t: Ticket, state: TicketState, arrived: DateTime<Utc>) -> TicketView {
        TicketView {
            ticket: t,
            access_id: Uuid::nil(),
            state,
            service: "housing".into(),
            priority: false,
            channel: Channel::WalkIn,
            arrived_at: arrived,
            appointment_at: None,
            desk: None,
            languages: vec![],
            updated_at: arrived,
        }
    }
    fn event(t: Ticket, e: TicketEvent, when: DateTime<Utc>, desk: &str) -> EventRecord {
        EventRecord {
            ticket: t,
            day: NaiveDate::from_ymd_opt(2025, 7, 7).unwrap(),
            event: e,
            state: TicketState::Called,
            at: when,
            desk: Some(desk.into()),
            staff: "m".into(),
        }
    }

    #[test]
    fn waits_services_and_estimates() {
        let g1 = ticket(Queue::General, 1);
        let g2 = ticket(Queue::General, 2);
        let g3 = ticket(Queue::General, 3);
        let g4 = ticket(Queue::General, 4);
        let tickets = vec![
            view(g1, TicketState::Done, at(9, 0)),
            view(g2, TicketState::InService, at(9, 10)),
            view(g3, TicketState::Waiting, at(9, 20)),
            view(g4, TicketState::Waiting, at(10, 0)),
        ];
        let events = vec![
            event(g1, TicketEvent::Call, at(9, 10), "Sportello 1"),
            event(g1, TicketEvent::Start, at(9, 12), "Sportello 1"),
            event(g1, TicketEvent::Finish, at(9, 32), "Sportello 1"),
            event(g2, TicketEvent::Call, at(9, 40), "Sportello 2"),
            event(g2, TicketEvent::Recall, at(9, 42), "Sportello 2"),
        ];
        let b = DayBoard::compute(&tickets, &events, at(10, 10));
        let q = b.queue(Queue::General);
        assert_eq!((q.waiting, q.at_desk, q.served, q.no_show), (2, 1, 1, 0));
        // 10 and 30 minutes to the call, and 50 and 10 so far for the two still waiting: the
        // same four waits the longest is taken over.
        assert_eq!(q.average_wait_minutes, Some(25.0));
        assert_eq!(q.longest_wait_minutes, Some(50)); // G-003 still waiting since 9:20
        assert_eq!(q.average_service_minutes, Some(20.0));
        // Sportello 1 last called an hour ago: only Sportello 2 counts as open.
        assert_eq!(q.open_desks, 1);
        assert_eq!(q.estimated_wait_minutes, Some(40)); // 2 people * 20 min / 1 desk
        assert_eq!(b.arrivals_per_hour[9], 3);
        assert_eq!(b.arrivals_per_hour[10], 1);
        assert_eq!(b.recent_calls[0].ticket, g2, "newest first");
        assert_eq!(b.recent_calls.len(), 3);
        assert_eq!(b.queue(Queue::Sai).estimated_wait_minutes, None);
    }

    /// Reported: one SAI visitor, called 1 min 40 s after arriving; the tally said average
    /// 2 min, longest 1 min (the longest cut the seconds off, the average kept them).
    #[test]
    fn one_sai_visitor_has_an_average_wait_no_longer_than_the_longest() {
        let s1 = ticket(Queue::Sai, 1);
        let arrived = at(9, 0);
        let tickets = vec![view(s1, TicketState::Called, arrived)];
        let events = vec![event(
            s1,
            TicketEvent::Call,
            arrived + Duration::seconds(100),
            "Sportello 1",
        )];
        let q = DayBoard::compute(&tickets, &events, at(9, 30)).queue(Queue::Sai);
        let (average, longest) = (
            q.average_wait_minutes.expect("one wait"),
            q.longest_wait_minutes.expect("one wait"),
        );
        assert!(
            average <= longest as f64,
            "average {average} > longest {longest}"
        );
        assert_eq!(
            (average, longest),
            (2.0, 2),
            "one wait of 1:40 is 2 minutes, both ways"
        );
    }

    /// Reported: three people waiting, a desk open, "~0 min": the one person served so far
    /// was finished in the same minute they were called.
    #[test]
    fn three_waiting_at_an_open_desk_never_expect_zero_minutes() {
        let g = |n| ticket(Queue::General, n);
        let tickets = vec![
            view(g(1), TicketState::Done, at(9, 0)),
            view(g(2), TicketState::Waiting, at(9, 5)),
            view(g(3), TicketState::Waiting, at(9, 6)),
            view(g(4), TicketState::Waiting, at(9, 7)),
        ];
        let events = vec![
            event(g(1), TicketEvent::Call, at(9, 10), "Sportello 1"),
            event(g(1), TicketEvent::Finish, at(9, 10), "Sportello 1"),
        ];
        let q = DayBoard::compute(&tickets, &events, at(9, 20)).queue(Queue::General);
        assert_eq!((q.waiting, q.open_desks), (3, 1));
        let estimate = q.estimated_wait_minutes.expect("a desk is open");
        assert!(estimate >= 1, "~{estimate} min with 3 people waiting");

        // An hour later nobody has called: no desk is open, and no estimate is made up.
        let later = DayBoard::compute(&tickets, &events, at(10, 20)).queue(Queue::General);
        assert_eq!(later.open_desks, 0);
        assert_eq!(later.estimated_wait_minutes, None);
    }

    /// Reported: arrivals before 8:00 and after 17:00 vanished from the per-hour chart.
    #[test]
    fn the_hour_chart_covers_opening_hours_and_every_arrival() {
        let g = |n| ticket(Queue::General, n);
        let tickets = vec![
            view(g(1), TicketState::Done, at(7, 40)),
            view(g(2), TicketState::Done, at(12, 0)),
            view(g(3), TicketState::Waiting, at(18, 10)),
        ];
        let b = DayBoard::compute(&tickets, &[], at(18, 30));
        let nine_to_five = NaiveTime::from_hms_opt(9, 0, 0).zip(NaiveTime::from_hms_opt(17, 0, 0));
        let chart = b.arrival_hours(nine_to_five);
        let hours: Vec<u32> = chart.iter().map(|(h, _)| *h).collect();
        assert_eq!(hours, (7..=18).collect::<Vec<_>>());
        assert_eq!(chart.iter().map(|(_, n)| n).sum::<u32>(), 3);
        assert_eq!(chart.first(), Some(&(7, 1)));
        assert_eq!(chart.last(), Some(&(18, 1)));

        // A quiet day shows the opening hours (9 to 16); a closed day with nobody, nothing.
        let quiet = DayBoard::default();
        let hours: Vec<u32> = quiet
            .arrival_hours(nine_to_five)
            .iter()
            .map(|(h, _)| *h)
            .collect();
        assert_eq!(hours, (9..=16).collect::<Vec<_>>());
        assert!(quiet.arrival_hours(None).is_empty());

        // One arrival only, after closing: both ends of the chart come from it.
        let late = DayBoard::compute(&tickets[2..], &[], at(18, 30));
        let hours: Vec<u32> = late
            .arrival_hours(nine_to_five)
            .iter()
            .map(|(h, _)| *h)
            .collect();
        assert_eq!(hours, (9..=18).collect::<Vec<_>>());
        assert_eq!(late.arrival_hours(None), vec![(18, 1)]);
    }

    #[test]
    fn a_transfer_is_one_access_counted_where_it_ended_and_when_it_arrived() {
        let mut first = view(
            ticket(Queue::General, 1),
            TicketState::Transferred,
            at(8, 50),
        );
        first.access_id = Uuid::from_u128(1);
        let mut moved = view(ticket(Queue::Sai, 1), TicketState::Waiting, at(9, 20));
        moved.access_id = Uuid::from_u128(1);
        let mut cancelled = view(ticket(Queue::Sai, 2), TicketState::Cancelled, at(9, 30));
        cancelled.access_id = Uuid::from_u128(2);
        let b = DayBoard::compute(&[first, moved, cancelled], &[], at(9, 40));
        assert_eq!((b.tickets_issued, b.accesses), (3, 2));
        assert_eq!(b.arrivals_per_hour[8], 1, "arrived before the transfer");
        assert_eq!(b.arrivals_per_hour[9], 1);
        let (sai, general) = (b.queue(Queue::Sai), b.queue(Queue::General));
        assert_eq!((sai.accesses, sai.waiting, sai.cancelled), (2, 1, 1));
        assert_eq!(general.accesses, 0);
    }

    #[test]
    fn no_desk_no_estimate_and_default_service_time() {
        assert_eq!(estimate_wait(4, 0, 15.0), None);
        assert_eq!(estimate_wait(4, 3, 15.0), Some(20));
        assert_eq!(estimate_wait(0, 1, 15.0), Some(0));
        assert_eq!(
            estimate_wait(3, 1, 0.0),
            Some(3),
            "a minute each at the least"
        );
        assert_eq!(
            estimate_wait(1, 4, 15.0),
            Some(4),
            "rounded up, not down to zero"
        );
        assert_eq!(estimate_wait(2, 1, -5.0), Some(2));
        assert_eq!(estimate_wait(2, 1, f64::NAN), Some(30));
    }
}
