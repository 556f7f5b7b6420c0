//! Appointments: booked by phone or email, checked in at reception.
//!
//! The agenda (free slots, book, cancel, reschedule, the day's list) is `Permission::Book`,
//! which the `booking` role has and nothing else; checking in and the no-show sweep issue or
//! close tickets, which is `Permission::Register`.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use super::allowed;
use crate::domain::agenda::FreeSlot;
use crate::domain::appointment::{Appointment, BookingCode, Person, Rescheduled};
use crate::domain::audit::AuditAction;
use crate::domain::staff::Permission;
use crate::store::{BookingOrder, CheckedIn, Principal, Result, Store, write};

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
pub fn check_in(
    store: &mut dyn Store,
    by: &Principal,
    code: BookingCode,
    now: DateTime<Utc>,
) -> Result<CheckedIn> {
    allowed(by, Permission::Register)?;
    write(store, |tx| {
        let checked = tx.check_in_appointment(code, &by.staff, now)?;
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
