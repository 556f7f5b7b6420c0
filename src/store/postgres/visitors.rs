//! Visitors on the server: the card, merges and imports, with SQLite's semantics (the same
//! results, refusals and messages); what could race between PCs is locked.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use postgres::{Client, GenericClient, Row};
use uuid::Uuid;

use super::statements::Tx;
use super::tickets::{TxResult, insert_visitor, parse, read, uuid_at, whole};
use super::{PgStore, PgTx};
use crate::domain::Queue;
use crate::domain::matching::BirthQuery;
use crate::domain::visitor::{FieldError, Visitor, VisitorDetails, visitor_code};
use crate::progress::{EVERY, Progress};
use crate::store::{
    Candidate, ImportSummary, LegacyAccess, Result, StoreError, VisitorWork, Visitors,
};

/// The advisory-lock class of imports ("WI"): two imports at once run one after the other,
/// so the second finds the first's visitors and accesses and adds nothing (without it, both
/// would insert the same new visitors and the second would fail on their legacy ref).
pub const IMPORT_LOCK: i32 = 0x5749;

/// The columns `visitor_from_row` reads, in its order.
pub(super) const VISITOR_COLUMNS: &str =
    "seq, id, family_name, given_name, birth_date, sex, country, languages, sai_guest, phone";

pub(super) fn visitor_from_row(r: &Row) -> TxResult<Visitor> {
    Ok(Visitor {
        id: r.get(1),
        code: visitor_code(r.get(0)),
        details: VisitorDetails {
            family_name: r.get(2),
            given_name: r.get(3),
            birth_date: r.get(4),
            sex: parse("sex", r.get::<_, &str>(5))?,
            country: r.get(6),
            languages: r.get(7),
            sai_guest: r.get(8),
            phone: r.get(9),
        },
    })
}

/// The same columns of `p`, for a join.
fn visitor_columns_of(alias: &str) -> String {
    VISITOR_COLUMNS
        .split(", ")
        .map(|c| format!("{alias}.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn visitor_where(
    c: &mut Client,
    condition: &str,
    value: &(dyn postgres::types::ToSql + Sync),
) -> TxResult<Option<Visitor>> {
    c.query_opt(
        &format!("SELECT {VISITOR_COLUMNS} FROM visitor WHERE {condition}"),
        &[value],
    )?
    .map(|r| visitor_from_row(&r))
    .transpose()
}

/// The surviving record of a visitor (itself unless merged).
fn root_of(tx: &mut Tx<'_, '_>, seq: i64) -> TxResult<i64> {
    Ok(tx
        .query_one(
            "SELECT COALESCE(merged_into, seq) FROM visitor WHERE seq = $1",
            &[&seq],
        )?
        .get(0))
}

/// A visitor's first access ever is the earliest of everything the person's records hold
/// (the surviving record and those merged into it); an import of older history or a merge
/// can move it. SQLite's statement: the earliest by arrival, then by row.
fn recompute_first_time(tx: &mut Tx<'_, '_>, visitor_seq: i64) -> TxResult<()> {
    let root = root_of(tx, visitor_seq)?;
    tx.execute(
        "WITH person (seq) AS (SELECT $1::bigint UNION SELECT seq FROM visitor WHERE merged_into = $1) \
         UPDATE access a SET first_time = (a.seq = (SELECT a2.seq FROM access a2 \
         WHERE a2.visitor_seq IN (SELECT seq FROM person) ORDER BY a2.arrived_at, a2.seq LIMIT 1)) \
         WHERE a.visitor_seq IN (SELECT seq FROM person)",
        &[&root],
    )?;
    Ok(())
}

/// Lock the records `ids` (in row order, so that two merges of the same two records in
/// opposite directions queue rather than deadlock) and read them as locked: (seq,
/// merged_into) of each id, `NotFound` for the first that does not exist.
fn lock_visitors(tx: &mut Tx<'_, '_>, ids: &[Uuid]) -> TxResult<Vec<(i64, Option<i64>)>> {
    let rows = tx.query(
        "SELECT id, seq, merged_into FROM visitor WHERE id = ANY($1) ORDER BY seq FOR UPDATE",
        &[&ids],
    )?;
    ids.iter()
        .map(|id| {
            rows.iter()
                .find(|r| r.get::<_, Uuid>(0) == *id)
                .map(|r| (r.get(1), r.get(2)))
                .ok_or_else(|| StoreError::NotFound(format!("no visitor {id}")).into())
        })
        .collect()
}

impl Visitors for PgStore {
    fn visitor(&self, id: Uuid) -> Result<Visitor> {
        read(self, |c| visitor_where(c, "id = $1", &id))?
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
        read(self, |c| visitor_where(c, "seq = $1", &seq))?
            .ok_or_else(|| StoreError::NotFound(format!("no visitor {}", visitor_code(seq))))
    }

    fn visitor_of_access(&self, access_id: Uuid) -> Result<(Visitor, u32)> {
        // The surviving record and the person's accesses over all their records, in one
        // statement, so both come from one snapshot.
        let found = read(self, |c| {
            let Some(r) = c.unprepared().query_opt(
                &format!(
                    "SELECT {}, (SELECT count(*) FROM access x WHERE x.visitor_seq = p.seq \
                     OR x.visitor_seq IN (SELECT seq FROM visitor WHERE merged_into = p.seq)) \
                     FROM access a JOIN visitor v ON v.seq = a.visitor_seq \
                     JOIN visitor p ON p.seq = COALESCE(v.merged_into, v.seq) WHERE a.id = $1",
                    visitor_columns_of("p")
                ),
                &[&access_id],
            )?
            else {
                return Ok(None);
            };
            let visits: i64 = r.get(10);
            let visits = u32::try_from(visits)
                .map_err(|_| super::tickets::bad_value("count of accesses", visits))?;
            Ok(Some((visitor_from_row(&r)?, visits)))
        })?;
        found.ok_or_else(|| StoreError::NotFound(format!("no access {access_id}")))
    }

    fn search(
        &self,
        family_name: &str,
        given_name: &str,
        birth: BirthQuery,
        limit: usize,
    ) -> Result<Vec<Candidate>> {
        super::search::search(self, family_name, given_name, birth, limit)
    }
}

fn merge_in(
    tx: &mut Tx<'_, '_>,
    from: Uuid,
    into: Uuid,
    staff: &str,
    at: DateTime<Utc>,
) -> TxResult<i64> {
    // Both records locked and read as locked: of two coordinators merging the same record,
    // the second waits for the first's commit and then finds it merged (READ COMMITTED
    // re-reads a row it waited for).
    let locked = lock_visitors(tx, &[from, into])?;
    let ((from_seq, from_merged), (into_seq, into_merged)) = (locked[0], locked[1]);
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
    // The records merged into `from` earlier move with it (merges stay one level deep);
    // locked, so that the list recorded for the undo is the list moved.
    let moved: Vec<i64> = tx
        .query(
            "SELECT seq FROM visitor WHERE merged_into = $1 ORDER BY seq FOR UPDATE",
            &[&from_seq],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect();
    tx.execute(
        "UPDATE visitor SET merged_into = $1 WHERE merged_into = $2 OR seq = $2",
        &[&into_seq, &from_seq],
    )?;
    let merge: i64 = tx
        .query_one(
            "INSERT INTO visitor_merge (from_seq, into_seq, moved, at, staff) \
             VALUES ($1, $2, $3, $4, $5) RETURNING seq",
            &[&from_seq, &into_seq, &moved, &whole(at), &staff],
        )?
        .get(0);
    recompute_first_time(tx, into_seq)?;
    Ok(merge)
}

fn undo_merge_in(tx: &mut Tx<'_, '_>, merge: i64, staff: &str, at: DateTime<Utc>) -> TxResult<()> {
    // The merge's row locked: of two undoing at once, the second waits and finds it undone.
    let row = tx
        .query_opt(
            "SELECT from_seq, into_seq, moved, undone_at IS NOT NULL FROM visitor_merge \
             WHERE seq = $1 FOR UPDATE",
            &[&merge],
        )?
        .ok_or_else(|| StoreError::NotFound(format!("no merge {merge}")))?;
    let (from_seq, into_seq, moved, undone): (i64, i64, Vec<i64>, bool) =
        (row.get(0), row.get(1), row.get(2), row.get(3));
    if undone {
        return Err(FieldError::new("merge", format!("merge {merge} is already undone")).into());
    }
    // Both records locked in row order, as a merge locks them, and read as locked.
    let rows = tx.query(
        "SELECT seq, merged_into FROM visitor WHERE seq = ANY($1) ORDER BY seq FOR UPDATE",
        &[&vec![from_seq, into_seq]],
    )?;
    let merged_into = |seq: i64| -> Option<i64> {
        rows.iter()
            .find(|r| r.get::<_, i64>(0) == seq)
            .and_then(|r| r.get(1))
    };
    let (from_now, into_now) = (merged_into(from_seq), merged_into(into_seq));
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
        "UPDATE visitor SET merged_into = NULL WHERE seq = $1",
        &[&from_seq],
    )?;
    tx.execute(
        "UPDATE visitor SET merged_into = $1 WHERE seq = ANY($2) AND merged_into = $3",
        &[&from_seq, &moved, &into_seq],
    )?;
    tx.execute(
        "UPDATE visitor_merge SET undone_at = $1, undone_by = $2 WHERE seq = $3",
        &[&whole(at), &staff, &merge],
    )?;
    recompute_first_time(tx, into_seq)?;
    recompute_first_time(tx, from_seq)?;
    Ok(())
}

fn import_in(
    tx: &mut Tx<'_, '_>,
    rows: &[LegacyAccess],
    at: DateTime<Utc>,
    progress: &mut dyn Progress,
) -> TxResult<ImportSummary> {
    tx.execute("SELECT pg_advisory_xact_lock($1, 0)", &[&IMPORT_LOCK])?;
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
    const BY_REF: &str = "SELECT seq FROM visitor WHERE legacy_ref = $1";
    for (done, (person_ref, row)) in latest.iter().enumerate() {
        if (done as u64).is_multiple_of(EVERY) {
            progress.set(done as u64);
        }
        let existing: Option<i64> = tx.query_opt(BY_REF, &[person_ref])?.map(|r| r.get(0));
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
    const INSERT: &str = "INSERT INTO access (id, visitor_seq, arrived_at, channel, service, \
         queue, first_time, source, import_key, staff) \
         VALUES ($1, $2, $3, $4, $5, $6, false, 'import', $7, 'import') \
         ON CONFLICT (import_key) WHERE import_key IS NOT NULL DO NOTHING";
    for (done, row) in rows.iter().enumerate() {
        if (done as u64).is_multiple_of(EVERY) {
            progress.set(done as u64);
        }
        let visitor_seq = *visitor_seqs
            .get(row.person_ref.as_str())
            .ok_or_else(|| StoreError::Database(format!("line {}: no visitor", row.line)))?;
        let queue = if row.details.sai_guest {
            Queue::Sai
        } else {
            Queue::General
        };
        // SQLite's key, byte for byte, so a register moved between engines stays idempotent.
        let import_key = format!(
            "{}|{}|{}|{}",
            row.person_ref,
            row.arrived_at.timestamp(),
            row.channel.code(),
            row.service
        );
        let n = tx.execute(
            INSERT,
            &[
                &uuid_at(row.arrived_at),
                &visitor_seq,
                &whole(row.arrived_at),
                &row.channel.code(),
                &row.service,
                &queue.code(),
                &import_key,
            ],
        )?;
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

impl VisitorWork for PgTx<'_> {
    fn merge_visitors(
        &mut self,
        from: Uuid,
        into: Uuid,
        staff: &str,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        merge_in(&mut self.tx, from, into, staff, at).map_err(|e| self.fail(e))
    }

    fn undo_merge(&mut self, merge: i64, staff: &str, at: DateTime<Utc>) -> Result<()> {
        undo_merge_in(&mut self.tx, merge, staff, at).map_err(|e| self.fail(e))
    }

    fn import_accesses(
        &mut self,
        rows: &[LegacyAccess],
        at: DateTime<Utc>,
        progress: &mut dyn Progress,
    ) -> Result<ImportSummary> {
        import_in(&mut self.tx, rows, at, progress).map_err(|e| self.fail(e))
    }
}
