//! Which people on file reception sees, and in what order: the center's rules, whatever
//! engine found them.

use chrono::NaiveDate;
use serde::Serialize;
use uuid::Uuid;

use super::{BirthQuery, Evidence, LIKELY, NameProfile, evidence, name_similarity, score};

/// A name part shared by more than this share of the visitors on file counts as common...
const COMMON_SHARE: f64 = 0.005;
/// ...and by more than this many people at least (a small register has no statistics).
const COMMON_AT_LEAST: i64 = 3;

/// Below this a "candidate" would only be noise on reception's screen.
pub const MIN_SCORE: f64 = 0.5;

/// How many people must share a name part, on a register of `visitors`, for the part to say
/// little about who this is (Mohamed, Hossain), whatever the dictionary knows.
pub fn common_at(visitors: i64) -> i64 {
    ((visitors as f64 * COMMON_SHARE) as i64).max(COMMON_AT_LEAST)
}

/// A search candidate, best first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub visitor_id: Uuid,
    pub visitor_code: String,
    pub family_name: String,
    pub given_name: String,
    pub birth_date: Option<NaiveDate>,
    /// 0..1; see `domain::matching::score`.
    pub score: f64,
    /// `score >= domain::matching::LIKELY`.
    pub likely: bool,
    /// Why this person: which parts of the name matched and how, and how the birth date
    /// agrees (`evidence.reasons()` for the short list reception reads).
    pub evidence: Evidence,
    /// How alike the names alone are: orders candidates whose scores were capped alike (a
    /// common name without a date), so the closest spelling comes first.
    #[serde(skip)]
    pub name_similarity: f64,
}

/// A person on file as the search scored them: the few best become candidates, with the
/// evidence for them.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub visitor_id: Uuid,
    pub visitor_code: String,
    pub family_name: String,
    pub given_name: String,
    pub birth_date: Option<NaiveDate>,
    pub score: f64,
    pub likely: bool,
    pub name_similarity: f64,
}

impl Scored {
    /// Score the person on file (`profile`, their stored name profile) against the query.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        query: &NameProfile,
        birth: BirthQuery,
        visitor_id: Uuid,
        visitor_code: String,
        family_name: String,
        given_name: String,
        birth_date: Option<NaiveDate>,
        profile: &NameProfile,
    ) -> Scored {
        let score = score(query, birth, profile, birth_date);
        let (name_similarity, _) = name_similarity(query, profile);
        Scored {
            visitor_id,
            visitor_code,
            family_name,
            given_name,
            birth_date,
            score: (score * 1000.0).round() / 1000.0,
            likely: score >= LIKELY,
            name_similarity,
        }
    }
}

/// What reception typed.
#[derive(Debug, Clone, Copy)]
pub struct Typed<'a> {
    pub family_name: &'a str,
    pub given_name: &'a str,
    pub birth: BirthQuery,
}

/// The `limit` best candidates, best first; equal scores by how alike the names are, then by
/// visitor code, so the order is stable; each with the evidence for it.
///
/// "Likely" names one person: when two records are likely by name alone, reception has to
/// ask the birth date, so neither is called likely.
pub fn rank(mut found: Vec<Scored>, limit: usize, typed: &Typed<'_>) -> Vec<Candidate> {
    if typed.birth == BirthQuery::Unknown && found.iter().filter(|c| c.likely).count() > 1 {
        for c in &mut found {
            c.likely = false;
        }
    }
    found.retain(|c| c.score >= MIN_SCORE);
    found.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| b.name_similarity.total_cmp(&a.name_similarity))
            .then_with(|| a.visitor_code.cmp(&b.visitor_code))
    });
    found.truncate(limit);
    found
        .into_iter()
        .map(|c| Candidate {
            // Built for the few shown only: it profiles both names again.
            evidence: evidence(
                typed.family_name,
                typed.given_name,
                typed.birth,
                &c.family_name,
                &c.given_name,
                c.birth_date,
            ),
            visitor_id: c.visitor_id,
            visitor_code: c.visitor_code,
            family_name: c.family_name,
            given_name: c.given_name,
            birth_date: c.birth_date,
            score: c.score,
            likely: c.likely,
            name_similarity: c.name_similarity,
        })
        .collect()
}
