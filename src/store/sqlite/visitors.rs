//! Visitors: the card, merges, imports, erasure and retention.

use super::search::{MAX_POSTINGS, candidate_from_row};
use super::*;
use crate::domain::matching::{Scored, Typed};
use crate::store::{VisitorWork, Visitors};

pub(super) fn insert_visitor(
    tx: &Transaction<'_>,
    d: &VisitorDetails,
    legacy_ref: Option<&str>,
    at: DateTime<Utc>,
) -> Result<(i64, Uuid)> {
    let id = uuid_at(at);
    let profile = matching::profile(&d.family_name, &d.given_name);
    tx.prepare_cached(
        "INSERT INTO visitor (id, family_name, given_name, name_key, birth_date, sex, country, \
         languages, sai_guest, phone, legacy_ref, created_at, match_profile) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        id.to_string(),
        d.family_name,
        d.given_name,
        name_key(&d.family_name, &d.given_name),
        d.birth_date.map(|b| b.to_string()),
        d.sex.code(),
        d.country,
        d.languages.join(","),
        d.sai_guest,
        d.phone,
        legacy_ref,
        secs(at),
        profile.to_stored(),
    ])?;
    let seq = tx.last_insert_rowid();
    write_match_keys(tx, seq, &profile, d.birth_date)?;
    Ok((seq, id))
}

/// A visitor's search and frequency keys, as registration writes them (migrations that
/// re-profile a name write them the same way).
pub(in crate::store) fn write_match_keys(
    conn: &rusqlite::Connection,
    seq: i64,
    profile: &NameProfile,
    birth: Option<NaiveDate>,
) -> rusqlite::Result<()> {
    let mut insert_key = conn.prepare_cached(
        "INSERT OR IGNORE INTO visitor_match_key (key, visitor_seq) VALUES (?1, ?2)",
    )?;
    for key in profile.index_keys_with_birth(birth) {
        insert_key.execute(params![key, seq])?;
    }
    Ok(())
}

/// The surviving record of a visitor (itself unless merged).
fn root_of(tx: &Transaction<'_>, seq: i64) -> Result<i64> {
    Ok(tx
        .prepare_cached("SELECT COALESCE(merged_into, seq) FROM visitor WHERE seq = ?1")?
        .query_row([seq], |r| r.get(0))?)
}

/// A visitor's first access ever is the earliest of everything the person's records hold
/// (the surviving record and those merged into it); an import of older history or a merge
/// can move it.
fn recompute_first_time(tx: &Transaction<'_>, visitor_seq: i64) -> Result<()> {
    let root = root_of(tx, visitor_seq)?;
    tx.prepare_cached(
        "WITH person (seq) AS (SELECT ?1 UNION SELECT seq FROM visitor WHERE merged_into = ?1) \
         UPDATE access SET first_time = (seq = (SELECT a2.seq FROM access a2 \
         WHERE a2.visitor_seq IN person ORDER BY a2.arrived_at, a2.seq LIMIT 1)) \
         WHERE visitor_seq IN person",
    )?
    .execute([root])?;
    Ok(())
}

pub(super) fn visitor_seq_of(tx: &Transaction<'_>, id: Uuid) -> Result<(i64, Option<i64>)> {
    tx.prepare_cached("SELECT seq, merged_into FROM visitor WHERE id = ?1")?
        .query_row([id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("no visitor {id}")))
}

impl Visitors for SqliteStore {
    fn visitor(&self, id: Uuid) -> Result<Visitor> {
        self.conn
            .prepare_cached("SELECT * FROM visitor WHERE id = ?1")?
            .query_row([id.to_string()], visitor_from_row)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no visitor {id}")))
    }

    fn visitor_by_reference(&self, reference: &str) -> Result<Visitor> {
        if let Ok(id) = Uuid::parse_str(reference.trim()) {
            return self.visitor(id);
        }
        let seq = crate::domain::visitor::parse_visitor_code(reference).ok_or_else(|| {
            FieldError::new(
                "visitor",
                format!(
                    "'{}' is neither a visitor code (V-000123) nor an id",
                    reference.trim()
                ),
            )
        })?;
        self.conn
            .prepare_cached("SELECT * FROM visitor WHERE seq = ?1")?
            .query_row([seq], visitor_from_row)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no visitor {}", visitor_code(seq))))
    }

    fn search(
        &self,
        family_name: &str,
        given_name: &str,
        birth: BirthQuery,
        limit: usize,
    ) -> Result<Vec<Candidate>> {
        let query = self.query_profile(family_name, given_name)?;
        if query.tokens.is_empty() {
            return Ok(Vec::new());
        }
        let keys = query.search_keys();
        let mut seqs: HashSet<i64> = HashSet::new();
        let mut postings = self
            .conn
            .prepare_cached("SELECT visitor_seq FROM visitor_match_key WHERE key = ?1 LIMIT ?2")?;
        // Pairs of name parts first: selective even for common names. The few pairs that
        // thousands share are narrowed by the birth year (and the years either side), and by
        // the day and month, which a slip in the year leaves as they were.
        let years = birth.years();
        let day_and_month = birth.day_and_month();
        for key in keys.iter().filter(|k| k.starts_with("p:")) {
            let found: Vec<i64> = postings
                .query_map(params![key, MAX_POSTINGS + 1], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            if (found.len() as i64) <= MAX_POSTINGS || years.is_empty() {
                seqs.extend(found);
                continue;
            }
            let pair = key.trim_start_matches("p:");
            let narrowed = years
                .iter()
                .map(|y| matching::year_key(pair, *y))
                .chain(day_and_month.map(|(d, m)| matching::day_key(pair, m, d)));
            for narrow in narrowed {
                let found =
                    postings.query_map(params![narrow, MAX_POSTINGS], |r| r.get::<_, i64>(0))?;
                for seq in found {
                    seqs.insert(seq?);
                }
            }
        }
        // Single parts catch a person whose other parts changed beyond their key (a typo, a
        // new surname), but only where the part is rare enough to be worth reading.
        if seqs.len() < limit * 4 {
            for key in keys.iter().filter(|k| k.starts_with("t:")) {
                let found: Vec<i64> = postings
                    .query_map(params![key, MAX_POSTINGS + 1], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                if found.len() as i64 <= MAX_POSTINGS {
                    seqs.extend(found);
                }
            }
        }
        let mut fetch = self.conn.prepare_cached(
            "SELECT seq, id, family_name, given_name, birth_date, match_profile FROM visitor \
             WHERE seq = ?1 AND merged_into IS NULL",
        )?;
        let mut found: Vec<Scored> = Vec::with_capacity(seqs.len());
        for seq in seqs {
            if let Some(c) = fetch
                .query_row([seq], |r| candidate_from_row(r, &query, birth))
                .optional()?
            {
                found.push(c);
            }
        }
        let typed = Typed {
            family_name,
            given_name,
            birth,
        };
        Ok(matching::rank(found, limit, &typed))
    }

    fn visitor_of_access(&self, access_id: Uuid) -> Result<(Visitor, u32)> {
        let visitor = self
            .conn
            .prepare_cached(
                "SELECT p.* FROM access a JOIN visitor v ON v.seq = a.visitor_seq \
                 JOIN visitor p ON p.seq = COALESCE(v.merged_into, v.seq) WHERE a.id = ?1",
            )?
            .query_row([access_id.to_string()], visitor_from_row)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no access {access_id}")))?;
        let visits: u32 = self
            .conn
            .prepare_cached(
                "WITH root (seq) AS (SELECT COALESCE(v.merged_into, v.seq) FROM access a \
                 JOIN visitor v ON v.seq = a.visitor_seq WHERE a.id = ?1) \
                 SELECT count(*) FROM access WHERE visitor_seq IN \
                 (SELECT seq FROM root UNION SELECT seq FROM visitor \
                  WHERE merged_into = (SELECT seq FROM root))",
            )?
            .query_row([access_id.to_string()], |r| r.get(0))?;
        Ok((visitor, visits))
    }
}

impl VisitorWork for SqliteTx<'_> {
    fn merge_visitors(
        &mut self,
        from: Uuid,
        into: Uuid,
        staff: &str,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        let tx = &self.tx;
        let (from_seq, from_merged) = visitor_seq_of(tx, from)?;
        let (into_seq, into_merged) = visitor_seq_of(tx, into)?;
        if from_seq == into_seq {
            return Err(FieldError::new("into", "is the same visitor record").into());
        }
        if from_merged.is_some() {
            return Err(FieldError::new(
                "from",
                format!("{} is already merged", visitor_code(from_seq)),
            )
            .into());
        }
        if let Some(root) = into_merged {
            return Err(FieldError::new(
                "into",
                format!(
                    "{} was merged into {}: merge into that record",
                    visitor_code(into_seq),
                    visitor_code(root)
                ),
            )
            .into());
        }
        let moved: Vec<i64> = tx
            .prepare_cached("SELECT seq FROM visitor WHERE merged_into = ?1 ORDER BY seq")?
            .query_map([from_seq], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        tx.execute(
            "UPDATE visitor SET merged_into = ?1 WHERE merged_into = ?2 OR seq = ?2",
            [into_seq, from_seq],
        )?;
        let moved_text = moved
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        tx.execute(
            "INSERT INTO visitor_merge (from_seq, into_seq, moved, at, staff) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![from_seq, into_seq, moved_text, secs(at), staff],
        )?;
        let merge = tx.last_insert_rowid();
        recompute_first_time(tx, into_seq)?;
        Ok(merge)
    }

    fn undo_merge(&mut self, merge: i64, staff: &str, at: DateTime<Utc>) -> Result<()> {
        let tx = &self.tx;
        let (from_seq, into_seq, moved, undone): (i64, i64, String, Option<i64>) = tx
            .query_row(
                "SELECT from_seq, into_seq, moved, undone_at FROM visitor_merge WHERE seq = ?1",
                [merge],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no merge {merge}")))?;
        if undone.is_some() {
            return Err(
                FieldError::new("merge", format!("merge {merge} is already undone")).into(),
            );
        }
        let (from_now, into_now): (Option<i64>, Option<i64>) = tx.query_row(
            "SELECT (SELECT merged_into FROM visitor WHERE seq = ?1), \
                    (SELECT merged_into FROM visitor WHERE seq = ?2)",
            [from_seq, into_seq],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if from_now != Some(into_seq) || into_now.is_some() {
            return Err(FieldError::new(
                "merge",
                format!(
                    "a later merge involves {}: undo that one first",
                    visitor_code(into_seq)
                ),
            )
            .into());
        }
        tx.execute(
            "UPDATE visitor SET merged_into = NULL WHERE seq = ?1",
            [from_seq],
        )?;
        for seq in moved.split(',').filter_map(|s| s.parse::<i64>().ok()) {
            tx.execute(
                "UPDATE visitor SET merged_into = ?1 WHERE seq = ?2 AND merged_into = ?3",
                [from_seq, seq, into_seq],
            )?;
        }
        tx.execute(
            "UPDATE visitor_merge SET undone_at = ?1, undone_by = ?2 WHERE seq = ?3",
            params![secs(at), staff, merge],
        )?;
        recompute_first_time(tx, into_seq)?;
        recompute_first_time(tx, from_seq)?;
        Ok(())
    }

    fn import_accesses(
        &mut self,
        rows: &[LegacyAccess],
        at: DateTime<Utc>,
        progress: &mut dyn Progress,
    ) -> Result<ImportSummary> {
        let tx = &self.tx;
        // The visitor's details come from their latest row: the freshest the register knew.
        let mut latest: BTreeMap<&str, &LegacyAccess> = BTreeMap::new();
        for row in rows {
            latest
                .entry(row.person_ref.as_str())
                .and_modify(|r| {
                    if row.arrived_at > r.arrived_at {
                        *r = row;
                    }
                })
                .or_insert(row);
        }
        let mut visitor_seqs: HashMap<&str, i64> = HashMap::new();
        let mut visitors_added = 0;
        progress.stage("visitors", Some(latest.len() as u64));
        for (done, (person_ref, row)) in latest.iter().enumerate() {
            if (done as u64).is_multiple_of(EVERY) {
                progress.set(done as u64);
            }
            let existing: Option<i64> = tx
                .prepare_cached("SELECT seq FROM visitor WHERE legacy_ref = ?1")?
                .query_row([person_ref], |r| r.get(0))
                .optional()?;
            let seq = match existing {
                Some(seq) => seq,
                None => {
                    visitors_added += 1;
                    insert_visitor(tx, &row.details, Some(person_ref), row.arrived_at.min(at))?.0
                }
            };
            visitor_seqs.insert(person_ref, seq);
        }
        let mut added = 0;
        let mut touched: HashSet<i64> = HashSet::new();
        progress.stage("accesses", Some(rows.len() as u64));
        for (done, row) in rows.iter().enumerate() {
            if (done as u64).is_multiple_of(EVERY) {
                progress.set(done as u64);
            }
            let visitor_seq = visitor_seqs[row.person_ref.as_str()];
            let queue = if row.details.sai_guest {
                Queue::Sai
            } else {
                Queue::General
            };
            let import_key = format!(
                "{}|{}|{}|{}",
                row.person_ref,
                secs(row.arrived_at),
                row.channel.code(),
                row.service
            );
            let n = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO access (id, visitor_seq, arrived_at, channel, \
                     service, queue, first_time, source, import_key, staff) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, 'import', ?7, 'import')",
                )?
                .execute(params![
                    uuid_at(row.arrived_at).to_string(),
                    visitor_seq,
                    secs(row.arrived_at),
                    row.channel.code(),
                    row.service,
                    queue.code(),
                    import_key,
                ])?;
            if n == 1 {
                added += 1;
                touched.insert(visitor_seq);
            }
        }
        progress.stage("first accesses", Some(touched.len() as u64));
        for (done, seq) in touched.iter().enumerate() {
            if (done as u64).is_multiple_of(EVERY) {
                progress.set(done as u64);
            }
            recompute_first_time(tx, *seq)?;
        }
        progress.stage("writing", None);
        tracing::info!(
            rows = rows.len(),
            accesses_added = added,
            visitors_added,
            "legacy register imported"
        );
        Ok(ImportSummary {
            rows: rows.len() as u64,
            accesses_added: added,
            already_present: rows.len() as u64 - added,
            visitors_added,
        })
    }
}
