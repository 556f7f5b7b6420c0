//! Keeping the register: backups and restores, imports, the demo, the start-up check.

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};

use super::allowed;
use crate::domain::audit::AuditAction;
use crate::domain::staff::Permission;
use crate::progress::Progress;
use crate::store::backup::{Daily, take_daily};
use crate::store::{
    ImportSummary, LegacyAccess, Location, Principal, Restored, Result, Store, SyntheticDay, write,
};

/// Write a backup of the register to the new file `dest`, and record it.
pub fn backup(
    store: &mut dyn Store,
    by: &Principal,
    dest: &Path,
    progress: &mut dyn Progress,
    now: DateTime<Utc>,
) -> Result<()> {
    allowed(by, Permission::Backup)?;
    if dest.exists() {
        return Err(crate::domain::visitor::FieldError::new(
            "dest",
            format!("{}: already exists; choose a new name", dest.display()),
        )
        .into());
    }
    store.backup_to_with(dest, progress)?;
    write(store, |tx| {
        tx.audit(
            by,
            AuditAction::Backup,
            Some(&dest.display().to_string()),
            &[],
            now,
        )
    })
}

/// The day's backup into `folder`, at a terminal's first start of the day, keeping `keep`.
pub fn daily_backup(
    store: &mut dyn Store,
    folder: &Path,
    day: NaiveDate,
    keep: usize,
) -> Result<Daily> {
    take_daily(store, folder, day, keep)
}

/// Replace the register at `location` with the backup `src`, and record it in the
/// restored register's trail. Whether a register may be replaced at all (`--force`) is
/// the caller's question to ask first (`has_register`); a server asks it again under its
/// lock and refuses without `force`.
pub fn restore(
    location: &Location,
    by: &Principal,
    src: &Path,
    force: bool,
    keep_folder: &Path,
    progress: &mut dyn Progress,
    now: DateTime<Utc>,
) -> Result<Restored> {
    allowed(by, Permission::Backup)?;
    let restored =
        crate::store::location::restore(location, src, force, keep_folder, now, progress)?;
    let mut store = crate::store::open(location)?;
    write(&mut *store, |tx| {
        tx.audit(
            by,
            AuditAction::Restore,
            Some(&src.display().to_string()),
            &[],
            now,
        )
    })?;
    Ok(restored)
}

/// Import a legacy register, all or nothing, with its audit entry in the same transaction.
pub fn import(
    store: &mut dyn Store,
    by: &Principal,
    rows: &[LegacyAccess],
    source: &str,
    progress: &mut dyn Progress,
    now: DateTime<Utc>,
) -> Result<ImportSummary> {
    allowed(by, Permission::Import)?;
    write(store, |tx| {
        let summary = tx.import_accesses(rows, now, progress)?;
        tx.audit(by, AuditAction::Import, Some(source), &[], now)?;
        Ok(summary)
    })
}

/// Load synthetic traffic (for trying the program and for benchmarks); visitors and
/// accesses loaded. Synthetic people are nobody: no audit entry.
pub fn demo(
    store: &mut dyn Store,
    by: &Principal,
    days: &mut dyn Iterator<Item = SyntheticDay>,
    progress: &mut dyn Progress,
) -> Result<(u64, u64)> {
    allowed(by, Permission::Import)?;
    store.load_synthetic_with(days, "demo", progress)
}

/// The page-by-page check of the register, after opening.
pub fn check(store: &mut dyn Store) -> Result<()> {
    store.check()
}

/// Whether `location` holds a register a restore would replace.
pub fn has_register(location: &Location) -> Result<bool> {
    crate::store::location::holds_register(location)
}

/// Check a backup file without opening any register; its visitors and accesses.
pub fn check_backup(src: &Path) -> Result<(u64, u64)> {
    crate::store::location::check_backup(src)
}
