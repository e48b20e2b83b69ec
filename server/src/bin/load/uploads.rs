//! Concurrent uploads of one video, and waiting until every uploaded video is final.

use crate::reads::describe;
use crate::stats::{Sample, Summary};
use app::model::{Video, VideoStatus};
use bytes::Bytes;
use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode, Url};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;
use tokio::time::Instant;

/// The file every upload sends.
#[derive(Clone)]
pub struct Upload {
    /// Where `POST /api/videos` is.
    pub url: Url,
    /// The file name sent.
    pub filename: String,
    /// The file's bytes (shared, not copied per upload).
    pub bytes: Bytes,
    /// Sent as the form's `create_profiles`.
    pub create_profiles: bool,
}

/// How one upload went: its sample and the ids of the videos it created.
pub struct Uploaded {
    /// Latency from the common start; error unless `201 Created`.
    pub sample: Sample,
    /// Ids from the answer.
    pub ids: Vec<String>,
}

/// Starts `count` uploads at once, each on its own task and connection.
pub fn start_all(client: &Client, upload: &Upload, count: usize, finished: Arc<AtomicU64>) -> Vec<JoinHandle<Uploaded>> {
    let start = Instant::now();
    (0..count)
        .map(|_| {
            let (client, upload, finished) = (client.clone(), upload.clone(), finished.clone());
            tokio::spawn(async move {
                let uploaded = upload_once(&client, &upload, start).await;
                finished.fetch_add(1, Ordering::Relaxed);
                uploaded
            })
        })
        .collect()
}

/// Awaits every upload; the summary's rate is uploads per second of the whole batch.
pub async fn collect(tasks: Vec<JoinHandle<Uploaded>>, started: Instant) -> (Summary, Vec<String>) {
    let mut samples = Vec::with_capacity(tasks.len());
    let mut ids = Vec::new();
    for task in tasks {
        match task.await {
            Ok(uploaded) => {
                samples.push(uploaded.sample);
                ids.extend(uploaded.ids);
            }
            Err(error) => samples.push(Sample { at: Duration::ZERO, latency: started.elapsed(), error: Some(format!("upload task failed: {error}")) }),
        }
    }
    (Summary::of(&samples, started.elapsed()), ids)
}

async fn upload_once(client: &Client, upload: &Upload, start: Instant) -> Uploaded {
    let answer = async {
        let part = Part::stream_with_length(upload.bytes.clone(), upload.bytes.len() as u64)
            .file_name(upload.filename.clone())
            .mime_str("video/mp4")?;
        let form = Form::new().text("create_profiles", upload.create_profiles.to_string()).part("files", part);
        let response = client.post(upload.url.clone()).multipart(form).send().await?;
        let status = response.status();
        let body = response.bytes().await?;
        Ok::<_, reqwest::Error>((status, body))
    }
    .await;
    let latency = start.elapsed();
    let (error, ids) = match answer {
        Ok((status, body)) if status == StatusCode::CREATED => match serde_json::from_slice::<Vec<Video>>(&body) {
            Ok(videos) => (None, videos.into_iter().map(|v| v.id).collect()),
            Err(error) => (Some(format!("201 with an unreadable body: {error}")), Vec::new()),
        },
        Ok((status, body)) => (Some(format!("HTTP {status}: {}", String::from_utf8_lossy(&body))), Vec::new()),
        Err(error) => (Some(describe(&error)), Vec::new()),
    };
    if let Some(error) = &error {
        tracing::warn!(%error, "upload failed");
    }
    Uploaded { sample: Sample { at: Duration::ZERO, latency, error }, ids }
}

/// Where the uploaded videos ended.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Drain {
    /// Videos uploaded (ids answered).
    pub videos: usize,
    /// Final videos by status, plus `queued`/`processing`/`missing` ones at a timeout.
    pub statuses: BTreeMap<String, usize>,
    /// Seconds from the start of the load phase until the last video was final (or the timeout).
    pub drained_s: f64,
    /// `done` videos per second over `drained_s`.
    pub videos_per_s: f64,
    /// True when `--finish-timeout` ended the wait.
    pub timed_out: bool,
    /// Failed polls of the video list (they count as errors).
    pub poll_errors: usize,
}

impl Drain {
    /// Videos that ended `done`.
    pub fn done(&self) -> usize {
        self.statuses.get(VideoStatus::Done.as_str()).copied().unwrap_or(0)
    }
}

/// Polls `GET /api/videos` until every video of `ids` is final or `deadline` passes;
/// `on_poll` gets the number of final videos after each poll.
pub async fn wait_final(client: &Client, list: &Url, ids: &[String], since: Instant, deadline: Instant, on_poll: impl Fn(usize)) -> Drain {
    let mut drain = Drain { videos: ids.len(), ..Drain::default() };
    loop {
        match poll(client, list).await {
            Ok(statuses) => {
                let mut counts = BTreeMap::new();
                for id in ids {
                    let status = statuses.get(id).map_or("missing", |s| s.as_str());
                    *counts.entry(status.to_owned()).or_insert(0) += 1;
                }
                let finals = ids.iter().filter(|id| statuses.get(*id).is_some_and(|s| s.is_final())).count();
                on_poll(finals);
                drain.statuses = counts;
                if finals == ids.len() {
                    break;
                }
            }
            Err(error) => {
                tracing::warn!(%error, "polling the video list failed");
                drain.poll_errors += 1;
            }
        }
        if Instant::now() >= deadline {
            drain.timed_out = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    drain.drained_s = since.elapsed().as_secs_f64();
    drain.videos_per_s = drain.done() as f64 / drain.drained_s.max(1e-9);
    drain
}

async fn poll(client: &Client, list: &Url) -> Result<HashMap<String, VideoStatus>, String> {
    let response = client.get(list.clone()).send().await.map_err(|e| describe(&e))?;
    if !response.status().is_success() {
        return Err(format!("HTTP {}", response.status()));
    }
    let videos: Vec<Video> = response.json().await.map_err(|e| describe(&e))?;
    Ok(videos.into_iter().map(|v| (v.id, v.status)).collect())
}
