//! The figures: what the tally and the city's reports are computed from.

use chrono::NaiveDate;

use super::Result;
use crate::domain::tally::{AccessFact, AppointmentFact, VisitorFact};

pub trait Reports {
    /// Facts for the report of Europe/Rome days `from..=to` (`crate::report` counts them).
    fn report_facts(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<(Vec<AccessFact>, Vec<VisitorFact>)>;

    /// The start and state of every booking whose slot starts on Europe/Rome days
    /// `from..=to`, in any order, rescheduled and cancelled ones included (`crate::report`
    /// counts them). A plain read: a booking changed meanwhile is counted as it was or as it
    /// is, never twice.
    fn appointment_facts(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<AppointmentFact>>;
}
