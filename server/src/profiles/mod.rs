//! The profile service: listing, reading, editing and deleting profiles, and turning the
//! people found in a video into profiles.

mod assign;
mod create;
mod gallery;
mod matching;
mod merge;
pub mod patch;
mod people;
mod similar;

pub use people::profile_crop_key;
pub use similar::{DEFAULT_SIMILAR, MAX_SIMILAR};

use crate::audit::Change;
use crate::db::people::ProfileVideoRow;
use crate::db::profiles::{self as q, ProfileChanges, ProfileFilter, ProfileRow};
use crate::db::Db;
use crate::error::ApiError;
use crate::security::Client;
use crate::storage::Storage;
use anyhow::Context;
use app::model::{Appearance, Episode, Profile, ProfilePage, ProfileVideo};
use app::validate::Gender;
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;

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
    /// The embedding model's id, stored with every embedding.
    model: String,
    /// Serialises changes of who belongs where within this process (across processes the
    /// database's lock does, see [`Db::begin_matching`]).
    serial: Arc<tokio::sync::Mutex<()>>,
    /// Where alerts raised while storing a video's people are sent.
    webhook_urls: Arc<[String]>,
}

impl ProfileService {
    /// `match_threshold`: cosine similarity above which a person is an existing profile;
    /// `model`: the id of the embedding model (see [`crate::search::model_id`]).
    pub fn new(db: Db, storage: Storage, match_threshold: f32, model: String) -> Self {
        Self {
            db,
            storage,
            match_threshold,
            model,
            serial: Arc::default(),
            webhook_urls: Arc::from([]),
        }
    }

    /// Queues every alert this service raises for each of `urls` (see [`crate::webhooks`]).
    pub fn with_webhook_urls(mut self, urls: Vec<String>) -> Self {
        self.webhook_urls = urls.into();
        self
    }

    /// One page, newest first, with how many match the filter.
    pub async fn list(
        &self,
        filter: &ProfileFilter,
        limit: i64,
        offset: i64,
    ) -> Result<ProfilePage, ApiError> {
        let (rows, total) = self.db.list_profiles(filter, limit, offset).await?;
        let (total, total_is_estimate) = (total.value, total.estimated);
        Ok(ProfilePage {
            items: self.assemble(rows).await?,
            total,
            total_is_estimate,
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

    /// Applies validated changes, recorded in the audit log with the values before.
    pub async fn update(
        &self,
        id: &str,
        changes: &ProfileChanges,
        client: &Client,
    ) -> Result<Profile, ApiError> {
        let mut tx = self.db.pool().begin().await?;
        let before = q::get_profile(&mut tx, id)
            .await?
            .ok_or(ApiError::NotFound("profile"))?;
        let after = q::update_profile(&mut tx, id, changes)
            .await?
            .ok_or(ApiError::NotFound("profile"))?;
        let action = match (changes.hidden, changes.watch) {
            (None, Some(watch)) if !changes.has_fields() => {
                if watch {
                    "profile.watch"
                } else {
                    "profile.unwatch"
                }
            }
            (Some(hidden), None) if !changes.has_fields() => {
                if hidden {
                    "profile.hide"
                } else {
                    "profile.unhide"
                }
            }
            _ => "profile.edit",
        };
        Change::new(action)
            .profiles([id.to_owned()])
            .values(Some(fields(&before)), Some(fields(&after)))
            .record(&mut tx, client)
            .await?;
        tx.commit().await?;
        Ok(self.assemble(vec![after]).await?.remove(0))
    }

    /// Deletes the profile and its crop; its people stay in their videos, unassigned. The
    /// audit log keeps the profile's history and its last values.
    pub async fn delete(&self, id: &str, client: &Client) -> Result<(), ApiError> {
        let _serial = self.serial.lock().await;
        let mut tx = self.db.begin_matching().await?;
        let before = q::get_profile(&mut tx, id)
            .await?
            .ok_or(ApiError::NotFound("profile"))?;
        let key = q::delete_profile(&mut tx, id)
            .await?
            .ok_or(ApiError::NotFound("profile"))?;
        Change::new("profile.delete")
            .profiles([id.to_owned()])
            .values(Some(fields(&before)), None)
            .record(&mut tx, client)
            .await?;
        tx.commit().await?;
        self.delete_crops(&[key]).await;
        Ok(())
    }

    /// Removes crops of profiles that no longer exist (a failure only leaves a file behind).
    async fn delete_crops(&self, keys: &[String]) {
        for key in keys {
            if let Err(error) = self.storage.delete(key).await {
                tracing::error!(%error, key, "deleting a profile crop failed");
            }
        }
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
        hidden: row.hidden,
        watch: row.watch,
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
        episodes: episodes(&row.person_id, &appearances, row.episode_thumbs),
        video_id: row.video_id,
        filename: row.filename,
        duration_s: row.duration_s,
        appearances,
    }
}

/// A person's appearances as episodes, with picture URLs where pictures were stored (videos
/// processed before episodes had pictures have none).
pub fn episodes(person_id: &str, appearances: &[Appearance], thumbs: i64) -> Vec<Episode> {
    appearances
        .iter()
        .enumerate()
        .map(|(n, a)| Episode {
            start_s: a.start_s,
            end_s: a.end_s,
            thumb_url: ((n as i64) < thumbs)
                .then(|| format!("/api/people/{person_id}/episodes/{n}/thumb")),
        })
        .collect()
}

/// A profile's editable values, as the audit log records them.
fn fields(row: &ProfileRow) -> serde_json::Value {
    json!({
        "full_name": row.full_name,
        "gender": row.gender,
        "birth_date": row.birth_date,
        "hidden": row.hidden,
        "watch": row.watch,
    })
}
