//! A real S3 server for the tests: s3s-fs (`scripts/setup.sh` installs it), serving a folder
//! over the S3 protocol; one per test binary, a bucket (a sub-folder) per test. Without
//! s3s-fs the S3 tests are skipped, unless FACETALLY_REQUIRE_S3=1 (CI), where they fail.
//! Shared by the `api` and `processes` test binaries (`#[path]` modules).

use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The running s3s-fs.
pub struct S3Server {
    root: PathBuf,
    port: u16,
    /// The wrapper shell kills s3s-fs when `_lifeline` closes, i.e. when the tests exit.
    _shell: Mutex<Child>,
    _lifeline: Mutex<ChildStdin>,
}

/// Starts s3s-fs once; `None` (skip) without it.
pub fn server() -> Option<&'static S3Server> {
    static SERVER: OnceLock<Option<S3Server>> = OnceLock::new();
    SERVER.get_or_init(start).as_ref()
}

fn start() -> Option<S3Server> {
    if Command::new("s3s-fs")
        .arg("--version")
        .output()
        .map(|o| !o.status.success())
        .unwrap_or(true)
    {
        assert!(
            std::env::var("FACETALLY_REQUIRE_S3").as_deref() != Ok("1"),
            "s3s-fs is not installed and FACETALLY_REQUIRE_S3=1"
        );
        let _ = std::io::stderr()
            .write_all(b"\n*** S3 TESTS SKIPPED: s3s-fs not found; run scripts/setup.sh ***\n\n");
        return None;
    }
    let root = tempfile::tempdir().expect("s3 root").keep();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut shell = Command::new("sh")
        .args([
            "-c",
            r#"s3s-fs "$@" >/dev/null 2>&1 & pid=$!; read _; kill $pid; rm -rf "$1""#,
            "sh",
        ])
        .arg(&root)
        .args([
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--access-key",
            "facetally",
            "--secret-key",
            "facetally-secret",
        ])
        .stdin(Stdio::piped())
        .spawn()
        .expect("starting s3s-fs");
    let lifeline = shell.stdin.take().expect("pipe");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "s3s-fs did not listen on {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Some(S3Server {
        root,
        port,
        _shell: Mutex::new(shell),
        _lifeline: Mutex::new(lifeline),
    })
}

impl S3Server {
    /// A new empty bucket: its name and the folder holding its objects.
    pub fn bucket(&self) -> (String, PathBuf) {
        let name = format!("test-{}", uuid::Uuid::now_v7().simple());
        let dir = self.root.join(&name);
        std::fs::create_dir_all(&dir).expect("bucket folder");
        (name, dir)
    }

    /// The `AWS_*` variables that point a process at this server.
    pub fn env(&self) -> Vec<(String, String)> {
        [
            (
                "AWS_ENDPOINT_URL",
                format!("http://127.0.0.1:{}", self.port),
            ),
            ("AWS_ACCESS_KEY_ID", "facetally".into()),
            ("AWS_SECRET_ACCESS_KEY", "facetally-secret".into()),
            ("AWS_REGION", "us-east-1".into()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
    }
}
