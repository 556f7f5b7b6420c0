//! Staff accounts and sign-in, the audit trail, and the rights of the people in the register
//! (export, erasure, retention), for the SQLite store.

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
use uuid::Uuid;

use super::{SqliteTx, from_secs, parse_code, parse_day, parse_uuid, secs, visitor_from_row};
use crate::domain::audit::{self, AuditAction, AuditEntry, GENESIS};
use crate::domain::hours::{ROME, rome_day, rome_day_bounds};
use crate::domain::staff::{Role, Session, SignIn, decide_sign_in, validate_staff_name};
use crate::domain::visitor::{FieldError, age_on};
use crate::domain::{Channel, Queue, Ticket};
use crate::progress::Progress;
use crate::store::passwords::verify_password;
use crate::store::{
    AuditKeys, HeldAccess, HeldAudit, HeldEvent, HeldTicket, HeldVisitor, PasswordHash, People,
    PeopleWork, Principal, Result, StaffAccount, StoreError, VisitorRecord,
};

use super::SqliteStore;

/// A surviving, not yet anonymised visitor whose last access (over all their records) is
/// before `?1`.
const DUE: &str = "p.merged_into IS NULL AND p.anonymised_at IS NULL \
     AND COALESCE((SELECT MAX(a.arrived_at) FROM access a JOIN visitor v ON v.seq = a.visitor_seq \
                   WHERE v.seq = p.seq OR v.merged_into = p.seq), p.created_at) < ?1";

/// Append one entry inside `tx`, chained to the last one.
#[allow(clippy::too_many_arguments)]
fn append(
    tx: &Transaction<'_>,
    key: &[u8],
    staff: &str,
    role: &str,
    terminal: &str,
    action: AuditAction,
    record: Option<&str>,
    fields: &[&str],
    at: DateTime<Utc>,
) -> Result<AuditEntry> {
    let last: Option<(i64, String)> = tx
        .prepare_cached("SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (seq, previous) = match last {
        Some((seq, mac)) => (seq + 1, mac),
        None => (1, GENESIS.to_string()),
    };
    let mut entry = AuditEntry {
        seq,
        // The trail keeps whole seconds, as the MAC covers them.
        at: at.trunc_subsecs(0),
        staff: staff.to_string(),
        role: role.to_string(),
        terminal: terminal.to_string(),
        action: action.code().to_string(),
        record: record.map(str::to_string),
        fields: fields.iter().map(|f| f.to_string()).collect(),
        mac: String::new(),
    };
    entry.mac = audit::mac(key, &previous, &entry);
    tx.prepare_cached(
        "INSERT INTO audit (seq, at, staff, role, terminal, action, record, fields, mac) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        entry.seq,
        secs(entry.at),
        entry.staff,
        entry.role,
        entry.terminal,
        entry.action,
        entry.record,
        entry.fields.join(","),
        entry.mac
    ])?;
    Ok(entry)
}

/// The field names of an entry, stored comma-separated.
fn field_names(stored: &str) -> Vec<String> {
    stored
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn entry_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        seq: r.get(0)?,
        at: from_secs(r.get(1)?)?,
        staff: r.get(2)?,
        role: r.get(3)?,
        terminal: r.get(4)?,
        action: r.get(5)?,
        record: r.get(6)?,
        fields: field_names(&r.get::<_, String>(7)?),
        mac: r.get(8)?,
    })
}

const ENTRY_COLUMNS: &str = "seq, at, staff, role, terminal, action, record, fields, mac";

/// `HH:MM` in Rome, for messages.
fn rome_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&ROME).format("%H:%M").to_string()
}

/// The seqs of a person's records: the surviving one first, then those merged into it.
fn person_records(tx: &rusqlite::Connection, id: Uuid) -> Result<Vec<i64>> {
    let (seq, merged_into): (i64, Option<i64>) = tx
        .prepare_cached("SELECT seq, merged_into FROM visitor WHERE id = ?1")?
        .query_row([id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("no visitor {id}")))?;
    let root = merged_into.unwrap_or(seq);
    let mut seqs = vec![root];
    seqs.extend(
        tx.prepare_cached("SELECT seq FROM visitor WHERE merged_into = ?1 ORDER BY seq")?
            .query_map([root], |r| r.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?,
    );
    Ok(seqs)
}

/// Anonymise one person (`records`, the surviving one first) inside `tx`: each access keeps
/// the person's age on its day (for the age bands of past reports); names, birth date,
/// languages, phone, the legacy ref, search keys and free-text reasons go.
fn anonymise(tx: &Transaction<'_>, records: &[i64], at: DateTime<Utc>) -> Result<()> {
    let birth: Option<NaiveDate> = tx
        .prepare_cached("SELECT birth_date FROM visitor WHERE seq = ?1")?
        .query_row([records[0]], |r| r.get::<_, Option<String>>(0))?
        .map(|s| parse_day(&s))
        .transpose()?;
    for &seq in records {
        if let Some(birth) = birth {
            let accesses: Vec<(i64, i64)> = tx
                .prepare_cached(
                    "SELECT seq, arrived_at FROM access WHERE visitor_seq = ?1 AND age_years IS NULL",
                )?
                .query_map([seq], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let mut set_age =
                tx.prepare_cached("UPDATE access SET age_years = ?1 WHERE seq = ?2")?;
            for (access, arrived) in accesses {
                set_age.execute(params![
                    age_on(birth, rome_day(from_secs(arrived)?)),
                    access
                ])?;
            }
        }
        tx.prepare_cached("UPDATE access SET override_reason = NULL WHERE visitor_seq = ?1")?
            .execute([seq])?;
        tx.prepare_cached("DELETE FROM visitor_match_key WHERE visitor_seq = ?1")?
            .execute([seq])?;
        // A booking of someone on file holds at most their phone and birth date beside the link.
        tx.prepare_cached(
            "UPDATE appointment SET birth_date = NULL, phone = NULL WHERE visitor_seq = ?1",
        )?
        .execute([seq])?;
        tx.prepare_cached(
            "UPDATE visitor SET family_name = '', given_name = '', name_key = '', \
             birth_date = NULL, languages = '', phone = NULL, legacy_ref = NULL, \
             match_profile = '', anonymised_at = ?2 WHERE seq = ?1",
        )?
        .execute(params![seq, secs(at)])?;
    }
    Ok(())
}

impl People for SqliteStore {
    fn staff_accounts(&self) -> Result<Vec<StaffAccount>> {
        let accounts = self
            .conn
            .prepare_cached(
                "SELECT name, role, failures, locked_until, must_change FROM staff ORDER BY name",
            )?
            .query_map([], |r| {
                Ok(StaffAccount {
                    name: r.get(0)?,
                    role: super::parse_code(&r.get::<_, String>(1)?)?,
                    failures: r.get(2)?,
                    locked_until: r.get::<_, Option<i64>>(3)?.map(from_secs).transpose()?,
                    must_change: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(accounts)
    }

    fn sign_in(
        &mut self,
        name: &str,
        password: &str,
        terminal: &str,
        at: DateTime<Utc>,
    ) -> Result<Session> {
        type Row = (String, String, String, u32, Option<i64>, bool);
        let row: Option<Row> = self
            .conn
            .prepare_cached(
                "SELECT name, role, password_hash, failures, locked_until, must_change \
                 FROM staff WHERE name = ?1",
            )?
            .query_row([name.trim()], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })
            .optional()?;
        let key = crate::store::audit_keys::writing_key(&self.keys)?;
        let Some((name, role, hash, failures, locked_until, must_change)) = row else {
            // An unknown name is recorded without it: people type passwords into name fields.
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let entry = append(
                &tx,
                &key,
                "unknown",
                "none",
                terminal,
                AuditAction::SignInFailed,
                None,
                &[],
                at,
            )?;
            tx.commit()?;
            self.keys.record_head(&entry);
            return Err(StoreError::SignInRefused);
        };
        let role: Role = super::parse_code(&role)?;
        // The password is checked (about 50 ms of Argon2) before the write lock is taken.
        let decision = decide_sign_in(
            failures,
            locked_until.map(from_secs).transpose()?,
            at,
            || verify_password(password, &hash),
        );
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (action, outcome) = match decision {
            SignIn::Accepted => {
                tx.execute(
                    "UPDATE staff SET failures = 0, locked_until = NULL WHERE name = ?1",
                    [&name],
                )?;
                (
                    AuditAction::SignIn,
                    Ok(Session {
                        staff: name.clone(),
                        role,
                        must_change_password: must_change,
                    }),
                )
            }
            SignIn::Refused {
                failures,
                locked_until,
            } => {
                tx.execute(
                    "UPDATE staff SET failures = ?2, locked_until = ?3 WHERE name = ?1",
                    params![name, failures, locked_until.map(secs)],
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
                    failures,
                    until: rome_time(until),
                }),
            ),
        };
        let entry = append(
            &tx,
            &key,
            &name,
            role.code(),
            terminal,
            action,
            Some(&name),
            &[],
            at,
        )?;
        tx.commit()?;
        self.keys.record_head(&entry);
        outcome
    }

    fn audit_trail(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<AuditEntry>> {
        let (start, _) = rome_day_bounds(from);
        let (_, end) = rome_day_bounds(to);
        let entries = self
            .conn
            .prepare_cached(&format!(
                "SELECT {ENTRY_COLUMNS} FROM audit WHERE at >= ?1 AND at < ?2 ORDER BY seq"
            ))?
            .query_map(params![secs(start), secs(end)], entry_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(entries)
    }

    fn verify_audit(&self) -> Result<i64> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {ENTRY_COLUMNS} FROM audit ORDER BY seq"))?;
        let entries: Vec<AuditEntry> = stmt
            .query_map([], entry_from_row)?
            .collect::<rusqlite::Result<_>>()?;
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
            .conn
            .prepare_cached("SELECT value FROM setting WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?)
    }

    fn export_visitor(&self, id: Uuid) -> Result<VisitorRecord> {
        let seqs = person_records(&self.conn, id)?;
        let mut records = Vec::new();
        let mut accesses = Vec::new();
        let mut ids = Vec::new();
        for &seq in &seqs {
            let (visitor, legacy_ref, created_at, merged_into, anonymised_at) = self
                .conn
                .prepare_cached(
                    "SELECT v.*, (SELECT id FROM visitor p WHERE p.seq = v.merged_into) AS root_id \
                     FROM visitor v WHERE v.seq = ?1",
                )?
                .query_row([seq], |r| {
                    Ok((
                        visitor_from_row(r)?,
                        r.get::<_, Option<String>>("legacy_ref")?,
                        from_secs(r.get("created_at")?)?,
                        r.get::<_, Option<String>>("root_id")?
                            .map(|s| parse_uuid(&s))
                            .transpose()?,
                        r.get::<_, Option<i64>>("anonymised_at")?
                            .map(from_secs)
                            .transpose()?,
                    ))
                })?;
            ids.push(visitor.id.to_string());
            let visitor_id = visitor.id;
            records.push(HeldVisitor {
                visitor,
                legacy_ref,
                created_at,
                merged_into,
                anonymised_at,
            });
            let mut stmt = self.conn.prepare_cached(
                "SELECT seq, id, arrived_at, channel, service, queue, first_time, priority, \
                 override_reason, source, staff FROM access WHERE visitor_seq = ?1 ORDER BY arrived_at",
            )?;
            let rows: Vec<(i64, HeldAccess)> = stmt
                .query_map([seq], |r| {
                    let channel: Channel = parse_code(&r.get::<_, String>(3)?)?;
                    let queue: Queue = parse_code(&r.get::<_, String>(5)?)?;
                    Ok((
                        r.get(0)?,
                        HeldAccess {
                            id: parse_uuid(&r.get::<_, String>(1)?)?,
                            visitor_id,
                            arrived_at: from_secs(r.get(2)?)?,
                            channel,
                            service: r.get(4)?,
                            queue,
                            first_time: r.get(6)?,
                            priority: r.get(7)?,
                            override_reason: r.get(8)?,
                            source: r.get(9)?,
                            staff: r.get(10)?,
                            tickets: Vec::new(),
                        },
                    ))
                })?
                .collect::<rusqlite::Result<_>>()?;
            for (access_seq, mut access) in rows {
                let tickets: Vec<(i64, HeldTicket)> = self
                    .conn
                    .prepare_cached(
                        "SELECT seq, day, queue, number, state, desk FROM ticket \
                         WHERE access_seq = ?1 ORDER BY seq",
                    )?
                    .query_map([access_seq], |r| {
                        let ticket = Ticket {
                            queue: parse_code(&r.get::<_, String>(2)?)?,
                            number: r.get(3)?,
                        };
                        Ok((
                            r.get(0)?,
                            HeldTicket {
                                day: parse_day(&r.get::<_, String>(1)?)?,
                                ticket: ticket.to_string(),
                                state: r.get(4)?,
                                desk: r.get(5)?,
                                events: Vec::new(),
                            },
                        ))
                    })?
                    .collect::<rusqlite::Result<_>>()?;
                for (ticket_seq, mut ticket) in tickets {
                    ticket.events = self
                        .conn
                        .prepare_cached(
                            "SELECT at, event, desk, staff FROM ticket_event \
                             WHERE ticket_seq = ?1 ORDER BY seq",
                        )?
                        .query_map([ticket_seq], |r| {
                            Ok(HeldEvent {
                                at: from_secs(r.get(0)?)?,
                                event: r.get(1)?,
                                desk: r.get(2)?,
                                staff: r.get(3)?,
                            })
                        })?
                        .collect::<rusqlite::Result<_>>()?;
                    access.tickets.push(ticket);
                }
                accesses.push(access);
            }
        }
        accesses.sort_by_key(|a| a.arrived_at);
        let mut audit = Vec::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT at, action, role, terminal, fields FROM audit WHERE record = ?1 ORDER BY seq",
        )?;
        for id in &ids {
            audit.extend(
                stmt.query_map([id], |r| {
                    Ok(HeldAudit {
                        at: from_secs(r.get(0)?)?,
                        action: r.get(1)?,
                        role: r.get(2)?,
                        terminal: r.get(3)?,
                        fields: field_names(&r.get::<_, String>(4)?),
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?,
            );
        }
        audit.sort_by_key(|a| a.at);
        Ok(VisitorRecord {
            records,
            accesses,
            audit,
            appointments: super::appointments::bookings_of(&self.conn, &seqs)?,
        })
    }

    fn due_for_purge(&self, cutoff: DateTime<Utc>) -> Result<Vec<Uuid>> {
        // The search reads every visitor (seconds on a ten-year register): it runs as a read,
        // so terminals keep registering meanwhile; the write lock is taken for the few found,
        // each checked again under it (someone may have come back in between).
        let ids: Vec<String> = self
            .conn
            .prepare(&format!("SELECT p.id FROM visitor p WHERE {DUE}"))?
            .query_map([secs(cutoff)], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids
            .iter()
            .map(|id| parse_uuid(id))
            .collect::<rusqlite::Result<_>>()?)
    }
}

impl PeopleWork for SqliteTx<'_> {
    fn create_staff(
        &mut self,
        name: &str,
        role: Role,
        hash: &PasswordHash,
        first_admin: bool,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let name = validate_staff_name(name)?;
        if role == Role::System {
            return Err(FieldError::new("role", "system is not an account's role").into());
        }
        let tx = &self.tx;
        let accounts: i64 = tx.query_row("SELECT count(*) FROM staff", [], |r| r.get(0))?;
        if first_admin && (accounts > 0 || role != Role::Admin) {
            return Err(FieldError::new(
                "name",
                "accounts exist already: an administrator creates new ones",
            )
            .into());
        }
        let taken: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM staff WHERE name = ?1)",
            [&name],
            |r| r.get(0),
        )?;
        if taken {
            return Err(FieldError::new("name", format!("'{name}' is taken")).into());
        }
        tx.execute(
            "INSERT INTO staff (name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![name, role.code(), hash.0, secs(at)],
        )?;
        Ok(())
    }

    fn set_password(&mut self, name: &str, hash: &PasswordHash, must_change: bool) -> Result<()> {
        let changed = self.tx.execute(
            "UPDATE staff SET password_hash = ?2, must_change = ?3, failures = 0, \
             locked_until = NULL WHERE name = ?1",
            params![name.trim(), hash.0, must_change],
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound(format!("no account '{name}'")));
        }
        Ok(())
    }

    fn set_role(&mut self, name: &str, role: Role) -> Result<()> {
        if role == Role::System {
            return Err(FieldError::new("role", "system is not an account's role").into());
        }
        let changed = self.tx.execute(
            "UPDATE staff SET role = ?2 WHERE name = ?1",
            params![name.trim(), role.code()],
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound(format!("no account '{name}'")));
        }
        Ok(())
    }

    fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.tx.execute(
            "INSERT INTO setting (key, value) VALUES (?1, ?2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
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
            &self.tx,
            &key,
            &by.staff,
            by.role.code(),
            &by.terminal,
            action,
            record,
            fields,
            at,
        )?;
        self.head = Some(entry);
        Ok(())
    }

    fn erase_visitor(&mut self, id: Uuid, at: DateTime<Utc>) -> Result<u64> {
        let records = person_records(&self.tx, id)?;
        anonymise(&self.tx, &records, at)?;
        self.erased = true;
        Ok(records.len() as u64)
    }

    fn purge(
        &mut self,
        due: &[Uuid],
        cutoff: DateTime<Utc>,
        at: DateTime<Utc>,
        progress: &mut dyn Progress,
    ) -> Result<u64> {
        let started = std::time::Instant::now();
        let tx = &self.tx;
        // Bookings of people who never came (cancelled, no-show) hold names no visitor record
        // does: past the same period, they keep the slot and the figures, not the person.
        tx.prepare_cached(
            "UPDATE appointment SET family_name = '', given_name = '', birth_date = NULL, \
             phone = NULL WHERE visitor_seq IS NULL AND start_at < ?1 AND family_name != ''",
        )?
        .execute([secs(cutoff)])?;
        let mut purged = 0;
        progress.stage("anonymising", Some(due.len() as u64));
        for (done, id) in due.iter().enumerate() {
            progress.set(done as u64);
            let still_due: bool = tx
                .prepare_cached(&format!(
                    "SELECT EXISTS (SELECT 1 FROM visitor p WHERE p.id = ?2 AND {DUE})"
                ))?
                .query_row(params![secs(cutoff), id.to_string()], |r| r.get(0))?;
            if still_due {
                let records = person_records(tx, *id)?;
                anonymise(tx, &records, at)?;
                purged += 1;
            }
        }
        self.erased = true;
        tracing::info!(
            ms = started.elapsed().as_millis() as u64,
            anonymised = purged,
            "retention purge"
        );
        Ok(purged)
    }
}
