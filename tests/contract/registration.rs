//! Registration: the visitor found or created, the first-time flag decided by the store,
//! the queue routed (or overridden, with its reason), and who registered.

use welcome_desk::domain::hours::rome_day;
use welcome_desk::domain::matching::BirthQuery;
use welcome_desk::domain::staff::Role;
use welcome_desk::domain::{Queue, TicketEvent};
use welcome_desk::service;
use welcome_desk::store::{Principal, StoreError, VisitorChoice};

use super::Engine;
use crate::common::*;

pub fn a_new_visitor_is_a_first_access_and_a_returning_one_is_not(engine: &dyn Engine) {
    let mut reg = engine.fresh();
    let store = &mut reg.store;
    // A name in Arabic script is kept as typed.
    let mut details = person("حسن", "Omar", false);
    details.birth_date = Some(day("1990-03-04"));
    details.phone = Some("+39 333 1234567".into());
    let at = rome("2025-07-07 09:00");
    let first = store
        .register(&walk_in(VisitorChoice::New(details.clone()), "housing"), at)
        .unwrap();
    assert!(first.first_time);
    assert_eq!(first.day, rome_day(at));
    let on_file = store.visitor(first.visitor_id).unwrap();
    assert_eq!(on_file.details, details);
    assert_eq!(on_file.code, first.visitor_code);
    let by_code = store.visitor_by_reference(&first.visitor_code).unwrap();
    assert_eq!(by_code.id, first.visitor_id);
    let by_id = store
        .visitor_by_reference(&first.visitor_id.to_string())
        .unwrap();
    assert_eq!(by_id.id, first.visitor_id);

    // Back a week later.
    let again = store
        .register(
            &walk_in(VisitorChoice::Existing(first.visitor_id), "other"),
            rome("2025-07-14 10:00"),
        )
        .unwrap();
    assert!(!again.first_time);
    assert_eq!(again.visitor_id, first.visitor_id);
    assert_ne!(again.access_id, first.access_id);
    let (visitor, visits) = store.visitor_of_access(again.access_id).unwrap();
    assert_eq!((visitor.id, visits), (first.visitor_id, 2));

    // Someone else with the same names is another person: a first access again.
    let namesake = store
        .register(
            &walk_in(VisitorChoice::New(details), "housing"),
            rome("2025-07-14 10:05"),
        )
        .unwrap();
    assert!(namesake.first_time);
    assert_ne!(namesake.visitor_id, first.visitor_id);
    assert_ne!(namesake.visitor_code, first.visitor_code);

    // A visitor that is not on file is refused, and nothing is stored.
    let before = store.tickets_of_day(day("2025-07-14")).unwrap();
    let unknown = store.register(
        &walk_in(VisitorChoice::Existing(uuid::Uuid::now_v7()), "housing"),
        rome("2025-07-14 10:10"),
    );
    assert!(
        matches!(unknown, Err(StoreError::NotFound(_))),
        "{unknown:?}"
    );
    assert_eq!(store.tickets_of_day(day("2025-07-14")).unwrap(), before);
    assert!(matches!(
        store.visitor(uuid::Uuid::now_v7()),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.visitor_of_access(uuid::Uuid::now_v7()),
        Err(StoreError::NotFound(_))
    ));
}

pub fn sai_guests_go_to_their_queue_and_an_override_needs_a_reason(engine: &dyn Engine) {
    let mut reg = engine.fresh();
    let store = &mut reg.store;
    let d = day("2025-07-07");
    let guest = store
        .register(
            &new_walk_in("Rahman", "Nasrin", true),
            rome("2025-07-07 09:00"),
        )
        .unwrap();
    assert_eq!(guest.queue, Queue::Sai);
    assert_eq!(guest.ticket.queue, Queue::Sai);
    assert_eq!(guest.override_reason, None);
    let other = store
        .register(
            &new_walk_in("Quispe", "Rosa", false),
            rome("2025-07-07 09:01"),
        )
        .unwrap();
    assert_eq!(other.queue, Queue::General);
    assert_eq!(other.ticket.queue, Queue::General);

    // Back without the SAI box ticked: the register remembers.
    let back = store
        .register(
            &walk_in(VisitorChoice::Existing(guest.visitor_id), "housing"),
            rome("2025-07-07 11:00"),
        )
        .unwrap();
    assert_eq!(back.queue, Queue::Sai);
    // Ticked now for someone on file: added to the file, and routed to SAI.
    let mut now_sai = walk_in(VisitorChoice::Existing(other.visitor_id), "housing");
    now_sai.sai_guest = true;
    let moved = store.register(&now_sai, rome("2025-07-07 11:05")).unwrap();
    assert_eq!(moved.queue, Queue::Sai);
    assert!(store.visitor(other.visitor_id).unwrap().details.sai_guest);

    // An override without a reason is refused and stores nothing.
    let before = store.tickets_of_day(d).unwrap();
    let mut overridden = new_walk_in("Tesfaye", "Yonas", false);
    overridden.queue_override = Some((Queue::Sai, "  ".into()));
    let refused = store.register(&overridden, rome("2025-07-07 11:10"));
    assert!(
        matches!(refused, Err(StoreError::Input(ref e)) if e.field == "queue"),
        "{refused:?}"
    );
    assert_eq!(store.tickets_of_day(d).unwrap(), before);
    let reason = "SAI card not yet issued";
    overridden.queue_override = Some((Queue::Sai, reason.into()));
    let ok = store
        .register(&overridden, rome("2025-07-07 11:10"))
        .unwrap();
    assert_eq!(ok.queue, Queue::Sai);
    assert_eq!(ok.override_reason.as_deref(), Some(reason));
    let held = store.export_visitor(ok.visitor_id).unwrap();
    assert_eq!(held.accesses.len(), 1);
    assert_eq!(held.accesses[0].queue, Queue::Sai);
    assert_eq!(held.accesses[0].override_reason.as_deref(), Some(reason));
    // Choosing the proposed queue is no override: no reason is kept.
    let mut same = new_walk_in("Mamani", "Ana", true);
    same.queue_override = Some((Queue::Sai, "as proposed".into()));
    let same = store.register(&same, rome("2025-07-07 11:15")).unwrap();
    assert_eq!(same.override_reason, None);
}

pub fn the_staff_who_acted_is_stored_and_exported(engine: &dyn Engine) {
    let mut reg = engine.fresh();
    let store = &mut reg.store;
    let mut registration = new_walk_in("Diallo", "Mamadou", false);
    registration.staff = "Amina Reception-Front".into();
    let r = store
        .register(&registration, rome("2025-07-07 09:00"))
        .unwrap();
    let mediator = "Luca Mediator-Desk";
    store
        .call_next("Sportello 3", &[], mediator, rome("2025-07-07 09:05"))
        .unwrap()
        .expect("one waiting");

    let held = store.export_visitor(r.visitor_id).unwrap();
    assert_eq!(held.records.len(), 1);
    assert_eq!(held.records[0].visitor.details.family_name, "Diallo");
    assert_eq!(held.accesses.len(), 1);
    let access = &held.accesses[0];
    assert_eq!(access.id, r.access_id);
    assert_eq!(access.staff, registration.staff);
    assert_eq!(access.service, registration.service);
    assert!(access.first_time);
    assert_eq!(access.tickets.len(), 1);
    let ticket = &access.tickets[0];
    assert_eq!(ticket.ticket, r.ticket.to_string());
    assert_eq!(ticket.desk.as_deref(), Some("Sportello 3"));
    let events: Vec<(&str, &str, Option<&str>)> = ticket
        .events
        .iter()
        .map(|e| (e.event.as_str(), e.staff.as_str(), e.desk.as_deref()))
        .collect();
    assert_eq!(
        events,
        [
            (TicketEvent::Issue.code(), registration.staff.as_str(), None),
            (TicketEvent::Call.code(), mediator, Some("Sportello 3")),
        ]
    );
    // The day's log says the same.
    let log = store.events_of_day(r.day).unwrap();
    let staff: Vec<&str> = log.iter().map(|e| e.staff.as_str()).collect();
    assert_eq!(staff, [registration.staff.as_str(), mediator]);
}

/// A registration sent again with the access id of one already stored (the reply to the
/// first send was lost on the way back) stores nothing and gets the ticket already issued:
/// the same ticket, visitor and flags as issued, even when a field was changed meanwhile; no
/// second access, ticket or visitor, and no second `create` entry in the trail. Another
/// arrival takes a new id and gets the next ticket.
pub fn a_registration_sent_again_gets_the_ticket_already_issued(engine: &dyn Engine) {
    let mut reg = engine.fresh();
    let mut other_pc = reg.another();
    let store = &mut reg.store;
    let amina = Principal {
        staff: "Amina".into(),
        role: Role::Reception,
        terminal: "terminal:front-1".into(),
    };
    let d = day("2025-07-07");
    let sent = new_walk_in("Okafor", "Chidi", false);
    let first =
        service::reception::register(store.as_mut(), &amina, &sent, rome("2025-07-07 09:00"))
            .unwrap();
    assert!(first.first_time);
    assert_eq!(
        first.access_id, sent.access_id,
        "the sender's id is the access's"
    );

    let mut edited = sent.clone();
    edited.service = "housing".into();
    edited.sai_guest = true;
    let retry =
        service::reception::register(store.as_mut(), &amina, &edited, rome("2025-07-07 09:01"))
            .unwrap();
    assert_eq!(retry, first);
    // Sent again on another connection (the terminal reconnected, or another PC's script).
    let elsewhere = other_pc.register(&sent, rome("2025-07-07 09:02")).unwrap();
    assert_eq!(elsewhere, first);

    let tickets = store.tickets_of_day(d).unwrap();
    assert_eq!(tickets.len(), 1, "{tickets:?}");
    assert_eq!(tickets[0].access_id, first.access_id);
    assert_eq!(tickets[0].service, "legal-administrative");
    assert_eq!(
        store
            .export_visitor(first.visitor_id)
            .unwrap()
            .accesses
            .len(),
        1
    );
    let namesakes = store
        .search("Okafor", "Chidi", BirthQuery::Unknown, 10)
        .unwrap();
    assert_eq!(namesakes.len(), 1, "one visitor");
    let creates = store
        .audit_trail(d, d)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "create")
        .count();
    assert_eq!(creates, 1, "one entry for one access");

    // Back in the afternoon: a new arrival, a new id, the next ticket.
    let back = walk_in(VisitorChoice::Existing(first.visitor_id), "housing");
    assert_ne!(back.access_id, sent.access_id);
    let next =
        service::reception::register(store.as_mut(), &amina, &back, rome("2025-07-07 15:00"))
            .unwrap();
    assert_ne!(next.ticket, first.ticket);
    assert!(!next.first_time);
    assert_eq!(store.tickets_of_day(d).unwrap().len(), 2);
}
