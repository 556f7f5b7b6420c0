//! Staff accounts, signing in, and the register's settings.

use chrono::{DateTime, Utc};

use super::allowed;
use crate::domain::audit::AuditAction;
use crate::domain::staff::{Permission, Role, Session};
use crate::domain::visitor::FieldError;
use crate::store::passwords::hash_new;
use crate::store::retention::{self, IDLE_SETTING, RETENTION_SETTING};
use crate::store::{Principal, Result, StaffAccount, Store, write};

/// What a terminal's sign-in screen needs before anyone signs in: how many accounts exist
/// (none: the first start asks for an administrator) and the idle-lock minutes.
pub fn gate(store: &mut dyn Store) -> Result<(usize, u32)> {
    Ok((
        store.staff_accounts()?.len(),
        retention::idle_lock_minutes(store)?,
    ))
}

/// The first start's administrator, created and signed in; refused once any account
/// exists (checked in the transaction that creates it).
pub fn create_first_admin(
    store: &mut dyn Store,
    name: &str,
    password: &str,
    terminal: &str,
    now: DateTime<Utc>,
) -> Result<Session> {
    let hash = hash_new(password)?;
    let first = Principal {
        staff: name.trim().to_string(),
        role: Role::Admin,
        terminal: terminal.to_string(),
    };
    write(store, |tx| {
        tx.create_staff(name, Role::Admin, &hash, true, now)?;
        tx.audit(
            &first,
            AuditAction::StaffCreate,
            Some(name.trim()),
            &["role"],
            now,
        )
    })?;
    store.sign_in(name, password, terminal, now)
}

/// Sign in from `terminal` (every attempt is audited by the store, with its outcome).
pub fn sign_in(
    store: &mut dyn Store,
    name: &str,
    password: &str,
    terminal: &str,
    now: DateTime<Utc>,
) -> Result<Session> {
    store.sign_in(name, password, terminal, now)
}

/// Record what a signed-in person did at the terminal itself (signing out, locking).
pub fn record(
    store: &mut dyn Store,
    by: &Principal,
    action: AuditAction,
    now: DateTime<Utc>,
) -> Result<()> {
    write(store, |tx| tx.audit(by, action, Some(&by.staff), &[], now))
}

/// `by` chooses a new password of their own.
pub fn change_own_password(
    store: &mut dyn Store,
    by: &Principal,
    password: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let hash = hash_new(password)?;
    write(store, |tx| {
        tx.set_password(&by.staff, &hash, false)?;
        tx.audit(
            by,
            AuditAction::PasswordChange,
            Some(&by.staff),
            &["password"],
            now,
        )
    })
}

pub fn accounts(store: &mut dyn Store, by: &Principal) -> Result<Vec<StaffAccount>> {
    allowed(by, Permission::ManageStaff)?;
    store.staff_accounts()
}

pub fn create(
    store: &mut dyn Store,
    by: &Principal,
    name: &str,
    role: Role,
    password: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    allowed(by, Permission::ManageStaff)?;
    let hash = hash_new(password)?;
    write(store, |tx| {
        tx.create_staff(name, role, &hash, false, now)?;
        tx.audit(by, AuditAction::StaffCreate, Some(name), &["role"], now)
    })
}

/// An administrator's reset: the account must choose a new password at its next sign-in.
pub fn reset_password(
    store: &mut dyn Store,
    by: &Principal,
    name: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    allowed(by, Permission::ManageStaff)?;
    let hash = hash_new(password)?;
    write(store, |tx| {
        tx.set_password(name, &hash, true)?;
        tx.audit(
            by,
            AuditAction::PasswordReset,
            Some(name),
            &["password"],
            now,
        )
    })
}

pub fn set_role(
    store: &mut dyn Store,
    by: &Principal,
    name: &str,
    role: Role,
    now: DateTime<Utc>,
) -> Result<()> {
    allowed(by, Permission::ManageStaff)?;
    write(store, |tx| {
        tx.set_role(name, role)?;
        tx.audit(by, AuditAction::RoleChange, Some(name), &["role"], now)
    })
}

/// The register's settings a person may change, and their ranges.
pub const SETTINGS: [(&str, std::ops::RangeInclusive<u32>); 2] =
    [(RETENTION_SETTING, 1..=240), (IDLE_SETTING, 1..=60)];

/// A setting's current value (its default when never set).
pub fn setting(store: &mut dyn Store, key: &str) -> Result<u32> {
    match key {
        RETENTION_SETTING => Ok(retention::retention_months(store)?
            .map_err(|e| FieldError::new(RETENTION_SETTING, e))?),
        IDLE_SETTING => retention::idle_lock_minutes(store),
        other => Err(unknown(other).into()),
    }
}

fn unknown(key: &str) -> FieldError {
    FieldError::new(
        "setting",
        format!("'{key}' is not a setting ({RETENTION_SETTING}, {IDLE_SETTING})"),
    )
}

/// Change a setting, within its range.
pub fn set_setting(
    store: &mut dyn Store,
    by: &Principal,
    key: &str,
    value: u32,
    now: DateTime<Utc>,
) -> Result<()> {
    allowed(by, Permission::Settings)?;
    let (name, range) = SETTINGS
        .iter()
        .find(|(k, _)| *k == key)
        .ok_or_else(|| unknown(key))?;
    if !range.contains(&value) {
        return Err(FieldError::new(
            name,
            format!("{value} is out of range (retention_months 1-240, idle_lock_minutes 1-60)"),
        )
        .into());
    }
    write(store, |tx| {
        tx.set_setting(key, &value.to_string())?;
        tx.audit(by, AuditAction::Update, Some(key), &[key], now)
    })
}
