//! The register's settings, and how long personal data is kept: one place for the command
//! line and the terminal.

use chrono::{DateTime, Months, Utc};

use super::{Result, Store};

/// The setting holding the retention period, in months after a visitor's last access.
pub const RETENTION_SETTING: &str = "retention_months";
/// Personal data is kept for this many months after a visitor's last access.
pub const DEFAULT_RETENTION_MONTHS: u32 = 24;

/// The setting holding the idle-lock minutes of the terminals, and its default.
pub const IDLE_SETTING: &str = "idle_lock_minutes";
pub const DEFAULT_IDLE_MINUTES: u32 = 3;

/// The fields an erasure or a purge empties (the audit trail names them).
pub const ERASED_FIELDS: [&str; 7] = [
    "family_name",
    "given_name",
    "birth_date",
    "languages",
    "phone",
    "legacy_ref",
    "override_reason",
];

/// The retention period; `Err` with a message when the stored value is not a number.
pub fn retention_months(store: &dyn Store) -> Result<std::result::Result<u32, String>> {
    Ok(match store.setting(RETENTION_SETTING)? {
        None => Ok(DEFAULT_RETENTION_MONTHS),
        Some(v) => v
            .parse()
            .map_err(|_| format!("the retention setting '{v}' is not a number of months")),
    })
}

/// The idle-lock minutes (the default when none or no number is stored). A stored value
/// that is not a number can only come from a hand-edited register; it falls back to the
/// strict default rather than keep the terminal from opening, and the diagnostic log says so.
pub fn idle_lock_minutes(store: &dyn Store) -> Result<u32> {
    Ok(match store.setting(IDLE_SETTING)? {
        None => DEFAULT_IDLE_MINUTES,
        Some(v) => v.parse().unwrap_or_else(|_| {
            tracing::warn!(
                setting = IDLE_SETTING,
                default = DEFAULT_IDLE_MINUTES,
                "stored setting is not a number; the default applies"
            );
            DEFAULT_IDLE_MINUTES
        }),
    })
}

/// The instant `months` before `now`: whoever was last seen before it is due for a purge.
pub fn cutoff(months: u32, now: DateTime<Utc>) -> DateTime<Utc> {
    now - Months::new(months)
}
