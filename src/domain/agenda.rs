//! The appointment agenda of a service and the rules for booking it.
//!
//! Slots are laid out in Europe/Rome wall-clock time from the day's appointment hours, every
//! `slot_minutes`, each with `places_per_slot` places. The days follow the center's calendar
//! ([`OpeningHours`]): a public holiday, Sant'Ambrogio or an extra closure closes the agenda
//! as it closes the doors. Pure: the time now and the bookings held come in as arguments.
//!
//! Daylight saving: on the last Sunday of March a wall-clock slot between 02:00 and 03:00
//! does not exist, so it is never laid out and asking for it is refused as
//! [`BookingRefusal::DoesNotExist`]. On the last Sunday of October such a time happens twice;
//! the slot is the first pass (summer time), as everywhere in the crate
//! ([`super::hours::rome_local_to_utc`]), and there is no second slot at the same wall time,
//! because a person told "02:30" cannot know which one was meant.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Timelike, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::appointment::{
    Appointment, AppointmentState, BookingCode, DEFAULT_LATENESS_MINUTES, Person,
};
use super::hours::{
    ClosedReason, OpeningHours, ROME, rome_day, rome_day_bounds, rome_local_to_utc,
};

/// Default length of a slot.
pub const DEFAULT_SLOT_MINUTES: u32 = 30;
/// Default number of people booked in one slot.
pub const DEFAULT_PLACES_PER_SLOT: u32 = 1;
/// Default number of days ahead that can be booked.
pub const DEFAULT_HORIZON_DAYS: u32 = 60;

/// Slot lengths the agenda accepts: shorter is not a conversation, longer than a working day
/// is a typo.
pub const SLOT_MINUTES_RANGE: std::ops::RangeInclusive<u32> = 5..=480;

/// When appointments are given on one weekday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum DayHours {
    /// The walk-in hours of that weekday (the default): an appointment is a walk-in with a
    /// time, served by the same desks.
    WalkIn,
    /// No appointments that weekday.
    Closed,
    /// Own hours, `[from, to)` in Europe/Rome wall-clock time, e.g. Wednesday afternoon
    /// when the doors are closed to walk-ins.
    Hours { from: NaiveTime, to: NaiveTime },
}

/// The appointment agenda of one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agenda {
    /// The service code (`reference::services`).
    pub service: String,
    /// Length of a slot; see [`SLOT_MINUTES_RANGE`].
    pub slot_minutes: u32,
    /// People booked per slot (several desks may serve the service at once). 0 closes the
    /// agenda without losing its hours.
    pub places_per_slot: u32,
    /// Per weekday, index 0 = Monday.
    pub weekly: [DayHours; 7],
    /// How many days after today can be booked (today + 60 is the last by default).
    pub horizon_days: u32,
    /// Minutes after a slot's start within which a person is on time; see
    /// [`super::appointment::check_in`].
    pub lateness_minutes: u32,
}

/// A slot as laid out: its Rome wall-clock start and the instant it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Slot {
    pub start: DateTime<Utc>,
    pub local: NaiveDateTime,
}

/// A slot with places left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreeSlot {
    pub slot: Slot,
    pub free_places: u32,
}

/// A settings value the agenda cannot work with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AgendaError {
    #[error("slot length {0} min is outside 5..=480")]
    SlotLength(u32),
    #[error("appointment hours {from}-{to} on {} end before they start", WEEKDAYS[*.weekday])]
    EmptyHours {
        weekday: usize,
        from: NaiveTime,
        to: NaiveTime,
    },
    #[error(
        "'{0}' is not a day's appointment hours (write mon=09:00-13:00, wed=closed or sat=walk-in; days mon tue wed thu fri sat sun)"
    )]
    BadHours(String),
    #[error("horizon {0} days is outside 1..=366")]
    Horizon(u32),
    #[error("lateness {0} min is outside 0..=240")]
    Lateness(u32),
    #[error("places per slot {0} is outside 0..=50")]
    Places(u32),
    #[error("the stored agenda cannot be read: {0}")]
    Unreadable(String),
}

impl AgendaError {
    /// The error as every caller reports it: the `agenda` field, naming the service
    /// ("agenda: housing: slot length 600 min is outside 5..=480").
    pub fn of_service(&self, service: &str) -> super::visitor::FieldError {
        super::visitor::FieldError::new("agenda", format!("{service}: {self}"))
    }
}

/// Weekday names as the command line writes them, index 0 = Monday.
pub const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The settings row holding `service`'s agenda (an [`Agenda`] as JSON); no row: the defaults.
pub fn setting_key(service: &str) -> String {
    format!("agenda.{service}")
}

/// Lay `spec` (`wed=14:00-17:00,sat=closed,mon=walk-in`) over `week`: the days named change,
/// the others stay as they were.
pub fn parse_week(spec: &str, mut week: [DayHours; 7]) -> Result<[DayHours; 7], AgendaError> {
    for item in spec.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        let bad = || AgendaError::BadHours(item.to_string());
        let (day, hours) = item.split_once('=').ok_or_else(bad)?;
        let day = WEEKDAYS
            .iter()
            .position(|d| d.eq_ignore_ascii_case(day.trim()))
            .ok_or_else(bad)?;
        week[day] = match hours.trim() {
            "closed" => DayHours::Closed,
            "walk-in" => DayHours::WalkIn,
            range => {
                let (from, to) = range.split_once('-').ok_or_else(bad)?;
                let time =
                    |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|_| bad());
                DayHours::Hours {
                    from: time(from)?,
                    to: time(to)?,
                }
            }
        };
    }
    Ok(week)
}

/// Why a booking is refused. Each one carries what a screen needs to say it in the staff's
/// language; `Display` is the command line's English. Times are Europe/Rome wall-clock.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BookingRefusal {
    #[error("{} does not exist on {}: the clocks jump from 02:00 to 03:00 that night", hhmm(.local), .local.date())]
    DoesNotExist { local: NaiveDateTime },
    #[error("{} on {} is in the past", hhmm(.local), .local.date())]
    InThePast { local: NaiveDateTime },
    #[error("{day} is beyond the booking horizon (the last day that can be booked is {last_day})")]
    BeyondHorizon { day: NaiveDate, last_day: NaiveDate },
    #[error("no appointments on {day}: {}", closed_words(.reason))]
    ClosedDay {
        day: NaiveDate,
        reason: ClosedReason,
    },
    #[error("{} on {} is outside appointment hours ({}-{})", hhmm(.local), .local.date(), .from.format("%H:%M"), .to.format("%H:%M"))]
    OutsideHours {
        local: NaiveDateTime,
        from: NaiveTime,
        to: NaiveTime,
    },
    #[error("{} is not the start of a slot (slots start every {slot_minutes} min from {}; nearest: {})", hhmm(.local), .first.format("%H:%M"), hhmm(.nearest))]
    NotOnSlot {
        local: NaiveDateTime,
        slot_minutes: u32,
        first: NaiveTime,
        /// The slot start closest to the time asked, for "did you mean 10:30?".
        nearest: NaiveDateTime,
    },
    #[error("this person already holds booking {code} for this service on {} (at {})", .local.date(), hhmm(.local))]
    AlreadyBooked {
        code: BookingCode,
        local: NaiveDateTime,
    },
    #[error("the {} slot is full; {}", hhmm(.local), next_words(.next_free))]
    SlotFull {
        local: NaiveDateTime,
        /// The next slot of the same day with a place, if any is left.
        next_free: Option<NaiveDateTime>,
    },
}

fn hhmm(t: &NaiveDateTime) -> String {
    t.format("%H:%M").to_string()
}

fn next_words(next: &Option<NaiveDateTime>) -> String {
    match next {
        Some(t) => format!("next free: {}", hhmm(t)),
        None => "no free slot left that day".to_string(),
    }
}

fn closed_words(reason: &ClosedReason) -> String {
    match reason {
        ClosedReason::Holiday(name) => format!("public holiday ({name})"),
        ClosedReason::ExtraClosure => "the center is closed that day".to_string(),
        // The agenda only asks about whole days; the last two cannot come from it.
        ClosedReason::ClosedDay | ClosedReason::BeforeOpening | ClosedReason::AfterClosing => {
            "not an appointment day".to_string()
        }
    }
}

/// A booking asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingRequest<'a> {
    pub person: &'a Person,
    /// The slot asked for, in Europe/Rome wall-clock time: what a person says on the phone
    /// and what the command line takes.
    pub local: NaiveDateTime,
    /// The booking this one replaces, in a reschedule: neither its place nor the person's
    /// one-booking-a-day rule counts against the new slot.
    pub replacing: Option<Uuid>,
}

impl Agenda {
    /// The default agenda of `service`: 30-minute slots, one place each, at walk-in hours,
    /// 60 days ahead, 30 minutes of lateness allowed.
    pub fn new(service: impl Into<String>) -> Self {
        Agenda {
            service: service.into(),
            slot_minutes: DEFAULT_SLOT_MINUTES,
            places_per_slot: DEFAULT_PLACES_PER_SLOT,
            weekly: [DayHours::WalkIn; 7],
            horizon_days: DEFAULT_HORIZON_DAYS,
            lateness_minutes: DEFAULT_LATENESS_MINUTES,
        }
    }

    /// `service`'s agenda from its settings row (`None`: no row, the defaults). A row that
    /// does not parse, or names another service, is an error rather than the defaults: an
    /// agenda silently back to 30-minute slots would book people into hours nobody works.
    pub fn from_setting(service: &str, value: Option<&str>) -> Result<Agenda, AgendaError> {
        let Some(value) = value else {
            return Ok(Agenda::new(service));
        };
        let agenda: Agenda =
            serde_json::from_str(value).map_err(|e| AgendaError::Unreadable(e.to_string()))?;
        if agenda.service != service {
            return Err(AgendaError::Unreadable(format!(
                "it is the agenda of {}, not of {service}",
                agenda.service
            )));
        }
        Ok(agenda)
    }

    /// The settings row's value of this agenda.
    pub fn to_setting(&self) -> Result<String, AgendaError> {
        serde_json::to_string(self).map_err(|e| AgendaError::Unreadable(e.to_string()))
    }

    /// Checks the settings, for the screen that edits them. The other functions still work on
    /// an invalid agenda (the slot length is clamped, empty hours give no slots) so that a
    /// bad value in a settings row cannot take check-in down.
    pub fn validate(&self) -> Result<(), AgendaError> {
        if !SLOT_MINUTES_RANGE.contains(&self.slot_minutes) {
            return Err(AgendaError::SlotLength(self.slot_minutes));
        }
        if !(1..=366).contains(&self.horizon_days) {
            return Err(AgendaError::Horizon(self.horizon_days));
        }
        if self.lateness_minutes > 240 {
            return Err(AgendaError::Lateness(self.lateness_minutes));
        }
        if self.places_per_slot > 50 {
            return Err(AgendaError::Places(self.places_per_slot));
        }
        for (weekday, day) in self.weekly.iter().enumerate() {
            if let DayHours::Hours { from, to } = *day
                && from >= to
            {
                return Err(AgendaError::EmptyHours { weekday, from, to });
            }
        }
        Ok(())
    }

    fn slot_len(&self) -> u32 {
        self.slot_minutes
            .clamp(*SLOT_MINUTES_RANGE.start(), *SLOT_MINUTES_RANGE.end())
    }

    /// The appointment hours of `day`, or why there are none: the center's calendar
    /// (holidays, closures) with this agenda's weekday hours laid over it.
    pub fn hours_on(
        &self,
        center: &OpeningHours,
        day: NaiveDate,
    ) -> Result<(NaiveTime, NaiveTime), ClosedReason> {
        let weekly = std::array::from_fn(|i| match self.weekly[i] {
            DayHours::WalkIn => center.weekly[i],
            DayHours::Closed => None,
            DayHours::Hours { from, to } => Some((from, to)),
        });
        OpeningHours {
            weekly,
            extra_closures: center.extra_closures.clone(),
            closed_on_public_holidays: center.closed_on_public_holidays,
        }
        .day_hours(day)
    }

    /// Every slot of `day` in order, booked or not; none on a closed day. A slot must end by
    /// the closing time; wall-clock starts that do not exist that night are left out.
    pub fn slots_on(&self, center: &OpeningHours, day: NaiveDate) -> Vec<Slot> {
        let Ok((from, to)) = self.hours_on(center, day) else {
            return Vec::new();
        };
        let len = self.slot_len();
        let (first, end) = (minutes_of(from), minutes_of(to));
        (first..)
            .step_by(len as usize)
            .take_while(|m| m + len <= end)
            .filter_map(|m| slot_at(day, m))
            .collect()
    }

    /// The last day that can be booked on `today`.
    pub fn last_bookable_day(&self, today: NaiveDate) -> NaiveDate {
        today
            .checked_add_days(chrono::Days::new(u64::from(self.horizon_days)))
            .unwrap_or(NaiveDate::MAX)
    }

    /// The booking rules: whether `request` can be booked at `now`, given the bookings
    /// `held` (those of this service on that day are enough; others are ignored). On success,
    /// the slot to store.
    ///
    /// Checked in this order, and the first that fails is the reason: the time exists, is not
    /// in the past (a slot starting this minute can still be booked at the desk), is within
    /// the horizon, on an appointment day, within its hours, on a slot start; the person does
    /// not already hold a booking for this service that day; the slot has a place.
    pub fn check_booking(
        &self,
        center: &OpeningHours,
        now: DateTime<Utc>,
        request: &BookingRequest<'_>,
        held: &[Appointment],
    ) -> Result<Slot, BookingRefusal> {
        let local = request.local;
        let day = local.date();
        let start = rome_local_to_utc(local).map_err(|_| BookingRefusal::DoesNotExist { local })?;
        if start < now {
            return Err(BookingRefusal::InThePast { local });
        }
        let last_day = self.last_bookable_day(rome_day(now));
        if day > last_day {
            return Err(BookingRefusal::BeyondHorizon { day, last_day });
        }
        let (from, to) = self
            .hours_on(center, day)
            .map_err(|reason| BookingRefusal::ClosedDay { day, reason })?;
        let len = self.slot_len();
        let asked = minutes_of(local.time());
        let (first, end) = (minutes_of(from), minutes_of(to));
        if asked < first || asked >= end || end - first < len {
            return Err(BookingRefusal::OutsideHours { local, from, to });
        }
        // The last start whose slot ends by closing time.
        let last = first + (end - first - len) / len * len;
        let on_grid = (asked - first).is_multiple_of(len) && asked <= last;
        if !on_grid || local.second() != 0 || local.nanosecond() != 0 {
            let below = first + (asked - first) / len * len;
            let nearest = if asked - below >= len / 2 {
                below + len
            } else {
                below
            }
            .min(last);
            return Err(BookingRefusal::NotOnSlot {
                local,
                slot_minutes: len,
                first: from,
                nearest: day.and_time(time_of(nearest)),
            });
        }
        // For an October wall-clock time that happens twice, `start` is already the first
        // pass, the one `slots_on` lays out.
        let slot = Slot { start, local };

        let relevant = || {
            held.iter().filter(|a| {
                a.service == self.service
                    && Some(a.id) != request.replacing
                    && rome_day(a.start) == day
            })
        };
        if let Some(mine) =
            relevant().find(|a| a.state.is_open() && a.person.same_as(request.person))
        {
            return Err(BookingRefusal::AlreadyBooked {
                code: mine.code,
                local: mine.start.with_timezone(&ROME).naive_local(),
            });
        }
        let taken = taken_places(relevant());
        if self.free_places(&taken, &slot) == 0 {
            let next_free = self
                .slots_on(center, day)
                .into_iter()
                .find(|s| s.start > slot.start && s.start >= now && self.free_places(&taken, s) > 0)
                .map(|s| s.local);
            return Err(BookingRefusal::SlotFull { local, next_free });
        }
        Ok(slot)
    }

    /// The next `n` slots with a place, from the start of `from` (or from `now`, if later) to
    /// the end of the horizon, given the bookings `held` over those days.
    pub fn free_slots(
        &self,
        center: &OpeningHours,
        now: DateTime<Utc>,
        from: NaiveDate,
        n: usize,
        held: &[Appointment],
    ) -> Vec<FreeSlot> {
        let taken = taken_places(held.iter().filter(|a| a.service == self.service));
        let today = rome_day(now);
        let last = self.last_bookable_day(today);
        let first = from.max(today);
        first
            .iter_days()
            .take_while(|d| *d <= last)
            .flat_map(|d| self.slots_on(center, d))
            .filter(|s| s.start >= now)
            .filter_map(|slot| {
                let free_places = self.free_places(&taken, &slot);
                (free_places > 0).then_some(FreeSlot { slot, free_places })
            })
            .take(n)
            .collect()
    }

    /// The instant from which the bookings of `day` still booked become no-shows: when the
    /// doors close for everyone that day, appointments or walk-ins, whichever is later, since
    /// a late person is still served as a walk-in and then counts as checked in. On a day
    /// that has neither (the hours changed after the booking), the end of the Rome day.
    pub fn no_show_from(&self, center: &OpeningHours, day: NaiveDate) -> DateTime<Utc> {
        let (_, day_end) = rome_day_bounds(day);
        let close = |hours: Result<(NaiveTime, NaiveTime), ClosedReason>| {
            hours
                .ok()
                .map(|(_, to)| rome_local_to_utc(day.and_time(to)).unwrap_or(day_end))
        };
        let appointments = close(self.hours_on(center, day));
        let walk_ins = close(center.day_hours(day));
        appointments.max(walk_ins).unwrap_or(day_end)
    }

    /// The end-of-day sweep: the bookings of this service on `day` that become no-shows at
    /// `now`. None before [`Agenda::no_show_from`], and never one whose lateness allowance
    /// has not run out (a slot configured after closing time).
    pub fn no_shows<'a>(
        &self,
        center: &OpeningHours,
        day: NaiveDate,
        now: DateTime<Utc>,
        held: &'a [Appointment],
    ) -> Vec<&'a Appointment> {
        if now < self.no_show_from(center, day) {
            return Vec::new();
        }
        let lateness = TimeDelta::minutes(i64::from(self.lateness_minutes));
        held.iter()
            .filter(|a| {
                a.service == self.service
                    && a.state == AppointmentState::Booked
                    && rome_day(a.start) == day
                    && a.start + lateness < now
            })
            .collect()
    }

    fn free_places(&self, taken: &HashMap<DateTime<Utc>, u32>, slot: &Slot) -> u32 {
        self.places_per_slot
            .saturating_sub(taken.get(&slot.start).copied().unwrap_or(0))
    }
}

/// Places held per slot start.
fn taken_places<'a>(
    bookings: impl Iterator<Item = &'a Appointment>,
) -> HashMap<DateTime<Utc>, u32> {
    let mut taken = HashMap::new();
    for a in bookings.filter(|a| a.state.holds_place()) {
        *taken.entry(a.start).or_insert(0u32) += 1;
    }
    taken
}

fn minutes_of(t: NaiveTime) -> u32 {
    t.hour() * 60 + t.minute()
}

fn time_of(minutes: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(minutes / 60 % 24, minutes % 60, 0).unwrap_or(NaiveTime::MIN)
}

/// The slot at `minutes` after midnight of `day`, if that wall-clock time exists; the
/// earlier instant when it happens twice.
fn slot_at(day: NaiveDate, minutes: u32) -> Option<Slot> {
    if minutes >= 24 * 60 {
        return None;
    }
    let local = day.and_time(time_of(minutes));
    rome_local_to_utc(local)
        .ok()
        .map(|start| Slot { start, local })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::appointment::tests::{booked, day, on_file, rome};
    use crate::domain::appointment::{BookedVia, NewPerson};
    use proptest::prelude::*;

    fn local(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("test literal")
    }

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).expect("test literal")
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("test literal")
            .with_timezone(&Utc)
    }

    #[test]
    fn a_week_is_laid_over_the_days_it_names() {
        let week =
            parse_week("wed=14:00-17:00, SAT=closed", [DayHours::WalkIn; 7]).expect("a good spec");
        assert_eq!(
            week[2],
            DayHours::Hours {
                from: hm(14, 0),
                to: hm(17, 0)
            }
        );
        assert_eq!(week[5], DayHours::Closed);
        assert_eq!(week[0], DayHours::WalkIn);
        let back = parse_week("wed=walk-in", week).expect("a good spec");
        assert_eq!(back[2], DayHours::WalkIn);
        for bad in [
            "wed",
            "wen=closed",
            "wed=14-17",
            "wed=14:00",
            "wed=9:00-25:00",
        ] {
            assert_eq!(
                parse_week(bad, [DayHours::WalkIn; 7]),
                Err(AgendaError::BadHours(bad.to_string())),
                "{bad}"
            );
        }
    }

    #[test]
    fn an_agenda_comes_back_from_its_setting_or_is_refused_in_words() {
        assert_eq!(
            Agenda::from_setting("housing", None),
            Ok(Agenda::new("housing"))
        );
        let mut agenda = Agenda::new("housing");
        agenda.slot_minutes = 20;
        agenda.places_per_slot = 2;
        agenda.weekly[2] = DayHours::Hours {
            from: hm(14, 0),
            to: hm(17, 0),
        };
        let row = agenda.to_setting().expect("serialised");
        assert_eq!(Agenda::from_setting("housing", Some(&row)), Ok(agenda));
        let other = Agenda::from_setting("legal", Some(&row)).expect_err("another service's");
        assert!(other.to_string().contains("agenda of housing"), "{other}");
        let broken =
            Agenda::from_setting("housing", Some("{\"slot_minutes\": 20")).expect_err("a torn row");
        assert!(matches!(broken, AgendaError::Unreadable(_)), "{broken}");
        let mut wide = Agenda::new("housing");
        wide.horizon_days = 0;
        assert_eq!(wide.validate(), Err(AgendaError::Horizon(0)));
        wide.horizon_days = 60;
        wide.places_per_slot = 51;
        assert_eq!(wide.validate(), Err(AgendaError::Places(51)));
    }

    fn ask<'a>(person: &'a Person, at: &str) -> BookingRequest<'a> {
        BookingRequest {
            person,
            local: local(at),
            replacing: None,
        }
    }

    fn times(slots: &[Slot]) -> Vec<String> {
        slots.iter().map(|s| hhmm(&s.local)).collect()
    }

    /// Monday 2 June 2025 is a holiday; this is the Thursday after, in the morning.
    fn now() -> DateTime<Utc> {
        rome("2025-06-05 08:00")
    }

    #[test]
    fn agenda_defaults_follow_walk_in_hours() {
        let agenda = Agenda::new("housing");
        let center = OpeningHours::default();
        assert_eq!(agenda.validate(), Ok(()));
        let monday = agenda.slots_on(&center, day("2025-06-09"));
        assert_eq!(monday.len(), 16);
        assert_eq!(hhmm(&monday[0].local), "09:00");
        assert_eq!(hhmm(&monday[15].local), "16:30");
        assert_eq!(monday[0].start, utc("2025-06-09T07:00:00Z"));
        let wednesday = agenda.slots_on(&center, day("2025-06-11"));
        assert_eq!(times(&wednesday).last().map(String::as_str), Some("12:30"));
        assert!(
            agenda.slots_on(&center, day("2025-06-14")).is_empty(),
            "Saturday"
        );
        // A changed walk-in schedule moves the default appointment hours with it.
        let mut late_center = OpeningHours::default();
        late_center.weekly[0] = Some((hm(10, 0), hm(12, 0)));
        assert_eq!(
            times(&agenda.slots_on(&late_center, day("2025-06-09"))),
            ["10:00", "10:30", "11:00", "11:30"]
        );
    }

    #[test]
    fn agenda_wednesday_afternoon_for_appointments_only() {
        let mut agenda = Agenda::new("housing");
        agenda.weekly[2] = DayHours::Hours {
            from: hm(14, 0),
            to: hm(17, 0),
        };
        agenda.slot_minutes = 45;
        agenda.weekly[4] = DayHours::Closed;
        let center = OpeningHours::default();
        assert_eq!(
            times(&agenda.slots_on(&center, day("2025-06-11"))),
            ["14:00", "14:45", "15:30", "16:15"]
        );
        assert!(
            agenda.slots_on(&center, day("2025-06-13")).is_empty(),
            "Friday closed"
        );
        let p = on_file(1);
        assert_eq!(
            agenda.check_booking(&center, now(), &ask(&p, "2025-06-11 10:00"), &[]),
            Err(BookingRefusal::OutsideHours {
                local: local("2025-06-11 10:00"),
                from: hm(14, 0),
                to: hm(17, 0)
            })
        );
        // The last slot ends exactly at closing; 17:00 starts none.
        let refusal = agenda
            .check_booking(&center, now(), &ask(&p, "2025-06-11 17:00"), &[])
            .expect_err("after hours");
        assert_eq!(
            refusal.to_string(),
            "17:00 on 2025-06-11 is outside appointment hours (14:00-17:00)"
        );
        assert!(
            agenda
                .check_booking(&center, now(), &ask(&p, "2025-06-11 16:15"), &[])
                .is_ok()
        );
        // With 60-minute slots 16:15 is off the grid and 16:00 is the last start.
        agenda.slot_minutes = 60;
        assert!(matches!(
            agenda.check_booking(&center, now(), &ask(&p, "2025-06-11 16:45"), &[]),
            Err(BookingRefusal::NotOnSlot { nearest, .. }) if nearest == local("2025-06-11 16:00")
        ));
        // Hours shorter than one slot give none.
        agenda.slot_minutes = 240;
        assert!(agenda.slots_on(&center, day("2025-06-11")).is_empty());
        assert!(matches!(
            agenda.check_booking(&center, now(), &ask(&p, "2025-06-11 14:00"), &[]),
            Err(BookingRefusal::OutsideHours { .. })
        ));
        agenda.slot_minutes = 45;
        // Sant'Ambrogio still closes an agenda with its own hours.
        assert_eq!(
            agenda.hours_on(&center, day("2027-12-08")),
            Err(ClosedReason::Holiday("Immacolata Concezione"))
        );
    }

    #[test]
    fn agenda_closed_days_say_why() {
        let agenda = Agenda {
            horizon_days: 400,
            ..Agenda::new("housing")
        };
        let center = OpeningHours {
            extra_closures: vec![day("2025-06-10")],
            ..OpeningHours::default()
        };
        let p = on_file(1);
        let refuse = |at: &str| {
            agenda
                .check_booking(&center, now(), &ask(&p, at), &[])
                .expect_err("closed")
        };
        // Monday 7 December 2026 would be a working day but for Sant'Ambrogio.
        let mut far = agenda.clone();
        far.horizon_days = 800;
        let r = far
            .check_booking(&center, now(), &ask(&p, "2026-12-07 10:00"), &[])
            .expect_err("Sant'Ambrogio");
        assert_eq!(
            r,
            BookingRefusal::ClosedDay {
                day: day("2026-12-07"),
                reason: ClosedReason::Holiday("Sant'Ambrogio")
            }
        );
        assert_eq!(
            r.to_string(),
            "no appointments on 2026-12-07: public holiday (Sant'Ambrogio)"
        );
        assert_eq!(
            refuse("2025-08-15 10:00").to_string(),
            "no appointments on 2025-08-15: public holiday (Ferragosto)"
        );
        assert_eq!(
            refuse("2025-06-10 10:00").to_string(),
            "no appointments on 2025-06-10: the center is closed that day"
        );
        assert_eq!(
            refuse("2025-06-08 10:00").to_string(),
            "no appointments on 2025-06-08: not an appointment day"
        );
    }

    #[test]
    fn agenda_refuses_the_past_the_far_future_and_off_grid_times() {
        let agenda = Agenda::new("housing");
        let center = OpeningHours::default();
        let p = on_file(1);
        let now = rome("2025-06-09 11:00");
        let check = |at: &str| agenda.check_booking(&center, now, &ask(&p, at), &[]);
        assert_eq!(
            check("2025-06-09 10:30"),
            Err(BookingRefusal::InThePast {
                local: local("2025-06-09 10:30")
            })
        );
        assert_eq!(
            check("2025-06-09 11:00").map(|s| s.start),
            Ok(rome("2025-06-09 11:00")),
            "a slot starting now can still be booked"
        );
        // Today + 60 days is 2025-08-08, a Friday; the Monday after is too far.
        assert_eq!(
            agenda.last_bookable_day(day("2025-06-09")),
            day("2025-08-08")
        );
        assert!(check("2025-08-08 16:30").is_ok());
        assert_eq!(
            check("2025-08-11 09:00"),
            Err(BookingRefusal::BeyondHorizon {
                day: day("2025-08-11"),
                last_day: day("2025-08-08")
            })
        );
        let off = check("2025-06-10 10:10").expect_err("off the grid");
        assert_eq!(
            off.to_string(),
            "10:10 is not the start of a slot (slots start every 30 min from 09:00; nearest: 10:00)"
        );
        assert!(matches!(
            check("2025-06-10 10:20"),
            Err(BookingRefusal::NotOnSlot { nearest, .. }) if nearest == local("2025-06-10 10:30")
        ));
        // Near closing the nearest slot is the last one, not one that would end after 17:00.
        assert!(matches!(
            check("2025-06-10 16:50"),
            Err(BookingRefusal::NotOnSlot { nearest, .. }) if nearest == local("2025-06-10 16:30")
        ));
        assert!(matches!(
            check("2025-06-10 17:00"),
            Err(BookingRefusal::OutsideHours { .. })
        ));
        assert!(matches!(
            check("2025-06-10 16:40"),
            Err(BookingRefusal::NotOnSlot { nearest, .. }) if nearest == local("2025-06-10 16:30")
        ));
        let with_seconds =
            NaiveDateTime::parse_from_str("2025-06-10 10:00:30", "%Y-%m-%d %H:%M:%S")
                .expect("literal");
        assert!(matches!(
            agenda.check_booking(
                &center,
                now,
                &BookingRequest {
                    person: &p,
                    local: with_seconds,
                    replacing: None
                },
                &[]
            ),
            Err(BookingRefusal::NotOnSlot { .. })
        ));
    }

    #[test]
    fn agenda_full_slot_names_the_next_free_one() {
        let agenda = Agenda::new("housing");
        let center = OpeningHours::default();
        let held = vec![
            booked(1, on_file(11), "2025-06-09 10:30"),
            booked(2, on_file(12), "2025-06-09 11:00"),
            booked(3, on_file(13), "2025-06-09 16:30"),
        ];
        let p = on_file(1);
        let refusal = agenda
            .check_booking(&center, now(), &ask(&p, "2025-06-09 10:30"), &held)
            .expect_err("full");
        assert_eq!(
            refusal,
            BookingRefusal::SlotFull {
                local: local("2025-06-09 10:30"),
                next_free: Some(local("2025-06-09 11:30"))
            }
        );
        assert_eq!(
            refusal.to_string(),
            "the 10:30 slot is full; next free: 11:30"
        );
        assert_eq!(
            agenda
                .check_booking(&center, now(), &ask(&p, "2025-06-09 16:30"), &held)
                .map_err(|e| e.to_string()),
            Err("the 16:30 slot is full; no free slot left that day".to_string())
        );

        // A cancellation frees the place; a no-show or a check-in does not.
        let mut changed = held.clone();
        changed[0].state = AppointmentState::Cancelled;
        assert!(
            agenda
                .check_booking(&center, now(), &ask(&p, "2025-06-09 10:30"), &changed)
                .is_ok()
        );
        changed[1].state = AppointmentState::CheckedIn;
        assert!(
            agenda
                .check_booking(&center, now(), &ask(&p, "2025-06-09 11:00"), &changed)
                .is_err()
        );

        // Two places: one booking leaves room; another service's bookings never count.
        let two = Agenda {
            places_per_slot: 2,
            ..agenda.clone()
        };
        assert!(
            two.check_booking(&center, now(), &ask(&p, "2025-06-09 10:30"), &held)
                .is_ok()
        );
        let legal = Agenda::new("legal-administrative");
        assert!(
            legal
                .check_booking(&center, now(), &ask(&p, "2025-06-09 10:30"), &held)
                .is_ok()
        );
        // No places at all: every slot is full.
        let none = Agenda {
            places_per_slot: 0,
            ..agenda
        };
        assert!(matches!(
            none.check_booking(&center, now(), &ask(&p, "2025-06-09 09:00"), &[]),
            Err(BookingRefusal::SlotFull {
                next_free: None,
                ..
            })
        ));
    }

    #[test]
    fn agenda_one_open_booking_per_person_service_and_day() {
        let agenda = Agenda {
            places_per_slot: 3,
            ..Agenda::new("housing")
        };
        let center = OpeningHours::default();
        let mine = booked(1, on_file(7), "2025-06-09 09:00");
        let held = vec![mine.clone()];
        let me = on_file(7);
        let refusal = agenda
            .check_booking(&center, now(), &ask(&me, "2025-06-09 11:00"), &held)
            .expect_err("already booked");
        assert_eq!(
            refusal,
            BookingRefusal::AlreadyBooked {
                code: mine.code,
                local: local("2025-06-09 09:00")
            }
        );
        assert_eq!(
            refusal.to_string(),
            format!(
                "this person already holds booking {} for this service on 2025-06-09 (at 09:00)",
                mine.code
            )
        );
        // Another day, or a reschedule of that very booking, is fine.
        assert!(
            agenda
                .check_booking(&center, now(), &ask(&me, "2025-06-10 11:00"), &held)
                .is_ok()
        );
        let moving = BookingRequest {
            replacing: Some(mine.id),
            ..ask(&me, "2025-06-09 11:00")
        };
        assert!(agenda.check_booking(&center, now(), &moving, &held).is_ok());
        // Someone new, with the same name typed differently, is the same person.
        let today = day("2025-06-05");
        let new =
            |f: &str, g: &str| Person::New(NewPerson::new(f, g, None, "", today).expect("valid"));
        let held = vec![booked(2, new("Quispe Mamani", "Rosa"), "2025-06-09 09:00")];
        assert!(matches!(
            agenda.check_booking(
                &center,
                now(),
                &ask(&new("rosa", "QUISPE MAMANI"), "2025-06-09 10:00"),
                &held
            ),
            Err(BookingRefusal::AlreadyBooked { .. })
        ));
    }

    /// Sunday slots at night, so that the clock changes fall inside the agenda's hours.
    fn night_agenda() -> Agenda {
        let mut agenda = Agenda {
            horizon_days: 400,
            ..Agenda::new("housing")
        };
        agenda.weekly[6] = DayHours::Hours {
            from: hm(1, 0),
            to: hm(4, 0),
        };
        agenda
    }

    #[test]
    fn agenda_spring_forward_slots_do_not_exist() {
        let agenda = night_agenda();
        let center = OpeningHours::default();
        let sunday = day("2025-03-30");
        let slots = agenda.slots_on(&center, sunday);
        assert_eq!(times(&slots), ["01:00", "01:30", "03:00", "03:30"]);
        // 01:30 CET and 03:00 CEST are half an hour apart in real time.
        assert_eq!(slots[2].start - slots[1].start, TimeDelta::minutes(30));
        let p = on_file(1);
        let now = rome("2025-03-01 10:00");
        let refusal = agenda
            .check_booking(&center, now, &ask(&p, "2025-03-30 02:30"), &[])
            .expect_err("skipped hour");
        assert_eq!(
            refusal,
            BookingRefusal::DoesNotExist {
                local: local("2025-03-30 02:30")
            }
        );
        assert_eq!(
            refusal.to_string(),
            "02:30 does not exist on 2025-03-30: the clocks jump from 02:00 to 03:00 that night"
        );
        assert_eq!(
            agenda
                .check_booking(&center, now, &ask(&p, "2025-03-30 03:00"), &[])
                .map(|s| s.start),
            Ok(utc("2025-03-30T01:00:00Z"))
        );
        // The walk-in default is closed on Sundays, so an ordinary agenda has no such slots.
        assert!(Agenda::new("housing").slots_on(&center, sunday).is_empty());
    }

    #[test]
    fn agenda_fall_back_slots_are_the_first_pass_only() {
        let agenda = night_agenda();
        let center = OpeningHours::default();
        let sunday = day("2025-10-26");
        let slots = agenda.slots_on(&center, sunday);
        assert_eq!(
            times(&slots),
            ["01:00", "01:30", "02:00", "02:30", "03:00", "03:30"]
        );
        // 02:30 is the summer-time 02:30 (00:30Z); the winter one (01:30Z) is no slot.
        assert_eq!(slots[3].start, utc("2025-10-26T00:30:00Z"));
        assert_eq!(slots[4].start, utc("2025-10-26T02:00:00Z"));
        assert!(slots.windows(2).all(|w| w[0].start < w[1].start));
        let p = on_file(1);
        let now = rome("2025-10-01 10:00");
        assert_eq!(
            agenda
                .check_booking(&center, now, &ask(&p, "2025-10-26 02:30"), &[])
                .map(|s| s.start),
            Ok(utc("2025-10-26T00:30:00Z"))
        );
        // Between the two passes the first 02:30 is in the past, and so is the wall time.
        let between = utc("2025-10-26T01:10:00Z"); // 02:10 CET, second pass
        assert!(matches!(
            agenda.check_booking(&center, between, &ask(&p, "2025-10-26 02:30"), &[]),
            Err(BookingRefusal::InThePast { .. })
        ));
        let free = agenda.free_slots(&center, between, sunday, 1, &[]);
        assert_eq!(
            free.first().map(|f| hhmm(&f.slot.local)),
            Some("03:00".to_string())
        );
    }

    #[test]
    fn agenda_free_slots_skip_full_slots_weekends_and_the_past() {
        let agenda = Agenda::new("housing");
        let center = OpeningHours::default();
        let now = rome("2025-06-06 16:10"); // a Friday
        let held = vec![booked(1, on_file(2), "2025-06-09 09:00")];
        let free = agenda.free_slots(&center, now, day("2025-06-01"), 3, &held);
        let got: Vec<String> = free.iter().map(|f| f.slot.local.to_string()).collect();
        assert_eq!(
            got,
            [
                "2025-06-06 16:30:00",
                "2025-06-09 09:30:00",
                "2025-06-09 10:00:00"
            ]
        );
        assert!(free.iter().all(|f| f.free_places == 1));
        let two = Agenda {
            places_per_slot: 2,
            ..agenda.clone()
        };
        let free = two.free_slots(&center, now, day("2025-06-09"), 1, &held);
        assert_eq!(free.first().map(|f| f.free_places), Some(1));
        let none_ahead = Agenda {
            horizon_days: 0,
            ..agenda
        };
        assert_eq!(
            none_ahead
                .free_slots(&center, now, day("2025-06-06"), 10, &held)
                .len(),
            1
        );
    }

    #[test]
    fn agenda_no_show_sweep_waits_for_closing() {
        let agenda = Agenda::new("housing");
        let center = OpeningHours::default();
        let mut held = vec![
            booked(1, on_file(1), "2025-06-09 10:00"),
            booked(2, on_file(2), "2025-06-09 11:00"),
            booked(3, on_file(3), "2025-06-09 16:30"),
            booked(4, on_file(4), "2025-06-10 10:00"),
        ];
        held[1].state = AppointmentState::CheckedIn;
        let monday = day("2025-06-09");
        assert_eq!(
            agenda.no_show_from(&center, monday),
            rome("2025-06-09 17:00")
        );
        let ids = |v: Vec<&Appointment>| v.iter().map(|a| a.id.as_u128()).collect::<Vec<_>>();
        assert!(
            agenda
                .no_shows(&center, monday, rome("2025-06-09 16:59"), &held)
                .is_empty()
        );
        // At 17:00 the 16:30 booking is still within its 30 minutes.
        assert_eq!(
            ids(agenda.no_shows(&center, monday, rome("2025-06-09 17:00"), &held)),
            [1]
        );
        assert_eq!(
            ids(agenda.no_shows(&center, monday, rome("2025-06-09 17:01"), &held)),
            [1, 3]
        );
        assert_eq!(
            ids(agenda.no_shows(&center, monday, rome("2025-06-12 09:00"), &held)),
            [1, 3]
        );

        // Appointments on Wednesday afternoon: the sweep waits for them, not the 13:00 doors.
        let mut afternoon = agenda.clone();
        afternoon.weekly[2] = DayHours::Hours {
            from: hm(14, 0),
            to: hm(17, 0),
        };
        assert_eq!(
            afternoon.no_show_from(&center, day("2025-06-11")),
            rome("2025-06-11 17:00")
        );
        // Morning-only appointments on a full walk-in day: a late person can still come as
        // a walk-in until 17:00, so they are not swept at noon.
        let mut morning = agenda;
        morning.weekly[0] = DayHours::Hours {
            from: hm(9, 0),
            to: hm(12, 0),
        };
        assert_eq!(
            morning.no_show_from(&center, monday),
            rome("2025-06-09 17:00")
        );
        // A holiday (hours changed after booking): the end of the day.
        assert_eq!(
            morning.no_show_from(&center, day("2025-08-15")),
            rome("2025-08-16 00:00")
        );
    }

    #[test]
    fn agenda_settings_are_validated_and_round_trip() {
        let mut agenda = Agenda::new("housing");
        agenda.slot_minutes = 0;
        assert_eq!(agenda.validate(), Err(AgendaError::SlotLength(0)));
        // Still usable: the length is clamped rather than looping forever.
        assert_eq!(
            agenda
                .slots_on(&OpeningHours::default(), day("2025-06-11"))
                .len(),
            48
        );
        agenda.slot_minutes = 30;
        agenda.weekly[1] = DayHours::Hours {
            from: hm(12, 0),
            to: hm(9, 0),
        };
        assert!(matches!(
            agenda.validate(),
            Err(AgendaError::EmptyHours { weekday: 1, .. })
        ));
        assert!(
            agenda
                .slots_on(&OpeningHours::default(), day("2025-06-10"))
                .is_empty()
        );
        let json = serde_json::to_value(&agenda).expect("serialize");
        assert_eq!(json["weekly"][0]["kind"], "walk-in");
        assert_eq!(json["weekly"][1]["kind"], "hours");
        let back: Agenda = serde_json::from_value(json).expect("deserialize");
        assert_eq!(back, agenda);
    }

    proptest! {
        /// Whatever people ask for, in whatever order, what gets booked never overfills a
        /// slot nor gives anyone two open bookings that day, and a free slot is bookable.
        #[test]
        fn agenda_bookings_never_overfill(
            places in 0u32..3,
            slot_minutes in prop::sample::select(vec![15u32, 20, 30, 45, 60]),
            asks in proptest::collection::vec((0u32..40, 0u128..6, 0u32..3), 0..60),
        ) {
            let agenda = Agenda { places_per_slot: places, slot_minutes, ..Agenda::new("housing") };
            let center = OpeningHours::default();
            let monday = day("2025-06-09");
            let mut held: Vec<Appointment> = Vec::new();
            for (i, (step, who, minute_slip)) in asks.into_iter().enumerate() {
                let person = on_file(who);
                let minutes = 8 * 60 + step * 15 + minute_slip * 5;
                let local = monday.and_time(time_of(minutes));
                let free_before = agenda.free_slots(&center, now(), monday, 100, &held);
                let result = agenda.check_booking(
                    &center,
                    now(),
                    &BookingRequest { person: &person, local, replacing: None },
                    &held,
                );
                if let Ok(slot) = result {
                    prop_assert!(free_before.iter().any(|f| f.slot == slot));
                    held.push(Appointment {
                        id: Uuid::from_u128(1000 + i as u128),
                        code: BookingCode::from_random(i as u64),
                        person,
                        service: "housing".to_string(),
                        start: slot.start,
                        booked_via: BookedVia::Desk,
                        booked_at: now(),
                        state: AppointmentState::Booked,
                        rescheduled_from: None,
                    });
                } else if let Some(first) = free_before.first() {
                    // Someone new can always take a slot free_slots offers.
                    let stranger = on_file(99);
                    let offered = BookingRequest {
                        person: &stranger,
                        local: first.slot.local,
                        replacing: None,
                    };
                    let bookable = agenda.check_booking(&center, now(), &offered, &held).is_ok();
                    prop_assert!(bookable);
                }
            }
            let taken = taken_places(held.iter());
            prop_assert!(taken.values().all(|&n| n <= places));
            for who in 0..6u128 {
                prop_assert!(held.iter().filter(|a| a.person == on_file(who)).count() <= 1);
            }
        }
    }
}
