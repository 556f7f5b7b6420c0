//! Spoken calls on the wall screen: "Numero G dodici, sportello tre", then the same in the
//! other languages chosen. Iced-free and offline: the announcement is a sequence of recorded
//! clips ([`words`], pure), joined into one WAV ([`wav`]), queued so that calls never
//! overlap and the chime comes first ([`queue`], pure), and played by the system's own
//! player ([`player`], as the chime is).

pub mod clips;
pub mod player;
pub mod queue;
pub mod wav;
pub mod words;

use std::fmt;
use std::str::FromStr;

use crate::domain::Ticket;

pub use queue::{Call, CallQueue, Sound};
pub use words::{Part, announcement, desk_number};

/// A language the calls can be spoken in (those whose espeak-ng voice we found clear enough
/// to ship: see the README).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    Italian,
    English,
    Spanish,
    French,
}

impl Language {
    pub const ALL: [Language; 4] = [
        Language::Italian,
        Language::English,
        Language::Spanish,
        Language::French,
    ];

    /// ISO 639-1, as the setting and `--lang` write it.
    pub fn code(self) -> &'static str {
        match self {
            Language::Italian => "it",
            Language::English => "en",
            Language::Spanish => "es",
            Language::French => "fr",
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Language {
    type Err = VoiceError;
    fn from_str(s: &str) -> Result<Language, VoiceError> {
        let code = s.trim().to_ascii_lowercase();
        match Language::ALL.into_iter().find(|l| l.code() == code) {
            Some(l) => Ok(l),
            None if matches!(code.as_str(), "ar" | "bn") => Err(VoiceError::NotShipped(code)),
            None => Err(VoiceError::UnknownLanguage(code)),
        }
    }
}

/// The languages of the calls from a list such as "it,en": Italian always first (the
/// center's language, and the one every call starts with), then the others in the order
/// given, each once.
pub fn languages(list: &str) -> Result<Vec<Language>, VoiceError> {
    let mut out = vec![Language::Italian];
    for part in list.split(',').filter(|p| !p.trim().is_empty()) {
        let language: Language = part.parse()?;
        if !out.contains(&language) {
            out.push(language);
        }
    }
    Ok(out)
}

/// The languages spoken when nobody chose: Italian and English.
pub const DEFAULT_LANGUAGES: [Language; 2] = [Language::Italian, Language::English];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VoiceError {
    #[error("'{0}' is not a language of the calls (it, en, es, fr)")]
    UnknownLanguage(String),
    #[error(
        "calls are not spoken in '{0}': the offline voice for it was not clear enough to ship (it, en, es, fr are)"
    )]
    NotShipped(String),
    #[error("no recorded clip '{clip}' for {language}: run scripts/voices.sh")]
    MissingClip { language: Language, clip: String },
    #[error("a clip is not a usable WAV: {0}")]
    Wav(String),
}

/// The announcement of `ticket` at `desk` in `languages`, as one WAV file's bytes.
pub fn announce(ticket: Ticket, desk: &str, languages: &[Language]) -> Result<Vec<u8>, VoiceError> {
    wav::join(&announcement(ticket, desk, languages))
}
