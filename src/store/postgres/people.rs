//! Staff accounts and sign-in, the audit trail, and the rights of the people in the register
//! (export, erasure, retention), on the server. The same results, errors and messages as
//! `sqlite/people.rs`; every rule is the domain's. What differs is only how several PCs are
//! kept apart: the audit chain is numbered under an advisory lock, and a sign-in re-reads its
//! account `FOR UPDATE` before it writes the outcome.

use chrono::{DateTime, NaiveDate, Utc};
use postgres::GenericClient;
use uuid::Uuid;

use super::statements::{Cached, Connection, Reader, Tx};
use super::tickets::{TxError, TxResult};
use super::{Erased, PgStore, PgTx};
use crate::domain::audit::{self, AuditAction, AuditEntry, GENESIS};
use crate::domain::hours::{ROME, rome_day, rome_day_bounds};
use crate::domain::staff::{Role, Session, SignIn, decide_sign_in, validate_staff_name};
use crate::domain::visitor::{FieldError, Visitor, VisitorDetails, age_on, visitor_code};
use crate::domain::{Channel, Queue, Ticket};
use crate::progress::Progress;
use crate::store::passwords::verify_password;
use crate::store::{
    AuditKeys, HeldAccess, HeldAudit, HeldEvent, HeldTicket, HeldVisitor, PasswordHash, People,
    PeopleWork, Principal, Result, StaffAccount, StoreError, VisitorRecord,
};

/// The advisory-lock class of the audit chain ("WA"): every entry of every PC takes it, so
/// the next seq and the previous MAC are read by one transaction at a time, and it is held
/// to the commit so the next one sees this one's entry.
pub const AUDIT_LOCK: i32 = 0x5741;

/// A surviving, not yet anonymised visitor whose last access (over all their records) is
/// before `$1`: `sqlite/people.rs`'s `DUE`, in the server's placeholders.
const DUE: &str = "p.merged_into IS NULL AND p.anonymised_at IS NULL \
     AND COALESCE((SELECT MAX(a.arrived_at) FROM access a JOIN visitor v ON v.seq = a.visitor_seq \
                   WHERE v.seq = p.seq OR v.merged_into = p.seq), p.created_at) < $1";

const ENTRY_COLUMNS: &str = "seq, at, staff, role, terminal, action, record, fields, mac";

pub(super) use super::tickets::{uuid_at, whole};

/// A stored code (a role, a queue, a state) read back; one this program does not know was
/// not written by it.
pub(super) fn code<T: std::str::FromStr>(what: &str, s: &str) -> TxResult<T> {
    s.parse().map_err(|_| {
        TxError::Store(StoreError::Database(format!(
            "the register holds a {what} this program does not know: '{s}'"
        )))
    })
}

/// An `integer` column that holds a count or a number (never negative by the schema).
pub(super) fn count_of(what: &str, n: i32) -> TxResult<u32> {
    u32::try_from(n).map_err(|_| {
        TxError::Store(StoreError::Database(format!(
            "the register holds a {what} this program does not know: '{n}'"
        )))
    })
}

/// The field names of an entry, stored comma-separated (as on SQLite, so backups match).
fn field_names(stored: &str) -> Vec<String> {
    stored
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn entry_from_row(r: &postgres::Row) -> AuditEntry {
    AuditEntry {
        seq: r.get(0),
        at: r.get(1),
        staff: r.get(2),
        role: r.get(3),
        terminal: r.get(4),
        action: r.get(5),
        record: r.get(6),
        fields: field_names(r.get(7)),
        mac: r.get(8),
    }
}

/// `HH:MM` in Rome, for messages.
fn rome_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&ROME).format("%H:%M").to_string()
}

/// Append one entry inside `tx`, chained to the last one, under [`AUDIT_LOCK`].
#[allow(clippy::too_many_arguments)]
fn append(
    tx: &mut Tx<'_, '_>,
    key: &[u8],
    staff: &str,
    role: &str,
    terminal: &str,
    action: AuditAction,
    record: Option<&str>,
    fields: &[&str],
    at: DateTime<Utc>,
) -> TxResult<AuditEntry> {
    // READ COMMITTED: the statement after the lock sees the entry of whoever held it last.
    tx.execute("SELECT pg_advisory_xact_lock($1, 0)", &[&AUDIT_LOCK])?;
    let last = tx.query_opt("SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1", &[])?;
    let (seq, previous) = match last {
        Some(r) => (r.get::<_, i64>(0) + 1, r.get::<_, String>(1)),
        None => (1, GENESIS.to_string()),
    };
    let mut entry = AuditEntry {
        seq,
        at: whole(at),
        staff: staff.to_string(),
        role: role.to_string(),
        terminal: terminal.to_string(),
        action: action.code().to_string(),
        record: record.map(str::to_string),
        fields: fields.iter().map(|f| f.to_string()).collect(),
        mac: String::new(),
    };
    entry.mac = audit::mac(key, &previous, &entry);
    tx.execute(
        "INSERT INTO audit (seq, at, staff, role, terminal, action, record, fields, mac) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &[
            &entry.seq,
            &entry.at,
            &entry.staff,
            &entry.role,
            &entry.terminal,
            &entry.action,
            &entry.record,
            &entry.fields.join(","),
            &entry.mac,
        ],
    )?;
    Ok(entry)
}

/// The seq of the surviving record of visitor `id` (itself, or the record it was merged into).
fn surviving_record(c: &mut Cached<'_, impl Connection>, id: Uuid) -> TxResult<i64> {
    let row = c
        .query_opt("SELECT seq, merged_into FROM visitor WHERE id = $1", &[&id])?
        .ok_or_else(|| StoreError::NotFound(format!("no visitor {id}")))?;
    Ok(row.get::<_, Option<i64>>(1).unwrap_or(row.get(0)))
}

/// The seqs of a person's records: the surviving one first, then those merged into it.
fn person_records(c: &mut Cached<'_, impl Connection>, id: Uuid) -> TxResult<Vec<i64>> {
    let root = surviving_record(c, id)?;
    let mut seqs = vec![root];
    for r in c.query(
        "SELECT seq FROM visitor WHERE merged_into = $1 ORDER BY seq",
        &[&root],
    )? {
        seqs.push(r.get(0));
    }
    Ok(seqs)
}

/// How many people the purge anonymises per statement: a few round trips for a thousand
/// people instead of a dozen for each one, with arrays the server handles easily.
const PURGE_BATCH: usize = 1_000;

/// Anonymise `people` (their surviving records), as SQLite's `anonymise` does for each, in
/// a few set-based statements whatever their number (one person for an erasure, a thousand
/// at a time for the purge): their records (merged ones too) are locked first, so a
/// registration of one of them at another PC waits; each access keeps the person's age on
/// its day (the domain's `age_on`, from the surviving record's birth date); names, birth
/// date, languages, phone, the legacy ref, search keys and free-text reasons go. The tables
/// whose rows changed join `erased`: their old row versions still hold the text until the
/// commit is followed by their rewrite (`PgStore::rewrite_erased`). Returns how many
/// records were anonymised.
fn anonymise_people(
    tx: &mut Tx<'_, '_>,
    people: &[i64],
    at: DateTime<Utc>,
    erased: &mut Erased,
) -> TxResult<u64> {
    if people.is_empty() {
        return Ok(0);
    }
    let records: Vec<i64> = tx
        .query(
            "SELECT seq FROM visitor WHERE seq = ANY($1) OR merged_into = ANY($1) \
             ORDER BY seq FOR UPDATE",
            &[&people],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut seqs = Vec::new();
    let mut ages = Vec::new();
    for r in tx.query(
        "SELECT a.seq, a.arrived_at, root.birth_date FROM access a \
         JOIN visitor v ON v.seq = a.visitor_seq \
         JOIN visitor root ON root.seq = COALESCE(v.merged_into, v.seq) \
         WHERE a.visitor_seq = ANY($1) AND a.age_years IS NULL \
         AND root.birth_date IS NOT NULL",
        &[&records],
    )? {
        let arrived: DateTime<Utc> = r.get(1);
        let birth: NaiveDate = r.get(2);
        seqs.push(r.get::<_, i64>(0));
        ages.push(i32::try_from(age_on(birth, rome_day(arrived))).unwrap_or(i32::MAX));
    }
    tx.execute(
        "UPDATE access SET age_years = kept.age \
         FROM unnest($1::bigint[], $2::integer[]) AS kept(seq, age) WHERE access.seq = kept.seq",
        &[&seqs, &ages],
    )?;
    // Only rows that hold a reason: every row updated leaves an old version to rewrite.
    if tx.execute(
        "UPDATE access SET override_reason = NULL \
         WHERE visitor_seq = ANY($1) AND override_reason IS NOT NULL",
        &[&records],
    )? > 0
    {
        erased.insert("access");
    }
    if tx.execute(
        "DELETE FROM visitor_match_key WHERE visitor_seq = ANY($1)",
        &[&records],
    )? > 0
    {
        erased.insert("visitor_match_key");
    }
    if tx.execute(
        "UPDATE appointment SET birth_date = NULL, phone = NULL \
         WHERE visitor_seq = ANY($1) AND (birth_date IS NOT NULL OR phone IS NOT NULL)",
        &[&records],
    )? > 0
    {
        erased.insert("appointment");
    }
    tx.execute(
        "UPDATE visitor SET family_name = '', given_name = '', name_key = '', \
         birth_date = NULL, languages = '{}', phone = NULL, legacy_ref = NULL, \
         match_profile = '', anonymised_at = $2 WHERE seq = ANY($1)",
        &[&records, &whole(at)],
    )?;
    erased.insert("visitor");
    Ok(records.len() as u64)
}

/// A staff row as sign-in reads it.
struct Account {
    name: String,
    role: String,
    hash: String,
    failures: u32,
    locked_until: Option<DateTime<Utc>>,
    must_change: bool,
}

fn account(
    c: &mut Cached<'_, impl Connection>,
    name: &str,
    lock: bool,
) -> TxResult<Option<Account>> {
    // lower(name): the unique index's, SQLite's COLLATE NOCASE.
    let sql = if lock {
        "SELECT name, role, password_hash, failures, locked_until, must_change \
         FROM staff WHERE lower(name) = lower($1) FOR UPDATE"
    } else {
        "SELECT name, role, password_hash, failures, locked_until, must_change \
         FROM staff WHERE lower(name) = lower($1)"
    };
    let Some(r) = c.query_opt(sql, &[&name])? else {
        return Ok(None);
    };
    Ok(Some(Account {
        name: r.get(0),
        role: r.get(1),
        hash: r.get(2),
        failures: count_of("failure count", r.get(3))?,
        locked_until: r.get(4),
        must_change: r.get(5),
    }))
}

impl PgStore {
    fn sign_in_tx(
        &mut self,
        name: &str,
        password: &str,
        terminal: &str,
        at: DateTime<Utc>,
    ) -> TxResult<Result<Session>> {
        let found = self.with_reader(|c| account(c, name.trim(), false))?;
        let key = crate::store::audit_keys::writing_key(&self.keys)?;
        let Some(before) = found else {
            // An unknown name is recorded without it: people type passwords into name fields.
            let mut tx = self.begin_tx()?;
            let entry = append(
                &mut tx.tx,
                &key,
                "unknown",
                "none",
                terminal,
                AuditAction::SignInFailed,
                None,
                &[],
                at,
            )?;
            tx.head = Some(entry);
            tx.commit()?;
            return Ok(Err(StoreError::SignInRefused));
        };
        // The password is checked (about 50 ms of Argon2) before any lock is taken; the
        // answer is kept for the decision made again under the row lock.
        let mut checked: Option<bool> = None;
        let mut check = |hash: &str| -> bool {
            *checked.get_or_insert_with(|| verify_password(password, hash))
        };
        let _ = decide_sign_in(before.failures, before.locked_until, at, || {
            check(&before.hash)
        });
        let mut tx = self.begin_tx()?;
        // Decided again on the row as it is now, locked: of two wrong attempts at once at
        // two PCs, the second sees the first's count, so each counts. (A password changed
        // meanwhile is checked against the new hash.)
        let Some(now) = account(&mut tx.tx, &before.name, true)? else {
            // Removed meanwhile at another PC: audited as an unknown name, as above.
            let entry = append(
                &mut tx.tx,
                &key,
                "unknown",
                "none",
                terminal,
                AuditAction::SignInFailed,
                None,
                &[],
                at,
            )?;
            tx.head = Some(entry);
            tx.commit()?;
            return Ok(Err(StoreError::SignInRefused));
        };
        let password_ok = if now.hash == before.hash {
            check(&now.hash)
        } else {
            verify_password(password, &now.hash)
        };
        let decision = decide_sign_in(now.failures, now.locked_until, at, || password_ok);
        let role: Role = code("role", &now.role)?;
        let (action, outcome) = match decision {
            SignIn::Accepted => {
                tx.tx.execute(
                    "UPDATE staff SET failures = 0, locked_until = NULL WHERE name = $1",
                    &[&now.name],
                )?;
                (
                    AuditAction::SignIn,
                    Ok(Session {
                        staff: now.name.clone(),
                        role,
                        must_change_password: now.must_change,
                    }),
                )
            }
            SignIn::Refused {
                failures,
                locked_until,
            } => {
                let stored = i32::try_from(failures).unwrap_or(i32::MAX);
                tx.tx.execute(
                    "UPDATE staff SET failures = $2, locked_until = $3 WHERE name = $1",
                    &[&now.name, &stored, &locked_until.map(whole)],
                )?;
                (
                    AuditAction::SignInFailed,
                    Err(match locked_until {
                        Some(until) => StoreError::AccountLocked {
                            failures,
                            until: rome_time(until),
                        },
                        None => StoreError::SignInRefused,
                    }),
                )
            }
            SignIn::Locked { until } => (
                AuditAction::SignInFailed,
                Err(StoreError::AccountLocked {
                    failures: now.failures,
                    until: rome_time(until),
                }),
            ),
        };
        let entry = append(
            &mut tx.tx,
            &key,
            &now.name,
            role.code(),
            terminal,
            action,
            Some(&now.name),
            &[],
            at,
        )?;
        tx.head = Some(entry);
        tx.commit()?;
        Ok(outcome)
    }

    fn export_tx(&self, id: Uuid) -> TxResult<VisitorRecord> {
        self.with_reader(|c| Self::export_on(c, id))
    }

    fn export_on(c: &mut Reader<'_, '_>, id: Uuid) -> TxResult<VisitorRecord> {
        let seqs = person_records(c, id)?;
        let mut records = Vec::new();
        let mut accesses = Vec::new();
        let mut ids = Vec::new();
        for &seq in &seqs {
            let r = c.query_one(
                "SELECT v.seq, v.id, v.family_name, v.given_name, v.birth_date, v.sex, v.country, \
                 v.languages, v.sai_guest, v.phone, v.legacy_ref, v.created_at, \
                 (SELECT id FROM visitor p WHERE p.seq = v.merged_into), v.anonymised_at \
                 FROM visitor v WHERE v.seq = $1",
                &[&seq],
            )?;
            let visitor = Visitor {
                id: r.get(1),
                code: visitor_code(r.get(0)),
                details: VisitorDetails {
                    family_name: r.get(2),
                    given_name: r.get(3),
                    birth_date: r.get(4),
                    sex: code("sex", r.get(5))?,
                    country: r.get(6),
                    languages: r.get(7),
                    sai_guest: r.get(8),
                    phone: r.get(9),
                },
            };
            ids.push(visitor.id.to_string());
            let visitor_id = visitor.id;
            records.push(HeldVisitor {
                visitor,
                legacy_ref: r.get(10),
                created_at: r.get(11),
                merged_into: r.get(12),
                anonymised_at: r.get(13),
            });
            let rows = c.query(
                "SELECT seq, id, arrived_at, channel, service, queue, first_time, priority, \
                 override_reason, source, staff FROM access WHERE visitor_seq = $1 \
                 ORDER BY arrived_at",
                &[&seq],
            )?;
            for r in rows {
                let channel: Channel = code("channel", r.get(3))?;
                let queue: Queue = code("queue", r.get(5))?;
                let mut access = HeldAccess {
                    id: r.get(1),
                    visitor_id,
                    arrived_at: r.get(2),
                    channel,
                    service: r.get(4),
                    queue,
                    first_time: r.get(6),
                    priority: r.get(7),
                    override_reason: r.get(8),
                    source: r.get(9),
                    staff: r.get(10),
                    tickets: Vec::new(),
                };
                let access_seq: i64 = r.get(0);
                for t in c.query(
                    "SELECT seq, day, queue, number, state, desk FROM ticket \
                     WHERE access_seq = $1 ORDER BY seq",
                    &[&access_seq],
                )? {
                    let ticket = Ticket {
                        queue: code("queue", t.get(2))?,
                        number: count_of("ticket number", t.get(3))?,
                    };
                    let events = c
                        .query(
                            "SELECT at, event, desk, staff FROM ticket_event \
                             WHERE ticket_seq = $1 ORDER BY seq",
                            &[&t.get::<_, i64>(0)],
                        )?
                        .into_iter()
                        .map(|e| HeldEvent {
                            at: e.get(0),
                            event: e.get(1),
                            desk: e.get(2),
                            staff: e.get(3),
                        })
                        .collect();
                    access.tickets.push(HeldTicket {
                        day: t.get(1),
                        ticket: ticket.to_string(),
                        state: t.get(4),
                        desk: t.get(5),
                        events,
                    });
                }
                accesses.push(access);
            }
        }
        accesses.sort_by_key(|a| a.arrived_at);
        let mut audit = Vec::new();
        for id in &ids {
            for r in c.query(
                "SELECT at, action, role, terminal, fields FROM audit WHERE record = $1 ORDER BY seq",
                &[id],
            )? {
                audit.push(HeldAudit {
                    at: r.get(0),
                    action: r.get(1),
                    role: r.get(2),
                    terminal: r.get(3),
                    fields: field_names(r.get(4)),
                });
            }
        }
        audit.sort_by_key(|a| a.at);
        Ok(VisitorRecord {
            records,
            accesses,
            audit,
            appointments: super::appointments::bookings_of(c, &seqs)?,
        })
    }
}

impl People for PgStore {
    fn staff_accounts(&self) -> Result<Vec<StaffAccount>> {
        let rows = self
            .reader()
            .query(
                "SELECT name, role, failures, locked_until, must_change FROM staff \
                 ORDER BY lower(name)",
                &[],
            )
            .map_err(|e| self.classify(&e))?;
        rows.iter()
            .map(|r| {
                Ok(StaffAccount {
                    name: r.get(0),
                    role: code("role", r.get(1))?,
                    failures: count_of("failure count", r.get(2))?,
                    locked_until: r.get(3),
                    must_change: r.get(4),
                })
            })
            .collect::<TxResult<_>>()
            .map_err(|e| e.into_store(&self.server))
    }

    fn sign_in(
        &mut self,
        name: &str,
        password: &str,
        terminal: &str,
        at: DateTime<Utc>,
    ) -> Result<Session> {
        let server = self.server.clone();
        self.sign_in_tx(name, password, terminal, at)
            .map_err(|e| e.into_store(&server))?
    }

    fn audit_trail(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<AuditEntry>> {
        let (start, _) = rome_day_bounds(from);
        let (_, end) = rome_day_bounds(to);
        let rows = self
            .reader()
            .query(
                &format!(
                    "SELECT {ENTRY_COLUMNS} FROM audit WHERE at >= $1 AND at < $2 ORDER BY seq"
                ),
                &[&start, &end],
            )
            .map_err(|e| self.classify(&e))?;
        Ok(rows.iter().map(entry_from_row).collect())
    }

    fn verify_audit(&self) -> Result<i64> {
        let rows = self
            .reader()
            .query(
                &format!("SELECT {ENTRY_COLUMNS} FROM audit ORDER BY seq"),
                &[],
            )
            .map_err(|e| self.classify(&e))?;
        let entries: Vec<AuditEntry> = rows.iter().map(entry_from_row).collect();
        let anchor = self.keys.head();
        let key = match self.keys.key(false)? {
            Some(key) => key,
            None if entries.is_empty() && anchor.is_none() => return Ok(0),
            None => {
                return Err(StoreError::AuditBroken(format!(
                    "the key file {} is missing",
                    self.keys.key.display()
                )));
            }
        };
        audit::verify(entries, &key, anchor).map_err(|e| StoreError::AuditBroken(e.to_string()))
    }

    fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .reader()
            .query_opt("SELECT value FROM setting WHERE key = $1", &[&key])
            .map_err(|e| self.classify(&e))?
            .map(|r| r.get(0)))
    }

    fn export_visitor(&self, id: Uuid) -> Result<VisitorRecord> {
        self.export_tx(id).map_err(|e| e.into_store(&self.server))
    }

    fn due_for_purge(&self, cutoff: DateTime<Utc>) -> Result<Vec<Uuid>> {
        // A plain read (READ COMMITTED, no lock): terminals keep registering meanwhile; each
        // person found is checked again under the purge's lock.
        let rows = self
            .reader()
            .query(
                &format!("SELECT p.id FROM visitor p WHERE {DUE} ORDER BY p.seq"),
                &[&cutoff],
            )
            .map_err(|e| self.classify(&e))?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }
}

impl PgTx<'_> {
    fn create_staff_tx(
        &mut self,
        name: &str,
        role: Role,
        hash: &PasswordHash,
        first_admin: bool,
        at: DateTime<Utc>,
    ) -> TxResult<()> {
        let name = validate_staff_name(name)?;
        if role == Role::System {
            return Err(FieldError::new("role", "system is not an account's role").into());
        }
        let tx = &mut self.tx;
        // Of two first starts racing at two PCs, the second waits here for the first's
        // commit and then counts its account (SHARE ROW EXCLUSIVE conflicts with itself).
        tx.batch_execute("LOCK TABLE staff IN SHARE ROW EXCLUSIVE MODE")?;
        let accounts: i64 = tx.query_one("SELECT count(*) FROM staff", &[])?.get(0);
        if first_admin && (accounts > 0 || role != Role::Admin) {
            return Err(FieldError::new(
                "name",
                "accounts exist already: an administrator creates new ones",
            )
            .into());
        }
        let taken: bool = tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM staff WHERE lower(name) = lower($1))",
                &[&name],
            )?
            .get(0);
        if taken {
            return Err(FieldError::new("name", format!("'{name}' is taken")).into());
        }
        tx.execute(
            "INSERT INTO staff (name, role, password_hash, created_at) VALUES ($1, $2, $3, $4)",
            &[&name, &role.code(), &hash.0, &whole(at)],
        )?;
        Ok(())
    }

    fn purge_tx(
        &mut self,
        due: &[Uuid],
        cutoff: DateTime<Utc>,
        at: DateTime<Utc>,
        progress: &mut dyn Progress,
    ) -> TxResult<u64> {
        let started = std::time::Instant::now();
        let tx = &mut self.tx;
        let erased = &mut self.erased_in;
        // Bookings of people who never came (cancelled, no-show) hold names no visitor record
        // does: past the same period, they keep the slot and the figures, not the person.
        if tx.execute(
            "UPDATE appointment SET family_name = '', given_name = '', birth_date = NULL, \
             phone = NULL WHERE visitor_seq IS NULL AND start_at < $1 AND family_name != ''",
            &[&cutoff],
        )? > 0
        {
            erased.insert("appointment");
        }
        let mut purged = 0;
        progress.stage("anonymising", Some(due.len() as u64));
        for (n, batch) in due.chunks(PURGE_BATCH).enumerate() {
            progress.set((n * PURGE_BATCH) as u64);
            // Locked with the condition, so a person changed meanwhile is read again; then
            // checked again under the lock, in a statement whose snapshot sees a
            // registration that committed while the lock was awaited (a visitor locked, not
            // changed, by it is not read again by the locking statement).
            let locked: Vec<i64> = tx
                .unprepared()
                .query(
                    &format!(
                        "SELECT p.seq FROM visitor p WHERE p.id = ANY($2) AND {DUE} \
                         ORDER BY p.seq FOR UPDATE"
                    ),
                    &[&cutoff, &batch],
                )?
                .iter()
                .map(|r| r.get(0))
                .collect();
            let people: Vec<i64> = tx
                .unprepared()
                .query(
                    &format!("SELECT p.seq FROM visitor p WHERE p.seq = ANY($2) AND {DUE}"),
                    &[&cutoff, &locked],
                )?
                .iter()
                .map(|r| r.get(0))
                .collect();
            anonymise_people(tx, &people, at, erased)?;
            purged += people.len() as u64;
        }
        progress.set(due.len() as u64);
        tracing::info!(
            ms = started.elapsed().as_millis() as u64,
            anonymised = purged,
            "retention purge"
        );
        Ok(purged)
    }
}

impl PeopleWork for PgTx<'_> {
    fn create_staff(
        &mut self,
        name: &str,
        role: Role,
        hash: &PasswordHash,
        first_admin: bool,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.create_staff_tx(name, role, hash, first_admin, at)
            .map_err(|e| e.into_store(&self.server))
    }

    fn set_password(&mut self, name: &str, hash: &PasswordHash, must_change: bool) -> Result<()> {
        let changed = self
            .tx
            .execute(
                "UPDATE staff SET password_hash = $2, must_change = $3, failures = 0, \
                 locked_until = NULL WHERE lower(name) = lower($1)",
                &[&name.trim(), &hash.0, &must_change],
            )
            .map_err(|e| self.fail(e.into()))?;
        if changed == 0 {
            return Err(StoreError::NotFound(format!("no account '{name}'")));
        }
        Ok(())
    }

    fn set_role(&mut self, name: &str, role: Role) -> Result<()> {
        if role == Role::System {
            return Err(FieldError::new("role", "system is not an account's role").into());
        }
        let changed = self
            .tx
            .execute(
                "UPDATE staff SET role = $2 WHERE lower(name) = lower($1)",
                &[&name.trim(), &role.code()],
            )
            .map_err(|e| self.fail(e.into()))?;
        if changed == 0 {
            return Err(StoreError::NotFound(format!("no account '{name}'")));
        }
        Ok(())
    }

    fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.tx
            .execute(
                "INSERT INTO setting (key, value) VALUES ($1, $2) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                &[&key, &value],
            )
            .map_err(|e| self.fail(e.into()))?;
        Ok(())
    }

    fn audit(
        &mut self,
        by: &Principal,
        action: AuditAction,
        record: Option<&str>,
        fields: &[&str],
        at: DateTime<Utc>,
    ) -> Result<()> {
        let key = self.audit_key()?;
        let entry = append(
            &mut self.tx,
            &key,
            &by.staff,
            by.role.code(),
            &by.terminal,
            action,
            record,
            fields,
            at,
        )
        .map_err(|e| e.into_store(&self.server))?;
        self.head = Some(entry);
        Ok(())
    }

    fn erase_visitor(&mut self, id: Uuid, at: DateTime<Utc>) -> Result<u64> {
        // The old row versions keep the text after the commit: the store rewrites the
        // tables named in `erased_in` then (`PgStore::rewrite_erased`).
        surviving_record(&mut self.tx, id)
            .and_then(|root| anonymise_people(&mut self.tx, &[root], at, &mut self.erased_in))
            .map_err(|e| e.into_store(&self.server))
    }

    fn purge(
        &mut self,
        due: &[Uuid],
        cutoff: DateTime<Utc>,
        at: DateTime<Utc>,
        progress: &mut dyn Progress,
    ) -> Result<u64> {
        self.purge_tx(due, cutoff, at, progress)
            .map_err(|e| e.into_store(&self.server))
    }
}
