//! A ticket's life after the call: recall, start, finish, no-show, cancel, transfer; each an
//! event of the day's log, and anything the lifecycle does not allow refused.

use welcome_desk::domain::{Queue, Ticket, TicketEvent, TicketState};
use welcome_desk::report::report;
use welcome_desk::store::{Actor, StoreError};

use super::Engine;
use crate::common::*;

const DESK: &str = "Sportello 4";

/// A mediator acting on a ticket at their desk.
const AT_DESK: Actor<'static> = Actor {
    staff: "Luca",
    desk: None,
};

pub fn recall_start_and_finish_write_one_event_each(engine: &dyn Engine) {
    let mut reg = engine.fresh();
    let store = &mut reg.store;
    let d = day("2025-07-07");
    let r = store
        .register(
            &new_walk_in("Diallo", "Mamadou", false),
            rome("2025-07-07 09:00"),
        )
        .unwrap();
    let t = r.ticket;
    store
        .call_next(DESK, &[], "Luca", rome("2025-07-07 09:05"))
        .unwrap()
        .expect("waiting");
    let steps = [
        (TicketEvent::Recall, "2025-07-07 09:07", TicketState::Called),
        (
            TicketEvent::Start,
            "2025-07-07 09:08",
            TicketState::InService,
        ),
        (TicketEvent::Finish, "2025-07-07 09:30", TicketState::Done),
    ];
    for (event, at, state) in steps {
        assert_eq!(
            store.transition(d, t, event, AT_DESK, rome(at)).unwrap(),
            state,
            "{event:?}"
        );
        let view = &store.tickets_of_day(d).unwrap()[0];
        assert_eq!(view.state, state);
        assert_eq!(view.updated_at, rome(at));
        assert_eq!(view.desk.as_deref(), Some(DESK), "the desk is kept");
    }
    let log: Vec<_> = store
        .events_of_day(d)
        .unwrap()
        .into_iter()
        .map(|e| (e.ticket, e.event, e.state, e.at, e.desk, e.staff))
        .collect();
    let desk = Some(DESK.to_string());
    let mut expected = vec![
        (
            t,
            TicketEvent::Issue,
            TicketState::Waiting,
            rome("2025-07-07 09:00"),
            None,
            "test:reception".to_string(),
        ),
        (
            t,
            TicketEvent::Call,
            TicketState::Called,
            rome("2025-07-07 09:05"),
            desk.clone(),
            "Luca".to_string(),
        ),
    ];
    expected.extend(steps.map(|(e, at, s)| (t, e, s, rome(at), desk.clone(), "Luca".to_string())));
    assert_eq!(log, expected);
}

pub fn no_show_and_cancel_close_a_ticket_for_good(engine: &dyn Engine) {
    let mut reg = engine.fresh();
    let store = &mut reg.store;
    let d = day("2025-07-07");
    let absent = store
        .register(
            &new_walk_in("Absent", "Ali", false),
            rome("2025-07-07 09:00"),
        )
        .unwrap();
    let leaving = store
        .register(
            &new_walk_in("Leaving", "Lea", false),
            rome("2025-07-07 09:01"),
        )
        .unwrap();
    let called = store
        .call_next(DESK, &[], "Luca", rome("2025-07-07 09:05"))
        .unwrap()
        .expect("waiting");
    assert_eq!(called.ticket, absent.ticket);
    assert_eq!(
        store
            .transition(
                d,
                absent.ticket,
                TicketEvent::NoShow,
                AT_DESK,
                rome("2025-07-07 09:10")
            )
            .unwrap(),
        TicketState::NoShow
    );
    // Reception cancels a waiting ticket (the person left): no desk needed.
    let reception = Actor {
        staff: "Amina",
        desk: None,
    };
    assert_eq!(
        store
            .transition(
                d,
                leaving.ticket,
                TicketEvent::Cancel,
                reception,
                rome("2025-07-07 09:11")
            )
            .unwrap(),
        TicketState::Cancelled
    );
    // Closed tickets are never called again, nor moved.
    assert_eq!(
        store
            .call_next(DESK, &[], "Luca", rome("2025-07-07 09:12"))
            .unwrap(),
        None
    );
    for t in [absent.ticket, leaving.ticket] {
        for event in [TicketEvent::Recall, TicketEvent::Start, TicketEvent::Finish] {
            let e = store
                .transition(d, t, event, AT_DESK, rome("2025-07-07 09:13"))
                .unwrap_err();
            assert!(matches!(e, StoreError::Transition(_)), "{t} {event:?}: {e}");
        }
    }
    let states: Vec<(Ticket, TicketState)> = store
        .tickets_of_day(d)
        .unwrap()
        .into_iter()
        .map(|t| (t.ticket, t.state))
        .collect();
    assert_eq!(
        states,
        [
            (absent.ticket, TicketState::NoShow),
            (leaving.ticket, TicketState::Cancelled)
        ]
    );
    let last: Vec<(TicketEvent, String)> = store
        .events_of_day(d)
        .unwrap()
        .into_iter()
        .filter(|e| matches!(e.event, TicketEvent::NoShow | TicketEvent::Cancel))
        .map(|e| (e.event, e.staff))
        .collect();
    assert_eq!(
        last,
        [
            (TicketEvent::NoShow, "Luca".to_string()),
            (TicketEvent::Cancel, "Amina".to_string())
        ]
    );
}

pub fn an_illegal_transition_is_refused_and_changes_nothing(engine: &dyn Engine) {
    let mut reg = engine.fresh();
    let store = &mut reg.store;
    let d = day("2025-07-07");
    let r = store
        .register(
            &new_walk_in("Haile", "Saba", false),
            rome("2025-07-07 09:00"),
        )
        .unwrap();
    let snapshot = |store: &dyn welcome_desk::store::Store| {
        (
            store.tickets_of_day(d).unwrap(),
            store.events_of_day(d).unwrap(),
        )
    };
    let before = snapshot(&**store);
    // Waiting: not called yet, so it can be neither recalled, started, finished nor missed.
    for event in [
        TicketEvent::Recall,
        TicketEvent::Start,
        TicketEvent::Finish,
        TicketEvent::NoShow,
    ] {
        let e = store
            .transition(d, r.ticket, event, AT_DESK, rome("2025-07-07 09:01"))
            .unwrap_err();
        assert!(
            matches!(e, StoreError::Transition(t) if t.from == TicketState::Waiting && t.event == event),
            "{event:?}: {e}"
        );
    }
    assert_eq!(snapshot(&**store), before, "nothing changed");

    // Done: nothing moves it any more.
    store
        .call_next(DESK, &[], "Luca", rome("2025-07-07 09:05"))
        .unwrap();
    store
        .transition(
            d,
            r.ticket,
            TicketEvent::Finish,
            AT_DESK,
            rome("2025-07-07 09:20"),
        )
        .unwrap();
    let done = snapshot(&**store);
    for event in [
        TicketEvent::Recall,
        TicketEvent::Finish,
        TicketEvent::Cancel,
    ] {
        let e = store
            .transition(d, r.ticket, event, AT_DESK, rome("2025-07-07 09:21"))
            .unwrap_err();
        assert!(matches!(e, StoreError::Transition(_)), "{event:?}: {e}");
    }
    let e = store
        .transfer(
            d,
            r.ticket,
            Queue::Sai,
            "housing",
            AT_DESK,
            rome("2025-07-07 09:21"),
        )
        .unwrap_err();
    assert!(matches!(e, StoreError::Transition(_)), "{e}");
    assert_eq!(snapshot(&**store), done, "nothing changed");

    // A ticket that does not exist, or another day's.
    let missing = Ticket {
        queue: Queue::Sai,
        number: 9,
    };
    for (day, ticket) in [(d, missing), (day("2025-07-08"), r.ticket)] {
        let e = store
            .transition(
                day,
                ticket,
                TicketEvent::Cancel,
                AT_DESK,
                rome("2025-07-07 09:30"),
            )
            .unwrap_err();
        assert!(matches!(e, StoreError::NotFound(_)), "{e}");
    }
}

pub fn a_transfer_closes_the_ticket_and_links_a_new_one(engine: &dyn Engine) {
    let mut reg = engine.fresh();
    let store = &mut reg.store;
    let d = day("2025-07-07");
    // Someone already waits in the SAI queue: the transfer takes the next SAI number.
    let sai = store
        .register(
            &new_walk_in("Rahman", "Nasrin", true),
            rome("2025-07-07 08:59"),
        )
        .unwrap();
    let r = store
        .register(
            &new_walk_in("Haile", "Saba", false),
            rome("2025-07-07 09:00"),
        )
        .unwrap();
    store
        .call_next(DESK, &[Queue::General], "Luca", rome("2025-07-07 09:05"))
        .unwrap()
        .expect("waiting");
    let transferred = store
        .transfer(
            d,
            r.ticket,
            Queue::Sai,
            "psychological-support",
            AT_DESK,
            rome("2025-07-07 09:10"),
        )
        .unwrap();
    assert_eq!(
        transferred,
        Ticket {
            queue: Queue::Sai,
            number: sai.ticket.number + 1
        }
    );
    let tickets = store.tickets_of_day(d).unwrap();
    let view = |t: Ticket| tickets.iter().find(|v| v.ticket == t).unwrap();
    assert_eq!(tickets.len(), 3);
    assert_eq!(view(r.ticket).state, TicketState::Transferred);
    assert_eq!(view(r.ticket).service, "legal-administrative");
    let new = view(transferred);
    assert_eq!(new.state, TicketState::Waiting);
    assert_eq!(new.service, "psychological-support");
    assert_eq!(new.access_id, r.access_id, "the same access, linked");
    let log = store.events_of_day(d).unwrap();
    let transfer = log
        .iter()
        .find(|e| e.event == TicketEvent::Transfer)
        .expect("a transfer event");
    assert_eq!(
        (transfer.ticket, transfer.state, transfer.desk.as_deref()),
        (r.ticket, TicketState::Transferred, Some(DESK))
    );
    // The export shows both tickets under the one access.
    let held = store.export_visitor(r.visitor_id).unwrap();
    assert_eq!(held.accesses.len(), 1);
    let numbers: Vec<String> = held.accesses[0]
        .tickets
        .iter()
        .map(|t| t.ticket.clone())
        .collect();
    assert_eq!(numbers, [r.ticket.to_string(), transferred.to_string()]);
    // A transfer adds no access to the figures: one per registration.
    assert_eq!(report(&**store, d, d).unwrap().accesses, 2);
    // The SAI desk calls the waiting ones in arrival order.
    let next = |store: &mut Box<dyn welcome_desk::store::Store>| {
        store
            .call_next(
                "Sportello 1",
                &[Queue::Sai],
                "Sara",
                rome("2025-07-07 09:15"),
            )
            .unwrap()
            .map(|c| c.ticket)
    };
    assert_eq!(next(store), Some(sai.ticket));
    assert_eq!(next(store), Some(transferred));
    assert_eq!(next(store), None);
    // Another service code is refused.
    let e = store
        .transfer(
            d,
            transferred,
            Queue::General,
            "no-such-service",
            AT_DESK,
            rome("2025-07-07 09:20"),
        )
        .unwrap_err();
    assert!(e.is_bad_input(), "{e}");
}
