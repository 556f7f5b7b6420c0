//! The SQLite implementation of the store.

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

use super::schema::{self, APPLICATION_ID};
use super::{
    Actor, Called, Candidate, EventRecord, ImportSummary, LegacyAccess, Principal, Registered,
    Registration, Restored, Result, StaffAccount, Store, StoreError, SyntheticDay, TicketView,
    VisitorChoice, VisitorRecord,
};
use crate::domain::access::{WaitingPlace, queue_order, route};
use crate::domain::audit::{AuditAction, AuditEntry};
use crate::domain::hours::{rome_day, rome_day_bounds};
use crate::domain::matching::{self, BirthQuery, NameProfile};
use crate::domain::names::name_key;
use crate::domain::reference;
use crate::domain::staff::{Role, Session};
use crate::domain::tally::{AccessFact, VisitorFact};
use crate::domain::visitor::{FieldError, Visitor, VisitorDetails, visitor_code};
use crate::domain::{Channel, Priority, Queue, Sex, Ticket, TicketEvent, TicketState};
use crate::progress::{EVERY, Progress, Silent};

mod appointments;
mod people;

/// A name's profile, and the same as stored, for names that repeat in synthetic traffic.
type Profiled = (NameProfile, String);

/// A search reads at most this many visitors under one key; a single part shared by more
/// people than this (Mohamed, Quispe) is left to the pair keys.
const MAX_POSTINGS: i64 = 1000;

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
        StoreError::Sqlite(Arc::new(e))
    }
}

pub(crate) fn io_error(context: impl Into<String>, e: std::io::Error) -> StoreError {
    StoreError::Io {
        context: context.into(),
        source: Arc::new(e),
    }
}

/// The register in one SQLite file.
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
    /// The passphrase of an encrypted register (SQLCipher), for the other connections a
    /// backup or a restore opens.
    passphrase: Option<String>,
}

/// Where an encrypted register's passphrase comes from.
pub const PASSPHRASE_ENV: &str = "WELCOME_DESK_PASSPHRASE";

/// Whether this build can read and write encrypted registers (`--features encryption`).
pub const CIPHER: bool = cfg!(feature = "encryption");

/// The passphrase `WELCOME_DESK_PASSPHRASE` gives, if any.
pub fn passphrase_from_env() -> Option<String> {
    std::env::var(PASSPHRASE_ENV).ok().filter(|p| !p.is_empty())
}

/// Give a fresh connection its key (SQLCipher derives the key from the passphrase with
/// PBKDF2-HMAC-SHA512); must come before any other statement.
fn key(conn: &Connection, passphrase: Option<&str>) -> rusqlite::Result<()> {
    if let Some(p) = passphrase {
        conn.pragma_update(None, "key", p)?;
        // SQLCipher logs a failed decryption to stderr once the key is set; the error says
        // it in one line.
        let _ = conn.execute_batch("PRAGMA cipher_log_level = NONE");
    }
    Ok(())
}

/// Whether a file that does not start like SQLite looks like an encrypted register: whole
/// pages of bytes with no pattern (a SQLCipher file starts with a random salt).
fn looks_encrypted(path: &Path) -> bool {
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let mut page = [0u8; 1024];
    let Ok(read) = read_up_to(&mut file, &mut page) else {
        return false;
    };
    let len = file.metadata().map_or(0, |m| m.len());
    if read < page.len() || len % 512 != 0 || &page[..16] == SQLITE_HEADER {
        return false;
    }
    let mut counts = [0u32; 256];
    for b in page {
        counts[b as usize] += 1;
    }
    let entropy: f64 = counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / page.len() as f64;
            -p * p.log2()
        })
        .sum();
    entropy > 7.0
}

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

/// A UUID v7 whose time part is the event's time, not the wall clock's.
fn uuid_at(at: DateTime<Utc>) -> Uuid {
    let ts = uuid::Timestamp::from_unix(
        uuid::NoContext,
        at.timestamp().max(0) as u64,
        at.timestamp_subsec_nanos(),
    );
    Uuid::new_v7(ts)
}

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

impl SqliteStore {
    /// Open (or create) the register at `path`.
    ///
    /// An existing file is checked read-only first: a file that is not SQLite, a truncated
    /// one, another program's database or one from a newer welcome-desk is refused with a
    /// clear message and left exactly as it was. These checks cost the same on a ten-year
    /// register as on an empty one; the page-by-page check (`Store::check`, about 1.5 s on
    /// 1.5 million accesses) runs in the terminal's background after opening.
    pub fn open(path: &Path) -> Result<Self> {
        Self::open_with(path, passphrase_from_env().as_deref())
    }

    /// Open (or create) the register at `path`; `passphrase` encrypts a new register and
    /// opens an encrypted one (a build with `--features encryption`). Fails closed: a build
    /// without the cipher never creates a plain file when a passphrase was given, and refuses
    /// an encrypted file with a message saying so.
    pub fn open_with(path: &Path, passphrase: Option<&str>) -> Result<Self> {
        let started = std::time::Instant::now();
        let encrypted_error = |reason: &str| StoreError::Encrypted {
            path: path.to_path_buf(),
            reason: reason.into(),
        };
        let existed = path.exists();
        let mut passphrase = passphrase;
        if existed {
            if looks_encrypted(path) {
                if !CIPHER {
                    return Err(no_cipher(path));
                }
                if passphrase.is_none() {
                    return Err(needs_passphrase(path));
                }
            } else {
                preflight(path)?;
                // A plain register stays plain, whatever passphrase is around.
                passphrase = None;
            }
        } else {
            if passphrase.is_some() && !CIPHER {
                return Err(encrypted_error(&format!(
                    "{PASSPHRASE_ENV} asks for an encrypted register, and this build of welcome-desk has no encryption support; nothing was created"
                )));
            }
            create_private_file(path)?;
        }
        let mut conn = Connection::open(path).map_err(|e| classify_open_error(path, e))?;
        key(&conn, passphrase).map_err(|e| classify_open_error(path, e))?;
        if passphrase.is_some() && existed {
            // A wrong passphrase reads as "not a database" at the first page.
            let check: rusqlite::Result<(i64, i64)> = conn.query_row(
                "SELECT (SELECT count(*) FROM sqlite_master), (SELECT application_id FROM pragma_application_id)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            );
            match check {
                Ok((tables, app)) if app == APPLICATION_ID || tables == 0 => {}
                Ok(_) => {
                    return Err(StoreError::NotADatabase {
                        path: path.to_path_buf(),
                        reason:
                            "an encrypted database of another program, not a welcome-desk register"
                                .into(),
                    });
                }
                Err(_) => {
                    return Err(encrypted_error(
                        "the passphrase is wrong (or the file is not an encrypted register)",
                    ));
                }
            }
        }
        configure(&conn).map_err(|e| classify_open_error(path, e))?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version < schema::latest_version() {
            schema::migrations()
                .to_latest(&mut conn)
                .map_err(|e| StoreError::NotADatabase {
                    path: path.to_path_buf(),
                    reason: format!("could not bring the schema up to date: {e}"),
                })?;
            conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        }
        tracing::info!(
            ms = started.elapsed().as_millis() as u64,
            schema_version = schema::latest_version(),
            migrated_from = (version < schema::latest_version()).then_some(version),
            created = !existed,
            encrypted = passphrase.is_some(),
            "register opened"
        );
        Ok(SqliteStore {
            conn,
            path: path.to_path_buf(),
            passphrase: passphrase.map(str::to_string),
        })
    }

    /// Whether the register is encrypted.
    pub fn encrypted(&self) -> bool {
        self.passphrase.is_some()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Check a file offered as a backup before anything is replaced with it: the same checks
    /// as opening, then every page (`PRAGMA integrity_check`). Returns its visitors and
    /// accesses, for the operator to see what they are about to restore.
    pub fn check_backup(src: &Path) -> Result<(u64, u64)> {
        if !src.is_file() {
            return Err(StoreError::NotFound(format!(
                "{}: no such backup file",
                src.display()
            )));
        }
        let conn = open_backup(src)?;
        let verdict: String = conn
            .query_row("PRAGMA integrity_check(1)", [], |r| r.get(0))
            .map_err(|e| classify_open_error(src, e))?;
        if verdict != "ok" {
            return Err(StoreError::Corrupt {
                path: src.to_path_buf(),
                detail: verdict,
            });
        }
        let count = |table: &str| -> Result<u64> {
            let n: i64 = conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .map_err(|e| classify_open_error(src, e))?;
            Ok(n as u64)
        };
        Ok((count("visitor")?, count("access")?))
    }

    /// Replace the register at `db` with the backup `src`, after checking `src`.
    ///
    /// The register being replaced is never destroyed: when it still opens, a copy of it goes
    /// to `keep_folder` first and the backup is written into it through SQLite's backup API
    /// (other terminals see one consistent change); when it no longer opens, it is renamed
    /// aside. Whether replacing is allowed at all is the caller's decision (`--force`).
    pub fn restore(
        db: &Path,
        src: &Path,
        keep_folder: &Path,
        at: DateTime<Utc>,
    ) -> Result<Restored> {
        Self::restore_with(db, src, keep_folder, at, &mut Silent)
    }

    /// `restore`, telling `progress` of the check and of the pages copied.
    pub fn restore_with(
        db: &Path,
        src: &Path,
        keep_folder: &Path,
        at: DateTime<Utc>,
        progress: &mut dyn Progress,
    ) -> Result<Restored> {
        let started = std::time::Instant::now();
        progress.stage("checking the backup", None);
        let (visitors, accesses) = Self::check_backup(src)?;
        let stamp = at.format("%Y%m%d-%H%M%S");
        let mut kept = None;
        let source = open_backup(src)?;
        let current = if db.exists() {
            match SqliteStore::open(db) {
                Ok(store) => {
                    create_private_folder(keep_folder)?;
                    let copy = keep_folder.join(format!("before-restore-{stamp}.db"));
                    store.backup_to_with(&copy, progress)?;
                    kept = Some(copy);
                    Some(store)
                }
                Err(_) => {
                    let aside = db.with_extension(format!("damaged-{stamp}"));
                    std::fs::rename(db, &aside)
                        .map_err(|e| io_error(format!("{}", db.display()), e))?;
                    for side in ["-wal", "-shm"] {
                        let mut from = db.as_os_str().to_owned();
                        from.push(side);
                        let mut to = aside.as_os_str().to_owned();
                        to.push(side);
                        let _ = std::fs::rename(&from, &to);
                    }
                    kept = Some(aside);
                    None
                }
            }
        } else {
            None
        };
        let mut store = match current {
            Some(store) => store,
            None => {
                create_private_file(db)?;
                let conn = Connection::open(db).map_err(|e| classify_open_error(db, e))?;
                let passphrase = looks_encrypted(src).then(passphrase_from_env).flatten();
                key(&conn, passphrase.as_deref())?;
                SqliteStore {
                    conn,
                    path: db.to_path_buf(),
                    passphrase,
                }
            }
        };
        {
            let backup = rusqlite::backup::Backup::new(&source, &mut store.conn)?;
            copy_pages(&backup, "restoring", progress)?;
        }
        drop(store);
        // The restored trail was chained with the backup's key: it comes along (the key of
        // the register replaced stays beside the copy kept of it).
        if src.with_extension("audit-key").is_file() {
            copy_audit_key(src, db)?;
            let _ = std::fs::remove_file(db.with_extension("audit-head"));
        }
        // Open as any start would: WAL, pragmas, migrations of an older backup.
        SqliteStore::open(db)?;
        tracing::info!(
            ms = started.elapsed().as_millis() as u64,
            visitors,
            accesses,
            kept_previous = kept.is_some(),
            "register restored"
        );
        Ok(Restored {
            visitors,
            accesses,
            kept,
        })
    }

    /// The profile of a searched name, its parts marked common where many people on file
    /// share them: a part that says little about who this is, whatever the dictionary knows.
    fn query_profile(&self, family_name: &str, given_name: &str) -> Result<NameProfile> {
        let mut query = matching::profile(family_name, given_name);
        let visitors: i64 = self
            .conn
            .prepare_cached("SELECT COALESCE(MAX(seq), 0) FROM visitor")?
            .query_row([], |r| r.get(0))?;
        let common_at = ((visitors as f64 * COMMON_SHARE) as i64).max(COMMON_AT_LEAST);
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
        Ok(best(found, limit, &typed))
    }

    /// `PRAGMA integrity_check`: "ok" or the problems found (reads every page and index).
    pub fn integrity_check(&self) -> Result<String> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let lines: Vec<String> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(lines.join("; "))
    }

    /// Count of rows in the register, for summaries.
    pub fn counts(&self) -> Result<(u64, u64)> {
        let visitors: i64 = self
            .conn
            .query_row("SELECT count(*) FROM visitor", [], |r| r.get(0))?;
        let accesses: i64 = self
            .conn
            .query_row("SELECT count(*) FROM access", [], |r| r.get(0))?;
        Ok((visitors as u64, accesses as u64))
    }

    /// Load synthetic traffic (the `demo` command) in one transaction, with prepared
    /// statements: ten years at ten times the center's traffic must load in under a minute.
    pub fn load_synthetic(
        &mut self,
        days: &mut dyn Iterator<Item = SyntheticDay>,
        staff: &str,
    ) -> Result<(u64, u64)> {
        self.load_synthetic_with(days, staff, &mut Silent)
    }

    /// `load_synthetic`, telling `progress` of each day loaded.
    pub fn load_synthetic_with(
        &mut self,
        days: &mut dyn Iterator<Item = SyntheticDay>,
        staff: &str,
        progress: &mut dyn Progress,
    ) -> Result<(u64, u64)> {
        // The name index takes inserts in random order: a large page cache keeps them in
        // memory until the commit (256 MiB, for this load only).
        let cache: i64 = self
            .conn
            .pragma_query_value(None, "cache_size", |r| r.get(0))?;
        self.conn.pragma_update(None, "cache_size", -262_144)?;
        // Into an empty register, write each page once: a rollback journal instead of the
        // WAL (which would write every page twice, then checkpoint). Demo data only; the
        // register returns to WAL and synchronous=FULL right after.
        let (visitors, _) = self.counts()?;
        let bulk = visitors == 0
            && self
                .conn
                .pragma_update_and_check(None, "journal_mode", "truncate", |r| {
                    r.get::<_, String>(0)
                })
                .is_ok_and(|m| m.eq_ignore_ascii_case("truncate"));
        if bulk {
            // The generator builds its own references; checking each one costs a seek per row.
            self.conn.pragma_update(None, "synchronous", "OFF")?;
            self.conn.pragma_update(None, "foreign_keys", "OFF")?;
        }
        let loaded = self.load_synthetic_days(days, staff, progress);
        if bulk {
            self.conn.pragma_update(None, "foreign_keys", "ON")?;
            self.conn.pragma_update(None, "synchronous", "FULL")?;
            self.conn
                .pragma_update_and_check(None, "journal_mode", "wal", |r| r.get::<_, String>(0))?;
        }
        self.conn.pragma_update(None, "cache_size", cache)?;
        loaded
    }

    fn load_synthetic_days(
        &mut self,
        days: &mut dyn Iterator<Item = SyntheticDay>,
        staff: &str,
        progress: &mut dyn Progress,
    ) -> Result<(u64, u64)> {
        progress.stage("days", days.size_hint().1.map(|n| n as u64));
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut visitor_seqs: Vec<i64> = Vec::new();
        let mut accesses = 0u64;
        let mut profiles: HashMap<(String, String), Profiled> = HashMap::new();
        let mut key_names: HashMap<String, u32> = HashMap::new();
        let mut keys: Vec<(u32, i64)> = Vec::new();
        {
            let mut insert_visitor = tx.prepare(
                "INSERT INTO visitor (id, family_name, given_name, name_key, birth_date, sex, \
                 country, languages, sai_guest, phone, created_at, match_profile) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?;
            let mut insert_access = tx.prepare(
                "INSERT INTO access (id, visitor_seq, arrived_at, channel, service, queue, \
                 first_time, priority, source, staff) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'demo', ?9)",
            )?;
            let mut insert_ticket = tx.prepare(
                "INSERT INTO ticket (access_seq, day, queue, number, service, state, priority, \
                 desk, issued_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?;
            let mut insert_event = tx.prepare(
                "INSERT INTO ticket_event (ticket_seq, at, event, state, desk, staff) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            let mut max_number = tx.prepare(
                "SELECT COALESCE(MAX(number), 0) FROM ticket WHERE day = ?1 AND queue = ?2",
            )?;
            for (done, day) in days.enumerate() {
                progress.set(done as u64);
                for v in &day.visitors {
                    let d = &v.details;
                    // Names repeat: profile each distinct name once.
                    let names = (d.family_name.clone(), d.given_name.clone());
                    let (profile, stored) = profiles.entry(names).or_insert_with(|| {
                        let profile = matching::profile(&d.family_name, &d.given_name);
                        let stored = profile.to_stored();
                        (profile, stored)
                    });
                    let key_ids: Vec<u32> = profile
                        .index_keys_with_birth(d.birth_date)
                        .into_iter()
                        .map(|k| {
                            let next = key_names.len() as u32;
                            *key_names.entry(k).or_insert(next)
                        })
                        .collect();
                    insert_visitor.execute(params![
                        uuid_at(v.created_at).to_string(),
                        d.family_name,
                        d.given_name,
                        name_key(&d.family_name, &d.given_name),
                        d.birth_date.map(|b| b.to_string()),
                        d.sex.code(),
                        d.country,
                        d.languages.join(","),
                        d.sai_guest,
                        d.phone,
                        secs(v.created_at),
                        stored.as_str(),
                    ])?;
                    let seq = tx.last_insert_rowid();
                    visitor_seqs.push(seq);
                    keys.extend(key_ids.iter().map(|id| (*id, seq)));
                }
                let mut numbers: HashMap<(NaiveDate, Queue), u32> = HashMap::new();
                for a in &day.accesses {
                    let visitor_seq = *visitor_seqs.get(a.visitor).ok_or_else(|| {
                        StoreError::NotFound(format!(
                            "synthetic access refers to visitor {} of {}",
                            a.visitor,
                            visitor_seqs.len()
                        ))
                    })?;
                    insert_access.execute(params![
                        uuid_at(a.arrived_at).to_string(),
                        visitor_seq,
                        secs(a.arrived_at),
                        a.channel.code(),
                        a.service,
                        a.queue.code(),
                        a.first_time,
                        a.priority.map(Priority::code),
                        staff,
                    ])?;
                    accesses += 1;
                    let Some(t) = &a.ticket else { continue };
                    let access_seq = tx.last_insert_rowid();
                    let day_of = rome_day(a.arrived_at);
                    let number = match numbers.get_mut(&(day_of, a.queue)) {
                        Some(n) => {
                            *n += 1;
                            *n
                        }
                        None => {
                            let max: u32 = max_number
                                .query_row(params![day_of.to_string(), a.queue.code()], |r| {
                                    r.get(0)
                                })?;
                            numbers.insert((day_of, a.queue), max + 1);
                            max + 1
                        }
                    };
                    let updated = t.closed_at.or(t.started_at).or(t.called_at);
                    insert_ticket.execute(params![
                        access_seq,
                        day_of.to_string(),
                        a.queue.code(),
                        number,
                        a.service,
                        t.state.code(),
                        a.priority.is_some(),
                        t.desk,
                        secs(a.arrived_at),
                        secs(updated.unwrap_or(a.arrived_at)),
                    ])?;
                    let ticket_seq = tx.last_insert_rowid();
                    let mut log = vec![(a.arrived_at, TicketEvent::Issue, TicketState::Waiting)];
                    if let Some(c) = t.called_at {
                        log.push((c, TicketEvent::Call, TicketState::Called));
                    }
                    if let Some(s) = t.started_at {
                        log.push((s, TicketEvent::Start, TicketState::InService));
                    }
                    if let Some(c) = t.closed_at {
                        let event = match t.state {
                            TicketState::NoShow => TicketEvent::NoShow,
                            TicketState::Cancelled => TicketEvent::Cancel,
                            _ => TicketEvent::Finish,
                        };
                        log.push((c, event, t.state));
                    }
                    for (at, event, state) in log {
                        let desk = if event == TicketEvent::Issue {
                            None
                        } else {
                            t.desk.as_deref()
                        };
                        insert_event.execute(params![
                            ticket_seq,
                            secs(at),
                            event.code(),
                            state.code(),
                            desk,
                            staff
                        ])?;
                    }
                }
            }
        }
        // The search keys go in last, in key order: a B-tree filled in order is written once,
        // where the same rows in arrival order would touch a random page each.
        let mut ranked: Vec<(&String, u32)> = key_names.iter().map(|(k, id)| (k, *id)).collect();
        ranked.sort();
        let mut rank = vec![0u32; ranked.len()];
        for (r, (_, id)) in ranked.iter().enumerate() {
            rank[*id as usize] = r as u32;
        }
        keys.sort_unstable_by_key(|(id, seq)| (rank[*id as usize], *seq));
        progress.stage("search keys", Some(keys.len() as u64));
        {
            let mut insert_key = tx.prepare(
                "INSERT OR IGNORE INTO visitor_match_key (key, visitor_seq) VALUES (?1, ?2)",
            )?;
            for (done, (id, seq)) in keys.iter().enumerate() {
                if (done as u64).is_multiple_of(16 * EVERY) {
                    progress.set(done as u64);
                }
                insert_key.execute(params![ranked[rank[*id as usize] as usize].0, seq])?;
            }
        }
        progress.stage("writing", None);
        tx.commit()?;
        tracing::info!(
            visitors = visitor_seqs.len(),
            accesses,
            "synthetic traffic loaded"
        );
        Ok((visitor_seqs.len() as u64, accesses))
    }
}

/// Copy every page through SQLite's online backup, a few at a time with a pause between
/// (terminals keep writing meanwhile), telling `progress` how many are done of how many.
fn copy_pages(
    backup: &rusqlite::backup::Backup<'_, '_>,
    stage: &'static str,
    progress: &mut dyn Progress,
) -> Result<()> {
    let mut total = None;
    loop {
        let step = backup.step(256)?;
        // The page count is known after the first step, and grows if terminals add pages.
        let p = backup.progress();
        let pages = Some(p.pagecount.max(0) as u64);
        if pages != total {
            total = pages;
            progress.stage(stage, total);
        }
        progress.set((p.pagecount - p.remaining).max(0) as u64);
        match step {
            rusqlite::backup::StepResult::Done => return Ok(()),
            // More, or busy or locked by a terminal's write: try again after a pause.
            _ => std::thread::sleep(Duration::from_millis(5)),
        }
    }
}

/// Create a new database file readable and writable by its owner only: the register holds
/// special-category personal data.
fn create_private_file(path: &Path) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
        && !parent.is_dir()
    {
        return Err(StoreError::MissingFolder {
            path: parent.to_path_buf(),
        });
    }
    match crate::private_files::options().create_new(true).open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => Err(StoreError::ReadOnly),
        Err(e) => Err(io_error(format!("{}", path.display()), e)),
    }
}

/// Copy the audit key of the register at `from` beside the register at `to` (0600), if there
/// is one.
fn copy_audit_key(from: &Path, to: &Path) -> Result<()> {
    let key = from.with_extension("audit-key");
    if !key.is_file() {
        return Ok(());
    }
    let dest = to.with_extension("audit-key");
    let _ = std::fs::remove_file(&dest);
    create_private_file(&dest)?;
    std::fs::copy(&key, &dest).map_err(|e| io_error(dest.display().to_string(), e))?;
    Ok(())
}

/// Create a folder (and its parents) for copies of the register, readable by its owner only.
pub(crate) fn create_private_folder(path: &Path) -> Result<()> {
    if path.is_dir() {
        return Ok(());
    }
    crate::private_files::create_dir(path).map_err(|e| io_error(format!("{}", path.display()), e))
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_secs(BUSY_TIMEOUT_SECS))?;
    // WAL lets readers (every terminal's one-second poll) proceed while one writer writes;
    // synchronous=FULL makes an acknowledged registration survive a power cut.
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "wal", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        // A read-only medium cannot switch to WAL; the store still works, slower.
        eprintln!("warning: journal mode is {mode}, not wal");
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Deleted and overwritten content is zeroed, not left in free space: an erased name
    // must not be readable in the file (issue: retention and erasure).
    conn.pragma_update(None, "secure_delete", "ON")?;
    // Reads through memory mapping: a half-year report touches thousands of pages, and a
    // system call per page costs more than the page.
    conn.pragma_update(None, "mmap_size", 268_435_456i64)?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

fn classify_open_error(path: &Path, e: rusqlite::Error) -> StoreError {
    if let rusqlite::Error::SqliteFailure(f, msg) = &e {
        match f.code {
            ErrorCode::NotADatabase => {
                return StoreError::NotADatabase {
                    path: path.to_path_buf(),
                    reason: "not an SQLite database".into(),
                };
            }
            ErrorCode::DatabaseCorrupt => {
                return StoreError::Corrupt {
                    path: path.to_path_buf(),
                    detail: msg.clone().unwrap_or_else(|| "corrupt".into()),
                };
            }
            ErrorCode::CannotOpen => {
                return StoreError::Io {
                    context: format!("{}", path.display()),
                    source: Arc::new(std::io::Error::other("cannot open the file")),
                };
            }
            _ => {}
        }
    }
    StoreError::from(e)
}

fn no_cipher(path: &Path) -> StoreError {
    StoreError::Encrypted {
        path: path.to_path_buf(),
        reason: "this register is encrypted (or is not a register at all), and this build of welcome-desk has no encryption support; use a build made with `--features encryption`".into(),
    }
}

fn needs_passphrase(path: &Path) -> StoreError {
    StoreError::PassphraseNeeded {
        path: path.to_path_buf(),
    }
}

/// Open a backup read-only, after the checks an open makes: plain, or encrypted with the
/// passphrase of `WELCOME_DESK_PASSPHRASE`.
fn open_backup(src: &Path) -> Result<Connection> {
    let encrypted = looks_encrypted(src);
    if !encrypted {
        preflight(src)?;
    } else if !CIPHER {
        return Err(no_cipher(src));
    } else if passphrase_from_env().is_none() {
        return Err(needs_passphrase(src));
    }
    let conn = Connection::open_with_flags(src, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| classify_open_error(src, e))?;
    if encrypted {
        key(&conn, passphrase_from_env().as_deref()).map_err(|e| classify_open_error(src, e))?;
    }
    Ok(conn)
}

/// Look at an existing file without changing a byte of it.
fn preflight(path: &Path) -> Result<()> {
    let not_db = |reason: &str| StoreError::NotADatabase {
        path: path.to_path_buf(),
        reason: reason.into(),
    };
    let corrupt = |detail: String| StoreError::Corrupt {
        path: path.to_path_buf(),
        detail,
    };
    let meta = std::fs::metadata(path).map_err(|e| io_error(format!("{}", path.display()), e))?;
    if meta.is_dir() {
        return Err(not_db("is a folder, not a database file"));
    }
    if meta.len() == 0 {
        // SQLite treats an empty file as an empty database: a fresh register.
        return Ok(());
    }
    let mut header = [0u8; 100];
    let mut file =
        std::fs::File::open(path).map_err(|e| io_error(format!("{}", path.display()), e))?;
    let read = read_up_to(&mut file, &mut header)
        .map_err(|e| io_error(format!("{}", path.display()), e))?;
    if read < 16 || &header[..16] != SQLITE_HEADER {
        return Err(not_db("not an SQLite database"));
    }
    if read < 100 {
        return Err(corrupt(format!("truncated: only {read} bytes")));
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65536u64,
        n => u64::from(n),
    };
    let page_count = u64::from(u32::from_be_bytes([
        header[28], header[29], header[30], header[31],
    ]));
    let change_counter = &header[24..28];
    let valid_for = &header[92..96];
    if change_counter == valid_for && page_count > 0 && meta.len() < page_count * page_size {
        return Err(corrupt(format!(
            "truncated: {} bytes where the header promises {}",
            meta.len(),
            page_count * page_size
        )));
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| classify_open_error(path, e))?;
    let check = || -> rusqlite::Result<(i64, i64, i64)> {
        let app: i64 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
        Ok((app, version, tables))
    };
    let (app, version, tables) = check().map_err(|e| classify_open_error(path, e))?;
    if app != APPLICATION_ID && !(app == 0 && tables == 0) {
        return Err(not_db(
            "an SQLite database of another program, not a welcome-desk register",
        ));
    }
    if version > schema::latest_version() {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found: version,
            known: schema::latest_version(),
        });
    }
    Ok(())
}

fn read_up_to(file: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

fn insert_visitor(
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

fn next_ticket_number(tx: &Transaction<'_>, day: NaiveDate, queue: Queue) -> Result<u32> {
    let max: u32 = tx
        .prepare_cached(
            "SELECT COALESCE(MAX(number), 0) FROM ticket WHERE day = ?1 AND queue = ?2",
        )?
        .query_row(params![day.to_string(), queue.code()], |r| r.get(0))?;
    Ok(max + 1)
}

#[allow(clippy::too_many_arguments)]
fn insert_ticket(
    tx: &Transaction<'_>,
    access_seq: i64,
    day: NaiveDate,
    queue: Queue,
    number: u32,
    service: &str,
    priority: bool,
    transferred_from: Option<i64>,
    staff: &str,
    at: DateTime<Utc>,
) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO ticket (access_seq, day, queue, number, service, state, priority, \
         issued_at, updated_at, transferred_from) \
         VALUES (?1, ?2, ?3, ?4, ?5, 'waiting', ?6, ?7, ?7, ?8)",
    )?
    .execute(params![
        access_seq,
        day.to_string(),
        queue.code(),
        number,
        service,
        priority,
        secs(at),
        transferred_from
    ])?;
    let seq = tx.last_insert_rowid();
    log_event(
        tx,
        seq,
        TicketEvent::Issue,
        TicketState::Waiting,
        None,
        staff,
        at,
    )?;
    Ok(seq)
}

fn log_event(
    tx: &Transaction<'_>,
    ticket_seq: i64,
    event: TicketEvent,
    state: TicketState,
    desk: Option<&str>,
    staff: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO ticket_event (ticket_seq, at, event, state, desk, staff) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        ticket_seq,
        secs(at),
        event.code(),
        state.code(),
        desk,
        staff
    ])?;
    Ok(())
}

/// The ticket row behind a spoken ticket of a day.
struct TicketRow {
    seq: i64,
    access_seq: i64,
    state: TicketState,
    priority: bool,
    desk: Option<String>,
}

fn find_ticket(tx: &Transaction<'_>, day: NaiveDate, ticket: Ticket) -> Result<TicketRow> {
    tx.prepare_cached(
        "SELECT seq, access_seq, state, priority, desk FROM ticket \
         WHERE day = ?1 AND queue = ?2 AND number = ?3",
    )?
    .query_row(
        params![day.to_string(), ticket.queue.code(), ticket.number],
        |r| {
            Ok(TicketRow {
                seq: r.get(0)?,
                access_seq: r.get(1)?,
                state: parse_code(&r.get::<_, String>(2)?)?,
                priority: r.get(3)?,
                desk: r.get(4)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("no ticket {ticket} on {day}")))
}

/// A visitor as scored: the few best become candidates, with the evidence for them.
struct Scored {
    visitor_id: Uuid,
    visitor_code: String,
    family_name: String,
    given_name: String,
    birth_date: Option<NaiveDate>,
    score: f64,
    likely: bool,
    name_similarity: f64,
}

fn candidate_from_row(
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
    let score = matching::score(query, birth, &profile, birth_date);
    let (name_similarity, _) = matching::name_similarity(query, &profile);
    Ok(Scored {
        visitor_id: parse_uuid(&r.get::<_, String>(1)?)?,
        visitor_code: visitor_code(seq),
        family_name: r.get(2)?,
        given_name: r.get(3)?,
        birth_date,
        score: (score * 1000.0).round() / 1000.0,
        likely: score >= matching::LIKELY,
        name_similarity,
    })
}

/// The `limit` best candidates, best first; equal scores by how alike the names are, then by
/// visitor code, so the order is stable; each with the evidence for it.
///
/// "Likely" names one person: when two records are likely by name alone, reception has to
/// ask the birth date, so neither is called likely.
fn best(mut found: Vec<Scored>, limit: usize, typed: &Typed<'_>) -> Vec<Candidate> {
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
            evidence: matching::evidence(
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

/// What reception typed.
struct Typed<'a> {
    family_name: &'a str,
    given_name: &'a str,
    birth: BirthQuery,
}

/// A name part shared by more than this share of the visitors on file counts as common...
const COMMON_SHARE: f64 = 0.005;
/// ...and by more than this many people at least (a small register has no statistics).
const COMMON_AT_LEAST: i64 = 3;

/// Below this a "candidate" would only be noise on reception's screen.
const MIN_SCORE: f64 = 0.5;

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

/// Registration inside the caller's `BEGIN IMMEDIATE` transaction, so that checking in an
/// appointment issues its ticket and closes the booking all or nothing. Also returns the
/// access's row, for the booking to point at.
fn register_in(
    tx: &Transaction<'_>,
    reg: &Registration,
    at: DateTime<Utc>,
) -> Result<(Registered, i64)> {
    let service = reference::parse_service(&reg.service)?;
    let day = rome_day(at);
    let (visitor_seq, visitor_id, sai_on_file) = match &reg.visitor {
        VisitorChoice::New(details) => {
            let (seq, id) = insert_visitor(tx, details, None, at)?;
            (seq, id, details.sai_guest)
        }
        VisitorChoice::Existing(id) => {
            // A merged record's accesses go to the surviving record.
            let (seq, merged_into) = visitor_seq_of(tx, *id)?;
            let seq = merged_into.unwrap_or(seq);
            let (root_id, sai): (String, bool) = tx
                .prepare_cached("SELECT id, sai_guest FROM visitor WHERE seq = ?1")?
                .query_row([seq], |r| Ok((r.get(0)?, r.get(1)?)))?;
            if reg.sai_guest && !sai {
                tx.execute("UPDATE visitor SET sai_guest = 1 WHERE seq = ?1", [seq])?;
            }
            (seq, parse_uuid(&root_id)?, sai)
        }
    };
    let routing = route(
        sai_on_file || reg.sai_guest,
        reg.queue_override
            .as_ref()
            .map(|(q, why)| (*q, why.as_str())),
    )
    .map_err(|e| FieldError::new("queue", e.to_string()))?;
    let first_time = !tx
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM access WHERE visitor_seq IN \
             (SELECT ?1 UNION SELECT seq FROM visitor WHERE merged_into = ?1))",
        )?
        .query_row([visitor_seq], |r| r.get::<_, bool>(0))?;
    let access_id = uuid_at(at);
    tx.prepare_cached(
        "INSERT INTO access (id, visitor_seq, arrived_at, channel, service, queue, \
         first_time, priority, override_reason, appointment_at, source, staff) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'terminal', ?11)",
    )?
    .execute(params![
        access_id.to_string(),
        visitor_seq,
        secs(at),
        reg.channel.code(),
        service,
        routing.queue.code(),
        first_time,
        reg.priority.map(Priority::code),
        routing.override_reason,
        reg.appointment_at.map(secs),
        reg.staff,
    ])?;
    let access_seq = tx.last_insert_rowid();
    let number = next_ticket_number(tx, day, routing.queue)?;
    insert_ticket(
        tx,
        access_seq,
        day,
        routing.queue,
        number,
        &service,
        reg.priority.is_some(),
        None,
        &reg.staff,
        at,
    )?;
    Ok((
        Registered {
            ticket: Ticket {
                queue: routing.queue,
                number,
            },
            queue: routing.queue,
            first_time,
            visitor_id,
            visitor_code: visitor_code(visitor_seq),
            access_id,
            day,
            override_reason: routing.override_reason,
        },
        access_seq,
    ))
}

impl Store for SqliteStore {
    fn register(&mut self, reg: &Registration, at: DateTime<Utc>) -> Result<Registered> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (registered, _) = register_in(&tx, reg, at)?;
        tx.commit()?;
        Ok(registered)
    }

    fn call_next(
        &mut self,
        desk: &str,
        queues: &[Queue],
        staff: &str,
        at: DateTime<Utc>,
    ) -> Result<Option<Called>> {
        if desk.trim().is_empty() {
            return Err(FieldError::new("desk", "is empty").into());
        }
        let day = rome_day(at);
        let queues: Vec<Queue> = if queues.is_empty() {
            Queue::ALL.to_vec()
        } else {
            queues.to_vec()
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut waiting: Vec<(i64, Ticket, WaitingPlace, String, String)> = Vec::new();
        {
            let mut stmt = tx.prepare_cached(
                "SELECT t.seq, t.queue, t.number, t.priority, a.appointment_at, t.issued_at, \
                 t.service, a.id FROM ticket t JOIN access a ON a.seq = t.access_seq \
                 WHERE t.day = ?1 AND t.state = 'waiting'",
            )?;
            let rows = stmt.query_map([day.to_string()], |r| {
                let queue: Queue = parse_code(&r.get::<_, String>(1)?)?;
                let number: u32 = r.get(2)?;
                Ok((
                    r.get::<_, i64>(0)?,
                    Ticket { queue, number },
                    WaitingPlace {
                        priority: r.get(3)?,
                        appointment_at: r.get::<_, Option<i64>>(4)?.map(from_secs).transpose()?,
                        arrived_at: from_secs(r.get(5)?)?,
                        ticket_number: number,
                    },
                    r.get::<_, String>(6)?,
                    r.get::<_, String>(7)?,
                ))
            })?;
            for row in rows {
                let row = row?;
                if queues.contains(&row.1.queue) {
                    waiting.push(row);
                }
            }
        }
        let Some((seq, ticket, _, service, access_id)) = waiting
            .into_iter()
            .min_by(|a, b| queue_order(&a.2, &b.2, at).then(a.1.queue.cmp(&b.1.queue)))
        else {
            return Ok(None);
        };
        let state = TicketState::Waiting.apply(TicketEvent::Call)?;
        tx.prepare_cached(
            "UPDATE ticket SET state = ?1, desk = ?2, updated_at = ?3 \
             WHERE seq = ?4 AND state = 'waiting'",
        )?
        .execute(params![state.code(), desk, secs(at), seq])?;
        log_event(&tx, seq, TicketEvent::Call, state, Some(desk), staff, at)?;
        tx.commit()?;
        Ok(Some(Called {
            ticket,
            queue: ticket.queue,
            access_id: parse_uuid(&access_id)?,
            desk: desk.to_string(),
            service,
            called_at: at,
        }))
    }

    fn transition(
        &mut self,
        day: NaiveDate,
        ticket: Ticket,
        event: TicketEvent,
        by: Actor<'_>,
        at: DateTime<Utc>,
    ) -> Result<TicketState> {
        let Actor { staff, desk } = by;
        if matches!(
            event,
            TicketEvent::Issue | TicketEvent::Call | TicketEvent::Transfer
        ) {
            // These have their own operations, which do more than change a state.
            return Err(StoreError::Transition(crate::domain::TransitionError {
                from: TicketState::Waiting,
                event,
            }));
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let row = find_ticket(&tx, day, ticket)?;
        let next = row.state.apply(event)?;
        let desk = desk.map(str::to_string).or(row.desk);
        tx.prepare_cached(
            "UPDATE ticket SET state = ?1, desk = ?2, updated_at = ?3 WHERE seq = ?4",
        )?
        .execute(params![next.code(), desk, secs(at), row.seq])?;
        log_event(&tx, row.seq, event, next, desk.as_deref(), staff, at)?;
        tx.commit()?;
        Ok(next)
    }

    fn transfer(
        &mut self,
        day: NaiveDate,
        ticket: Ticket,
        queue: Queue,
        service: &str,
        by: Actor<'_>,
        at: DateTime<Utc>,
    ) -> Result<Ticket> {
        let Actor { staff, desk } = by;
        let service = reference::parse_service(service)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let row = find_ticket(&tx, day, ticket)?;
        let next = row.state.apply(TicketEvent::Transfer)?;
        tx.prepare_cached("UPDATE ticket SET state = ?1, updated_at = ?2 WHERE seq = ?3")?
            .execute(params![next.code(), secs(at), row.seq])?;
        let desk = desk.map(str::to_string).or(row.desk);
        log_event(
            &tx,
            row.seq,
            TicketEvent::Transfer,
            next,
            desk.as_deref(),
            staff,
            at,
        )?;
        let number = next_ticket_number(&tx, day, queue)?;
        insert_ticket(
            &tx,
            row.access_seq,
            day,
            queue,
            number,
            &service,
            row.priority,
            Some(row.seq),
            staff,
            at,
        )?;
        tx.commit()?;
        Ok(Ticket { queue, number })
    }

    fn tickets_of_day(&self, day: NaiveDate) -> Result<Vec<TicketView>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT t.queue, t.number, a.id, t.state, t.service, t.priority, a.channel, \
             t.issued_at, a.appointment_at, t.desk, v.languages, t.updated_at \
             FROM ticket t JOIN access a ON a.seq = t.access_seq \
             JOIN visitor v ON v.seq = a.visitor_seq \
             WHERE t.day = ?1 ORDER BY t.seq",
        )?;
        let rows = stmt.query_map([day.to_string()], |r| {
            let languages: String = r.get(10)?;
            Ok(TicketView {
                ticket: Ticket {
                    queue: parse_code(&r.get::<_, String>(0)?)?,
                    number: r.get(1)?,
                },
                access_id: parse_uuid(&r.get::<_, String>(2)?)?,
                state: parse_code(&r.get::<_, String>(3)?)?,
                service: r.get(4)?,
                priority: r.get(5)?,
                channel: parse_code(&r.get::<_, String>(6)?)?,
                arrived_at: from_secs(r.get(7)?)?,
                appointment_at: r.get::<_, Option<i64>>(8)?.map(from_secs).transpose()?,
                desk: r.get(9)?,
                languages: languages
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
                updated_at: from_secs(r.get(11)?)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn events_of_day(&self, day: NaiveDate) -> Result<Vec<EventRecord>> {
        // The events of the day's tickets (a ticket lives within its day).
        let mut stmt = self.conn.prepare_cached(
            "SELECT t.queue, t.number, t.day, e.event, e.state, e.at, e.desk, e.staff \
             FROM ticket t JOIN ticket_event e ON e.ticket_seq = t.seq \
             WHERE t.day = ?1 ORDER BY e.seq",
        )?;
        let rows = stmt.query_map([day.to_string()], |r| {
            Ok(EventRecord {
                ticket: Ticket {
                    queue: parse_code(&r.get::<_, String>(0)?)?,
                    number: r.get(1)?,
                },
                day: parse_day(&r.get::<_, String>(2)?)?,
                event: parse_code(&r.get::<_, String>(3)?)?,
                state: parse_code(&r.get::<_, String>(4)?)?,
                at: from_secs(r.get(5)?)?,
                desk: r.get(6)?,
                staff: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

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
        Ok(best(found, limit, &typed))
    }

    fn report_facts(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<(Vec<AccessFact>, Vec<VisitorFact>)> {
        let (start, _) = rome_day_bounds(from);
        let (_, end) = rome_day_bounds(to);
        // One pass: each access with its visitor's facts; visitors are deduplicated here
        // rather than by a second scan of the range.
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.arrived_at, p.seq, a.channel, a.queue, a.service, a.first_time, \
             p.sex, p.country, p.birth_date, a.age_years \
             FROM access a JOIN visitor v ON v.seq = a.visitor_seq \
             JOIN visitor p ON p.seq = COALESCE(v.merged_into, v.seq) \
             WHERE a.arrived_at >= ?1 AND a.arrived_at < ?2",
        )?;
        let mut accesses: Vec<AccessFact> = Vec::new();
        let mut visitors: Vec<VisitorFact> = Vec::new();
        let mut seen: HashSet<i64> = HashSet::new();
        let mut rows = stmt.query(params![secs(start), secs(end)])?;
        while let Some(r) = rows.next()? {
            let visitor: i64 = r.get(1)?;
            let channel = match r.get_ref(2)?.as_str().map_err(rusqlite::Error::from)? {
                "walk-in" => Channel::WalkIn,
                _ => Channel::Appointment,
            };
            let queue = match r.get_ref(3)?.as_str().map_err(rusqlite::Error::from)? {
                "sai" => Queue::Sai,
                _ => Queue::General,
            };
            accesses.push(AccessFact {
                arrived_at: from_secs(r.get(0)?)?,
                visitor,
                channel,
                queue,
                service: r.get(4)?,
                first_time: r.get(5)?,
                kept_age: r.get(9)?,
            });
            if seen.insert(visitor) {
                let sex = match r.get_ref(6)?.as_str().map_err(rusqlite::Error::from)? {
                    "F" => Sex::F,
                    "M" => Sex::M,
                    "X" => Sex::X,
                    _ => Sex::Unknown,
                };
                visitors.push(VisitorFact {
                    visitor,
                    sex,
                    country: r.get(7)?,
                    birth_date: r
                        .get::<_, Option<String>>(8)?
                        .map(|s| parse_day(&s))
                        .transpose()?,
                });
            }
        }
        Ok((accesses, visitors))
    }

    fn import_accesses(
        &mut self,
        rows: &[LegacyAccess],
        at: DateTime<Utc>,
    ) -> Result<ImportSummary> {
        self.import_accesses_with(rows, at, &mut Silent)
    }

    fn merge_visitors(
        &mut self,
        from: Uuid,
        into: Uuid,
        staff: &str,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (from_seq, from_merged) = visitor_seq_of(&tx, from)?;
        let (into_seq, into_merged) = visitor_seq_of(&tx, into)?;
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
        recompute_first_time(&tx, into_seq)?;
        tx.commit()?;
        Ok(merge)
    }

    fn undo_merge(&mut self, merge: i64, staff: &str, at: DateTime<Utc>) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
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
        recompute_first_time(&tx, into_seq)?;
        recompute_first_time(&tx, from_seq)?;
        tx.commit()?;
        Ok(())
    }

    fn check(&self) -> Result<()> {
        let verdict: String = self
            .conn
            .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
            .map_err(|e| classify_open_error(&self.path, e))?;
        if verdict == "ok" {
            Ok(())
        } else {
            Err(StoreError::Corrupt {
                path: self.path.clone(),
                detail: verdict,
            })
        }
    }

    fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "data_version", |r| r.get(0))?)
    }

    fn staff_accounts(&self) -> Result<Vec<StaffAccount>> {
        self.staff_list()
    }

    fn create_staff(
        &mut self,
        name: &str,
        role: Role,
        password: &str,
        first_admin: bool,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.add_staff(name, role, password, first_admin, at)
    }

    fn sign_in(
        &mut self,
        name: &str,
        password: &str,
        terminal: &str,
        at: DateTime<Utc>,
    ) -> Result<Session> {
        self.check_sign_in(name, password, terminal, at)
    }

    fn set_password(
        &mut self,
        name: &str,
        password: &str,
        must_change: bool,
        _at: DateTime<Utc>,
    ) -> Result<()> {
        self.change_password(name, password, must_change)
    }

    fn set_role(&mut self, name: &str, role: Role) -> Result<()> {
        self.change_role(name, role)
    }

    fn audit(
        &mut self,
        by: &Principal,
        action: AuditAction,
        record: Option<&str>,
        fields: &[&str],
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.append_audit(by, action, record, fields, at)
    }

    fn audit_trail(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<AuditEntry>> {
        self.audit_trail_of(from, to)
    }

    fn verify_audit(&self) -> Result<i64> {
        self.verify_audit_chain()
    }

    fn export_visitor(&self, id: Uuid) -> Result<VisitorRecord> {
        self.held_about(id)
    }

    fn erase_visitor(&mut self, id: Uuid, at: DateTime<Utc>) -> Result<u64> {
        self.erase_person(id, at)
    }

    fn purge(&mut self, cutoff: DateTime<Utc>, at: DateTime<Utc>) -> Result<u64> {
        self.purge_with(cutoff, at, &mut Silent)
    }

    fn setting(&self, key: &str) -> Result<Option<String>> {
        self.read_setting(key)
    }

    fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.write_setting(key, value)
    }

    fn backup_to(&self, dest: &Path) -> Result<()> {
        self.backup_to_with(dest, &mut Silent)
    }
}

impl SqliteStore {
    /// `import_accesses`, telling `progress` of the visitors and rows stored.
    pub fn import_accesses_with(
        &mut self,
        rows: &[LegacyAccess],
        at: DateTime<Utc>,
        progress: &mut dyn Progress,
    ) -> Result<ImportSummary> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
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
                    insert_visitor(&tx, &row.details, Some(person_ref), row.arrived_at.min(at))?.0
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
            recompute_first_time(&tx, *seq)?;
        }
        progress.stage("writing", None);
        tx.commit()?;
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

    /// `backup_to`, telling `progress` of the pages copied.
    pub fn backup_to_with(&self, dest: &Path, progress: &mut dyn Progress) -> Result<()> {
        let started = std::time::Instant::now();
        if let Some(parent) = dest.parent().filter(|p| !p.as_os_str().is_empty())
            && !parent.is_dir()
        {
            return Err(StoreError::MissingFolder {
                path: parent.to_path_buf(),
            });
        }
        let tmp = dest.with_extension("partial");
        let _ = std::fs::remove_file(&tmp);
        create_private_file(&tmp)?;
        let copied = (|| -> Result<()> {
            let mut target = Connection::open(&tmp)?;
            // An encrypted register's backups are encrypted with the same passphrase.
            key(&target, self.passphrase.as_deref())?;
            {
                let backup = rusqlite::backup::Backup::new(&self.conn, &mut target)?;
                copy_pages(&backup, "copying", progress)?;
            }
            // A backup is one self-contained file (no -wal beside it) that can travel on a
            // USB stick; the register it came from stays in WAL mode.
            let _: String =
                target.pragma_update_and_check(None, "journal_mode", "delete", |r| r.get(0))?;
            Ok(())
        })();
        if let Err(e) = copied {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        // A backup that is only half written must never carry the final name.
        std::fs::rename(&tmp, dest).map_err(|e| io_error(format!("{}", dest.display()), e))?;
        // The audit key travels with the copy, or its trail could not be verified.
        copy_audit_key(&self.path, dest)?;
        tracing::info!(
            ms = started.elapsed().as_millis() as u64,
            bytes = std::fs::metadata(dest).map(|m| m.len()).ok(),
            "backup written"
        );
        Ok(())
    }
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

fn visitor_seq_of(tx: &Transaction<'_>, id: Uuid) -> Result<(i64, Option<i64>)> {
    tx.prepare_cached("SELECT seq, merged_into FROM visitor WHERE id = ?1")?
        .query_row([id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("no visitor {id}")))
}
