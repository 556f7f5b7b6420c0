//! Ticket numbers and calls: dense per queue and Rome day whichever terminal issues them,
//! called in the domain's queue order, never twice.

use std::collections::BTreeMap;

use chrono::Duration;
use welcome_desk::domain::hours::rome_day;
use welcome_desk::domain::{Channel, Priority, Queue, Ticket, TicketState};
use welcome_desk::store::{Registration, Store, StoreError};

use super::Engine;
use crate::common::*;

pub fn numbers_are_dense_per_queue_across_terminals_and_restart_each_rome_day(engine: &dyn Engine) {
    let mut reg = engine.fresh();
    let mut second = reg.another();
    let first = &mut reg.store;
    // SAI guest or not, in arrival order; the two reception terminals take turns.
    let arrivals = [false, true, false, false, true, false, true, true, false];
    let start = rome("2025-07-07 09:00");
    let mut issued = Vec::new();
    for (i, sai) in arrivals.iter().enumerate() {
        let terminal: &mut Box<dyn Store> = if i % 2 == 0 { first } else { &mut second };
        let r = terminal
            .register(
                &new_walk_in("Hassan", &format!("Omar {i}"), *sai),
                start + Duration::minutes(i as i64),
            )
            .unwrap();
        issued.push(r.ticket);
    }
    // Expected: each queue counts 1, 2, 3... in arrival order, with no gap.
    let mut next: BTreeMap<Queue, u32> = BTreeMap::new();
    let expected: Vec<Ticket> = arrivals
        .iter()
        .map(|sai| {
            let queue = if *sai { Queue::Sai } else { Queue::General };
            let n = next.entry(queue).or_insert(0);
            *n += 1;
            Ticket { queue, number: *n }
        })
        .collect();
    assert_eq!(issued, expected);
    let listed: Vec<Ticket> = first
        .tickets_of_day(rome_day(start))
        .unwrap()
        .into_iter()
        .map(|t| t.ticket)
        .collect();
    assert_eq!(listed, expected, "the day's tickets in issue order");

    // 00:30 in Rome is still the previous day in UTC, but a new ticket day.
    let after_midnight = rome("2025-07-08 00:30");
    assert_eq!(
        after_midnight.date_naive(),
        day("2025-07-07"),
        "the case needs a UTC day that differs from the Rome day"
    );
    let g = second
        .register(&new_walk_in("Chen", "Wei", false), after_midnight)
        .unwrap();
    let s = first
        .register(&new_walk_in("Rahman", "Sumaiya", true), after_midnight)
        .unwrap();
    assert_eq!(g.day, day("2025-07-08"));
    for (r, queue) in [(&g, Queue::General), (&s, Queue::Sai)] {
        assert_eq!(r.ticket, Ticket { queue, number: 1 });
    }
    assert_eq!(first.tickets_of_day(day("2025-07-08")).unwrap().len(), 2);
    assert_eq!(
        first.tickets_of_day(day("2025-07-07")).unwrap().len(),
        arrivals.len(),
        "yesterday's tickets stay where they were"
    );
}

pub fn calls_follow_priority_then_due_appointments_then_arrival(engine: &dyn Engine) {
    let mut reg = engine.fresh();
    let store = &mut reg.store;
    let mut register = |family: &str, at: &str, sai: bool, edit: &dyn Fn(&mut Registration)| {
        let mut r = new_walk_in(family, "Test", sai);
        edit(&mut r);
        store.register(&r, rome(at)).unwrap().ticket
    };
    let a = register("Early", "2025-07-07 09:00", false, &|_| {});
    let f = register("Sai", "2025-07-07 09:01", true, &|_| {});
    let b = register("Later", "2025-07-07 09:05", false, &|_| {});
    let due = register("Booked", "2025-07-07 09:10", false, &|r| {
        r.channel = Channel::Appointment;
        r.appointment_at = Some(rome("2025-07-07 09:30"));
    });
    let not_due = register("Booked Later", "2025-07-07 09:12", false, &|r| {
        r.channel = Channel::Appointment;
        r.appointment_at = Some(rome("2025-07-07 11:00"));
    });
    let vulnerable = register("Pregnant", "2025-07-07 09:20", false, &|r| {
        r.priority = Some(Priority::Pregnancy);
    });

    // At 09:40: priority first; then the appointment already due; then arrival order across
    // both queues, where an appointment not yet due is a plain arrival (09:12).
    let now = rome("2025-07-07 09:40");
    let expected = [vulnerable, due, a, f, b, not_due];
    let mut called = Vec::new();
    while let Some(c) = store.call_next("Sportello 1", &[], "m", now).unwrap() {
        assert_eq!(c.desk, "Sportello 1");
        assert_eq!(c.queue, c.ticket.queue);
        assert_eq!(c.called_at, now);
        called.push(c.ticket);
        assert!(called.len() <= expected.len(), "called again: {called:?}");
    }
    assert_eq!(called, expected);
    let states: Vec<TicketState> = store
        .tickets_of_day(day("2025-07-07"))
        .unwrap()
        .into_iter()
        .map(|t| t.state)
        .collect();
    assert_eq!(states, vec![TicketState::Called; expected.len()]);
}

pub fn a_desk_calls_only_its_queues_and_only_today(engine: &dyn Engine) {
    let mut reg = engine.fresh();
    let store = &mut reg.store;
    let at = rome("2025-07-08 09:10");
    assert_eq!(
        store.call_next("Sportello 1", &[], "m", at).unwrap(),
        None,
        "nobody waits in a new register"
    );
    // Left waiting yesterday: a ticket lives within its day.
    store
        .register(
            &new_walk_in("Hassan", "Omar", false),
            rome("2025-07-07 16:50"),
        )
        .unwrap();
    assert_eq!(store.call_next("Sportello 1", &[], "m", at).unwrap(), None);
    let sai = store
        .register(
            &new_walk_in("Rahman", "Nasrin", true),
            rome("2025-07-08 09:00"),
        )
        .unwrap();
    assert_eq!(
        store
            .call_next("Sportello 1", &[Queue::General], "m", at)
            .unwrap(),
        None,
        "only an SAI ticket waits"
    );
    let called = store
        .call_next("Sportello 2", &[Queue::Sai], "m", at)
        .unwrap()
        .expect("the SAI ticket");
    assert_eq!(called.ticket, sai.ticket);
    assert_eq!(called.access_id, sai.access_id);
    assert_eq!(called.service, "legal-administrative");
    assert_eq!(
        store
            .call_next("Sportello 2", &[Queue::Sai], "m", at)
            .unwrap(),
        None
    );
    let waiting_yesterday = store.tickets_of_day(day("2025-07-07")).unwrap();
    assert_eq!(waiting_yesterday[0].state, TicketState::Waiting);
    // A call needs a desk.
    assert!(matches!(
        store.call_next(" ", &[], "m", at),
        Err(StoreError::Input(_))
    ));
}

pub fn two_desks_on_two_connections_never_get_the_same_ticket(engine: &dyn Engine) {
    let mut reg = engine.fresh();
    let mut other = reg.another();
    let start = rome("2025-07-07 09:00");
    let mut issued = Vec::new();
    for i in 0..16 {
        let r = reg
            .store
            .register(
                &new_walk_in("Mohamed", &format!("Ahmed {i}"), i % 3 == 0),
                start + Duration::minutes(i),
            )
            .unwrap();
        issued.push(r.ticket);
    }
    let now = rome("2025-07-07 10:00");
    // The second connection reaches the same register: it calls the first arrival...
    let opening = other
        .call_next("Sportello 2", &[], "Sportello 2", now)
        .unwrap()
        .expect("the register's first ticket");
    assert_eq!(opening.ticket, issued[0]);
    // ...then two desks call at the same time, each on its own connection, until nobody waits.
    let drain = |store: &mut dyn Store, desk: &str| {
        let mut got = Vec::new();
        while let Some(c) = store.call_next(desk, &[], desk, now).unwrap() {
            got.push(c.ticket);
        }
        got
    };
    let (one, two) = std::thread::scope(|s| {
        let first = &mut *reg.store;
        let second = &mut *other;
        let a = s.spawn(|| drain(first, "Sportello 1"));
        let b = s.spawn(|| drain(second, "Sportello 2"));
        (a.join().unwrap(), b.join().unwrap())
    });
    let two: Vec<Ticket> = std::iter::once(opening.ticket).chain(two).collect();
    let mut all: Vec<Ticket> = one.iter().chain(&two).copied().collect();
    all.sort();
    issued.sort();
    assert_eq!(all, issued, "every ticket called exactly once");
    // Each ticket is at the desk that called it, as both terminals see it.
    let seen = reg.store.tickets_of_day(day("2025-07-07")).unwrap();
    assert_eq!(other.tickets_of_day(day("2025-07-07")).unwrap(), seen);
    for t in seen {
        let desk = if one.contains(&t.ticket) {
            "Sportello 1"
        } else {
            "Sportello 2"
        };
        assert_eq!(t.state, TicketState::Called);
        assert_eq!(t.desk.as_deref(), Some(desk), "{}", t.ticket);
    }
}
