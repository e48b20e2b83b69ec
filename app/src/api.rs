//! Server functions used by the UI. They are thin: the real work is done by the
//! server's services, reached through the [`ssr::Backend`] in the Leptos context.

use crate::model::{ErrorBody, Profile, ProfilePage, Video};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The outcome of saving a profile form: saved, or refused with one message per field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ProfileSave {
    /// Stored; the profile as it is now.
    Saved(Profile),
    /// Nothing changed; why, field by field (same messages as the REST 422).
    Invalid(ErrorBody),
}

/// The editable fields of a profile as typed in the form (`None` or empty clears a field).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProfileForm {
    /// Full name text.
    pub full_name: Option<String>,
    /// `male`, `female` or nothing.
    pub gender: Option<String>,
    /// `YYYY-MM-DD` or nothing.
    pub birth_date: Option<String>,
}

/// Every video, newest first.
#[server(prefix = "/rpc", endpoint = "list_videos")]
pub async fn list_videos() -> Result<Vec<Video>, ServerFnError> {
    ssr::backend()?
        .list_videos()
        .await
        .map_err(ServerFnError::new)
}

/// Stop a queued, processing or paused video.
#[server(prefix = "/rpc", endpoint = "cancel_video")]
pub async fn cancel_video(id: String) -> Result<Video, ServerFnError> {
    ssr::backend()?
        .cancel_video(&id)
        .await
        .map_err(ServerFnError::new)
}

/// Put a queued or processing video aside: it gives up its job slot and keeps the counts
/// of its finished segments.
#[server(prefix = "/rpc", endpoint = "pause_video")]
pub async fn pause_video(id: String) -> Result<Video, ServerFnError> {
    ssr::backend()?
        .pause_video(&id)
        .await
        .map_err(ServerFnError::new)
}

/// Put a paused video back in the queue; it continues from its first unfinished segment.
#[server(prefix = "/rpc", endpoint = "resume_video")]
pub async fn resume_video(id: String) -> Result<Video, ServerFnError> {
    ssr::backend()?
        .resume_video(&id)
        .await
        .map_err(ServerFnError::new)
}

/// Delete a video, its file and its rows.
#[server(prefix = "/rpc", endpoint = "delete_video")]
pub async fn delete_video(id: String) -> Result<(), ServerFnError> {
    ssr::backend()?
        .delete_video(&id)
        .await
        .map_err(ServerFnError::new)
}

/// Which profiles a listing shows: the Profiles page's name search and "Show hidden".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileQuery {
    /// Part of the full name, in any case; empty: every profile.
    pub q: String,
    /// Whether hidden profiles are listed too.
    pub hidden: bool,
}

impl ProfileQuery {
    /// True when it lists every visible profile (no search, no hidden ones).
    pub fn is_plain(&self) -> bool {
        self.q.trim().is_empty() && !self.hidden
    }
}

/// One page of the profiles `query` asks for, newest first.
#[server(prefix = "/rpc", endpoint = "list_profiles")]
pub async fn list_profiles(
    limit: i64,
    offset: i64,
    query: ProfileQuery,
) -> Result<ProfilePage, ServerFnError> {
    let backend = ssr::backend()?;
    let page = if query.is_plain() {
        backend.list_profiles(limit, offset).await
    } else {
        backend.find_profiles(&query, limit, offset).await
    };
    page.map_err(ServerFnError::new)
}

/// Saves the form of one profile, validated field by field.
#[server(prefix = "/rpc", endpoint = "save_profile")]
pub async fn save_profile(id: String, form: ProfileForm) -> Result<ProfileSave, ServerFnError> {
    ssr::backend()?
        .save_profile(&id, form)
        .await
        .map_err(ServerFnError::new)
}

/// Deletes a profile and its crop.
#[server(prefix = "/rpc", endpoint = "delete_profile")]
pub async fn delete_profile(id: String) -> Result<(), ServerFnError> {
    ssr::backend()?
        .delete_profile(&id)
        .await
        .map_err(ServerFnError::new)
}

/// One video (for its page).
#[server(prefix = "/rpc", endpoint = "get_video")]
pub async fn get_video(id: String) -> Result<Video, ServerFnError> {
    ssr::backend()?
        .get_video(&id)
        .await
        .map_err(ServerFnError::new)
}

/// What server functions need from the server, implemented by the `server` crate.
#[cfg(feature = "ssr")]
pub mod ssr {
    use super::{ProfileForm, ProfileQuery, ProfileSave};
    use crate::model::{ProfilePage, Video};
    use leptos::prelude::*;
    use std::sync::Arc;

    /// The server's services as seen by server functions; errors are user-readable messages.
    #[async_trait::async_trait]
    pub trait Backend: Send + Sync {
        /// Every video, newest first.
        async fn list_videos(&self) -> Result<Vec<Video>, String>;
        /// Cancel a video and return it as it is now.
        async fn cancel_video(&self, id: &str) -> Result<Video, String>;
        /// Pause a queued or processing video and return it as it is now.
        async fn pause_video(&self, id: &str) -> Result<Video, String>;
        /// Resume a paused video (queued again) and return it as it is now.
        async fn resume_video(&self, id: &str) -> Result<Video, String>;
        /// Delete a video with its file and rows.
        async fn delete_video(&self, id: &str) -> Result<(), String>;
        /// One video.
        async fn get_video(&self, id: &str) -> Result<Video, String>;
        /// One page of profiles, newest first.
        async fn list_profiles(&self, limit: i64, offset: i64) -> Result<ProfilePage, String>;
        /// One page of the profiles matching `query` (name part, hidden ones too), newest
        /// first. The default only knows the plain listing.
        async fn find_profiles(
            &self,
            query: &ProfileQuery,
            limit: i64,
            offset: i64,
        ) -> Result<ProfilePage, String> {
            if query.is_plain() {
                self.list_profiles(limit, offset).await
            } else {
                Err("this server cannot search profiles by name".to_string())
            }
        }
        /// Validate and store a profile form.
        async fn save_profile(&self, id: &str, form: ProfileForm) -> Result<ProfileSave, String>;
        /// Delete a profile and its crop.
        async fn delete_profile(&self, id: &str) -> Result<(), String>;
    }

    /// Shared handle put into the Leptos context by the server.
    pub type SharedBackend = Arc<dyn Backend>;

    /// The backend provided by the server for this request.
    pub fn backend() -> Result<SharedBackend, ServerFnError> {
        use_context::<SharedBackend>()
            .ok_or_else(|| ServerFnError::new("server backend missing from context"))
    }
}
