//! When the program itself is wrong: a panic never ends silently. The hook writes a log
//! (what, where, the backtrace; never visitor data, which panics do not carry) beside the
//! register, says so in one line on stderr, and when the window itself died, starts the
//! terminal again with a notice saying what happened. A panic in a background job does not
//! end the terminal: the job's caller turns it into a message (`ui::app`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::clock::{Clock, SystemClock};

/// Set in a terminal started again after a crash: the log to tell the operator about.
pub const AFTER_CRASH_ENV: &str = "WELCOME_DESK_AFTER_CRASH";

/// A terminal that crashes again this soon after being restarted is not restarted: a crash
/// at start-up would otherwise loop.
pub const RESTART_GRACE: Duration = Duration::from_secs(30);

/// The newest crash log written by this process, for messages about failed jobs.
static LAST_LOG: Mutex<Option<PathBuf>> = Mutex::new(None);

/// The newest crash log written by this process.
pub fn last_log() -> Option<PathBuf> {
    LAST_LOG.lock().ok().and_then(|l| l.clone())
}

/// Where crash logs go for the register at `db`: `logs/` beside it.
pub fn log_folder(db: &Path) -> PathBuf {
    db.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("logs"), |p| p.join("logs"))
}

/// What the terminal does after a panic on the thread that runs the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Restart {
    /// Not the window's thread, or the command line: the caller handles it.
    No,
    /// Start the terminal again, with the notice.
    Yes,
    /// It crashed again right after a restart: stop, the log and stderr say why.
    CrashLoop,
}

/// Whether to start the terminal again after a panic on `thread`, in a terminal that was
/// itself started `since_start` ago, after a crash if `after_crash`.
pub fn restart_decision(
    gui: bool,
    thread: Option<&str>,
    after_crash: bool,
    since_start: Duration,
) -> Restart {
    if !gui || thread != Some("main") {
        Restart::No
    } else if after_crash && since_start < RESTART_GRACE {
        Restart::CrashLoop
    } else {
        Restart::Yes
    }
}

/// The text of a crash log.
pub fn report(
    at: DateTime<Utc>,
    thread: Option<&str>,
    message: &str,
    location: &str,
    backtrace: &str,
) -> String {
    format!(
        "welcome-desk {} crashed at {}\nthread: {}\nmessage: {message}\nlocation: {location}\n\nbacktrace:\n{backtrace}\n",
        env!("CARGO_PKG_VERSION"),
        at.to_rfc3339(),
        thread.unwrap_or("unnamed"),
    )
}

/// Write a crash log into `folder` (created if needed, readable by its owner only).
pub fn write_log(folder: &Path, at: DateTime<Utc>, text: &str) -> std::io::Result<PathBuf> {
    crate::private_files::create_dir(folder)?;
    let path = folder.join(format!("crash-{}.log", at.format("%Y%m%d-%H%M%S")));
    crate::private_files::options()
        .create(true)
        .append(true)
        .open(&path)?
        .write_all(text.as_bytes())?;
    Ok(path)
}

/// Install the hook. `gui`: this process runs the window on `db` (restart it on a crash).
pub fn install(db: PathBuf, gui: bool) {
    let started = std::time::Instant::now();
    let after_crash = std::env::var_os(AFTER_CRASH_ENV).is_some();
    let folder = log_folder(&db);
    std::panic::set_hook(Box::new(move |info| {
        let at = SystemClock.now();
        let thread = std::thread::current();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(no message)".into());
        let location = info.location().map_or_else(
            || "unknown".into(),
            |l| format!("{}:{}", l.file(), l.line()),
        );
        let backtrace = std::backtrace::Backtrace::force_capture().to_string();
        let text = report(at, thread.name(), &message, &location, &backtrace);
        let written = write_log(&folder, at, &text);
        let logged = match &written {
            Ok(path) => {
                if let Ok(mut last) = LAST_LOG.lock() {
                    *last = Some(path.clone());
                }
                format!("details in {}", path.display())
            }
            Err(e) => format!("the log could not be written ({e}): {message} at {location}"),
        };
        // The panic's message stays out of the diagnostic log: only where it happened.
        tracing::error!(
            thread = thread.name().unwrap_or("unnamed"),
            location = location.as_str(),
            crash_log = written
                .as_ref()
                .ok()
                .and_then(|p| p.file_name())
                .and_then(|n| n.to_str()),
            "crash"
        );
        eprintln!("welcome-desk: internal error ({message}); {logged}");
        match restart_decision(gui, thread.name(), after_crash, started.elapsed()) {
            Restart::Yes => {
                if let (Ok(path), Ok(exe)) = (&written, std::env::current_exe()) {
                    let restarted = std::process::Command::new(exe)
                        .arg("--db")
                        .arg(&db)
                        .env(AFTER_CRASH_ENV, path)
                        .spawn();
                    if restarted.is_err() {
                        eprintln!(
                            "welcome-desk: could not start the terminal again; start it by hand"
                        );
                    }
                }
            }
            Restart::CrashLoop => {
                eprintln!("welcome-desk: it stopped again right after restarting; not restarting");
            }
            Restart::No => {}
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_window_thread_restarts_and_never_in_a_loop() {
        let long = Duration::from_secs(600);
        let short = Duration::from_secs(3);
        assert_eq!(
            restart_decision(true, Some("main"), false, short),
            Restart::Yes
        );
        assert_eq!(
            restart_decision(true, Some("main"), true, long),
            Restart::Yes
        );
        assert_eq!(
            restart_decision(true, Some("main"), true, short),
            Restart::CrashLoop
        );
        assert_eq!(
            restart_decision(true, Some("tokio-runtime-worker"), false, long),
            Restart::No
        );
        assert_eq!(
            restart_decision(false, Some("main"), false, long),
            Restart::No
        );
    }

    #[test]
    fn a_log_is_private_and_says_what_and_where() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("logs");
        let at = DateTime::parse_from_rfc3339("2025-07-07T08:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let path = write_log(
            &folder,
            at,
            &report(at, Some("main"), "boom", "src/x.rs:1", "bt"),
        )
        .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("message: boom") && text.contains("location: src/x.rs:1"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
    }
}
