//! The message that confirms a booking, for a text message or an email, in the languages
//! the contact center hears most: Italian, English, Arabic, Spanish, Bengali and French.
//!
//! A table of templates rather than code per language, so that a mediator can correct a
//! sentence without reading Rust. Dates and times keep Western digits in every language:
//! the person shows the message at the desk, and the code and time must read the same to
//! reception as to them.

use std::str::FromStr;

use chrono::{Datelike, Weekday};

use super::Appointment;
use crate::domain::hours::ROME;

/// Where the appointments take place.
pub const ADDRESS: &str = "via Sammartini 75, Milano";

/// A language a confirmation can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConfirmationLanguage {
    It,
    En,
    Ar,
    Es,
    Bn,
    Fr,
}

impl ConfirmationLanguage {
    pub const ALL: [ConfirmationLanguage; 6] = [
        ConfirmationLanguage::It,
        ConfirmationLanguage::En,
        ConfirmationLanguage::Ar,
        ConfirmationLanguage::Es,
        ConfirmationLanguage::Bn,
        ConfirmationLanguage::Fr,
    ];

    /// The ISO 639-1 code.
    pub fn code(self) -> &'static str {
        self.template().code
    }

    /// The first of a visitor's languages (ISO 639-1, in their order of preference) that has
    /// a template, else Italian: the center's language, which a mediator can read out.
    pub fn for_speaker(languages: &[String]) -> Self {
        languages
            .iter()
            .find_map(|l| l.parse().ok())
            .unwrap_or(ConfirmationLanguage::It)
    }

    fn template(self) -> &'static Template {
        let index = match self {
            ConfirmationLanguage::It => 0,
            ConfirmationLanguage::En => 1,
            ConfirmationLanguage::Ar => 2,
            ConfirmationLanguage::Es => 3,
            ConfirmationLanguage::Bn => 4,
            ConfirmationLanguage::Fr => 5,
        };
        &TEMPLATES[index]
    }
}

impl FromStr for ConfirmationLanguage {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        ConfirmationLanguage::ALL
            .into_iter()
            .find(|l| l.code() == wanted)
            .ok_or_else(|| format!("no confirmation text in '{s}' (it, en, ar, es, bn or fr)"))
    }
}

struct Template {
    code: &'static str,
    /// Monday first.
    weekdays: [&'static str; 7],
    /// `{weekday}`, `{date}` (DD/MM/YYYY), `{time}` (HH:MM, Europe/Rome), `{address}` and
    /// `{code}` are replaced; every one must appear.
    text: &'static str,
}

const TEMPLATES: [Template; 6] = [
    Template {
        code: "it",
        weekdays: [
            "lunedì",
            "martedì",
            "mercoledì",
            "giovedì",
            "venerdì",
            "sabato",
            "domenica",
        ],
        text: "Milano Welcome Center: il suo appuntamento è {weekday} {date} alle ore {time}, in {address}. Codice di prenotazione: {code}. Lo dica all'accoglienza quando arriva.",
    },
    Template {
        code: "en",
        weekdays: [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ],
        text: "Milano Welcome Center: your appointment is on {weekday} {date} at {time}, at {address}. Booking code: {code}. Say it at reception when you arrive.",
    },
    Template {
        code: "ar",
        weekdays: [
            "الاثنين",
            "الثلاثاء",
            "الأربعاء",
            "الخميس",
            "الجمعة",
            "السبت",
            "الأحد",
        ],
        text: "Milano Welcome Center: موعدك يوم {weekday} {date} الساعة {time}، في العنوان {address}. رمز الحجز: {code}. اذكره في مكتب الاستقبال عند وصولك.",
    },
    Template {
        code: "es",
        weekdays: [
            "lunes",
            "martes",
            "miércoles",
            "jueves",
            "viernes",
            "sábado",
            "domingo",
        ],
        text: "Milano Welcome Center: su cita es el {weekday} {date} a las {time}, en {address}. Código de reserva: {code}. Dígalo en la recepción al llegar.",
    },
    Template {
        code: "bn",
        weekdays: [
            "সোমবার",
            "মঙ্গলবার",
            "বুধবার",
            "বৃহস্পতিবার",
            "শুক্রবার",
            "শনিবার",
            "রবিবার",
        ],
        text: "Milano Welcome Center: আপনার অ্যাপয়েন্টমেন্ট {weekday} {date}, সময় {time}, ঠিকানা {address}। বুকিং কোড: {code}। পৌঁছে অভ্যর্থনায় কোডটি বলুন।",
    },
    Template {
        code: "fr",
        weekdays: [
            "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
        ],
        text: "Milano Welcome Center : votre rendez-vous est le {weekday} {date} à {time}, au {address}. Code de réservation : {code}. Donnez-le à l'accueil à votre arrivée.",
    },
];

/// The confirmation of `appointment` in `language`: date and time in Europe/Rome, the
/// address and the booking code.
pub fn confirmation_text(appointment: &Appointment, language: ConfirmationLanguage) -> String {
    let template = language.template();
    let local = appointment.start.with_timezone(&ROME);
    let weekday = template.weekdays[weekday_index(local.weekday())];
    template
        .text
        .replace("{weekday}", weekday)
        .replace("{date}", &local.format("%d/%m/%Y").to_string())
        .replace("{time}", &local.format("%H:%M").to_string())
        .replace("{address}", ADDRESS)
        .replace("{code}", &appointment.code.to_string())
}

fn weekday_index(day: Weekday) -> usize {
    day.num_days_from_monday() as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::appointment::tests::{booked, on_file};

    #[test]
    fn every_template_names_everything_once() {
        for t in &TEMPLATES {
            for field in ["{weekday}", "{date}", "{time}", "{address}", "{code}"] {
                assert_eq!(t.text.matches(field).count(), 1, "{} {field}", t.code);
            }
        }
        for l in ConfirmationLanguage::ALL {
            assert_eq!(l.code().parse::<ConfirmationLanguage>(), Ok(l));
        }
    }

    #[test]
    fn each_language_names_the_code_the_time_and_the_place() {
        // 10:30 in Rome on a summer Monday is 08:30 UTC: the text must say Rome's time.
        let a = booked(1, on_file(5), "2025-06-09 10:30");
        let code = a.code.to_string();
        for l in ConfirmationLanguage::ALL {
            let text = confirmation_text(&a, l);
            assert!(text.contains(&code), "{l:?}: {text}");
            assert!(text.contains("10:30"), "{l:?}: {text}");
            assert!(!text.contains("08:30"), "{l:?}: {text}");
            assert!(text.contains("09/06/2025"), "{l:?}: {text}");
            assert!(text.contains("Sammartini 75"), "{l:?}: {text}");
            assert!(!text.contains('{'), "{l:?}: {text}");
        }
        assert_eq!(
            confirmation_text(&a, ConfirmationLanguage::En),
            format!(
                "Milano Welcome Center: your appointment is on Monday 09/06/2025 at 10:30, at \
                 via Sammartini 75, Milano. Booking code: {code}. Say it at reception when you arrive."
            )
        );
        assert!(confirmation_text(&a, ConfirmationLanguage::It).contains("lunedì 09/06/2025"));
        assert!(confirmation_text(&a, ConfirmationLanguage::Ar).contains("الاثنين"));
        assert!(confirmation_text(&a, ConfirmationLanguage::Bn).contains("সোমবার"));
    }

    #[test]
    fn winter_time_is_rome_time_too() {
        let a = booked(1, on_file(5), "2025-12-15 09:00");
        assert!(
            confirmation_text(&a, ConfirmationLanguage::Fr).contains("lundi 15/12/2025 à 09:00")
        );
    }

    #[test]
    fn the_visitor_language_is_chosen_when_there_is_a_template() {
        let langs = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            ConfirmationLanguage::for_speaker(&langs(&["ti", "ar", "en"])),
            ConfirmationLanguage::Ar
        );
        assert_eq!(
            ConfirmationLanguage::for_speaker(&langs(&["qu"])),
            ConfirmationLanguage::It
        );
        assert_eq!(
            ConfirmationLanguage::for_speaker(&[]),
            ConfirmationLanguage::It
        );
    }
}
