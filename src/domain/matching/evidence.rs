//! Why a candidate is proposed: which parts of the name matched and how, and how the birth
//! date agrees. Reception confirms faster when it sees why, and does not confirm a namesake
//! by accident when it sees that only the name agrees.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize, Serializer};

use super::{BirthQuery, DateEvidence, Part, align, date_evidence, parts};

/// How one part of the typed name agrees with the part on file it was paired with. The codes
/// (`serde`, kebab-case) are stable.
///
/// | code | meaning |
/// |---|---|
/// | `same` | written the same, but for case, Latin accents and spaces (*José* = *jose*, *Abd el Rahman* = *Abdelrahman*) |
/// | `variant` | another spelling of the same name (*Md* = *Mohammed*, *Hussain* = *Hossain*, *Abdurrahman* = *Abdelrahman*) |
/// | `phonetic` | sounds the same and is spelled nearly the same (*Usama*, *Osama*) |
/// | `script` | one side in Arabic or Bengali script, the other in Latin letters, with the same consonants (*محمد*, *Mohammed*) |
/// | `similar` | spelled nearly the same: a typo or a respelling (*Chavez*, *Chaez*) |
/// | `initial` | one side is an initial of the other (*M.*, *Maria*) |
/// | `different` | paired, but another name: evidence against (*Sikder*, *Islam*) |
/// | `not-typed` | a part on file that was not typed (one of two surnames, a middle name) |
/// | `not-on-file` | a typed part that is not on file |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PartMatch {
    Same,
    Variant,
    Phonetic,
    Script,
    Similar,
    Initial,
    Different,
    NotTyped,
    NotOnFile,
}

impl PartMatch {
    /// The stable code, as serialised.
    pub fn code(self) -> &'static str {
        match self {
            PartMatch::Same => "same",
            PartMatch::Variant => "variant",
            PartMatch::Phonetic => "phonetic",
            PartMatch::Script => "script",
            PartMatch::Similar => "similar",
            PartMatch::Initial => "initial",
            PartMatch::Different => "different",
            PartMatch::NotTyped => "not-typed",
            PartMatch::NotOnFile => "not-on-file",
        }
    }
}

/// One part of the name: as typed, as on file, and how they agree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartEvidence {
    /// The part as typed, normalised (lower case, Latin accents dropped; a particle with the
    /// name it belongs to: `abd el rahman`); `None` for a part on file that was not typed.
    pub typed: Option<String>,
    /// The part on file, normalised the same way; `None` for a typed part not on file.
    pub on_file: Option<String>,
    pub how: PartMatch,
}

/// Why a candidate is proposed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// The typed parts in the order typed, each with the part on file it was paired with;
    /// then the parts on file that nothing typed was paired with.
    pub parts: Vec<PartEvidence>,
    /// The family name was typed in the given name field, or the reverse.
    pub fields_swapped: bool,
    /// The typed date cannot be a birth date (not a day of the calendar, in the future, more
    /// than `OLDEST` years ago): it was mistyped for sure (`BirthQuery::Impossible`).
    pub impossible_date: bool,
    pub date: DateEvidence,
}

/// One reason, in a few words, as reception reads it. Serialised as its stable code:
/// `name-` and a `PartMatch` code (`name-same`: every part written the same, nothing left
/// out or added; otherwise each way a part differs, once), `fields-swapped`,
/// `date-impossible` (the typed date cannot be right), and `date-` and a `DateEvidence`
/// code (`name-same`, `date-digits-swapped`: "same name; date with two digits swapped").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    Name(PartMatch),
    FieldsSwapped,
    ImpossibleDate,
    Date(DateEvidence),
}

impl Reason {
    /// The stable code.
    pub fn code(self) -> String {
        match self {
            Reason::Name(how) => format!("name-{}", how.code()),
            Reason::FieldsSwapped => "fields-swapped".to_string(),
            Reason::ImpossibleDate => "date-impossible".to_string(),
            Reason::Date(date) => format!("date-{}", date.code()),
        }
    }
}

impl Serialize for Reason {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.code())
    }
}

impl Evidence {
    /// The reasons, name first, then the fields, then the date: `[name-same,
    /// date-digits-swapped]`, `[name-variant, name-not-typed, fields-swapped, date-exact]`,
    /// or `[name-same, date-impossible, date-one-digit]`.
    pub fn reasons(&self) -> Vec<Reason> {
        let mut reasons: Vec<Reason> = Vec::new();
        if self.parts.iter().all(|p| p.how == PartMatch::Same) {
            reasons.push(Reason::Name(PartMatch::Same));
        } else {
            let mut kinds: Vec<PartMatch> = self
                .parts
                .iter()
                .map(|p| p.how)
                .filter(|how| *how != PartMatch::Same)
                .collect();
            // In the order of `PartMatch`: from the closest agreement to evidence against.
            kinds.sort_by_key(|how| *how as u8);
            kinds.dedup();
            reasons.extend(kinds.into_iter().map(Reason::Name));
        }
        if self.fields_swapped {
            reasons.push(Reason::FieldsSwapped);
        }
        if self.impossible_date {
            reasons.push(Reason::ImpossibleDate);
        }
        reasons.push(Reason::Date(self.date));
        reasons
    }
}

fn without_spaces(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Why the visitor on file (`file_family`, `file_given`, `on_file`) is proposed for what
/// was typed: the same pairing of parts and the same date level as the score. Built for the
/// few candidates shown, after ranking, not for every one scored.
pub fn evidence(
    typed_family: &str,
    typed_given: &str,
    birth: BirthQuery,
    file_family: &str,
    file_given: &str,
    on_file: Option<NaiveDate>,
) -> Evidence {
    let typed: Vec<Part> = parts(typed_family, typed_given);
    let file: Vec<Part> = parts(file_family, file_given);
    let tokens = |ps: &[Part]| ps.iter().map(|p| p.token.clone()).collect::<Vec<_>>();
    let alignment = align(&tokens(&typed), &tokens(&file));
    let mut paired_file = vec![false; file.len()];
    let mut by_typed: Vec<Option<(usize, PartMatch)>> = vec![None; typed.len()];
    let (mut crossed, mut kept) = (0, 0);
    for &(i, j, _, how) in &alignment.pairs {
        paired_file[j] = true;
        // Equal readings of names written differently are spellings of one name.
        let how = if how == PartMatch::Same
            && without_spaces(&typed[i].written) != without_spaces(&file[j].written)
        {
            PartMatch::Variant
        } else {
            how
        };
        by_typed[i] = Some((j, how));
        if how != PartMatch::Different {
            if typed[i].family == file[j].family {
                kept += 1;
            } else {
                crossed += 1;
            }
        }
    }
    let mut evidence_parts: Vec<PartEvidence> = typed
        .iter()
        .zip(&by_typed)
        .map(|(t, paired)| match paired {
            Some((j, how)) => PartEvidence {
                typed: Some(t.written.clone()),
                on_file: Some(file[*j].written.clone()),
                how: *how,
            },
            None => PartEvidence {
                typed: Some(t.written.clone()),
                on_file: None,
                how: PartMatch::NotOnFile,
            },
        })
        .collect();
    evidence_parts.extend(
        file.iter()
            .zip(&paired_file)
            .filter(|(_, paired)| !**paired)
            .map(|(f, _)| PartEvidence {
                typed: None,
                on_file: Some(f.written.clone()),
                how: PartMatch::NotTyped,
            }),
    );
    Evidence {
        parts: evidence_parts,
        fields_swapped: crossed > 0 && kept == 0,
        impossible_date: birth.is_impossible(),
        date: date_evidence(birth, on_file),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a test date")
    }
    fn codes(e: &Evidence) -> Vec<String> {
        e.reasons().into_iter().map(Reason::code).collect()
    }

    #[test]
    fn same_name_and_a_date_with_two_digits_swapped() {
        let e = evidence(
            "Mansour",
            "Fatma",
            BirthQuery::Date(d("1916-03-02")),
            "MANSOUR",
            "Fatma",
            Some(d("1961-03-02")),
        );
        assert_eq!(codes(&e), ["name-same", "date-digits-swapped"]);
        assert!(!e.fields_swapped);
        assert_eq!(
            e.parts[0],
            PartEvidence {
                typed: Some("mansour".into()),
                on_file: Some("mansour".into()),
                how: PartMatch::Same,
            }
        );
        let json = serde_json::to_value(e.reasons()).expect("json");
        assert_eq!(
            json,
            serde_json::json!(["name-same", "date-digits-swapped"])
        );
        let json = serde_json::to_value(&e).expect("json");
        assert_eq!(json["date"], "digits-swapped");
        assert_eq!(json["parts"][1]["how"], "same");
    }

    #[test]
    fn each_part_says_how_it_matched() {
        let e = evidence(
            "Md Rahim",
            "Hossain",
            BirthQuery::Unknown,
            "Hossain",
            "Mohammed Rahim Karim",
            None,
        );
        let how: Vec<(Option<&str>, Option<&str>, PartMatch)> = e
            .parts
            .iter()
            .map(|p| (p.typed.as_deref(), p.on_file.as_deref(), p.how))
            .collect();
        assert_eq!(
            how,
            [
                (Some("md"), Some("mohammed"), PartMatch::Variant),
                (Some("rahim"), Some("rahim"), PartMatch::Same),
                (Some("hossain"), Some("hossain"), PartMatch::Same),
                (None, Some("karim"), PartMatch::NotTyped),
            ]
        );
        assert!(e.fields_swapped);
        assert_eq!(
            codes(&e),
            [
                "name-variant",
                "name-not-typed",
                "fields-swapped",
                "date-not-typed"
            ]
        );
        // Particles and spaces are how a name is written, not another name.
        let e = evidence(
            "Abd el Rahman",
            "Omar",
            BirthQuery::Unknown,
            "Abdelrahman",
            "Omar",
            Some(d("1990-01-01")),
        );
        assert_eq!(codes(&e), ["name-same", "date-not-typed"]);
        assert_eq!(e.parts[0].typed.as_deref(), Some("abd el rahman"));
        let e = evidence(
            "Abdurrahman",
            "Omar",
            BirthQuery::Year(1990),
            "Abdelrahman",
            "Omar",
            Some(d("1990-01-01")),
        );
        assert_eq!(codes(&e), ["name-variant", "date-year-only"]);
    }

    #[test]
    fn script_typos_and_other_names() {
        let e = evidence(
            "Mohamed",
            "Ahmed",
            BirthQuery::Date(d("1990-04-03")),
            "محمد",
            "أحمد",
            Some(d("1990-03-04")),
        );
        assert_eq!(codes(&e), ["name-script", "date-day-month-swapped"]);
        assert_eq!(e.parts[0].on_file.as_deref(), Some("محمد"));
        let e = evidence(
            "Chaez",
            "Elmer",
            BirthQuery::Date(d("1970-06-20")),
            "Chávez",
            "Elmer",
            None,
        );
        assert_eq!(codes(&e), ["name-similar", "date-not-on-file"]);
        let e = evidence(
            "Sikder",
            "Md Shafiqul",
            BirthQuery::Date(d("1969-08-20")),
            "Islam",
            "Md Shafiqul",
            Some(d("1969-08-20")),
        );
        assert_eq!(codes(&e), ["name-different", "date-exact"]);
        let e = evidence(
            "Quispe",
            "Rosa Maria",
            BirthQuery::Unknown,
            "Quispe",
            "Rosa",
            None,
        );
        assert_eq!(codes(&e), ["name-not-on-file", "date-not-typed"]);
        let e = evidence(
            "Mahmoud",
            "Mostafa",
            BirthQuery::parse("1981-06-32").expect("digits of a date"),
            "Mahmoud",
            "Mostafa",
            Some(d("1981-06-12")),
        );
        assert_eq!(
            codes(&e),
            ["name-same", "date-impossible", "date-one-digit"]
        );
    }
}
