//! One `facetally serve` process of the built binary on a data dir and database that outlive
//! it, so a test can kill it (`kill -9` or SIGTERM) and start it again on the same data:
//! the embedded SQLite database, or a fresh PostgreSQL database when
//! FACETALLY_TEST_POSTGRES is set.

use server::db::Db;
use sqlx::Connection;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// A data dir and database, and the server process currently running on them.
pub struct Instance {
    dir: tempfile::TempDir,
    /// `DATABASE_URL` passed to the processes; `None`: the embedded default.
    database_url: Option<String>,
    /// Lease length of the processes, in seconds.
    pub lease_secs: u64,
    /// `FACETALLY_WORKERS` of `serve`; `None`: not set (the default, one per core).
    pub serve_workers: Option<usize>,
    /// `FACETALLY_STORAGE_URL`; `None`: the data dir's `files` folder.
    pub storage_url: Option<String>,
    /// More environment variables for every process (`AWS_*` for S3).
    pub env: Vec<(String, String)>,
    process: Option<Child>,
    port: u16,
    starts: usize,
    pub client: reqwest::Client,
}

/// The shared test data folder.
pub fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared")
}

impl Instance {
    /// A new data dir and database (SQLite, or PostgreSQL with FACETALLY_TEST_POSTGRES).
    pub async fn new() -> Self {
        let database_url = match std::env::var("FACETALLY_TEST_POSTGRES") {
            Ok(base) => {
                let name = format!("facetally_test_{}", uuid::Uuid::now_v7().simple());
                let mut admin = sqlx::PgConnection::connect(&format!("{base}/postgres"))
                    .await
                    .expect("PostgreSQL");
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .await
                    .unwrap();
                Some(format!("{base}/{name}"))
            }
            Err(_) => None,
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = tempfile::tempdir().unwrap();
        Self {
            dir,
            database_url,
            lease_secs: 3,
            serve_workers: Some(1),
            storage_url: None,
            env: Vec::new(),
            process: None,
            port,
            starts: 0,
            client: reqwest::Client::new(),
        }
    }

    /// True on PostgreSQL (leases expire instead of a start-up re-queue).
    pub fn is_postgres(&self) -> bool {
        self.database_url.is_some()
    }

    /// The data dir of every process of this instance.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// The folder of stored blobs (the default `file://` storage).
    pub fn files_dir(&self) -> PathBuf {
        self.data_dir().join("files")
    }

    /// Temporary files in `<data dir>/incoming`, in any process's folder (lock files aside).
    pub fn incoming_files(&self) -> Vec<PathBuf> {
        let mut found = Vec::new();
        let mut folders = vec![self.data_dir().join("incoming")];
        while let Some(folder) = folders.pop() {
            let Ok(entries) = std::fs::read_dir(&folder) else {
                continue;
            };
            for path in entries.flatten().map(|e| e.path()) {
                if path.is_dir() {
                    folders.push(path);
                } else if path.extension().is_none_or(|ext| ext != "lock") {
                    found.push(path);
                }
            }
        }
        found
    }

    /// The database, from the test's side.
    pub async fn db(&self) -> Db {
        let url = self.database_url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}",
                self.data_dir().join("facetally.db").display()
            )
        });
        Db::connect(&url).await.expect("test database connection")
    }

    /// A command of the binary with this instance's settings.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_facetally"));
        command
            .args(args)
            .env_remove("DATABASE_URL")
            .env_remove("FACETALLY_STORAGE_URL")
            .env("FACETALLY_DATA_DIR", self.data_dir())
            .env("FACETALLY_MODELS_DIR", shared().join("models"))
            .env("FACETALLY_EMBEDDER", "mobilefacenet")
            .env("FACETALLY_WORKERS", "1")
            .env("FACETALLY_LEASE_SECS", self.lease_secs.to_string())
            .env("FACETALLY_ADDR", format!("127.0.0.1:{}", self.port))
            .env("RUST_LOG", "info,sqlx=warn")
            .stdin(Stdio::null());
        if let Some(url) = &self.database_url {
            command.env("DATABASE_URL", url);
        }
        if let Some(url) = &self.storage_url {
            command.env("FACETALLY_STORAGE_URL", url);
        }
        command.envs(self.env.iter().map(|(k, v)| (k, v)));
        command
    }

    /// Starts `facetally serve` (logging to a file of the temp dir) and waits until healthy.
    pub async fn start(&mut self) {
        assert!(self.process.is_none(), "already running");
        self.starts += 1;
        let log = std::fs::File::create(self.log_path(self.starts)).unwrap();
        let mut command = self.command(&["serve"]);
        match self.serve_workers {
            Some(n) => command.env("FACETALLY_WORKERS", n.to_string()),
            None => command.env_remove("FACETALLY_WORKERS"),
        };
        let child = command
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("facetally binary");
        self.process = Some(child);
        let started = Instant::now();
        while !self.healthy().await {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "not healthy in 60 s\n{}",
                self.log_tail()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        eprintln!(
            "start #{}: healthy after {} ms",
            self.starts,
            started.elapsed().as_millis()
        );
    }

    async fn healthy(&self) -> bool {
        let response = self.client.get(self.url("/api/health")).send().await;
        response.is_ok_and(|r| r.status().is_success())
    }

    fn log_path(&self, start: usize) -> PathBuf {
        self.dir.path().join(format!("serve-{start}.log"))
    }

    /// The last lines the current (or last) process logged.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(self.log_path(self.starts)).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    /// Everything the current (or last) process logged.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log_path(self.starts)).unwrap_or_default()
    }

    /// Starts a `facetally worker` on the same database and stored files, with its own data
    /// dir; logs to `worker-<n>.log` of the temp dir.
    pub fn spawn_worker(&self, n: usize) -> Child {
        self.spawn_worker_in(n, self.dir.path().join(format!("worker-{n}")))
    }

    /// A `facetally worker` process (logging to `worker-<n>.log`) on this instance's own
    /// data dir, as when several processes are started by hand in one folder.
    pub fn spawn_worker_sharing(&self, n: usize) -> Child {
        self.spawn_worker_in(n, self.data_dir())
    }

    fn spawn_worker_in(&self, n: usize, data_dir: PathBuf) -> Child {
        let log = std::fs::File::create(self.dir.path().join(format!("worker-{n}.log"))).unwrap();
        self.command(&["worker"])
            .env("FACETALLY_DATA_DIR", data_dir)
            .env(
                "FACETALLY_STORAGE_URL",
                self.storage_url
                    .clone()
                    .unwrap_or_else(|| format!("file://{}", self.files_dir().display())),
            )
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("facetally binary")
    }

    /// What worker `n` logged.
    pub fn worker_log(&self, n: usize) -> String {
        std::fs::read_to_string(self.dir.path().join(format!("worker-{n}.log"))).unwrap_or_default()
    }

    /// `kill -9`.
    pub fn kill9(&mut self) {
        let mut child = self.process.take().expect("running");
        child.kill().unwrap();
        child.wait().unwrap();
    }

    /// SIGTERM to `serve`, then waits for the exit; returns how it exited and how long it took.
    pub async fn sigterm(&mut self) -> (ExitStatus, Duration) {
        let mut child = self.process.take().expect("running");
        sigterm(&mut child)
            .await
            .unwrap_or_else(|| panic!("still running 30 s after SIGTERM\n{}", self.log_tail()))
    }

    /// Absolute URL of a path of the running process.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Runs `facetally fsck ARGS` on this instance's data; its exit code and stdout.
    pub fn fsck(&self, args: &[&str]) -> (i32, String) {
        let mut all = vec!["fsck"];
        all.extend_from_slice(args);
        let output = self.command(&all).output().expect("fsck runs");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr);
        eprintln!("$ facetally {}\n{stdout}{stderr}", all.join(" "));
        (output.status.code().expect("exit code"), stdout)
    }

    /// `fsck --json` with `args`: exit code and the parsed report.
    pub fn fsck_json(&self, args: &[&str]) -> (i32, serde_json::Value) {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let (code, stdout) = self.fsck(&all);
        (
            code,
            serde_json::from_str(&stdout).expect("fsck --json prints JSON"),
        )
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        if let Some(mut child) = self.process.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// SIGTERM to `child`, then waits for its exit (killing it after 30 s: `None`); returns how
/// it exited and how long that took.
pub async fn sigterm(child: &mut Child) -> Option<(ExitStatus, Duration)> {
    let started = Instant::now();
    let sent = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return Some((status, started.elapsed()));
        }
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
