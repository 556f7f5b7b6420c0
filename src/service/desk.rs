//! A desk's work: calling, the ticket's life, transfers, the card of the person served.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::allowed;
use crate::domain::audit::AuditAction;
use crate::domain::staff::Permission;
use crate::domain::visitor::Visitor;
use crate::domain::{Queue, Ticket, TicketEvent, TicketState};
use crate::store::{Actor, Called, Principal, Result, Store, write};

/// Call the next waiting visitor to `desk` from `queues` (all when empty).
pub fn call_next(
    store: &mut dyn Store,
    by: &Principal,
    desk: &str,
    queues: &[Queue],
    now: DateTime<Utc>,
) -> Result<Option<Called>> {
    allowed(by, Permission::DeskWork)?;
    write(store, |tx| tx.call_next(desk, queues, &by.staff, now))
}

/// Recall, start, finish, mark a no-show or cancel a ticket of `day`; `desk` `None` keeps
/// the ticket's desk (the command line closes tickets by number).
pub fn act(
    store: &mut dyn Store,
    by: &Principal,
    day: NaiveDate,
    ticket: Ticket,
    event: TicketEvent,
    desk: Option<&str>,
    now: DateTime<Utc>,
) -> Result<TicketState> {
    allowed(by, Permission::DeskWork)?;
    let actor = Actor {
        staff: &by.staff,
        desk,
    };
    write(store, |tx| tx.transition(day, ticket, event, actor, now))
}

/// Send the person to another queue for another service.
#[allow(clippy::too_many_arguments)]
pub fn transfer(
    store: &mut dyn Store,
    by: &Principal,
    day: NaiveDate,
    ticket: Ticket,
    queue: Queue,
    service: &str,
    desk: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Ticket> {
    allowed(by, Permission::DeskWork)?;
    let actor = Actor {
        staff: &by.staff,
        desk,
    };
    write(store, |tx| {
        tx.transfer(day, ticket, queue, service, actor, now)
    })
}

/// The card of the person an access belongs to, with their number of accesses; recorded as
/// opened before it is returned.
pub fn open_card(
    store: &mut dyn Store,
    by: &Principal,
    access: Uuid,
    now: DateTime<Utc>,
) -> Result<(Visitor, u32)> {
    allowed(by, Permission::VisitorCard)?;
    let card = store.visitor_of_access(access)?;
    write(store, |tx| {
        tx.audit(
            by,
            AuditAction::OpenCard,
            Some(&card.0.id.to_string()),
            &[],
            now,
        )
    })?;
    Ok(card)
}
