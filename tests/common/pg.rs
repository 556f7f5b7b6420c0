//! A throwaway PostgreSQL cluster for the server engine's tests: its own data directory in a
//! temporary folder, a free loopback port and a private socket directory, so that a test never
//! touches a system cluster (Debian's package may have created one) and two test binaries
//! running at once never share a server.
//!
//! PostgreSQL refuses to run as root; CI runs as root, so there the folder is given to the
//! `postgres` system user and `initdb`/`pg_ctl` run through `runuser`.
//!
//! Include it with `#[path = "common/pg.rs"] mod pg;` (only the server tests pay for it).
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// The role the program connects as: not a superuser, owner of each test database, with a
/// password (scram-sha-256 over TCP), as the README tells a center to create it.
pub const APP_ROLE: &str = "desk";
pub const APP_PASSWORD: &str = "test-only-desk-password";
/// The cluster's superuser, reachable only through the private socket (trust).
const ADMIN: &str = "wd_admin";

const INSTALL_HINT: &str = "PostgreSQL's server binaries (initdb, pg_ctl) were not found on PATH \
     nor under /usr/lib/postgresql/*/bin: install them (Debian/Ubuntu: \
     apt-get install --no-install-recommends postgresql; .ci/run does it)";

/// Names the databases of one test process apart.
static DATABASES: AtomicU32 = AtomicU32::new(0);

/// The tests' cluster: quick, and as safe as a temporary folder needs.
const TEST_SETTINGS: &str = "\n# welcome-desk test cluster\nfsync = off\nfull_page_writes = off\n\
                             max_connections = 60\nshared_buffers = 16MB\n";

/// The README's server settings (section \"A center with several PCs\"); PostgreSQL's
/// defaults otherwise, `fsync` and `full_page_writes` on.
const SERVER_SETTINGS: &str = "\n# welcome-desk bench cluster: the README's server\n\
                               max_connections = 100\nshared_buffers = 1GB\n";

/// A running (or stopped) cluster; stopped and deleted on drop.
pub struct Cluster {
    /// Owns the temporary folder: the data directory, the socket directory and the log.
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    as_postgres: bool,
    running: bool,
    /// How long `initdb` and the first start took, for the README's figures.
    pub started_in: Duration,
}

/// TLS material for a cluster started with `ssl = on`.
pub struct ServerTls<'a> {
    pub cert_pem: &'a str,
    pub key_pem: &'a str,
}

impl Cluster {
    /// Create a cluster in a new temporary folder and start it.
    pub fn start() -> Cluster {
        Cluster::start_with(None, TEST_SETTINGS)
    }

    /// The same, with `ssl = on` and the given server certificate and key.
    pub fn start_with_tls(tls: ServerTls<'_>) -> Cluster {
        Cluster::start_with(Some(tls), TEST_SETTINGS)
    }

    /// A cluster set up as the README sets up a center's server (every commit written
    /// through, the buffers it recommends), for the benches: figures measured on the test
    /// settings (no fsync, tiny buffers) would say nothing about a center.
    #[allow(dead_code)]
    pub fn start_as_server() -> Cluster {
        Cluster::start_with(None, SERVER_SETTINGS)
    }

    fn start_with(tls: Option<ServerTls<'_>>, settings: &str) -> Cluster {
        let began = Instant::now();
        let bin = server_binaries().unwrap_or_else(|| panic!("{INSTALL_HINT}"));
        let as_postgres = running_as_root();
        let dir = tempfile::Builder::new()
            .prefix("wd-pg-")
            .tempdir()
            .expect("a temporary folder for the test cluster");
        std::fs::create_dir(dir.path().join("sock")).expect("the socket folder");
        if as_postgres {
            chown_to_postgres(dir.path());
        }
        let mut cluster = Cluster {
            dir,
            bin,
            port: 0,
            as_postgres,
            running: false,
            started_in: Duration::ZERO,
        };
        cluster.run_checked(
            "initdb",
            &[
                "-D",
                &cluster.data_dir().display().to_string(),
                "-U",
                ADMIN,
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ],
        );
        let mut conf = String::from(settings);
        if let Some(tls) = tls {
            cluster.write_server_file("server.crt", tls.cert_pem);
            cluster.write_server_file("server.key", tls.key_pem);
            conf.push_str("ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n");
        }
        append(&cluster.data_dir().join("postgresql.conf"), &conf);
        // Ports are picked free, but another process may take one before the server binds
        // it: try a few.
        let mut last = String::new();
        for _ in 0..5 {
            cluster.port = free_port();
            match cluster.pg_ctl_start() {
                Ok(()) => {
                    cluster.running = true;
                    cluster.admin_setup();
                    cluster.started_in = began.elapsed();
                    return cluster;
                }
                Err(e) => last = e,
            }
        }
        panic!("the test cluster did not start: {last}");
    }

    /// One cluster for the whole test process (the contract suite's cases each take a fresh
    /// database in it: a cluster per case would cost five seconds each). A static is never
    /// dropped, so a watchdog process stops the server and removes its folder once this test
    /// process has exited, however it exits.
    pub fn shared() -> &'static Cluster {
        static SHARED: std::sync::OnceLock<Cluster> = std::sync::OnceLock::new();
        SHARED.get_or_init(|| {
            let cluster = Cluster::start();
            let pg_ctl = cluster.bin.join("pg_ctl").display().to_string();
            let stop = format!(
                "{pg_ctl} stop -D '{}' -m immediate -w",
                cluster.data_dir().display()
            );
            let stop = if cluster.as_postgres {
                format!("runuser -u postgres -- {stop}")
            } else {
                stop
            };
            let script = format!(
                "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {stop} >/dev/null 2>&1; rm -rf '{dir}'",
                pid = std::process::id(),
                dir = cluster.dir.path().display()
            );
            // Never waited for on purpose: the watchdog must outlive this process to stop
            // the cluster after it (init reaps it).
            #[allow(clippy::zombie_processes)]
            let _watchdog = Command::new("sh")
                .args(["-c", &script])
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .expect("the shared cluster's watchdog");
            cluster
        })
    }

    /// The data directory, for forensics (searching it for erased bytes).
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn socket_dir(&self) -> PathBuf {
        self.dir.path().join("sock")
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Stop the server (immediately, as a crash or a pulled plug would).
    pub fn stop(&mut self) {
        if self.running {
            self.run_checked(
                "pg_ctl",
                &[
                    "stop",
                    "-D",
                    &self.data_dir().display().to_string(),
                    "-m",
                    "immediate",
                    "-w",
                ],
            );
            self.running = false;
        }
    }

    /// Start the stopped server again, on the same port and data.
    pub fn start_again(&mut self) {
        if !self.running {
            self.pg_ctl_start()
                .unwrap_or_else(|e| panic!("the test cluster did not start again: {e}"));
            self.running = true;
        }
    }

    /// Restart the running server with `pg_ctl restart -m fast`, as an administrator's
    /// restart (or an upgrade) would: sessions are ended, their open transactions rolled
    /// back, and the server comes back on the same port and data. Returns once it accepts
    /// connections again.
    pub fn restart_server(&self) {
        assert!(self.running, "restart_server: the server is not running");
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1",
            self.port,
            self.socket_dir().display()
        );
        self.run_checked(
            "pg_ctl",
            &[
                "restart",
                "-D",
                &self.data_dir().display().to_string(),
                "-l",
                &self.dir.path().join("server.log").display().to_string(),
                "-o",
                &options,
                "-m",
                "fast",
                "-w",
                "-t",
                "30",
            ],
        );
    }

    /// The program's URL for database `dbname`: TCP to 127.0.0.1, the application role and
    /// its password.
    pub fn url(&self, dbname: &str) -> String {
        format!(
            "postgresql://{APP_ROLE}:{APP_PASSWORD}@127.0.0.1:{}/{dbname}",
            self.port
        )
    }

    /// A new, empty database owned by the application role; its URL.
    pub fn fresh_database(&self) -> String {
        let name = format!(
            "wd_{}_{}",
            std::process::id(),
            DATABASES.fetch_add(1, Ordering::Relaxed)
        );
        self.admin_execute(&format!("CREATE DATABASE {name} OWNER {APP_ROLE}"));
        self.url(&name)
    }

    /// Run SQL as the cluster's superuser (over the private socket) in database `postgres`.
    pub fn admin_execute(&self, sql: &str) {
        self.admin_execute_in("postgres", sql);
    }

    /// Run SQL as the cluster's superuser in database `dbname`.
    pub fn admin_execute_in(&self, dbname: &str, sql: &str) {
        let mut client = self.admin_client(dbname);
        client
            .batch_execute(sql)
            .unwrap_or_else(|e| panic!("as superuser in {dbname}: {sql}: {e}"));
    }

    /// A superuser connection over the private socket, for what a test must see or do behind
    /// the program's back.
    pub fn admin_client(&self, dbname: &str) -> postgres::Client {
        postgres::Config::new()
            .host_path(self.socket_dir())
            .port(self.port)
            .user(ADMIN)
            .dbname(dbname)
            .connect(postgres::NoTls)
            .unwrap_or_else(|e| panic!("superuser connection to the test cluster: {e}"))
    }

    /// The server's log, for a failing test's message.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    fn admin_setup(&self) {
        self.admin_execute(&format!(
            "CREATE ROLE {APP_ROLE} LOGIN PASSWORD '{APP_PASSWORD}' \
             NOSUPERUSER NOCREATEDB NOCREATEROLE"
        ));
    }

    fn pg_ctl_start(&self) -> Result<(), String> {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1",
            self.port,
            self.socket_dir().display()
        );
        let out = self.run(
            "pg_ctl",
            &[
                "-D",
                &self.data_dir().display().to_string(),
                "-l",
                &self.dir.path().join("server.log").display().to_string(),
                "-o",
                &options,
                "-w",
                "-t",
                "30",
                "start",
            ],
        );
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "pg_ctl start: {}{}\nserver log:\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr),
                self.log()
            ))
        }
    }

    /// A file the server reads (its key must belong to the server's user, mode 0600).
    fn write_server_file(&self, name: &str, contents: &str) {
        use std::os::unix::fs::PermissionsExt;
        let path = self.data_dir().join(name);
        std::fs::write(&path, contents).expect("a server file in the data directory");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
            .expect("server file permissions");
        if self.as_postgres {
            chown_to_postgres(&path);
        }
    }

    fn run(&self, tool: &str, args: &[&str]) -> Output {
        let program = self.bin.join(tool);
        let mut command = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&program);
            c
        } else {
            Command::new(&program)
        };
        // The server's user may not enter the caller's working directory (/root).
        command
            .args(args)
            .current_dir(self.dir.path())
            .env("LC_ALL", "C")
            .output()
            .unwrap_or_else(|e| panic!("{}: {e}", program.display()))
    }

    fn run_checked(&self, tool: &str, args: &[&str]) {
        let out = self.run(tool, args);
        assert!(
            out.status.success(),
            "{tool} {args:?} failed: {}{}\nserver log:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            self.log()
        );
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if self.running {
            // Not `stop`: a panic inside drop (during a failing test's unwinding) would abort
            // and hide the test's own message.
            let _ = self.run(
                "pg_ctl",
                &[
                    "stop",
                    "-D",
                    &self.data_dir().display().to_string(),
                    "-m",
                    "immediate",
                    "-w",
                ],
            );
        }
        // The TempDir removes the folder after this.
    }
}

/// The folder holding `initdb` and `pg_ctl`: PATH first, then Debian's versioned folders
/// (newest version first), where `apt-get install postgresql` puts them off PATH.
pub fn server_binaries() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    let has_tools = |d: &Path| d.join("initdb").is_file() && d.join("pg_ctl").is_file();
    if let Some(d) = on_path.into_iter().find(|d| has_tools(d)) {
        return Some(d);
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| {
            let e = e.ok()?;
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            has_tools(&bin).then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn chown_to_postgres(path: &Path) {
    let status = Command::new("chown")
        .args(["-R", "postgres:postgres"])
        .arg(path)
        .status()
        .expect("chown");
    assert!(
        status.success(),
        "chown -R postgres {}: running as root needs the `postgres` system user \
         (Debian's postgresql package creates it)",
        path.display()
    );
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

fn append(path: &Path, text: &str) {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    f.write_all(text.as_bytes())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}
