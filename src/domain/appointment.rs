//! Appointments: a person, a service and a slot, booked by the contact center, by email or at
//! the desk, and what becomes of them (checked in, no-show, cancelled).
//!
//! The agenda that decides which slots can be booked is in [`super::agenda`]; the code a
//! person says at the desk is in [`code`]; the text that confirms a booking is in
//! [`confirmation`].

pub mod code;
pub mod confirmation;

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::access::Channel;
use super::hours::rome_day;
use super::names::name_key;
use super::visitor::{FieldError, parse_phone, validate_birth_date, validate_name};

pub use code::{BookingCode, CodeError};
pub use confirmation::{ConfirmationLanguage, confirmation_text};

/// Minutes after the slot's start within which a person still counts as on time.
pub const DEFAULT_LATENESS_MINUTES: u32 = 30;

/// Who the appointment is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Person {
    /// A visitor already on file.
    OnFile { visitor_id: Uuid },
    /// Someone the center has not met yet: the contact center books before anyone can check
    /// whether the person is on file, so reception matches them at check-in.
    New(NewPerson),
}

/// What the contact center or an email gives of someone new.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPerson {
    pub family_name: String,
    pub given_name: String,
    pub birth_date: Option<NaiveDate>,
    pub phone: Option<String>,
}

impl NewPerson {
    /// Checks the fields as the visitor form does, so that a booking never holds a name the
    /// register would later refuse. `phone` empty means not given.
    pub fn new(
        family_name: &str,
        given_name: &str,
        birth_date: Option<NaiveDate>,
        phone: &str,
        today: NaiveDate,
    ) -> Result<Self, FieldError> {
        Ok(NewPerson {
            family_name: validate_name("family_name", family_name)?,
            given_name: validate_name("given_name", given_name)?,
            birth_date: birth_date
                .map(|d| validate_birth_date(d, today))
                .transpose()?,
            phone: parse_phone(phone)?,
        })
    }
}

impl Person {
    /// Whether two bookings are surely for the same person, for the one-booking-per-day rule.
    ///
    /// Names are compared as the search compares them (case, accents and order folded) and
    /// birth dates must not disagree. A visitor on file and a new name are never the same
    /// here: only the store can tell, and refusing a booking on a guess would be worse than
    /// letting a rare double through.
    pub fn same_as(&self, other: &Person) -> bool {
        match (self, other) {
            (Person::OnFile { visitor_id: a }, Person::OnFile { visitor_id: b }) => a == b,
            (Person::New(a), Person::New(b)) => {
                let dates_agree = match (a.birth_date, b.birth_date) {
                    (Some(x), Some(y)) => x == y,
                    _ => true,
                };
                dates_agree
                    && name_key(&a.family_name, &a.given_name)
                        == name_key(&b.family_name, &b.given_name)
            }
            _ => false,
        }
    }
}

/// How the appointment was booked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BookedVia {
    /// The city contact center, on the phone.
    ContactCenter,
    Email,
    /// At the front office, usually a follow-up.
    Desk,
}

impl BookedVia {
    pub const ALL: [BookedVia; 3] = [BookedVia::ContactCenter, BookedVia::Email, BookedVia::Desk];

    /// The stable code of the database, the CSV and the command line.
    pub fn code(self) -> &'static str {
        match self {
            BookedVia::ContactCenter => "contact-center",
            BookedVia::Email => "email",
            BookedVia::Desk => "desk",
        }
    }
}

impl fmt::Display for BookedVia {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for BookedVia {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        BookedVia::ALL
            .into_iter()
            .find(|v| v.code() == wanted)
            .ok_or_else(|| {
                format!("unknown booking channel '{s}' (expected contact-center, email or desk)")
            })
    }
}

/// Where an appointment is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AppointmentState {
    Booked,
    CheckedIn,
    NoShow,
    Cancelled,
}

impl AppointmentState {
    pub const ALL: [AppointmentState; 4] = [
        AppointmentState::Booked,
        AppointmentState::CheckedIn,
        AppointmentState::NoShow,
        AppointmentState::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AppointmentState::Booked => "booked",
            AppointmentState::CheckedIn => "checked-in",
            AppointmentState::NoShow => "no-show",
            AppointmentState::Cancelled => "cancelled",
        }
    }

    /// Whether the appointment takes one of its slot's places. A checked-in person used the
    /// place and a no-show held it until it was too late to give it away; only a cancellation
    /// frees it.
    pub fn holds_place(self) -> bool {
        !matches!(self, AppointmentState::Cancelled)
    }

    /// Whether something can still happen to it.
    pub fn is_open(self) -> bool {
        self == AppointmentState::Booked
    }

    /// The lifecycle: a booking is checked in, becomes a no-show, or is cancelled, once.
    /// Anything else is an error, never a silent no-op, so that two terminals acting on one
    /// booking find out. A no-show who turns up another day books again.
    pub fn apply(self, event: AppointmentEvent) -> Result<AppointmentState, StateError> {
        use AppointmentEvent as E;
        use AppointmentState as S;
        match (self, event) {
            (S::Booked, E::CheckIn) => Ok(S::CheckedIn),
            (S::Booked, E::NoShow) => Ok(S::NoShow),
            (S::Booked, E::Cancel) => Ok(S::Cancelled),
            (from, event) => Err(StateError { from, event }),
        }
    }
}

impl fmt::Display for AppointmentState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for AppointmentState {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AppointmentState::ALL
            .into_iter()
            .find(|st| st.code() == s)
            .ok_or_else(|| format!("unknown appointment state '{s}'"))
    }
}

/// What can happen to an appointment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AppointmentEvent {
    CheckIn,
    NoShow,
    /// Also the first half of a reschedule.
    Cancel,
}

impl AppointmentEvent {
    pub const ALL: [AppointmentEvent; 3] = [
        AppointmentEvent::CheckIn,
        AppointmentEvent::NoShow,
        AppointmentEvent::Cancel,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AppointmentEvent::CheckIn => "check-in",
            AppointmentEvent::NoShow => "no-show",
            AppointmentEvent::Cancel => "cancel",
        }
    }
}

/// An event the appointment's state does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an appointment that is {} cannot take '{}'", .from.code(), .event.code())]
pub struct StateError {
    pub from: AppointmentState,
    pub event: AppointmentEvent,
}

/// An appointment as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appointment {
    pub id: Uuid,
    pub code: BookingCode,
    pub person: Person,
    /// A service code of the catalogue (`reference::services`).
    pub service: String,
    /// The slot's start. Stored as UTC; the agenda reasons about it in Europe/Rome.
    pub start: DateTime<Utc>,
    pub booked_via: BookedVia,
    pub booked_at: DateTime<Utc>,
    pub state: AppointmentState,
    /// The cancelled booking this one replaces, when it was a reschedule.
    pub rescheduled_from: Option<Uuid>,
}

/// The two halves of a reschedule, both to be written in one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rescheduled {
    /// The old booking, now cancelled.
    pub cancelled: Appointment,
    /// The new booking, pointing back at the old one.
    pub booked: Appointment,
}

impl Appointment {
    /// Moves the appointment to `start` (a slot the agenda accepted with this booking's id
    /// as `replacing`): cancels this booking and books a new one for the same person and
    /// service, linked to it.
    ///
    /// A cancel and a new row rather than an edited time, so that the history (and the
    /// contact center's count of reschedules) survives. The new booking takes a new code:
    /// a code then names one booking forever, and the confirmation of the move says it.
    pub fn reschedule(
        &self,
        new_id: Uuid,
        code: BookingCode,
        start: DateTime<Utc>,
        booked_via: BookedVia,
        now: DateTime<Utc>,
    ) -> Result<Rescheduled, StateError> {
        let state = self.state.apply(AppointmentEvent::Cancel)?;
        Ok(Rescheduled {
            cancelled: Appointment {
                state,
                ..self.clone()
            },
            booked: Appointment {
                id: new_id,
                code,
                person: self.person.clone(),
                service: self.service.clone(),
                start,
                booked_via,
                booked_at: now,
                state: AppointmentState::Booked,
                rescheduled_from: Some(self.id),
            },
        })
    }
}

/// How an arrival compares with the slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Punctuality {
    /// Before the slot: the ticket waits until the slot is due.
    Early { minutes: i64 },
    /// From the slot's start to the end of the lateness allowance, both included.
    OnTime { minutes_late: i64 },
    /// Past the allowance: served as a walk-in.
    Late { minutes: i64 },
}

/// What checking in gives the ticket to issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckIn {
    pub punctuality: Punctuality,
    /// `appointment` unless the person is late, then `walk-in`.
    pub channel: Channel,
    /// The slot's start, which puts the ticket ahead in the queue once due
    /// (see `access::queue_order`); `None` for a late arrival, who queues in arrival order.
    pub appointment_at: Option<DateTime<Utc>>,
}

impl CheckIn {
    /// The `late` of the command line's `appointment check-in`.
    pub fn late(&self) -> bool {
        matches!(self.punctuality, Punctuality::Late { .. })
    }
}

/// Why a booking cannot be checked in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckInError {
    #[error("booking {code} is {state}, not booked")]
    NotOpen {
        code: BookingCode,
        state: AppointmentState,
    },
    #[error("booking {code} is for {booked}, not today ({today})")]
    OtherDay {
        code: BookingCode,
        booked: NaiveDate,
        today: NaiveDate,
    },
}

/// Checks a person in for `appointment` at `arrived_at`.
///
/// Only on the appointment's own Rome day: someone coming a day early or late has no slot
/// today and registers as a walk-in (or rebooks). Within the day, the arrival is early before
/// the slot, on time up to `lateness_minutes` after its start, late afterwards. A late
/// person is still checked in (they came: the booking is not a no-show) but queues as a
/// walk-in, because their slot's place has been given away by then.
pub fn check_in(
    appointment: &Appointment,
    arrived_at: DateTime<Utc>,
    lateness_minutes: u32,
) -> Result<CheckIn, CheckInError> {
    if !appointment.state.is_open() {
        return Err(CheckInError::NotOpen {
            code: appointment.code,
            state: appointment.state,
        });
    }
    let booked = rome_day(appointment.start);
    let today = rome_day(arrived_at);
    if booked != today {
        return Err(CheckInError::OtherDay {
            code: appointment.code,
            booked,
            today,
        });
    }
    let offset = arrived_at.signed_duration_since(appointment.start);
    let punctuality = if offset < TimeDelta::zero() {
        Punctuality::Early {
            minutes: minutes_rounded_up(-offset),
        }
    } else if offset <= TimeDelta::minutes(i64::from(lateness_minutes)) {
        Punctuality::OnTime {
            minutes_late: offset.num_minutes(),
        }
    } else {
        Punctuality::Late {
            minutes: offset.num_minutes(),
        }
    };
    Ok(match punctuality {
        Punctuality::Late { .. } => CheckIn {
            punctuality,
            channel: Channel::WalkIn,
            appointment_at: None,
        },
        _ => CheckIn {
            punctuality,
            channel: Channel::Appointment,
            appointment_at: Some(appointment.start),
        },
    })
}

/// Someone 20 seconds early is "1 minute early", not "0 minutes early".
fn minutes_rounded_up(d: TimeDelta) -> i64 {
    let whole = d.num_minutes();
    if d > TimeDelta::minutes(whole) {
        whole + 1
    } else {
        whole
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::hours::rome_local_to_utc;
    use chrono::NaiveDateTime;
    use proptest::prelude::*;

    /// A Europe/Rome wall-clock time as an instant.
    pub(crate) fn rome(s: &str) -> DateTime<Utc> {
        let local = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("test literal");
        rome_local_to_utc(local).expect("an existing local time")
    }

    pub(crate) fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test literal")
    }

    pub(crate) fn on_file(n: u128) -> Person {
        Person::OnFile {
            visitor_id: Uuid::from_u128(n),
        }
    }

    /// A booked appointment for `housing` at a Rome wall-clock time.
    pub(crate) fn booked(id: u128, person: Person, at: &str) -> Appointment {
        Appointment {
            id: Uuid::from_u128(id),
            code: BookingCode::from_random(id as u64 * 7919),
            person,
            service: "housing".to_string(),
            start: rome(at),
            booked_via: BookedVia::ContactCenter,
            booked_at: rome("2025-06-02 10:00"),
            state: AppointmentState::Booked,
            rescheduled_from: None,
        }
    }

    #[test]
    fn appointment_transitions_are_exactly_these() {
        use AppointmentEvent as E;
        use AppointmentState as S;
        let allowed = [
            (S::Booked, E::CheckIn, S::CheckedIn),
            (S::Booked, E::NoShow, S::NoShow),
            (S::Booked, E::Cancel, S::Cancelled),
        ];
        for from in S::ALL {
            for event in E::ALL {
                let expected = allowed
                    .iter()
                    .find(|(f, e, _)| *f == from && *e == event)
                    .map(|(_, _, to)| *to);
                match expected {
                    Some(to) => assert_eq!(from.apply(event), Ok(to)),
                    None => assert_eq!(from.apply(event), Err(StateError { from, event })),
                }
            }
        }
        assert_eq!(
            S::Cancelled.apply(E::CheckIn).map_err(|e| e.to_string()),
            Err("an appointment that is cancelled cannot take 'check-in'".to_string())
        );
    }

    #[test]
    fn appointment_codes_round_trip() {
        for s in AppointmentState::ALL {
            assert_eq!(s.code().parse::<AppointmentState>(), Ok(s));
            assert_eq!(
                serde_json::to_string(&s).ok(),
                Some(format!("\"{}\"", s.code()))
            );
        }
        for v in BookedVia::ALL {
            assert_eq!(v.code().parse::<BookedVia>(), Ok(v));
            assert_eq!(
                serde_json::to_string(&v).ok(),
                Some(format!("\"{}\"", v.code()))
            );
        }
        assert_eq!(
            " Contact-Center ".parse::<BookedVia>(),
            Ok(BookedVia::ContactCenter)
        );
        assert!("phone".parse::<BookedVia>().is_err());
        assert!(!AppointmentState::Cancelled.holds_place());
        assert!(AppointmentState::NoShow.holds_place());
    }

    #[test]
    fn appointment_serde_keeps_person_kinds_apart() {
        let today = day("2025-06-02");
        let new = NewPerson::new(
            "Rahman",
            "Hasina",
            Some(day("1990-03-01")),
            "+39 333 1234567",
            today,
        )
        .expect("valid");
        let a = booked(1, Person::New(new), "2025-06-09 10:00");
        let json = serde_json::to_value(&a).expect("serialize");
        assert_eq!(json["person"]["kind"], "new");
        assert_eq!(json["booked_via"], "contact-center");
        assert_eq!(json["state"], "booked");
        let back: Appointment = serde_json::from_value(json).expect("deserialize");
        assert_eq!(back, a);
        let b = booked(2, on_file(9), "2025-06-09 10:00");
        let json = serde_json::to_value(&b).expect("serialize");
        assert_eq!(json["person"]["kind"], "on-file");
    }

    #[test]
    fn appointment_new_person_is_checked_like_the_visitor_form() {
        let today = day("2025-06-02");
        assert_eq!(
            NewPerson::new("  ", "Ana", None, "", today).map_err(|e| e.field),
            Err("family_name")
        );
        assert_eq!(
            NewPerson::new("Quispe", "Ana", Some(day("2030-01-01")), "", today)
                .map_err(|e| e.field),
            Err("birth_date")
        );
        assert_eq!(
            NewPerson::new("Quispe", "Ana", None, "call me", today).map_err(|e| e.field),
            Err("phone")
        );
        let p = NewPerson::new(" Quispe ", "Ana", None, "", today).expect("valid");
        assert_eq!(p.family_name, "Quispe");
        assert_eq!(p.phone, None);
    }

    #[test]
    fn appointment_same_person_is_never_a_guess() {
        let today = day("2025-06-02");
        let new = |f: &str, g: &str, b: Option<&str>| {
            Person::New(NewPerson::new(f, g, b.map(day), "", today).expect("valid"))
        };
        assert!(on_file(1).same_as(&on_file(1)));
        assert!(!on_file(1).same_as(&on_file(2)));
        // Swapped fields, case and accents do not make a different person.
        assert!(new("José", "Quispe", None).same_as(&new("quispe", "Jose", None)));
        assert!(
            new("Rahman", "Hasina", Some("1990-03-01")).same_as(&new("Rahman", "Hasina", None))
        );
        assert!(!new("Rahman", "Hasina", Some("1990-03-01")).same_as(&new(
            "Rahman",
            "Hasina",
            Some("1991-03-01")
        )));
        assert!(!on_file(1).same_as(&new("Rahman", "Hasina", None)));
    }

    #[test]
    fn appointment_reschedule_cancels_and_links() {
        let old = booked(1, on_file(5), "2025-06-09 10:00");
        let now = rome("2025-06-05 12:00");
        let code = BookingCode::from_random(42);
        let r = old
            .reschedule(
                Uuid::from_u128(2),
                code,
                rome("2025-06-10 11:00"),
                BookedVia::Desk,
                now,
            )
            .expect("a booked appointment can move");
        assert_eq!(r.cancelled.state, AppointmentState::Cancelled);
        assert_eq!(r.cancelled.start, old.start);
        assert_eq!(r.booked.rescheduled_from, Some(old.id));
        assert_eq!(r.booked.state, AppointmentState::Booked);
        assert_eq!(r.booked.person, old.person);
        assert_eq!(r.booked.service, old.service);
        assert_eq!(r.booked.code, code);
        assert_eq!(r.booked.booked_at, now);
        assert_eq!(r.booked.booked_via, BookedVia::Desk);
        // A cancelled booking cannot move again.
        assert_eq!(
            r.cancelled.reschedule(
                Uuid::from_u128(3),
                code,
                rome("2025-06-11 11:00"),
                BookedVia::Desk,
                now
            ),
            Err(StateError {
                from: AppointmentState::Cancelled,
                event: AppointmentEvent::Cancel
            })
        );
    }

    #[test]
    fn appointment_check_in_early_on_time_late() {
        let a = booked(1, on_file(5), "2025-06-09 10:30");
        let at = |s| check_in(&a, rome(s), DEFAULT_LATENESS_MINUTES);

        let early = at("2025-06-09 09:05").expect("same day");
        assert_eq!(early.punctuality, Punctuality::Early { minutes: 85 });
        assert_eq!(early.channel, Channel::Appointment);
        assert_eq!(early.appointment_at, Some(a.start));
        assert!(!early.late());

        let sharp = at("2025-06-09 10:30").expect("same day");
        assert_eq!(sharp.punctuality, Punctuality::OnTime { minutes_late: 0 });
        let edge = at("2025-06-09 11:00").expect("same day");
        assert_eq!(edge.punctuality, Punctuality::OnTime { minutes_late: 30 });
        assert_eq!(edge.appointment_at, Some(a.start));

        let late = at("2025-06-09 11:01").expect("same day");
        assert_eq!(late.punctuality, Punctuality::Late { minutes: 31 });
        assert_eq!(late.channel, Channel::WalkIn);
        assert_eq!(late.appointment_at, None);
        assert!(late.late());

        // A lateness of zero: one second past the start is late.
        let strict = check_in(&a, a.start + TimeDelta::seconds(61), 0).expect("same day");
        assert!(strict.late());
        let barely = check_in(&a, a.start - TimeDelta::seconds(20), 0).expect("same day");
        assert_eq!(barely.punctuality, Punctuality::Early { minutes: 1 });
    }

    #[test]
    fn appointment_check_in_refuses_other_days_and_closed_bookings() {
        let a = booked(1, on_file(5), "2025-06-09 10:30");
        assert_eq!(
            check_in(&a, rome("2025-06-10 10:30"), 30),
            Err(CheckInError::OtherDay {
                code: a.code,
                booked: day("2025-06-09"),
                today: day("2025-06-10"),
            })
        );
        let cancelled = Appointment {
            state: AppointmentState::Cancelled,
            ..a.clone()
        };
        let err = check_in(&cancelled, rome("2025-06-09 10:30"), 30).expect_err("cancelled");
        assert_eq!(
            err.to_string(),
            format!("booking {} is cancelled, not booked", a.code)
        );
    }

    proptest! {
        #[test]
        fn appointment_any_event_sequence_ends_after_one_step(
            events in proptest::collection::vec(0usize..3, 0..8)
        ) {
            let mut state = AppointmentState::Booked;
            let mut applied = 0;
            for e in events {
                if let Ok(next) = state.apply(AppointmentEvent::ALL[e]) {
                    state = next;
                    applied += 1;
                }
            }
            prop_assert!(applied <= 1);
            prop_assert_eq!(state.is_open(), applied == 0);
        }

        #[test]
        fn appointment_check_in_is_late_exactly_past_the_allowance(
            offset_secs in -8 * 3600i64..8 * 3600,
            lateness in 0u32..120,
        ) {
            let a = booked(1, on_file(5), "2025-06-09 12:00");
            let arrived = a.start + TimeDelta::seconds(offset_secs);
            let c = check_in(&a, arrived, lateness).expect("same Rome day");
            prop_assert_eq!(c.late(), offset_secs > i64::from(lateness) * 60);
            prop_assert_eq!(c.appointment_at.is_some(), !c.late());
        }
    }
}
