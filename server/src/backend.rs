//! The UI's server functions reach the video service through this adapter.

use crate::error::ApiError;
use crate::videos::VideoService;
use app::api::ssr::Backend;
use app::model::Video;

/// Error text for the UI: the same message a REST client gets.
fn message(error: ApiError) -> String {
    error.log_if_internal();
    error.body().error
}

#[async_trait::async_trait]
impl Backend for VideoService {
    async fn list_videos(&self) -> Result<Vec<Video>, String> {
        self.list().await.map_err(message)
    }

    async fn cancel_video(&self, id: &str) -> Result<Video, String> {
        self.cancel(id).await.map_err(message)
    }

    async fn delete_video(&self, id: &str) -> Result<(), String> {
        self.delete(id).await.map_err(message)
    }
}
