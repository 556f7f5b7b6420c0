//! Recognising a returning visitor however the name was spelled this time.
//!
//! Names arrive transliterated from Arabic or Bengali (Mohamed, Mohammed, Muhammad; Hossain,
//! Hussain), Peruvians give one of their two surnames, family and given names land in each
//! other's field, birth dates are approximate. The matcher compares the parts of a name as an
//! unordered set, after folding particles and known variants, by phonetic key and
//! Jaro-Winkler similarity, and weighs the birth date. It must not invent a match: 93% of
//! walk-ins are new, so very common names count for less, and a common name with no date
//! never reaches "likely" on its own.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use rphonetic::DoubleMetaphone;

use super::names::{latin_skeleton, normalise, script_skeleton, squeeze};

const VARIANTS_CSV: &str = include_str!("../../data/name_variants.csv");

/// A score at or above this is shown as a likely match.
pub const LIKELY: f64 = 0.8;

struct Dictionary {
    /// Any spelling (canonical included) -> canonical.
    canonical: HashMap<String, String>,
    /// The canonical forms: the names the dictionary knows.
    names: HashSet<String>,
    /// Canonical forms of very common names.
    common: HashSet<String>,
    /// Consonant skeletons of the very common names: Mohamed in Arabic script is as common
    /// as in Latin letters.
    common_skeletons: HashSet<String>,
}

fn dictionary() -> &'static Dictionary {
    static DICT: OnceLock<Dictionary> = OnceLock::new();
    DICT.get_or_init(|| {
        let mut canonical = HashMap::new();
        let mut common = HashSet::new();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(VARIANTS_CSV.as_bytes());
        for row in reader.records().filter_map(Result::ok) {
            let (Some(name), Some(is_common), Some(variants)) =
                (row.get(0), row.get(1), row.get(2))
            else {
                continue;
            };
            canonical.insert(name.to_string(), name.to_string());
            for v in variants.split_whitespace() {
                canonical.insert(normalise(v), name.to_string());
            }
            if is_common == "yes" {
                common.insert(name.to_string());
            }
        }
        let common_skeletons = common.iter().map(|c| latin_skeleton(c)).collect();
        let names = canonical.values().cloned().collect();
        Dictionary {
            names,
            canonical,
            common,
            common_skeletons,
        }
    })
}

/// Connectors that follow "abd" in Arabic compound names (Abd-el-, Abdul-, Abdur-...).
const ABD_CONNECTORS: [&str; 13] = [
    "oul", "oel", "ul", "el", "al", "ol", "ur", "ar", "er", "ou", "u", "o", "e",
];

/// Abdelrahman, Abdulrahman, Abd el Rahman, Abdurrahman -> abd + rahman.
fn fold_abd(token: &str) -> Option<String> {
    let rest = token.strip_prefix("abd")?;
    let mut rest = rest;
    for c in ABD_CONNECTORS {
        if let Some(r) = rest.strip_prefix(c) {
            rest = r;
            break;
        }
    }
    // Abdurrahman: the connector's consonant doubles the next letter.
    let mut chars = rest.chars();
    if let (Some(a), Some(b)) = (chars.next(), chars.next())
        && a == b
    {
        rest = &rest[a.len_utf8()..];
    }
    (rest.chars().count() >= 3).then(|| format!("abd{rest}"))
}

/// One part of a name as the matcher sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The canonical spelling (muhammad for Md, Mohamed, Mohammed...).
    pub text: String,
    /// Double Metaphone primary code; the text itself for scripts it does not read.
    pub key: String,
    pub common: bool,
}

/// A person's name as the matcher sees it: the parts, in no order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NameProfile {
    pub tokens: Vec<Token>,
}

fn is_latin_word(s: &str) -> bool {
    s.chars().all(|c| c.is_ascii_alphanumeric())
}

fn phonetic_key(text: &str) -> String {
    static ENCODER: OnceLock<DoubleMetaphone> = OnceLock::new();
    if !is_latin_word(text) {
        return text.to_string();
    }
    let code = ENCODER
        .get_or_init(DoubleMetaphone::default)
        .double_metaphone(text)
        .primary();
    if code.is_empty() {
        text.to_string()
    } else {
        code
    }
}

/// Canonical spelling of one normalised word.
fn canonical(word: &str) -> String {
    let dict = dictionary();
    if let Some(c) = dict.canonical.get(word) {
        return c.clone();
    }
    if let Some(folded) = fold_abd(word) {
        return dict.canonical.get(&folded).cloned().unwrap_or(folded);
    }
    // El-Sayed written as one word: drop the article when the rest is a known name.
    for article in ["el", "al"] {
        if let Some(rest) = word.strip_prefix(article)
            && let Some(c) = dict.canonical.get(rest)
        {
            return c.clone();
        }
    }
    word.to_string()
}

/// The words of a full name, with particles folded: "Abd el Rahman" -> abdrahman,
/// "El Sayed" -> sayed, "Ben Salah" -> bensalah.
fn words(family_name: &str, given_name: &str) -> Vec<String> {
    let raw: Vec<String> = normalise(family_name)
        .split(' ')
        .chain(normalise(given_name).split(' '))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let w = raw[i].as_str();
        let next = raw.get(i + 1).map(String::as_str);
        match (w, next) {
            // A lone article before a name is dropped; the name carries the identity.
            ("el" | "al" | "ul" | "ud" | "ed", Some(_)) => {}
            // Abd, Abdel, Abdul... followed by the rest of the name: one word.
            (
                "abd" | "abdel" | "abdul" | "abdal" | "abdoul" | "abdu" | "abdou" | "abdur",
                Some(n),
            ) => {
                let skip_connector = matches!(n, "el" | "al" | "ul" | "ar" | "er");
                let (rest, used) = if skip_connector {
                    (raw.get(i + 2).map(String::as_str), 2)
                } else {
                    (Some(n), 1)
                };
                match rest {
                    Some(r) => {
                        out.push(format!("abd{r}"));
                        i += used;
                    }
                    None => out.push(w.to_string()),
                }
            }
            // Patronymic and family particles glue to the next word (Ben Salah, Abu Bakr).
            ("ben" | "bin" | "ibn" | "abu" | "abou" | "bou" | "ould", Some(n)) => {
                let particle = if w == "abou" { "abu" } else { w };
                out.push(format!("{particle}{n}"));
                i += 1;
            }
            _ => out.push(w.to_string()),
        }
        i += 1;
    }
    out
}

/// Marks a part written in Arabic or Bengali script, held as its Latin consonant skeleton.
const SKELETON: char = '#';

/// Arabic words that join the word after them, as Abd, Ben and Abu do in Latin letters
/// (`words`), with the skeleton they bring: عبد الرحمن = Abdelrahman, بن علي = Benali.
fn script_particle(word: &str) -> Option<&'static str> {
    match word {
        "عبد" => Some("bd"),
        "بن" | "ابن" => Some("bn"),
        "ابو" | "أبو" => Some("b"),
        _ => None,
    }
}

/// The skeleton of a script word, with the Bengali abbreviation of Muhammad (মোঃ, as Md in
/// Latin letters) read as the name it stands for.
fn word_skeleton(word: &str) -> Option<String> {
    match word.trim_end_matches(['ঃ', ':', '.']) {
        "মো" | "মোহা" | "মুহা" => Some("mhmd".to_string()),
        _ => script_skeleton(word),
    }
}

/// Arabic and Bengali words as skeleton tokens; particles join the word after them.
fn script_tokens(words: Vec<String>) -> Vec<(String, Option<String>)> {
    let mut out = Vec::with_capacity(words.len());
    let mut pending: Option<(String, &str)> = None;
    for w in words {
        if let Some(particle) = script_particle(&w) {
            if let Some((p, skeleton)) = pending.take() {
                out.push((p, Some(skeleton.to_string())));
            }
            pending = Some((w, particle));
            continue;
        }
        match word_skeleton(&w) {
            Some(skeleton) => {
                let skeleton = match pending.take() {
                    // Abu Bakr: b + bkr is bkr, as the Latin skeleton of Abubakr.
                    Some((_, prefix)) => squeeze(&format!("{prefix}{skeleton}")),
                    None => skeleton,
                };
                out.push((w, Some(skeleton)));
            }
            None => {
                if let Some((p, skeleton)) = pending.take() {
                    out.push((p, Some(skeleton.to_string())));
                }
                out.push((w, None));
            }
        }
    }
    if let Some((p, skeleton)) = pending {
        out.push((p, Some(skeleton.to_string())));
    }
    out
}

/// The profile of a name.
pub fn profile(family_name: &str, given_name: &str) -> NameProfile {
    let dict = dictionary();
    let mut tokens: Vec<Token> = script_tokens(words(family_name, given_name))
        .into_iter()
        .filter(|(_, skeleton)| skeleton.as_deref() != Some(""))
        .map(|(w, skeleton)| match skeleton {
            Some(skeleton) => Token {
                text: format!("{SKELETON}{skeleton}"),
                key: format!("{SKELETON}{skeleton}"),
                common: dict.common_skeletons.contains(&skeleton),
            },
            None => {
                let text = canonical(&w);
                Token {
                    key: phonetic_key(&text),
                    common: dict.common.contains(&text),
                    text,
                }
            }
        })
        .collect();
    tokens.dedup_by(|a, b| a.text == b.text);
    NameProfile { tokens }
}

impl NameProfile {
    /// The keys written for a visitor: for candidate search each part's phonetic key, each
    /// pair of parts' keys (a common name's single key would match half the register; a pair
    /// is selective), and with a birth year each pair with the year (for the few pairs, like
    /// Mohamed Ahmed, that thousands of people share); and to count how many people share a
    /// part, each part's spelling (`frequency_key`): a phonetic key is shared by names that
    /// are not alike (Andrade, Andrey and Intriago are all ANTR), so its count says nothing of
    /// how common a name is.
    pub fn index_keys_with_year(&self, birth_year: Option<i32>) -> Vec<String> {
        let mut keys = self.index_keys();
        if let Some(y) = birth_year {
            let pairs: Vec<String> = keys
                .iter()
                .filter_map(|k| k.strip_prefix("p:"))
                .map(|p| year_key(p, y))
                .collect();
            keys.extend(pairs);
        }
        keys.extend(self.tokens.iter().filter_map(frequency_key));
        keys.sort();
        keys.dedup();
        keys
    }

    /// Index keys without the birth year (see `index_keys_with_year`).
    pub fn index_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.tokens.iter().map(|t| format!("t:{}", t.key)).collect();
        let mut sorted: Vec<&str> = self.tokens.iter().map(|t| t.key.as_str()).collect();
        sorted.sort_unstable();
        sorted.dedup();
        for (i, a) in sorted.iter().enumerate() {
            for b in &sorted[i + 1..] {
                keys.push(format!("p:{a}|{b}"));
            }
        }
        keys.sort();
        keys.dedup();
        keys
    }

    /// The keys a search looks up: the index keys, and the skeleton keys under which names on
    /// file in Arabic or Bengali script are indexed, so that a name typed in Latin letters
    /// finds them.
    pub fn search_keys(&self) -> Vec<String> {
        let mut keys = self.index_keys();
        let skeletons = NameProfile {
            tokens: self
                .tokens
                .iter()
                .filter(|t| !t.text.starts_with(SKELETON))
                .map(|t| {
                    let k = format!("{SKELETON}{}", latin_skeleton(&t.text));
                    Token {
                        text: k.clone(),
                        key: k,
                        common: t.common,
                    }
                })
                .collect(),
        };
        if !skeletons.tokens.is_empty() {
            keys.extend(skeletons.index_keys());
            keys.sort();
            keys.dedup();
        }
        keys
    }

    /// The profile as one stored string (`text:key:c` per part), so that scoring a candidate
    /// needs no normalisation or phonetic encoding.
    pub fn to_stored(&self) -> String {
        self.tokens
            .iter()
            .map(|t| format!("{}:{}:{}", t.text, t.key, if t.common { 1 } else { 0 }))
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn from_stored(stored: &str) -> NameProfile {
        let tokens = stored
            .split(' ')
            .filter_map(|part| {
                let mut it = part.splitn(3, ':');
                Some(Token {
                    text: it.next()?.to_string(),
                    key: it.next()?.to_string(),
                    common: it.next()? == "1",
                })
            })
            .collect();
        NameProfile { tokens }
    }
}

/// The key under which the people sharing a part's spelling are counted; none for a part the
/// dictionary already knows as common (counting every Muhammad would only cost writes), nor
/// for a part in Arabic or Bengali script, whose skeleton is already its search key (`t:`).
pub fn frequency_key(token: &Token) -> Option<String> {
    (!token.common && !token.text.starts_with(SKELETON)).then(|| format!("n:{}", token.text))
}

/// The key of a pair of parts (without its `p:` prefix) and a birth year.
pub fn year_key(pair: &str, year: i32) -> String {
    format!("y:{pair}|{year}")
}

/// How alike two skeletons are: a consonant skeleton says less than a spelling (Mahmoud and
/// Muhammad are both mhmd), so even an equal one is not a certainty.
fn skeleton_similarity(a: &str, b: &str) -> f64 {
    if a == b {
        0.9
    } else {
        0.9 * strsim::jaro_winkler(a, b)
    }
}

fn token_similarity(a: &Token, b: &Token) -> f64 {
    if a.text == b.text {
        return 1.0;
    }
    let skeleton = |t: &Token| match t.text.strip_prefix(SKELETON) {
        Some(s) => s.to_string(),
        None => latin_skeleton(&t.text),
    };
    if a.text.starts_with(SKELETON) || b.text.starts_with(SKELETON) {
        return skeleton_similarity(&skeleton(a), &skeleton(b));
    }
    // A single letter is an initial: it stands for any part starting with it, and says
    // little (Jaro-Winkler would find "o" 0.75 alike to "jose").
    let initial = |one: &Token, other: &Token| {
        one.text.chars().count() == 1 && other.text.starts_with(one.text.as_str())
    };
    if a.text.chars().count() == 1 || b.text.chars().count() == 1 {
        return if initial(a, b) || initial(b, a) {
            0.75
        } else {
            0.0
        };
    }
    // The dictionary lists every spelling it knows of each name: two of its names are two
    // names, however alike their letters (Muhammad and Mahmud, Karim and Rahim).
    let dict = dictionary();
    if dict.names.contains(&a.text) && dict.names.contains(&b.text) {
        return 0.5;
    }
    let jw = strsim::jaro_winkler(&a.text, &b.text);
    // A shared phonetic key lifts spellings already alike (Usama, Osama); alone it says
    // little, as Double Metaphone keeps four consonants (Andrade, Intriago: ANTR).
    if a.key == b.key && a.key.len() >= 2 && jw >= 0.8 {
        jw.max(0.9)
    } else {
        jw
    }
}

/// Two parts less alike than this do not match: not a variant, not a typo.
const CONFLICT_BELOW: f64 = 0.7;
/// The most a name with a conflicting part can score (an exact date then gives 0.78).
const CONFLICT_CAP: f64 = 0.6;

/// How alike two names are (0..1), and whether the agreement rests on an uncommon part.
pub fn name_similarity(a: &NameProfile, b: &NameProfile) -> (f64, bool) {
    if a.tokens.is_empty() || b.tokens.is_empty() {
        return (0.0, false);
    }
    let (small, large) = if a.tokens.len() <= b.tokens.len() {
        (&a.tokens, &b.tokens)
    } else {
        (&b.tokens, &a.tokens)
    };
    // Greedy assignment of the small side's parts to distinct parts of the large side,
    // best pairs first (names have few parts: this is exact enough).
    let mut pairs: Vec<(f64, usize, usize)> = Vec::with_capacity(small.len() * large.len());
    for (i, s) in small.iter().enumerate() {
        for (j, l) in large.iter().enumerate() {
            pairs.push((token_similarity(s, l), i, j));
        }
    }
    pairs.sort_by(|x, y| y.0.total_cmp(&x.0));
    let mut used_small = vec![false; small.len()];
    let mut used_large = vec![false; large.len()];
    let (mut total, mut weights, mut informative, mut conflict) = (0.0, 0.0, false, false);
    for (sim, i, j) in pairs {
        if used_small[i] || used_large[j] {
            continue;
        }
        used_small[i] = true;
        used_large[j] = true;
        if sim < CONFLICT_BELOW {
            conflict = true;
        }
        let weight = if small[i].common && large[j].common {
            0.6
        } else {
            1.0
        };
        total += sim * weight;
        weights += weight;
        if sim >= 0.85 && !(small[i].common || large[j].common) {
            informative = true;
        }
    }
    let mut score = if weights > 0.0 { total / weights } else { 0.0 };
    // A part left over (one of two surnames, a middle name): a small doubt.
    let extra = large.len() - small.len();
    score *= 1.0 - 0.04 * extra as f64;
    // One word alone says little about a person.
    if small.len() == 1 {
        score *= 0.85;
    }
    // A part that matches nothing on the other side (another family name) is evidence
    // against: sharing a given name and a birthday does not make two people one.
    if conflict {
        score = score.min(CONFLICT_CAP);
    }
    (score, informative)
}

/// What reception knows of the birth date this time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BirthQuery {
    Unknown,
    Year(i32),
    Date(NaiveDate),
}

impl BirthQuery {
    /// `YYYY-MM-DD`, a bare `YYYY`, or nothing.
    pub fn parse(raw: &str) -> Option<BirthQuery> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Some(BirthQuery::Unknown);
        }
        if raw.len() == 4 && raw.bytes().all(|b| b.is_ascii_digit()) {
            return raw.parse().ok().map(BirthQuery::Year);
        }
        NaiveDate::parse_from_str(raw, "%Y-%m-%d")
            .ok()
            .map(BirthQuery::Date)
    }
}

/// How a typed birth date agrees with the one on file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateAgreement {
    Exact,
    /// Day and month swapped (03/04 for 04/03).
    Swapped,
    /// One year off (same day and month), or one digit off in the day or the month: a typo
    /// or an approximate date.
    Near,
    /// One digit off in the year, years apart (1982 for 1987): a typo, or another person born
    /// on the same day; a candidate, not enough for "likely".
    YearDigit,
    /// Only the year was typed, and it agrees; or both dates are 1 January of the same year,
    /// the day written when only the year is known.
    SameYear,
    /// Only the year is known on one side, and it is one year or one digit off: many people
    /// are born within a year of anyone, and a year typed wrong says even less.
    NearYear,
    /// Nothing to compare on one side.
    Unknown,
    Different,
}

fn digits(d: NaiveDate) -> [u8; 8] {
    let s = format!("{:04}{:02}{:02}", d.year(), d.month(), d.day());
    let mut out = [0u8; 8];
    out.copy_from_slice(s.as_bytes());
    out
}

/// Two years written alike but for one digit (1982, 1987): a typing slip.
fn one_digit_apart(a: i32, b: i32) -> bool {
    let (a, b) = (format!("{a:04}"), format!("{b:04}"));
    a.bytes().zip(b.bytes()).filter(|(x, y)| x != y).count() == 1
}

/// 1 January is what a document or a register says when only the birth year is known: as a
/// date it tells two people apart no better than the year.
fn is_year_only(d: NaiveDate) -> bool {
    d.month() == 1 && d.day() == 1
}

pub fn date_agreement(query: BirthQuery, on_file: Option<NaiveDate>) -> DateAgreement {
    let Some(file) = on_file else {
        return DateAgreement::Unknown;
    };
    match query {
        BirthQuery::Unknown => DateAgreement::Unknown,
        BirthQuery::Year(y) if y == file.year() => DateAgreement::SameYear,
        BirthQuery::Year(y) if (y - file.year()).abs() == 1 || one_digit_apart(y, file.year()) => {
            DateAgreement::NearYear
        }
        BirthQuery::Year(_) => DateAgreement::Different,
        BirthQuery::Date(d) if d == file && is_year_only(file) => DateAgreement::SameYear,
        BirthQuery::Date(d) if d == file => DateAgreement::Exact,
        BirthQuery::Date(d) if is_year_only(d) || is_year_only(file) => {
            date_agreement(BirthQuery::Year(d.year()), Some(file))
        }
        BirthQuery::Date(d) => {
            if d.year() == file.year() && d.month() == file.day() && d.day() == file.month() {
                return DateAgreement::Swapped;
            }
            let (a, b) = (digits(d), digits(file));
            let differing: Vec<usize> = (0..8).filter(|&i| a[i] != b[i]).collect();
            let same_day_and_month = d.month() == file.month() && d.day() == file.day();
            if same_day_and_month && (d.year() - file.year()).abs() == 1 {
                DateAgreement::Near
            } else if differing.len() == 1 && differing[0] >= 4 {
                // The slip is in the month or the day.
                DateAgreement::Near
            } else if differing.len() == 1 {
                DateAgreement::YearDigit
            } else {
                DateAgreement::Different
            }
        }
    }
}

/// The score of a candidate (0..1): `LIKELY` and above is shown as likely.
pub fn score(
    query: &NameProfile,
    birth: BirthQuery,
    candidate: &NameProfile,
    on_file: Option<NaiveDate>,
) -> f64 {
    let (name, informative) = name_similarity(query, candidate);
    let s = match date_agreement(birth, on_file) {
        DateAgreement::Exact => 0.55 * name + 0.45,
        DateAgreement::Swapped | DateAgreement::Near => 0.55 * name + 0.33,
        DateAgreement::YearDigit => 0.55 * name + 0.2,
        DateAgreement::SameYear => 0.6 * name + 0.25,
        DateAgreement::NearYear => 0.6 * name + 0.12,
        DateAgreement::Unknown if informative => 0.92 * name,
        // A common name and no date to tell people apart: a candidate, never "likely".
        DateAgreement::Unknown => (0.92 * name).min(0.74),
        // Still shown when the name is nearly the same: the date may be the mistake.
        DateAgreement::Different => 0.55 * name,
    };
    s.clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn texts(p: &NameProfile) -> Vec<&str> {
        p.tokens.iter().map(|t| t.text.as_str()).collect()
    }

    #[test]
    fn variants_and_particles_fold_to_one_spelling() {
        assert_eq!(texts(&profile("Md", "Rahim")), ["muhammad", "rahim"]);
        assert_eq!(texts(&profile("Mohammed", "Rahim")), ["muhammad", "rahim"]);
        assert_eq!(
            texts(&profile("Abdel Rahman", "Omar")),
            ["abdrahman", "umar"]
        );
        assert_eq!(
            texts(&profile("Abdelrahman", "Omar")),
            ["abdrahman", "umar"]
        );
        assert_eq!(
            texts(&profile("Abd el Rahman", "Omar")),
            ["abdrahman", "umar"]
        );
        assert_eq!(
            texts(&profile("Abdurrahman", "Omar")),
            ["abdrahman", "umar"]
        );
        assert_eq!(texts(&profile("El Sayed", "Amr")), ["sayed", "amr"]);
        assert_eq!(texts(&profile("Elsayed", "Amr")), ["sayed", "amr"]);
        assert_eq!(texts(&profile("Ben Salah", "Anis")), ["bensalah", "anis"]);
        assert_eq!(texts(&profile("Hussain", "Karim")), ["hossain", "karim"]);
        // Arabic and Bengali script are matched by their consonant skeleton in Latin letters
        // (the name itself is stored as typed); Mohamed is as common in either script.
        let arabic = profile("محمد", "أحمد");
        assert_eq!(texts(&arabic), ["#mhmd", "#hmd"]);
        assert!(arabic.tokens[0].common);
        assert_eq!(texts(&profile("عبد الرحمن", "")), ["#bdrhmn"]);
        let latin = profile("Abdelrahman", "");
        assert!(
            latin.search_keys().contains(&"t:#bdrhmn".to_string()),
            "{:?}",
            latin.search_keys()
        );
    }

    #[test]
    fn stored_profiles_round_trip() {
        let p = profile("Quispe Mamani", "María Rosa");
        assert_eq!(NameProfile::from_stored(&p.to_stored()), p);
    }

    #[test]
    fn swapped_fields_and_one_surname_still_match() {
        let on_file = profile("Quispe Mamani", "Rosa");
        let (swapped, _) = name_similarity(&profile("Rosa", "Quispe Mamani"), &on_file);
        assert!(swapped > 0.99, "{swapped}");
        let (one, _) = name_similarity(&profile("Quispe", "Rosa"), &on_file);
        assert!(one > 0.9, "{one}");
        let (other, _) = name_similarity(&profile("Flores", "Carmen"), &on_file);
        assert!(other < 0.7, "{other}");
    }

    #[test]
    fn another_family_name_is_evidence_against() {
        let born = Some(d("1969-08-20"));
        let s = score(
            &profile("Sikder", "Md Shafiqul"),
            BirthQuery::Date(d("1969-08-20")),
            &profile("Islam", "Md Shafiqul"),
            born,
        );
        assert!(s < LIKELY, "{s}");
        assert!(s >= 0.5, "still a candidate to look at: {s}");
    }

    #[test]
    fn birth_date_levels() {
        let file = Some(d("1990-04-03"));
        let q = |s: &str| BirthQuery::parse(s).unwrap();
        assert_eq!(date_agreement(q("1990-04-03"), file), DateAgreement::Exact);
        assert_eq!(
            date_agreement(q("1990-03-04"), file),
            DateAgreement::Swapped
        );
        assert_eq!(date_agreement(q("1991-04-03"), file), DateAgreement::Near);
        assert_eq!(date_agreement(q("1990-04-08"), file), DateAgreement::Near);
        assert_eq!(date_agreement(q("1990-04-13"), file), DateAgreement::Near);
        assert_eq!(
            date_agreement(q("1995-04-03"), file),
            DateAgreement::YearDigit
        );
        assert_eq!(date_agreement(q("1990"), file), DateAgreement::SameYear);
        assert_eq!(date_agreement(q(""), file), DateAgreement::Unknown);
        assert_eq!(
            date_agreement(q("1985-11-20"), file),
            DateAgreement::Different
        );
        assert_eq!(
            date_agreement(q("1990-04-03"), None),
            DateAgreement::Unknown
        );
        assert_eq!(BirthQuery::parse("03/04/1990"), None);
        // Only a year, one off or one digit off: weak, below "near".
        assert_eq!(date_agreement(q("1991"), file), DateAgreement::NearYear);
        assert_eq!(date_agreement(q("1980"), file), DateAgreement::NearYear);
        assert_eq!(date_agreement(q("1987"), file), DateAgreement::Different);
        // 1 January is the date written when only the year is known.
        let placeholder = Some(d("1990-01-01"));
        assert_eq!(
            date_agreement(q("1990-01-01"), placeholder),
            DateAgreement::SameYear
        );
        assert_eq!(
            date_agreement(q("1991-01-01"), placeholder),
            DateAgreement::NearYear
        );
        assert_eq!(
            date_agreement(q("1990-04-03"), placeholder),
            DateAgreement::SameYear
        );
    }

    #[test]
    fn a_placeholder_date_does_not_make_namesakes_one_person() {
        // Sharing 1 January of a year and a given name is common among people whose
        // documents carry no day of birth; another family name makes it less likely still.
        let born = Some(d("1991-01-01"));
        let s = score(
            &profile("Salem", "Fatima"),
            BirthQuery::Date(d("1991-01-01")),
            &profile("El Sayyed Abdel Rahman", "Fatmah"),
            born,
        );
        assert!(s < LIKELY, "{s}");
    }

    #[test]
    fn names_the_dictionary_tells_apart_are_different_names() {
        let mahmud = profile("Mahmoud", "Amr");
        let (similar, _) = name_similarity(&profile("Mohamed", "Amr"), &mahmud);
        assert!(similar <= CONFLICT_CAP, "{similar}");
        // Spellings of one name are one name: Hussain, Hussein and Hossain are all Husayn.
        let (same, _) =
            name_similarity(&profile("Hussein", "Fatima"), &profile("Hossain", "Fatema"));
        assert!(same > 0.99, "{same}");
    }

    #[test]
    fn abbreviations_and_particles_in_script_are_read_as_in_latin_letters() {
        // মোঃ is Md: the Bengali abbreviation of Muhammad.
        let bengali = profile("খান", "মোঃ কামাল");
        assert_eq!(texts(&bengali), ["#kn", "#mhmd", "#kml"]);
        let s = score(
            &profile("Khan", "Muhammad Kamal"),
            BirthQuery::Date(d("1984-11-16")),
            &bengali,
            Some(d("1984-11-16")),
        );
        assert!(s >= LIKELY, "{s}");
        // بن علي is Ben Ali, one part as Benali is.
        assert_eq!(texts(&profile("بن علي", "محمد")), ["#bnl", "#mhmd"]);
        assert_eq!(latin_skeleton(texts(&profile("Ben Ali", ""))[0]), "bnl");
        assert_eq!(texts(&profile("أبو بكر", "")), ["#bkr"]);
    }

    #[test]
    fn a_common_name_without_a_date_is_never_likely() {
        let on_file = profile("Mohamed", "Ahmed");
        let s = score(
            &profile("Muhammad", "Ahmad"),
            BirthQuery::Unknown,
            &on_file,
            Some(d("1990-01-01")),
        );
        assert!(s < LIKELY, "{s}");
        // With the date it is.
        let s = score(
            &profile("Muhammad", "Ahmad"),
            BirthQuery::Date(d("1990-01-01")),
            &on_file,
            Some(d("1990-01-01")),
        );
        assert!(s >= LIKELY, "{s}");
        // Another date: another person.
        let s = score(
            &profile("Mohamed", "Ahmed"),
            BirthQuery::Date(d("1975-06-12")),
            &on_file,
            Some(d("1990-01-01")),
        );
        assert!(s < LIKELY, "{s}");
    }

    #[test]
    fn an_uncommon_name_with_a_variant_is_likely_even_without_a_date() {
        let s = score(
            &profile("Hussain", "Shahidul"),
            BirthQuery::Unknown,
            &profile("Shahidul", "Hossain"),
            None,
        );
        assert!(s >= LIKELY, "{s}");
    }

    #[test]
    fn index_keys_hold_parts_and_pairs() {
        let keys = profile("Mohamed", "Ahmed").index_keys();
        assert!(keys.iter().any(|k| k.starts_with("p:")));
        assert_eq!(keys.iter().filter(|k| k.starts_with("t:")).count(), 2);
        assert_eq!(
            profile("Muhammad", "Ahmad").index_keys(),
            profile("Ahmed", "Md").index_keys()
        );
    }
}
