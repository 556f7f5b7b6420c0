//! Finding who reception may mean: the name keys narrow the register to a few people;
//! the domain scores and orders them (`domain::matching::rank`).

use super::*;
use crate::domain::matching::{Scored, Typed};

/// A search reads at most this many visitors under one key; a single part shared by more
/// people than this (Mohamed, Quispe) is left to the pair keys.
pub(super) const MAX_POSTINGS: i64 = 1000;

impl SqliteStore {
    /// The profile of a searched name, its parts marked common where many people on file
    /// share them: a part that says little about who this is, whatever the dictionary knows.
    pub(super) fn query_profile(&self, family_name: &str, given_name: &str) -> Result<NameProfile> {
        let mut query = matching::profile(family_name, given_name);
        let visitors: i64 = self
            .conn
            .prepare_cached("SELECT COALESCE(MAX(seq), 0) FROM visitor")?
            .query_row([], |r| r.get(0))?;
        let common_at = matching::common_at(visitors);
        let mut shared = self.conn.prepare_cached(
            "SELECT count(*) FROM (SELECT 1 FROM visitor_match_key WHERE key = ?1 LIMIT ?2)",
        )?;
        for token in query.tokens.iter_mut().filter(|t| !t.common) {
            let key = matching::frequency_key(token).unwrap_or_else(|| format!("t:{}", token.key));
            let n: i64 = shared.query_row(params![key, common_at + 1], |r| r.get(0))?;
            if n > common_at {
                token.common = true;
            }
        }
        Ok(query)
    }

    /// The same search by reading every visitor, scored exactly as `search` scores: the
    /// baseline the index is measured against (benches/register.rs), and a check that the
    /// index loses no candidate.
    pub fn search_by_scan(
        &self,
        family_name: &str,
        given_name: &str,
        birth: BirthQuery,
        limit: usize,
    ) -> Result<Vec<Candidate>> {
        let query = self.query_profile(family_name, given_name)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, id, family_name, given_name, birth_date, match_profile FROM visitor \
             WHERE merged_into IS NULL",
        )?;
        let found: Vec<Scored> = stmt
            .query_map([], |r| candidate_from_row(r, &query, birth))?
            .collect::<rusqlite::Result<_>>()?;
        let typed = Typed {
            family_name,
            given_name,
            birth,
        };
        Ok(matching::rank(found, limit, &typed))
    }
}

pub(super) fn candidate_from_row(
    r: &rusqlite::Row<'_>,
    query: &NameProfile,
    birth: BirthQuery,
) -> rusqlite::Result<Scored> {
    let seq: i64 = r.get(0)?;
    let birth_date = r
        .get::<_, Option<String>>(4)?
        .map(|s| parse_day(&s))
        .transpose()?;
    let profile = NameProfile::from_stored(r.get_ref(5)?.as_str().map_err(rusqlite::Error::from)?);
    Ok(Scored::new(
        query,
        birth,
        parse_uuid(&r.get::<_, String>(1)?)?,
        visitor_code(seq),
        r.get(2)?,
        r.get(3)?,
        birth_date,
        &profile,
    ))
}
