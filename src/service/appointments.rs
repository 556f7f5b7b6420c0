//! Appointments: booked by phone or email, checked in at reception.
//!
//! The agenda (free slots, book, cancel, reschedule, the day's list) is `Permission::Book`,
//! which the `booking` role has and nothing else; checking in and the no-show sweep issue or
//! close tickets, which is `Permission::Register`.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use uuid::Uuid;

use super::allowed;
use crate::domain::agenda::{Agenda, BookingRefusal, FreeSlot, setting_key};
use crate::domain::appointment::{Appointment, BookingCode, NewPerson, Person, Rescheduled};
use crate::domain::audit::AuditAction;
use crate::domain::reference;
use crate::domain::staff::Permission;
use crate::import::appointments::{BookingRow, already_on_file};
use crate::store::{
    BookingImport, BookingOrder, CheckedIn, Issued, Principal, Result, Store, StoreError, write,
};

pub fn book(
    store: &mut dyn Store,
    by: &Principal,
    order: &BookingOrder,
    now: DateTime<Utc>,
) -> Result<Appointment> {
    allowed(by, Permission::Book)?;
    write(store, |tx| {
        let booked = tx.book_appointment(order, &by.staff, now)?;
        tx.audit(
            by,
            AuditAction::Create,
            Some(&booked.id.to_string()),
            &["appointment"],
            now,
        )?;
        Ok(booked)
    })
}

/// `service`'s agenda: its slots, places, hours, horizon and lateness. Names nobody: not
/// audited; whoever books may read it, and the administrator who sets it.
pub fn service_agenda(store: &mut dyn Store, by: &Principal, service: &str) -> Result<Agenda> {
    if !by.role.may(Permission::Settings) {
        allowed(by, Permission::Book)?;
    }
    let service = reference::parse_service(service)?;
    let value = store.setting(&setting_key(&service))?;
    Agenda::from_setting(&service, value.as_deref()).map_err(|e| e.of_service(&service).into())
}

/// Change a service's agenda (an administrator's setting, as the idle lock is). Bookings
/// already made stay where they are, also in hours no longer given: they were promised.
pub fn set_agenda(
    store: &mut dyn Store,
    by: &Principal,
    agenda: &Agenda,
    now: DateTime<Utc>,
) -> Result<()> {
    allowed(by, Permission::Settings)?;
    let service = reference::parse_service(&agenda.service)?;
    let agenda = Agenda {
        service,
        ..agenda.clone()
    };
    let field =
        |e: crate::domain::agenda::AgendaError| StoreError::from(e.of_service(&agenda.service));
    agenda.validate().map_err(field)?;
    let key = setting_key(&agenda.service);
    let value = agenda.to_setting().map_err(field)?;
    write(store, |tx| {
        tx.set_setting(&key, &value)?;
        tx.audit(by, AuditAction::Update, Some(&key), &["agenda"], now)
    })
}

/// The next `count` free slots of `service` from `from`. Names nobody: not audited.
pub fn free(
    store: &mut dyn Store,
    by: &Principal,
    service: &str,
    from: NaiveDate,
    count: usize,
    now: DateTime<Utc>,
) -> Result<Vec<FreeSlot>> {
    allowed(by, Permission::Book)?;
    store.free_slots(service, from, count, now)
}

/// The bookings of a day. The list names people who are new: reading it is reading
/// personal data, recorded first.
pub fn list(
    store: &mut dyn Store,
    by: &Principal,
    day: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<Appointment>> {
    allowed(by, Permission::Book)?;
    write(store, |tx| {
        tx.audit(
            by,
            AuditAction::Search,
            Some(&format!("appointments {day}")),
            &[],
            now,
        )
    })?;
    store.appointments_of_day(day)
}

pub fn cancel(
    store: &mut dyn Store,
    by: &Principal,
    code: BookingCode,
    now: DateTime<Utc>,
) -> Result<Appointment> {
    allowed(by, Permission::Book)?;
    write(store, |tx| {
        let cancelled = tx.cancel_appointment(code, &by.staff, now)?;
        tx.audit(
            by,
            AuditAction::Update,
            Some(&cancelled.id.to_string()),
            &["appointment.state"],
            now,
        )?;
        Ok(cancelled)
    })
}

/// Check a booked person in: their ticket, as registration issues it.
///
/// `access_id` is made by the caller before the first send and kept for every retry of it
/// until a ticket comes back (as [`crate::store::Registration::access_id`]). Sent again
/// with the same id after a reply was lost, it stores nothing and gives the ticket already
/// issued, with no second `create` entry on the trail (the first send's entry was committed
/// with the access). With another id, a booking already checked in is refused.
pub fn check_in(
    store: &mut dyn Store,
    by: &Principal,
    code: BookingCode,
    access_id: Uuid,
    now: DateTime<Utc>,
) -> Result<CheckedIn> {
    allowed(by, Permission::Register)?;
    write(store, |tx| {
        let checked = match tx.check_in_once(code, access_id, &by.staff, now)? {
            Issued::New(checked) => checked,
            Issued::Again(checked) => return Ok(checked),
        };
        let fields: &[&str] = match checked.appointment.person {
            Person::OnFile { .. } => &["access", "appointment"],
            Person::New(_) => &["access", "visitor", "appointment"],
        };
        tx.audit(
            by,
            AuditAction::Create,
            Some(&checked.registered.visitor_id.to_string()),
            fields,
            now,
        )?;
        Ok(checked)
    })
}

/// The end-of-day sweep of `day`'s bookings nobody came for; recorded when it changed any.
pub fn sweep(
    store: &mut dyn Store,
    by: &Principal,
    day: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<Appointment>> {
    allowed(by, Permission::Register)?;
    write(store, |tx| {
        let swept = tx.sweep_no_shows(day, now)?;
        if !swept.is_empty() {
            tx.audit(
                by,
                AuditAction::Update,
                Some(&format!("appointments {day}")),
                &["appointment.state"],
                now,
            )?;
        }
        Ok(swept)
    })
}

/// Move booking `code` to the slot at `local` (Rome wall-clock): the old booking cancelled,
/// a new one (new code) linked to it. Both records are on the trail.
pub fn reschedule(
    store: &mut dyn Store,
    by: &Principal,
    code: BookingCode,
    local: NaiveDateTime,
    now: DateTime<Utc>,
) -> Result<Rescheduled> {
    allowed(by, Permission::Book)?;
    write(store, |tx| {
        let moved = tx.reschedule_appointment(code, local, &by.staff, now)?;
        tx.audit(
            by,
            AuditAction::Update,
            Some(&moved.cancelled.id.to_string()),
            &["appointment.state"],
            now,
        )?;
        tx.audit(
            by,
            AuditAction::Create,
            Some(&moved.booked.id.to_string()),
            &["appointment"],
            now,
        )?;
        Ok(moved)
    })
}

/// Book the rows of the contact center's export, all or nothing, with one audit entry naming
/// `source` (the file). A row already on file (same person, service and slot, in any state:
/// `import::appointments::already_on_file`) is not booked again, so importing an export twice
/// books nobody twice. The first row the agenda refuses aborts the whole file, naming its
/// line and field (`StoreError::ImportRow`).
///
/// What is on file is read before the writing transaction, names of people checked in since
/// included (a booking then holds a link to the visitor, not the names; they are compared
/// here, never returned). A booking another terminal makes meanwhile for the same person
/// and slot is still caught inside the transaction: the agenda refuses a second open booking
/// of one person for a service and day, and a refusal naming this very slot counts the row
/// as present.
pub fn import(
    store: &mut dyn Store,
    by: &Principal,
    rows: &[BookingRow],
    source: &str,
    now: DateTime<Utc>,
) -> Result<BookingImport> {
    allowed(by, Permission::Book)?;
    let days: BTreeSet<NaiveDate> = rows.iter().map(|r| r.order.local.date()).collect();
    let mut held = Vec::new();
    for day in days {
        for mut a in store.appointments_of_day(day)? {
            if let Person::OnFile { visitor_id } = a.person {
                // An erased or unknown record has no names to match: it stays a link.
                if let Ok(v) = store.visitor(visitor_id) {
                    a.person = Person::New(NewPerson {
                        family_name: v.details.family_name,
                        given_name: v.details.given_name,
                        birth_date: v.details.birth_date,
                        phone: None,
                    });
                }
            }
            held.push(a);
        }
    }
    write(store, |tx| {
        let mut booked = Vec::new();
        let mut already_present = 0;
        for row in rows {
            if already_on_file(&row.order, &held) {
                already_present += 1;
                continue;
            }
            match tx.book_appointment(&row.order, &by.staff, now) {
                Ok(a) => booked.push(a),
                Err(StoreError::BookingRefused(BookingRefusal::AlreadyBooked {
                    local, ..
                })) if local == row.order.local => {
                    already_present += 1;
                }
                Err(e) => return Err(row_failed(row.line, e)),
            }
        }
        tx.audit(by, AuditAction::Import, Some(source), &["appointment"], now)?;
        Ok(BookingImport {
            rows: rows.len() as u64,
            booked,
            already_present,
        })
    })
}

/// A row the store refused, named by its line and field; a failure of the machine (busy,
/// disk) stays what it is.
fn row_failed(line: u64, e: StoreError) -> StoreError {
    let (field, message) = match e {
        StoreError::Input(f) => (f.field, f.message),
        StoreError::BookingRefused(r @ BookingRefusal::AlreadyBooked { .. }) => {
            ("family_name", r.to_string())
        }
        StoreError::BookingRefused(r) => ("at", r.to_string()),
        other => return other,
    };
    StoreError::ImportRow {
        line,
        field,
        message,
    }
}

/// A booking on the day's agenda, with the names a screen shows for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaEntry {
    pub appointment: Appointment,
    /// The booking's own names for someone new; the record's names for a visitor on file
    /// (erased or unknown: empty). Names only: the agenda shows nothing else of the record.
    pub family_name: String,
    pub given_name: String,
}

/// The bookings of a day as the terminal's agenda shows them: `list`, with a name on every
/// line. Reception checks people in by name and the contact center finds the booking of a
/// caller by name, so the name is part of what `Permission::Book` needs; nothing else of a
/// visitor's record is read. Recorded as `list` records it.
pub fn agenda(
    store: &mut dyn Store,
    by: &Principal,
    day: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<AgendaEntry>> {
    let bookings = list(store, by, day, now)?;
    Ok(bookings
        .into_iter()
        .map(|appointment| {
            let (family_name, given_name) = match &appointment.person {
                Person::New(p) => (p.family_name.clone(), p.given_name.clone()),
                Person::OnFile { visitor_id } => store
                    .visitor(*visitor_id)
                    .map(|v| (v.details.family_name, v.details.given_name))
                    .unwrap_or_default(),
            };
            AgendaEntry {
                appointment,
                family_name,
                given_name,
            }
        })
        .collect())
}

/// The visitor whose card code is `reference`, for a booking by someone who may not search
/// visitors (the `booking` role): the caller reads their code and says their names, and the
/// booking goes to that record only when the names agree (as the search compares them). The
/// answer is the id alone: a code never tells the caller a name they did not say.
pub fn visitor_for_booking(
    store: &mut dyn Store,
    by: &Principal,
    reference: &str,
    family_name: &str,
    given_name: &str,
) -> Result<uuid::Uuid> {
    use crate::domain::names::name_key;
    use crate::domain::visitor::{FieldError, Problem};
    allowed(by, Permission::Book)?;
    let refused = || {
        StoreError::Input(FieldError::of(
            "visitor_code",
            Problem::Mismatch,
            "no visitor with this code and these names",
        ))
    };
    // An unknown code and a code of someone else are the same answer: nobody learns which
    // codes exist by trying them.
    let visitor = match store.visitor_by_reference(reference.trim()) {
        Ok(v) => v,
        Err(StoreError::NotFound(_)) => return Err(refused()),
        Err(e) => return Err(e),
    };
    if name_key(&visitor.details.family_name, &visitor.details.given_name)
        != name_key(family_name, given_name)
    {
        return Err(refused());
    }
    Ok(visitor.id)
}
