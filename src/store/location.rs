//! Where the register is: a SQLite file on this PC, or (a site with several PCs) a
//! PostgreSQL server. The one place that knows which engine serves which location.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::sqlite::{self, SqliteStore};
use super::{Restored, Result, Store};
use crate::progress::Progress;

/// Where the register lives.
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum Location {
    /// A register file, with the passphrase of an encrypted one.
    File {
        path: PathBuf,
        passphrase: Option<String>,
    },
    /// A PostgreSQL server, as a libpq URI (`postgresql://…`).
    Server { url: String },
}

impl std::fmt::Debug for Location {
    // Never a passphrase or a password, even in a debug line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Location({})", self.describe())
    }
}

impl Location {
    /// What `--db` (or `WELCOME_DESK_DB`) says: a `postgresql://` or `postgres://` URI names
    /// a server; anything else is a file, encrypted with `WELCOME_DESK_PASSPHRASE` when set.
    pub fn from_arg(arg: &str) -> Location {
        let lower = arg.trim_start().to_ascii_lowercase();
        if lower.starts_with("postgresql://") || lower.starts_with("postgres://") {
            Location::Server {
                url: arg.trim().to_string(),
            }
        } else {
            Location::file(PathBuf::from(arg))
        }
    }

    /// The file at `path`, with the passphrase of the environment.
    pub fn file(path: PathBuf) -> Location {
        Location::File {
            path,
            passphrase: sqlite::passphrase_from_env(),
        }
    }

    /// For messages and logs: the file's path, or the server without its password.
    pub fn describe(&self) -> String {
        match self {
            Location::File { path, .. } => path.display().to_string(),
            Location::Server { url } => super::postgres::connect::redact(url),
        }
    }

    /// The register's file, for what lives beside it (daily backups, exports).
    pub fn path(&self) -> Option<&Path> {
        match self {
            Location::File { path, .. } => Some(path),
            Location::Server { .. } => None,
        }
    }

    /// The same location with `passphrase` (asked for on the terminal).
    pub fn with_passphrase(&self, passphrase: String) -> Location {
        match self {
            Location::File { path, .. } => Location::File {
                path: path.clone(),
                passphrase: Some(passphrase),
            },
            server => server.clone(),
        }
    }
}

/// Open the register at `location` (creating and migrating it as needed).
pub fn open(location: &Location) -> Result<Box<dyn Store>> {
    match location {
        Location::File { path, passphrase } => Ok(Box::new(SqliteStore::open_with(
            path,
            passphrase.as_deref(),
        )?)),
        Location::Server { url } => Ok(Box::new(super::postgres::PgStore::connect(
            url,
            Some(&mut ask_password),
        )?)),
    }
}

/// The server's password, asked on the terminal (never echoed) when there is one to ask on.
fn ask_password(server: &str) -> std::io::Result<String> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() {
        return Err(std::io::Error::other("no terminal to ask on"));
    }
    rpassword::prompt_password(format!("password for {server}: "))
}

/// A change feed on the register at `location`, on a connection of its own: what a
/// terminal's watcher waits on.
pub fn watch(location: &Location) -> Result<Box<dyn super::ChangeFeed>> {
    match location {
        Location::File { path, passphrase } => SqliteStore::watch(path, passphrase.as_deref()),
        Location::Server { url } => {
            let target = super::postgres::connect::Target::parse(url)?;
            Ok(Box::new(super::postgres::feed::PgFeed::open(&target)?))
        }
    }
}

/// Check a backup file before anything is replaced with it; its visitors and accesses. A
/// backup is always a self-contained SQLite register, whichever engine wrote it.
pub fn check_backup(src: &Path) -> Result<(u64, u64)> {
    SqliteStore::check_backup(src)
}

/// Whether `location` holds a register a restore would replace: a file that exists; a
/// server with any visitor, access, staff account or audit entry.
pub fn holds_register(location: &Location) -> Result<bool> {
    match location {
        Location::File { path, .. } => Ok(path.exists()),
        Location::Server { url } => {
            super::postgres::PgStore::connect(url, Some(&mut ask_password))?.holds_register()
        }
    }
}

/// Replace the register at `location` with the backup `src`, after checking it; what the
/// replaced register was is kept in `keep_folder` (see `SqliteStore::restore_with`). A
/// server holding a register is replaced only with `force` (it checks again under its lock;
/// a file's caller has asked `holds_register` already).
pub fn restore(
    location: &Location,
    src: &Path,
    force: bool,
    keep_folder: &Path,
    at: DateTime<Utc>,
    progress: &mut dyn Progress,
) -> Result<Restored> {
    match location {
        Location::File { path, .. } => {
            SqliteStore::restore_with(path, src, keep_folder, at, progress)
        }
        Location::Server { url } => super::postgres::restore::restore_into(
            url,
            src,
            force,
            keep_folder,
            at,
            Some(&mut ask_password),
            progress,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_uri_names_a_server_and_anything_else_a_file() {
        assert!(matches!(
            Location::from_arg("postgresql://desk@db.local/welcome"),
            Location::Server { .. }
        ));
        assert!(matches!(
            Location::from_arg("POSTGRES://desk@db.local/welcome"),
            Location::Server { .. }
        ));
        assert!(matches!(
            Location::from_arg("/var/lib/welcome/register.db"),
            Location::File { .. }
        ));
        assert!(matches!(
            Location::from_arg("postgresql.db"),
            Location::File { .. }
        ));
    }

    #[test]
    fn a_server_is_described_without_its_password() {
        let shown = Location::from_arg(
            "postgresql://desk:s3cret@db.local:5433/welcome?sslmode=require&password=other",
        )
        .describe();
        assert!(shown.contains("db.local:5433/welcome"), "{shown}");
        assert!(
            !shown.contains("s3cret") && !shown.contains("other"),
            "{shown}"
        );
        assert!(
            !format!("{:?}", Location::from_arg("postgresql://a:s3cret@h/d")).contains("s3cret")
        );
    }
}
