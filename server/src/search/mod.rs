//! The archive search: find every person of every processed video that looks like a face
//! photo, or like a profile's people.

mod index;
mod model_id;
mod photo;
mod rank;

pub use index::{Entry, SearchIndex, Snapshot};
pub use model_id::model_id;
pub use photo::{Analysis, PhotoAnalyzer};
pub use rank::{rank, Hit};

use crate::db::people::PersonRow;
use crate::db::Db;
use crate::error::ApiError;
use crate::profiles::episodes;
use app::model::{Appearance, ProfileRef, SearchMatch, SearchOrder, SearchResult, VideoPerson};
use std::collections::HashMap;
use vision::Embedding;

/// Default and largest number of matches.
pub const DEFAULT_LIMIT: usize = 50;
/// Largest number of matches one search returns.
pub const MAX_LIMIT: usize = 200;

/// What to search with.
#[derive(Debug, Clone)]
pub enum SearchBy {
    /// A photo's bytes (JPEG, PNG, WebP or BMP).
    Photo(bytes::Bytes),
    /// The people of a profile.
    Profile(String),
}

/// How to search, already validated.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// Which face of the photo (default: the largest).
    pub face: Option<usize>,
    /// Lowest similarity returned (default: the embedder's match threshold).
    pub min_similarity: Option<f32>,
    /// At most this many matches (1..=[`MAX_LIMIT`]).
    pub limit: usize,
    /// Order of the matches.
    pub order: SearchOrder,
    /// Search even with a face that fails the quality gate.
    pub force: bool,
}

impl Default for SearchOptions {
    fn default() -> Self {
        Self {
            face: None,
            min_similarity: None,
            limit: DEFAULT_LIMIT,
            order: SearchOrder::Similarity,
            force: false,
        }
    }
}

/// The search service. Cheap to clone.
#[derive(Clone)]
pub struct SearchService {
    db: Db,
    index: SearchIndex,
    photos: PhotoAnalyzer,
    model: String,
    match_threshold: f32,
}

impl SearchService {
    /// A search over the people embedded by `model`.
    pub fn new(db: Db, photos: PhotoAnalyzer, model: String, match_threshold: f32) -> Self {
        Self {
            index: SearchIndex::new(db.clone(), &model),
            db,
            photos,
            model,
            match_threshold,
        }
    }

    /// The photo analyser (its limits are checked while the photo is received).
    pub fn photos(&self) -> &PhotoAnalyzer {
        &self.photos
    }

    /// Searches the archive.
    #[tracing::instrument(skip_all, fields(by = match by { SearchBy::Photo(_) => "photo", SearchBy::Profile(_) => "profile" }))]
    pub async fn search(
        &self,
        by: SearchBy,
        options: &SearchOptions,
    ) -> Result<SearchResult, ApiError> {
        let (queries, analysis) = match by {
            SearchBy::Photo(bytes) => {
                let analysis = self
                    .photos
                    .analyze(bytes, options.face, options.force)
                    .await?;
                (vec![analysis.embedding.clone()], Some(analysis))
            }
            SearchBy::Profile(id) => (self.profile_queries(&id).await?, None),
        };
        let mut result = self.search_embeddings(queries, options).await?;
        if let Some(analysis) = analysis {
            result.faces_in_photo = analysis.faces;
            result.face = Some(analysis.face);
            result.low_quality = analysis.low_quality;
        }
        Ok(result)
    }

    /// Ranks the archive against `queries` (the best similarity to any of them counts) and
    /// reads the matches' people, videos and profiles: everything but the photo.
    pub async fn search_embeddings(
        &self,
        queries: Vec<Embedding>,
        options: &SearchOptions,
    ) -> Result<SearchResult, ApiError> {
        let min_similarity = options.min_similarity.unwrap_or(self.match_threshold);
        let snapshot = self.index.snapshot().await?;
        let started = std::time::Instant::now();
        let (limit, order) = (options.limit, options.order);
        let ranked = snapshot.clone();
        let hits = tokio::task::spawn_blocking(move || {
            rank(&ranked, &queries, min_similarity, limit, order)
        })
        .await
        .map_err(|e| anyhow::anyhow!("ranking panicked: {e}"))?;
        tracing::debug!(
            people = snapshot.entries.len(),
            hits = hits.len(),
            rank_us = started.elapsed().as_micros() as u64,
            "ranked"
        );
        let matches = self.matches(&snapshot, &hits).await?;
        Ok(SearchResult {
            faces_in_photo: Vec::new(),
            face: None,
            model: self.model.clone(),
            skipped_other_model: snapshot.other_model as i64,
            low_quality: false,
            min_similarity,
            match_threshold: self.match_threshold,
            matches,
        })
    }

    /// The embeddings of a profile's people made by the current model (422 if none).
    async fn profile_queries(&self, id: &str) -> Result<Vec<Embedding>, ApiError> {
        if self.db.get_profile(id).await?.is_none() {
            return Err(ApiError::field("profile_id", "no profile with this id"));
        }
        let queries: Vec<Embedding> = self
            .db
            .profile_people_embeddings(id)
            .await?
            .into_iter()
            .filter(|(_, model)| model.as_deref() == Some(self.model.as_str()))
            .filter_map(|(bytes, _)| Embedding::from_bytes(&bytes))
            .collect();
        if queries.is_empty() {
            return Err(ApiError::field(
                "profile_id",
                "this profile has no faces embedded by the current model; search with a photo",
            ));
        }
        Ok(queries)
    }

    /// The hits with their people, videos and profiles, in the hits' order.
    async fn matches(
        &self,
        snapshot: &Snapshot,
        hits: &[Hit],
    ) -> Result<Vec<SearchMatch>, ApiError> {
        let ids: Vec<String> = hits
            .iter()
            .map(|h| snapshot.entries[h.row].person_id.clone())
            .collect();
        let mut people: HashMap<String, PersonRow> = self
            .db
            .people_by_ids(&ids)
            .await?
            .into_iter()
            .map(|p| (p.id.clone(), p))
            .collect();
        let profile_ids: Vec<String> = people
            .values()
            .filter_map(|p| p.profile_id.clone())
            .collect();
        let profiles: HashMap<String, Option<String>> = self
            .db
            .profile_names(&profile_ids)
            .await?
            .into_iter()
            .collect();
        Ok(hits
            .iter()
            .zip(&ids)
            // A person deleted since the index was loaded is left out.
            .filter_map(|(hit, id)| {
                let row = people.remove(id)?;
                let profile = row.profile_id.as_ref().and_then(|pid| {
                    Some(ProfileRef {
                        full_name: profiles.get(pid)?.clone(),
                        crop_url: format!("/api/profiles/{pid}/crop"),
                        id: pid.clone(),
                    })
                });
                Some(SearchMatch {
                    similarity: hit.similarity,
                    person: video_person(row),
                    profile,
                })
            })
            .collect())
    }
}

/// A stored person as the API shows it.
pub fn video_person(row: PersonRow) -> VideoPerson {
    let appearances: Vec<Appearance> = serde_json::from_str(&row.appearances).unwrap_or_default();
    VideoPerson {
        crop_url: format!("/api/people/{}/crop", row.id),
        episodes: episodes(&row.id, &appearances, row.episode_thumbs),
        id: row.id,
        video_id: row.video_id,
        filename: row.filename,
        duration_s: row.duration_s,
        profile_id: row.profile_id,
    }
}
