//! The video service: what the REST handlers and the UI's server functions both call. It
//! owns its use of storage: the HTTP layer receives uploads and serves files through it.
//!
//! - `ingest`: an upload's files received, probed, stored and queued;
//! - `probe`: is a file a video facetally can process (short work of the CPU limiter);
//! - `file_range`: a video's file, whole or a byte range, for the player.

mod file_range;
mod ingest;
mod probe;

pub use file_range::{ObjectPart, VideoFile};
pub use ingest::ReceivedFile;
pub use probe::{MAX_PIXELS, MIN_SIDE};

use crate::audit::Change;
use crate::cpu::CpuLimiter;
use crate::db::Db;
use crate::error::ApiError;
use crate::events::{EventHub, VideoEvent};
use crate::jobs::JobSystem;
use crate::security::Client;
use crate::storage::Storage;
use app::model::Video;

/// Video operations over the database, storage, jobs and events.
#[derive(Clone)]
pub struct VideoService {
    db: Db,
    storage: Storage,
    jobs: JobSystem,
    events: EventHub,
    cpu: CpuLimiter,
}

impl VideoService {
    /// Bundles the parts a video operation needs.
    pub fn new(
        db: Db,
        storage: Storage,
        jobs: JobSystem,
        events: EventHub,
        cpu: CpuLimiter,
    ) -> Self {
        Self {
            db,
            storage,
            jobs,
            events,
            cpu,
        }
    }

    /// Every video, newest first.
    pub async fn list(&self) -> Result<Vec<Video>, ApiError> {
        Ok(self.db.list_videos().await?)
    }

    /// One video, or 404.
    pub async fn get(&self, id: &str) -> Result<Video, ApiError> {
        self.db
            .get_video(id)
            .await?
            .ok_or(ApiError::NotFound("video"))
    }

    /// Storage key of a video's uploaded file, or 404.
    pub async fn file_key(&self, id: &str) -> Result<String, ApiError> {
        self.db
            .video_storage_key(id)
            .await?
            .ok_or(ApiError::NotFound("video"))
    }

    /// Cancels a queued or processing video; an already cancelled one is returned as is;
    /// a finished one is a conflict.
    pub async fn cancel(&self, id: &str) -> Result<Video, ApiError> {
        if let Some(video) = self.db.cancel_video(id).await? {
            self.jobs.stop_running(id);
            self.events.publish(VideoEvent::Changed(video.clone()));
            return Ok(video);
        }
        let video = self.get(id).await?;
        match video.status {
            app::model::VideoStatus::Cancelled => Ok(video),
            status => Err(ApiError::Conflict(format!(
                "video is already {status}; only queued or processing videos can be cancelled"
            ))),
        }
    }

    /// Pauses a queued or processing video: its job slots are freed within a second (every
    /// process's runners see it at their next progress store) and the counts of its finished
    /// segments are kept. An already paused one is returned as is; any other state is a
    /// conflict.
    pub async fn pause(&self, id: &str) -> Result<Video, ApiError> {
        if let Some(video) = self.db.pause_video(id).await? {
            self.jobs.stop_running(id);
            self.events.publish(VideoEvent::Changed(video.clone()));
            tracing::info!(video_id = id, progress = video.progress, "video paused");
            return Ok(video);
        }
        let status = self.get(id).await?.status;
        Err(ApiError::Conflict(format!(
            "video is {status}; only queued or processing videos can be paused"
        )))
    }

    /// Queues a paused video again; its run continues from its first unfinished segment.
    /// 409 in any other state.
    pub async fn resume(&self, id: &str) -> Result<Video, ApiError> {
        if let Some(video) = self.db.resume_video(id).await? {
            self.events.publish(VideoEvent::Changed(video.clone()));
            self.jobs.wake();
            tracing::info!(video_id = id, "video resumed");
            return Ok(video);
        }
        let status = self.get(id).await?.status;
        Err(ApiError::Conflict(format!(
            "video is {status}; only paused videos can be resumed"
        )))
    }

    /// Runs a finished, failed or cancelled video again with today's settings and model; its
    /// people are placed again keeping every manual decision. 409 while queued or processing.
    pub async fn reprocess(&self, id: &str, client: &Client) -> Result<Video, ApiError> {
        let before = self.get(id).await?;
        let mut tx = self.db.pool().begin().await?;
        let Some(video) = Db::requeue_finished(&mut tx, id).await? else {
            let status = self.get(id).await?.status;
            return Err(ApiError::Conflict(format!(
                "video is {status}; only done, failed or cancelled videos can be re-processed"
            )));
        };
        let summary = |v: &Video| {
            serde_json::json!({
                "status": v.status.as_str(),
                "faces_total": v.faces_total,
                "people_count": v.people_count,
            })
        };
        Change::new("video.reprocess")
            .videos([id.to_owned()])
            .values(Some(summary(&before)), Some(summary(&video)))
            .record(&mut tx, client)
            .await?;
        tx.commit().await?;
        self.events.publish(VideoEvent::Changed(video.clone()));
        self.jobs.wake();
        tracing::info!(video_id = id, "video queued again");
        Ok(video)
    }

    /// Cancels if needed, then deletes the video's rows and file.
    pub async fn delete(&self, id: &str) -> Result<(), ApiError> {
        self.jobs.stop_running(id);
        self.db
            .delete_video(id)
            .await?
            .ok_or(ApiError::NotFound("video"))?;
        if let Err(error) = self.storage.delete_prefix(&Storage::video_prefix(id)).await {
            tracing::error!(%error, id, "deleting a video's files failed");
        }
        self.events.publish(VideoEvent::Deleted(id.to_owned()));
        Ok(())
    }
}
