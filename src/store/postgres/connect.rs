//! Where the server is and how to reach it: libpq's URI form, its password file and its TLS
//! modes, so that a center's IT can use the URL they already give `psql`.
//!
//! Supported: `postgresql://` and `postgres://`, `user[:password]@host[:port]/dbname`, a host
//! that is a Unix-socket folder (`?host=/run/postgresql`, or percent-encoded in the
//! authority), and the parameters `host`, `port`, `dbname`, `user`, `password`, `sslmode`,
//! `sslrootcert`, `connect_timeout` and `application_name`. Anything else is refused by name
//! rather than ignored (a misspelt `sslmode` must not silently connect in clear).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};

use crate::domain::visitor::FieldError;
use crate::store::StoreError;

/// How long a terminal waits for the server to answer a connection, as libpq's
/// `connect_timeout` would say it. Short: a desk with no server should say so, not hang.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

const DEFAULT_PORT: u16 = 5432;
/// Debian's and most distributions' socket folder (libpq's compiled-in default there).
const DEFAULT_SOCKET_DIR: &str = "/run/postgresql";

/// Whether `--db` names a server rather than a file.
pub fn is_server_url(db: &str) -> bool {
    db.starts_with("postgresql://") || db.starts_with("postgres://")
}

/// libpq's `sslmode`, with libpq's meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    /// Never encrypted.
    Disable,
    /// Encrypted if the server offers it, the certificate not checked (libpq's default).
    Prefer,
    /// Encrypted, the certificate not checked (unless a CA file is given: then as VerifyCa).
    Require,
    /// Encrypted, the certificate signed by the CA file's authority.
    VerifyCa,
    /// Encrypted, the certificate signed by the CA and issued for the host connected to.
    VerifyFull,
}

impl SslMode {
    fn parse(s: &str) -> Option<SslMode> {
        Some(match s {
            "disable" => SslMode::Disable,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            // libpq's "allow" tries clear text first: a register of personal data has no
            // use for it.
            _ => return None,
        })
    }
}

/// Where the server listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    /// A name or an address, over TCP.
    Tcp(String),
    /// A folder holding the server's Unix socket.
    Socket(PathBuf),
}

/// A parsed server URL.
#[derive(Clone, PartialEq, Eq)]
pub struct Target {
    pub host: Host,
    pub port: u16,
    pub dbname: String,
    pub user: String,
    pub password: Option<String>,
    pub ssl: SslMode,
    pub root_cert: Option<PathBuf>,
    pub connect_timeout: Duration,
    pub application_name: Option<String>,
}

// By hand: the derived one would print the password.
impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("server", &self.describe())
            .field("password", &self.password.as_ref().map(|_| "…"))
            .field("ssl", &self.ssl)
            .field("root_cert", &self.root_cert)
            .finish()
    }
}

fn bad_url(message: impl Into<String>) -> StoreError {
    StoreError::Input(FieldError::new("database URL", message))
}

impl Target {
    /// Parse a libpq URI. Defaults as libpq's: the user is the operating-system user, the
    /// database is named after the user, the host is the local socket folder, the port 5432,
    /// `sslmode=prefer`. Errors never quote the password.
    pub fn parse(url: &str) -> Result<Target, StoreError> {
        let rest = url
            .strip_prefix("postgresql://")
            .or_else(|| url.strip_prefix("postgres://"))
            .ok_or_else(|| bad_url("a server URL starts with postgresql:// or postgres://"))?;
        let (before_query, query) = match rest.split_once('?') {
            Some((b, q)) => (b, Some(q)),
            None => (rest, None),
        };
        let (authority, path) = match before_query.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (before_query, None),
        };
        // The last '@': a password may hold one, percent-encoded or not.
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, authority),
        };
        let mut user = None;
        let mut password = None;
        if let Some(info) = userinfo {
            let (u, p) = match info.split_once(':') {
                Some((u, p)) => (u, Some(p)),
                None => (info, None),
            };
            if !u.is_empty() {
                user = Some(decode(u, "user name")?);
            }
            password = p.map(|p| decode(p, "password")).transpose()?;
        }
        if hostport.contains(',') {
            return Err(bad_url(
                "several hosts are not supported: give the one server the center uses",
            ));
        }
        let (host_part, port_part) = split_host_port(hostport)?;
        let mut host = match host_part {
            "" => None,
            h => Some(decode(h, "host")?),
        };
        let mut port = port_part.map(parse_port).transpose()?;
        let mut dbname = match path {
            Some(p) if !p.is_empty() => Some(decode(p, "database name")?),
            _ => None,
        };
        let mut ssl = SslMode::Prefer;
        let mut root_cert = None;
        let mut connect_timeout = DEFAULT_CONNECT_TIMEOUT;
        let mut application_name = None;
        for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').ok_or_else(|| {
                bad_url(format!(
                    "'{}' in the query has no value (expected name=value)",
                    decode_lossy(pair)
                ))
            })?;
            let key = decode(key, "parameter name")?;
            // A password must not reach an error message through its value.
            if key == "password" {
                password = Some(decode(value, "password")?);
                continue;
            }
            let value = decode(value, &key)?;
            match key.as_str() {
                "host" => host = Some(value),
                "port" => port = Some(parse_port(&value)?),
                "dbname" => dbname = Some(value),
                "user" => user = Some(value),
                "sslmode" => {
                    ssl = SslMode::parse(&value).ok_or_else(|| {
                        bad_url(format!(
                            "sslmode: '{value}' is not one of disable, prefer, require, verify-ca, verify-full"
                        ))
                    })?;
                }
                "sslrootcert" => {
                    if value == "system" {
                        return Err(bad_url(
                            "sslrootcert=system is not supported: give the CA's file (sslrootcert=/path/ca.pem)",
                        ));
                    }
                    root_cert = Some(PathBuf::from(value));
                }
                "connect_timeout" => {
                    let secs: u64 = value.parse().map_err(|_| {
                        bad_url(format!(
                            "connect_timeout: '{value}' is not a number of seconds"
                        ))
                    })?;
                    // libpq: zero waits forever, and below 2 s counts as 2.
                    connect_timeout = match secs {
                        0 => Duration::from_secs(3600),
                        s => Duration::from_secs(s.max(2)),
                    };
                }
                "application_name" => application_name = Some(value),
                other => {
                    return Err(bad_url(format!(
                        "'{other}' is not a parameter this program understands (host, port, dbname, user, password, sslmode, sslrootcert, connect_timeout, application_name)"
                    )));
                }
            }
        }
        let host = match host {
            Some(h) if h.starts_with('/') => Host::Socket(PathBuf::from(h)),
            Some(h) => Host::Tcp(h),
            None => Host::Socket(PathBuf::from(DEFAULT_SOCKET_DIR)),
        };
        let user = match user {
            Some(u) => u,
            None => os_user()
                .ok_or_else(|| bad_url("no user name: give one (postgresql://USER@host/dbname)"))?,
        };
        let dbname = dbname.unwrap_or_else(|| user.clone());
        // libpq: require with a CA file checks the chain, as verify-ca.
        if ssl == SslMode::Require && root_cert.is_some() {
            ssl = SslMode::VerifyCa;
        }
        Ok(Target {
            host,
            port: port.unwrap_or(DEFAULT_PORT),
            dbname,
            user,
            password,
            ssl,
            root_cert,
            connect_timeout,
            application_name,
        })
    }

    /// The server for messages and logs, never with its password:
    /// `desk@db.center.local:5432/welcome`, or `desk@/run/postgresql:5432/welcome` for a
    /// socket.
    pub fn describe(&self) -> String {
        let host = match &self.host {
            Host::Tcp(h) if h.contains(':') => format!("[{h}]"),
            Host::Tcp(h) => h.clone(),
            Host::Socket(dir) => dir.display().to_string(),
        };
        format!("{}@{host}:{}/{}", self.user, self.port, self.dbname)
    }

    /// The name this target has in a password file: libpq matches a socket connection in
    /// the default folder as `localhost`.
    fn pgpass_hosts(&self) -> Vec<String> {
        match &self.host {
            Host::Tcp(h) => vec![h.clone()],
            Host::Socket(dir) => {
                let dir = dir.display().to_string();
                let default = ["/run/postgresql", "/var/run/postgresql", "/tmp"];
                if default.contains(&dir.trim_end_matches('/')) {
                    vec![dir, "localhost".into()]
                } else {
                    vec![dir]
                }
            }
        }
    }

    /// The client's settings, without TLS: the password as found, keepalives so that a
    /// vanished server is noticed within seconds rather than the system's two hours.
    pub(super) fn config(&self, password: Option<&str>) -> postgres::Config {
        let mut config = postgres::Config::new();
        match &self.host {
            Host::Tcp(h) => config.host(h),
            Host::Socket(dir) => config.host_path(dir),
        };
        config
            .port(self.port)
            .user(&self.user)
            .dbname(&self.dbname)
            .connect_timeout(self.connect_timeout)
            // A pulled cable closes nothing: only an unanswered probe tells. The terminal
            // must show "server not reachable" within about 2 s (issue 13): a probe after
            // 1 s of silence, another a second later, and the connection given up when the
            // first is still unanswered then. The cost is one tiny TCP segment a second per
            // idle connection (no query, nothing for the server to run), a few per PC.
            .keepalives(true)
            .keepalives_idle(Duration::from_secs(1))
            .keepalives_interval(Duration::from_secs(1))
            .keepalives_retries(1)
            // The same 2 s for what was sent and not acknowledged (a COMMIT whose cable was
            // just pulled), which keepalives do not cover; on Linux it also bounds the
            // probes above. A network that stalls that long makes the terminal connect
            // again, which it does by itself, and a lost reply is retried without harm.
            .tcp_user_timeout(Duration::from_secs(2))
            .application_name(self.application_name.as_deref().unwrap_or("welcome-desk"))
            // Unqualified names are the register's tables, and nothing in another schema
            // (public, which other roles may write) can stand in for them.
            .options(&format!(
                "-c search_path={},pg_catalog",
                super::schema::SCHEMA
            ))
            .ssl_mode(match (&self.host, self.ssl) {
                // libpq ignores sslmode on a Unix socket: it never leaves the machine.
                (Host::Socket(_), _) | (_, SslMode::Disable) => postgres::config::SslMode::Disable,
                (_, SslMode::Prefer) => postgres::config::SslMode::Prefer,
                _ => postgres::config::SslMode::Require,
            });
        if let Some(p) = password {
            config.password(p);
        }
        config
    }

    /// The rustls connector for this target's `sslmode` and CA file.
    pub(super) fn tls(&self) -> Result<tokio_postgres_rustls::MakeRustlsConnect, StoreError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| StoreError::Database(format!("TLS set-up: {e}")))?;
        let verifier: Arc<dyn ServerCertVerifier> = match self.ssl {
            SslMode::Disable | SslMode::Prefer | SslMode::Require => {
                Arc::new(Unchecked(provider.clone()))
            }
            SslMode::VerifyCa | SslMode::VerifyFull => {
                let roots = self.roots()?;
                let webpki = WebPkiServerVerifier::builder_with_provider(roots, provider.clone())
                    .build()
                    .map_err(|e| StoreError::Database(format!("TLS set-up: {e}")))?;
                if self.ssl == SslMode::VerifyCa {
                    Arc::new(AnyName(webpki))
                } else {
                    webpki
                }
            }
        };
        let config = builder
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth();
        Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
    }

    /// The CA file's certificates: `sslrootcert`, else libpq's `~/.postgresql/root.crt`.
    fn roots(&self) -> Result<Arc<RootCertStore>, StoreError> {
        let path = match &self.root_cert {
            Some(p) => p.clone(),
            None => home()
                .map(|h| h.join(".postgresql/root.crt"))
                .filter(|p| p.is_file())
                .ok_or_else(|| {
                    bad_url(
                        "sslmode verify-ca and verify-full need the certificate authority's file: add sslrootcert=/path/ca.pem",
                    )
                })?,
        };
        let shown = path.display().to_string();
        let pem = std::fs::read(&path).map_err(|e| StoreError::Io {
            context: format!("sslrootcert {shown}"),
            source: Arc::new(e),
        })?;
        let mut roots = RootCertStore::empty();
        for cert in CertificateDer::pem_slice_iter(&pem) {
            let cert = cert.map_err(|e| {
                StoreError::Input(FieldError::new(
                    "sslrootcert",
                    format!("{shown}: not a PEM certificate file ({e})"),
                ))
            })?;
            roots.add(cert).map_err(|e| {
                StoreError::Input(FieldError::new(
                    "sslrootcert",
                    format!("{shown}: a certificate in it is not usable ({e})"),
                ))
            })?;
        }
        if roots.is_empty() {
            return Err(StoreError::Input(FieldError::new(
                "sslrootcert",
                format!("{shown}: holds no certificate"),
            )));
        }
        Ok(Arc::new(roots))
    }
}

/// A URL for messages without its password, even when it does not parse: the password in
/// the authority and a `password=` parameter are replaced by `…`.
pub fn redact(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((s, r)) => (Some(s), r),
        None => (None, url),
    };
    let (before_query, query) = match rest.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (rest, None),
    };
    let (authority, path) = match before_query.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (before_query, None),
    };
    let authority = match authority.rsplit_once('@') {
        Some((info, host)) => match info.split_once(':') {
            Some((user, _)) => format!("{user}:…@{host}"),
            None => authority.to_string(),
        },
        None => authority.to_string(),
    };
    let mut out = String::new();
    if let Some(s) = scheme {
        out.push_str(s);
        out.push_str("://");
    }
    out.push_str(&authority);
    if let Some(p) = path {
        out.push('/');
        out.push_str(p);
    }
    if let Some(q) = query {
        let pairs: Vec<String> = q
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((k, _)) if decode_lossy(k) == "password" => format!("{k}=…"),
                _ => pair.to_string(),
            })
            .collect();
        out.push('?');
        out.push_str(&pairs.join("&"));
    }
    out
}

fn split_host_port(hostport: &str) -> Result<(&str, Option<&str>), StoreError> {
    if let Some(rest) = hostport.strip_prefix('[') {
        let (host, after) = rest
            .split_once(']')
            .ok_or_else(|| bad_url("an IPv6 address in [ ] is not closed"))?;
        return match after {
            "" => Ok((host, None)),
            a => a
                .strip_prefix(':')
                .map(|p| (host, Some(p)))
                .ok_or_else(|| bad_url("after an IPv6 address in [ ] only :PORT may follow")),
        };
    }
    Ok(match hostport.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (hostport, None),
    })
}

fn parse_port(s: &str) -> Result<u16, StoreError> {
    s.parse::<u16>()
        .ok()
        .filter(|p| *p > 0)
        .ok_or_else(|| bad_url(format!("port: '{s}' is not a port number (1-65535)")))
}

/// Percent-decoding (RFC 3986), to UTF-8 text.
fn decode(s: &str, what: &str) -> Result<String, StoreError> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| bad_url(format!("{what}: a '%' not followed by two hex digits")))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| bad_url(format!("{what}: percent-encoded bytes not UTF-8")))
}

fn decode_lossy(s: &str) -> String {
    decode(s, "").unwrap_or_else(|_| s.to_string())
}

fn os_user() -> Option<String> {
    ["PGUSER", "USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|u| !u.is_empty()))
}

fn home() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf())
}

/// What the password file gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pgpass {
    Found(String),
    NoEntry,
    /// libpq's rule: a file that others may read is not used (and not believed).
    TooOpen(PathBuf),
}

/// The password file libpq would read: `PGPASSFILE`, else `~/.pgpass`.
pub fn pgpass_path() -> Option<PathBuf> {
    std::env::var_os("PGPASSFILE")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| home().map(|h| h.join(".pgpass")))
}

/// Look `target` up in the password file at `path` (absent file: no entry).
pub fn pgpass_lookup(path: &Path, target: &Target) -> Pgpass {
    let Ok(meta) = std::fs::metadata(path) else {
        return Pgpass::NoEntry;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o077 != 0 {
            return Pgpass::TooOpen(path.to_path_buf());
        }
    }
    if !meta.is_file() {
        return Pgpass::NoEntry;
    }
    match std::fs::read_to_string(path) {
        Ok(text) => pgpass_match(&text, target).map_or(Pgpass::NoEntry, Pgpass::Found),
        Err(_) => Pgpass::NoEntry,
    }
}

/// The first line of a password file that matches `target`:
/// `hostname:port:database:username:password`, `*` matching anything in the first four
/// fields, `\:` and `\\` escaping, `#` starting a comment line.
pub fn pgpass_match(text: &str, target: &Target) -> Option<String> {
    let hosts = target.pgpass_hosts();
    let port = target.port.to_string();
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields = split_pgpass_line(line);
        let [host, p, db, user, password] = fields.as_slice() else {
            continue;
        };
        let matches = |field: &str, value: &str| field == "*" || field == value;
        if (host == "*" || hosts.iter().any(|h| h == host))
            && matches(p, &port)
            && matches(db, &target.dbname)
            && matches(user, &target.user)
        {
            return Some(password.clone());
        }
    }
    None
}

/// The five fields of a password-file line; the password takes everything after the fourth
/// separator, colons included (libpq does the same).
fn split_pgpass_line(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let (Some(next), Some(f)) = (chars.next(), fields.last_mut()) {
                    f.push(next);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => {
                if let Some(f) = fields.last_mut() {
                    f.push(c);
                }
            }
        }
    }
    fields
}

/// `sslmode=prefer` and `require`: encrypted, the certificate not checked (libpq's meaning:
/// protects against listening, not against a server impersonated). The handshake's
/// signatures are still checked, so the session key is the certificate owner's.
#[derive(Debug)]
struct Unchecked(Arc<CryptoProvider>);

impl ServerCertVerifier for Unchecked {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `sslmode=verify-ca`: the chain must lead to the CA file, whatever host name the
/// certificate was issued for.
#[derive(Debug)]
struct AnyName(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for AnyName {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(url: &str) -> Target {
        Target::parse(url).unwrap_or_else(|e| panic!("{url}: {e}"))
    }

    fn refused(url: &str) -> String {
        match Target::parse(url) {
            Ok(t) => panic!("{url} parsed as {t:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn a_full_url() {
        let t = parse(
            "postgresql://desk:s%40cret@db.center.local:6543/welcome?sslmode=verify-full&sslrootcert=/etc/wd/ca.pem&connect_timeout=3",
        );
        assert_eq!(t.host, Host::Tcp("db.center.local".into()));
        assert_eq!(t.port, 6543);
        assert_eq!(t.dbname, "welcome");
        assert_eq!(t.user, "desk");
        assert_eq!(t.password.as_deref(), Some("s@cret"));
        assert_eq!(t.ssl, SslMode::VerifyFull);
        assert_eq!(t.root_cert, Some(PathBuf::from("/etc/wd/ca.pem")));
        assert_eq!(t.connect_timeout, Duration::from_secs(3));
        assert_eq!(t.describe(), "desk@db.center.local:6543/welcome");
    }

    #[test]
    fn both_schemes_and_libpq_defaults() {
        let t = parse("postgres://desk@10.0.0.5/welcome");
        assert_eq!(t.host, Host::Tcp("10.0.0.5".into()));
        assert_eq!(t.port, 5432);
        assert_eq!(t.ssl, SslMode::Prefer);
        assert_eq!(t.password, None);
        assert_eq!(t.connect_timeout, DEFAULT_CONNECT_TIMEOUT);
        // No database: named after the user; no host: the local socket folder.
        let t = parse("postgresql://desk@");
        assert_eq!(t.dbname, "desk");
        assert_eq!(t.host, Host::Socket(PathBuf::from("/run/postgresql")));
    }

    #[test]
    fn a_socket_folder_in_the_query_or_the_authority() {
        let t = parse("postgresql:///welcome?host=/run/postgresql&user=desk");
        assert_eq!(t.host, Host::Socket(PathBuf::from("/run/postgresql")));
        assert_eq!(t.dbname, "welcome");
        assert_eq!(t.user, "desk");
        assert_eq!(t.describe(), "desk@/run/postgresql:5432/welcome");
        let t = parse("postgresql://desk@%2Fvar%2Frun%2Fpostgresql:5433/welcome");
        assert_eq!(t.host, Host::Socket(PathBuf::from("/var/run/postgresql")));
        assert_eq!(t.port, 5433);
    }

    #[test]
    fn ipv6_and_query_overrides() {
        let t = parse("postgresql://desk@[::1]:5433/a?dbname=b&port=5434&user=other");
        assert_eq!(t.host, Host::Tcp("::1".into()));
        assert_eq!(t.port, 5434);
        assert_eq!(t.dbname, "b");
        assert_eq!(t.user, "other");
        assert_eq!(t.describe(), "other@[::1]:5434/b");
    }

    #[test]
    fn sslmodes_as_libpq_means_them() {
        for (mode, want) in [
            ("disable", SslMode::Disable),
            ("prefer", SslMode::Prefer),
            ("require", SslMode::Require),
            ("verify-ca", SslMode::VerifyCa),
            ("verify-full", SslMode::VerifyFull),
        ] {
            assert_eq!(
                parse(&format!("postgresql://d@h/x?sslmode={mode}")).ssl,
                want
            );
        }
        // require with a CA file checks the chain.
        let t = parse("postgresql://d@h/x?sslmode=require&sslrootcert=ca.pem");
        assert_eq!(t.ssl, SslMode::VerifyCa);
        assert!(refused("postgresql://d@h/x?sslmode=verify_full").contains("sslmode"));
        assert!(refused("postgresql://d@h/x?sslmode=allow").contains("sslmode"));
    }

    #[test]
    fn what_is_not_understood_is_refused_by_name() {
        assert!(refused("postgresql://d@h/x?sslcert=c.pem").contains("'sslcert'"));
        assert!(refused("postgresql://d@h1,h2/x").contains("several hosts"));
        assert!(refused("postgresql://d@h:99999/x").contains("port"));
        assert!(refused("postgresql://d@h:/x").contains("port"));
        assert!(refused("mysql://d@h/x").contains("postgresql://"));
        assert!(refused("postgresql://d@h/x?sslmode").contains("no value"));
        assert!(refused("postgresql://d@h/%zz").contains("hex"));
    }

    #[test]
    fn a_password_never_reaches_a_message() {
        let secret = "Pa55-very-secret";
        for url in [
            format!("postgresql://desk:{secret}@h/x?sslmode=nonsense"),
            format!("postgresql://desk@h/x?password={secret}&bogus=1"),
            format!("postgresql://desk@h/x?password={secret}%"),
        ] {
            let message = refused(&url);
            assert!(!message.contains(secret), "{message}");
            assert!(!redact(&url).contains(secret), "{}", redact(&url));
        }
        let t = parse(&format!("postgresql://desk:{secret}@h/x"));
        assert!(!format!("{t:?}").contains(secret));
        assert!(!t.describe().contains(secret));
        assert_eq!(
            redact(&format!(
                "postgresql://desk:{secret}@h:5432/x?sslmode=require&password={secret}"
            )),
            "postgresql://desk:…@h:5432/x?sslmode=require&password=…"
        );
        assert_eq!(redact("postgresql://desk@h/x"), "postgresql://desk@h/x");
    }

    #[test]
    fn password_file_lines_as_libpq_reads_them() {
        let t = parse("postgresql://desk@db.center.local:5432/welcome");
        let file = "# the center's server\n\
                    other.host:5432:welcome:desk:wrong\n\
                    db.center.local:5432:welcome:admin:wrong\n\
                    db.center.local:*:welcome:desk:pa\\:ss\\\\word:with:colons\n\
                    *:*:*:*:fallback\n";
        assert_eq!(
            pgpass_match(file, &t).as_deref(),
            Some("pa:ss\\word:with:colons")
        );
        let elsewhere = parse("postgresql://desk@another:5432/welcome");
        assert_eq!(pgpass_match(file, &elsewhere).as_deref(), Some("fallback"));
        assert_eq!(pgpass_match("h:5432:x:desk\n", &t), None, "four fields");
        // A socket in the default folder matches `localhost`.
        let socket = parse("postgresql:///welcome?host=/run/postgresql&user=desk");
        assert_eq!(
            pgpass_match("localhost:5432:welcome:desk:local\r\n", &socket).as_deref(),
            Some("local")
        );
        let other_socket = parse("postgresql:///welcome?host=/srv/pg&user=desk");
        assert_eq!(
            pgpass_match("localhost:5432:welcome:desk:local", &other_socket),
            None
        );
        assert_eq!(
            pgpass_match("/srv/pg:5432:welcome:desk:mine", &other_socket).as_deref(),
            Some("mine")
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_password_file_others_can_read_is_not_used() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("pgpass");
        std::fs::write(&path, "*:*:*:*:secret\n").expect("write");
        let t = parse("postgresql://desk@h/x");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        assert_eq!(pgpass_lookup(&path, &t), Pgpass::TooOpen(path.clone()));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        assert_eq!(pgpass_lookup(&path, &t), Pgpass::Found("secret".into()));
        assert_eq!(
            pgpass_lookup(&dir.path().join("absent"), &t),
            Pgpass::NoEntry
        );
    }
}
