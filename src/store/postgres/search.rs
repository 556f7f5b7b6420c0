//! Finding who reception may mean, on the server: the same plan as SQLite's search (the
//! name keys narrow the register to a few people; the domain scores and orders them with
//! `domain::matching::rank`), so both engines propose the same candidates.

use super::PgStore;
use super::statements::Reader;
use super::tickets::{TxResult, read};
use crate::domain::matching::{self, BirthQuery, Candidate, NameProfile, Scored, Typed};
use crate::domain::visitor::visitor_code;

/// A search reads at most this many visitors under one key; a single part shared by more
/// people than this (Mohamed, Quispe) is left to the pair keys. SQLite's figure.
pub(super) const MAX_POSTINGS: i64 = 1000;

/// The profile of a searched name, its parts marked common where many people on file share
/// them: a part that says little about who this is, whatever the dictionary knows. Two
/// round trips whatever the number of parts.
fn query_profile(
    c: &mut Reader<'_, '_>,
    family_name: &str,
    given_name: &str,
) -> TxResult<NameProfile> {
    let mut query = matching::profile(family_name, given_name);
    let visitors: i64 = c
        .query_one("SELECT COALESCE(MAX(seq), 0)::bigint FROM visitor", &[])?
        .get(0);
    let common_at = matching::common_at(visitors);
    let counted: Vec<(usize, String)> = query
        .tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| !t.common)
        .map(|(i, t)| {
            let key = matching::frequency_key(t).unwrap_or_else(|| format!("t:{}", t.key));
            (i, key)
        })
        .collect();
    if counted.is_empty() {
        return Ok(query);
    }
    let keys: Vec<&str> = counted.iter().map(|(_, k)| k.as_str()).collect();
    let rows = c.query(
        "SELECT k.i, (SELECT count(*) FROM (SELECT 1 FROM visitor_match_key m \
         WHERE m.key = k.key LIMIT $2) s) \
         FROM unnest($1::text[]) WITH ORDINALITY AS k(key, i)",
        &[&keys, &(common_at + 1)],
    )?;
    for r in rows {
        let i: i64 = r.get(0);
        let n: i64 = r.get(1);
        if n > common_at
            && let Some((token, _)) = usize::try_from(i - 1).ok().and_then(|i| counted.get(i))
        {
            query.tokens[*token].common = true;
        }
    }
    Ok(query)
}

/// The visitors under each of `keys`, at most `limit` each, in one round trip.
fn postings(c: &mut Reader<'_, '_>, keys: &[String], limit: i64) -> TxResult<Vec<Vec<i64>>> {
    let mut found = vec![Vec::new(); keys.len()];
    if keys.is_empty() {
        return Ok(found);
    }
    for r in c.query(
        "SELECT k.i, m.visitor_seq FROM unnest($1::text[]) WITH ORDINALITY AS k(key, i) \
         CROSS JOIN LATERAL (SELECT visitor_seq FROM visitor_match_key \
         WHERE key = k.key LIMIT $2) m",
        &[&keys, &limit],
    )? {
        let i: i64 = r.get(0);
        if let Some(list) = usize::try_from(i - 1).ok().and_then(|i| found.get_mut(i)) {
            list.push(r.get(1));
        }
    }
    Ok(found)
}

pub(super) fn search(
    store: &PgStore,
    family_name: &str,
    given_name: &str,
    birth: BirthQuery,
    limit: usize,
) -> crate::store::Result<Vec<Candidate>> {
    read(store, |c| {
        let query = query_profile(c, family_name, given_name)?;
        if query.tokens.is_empty() {
            return Ok(Vec::new());
        }
        let keys = query.search_keys();
        let mut seqs: Vec<i64> = Vec::new();
        // Pairs of name parts first: selective even for common names. The few pairs that
        // thousands share are narrowed by the birth year (and the years either side), and by
        // the day and month, which a slip in the year leaves as they were.
        let years = birth.years();
        let day_and_month = birth.day_and_month();
        let pairs: Vec<String> = keys
            .iter()
            .filter(|k| k.starts_with("p:"))
            .cloned()
            .collect();
        let mut narrowed: Vec<String> = Vec::new();
        for (key, found) in pairs.iter().zip(postings(c, &pairs, MAX_POSTINGS + 1)?) {
            if (found.len() as i64) <= MAX_POSTINGS || years.is_empty() {
                seqs.extend(found);
                continue;
            }
            let pair = key.trim_start_matches("p:");
            narrowed.extend(
                years
                    .iter()
                    .map(|y| matching::year_key(pair, *y))
                    .chain(day_and_month.map(|(d, m)| matching::day_key(pair, m, d))),
            );
        }
        for found in postings(c, &narrowed, MAX_POSTINGS)? {
            seqs.extend(found);
        }
        seqs.sort_unstable();
        seqs.dedup();
        // Single parts catch a person whose other parts changed beyond their key (a typo, a
        // new surname), but only where the part is rare enough to be worth reading.
        if seqs.len() < limit * 4 {
            let singles: Vec<String> = keys
                .iter()
                .filter(|k| k.starts_with("t:"))
                .cloned()
                .collect();
            for found in postings(c, &singles, MAX_POSTINGS + 1)? {
                if found.len() as i64 <= MAX_POSTINGS {
                    seqs.extend(found);
                }
            }
            seqs.sort_unstable();
            seqs.dedup();
        }
        // One round trip for the candidates rather than one per visitor: the order does not
        // matter, `rank` decides it.
        let mut found: Vec<Scored> = Vec::with_capacity(seqs.len());
        for r in c.query(
            "SELECT seq, id, family_name, given_name, birth_date, match_profile FROM visitor \
             WHERE seq = ANY($1) AND merged_into IS NULL",
            &[&seqs],
        )? {
            let profile = NameProfile::from_stored(r.get(5));
            found.push(Scored::new(
                &query,
                birth,
                r.get(1),
                visitor_code(r.get(0)),
                r.get(2),
                r.get(3),
                r.get(4),
                &profile,
            ));
        }
        let typed = Typed {
            family_name,
            given_name,
            birth,
        };
        Ok(matching::rank(found, limit, &typed))
    })
}
