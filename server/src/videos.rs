//! The video service: what the REST handlers and the UI's server functions both call.

use crate::audit::Change;
use crate::cpu::CpuLimiter;
use crate::db::videos::NewVideo;
use crate::db::Db;
use crate::error::ApiError;
use crate::events::{EventHub, VideoEvent};
use crate::jobs::JobSystem;
use crate::security::Client;
use crate::storage::Storage;
use anyhow::Context;
use app::model::Video;
use std::collections::BTreeMap;
use tempfile::TempPath;

/// A fully received upload part, not yet checked.
#[derive(Debug)]
pub struct ReceivedFile {
    /// Sanitised file name from the client.
    pub filename: String,
    /// The temporary file holding the bytes (deleted on drop).
    pub temp: TempPath,
    /// Bytes received.
    pub size_bytes: u64,
}

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

    /// Blob storage, for upload handlers that stream into it.
    pub fn storage(&self) -> &Storage {
        &self.storage
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

    /// Checks every file is a readable video, then stores and queues them all; if any file
    /// is not a video nothing is kept and the error names each bad file.
    #[tracing::instrument(skip_all, fields(files = files.len()))]
    pub async fn ingest(
        &self,
        files: Vec<ReceivedFile>,
        create_profiles: bool,
    ) -> Result<Vec<Video>, ApiError> {
        if files.is_empty() {
            return Err(ApiError::field(
                "files",
                "attach at least one video file in a part named `files`",
            ));
        }
        let mut probed = Vec::with_capacity(files.len());
        let mut problems = BTreeMap::new();
        for (index, file) in files.into_iter().enumerate() {
            match crate::media_check::check(&file, &self.cpu).await? {
                Ok(info) => probed.push((file, info)),
                Err(reason) => {
                    problems.insert(
                        format!("files[{index}]"),
                        format!("{}: {reason}", file.filename),
                    );
                }
            }
        }
        if !problems.is_empty() {
            let names: Vec<_> = problems.values().cloned().collect();
            return Err(ApiError::Invalid {
                message: names.join("; "),
                fields: problems,
            });
        }
        let mut created = Vec::with_capacity(probed.len());
        for (file, info) in probed {
            created.push(self.store(file, info, create_profiles).await?);
        }
        self.jobs.wake();
        Ok(created)
    }

    async fn store(
        &self,
        file: ReceivedFile,
        info: vision::VideoInfo,
        create_profiles: bool,
    ) -> Result<Video, ApiError> {
        let id = uuid::Uuid::now_v7().to_string();
        let storage_key = Storage::video_key(&id, &file.filename);
        self.storage
            .store(file.temp, &storage_key)
            .await
            .context("moving the upload into storage")?;
        let new = NewVideo {
            id,
            filename: file.filename,
            storage_key: storage_key.clone(),
            size_bytes: i64::try_from(file.size_bytes).unwrap_or(i64::MAX),
            create_profiles,
            info,
        };
        match self.db.insert_video(&new).await {
            Ok(video) => {
                self.events.publish(VideoEvent::Changed(video.clone()));
                Ok(video)
            }
            Err(error) => {
                if let Err(error) = self.storage.delete(&storage_key).await {
                    tracing::error!(%error, storage_key, "removing the file of a video not recorded failed");
                }
                Err(error.into())
            }
        }
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
