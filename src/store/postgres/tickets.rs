//! The two operations that must happen exactly once across PCs: issuing a ticket at
//! registration and calling the next person. Free functions over the caller's transaction,
//! as the SQLite store's `register_in` is (here `issue_in`), so that checking in an appointment
//! can issue its ticket and close its booking all or nothing.
//!
//! Concurrency contract. Every function here expects a READ COMMITTED transaction
//! (`PgStore::transaction`; PostgreSQL's default): each statement sees what other terminals
//! committed before it began, and the locks below order the statements that must not race.
//! No SERIALIZABLE: on a busy morning every desk and reception would retry each other's
//! transactions; the locks make the waiting short and explicit instead.
//!
//! Every rule (routing, queue order, lifecycle, the Rome day) is the domain's; the SQL only
//! stores and locks.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use uuid::Uuid;

use super::statements::{Reader, Tx};
use super::{PgStore, PgTx};
use crate::domain::access::{WaitingPlace, queue_order, route};
use crate::domain::hours::rome_day;
use crate::domain::matching;
use crate::domain::names::name_key;
use crate::domain::reference;
use crate::domain::visitor::{FieldError, VisitorDetails, visitor_code};
use crate::domain::{Priority, Queue, Ticket, TicketEvent, TicketState, TransitionError};
use crate::store::{
    Actor, Called, EventRecord, Issued, Registered, Registration, StoreError, TicketView,
    TicketWork, Tickets, VisitorChoice,
};

/// The advisory-lock class of ticket numbering ("WT"): with the day and the queue as the
/// second key, it serializes the issuing of numbers in one queue on one day, and nothing
/// else (the other queue, or another day, never waits).
pub const TICKET_NUMBER_LOCK: i32 = 0x5754;

/// What went wrong inside the caller's transaction: the store's refusal, or the server's
/// error still to be put in words with the server's name (`PgStore::classify`).
#[derive(Debug)]
pub enum TxError {
    Store(StoreError),
    Server(postgres::Error),
}

impl TxError {
    /// In the store's words; `server` as `PgStore::server` gives it.
    pub fn into_store(self, server: &str) -> StoreError {
        match self {
            TxError::Store(e) => e,
            TxError::Server(e) => super::classify(&e, server),
        }
    }
}

impl From<postgres::Error> for TxError {
    fn from(e: postgres::Error) -> Self {
        TxError::Server(e)
    }
}

impl From<StoreError> for TxError {
    fn from(e: StoreError) -> Self {
        TxError::Store(e)
    }
}

impl From<FieldError> for TxError {
    fn from(e: FieldError) -> Self {
        TxError::Store(e.into())
    }
}

impl From<TransitionError> for TxError {
    fn from(e: TransitionError) -> Self {
        TxError::Store(e.into())
    }
}

pub type TxResult<T> = Result<T, TxError>;

/// Times are stored in whole seconds, as the SQLite register holds them, so that both
/// engines give the same reports, the same queue order and the same backups.
pub(super) fn whole(at: DateTime<Utc>) -> DateTime<Utc> {
    at.with_nanosecond(0).unwrap_or(at)
}

pub(super) use crate::store::uuid_at;

pub(super) fn bad_value(what: &str, value: impl std::fmt::Display) -> TxError {
    TxError::Store(StoreError::Database(format!(
        "the register holds a {what} this program does not know: '{value}'"
    )))
}

pub(super) fn parse<T: std::str::FromStr>(what: &str, s: &str) -> TxResult<T> {
    s.parse().map_err(|_| bad_value(what, s))
}

pub(super) fn number_of(n: i32) -> TxResult<u32> {
    u32::try_from(n).map_err(|_| bad_value("ticket number", n))
}

/// Register an arrival, as `Store::register` does on SQLite: find or create the visitor (with
/// the search keys), record the access with its first-time flag, issue the next ticket of
/// the routed queue for the Rome day of `at` and log its first event. Returns the
/// registration (issued now or given again) and the access's row (for a booking to point
/// at).
///
/// `access_id` is made by the terminal before it sends. If an access with that id is already
/// stored (the reply to an earlier attempt was lost), nothing is written and the ticket
/// already issued is returned: a retry never makes a second ticket. Two retries racing with
/// one id: the second's insert meets the first's unique id, waits for it, and fails with a
/// unique violation, which rolls its transaction back; trying once more returns the first's
/// ticket.
///
/// Locks (READ COMMITTED):
/// - a visitor on file: its surviving record `FOR UPDATE`, so that two registrations of one
///   person at two PCs decide the first-time flag one after the other (exactly one is
///   first), and a merge committed meanwhile is followed;
/// - the number: `pg_advisory_xact_lock(TICKET_NUMBER_LOCK, day and queue)`, then the
///   largest number of that queue and day plus one. The lock is held to commit, and the
///   next holder's statement sees the committed ticket, so numbers are dense (S-001,
///   S-002, …) with no gap even when a registration rolls back. The unique constraint
///   `ticket_number_per_queue_and_day` is the server's own guarantee behind it.
///
/// A registration waiting behind another in the same queue waits for that one's commit (a
/// few milliseconds), then gets the next number; it never fails because of the other.
pub fn issue_in(
    tx: &mut Tx<'_, '_>,
    reg: &Registration,
    access_id: Uuid,
    at: DateTime<Utc>,
) -> TxResult<(Issued, i64)> {
    if let Some((done, seq)) = registered_already(tx, access_id)? {
        return Ok((Issued::Again(done), seq));
    }
    let service = reference::parse_service(&reg.service)?;
    let day = rome_day(at);
    let (visitor_seq, visitor_id, sai_on_file) = match &reg.visitor {
        VisitorChoice::New(details) => {
            let (seq, id) = insert_visitor(tx, details, None, at)?;
            (seq, id, details.sai_guest)
        }
        VisitorChoice::Existing(id) => {
            let (seq, root_id, sai) = lock_surviving_record(tx, *id)?;
            if reg.sai_guest && !sai {
                tx.execute(
                    "UPDATE visitor SET sai_guest = true WHERE seq = $1",
                    &[&seq],
                )?;
            }
            (seq, root_id, sai)
        }
    };
    let routing = route(
        sai_on_file || reg.sai_guest,
        reg.queue_override
            .as_ref()
            .map(|(q, why)| (*q, why.as_str())),
    )
    .map_err(|e| FieldError::new("queue", e.to_string()))?;
    // The first-time flag is decided in the insert itself: one round trip, the same
    // snapshot. Two EXISTS, each on an index: written as one `visitor_seq = $2 OR IN (...)`
    // the planner scanned every access (228 ms a registration at 1.4 million).
    let row = tx.query_one(
        "INSERT INTO access (id, visitor_seq, arrived_at, channel, service, queue, \
         first_time, priority, override_reason, appointment_at, source, staff) \
         SELECT $1, $2, $3, $4, $5, $6, \
         NOT EXISTS (SELECT 1 FROM access WHERE visitor_seq = $2) \
         AND NOT EXISTS (SELECT 1 FROM visitor v JOIN access a ON a.visitor_seq = v.seq \
         WHERE v.merged_into = $2), \
         $7, $8, $9, 'terminal', $10 RETURNING seq, first_time",
        &[
            &access_id,
            &visitor_seq,
            &whole(at),
            &reg.channel.code(),
            &service,
            &routing.queue.code(),
            &reg.priority.map(Priority::code),
            &routing.override_reason,
            &reg.appointment_at.map(whole),
            &reg.staff,
        ],
    )?;
    let (access_seq, first_time): (i64, bool) = (row.get(0), row.get(1));
    let (_, number) = issue_ticket(
        tx,
        access_seq,
        day,
        routing.queue,
        &service,
        reg.priority.is_some(),
        None,
        &reg.staff,
        at,
    )?;
    Ok((
        Issued::New(Registered {
            ticket: Ticket {
                queue: routing.queue,
                number,
            },
            queue: routing.queue,
            first_time,
            visitor_id,
            visitor_code: visitor_code(visitor_seq),
            access_id,
            day,
            override_reason: routing.override_reason,
        }),
        access_seq,
    ))
}

/// [`issue_in`] without saying whether the ticket was issued now (tests and tools).
pub fn register_in(
    tx: &mut Tx<'_, '_>,
    reg: &Registration,
    access_id: Uuid,
    at: DateTime<Utc>,
) -> TxResult<(Registered, i64)> {
    issue_in(tx, reg, access_id, at).map(|(issued, seq)| (issued.registered(), seq))
}

/// The registration stored under `access_id`, if any: its first ticket (a transfer's
/// ticket is not the one reception handed over).
pub(super) fn registered_already(
    tx: &mut Tx<'_, '_>,
    access_id: Uuid,
) -> TxResult<Option<(Registered, i64)>> {
    // Nearly always a new id: a one-table lookup answers that, where planning the join
    // below cost every registration about 2.5 ms on this project's machine.
    if tx
        .query_opt("SELECT 1 FROM access WHERE id = $1", &[&access_id])?
        .is_none()
    {
        return Ok(None);
    }
    let Some(row) = tx.query_opt(
        "SELECT a.seq, a.first_time, a.override_reason, v.seq, v.id, t.day, t.queue, t.number \
         FROM access a JOIN visitor v ON v.seq = a.visitor_seq \
         JOIN ticket t ON t.access_seq = a.seq AND t.transferred_from IS NULL \
         WHERE a.id = $1 ORDER BY t.seq LIMIT 1",
        &[&access_id],
    )?
    else {
        return Ok(None);
    };
    let queue: Queue = parse("queue", row.get::<_, &str>(6))?;
    let number = number_of(row.get(7))?;
    Ok(Some((
        Registered {
            ticket: Ticket { queue, number },
            queue,
            first_time: row.get(1),
            visitor_id: row.get(4),
            visitor_code: visitor_code(row.get(3)),
            access_id,
            day: row.get(5),
            override_reason: row.get(2),
        },
        row.get(0),
    )))
}

/// The surviving record of visitor `id`, locked: (seq, id, SAI status on file).
fn lock_surviving_record(tx: &mut Tx<'_, '_>, id: Uuid) -> TxResult<(i64, Uuid, bool)> {
    let row = tx
        .query_opt("SELECT seq, merged_into FROM visitor WHERE id = $1", &[&id])?
        .ok_or_else(|| StoreError::NotFound(format!("no visitor {id}")))?;
    let mut seq: i64 = row.get::<_, Option<i64>>(1).unwrap_or(row.get(0));
    // A merge may commit between the read and the lock: the locked row is the latest
    // version, so follow it until the record locked is a surviving one. Merges are one
    // level deep (a merge moves the records pointing at the merged one), so this ends.
    for _ in 0..8 {
        let row = tx.query_one(
            "SELECT id, sai_guest, merged_into FROM visitor WHERE seq = $1 FOR UPDATE",
            &[&seq],
        )?;
        match row.get::<_, Option<i64>>(2) {
            None => return Ok((seq, row.get(0), row.get(1))),
            Some(into) => seq = into,
        }
    }
    Err(StoreError::Database(format!("visitor {id}: merged in a loop")).into())
}

/// Insert a visitor with its search and frequency keys, in one statement; (seq, id).
pub fn insert_visitor(
    tx: &mut Tx<'_, '_>,
    d: &VisitorDetails,
    legacy_ref: Option<&str>,
    at: DateTime<Utc>,
) -> TxResult<(i64, Uuid)> {
    let id = uuid_at(at);
    let profile = matching::profile(&d.family_name, &d.given_name);
    let keys = profile.index_keys_with_birth(d.birth_date);
    let seq: i64 = tx
        .query_one(
            // A data-modifying WITH runs whether or not the final SELECT reads it.
            "WITH v AS (INSERT INTO visitor (id, family_name, given_name, name_key, birth_date, \
             sex, country, languages, sai_guest, phone, legacy_ref, created_at, match_profile) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING seq), \
             k AS (INSERT INTO visitor_match_key (key, visitor_seq) \
             SELECT k, v.seq FROM v, unnest($14::text[]) AS k ON CONFLICT DO NOTHING) \
             SELECT seq FROM v",
            &[
                &id,
                &d.family_name,
                &d.given_name,
                &name_key(&d.family_name, &d.given_name),
                &d.birth_date,
                &d.sex.code(),
                &d.country,
                &d.languages,
                &d.sai_guest,
                &d.phone,
                &legacy_ref,
                &whole(at),
                &profile.to_stored(),
                &keys,
            ],
        )?
        .get(0);
    Ok((seq, id))
}

/// Take the numbering lock of `queue` on Rome day `day` (see [`issue_in`]); held to
/// commit.
fn lock_numbering(tx: &mut Tx<'_, '_>, day: NaiveDate, queue: Queue) -> TxResult<()> {
    let queue_index = Queue::ALL.iter().position(|q| *q == queue).unwrap_or(0) as i32;
    let key = day.num_days_from_ce() * 2 + queue_index;
    tx.execute(
        "SELECT pg_advisory_xact_lock($1, $2)",
        &[&TICKET_NUMBER_LOCK, &key],
    )?;
    Ok(())
}

/// Issue the next ticket of `queue` on Rome day `day` for the access `access_seq`, waiting,
/// with its `issue` event; (its row, its number).
///
/// The numbering lock is taken first, in a statement of its own: under READ COMMITTED a
/// statement sees what was committed when it began, so only a statement begun after the
/// lock is held sees the ticket of whoever held it last. The number, the ticket and its
/// event are then one statement.
#[allow(clippy::too_many_arguments)]
pub fn issue_ticket(
    tx: &mut Tx<'_, '_>,
    access_seq: i64,
    day: NaiveDate,
    queue: Queue,
    service: &str,
    priority: bool,
    transferred_from: Option<i64>,
    staff: &str,
    at: DateTime<Utc>,
) -> TxResult<(i64, u32)> {
    lock_numbering(tx, day, queue)?;
    let row = tx.query_one(
        "WITH n AS (SELECT COALESCE(MAX(number), 0) + 1 AS number FROM ticket \
         WHERE day = $2 AND queue = $3), \
         t AS (INSERT INTO ticket (access_seq, day, queue, number, service, state, priority, \
         issued_at, updated_at, transferred_from) \
         SELECT $1, $2, $3, n.number, $4, $8, $5, $6, $6, $7 FROM n RETURNING seq, number), \
         e AS (INSERT INTO ticket_event (ticket_seq, at, event, state, desk, staff) \
         SELECT t.seq, $6, $9, $8, NULL, $10 FROM t) \
         SELECT seq, number FROM t",
        &[
            &access_seq,
            &day,
            &queue.code(),
            &service,
            &priority,
            &whole(at),
            &transferred_from,
            &TicketState::Waiting.code(),
            &TicketEvent::Issue.code(),
            &staff,
        ],
    )?;
    Ok((row.get(0), number_of(row.get(1))?))
}

/// Append to a ticket's event log (wait and service times and the audit come from it).
pub fn log_event(
    tx: &mut Tx<'_, '_>,
    ticket_seq: i64,
    event: TicketEvent,
    state: TicketState,
    desk: Option<&str>,
    staff: &str,
    at: DateTime<Utc>,
) -> TxResult<()> {
    tx.execute(
        "INSERT INTO ticket_event (ticket_seq, at, event, state, desk, staff) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            &ticket_seq,
            &whole(at),
            &event.code(),
            &state.code(),
            &desk,
            &staff,
        ],
    )?;
    Ok(())
}

/// A waiting ticket as call-next weighs it.
struct Waiting {
    seq: i64,
    ticket: Ticket,
    place: WaitingPlace,
    service: String,
    access_id: Uuid,
}

/// Give `desk` the next waiting ticket of the Rome day of `at` in `queues` (all queues when
/// empty), in the domain's queue order; `None` when nobody waits. Two desks never get the
/// same ticket.
///
/// How (READ COMMITTED): read the day's waiting tickets without locking, order them with
/// `domain::access::queue_order` (the order is the domain's, not an SQL `ORDER BY`), then
/// try to take them in that order with `SELECT … FOR NO KEY UPDATE SKIP LOCKED` on the one
/// row, its state re-checked: the first row locked and still waiting is this desk's. A
/// ticket another desk is calling at this moment is locked (skipped) or, once that desk has
/// committed, no longer waiting (the re-check excludes it); either way this desk moves on to
/// the next person rather than waiting. `NO KEY UPDATE` rather than `UPDATE`: the key-share
/// locks that inserting an event takes on its ticket must not hide a waiting ticket.
///
/// What a losing desk sees: the next person in order, or `None` when every waiting ticket
/// has been taken by other desks. Nothing fails and nothing is retried; if the winning
/// desk rolls back, its ticket is waiting again for the next call.
pub fn call_next_in(
    tx: &mut Tx<'_, '_>,
    desk: &str,
    queues: &[Queue],
    staff: &str,
    at: DateTime<Utc>,
) -> TxResult<Option<Called>> {
    if desk.trim().is_empty() {
        return Err(FieldError::new("desk", "is empty").into());
    }
    let day = rome_day(at);
    let queues: Vec<&str> = if queues.is_empty() {
        Queue::ALL.iter().map(|q| q.code()).collect()
    } else {
        queues.iter().map(|q| q.code()).collect()
    };
    let called_state = TicketState::Waiting.apply(TicketEvent::Call)?;
    let mut passed: Vec<i64> = Vec::new();
    let taken = 'search: loop {
        let mut waiting = Vec::new();
        for r in tx.query(
            "SELECT t.seq, t.queue, t.number, t.priority, a.appointment_at, t.issued_at, \
             t.service, a.id FROM ticket t JOIN access a ON a.seq = t.access_seq \
             WHERE t.day = $1 AND t.state = 'waiting' AND t.queue = ANY($2) \
             AND NOT (t.seq = ANY($3))",
            &[&day, &queues, &passed],
        )? {
            let queue: Queue = parse("queue", r.get::<_, &str>(1))?;
            let number = number_of(r.get(2))?;
            waiting.push(Waiting {
                seq: r.get(0),
                ticket: Ticket { queue, number },
                place: WaitingPlace {
                    priority: r.get(3),
                    appointment_at: r.get(4),
                    arrived_at: r.get(5),
                    ticket_number: number,
                },
                service: r.get(6),
                access_id: r.get(7),
            });
        }
        if waiting.is_empty() {
            return Ok(None);
        }
        waiting.sort_by(|a, b| {
            queue_order(&a.place, &b.place, at).then(a.ticket.queue.cmp(&b.ticket.queue))
        });
        for candidate in waiting {
            // Take the row if no other desk holds it and it still waits, mark it called and
            // log the call: one statement. No row back: another desk has it.
            let called = tx.query_opt(
                "WITH l AS (SELECT seq FROM ticket WHERE seq = $1 AND state = 'waiting' \
                 FOR NO KEY UPDATE SKIP LOCKED), \
                 u AS (UPDATE ticket t SET state = $2, desk = $3, updated_at = $4 FROM l \
                 WHERE t.seq = l.seq RETURNING t.seq), \
                 e AS (INSERT INTO ticket_event (ticket_seq, at, event, state, desk, staff) \
                 SELECT u.seq, $4, $5, $2, $3, $6 FROM u) \
                 SELECT seq FROM u",
                &[
                    &candidate.seq,
                    &called_state.code(),
                    &desk,
                    &whole(at),
                    &TicketEvent::Call.code(),
                    &staff,
                ],
            )?;
            if called.is_some() {
                break 'search candidate;
            }
            // Taken by another desk (or being taken): the list shrinks at every round, so
            // the search ends.
            passed.push(candidate.seq);
        }
    };
    Ok(Some(Called {
        ticket: taken.ticket,
        queue: taken.ticket.queue,
        access_id: taken.access_id,
        desk: desk.to_string(),
        service: taken.service,
        called_at: at,
    }))
}

/// Run a read of the store through `&self` and put its failure in the store's words: the
/// trait reads (`Tickets`, `Visitors`, `Reports`) are one or a few statements each, outside
/// any transaction, so each sees what was committed when it ran, as on SQLite.
pub(super) fn read<T>(
    store: &PgStore,
    work: impl FnOnce(&mut Reader<'_, '_>) -> TxResult<T>,
) -> crate::store::Result<T> {
    store
        .with_reader(work)
        .map_err(|e| e.into_store(&store.server))
}

impl Tickets for PgStore {
    fn tickets_of_day(&self, day: NaiveDate) -> crate::store::Result<Vec<TicketView>> {
        read(self, |c| {
            let mut views = Vec::new();
            for r in c.query(
                "SELECT t.queue, t.number, a.id, t.state, t.service, t.priority, a.channel, \
                 t.issued_at, a.appointment_at, t.desk, v.languages, t.updated_at \
                 FROM ticket t JOIN access a ON a.seq = t.access_seq \
                 JOIN visitor v ON v.seq = a.visitor_seq \
                 WHERE t.day = $1 ORDER BY t.seq",
                &[&day],
            )? {
                views.push(TicketView {
                    ticket: Ticket {
                        queue: parse("queue", r.get::<_, &str>(0))?,
                        number: number_of(r.get(1))?,
                    },
                    access_id: r.get(2),
                    state: parse("ticket state", r.get::<_, &str>(3))?,
                    service: r.get(4),
                    priority: r.get(5),
                    channel: parse("channel", r.get::<_, &str>(6))?,
                    arrived_at: r.get(7),
                    appointment_at: r.get(8),
                    desk: r.get(9),
                    languages: r.get(10),
                    updated_at: r.get(11),
                });
            }
            Ok(views)
        })
    }

    fn events_of_day(&self, day: NaiveDate) -> crate::store::Result<Vec<EventRecord>> {
        // The events of the day's tickets (a ticket lives within its day).
        read(self, |c| {
            let mut events = Vec::new();
            for r in c.query(
                "SELECT t.queue, t.number, t.day, e.event, e.state, e.at, e.desk, e.staff \
                 FROM ticket t JOIN ticket_event e ON e.ticket_seq = t.seq \
                 WHERE t.day = $1 ORDER BY e.seq",
                &[&day],
            )? {
                events.push(EventRecord {
                    ticket: Ticket {
                        queue: parse("queue", r.get::<_, &str>(0))?,
                        number: number_of(r.get(1))?,
                    },
                    day: r.get(2),
                    event: parse("ticket event", r.get::<_, &str>(3))?,
                    state: parse("ticket state", r.get::<_, &str>(4))?,
                    at: r.get(5),
                    desk: r.get(6),
                    staff: r.get(7),
                });
            }
            Ok(events)
        })
    }
}

/// The ticket row behind a spoken ticket of a day, locked by this transaction.
struct TicketRow {
    seq: i64,
    access_seq: i64,
    state: TicketState,
    priority: bool,
    desk: Option<String>,
}

/// Find and lock a ticket of `day`. `FOR NO KEY UPDATE`, as `call_next_in` locks: two desks
/// acting on one ticket take turns, and the second reads the state the first committed (READ
/// COMMITTED re-reads a row it waited for), so its event is checked against that state; a
/// desk calling meanwhile skips the row (`SKIP LOCKED`) rather than waiting for it. Not
/// `FOR UPDATE`, which would also wait for the key-share locks that inserting an event of
/// this ticket takes.
fn lock_ticket(tx: &mut Tx<'_, '_>, day: NaiveDate, ticket: Ticket) -> TxResult<TicketRow> {
    let number = i32::try_from(ticket.number).map_err(|_| bad_value("ticket number", ticket))?;
    let row = tx
        .query_opt(
            "SELECT seq, access_seq, state, priority, desk FROM ticket \
             WHERE day = $1 AND queue = $2 AND number = $3 FOR NO KEY UPDATE",
            &[&day, &ticket.queue.code(), &number],
        )?
        .ok_or_else(|| StoreError::NotFound(format!("no ticket {ticket} on {day}")))?;
    Ok(TicketRow {
        seq: row.get(0),
        access_seq: row.get(1),
        state: parse("ticket state", row.get::<_, &str>(2))?,
        priority: row.get(3),
        desk: row.get(4),
    })
}

/// Write a locked ticket's new state, conditional on the state it was locked in: the row is
/// ours until commit, so anything but one row changed is a bug to stop on, not a state to
/// overwrite.
fn set_state(
    tx: &mut Tx<'_, '_>,
    row: &TicketRow,
    next: TicketState,
    desk: Option<&str>,
    at: DateTime<Utc>,
) -> TxResult<()> {
    let updated = tx.execute(
        "UPDATE ticket SET state = $1, desk = $2, updated_at = $3 WHERE seq = $4 AND state = $5",
        &[&next.code(), &desk, &whole(at), &row.seq, &row.state.code()],
    )?;
    if updated != 1 {
        return Err(
            StoreError::Database(format!("ticket row {} changed while locked", row.seq)).into(),
        );
    }
    Ok(())
}

fn transition_in(
    tx: &mut Tx<'_, '_>,
    day: NaiveDate,
    ticket: Ticket,
    event: TicketEvent,
    by: Actor<'_>,
    at: DateTime<Utc>,
) -> TxResult<TicketState> {
    let Actor { staff, desk } = by;
    if matches!(
        event,
        TicketEvent::Issue | TicketEvent::Call | TicketEvent::Transfer
    ) {
        // These have their own operations, which do more than change a state (the same
        // refusal as SQLite's, before the ticket is looked up).
        return Err(TransitionError {
            from: TicketState::Waiting,
            event,
        }
        .into());
    }
    let row = lock_ticket(tx, day, ticket)?;
    let next = row.state.apply(event)?;
    let desk = desk.map(str::to_string).or(row.desk.clone());
    set_state(tx, &row, next, desk.as_deref(), at)?;
    log_event(tx, row.seq, event, next, desk.as_deref(), staff, at)?;
    Ok(next)
}

fn transfer_in(
    tx: &mut Tx<'_, '_>,
    day: NaiveDate,
    ticket: Ticket,
    queue: Queue,
    service: &str,
    by: Actor<'_>,
    at: DateTime<Utc>,
) -> TxResult<Ticket> {
    let Actor { staff, desk } = by;
    let service = reference::parse_service(service)?;
    let row = lock_ticket(tx, day, ticket)?;
    let next = row.state.apply(TicketEvent::Transfer)?;
    // The closed ticket keeps its desk (SQLite's transfer leaves it); the event names the
    // desk that transferred.
    set_state(tx, &row, next, row.desk.as_deref(), at)?;
    let desk = desk.map(str::to_string).or(row.desk.clone());
    log_event(
        tx,
        row.seq,
        TicketEvent::Transfer,
        next,
        desk.as_deref(),
        staff,
        at,
    )?;
    // The new number under the queue's numbering lock, as registration takes it; the old
    // ticket's lock is taken first, and registration never locks a ticket, so no cycle.
    let (_, number) = issue_ticket(
        tx,
        row.access_seq,
        day,
        queue,
        &service,
        row.priority,
        Some(row.seq),
        staff,
        at,
    )?;
    Ok(Ticket { queue, number })
}

impl TicketWork for PgTx<'_> {
    fn register_once(
        &mut self,
        reg: &Registration,
        at: DateTime<Utc>,
    ) -> crate::store::Result<Issued> {
        issue_in(&mut self.tx, reg, reg.access_id, at)
            .map(|(issued, _)| issued)
            .map_err(|e| self.fail(e))
    }

    fn call_next(
        &mut self,
        desk: &str,
        queues: &[Queue],
        staff: &str,
        at: DateTime<Utc>,
    ) -> crate::store::Result<Option<Called>> {
        call_next_in(&mut self.tx, desk, queues, staff, at).map_err(|e| self.fail(e))
    }

    fn transition(
        &mut self,
        day: NaiveDate,
        ticket: Ticket,
        event: TicketEvent,
        by: Actor<'_>,
        at: DateTime<Utc>,
    ) -> crate::store::Result<TicketState> {
        transition_in(&mut self.tx, day, ticket, event, by, at).map_err(|e| self.fail(e))
    }

    fn transfer(
        &mut self,
        day: NaiveDate,
        ticket: Ticket,
        queue: Queue,
        service: &str,
        by: Actor<'_>,
        at: DateTime<Utc>,
    ) -> crate::store::Result<Ticket> {
        transfer_in(&mut self.tx, day, ticket, queue, service, by, at).map_err(|e| self.fail(e))
    }
}
