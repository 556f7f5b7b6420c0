//! The facts the tally and the city's reports are counted from, on the server: SQLite's one
//! query, so both engines give the same figures.

use std::collections::HashSet;

use chrono::NaiveDate;

use super::PgStore;
use super::tickets::{bad_value, read, whole};
use crate::domain::hours::rome_day_bounds;
use crate::domain::tally::{AccessFact, AppointmentFact, VisitorFact};
use crate::domain::{Channel, Queue, Sex};
use crate::store::{Reports, Result};

impl Reports for PgStore {
    fn report_facts(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<(Vec<AccessFact>, Vec<VisitorFact>)> {
        let (start, _) = rome_day_bounds(from);
        let (_, end) = rome_day_bounds(to);
        read(self, |c| {
            // One pass: each access with its visitor's facts; visitors are deduplicated here
            // rather than by a second scan of the range. In arrival order (then row), so
            // one register always gives its facts in one order; the tally does not depend
            // on it (SQLite's order is its planner's).
            let rows = c.query(
                "SELECT a.arrived_at, p.seq, a.channel, a.queue, a.service, a.first_time, \
                 p.sex, p.country, p.birth_date, a.age_years \
                 FROM access a JOIN visitor v ON v.seq = a.visitor_seq \
                 JOIN visitor p ON p.seq = COALESCE(v.merged_into, v.seq) \
                 WHERE a.arrived_at >= $1 AND a.arrived_at < $2 \
                 ORDER BY a.arrived_at, a.seq",
                &[&whole(start), &whole(end)],
            )?;
            let mut accesses: Vec<AccessFact> = Vec::with_capacity(rows.len());
            let mut visitors: Vec<VisitorFact> = Vec::new();
            let mut seen: HashSet<i64> = HashSet::new();
            for r in &rows {
                let visitor: i64 = r.get(1);
                // Unknown words count as SQLite counts them: the schema's checks allow none.
                let channel = match r.get::<_, &str>(2) {
                    "walk-in" => Channel::WalkIn,
                    _ => Channel::Appointment,
                };
                let queue = match r.get::<_, &str>(3) {
                    "sai" => Queue::Sai,
                    _ => Queue::General,
                };
                let kept_age = r
                    .get::<_, Option<i32>>(9)
                    .map(|a| u32::try_from(a).map_err(|_| bad_value("age", a)))
                    .transpose()?;
                accesses.push(AccessFact {
                    arrived_at: r.get(0),
                    visitor,
                    channel,
                    queue,
                    service: r.get(4),
                    first_time: r.get(5),
                    kept_age,
                });
                if seen.insert(visitor) {
                    let sex = match r.get::<_, &str>(6) {
                        "F" => Sex::F,
                        "M" => Sex::M,
                        "X" => Sex::X,
                        _ => Sex::Unknown,
                    };
                    visitors.push(VisitorFact {
                        visitor,
                        sex,
                        country: r.get(7),
                        birth_date: r.get(8),
                    });
                }
            }
            Ok((accesses, visitors))
        })
    }

    fn appointment_facts(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<AppointmentFact>> {
        read(self, |c| {
            // `day` is the Rome day of `start_at`, indexed, as on SQLite.
            c.query(
                "SELECT start_at, state FROM appointment WHERE day >= $1 AND day <= $2",
                &[&from, &to],
            )?
            .iter()
            .map(|r| {
                let state: &str = r.get(1);
                Ok(AppointmentFact {
                    start: r.get(0),
                    state: state
                        .parse()
                        .map_err(|_| bad_value("booking state", state))?,
                })
            })
            .collect()
        })
    }
}
