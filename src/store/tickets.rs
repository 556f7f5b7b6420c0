//! Tickets: registration, the desks' work and the day's queue.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Actor, Called, EventRecord, Issued, Registered, Registration, Result, TicketView};
use crate::domain::{Queue, Ticket, TicketEvent, TicketState};

/// Reading the day's tickets. Plain reads: they see what was committed when they ran.
pub trait Tickets {
    /// The tickets of a day, in issue order.
    fn tickets_of_day(&self, day: NaiveDate) -> Result<Vec<TicketView>>;

    /// The event log of a day, oldest first.
    fn events_of_day(&self, day: NaiveDate) -> Result<Vec<EventRecord>>;
}

/// The writing half, inside a [`super::Tx`]: everything here is committed with the rest of
/// the transaction (its audit entry included) or not at all.
pub trait TicketWork {
    /// Find or create the visitor, record the access with its first-time flag, issue the next
    /// ticket of the day in the routed queue.
    ///
    /// Concurrency: ticket numbers are dense and unique per queue and Rome day. Two terminals
    /// registering at once are serialised by the transaction (SQLite: `BEGIN IMMEDIATE`;
    /// a server: a lock on the day's counter), so the second gets the next number; neither
    /// fails because of the other.
    ///
    /// Exactly once: see [`TicketWork::register_once`].
    fn register(&mut self, registration: &Registration, at: DateTime<Utc>) -> Result<Registered> {
        self.register_once(registration, at).map(Issued::registered)
    }

    /// [`TicketWork::register`], saying whether the ticket was issued now. When an access
    /// with the registration's `access_id` is already stored (a retry after a reply lost on
    /// the way back), nothing is written and its ticket is given again, as it was issued
    /// (its visitor, queue and first-time flag), whatever the retry's other fields say.
    fn register_once(&mut self, registration: &Registration, at: DateTime<Utc>) -> Result<Issued>;

    /// Give the desk the next waiting ticket of the day in the given queues (queue order of
    /// the domain); `None` when nobody waits.
    ///
    /// Concurrency: two desks calling at once never get the same ticket. The update is
    /// conditional on the ticket still waiting and its affected-row count is checked: a
    /// desk that lost the race to another is never handed the ticket.
    fn call_next(
        &mut self,
        desk: &str,
        queues: &[Queue],
        staff: &str,
        at: DateTime<Utc>,
    ) -> Result<Option<Called>>;

    /// Apply a lifecycle event (recall, start, finish, no-show, cancel) to a ticket of `day`.
    ///
    /// Concurrency: the state is read and written in the transaction; of two desks acting on
    /// one ticket, the second sees the first one's state and gets `StoreError::Transition`
    /// when its event no longer applies.
    fn transition(
        &mut self,
        day: NaiveDate,
        ticket: Ticket,
        event: TicketEvent,
        by: Actor<'_>,
        at: DateTime<Utc>,
    ) -> Result<TicketState>;

    /// Close a ticket as transferred and issue a new one in `queue` for `service`, linked to
    /// it. Concurrency as [`TicketWork::transition`] for the old ticket, and as
    /// [`TicketWork::register`] for the new number.
    fn transfer(
        &mut self,
        day: NaiveDate,
        ticket: Ticket,
        queue: Queue,
        service: &str,
        by: Actor<'_>,
        at: DateTime<Utc>,
    ) -> Result<Ticket>;
}
