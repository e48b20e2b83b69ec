//! Storing the people found in a video: crops, rows, and profiles when asked for.

use super::ProfileService;
use crate::db::people::NewVideoPerson;
use app::model::Appearance;
use vision::{Embedding, Person};

impl ProfileService {
    /// Stores each person of a finished video with its crop; with `create_profiles`, links
    /// each to the most similar existing profile above the threshold, or makes a new one.
    #[tracing::instrument(skip_all, fields(video_id, people = people.len()))]
    pub async fn record_people(
        &self,
        video_id: &str,
        create_profiles: bool,
        people: Vec<Person>,
    ) -> anyhow::Result<()> {
        self.db.delete_video_people(video_id).await?;
        let mut known = if create_profiles {
            self.known_profiles().await?
        } else {
            Vec::new()
        };
        for (ordinal, person) in people.into_iter().enumerate() {
            let crop_key = format!(
                "{}/people/{ordinal}.jpg",
                crate::storage::Storage::video_prefix(video_id)
            );
            self.storage
                .put(&crop_key, person.crop_jpeg.clone())
                .await?;
            let profile_id = if create_profiles {
                Some(self.profile_for(&person, &mut known).await?)
            } else {
                None
            };
            let row = NewVideoPerson {
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
            };
            self.db.insert_video_person(&row).await?;
        }
        Ok(())
    }

    async fn known_profiles(&self) -> anyhow::Result<Vec<(String, Embedding)>> {
        let rows = self.db.profile_embeddings().await?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, bytes)| Some((id, Embedding::from_bytes(&bytes)?)))
            .collect())
    }

    /// The id of the matching profile, or of a new one made from this person.
    async fn profile_for(
        &self,
        person: &Person,
        known: &mut Vec<(String, Embedding)>,
    ) -> anyhow::Result<String> {
        let best = known
            .iter()
            .map(|(id, embedding)| (id, embedding.cosine(&person.embedding)))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((id, similarity)) = best {
            if similarity >= self.match_threshold {
                tracing::info!(profile_id = %id, similarity, "person matches an existing profile");
                return Ok(id.clone());
            }
        }
        let id = uuid::Uuid::now_v7().to_string();
        let crop_key = format!("profiles/{id}/crop.jpg");
        self.storage
            .put(&crop_key, person.crop_jpeg.clone())
            .await?;
        self.db
            .insert_profile(&id, &crop_key, &person.embedding.to_bytes())
            .await?;
        known.push((id.clone(), person.embedding.clone()));
        Ok(id)
    }
}
