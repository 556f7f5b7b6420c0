//! The daily backup: the first start of a day copies the register into a backups folder
//! beside it and keeps the last fourteen, so a damaged disk or a wrong restore costs at most
//! one day of work.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::io_error;
use super::sqlite::create_private_folder;
use super::{Result, Store};

/// How many daily backups are kept.
pub const KEEP_DAILY: usize = 14;

const PREFIX: &str = "welcome-desk-";
const SUFFIX: &str = ".db";

/// The backups folder of the register at `db`: `backups/` beside it.
pub fn folder_of(db: &Path) -> PathBuf {
    db.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("backups"), |p| p.join("backups"))
}

/// The file name of the daily backup of `day`.
pub fn daily_name(day: NaiveDate) -> String {
    format!("{PREFIX}{}{SUFFIX}", day.format("%Y-%m-%d"))
}

/// The day a file name is the daily backup of, if it is one.
fn day_of(name: &str) -> Option<NaiveDate> {
    let date = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()
}

/// What the daily backup did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Daily {
    /// Today's copy was written; older copies beyond the kept number were removed.
    Written {
        path: PathBuf,
        removed: Vec<PathBuf>,
    },
    /// Today's copy already exists (not the day's first start).
    AlreadyTaken(PathBuf),
}

/// Take `day`'s backup of `store` into `folder` unless it exists, then keep the newest
/// `keep` daily backups. Other files in the folder (copies kept by a restore, the
/// operator's own) are never touched.
pub fn take_daily(store: &dyn Store, folder: &Path, day: NaiveDate, keep: usize) -> Result<Daily> {
    create_private_folder(folder)?;
    let path = folder.join(daily_name(day));
    if path.exists() {
        return Ok(Daily::AlreadyTaken(path));
    }
    store.backup_to(&path)?;
    let mut dailies: Vec<(NaiveDate, PathBuf)> = std::fs::read_dir(folder)
        .map_err(|e| io_error(folder.display().to_string(), e))?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let day = day_of(entry.file_name().to_str()?)?;
            Some((day, entry.path()))
        })
        .collect();
    dailies.sort();
    let excess = dailies.len().saturating_sub(keep);
    let mut removed = Vec::new();
    for (_, old) in dailies.into_iter().take(excess) {
        std::fs::remove_file(&old).map_err(|e| io_error(old.display().to_string(), e))?;
        // Its audit key goes with it.
        let _ = std::fs::remove_file(old.with_extension("audit-key"));
        removed.push(old);
    }
    Ok(Daily::Written { path, removed })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_daily_names_are_recognised() {
        let day = NaiveDate::from_ymd_opt(2025, 7, 3).expect("date");
        assert_eq!(day_of(&daily_name(day)), Some(day));
        assert_eq!(day_of("before-restore-20250703-101500.db"), None);
        assert_eq!(day_of("welcome-desk-2025-02-30.db"), None);
        assert_eq!(day_of("welcome-desk-2025-07-03.db.partial"), None);
    }
}
