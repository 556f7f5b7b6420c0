//! Checks, copies and the bulk demo loader on the server.
//!
//! A backup of a server register is a welcome-desk SQLite register file: the one format the
//! program can open anywhere (a laptop, a restore onto a new server), made by the SQLite
//! store's own migrations and filled with the server's rows, seqs and ids unchanged (a card's
//! visitor code survives), from one snapshot while terminals keep working.

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{ToSql, Type};
use postgres::{GenericClient, IsolationLevel};
use rusqlite::types::Value;
use uuid::Uuid;

use super::people::{uuid_at, whole};
use super::statements::Tx;
use super::tickets::{TxError, TxResult};
use super::{PgStore, classify};
use crate::domain::hours::rome_day;
use crate::domain::matching::{self, NameProfile};
use crate::domain::names::name_key;
use crate::domain::{Priority, Queue, TicketEvent, TicketState};
use crate::progress::{EVERY, Progress};
use crate::store::{Maintenance, Result, SqliteStore, StoreError, SyntheticDay, io_error};

/// How a server column becomes a SQLite one (SQLite's schema: times in whole seconds, days
/// and ids as text, booleans 0/1, lists comma-separated).
#[derive(Clone, Copy)]
pub(super) enum Kind {
    Int8,
    Int4,
    Text,
    Bool,
    Uuid,
    Date,
    Time,
    TextList,
    Int8List,
}

use Kind::*;

pub(super) type Table = (&'static str, &'static str, &'static [(&'static str, Kind)]);

/// Every table of the register, parents first, with its order and its columns (the columns
/// both schemas share: all of them).
pub(super) const TABLES: &[Table] = &[
    (
        "visitor",
        "seq",
        &[
            ("seq", Int8),
            ("id", Uuid),
            ("family_name", Text),
            ("given_name", Text),
            ("name_key", Text),
            ("birth_date", Date),
            ("sex", Text),
            ("country", Text),
            ("languages", TextList),
            ("sai_guest", Bool),
            ("phone", Text),
            ("legacy_ref", Text),
            ("created_at", Time),
            ("match_profile", Text),
            ("merged_into", Int8),
            ("anonymised_at", Time),
        ],
    ),
    (
        "visitor_match_key",
        "key, visitor_seq",
        &[("key", Text), ("visitor_seq", Int8)],
    ),
    (
        "visitor_merge",
        "seq",
        &[
            ("seq", Int8),
            ("from_seq", Int8),
            ("into_seq", Int8),
            ("moved", Int8List),
            ("at", Time),
            ("staff", Text),
            ("undone_at", Time),
            ("undone_by", Text),
        ],
    ),
    (
        "access",
        "seq",
        &[
            ("seq", Int8),
            ("id", Uuid),
            ("visitor_seq", Int8),
            ("arrived_at", Time),
            ("channel", Text),
            ("service", Text),
            ("queue", Text),
            ("first_time", Bool),
            ("priority", Text),
            ("override_reason", Text),
            ("appointment_at", Time),
            ("source", Text),
            ("import_key", Text),
            ("staff", Text),
            ("age_years", Int4),
        ],
    ),
    (
        "ticket",
        "seq",
        &[
            ("seq", Int8),
            ("access_seq", Int8),
            ("day", Date),
            ("queue", Text),
            ("number", Int4),
            ("service", Text),
            ("state", Text),
            ("priority", Bool),
            ("desk", Text),
            ("issued_at", Time),
            ("updated_at", Time),
            ("transferred_from", Int8),
        ],
    ),
    (
        "ticket_event",
        "seq",
        &[
            ("seq", Int8),
            ("ticket_seq", Int8),
            ("at", Time),
            ("event", Text),
            ("state", Text),
            ("desk", Text),
            ("staff", Text),
        ],
    ),
    (
        "staff",
        "seq",
        &[
            ("seq", Int8),
            ("name", Text),
            ("role", Text),
            ("password_hash", Text),
            ("failures", Int4),
            ("locked_until", Time),
            ("must_change", Bool),
            ("created_at", Time),
        ],
    ),
    (
        "audit",
        "seq",
        &[
            ("seq", Int8),
            ("at", Time),
            ("staff", Text),
            ("role", Text),
            ("terminal", Text),
            ("action", Text),
            ("record", Text),
            ("fields", Text),
            ("mac", Text),
        ],
    ),
    ("setting", "key", &[("key", Text), ("value", Text)]),
    (
        "appointment",
        "seq",
        &[
            ("seq", Int8),
            ("id", Uuid),
            ("code", Int8),
            ("visitor_seq", Int8),
            ("family_name", Text),
            ("given_name", Text),
            ("birth_date", Date),
            ("phone", Text),
            ("service", Text),
            ("start_at", Time),
            ("day", Date),
            ("booked_via", Text),
            ("booked_at", Time),
            ("state", Text),
            ("rescheduled_from", Uuid),
            ("access_seq", Int8),
        ],
    ),
    (
        "appointment_event",
        "seq",
        &[
            ("seq", Int8),
            ("appointment_seq", Int8),
            ("at", Time),
            ("event", Text),
            ("staff", Text),
        ],
    ),
];

/// One server value as SQLite stores it.
fn sqlite_value(r: &postgres::Row, i: usize, kind: Kind) -> Value {
    fn or_null<T>(v: Option<T>, f: impl FnOnce(T) -> Value) -> Value {
        v.map_or(Value::Null, f)
    }
    let joined = |v: Vec<String>| Value::Text(v.join(","));
    match kind {
        Int8 => or_null(r.get::<_, Option<i64>>(i), Value::Integer),
        Int4 => or_null(r.get::<_, Option<i32>>(i), |n| Value::Integer(n.into())),
        Text => or_null(r.get::<_, Option<String>>(i), Value::Text),
        Bool => or_null(r.get::<_, Option<bool>>(i), |b| Value::Integer(b.into())),
        Uuid => or_null(r.get::<_, Option<uuid::Uuid>>(i), |u| {
            Value::Text(u.to_string())
        }),
        Date => or_null(r.get::<_, Option<NaiveDate>>(i), |d| {
            Value::Text(d.to_string())
        }),
        Time => or_null(r.get::<_, Option<DateTime<Utc>>>(i), |t| {
            Value::Integer(t.timestamp())
        }),
        TextList => or_null(r.get::<_, Option<Vec<String>>>(i), joined),
        Int8List => or_null(r.get::<_, Option<Vec<i64>>>(i), |v| {
            joined(v.iter().map(i64::to_string).collect())
        }),
    }
}

/// How long the rewrite after an erasure waits for each table's lock: while it waits, the
/// terminals' writes queue behind it, so not for long (a backup holds its tables for its
/// whole copy).
const REWRITE_LOCK_WAIT: &str = "3s";

impl PgStore {
    /// After a committed erasure or purge: rewrite the tables it changed (`VACUUM FULL`), so
    /// the erased text leaves the table and index files.
    ///
    /// An `UPDATE` or `DELETE` leaves the old row version, text and all, in its page until
    /// a VACUUM; a plain VACUUM marks its space free but does not clear the bytes, which
    /// stay until a new row happens to land there (measured: tests/pg_erasure.rs). The
    /// rewrite copies the live rows into new files and removes the old ones, rebuilding the
    /// indexes. It locks each table while it copies it: about 3 s for `visitor` and its
    /// search keys on ten years of the center's traffic, which the terminals wait out.
    /// If a table's lock cannot be had within [`REWRITE_LOCK_WAIT`], the tables get a plain
    /// VACUUM instead (which locks out no terminal) and the diagnostic log says so. The
    /// erasure is committed either way, so this reports nothing to the caller.
    pub(super) fn rewrite_erased(&mut self) {
        if self.erased.is_empty() {
            return;
        }
        let started = std::time::Instant::now();
        let tables: Vec<String> = std::mem::take(&mut self.erased)
            .into_iter()
            .map(|t| format!("{}.{t}", super::schema::SCHEMA))
            .collect();
        let list = tables.join(", ");
        let server = self.server.clone();
        let client = self.client.get_mut();
        // One statement per call: VACUUM refuses to run in a multi-statement string (an
        // implicit transaction).
        let full = client
            .batch_execute(&format!("SET lock_timeout = '{REWRITE_LOCK_WAIT}'"))
            .and_then(|()| client.batch_execute(&format!("VACUUM FULL {list}")));
        let _ = client.batch_execute("RESET lock_timeout");
        match full {
            Ok(()) => tracing::info!(
                ms = started.elapsed().as_millis() as u64,
                tables = tables.len(),
                "erased rows rewritten"
            ),
            Err(e) => {
                let plain = client.batch_execute(&format!("VACUUM (INDEX_CLEANUP ON) {list}"));
                tracing::warn!(
                    error = classify(&e, &server).kind(),
                    plain_vacuum = plain.is_ok(),
                    "erased rows not rewritten: their bytes may stay in the tables' free space"
                );
            }
        }
    }

    /// Read every row of every table once; the first table that cannot be read fails.
    fn read_every_table(&self) -> Vec<(&'static str, StoreError)> {
        let mut problems = Vec::new();
        let mut client = self.reader();
        for (table, _, _) in TABLES {
            // count(*) over the table reads every heap page (no index answers it whole).
            if let Err(e) = client.query_one(&format!("SELECT count(*) FROM {table}"), &[]) {
                problems.push((*table, self.classify(&e)));
            }
        }
        problems
    }

    /// Copy every table of one snapshot into the SQLite register `target`.
    fn copy_into(
        &self,
        target: &mut rusqlite::Connection,
        progress: &mut dyn Progress,
    ) -> Result<()> {
        let mut client = self.reader();
        // One snapshot for every table: a registration committed half-way through the copy
        // is in the backup whole or not at all.
        let mut snapshot = client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(|e| self.classify(&e))?;
        let sink = target.transaction()?;
        for (table, order, columns) in TABLES {
            progress.stage(table, None);
            let names: Vec<&str> = columns.iter().map(|(c, _)| *c).collect();
            let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
            let mut insert = sink.prepare(&format!(
                "INSERT INTO {table} ({}) VALUES ({})",
                names.join(", "),
                marks.join(", ")
            ))?;
            let mut rows = snapshot
                .query_raw(
                    &format!("SELECT {} FROM {table} ORDER BY {order}", names.join(", ")),
                    Vec::<String>::new(),
                )
                .map_err(|e| self.classify(&e))?;
            let mut done = 0u64;
            while let Some(r) = rows.next().map_err(|e| self.classify(&e))? {
                let values: Vec<Value> = columns
                    .iter()
                    .enumerate()
                    .map(|(i, (_, kind))| sqlite_value(&r, i, *kind))
                    .collect();
                insert.execute(rusqlite::params_from_iter(values))?;
                done += 1;
                if done.is_multiple_of(EVERY) {
                    progress.set(done);
                }
            }
            progress.set(done);
        }
        sink.commit()?;
        snapshot.commit().map_err(|e| self.classify(&e))?;
        Ok(())
    }
}

impl Maintenance for PgStore {
    fn check(&self) -> Result<()> {
        match self.read_every_table().into_iter().next() {
            Some((_, e)) => Err(e),
            None => Ok(()),
        }
    }

    /// Every table read whole: "ok", or each table that could not be read and why. (The
    /// server checks its own pages and keys; what a client can do is read them.)
    fn integrity_check(&self) -> Result<String> {
        let problems = self.read_every_table();
        if problems.is_empty() {
            return Ok("ok".into());
        }
        Ok(problems
            .iter()
            .map(|(table, e)| format!("{table}: {e}"))
            .collect::<Vec<_>>()
            .join("; "))
    }

    fn counts(&self) -> Result<(u64, u64)> {
        let r = self
            .reader()
            .query_one(
                "SELECT (SELECT count(*) FROM visitor), (SELECT count(*) FROM access)",
                &[],
            )
            .map_err(|e| self.classify(&e))?;
        Ok((r.get::<_, i64>(0) as u64, r.get::<_, i64>(1) as u64))
    }

    fn backup_to_with(&self, dest: &Path, progress: &mut dyn Progress) -> Result<()> {
        let started = std::time::Instant::now();
        if let Some(parent) = dest.parent().filter(|p| !p.as_os_str().is_empty())
            && !parent.is_dir()
        {
            return Err(StoreError::MissingFolder {
                path: parent.to_path_buf(),
            });
        }
        // A backup never replaces a file: an earlier backup may be the only good copy.
        if dest.exists() {
            return Err(io_error(
                dest.display().to_string(),
                std::io::Error::from(std::io::ErrorKind::AlreadyExists),
            ));
        }
        let tmp = dest.with_extension("partial");
        let remove_partial = || {
            for end in ["", "-wal", "-shm", "-journal"] {
                let mut name = tmp.clone().into_os_string();
                name.push(end);
                let _ = std::fs::remove_file(&name);
            }
        };
        remove_partial();
        let copied = (|| -> Result<()> {
            // The SQLite schema is made by the SQLite store's own migrations (the file is
            // private, its version and application id set), then closed before it is filled.
            // Unencrypted: a server site's backup is opened by `SqliteStore::open` anywhere.
            drop(SqliteStore::open_with(&tmp, None)?);
            let mut target = rusqlite::Connection::open(&tmp)?;
            // The rows come in with their own seqs, some pointing forward (a merged record
            // into a later one): the server has checked every reference already.
            target.pragma_update(None, "foreign_keys", "OFF")?;
            self.copy_into(&mut target, progress)?;
            // One self-contained file (no -wal beside it) that can travel on a USB stick.
            let _: String =
                target.pragma_update_and_check(None, "journal_mode", "delete", |r| r.get(0))?;
            target.close().map_err(|(_, e)| StoreError::from(e))?;
            Ok(())
        })();
        if let Err(e) = copied {
            remove_partial();
            return Err(e);
        }
        // A backup that is only half written must never carry the final name.
        std::fs::rename(&tmp, dest).map_err(|e| io_error(dest.display().to_string(), e))?;
        // The site's audit key travels with the copy, or its trail could not be verified
        // (SQLite keeps it beside the register: `dest.audit-key`).
        match std::fs::read(&self.keys.key) {
            Ok(key) => {
                let beside = dest.with_extension("audit-key");
                crate::private_files::write(&beside, &key)
                    .map_err(|e| io_error(beside.display().to_string(), e))?;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_error(self.keys.key.display().to_string(), e)),
        }
        tracing::info!(
            ms = started.elapsed().as_millis() as u64,
            bytes = std::fs::metadata(dest).map(|m| m.len()).ok(),
            "backup written"
        );
        Ok(())
    }

    fn load_synthetic_with(
        &mut self,
        days: &mut dyn Iterator<Item = SyntheticDay>,
        staff: &str,
        progress: &mut dyn Progress,
    ) -> Result<(u64, u64)> {
        let server = self.server.clone();
        let mut tx = self.transaction()?;
        let loaded = load(&mut tx, days, staff, progress).map_err(|e| e.into_store(&server))?;
        tx.commit().map_err(|e| super::classify(&e, &server))?;
        // A million rows arrived at once: without fresh statistics the planner would take
        // the search keys and the reports for small tables until autovacuum's next turn.
        self.client
            .get_mut()
            .batch_execute("ANALYZE visitor, visitor_match_key, access, ticket, ticket_event")
            .map_err(|e| super::classify(&e, &server))?;
        tracing::info!(
            visitors = loaded.0,
            accesses = loaded.1,
            "synthetic traffic loaded"
        );
        Ok(loaded)
    }
}

/// Days are sent in chunks of about this many accesses: each chunk is a few `COPY`s (the
/// rows built in memory first, since a connection in `COPY` can run no other statement).
const CHUNK_ACCESSES: usize = 50_000;

/// The seqs this load gives, from past the largest of each table (the tables are locked).
struct Seqs {
    visitor: i64,
    access: i64,
    ticket: i64,
}

/// Everything the load keeps across chunks.
struct Load<'a> {
    staff: &'a str,
    seqs: Seqs,
    visitor_seqs: Vec<i64>,
    accesses: u64,
    /// The last ticket number given per Rome day and queue.
    numbers: HashMap<(NaiveDate, Queue), u32>,
    profiles: HashMap<(String, String), (NameProfile, String)>,
    keys: Vec<(String, i64)>,
}

fn load(
    tx: &mut Tx<'_, '_>,
    days: &mut dyn Iterator<Item = SyntheticDay>,
    staff: &str,
    progress: &mut dyn Progress,
) -> TxResult<(u64, u64)> {
    // Terminals keep reading; their writes wait for this load (the seqs below are taken from
    // the tables' largest, and the sequences are moved past them before the commit).
    tx.batch_execute(
        "LOCK TABLE visitor, visitor_match_key, access, ticket, ticket_event \
         IN SHARE ROW EXCLUSIVE MODE",
    )?;
    let max = |tx: &mut Tx<'_, '_>, table: &str| -> TxResult<i64> {
        Ok(tx
            .unprepared()
            .query_one(&format!("SELECT COALESCE(MAX(seq), 0) FROM {table}"), &[])?
            .get(0))
    };
    let seqs = Seqs {
        visitor: max(tx, "visitor")?,
        access: max(tx, "access")?,
        ticket: max(tx, "ticket")?,
    };
    let mut state = Load {
        staff,
        seqs,
        visitor_seqs: Vec::new(),
        accesses: 0,
        numbers: HashMap::new(),
        profiles: HashMap::new(),
        keys: Vec::new(),
    };
    progress.stage("days", days.size_hint().1.map(|n| n as u64));
    let mut chunk: Vec<SyntheticDay> = Vec::new();
    let mut in_chunk = 0;
    for (done, day) in days.enumerate() {
        progress.set(done as u64);
        in_chunk += day.accesses.len();
        chunk.push(day);
        if in_chunk >= CHUNK_ACCESSES {
            copy_chunk(tx, &mut state, &chunk)?;
            chunk.clear();
            in_chunk = 0;
        }
    }
    copy_chunk(tx, &mut state, &chunk)?;
    // The search keys go in last, in key order (an index filled in order is written once).
    progress.stage("search keys", Some(state.keys.len() as u64));
    state.keys.sort_unstable();
    state.keys.dedup();
    // Ten million keys checked one by one against `visitor` and added one by one to the
    // index by visitor took four of the ten years' six minutes: the check and the index
    // are dropped for the copy and made again after it in one pass each, inside this same
    // transaction (nobody sees the table without them).
    tx.batch_execute(
        "SET LOCAL maintenance_work_mem = '256MB'; \
         ALTER TABLE visitor_match_key DROP CONSTRAINT visitor_match_key_visitor_seq_fkey; \
         DROP INDEX visitor_match_key_visitor",
    )?;
    let mut w = BinaryCopyInWriter::new(
        tx.copy_in("COPY visitor_match_key (key, visitor_seq) FROM STDIN (FORMAT binary)")?,
        &[Type::TEXT, Type::INT8],
    );
    for (key, seq) in &state.keys {
        w.write(&[key, seq])?;
    }
    w.finish()?;
    tx.batch_execute(
        "CREATE INDEX visitor_match_key_visitor ON visitor_match_key (visitor_seq); \
         ALTER TABLE visitor_match_key ADD CONSTRAINT visitor_match_key_visitor_seq_fkey \
         FOREIGN KEY (visitor_seq) REFERENCES visitor (seq)",
    )?;
    progress.stage("writing", None);
    // Registrations after the load take seqs past the loaded rows.
    for table in ["visitor", "access", "ticket", "ticket_event"] {
        tx.unprepared().execute(
            &format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'seq'), \
                 (SELECT MAX(seq) FROM {table}))"
            ),
            &[],
        )?;
    }
    Ok((state.visitor_seqs.len() as u64, state.accesses))
}

/// The source of every synthetic access.
const DEMO: &str = "demo";

/// A row of the binary `COPY`.
type CopyRow<'r> = Vec<&'r (dyn ToSql + Sync)>;

fn copy_rows(tx: &mut Tx<'_, '_>, sql: &str, types: &[Type], rows: &[CopyRow<'_>]) -> TxResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut w = BinaryCopyInWriter::new(tx.copy_in(sql)?, types);
    for r in rows {
        w.write(r)?;
    }
    w.finish()?;
    Ok(())
}

/// The rows of a visitor, owned, for the `COPY`.
struct VisitorRow {
    seq: i64,
    id: Uuid,
    name_key: String,
    created_at: DateTime<Utc>,
    profile: String,
}

/// A ticket and its event log, owned, for the `COPY`s.
struct TicketRow {
    seq: i64,
    access_seq: i64,
    day: NaiveDate,
    number: i32,
    issued_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    events: Vec<(DateTime<Utc>, TicketEvent, TicketState, bool)>,
}

/// Copy the visitors, accesses, tickets and events of `days`, as the SQLite loader writes
/// them (the same seqs' order, numbers, states and event logs).
fn copy_chunk(tx: &mut Tx<'_, '_>, state: &mut Load<'_>, days: &[SyntheticDay]) -> TxResult<()> {
    // Ticket numbers continue what the register holds for a day and queue: read before any
    // COPY opens.
    for day in days {
        for a in day.accesses.iter().filter(|a| a.ticket.is_some()) {
            let key = (rome_day(a.arrived_at), a.queue);
            if let std::collections::hash_map::Entry::Vacant(v) = state.numbers.entry(key) {
                let max: i32 = tx
                    .query_one(
                        "SELECT COALESCE(MAX(number), 0) FROM ticket WHERE day = $1 AND queue = $2",
                        &[&key.0, &key.1.code()],
                    )?
                    .get(0);
                v.insert(super::people::count_of("ticket number", max)?);
            }
        }
    }
    let mut visitors = Vec::new();
    for v in days.iter().flat_map(|d| &d.visitors) {
        let d = &v.details;
        // Names repeat: profile each distinct name once.
        let (profile, stored) = state
            .profiles
            .entry((d.family_name.clone(), d.given_name.clone()))
            .or_insert_with(|| {
                let profile = matching::profile(&d.family_name, &d.given_name);
                let stored = profile.to_stored();
                (profile, stored)
            });
        state.seqs.visitor += 1;
        let seq = state.seqs.visitor;
        state.visitor_seqs.push(seq);
        state.keys.extend(
            profile
                .index_keys_with_birth(d.birth_date)
                .into_iter()
                .map(|k| (k, seq)),
        );
        visitors.push(VisitorRow {
            seq,
            id: uuid_at(v.created_at),
            name_key: name_key(&d.family_name, &d.given_name),
            created_at: whole(v.created_at),
            profile: stored.clone(),
        });
    }
    let details: Vec<_> = days.iter().flat_map(|d| &d.visitors).collect();
    let sex: Vec<&str> = details.iter().map(|v| v.details.sex.code()).collect();
    let rows: Vec<CopyRow<'_>> = visitors
        .iter()
        .zip(&details)
        .zip(&sex)
        .map(|((r, v), sex)| {
            let d = &v.details;
            vec![
                &r.seq as &(dyn ToSql + Sync),
                &r.id,
                &d.family_name,
                &d.given_name,
                &r.name_key,
                &d.birth_date,
                sex,
                &d.country,
                &d.languages,
                &d.sai_guest,
                &d.phone,
                &r.created_at,
                &r.profile,
            ]
        })
        .collect();
    copy_rows(
        tx,
        "COPY visitor (seq, id, family_name, given_name, name_key, birth_date, sex, country, \
         languages, sai_guest, phone, created_at, match_profile) FROM STDIN (FORMAT binary)",
        &[
            Type::INT8,
            Type::UUID,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::DATE,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT_ARRAY,
            Type::BOOL,
            Type::TEXT,
            Type::TIMESTAMPTZ,
            Type::TEXT,
        ],
        &rows,
    )?;
    drop(rows);

    // Accesses, and the tickets they carry.
    struct AccessRow {
        seq: i64,
        id: Uuid,
        visitor_seq: i64,
        arrived_at: DateTime<Utc>,
        priority: Option<&'static str>,
    }
    let all: Vec<_> = days.iter().flat_map(|d| &d.accesses).collect();
    let mut accesses = Vec::with_capacity(all.len());
    let mut tickets = Vec::new();
    for a in &all {
        let visitor_seq = *state.visitor_seqs.get(a.visitor).ok_or_else(|| {
            StoreError::NotFound(format!(
                "synthetic access refers to visitor {} of {}",
                a.visitor,
                state.visitor_seqs.len()
            ))
        })?;
        state.seqs.access += 1;
        state.accesses += 1;
        let access_seq = state.seqs.access;
        accesses.push(AccessRow {
            seq: access_seq,
            id: uuid_at(a.arrived_at),
            visitor_seq,
            arrived_at: whole(a.arrived_at),
            priority: a.priority.map(Priority::code),
        });
        let Some(t) = &a.ticket else { continue };
        let day = rome_day(a.arrived_at);
        let number = state.numbers.entry((day, a.queue)).or_insert(0);
        *number += 1;
        let number = i32::try_from(*number).map_err(|_| {
            TxError::Store(StoreError::Database(format!(
                "too many synthetic tickets on {day}"
            )))
        })?;
        state.seqs.ticket += 1;
        let mut events = vec![(
            a.arrived_at,
            TicketEvent::Issue,
            TicketState::Waiting,
            false,
        )];
        if let Some(c) = t.called_at {
            events.push((c, TicketEvent::Call, TicketState::Called, true));
        }
        if let Some(s) = t.started_at {
            events.push((s, TicketEvent::Start, TicketState::InService, true));
        }
        if let Some(c) = t.closed_at {
            let event = match t.state {
                TicketState::NoShow => TicketEvent::NoShow,
                TicketState::Cancelled => TicketEvent::Cancel,
                _ => TicketEvent::Finish,
            };
            events.push((c, event, t.state, true));
        }
        let updated = t.closed_at.or(t.started_at).or(t.called_at);
        tickets.push((
            *a,
            t,
            TicketRow {
                seq: state.seqs.ticket,
                access_seq,
                day,
                number,
                issued_at: whole(a.arrived_at),
                updated_at: whole(updated.unwrap_or(a.arrived_at)),
                events,
            },
        ));
    }
    let staff = state.staff;
    let channels: Vec<&str> = all.iter().map(|a| a.channel.code()).collect();
    let queues: Vec<&str> = all.iter().map(|a| a.queue.code()).collect();
    let rows: Vec<CopyRow<'_>> = accesses
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let a = all[i];
            vec![
                &r.seq as &(dyn ToSql + Sync),
                &r.id,
                &r.visitor_seq,
                &r.arrived_at,
                &channels[i],
                &a.service,
                &queues[i],
                &a.first_time,
                &r.priority,
                &staff,
                &DEMO,
            ]
        })
        .collect();
    copy_rows(
        tx,
        "COPY access (seq, id, visitor_seq, arrived_at, channel, service, queue, first_time, \
         priority, staff, source) FROM STDIN (FORMAT binary)",
        &[
            Type::INT8,
            Type::UUID,
            Type::INT8,
            Type::TIMESTAMPTZ,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::BOOL,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
        ],
        &rows,
    )?;
    drop(rows);

    let codes: Vec<(&str, &str, bool)> = tickets
        .iter()
        .map(|(a, t, _)| (a.queue.code(), t.state.code(), a.priority.is_some()))
        .collect();
    let rows: Vec<CopyRow<'_>> = tickets
        .iter()
        .zip(&codes)
        .map(|((a, t, r), (queue, state, priority))| {
            vec![
                &r.seq as &(dyn ToSql + Sync),
                &r.access_seq,
                &r.day,
                queue,
                &r.number,
                &a.service,
                state,
                priority,
                &t.desk,
                &r.issued_at,
                &r.updated_at,
            ]
        })
        .collect();
    copy_rows(
        tx,
        "COPY ticket (seq, access_seq, day, queue, number, service, state, priority, desk, \
         issued_at, updated_at) FROM STDIN (FORMAT binary)",
        &[
            Type::INT8,
            Type::INT8,
            Type::DATE,
            Type::TEXT,
            Type::INT4,
            Type::TEXT,
            Type::TEXT,
            Type::BOOL,
            Type::TEXT,
            Type::TIMESTAMPTZ,
            Type::TIMESTAMPTZ,
        ],
        &rows,
    )?;
    drop(rows);

    // The event log: the issue has no desk; the others carry the ticket's.
    struct EventRow<'r> {
        ticket_seq: i64,
        at: DateTime<Utc>,
        event: &'static str,
        state: &'static str,
        desk: Option<&'r str>,
    }
    let events: Vec<EventRow<'_>> = tickets
        .iter()
        .flat_map(|(_, t, r)| {
            r.events
                .iter()
                .map(move |(at, event, state, at_desk)| EventRow {
                    ticket_seq: r.seq,
                    at: whole(*at),
                    event: event.code(),
                    state: state.code(),
                    desk: if *at_desk { t.desk.as_deref() } else { None },
                })
        })
        .collect();
    let rows: Vec<CopyRow<'_>> = events
        .iter()
        .map(|e| {
            vec![
                &e.ticket_seq as &(dyn ToSql + Sync),
                &e.at,
                &e.event,
                &e.state,
                &e.desk,
                &staff,
            ]
        })
        .collect();
    copy_rows(
        tx,
        "COPY ticket_event (ticket_seq, at, event, state, desk, staff) FROM STDIN (FORMAT binary)",
        &[
            Type::INT8,
            Type::TIMESTAMPTZ,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
        ],
        &rows,
    )?;
    Ok(())
}
