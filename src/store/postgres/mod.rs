//! The server engine: the register on a PostgreSQL server, for a center with several PCs.
//!
//! The connection (`connect`), the schema and its migrations (`schema`), the error mapping
//! (`classify`); the store's traits one file per area, as for SQLite: `tickets` (with the two
//! operations that must be exactly once across PCs), `visitors` and `search`, `people`,
//! `reports`, `appointments`, `maintenance`; `feed` (LISTEN/NOTIFY).
//!
//! Client: the synchronous `postgres` crate (rust-postgres), because the store runs off the
//! UI thread already and every store method is one blocking transaction; it runs its own
//! small tokio runtime inside. TLS: rustls with the ring provider, so the default build
//! needs no OpenSSL.

pub mod appointments;
pub mod connect;
pub mod feed;
pub mod maintenance;
pub mod people;
pub mod reports;
pub mod restore;
pub mod schema;
pub mod search;
pub mod statements;
mod store;
pub mod tickets;
pub mod visitors;

use std::cell::{Cell, RefCell, RefMut};
use std::collections::BTreeSet;
use std::error::Error as _;
use std::time::{Duration, Instant};

use postgres::error::SqlState;
use postgres::{Client, IsolationLevel};

use self::connect::{Pgpass, Target};
use self::statements::{Statements, Tx};
use super::{KeyFile, StoreError};
use crate::domain::audit::AuditEntry;

/// Asks whoever runs the program for the server's password (the command line: rpassword,
/// never echoed). Given the server's description (no password in it); `Err` when nobody can
/// answer (no terminal).
pub type PasswordPrompt<'a> = &'a mut dyn FnMut(&str) -> std::io::Result<String>;

/// The register on a PostgreSQL server: one connection, the schema up to date.
///
/// The store's reads take `&self` and a client query takes `&mut`: the connection sits in a
/// `RefCell` (a store is used by one thread at a time, behind the terminal's lock).
pub struct PgStore {
    client: RefCell<Client>,
    /// The statements prepared on `client` (emptied when it is replaced).
    statements: RefCell<Statements>,
    target: Target,
    server: String,
    /// The audit key, from the file every PC of the site is given.
    keys: KeyFile,
    /// The password the connection was made with (the URL's, the password file's or the
    /// one typed), kept in memory to connect again without asking again.
    password: Option<String>,
    /// When the connection was last used or checked: one idle longer than [`CHECK_AFTER_IDLE`] is
    /// checked before use.
    last_used: Cell<Instant>,
    /// Tables whose old row versions hold text a committed erasure took out: rewritten by
    /// `rewrite_erased` after the commit (VACUUM cannot run inside a transaction).
    erased: Erased,
}

/// A connection idle this long is checked (one empty query) before a job uses it: a server
/// restarted or a network that dropped meanwhile is only seen by using the connection, and
/// a job should find a new connection, not the old one's error. A busy desk pays nothing.
pub const CHECK_AFTER_IDLE: Duration = Duration::from_secs(1);

/// The tables (by name) an erasure changed rows of.
pub type Erased = BTreeSet<&'static str>;

/// The notification channel every terminal's change feed listens on.
pub const CHANNEL: &str = "welcome_desk_changes";

/// Where a PC finds the site's audit key file (the same file on every PC, installed by the
/// administrator); default `server.audit-key` in this PC's data folder.
pub const AUDIT_KEY_ENV: &str = "WELCOME_DESK_AUDIT_KEY";

/// The audit key file of a server site on this PC.
pub fn audit_key_file() -> Result<KeyFile, StoreError> {
    let path = match std::env::var_os(AUDIT_KEY_ENV) {
        Some(p) if !p.is_empty() => std::path::PathBuf::from(p),
        _ => crate::machine::data_folder()
            .map(|d| d.join("server.audit-key"))
            .ok_or_else(|| {
                StoreError::Unsupported(format!(
                    "no data folder for the audit key on this PC; set {AUDIT_KEY_ENV}"
                ))
            })?,
    };
    Ok(KeyFile::installed(&path))
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("server", &self.server)
            .finish()
    }
}

impl PgStore {
    /// Connect to the server of `url` (libpq URI form, see [`connect`]) and bring its schema
    /// up to date.
    ///
    /// The password is the URL's, else the password file's (`PGPASSFILE` or `~/.pgpass`,
    /// used only when private to its owner, as libpq does), else, when the server asks for
    /// one, `prompt`'s. A server that does not answer within the URL's `connect_timeout`
    /// (5 s by default) is `StoreError::Unreachable`; a schema from a newer program is
    /// `StoreError::ServerTooNew` and is left as it is.
    pub fn connect(url: &str, prompt: Option<PasswordPrompt<'_>>) -> Result<PgStore, StoreError> {
        Self::connect_with(url, prompt, audit_key_file()?)
    }

    /// `connect`, with the audit key in `keys`.
    pub fn connect_with(
        url: &str,
        prompt: Option<PasswordPrompt<'_>>,
        keys: KeyFile,
    ) -> Result<PgStore, StoreError> {
        let target = Target::parse(url)?;
        let server = target.describe();
        let (mut client, password) = open_client_with(&target, prompt)?;
        match schema::migrate(&mut client) {
            Ok(migrated) => {
                tracing::info!(
                    from = migrated.found,
                    to = migrated.now,
                    "server schema ready"
                );
            }
            Err(schema::MigrateError::TooNew { found, known }) => {
                return Err(StoreError::ServerTooNew {
                    server,
                    found,
                    known,
                });
            }
            Err(schema::MigrateError::Server(e)) => return Err(classify(&e, &server)),
        }
        Ok(PgStore {
            client: RefCell::new(client),
            statements: RefCell::new(Statements::default()),
            target,
            server,
            keys,
            password,
            last_used: Cell::new(Instant::now()),
            erased: Erased::new(),
        })
    }

    /// Make sure the connection is alive before a job uses it; a lost one (the server
    /// restarted, the network dropped, a reply cut on its way) is replaced by a new one, so
    /// the next job after a failure works by itself. When no new connection can be made,
    /// the old one stays and the job fails with `Unreachable`, to be tried again later.
    fn reconnect_if_lost(&self) {
        let mut client = self.client.borrow_mut();
        let lost = client.is_closed()
            || (self.last_used.get().elapsed() >= CHECK_AFTER_IDLE
                && client.is_valid(self.target.connect_timeout).is_err());
        if lost {
            let again = self.target.tls().and_then(|tls| {
                self.target
                    .config(self.password.as_deref())
                    .connect(tls)
                    .map_err(|e| classify(&e, &self.server))
            });
            match again {
                Ok(fresh) => {
                    tracing::info!("server connection made again");
                    *client = fresh;
                    // Prepared statements live in the server session that just ended.
                    self.statements.borrow_mut().clear();
                }
                Err(e) => tracing::warn!(error = e.kind(), "server still not reachable"),
            }
        }
        // Counted from now: a job that follows at once needs no check.
        self.last_used.set(Instant::now());
    }

    /// The server, for messages (`desk@db.center.local:5432/welcome`): never the password.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// The parsed URL, for the other connections a terminal opens (its change feed).
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// A READ COMMITTED transaction, the level [`tickets`] is written for: its row locks and
    /// its advisory lock make registration and call-next exactly once, without the retries
    /// SERIALIZABLE would cost on every busy morning.
    pub fn transaction(&mut self) -> Result<Tx<'_, '_>, StoreError> {
        self.reconnect_if_lost();
        let server = &self.server;
        let statements = self.statements.get_mut();
        self.client
            .get_mut()
            .build_transaction()
            .isolation_level(IsolationLevel::ReadCommitted)
            .start()
            .map(|tx| Tx::new(tx, statements))
            .map_err(|e| classify(&e, server))
    }

    /// The connection itself, for what is not yet behind the store's traits.
    pub fn client(&mut self) -> &mut Client {
        self.reconnect_if_lost();
        self.client.get_mut()
    }

    /// The connection for a read through `&self`.
    pub fn reader(&self) -> RefMut<'_, Client> {
        self.reconnect_if_lost();
        self.client.borrow_mut()
    }

    /// Run `work` on the connection with its prepared statements, through `&self`.
    pub fn with_reader<T>(
        &self,
        work: impl FnOnce(&mut statements::Reader<'_, '_>) -> tickets::TxResult<T>,
    ) -> tickets::TxResult<T> {
        self.reconnect_if_lost();
        let mut client = self.client.borrow_mut();
        let mut statements = self.statements.borrow_mut();
        work(&mut statements::Reader::new(&mut *client, &mut statements))
    }

    /// A writing transaction: what `Store::begin` gives.
    pub fn begin_tx(&mut self) -> Result<PgTx<'_>, StoreError> {
        self.reconnect_if_lost();
        let server = self.server.clone();
        let statements = self.statements.get_mut();
        let tx = self
            .client
            .get_mut()
            .build_transaction()
            .isolation_level(IsolationLevel::ReadCommitted)
            .start()
            .map_err(|e| classify(&e, &server))?;
        Ok(PgTx {
            tx: Tx::new(tx, statements),
            server,
            keys: &self.keys,
            key: None,
            head: None,
            erased_in: Erased::new(),
            pending: &mut self.erased,
        })
    }

    /// The schema version on the server.
    pub fn schema_version(&mut self) -> Result<i64, StoreError> {
        self.client
            .get_mut()
            .query_one(
                "SELECT COALESCE(MAX(version), 0)::bigint FROM schema_version",
                &[],
            )
            .map(|r| r.get(0))
            .map_err(|e| classify(&e, &self.server))
    }

    /// Map a server error to the store's words; see [`classify`].
    pub fn classify(&self, e: &postgres::Error) -> StoreError {
        classify(e, &self.server)
    }
}

/// One READ COMMITTED transaction on the server (see [`tickets`] for why that level).
pub struct PgTx<'a> {
    pub tx: Tx<'a, 'a>,
    pub server: String,
    pub keys: &'a KeyFile,
    /// The audit key, read once per transaction.
    pub key: Option<Vec<u8>>,
    /// The newest audit entry written, recorded beside the key after the commit.
    pub head: Option<AuditEntry>,
    /// The tables this transaction erased personal data from.
    pub erased_in: Erased,
    /// The store's list of tables to rewrite, which `erased_in` joins if (and only if) the
    /// transaction commits.
    pending: &'a mut Erased,
}

impl PgTx<'_> {
    /// A server error (or the store's refusal) in the store's words.
    pub fn fail(&self, e: tickets::TxError) -> StoreError {
        e.into_store(&self.server)
    }

    pub fn audit_key(&mut self) -> Result<Vec<u8>, StoreError> {
        if let Some(key) = &self.key {
            return Ok(key.clone());
        }
        let key = crate::store::audit_keys::writing_key(self.keys)?;
        self.key = Some(key.clone());
        Ok(key)
    }

    /// Commit, telling every terminal's change feed: the notification is delivered when
    /// (and only if) the transaction commits.
    pub fn commit(mut self) -> Result<(), StoreError> {
        let server = self.server.clone();
        self.tx
            .batch_execute(&format!("NOTIFY {CHANNEL}"))
            .map_err(|e| classify(&e, &server))?;
        self.tx.commit().map_err(|e| classify(&e, &server))?;
        if let Some(entry) = self.head.take() {
            crate::store::AuditKeys::record_head(self.keys, &entry);
        }
        self.pending.append(&mut self.erased_in);
        Ok(())
    }
}

/// Open one connection to `target`, finding its password as [`PgStore::connect`] says.
pub fn open_client(
    target: &Target,
    prompt: Option<PasswordPrompt<'_>>,
) -> Result<Client, StoreError> {
    open_client_with(target, prompt).map(|(client, _)| client)
}

/// [`open_client`], with the password that was used.
fn open_client_with(
    target: &Target,
    prompt: Option<PasswordPrompt<'_>>,
) -> Result<(Client, Option<String>), StoreError> {
    let server = target.describe();
    let tls = target.tls()?;
    let mut password = target.password.clone();
    let mut too_open = None;
    if password.is_none()
        && let Some(path) = connect::pgpass_path()
    {
        match connect::pgpass_lookup(&path, target) {
            Pgpass::Found(p) => password = Some(p),
            Pgpass::NoEntry => {}
            Pgpass::TooOpen(path) => {
                tracing::warn!("password file ignored: others may read it");
                too_open = Some(path);
            }
        }
    }
    match target.config(password.as_deref()).connect(tls.clone()) {
        Ok(client) => Ok((client, password)),
        // The server asked for a password we do not have: ask for it, once, as psql does.
        Err(e) if password.is_none() && is_password_missing(&e) => {
            let Some(prompt) = prompt else {
                let mut reason = String::from(
                    "it asks for a password: put it in the URL, in PGPASSFILE or ~/.pgpass (mode 0600)",
                );
                if let Some(path) = too_open {
                    reason.push_str(&format!(
                        "; {} was not used because others may read it (chmod 0600 it)",
                        path.display()
                    ));
                }
                return Err(StoreError::ServerRefused { server, reason });
            };
            let typed = prompt(&server).map_err(|e| StoreError::ServerRefused {
                server: server.clone(),
                reason: format!("it asks for a password, and none could be read ({e})"),
            })?;
            let client = target
                .config(Some(&typed))
                .connect(tls)
                .map_err(|e| classify(&e, &server))?;
            Ok((client, Some(typed)))
        }
        Err(e) => Err(classify(&e, &server)),
    }
}

fn is_password_missing(e: &postgres::Error) -> bool {
    e.source()
        .is_some_and(|s| s.to_string().contains("password missing"))
}

/// Every `postgres::Error` in the store's words, in one place.
///
/// - no connection (refused, timed out, reset, closed, the server shutting down or
///   starting up, too many connections): `Unreachable`, which a terminal shows as a banner
///   while it reconnects;
/// - a serialization failure, a deadlock or a lock timeout: `Conflict`, retryable, nothing
///   saved;
/// - the server saying no at the door (password, certificate, unknown database or role):
///   `ServerRefused`;
/// - SQLSTATE 42501: `Privilege`, naming what the role lacks;
/// - a full disk, a read-only server: as on SQLite;
/// - anything else: `Database`, with the server's message.
pub fn classify(e: &postgres::Error, server: &str) -> StoreError {
    let unreachable = |detail: String| StoreError::Unreachable {
        server: server.to_string(),
        detail,
    };
    let refused = |reason: String| StoreError::ServerRefused {
        server: server.to_string(),
        reason,
    };
    if let Some(db) = e.as_db_error() {
        let code = db.code();
        let class = &code.code()[..2];
        return match *code {
            SqlState::T_R_SERIALIZATION_FAILURE
            | SqlState::T_R_DEADLOCK_DETECTED
            | SqlState::LOCK_NOT_AVAILABLE => StoreError::Conflict,
            // The two unique keys that only a race can hit: a retry of one registration
            // sent twice at once (the access id), and the numbering's safety net. Rolled
            // back whole; the retry finds what the winner stored.
            SqlState::UNIQUE_VIOLATION
                if matches!(
                    db.constraint(),
                    Some("access_id_key" | "ticket_number_per_queue_and_day")
                ) =>
            {
                StoreError::Conflict
            }
            SqlState::INSUFFICIENT_PRIVILEGE => StoreError::Privilege(db.message().to_string()),
            SqlState::INVALID_PASSWORD => refused("wrong user name or password".into()),
            SqlState::INVALID_AUTHORIZATION_SPECIFICATION | SqlState::INVALID_CATALOG_NAME => {
                refused(db.message().to_string())
            }
            SqlState::TOO_MANY_CONNECTIONS
            | SqlState::ADMIN_SHUTDOWN
            | SqlState::CRASH_SHUTDOWN
            | SqlState::CANNOT_CONNECT_NOW => unreachable(db.message().to_string()),
            SqlState::DISK_FULL => StoreError::DiskFull,
            SqlState::READ_ONLY_SQL_TRANSACTION => StoreError::ReadOnly,
            _ if class == "08" => unreachable(db.message().to_string()),
            _ => StoreError::Database(db.message().to_string()),
        };
    }
    if let Some(tls) = find_in_chain::<rustls::Error>(e) {
        return refused(tls_reason(tls));
    }
    if e.is_closed() {
        return unreachable("the connection was closed".into());
    }
    if let Some(io) = find_in_chain::<std::io::Error>(e) {
        return unreachable(io.to_string());
    }
    let text = match e.source() {
        Some(s) => format!("{e}: {s}"),
        None => e.to_string(),
    };
    if text.contains("server does not support TLS") {
        return refused(
            "it does not accept encrypted connections (the URL says sslmode=require or verify-…)"
                .into(),
        );
    }
    if text.contains("timeout") || text.contains("error connecting") {
        return unreachable(text);
    }
    StoreError::Database(text)
}

/// The first error of type `T` in `e`'s chain, looking inside `io::Error`s too (whose
/// `source` skips the error they wrap, which is where rustls puts its own).
fn find_in_chain<T: std::error::Error + 'static>(e: &postgres::Error) -> Option<&T> {
    let mut next: Option<&(dyn std::error::Error + 'static)> = e.source();
    while let Some(err) = next {
        if let Some(found) = err.downcast_ref::<T>() {
            return Some(found);
        }
        if let Some(io) = err.downcast_ref::<std::io::Error>()
            && let Some(inner) = io.get_ref()
        {
            if let Some(found) = inner.downcast_ref::<T>() {
                return Some(found);
            }
            next = inner.source();
            continue;
        }
        next = err.source();
    }
    None
}

fn tls_reason(e: &rustls::Error) -> String {
    use rustls::CertificateError as C;
    match e {
        rustls::Error::InvalidCertificate(c) => match c {
            C::UnknownIssuer | C::BadSignature => {
                "its certificate is not signed by the certificate authority in sslrootcert (wrong CA file, or an impostor)".into()
            }
            C::NotValidForName | C::NotValidForNameContext { .. } => {
                "its certificate was not issued for the host name in the URL (sslmode=verify-full)".into()
            }
            C::Expired | C::ExpiredContext { .. } => "its certificate has expired".into(),
            C::NotValidYet | C::NotValidYetContext { .. } => {
                "its certificate is not valid yet (check this PC's clock)".into()
            }
            C::Revoked => "its certificate has been revoked".into(),
            other => format!("its certificate was refused ({other:?})"),
        },
        other => format!("the encrypted connection failed ({other})"),
    }
}
