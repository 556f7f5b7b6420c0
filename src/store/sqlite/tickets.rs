//! Tickets: registration, the desks' work and the day's queue.

use super::visitors::{insert_visitor, visitor_seq_of};
use super::*;
use crate::store::{TicketWork, Tickets};

fn next_ticket_number(tx: &Transaction<'_>, day: NaiveDate, queue: Queue) -> Result<u32> {
    let max: u32 = tx
        .prepare_cached(
            "SELECT COALESCE(MAX(number), 0) FROM ticket WHERE day = ?1 AND queue = ?2",
        )?
        .query_row(params![day.to_string(), queue.code()], |r| r.get(0))?;
    Ok(max + 1)
}

#[allow(clippy::too_many_arguments)]
fn insert_ticket(
    tx: &Transaction<'_>,
    access_seq: i64,
    day: NaiveDate,
    queue: Queue,
    number: u32,
    service: &str,
    priority: bool,
    transferred_from: Option<i64>,
    staff: &str,
    at: DateTime<Utc>,
) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO ticket (access_seq, day, queue, number, service, state, priority, \
         issued_at, updated_at, transferred_from) \
         VALUES (?1, ?2, ?3, ?4, ?5, 'waiting', ?6, ?7, ?7, ?8)",
    )?
    .execute(params![
        access_seq,
        day.to_string(),
        queue.code(),
        number,
        service,
        priority,
        secs(at),
        transferred_from
    ])?;
    let seq = tx.last_insert_rowid();
    log_event(
        tx,
        seq,
        TicketEvent::Issue,
        TicketState::Waiting,
        None,
        staff,
        at,
    )?;
    Ok(seq)
}

fn log_event(
    tx: &Transaction<'_>,
    ticket_seq: i64,
    event: TicketEvent,
    state: TicketState,
    desk: Option<&str>,
    staff: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO ticket_event (ticket_seq, at, event, state, desk, staff) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        ticket_seq,
        secs(at),
        event.code(),
        state.code(),
        desk,
        staff
    ])?;
    Ok(())
}

/// The ticket row behind a spoken ticket of a day.
struct TicketRow {
    seq: i64,
    access_seq: i64,
    state: TicketState,
    priority: bool,
    desk: Option<String>,
}

fn find_ticket(tx: &Transaction<'_>, day: NaiveDate, ticket: Ticket) -> Result<TicketRow> {
    tx.prepare_cached(
        "SELECT seq, access_seq, state, priority, desk FROM ticket \
         WHERE day = ?1 AND queue = ?2 AND number = ?3",
    )?
    .query_row(
        params![day.to_string(), ticket.queue.code(), ticket.number],
        |r| {
            Ok(TicketRow {
                seq: r.get(0)?,
                access_seq: r.get(1)?,
                state: parse_code(&r.get::<_, String>(2)?)?,
                priority: r.get(3)?,
                desk: r.get(4)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("no ticket {ticket} on {day}")))
}

/// Registration inside the caller's `BEGIN IMMEDIATE` transaction, so that checking in an
/// appointment issues its ticket and closes the booking all or nothing. Also returns the
/// access's row, for the booking to point at.
///
/// The access takes the registration's `access_id`. When an access with that id is already
/// stored (the same registration sent again), nothing is written and its ticket is given
/// again: `BEGIN IMMEDIATE` orders two sends of one registration, so the second always
/// sees the first.
pub(super) fn register_in(
    tx: &Transaction<'_>,
    reg: &Registration,
    at: DateTime<Utc>,
) -> Result<(Issued, i64)> {
    if let Some((done, access_seq)) = registered_already(tx, reg.access_id)? {
        return Ok((Issued::Again(done), access_seq));
    }
    let service = reference::parse_service(&reg.service)?;
    let day = rome_day(at);
    let (visitor_seq, visitor_id, sai_on_file) = match &reg.visitor {
        VisitorChoice::New(details) => {
            let (seq, id) = insert_visitor(tx, details, None, at)?;
            (seq, id, details.sai_guest)
        }
        VisitorChoice::Existing(id) => {
            // A merged record's accesses go to the surviving record.
            let (seq, merged_into) = visitor_seq_of(tx, *id)?;
            let seq = merged_into.unwrap_or(seq);
            let (root_id, sai): (String, bool) = tx
                .prepare_cached("SELECT id, sai_guest FROM visitor WHERE seq = ?1")?
                .query_row([seq], |r| Ok((r.get(0)?, r.get(1)?)))?;
            if reg.sai_guest && !sai {
                tx.execute("UPDATE visitor SET sai_guest = 1 WHERE seq = ?1", [seq])?;
            }
            (seq, parse_uuid(&root_id)?, sai)
        }
    };
    let routing = route(
        sai_on_file || reg.sai_guest,
        reg.queue_override
            .as_ref()
            .map(|(q, why)| (*q, why.as_str())),
    )
    .map_err(|e| FieldError::new("queue", e.to_string()))?;
    let first_time = !tx
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM access WHERE visitor_seq IN \
             (SELECT ?1 UNION SELECT seq FROM visitor WHERE merged_into = ?1))",
        )?
        .query_row([visitor_seq], |r| r.get::<_, bool>(0))?;
    let access_id = reg.access_id;
    tx.prepare_cached(
        "INSERT INTO access (id, visitor_seq, arrived_at, channel, service, queue, \
         first_time, priority, override_reason, appointment_at, source, staff) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'terminal', ?11)",
    )?
    .execute(params![
        access_id.to_string(),
        visitor_seq,
        secs(at),
        reg.channel.code(),
        service,
        routing.queue.code(),
        first_time,
        reg.priority.map(Priority::code),
        routing.override_reason,
        reg.appointment_at.map(secs),
        reg.staff,
    ])?;
    let access_seq = tx.last_insert_rowid();
    let number = next_ticket_number(tx, day, routing.queue)?;
    insert_ticket(
        tx,
        access_seq,
        day,
        routing.queue,
        number,
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

/// The registration stored under `access_id`, if any, with its access's row: its first
/// ticket (a transfer's ticket is not the one reception handed over).
pub(super) fn registered_already(
    tx: &Transaction<'_>,
    access_id: Uuid,
) -> Result<Option<(Registered, i64)>> {
    let found = tx
        .prepare_cached(
            "SELECT a.seq, a.first_time, a.override_reason, v.seq, v.id, t.day, t.queue, \
             t.number \
             FROM access a JOIN visitor v ON v.seq = a.visitor_seq \
             JOIN ticket t ON t.access_seq = a.seq AND t.transferred_from IS NULL \
             WHERE a.id = ?1 ORDER BY t.seq LIMIT 1",
        )?
        .query_row([access_id.to_string()], |r| {
            let queue: Queue = parse_code(&r.get::<_, String>(6)?)?;
            Ok((
                Registered {
                    ticket: Ticket {
                        queue,
                        number: r.get(7)?,
                    },
                    queue,
                    first_time: r.get(1)?,
                    visitor_id: parse_uuid(&r.get::<_, String>(4)?)?,
                    visitor_code: visitor_code(r.get(3)?),
                    access_id,
                    day: parse_day(&r.get::<_, String>(5)?)?,
                    override_reason: r.get(2)?,
                },
                r.get(0)?,
            ))
        })
        .optional()?;
    Ok(found)
}

impl Tickets for SqliteStore {
    fn tickets_of_day(&self, day: NaiveDate) -> Result<Vec<TicketView>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT t.queue, t.number, a.id, t.state, t.service, t.priority, a.channel, \
             t.issued_at, a.appointment_at, t.desk, v.languages, t.updated_at \
             FROM ticket t JOIN access a ON a.seq = t.access_seq \
             JOIN visitor v ON v.seq = a.visitor_seq \
             WHERE t.day = ?1 ORDER BY t.seq",
        )?;
        let rows = stmt.query_map([day.to_string()], |r| {
            let languages: String = r.get(10)?;
            Ok(TicketView {
                ticket: Ticket {
                    queue: parse_code(&r.get::<_, String>(0)?)?,
                    number: r.get(1)?,
                },
                access_id: parse_uuid(&r.get::<_, String>(2)?)?,
                state: parse_code(&r.get::<_, String>(3)?)?,
                service: r.get(4)?,
                priority: r.get(5)?,
                channel: parse_code(&r.get::<_, String>(6)?)?,
                arrived_at: from_secs(r.get(7)?)?,
                appointment_at: r.get::<_, Option<i64>>(8)?.map(from_secs).transpose()?,
                desk: r.get(9)?,
                languages: languages
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
                updated_at: from_secs(r.get(11)?)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn events_of_day(&self, day: NaiveDate) -> Result<Vec<EventRecord>> {
        // The events of the day's tickets (a ticket lives within its day).
        let mut stmt = self.conn.prepare_cached(
            "SELECT t.queue, t.number, t.day, e.event, e.state, e.at, e.desk, e.staff \
             FROM ticket t JOIN ticket_event e ON e.ticket_seq = t.seq \
             WHERE t.day = ?1 ORDER BY e.seq",
        )?;
        let rows = stmt.query_map([day.to_string()], |r| {
            Ok(EventRecord {
                ticket: Ticket {
                    queue: parse_code(&r.get::<_, String>(0)?)?,
                    number: r.get(1)?,
                },
                day: parse_day(&r.get::<_, String>(2)?)?,
                event: parse_code(&r.get::<_, String>(3)?)?,
                state: parse_code(&r.get::<_, String>(4)?)?,
                at: from_secs(r.get(5)?)?,
                desk: r.get(6)?,
                staff: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl TicketWork for SqliteTx<'_> {
    fn register_once(&mut self, reg: &Registration, at: DateTime<Utc>) -> Result<Issued> {
        let (issued, _) = register_in(&self.tx, reg, at)?;
        Ok(issued)
    }

    fn call_next(
        &mut self,
        desk: &str,
        queues: &[Queue],
        staff: &str,
        at: DateTime<Utc>,
    ) -> Result<Option<Called>> {
        if desk.trim().is_empty() {
            return Err(FieldError::new("desk", "is empty").into());
        }
        let day = rome_day(at);
        let queues: Vec<Queue> = if queues.is_empty() {
            Queue::ALL.to_vec()
        } else {
            queues.to_vec()
        };
        let tx = &self.tx;
        let mut waiting: Vec<(i64, Ticket, WaitingPlace, String, String)> = Vec::new();
        {
            let mut stmt = tx.prepare_cached(
                "SELECT t.seq, t.queue, t.number, t.priority, a.appointment_at, t.issued_at, \
                 t.service, a.id FROM ticket t JOIN access a ON a.seq = t.access_seq \
                 WHERE t.day = ?1 AND t.state = 'waiting'",
            )?;
            let rows = stmt.query_map([day.to_string()], |r| {
                let queue: Queue = parse_code(&r.get::<_, String>(1)?)?;
                let number: u32 = r.get(2)?;
                Ok((
                    r.get::<_, i64>(0)?,
                    Ticket { queue, number },
                    WaitingPlace {
                        priority: r.get(3)?,
                        appointment_at: r.get::<_, Option<i64>>(4)?.map(from_secs).transpose()?,
                        arrived_at: from_secs(r.get(5)?)?,
                        ticket_number: number,
                    },
                    r.get::<_, String>(6)?,
                    r.get::<_, String>(7)?,
                ))
            })?;
            for row in rows {
                let row = row?;
                if queues.contains(&row.1.queue) {
                    waiting.push(row);
                }
            }
        }
        let Some((seq, ticket, _, service, access_id)) = waiting
            .into_iter()
            .min_by(|a, b| queue_order(&a.2, &b.2, at).then(a.1.queue.cmp(&b.1.queue)))
        else {
            return Ok(None);
        };
        let state = TicketState::Waiting.apply(TicketEvent::Call)?;
        let called = tx
            .prepare_cached(
                "UPDATE ticket SET state = ?1, desk = ?2, updated_at = ?3 \
                 WHERE seq = ?4 AND state = 'waiting'",
            )?
            .execute(params![state.code(), desk, secs(at), seq])?;
        if called != 1 {
            // Unreachable under the write lock taken at `begin`; were it ever reached (an
            // engine with weaker locking), the desk must not be handed a ticket another won.
            return Err(StoreError::Busy(BUSY_TIMEOUT_SECS));
        }
        log_event(tx, seq, TicketEvent::Call, state, Some(desk), staff, at)?;
        Ok(Some(Called {
            ticket,
            queue: ticket.queue,
            access_id: parse_uuid(&access_id)?,
            desk: desk.to_string(),
            service,
            called_at: at,
        }))
    }

    fn transition(
        &mut self,
        day: NaiveDate,
        ticket: Ticket,
        event: TicketEvent,
        by: Actor<'_>,
        at: DateTime<Utc>,
    ) -> Result<TicketState> {
        let Actor { staff, desk } = by;
        if matches!(
            event,
            TicketEvent::Issue | TicketEvent::Call | TicketEvent::Transfer
        ) {
            // These have their own operations, which do more than change a state.
            return Err(StoreError::Transition(crate::domain::TransitionError {
                from: TicketState::Waiting,
                event,
            }));
        }
        let tx = &self.tx;
        let row = find_ticket(tx, day, ticket)?;
        let next = row.state.apply(event)?;
        let desk = desk.map(str::to_string).or(row.desk);
        tx.prepare_cached(
            "UPDATE ticket SET state = ?1, desk = ?2, updated_at = ?3 WHERE seq = ?4",
        )?
        .execute(params![next.code(), desk, secs(at), row.seq])?;
        log_event(tx, row.seq, event, next, desk.as_deref(), staff, at)?;
        Ok(next)
    }

    fn transfer(
        &mut self,
        day: NaiveDate,
        ticket: Ticket,
        queue: Queue,
        service: &str,
        by: Actor<'_>,
        at: DateTime<Utc>,
    ) -> Result<Ticket> {
        let Actor { staff, desk } = by;
        let service = reference::parse_service(service)?;
        let tx = &self.tx;
        let row = find_ticket(tx, day, ticket)?;
        let next = row.state.apply(TicketEvent::Transfer)?;
        tx.prepare_cached("UPDATE ticket SET state = ?1, updated_at = ?2 WHERE seq = ?3")?
            .execute(params![next.code(), secs(at), row.seq])?;
        let desk = desk.map(str::to_string).or(row.desk);
        log_event(
            tx,
            row.seq,
            TicketEvent::Transfer,
            next,
            desk.as_deref(),
            staff,
            at,
        )?;
        let number = next_ticket_number(tx, day, queue)?;
        insert_ticket(
            tx,
            row.access_seq,
            day,
            queue,
            number,
            &service,
            row.priority,
            Some(row.seq),
            staff,
            at,
        )?;
        Ok(Ticket { queue, number })
    }
}
