//! The people found in videos (with or without a profile): reading them, their crops and
//! the pictures of their episodes.

use crate::db::Db;
use crate::error::ApiError;
use crate::storage::Storage;
use anyhow::Context;
use app::model::{PeoplePage, VideoPerson};

/// People operations. Cheap to clone.
#[derive(Clone)]
pub struct PeopleService {
    db: Db,
    storage: Storage,
}

impl PeopleService {
    /// People over this database and storage.
    pub fn new(db: Db, storage: Storage) -> Self {
        Self { db, storage }
    }

    /// One page of people, newest first: all, or only those with (`Some(true)`) or without
    /// (`Some(false)`) a profile.
    pub async fn list(
        &self,
        assigned: Option<bool>,
        limit: i64,
        offset: i64,
    ) -> Result<PeoplePage, ApiError> {
        let (rows, total) = self.db.list_people(assigned, limit, offset).await?;
        Ok(PeoplePage {
            items: rows.into_iter().map(crate::search::video_person).collect(),
            total,
        })
    }

    /// One person, or 404.
    pub async fn get(&self, id: &str) -> Result<VideoPerson, ApiError> {
        let row = self
            .db
            .get_person(id)
            .await?
            .ok_or(ApiError::NotFound("person"))?;
        Ok(crate::search::video_person(row))
    }

    /// The person's best head crop (JPEG).
    pub async fn crop(&self, id: &str) -> Result<bytes::Bytes, ApiError> {
        let row = self
            .db
            .get_person(id)
            .await?
            .ok_or(ApiError::NotFound("person"))?;
        self.read(&row.crop_key).await
    }

    /// The picture of the person's episode `n` (JPEG). 404 for an episode that does not
    /// exist or has no picture (videos processed before episodes had pictures).
    pub async fn episode_thumb(&self, id: &str, n: usize) -> Result<bytes::Bytes, ApiError> {
        let row = self
            .db
            .get_person(id)
            .await?
            .ok_or(ApiError::NotFound("person"))?;
        if n as i64 >= row.episode_thumbs {
            return Err(ApiError::NotFound("episode picture"));
        }
        self.read(&Storage::episode_thumb_key(&row.crop_key, n))
            .await
    }

    async fn read(&self, key: &str) -> Result<bytes::Bytes, ApiError> {
        self.storage
            .read(key)
            .await
            .context("reading a person's picture")?
            .ok_or(ApiError::NotFound("picture"))
    }
}
