//! Appointments and the agenda on the server (issue 14), as `sqlite/appointments.rs`: the
//! agenda's rules are the domain's. SQLite's `BEGIN IMMEDIATE` serialises every writer; here
//! (READ COMMITTED) the booking of a service's day is serialised by an advisory lock, and a
//! booking that changes state is locked `FOR UPDATE` before its state is read.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use postgres::GenericClient;
use uuid::Uuid;

use super::people::{code, uuid_at, whole};
use super::statements::{Cached, Connection, Tx};
use super::tickets::{TxError, TxResult, issue_in, read, registered_already};
use super::{PgStore, PgTx};
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

/// Who the event log names when the sweep, not a person, closes a booking.
const SWEEPER: &str = "system:no-show-sweep";

/// Draws of a booking code before giving up (see `sqlite/appointments.rs`).
const CODE_DRAWS: u32 = 64;

/// The advisory-lock class of booking ("WB"): with a hash of the service and the Rome day
/// as the second key, two PCs booking the same service's day take turns, so the second reads
/// the first's booking before it checks the slot's capacity. Other days and services never
/// wait. (A hash collision only makes two unrelated bookings wait for each other.)
pub const BOOKING_LOCK: i32 = 0x5742;

const COLUMNS: &str = "a.seq, a.id, a.code, v.id, a.family_name, a.given_name, a.birth_date, \
     a.phone, a.service, a.start_at, a.booked_via, a.booked_at, a.state, a.rescheduled_from \
     FROM appointment a LEFT JOIN visitor v ON v.seq = a.visitor_seq";

/// A booking with its row, for the statements that change it.
struct Row {
    seq: i64,
    appointment: Appointment,
}

fn row(r: &postgres::Row) -> TxResult<Row> {
    let value: i64 = r.get(2);
    let code_of = u32::try_from(value)
        .ok()
        .and_then(BookingCode::from_value)
        .ok_or_else(|| {
            TxError::Store(StoreError::Database(format!(
                "{value} is not a booking code"
            )))
        })?;
    let person = match r.get::<_, Option<Uuid>>(3) {
        Some(visitor_id) => Person::OnFile { visitor_id },
        None => Person::New(NewPerson {
            family_name: r.get::<_, Option<String>>(4).unwrap_or_default(),
            given_name: r.get::<_, Option<String>>(5).unwrap_or_default(),
            birth_date: r.get(6),
            phone: r.get(7),
        }),
    };
    Ok(Row {
        seq: r.get(0),
        appointment: Appointment {
            id: r.get(1),
            code: code_of,
            person,
            service: r.get(8),
            start: r.get(9),
            booked_via: code("booking channel", r.get(10))?,
            booked_at: r.get(11),
            state: code("booking state", r.get(12))?,
            rescheduled_from: r.get(13),
        },
    })
}

/// The bookings of `service` (all services when `None`) on Rome days `from..=to`; `lock`:
/// `FOR UPDATE` of the bookings (the sweep changes them).
fn bookings(
    c: &mut Cached<'_, impl Connection>,
    service: Option<&str>,
    from: NaiveDate,
    to: NaiveDate,
    lock: bool,
) -> TxResult<Vec<Row>> {
    let lock = if lock { " FOR UPDATE OF a" } else { "" };
    c.unprepared()
        .query(
            &format!(
                "SELECT {COLUMNS} WHERE a.day >= $1 AND a.day <= $2 \
             AND ($3::text IS NULL OR a.service = $3) ORDER BY a.start_at, a.code{lock}"
            ),
            &[&from, &to, &service],
        )?
        .iter()
        .map(row)
        .collect()
}

/// The bookings held for the visitor records `seqs`, every state, by start (as
/// `sqlite/appointments.rs`).
pub(super) fn bookings_of(
    c: &mut Cached<'_, impl Connection>,
    seqs: &[i64],
) -> TxResult<Vec<Appointment>> {
    let mut held = Vec::new();
    for r in c.unprepared().query(
        &format!("SELECT {COLUMNS} WHERE a.visitor_seq = ANY($1)"),
        &[&seqs],
    )? {
        held.push(row(&r)?.appointment);
    }
    held.sort_by_key(|a| (a.start, a.code.value()));
    Ok(held)
}

/// A booking by its code; `lock`: `FOR UPDATE`, so that of two PCs changing it the second
/// waits and then reads the first's state (READ COMMITTED re-reads a locked row).
fn by_code(c: &mut Cached<'_, impl Connection>, code: BookingCode, lock: bool) -> TxResult<Row> {
    let lock = if lock { " FOR UPDATE OF a" } else { "" };
    let value = i64::from(code.value());
    let found = c.unprepared().query_opt(
        &format!("SELECT {COLUMNS} WHERE a.code = $1{lock}"),
        &[&value],
    )?;
    match found {
        Some(r) => row(&r),
        None => Err(StoreError::NotFound(format!("no booking {code}")).into()),
    }
}

fn log(tx: &mut Tx<'_, '_>, seq: i64, event: &str, staff: &str, at: DateTime<Utc>) -> TxResult<()> {
    tx.execute(
        "INSERT INTO appointment_event (appointment_seq, at, event, staff) VALUES ($1, $2, $3, $4)",
        &[&seq, &whole(at), &event, &staff],
    )?;
    Ok(())
}

fn set_state(
    tx: &mut Tx<'_, '_>,
    seq: i64,
    state: AppointmentState,
    access_seq: Option<i64>,
) -> TxResult<()> {
    tx.execute(
        "UPDATE appointment SET state = $1, access_seq = COALESCE($2, access_seq) WHERE seq = $3",
        &[&state.code(), &access_seq, &seq],
    )?;
    Ok(())
}

/// A code no booking holds. The unique key `code` is the server's guarantee behind it: two
/// PCs drawing the same code at the same moment (one in 707 281) cannot both store it.
fn unused_code(tx: &mut Tx<'_, '_>) -> TxResult<BookingCode> {
    for _ in 0..CODE_DRAWS {
        let code = BookingCode::from_random(fastrand::u64(..));
        let taken: bool = tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM appointment WHERE code = $1)",
                &[&i64::from(code.value())],
            )?
            .get(0);
        if !taken {
            return Ok(code);
        }
    }
    Err(FieldError::new("booking", "no unused booking code was found; try again").into())
}

impl PgStore {
    fn free_slots_tx(
        &self,
        service: &str,
        from: NaiveDate,
        count: usize,
        now: DateTime<Utc>,
    ) -> TxResult<Vec<FreeSlot>> {
        let service = reference::parse_service(service)?;
        let agenda = self.with_reader(|c| agenda_of(c, &service))?;
        let first = from.max(rome_day(now));
        let last = agenda.last_bookable_day(rome_day(now));
        let held: Vec<Appointment> = if first <= last {
            self.with_reader(|c| bookings(c, Some(&service), first, last, false))?
                .into_iter()
                .map(|r| r.appointment)
                .collect()
        } else {
            Vec::new()
        };
        Ok(agenda.free_slots(&OpeningHours::default(), now, from, count, &held))
    }
}

impl Appointments for PgStore {
    fn free_slots(
        &self,
        service: &str,
        from: NaiveDate,
        count: usize,
        now: DateTime<Utc>,
    ) -> Result<Vec<FreeSlot>> {
        self.free_slots_tx(service, from, count, now)
            .map_err(|e| e.into_store(&self.server))
    }

    fn appointments_of_day(&self, day: NaiveDate) -> Result<Vec<Appointment>> {
        let rows = read(self, |c| bookings(c, None, day, day, false))?;
        Ok(rows.into_iter().map(|r| r.appointment).collect())
    }

    fn appointment(&self, code: BookingCode) -> Result<Appointment> {
        read(self, |c| by_code(c, code, false)).map(|r| r.appointment)
    }
}

fn book(
    tx: &mut Tx<'_, '_>,
    order: &BookingOrder,
    staff: &str,
    now: DateTime<Utc>,
) -> TxResult<Appointment> {
    let service = reference::parse_service(&order.service)?;
    let agenda = agenda_of(tx, &service)?;
    let day = order.local.date();
    // A merged record books for the person's surviving record, as registration does.
    let (person, visitor_seq) = match &order.person {
        Person::OnFile { visitor_id } => {
            let r = tx
                .query_opt(
                    "SELECT seq, merged_into FROM visitor WHERE id = $1",
                    &[visitor_id],
                )?
                .ok_or_else(|| StoreError::NotFound(format!("no visitor {visitor_id}")))?;
            let seq: i64 = r.get::<_, Option<i64>>(1).unwrap_or(r.get(0));
            let id: Uuid = tx
                .query_one("SELECT id FROM visitor WHERE seq = $1", &[&seq])?
                .get(0);
            (Person::OnFile { visitor_id: id }, Some(seq))
        }
        Person::New(p) => (Person::New(p.clone()), None),
    };
    // Taken before the day's bookings are read: the next PC booking this service's day is
    // refused when this booking filled the slot.
    lock_day(tx, &service, day)?;
    let held: Vec<Appointment> = bookings(tx, Some(&service), day, day, false)?
        .into_iter()
        .map(|r| r.appointment)
        .collect();
    let slot = agenda
        .check_booking(
            &OpeningHours::default(),
            now,
            &BookingRequest {
                person: &person,
                local: order.local,
                replacing: None,
            },
            &held,
        )
        .map_err(StoreError::from)?;
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

/// Store a new booking; its row.
fn insert(
    tx: &mut Tx<'_, '_>,
    appointment: &Appointment,
    visitor_seq: Option<i64>,
) -> TxResult<i64> {
    let new = match &appointment.person {
        Person::New(p) => Some(p),
        Person::OnFile { .. } => None,
    };
    Ok(tx
        .query_one(
            "INSERT INTO appointment (id, code, visitor_seq, family_name, given_name, birth_date, \
             phone, service, start_at, day, booked_via, booked_at, state, rescheduled_from) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'booked', $13) \
             RETURNING seq",
            &[
                &appointment.id,
                &i64::from(appointment.code.value()),
                &visitor_seq,
                &new.map(|p| &p.family_name),
                &new.map(|p| &p.given_name),
                &new.and_then(|p| p.birth_date),
                &new.and_then(|p| p.phone.as_ref()),
                &appointment.service,
                &whole(appointment.start),
                &rome_day(appointment.start),
                &appointment.booked_via.code(),
                &whole(appointment.booked_at),
                &appointment.rescheduled_from,
            ],
        )?
        .get(0))
}

/// Take the service's day for booking: held to the commit, so the next PC booking that day
/// reads this transaction's bookings (READ COMMITTED sees what committed before its
/// statement).
fn lock_day(tx: &mut Tx<'_, '_>, service: &str, day: NaiveDate) -> TxResult<()> {
    let lock_key = format!("{service} {day}");
    tx.execute(
        "SELECT pg_advisory_xact_lock($1, hashtext($2))",
        &[&BOOKING_LOCK, &lock_key],
    )?;
    Ok(())
}

/// Cancel a booking and book the new slot for the same person and service, linked, as
/// SQLite does; the booking is locked first, then the new day, so two PCs moving one booking
/// take turns and the second finds it no longer booked.
fn reschedule(
    tx: &mut Tx<'_, '_>,
    code: BookingCode,
    local: NaiveDateTime,
    staff: &str,
    now: DateTime<Utc>,
) -> TxResult<Rescheduled> {
    let Row { seq, appointment } = by_code(tx, code, true)?;
    // A booking no longer booked cannot move: say so before judging the new slot.
    appointment
        .state
        .apply(AppointmentEvent::Cancel)
        .map_err(StoreError::from)?;
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
    lock_day(tx, &appointment.service, local.date())?;
    let held: Vec<Appointment> = bookings(
        tx,
        Some(&appointment.service),
        local.date(),
        local.date(),
        false,
    )?
    .into_iter()
    .map(|r| r.appointment)
    .collect();
    let slot = agenda
        .check_booking(
            &OpeningHours::default(),
            now,
            &BookingRequest {
                person: &appointment.person,
                local,
                replacing: Some(appointment.id),
            },
            &held,
        )
        .map_err(StoreError::from)?;
    let moved = appointment
        .reschedule(
            uuid_at(now),
            unused_code(tx)?,
            slot.start,
            appointment.booked_via,
            now,
        )
        .map_err(StoreError::from)?;
    set_state(tx, seq, moved.cancelled.state, None)?;
    log(tx, seq, "rescheduled", staff, now)?;
    // The new booking is for whoever the old one was: the same visitor row, or the same
    // names for someone not on file yet.
    let visitor_seq: Option<i64> = tx
        .query_one(
            "SELECT visitor_seq FROM appointment WHERE seq = $1",
            &[&seq],
        )?
        .get(0);
    let new_seq = insert(tx, &moved.booked, visitor_seq)?;
    log(tx, new_seq, "booked", staff, now)?;
    Ok(moved)
}

fn cancel(
    tx: &mut Tx<'_, '_>,
    code: BookingCode,
    staff: &str,
    now: DateTime<Utc>,
) -> TxResult<Appointment> {
    let Row {
        seq,
        mut appointment,
    } = by_code(tx, code, true)?;
    appointment.state = appointment
        .state
        .apply(AppointmentEvent::Cancel)
        .map_err(StoreError::from)?;
    set_state(tx, seq, appointment.state, None)?;
    log(tx, seq, "cancelled", staff, now)?;
    Ok(appointment)
}

fn check_in_tx(
    tx: &mut Tx<'_, '_>,
    code: BookingCode,
    access_id: Uuid,
    staff: &str,
    now: DateTime<Utc>,
) -> TxResult<Issued<CheckedIn>> {
    // Locked first: of two PCs checking one booking in, the second waits, then finds it
    // checked in and is refused (or, sending the same access id, is given its ticket
    // again); it never issues a second ticket.
    let Row {
        seq,
        mut appointment,
    } = by_code(tx, code, true)?;
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
    let arrival = check_in(&appointment, now, agenda.lateness_minutes).map_err(StoreError::from)?;
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
    let (issued, access_seq) = issue_in(
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
        access_id,
        now,
    )?;
    let Issued::New(registered) = issued else {
        return Err(StoreError::from(access_id_taken(access_id)).into());
    };
    appointment.state = appointment
        .state
        .apply(AppointmentEvent::CheckIn)
        .map_err(StoreError::from)?;
    set_state(tx, seq, appointment.state, Some(access_seq))?;
    // From now on the person is a visitor, whose data erasure and the retention purge
    // reach: the booking keeps only the link, not a second copy of the names.
    tx.execute(
        "UPDATE appointment SET visitor_seq = (SELECT visitor_seq FROM access WHERE seq = $2), \
         family_name = NULL, given_name = NULL, birth_date = NULL, phone = NULL \
         WHERE seq = $1",
        &[&seq, &access_seq],
    )?;
    log(tx, seq, "checked-in", staff, now)?;
    Ok(Issued::New(CheckedIn {
        registered,
        late: arrival.late(),
        appointment,
    }))
}

/// The ticket of booking `seq`'s check-in if its access has id `access_id` (the same
/// check-in sent again), and whether the person was late (a late arrival's access has no
/// slot).
fn checked_in_already(
    tx: &mut Tx<'_, '_>,
    seq: i64,
    access_id: Uuid,
) -> TxResult<Option<(Registered, bool)>> {
    let Some(row) = tx.query_opt(
        "SELECT ac.appointment_at IS NULL FROM appointment ap \
         JOIN access ac ON ac.seq = ap.access_seq WHERE ap.seq = $1 AND ac.id = $2",
        &[&seq, &access_id],
    )?
    else {
        return Ok(None);
    };
    let late: bool = row.get(0);
    Ok(registered_already(tx, access_id)?.map(|(registered, _)| (registered, late)))
}

fn sweep(tx: &mut Tx<'_, '_>, day: NaiveDate, now: DateTime<Utc>) -> TxResult<Vec<Appointment>> {
    let center = OpeningHours::default();
    // The day's bookings locked: a check-in racing the sweep either committed first (and is
    // read here as checked in) or waits and then finds the booking a no-show.
    let rows = bookings(tx, None, day, day, true)?;
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
        appointment.state = appointment
            .state
            .apply(AppointmentEvent::NoShow)
            .map_err(StoreError::from)?;
        set_state(tx, r.seq, appointment.state, None)?;
        log(tx, r.seq, "no-show", SWEEPER, now)?;
        swept.push(appointment);
    }
    Ok(swept)
}

impl AppointmentWork for PgTx<'_> {
    fn book_appointment(
        &mut self,
        order: &BookingOrder,
        staff: &str,
        now: DateTime<Utc>,
    ) -> Result<Appointment> {
        book(&mut self.tx, order, staff, now).map_err(|e| e.into_store(&self.server))
    }

    fn reschedule_appointment(
        &mut self,
        code: BookingCode,
        local: NaiveDateTime,
        staff: &str,
        now: DateTime<Utc>,
    ) -> Result<Rescheduled> {
        reschedule(&mut self.tx, code, local, staff, now).map_err(|e| e.into_store(&self.server))
    }

    fn cancel_appointment(
        &mut self,
        code: BookingCode,
        staff: &str,
        now: DateTime<Utc>,
    ) -> Result<Appointment> {
        cancel(&mut self.tx, code, staff, now).map_err(|e| e.into_store(&self.server))
    }

    fn check_in_once(
        &mut self,
        code: BookingCode,
        access_id: Uuid,
        staff: &str,
        now: DateTime<Utc>,
    ) -> Result<Issued<CheckedIn>> {
        check_in_tx(&mut self.tx, code, access_id, staff, now)
            .map_err(|e| e.into_store(&self.server))
    }

    fn sweep_no_shows(&mut self, day: NaiveDate, now: DateTime<Utc>) -> Result<Vec<Appointment>> {
        sweep(&mut self.tx, day, now).map_err(|e| e.into_store(&self.server))
    }
}

/// `service`'s agenda as its settings row holds it (the defaults without one), read in the
/// transaction that decides with it (as `sqlite/appointments.rs`).
fn agenda_of(c: &mut Cached<'_, impl Connection>, service: &str) -> TxResult<Agenda> {
    let value: Option<String> = c
        .query_opt(
            "SELECT value FROM setting WHERE key = $1",
            &[&setting_key(service)],
        )?
        .map(|r| r.get(0));
    Agenda::from_setting(service, value.as_deref())
        .map_err(|e| StoreError::from(e.of_service(service)).into())
}
