//! Ranking the index against query embeddings: a flat scan, best first or newest first.

use super::index::Snapshot;
use app::model::SearchOrder;
use vision::Embedding;

/// A row of the index that scored at least the minimum.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// Row in the snapshot.
    pub row: usize,
    /// Best cosine similarity over the query embeddings.
    pub similarity: f32,
}

/// The rows whose best similarity to any of `queries` is at least `min_similarity`, ordered
/// as asked, at most `limit`. Queries of another dimension than the index match nothing.
pub fn rank(
    snapshot: &Snapshot,
    queries: &[Embedding],
    min_similarity: f32,
    limit: usize,
    order: SearchOrder,
) -> Vec<Hit> {
    let dim = snapshot.dim;
    let queries: Vec<&[f32]> = queries
        .iter()
        .map(Embedding::as_slice)
        .filter(|q| q.len() == dim && dim > 0)
        .collect();
    if queries.is_empty() || limit == 0 {
        return Vec::new();
    }
    let mut hits: Vec<Hit> = snapshot
        .vectors
        .chunks_exact(dim)
        .enumerate()
        .filter_map(|(row, v)| {
            let similarity = queries
                .iter()
                .map(|q| dot(q, v))
                .fold(f32::NEG_INFINITY, f32::max);
            (similarity >= min_similarity).then_some(Hit { row, similarity })
        })
        .collect();
    match order {
        SearchOrder::Similarity => {
            let best_first = |a: &Hit, b: &Hit| b.similarity.total_cmp(&a.similarity);
            if hits.len() > limit {
                hits.select_nth_unstable_by(limit - 1, best_first);
                hits.truncate(limit);
            }
            hits.sort_by(best_first);
        }
        SearchOrder::Time => {
            hits.sort_by(|a, b| {
                let (ea, eb) = (&snapshot.entries[a.row], &snapshot.entries[b.row]);
                eb.video_created_at
                    .cmp(&ea.video_created_at)
                    .then(ea.first_start_s.total_cmp(&eb.first_start_s))
                    .then(b.similarity.total_cmp(&a.similarity))
            });
            hits.truncate(limit);
        }
    }
    hits
}

/// Dot product of two unit vectors = their cosine similarity. Four accumulators let the
/// compiler vectorise it.
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        for i in 0..4 {
            acc[i] += x[i] * y[i];
        }
    }
    acc.iter().sum::<f32>() + tail
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::index::Entry;

    fn unit(values: &[f32]) -> Embedding {
        Embedding::from_raw(values.to_vec()).unwrap()
    }

    fn snapshot() -> Snapshot {
        let mut s = Snapshot::default();
        let rows = [
            ("a", "2026-01-01", 5.0, [1.0, 0.0, 0.0, 0.0, 0.0]),
            ("b", "2026-03-01", 9.0, [0.9, 0.1, 0.0, 0.0, 0.0]),
            ("c", "2026-03-01", 1.0, [0.7, 0.7, 0.0, 0.0, 0.0]),
            ("d", "2026-02-01", 0.0, [0.0, 1.0, 0.0, 0.0, 0.0]),
        ];
        for (id, at, start, v) in rows {
            let entry = Entry {
                person_id: id.into(),
                video_created_at: at.into(),
                first_start_s: start,
            };
            s.push(entry, &unit(&v));
        }
        s
    }

    fn ids(s: &Snapshot, hits: &[Hit]) -> Vec<String> {
        hits.iter()
            .map(|h| s.entries[h.row].person_id.clone())
            .collect()
    }

    #[test]
    fn best_first_above_the_minimum_and_limited() {
        let s = snapshot();
        let q = [unit(&[1.0, 0.0, 0.0, 0.0, 0.0])];
        let hits = rank(&s, &q, 0.5, 10, SearchOrder::Similarity);
        assert_eq!(ids(&s, &hits), ["a", "b", "c"]);
        assert!((hits[0].similarity - 1.0).abs() < 1e-6);
        assert_eq!(
            ids(&s, &rank(&s, &q, 0.5, 2, SearchOrder::Similarity)),
            ["a", "b"]
        );
        assert_eq!(
            ids(&s, &rank(&s, &q, 0.995, 10, SearchOrder::Similarity)),
            ["a"]
        );
    }

    #[test]
    fn time_order_is_newest_video_first_then_time_in_video() {
        let s = snapshot();
        let q = [unit(&[1.0, 0.0, 0.0, 0.0, 0.0])];
        let hits = rank(&s, &q, 0.5, 10, SearchOrder::Time);
        assert_eq!(ids(&s, &hits), ["c", "b", "a"]);
    }

    #[test]
    fn several_queries_take_the_best_and_other_dimensions_match_nothing() {
        let s = snapshot();
        let q = [
            unit(&[1.0, 0.0, 0.0, 0.0, 0.0]),
            unit(&[0.0, 1.0, 0.0, 0.0, 0.0]),
        ];
        let hits = rank(&s, &q, 0.995, 10, SearchOrder::Similarity);
        assert_eq!(ids(&s, &hits).len(), 2);
        assert!(rank(&s, &[unit(&[1.0, 0.0])], 0.0, 10, SearchOrder::Similarity).is_empty());
    }

    #[test]
    fn dot_handles_tails() {
        let a: Vec<f32> = (0..7).map(|i| i as f32).collect();
        assert_eq!(dot(&a, &a), (0..7).map(|i| (i * i) as f32).sum::<f32>());
    }
}
