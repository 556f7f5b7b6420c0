//! The records: reports, the audit trail, and the people's rights over their data (access,
//! erasure, retention), and merges of two records of one person.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::allowed;
use crate::domain::audit::{AuditAction, AuditEntry};
use crate::domain::staff::{Permission, Role};
use crate::domain::tally::Report;
use crate::progress::{Progress, Silent};
use crate::store::retention::{self, ERASED_FIELDS};
use crate::store::{Principal, Result, Store, VisitorRecord, write};

/// The figures of Rome days `from..=to`.
pub fn report(
    store: &mut dyn Store,
    by: &Principal,
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Report> {
    allowed(by, Permission::Reports)?;
    let report = crate::report::report(store, from, to)?;
    write(store, |tx| {
        tx.audit(
            by,
            AuditAction::Report,
            Some(&format!("{from}..{to}")),
            &[],
            now,
        )
    })?;
    Ok(report)
}

/// Record that `what` (a report's or the trail's figures, never a person's) was written
/// to a file. The caller writes the file first: an export that failed is not recorded.
pub fn exported(
    store: &mut dyn Store,
    by: &Principal,
    what: &str,
    needed: Permission,
    now: DateTime<Utc>,
) -> Result<()> {
    allowed(by, needed)?;
    write(store, |tx| {
        tx.audit(by, AuditAction::Export, Some(what), &[], now)
    })
}

/// The audit trail of Rome days `from..=to`, to read on screen.
pub fn trail(
    store: &mut dyn Store,
    by: &Principal,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<AuditEntry>> {
    allowed(by, Permission::ReadAudit)?;
    store.audit_trail(from, to)
}

/// The audit trail of Rome days `from..=to`, to take away: recorded as exported.
pub fn export_trail(
    store: &mut dyn Store,
    by: &Principal,
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<AuditEntry>> {
    allowed(by, Permission::ReadAudit)?;
    let entries = store.audit_trail(from, to)?;
    let what = if from == to {
        format!("audit {from}")
    } else {
        format!("audit {from}..{to}")
    };
    write(store, |tx| {
        tx.audit(by, AuditAction::Export, Some(&what), &[], now)
    })?;
    Ok(entries)
}

/// Check the trail's chain; the number of entries.
pub fn verify_trail(store: &mut dyn Store, by: &Principal) -> Result<i64> {
    allowed(by, Permission::ReadAudit)?;
    store.verify_audit()
}

/// Everything held about the person of visitor `id` (the person's right of access),
/// recorded as exported before it is returned.
pub fn export_visitor(
    store: &mut dyn Store,
    by: &Principal,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<VisitorRecord> {
    allowed(by, Permission::AccessRequest)?;
    write(store, |tx| {
        tx.audit(by, AuditAction::Export, Some(&id.to_string()), &[], now)
    })?;
    store.export_visitor(id)
}

/// Erase the personal data of the person of visitor `id`; the records anonymised.
pub fn erase(store: &mut dyn Store, by: &Principal, id: Uuid, now: DateTime<Utc>) -> Result<u64> {
    allowed(by, Permission::Erase)?;
    write(store, |tx| {
        let records = tx.erase_visitor(id, now)?;
        tx.audit(
            by,
            AuditAction::Erase,
            Some(&id.to_string()),
            &ERASED_FIELDS,
            now,
        )?;
        Ok(records)
    })
}

/// `from` and `into` are one person; the merge's number, for the undo.
pub fn merge(
    store: &mut dyn Store,
    by: &Principal,
    from: Uuid,
    into: Uuid,
    now: DateTime<Utc>,
) -> Result<i64> {
    allowed(by, Permission::Merge)?;
    write(store, |tx| {
        let merge = tx.merge_visitors(from, into, &by.staff, now)?;
        tx.audit(
            by,
            AuditAction::Merge,
            Some(&from.to_string()),
            &["merged_into"],
            now,
        )?;
        Ok(merge)
    })
}

pub fn undo_merge(
    store: &mut dyn Store,
    by: &Principal,
    merge: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    allowed(by, Permission::Merge)?;
    write(store, |tx| {
        tx.undo_merge(merge, &by.staff, now)?;
        tx.audit(
            by,
            AuditAction::UndoMerge,
            Some(&merge.to_string()),
            &["merged_into"],
            now,
        )
    })
}

/// What a purge did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    pub anonymised: u64,
    pub months: u32,
    pub cutoff: DateTime<Utc>,
}

/// Anonymise everyone last seen more than `months` (the register's retention setting when
/// `None`) before `now`. The scan is a read; the anonymising and its audit entry are one
/// transaction. Recorded even when nobody was due: someone asked.
pub fn purge(
    store: &mut dyn Store,
    by: &Principal,
    months: Option<u32>,
    progress: &mut dyn Progress,
    now: DateTime<Utc>,
) -> Result<Purged> {
    purge_recorded(store, by, months, progress, now, true)
}

fn purge_recorded(
    store: &mut dyn Store,
    by: &Principal,
    months: Option<u32>,
    progress: &mut dyn Progress,
    now: DateTime<Utc>,
    even_if_none: bool,
) -> Result<Purged> {
    allowed(by, Permission::Purge)?;
    let months = match months {
        Some(m) => m,
        None => retention::retention_months(store)?
            .map_err(|e| crate::domain::visitor::FieldError::new("retention_months", e))?,
    };
    let cutoff = retention::cutoff(months, now);
    progress.stage("finding", None);
    let due = store.due_for_purge(cutoff)?;
    let anonymised = write(store, |tx| {
        let anonymised = tx.purge(&due, cutoff, now, progress)?;
        if anonymised > 0 || even_if_none {
            tx.audit(
                by,
                AuditAction::Purge,
                Some(&format!("last access before {}", cutoff.date_naive())),
                &ERASED_FIELDS,
                now,
            )?;
        }
        progress.stage("writing", None);
        Ok(anonymised)
    })?;
    Ok(Purged {
        anonymised,
        months,
        cutoff,
    })
}

/// The setting recording the Rome day retention last ran from a terminal.
const RETENTION_DAY_SETTING: &str = "retention_checked_on";

/// The purge a terminal runs at its first start of the day, as the system (the period is
/// counted in months, so more often changes nothing). How many it anonymised.
pub fn daily_retention(store: &mut dyn Store, terminal: &str, now: DateTime<Utc>) -> Result<u64> {
    let today = crate::domain::hours::rome_day(now).to_string();
    if store.setting(RETENTION_DAY_SETTING)?.as_deref() == Some(today.as_str()) {
        return Ok(0);
    }
    let by = Principal {
        staff: "retention".into(),
        role: Role::System,
        terminal: terminal.to_string(),
    };
    // A daily check that found nobody is not worth an entry a day.
    let purged = purge_recorded(store, &by, None, &mut Silent, now, false)?;
    write(store, |tx| tx.set_setting(RETENTION_DAY_SETTING, &today))?;
    Ok(purged.anonymised)
}
