//! The change feed: how a terminal learns that another one changed the register.

use std::time::Duration;

use super::Result;

/// A connection of its own that wakes when any connection (this terminal's included)
/// commits a change. SQLite: `PRAGMA data_version`, read a few times a second on the local
/// file; a server: a notification, with no query while nothing happens.
pub trait ChangeFeed: Send {
    /// Wait until a change is committed or `timeout` passes: `true` on a change. Changes
    /// made while nobody waited are reported by the next call.
    fn wait(&mut self, timeout: Duration) -> Result<bool>;
}
