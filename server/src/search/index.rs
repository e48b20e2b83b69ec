//! The people of the archive held in memory for search: one contiguous matrix of the
//! embeddings made by the current model, reloaded when the database says people changed.
//!
//! A flat scan: 100 000 people × 128 dimensions is 12.8 M multiply-adds, a few milliseconds
//! on one core (`bench-search` measures it, also at 1 million). Past about 10 million people
//! an approximate index (HNSW) or a vector engine takes over; see docs/architecture.md.

use crate::db::search::IndexRow;
use crate::db::Db;
use app::model::Appearance;
use std::sync::{Arc, RwLock};
use vision::Embedding;

/// One searchable person.
#[derive(Debug, Clone)]
pub struct Entry {
    /// `video_people.id`.
    pub person_id: String,
    /// Upload time of its video (RFC 3339 text: text order is time order).
    pub video_created_at: String,
    /// Start of its first appearance, seconds.
    pub first_start_s: f64,
}

/// A loaded copy of the index.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// The `people_changes` counter it was loaded at (`None`: never loaded).
    pub version: Option<i64>,
    /// Dimensions of each embedding.
    pub dim: usize,
    /// `entries.len() × dim` values, row after row, each row unit length.
    pub vectors: Vec<f32>,
    /// Row `i` of `vectors` is `entries[i]`.
    pub entries: Vec<Entry>,
    /// Stored people embedded by another model (or before models were recorded).
    pub other_model: usize,
}

impl Snapshot {
    /// Builds a snapshot from stored rows, keeping those of `model`.
    pub fn build(version: i64, model: &str, rows: Vec<IndexRow>) -> Self {
        let mut snapshot = Snapshot {
            version: Some(version),
            ..Snapshot::default()
        };
        for row in rows {
            let usable = row.model.as_deref() == Some(model);
            let embedding = Embedding::from_bytes(&row.embedding);
            let Some(embedding) = embedding.filter(|_| usable) else {
                snapshot.other_model += 1;
                continue;
            };
            if snapshot.entries.is_empty() {
                snapshot.dim = embedding.len();
            } else if embedding.len() != snapshot.dim {
                snapshot.other_model += 1;
                continue;
            }
            let appearances: Vec<Appearance> =
                serde_json::from_str(&row.appearances).unwrap_or_default();
            snapshot.vectors.extend_from_slice(embedding.as_slice());
            snapshot.entries.push(Entry {
                person_id: row.id,
                video_created_at: row.video_created_at,
                first_start_s: appearances.first().map_or(0.0, |a| a.start_s),
            });
        }
        snapshot
    }

    /// Adds one person (for benchmarks and tests that build an index without a database).
    pub fn push(&mut self, entry: Entry, embedding: &Embedding) {
        if self.entries.is_empty() {
            self.dim = embedding.len();
        }
        debug_assert_eq!(embedding.len(), self.dim);
        self.vectors.extend_from_slice(embedding.as_slice());
        self.entries.push(entry);
    }
}

/// The shared, lazily refreshed index. Cheap to clone.
#[derive(Clone)]
pub struct SearchIndex {
    db: Db,
    model: Arc<str>,
    current: Arc<RwLock<Arc<Snapshot>>>,
    reload: Arc<tokio::sync::Mutex<()>>,
}

impl SearchIndex {
    /// An index of the people embedded by `model`; loaded at the first search.
    pub fn new(db: Db, model: &str) -> Self {
        Self {
            db,
            model: model.into(),
            current: Arc::default(),
            reload: Arc::default(),
        }
    }

    /// The current snapshot, reloaded first if people were stored or deleted since (by any
    /// process sharing the database).
    pub async fn snapshot(&self) -> sqlx::Result<Arc<Snapshot>> {
        let version = self.db.people_changes().await?;
        let held = self.held();
        if held.version == Some(version) {
            return Ok(held);
        }
        let _one_reload = self.reload.lock().await;
        let held = self.held();
        if held.version == Some(version) {
            return Ok(held);
        }
        let started = std::time::Instant::now();
        // Read the counter before the rows: a change in between only causes one more reload.
        let version = self.db.people_changes().await?;
        let rows = self.db.search_index_rows().await?;
        let model = self.model.clone();
        let snapshot = tokio::task::spawn_blocking(move || Snapshot::build(version, &model, rows))
            .await
            .map_err(|e| sqlx::Error::Protocol(format!("building the search index: {e}")))?;
        tracing::info!(
            people = snapshot.entries.len(),
            other_model = snapshot.other_model,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "search index loaded"
        );
        let snapshot = Arc::new(snapshot);
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = snapshot.clone();
        Ok(snapshot)
    }

    fn held(&self) -> Arc<Snapshot> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}
