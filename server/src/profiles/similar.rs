//! `GET /api/profiles/{id}/similar`: other profiles and unassigned people ranked by how
//! close their faces are to the profile's gallery, for "is this the same person?".

use super::ProfileService;
use crate::db::people::FaceRow;
use crate::error::ApiError;
use crate::search::video_person;
use app::model::{ProfileRef, SimilarPerson, SimilarProfile, Suggestions};
use std::collections::HashMap;
use vision::Embedding;

/// Default and largest number of suggestions of each kind.
pub const DEFAULT_SIMILAR: usize = 10;
pub const MAX_SIMILAR: usize = 100;

impl ProfileService {
    /// Up to `limit` profiles and `limit` unassigned people, most similar first.
    pub async fn similar(&self, id: &str, limit: usize) -> Result<Suggestions, ApiError> {
        if self.db.get_profile(id).await?.is_none() {
            return Err(ApiError::NotFound("profile"));
        }
        let faces = self.db.all_faces().await?;
        let model = self.model.clone();
        let id_owned = id.to_owned();
        let skipped_other_model = faces
            .iter()
            .filter(|f| f.model.as_deref().is_some_and(|m| m != model))
            .count() as i64;
        let (profiles, people) =
            tokio::task::spawn_blocking(move || rank(&id_owned, &faces, &model, limit))
                .await
                .map_err(|e| anyhow::anyhow!("ranking suggestions: {e}"))?;
        let ids: Vec<String> = profiles.iter().map(|(id, _)| id.clone()).collect();
        let names: HashMap<String, Option<String>> =
            self.db.profile_names(&ids).await?.into_iter().collect();
        let profiles = profiles
            .into_iter()
            .filter_map(|(pid, similarity)| {
                Some(SimilarProfile {
                    similarity,
                    profile: ProfileRef {
                        full_name: names.get(&pid)?.clone(),
                        crop_url: format!("/api/profiles/{pid}/crop"),
                        id: pid,
                    },
                })
            })
            .collect();
        let ids: Vec<String> = people.iter().map(|(id, _)| id.clone()).collect();
        let mut rows: HashMap<String, _> = self
            .db
            .people_by_ids(&ids)
            .await?
            .into_iter()
            .map(|r| (r.id.clone(), r))
            .collect();
        let people = people
            .into_iter()
            .filter_map(|(pid, similarity)| {
                Some(SimilarPerson {
                    similarity,
                    person: video_person(rows.remove(&pid)?),
                })
            })
            .collect();
        Ok(Suggestions {
            profiles,
            people,
            match_threshold: self.match_threshold,
            model: self.model.clone(),
            skipped_other_model,
        })
    }
}

type Ranked = Vec<(String, f32)>;

/// The best similarity of each other profile and each unassigned person to the faces of
/// profile `id`, top `limit` of each.
fn rank(id: &str, faces: &[FaceRow], model: &str, limit: usize) -> (Ranked, Ranked) {
    let decoded: Vec<(&FaceRow, Embedding)> = faces
        .iter()
        .filter(|f| f.model.as_deref().is_none_or(|m| m == model))
        .filter_map(|f| Some((f, Embedding::from_bytes(&f.embedding)?)))
        .collect();
    let own: Vec<&Embedding> = decoded
        .iter()
        .filter(|(f, _)| f.profile_id.as_deref() == Some(id))
        .map(|(_, e)| e)
        .collect();
    let mut profiles: HashMap<&str, f32> = HashMap::new();
    let mut people: HashMap<&str, f32> = HashMap::new();
    for (face, embedding) in &decoded {
        let best = own
            .iter()
            .map(|o| o.cosine(embedding))
            .fold(f32::NEG_INFINITY, f32::max);
        let slot = match (face.profile_id.as_deref(), face.person_id.as_deref()) {
            (Some(pid), _) if pid == id => continue,
            (Some(pid), _) => profiles.entry(pid),
            (None, Some(person)) => people.entry(person),
            (None, None) => continue,
        };
        let value = slot.or_insert(f32::NEG_INFINITY);
        *value = value.max(best);
    }
    (top(profiles, limit), top(people, limit))
}

fn top(scores: HashMap<&str, f32>, limit: usize) -> Ranked {
    let mut all: Ranked = scores
        .into_iter()
        .filter(|(_, s)| s.is_finite())
        .map(|(id, s)| (id.to_owned(), s))
        .collect();
    all.sort_by(|a, b| b.1.total_cmp(&a.1));
    all.truncate(limit);
    all
}
