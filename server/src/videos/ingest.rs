//! An upload's files: each received into a temporary file of this process, probed, then all
//! stored and queued together (or none, when any is not a video).

use super::VideoService;
use crate::db::videos::NewVideo;
use crate::error::ApiError;
use crate::events::VideoEvent;
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

impl VideoService {
    /// A new temporary file for an upload part being received; it is deleted when dropped
    /// unless ingested.
    pub fn incoming_file(&self) -> std::io::Result<(std::fs::File, TempPath)> {
        self.storage.incoming_file()
    }

    /// Bytes free on the disk uploads are received on (and local storage kept on).
    pub fn free_bytes(&self) -> std::io::Result<u64> {
        self.storage.free_bytes()
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
            match super::probe::check(&file, &self.cpu).await? {
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
}
