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

mod date;
mod evidence;
mod rank;

pub use date::{BirthQuery, DateEvidence, OLDEST, ShortDate, TypedDate, date_evidence};
pub use evidence::{Evidence, PartEvidence, PartMatch, Reason, evidence};
pub use rank::{Candidate, MIN_SCORE, Scored, Typed, common_at, rank};

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

/// A word of a name once particles are folded, with what was written for it.
#[derive(Debug, Clone)]
struct Word {
    text: String,
    /// The normalised words it was folded from ("abd el rahman", "el sayed").
    written: String,
    /// Typed in the family name field.
    family: bool,
}

/// The words of a full name, with particles folded: "Abd el Rahman" -> abdrahman,
/// "El Sayed" -> sayed, "Ben Salah" -> bensalah.
fn words(family_name: &str, given_name: &str) -> Vec<Word> {
    let (family, given) = (normalise(family_name), normalise(given_name));
    let raw: Vec<(&str, bool)> = family
        .split(' ')
        .map(|w| (w, true))
        .chain(given.split(' ').map(|w| (w, false)))
        .filter(|(w, _)| !w.is_empty())
        .collect();
    let written = |from: usize, to: usize| {
        raw[from..=to]
            .iter()
            .map(|(w, _)| *w)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut out: Vec<Word> = Vec::with_capacity(raw.len());
    // Where the word being read started: a dropped article belongs to what it precedes.
    let mut from = 0;
    let mut i = 0;
    while i < raw.len() {
        let w = raw[i].0;
        // Particles join words of their own field only: the family name "Abdel Al" is one
        // name, not Abd + the given name after it.
        let in_field = |at: usize| raw.get(at).filter(|(_, f)| *f == raw[i].1).map(|(w, _)| *w);
        let next = in_field(i + 1);
        let mut push = |text: String, last: usize| {
            out.push(Word {
                text,
                written: written(from, last),
                family: raw[from].1,
            });
        };
        match (w, next) {
            // A lone article before a name is dropped; the name carries the identity.
            ("el" | "al" | "ul" | "ud" | "ed", Some(_)) => {
                i += 1;
                continue;
            }
            // Abd, Abdel, Abdul... followed by the rest of the name: one word.
            (
                "abd" | "abdel" | "abdul" | "abdal" | "abdoul" | "abdu" | "abdou" | "abdur",
                Some(n),
            ) => {
                let skip_connector = matches!(n, "el" | "al" | "ul" | "ar" | "er");
                let (rest, used) = match (skip_connector, in_field(i + 2)) {
                    (true, Some(r)) => (r, 2),
                    // Abdel Al: the connector is the rest of the name (Abdelaal).
                    (true, None) => (n, 1),
                    (false, _) => (n, 1),
                };
                let text = if used == 1 && skip_connector {
                    format!("{w}{n}")
                } else {
                    format!("abd{rest}")
                };
                push(text, i + used);
                i += used;
            }
            // Patronymic and family particles glue to the next word (Ben Salah, Abu Bakr).
            ("ben" | "bin" | "ibn" | "abu" | "abou" | "bou" | "ould", Some(n)) => {
                let particle = if w == "abou" { "abu" } else { w };
                push(format!("{particle}{n}"), i + 1);
                i += 1;
            }
            _ => push(w.to_string(), i),
        }
        i += 1;
        from = i;
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
fn script_tokens(words: Vec<Word>) -> Vec<(Word, Option<String>)> {
    let mut out = Vec::with_capacity(words.len());
    let mut pending: Option<(Word, &str)> = None;
    for w in words {
        if let Some(particle) = script_particle(&w.text) {
            if let Some((p, skeleton)) = pending.take() {
                out.push((p, Some(skeleton.to_string())));
            }
            pending = Some((w, particle));
            continue;
        }
        match word_skeleton(&w.text) {
            Some(skeleton) => match pending.take() {
                // Abu Bakr: b + bkr is bkr, as the Latin skeleton of Abubakr.
                Some((p, prefix)) => {
                    let joined = Word {
                        text: w.text,
                        written: format!("{} {}", p.written, w.written),
                        family: p.family,
                    };
                    out.push((joined, Some(squeeze(&format!("{prefix}{skeleton}")))));
                }
                None => out.push((w, Some(skeleton))),
            },
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

/// One part of a name with what was written for it and in which field.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    token: Token,
    written: String,
    family: bool,
}

/// The parts of a name, in the order typed, as `profile` reads them.
fn parts(family_name: &str, given_name: &str) -> Vec<Part> {
    let dict = dictionary();
    let mut parts: Vec<Part> = script_tokens(words(family_name, given_name))
        .into_iter()
        .filter(|(_, skeleton)| skeleton.as_deref() != Some(""))
        .map(|(w, skeleton)| {
            let token = match skeleton {
                Some(skeleton) => Token {
                    text: format!("{SKELETON}{skeleton}"),
                    key: format!("{SKELETON}{skeleton}"),
                    common: dict.common_skeletons.contains(&skeleton),
                },
                None => {
                    let text = canonical(&w.text);
                    Token {
                        key: phonetic_key(&text),
                        common: dict.common.contains(&text),
                        text,
                    }
                }
            };
            Part {
                token,
                written: w.written,
                family: w.family,
            }
        })
        .collect();
    parts.dedup_by(|a, b| a.token.text == b.token.text);
    parts
}

/// The profile of a name.
pub fn profile(family_name: &str, given_name: &str) -> NameProfile {
    NameProfile {
        tokens: parts(family_name, given_name)
            .into_iter()
            .map(|p| p.token)
            .collect(),
    }
}

impl NameProfile {
    /// The keys written for a visitor: for candidate search each part's phonetic key, each
    /// pair of parts' keys (a common name's single key would match half the register; a pair
    /// is selective), and with a birth date each pair with the year and each pair with the
    /// day and month (for the few pairs, like Mohamed Ahmed, that thousands of people share:
    /// a slip in the date keeps either the year or the day and month, so one of the two
    /// still finds the person); and to count how many people share a part, each part's
    /// spelling (`frequency_key`): a phonetic key is shared by names that are not alike
    /// (Andrade, Andrey and Intriago are all ANTR), so its count says nothing of how common
    /// a name is.
    pub fn index_keys_with_birth(&self, birth: Option<NaiveDate>) -> Vec<String> {
        let mut keys = self.index_keys();
        if let Some(b) = birth {
            let pairs: Vec<&str> = keys.iter().filter_map(|k| k.strip_prefix("p:")).collect();
            let mut dated: Vec<String> = pairs.iter().map(|p| year_key(p, b.year())).collect();
            // 1 January stands for "only the year is known": thousands share it, and it
            // says nothing a year key does not.
            if !(b.month() == 1 && b.day() == 1) {
                dated.extend(pairs.iter().map(|p| day_key(p, b.month(), b.day())));
            }
            keys.extend(dated);
        }
        keys.extend(self.tokens.iter().filter_map(frequency_key));
        keys.sort();
        keys.dedup();
        keys
    }

    /// Index keys without the birth date (see `index_keys_with_birth`).
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

/// The key of a pair of parts (without its `p:` prefix) and a birth day and month.
pub fn day_key(pair: &str, month: u32, day: u32) -> String {
    format!("m:{pair}|{month:02}-{day:02}")
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

/// How alike two parts are (0..1), and by what.
fn part_match(a: &Token, b: &Token) -> (f64, PartMatch) {
    if a.text == b.text {
        return (1.0, PartMatch::Same);
    }
    let alike = |sim: f64, how: PartMatch| {
        if sim < CONFLICT_BELOW {
            (sim, PartMatch::Different)
        } else {
            (sim, how)
        }
    };
    let skeleton = |t: &Token| match t.text.strip_prefix(SKELETON) {
        Some(s) => s.to_string(),
        None => latin_skeleton(&t.text),
    };
    let (a_script, b_script) = (a.text.starts_with(SKELETON), b.text.starts_with(SKELETON));
    if a_script || b_script {
        let how = if a_script && b_script {
            PartMatch::Similar
        } else {
            PartMatch::Script
        };
        return alike(skeleton_similarity(&skeleton(a), &skeleton(b)), how);
    }
    // A single letter is an initial: it stands for any part starting with it, and says
    // little (Jaro-Winkler would find "o" 0.75 alike to "jose").
    let initial = |one: &Token, other: &Token| {
        one.text.chars().count() == 1 && other.text.starts_with(one.text.as_str())
    };
    if a.text.chars().count() == 1 || b.text.chars().count() == 1 {
        return if initial(a, b) || initial(b, a) {
            (0.75, PartMatch::Initial)
        } else {
            (0.0, PartMatch::Different)
        };
    }
    // The dictionary lists every spelling it knows of each name: two of its names are two
    // names, however alike their letters (Muhammad and Mahmud, Karim and Rahim).
    let dict = dictionary();
    if dict.names.contains(&a.text) && dict.names.contains(&b.text) {
        return (0.5, PartMatch::Different);
    }
    let jw = strsim::jaro_winkler(&a.text, &b.text);
    // A shared phonetic key lifts spellings already alike (Usama, Osama); alone it says
    // little, as Double Metaphone keeps four consonants (Andrade, Intriago: ANTR).
    if a.key == b.key && a.key.len() >= 2 && jw >= 0.8 {
        alike(jw.max(0.9), PartMatch::Phonetic)
    } else {
        alike(jw, PartMatch::Similar)
    }
}

/// Two parts less alike than this do not match: not a variant, not a typo.
const CONFLICT_BELOW: f64 = 0.7;
/// The most a name with a conflicting part can score (an exact date then gives 0.78).
const CONFLICT_CAP: f64 = 0.6;

/// Two names' parts paired as the matcher pairs them, with the name's score.
struct Alignment {
    /// (part of `a`, part of `b`, similarity, how).
    pairs: Vec<(usize, usize, f64, PartMatch)>,
    score: f64,
    informative: bool,
}

fn align(a: &[Token], b: &[Token]) -> Alignment {
    if a.is_empty() || b.is_empty() {
        return Alignment {
            pairs: Vec::new(),
            score: 0.0,
            informative: false,
        };
    }
    let a_is_small = a.len() <= b.len();
    let (small, large) = if a_is_small { (a, b) } else { (b, a) };
    // Greedy assignment of the small side's parts to distinct parts of the large side,
    // best pairs first (names have few parts: this is exact enough).
    let mut candidates: Vec<(f64, PartMatch, usize, usize)> =
        Vec::with_capacity(small.len() * large.len());
    for (i, s) in small.iter().enumerate() {
        for (j, l) in large.iter().enumerate() {
            let (sim, how) = part_match(s, l);
            candidates.push((sim, how, i, j));
        }
    }
    candidates.sort_by(|x, y| y.0.total_cmp(&x.0));
    let mut used_small = vec![false; small.len()];
    let mut used_large = vec![false; large.len()];
    let mut pairs = Vec::with_capacity(small.len());
    let (mut total, mut weights, mut informative, mut conflict) = (0.0, 0.0, false, false);
    for (sim, how, i, j) in candidates {
        if used_small[i] || used_large[j] {
            continue;
        }
        used_small[i] = true;
        used_large[j] = true;
        pairs.push(if a_is_small {
            (i, j, sim, how)
        } else {
            (j, i, sim, how)
        });
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
    Alignment {
        pairs,
        score,
        informative,
    }
}

/// How alike two names are (0..1), and whether the agreement rests on an uncommon part.
pub fn name_similarity(a: &NameProfile, b: &NameProfile) -> (f64, bool) {
    let alignment = align(&a.tokens, &b.tokens);
    (alignment.score, alignment.informative)
}

/// The score of a candidate (0..1): `LIKELY` and above is shown as likely.
pub fn score(
    query: &NameProfile,
    birth: BirthQuery,
    candidate: &NameProfile,
    on_file: Option<NaiveDate>,
) -> f64 {
    let (name, informative) = name_similarity(query, candidate);
    let date = date_evidence(birth, on_file);
    let (name_weight, date_weight) = date.weights(birth.is_impossible());
    let s = name_weight * name + date_weight;
    // A common name and no date to tell people apart: a candidate, never "likely".
    let s = if date.is_unknown() && !informative {
        s.min(0.74)
    } else {
        s
    };
    s.clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a test date")
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
        // A particle belongs to its own field: Abdel Al is a family name, not Abd + Mohamed.
        assert_eq!(
            texts(&profile("Abdel Al", "Mohamed")),
            ["abdelal", "muhammad"]
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
    fn a_namesake_one_slip_away_ranks_above_namesakes_whose_dates_share_nothing() {
        let typed = profile("Mansour", "Fatma");
        let on_file = profile("Mansour", "Fatma");
        let birth = BirthQuery::parse("02/03/1916").expect("a date");
        let at = |file: &str| score(&typed, birth, &on_file, Some(d(file)));
        let slipped = at("1961-03-02");
        for other in ["1975-06-12", "1961-08-19", "1990-03-02", "1916-09-30"] {
            assert!(slipped > at(other), "{slipped} vs {other}: {}", at(other));
        }
        // Each slip is weaker evidence than the date itself, stronger than no agreement.
        let exact = at("1916-03-02");
        assert!(exact > slipped);
        let levels = [
            DateEvidence::Exact,
            DateEvidence::TwoDigitYear,
            DateEvidence::DigitsSwapped,
            DateEvidence::DayMonthSwapped,
            DateEvidence::OneDigit,
            DateEvidence::YearOneOff,
            DateEvidence::YearKeystroke,
            DateEvidence::YearDigit,
            DateEvidence::Different,
        ];
        for pair in levels.windows(2) {
            assert!(
                pair[0].weights(false).1 >= pair[1].weights(false).1,
                "{:?} below {:?}",
                pair[0],
                pair[1]
            );
        }
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
