//! The server register's schema: its own PostgreSQL schema (`welcome_desk`), versioned in a
//! `schema_version` table, migrated when a terminal connects.
//!
//! Append new migrations; never edit one that has shipped. Version 1 is the equivalent of
//! SQLite schema 6 (`store::schema`); the two engines' versions are counted apart.

use postgres::Client;

/// The PostgreSQL schema holding the register's tables. Its own, so that the database may
/// hold other things and the program's role needs to own only this.
pub const SCHEMA: &str = "welcome_desk";

/// The advisory lock every migration runs under ("WDSK" then 1): of several PCs starting
/// together on a fresh database, one migrates and the others wait, then find it done.
/// Transaction-scoped, so a PC that dies mid-migration releases it with its rollback.
pub const MIGRATION_LOCK: i64 = 0x5744_534B_0000_0001;

/// The migrations, oldest first; version N is `MIGRATIONS[N - 1]`.
const MIGRATIONS: &[&str] = &[
    include_str!("v1.sql"),
    include_str!("v2.sql"),
    include_str!("v3.sql"),
    include_str!("v4.sql"),
];

/// The schema version this program writes.
pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// What opening found about the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migrated {
    /// The version before this connection did anything (0: a fresh database).
    pub found: i64,
    /// The version now.
    pub now: i64,
}

/// Why the schema could not be brought up to date.
#[derive(Debug)]
pub enum MigrateError {
    /// The server's schema was written by a newer program.
    TooNew {
        found: i64,
        known: i64,
    },
    Server(postgres::Error),
}

impl From<postgres::Error> for MigrateError {
    fn from(e: postgres::Error) -> Self {
        MigrateError::Server(e)
    }
}

/// Bring the schema to [`latest_version`] in one transaction under [`MIGRATION_LOCK`]: all
/// the missing versions or none. A schema newer than the program is refused and left as it
/// is.
///
/// The schema is created only when missing (checked first): `CREATE SCHEMA IF NOT EXISTS`
/// would demand the CREATE privilege on the database even when the schema exists, and a
/// center's role may own its schema and nothing else.
pub fn migrate(client: &mut Client) -> Result<Migrated, MigrateError> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    let exists: bool = tx
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1)",
            &[&SCHEMA],
        )?
        .get(0);
    if !exists {
        tx.batch_execute(&format!("CREATE SCHEMA {SCHEMA}"))?;
    }
    tx.batch_execute(&format!(
        "SET LOCAL search_path = {SCHEMA}, pg_catalog;
         CREATE TABLE IF NOT EXISTS schema_version (
             version    integer     PRIMARY KEY CHECK (version > 0),
             applied_at timestamptz NOT NULL DEFAULT now(),
             program    text        NOT NULL
         );"
    ))?;
    let found: i64 = tx
        .query_one(
            "SELECT COALESCE(MAX(version), 0)::bigint FROM schema_version",
            &[],
        )?
        .get(0);
    let known = latest_version();
    if found > known {
        return Err(MigrateError::TooNew { found, known });
    }
    let program = concat!("welcome-desk ", env!("CARGO_PKG_VERSION"));
    for (version, sql) in (found + 1..).zip(&MIGRATIONS[found as usize..]) {
        tx.batch_execute(sql)?;
        tx.execute(
            "INSERT INTO schema_version (version, program) VALUES ($1, $2)",
            &[&(version as i32), &program],
        )?;
    }
    tx.commit()?;
    Ok(Migrated { found, now: known })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_migration_is_one_version() {
        assert_eq!(latest_version(), 4);
        // Each migration runs with the search path set to the schema: none names a schema
        // of its own (which would put tables outside it).
        for sql in MIGRATIONS {
            let code: String = sql
                .lines()
                .map(|l| l.split("--").next().unwrap_or(""))
                .collect();
            assert!(
                !code.contains("public."),
                "a migration names the public schema"
            );
            assert!(
                !code.contains(&format!("{SCHEMA}.")),
                "a migration names its schema"
            );
        }
    }
}
