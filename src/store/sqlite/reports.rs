//! The facts the tally and the city's reports are counted from.

use super::*;
use crate::domain::tally::AppointmentFact;
use crate::store::Reports;

impl Reports for SqliteStore {
    fn report_facts(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<(Vec<AccessFact>, Vec<VisitorFact>)> {
        let (start, _) = rome_day_bounds(from);
        let (_, end) = rome_day_bounds(to);
        // One pass: each access with its visitor's facts; visitors are deduplicated here
        // rather than by a second scan of the range.
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.arrived_at, p.seq, a.channel, a.queue, a.service, a.first_time, \
             p.sex, p.country, p.birth_date, a.age_years \
             FROM access a JOIN visitor v ON v.seq = a.visitor_seq \
             JOIN visitor p ON p.seq = COALESCE(v.merged_into, v.seq) \
             WHERE a.arrived_at >= ?1 AND a.arrived_at < ?2",
        )?;
        let mut accesses: Vec<AccessFact> = Vec::new();
        let mut visitors: Vec<VisitorFact> = Vec::new();
        let mut seen: HashSet<i64> = HashSet::new();
        let mut rows = stmt.query(params![secs(start), secs(end)])?;
        while let Some(r) = rows.next()? {
            let visitor: i64 = r.get(1)?;
            let channel = match r.get_ref(2)?.as_str().map_err(rusqlite::Error::from)? {
                "walk-in" => Channel::WalkIn,
                _ => Channel::Appointment,
            };
            let queue = match r.get_ref(3)?.as_str().map_err(rusqlite::Error::from)? {
                "sai" => Queue::Sai,
                _ => Queue::General,
            };
            accesses.push(AccessFact {
                arrived_at: from_secs(r.get(0)?)?,
                visitor,
                channel,
                queue,
                service: r.get(4)?,
                first_time: r.get(5)?,
                kept_age: r.get(9)?,
            });
            if seen.insert(visitor) {
                let sex = match r.get_ref(6)?.as_str().map_err(rusqlite::Error::from)? {
                    "F" => Sex::F,
                    "M" => Sex::M,
                    "X" => Sex::X,
                    _ => Sex::Unknown,
                };
                visitors.push(VisitorFact {
                    visitor,
                    sex,
                    country: r.get(7)?,
                    birth_date: r
                        .get::<_, Option<String>>(8)?
                        .map(|s| parse_day(&s))
                        .transpose()?,
                });
            }
        }
        Ok((accesses, visitors))
    }

    fn appointment_facts(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<AppointmentFact>> {
        // `day` is the Rome day of `start_at`, indexed.
        let mut stmt = self.conn.prepare_cached(
            "SELECT start_at, state FROM appointment WHERE day >= ?1 AND day <= ?2",
        )?;
        let facts = stmt
            .query_map(params![from.to_string(), to.to_string()], |r| {
                Ok(AppointmentFact {
                    start: from_secs(r.get(0)?)?,
                    state: parse_code(&r.get::<_, String>(1)?)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(facts)
    }
}
