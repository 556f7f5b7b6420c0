//! The SQLite implementation of the store: one register file on one PC.
//!
//! One file per area, as the store's traits are: `tickets`, `visitors` (with `search`),
//! `people` (staff, audit, settings), `reports`, `appointments`; `open` (opening and the
//! file checks), `maintenance` (checks, backups, the bulk demo loader), `restore`, and
//! `feed` (the change feed).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{
    Connection, ErrorCode, OpenFlags, OptionalExtension, Transaction, TransactionBehavior, params,
};
use uuid::Uuid;

use super::audit_keys::{AuditKeys, KeyFile};
use super::{
    Actor, Called, Candidate, ChangeFeed, EventRecord, ImportSummary, Issued, LegacyAccess,
    Registered, Registration, Restored, Result, Store, StoreError, SyntheticDay, TicketView, Tx,
    VisitorChoice, io_error,
};
use crate::domain::access::{WaitingPlace, queue_order, route};
use crate::domain::audit::AuditEntry;
use crate::domain::hours::{rome_day, rome_day_bounds};
use crate::domain::matching::{self, BirthQuery, NameProfile};
use crate::domain::names::name_key;
use crate::domain::reference;
use crate::domain::tally::{AccessFact, VisitorFact};
use crate::domain::visitor::{FieldError, Visitor, VisitorDetails, visitor_code};
use crate::domain::{Channel, Priority, Queue, Sex, Ticket, TicketEvent, TicketState};
use crate::progress::{EVERY, Progress, Silent};
use schema::APPLICATION_ID;

mod appointments;
mod feed;
mod maintenance;
mod open;
mod people;
mod reports;
mod restore;
pub(in crate::store) use restore::open_backup;
mod schema;
mod search;
mod tickets;
mod visitors;

use maintenance::copy_pages;
use open::*;
pub use open::{create_private_folder, passphrase_from_env};
use restore::copy_audit_key;
pub(in crate::store) use visitors::write_match_keys;

/// A name's profile, and the same as stored, for names that repeat in synthetic traffic.
type Profiled = (NameProfile, String);

/// How long a writer waits for another terminal's transaction before giving up.
pub const BUSY_TIMEOUT_SECS: u64 = 5;

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        if let rusqlite::Error::SqliteFailure(f, _) = &e {
            match f.code {
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => {
                    return StoreError::Busy(BUSY_TIMEOUT_SECS);
                }
                ErrorCode::DiskFull => return StoreError::DiskFull,
                ErrorCode::ReadOnly => return StoreError::ReadOnly,
                // SQLite rolls the transaction back: what was stored before is intact.
                ErrorCode::SystemIoFailure => {
                    return if f.extended_code == rusqlite::ffi::SQLITE_IOERR_READ
                        || f.extended_code == rusqlite::ffi::SQLITE_IOERR_SHORT_READ
                    {
                        StoreError::ReadFailed
                    } else {
                        StoreError::WriteFailed
                    };
                }
                _ => {}
            }
        }
        StoreError::Database(e.to_string())
    }
}

/// The register in one SQLite file.
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
    /// The audit key's file, beside the register.
    keys: KeyFile,
    /// The passphrase of an encrypted register (SQLCipher), for the other connections a
    /// backup or a restore opens.
    passphrase: Option<String>,
}

/// Where an encrypted register's passphrase comes from.
pub const PASSPHRASE_ENV: &str = "WELCOME_DESK_PASSPHRASE";

/// Whether this build can read and write encrypted registers (`--features encryption`).
pub const CIPHER: bool = cfg!(feature = "encryption");

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish()
    }
}

fn secs(t: DateTime<Utc>) -> i64 {
    t.timestamp()
}

/// A time as the store writes it (whole seconds since 1970). One out of chrono's range was
/// not written by this program: an error, not silently 1970.
fn from_secs(s: i64) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::from_timestamp(s, 0)
        .ok_or_else(|| conversion(BadValue(format!("{s} is not a time the register can hold"))))
}

use crate::store::uuid_at;

fn parse_uuid(s: &str) -> rusqlite::Result<Uuid> {
    Uuid::parse_str(s).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn conversion<E: std::error::Error + Send + Sync + 'static>(e: E) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct BadValue(String);

pub(super) fn parse_code<T: std::str::FromStr<Err = String>>(s: &str) -> rusqlite::Result<T> {
    s.parse().map_err(|e: String| conversion(BadValue(e)))
}

/// `YYYY-MM-DD` as the store writes it; reports parse one per visitor, so no strftime.
fn parse_day(s: &str) -> rusqlite::Result<NaiveDate> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r)?.iter().try_fold(0u32, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let parsed = (b.len() == 10 && b[4] == b'-' && b[7] == b'-')
        .then(|| NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?))
        .flatten();
    parsed.ok_or_else(|| conversion(BadValue(format!("'{s}' is not a YYYY-MM-DD date"))))
}

fn visitor_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Visitor> {
    let seq: i64 = r.get("seq")?;
    let languages: String = r.get("languages")?;
    Ok(Visitor {
        id: parse_uuid(&r.get::<_, String>("id")?)?,
        code: visitor_code(seq),
        details: VisitorDetails {
            family_name: r.get("family_name")?,
            given_name: r.get("given_name")?,
            birth_date: r
                .get::<_, Option<String>>("birth_date")?
                .map(|s| parse_day(&s))
                .transpose()?,
            sex: parse_code(&r.get::<_, String>("sex")?)?,
            country: r.get("country")?,
            languages: languages
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            sai_guest: r.get("sai_guest")?,
            phone: r.get("phone")?,
        },
    })
}

impl Store for SqliteStore {
    fn begin(&mut self) -> Result<Box<dyn Tx + '_>> {
        // IMMEDIATE: the write lock is taken now (waiting up to the busy timeout), so a
        // transaction never fails half-way because another terminal started writing.
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        Ok(Box::new(SqliteTx {
            tx,
            conn: &self.conn,
            keys: &self.keys,
            key: None,
            head: None,
            erased: false,
        }))
    }
}

impl SqliteStore {
    /// The change feed of the register file at `path`, on a connection of its own.
    pub fn watch(path: &Path, passphrase: Option<&str>) -> Result<Box<dyn ChangeFeed>> {
        Ok(Box::new(feed::SqliteFeed::open(path, passphrase)?))
    }
}

/// One `BEGIN IMMEDIATE` transaction on the register.
pub struct SqliteTx<'a> {
    tx: Transaction<'a>,
    conn: &'a Connection,
    keys: &'a dyn AuditKeys,
    /// The audit key, read once per transaction.
    key: Option<Vec<u8>>,
    /// The newest audit entry written, recorded outside the database after the commit.
    head: Option<AuditEntry>,
    /// Personal data was erased: after the commit, the WAL is emptied into the file so the
    /// erased text survives in neither.
    erased: bool,
}

impl SqliteTx<'_> {
    fn audit_key(&mut self) -> Result<Vec<u8>> {
        if let Some(key) = &self.key {
            return Ok(key.clone());
        }
        let key = super::audit_keys::writing_key(self.keys)?;
        self.key = Some(key.clone());
        Ok(key)
    }
}

impl Tx for SqliteTx<'_> {
    fn commit(self: Box<Self>) -> Result<()> {
        let SqliteTx {
            tx,
            conn,
            keys,
            head,
            erased,
            ..
        } = *self;
        tx.commit()?;
        if let Some(entry) = head {
            keys.record_head(&entry);
        }
        if erased {
            // With `secure_delete` SQLite has zeroed the freed bytes in the pages; this
            // moves the WAL's copies into the file and empties it.
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        }
        Ok(())
    }
}
