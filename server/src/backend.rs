//! The UI's server functions reach the services through this adapter.

use crate::db::profiles::ProfileFilter;
use crate::error::ApiError;
use crate::profiles::patch;
use crate::security::Client;
use crate::state::AppState;
use app::api::ssr::Backend;
use app::api::{ProfileForm, ProfileQuery, ProfileSave};
use app::model::{name_key, ErrorBody, ProfilePage, Video};

/// Who called the server function, for the audit log.
async fn client() -> Client {
    leptos_axum::extract::<Client>()
        .await
        .unwrap_or_else(|_| Client::unknown())
}

/// Error text for the UI: the same message a REST client gets.
fn message(error: ApiError) -> String {
    error.log_if_internal();
    error.body().error
}

#[async_trait::async_trait]
impl Backend for AppState {
    async fn list_videos(&self) -> Result<Vec<Video>, String> {
        self.videos.list().await.map_err(message)
    }

    async fn cancel_video(&self, id: &str) -> Result<Video, String> {
        self.videos.cancel(id).await.map_err(message)
    }

    async fn pause_video(&self, id: &str) -> Result<Video, String> {
        self.videos.pause(id).await.map_err(message)
    }

    async fn resume_video(&self, id: &str) -> Result<Video, String> {
        self.videos.resume(id).await.map_err(message)
    }

    async fn delete_video(&self, id: &str) -> Result<(), String> {
        self.videos.delete(id).await.map_err(message)
    }

    async fn get_video(&self, id: &str) -> Result<Video, String> {
        self.videos.get(id).await.map_err(message)
    }

    async fn list_profiles(&self, limit: i64, offset: i64) -> Result<ProfilePage, String> {
        self.find_profiles(&ProfileQuery::default(), limit, offset)
            .await
    }

    async fn find_profiles(
        &self,
        query: &ProfileQuery,
        limit: i64,
        offset: i64,
    ) -> Result<ProfilePage, String> {
        let q = query.q.trim();
        let filter = ProfileFilter {
            name: (!q.is_empty()).then(|| name_key(q)),
            include_hidden: query.hidden,
        };
        let limit = limit.clamp(1, crate::profiles::MAX_PAGE);
        self.profiles
            .list(&filter, limit, offset.max(0))
            .await
            .map_err(message)
    }

    async fn save_profile(&self, id: &str, form: ProfileForm) -> Result<ProfileSave, String> {
        let changes = match patch::from_form(&form, patch::today()) {
            Ok(changes) => changes,
            Err(fields) => return Ok(ProfileSave::Invalid(ApiError::invalid(fields).body())),
        };
        match self.profiles.update(id, &changes, &client().await).await {
            Ok(profile) => Ok(ProfileSave::Saved(profile)),
            Err(error @ ApiError::NotFound(_)) => Ok(ProfileSave::Invalid(ErrorBody {
                error: error.to_string(),
                ..Default::default()
            })),
            Err(error) => Err(message(error)),
        }
    }

    async fn delete_profile(&self, id: &str) -> Result<(), String> {
        self.profiles
            .delete(id, &client().await)
            .await
            .map_err(message)
    }
}
