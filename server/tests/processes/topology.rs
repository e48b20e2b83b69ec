//! Starts and stops the processes of a scale-out deployment for a test.

use app::model::Video;
use sqlx::Connection;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// One web process and two worker processes on a fresh database and shared file storage.
pub struct Topology {
    database_url: String,
    storage_url: String,
    dir: tempfile::TempDir,
    web: Child,
    web_port: u16,
    workers: Vec<Child>,
    /// `FACETALLY_SEGMENT_SECS` of every process (`None`: the default).
    segment_secs: Option<f64>,
    client: reqwest::Client,
}

fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Topology {
    /// `None` (after saying why) when no PostgreSQL is configured for tests.
    pub async fn start() -> Self {
        Self::start_with(2, None).await
    }

    /// `workers` worker processes that cut videos longer than `segment_secs` into segments.
    pub async fn start_segmented(workers: usize, segment_secs: f64) -> Self {
        Self::start_full(workers, None, Some(segment_secs)).await
    }

    /// `workers` worker processes; `storage_url` defaults to a shared temp folder.
    pub async fn start_with(workers: usize, storage_url: Option<String>) -> Self {
        Self::start_full(workers, storage_url, None).await
    }

    async fn start_full(
        workers: usize,
        storage_url: Option<String>,
        segment_secs: Option<f64>,
    ) -> Self {
        let base = std::env::var("FACETALLY_TEST_POSTGRES").expect(
            "worker processes need FACETALLY_TEST_POSTGRES (scripts/test.sh's PostgreSQL pass)",
        );
        let name = format!("facetally_test_{}", uuid::Uuid::now_v7().simple());
        let mut admin = sqlx::PgConnection::connect(&format!("{base}/postgres"))
            .await
            .unwrap();
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let storage_url =
            storage_url.unwrap_or_else(|| format!("file://{}", dir.path().join("files").display()));
        let database_url = format!("{base}/{name}");
        let web_port = free_port();
        let mut topology = Self {
            web: spawn(
                &database_url,
                &storage_url,
                &dir,
                &["serve", "--workers", "0"],
                Some(web_port),
                segment_secs,
            ),
            workers: Vec::new(),
            segment_secs,
            database_url,
            storage_url,
            dir,
            web_port,
            client: reqwest::Client::new(),
        };
        topology.wait_healthy().await;
        for _ in 0..workers {
            let worker = spawn(
                &topology.database_url,
                &topology.storage_url,
                &topology.dir,
                &["worker"],
                None,
                topology.segment_secs,
            );
            topology.workers.push(worker);
        }
        topology
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.web_port)
    }

    async fn wait_healthy(&self) {
        for _ in 0..300 {
            if let Ok(response) = self.client.get(self.url("/api/health")).send().await {
                if response.status().is_success() {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("web process did not become healthy");
    }

    /// Uploads shared videos in one request.
    pub async fn upload(&self, names: &[&str]) -> Vec<Video> {
        self.upload_with(names, reqwest::multipart::Form::new())
            .await
    }

    /// Uploads shared videos in one request that also carries `form`'s fields.
    pub async fn upload_with(
        &self,
        names: &[&str],
        mut form: reqwest::multipart::Form,
    ) -> Vec<Video> {
        for name in names {
            let bytes = std::fs::read(shared().join("data/videos").join(name)).unwrap();
            form = form.part(
                "files",
                reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
            );
        }
        let response = self
            .client
            .post(self.url("/api/videos"))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        response.json().await.unwrap()
    }

    /// `GET` of an API path on the web process, as JSON.
    pub async fn get_json<T: serde::de::DeserializeOwned>(&self, path: &str) -> T {
        let response = self.client.get(self.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        response.json().await.unwrap()
    }

    /// Polls the web process until the video is final.
    pub async fn wait_final(&self, id: &str, limit: Duration) -> Video {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            if let Ok(response) = self
                .client
                .get(self.url(&format!("/api/videos/{id}")))
                .send()
                .await
            {
                let video: Video = response.json().await.unwrap();
                if video.status.is_final() {
                    return video;
                }
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{id} not final in time"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Waits until some worker has processed frames of the video; returns its worker id.
    pub async fn wait_processing(&self, id: &str, limit: Duration) -> String {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let video: Video = self
                .client
                .get(self.url(&format!("/api/videos/{id}")))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            if video.frames_processed > 0 {
                return self.holder_of(id).await.0;
            }
            assert!(tokio::time::Instant::now() < deadline, "{id} never started");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Worker id and attempts of every video.
    pub async fn holders(&self) -> Vec<(String, i64)> {
        let mut db = sqlx::PgConnection::connect(&self.database_url)
            .await
            .unwrap();
        sqlx::query_as("SELECT worker_id, attempts FROM videos")
            .fetch_all(&mut db)
            .await
            .unwrap()
    }

    /// Worker id and attempts of one video.
    pub async fn holder_of(&self, id: &str) -> (String, i64) {
        let mut db = sqlx::PgConnection::connect(&self.database_url)
            .await
            .unwrap();
        sqlx::query_as("SELECT worker_id, attempts FROM videos WHERE id = $1")
            .bind(id)
            .fetch_one(&mut db)
            .await
            .unwrap()
    }

    /// `kill -9` of the worker process whose id (`host-PID-suffix`) is `worker_id`.
    pub fn kill_worker_holding(&mut self, worker_id: &str) {
        let pid: u32 = worker_id
            .rsplit('-')
            .nth(1)
            .and_then(|p| p.parse().ok())
            .expect("pid in worker id");
        let index = self
            .workers
            .iter()
            .position(|w| w.id() == pid)
            .expect("a worker of ours");
        let mut worker = self.workers.remove(index);
        worker.kill().unwrap(); // SIGKILL
        worker.wait().unwrap();
    }

    /// `kill -9` of the web process, then a new one on the same port.
    pub async fn kill_web_and_restart(&mut self) {
        self.web.kill().unwrap();
        self.web.wait().unwrap();
        self.web = spawn(
            &self.database_url,
            &self.storage_url,
            &self.dir,
            &["serve", "--workers", "0"],
            Some(self.web_port),
            self.segment_secs,
        );
        self.wait_healthy().await;
    }

    /// Segments of a video as `(idx, status, worker_id, attempts)`, and the video's holder.
    pub async fn segments_of(
        &self,
        id: &str,
    ) -> (Vec<(i64, String, Option<String>, i64)>, Option<String>) {
        let mut db = sqlx::PgConnection::connect(&self.database_url)
            .await
            .unwrap();
        let segments = sqlx::query_as(
            "SELECT idx, status, worker_id, attempts FROM video_segments WHERE video_id = $1 ORDER BY idx",
        )
        .bind(id)
        .fetch_all(&mut db)
        .await
        .unwrap();
        let (holder,): (Option<String>,) =
            sqlx::query_as("SELECT worker_id FROM videos WHERE id = $1")
                .bind(id)
                .fetch_one(&mut db)
                .await
                .unwrap();
        (segments, holder)
    }

    /// Stops every process.
    pub async fn stop(mut self) {
        for child in self
            .workers
            .iter_mut()
            .chain(std::iter::once(&mut self.web))
        {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn spawn(
    database_url: &str,
    storage_url: &str,
    dir: &tempfile::TempDir,
    args: &[&str],
    port: Option<u16>,
    segment_secs: Option<f64>,
) -> Child {
    let data_dir = dir
        .path()
        .join(format!("data-{}", uuid::Uuid::now_v7().simple()));
    let mut command = Command::new(env!("CARGO_BIN_EXE_facetally"));
    command
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("FACETALLY_STORAGE_URL", storage_url)
        .env("FACETALLY_DATA_DIR", &data_dir)
        .env("FACETALLY_MODELS_DIR", shared().join("models"))
        .env("FACETALLY_EMBEDDER", "mobilefacenet")
        .env("FACETALLY_WORKERS", "1")
        .env("FACETALLY_LEASE_SECS", "3")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null());
    if let Some(secs) = segment_secs {
        command.env("FACETALLY_SEGMENT_SECS", secs.to_string());
    }
    if let Some(port) = port {
        command.env("FACETALLY_ADDR", format!("127.0.0.1:{port}"));
    }
    command.spawn().expect("facetally binary")
}
