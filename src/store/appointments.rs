//! Appointments and the agenda (issue 14). Agendas are the defaults of
//! `Agenda::new(service)` until they get settings.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use uuid::Uuid;

use super::{BookingOrder, CheckedIn, Issued, Result, uuid_at};
use crate::domain::agenda::FreeSlot;
use crate::domain::appointment::{Appointment, BookingCode, Rescheduled};
use crate::domain::visitor::FieldError;

/// Reading the agenda. Plain reads: a slot shown free may be taken before it is booked, and
/// booking checks again.
pub trait Appointments {
    /// The next `count` slots of `service` with a place, from `from` (or from `now`).
    /// A plain read: a slot shown free may be taken before it is booked, and booking
    /// checks again.
    fn free_slots(
        &self,
        service: &str,
        from: NaiveDate,
        count: usize,
        now: DateTime<Utc>,
    ) -> Result<Vec<FreeSlot>>;

    /// The bookings of a Rome day, every state, by start then code. A plain read.
    fn appointments_of_day(&self, day: NaiveDate) -> Result<Vec<Appointment>>;

    /// A booking by its code. A plain read.
    fn appointment(&self, code: BookingCode) -> Result<Appointment>;
}

/// The writing half, inside a [`super::Tx`]. Every method that changes a booking writes an
/// `appointment_event` row; the service writes the audit entry in the same transaction.
pub trait AppointmentWork {
    /// Book a slot. The service's bookings of that Rome day are read and the agenda's rules
    /// checked inside the same `BEGIN IMMEDIATE` transaction that inserts the booking, so
    /// that two terminals (or processes) booking the last place of a slot at once cannot
    /// both get it: the second one waits for the first to commit, then sees the slot full
    /// and gets `StoreError::BookingRefused`. The code is drawn until it is unused, under
    /// the same lock.
    fn book_appointment(
        &mut self,
        order: &BookingOrder,
        staff: &str,
        now: DateTime<Utc>,
    ) -> Result<Appointment>;

    /// Cancel a booking, which frees its place. In one `BEGIN IMMEDIATE` transaction that
    /// reads the state it changes: of two terminals cancelling (or one cancelling while
    /// another checks in), the second gets `StoreError::Appointment`.
    fn cancel_appointment(
        &mut self,
        code: BookingCode,
        staff: &str,
        now: DateTime<Utc>,
    ) -> Result<Appointment>;

    /// Move booking `code` to the slot at `local` (Europe/Rome wall-clock): the booking is
    /// cancelled (its event `rescheduled`) and a new one booked for the same person and
    /// service, with a new code, the same `booked_via`, and `rescheduled_from` = the old
    /// booking's id (`Appointment::reschedule`). Asking for the booking's own slot is bad
    /// input (`StoreError::Input`, field `at`).
    ///
    /// One `BEGIN IMMEDIATE` transaction reads the old booking and the new day's bookings,
    /// checks the agenda's rules as `book_appointment` does (the old booking's own place and
    /// its one-booking-a-day rule do not count against the new slot:
    /// `BookingRequest::replacing`), and writes both halves. What may race, and what the
    /// loser gets: another terminal booking the new slot's last place wins or loses as in
    /// `book_appointment` (the loser gets `StoreError::BookingRefused` and keeps its old
    /// booking untouched, since nothing of the transaction is written); two terminals moving,
    /// cancelling or checking in the same booking: the second finds it no longer booked and
    /// gets `StoreError::Appointment`.
    fn reschedule_appointment(
        &mut self,
        code: BookingCode,
        local: NaiveDateTime,
        staff: &str,
        now: DateTime<Utc>,
    ) -> Result<Rescheduled>;

    /// Check a person in at `now`: the domain's `check_in` decides the channel and the
    /// slot the ticket carries; the access and the ticket are written as `register` writes
    /// them (someone new becomes a visitor from the booking's names; a visitor on file is
    /// that visitor), and the booking is marked checked in with its access, all in one
    /// `BEGIN IMMEDIATE` transaction: a booking is never checked in twice, nor without its
    /// ticket.
    ///
    /// The access takes a new id: a second check-in of the booking is refused. What tests
    /// and tools use; a terminal, which may retry, uses [`AppointmentWork::check_in_once`].
    fn check_in_appointment(
        &mut self,
        code: BookingCode,
        staff: &str,
        now: DateTime<Utc>,
    ) -> Result<CheckedIn> {
        self.check_in_once(code, uuid_at(now), staff, now)
            .map(Issued::into_inner)
    }

    /// [`AppointmentWork::check_in_appointment`] with the access id the caller made before
    /// sending (as [`super::Registration::access_id`]), saying whether the ticket was issued
    /// now. When the booking is already checked in with an access of that id (a retry after
    /// a reply lost on the way back), nothing is written and its ticket is given again, as
    /// it was issued; checked in with another access, it is refused as any closed booking.
    /// An id that another arrival already holds is bad input (`StoreError::Input`, field
    /// `access_id`): it would hand over someone else's ticket.
    fn check_in_once(
        &mut self,
        code: BookingCode,
        access_id: Uuid,
        staff: &str,
        now: DateTime<Utc>,
    ) -> Result<Issued<CheckedIn>>;

    /// The end-of-day sweep: the bookings of `day` still booked once the agenda says so
    /// (`Agenda::no_shows`) become no-shows. Idempotent; in one `BEGIN IMMEDIATE`
    /// transaction, so a check-in racing the sweep either lands first (and the booking is
    /// not swept) or finds it a no-show. Returns the bookings it changed.
    fn sweep_no_shows(&mut self, day: NaiveDate, now: DateTime<Utc>) -> Result<Vec<Appointment>>;
}

/// Why a check-in may not take an access id that another arrival holds: it would be given
/// that arrival's ticket.
pub(crate) fn access_id_taken(access_id: Uuid) -> FieldError {
    FieldError::new(
        "access_id",
        format!("{access_id} is already another arrival's access id"),
    )
}
