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
/// and for the end-to-end tests that run the real binary; otherwise the system clock. A value
/// that is not a time is an error: silently running on the real clock would put the
/// demonstration's (or the test's) registrations on another day.
pub fn from_env() -> Result<Box<dyn Clock>, String> {
    match std::env::var("WELCOME_DESK_NOW") {
        Err(std::env::VarError::NotPresent) => Ok(Box::new(SystemClock)),
        Ok(s) if s.trim().is_empty() => Ok(Box::new(SystemClock)),
        Ok(s) => DateTime::parse_from_rfc3339(s.trim())
            .map(|t| Box::new(FixedClock(t.with_timezone(&Utc))) as Box<dyn Clock>)
            .map_err(|_| {
                format!("WELCOME_DESK_NOW: '{s}' is not a time (RFC 3339, e.g. 2025-07-07T10:00:00+02:00)")
            }),
        Err(std::env::VarError::NotUnicode(_)) => {
            Err("WELCOME_DESK_NOW: not text (RFC 3339, e.g. 2025-07-07T10:00:00+02:00)".into())
        }
    }
}
