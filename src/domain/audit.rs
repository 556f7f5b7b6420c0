//! The audit trail: who did what to which record, when and from where; the names of changed
//! fields, never their values. Entries are chained with HMAC-SHA256: each entry's MAC covers
//! the previous MAC, so editing, inserting or deleting an entry breaks the chain from there
//! on, and only someone holding the key could forge a new one.

use std::fmt;

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;

/// What was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuditAction {
    SignIn,
    SignOut,
    SignInFailed,
    /// The terminal locked (idle or shortcut).
    Lock,
    Search,
    OpenCard,
    Create,
    Update,
    Merge,
    UndoMerge,
    Export,
    Erase,
    StaffCreate,
    RoleChange,
    PasswordReset,
    PasswordChange,
    Purge,
    Backup,
    Restore,
    Import,
    Report,
}

impl AuditAction {
    pub fn code(self) -> &'static str {
        use AuditAction::*;
        match self {
            SignIn => "sign-in",
            SignOut => "sign-out",
            SignInFailed => "sign-in-failed",
            Lock => "lock",
            Search => "search",
            OpenCard => "open-card",
            Create => "create",
            Update => "update",
            Merge => "merge",
            UndoMerge => "undo-merge",
            Export => "export",
            Erase => "erase",
            StaffCreate => "staff-create",
            RoleChange => "role-change",
            PasswordReset => "password-reset",
            PasswordChange => "password-change",
            Purge => "purge",
            Backup => "backup",
            Restore => "restore",
            Import => "import",
            Report => "report",
        }
    }
}

impl fmt::Display for AuditAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One entry of the trail, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: DateTime<Utc>,
    /// The member of staff (or `os:USER` for the command line).
    pub staff: String,
    pub role: String,
    /// Which terminal or command (`terminal:HOST`, `cli:HOST`).
    pub terminal: String,
    pub action: String,
    /// The record acted on: a visitor id, an access id, a staff name, a merge number.
    pub record: Option<String>,
    /// Names of the fields changed or exported, never their values.
    pub fields: Vec<String>,
    /// HMAC-SHA256 over the previous MAC and this entry, hex.
    pub mac: String,
}

/// The MAC of the entry before the first.
pub const GENESIS: &str = "welcome-desk audit trail";

type HmacSha256 = Hmac<Sha256>;

/// The bytes an entry's MAC covers: every field, separated by a character no field may hold.
fn canonical(entry: &AuditEntry) -> String {
    const SEP: char = '\u{1F}';
    let text = |s: &str| s.replace(SEP, " ");
    format!(
        "{}{SEP}{}{SEP}{}{SEP}{}{SEP}{}{SEP}{}{SEP}{}{SEP}{}",
        entry.seq,
        entry.at.timestamp(),
        text(&entry.staff),
        text(&entry.role),
        text(&entry.terminal),
        text(&entry.action),
        entry.record.as_deref().map(text).unwrap_or_default(),
        text(&entry.fields.join(",")),
    )
}

/// The MAC of `entry` following `previous` (the previous entry's MAC, or `GENESIS`).
pub fn mac(key: &[u8], previous: &str, entry: &AuditEntry) -> String {
    let mut m = match HmacSha256::new_from_slice(key) {
        Ok(m) => m,
        // HMAC takes keys of any length; this cannot fail.
        Err(_) => return String::new(),
    };
    m.update(previous.as_bytes());
    m.update(b"\x1e");
    m.update(canonical(entry).as_bytes());
    hex(&m.finalize().into_bytes())
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Where and why the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    #[error("entry {expected} is missing (the next one is {found}): entries were deleted")]
    Missing { expected: i64, found: i64 },
    #[error("entry {0} does not match its MAC: it was edited, or entries before it were")]
    Altered(i64),
    #[error(
        "the trail ends at entry {last}, but entry {anchored} was recorded: entries at the end were deleted"
    )]
    Truncated { last: i64, anchored: i64 },
    #[error("entry {0} differs from the one recorded beside the register")]
    AnchorMismatch(i64),
}

/// Check a whole trail, in order, against `key`; `anchor` is an entry known to exist (seq
/// and MAC recorded outside the database), which catches deletions at the end. Returns the
/// number of entries checked.
pub fn verify(
    entries: impl IntoIterator<Item = AuditEntry>,
    key: &[u8],
    anchor: Option<(i64, String)>,
) -> Result<i64, ChainBreak> {
    let mut previous = GENESIS.to_string();
    let mut expected = 1;
    for entry in entries {
        if entry.seq != expected {
            return Err(ChainBreak::Missing {
                expected,
                found: entry.seq,
            });
        }
        if mac(key, &previous, &entry) != entry.mac {
            return Err(ChainBreak::Altered(entry.seq));
        }
        if let Some((seq, anchored)) = &anchor
            && *seq == entry.seq
            && *anchored != entry.mac
        {
            return Err(ChainBreak::AnchorMismatch(entry.seq));
        }
        previous = entry.mac;
        expected += 1;
    }
    let last = expected - 1;
    if let Some((anchored, _)) = anchor
        && anchored > last
    {
        return Err(ChainBreak::Truncated { last, anchored });
    }
    Ok(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(key: &[u8], n: i64) -> Vec<AuditEntry> {
        let mut previous = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let mut e = AuditEntry {
                    seq,
                    at: DateTime::from_timestamp(1_750_000_000 + seq * 60, 0).unwrap(),
                    staff: "amina".into(),
                    role: "reception".into(),
                    terminal: "terminal:front-1".into(),
                    action: "search".into(),
                    record: Some(format!("visitor-{seq}")),
                    fields: vec![],
                    mac: String::new(),
                };
                e.mac = mac(key, &previous, &e);
                previous = e.mac.clone();
                e
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_verifies() {
        let c = chain(b"key", 5);
        let anchor = Some((5, c[4].mac.clone()));
        assert_eq!(verify(c, b"key", anchor), Ok(5));
    }

    #[test]
    fn an_edit_a_deletion_or_a_cut_end_is_found() {
        let mut edited = chain(b"key", 5);
        edited[2].staff = "someone else".into();
        assert_eq!(verify(edited, b"key", None), Err(ChainBreak::Altered(3)));

        let mut deleted = chain(b"key", 5);
        deleted.remove(1);
        assert_eq!(
            verify(deleted, b"key", None),
            Err(ChainBreak::Missing {
                expected: 2,
                found: 3
            })
        );

        // Renumbering after a deletion does not help: the MACs no longer follow.
        let mut renumbered = chain(b"key", 5);
        renumbered.remove(1);
        for (i, e) in renumbered.iter_mut().enumerate() {
            e.seq = i as i64 + 1;
        }
        assert_eq!(
            verify(renumbered, b"key", None),
            Err(ChainBreak::Altered(2))
        );

        let full = chain(b"key", 5);
        let anchor = Some((5, full[4].mac.clone()));
        let cut: Vec<_> = full.into_iter().take(3).collect();
        assert_eq!(
            verify(cut, b"key", anchor),
            Err(ChainBreak::Truncated {
                last: 3,
                anchored: 5
            })
        );

        // Without the key, a rewritten chain does not verify.
        assert_eq!(
            verify(chain(b"forged", 3), b"key", None),
            Err(ChainBreak::Altered(1))
        );
    }
}
