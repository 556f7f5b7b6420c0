//! Keeping the register whole: checks, copies and the demo loader.

use std::path::Path;

use super::{Result, SyntheticDay};
use crate::progress::Progress;

pub trait Maintenance {
    /// Read every page once: damage below the header is reported as `StoreError::Corrupt`
    /// before it can spread. Cheap enough for every start (seconds on ten years).
    fn check(&self) -> Result<()>;

    /// The thorough check (every page and index): "ok" or the problems found.
    fn integrity_check(&self) -> Result<String>;

    /// Visitors and accesses in the register, for summaries.
    fn counts(&self) -> Result<(u64, u64)>;

    /// Copy the whole register to a new, self-contained welcome-desk SQLite file `dest`,
    /// consistently, while terminals keep working, and the audit key beside it.
    fn backup_to_with(&self, dest: &Path, progress: &mut dyn Progress) -> Result<()>;

    /// Load synthetic traffic (the `demo` command) as `staff`, in bulk: ten years at ten
    /// times the center's traffic must load in about a minute. Returns visitors and accesses.
    fn load_synthetic_with(
        &mut self,
        days: &mut dyn Iterator<Item = SyntheticDay>,
        staff: &str,
        progress: &mut dyn Progress,
    ) -> Result<(u64, u64)>;
}
