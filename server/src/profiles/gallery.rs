//! A profile's gallery: the people assigned to it, each with its video and episodes.

use super::ProfileService;
use crate::error::ApiError;
use crate::search::video_person;
use app::model::PeoplePage;

impl ProfileService {
    /// The people of profile `id`, oldest video first; 404 for an unknown profile.
    pub async fn people(&self, id: &str) -> Result<PeoplePage, ApiError> {
        if self.db.get_profile(id).await?.is_none() {
            return Err(ApiError::NotFound("profile"));
        }
        let items: Vec<_> = self
            .db
            .profile_people(id)
            .await?
            .into_iter()
            .map(video_person)
            .collect();
        Ok(PeoplePage {
            total: items.len() as i64,
            items,
        })
    }
}
