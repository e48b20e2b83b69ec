//! Getting a claimed video's file for its job, and giving the video back when that cannot
//! be done for now.

use super::end::failed;
use super::runner::{RETRY_FIRST, RETRY_LAST};
use super::ClaimedVideo;
use super::JobSystem;
use crate::events::VideoEvent;

/// What fetching a video for its job gave.
pub(super) enum Fetched {
    Ready(crate::storage::LocalCopy),
    /// Nothing to scan: deleted, given back, or failed (already written).
    Gone,
    /// The job was stopped while fetching.
    Stopped,
}

impl JobSystem {
    /// A local file of the video for OpenCV: the stored file itself (`file://`) or a
    /// temporary download. A database error is retried with backoff, then the video is
    /// given back to the queue; a file storage cannot give fails the video.
    pub(super) async fn video_path(&self, held: &ClaimedVideo) -> Fetched {
        let id = held.video_id.as_str();
        let mut backoff = RETRY_FIRST;
        let key = loop {
            let read = match self.inner.faults.storage_key_read_fails(id) {
                true => Err(super::Faults::database_error()),
                false => self.inner.db.video_storage_key(id).await,
            };
            match read {
                Ok(Some(key)) => break key,
                Ok(None) => return Fetched::Gone, // deleted meanwhile
                Err(error) if backoff <= RETRY_LAST => {
                    tracing::warn!(%error, retry_in_ms = backoff.as_millis() as u64, "reading the video's storage key failed");
                    tokio::time::sleep(backoff).await;
                    backoff *= 2;
                }
                Err(error) => {
                    tracing::error!(%error, "reading the video's storage key failed; giving the video back");
                    self.give_back_video(held).await;
                    return Fetched::Gone;
                }
            }
        };
        match self.inner.storage.local_copy(&key).await {
            Ok(local) => Fetched::Ready(local),
            Err(error) => {
                tracing::error!(%error, key, "fetching the video from storage failed");
                let message = "the video file could not be read from storage (logged)";
                self.finish(held, &failed(message, None)).await;
                Fetched::Gone
            }
        }
    }

    /// Puts a video this job cannot go on with back in the queue (another attempt, under
    /// the attempts limit), or leaves it to its lease if even that write fails.
    async fn give_back_video(&self, held: &ClaimedVideo) {
        match self.inner.db.requeue_held_video(held).await {
            Ok(Some(video)) => self.inner.events.publish(VideoEvent::Changed(video)),
            Ok(None) => {}
            Err(error) => {
                tracing::error!(%error, "giving the video back failed; it is re-queued when its lease expires")
            }
        }
    }
}
