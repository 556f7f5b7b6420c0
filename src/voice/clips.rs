//! The recorded clips, compiled in (assets/voice/LANG/CLIP.wav, made by scripts/voices.sh
//! from scripts/voices.tsv): the wall screen speaks with nothing beside its binary.

use super::Language;

macro_rules! clips {
    ($lang:literal: $($clip:literal),* $(,)?) => {
        &[$(($clip, include_bytes!(concat!("../../assets/voice/", $lang, "/", $clip, ".wav")))),*]
    };
}

type Table = &'static [(&'static str, &'static [u8])];

const ITALIAN: Table = clips!("it": "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "30", "40", "50", "60", "70", "80", "90", "100", "200", "300", "400", "500", "600", "700", "800", "900", "1000", "20e", "30e", "40e", "50e", "60e", "70e", "80e", "90e", "mila", "number", "desk", "letter-g", "letter-s");
const ENGLISH: Table = clips!("en": "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "30", "40", "50", "60", "70", "80", "90", "hundred", "thousand", "number", "desk", "letter-g", "letter-s");
const SPANISH: Table = clips!("es": "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "40", "50", "60", "70", "80", "90", "100", "200", "300", "400", "500", "600", "700", "800", "900", "1000", "100+", "and", "number", "desk", "letter-g", "letter-s");
const FRENCH: Table = clips!("fr": "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "30", "40", "50", "60", "80", "100", "1000", "80e", "and", "number", "desk", "letter-g", "letter-s");

/// Every clip of `language`, by name.
pub fn table(language: Language) -> Table {
    match language {
        Language::Italian => ITALIAN,
        Language::English => ENGLISH,
        Language::Spanish => SPANISH,
        Language::French => FRENCH,
    }
}

/// The WAV of one clip.
pub fn get(language: Language, name: &str) -> Option<&'static [u8]> {
    table(language)
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, wav)| *wav)
}
