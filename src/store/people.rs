//! Staff and the audit trail, the people's rights over their records (access, erasure,
//! retention), and the register's settings.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::{Principal, Result, StaffAccount, VisitorRecord};
use crate::domain::audit::{AuditAction, AuditEntry};
use crate::domain::staff::{Role, Session};
use crate::progress::Progress;

/// Reading staff, the trail and the settings.
pub trait People {
    /// Staff accounts, by name.
    fn staff_accounts(&self) -> Result<Vec<StaffAccount>>;

    /// Sign in from `terminal`: six failures in a row lock the account for 30 minutes. Every
    /// attempt is audited, in the transaction that records its outcome. A transaction of its
    /// own: the password is checked (about 50 ms of Argon2) before the write lock is taken,
    /// and of two wrong attempts at once each counts.
    fn sign_in(
        &mut self,
        name: &str,
        password: &str,
        terminal: &str,
        at: DateTime<Utc>,
    ) -> Result<Session>;

    /// The audit trail of Europe/Rome days `from..=to`, oldest first.
    fn audit_trail(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<AuditEntry>>;

    /// Check the whole trail's chain; the number of entries checked.
    fn verify_audit(&self) -> Result<i64>;

    fn setting(&self, key: &str) -> Result<Option<String>>;

    /// Everything held about the person of visitor `id` (all their records).
    fn export_visitor(&self, id: Uuid) -> Result<VisitorRecord>;

    /// The people whose last access is before `cutoff` (surviving records, not yet
    /// anonymised): what a retention purge would take. A plain read, so that terminals keep
    /// registering while a ten-year register is scanned.
    fn due_for_purge(&self, cutoff: DateTime<Utc>) -> Result<Vec<Uuid>>;
}

/// A password as stored: the PHC string of its Argon2 hash (never the password).
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(pub String);

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash(..)")
    }
}

/// The writing half, inside a [`super::Tx`].
pub trait PeopleWork {
    /// Create an account with an already hashed password (hashing takes 50 ms and must not
    /// hold the write lock). `first_admin`: the first start's administrator, allowed only
    /// while there is no account at all, checked in the transaction: of two first starts
    /// racing, the second is refused.
    fn create_staff(
        &mut self,
        name: &str,
        role: Role,
        hash: &PasswordHash,
        first_admin: bool,
        at: DateTime<Utc>,
    ) -> Result<()>;

    /// Set an account's password; `must_change` after an administrator's reset. Unlocks it.
    /// `StoreError::NotFound` when no row changed.
    fn set_password(&mut self, name: &str, hash: &PasswordHash, must_change: bool) -> Result<()>;

    /// `StoreError::NotFound` when no row changed.
    fn set_role(&mut self, name: &str, role: Role) -> Result<()>;

    fn set_setting(&mut self, key: &str, value: &str) -> Result<()>;

    /// Append to the audit trail (chained; see `domain::audit`). Entries are numbered in
    /// the transaction: two terminals auditing at once are serialised, and the chain holds.
    fn audit(
        &mut self,
        by: &Principal,
        action: AuditAction,
        record: Option<&str>,
        fields: &[&str],
        at: DateTime<Utc>,
    ) -> Result<()>;

    /// Erase the personal data of the person of visitor `id` (all their records): the
    /// records become anonymous; accesses and every figure of every report stay as they
    /// were. Returns the records anonymised. Idempotent.
    fn erase_visitor(&mut self, id: Uuid, at: DateTime<Utc>) -> Result<u64>;

    /// Anonymise those of `due` (from [`People::due_for_purge`]) still due under the
    /// write lock (someone may have come back since the scan), and the names of bookings
    /// of people who never came, older than `cutoff`. Returns how many people.
    fn purge(
        &mut self,
        due: &[Uuid],
        cutoff: DateTime<Utc>,
        at: DateTime<Utc>,
        progress: &mut dyn Progress,
    ) -> Result<u64>;
}
