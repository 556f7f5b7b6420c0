//! Where the audit trail's key comes from.
//!
//! The trail is chained with an HMAC whose key is not in the database, so a copy of the
//! database alone cannot forge entries. On a single PC the key is a file beside the
//! register, made at the first entry; a site with a server gives every PC the same key
//! file, installed by the administrator.

use std::path::{Path, PathBuf};

use super::{Result, StoreError};
use crate::domain::audit::AuditEntry;

const KEY_BYTES: usize = 32;

pub trait AuditKeys: Send + Sync {
    /// The key; `create`: make one when there is none yet (the first entry of a register).
    fn key(&self, create: bool) -> Result<Option<Vec<u8>>>;

    /// Record the newest entry outside the database, so that `audit verify` notices
    /// entries deleted from the end. Best effort: see [`KeyFile::record_head`].
    fn record_head(&self, entry: &AuditEntry);

    /// The newest entry recorded by [`AuditKeys::record_head`], if any.
    fn head(&self) -> Option<(i64, String)>;
}

/// The key in a file readable by its owner only, and the head beside it.
#[derive(Debug, Clone)]
pub struct KeyFile {
    pub key: PathBuf,
    pub head: PathBuf,
}

impl KeyFile {
    /// The key of the register file `db`: `db.audit-key`, with `db.audit-head`.
    pub fn beside(db: &Path) -> KeyFile {
        KeyFile {
            key: db.with_extension("audit-key"),
            head: db.with_extension("audit-head"),
        }
    }

    /// A key installed at `path` (a server site); the head goes beside it.
    pub fn installed(path: &Path) -> KeyFile {
        KeyFile {
            key: path.to_path_buf(),
            head: path.with_extension("audit-head"),
        }
    }

    fn io(&self, e: std::io::Error) -> StoreError {
        super::io_error(self.key.display().to_string(), e)
    }
}

impl AuditKeys for KeyFile {
    fn key(&self, create: bool) -> Result<Option<Vec<u8>>> {
        match std::fs::read(&self.key) {
            Ok(key) if key.len() == KEY_BYTES => return Ok(Some(key)),
            Ok(_) => {
                return Err(StoreError::AuditBroken(format!(
                    "{}: not an audit key",
                    self.key.display()
                )));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(self.io(e)),
        }
        if !create {
            return Ok(None);
        }
        let key = super::passwords::random_bytes(KEY_BYTES);
        match crate::private_files::options()
            .create_new(true)
            .open(&self.key)
        {
            Ok(mut file) => {
                use std::io::Write;
                file.write_all(&key)
                    .and_then(|()| file.sync_all())
                    .map_err(|e| self.io(e))?;
                Ok(Some(key))
            }
            // Another terminal made it first: use theirs.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => self.key(false),
            Err(e) => Err(self.io(e)),
        }
    }

    /// Several terminals may race here; the file then names an older entry, which still
    /// exists, so a race weakens the check and never raises a false alarm.
    ///
    /// Written in place at every commit that audits, so it must be cheap: one write of a
    /// fixed-width line over the last (the sequence number padded to 20 digits, the MAC of
    /// fixed length), not a new file renamed over the old, whose directory update cost a
    /// registration about a tenth of its time. One write of under a hundred bytes is never
    /// seen half-done by another terminal's read; a head torn by a power cut only fails to
    /// parse, which weakens the end check like a missing head.
    fn record_head(&self, entry: &AuditEntry) {
        let line = format!("{:>20} {}\n", entry.seq, entry.mac);
        let written = crate::private_files::options()
            .create(true)
            .open(&self.head)
            .and_then(|mut file| {
                use std::io::Write;
                // Opened without truncating: the write starts at offset 0, over the last.
                file.write_all(line.as_bytes())?;
                // A head written by an older version may be longer (never today: 20 digits).
                file.set_len(line.len() as u64)
            });
        // The trail itself is in the database; a missing head only weakens the end check.
        let _ = written;
    }

    fn head(&self) -> Option<(i64, String)> {
        let text = std::fs::read_to_string(&self.head).ok()?;
        let (seq, mac) = text.trim().split_once(' ')?;
        Some((seq.parse().ok()?, mac.to_string()))
    }
}

/// The key to chain a new entry with, created if there is none yet. Never empty: an entry
/// chained with no key could be forged by anyone holding the database.
pub fn writing_key(keys: &dyn AuditKeys) -> Result<Vec<u8>> {
    keys.key(true)?.ok_or_else(|| {
        StoreError::AuditBroken(
            "the audit key file was removed while it was being created; nothing was recorded"
                .into(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(seq: i64, mac: &str) -> AuditEntry {
        AuditEntry {
            seq,
            at: chrono::DateTime::from_timestamp(1_751_875_200, 0).expect("a fixed instant"),
            staff: "amina".into(),
            role: "reception".into(),
            terminal: "terminal:front-1".into(),
            action: "create".into(),
            record: None,
            fields: vec![],
            mac: mac.into(),
        }
    }

    #[test]
    fn the_head_written_in_place_names_the_newest_entry_whatever_was_there() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let keys = KeyFile::beside(&dir.path().join("register.db"));
        assert_eq!(keys.head(), None);
        keys.record_head(&entry(123_456, &"b".repeat(64)));
        keys.record_head(&entry(7, &"a".repeat(64)));
        assert_eq!(keys.head(), Some((7, "a".repeat(64))));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&keys.head)
                .expect("the head")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // A longer line left by an older version is cut to the new one.
        std::fs::write(&keys.head, format!("99 {}\nleftover\n", "c".repeat(80)))
            .expect("an old head");
        keys.record_head(&entry(8, &"d".repeat(64)));
        assert_eq!(keys.head(), Some((8, "d".repeat(64))));
    }
}
