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
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
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
pub fn start_all(
    client: &Client,
    upload: &Upload,
    count: usize,
    finished: Arc<AtomicU64>,
) -> Vec<JoinHandle<Uploaded>> {
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
            Err(error) => samples.push(Sample {
                at: Duration::ZERO,
                latency: started.elapsed(),
                error: Some(format!("upload task failed: {error}")),
            }),
        }
    }
    (Summary::of(&samples, started.elapsed()), ids)
}

async fn upload_once(client: &Client, upload: &Upload, start: Instant) -> Uploaded {
    let answer = async {
        let part = Part::stream_with_length(upload.bytes.clone(), upload.bytes.len() as u64)
            .file_name(upload.filename.clone())
            .mime_str("video/mp4")?;
        let form = Form::new()
            .text("create_profiles", upload.create_profiles.to_string())
            .part("files", part);
        let response = client
            .post(upload.url.clone())
            .multipart(form)
            .send()
            .await?;
        let status = response.status();
        let body = response.bytes().await?;
        Ok::<_, reqwest::Error>((status, body))
    }
    .await;
    let latency = start.elapsed();
    let (error, ids) = match answer {
        Ok((status, body)) if status == StatusCode::CREATED => {
            match serde_json::from_slice::<Vec<Video>>(&body) {
                Ok(videos) => (None, videos.into_iter().map(|v| v.id).collect()),
                Err(error) => (
                    Some(format!("201 with an unreadable body: {error}")),
                    Vec::new(),
                ),
            }
        }
        Ok((status, body)) => (
            Some(format!("HTTP {status}: {}", String::from_utf8_lossy(&body))),
            Vec::new(),
        ),
        Err(error) => (Some(describe(&error)), Vec::new()),
    };
    if let Some(error) = &error {
        tracing::warn!(%error, "upload failed");
    }
    Uploaded {
        sample: Sample {
            at: Duration::ZERO,
            latency,
            error,
        },
        ids,
    }
}

/// Where the uploaded videos ended.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Drain {
    /// Videos uploaded (ids answered).
    pub videos: usize,
    /// Final videos by status, plus `queued`/`processing`/`missing` ones at a timeout.
    pub statuses: BTreeMap<String, usize>,
    /// Seconds from the start of the load phase until the client saw every video final
    /// (or the timeout); polling starts when the load phase ends, so never less than it.
    pub drained_s: f64,
    /// Seconds from the first upload stored to the last video final, by the server's own
    /// `created_at`/`updated_at` (the queue's real drain time).
    pub queue_s: Option<f64>,
    /// `done` videos per second over `queue_s` (else `drained_s`).
    pub videos_per_s: f64,
    /// True when `--finish-timeout` ended the wait.
    pub timed_out: bool,
    /// Failed polls of the video list (they count as errors).
    pub poll_errors: usize,
}

impl Drain {
    /// Videos that ended `done`.
    pub fn done(&self) -> usize {
        self.statuses
            .get(VideoStatus::Done.as_str())
            .copied()
            .unwrap_or(0)
    }
}

/// Polls `GET /api/videos` until every video of `ids` is final or `deadline` passes;
/// `on_poll` gets the number of final videos after each poll.
pub async fn wait_final(
    client: &Client,
    list: &Url,
    ids: &[String],
    since: Instant,
    deadline: Instant,
    on_poll: impl Fn(usize),
) -> Drain {
    let mut drain = Drain {
        videos: ids.len(),
        ..Drain::default()
    };
    loop {
        match poll(client, list).await {
            Ok(videos) => {
                let statuses: HashMap<String, VideoStatus> =
                    videos.iter().map(|v| (v.id.clone(), v.status)).collect();
                let ours = videos.iter().filter(|v| ids.contains(&v.id));
                drain.queue_s = queue_seconds(
                    ours.map(|v| (v.status, v.created_at.as_str(), v.updated_at.as_str())),
                );
                let mut counts = BTreeMap::new();
                for id in ids {
                    let status = statuses.get(id).map_or("missing", |s| s.as_str());
                    *counts.entry(status.to_owned()).or_insert(0) += 1;
                }
                let finals = ids
                    .iter()
                    .filter(|id| statuses.get(*id).is_some_and(|s| s.is_final()))
                    .count();
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
    drain.videos_per_s = drain.done() as f64 / drain.queue_s.unwrap_or(drain.drained_s).max(1e-9);
    drain
}

/// From the earliest `created_at` to the latest `updated_at` of videos given as
/// `(status, created_at, updated_at)`; `None` while any is not final or a time does not parse.
fn queue_seconds<'a>(videos: impl Iterator<Item = (VideoStatus, &'a str, &'a str)>) -> Option<f64> {
    let parse = |text: &str| OffsetDateTime::parse(text, &Rfc3339).ok();
    let (mut first, mut last) = (None::<OffsetDateTime>, None::<OffsetDateTime>);
    for (status, created_at, updated_at) in videos {
        if !status.is_final() {
            return None;
        }
        let (created, updated) = (parse(created_at)?, parse(updated_at)?);
        first = Some(first.map_or(created, |t| t.min(created)));
        last = Some(last.map_or(updated, |t| t.max(updated)));
    }
    Some((last? - first?).as_seconds_f64())
}

async fn poll(client: &Client, list: &Url) -> Result<Vec<Video>, String> {
    let response = client
        .get(list.clone())
        .send()
        .await
        .map_err(|e| describe(&e))?;
    if !response.status().is_success() {
        return Err(format!("HTTP {}", response.status()));
    }
    response.json().await.map_err(|e| describe(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_queue_drains_from_the_first_upload_to_the_last_final_video() {
        let done = VideoStatus::Done;
        let spans = [
            (
                done,
                "2026-11-26T07:00:01.500000Z",
                "2026-11-26T07:00:03.000000Z",
            ),
            (
                done,
                "2026-11-26T07:00:00.000000Z",
                "2026-11-26T07:00:10.250000Z",
            ),
        ];
        assert_eq!(queue_seconds(spans.into_iter()), Some(10.25));
        let running = [(
            VideoStatus::Processing,
            "2026-11-26T07:00:00.000000Z",
            "2026-11-26T07:00:01.000000Z",
        )];
        assert_eq!(queue_seconds(running.into_iter()), None);
        assert_eq!(
            queue_seconds([(done, "yesterday", "today")].into_iter()),
            None
        );
    }
}
