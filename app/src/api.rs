//! Server functions used by the UI. They are thin: the real work is done by the
//! server's services, reached through the [`ssr::Backend`] in the Leptos context.

use crate::model::Video;
use leptos::prelude::*;

/// Every video, newest first.
#[server(prefix = "/rpc", endpoint = "list_videos")]
pub async fn list_videos() -> Result<Vec<Video>, ServerFnError> {
    ssr::backend()?.list_videos().await.map_err(ServerFnError::new)
}

/// Stop a queued or processing video.
#[server(prefix = "/rpc", endpoint = "cancel_video")]
pub async fn cancel_video(id: String) -> Result<Video, ServerFnError> {
    ssr::backend()?.cancel_video(&id).await.map_err(ServerFnError::new)
}

/// Delete a video, its file and its rows.
#[server(prefix = "/rpc", endpoint = "delete_video")]
pub async fn delete_video(id: String) -> Result<(), ServerFnError> {
    ssr::backend()?.delete_video(&id).await.map_err(ServerFnError::new)
}

/// What server functions need from the server, implemented by the `server` crate.
#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::model::Video;
    use leptos::prelude::*;
    use std::sync::Arc;

    /// The server's services as seen by server functions; errors are user-readable messages.
    #[async_trait::async_trait]
    pub trait Backend: Send + Sync {
        /// Every video, newest first.
        async fn list_videos(&self) -> Result<Vec<Video>, String>;
        /// Cancel a video and return it as it is now.
        async fn cancel_video(&self, id: &str) -> Result<Video, String>;
        /// Delete a video with its file and rows.
        async fn delete_video(&self, id: &str) -> Result<(), String>;
    }

    /// Shared handle put into the Leptos context by the server.
    pub type SharedBackend = Arc<dyn Backend>;

    /// The backend provided by the server for this request.
    pub fn backend() -> Result<SharedBackend, ServerFnError> {
        use_context::<SharedBackend>()
            .ok_or_else(|| ServerFnError::new("server backend missing from context"))
    }
}
