//! Erasure forensics on the server, as tests/privacy.rs does for the file: a person with a
//! distinctive name is registered, booked and erased (or purged) through the real command
//! line, the cluster is checkpointed, and every file of its data directory is searched for
//! the name's bytes (as typed, and lower-cased as the search keys hold them).
//!
//! What the search found (PostgreSQL 15; the figures print with `--nocapture`):
//! - before the erasure: the `visitor` heap (names, `name_key`, `match_profile`), the
//!   `visitor_match_key` heap, the `visitor_name_key` and `visitor_match_key_pkey` indexes,
//!   and the WAL; after an ANALYZE (autovacuum runs one once a tenth of a table has
//!   changed), `pg_statistic` too, which kept the names after the erasure and which the
//!   program's role cannot clean: schema 4 keeps the personal columns out of ANALYZE;
//! - after the erasure with no VACUUM: all of these still (the old row versions are dead,
//!   not gone; autovacuum does not visit a table until a fifth of it has changed);
//! - after a plain `VACUUM (INDEX_CLEANUP ON)`: the dead rows are removed, yet the bytes of
//!   the newest row of a page stay in the page's free space (`visitor`, `visitor_match_key`
//!   and its primary key index), as
//!   `a_plain_vacuum_leaves_erased_bytes_in_free_space` shows;
//! - after the erasure as the program does it (a `VACUUM FULL` of the touched tables after
//!   the commit): nowhere under `base/` nor `global/`; only in `pg_wal/`, until its segment
//!   is deleted or written over (`the_wal_keeps_an_erased_name_until_its_segment_is_deleted`).
#![cfg(unix)]

#[path = "common/pg.rs"]
mod pg;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use pg::Cluster;

/// The family name, as typed and stored; lower-cased it is in the search keys as well.
const FAMILY: &str = "Zzyqxhossainova";
const GIVEN: &str = "Nusratjahan";
const PHONE: &str = "+39 347 918 2736";

/// The real binary on `url`, its clock at `now`, in a private home.
fn run(url: &str, home: &Path, now: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_welcome-desk"))
        .arg("--db")
        .arg(url)
        .args(args)
        .env("WELCOME_DESK_NOW", now)
        .env("WELCOME_DESK_AUDIT_KEY", home.join("site.audit-key"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("HOME", home)
        .env_remove("WELCOME_DESK_DB")
        .env_remove("WELCOME_DESK_PASSPHRASE")
        .output()
        .expect("the program runs")
}

/// `run`, which must succeed; its standard output.
fn ok(url: &str, home: &Path, now: &str, args: &[&str]) -> String {
    let out = run(url, home, now, args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// Register `family given` as a new visitor at `now`; the visitor's id.
fn register(url: &str, home: &Path, now: &str, family: &str, given: &str) -> String {
    let out = ok(
        url,
        home,
        now,
        &[
            "register",
            "--family-name",
            family,
            "--given-name",
            given,
            "--service",
            "housing",
            "--format",
            "json",
        ],
    );
    json(&out)["visitor_id"]
        .as_str()
        .expect("a visitor id")
        .to_string()
}

/// Where the needles lie: each file (relative to the data directory) and how many times.
type Found = BTreeMap<String, usize>;

/// Search every file under `data` (but the folders of `base/` in `skip`: other databases)
/// for each of `needles`, ASCII case folded (the names are ASCII, so this finds both the
/// typed and the lower-cased keys).
fn search(data: &Path, skip: &dyn Fn(&Path) -> bool, needles: &[&str]) -> Found {
    fn walk(dir: &Path, skip: &dyn Fn(&Path) -> bool, files: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                if !skip(&path) {
                    walk(&path, skip, files);
                }
            } else {
                files.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(data, skip, &mut files);
    let needles: Vec<String> = needles.iter().map(|n| n.to_ascii_lowercase()).collect();
    let mut found = Found::new();
    for file in files {
        // A file removed between the listing and the read (a WAL segment recycled, a
        // temporary stats file) holds nothing any more.
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        // Searched as text, with the standard library's (optimised) substring search: the
        // lossy conversion keeps every ASCII byte where it was, so no match is made or lost.
        let text = String::from_utf8_lossy(&bytes).to_ascii_lowercase();
        let hits: usize = needles
            .iter()
            .map(|n| text.matches(n.as_str()).count())
            .sum();
        if hits > 0 {
            let name = file
                .strip_prefix(data)
                .unwrap_or(&file)
                .display()
                .to_string();
            found.insert(name, hits);
        }
    }
    found
}

/// `search` over the cluster, leaving out the other databases' folders of `base/` (the
/// other tests of this file use the same names in their own databases).
fn search_db(cluster: &Cluster, dbname: &str, needles: &[&str]) -> Found {
    let oid: u32 = cluster
        .admin_client(dbname)
        .query_one(
            "SELECT oid FROM pg_database WHERE datname = current_database()",
            &[],
        )
        .expect("the database's oid")
        .get(0);
    let data = cluster.data_dir();
    let base = data.join("base");
    let mine = base.join(oid.to_string());
    let skip = |dir: &Path| dir.parent() == Some(base.as_path()) && dir != mine;
    search(&data, &skip, needles)
}

/// The files of `found` under `base/` (tables and indexes), named by their relation.
fn in_base(cluster: &Cluster, dbname: &str, found: &Found) -> Vec<String> {
    let mut client = cluster.admin_client(dbname);
    found
        .iter()
        .filter(|(f, _)| f.starts_with("base/"))
        .map(|(f, n)| {
            let node: u32 = f
                .rsplit('/')
                .next()
                .and_then(|s| s.split(['.', '_']).next())
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            let relation: Option<String> = client
                .query_opt(
                    "SELECT relname::text FROM pg_class WHERE pg_relation_filenode(oid) = $1::oid",
                    &[&node],
                )
                .ok()
                .flatten()
                .map(|r| r.get(0));
            format!("{f} ({}): {n}", relation.as_deref().unwrap_or("?"))
        })
        .collect()
}

/// Write everything to the files, as a crash-consistent copy of the directory would hold.
fn checkpoint(cluster: &Cluster) {
    cluster.admin_execute("CHECKPOINT");
}

fn db_name(url: &str) -> &str {
    url.rsplit('/').next().expect("a database name")
}

fn needles() -> [&'static str; 3] {
    [FAMILY, GIVEN, PHONE]
}

/// Run the ANALYZE autovacuum would run on a busier register (it waits for 50 changed rows
/// and a tenth of the table): its samples go into `pg_statistic`, a file of `base/` the
/// program's role cannot clean. The samples are taken: of the columns that are not
/// personal.
fn analyze(cluster: &Cluster, dbname: &str) {
    cluster.admin_execute_in(
        dbname,
        "ANALYZE welcome_desk.visitor, welcome_desk.visitor_match_key, \
         welcome_desk.access, welcome_desk.appointment",
    );
    let sampled: i64 = cluster
        .admin_client(dbname)
        .query_one(
            "SELECT count(*) FROM pg_stats WHERE schemaname = 'welcome_desk' \
             AND tablename = 'visitor' AND attname = 'sex'",
            &[],
        )
        .expect("pg_stats")
        .get(0);
    assert_eq!(sampled, 1, "ANALYZE sampled the visitor table");
}

/// Print where the needles were found, for the README's figures.
fn show(what: &str, cluster: &Cluster, dbname: &str, found: &Found) {
    eprintln!("{what}:");
    for line in in_base(cluster, dbname, found) {
        eprintln!("  {line}");
    }
    for (f, n) in found.iter().filter(|(f, _)| !f.starts_with("base/")) {
        eprintln!("  {f}: {n}");
    }
}

/// Some other people first, and the person last: the newest row of its page is the one a
/// plain VACUUM leaves in the page's free space.
fn register_the_person(url: &str, home: &Path, now: &str) -> String {
    for given in ["Amina", "Omar", "Rahim", "Luis", "Olena", "Fatou", "Ardit"] {
        register(url, home, now, "Rossi", given);
    }
    let out = ok(
        url,
        home,
        now,
        &[
            "register",
            "--family-name",
            FAMILY,
            "--given-name",
            GIVEN,
            "--birth-date",
            "1991-04-12",
            "--phone",
            PHONE,
            "--languages",
            "bn,en",
            "--service",
            "legal-administrative",
            "--format",
            "json",
        ],
    );
    json(&out)["visitor_id"]
        .as_str()
        .expect("a visitor id")
        .to_string()
}

#[test]
fn an_erasure_leaves_the_name_in_no_table_or_index_file_of_the_server() {
    let cluster = Cluster::shared();
    let url = cluster.fresh_database();
    let dbname = db_name(&url);
    let home = tempfile::tempdir().expect("a home");
    let now = "2025-12-01T09:00:00+01:00";
    let id = register_the_person(&url, home.path(), now);
    // A second access and a booking of the person on file (its phone is kept with it).
    ok(
        &url,
        home.path(),
        "2025-12-01T11:00:00+01:00",
        &[
            "register",
            "--family-name",
            FAMILY,
            "--given-name",
            GIVEN,
            "--visitor",
            &id,
            "--service",
            "housing",
        ],
    );
    ok(
        &url,
        home.path(),
        "2025-12-01T11:05:00+01:00",
        &[
            "appointment",
            "book",
            "--family-name",
            FAMILY,
            "--given-name",
            GIVEN,
            "--visitor",
            &id,
            "--phone",
            PHONE,
            "--service",
            "housing",
            "--at",
            "2025-12-04 10:30",
        ],
    );
    analyze(cluster, dbname);
    checkpoint(cluster);
    let before = search_db(cluster, dbname, &needles());
    show("before the erasure", cluster, dbname, &before);
    let tables = in_base(cluster, dbname, &before);
    // The search finds what is there: otherwise its silence below would prove nothing.
    for relation in ["(visitor)", "(visitor_match_key)", "(visitor_name_key)"] {
        assert!(
            tables.iter().any(|t| t.contains(relation)),
            "{relation} not found before the erasure: {tables:?}"
        );
    }

    let started = std::time::Instant::now();
    let out = ok(
        &url,
        home.path(),
        "2025-12-01T12:00:00+01:00",
        &["erase-visitor", &id],
    );
    eprintln!("erase-visitor took {:?}: {out}", started.elapsed());
    checkpoint(cluster);
    let after = search_db(cluster, dbname, &needles());
    show("after the erasure", cluster, dbname, &after);
    assert_eq!(
        in_base(cluster, dbname, &after),
        Vec::<String>::new(),
        "the erased text is still in table or index files"
    );
    // The WAL holds it until its segments are reused (the README says for how long).
    assert!(
        after.keys().all(|f| f.starts_with("pg_wal/")),
        "outside base/ and pg_wal/: {after:?}"
    );
}

#[test]
fn the_retention_purge_leaves_the_name_in_no_table_or_index_file_of_the_server() {
    let cluster = Cluster::shared();
    let url = cluster.fresh_database();
    let dbname = db_name(&url);
    let home = tempfile::tempdir().expect("a home");
    // Last seen in January 2023; a booking of someone new who never came, in 2023 too.
    let then = "2023-01-10T09:00:00+01:00";
    register_the_person(&url, home.path(), then);
    ok(
        &url,
        home.path(),
        then,
        &[
            "appointment",
            "book",
            "--family-name",
            "Qqwvmbelayneh",
            "--given-name",
            "Tsigereda",
            "--phone",
            PHONE,
            "--service",
            "housing",
            "--at",
            "2023-01-12 10:30",
        ],
    );
    // Someone seen this year, whom the purge must keep.
    let now = "2025-12-01T09:00:00+01:00";
    register(&url, home.path(), now, "Mamani", "Rosa");
    let needles = [FAMILY, GIVEN, PHONE, "Qqwvmbelayneh", "Tsigereda"];
    analyze(cluster, dbname);
    checkpoint(cluster);
    let before = search_db(cluster, dbname, &needles);
    show("before the purge", cluster, dbname, &before);
    let tables = in_base(cluster, dbname, &before);
    for relation in ["(visitor)", "(appointment)"] {
        assert!(
            tables.iter().any(|t| t.contains(relation)),
            "{relation} not found before the purge: {tables:?}"
        );
    }

    let out = run(&url, home.path(), now, &["purge"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    eprintln!("purge: {stderr}");
    checkpoint(cluster);
    let after = search_db(cluster, dbname, &needles);
    show("after the purge", cluster, dbname, &after);
    assert_eq!(
        in_base(cluster, dbname, &after),
        Vec::<String>::new(),
        "the purged text is still in table or index files"
    );
    // The person seen this year is still there, name and all.
    let found = search_db(cluster, dbname, &["Mamani"]);
    assert!(
        found.keys().any(|f| f.starts_with("base/")),
        "the purge took someone not due: {found:?}"
    );
}

/// Why the program rewrites the tables: the erasing transaction alone, and a plain VACUUM
/// after it, leave the bytes in the files. (Should PostgreSQL ever clear free space, this
/// fails, and the rewrite's lock could be spared.)
#[test]
fn a_plain_vacuum_leaves_erased_bytes_in_free_space() {
    let cluster = Cluster::shared();
    let url = cluster.fresh_database();
    let dbname = db_name(&url);
    let home = tempfile::tempdir().expect("a home");
    let now = "2025-12-01T09:00:00+01:00";
    register_the_person(&url, home.path(), now);
    // The erasure's own statements, as one transaction of the application role, without
    // the program's rewrite after it.
    let mut desk = postgres::Client::connect(&url, postgres::NoTls).expect("the role connects");
    desk.batch_execute(
        "BEGIN; \
         DELETE FROM welcome_desk.visitor_match_key WHERE visitor_seq = \
           (SELECT seq FROM welcome_desk.visitor WHERE family_name = 'Zzyqxhossainova'); \
         UPDATE welcome_desk.visitor SET family_name = '', given_name = '', name_key = '', \
           birth_date = NULL, languages = '{}', phone = NULL, match_profile = '' \
           WHERE family_name = 'Zzyqxhossainova'; \
         COMMIT",
    )
    .expect("erase by hand");
    checkpoint(cluster);
    let dead = search_db(cluster, dbname, &needles());
    show(
        "after the erasing transaction alone",
        cluster,
        dbname,
        &dead,
    );
    assert!(
        in_base(cluster, dbname, &dead)
            .iter()
            .any(|t| t.contains("(visitor)")),
        "{dead:?}"
    );

    desk.batch_execute(
        "VACUUM (INDEX_CLEANUP ON) welcome_desk.visitor, welcome_desk.visitor_match_key",
    )
    .expect("a plain VACUUM");
    checkpoint(cluster);
    let vacuumed = search_db(cluster, dbname, &needles());
    show("after a plain VACUUM", cluster, dbname, &vacuumed);
    assert!(
        !in_base(cluster, dbname, &vacuumed).is_empty(),
        "a plain VACUUM cleared the bytes: {vacuumed:?}"
    );
}

/// How long the WAL keeps an erased name. With the defaults (`wal_recycle = on`), the
/// first checkpoint after its segment is finished does not delete the segment but renames it
/// for reuse, bytes and all; they go when the WAL is written through the reused file. With
/// `wal_recycle = off`, that checkpoint deletes it. The figures the README gives.
#[test]
fn the_wal_keeps_an_erased_name_until_its_segment_is_deleted() {
    let mut cluster = Cluster::start();
    let url = cluster.fresh_database();
    let dbname = db_name(&url).to_string();
    let home = tempfile::tempdir().expect("a home");
    let now = "2025-12-01T09:00:00+01:00";
    let wal = |cluster: &Cluster, needle: &str| -> Vec<String> {
        search_db(cluster, &dbname, &[needle])
            .into_keys()
            .filter(|f| f.starts_with("pg_wal/"))
            .collect()
    };
    let switch_and_checkpoint = |cluster: &Cluster| {
        cluster.admin_execute("SELECT pg_switch_wal()");
        cluster.admin_execute("CHECKPOINT");
    };

    // Defaults (wal_recycle = on, min_wal_size = 80MB): the segment is renamed, not removed.
    let id = register(&url, home.path(), now, FAMILY, GIVEN);
    ok(&url, home.path(), now, &["erase-visitor", &id]);
    checkpoint(&cluster);
    let written = wal(&cluster, FAMILY);
    assert!(!written.is_empty(), "the registration is in the WAL");
    // The first checkpoint after the segment is finished renames it for reuse, name and all.
    switch_and_checkpoint(&cluster);
    let recycled = wal(&cluster, FAMILY);
    eprintln!(
        "wal_recycle = on: written in {written:?}; after a switch and a checkpoint in {recycled:?}"
    );
    assert!(
        !recycled.is_empty() && recycled != written,
        "the segment was renamed for reuse with the name in it: {written:?} then {recycled:?}"
    );
    // It goes once the WAL has been written through the renamed file (a switch fills the
    // rest of a segment): here, the second switch after.
    switch_and_checkpoint(&cluster);
    assert_eq!(
        wal(&cluster, FAMILY),
        recycled,
        "the reused file is being written"
    );
    switch_and_checkpoint(&cluster);
    assert_eq!(
        wal(&cluster, FAMILY),
        Vec::<String>::new(),
        "written through"
    );

    // wal_recycle = off: the finished segment is deleted at the next checkpoint.
    cluster.admin_execute("ALTER SYSTEM SET wal_recycle = off");
    cluster.admin_execute("SELECT pg_reload_conf()");
    let id = register(&url, home.path(), now, "Qqwvmbelayneh", "Tsigereda");
    ok(&url, home.path(), now, &["erase-visitor", &id]);
    checkpoint(&cluster);
    let written = wal(&cluster, "Qqwvmbelayneh");
    assert!(!written.is_empty(), "the registration is in the WAL");
    switch_and_checkpoint(&cluster);
    let after = wal(&cluster, "Qqwvmbelayneh");
    eprintln!(
        "wal_recycle = off: written in {written:?}; after 1 switch and checkpoint in {after:?}"
    );
    assert_eq!(
        after,
        Vec::<String>::new(),
        "the finished segment is deleted"
    );
    cluster.stop();
}
