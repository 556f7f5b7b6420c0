//! Appointments and the agenda, for the SQLite store (issue 14).

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use uuid::Uuid;

use super::tickets::{register_in, registered_already};
use super::visitors::visitor_seq_of;
use super::{BadValue, conversion, from_secs, parse_code, parse_day, parse_uuid, secs, uuid_at};
use crate::domain::Sex;
use crate::domain::agenda::{Agenda, BookingRequest, FreeSlot, setting_key};
use crate::domain::appointment::{
    Appointment, AppointmentEvent, AppointmentState, BookingCode, NewPerson, Person, Rescheduled,
    check_in,
};
use crate::domain::hours::{OpeningHours, rome_day, rome_local_to_utc};
use crate::domain::reference;
use crate::domain::visitor::{FieldError, VisitorDetails};
use crate::store::appointments::access_id_taken;
use crate::store::{
    AppointmentWork, Appointments, BookingOrder, CheckedIn, Issued, Registered, Registration,
    Result, StoreError, VisitorChoice,
};

use super::{SqliteStore, SqliteTx};

/// Who the event log names when the sweep, not a person, closes a booking.
const SWEEPER: &str = "system:no-show-sweep";

/// Draws of a booking code before giving up. With 707 281 codes and a few thousand
/// bookings a year a clash is rare; this many in a row means something else is wrong.
const CODE_DRAWS: u32 = 64;

const COLUMNS: &str = "a.seq, a.id, a.code, v.id, a.family_name, a.given_name, a.birth_date, \
     a.phone, a.service, a.start_at, a.booked_via, a.booked_at, a.state, a.rescheduled_from \
     FROM appointment a LEFT JOIN visitor v ON v.seq = a.visitor_seq";

/// A booking with its row, for the statements that change it.
struct Row {
    seq: i64,
    appointment: Appointment,
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    let code: u32 = r.get(2)?;
    let code = BookingCode::from_value(code)
        .ok_or_else(|| conversion(BadValue(format!("{code} is not a booking code"))))?;
    let person = match r.get::<_, Option<String>>(3)? {
        Some(id) => Person::OnFile {
            visitor_id: parse_uuid(&id)?,
        },
        None => Person::New(NewPerson {
            family_name: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
            given_name: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
            birth_date: r
                .get::<_, Option<String>>(6)?
                .map(|d| parse_day(&d))
                .transpose()?,
            phone: r.get(7)?,
        }),
    };
    Ok(Row {
        seq: r.get(0)?,
        appointment: Appointment {
            id: parse_uuid(&r.get::<_, String>(1)?)?,
            code,
            person,
            service: r.get(8)?,
            start: from_secs(r.get(9)?)?,
            booked_via: parse_code(&r.get::<_, String>(10)?)?,
            booked_at: from_secs(r.get(11)?)?,
            state: parse_code(&r.get::<_, String>(12)?)?,
            rescheduled_from: r
                .get::<_, Option<String>>(13)?
                .map(|id| parse_uuid(&id))
                .transpose()?,
        },
    })
}

/// The bookings of `service` (all services when `None`) on Rome days `from..=to`.
fn bookings(
    conn: &Connection,
    service: Option<&str>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Row>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} WHERE a.day >= ?1 AND a.day <= ?2 AND (?3 IS NULL OR a.service = ?3) \
         ORDER BY a.start_at, a.code"
    ))?;
    let rows = stmt
        .query_map(params![from.to_string(), to.to_string(), service], row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The bookings held for the visitor records `seqs` (a person and the records merged into
/// it), every state, by start: what a person's export shows. The appointment table has no
/// index by person; an export is rare and the table a few per cent of the accesses.
pub(super) fn bookings_of(conn: &Connection, seqs: &[i64]) -> Result<Vec<Appointment>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} WHERE a.visitor_seq = ?1"))?;
    let mut held = Vec::new();
    for seq in seqs {
        for r in stmt.query_map([seq], row)? {
            held.push(r?.appointment);
        }
    }
    held.sort_by_key(|a| (a.start, a.code.value()));
    Ok(held)
}

fn by_code(conn: &Connection, code: BookingCode) -> Result<Row> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} WHERE a.code = ?1"))?
        .query_row([code.value()], row)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("no booking {code}")))
}

fn log(conn: &Connection, seq: i64, event: &str, staff: &str, at: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO appointment_event (appointment_seq, at, event, staff) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![seq, secs(at), event, staff])?;
    Ok(())
}

fn set_state(
    conn: &Connection,
    seq: i64,
    state: AppointmentState,
    access_seq: Option<i64>,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE appointment SET state = ?1, access_seq = COALESCE(?2, access_seq) WHERE seq = ?3",
    )?
    .execute(params![state.code(), access_seq, seq])?;
    Ok(())
}

/// Write a new booking's row; its `seq`. A person on file is `visitor_seq`; someone new
/// is the names the booking holds.
fn insert(conn: &Connection, appointment: &Appointment, visitor_seq: Option<i64>) -> Result<i64> {
    let new = match &appointment.person {
        Person::New(p) => Some(p),
        Person::OnFile { .. } => None,
    };
    conn.prepare_cached(
        "INSERT INTO appointment (id, code, visitor_seq, family_name, given_name, birth_date, \
         phone, service, start_at, day, booked_via, booked_at, state, rescheduled_from) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'booked', ?13)",
    )?
    .execute(params![
        appointment.id.to_string(),
        appointment.code.value(),
        visitor_seq,
        new.map(|p| &p.family_name),
        new.map(|p| &p.given_name),
        new.and_then(|p| p.birth_date).map(|d| d.to_string()),
        new.and_then(|p| p.phone.as_ref()),
        appointment.service,
        secs(appointment.start),
        rome_day(appointment.start).to_string(),
        appointment.booked_via.code(),
        secs(appointment.booked_at),
        appointment.rescheduled_from.map(|id| id.to_string()),
    ])?;
    Ok(conn.last_insert_rowid())
}

/// A code no booking holds. Called under the write lock, so none can take it before the
/// insert.
fn unused_code(conn: &Connection) -> Result<BookingCode> {
    let mut taken =
        conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM appointment WHERE code = ?1)")?;
    for _ in 0..CODE_DRAWS {
        let code = BookingCode::from_random(fastrand::u64(..));
        if !taken.query_row([code.value()], |r| r.get::<_, bool>(0))? {
            return Ok(code);
        }
    }
    Err(FieldError::new("booking", "no unused booking code was found; try again").into())
}

impl Appointments for SqliteStore {
    fn free_slots(
        &self,
        service: &str,
        from: NaiveDate,
        count: usize,
        now: DateTime<Utc>,
    ) -> Result<Vec<FreeSlot>> {
        let service = reference::parse_service(service)?;
        let agenda = agenda_of(&self.conn, &service)?;
        let first = from.max(rome_day(now));
        let last = agenda.last_bookable_day(rome_day(now));
        let held: Vec<Appointment> = if first <= last {
            bookings(&self.conn, Some(&service), first, last)?
                .into_iter()
                .map(|r| r.appointment)
                .collect()
        } else {
            Vec::new()
        };
        Ok(agenda.free_slots(&OpeningHours::default(), now, from, count, &held))
    }

    fn appointments_of_day(&self, day: NaiveDate) -> Result<Vec<Appointment>> {
        Ok(bookings(&self.conn, None, day, day)?
            .into_iter()
            .map(|r| r.appointment)
            .collect())
    }

    fn appointment(&self, code: BookingCode) -> Result<Appointment> {
        Ok(by_code(&self.conn, code)?.appointment)
    }
}

impl AppointmentWork for SqliteTx<'_> {
    fn book_appointment(
        &mut self,
        order: &BookingOrder,
        staff: &str,
        now: DateTime<Utc>,
    ) -> Result<Appointment> {
        let service = reference::parse_service(&order.service)?;
        let agenda = agenda_of(&self.tx, &service)?;
        let day = order.local.date();
        let tx = &self.tx;
        // A merged record books for the person's surviving record, as registration does.
        let (person, visitor_seq) = match &order.person {
            Person::OnFile { visitor_id } => {
                let (seq, merged_into) = visitor_seq_of(tx, *visitor_id)?;
                let seq = merged_into.unwrap_or(seq);
                let id: String = tx
                    .prepare_cached("SELECT id FROM visitor WHERE seq = ?1")?
                    .query_row([seq], |r| r.get(0))?;
                (
                    Person::OnFile {
                        visitor_id: parse_uuid(&id)?,
                    },
                    Some(seq),
                )
            }
            Person::New(p) => (Person::New(p.clone()), None),
        };
        let held: Vec<Appointment> = bookings(tx, Some(&service), day, day)?
            .into_iter()
            .map(|r| r.appointment)
            .collect();
        let slot = agenda.check_booking(
            &OpeningHours::default(),
            now,
            &BookingRequest {
                person: &person,
                local: order.local,
                replacing: None,
            },
            &held,
        )?;
        let appointment = Appointment {
            id: uuid_at(now),
            code: unused_code(tx)?,
            person,
            service,
            start: slot.start,
            booked_via: order.booked_via,
            booked_at: now,
            state: AppointmentState::Booked,
            rescheduled_from: None,
        };
        let seq = insert(tx, &appointment, visitor_seq)?;
        log(tx, seq, "booked", staff, now)?;
        Ok(appointment)
    }

    fn reschedule_appointment(
        &mut self,
        code: BookingCode,
        local: NaiveDateTime,
        staff: &str,
        now: DateTime<Utc>,
    ) -> Result<Rescheduled> {
        let tx = &self.tx;
        let Row { seq, appointment } = by_code(tx, code)?;
        // A booking no longer booked cannot move: say so before judging the new slot.
        appointment.state.apply(AppointmentEvent::Cancel)?;
        if rome_local_to_utc(local).is_ok_and(|start| start == appointment.start) {
            return Err(FieldError::new(
                "at",
                format!(
                    "booking {code} is already at {}",
                    local.format("%Y-%m-%d %H:%M")
                ),
            )
            .into());
        }
        let agenda = agenda_of(tx, &appointment.service)?;
        let held: Vec<Appointment> =
            bookings(tx, Some(&appointment.service), local.date(), local.date())?
                .into_iter()
                .map(|r| r.appointment)
                .collect();
        let slot = agenda.check_booking(
            &OpeningHours::default(),
            now,
            &BookingRequest {
                person: &appointment.person,
                local,
                replacing: Some(appointment.id),
            },
            &held,
        )?;
        let moved = appointment.reschedule(
            uuid_at(now),
            unused_code(tx)?,
            slot.start,
            appointment.booked_via,
            now,
        )?;
        set_state(tx, seq, moved.cancelled.state, None)?;
        log(tx, seq, "rescheduled", staff, now)?;
        // The new booking is for whoever the old one was: the same visitor row, or the same
        // names for someone not on file yet.
        let visitor_seq: Option<i64> = tx
            .prepare_cached("SELECT visitor_seq FROM appointment WHERE seq = ?1")?
            .query_row([seq], |r| r.get(0))?;
        let new_seq = insert(tx, &moved.booked, visitor_seq)?;
        log(tx, new_seq, "booked", staff, now)?;
        Ok(moved)
    }

    fn cancel_appointment(
        &mut self,
        code: BookingCode,
        staff: &str,
        now: DateTime<Utc>,
    ) -> Result<Appointment> {
        let tx = &self.tx;
        let Row {
            seq,
            mut appointment,
        } = by_code(tx, code)?;
        appointment.state = appointment.state.apply(AppointmentEvent::Cancel)?;
        set_state(tx, seq, appointment.state, None)?;
        log(tx, seq, "cancelled", staff, now)?;
        Ok(appointment)
    }

    fn check_in_once(
        &mut self,
        code: BookingCode,
        access_id: Uuid,
        staff: &str,
        now: DateTime<Utc>,
    ) -> Result<Issued<CheckedIn>> {
        let tx = &self.tx;
        let Row {
            seq,
            mut appointment,
        } = by_code(tx, code)?;
        // The same check-in sent again (its reply was lost): `BEGIN IMMEDIATE` ordered it
        // after the first, whose ticket it is given.
        if appointment.state == AppointmentState::CheckedIn
            && let Some((registered, late)) = checked_in_already(tx, seq, access_id)?
        {
            return Ok(Issued::Again(CheckedIn {
                registered,
                late,
                appointment,
            }));
        }
        let agenda = agenda_of(tx, &appointment.service)?;
        let arrival = check_in(&appointment, now, agenda.lateness_minutes)?;
        let visitor = match &appointment.person {
            Person::OnFile { visitor_id } => VisitorChoice::Existing(*visitor_id),
            // What the booking holds; reception completes the card at the desk.
            Person::New(p) => VisitorChoice::New(VisitorDetails {
                family_name: p.family_name.clone(),
                given_name: p.given_name.clone(),
                birth_date: p.birth_date,
                sex: Sex::Unknown,
                country: None,
                languages: Vec::new(),
                sai_guest: false,
                phone: p.phone.clone(),
            }),
        };
        let (issued, access_seq) = register_in(
            tx,
            &Registration {
                access_id,
                visitor,
                channel: arrival.channel,
                service: appointment.service.clone(),
                priority: None,
                queue_override: None,
                appointment_at: arrival.appointment_at,
                sai_guest: false,
                staff: staff.to_string(),
            },
            now,
        )?;
        let Issued::New(registered) = issued else {
            return Err(access_id_taken(access_id).into());
        };
        appointment.state = appointment.state.apply(AppointmentEvent::CheckIn)?;
        set_state(tx, seq, appointment.state, Some(access_seq))?;
        // From now on the person is a visitor, whose data erasure and the retention purge
        // reach: the booking keeps only the link, not a second copy of the names.
        tx.prepare_cached(
            "UPDATE appointment SET visitor_seq = (SELECT visitor_seq FROM access WHERE seq = ?2), \
             family_name = NULL, given_name = NULL, birth_date = NULL, phone = NULL \
             WHERE seq = ?1",
        )?
        .execute(params![seq, access_seq])?;
        log(tx, seq, "checked-in", staff, now)?;
        Ok(Issued::New(CheckedIn {
            registered,
            late: arrival.late(),
            appointment,
        }))
    }

    fn sweep_no_shows(&mut self, day: NaiveDate, now: DateTime<Utc>) -> Result<Vec<Appointment>> {
        let center = OpeningHours::default();
        let tx = &self.tx;
        let rows = bookings(tx, None, day, day)?;
        let held: Vec<Appointment> = rows.iter().map(|r| r.appointment.clone()).collect();
        let mut services: Vec<&str> = held.iter().map(|a| a.service.as_str()).collect();
        services.sort_unstable();
        services.dedup();
        let mut due: Vec<Uuid> = Vec::new();
        for service in services {
            let agenda = agenda_of(tx, service)?;
            due.extend(
                agenda
                    .no_shows(&center, day, now, &held)
                    .iter()
                    .map(|a| a.id),
            );
        }
        let mut swept = Vec::new();
        for r in rows.into_iter().filter(|r| due.contains(&r.appointment.id)) {
            let mut appointment = r.appointment;
            appointment.state = appointment.state.apply(AppointmentEvent::NoShow)?;
            set_state(tx, r.seq, appointment.state, None)?;
            log(tx, r.seq, "no-show", SWEEPER, now)?;
            swept.push(appointment);
        }
        Ok(swept)
    }
}

/// The ticket of booking `seq`'s check-in if its access has id `access_id` (the same
/// check-in sent again), and whether the person was late (a late arrival's access has no
/// slot).
fn checked_in_already(
    tx: &Transaction<'_>,
    seq: i64,
    access_id: Uuid,
) -> Result<Option<(Registered, bool)>> {
    let late: Option<bool> = tx
        .prepare_cached(
            "SELECT ac.appointment_at IS NULL FROM appointment ap \
             JOIN access ac ON ac.seq = ap.access_seq WHERE ap.seq = ?1 AND ac.id = ?2",
        )?
        .query_row(params![seq, access_id.to_string()], |r| r.get(0))
        .optional()?;
    let Some(late) = late else {
        return Ok(None);
    };
    Ok(registered_already(tx, access_id)?.map(|(registered, _)| (registered, late)))
}

/// `service`'s agenda as its settings row holds it (the defaults without one), read on the
/// connection or in the transaction that decides with it.
fn agenda_of(conn: &Connection, service: &str) -> Result<Agenda> {
    let value: Option<String> = conn
        .prepare_cached("SELECT value FROM setting WHERE key = ?1")?
        .query_row([setting_key(service)], |r| r.get(0))
        .optional()?;
    Agenda::from_setting(service, value.as_deref()).map_err(|e| e.of_service(service).into())
}
