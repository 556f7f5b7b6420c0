//! What every screen shows of today: one snapshot, reloaded when the database changes.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::board::DayBoard;
use crate::domain::hours::rome_day;
use crate::domain::tally::Report;
use crate::domain::{EventRecord, TicketView};
use crate::store::{Store, StoreError};

#[derive(Debug, Clone, Default)]
pub struct Today {
    pub day: NaiveDate,
    pub tickets: Vec<TicketView>,
    pub board: DayBoard,
    /// The contract's report for today (first-time share, new visitors...).
    pub report: Option<Report>,
}

impl Today {
    pub fn load(store: &dyn Store, now: DateTime<Utc>) -> Result<Today, StoreError> {
        let day = rome_day(now);
        let tickets = store.tickets_of_day(day)?;
        let events: Vec<EventRecord> = store.events_of_day(day)?;
        let board = DayBoard::compute(&tickets, &events, now);
        let report = crate::report::report(store, day, day)?;
        Ok(Today {
            day,
            tickets,
            board,
            report: Some(report),
        })
    }
}
