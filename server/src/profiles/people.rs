//! Storing the people found in a video: crops first, then one transaction under the matching
//! lock that replaces the video's people and places each (see [`super::matching`]).

use super::matching::{self, Facts, GalleryFace, OldPerson, Placement, Rejection};
use super::ProfileService;
use crate::alerts::raise::{best_similarity, raise, PlacedPerson};
use crate::db::matching as q;
use crate::db::people::NewVideoPerson;
use crate::storage::Storage;
use anyhow::Context;
use app::model::{Alert, Appearance};
use sqlx::AnyConnection;
use vision::{Embedding, Person};

impl ProfileService {
    /// Stores each person of a finished video with its crop and places it: into the profile
    /// an earlier run or an operator chose, into the best matching profile, or (with
    /// `create_profiles`) into a new one. All or nothing; one video at a time everywhere.
    /// People placed in a watched profile raise alerts, queued for the webhooks in the same
    /// transaction; returns the new alerts.
    #[tracing::instrument(skip_all, fields(video_id, people = people.len()))]
    pub async fn record_people(
        &self,
        video_id: &str,
        create_profiles: bool,
        people: Vec<Person>,
    ) -> anyhow::Result<Vec<Alert>> {
        let mut crop_keys = Vec::with_capacity(people.len());
        for (ordinal, person) in people.iter().enumerate() {
            crop_keys.push(self.store_pictures(video_id, ordinal, person).await?);
        }
        let _serial = self.serial.lock().await;
        let mut tx = self.db.begin_matching().await?;
        let gallery = self.gallery(&mut tx, video_id).await?;
        let old = old_people(&mut tx, video_id).await?;
        let rejections = rejections(&mut tx, video_id).await?;
        let embeddings: Vec<Embedding> = people.iter().map(|p| p.embedding.clone()).collect();
        let facts = Facts {
            gallery: &gallery,
            old: &old,
            rejections: &rejections,
            threshold: self.match_threshold,
            create_profiles,
        };
        let placements = matching::place(&embeddings, &facts);
        q::delete_video_people(&mut tx, video_id).await?;
        let mut placed = Vec::new();
        let rows = people.iter().zip(crop_keys).zip(placements).enumerate();
        for (ordinal, ((person, crop_key), placement)) in rows {
            let (profile_id, manual) = match placement {
                Placement::Profile { id, manual } => (Some(id), manual),
                Placement::Unassigned { manual } => (None, manual),
                Placement::NewProfile => (Some(self.new_profile(&mut tx, person).await?), false),
            };
            if let Some(id) = &profile_id {
                tracing::info!(profile_id = %id, ordinal, manual, "person placed in a profile");
            }
            let placed_in = Placed {
                crop_key,
                profile_id,
                manual,
            };
            let row = new_row(video_id, ordinal, person, placed_in, &self.model);
            q::insert_video_person(&mut tx, &row).await?;
            if let Some(profile_id) = row.profile_id.clone() {
                let faces = gallery
                    .iter()
                    .map(|g| (g.profile_id.as_str(), &g.embedding));
                let similarity = (!manual)
                    .then(|| best_similarity(&person.embedding, faces, &profile_id))
                    .flatten();
                placed.push((
                    row.id.clone(),
                    profile_id,
                    row.appearances.clone(),
                    similarity,
                ));
            }
        }
        let placed: Vec<PlacedPerson<'_>> = placed
            .iter()
            .map(
                |(person_id, profile_id, episodes, similarity)| PlacedPerson {
                    person_id,
                    profile_id,
                    episodes,
                    similarity: *similarity,
                },
            )
            .collect();
        let alerts = raise(&mut tx, video_id, &placed, &self.webhook_urls).await?;
        tx.commit().await?;
        Ok(alerts)
    }

    /// Stores a person's crop and episode pictures; returns the crop's key.
    async fn store_pictures(
        &self,
        video_id: &str,
        ordinal: usize,
        person: &Person,
    ) -> anyhow::Result<String> {
        let crop_key = format!("{}/people/{ordinal}.jpg", Storage::video_prefix(video_id));
        self.storage
            .put(&crop_key, person.crop_jpeg.clone())
            .await?;
        for (n, jpeg) in person.episode_crops.iter().enumerate() {
            let key = Storage::episode_thumb_key(&crop_key, n);
            self.storage.put(&key, jpeg.clone()).await?;
        }
        Ok(crop_key)
    }

    /// Every profile's gallery in this model's embeddings, except the people of `video_id`
    /// (about to be replaced).
    async fn gallery(
        &self,
        conn: &mut AnyConnection,
        video_id: &str,
    ) -> anyhow::Result<Vec<GalleryFace>> {
        let rows = q::gallery(conn, video_id).await?;
        Ok(rows
            .into_iter()
            .filter(|r| r.model.as_deref().is_none_or(|m| m == self.model))
            .filter_map(|r| {
                Some(GalleryFace {
                    embedding: Embedding::from_bytes(&r.embedding)?,
                    profile_id: r.profile_id,
                })
            })
            .collect())
    }

    /// A new profile made from `person`, inside the matching transaction.
    async fn new_profile(
        &self,
        conn: &mut AnyConnection,
        person: &Person,
    ) -> anyhow::Result<String> {
        let id = uuid::Uuid::now_v7().to_string();
        let crop_key = profile_crop_key(&id);
        self.storage
            .put(&crop_key, person.crop_jpeg.clone())
            .await
            .context("storing a profile crop")?;
        let embedding = person.embedding.to_bytes();
        q::insert_profile(conn, &id, &crop_key, &embedding, Some(&self.model)).await?;
        Ok(id)
    }
}

/// Where a profile's crop is stored.
pub fn profile_crop_key(profile_id: &str) -> String {
    format!("profiles/{profile_id}/crop.jpg")
}

async fn old_people(conn: &mut AnyConnection, video_id: &str) -> anyhow::Result<Vec<OldPerson>> {
    let rows = q::old_people(conn, video_id).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(OldPerson {
                embedding: Embedding::from_bytes(&r.embedding)?,
                profile_id: r.profile_id,
                manual: r.manual,
            })
        })
        .collect())
}

async fn rejections(conn: &mut AnyConnection, video_id: &str) -> anyhow::Result<Vec<Rejection>> {
    let rows = q::rejections(conn, video_id).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(Rejection {
                embedding: Embedding::from_bytes(&r.embedding)?,
                profile_id: r.profile_id,
            })
        })
        .collect())
}

/// Where a person's crop is and where it was placed.
struct Placed {
    crop_key: String,
    profile_id: Option<String>,
    manual: bool,
}

fn new_row(
    video_id: &str,
    ordinal: usize,
    person: &Person,
    placed: Placed,
    model: &str,
) -> NewVideoPerson {
    let Placed {
        crop_key,
        profile_id,
        manual,
    } = placed;
    NewVideoPerson {
        id: uuid::Uuid::now_v7().to_string(),
        video_id: video_id.to_owned(),
        profile_id,
        ordinal: ordinal as i64,
        appearances: person
            .appearances
            .iter()
            .map(|s| Appearance {
                start_s: s.start_s,
                end_s: s.end_s,
            })
            .collect(),
        face_count: person.face_count as i64,
        crop_key,
        embedding: person.embedding.to_bytes(),
        model: model.to_owned(),
        episode_thumbs: person.episode_crops.len() as i64,
        manual,
    }
}
