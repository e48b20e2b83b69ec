//! Batches of the exports (`crate::export`): each query reads at most `limit` rows after a
//! key, in key order, on an index (keyset pagination), so a batch costs the same at the
//! start and at the end of a table of any size. The SQL is the same for both dialects.

use super::Db;
use crate::export::rows::{PersonRow, ProfileRecord, VideoRecord};
use crate::export::PersonKey;

impl Db {
    /// Videos whose id is greater than `after`, by id (ids are UUID v7: upload order).
    pub async fn export_videos(&self, after: &str, limit: i64) -> sqlx::Result<Vec<VideoRecord>> {
        sqlx::query_as(
            "SELECT id, filename, status, created_at AS uploaded_at, \
             CASE WHEN status IN ('done', 'failed', 'cancelled') THEN updated_at END AS finished_at, \
             duration_s, fps, width, height, frames_total, frames_processed, faces_total, \
             max_faces_in_frame, frames_with_faces, people_count, processing_fps, size_bytes, error \
             FROM videos WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(self.pool())
        .await
    }

    /// Profiles whose id is greater than `after`, by id, each with how many videos its
    /// people were found in and the upload times of the first and the last of them.
    pub async fn export_profiles(
        &self,
        after: &str,
        limit: i64,
    ) -> sqlx::Result<Vec<ProfileRecord>> {
        // The batch is cut first, then only its profiles' people are joined.
        sqlx::query_as(
            "SELECT p.id, p.full_name, p.gender, p.birth_date, p.hidden, \
             COUNT(DISTINCT vp.video_id) AS video_count, \
             MIN(v.created_at) AS first_seen, MAX(v.created_at) AS last_seen, \
             p.created_at, p.updated_at \
             FROM (SELECT id, full_name, gender, birth_date, hidden, created_at, updated_at \
                   FROM profiles WHERE id > $1 ORDER BY id LIMIT $2) p \
             LEFT JOIN video_people vp ON vp.profile_id = p.id \
             LEFT JOIN videos v ON v.id = vp.video_id \
             GROUP BY p.id, p.full_name, p.gender, p.birth_date, p.hidden, p.created_at, \
             p.updated_at \
             ORDER BY p.id",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(self.pool())
        .await
    }

    /// People of videos after `after` (video id, ordinal, person id), in that order, with
    /// their videos' file names and their episodes (JSON).
    pub async fn export_people(
        &self,
        after: &PersonKey,
        limit: i64,
    ) -> sqlx::Result<Vec<PersonRow>> {
        let (video_id, ordinal, person_id) = after;
        // Row values compare column by column: (a, b, c) > (x, y, z) on both dialects,
        // served by the (video_id, ordinal) index.
        sqlx::query_as(
            "SELECT vp.id AS person_id, vp.profile_id, vp.video_id, v.filename, vp.ordinal, \
             vp.appearances \
             FROM video_people vp JOIN videos v ON v.id = vp.video_id \
             WHERE (vp.video_id, vp.ordinal, vp.id) > ($1, $2, $3) \
             ORDER BY vp.video_id, vp.ordinal, vp.id LIMIT $4",
        )
        .bind(video_id)
        .bind(*ordinal)
        .bind(person_id)
        .bind(limit)
        .fetch_all(self.pool())
        .await
    }
}
