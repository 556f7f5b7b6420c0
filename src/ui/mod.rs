//! The native terminal (iced). Screens talk to storage only through `Task`s run off the UI
//! thread; `view` never touches the database.

pub mod app;

use std::path::PathBuf;

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

/// Open the terminal's window on the register at `db`.
pub fn run(db: PathBuf) -> Result<(), String> {
    if !display_available() {
        return Err(
            "welcome-desk needs a display to open its window; without one, use the subcommands (welcome-desk --help)"
                .into(),
        );
    }
    app::run(db).map_err(|e| format!("the window could not open: {e}"))
}
