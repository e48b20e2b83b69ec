//! Test harness: each test gets its own server on port 0, data dir and database
//! (SQLite by default; a fresh PostgreSQL database when FACETALLY_TEST_POSTGRES is set).

use app::model::{Video, VideoStatus, VIDEO_EVENT};
use eventsource_stream::Eventsource;
use futures::{Stream, StreamExt};
use server::config::{HttpArgs, Settings};
use server::startup::Application;
use server::webhooks::WebhookArgs;
use sqlx::Connection;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::pin::Pin;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

pub use crate::one_pass::{shared_dir, vision_args};

/// A running facetally for one test.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub data_dir: tempfile::TempDir,
    pub database_url: String,
    shutdown: CancellationToken,
    server: tokio::task::JoinHandle<anyhow::Result<()>>,
}

/// Options that differ between tests.
#[derive(Clone)]
pub struct AppOptions {
    pub workers: usize,
    /// `FACETALLY_CPU_SLOTS`; `None`: the number of cores.
    pub cpu_slots: Option<usize>,
    pub max_upload_bytes: u64,
    /// `FACETALLY_STORAGE_URL`; `None`: the data dir's `files` folder.
    pub storage_url: Option<String>,
    /// `FACETALLY_LEASE_SECS`.
    pub lease_secs: u64,
    /// Token, CORS origins and body timeout.
    pub http: HttpArgs,
    /// `FACETALLY_SEGMENT_SECS`.
    pub segment_secs: f64,
    /// `FACETALLY_MAX_ATTEMPTS`.
    pub max_attempts: u32,
    /// `FACETALLY_WEBHOOK_URLS` and `FACETALLY_WEBHOOK_SECRET`.
    pub webhooks: WebhookArgs,
    /// Face detection and embedding settings; `None`: the shared models, MobileFaceNet.
    pub vision: Option<server::config::VisionArgs>,
    /// Faults injected into jobs.
    pub faults: server::jobs::Faults,
}

impl Default for AppOptions {
    fn default() -> Self {
        Self {
            workers: 2,
            cpu_slots: None,
            max_upload_bytes: 2 * 1024 * 1024 * 1024,
            storage_url: None,
            lease_secs: 15,
            http: HttpArgs::default(),
            segment_secs: server::config::DEFAULT_SEGMENT_SECS,
            max_attempts: 3,
            webhooks: WebhookArgs::default(),
            vision: None,
            faults: server::jobs::Faults::default(),
        }
    }
}

/// Two apps with two job slots each: one cutting videos longer than 3 s into segments, one
/// scanning every video in one pass.
pub async fn segmented_and_single() -> (TestApp, TestApp) {
    let with_segments = |segment_secs| AppOptions {
        workers: 2,
        segment_secs,
        ..Default::default()
    };
    (
        spawn_app_with(with_segments(3.0)).await,
        spawn_app_with(with_segments(0.0)).await,
    )
}

/// Inserts `n` profiles straight into the database, profile `i` with the full name and
/// creation time `profile(i)` gives; returns their ids.
pub async fn insert_profiles(
    app: &TestApp,
    n: usize,
    profile: impl Fn(usize) -> (String, String),
) -> Vec<String> {
    let db = server::db::Db::connect(&app.database_url).await.unwrap();
    let mut tx = db.pool().begin().await.unwrap();
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let id = uuid::Uuid::now_v7().to_string();
        let (name, created) = profile(i);
        sqlx::query(
            "INSERT INTO profiles (id, full_name, name_key, crop_key, embedding, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind(&id)
        .bind(&name)
        .bind(app::model::name_key(&name))
        .bind(format!("profiles/{id}/crop.jpg"))
        .bind(vec![0u8; 512])
        .bind(&created)
        .execute(&mut *tx)
        .await
        .unwrap();
        ids.push(id);
    }
    tx.commit().await.unwrap();
    if app.database_url.starts_with("postgres") {
        sqlx::query("ANALYZE").execute(db.pool()).await.unwrap();
    }
    db.close().await;
    ids
}

/// Path of a shared test video.
pub fn video(name: &str) -> PathBuf {
    shared_dir().join("data/videos").join(name)
}

/// Starts an app with default options.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(AppOptions::default()).await
}

/// Starts an app with its own data dir and a new database.
pub async fn spawn_app_with(options: AppOptions) -> TestApp {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let database_url = fresh_database_url(&data_dir).await;
    start(data_dir, database_url, options).await
}

/// Starts another instance on the same database and files as `existing` (scale-out).
pub async fn join(existing: &TestApp, options: AppOptions) -> TestApp {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let shared_files = format!(
        "file://{}",
        existing.data_dir.path().join("files").display()
    );
    let storage_url = options.storage_url.clone().or(Some(shared_files));
    start(
        data_dir,
        existing.database_url.clone(),
        AppOptions {
            storage_url,
            ..options
        },
    )
    .await
}

/// Starts an app over an existing data dir and database (a restart).
pub async fn start(
    data_dir: tempfile::TempDir,
    database_url: String,
    options: AppOptions,
) -> TestApp {
    server::telemetry::init();
    let settings = Settings {
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        data_dir: data_dir.path().to_path_buf(),
        database_url: Some(database_url.clone()),
        storage_url: options.storage_url.clone(),
        lease_secs: options.lease_secs,
        segment_secs: options.segment_secs,
        max_attempts: options.max_attempts,
        workers: Some(options.workers),
        cpu_slots: options.cpu_slots,
        max_upload_bytes: options.max_upload_bytes,
        vision: options.vision.clone().unwrap_or_else(vision_args),
        http: options.http.clone(),
        webhooks: options.webhooks.clone(),
        faults: options.faults.clone(),
    };
    let app = Application::build(settings).await.expect("app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let shutdown = app.shutdown_token();
    let server = tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: reqwest::Client::new(),
        data_dir,
        database_url,
        shutdown,
        server,
    }
}

async fn fresh_database_url(data_dir: &tempfile::TempDir) -> String {
    match std::env::var("FACETALLY_TEST_POSTGRES") {
        Ok(base) => {
            let name = format!("facetally_test_{}", uuid::Uuid::now_v7().simple());
            let mut admin = sqlx::PgConnection::connect(&format!("{base}/postgres"))
                .await
                .expect("PostgreSQL reachable at FACETALLY_TEST_POSTGRES");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .await
                .expect("create db");
            format!("{base}/{name}")
        }
        Err(_) => format!(
            "sqlite://{}?mode=rwc",
            data_dir.path().join("test.db").display()
        ),
    }
}

impl TestApp {
    /// Stops the server gracefully and returns its data dir (to restart on it).
    pub async fn stop(self) -> (tempfile::TempDir, String) {
        self.shutdown.cancel();
        self.server.await.expect("server task").expect("server ran");
        (self.data_dir, self.database_url)
    }

    /// `POST /api/videos` with the given `(file name, bytes)` parts.
    pub async fn upload(
        &self,
        files: Vec<(String, Vec<u8>)>,
        create_profiles: Option<&str>,
    ) -> reqwest::Response {
        let mut form = reqwest::multipart::Form::new();
        for (name, bytes) in files {
            form = form.part(
                "files",
                reqwest::multipart::Part::bytes(bytes).file_name(name),
            );
        }
        if let Some(flag) = create_profiles {
            form = form.text("create_profiles", flag.to_owned());
        }
        self.client
            .post(self.url("/api/videos"))
            .multipart(form)
            .send()
            .await
            .expect("upload request")
    }

    /// Uploads shared videos by name and returns the created videos.
    pub async fn upload_shared(&self, names: &[&str]) -> Vec<Video> {
        let files = names
            .iter()
            .map(|n| {
                (
                    n.to_string(),
                    std::fs::read(video(n)).expect("shared video"),
                )
            })
            .collect();
        let response = self.upload(files, None).await;
        assert_eq!(
            response.status(),
            201,
            "{}",
            response.text().await.unwrap_or_default()
        );
        response.json().await.expect("videos json")
    }

    /// Absolute URL of a path on this app.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// `GET` a JSON document, asserting 200.
    pub async fn get_json<T: serde::de::DeserializeOwned>(&self, path: &str) -> T {
        let response = self.client.get(self.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        response.json().await.unwrap()
    }

    /// `PATCH /api/profiles/{id}` with a JSON body.
    pub async fn patch_profile(&self, id: &str, body: serde_json::Value) -> reqwest::Response {
        self.client
            .patch(self.url(&format!("/api/profiles/{id}")))
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    /// `GET /api/videos`.
    pub async fn list(&self) -> Vec<Video> {
        self.client
            .get(self.url("/api/videos"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// `GET /api/videos/{id}`.
    pub async fn get(&self, id: &str) -> Video {
        let response = self
            .client
            .get(self.url(&format!("/api/videos/{id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    /// Subscribes to `/api/events`, yielding each Video carried by a `video` event.
    pub async fn events(&self) -> Pin<Box<dyn Stream<Item = Video> + Send>> {
        let response = self
            .client
            .get(self.url("/api/events"))
            .send()
            .await
            .expect("events");
        assert_eq!(response.status(), 200);
        let stream = response
            .bytes_stream()
            .eventsource()
            .filter_map(|event| async move {
                let event = event.ok()?;
                (event.event == VIDEO_EVENT)
                    .then(|| serde_json::from_str(&event.data).expect("video json"))
            });
        Box::pin(stream)
    }

    /// Polls until the video reaches a final state (at most `limit`).
    pub async fn wait_final(&self, id: &str, limit: Duration) -> Video {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let video = self.get(id).await;
            if video.status.is_final() {
                return video;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "video {id} still {}",
                video.status
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Files left anywhere under the data dir's blob and upload folders.
    pub fn stored_files(&self) -> Vec<PathBuf> {
        let mut found = Vec::new();
        for folder in ["files", "incoming"] {
            collect_files(&self.data_dir.path().join(folder), &mut found);
        }
        found
    }
}

fn collect_files(dir: &std::path::Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, found);
        } else if path.extension().is_none_or(|ext| ext != "lock") {
            // `incoming/<owner>.lock` says a process is alive; it holds no data.
            found.push(path);
        }
    }
}

/// Reads events until every video of `ids` has left the queue (a job slot took it); returns
/// how long that took from `since`.
pub async fn wait_started(
    events: &mut (impl Stream<Item = Video> + Unpin),
    ids: &[&str],
    since: std::time::Instant,
) -> Duration {
    let mut started = std::collections::HashSet::new();
    while started.len() < ids.len() {
        let video = tokio::time::timeout(Duration::from_secs(300), events.next())
            .await
            .expect("an event in time")
            .expect("the stream stays open");
        if ids.contains(&video.id.as_str()) && video.status != VideoStatus::Queued {
            started.insert(video.id.clone());
        }
    }
    since.elapsed()
}

/// The counts the vision module computes on a file directly (no server).
pub async fn direct_scan(name: &str) -> vision::ScanTotals {
    let path = video(name);
    tokio::task::spawn_blocking(move || {
        let config = vision_args().detector_config().expect("model");
        let mut detector = vision::FaceDetector::new(&config).expect("detector");
        vision::scan_video(&path, &mut detector, |_, _, _| {
            std::ops::ControlFlow::Continue(())
        })
        .expect("scan")
        .totals
    })
    .await
    .unwrap()
}
