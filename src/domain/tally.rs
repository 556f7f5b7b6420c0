//! The figures the city publishes, computed from plain facts so that any store (SQLite today,
//! PostgreSQL later) gives the same numbers.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::access::{Channel, Queue};
use super::appointment::AppointmentState;
use super::hours::rome_day;
use super::reference;
use super::visitor::{Sex, age_on};

/// One access in the range, as the report needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessFact {
    pub arrived_at: DateTime<Utc>,
    /// The store's key of the visitor (after merges, the surviving record).
    pub visitor: i64,
    pub channel: Channel,
    pub queue: Queue,
    pub service: String,
    /// The visitor's first access ever.
    pub first_time: bool,
    /// The visitor's age on the day, kept when the visitor was anonymised (their birth date
    /// is gone); `None` otherwise.
    pub kept_age: Option<u32>,
}

/// A visitor with an access in the range, as the report needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitorFact {
    pub visitor: i64,
    pub sex: Sex,
    pub country: Option<String>,
    pub birth_date: Option<NaiveDate>,
}

/// A booking whose slot starts in the range, as the report needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppointmentFact {
    pub start: DateTime<Utc>,
    pub state: AppointmentState,
}

/// What became of the bookings whose slot is in the range.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct AppointmentFigures {
    /// Every booking of the range, whatever became of it: the sum of the four below.
    pub booked: u64,
    pub checked_in: u64,
    pub no_show: u64,
    /// A reschedule cancels the booking it moves (and books anew, counted where it lands).
    pub cancelled: u64,
    /// Still booked: the slot is to come, or the day's no-show sweep has not run yet.
    pub open: u64,
    /// No-shows among the bookings whose outcome is known (`no_show / (checked_in +
    /// no_show)`): cancelled bookings were nobody's place lost, open ones are not settled.
    pub no_show_share: f64,
}

impl AppointmentFigures {
    pub fn count(facts: &[AppointmentFact]) -> AppointmentFigures {
        let mut f = AppointmentFigures {
            booked: facts.len() as u64,
            ..AppointmentFigures::default()
        };
        for a in facts {
            match a.state {
                AppointmentState::Booked => f.open += 1,
                AppointmentState::CheckedIn => f.checked_in += 1,
                AppointmentState::NoShow => f.no_show += 1,
                AppointmentState::Cancelled => f.cancelled += 1,
            }
        }
        f.no_show_share = ratio(f.no_show, f.checked_in + f.no_show);
        f
    }
}

/// Age bands of the city's bulletin.
pub const AGE_BANDS: [&str; 6] = ["0-17", "18-24", "25-44", "45-64", "65+", "unknown"];

pub fn age_band(age: Option<u32>) -> &'static str {
    match age {
        None => "unknown",
        Some(0..=17) => "0-17",
        Some(18..=24) => "18-24",
        Some(25..=44) => "25-44",
        Some(45..=64) => "45-64",
        Some(_) => "65+",
    }
}

/// The report of the command-line contract. Field names are the JSON keys scripts rely on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub accesses: u64,
    pub walk_ins: u64,
    pub first_time_walk_ins: u64,
    pub first_time_share_of_walk_ins: f64,
    pub unique_visitors: u64,
    pub new_visitors: u64,
    pub monthly_accesses: BTreeMap<String, u64>,
    pub average_monthly_accesses: f64,
    pub by_queue: BTreeMap<String, u64>,
    /// Per access: `walk-in`, `appointment` (a person checked in too late to keep the slot
    /// queues, and counts, as a walk-in).
    #[serde(default)]
    pub by_channel: BTreeMap<String, u64>,
    /// The bookings whose slot is in the range.
    #[serde(default)]
    pub appointments: AppointmentFigures,
    pub by_service: BTreeMap<String, u64>,
    pub top_services: Vec<String>,
    pub by_country: BTreeMap<String, u64>,
    pub by_sex: BTreeMap<String, u64>,
    pub by_age_band: BTreeMap<String, u64>,
}

/// Every calendar month the range `from..=to` touches, as `YYYY-MM`.
pub fn months_touched(from: NaiveDate, to: NaiveDate) -> Vec<String> {
    month_firsts(from, to)
        .into_iter()
        .map(|d| format!("{:04}-{:02}", d.year(), d.month()))
        .collect()
}

/// The first day of every calendar month the range `from..=to` touches.
fn month_firsts(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let mut months = Vec::new();
    let (mut y, mut m) = (from.year(), from.month());
    while (y, m) <= (to.year(), to.month()) {
        months.extend(NaiveDate::from_ymd_opt(y, m, 1));
        if m == 12 {
            y += 1;
            m = 1;
        } else {
            m += 1;
        }
    }
    months
}

impl Report {
    /// Compute the report for the Europe/Rome days `from..=to`.
    ///
    /// `accesses` must be those arriving within the range; `visitors` must hold every visitor
    /// they refer to (extra visitors are ignored). Per-visitor figures (country, sex, age band)
    /// count each person once; the age is taken at the visitor's first access in the range.
    /// `appointments` must be the bookings whose slot starts within the range.
    pub fn compute(
        from: NaiveDate,
        to: NaiveDate,
        accesses: &[AccessFact],
        visitors: &[VisitorFact],
        appointments: &[AppointmentFact],
    ) -> Report {
        // Month boundaries in UTC, computed once: each access is then placed by a binary
        // search instead of a time-zone conversion and a string per access.
        let months = months_touched(from, to);
        let month_starts: Vec<DateTime<Utc>> = month_firsts(from, to)
            .into_iter()
            .map(|first| super::hours::rome_day_bounds(first).0)
            .collect();
        let mut per_month = vec![0u64; months.len()];
        // Rome day boundaries of the range, for the ages: one lookup per visitor, no
        // time-zone arithmetic.
        let mut day_starts: Vec<(DateTime<Utc>, NaiveDate)> = Vec::new();
        let mut day = from;
        while day <= to {
            day_starts.push((super::hours::rome_day_bounds(day).0, day));
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
        let rome_day_in_range = |at: DateTime<Utc>| -> NaiveDate {
            match day_starts.partition_point(|(start, _)| *start <= at) {
                0 => rome_day(at),
                i => day_starts[i - 1].1,
            }
        };
        let (mut sai, mut general) = (0u64, 0u64);
        let mut by_service: BTreeMap<String, u64> = reference::services()
            .iter()
            .map(|s| (s.code.clone(), 0))
            .collect();
        let mut walk_ins = 0;
        let mut first_time_walk_ins = 0;
        // visitor -> (first arrival in range, had a first-ever access in range)
        // Per visitor: the first access in range, whether new, and the age kept on that access.
        let mut seen: HashMap<i64, (DateTime<Utc>, bool, Option<u32>)> = HashMap::new();

        for a in accesses {
            let month = month_starts
                .partition_point(|start| *start <= a.arrived_at)
                .saturating_sub(1);
            if let Some(n) = per_month.get_mut(month) {
                *n += 1;
            }
            match a.queue {
                Queue::Sai => sai += 1,
                Queue::General => general += 1,
            }
            // No allocation per access: services are a handful of keys.
            match by_service.get_mut(&a.service) {
                Some(n) => *n += 1,
                None => {
                    by_service.insert(a.service.clone(), 1);
                }
            }
            if a.channel == Channel::WalkIn {
                walk_ins += 1;
                if a.first_time {
                    first_time_walk_ins += 1;
                }
            }
            seen.entry(a.visitor)
                .and_modify(|(first, new, age)| {
                    if a.arrived_at < *first {
                        *first = a.arrived_at;
                        *age = a.kept_age;
                    }
                    *new |= a.first_time;
                })
                .or_insert((a.arrived_at, a.first_time, a.kept_age));
        }

        let mut by_country: BTreeMap<String, u64> = BTreeMap::new();
        let mut by_sex: BTreeMap<String, u64> =
            Sex::ALL.iter().map(|s| (s.code().to_string(), 0)).collect();
        let mut by_age_band: BTreeMap<String, u64> =
            AGE_BANDS.iter().map(|b| (b.to_string(), 0)).collect();
        let visitor_index: HashMap<i64, &VisitorFact> =
            visitors.iter().map(|v| (v.visitor, v)).collect();
        for (key, (first_in_range, _, kept_age)) in &seen {
            let fact = visitor_index.get(key);
            let country = fact
                .and_then(|v| v.country.clone())
                .unwrap_or_else(|| "unknown".to_string());
            *by_country.entry(country).or_insert(0) += 1;
            let sex = fact.map_or(Sex::Unknown, |v| v.sex);
            *by_sex.entry(sex.code().to_string()).or_insert(0) += 1;
            let age = fact
                .and_then(|v| v.birth_date)
                .map(|b| age_on(b, rome_day_in_range(*first_in_range)))
                .or(*kept_age);
            *by_age_band.entry(age_band(age).to_string()).or_insert(0) += 1;
        }

        let mut ranked: Vec<(&String, &u64)> = by_service.iter().filter(|(_, n)| **n > 0).collect();
        ranked.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
        let top_services = ranked.iter().take(3).map(|(c, _)| (*c).clone()).collect();

        let by_queue: BTreeMap<String, u64> = [
            (Queue::Sai.code().to_string(), sai),
            (Queue::General.code().to_string(), general),
        ]
        .into_iter()
        .collect();
        let accesses_n = accesses.len() as u64;
        let by_channel: BTreeMap<String, u64> = [
            (Channel::WalkIn.code().to_string(), walk_ins),
            (
                Channel::Appointment.code().to_string(),
                accesses_n - walk_ins,
            ),
        ]
        .into_iter()
        .collect();
        let monthly_accesses: BTreeMap<String, u64> = months.into_iter().zip(per_month).collect();
        let months = monthly_accesses.len().max(1) as f64;
        Report {
            from,
            to,
            accesses: accesses_n,
            walk_ins,
            first_time_walk_ins,
            first_time_share_of_walk_ins: ratio(first_time_walk_ins, walk_ins),
            unique_visitors: seen.len() as u64,
            new_visitors: seen.values().filter(|(_, new, _)| *new).count() as u64,
            monthly_accesses,
            average_monthly_accesses: accesses_n as f64 / months,
            by_queue,
            by_channel,
            appointments: AppointmentFigures::count(appointments),
            by_service,
            top_services,
            by_country,
            by_sex,
            by_age_band,
        }
    }

    /// Countries by number of visitors, most first, ties by code.
    pub fn top_countries(&self, n: usize) -> Vec<(&str, u64)> {
        let mut ranked: Vec<(&str, u64)> = self
            .by_country
            .iter()
            .map(|(c, n)| (c.as_str(), *n))
            .collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        ranked.truncate(n);
        ranked
    }

    /// The age band with most visitors (ignoring unknown ages unless nothing else is known).
    pub fn prevalent_age_band(&self) -> Option<&str> {
        let known = self
            .by_age_band
            .iter()
            .filter(|(b, n)| b.as_str() != "unknown" && **n > 0)
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)));
        known.map(|(b, _)| b.as_str())
    }
}

fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }
    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }
    fn access(at: DateTime<Utc>, visitor: i64, service: &str, first: bool) -> AccessFact {
        AccessFact {
            arrived_at: at,
            visitor,
            channel: Channel::WalkIn,
            queue: Queue::General,
            service: service.into(),
            first_time: first,
            kept_age: None,
        }
    }

    #[test]
    fn counts_per_access_and_per_visitor() {
        let accesses = vec![
            access(utc(2025, 1, 10, 9, 0), 1, "housing", true),
            access(utc(2025, 1, 11, 9, 0), 1, "housing", false),
            access(utc(2025, 2, 3, 9, 0), 2, "family-reunification", false),
            AccessFact {
                channel: Channel::Appointment,
                queue: Queue::Sai,
                ..access(utc(2025, 2, 4, 9, 0), 3, "legal-administrative", true)
            },
        ];
        let visitors = vec![
            VisitorFact {
                visitor: 1,
                sex: Sex::M,
                country: Some("EG".into()),
                birth_date: Some(date(2000, 1, 11)),
            },
            VisitorFact {
                visitor: 2,
                sex: Sex::F,
                country: None,
                birth_date: None,
            },
            VisitorFact {
                visitor: 3,
                sex: Sex::M,
                country: Some("EG".into()),
                birth_date: Some(date(1950, 1, 1)),
            },
        ];
        let r = Report::compute(
            date(2025, 1, 1),
            date(2025, 3, 31),
            &accesses,
            &visitors,
            &[],
        );
        assert_eq!(r.accesses, 4);
        assert_eq!(r.walk_ins, 3);
        assert_eq!(r.first_time_walk_ins, 1);
        assert!((r.first_time_share_of_walk_ins - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(r.unique_visitors, 3);
        assert_eq!(r.new_visitors, 2);
        assert_eq!(
            r.monthly_accesses.clone().into_iter().collect::<Vec<_>>(),
            vec![
                ("2025-01".to_string(), 2),
                ("2025-02".to_string(), 2),
                ("2025-03".to_string(), 0)
            ]
        );
        assert!((r.average_monthly_accesses - 4.0 / 3.0).abs() < 1e-12);
        assert_eq!(r.by_queue["sai"], 1);
        assert_eq!(r.by_queue["general"], 3);
        assert_eq!(r.by_channel["walk-in"], 3);
        assert_eq!(r.by_channel["appointment"], 1);
        assert_eq!(r.by_service["housing"], 2);
        assert_eq!(r.by_service["other"], 0);
        assert_eq!(
            r.top_services,
            vec!["housing", "family-reunification", "legal-administrative"]
        );
        assert_eq!(r.by_country["EG"], 2);
        assert_eq!(r.by_country["unknown"], 1);
        assert_eq!(r.by_sex["M"], 2);
        assert_eq!(r.by_sex["F"], 1);
        assert_eq!(r.by_sex["X"], 0);
        // Visitor 1 turns 25 on 11 January, after the first access in range (24 then).
        assert_eq!(r.by_age_band["18-24"], 1);
        assert_eq!(r.by_age_band["65+"], 1);
        assert_eq!(r.by_age_band["unknown"], 1);
        assert_eq!(r.prevalent_age_band(), Some("18-24"));
    }

    #[test]
    fn a_half_past_midnight_arrival_on_the_first_counts_in_the_new_month() {
        // 2025-03-01 00:30 in Rome is 2025-02-28 23:30 UTC.
        let a = access(utc(2025, 2, 28, 23, 30), 1, "other", true);
        let r = Report::compute(date(2025, 2, 1), date(2025, 3, 31), &[a], &[], &[]);
        assert_eq!(r.monthly_accesses["2025-02"], 0);
        assert_eq!(r.monthly_accesses["2025-03"], 1);
    }

    #[test]
    fn ties_in_top_services_go_by_code() {
        let accesses = vec![
            access(utc(2025, 1, 10, 9, 0), 1, "work-training", true),
            access(utc(2025, 1, 10, 9, 0), 2, "housing", true),
            access(utc(2025, 1, 10, 9, 0), 3, "other", true),
            access(utc(2025, 1, 10, 9, 0), 4, "family-reunification", true),
        ];
        let r = Report::compute(date(2025, 1, 1), date(2025, 1, 31), &accesses, &[], &[]);
        assert_eq!(
            r.top_services,
            vec!["family-reunification", "housing", "other"]
        );
    }

    #[test]
    fn empty_range() {
        let r = Report::compute(date(2025, 1, 1), date(2025, 1, 1), &[], &[], &[]);
        assert_eq!(r.accesses, 0);
        assert_eq!(r.first_time_share_of_walk_ins, 0.0);
        assert_eq!(r.monthly_accesses.len(), 1);
        assert!(r.top_services.is_empty());
        assert_eq!(r.prevalent_age_band(), None);
    }

    #[test]
    fn appointments_by_what_became_of_them() {
        use AppointmentState::*;
        let at = utc(2025, 2, 4, 9, 0);
        let facts: Vec<AppointmentFact> = [
            CheckedIn, CheckedIn, CheckedIn, NoShow, Cancelled, Cancelled, Booked,
        ]
        .into_iter()
        .map(|state| AppointmentFact { start: at, state })
        .collect();
        let r = Report::compute(date(2025, 2, 1), date(2025, 2, 28), &[], &[], &facts);
        let f = r.appointments;
        assert_eq!(
            (f.booked, f.checked_in, f.no_show, f.cancelled, f.open),
            (7, 3, 1, 2, 1)
        );
        // One no-show of the four whose outcome is known.
        assert!((f.no_show_share - 0.25).abs() < 1e-12);
        assert_eq!(
            Report::compute(date(2025, 2, 1), date(2025, 2, 28), &[], &[], &[])
                .appointments
                .no_show_share,
            0.0
        );
    }

    #[test]
    fn months_touched_crosses_years() {
        assert_eq!(
            months_touched(date(2024, 11, 30), date(2025, 2, 1)),
            vec!["2024-11", "2024-12", "2025-01", "2025-02"]
        );
    }
}
