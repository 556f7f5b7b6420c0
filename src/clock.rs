//! The one place the wall clock is read. Everything else takes time as an argument or asks a
//! `Clock`, so tests can pin the hour, the DST night or a public holiday.

use chrono::{DateTime, Utc};

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The real clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that always says the same instant.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// The clock the program runs on: `WELCOME_DESK_NOW` (RFC 3339) pins it, for demonstrations
/// and for the end-to-end tests that run the real binary; otherwise the system clock.
pub fn from_env() -> Box<dyn Clock> {
    match std::env::var("WELCOME_DESK_NOW")
        .ok()
        .and_then(|s| DateTime::parse_from_rfc3339(s.trim()).ok())
    {
        Some(t) => Box::new(FixedClock(t.with_timezone(&Utc))),
        None => Box::new(SystemClock),
    }
}
