//! The native terminal (iced). Screens talk to storage only through the app's jobs, run off
//! the UI thread; `view` never touches the database.

pub mod app;
pub mod appointments;
pub mod chime;
pub mod contrast;
pub mod desk;
pub mod display;
pub mod errors;
pub mod focus;
pub mod fonts;
pub mod gate;
pub mod i18n;
pub mod jobs;
pub mod reception;
pub mod records;
pub mod staff;
pub mod tally;
pub mod theme;
pub mod this_pc;
pub mod today;
pub mod watcher;
pub mod widgets;

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::clock::Clock;
use i18n::Lang;
use today::Today;

/// What every screen's `view` and `update` may read: the language, today's snapshot, now.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    pub lang: Lang,
    pub today: &'a Today,
    pub now: DateTime<Utc>,
}

/// `HH:MM` in Rome.
pub fn local_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&crate::domain::hours::ROME)
        .format("%H:%M")
        .to_string()
}

/// Whether a graphical session is there to open a window in. Without one winit panics deep
/// inside; the user deserves one clear line instead.
pub fn display_available() -> bool {
    if cfg!(any(target_os = "windows", target_os = "macos")) {
        return true;
    }
    ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}

/// Open the terminal's window on the register at `db`; `crash_log` when it was started again
/// after a crash.
/// Open the terminal on the register at `db`; `desk` when this window is a given desk
/// (`--desk`), whatever desk the PC itself is.
pub fn run(
    location: crate::store::Location,
    home: PathBuf,
    clock: Arc<dyn Clock>,
    crash_log: Option<PathBuf>,
    desk: Option<String>,
) -> Result<(), String> {
    if !display_available() {
        return Err(
            "welcome-desk needs a display to open its window; without one, use the subcommands (welcome-desk --help)"
                .into(),
        );
    }
    app::run(location, home, clock, crash_log, desk)
        .map_err(|e| format!("the window could not open: {e}"))
}
