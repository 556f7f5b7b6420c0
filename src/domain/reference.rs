//! Reference data shipped with the app in data/: services, countries, languages.
//!
//! The files are compiled in, so the app needs nothing beside its binary; their codes are
//! stable because reports and legacy registers refer to them.

use std::collections::HashMap;
use std::sync::OnceLock;

const SERVICES_CSV: &str = include_str!("../../data/services.csv");
const COUNTRIES_CSV: &str = include_str!("../../data/countries.csv");
const LANGUAGES_CSV: &str = include_str!("../../data/languages.csv");

/// A service the front office offers, with its labels in Italian and English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    pub code: String,
    pub label_it: String,
    pub label_en: String,
}

/// A country of origin (ISO 3166-1 alpha-2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Country {
    pub code: String,
    pub name_it: String,
    pub name_en: String,
}

/// A language (ISO 639-1) with its own name, so a mediator can point at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    pub code: String,
    pub name_it: String,
    pub name_en: String,
    pub native: String,
}

struct Catalogue {
    services: Vec<Service>,
    countries: Vec<Country>,
    country_index: HashMap<String, usize>,
    languages: Vec<Language>,
    language_index: HashMap<String, usize>,
}

fn rows(text: &str) -> Vec<Vec<String>> {
    // The files are ours and checked by the tests below; a malformed row is skipped rather
    // than taking the app down.
    csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes())
        .records()
        .filter_map(Result::ok)
        .map(|r| r.iter().map(str::to_string).collect::<Vec<_>>())
        .collect()
}

fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        let services: Vec<Service> = rows(SERVICES_CSV)
            .into_iter()
            .filter(|r| r.len() >= 3)
            .map(|r| Service {
                code: r[0].clone(),
                label_it: r[1].clone(),
                label_en: r[2].clone(),
            })
            .collect();
        let countries: Vec<Country> = rows(COUNTRIES_CSV)
            .into_iter()
            .filter(|r| r.len() >= 3)
            .map(|r| Country {
                code: r[0].clone(),
                name_it: r[1].clone(),
                name_en: r[2].clone(),
            })
            .collect();
        let languages: Vec<Language> = rows(LANGUAGES_CSV)
            .into_iter()
            .filter(|r| r.len() >= 4)
            .map(|r| Language {
                code: r[0].clone(),
                name_it: r[1].clone(),
                name_en: r[2].clone(),
                native: r[3].clone(),
            })
            .collect();
        let country_index = countries
            .iter()
            .enumerate()
            .map(|(i, c)| (c.code.clone(), i))
            .collect();
        let language_index = languages
            .iter()
            .enumerate()
            .map(|(i, l)| (l.code.clone(), i))
            .collect();
        Catalogue {
            services,
            countries,
            country_index,
            languages,
            language_index,
        }
    })
}

/// All services, in the order the center lists them.
pub fn services() -> &'static [Service] {
    &catalogue().services
}

pub fn service(code: &str) -> Option<&'static Service> {
    services().iter().find(|s| s.code == code)
}

pub fn countries() -> &'static [Country] {
    &catalogue().countries
}

/// A country by its upper-case alpha-2 code.
pub fn country(code: &str) -> Option<&'static Country> {
    let c = catalogue();
    c.country_index.get(code).map(|&i| &c.countries[i])
}

pub fn languages() -> &'static [Language] {
    &catalogue().languages
}

/// A language by its lower-case ISO 639-1 code.
pub fn language(code: &str) -> Option<&'static Language> {
    let c = catalogue();
    c.language_index.get(code).map(|&i| &c.languages[i])
}

/// Checks a service code against the catalogue, with a message naming the field.
pub fn parse_service(raw: &str) -> Result<String, super::visitor::FieldError> {
    let code = raw.trim().to_ascii_lowercase();
    if service(&code).is_some() {
        return Ok(code);
    }
    let known: Vec<&str> = services().iter().map(|s| s.code.as_str()).collect();
    Err(super::visitor::FieldError::new(
        "service",
        format!(
            "'{}' is not a service code (one of: {})",
            raw.trim(),
            known.join(", ")
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_files_are_complete() {
        let codes: Vec<&str> = services().iter().map(|s| s.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "family-reunification",
                "language-orientation",
                "legal-administrative",
                "social-support",
                "psychological-support",
                "work-training",
                "housing",
                "other"
            ]
        );
        assert_eq!(countries().len(), 249);
        assert!(languages().len() >= 183);
        assert_eq!(country("EG").map(|c| c.name_it.as_str()), Some("Egitto"));
        assert_eq!(country("PE").map(|c| c.name_en.as_str()), Some("Peru"));
        assert_eq!(language("bn").map(|l| l.native.as_str()), Some("বাংলা"));
        assert!(country("eg").is_none(), "lookups take the canonical case");
    }

    #[test]
    fn unknown_service_names_the_field_and_lists_the_codes() {
        let e = parse_service("reunification").unwrap_err();
        assert_eq!(e.field, "service");
        assert!(e.message.contains("family-reunification"));
        assert_eq!(parse_service(" Housing ").unwrap(), "housing");
    }
}
