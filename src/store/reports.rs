//! The figures: what the tally and the city's reports are computed from.

use chrono::NaiveDate;

use super::Result;
use crate::domain::tally::{AccessFact, VisitorFact};

pub trait Reports {
    /// Facts for the report of Europe/Rome days `from..=to` (`crate::report` counts them).
    fn report_facts(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<(Vec<AccessFact>, Vec<VisitorFact>)>;
}
