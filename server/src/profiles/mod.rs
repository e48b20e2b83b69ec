//! The profile service: listing, reading, editing and deleting profiles, and turning the
//! people found in a video into profiles.

pub mod patch;
mod people;

use crate::db::people::ProfileVideoRow;
use crate::db::profiles::{ProfileChanges, ProfileRow};
use crate::db::Db;
use crate::error::ApiError;
use crate::storage::Storage;
use anyhow::Context;
use app::model::{Appearance, Profile, ProfilePage, ProfileVideo};
use app::validate::Gender;
use std::collections::HashMap;

/// Default page size of profile listings.
pub const DEFAULT_PAGE: i64 = 100;
/// Largest page size of profile listings.
pub const MAX_PAGE: i64 = 1000;

/// Profile operations over the database and storage. Cheap to clone.
#[derive(Clone)]
pub struct ProfileService {
    db: Db,
    storage: Storage,
    match_threshold: f32,
}

impl ProfileService {
    /// `match_threshold`: cosine similarity above which a person is an existing profile.
    pub fn new(db: Db, storage: Storage, match_threshold: f32) -> Self {
        Self {
            db,
            storage,
            match_threshold,
        }
    }

    /// One page, newest first, with the total count.
    pub async fn list(&self, limit: i64, offset: i64) -> Result<ProfilePage, ApiError> {
        let rows = self.db.list_profiles(limit, offset).await?;
        let total = self.db.count_profiles().await?;
        Ok(ProfilePage {
            items: self.assemble(rows).await?,
            total,
        })
    }

    /// One profile, or 404.
    pub async fn get(&self, id: &str) -> Result<Profile, ApiError> {
        let row = self
            .db
            .get_profile(id)
            .await?
            .ok_or(ApiError::NotFound("profile"))?;
        Ok(self.assemble(vec![row]).await?.remove(0))
    }

    /// Applies validated changes.
    pub async fn update(&self, id: &str, changes: &ProfileChanges) -> Result<Profile, ApiError> {
        let row = self
            .db
            .update_profile(id, changes)
            .await?
            .ok_or(ApiError::NotFound("profile"))?;
        Ok(self.assemble(vec![row]).await?.remove(0))
    }

    /// Deletes the profile and its crop; its people stay counted in their videos.
    pub async fn delete(&self, id: &str) -> Result<(), ApiError> {
        let key = self
            .db
            .delete_profile(id)
            .await?
            .ok_or(ApiError::NotFound("profile"))?;
        if let Err(error) = self.storage.delete(&key).await {
            tracing::error!(%error, key, "deleting a profile crop failed");
        }
        Ok(())
    }

    /// The JPEG crop of a profile.
    pub async fn crop(&self, id: &str) -> Result<bytes::Bytes, ApiError> {
        let key = self
            .db
            .profile_crop_key(id)
            .await?
            .ok_or(ApiError::NotFound("profile"))?;
        self.storage
            .read(&key)
            .await
            .context("reading a crop")?
            .ok_or(ApiError::NotFound("crop"))
    }

    /// Adds each profile's videos (one query for the whole page).
    async fn assemble(&self, rows: Vec<ProfileRow>) -> Result<Vec<Profile>, ApiError> {
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let mut videos: HashMap<String, Vec<ProfileVideo>> = HashMap::new();
        for row in self.db.profile_videos(&ids).await? {
            videos
                .entry(row.profile_id.clone())
                .or_default()
                .push(profile_video(row));
        }
        Ok(rows
            .into_iter()
            .map(|row| profile(row, &mut videos))
            .collect())
    }
}

fn profile(row: ProfileRow, videos: &mut HashMap<String, Vec<ProfileVideo>>) -> Profile {
    Profile {
        crop_url: format!("/api/profiles/{}/crop", row.id),
        videos: videos.remove(&row.id).unwrap_or_default(),
        gender: row.gender.as_deref().and_then(|g| Gender::parse(g).ok()),
        id: row.id,
        full_name: row.full_name,
        birth_date: row.birth_date,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

fn profile_video(row: ProfileVideoRow) -> ProfileVideo {
    let appearances: Vec<Appearance> = serde_json::from_str(&row.appearances).unwrap_or_default();
    let start = appearances.first().map_or(0.0, |a| a.start_s);
    ProfileVideo {
        url: format!("/videos/{}?t={:.1}", row.video_id, start),
        video_id: row.video_id,
        filename: row.filename,
        appearances,
    }
}
