//! What this PC remembers between starts, whoever signs in: which desk it is, whether it shows
//! the wall screen, and the text size. A desk is a place, not a person: a mediator signs in
//! and calls at once, and the waiting room is never told the wrong desk because someone
//! forgot to retype its label.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::domain::Queue;

/// Where the settings live unless `WELCOME_DESK_CONFIG` names another file.
pub const CONFIG_ENV: &str = "WELCOME_DESK_CONFIG";

/// A desk's set-up: the queues it serves and the languages spoken there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskSetup {
    pub queues: Vec<Queue>,
    #[serde(default)]
    pub languages: Vec<String>,
}

impl Default for DeskSetup {
    fn default() -> Self {
        DeskSetup {
            queues: Queue::ALL.to_vec(),
            languages: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Settings {
    /// The desk this PC is, when it is one.
    #[serde(default)]
    pub desk: Option<String>,
    /// Each desk label ever set here, with its queues and languages, so that a window started
    /// with `--desk` finds its own.
    #[serde(default)]
    pub desks: BTreeMap<String, DeskSetup>,
    /// The wall screen was open when the terminal last ran: open it again at start.
    #[serde(default)]
    pub display_open: bool,
    /// This PC is the waiting room's wall screen: its main window shows the display, full
    /// screen, from the start. Set by a wall-screen account's sign-in, cleared by an
    /// administrator's; it holds no password, so the PC comes back to the wall by itself
    /// after a restart and can do nothing else.
    #[serde(default)]
    pub wall_screen: bool,
    #[serde(default)]
    pub larger_text: bool,
    /// This PC's ticket printer (`tcp://HOST:9100`, `usb:VID:PID`, a device or file path),
    /// when it has one: tickets are printed at registration.
    #[serde(default)]
    pub printer: Option<String>,
    /// The wall screen of this PC does not speak the calls (it still chimes if asked).
    #[serde(default)]
    pub voice_off: bool,
    /// The languages the calls are spoken in after Italian ("en,fr"); empty: English.
    #[serde(default)]
    pub voice_languages: Option<String>,
}

/// The settings file: `WELCOME_DESK_CONFIG`, or `terminal.json` in the platform's config
/// directory (`~/.config/welcome-desk` on Linux).
pub fn default_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(CONFIG_ENV).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    directories::ProjectDirs::from("it", "Comune di Milano", "welcome-desk")
        .map(|d| d.config_dir().join("terminal.json"))
}

impl Settings {
    /// Read the settings; a missing file is a PC never set up. A damaged file is reported,
    /// and the terminal starts with defaults rather than not at all.
    pub fn load(path: &Path) -> Result<Settings, String> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| format!("{}: not readable settings ({e})", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Settings::default()),
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }

    /// Write through a temporary file and a rename, so a crash never leaves half a file.
    pub fn save(&self, path: &Path) -> Result<(), String> {
        let fail = |e: std::io::Error| format!("{}: {e}", path.display());
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(fail)?;
        }
        let json = serde_json::to_vec_pretty(self).map_err(|e| e.to_string())?;
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, json).map_err(fail)?;
        std::fs::rename(&tmp, path).map_err(fail)
    }

    /// The languages of the spoken calls on this PC: Italian, then those chosen (English when
    /// none are). A setting that no longer parses falls back to the default.
    pub fn call_languages(&self) -> Vec<crate::voice::Language> {
        self.voice_languages
            .as_deref()
            .and_then(|list| crate::voice::languages(list).ok())
            .unwrap_or_else(|| crate::voice::DEFAULT_LANGUAGES.to_vec())
    }

    /// The set-up of `label`, as last saved here.
    pub fn setup_of(&self, label: &str) -> DeskSetup {
        self.desks.get(label).cloned().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_survive_a_round_trip_and_a_missing_file_is_a_new_pc() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let path = dir.path().join("sub").join("terminal.json");
        assert_eq!(Settings::load(&path), Ok(Settings::default()));
        let mut s = Settings {
            desk: Some("Sportello 3".into()),
            display_open: true,
            ..Settings::default()
        };
        s.desks.insert(
            "Sportello 3".into(),
            DeskSetup {
                queues: vec![Queue::Sai],
                languages: vec!["ar".into()],
            },
        );
        s.save(&path).expect("saved");
        assert_eq!(Settings::load(&path), Ok(s));
        std::fs::write(&path, "{").expect("written");
        assert!(Settings::load(&path).is_err_and(|e| e.contains("terminal.json")));
    }
}
