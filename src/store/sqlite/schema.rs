//! Schema migrations, versioned in the file's `user_version`.
//!
//! Append new migrations; never edit one that has shipped.

use rusqlite_migration::{M, Migrations};

/// Marks a file as ours (`PRAGMA application_id`), so that another program's SQLite file is
/// refused instead of being migrated. "WDSK" in ASCII.
pub const APPLICATION_ID: i64 = 0x5744_534B;

const V1: &str = r#"
CREATE TABLE visitor (
    seq          INTEGER PRIMARY KEY,
    id           TEXT    NOT NULL UNIQUE,
    family_name  TEXT    NOT NULL,
    given_name   TEXT    NOT NULL,
    name_key     TEXT    NOT NULL,
    birth_date   TEXT,
    sex          TEXT    NOT NULL DEFAULT 'unknown' CHECK (sex IN ('F', 'M', 'X', 'unknown')),
    country      TEXT,
    languages    TEXT    NOT NULL DEFAULT '',
    sai_guest    INTEGER NOT NULL DEFAULT 0 CHECK (sai_guest IN (0, 1)),
    phone        TEXT,
    legacy_ref   TEXT,
    created_at   INTEGER NOT NULL,
    -- The matcher's view of the name (domain::matching::NameProfile::to_stored).
    match_profile TEXT   NOT NULL DEFAULT '',
    -- Set when a coordinator merged this record into another: the surviving record.
    merged_into  INTEGER REFERENCES visitor (seq)
);
CREATE INDEX visitor_name_key ON visitor (name_key);
-- Partial: only imported visitors carry a legacy ref, and registration should not pay for it.
CREATE INDEX visitor_merged ON visitor (merged_into) WHERE merged_into IS NOT NULL;
CREATE UNIQUE INDEX visitor_legacy_ref ON visitor (legacy_ref) WHERE legacy_ref IS NOT NULL;

-- Candidate search: each visitor under the phonetic keys of its name parts and of each
-- pair of parts (domain::matching::NameProfile::index_keys).
CREATE TABLE visitor_match_key (
    key         TEXT    NOT NULL,
    visitor_seq INTEGER NOT NULL REFERENCES visitor (seq),
    PRIMARY KEY (key, visitor_seq)
) WITHOUT ROWID;

-- Merges of two records of one person: recorded, undoable, no access deleted.
CREATE TABLE visitor_merge (
    seq        INTEGER PRIMARY KEY,
    from_seq   INTEGER NOT NULL REFERENCES visitor (seq),
    into_seq   INTEGER NOT NULL REFERENCES visitor (seq),
    -- Records that pointed at from_seq and were moved to into_seq, for the undo.
    moved      TEXT    NOT NULL DEFAULT '',
    at         INTEGER NOT NULL,
    staff      TEXT    NOT NULL,
    undone_at  INTEGER,
    undone_by  TEXT
);

CREATE TABLE access (
    seq             INTEGER PRIMARY KEY,
    id              TEXT    NOT NULL UNIQUE,
    visitor_seq     INTEGER NOT NULL REFERENCES visitor (seq),
    arrived_at      INTEGER NOT NULL,
    channel         TEXT    NOT NULL CHECK (channel IN ('walk-in', 'appointment')),
    service         TEXT    NOT NULL,
    queue           TEXT    NOT NULL CHECK (queue IN ('sai', 'general')),
    first_time      INTEGER NOT NULL CHECK (first_time IN (0, 1)),
    priority        TEXT,
    override_reason TEXT,
    appointment_at  INTEGER,
    source          TEXT    NOT NULL CHECK (source IN ('terminal', 'import', 'demo')),
    import_key      TEXT,
    staff           TEXT    NOT NULL
);
CREATE UNIQUE INDEX access_import_key ON access (import_key) WHERE import_key IS NOT NULL;
-- Covering: a report over months reads only this index for its accesses.
CREATE INDEX access_arrived ON access (arrived_at, visitor_seq, channel, queue, service, first_time);
CREATE INDEX access_visitor ON access (visitor_seq, arrived_at);

CREATE TABLE ticket (
    seq              INTEGER PRIMARY KEY,
    access_seq       INTEGER NOT NULL REFERENCES access (seq),
    day              TEXT    NOT NULL,
    queue            TEXT    NOT NULL CHECK (queue IN ('sai', 'general')),
    number           INTEGER NOT NULL CHECK (number > 0),
    service          TEXT    NOT NULL,
    state            TEXT    NOT NULL,
    priority         INTEGER NOT NULL CHECK (priority IN (0, 1)),
    desk             TEXT,
    issued_at        INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    transferred_from INTEGER REFERENCES ticket (seq),
    UNIQUE (day, queue, number)
);
CREATE INDEX ticket_day_state ON ticket (day, state);

CREATE TABLE ticket_event (
    seq        INTEGER PRIMARY KEY,
    ticket_seq INTEGER NOT NULL REFERENCES ticket (seq),
    at         INTEGER NOT NULL,
    event      TEXT    NOT NULL,
    state      TEXT    NOT NULL,
    desk       TEXT,
    staff      TEXT    NOT NULL
);
CREATE INDEX ticket_event_ticket ON ticket_event (ticket_seq);
"#;

/// Staff accounts, the audit trail, settings, and what an anonymised visitor keeps.
const V2: &str = r#"
CREATE TABLE staff (
    seq           INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    role          TEXT    NOT NULL CHECK (role IN ('reception', 'mediator', 'coordinator', 'admin')),
    -- Argon2id, PHC string format (salt and parameters included).
    password_hash TEXT    NOT NULL,
    failures      INTEGER NOT NULL DEFAULT 0,
    locked_until  INTEGER,
    -- Set by an administrator's reset: a new password must be chosen at the next sign-in.
    must_change   INTEGER NOT NULL DEFAULT 0 CHECK (must_change IN (0, 1)),
    created_at    INTEGER NOT NULL
);

-- Append-only; each row's mac chains it to the one before (domain::audit).
CREATE TABLE audit (
    seq      INTEGER PRIMARY KEY,
    at       INTEGER NOT NULL,
    staff    TEXT    NOT NULL,
    role     TEXT    NOT NULL,
    terminal TEXT    NOT NULL,
    action   TEXT    NOT NULL,
    record   TEXT,
    fields   TEXT    NOT NULL DEFAULT '',
    mac      TEXT    NOT NULL
);
CREATE INDEX audit_at ON audit (at);

CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- An anonymised visitor keeps sex, country and SAI status for the statistics; its name,
-- birth date, languages and phone are gone. Each of its accesses keeps the visitor's age on
-- that day, so that age bands of past reports stay exactly as they were.
ALTER TABLE visitor ADD COLUMN anonymised_at INTEGER;
ALTER TABLE access ADD COLUMN age_years INTEGER;
-- Still covering for reports, now that they read the kept age.
DROP INDEX access_arrived;
CREATE INDEX access_arrived ON access (arrived_at, visitor_seq, channel, queue, service, first_time, age_years);
"#;

/// Names on file in Arabic or Bengali script are matched by their Latin consonant skeleton
/// since version 3: their match profiles and search keys are computed again.
fn reprofile_scripts(tx: &rusqlite::Transaction<'_>) -> rusqlite_migration::HookResult {
    use crate::domain::matching;
    use crate::domain::names::is_arabic_or_bengali;
    let visitors: Vec<(i64, String, String, Option<String>)> = tx
        .prepare("SELECT seq, family_name, given_name, birth_date FROM visitor WHERE family_name || given_name GLOB '*[^ -~]*'")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (seq, family, given, birth) in visitors {
        if !is_arabic_or_bengali(&family) && !is_arabic_or_bengali(&given) {
            continue;
        }
        let profile = matching::profile(&family, &given);
        let birth = birth.and_then(|b| chrono::NaiveDate::parse_from_str(&b, "%Y-%m-%d").ok());
        tx.execute(
            "UPDATE visitor SET match_profile = ?1 WHERE seq = ?2",
            rusqlite::params![profile.to_stored(), seq],
        )?;
        tx.execute(
            "DELETE FROM visitor_match_key WHERE visitor_seq = ?1",
            [seq],
        )?;
        super::write_match_keys(tx, seq, &profile, birth)?;
    }
    Ok(())
}

/// Since version 4 each visitor's name parts are also written by spelling (`n:` keys), so
/// that search counts the people sharing a spelling rather than a phonetic key.
fn count_spellings(tx: &rusqlite::Transaction<'_>) -> rusqlite_migration::HookResult {
    use crate::domain::matching::{self, NameProfile};
    let mut visitors =
        tx.prepare("SELECT seq, match_profile FROM visitor WHERE match_profile != ''")?;
    let mut insert =
        tx.prepare("INSERT OR IGNORE INTO visitor_match_key (key, visitor_seq) VALUES (?1, ?2)")?;
    let mut rows = visitors.query([])?;
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let stored: String = r.get(1)?;
        let profile = NameProfile::from_stored(&stored);
        for key in profile.tokens.iter().filter_map(matching::frequency_key) {
            insert.execute(rusqlite::params![key, seq])?;
        }
    }
    Ok(())
}

/// Since version 5 each pair of name parts is also written with the birth day and month
/// (`m:` keys), so that search finds a namesake of a very common name whose year was
/// mistyped (1961 typed 1916) among the thousands sharing the pair.
fn index_days_of_birth(tx: &rusqlite::Transaction<'_>) -> rusqlite_migration::HookResult {
    use crate::domain::matching::NameProfile;
    let mut visitors = tx.prepare(
        "SELECT seq, match_profile, birth_date FROM visitor \
         WHERE match_profile != '' AND birth_date IS NOT NULL",
    )?;
    let mut insert =
        tx.prepare("INSERT OR IGNORE INTO visitor_match_key (key, visitor_seq) VALUES (?1, ?2)")?;
    let mut rows = visitors.query([])?;
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let stored: String = r.get(1)?;
        let birth: String = r.get(2)?;
        let Ok(birth) = chrono::NaiveDate::parse_from_str(&birth, "%Y-%m-%d") else {
            continue;
        };
        let profile = NameProfile::from_stored(&stored);
        for key in profile
            .index_keys_with_birth(Some(birth))
            .into_iter()
            .filter(|k| k.starts_with("m:"))
        {
            insert.execute(rusqlite::params![key, seq])?;
        }
    }
    Ok(())
}

/// Appointments (issue 14): a booking and every change to it. A person on file is a visitor
/// row; someone new is the names the contact center took, matched by reception at check-in.
/// `IF NOT EXISTS`: a register whose version was set back (as the upgrade tests do, to
/// re-run the search keys' hooks) already holds these tables and must still open.
const V6: &str = r#"
CREATE TABLE IF NOT EXISTS appointment (
    seq              INTEGER PRIMARY KEY,
    id               TEXT    NOT NULL UNIQUE,
    -- domain::appointment::BookingCode::value: unique, so a code said at the desk names one
    -- booking forever.
    code             INTEGER NOT NULL UNIQUE,
    visitor_seq      INTEGER REFERENCES visitor (seq),
    family_name      TEXT,
    given_name       TEXT,
    birth_date       TEXT,
    phone            TEXT,
    service          TEXT    NOT NULL,
    start_at         INTEGER NOT NULL,
    -- The Europe/Rome day of start_at: the agenda reasons per day and service.
    day              TEXT    NOT NULL,
    booked_via       TEXT    NOT NULL CHECK (booked_via IN ('contact-center', 'email', 'desk')),
    booked_at        INTEGER NOT NULL,
    state            TEXT    NOT NULL CHECK (state IN ('booked', 'checked-in', 'no-show', 'cancelled')),
    rescheduled_from TEXT    REFERENCES appointment (id),
    access_seq       INTEGER REFERENCES access (seq),
    CHECK ((visitor_seq IS NULL) = (family_name IS NOT NULL AND given_name IS NOT NULL))
);
CREATE INDEX IF NOT EXISTS appointment_day ON appointment (day, service);
CREATE TABLE IF NOT EXISTS appointment_event (
    seq             INTEGER PRIMARY KEY,
    appointment_seq INTEGER NOT NULL REFERENCES appointment (seq),
    at              INTEGER NOT NULL,
    event           TEXT    NOT NULL CHECK (event IN ('booked', 'cancelled', 'checked-in', 'no-show', 'rescheduled')),
    staff           TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS appointment_event_appointment ON appointment_event (appointment_seq);
"#;

/// The `booking` role (issue 14): SQLite cannot change a CHECK constraint in place, so the
/// staff table is copied into one whose CHECK admits it. Nothing references `staff` by key,
/// and the copy keeps every column and row as it was.
const V7: &str = r#"
CREATE TABLE staff_v7 (
    seq           INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    role          TEXT    NOT NULL CHECK (role IN ('reception', 'mediator', 'coordinator', 'admin', 'booking')),
    -- Argon2id, PHC string format (salt and parameters included).
    password_hash TEXT    NOT NULL,
    failures      INTEGER NOT NULL DEFAULT 0,
    locked_until  INTEGER,
    -- Set by an administrator's reset: a new password must be chosen at the next sign-in.
    must_change   INTEGER NOT NULL DEFAULT 0 CHECK (must_change IN (0, 1)),
    created_at    INTEGER NOT NULL
);
INSERT INTO staff_v7 (seq, name, role, password_hash, failures, locked_until, must_change, created_at)
    SELECT seq, name, role, password_hash, failures, locked_until, must_change, created_at FROM staff;
DROP TABLE staff;
ALTER TABLE staff_v7 RENAME TO staff;
"#;

/// The `wall-screen` role (issue 13): the account that makes a PC the waiting room's wall
/// screen. The same copy as V7, for the same reason.
const V8: &str = r#"
CREATE TABLE staff_v8 (
    seq           INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    role          TEXT    NOT NULL CHECK (role IN ('reception', 'mediator', 'coordinator', 'admin', 'booking', 'wall-screen')),
    -- Argon2id, PHC string format (salt and parameters included).
    password_hash TEXT    NOT NULL,
    failures      INTEGER NOT NULL DEFAULT 0,
    locked_until  INTEGER,
    -- Set by an administrator's reset: a new password must be chosen at the next sign-in.
    must_change   INTEGER NOT NULL DEFAULT 0 CHECK (must_change IN (0, 1)),
    created_at    INTEGER NOT NULL
);
INSERT INTO staff_v8 (seq, name, role, password_hash, failures, locked_until, must_change, created_at)
    SELECT seq, name, role, password_hash, failures, locked_until, must_change, created_at FROM staff;
DROP TABLE staff;
ALTER TABLE staff_v8 RENAME TO staff;
"#;

pub fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(V1),
        M::up(V2),
        M::up_with_hook("", reprofile_scripts),
        M::up_with_hook("", count_spellings),
        M::up_with_hook("", index_days_of_birth),
        M::up(V6),
        M::up(V7),
        M::up(V8),
    ])
}

/// The schema version this program writes.
pub fn latest_version() -> i64 {
    8
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        assert!(super::migrations().validate().is_ok());
        assert_eq!(super::latest_version(), 8);
    }
}
