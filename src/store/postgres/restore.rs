//! Moving a site: a welcome-desk SQLite register file (a backup from either engine) loaded
//! into the server, the opposite of `backup_to_with`.
//!
//! The rows keep their seqs and ids (a visitor's card code V-000123 still names them), the
//! audit trail its macs (so the site's key comes along), and everything happens in one
//! transaction: the terminals see the old register or the new one, never half of each.

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use postgres::GenericClient;
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{ToSql, Type};
use rusqlite::types::Value;

use super::maintenance::{Kind, TABLES};
use super::statements::Tx;
use super::tickets::TxResult;
use super::{PgStore, audit_key_file};
use crate::domain::visitor::FieldError;
use crate::progress::{EVERY, Progress};
use crate::store::sqlite::open_backup;
use crate::store::{Maintenance, Restored, Result, SqliteStore, StoreError, io_error};

/// One value of a binary `COPY` row.
type Cell = Box<dyn ToSql + Sync>;

/// Connect to the server of `url` (asking for its password with `prompt`) and load `src`
/// into it; see [`PgStore::restore_from`].
pub fn restore_into(
    url: &str,
    src: &Path,
    force: bool,
    keep_folder: &Path,
    at: DateTime<Utc>,
    prompt: Option<super::PasswordPrompt<'_>>,
    progress: &mut dyn Progress,
) -> Result<Restored> {
    let mut store = PgStore::connect_with(url, prompt, audit_key_file()?)?;
    store.restore_from(src, force, keep_folder, at, progress)
}

impl PgStore {
    /// Whether the server holds a register a restore would replace: any visitor, access,
    /// staff account or audit entry. (A fresh schema holds none of them.)
    pub fn holds_register(&self) -> Result<bool> {
        let r = self
            .reader()
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM visitor) OR EXISTS (SELECT 1 FROM access) \
                 OR EXISTS (SELECT 1 FROM staff) OR EXISTS (SELECT 1 FROM audit)",
                &[],
            )
            .map_err(|e| self.classify(&e))?;
        Ok(r.get(0))
    }

    /// Replace everything on the server with the SQLite register `src`, after checking it.
    ///
    /// A server that holds a register is refused unless `force`; then a copy of it goes to
    /// `keep_folder` first (as a SQLite restore keeps the register it replaces). The audit key
    /// beside `src` (`src.audit-key`) becomes the site's key file: a different key already
    /// there is refused unless `force`, since the other PCs of the site sign with it.
    pub fn restore_from(
        &mut self,
        src: &Path,
        force: bool,
        keep_folder: &Path,
        at: DateTime<Utc>,
        progress: &mut dyn Progress,
    ) -> Result<Restored> {
        let started = std::time::Instant::now();
        progress.stage("checking the backup", None);
        let (visitors, accesses) = SqliteStore::check_backup(src)?;
        let key_beside = src.with_extension("audit-key");
        let new_key = match std::fs::read(&key_beside) {
            Ok(key) => Some(key),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(io_error(key_beside.display().to_string(), e)),
        };
        // Asked before anything changes, so a refusal leaves the server and the key as they
        // were.
        let occupied = self.holds_register()?;
        if occupied && !force {
            return Err(refused(format!(
                "{}: the server already holds a register; to replace it with {} ({visitors} \
                 visitors, {accesses} accesses) add --force (a copy of it is kept first)",
                self.server,
                src.display()
            )));
        }
        if let Some(key) = &new_key {
            match std::fs::read(&self.keys.key) {
                Ok(site) if site != *key && !force => {
                    return Err(refused(format!(
                        "{}: the site's audit key differs from {}; the server's trail would \
                         no longer verify on this PC: add --force to replace the key (then \
                         give the new key file to every PC of the site)",
                        self.keys.key.display(),
                        key_beside.display()
                    )));
                }
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io_error(self.keys.key.display().to_string(), e)),
            }
        }
        let mut kept = None;
        if occupied {
            crate::store::sqlite::create_private_folder(keep_folder)?;
            let copy =
                keep_folder.join(format!("before-restore-{}.db", at.format("%Y%m%d-%H%M%S")));
            self.backup_to_with(&copy, progress)?;
            kept = Some(copy);
        }
        let source = open_backup(src)?;
        let server = self.server.clone();
        let mut tx = self.transaction()?;
        let counted = replace_all(&mut tx, &source, src, force, progress)
            .map_err(|e| e.into_store(&server))?;
        if counted != (visitors, accesses) {
            return Err(StoreError::Database(format!(
                "{}: {} visitors and {} accesses copied, {visitors} and {accesses} checked; \
                 nothing was changed",
                src.display(),
                counted.0,
                counted.1
            )));
        }
        progress.stage("writing", None);
        tx.commit().map_err(|e| super::classify(&e, &server))?;
        // The key only after the commit: a failed restore leaves the site's key as it was.
        if let Some(key) = &new_key {
            crate::private_files::write(&self.keys.key, key)
                .map_err(|e| io_error(self.keys.key.display().to_string(), e))?;
        }
        // The head recorded on this PC belongs to the trail just replaced.
        let _ = std::fs::remove_file(&self.keys.head);
        tracing::info!(
            ms = started.elapsed().as_millis() as u64,
            visitors,
            accesses,
            kept_previous = kept.is_some(),
            "register restored onto the server"
        );
        Ok(Restored {
            visitors,
            accesses,
            kept,
        })
    }
}

fn refused(message: String) -> StoreError {
    FieldError::new("--force", message).into()
}

/// Empty every table and copy `source` into them; the visitors and accesses copied.
fn replace_all(
    tx: &mut Tx<'_, '_>,
    source: &rusqlite::Connection,
    src: &Path,
    force: bool,
    progress: &mut dyn Progress,
) -> TxResult<(u64, u64)> {
    let names: Vec<&str> = TABLES.iter().map(|(t, _, _)| *t).collect();
    // Terminals wait for the move (their reads too: they must not see a half-filled
    // register); a registration that slipped in since the check is seen here.
    tx.batch_execute(&format!(
        "LOCK TABLE {} IN ACCESS EXCLUSIVE MODE",
        names.join(", ")
    ))?;
    let occupied: bool = tx
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM visitor) OR EXISTS (SELECT 1 FROM access) \
             OR EXISTS (SELECT 1 FROM staff) OR EXISTS (SELECT 1 FROM audit)",
            &[],
        )?
        .get(0);
    if occupied && !force {
        return Err(refused(format!(
            "the server received a register while {} was being checked; add --force to \
             replace it",
            src.display()
        ))
        .into());
    }
    tx.batch_execute(&format!("TRUNCATE {} RESTART IDENTITY", names.join(", ")))?;
    let mut copied = (0, 0);
    for (table, order, columns) in TABLES {
        progress.stage(table, None);
        let cols: Vec<&str> = columns.iter().map(|(c, _)| *c).collect();
        let types: Vec<Type> = columns.iter().map(|(_, k)| pg_type(*k)).collect();
        let mut read = source
            .prepare(&format!(
                "SELECT {} FROM {table} ORDER BY {order}",
                cols.join(", ")
            ))
            .map_err(|e| in_table(src, table, e))?;
        let mut rows = read.query([]).map_err(|e| in_table(src, table, e))?;
        // Foreign keys are checked at the end of each COPY, and parents come first: a
        // visitor merged into a later one is in the same COPY.
        let mut w = BinaryCopyInWriter::new(
            tx.copy_in(&format!(
                "COPY {table} ({}) FROM STDIN (FORMAT binary)",
                cols.join(", ")
            ))?,
            &types,
        );
        let mut done = 0u64;
        while let Some(r) = rows.next().map_err(|e| in_table(src, table, e))? {
            let mut cells: Vec<Cell> = Vec::with_capacity(columns.len());
            for (i, (column, kind)) in columns.iter().enumerate() {
                let v: Value = r.get(i).map_err(|e| in_table(src, table, e))?;
                cells.push(pg_value(v, *kind).map_err(|why| {
                    StoreError::Database(format!("{}: {table}.{column}: {why}", src.display()))
                })?);
            }
            let refs: Vec<&(dyn ToSql + Sync)> = cells.iter().map(|c| c.as_ref()).collect();
            w.write(&refs)?;
            done += 1;
            if done.is_multiple_of(EVERY) {
                progress.set(done);
            }
        }
        w.finish()?;
        progress.set(done);
        match *table {
            "visitor" => copied.0 = done,
            "access" => copied.1 = done,
            _ => {}
        }
    }
    // New registrations take seqs past the restored ones (new visitors get new codes). The
    // audit table numbers its rows itself.
    for (table, _, columns) in TABLES {
        if columns.first().is_some_and(|(c, _)| *c == "seq") && *table != "audit" {
            tx.unprepared().execute(
                &format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'seq'), \
                     COALESCE((SELECT MAX(seq) FROM {table}), 0) + 1, false)"
                ),
                &[],
            )?;
        }
    }
    Ok(copied)
}

/// A SQLite error while reading `table` of the backup, naming both.
fn in_table(src: &Path, table: &str, e: rusqlite::Error) -> StoreError {
    StoreError::Database(format!("{}: table {table}: {e}", src.display()))
}

/// The server's type of a column of `kind`.
fn pg_type(kind: Kind) -> Type {
    match kind {
        Kind::Int8 => Type::INT8,
        Kind::Int4 => Type::INT4,
        Kind::Text => Type::TEXT,
        Kind::Bool => Type::BOOL,
        Kind::Uuid => Type::UUID,
        Kind::Date => Type::DATE,
        Kind::Time => Type::TIMESTAMPTZ,
        Kind::TextList => Type::TEXT_ARRAY,
        Kind::Int8List => Type::INT8_ARRAY,
    }
}

/// One SQLite value as the server stores it (the inverse of `maintenance::sqlite_value`).
fn pg_value(v: Value, kind: Kind) -> std::result::Result<Cell, String> {
    fn cell<T: ToSql + Sync + 'static>(v: Option<T>) -> std::result::Result<Cell, String> {
        Ok(Box::new(v))
    }
    let wrong = |v: &Value| format!("unexpected {:?}", v.data_type());
    let list = |s: &str| -> Vec<String> {
        if s.is_empty() {
            Vec::new()
        } else {
            s.split(',').map(str::to_string).collect()
        }
    };
    match (kind, v) {
        (Kind::Int8, Value::Null) => cell::<i64>(None),
        (Kind::Int4, Value::Null) => cell::<i32>(None),
        (Kind::Text, Value::Null) => cell::<String>(None),
        (Kind::Bool, Value::Null) => cell::<bool>(None),
        (Kind::Uuid, Value::Null) => cell::<uuid::Uuid>(None),
        (Kind::Date, Value::Null) => cell::<NaiveDate>(None),
        (Kind::Time, Value::Null) => cell::<DateTime<Utc>>(None),
        (Kind::TextList, Value::Null) => cell::<Vec<String>>(None),
        (Kind::Int8List, Value::Null) => cell::<Vec<i64>>(None),
        (Kind::Int8, Value::Integer(n)) => cell(Some(n)),
        (Kind::Int4, Value::Integer(n)) => cell(Some(
            i32::try_from(n).map_err(|_| format!("{n} is too large"))?,
        )),
        (Kind::Text, Value::Text(s)) => cell(Some(s)),
        // A TEXT column keeps what it was given; a number written there is still its text.
        (Kind::Text, Value::Integer(n)) => cell(Some(n.to_string())),
        (Kind::Bool, Value::Integer(n)) => cell(Some(n != 0)),
        (Kind::Uuid, Value::Text(s)) => cell(Some(
            uuid::Uuid::parse_str(&s).map_err(|e| format!("'{s}': {e}"))?,
        )),
        (Kind::Date, Value::Text(s)) => cell(Some(
            NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|e| format!("'{s}': {e}"))?,
        )),
        (Kind::Time, Value::Integer(n)) => cell(Some(
            DateTime::<Utc>::from_timestamp(n, 0).ok_or_else(|| format!("{n}: not a time"))?,
        )),
        (Kind::TextList, Value::Text(s)) => cell(Some(list(&s))),
        (Kind::Int8List, Value::Text(s)) => cell(Some(
            list(&s)
                .iter()
                .map(|n| n.parse::<i64>().map_err(|e| format!("'{n}': {e}")))
                .collect::<std::result::Result<Vec<i64>, String>>()?,
        )),
        (Kind::Int8List, Value::Integer(n)) => cell(Some(vec![n])),
        (_, v) => Err(wrong(&v)),
    }
}
