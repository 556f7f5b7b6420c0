//! The diagnostic log: what a terminal or a command did, and how long it took, so the city's
//! IT can see what happened before a complaint. It sits beside the crash logs (`logs/` next
//! to the register), one file a day (`diagnostic-YYYY-MM-DD.log`, UTC days of the system's
//! clock, as its lines' times: a pinned clock must not mislead IT), the newest
//! [`KEEP`] kept; the folder is its owner's only (0700), each file too (0600).
//!
//! What it holds: the start (version, window or command), opening the register (duration,
//! schema version), each job or command with its duration and outcome (an error's kind, never
//! its message), sign-ins (accepted with the role, or refused), backups, purges (counts),
//! crashes (where in the code). What it never holds: a visitor's name, a birth date, a
//! password, a search query, a staff name, any field's value. Events carry kinds, counts
//! and durations only; only this crate's events are written (no library's own logging).
//!
//! The files are ours, not tracing-appender's: its rolling appender creates files with the
//! process's default mode where these must be 0600, and its non-blocking writer may lose the
//! last lines of a crash (and says so on stdout, which carries `--format json`). A line is
//! written when it happens, by whichever thread did the work: never the window's own.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::NaiveDate;
use tracing_subscriber::filter::{LevelFilter, Targets};

use crate::clock::{Clock, SystemClock};
use tracing_subscriber::prelude::*;

/// Daily files kept.
pub const KEEP: usize = 7;

const PREFIX: &str = "diagnostic-";
const SUFFIX: &str = ".log";

/// The file of `day`.
pub fn file_name(day: NaiveDate) -> String {
    format!("{PREFIX}{}{SUFFIX}", day.format("%Y-%m-%d"))
}

fn day_of(name: &str) -> Option<NaiveDate> {
    let date = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()
}

/// Start the diagnostic log beside the register at `db`. A log that cannot start does not
/// stop the front desk: the error comes back for the caller to say (`main` says it in one
/// line on stderr, unless the command failed and its own line is the one that matters).
/// With no folder for the register there is no log and no error: the command is about to
/// say that the folder is missing.
pub fn init(db: &Path) -> Result<(), String> {
    let register_folder = db.parent().filter(|p| !p.as_os_str().is_empty());
    if register_folder.is_some_and(|p| !p.is_dir()) {
        return Ok(());
    }
    let folder = crate::crash::log_folder(db);
    let files = DailyFiles::open(&folder)
        .map_err(|e| format!("no diagnostic log ({}: {e})", folder.display()))?;
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(Mutex::new(files))
        .with_ansi(false)
        .with_filter(Targets::new().with_target(env!("CARGO_CRATE_NAME"), LevelFilter::INFO));
    // A second start in one process (tests) keeps the first log.
    let _ = tracing_subscriber::registry().with(layer).try_init();
    Ok(())
}

/// One file a day in a folder of its owner's, the oldest beyond [`KEEP`] removed.
pub struct DailyFiles {
    folder: PathBuf,
    current: Option<(NaiveDate, File)>,
}

impl DailyFiles {
    /// The folder is created 0700 (and made so if it exists), and today's file opened.
    pub fn open(folder: &Path) -> std::io::Result<DailyFiles> {
        crate::private_files::create_dir(folder)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o700))?;
        }
        let mut files = DailyFiles {
            folder: folder.to_path_buf(),
            current: None,
        };
        files.file_for(SystemClock.now().date_naive())?;
        Ok(files)
    }

    /// The file of `day`, opened (0600, appended to) when the day changes.
    fn file_for(&mut self, day: NaiveDate) -> std::io::Result<&mut File> {
        if self.current.as_ref().is_none_or(|(d, _)| *d != day) {
            let file = crate::private_files::options()
                .create(true)
                .append(true)
                .open(self.folder.join(file_name(day)))?;
            self.current = Some((day, file));
            self.prune()?;
        }
        match &mut self.current {
            Some((_, file)) => Ok(file),
            None => Err(std::io::Error::other("no diagnostic file open")),
        }
    }

    /// Remove the oldest daily files beyond [`KEEP`]; other files are never touched.
    fn prune(&self) -> std::io::Result<()> {
        let mut days: Vec<(NaiveDate, PathBuf)> = std::fs::read_dir(&self.folder)?
            .filter_map(|entry| {
                let entry = entry.ok()?;
                Some((day_of(entry.file_name().to_str()?)?, entry.path()))
            })
            .collect();
        days.sort();
        for (_, old) in days.iter().take(days.len().saturating_sub(KEEP)) {
            std::fs::remove_file(old)?;
        }
        Ok(())
    }
}

impl Write for DailyFiles {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file_for(SystemClock.now().date_naive())?.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.current {
            Some((_, file)) => file.flush(),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_a_day_private_and_only_the_newest_kept() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("logs");
        let mut files = DailyFiles::open(&folder).unwrap();
        std::fs::write(folder.join("crash-20250101-000000.log"), "kept").unwrap();
        let first = NaiveDate::from_ymd_opt(2025, 7, 1).unwrap();
        for n in 0..10 {
            let day = first + chrono::Duration::days(n);
            files.file_for(day).unwrap().write_all(b"line\n").unwrap();
        }
        let mut names: Vec<String> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert!(names.contains(&"crash-20250101-000000.log".to_string()));
        let logs: Vec<&String> = names.iter().filter(|n| day_of(n).is_some()).collect();
        assert_eq!(logs.len(), KEEP, "{names:?}");
        // Today's (opened first) and the six newest of July.
        let has = |n: &str| names.iter().any(|m| m == n);
        assert!(has(&file_name(SystemClock.now().date_naive())), "{names:?}");
        assert!(has("diagnostic-2025-07-05.log") && !has("diagnostic-2025-07-04.log"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&folder), 0o700);
            assert_eq!(mode(&folder.join("diagnostic-2025-07-10.log")), 0o600);
        }
        assert_eq!(day_of("diagnostic-2025-02-30.log"), None);
    }
}
