//! A real PostgreSQL server for tests and benchmarks: `initdb` into a
//! temporary folder, `postgres` on a free port of 127.0.0.1 (no Unix
//! socket), stopped when dropped.
//!
//! PostgreSQL refuses to run as root, and CI runs as root: then the server
//! runs as the `postgres` user the Debian package creates (else `nobody`),
//! through `setpriv`, in a folder owned by that user. Missing binaries skip
//! the caller (with a message) unless `CI` is set, where they fail it.

#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The administrator's name and password in every test server.
pub const ADMIN: &str = "refnotes_admin";
pub const ADMIN_PASSWORD: &str = "admin-pw";

pub struct PgServer {
    /// Keeps the data folder until the server is gone.
    _dir: tempfile::TempDir,
    data: PathBuf,
    bin: PathBuf,
    pub port: u16,
    child: Option<Child>,
    /// The uid and gid the server runs as, when the tests run as root.
    run_as: Option<(u32, u32)>,
}

/// The folder of `initdb` and `postgres`: on PATH, else the newest
/// `/usr/lib/postgresql/<version>/bin` (Debian keeps them off PATH).
fn bin_dir() -> Option<PathBuf> {
    if let Some(paths) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&paths) {
            if dir.join("initdb").is_file() && dir.join("postgres").is_file() {
                return Some(dir);
            }
        }
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin)
}

/// The uid and gid of `name`, from the password database.
fn user_ids(name: &str) -> Option<(u32, u32)> {
    let name = std::ffi::CString::new(name).ok()?;
    // SAFETY: getpwnam returns null or a pointer to a static record, read at once.
    let entry = unsafe { libc::getpwnam(name.as_ptr()) };
    if entry.is_null() {
        return None;
    }
    // SAFETY: checked non-null above.
    let entry = unsafe { &*entry };
    Some((entry.pw_uid, entry.pw_gid))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port on 127.0.0.1")
        .port()
}

/// Loads the folder `root` into `url`'s collection through the real binary
/// (`refnotes index --quiet --corpus ROOT --to URL`, its cache in `cache`),
/// asserting it succeeds; returns what it printed.
pub fn index_to(cache: &Path, root: &Path, url: &str) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_refnotes"))
        .env("REFNOTES_CACHE_DIR", cache)
        .args(["index", "--quiet", "--corpus"])
        .arg(root)
        .args(["--to", url])
        .output()
        .expect("refnotes runs");
    assert!(
        output.status.success(),
        "index --to failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

impl PgServer {
    /// A running server, or `None` (with a message) when PostgreSQL is not
    /// installed and `CI` is unset.
    pub fn start() -> Option<PgServer> {
        let Some(bin) = bin_dir() else {
            assert!(
                std::env::var_os("CI").is_none(),
                "PostgreSQL is not installed (no initdb on PATH or in /usr/lib/postgresql/*/bin); \
                 .ci/run installs the postgresql package"
            );
            eprintln!("skipped: PostgreSQL is not installed (initdb not found)");
            return None;
        };
        let dir = tempfile::tempdir().expect("a temporary folder");
        // SAFETY: geteuid has no preconditions.
        let root = unsafe { libc::geteuid() } == 0;
        let run_as = if root {
            Some(
                user_ids("postgres")
                    .or_else(|| user_ids("nobody"))
                    .expect("a `postgres` or `nobody` user to run PostgreSQL as"),
            )
        } else {
            None
        };
        if let Some((uid, gid)) = run_as {
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid)).expect("chown");
        }
        let data = dir.path().join("data");
        let pwfile = dir.path().join("pw");
        std::fs::write(&pwfile, ADMIN_PASSWORD).unwrap();
        if let Some((uid, gid)) = run_as {
            std::os::unix::fs::chown(&pwfile, Some(uid), Some(gid)).expect("chown");
        }
        let mut server = PgServer {
            _dir: dir,
            data,
            bin,
            port: 0,
            child: None,
            run_as,
        };
        let status = server
            .command("initdb")
            .args([
                "--auth=scram-sha-256",
                "--username",
                ADMIN,
                "--encoding=UTF8",
            ])
            .args(["--no-sync", "--locale=C.UTF-8"])
            .arg("--pwfile")
            .arg(&pwfile)
            .arg("-D")
            .arg(&server.data)
            .stdout(Stdio::null())
            .status()
            .expect("initdb runs");
        assert!(status.success(), "initdb failed: {status}");
        server.run();
        Some(server)
    }

    /// A command for one of PostgreSQL's binaries, as the server's user.
    fn command(&self, name: &str) -> Command {
        let program = self.bin.join(name);
        match self.run_as {
            Some((uid, gid)) => {
                let mut command = Command::new("setpriv");
                command
                    .arg(format!("--reuid={uid}"))
                    .arg(format!("--regid={gid}"))
                    .arg("--clear-groups")
                    .arg(program);
                command
            }
            None => Command::new(program),
        }
    }

    /// Starts the server and waits until it takes connections: on its
    /// earlier port when it ran before (clients keep their URLs), else on a
    /// free one.
    pub fn run(&mut self) {
        assert!(self.child.is_none(), "the server is running");
        if self.port == 0 {
            self.port = free_port();
        }
        let log = std::fs::File::create(self.data.with_file_name("log")).unwrap();
        let child = self
            .command("postgres")
            .arg("-D")
            .arg(&self.data)
            .args(["-p", &self.port.to_string()])
            .args(["-c", "listen_addresses=127.0.0.1"])
            .args(["-c", "unix_socket_directories="])
            .args(["-c", "fsync=off", "-c", "full_page_writes=off"])
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("postgres starts");
        self.child = Some(child);
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                panic!("postgres exited ({status}):\n{}", self.log());
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "postgres did not start:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        // Listening comes before accepting logins: wait for a query to answer.
        while let Err(error) = self.admin_sql("SELECT 1") {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "postgres is not ready: {error:?}\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Restarts the server with TLS on, under a certificate for 127.0.0.1
    /// and `localhost` from a certificate authority of its own, made with
    /// `openssl`; only the administrator may still log in without TLS.
    /// Returns the authority's certificate (PEM), for clients to trust.
    pub fn require_tls(&mut self) -> PathBuf {
        let dir = self.data.clone();
        let openssl = |args: &[&str]| {
            let output = Command::new("openssl")
                .args(args)
                .current_dir(&dir)
                .output()
                .expect("openssl runs (.ci/run installs it)");
            assert!(
                output.status.success(),
                "openssl {args:?}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        };
        openssl(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=refnotes test CA",
            "-keyout",
            "ca.key",
            "-out",
            "ca.crt",
        ]);
        openssl(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=localhost",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
        ]);
        std::fs::write(
            dir.join("server.ext"),
            "subjectAltName=IP:127.0.0.1,DNS:localhost\n",
        )
        .unwrap();
        openssl(&[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "server.ext",
            "-out",
            "server.crt",
        ]);
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            dir.join("server.key"),
            std::fs::Permissions::from_mode(0o600),
        )
        .unwrap();
        if let Some((uid, gid)) = self.run_as {
            for file in ["server.key", "server.crt"] {
                std::os::unix::fs::chown(dir.join(file), Some(uid), Some(gid)).expect("chown");
            }
        }
        let mut conf = std::fs::OpenOptions::new()
            .append(true)
            .open(dir.join("postgresql.conf"))
            .unwrap();
        std::io::Write::write_all(
            &mut conf,
            b"ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("pg_hba.conf"),
            format!(
                "hostssl all all 127.0.0.1/32 scram-sha-256\n\
                 hostnossl all {ADMIN} 127.0.0.1/32 scram-sha-256\n\
                 hostnossl all all 127.0.0.1/32 reject\n"
            ),
        )
        .unwrap();
        self.stop();
        self.run();
        let authority = self.data.with_file_name("ca.crt");
        std::fs::copy(dir.join("ca.crt"), &authority).unwrap();
        authority
    }

    /// Stops the server (fast shutdown: open sessions end at once).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            // SAFETY: the pid is our own child's, not yet reaped.
            unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
            let started = Instant::now();
            while child.try_wait().unwrap().is_none() {
                if started.elapsed() > Duration::from_secs(30) {
                    let _ = child.kill();
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.data.with_file_name("log")).unwrap_or_default()
    }

    /// `postgres://user:password@127.0.0.1:port/postgres?collection=NAME`.
    pub fn url(&self, user: &str, password: &str, collection: &str) -> String {
        format!(
            "postgres://{user}:{password}@127.0.0.1:{}/postgres?collection={collection}",
            self.port
        )
    }

    pub fn admin_url(&self, collection: &str) -> String {
        self.url(ADMIN, ADMIN_PASSWORD, collection)
    }

    /// Runs SQL statements as the administrator.
    pub fn admin_sql(&self, sql: &str) -> Result<(), tokio_postgres::Error> {
        self.sql_as(ADMIN, ADMIN_PASSWORD, sql)
    }

    /// Runs SQL statements as `user`.
    pub fn sql_as(
        &self,
        user: &str,
        password: &str,
        sql: &str,
    ) -> Result<(), tokio_postgres::Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let config = format!(
            "host=127.0.0.1 port={} user={user} password={password} dbname=postgres",
            self.port
        );
        runtime.block_on(async {
            let (client, connection) =
                tokio_postgres::connect(&config, tokio_postgres::NoTls).await?;
            let connection = tokio::spawn(connection);
            let result = client.batch_execute(sql).await;
            drop(client);
            let _ = connection.await;
            result
        })
    }

    /// The rows of one query as the administrator, each as strings.
    pub fn admin_query(&self, sql: &str) -> Vec<Vec<Option<String>>> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let config = format!(
            "host=127.0.0.1 port={} user={ADMIN} password={ADMIN_PASSWORD} dbname=postgres",
            self.port
        );
        runtime.block_on(async {
            let (client, connection) = tokio_postgres::connect(&config, tokio_postgres::NoTls)
                .await
                .unwrap();
            let connection = tokio::spawn(connection);
            let rows = client.simple_query(sql).await.unwrap();
            drop(client);
            let _ = connection.await;
            rows.into_iter()
                .filter_map(|message| match message {
                    tokio_postgres::SimpleQueryMessage::Row(row) => Some(
                        (0..row.len())
                            .map(|i| row.get(i).map(str::to_string))
                            .collect(),
                    ),
                    _ => None,
                })
                .collect()
        })
    }

    pub fn data_dir(&self) -> &Path {
        &self.data
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        self.stop();
    }
}
