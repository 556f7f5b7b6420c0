//! Checking a backup, and replacing the register with one.

use super::*;
use crate::store::Maintenance;

impl SqliteStore {
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
                    keys: KeyFile::beside(db),
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
}

/// Open a backup read-only, after the checks an open makes: plain, or encrypted with the
/// passphrase of `WELCOME_DESK_PASSPHRASE`.
pub(in crate::store) fn open_backup(src: &Path) -> Result<Connection> {
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

/// Copy the audit key of the register at `from` beside the register at `to` (0600), if there
/// is one.
pub(super) fn copy_audit_key(from: &Path, to: &Path) -> Result<()> {
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
