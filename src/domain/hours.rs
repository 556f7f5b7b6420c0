//! Opening hours of the Milano Welcome Center: the weekly walk-in schedule, Italian national
//! public holidays and Milan's patron saint's day.
//!
//! Pure logic: no IO and no wall clock. Every function takes the instant or the date it is
//! about, so tests (and the demo) can pin a DST night or a holiday.
//!
//! Instants are stored and passed around as `DateTime<Utc>`; the schedule itself is defined in
//! Europe/Rome wall-clock time, because that is what the sign on the door says. The helpers at
//! the bottom ([`rome_day`], [`rome_day_bounds`], [`rome_local_to_utc`]) are the one place the
//! crate converts between the two.

use chrono::offset::LocalResult;
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// The time zone every calendar rule of the center is expressed in.
pub const ROME: chrono_tz::Tz = chrono_tz::Europe::Rome;

/// Builds a time from a literal at compile time: an invalid literal is a compile error, so
/// there is no runtime panic path.
const fn hm(hour: u32, min: u32) -> NaiveTime {
    match NaiveTime::from_hms_opt(hour, min, 0) {
        Some(t) => t,
        None => panic!("invalid literal time"),
    }
}

const NINE: NaiveTime = hm(9, 0);
const ONE_PM: NaiveTime = hm(13, 0);
const FIVE_PM: NaiveTime = hm(17, 0);

/// The walk-in schedule of the center.
///
/// `weekly[0]` is Monday, `weekly[6]` is Sunday; `None` means closed that weekday. Each entry
/// is a half-open interval `[open, close)` of Europe/Rome wall-clock time; an entry whose
/// `open` is not before its `close` is treated as closed (an empty interval).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpeningHours {
    /// Per-weekday `(open, close)`, index 0 = Monday.
    pub weekly: [Option<(NaiveTime, NaiveTime)>; 7],
    /// One-off closing days (strikes, staff training, ...), on top of the public holidays.
    pub extra_closures: Vec<NaiveDate>,
    /// Whether the built-in holiday list (see [`holiday_name`]) closes the center.
    pub closed_on_public_holidays: bool,
}

impl Default for OpeningHours {
    /// The Milan schedule: Mon, Tue, Thu, Fri 09:00-17:00; Wed 09:00-13:00; closed on
    /// weekends and on public holidays (Sant'Ambrogio included, via [`holiday_name`]).
    fn default() -> Self {
        let full = Some((NINE, FIVE_PM));
        Self {
            weekly: [full, full, Some((NINE, ONE_PM)), full, full, None, None],
            extra_closures: Vec::new(),
            closed_on_public_holidays: true,
        }
    }
}

/// Whether a walk-in visitor can be served at a given instant.
#[derive(Debug, Clone, PartialEq)]
pub enum WalkInStatus {
    /// Open, with at least the requested service time left before closing.
    Open { closes_at: DateTime<Utc> },
    /// Open, but fewer than `min_service_minutes` remain before closing: the desk may want to
    /// warn the visitor or route them to an appointment instead.
    ClosingSoon { closes_at: DateTime<Utc> },
    /// Not open.
    Closed { reason: ClosedReason },
}

/// Why the center is closed at a given instant.
#[derive(Debug, Clone, PartialEq)]
pub enum ClosedReason {
    /// A public holiday from the built-in list, with its Italian name.
    Holiday(&'static str),
    /// A weekday the schedule has no hours for (the weekend, by default).
    ClosedDay,
    /// An opening day, but the doors have not opened yet.
    BeforeOpening,
    /// An opening day, but the doors have already closed.
    AfterClosing,
    /// A date listed in [`OpeningHours::extra_closures`].
    ExtraClosure,
}

/// The reason the local time does not map to an instant.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LocalTimeError {
    #[error("{0} does not exist in Europe/Rome (clocks jump forward that night)")]
    Nonexistent(NaiveDateTime),
}

/// Easter Sunday of `year` in the Gregorian calendar, by the anonymous Gregorian
/// (Meeus/Jones/Butcher) algorithm.
///
/// Easter Monday, a national holiday, moves every year, so it has to be computed rather than
/// listed. Euclidean division keeps the arithmetic right for proleptic negative years too.
/// For a year outside the range `NaiveDate` can represent (about ±262 000) the result is
/// clamped to `NaiveDate::MIN` / `NaiveDate::MAX` instead of panicking.
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let n = h + l - 7 * m + 114;
    // n / 31 is 3 or 4 and n % 31 + 1 is 1..=31, so the casts cannot wrap.
    let month = n.div_euclid(31) as u32;
    let day = (n.rem_euclid(31) + 1) as u32;
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(if year < 0 {
        NaiveDate::MIN
    } else {
        NaiveDate::MAX
    })
}

/// The Italian name of the public holiday on `date`, or `None` for an ordinary day.
///
/// The list is the current Italian national calendar plus Sant'Ambrogio (7 December), Milan's
/// patron saint, which closes offices in Milan only. San Francesco d'Assisi (4 October) counts
/// only from 2026, when it became a national holiday again; the other holidays are applied to
/// every year (historical changes such as the 1977-1985 suppressions are not modelled).
///
/// Should Easter Monday fall on 25 April (as in 2011), the fixed holiday's name wins; the
/// center is closed either way.
pub fn holiday_name(date: NaiveDate) -> Option<&'static str> {
    let fixed = match (date.month(), date.day()) {
        (1, 1) => Some("Capodanno"),
        (1, 6) => Some("Epifania"),
        (4, 25) => Some("Festa della Liberazione"),
        (5, 1) => Some("Festa del Lavoro"),
        (6, 2) => Some("Festa della Repubblica"),
        (8, 15) => Some("Ferragosto"),
        (10, 4) if date.year() >= 2026 => Some("San Francesco d'Assisi"),
        (11, 1) => Some("Ognissanti"),
        (12, 7) => Some("Sant'Ambrogio"),
        (12, 8) => Some("Immacolata Concezione"),
        (12, 25) => Some("Natale"),
        (12, 26) => Some("Santo Stefano"),
        _ => None,
    };
    fixed.or_else(|| {
        (easter_sunday(date.year()).succ_opt() == Some(date)).then_some("Lunedì dell'Angelo")
    })
}

impl OpeningHours {
    /// The walk-in hours on `date` as `(open, close)` in Europe/Rome wall-clock time, or `None`
    /// when the center is closed all day (weekday without hours, public holiday, extra
    /// closure, or a configured interval that is empty).
    pub fn hours_on(&self, date: NaiveDate) -> Option<(NaiveTime, NaiveTime)> {
        self.day_schedule(date).ok()
    }

    /// Whether the doors are open at `at`: the Rome wall-clock time falls in `[open, close)`
    /// of that Rome calendar day.
    pub fn is_open_at(&self, at: DateTime<Utc>) -> bool {
        let local = at.with_timezone(&ROME).naive_local();
        match self.day_schedule(local.date()) {
            Ok((open, close)) => open <= local.time() && local.time() < close,
            Err(_) => false,
        }
    }

    /// The instant the center closes on the Rome calendar day of `at`, if it opens at all that
    /// day. Returned even when `at` is before opening or already after closing, so callers can
    /// say "closes at 17:00" or "closed at 17:00".
    pub fn closing_at(&self, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let day = rome_day(at);
        self.day_schedule(day)
            .ok()
            .map(|(_, close)| rome_wall_clock_reached(day.and_time(close)))
    }

    /// Whether a walk-in arriving at `at` can be served.
    ///
    /// `ClosingSoon` when the doors are open but strictly fewer than `min_service_minutes`
    /// remain before closing (exactly `min_service_minutes` left is still `Open`); a value of
    /// 0 or less never yields `ClosingSoon`. When the day is closed for several reasons at
    /// once, a public holiday is reported first, then an extra closure, then the weekday.
    pub fn walk_in_status(&self, at: DateTime<Utc>, min_service_minutes: i64) -> WalkInStatus {
        let local = at.with_timezone(&ROME).naive_local();
        let day = local.date();
        let (open, close) = match self.day_schedule(day) {
            Ok(hours) => hours,
            Err(reason) => return WalkInStatus::Closed { reason },
        };
        if local.time() < open {
            return WalkInStatus::Closed {
                reason: ClosedReason::BeforeOpening,
            };
        }
        if local.time() >= close {
            return WalkInStatus::Closed {
                reason: ClosedReason::AfterClosing,
            };
        }
        let closes_at = rome_wall_clock_reached(day.and_time(close));
        let needed = TimeDelta::try_minutes(min_service_minutes.max(0)).unwrap_or(TimeDelta::MAX);
        if closes_at.signed_duration_since(at) < needed {
            WalkInStatus::ClosingSoon { closes_at }
        } else {
            WalkInStatus::Open { closes_at }
        }
    }

    /// The hours of `date` in Europe/Rome wall-clock time, or why there are none; the
    /// appointment agenda lays its own weekday hours over this calendar to inherit its
    /// holidays and closures, and names the reason when it refuses a day.
    pub fn day_hours(&self, date: NaiveDate) -> Result<(NaiveTime, NaiveTime), ClosedReason> {
        self.day_schedule(date)
    }

    /// The hours of `date`, or why there are none. The order of the checks is the order in
    /// which reasons are reported (see [`OpeningHours::walk_in_status`]).
    fn day_schedule(&self, date: NaiveDate) -> Result<(NaiveTime, NaiveTime), ClosedReason> {
        if self.closed_on_public_holidays
            && let Some(name) = holiday_name(date)
        {
            return Err(ClosedReason::Holiday(name));
        }
        if self.extra_closures.contains(&date) {
            return Err(ClosedReason::ExtraClosure);
        }
        match self.weekly[date.weekday().num_days_from_monday() as usize] {
            Some((open, close)) if open < close => Ok((open, close)),
            _ => Err(ClosedReason::ClosedDay),
        }
    }
}

/// The Europe/Rome calendar day of an instant: the day a ticket, a tally or a report belongs
/// to, whatever the UTC date says (23:30Z in winter is already tomorrow in Milan).
pub fn rome_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&ROME).date_naive()
}

/// The UTC instants of the local midnight that starts `day` and of the one that starts the
/// next day, for half-open range queries `[start, end)`.
///
/// The span is 23 hours on the spring-forward Sunday and 25 on the fall-back one, which is why
/// it is computed from the two midnights rather than as `start + 24h`. Rome changes its clocks
/// at 02:00/03:00, so midnight always exists and is unambiguous; should it ever not be, the
/// earliest matching instant is used, or the instant the wall clock reaches midnight.
pub fn rome_day_bounds(day: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = rome_wall_clock_reached(day.and_time(NaiveTime::MIN));
    let end = match day.succ_opt() {
        Some(next) => rome_wall_clock_reached(next.and_time(NaiveTime::MIN)),
        // Only for NaiveDate::MAX; nothing real lives there.
        None => start
            .checked_add_signed(TimeDelta::days(1))
            .unwrap_or(DateTime::<Utc>::MAX_UTC),
    };
    (start, end)
}

/// The instant of a Europe/Rome wall-clock time, e.g. an arrival time typed at the desk or
/// read from an import file.
///
/// A time in the spring-forward gap (02:00-02:59 on the last Sunday of March) never happened
/// and is an error. A time in the fall-back overlap (02:00-02:59 on the last Sunday of
/// October) happened twice; it resolves to the earlier instant, still on summer time (CEST),
/// which is what a clerk writing the time down during the first pass would have meant.
pub fn rome_local_to_utc(local: NaiveDateTime) -> Result<DateTime<Utc>, LocalTimeError> {
    match ROME.from_local_datetime(&local) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Ok(t.with_timezone(&Utc)),
        LocalResult::None => Err(LocalTimeError::Nonexistent(local)),
    }
}

/// The first instant at which Rome's wall clock shows `local` or later: like
/// [`rome_local_to_utc`], but total, for schedule boundaries that must exist even if
/// configured oddly.
///
/// An ambiguous time gives the earlier instant. A time in a spring-forward gap gives the
/// instant of the jump itself (a 02:30 closing time on the night clocks go from 02:00 CET to
/// 03:00 CEST gives 01:00Z), which keeps it consistent with [`OpeningHours::is_open_at`]:
/// from that instant the wall clock reads 03:00 or later, past the closing time.
fn rome_wall_clock_reached(local: NaiveDateTime) -> DateTime<Utc> {
    if let Some(t) = ROME.from_local_datetime(&local).earliest() {
        return t.with_timezone(&Utc);
    }
    // A gap. Binary search, to the second, for the first instant whose wall-clock reading is
    // at least `local`. Europe/Rome's offsets are +1h/+2h, so reading `local` as UTC and
    // moving a day either way brackets it: wall(lo) < local <= wall(hi). The wall clock is
    // monotonic over those two days because Rome never has two transitions that close.
    let wall = |secs: i64| {
        DateTime::<Utc>::from_timestamp(secs, 0).map(|t| t.with_timezone(&ROME).naive_local())
    };
    let centre = local.and_utc().timestamp();
    let day = 24 * 60 * 60;
    let (mut lo, mut hi) = (centre.saturating_sub(day), centre.saturating_add(day));
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        match wall(mid) {
            Some(w) if w >= local => hi = mid,
            _ => lo = mid,
        }
    }
    DateTime::<Utc>::from_timestamp(hi, 0).unwrap_or_else(|| local.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Weekday;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date literal")
    }

    fn local(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("test local time literal")
    }

    /// A Europe/Rome wall-clock time as an instant.
    fn rome(s: &str) -> DateTime<Utc> {
        rome_local_to_utc(local(s)).expect("existing local time")
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("test RFC 3339 literal")
            .with_timezone(&Utc)
    }

    #[test]
    fn easter_sunday_known_years() {
        assert_eq!(easter_sunday(2024), date("2024-03-31"));
        assert_eq!(easter_sunday(2025), date("2025-04-20"));
        assert_eq!(easter_sunday(2026), date("2026-04-05"));
        assert_eq!(easter_sunday(2027), date("2027-03-28"));
        assert_eq!(easter_sunday(2038), date("2038-04-25"));
        // Extremes of the Gregorian range of Easter: 22 March and 25 April.
        assert_eq!(easter_sunday(2285), date("2285-03-22"));
        assert_eq!(easter_sunday(1943), date("1943-04-25"));
        for year in 1900..2200 {
            assert_eq!(easter_sunday(year).weekday(), Weekday::Sun, "{year}");
        }
    }

    #[test]
    fn easter_sunday_does_not_panic_out_of_range() {
        assert_eq!(easter_sunday(i32::MAX), NaiveDate::MAX);
        assert_eq!(easter_sunday(i32::MIN), NaiveDate::MIN);
    }

    #[test]
    fn easter_monday_2025_is_a_holiday() {
        let monday = date("2025-04-21");
        assert_eq!(monday.weekday(), Weekday::Mon);
        assert_eq!(holiday_name(monday), Some("Lunedì dell'Angelo"));
        let hours = OpeningHours::default();
        assert_eq!(hours.hours_on(monday), None);
        assert!(!hours.is_open_at(rome("2025-04-21 10:00")));
        assert_eq!(
            hours.walk_in_status(rome("2025-04-21 10:00"), 0),
            WalkInStatus::Closed {
                reason: ClosedReason::Holiday("Lunedì dell'Angelo")
            }
        );
        // The day after is an ordinary Tuesday.
        assert_eq!(holiday_name(date("2025-04-22")), None);
        assert_eq!(hours.hours_on(date("2025-04-22")), Some((NINE, FIVE_PM)));
    }

    #[test]
    fn easter_monday_on_liberation_day_keeps_the_fixed_name() {
        assert_eq!(easter_sunday(2011), date("2011-04-24"));
        assert_eq!(
            holiday_name(date("2011-04-25")),
            Some("Festa della Liberazione")
        );
    }

    #[test]
    fn fixed_holidays_have_their_names() {
        let expected = [
            ("2025-01-01", "Capodanno"),
            ("2025-01-06", "Epifania"),
            ("2025-04-25", "Festa della Liberazione"),
            ("2025-05-01", "Festa del Lavoro"),
            ("2025-06-02", "Festa della Repubblica"),
            ("2025-08-15", "Ferragosto"),
            ("2025-11-01", "Ognissanti"),
            ("2025-12-07", "Sant'Ambrogio"),
            ("2025-12-08", "Immacolata Concezione"),
            ("2025-12-25", "Natale"),
            ("2025-12-26", "Santo Stefano"),
        ];
        for (d, name) in expected {
            assert_eq!(holiday_name(date(d)), Some(name), "{d}");
        }
        assert_eq!(holiday_name(date("2025-12-24")), None);
        assert_eq!(holiday_name(date("2025-06-03")), None);
    }

    #[test]
    fn sant_ambrogio_and_immacolata_are_closed() {
        let hours = OpeningHours::default();
        // 2026: 7 December is a Monday and 8 December a Tuesday, both normally open.
        let ambrogio = date("2026-12-07");
        let immacolata = date("2026-12-08");
        assert_eq!(ambrogio.weekday(), Weekday::Mon);
        assert_eq!(immacolata.weekday(), Weekday::Tue);
        assert_eq!(hours.hours_on(ambrogio), None);
        assert_eq!(hours.hours_on(immacolata), None);
        assert_eq!(
            hours.walk_in_status(rome("2026-12-07 10:00"), 0),
            WalkInStatus::Closed {
                reason: ClosedReason::Holiday("Sant'Ambrogio")
            }
        );
        assert_eq!(
            hours.walk_in_status(rome("2026-12-08 10:00"), 0),
            WalkInStatus::Closed {
                reason: ClosedReason::Holiday("Immacolata Concezione")
            }
        );
        // Sant'Ambrogio is built in, not an extra closure.
        assert!(hours.extra_closures.is_empty());
        // The Wednesday after opens as usual.
        assert_eq!(hours.hours_on(date("2026-12-09")), Some((NINE, ONE_PM)));
    }

    #[test]
    fn holiday_on_a_weekend_is_reported_as_the_holiday() {
        let sunday = date("2025-12-07");
        assert_eq!(sunday.weekday(), Weekday::Sun);
        assert_eq!(
            OpeningHours::default().walk_in_status(rome("2025-12-07 10:00"), 0),
            WalkInStatus::Closed {
                reason: ClosedReason::Holiday("Sant'Ambrogio")
            }
        );
    }

    #[test]
    fn san_francesco_only_from_2026() {
        assert_eq!(holiday_name(date("2025-10-04")), None);
        assert_eq!(
            holiday_name(date("2026-10-04")),
            Some("San Francesco d'Assisi")
        );
        let hours = OpeningHours::default();
        // Weekdays either side of the change: Friday 4 Oct 2024 open, Monday 4 Oct 2027 closed.
        assert_eq!(date("2024-10-04").weekday(), Weekday::Fri);
        assert_eq!(hours.hours_on(date("2024-10-04")), Some((NINE, FIVE_PM)));
        assert_eq!(date("2027-10-04").weekday(), Weekday::Mon);
        assert_eq!(hours.hours_on(date("2027-10-04")), None);
    }

    #[test]
    fn wednesday_closes_at_one() {
        let hours = OpeningHours::default();
        assert_eq!(date("2025-06-11").weekday(), Weekday::Wed);
        assert!(hours.is_open_at(rome("2025-06-11 12:59")));
        assert!(!hours.is_open_at(rome("2025-06-11 13:00")));
        assert_eq!(
            hours.walk_in_status(rome("2025-06-11 13:00"), 0),
            WalkInStatus::Closed {
                reason: ClosedReason::AfterClosing
            }
        );
    }

    #[test]
    fn monday_is_open_nine_to_five() {
        let hours = OpeningHours::default();
        assert_eq!(date("2025-06-09").weekday(), Weekday::Mon);
        assert!(!hours.is_open_at(rome("2025-06-09 08:59")));
        assert!(hours.is_open_at(rome("2025-06-09 09:00")));
        assert!(hours.is_open_at(rome("2025-06-09 16:59")));
        assert!(!hours.is_open_at(rome("2025-06-09 17:00")));
        assert_eq!(
            hours.walk_in_status(rome("2025-06-09 08:59"), 0),
            WalkInStatus::Closed {
                reason: ClosedReason::BeforeOpening
            }
        );
        assert_eq!(
            hours.walk_in_status(rome("2025-06-09 09:00"), 30),
            WalkInStatus::Open {
                closes_at: utc("2025-06-09T15:00:00Z")
            }
        );
        assert_eq!(
            hours.walk_in_status(rome("2025-06-09 17:00"), 0),
            WalkInStatus::Closed {
                reason: ClosedReason::AfterClosing
            }
        );
    }

    #[test]
    fn saturday_and_sunday_are_closed() {
        let hours = OpeningHours::default();
        assert_eq!(date("2025-06-14").weekday(), Weekday::Sat);
        assert_eq!(hours.hours_on(date("2025-06-14")), None);
        assert_eq!(hours.hours_on(date("2025-06-15")), None);
        assert!(!hours.is_open_at(rome("2025-06-14 10:00")));
        assert_eq!(hours.closing_at(rome("2025-06-14 10:00")), None);
        assert_eq!(
            hours.walk_in_status(rome("2025-06-14 10:00"), 0),
            WalkInStatus::Closed {
                reason: ClosedReason::ClosedDay
            }
        );
    }

    #[test]
    fn closing_soon_near_wednesday_closing() {
        let hours = OpeningHours::default();
        let closes_at = rome("2025-06-11 13:00");
        assert_eq!(closes_at, utc("2025-06-11T11:00:00Z"));
        assert_eq!(
            hours.walk_in_status(rome("2025-06-11 12:45"), 30),
            WalkInStatus::ClosingSoon { closes_at }
        );
        // Exactly the service time left is still open; zero minutes never warns.
        assert_eq!(
            hours.walk_in_status(rome("2025-06-11 12:30"), 30),
            WalkInStatus::Open { closes_at }
        );
        assert_eq!(
            hours.walk_in_status(rome("2025-06-11 12:59"), 0),
            WalkInStatus::Open { closes_at }
        );
        assert_eq!(
            hours.walk_in_status(rome("2025-06-11 12:45"), i64::MAX),
            WalkInStatus::ClosingSoon { closes_at }
        );
    }

    #[test]
    fn closing_at_is_todays_closing_instant() {
        let hours = OpeningHours::default();
        // Winter (CET, UTC+1) and summer (CEST, UTC+2).
        assert_eq!(
            hours.closing_at(rome("2025-01-13 08:00")),
            Some(utc("2025-01-13T16:00:00Z"))
        );
        assert_eq!(
            hours.closing_at(rome("2025-06-09 18:00")),
            Some(utc("2025-06-09T15:00:00Z"))
        );
    }

    #[test]
    fn extra_closures_and_holiday_switch() {
        let mut hours = OpeningHours {
            extra_closures: vec![date("2025-06-10")],
            ..OpeningHours::default()
        };
        assert_eq!(hours.hours_on(date("2025-06-10")), None);
        assert_eq!(
            hours.walk_in_status(rome("2025-06-10 10:00"), 0),
            WalkInStatus::Closed {
                reason: ClosedReason::ExtraClosure
            }
        );
        assert_eq!(hours.hours_on(date("2025-06-09")), Some((NINE, FIVE_PM)));

        hours.closed_on_public_holidays = false;
        assert_eq!(hours.hours_on(date("2025-04-21")), Some((NINE, FIVE_PM)));
        assert!(hours.is_open_at(rome("2026-12-07 10:00")));
    }

    #[test]
    fn empty_interval_is_a_closed_day() {
        let mut hours = OpeningHours::default();
        hours.weekly[0] = Some((FIVE_PM, NINE));
        assert_eq!(hours.hours_on(date("2025-06-09")), None);
        assert_eq!(
            hours.walk_in_status(rome("2025-06-09 10:00"), 0),
            WalkInStatus::Closed {
                reason: ClosedReason::ClosedDay
            }
        );
    }

    #[test]
    fn closing_time_in_the_dst_gap_is_the_jump_instant() {
        let mut hours = OpeningHours::default();
        // Sunday 2025-03-30, clocks go 02:00 CET -> 03:00 CEST (01:00Z).
        hours.weekly[6] = Some((hm(1, 0), hm(2, 30)));
        let at = utc("2025-03-30T00:30:00Z"); // 01:30 CET
        assert!(hours.is_open_at(at));
        assert_eq!(hours.closing_at(at), Some(utc("2025-03-30T01:00:00Z")));
        assert_eq!(
            hours.walk_in_status(at, 0),
            WalkInStatus::Open {
                closes_at: utc("2025-03-30T01:00:00Z")
            }
        );
        // Just after the jump the wall clock reads 03:00 CEST, past the 02:30 closing time.
        let after = utc("2025-03-30T01:00:00Z");
        assert!(!hours.is_open_at(after));
        assert!(hours.is_open_at(after - TimeDelta::seconds(1)));
        // A gap time with seconds still lands on the jump, to the second.
        assert_eq!(
            rome_wall_clock_reached(local("2025-03-30 02:00")),
            utc("2025-03-30T01:00:00Z")
        );
    }

    #[test]
    fn default_schedule_round_trips_through_serde() {
        let hours = OpeningHours::default();
        let json = serde_json::to_string(&hours).expect("serialize");
        let back: OpeningHours = serde_json::from_str(&json).expect("deserialize");
        assert_eq!(back, hours);
        assert_eq!(hours.weekly[2], Some((NINE, ONE_PM)));
        assert_eq!(hours.weekly[5], None);
    }

    #[test]
    fn rome_day_follows_rome_midnight() {
        let at = utc("2025-03-01T23:30:00Z"); // 00:30 CET on 2 March
        assert_eq!(rome_day(at), date("2025-03-02"));
        assert_eq!(rome_day(utc("2025-03-01T22:59:00Z")), date("2025-03-01"));
    }

    #[test]
    fn rome_day_bounds_on_dst_days() {
        let (start, end) = rome_day_bounds(date("2025-03-30"));
        assert_eq!(start, utc("2025-03-29T23:00:00Z"));
        assert_eq!(end, utc("2025-03-30T22:00:00Z"));
        assert_eq!(end - start, TimeDelta::hours(23));

        let (start, end) = rome_day_bounds(date("2025-10-26"));
        assert_eq!(start, utc("2025-10-25T22:00:00Z"));
        assert_eq!(end, utc("2025-10-26T23:00:00Z"));
        assert_eq!(end - start, TimeDelta::hours(25));

        let (start, end) = rome_day_bounds(date("2025-06-09"));
        assert_eq!(end - start, TimeDelta::hours(24));

        let (start, end) = rome_day_bounds(NaiveDate::MAX);
        assert!(start <= end);
    }

    #[test]
    fn nonexistent_local_time_is_an_error() {
        let gap = local("2025-03-30 02:30");
        let err = rome_local_to_utc(gap).expect_err("02:30 is skipped that night");
        assert_eq!(err, LocalTimeError::Nonexistent(gap));
        assert_eq!(
            err.to_string(),
            "2025-03-30 02:30:00 does not exist in Europe/Rome (clocks jump forward that night)"
        );
    }

    #[test]
    fn ambiguous_local_time_takes_the_earlier_instant() {
        assert_eq!(
            rome_local_to_utc(local("2025-10-26 02:30")),
            Ok(utc("2025-10-26T00:30:00Z"))
        );
        // An hour later on the wall clock is unambiguous CET.
        assert_eq!(
            rome_local_to_utc(local("2025-10-26 03:30")),
            Ok(utc("2025-10-26T02:30:00Z"))
        );
    }
}
