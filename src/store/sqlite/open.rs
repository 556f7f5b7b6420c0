//! Opening a register file, and the checks that refuse what is not one before a byte of
//! it changes.

use super::*;

/// The passphrase `WELCOME_DESK_PASSPHRASE` gives, if any.
pub fn passphrase_from_env() -> Option<String> {
    std::env::var(PASSPHRASE_ENV).ok().filter(|p| !p.is_empty())
}

/// Give a fresh connection its key (SQLCipher derives the key from the passphrase with
/// PBKDF2-HMAC-SHA512); must come before any other statement.
pub(super) fn key(conn: &Connection, passphrase: Option<&str>) -> rusqlite::Result<()> {
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
pub(super) fn looks_encrypted(path: &Path) -> bool {
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
            keys: KeyFile::beside(path),
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
}

/// Create a new database file readable and writable by its owner only: the register holds
/// special-category personal data.
pub(super) fn create_private_file(path: &Path) -> Result<()> {
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

/// Create a folder (and its parents) for copies of the register, readable by its owner only.
pub fn create_private_folder(path: &Path) -> Result<()> {
    if path.is_dir() {
        return Ok(());
    }
    crate::private_files::create_dir(path).map_err(|e| io_error(format!("{}", path.display()), e))
}

pub(super) fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_secs(BUSY_TIMEOUT_SECS))?;
    // WAL lets readers (every terminal's one-second poll) proceed while one writer writes;
    // synchronous=FULL makes an acknowledged registration survive a power cut.
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "wal", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        // A read-only medium cannot switch to WAL; the store still works, slower.
        eprintln!("warning: journal mode is {mode}, not wal");
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    // The WAL stays when a connection closes, and its pages move into the file at the
    // automatic checkpoints (every 1,000 pages) instead: a one-shot command then syncs its
    // commit once, not also a checkpoint on close and a new WAL's header and folder at the
    // next start. A commit is as durable either way (synchronous=FULL).
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
        true,
    )?;
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

pub(super) fn classify_open_error(path: &Path, e: rusqlite::Error) -> StoreError {
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
            // A register this user may read but not write (its WAL kept by another user):
            // say what it is, not which of its files failed.
            ErrorCode::CannotOpen if not_writable(path) => return StoreError::ReadOnly,
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

/// Whether the file at `path` exists and this user may not open it for writing.
fn not_writable(path: &Path) -> bool {
    path.exists()
        && std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .is_err_and(|e| e.kind() == std::io::ErrorKind::PermissionDenied)
}

pub(super) fn no_cipher(path: &Path) -> StoreError {
    StoreError::Encrypted {
        path: path.to_path_buf(),
        reason: "this register is encrypted (or is not a register at all), and this build of welcome-desk has no encryption support; use a build made with `--features encryption`".into(),
    }
}

pub(super) fn needs_passphrase(path: &Path) -> StoreError {
    StoreError::PassphraseNeeded {
        path: path.to_path_buf(),
    }
}

/// Look at an existing file without changing a byte of it.
pub(super) fn preflight(path: &Path) -> Result<()> {
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

pub(super) fn read_up_to(file: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}
