//! Raising alerts inside the transaction that stores a video's people, together with their
//! webhook deliveries (the outbox): an alert and its deliveries exist exactly when the
//! people do.

use crate::db::{alerts as q, webhooks};
use app::model::{Alert, Appearance};
use sqlx::AnyConnection;
use vision::Embedding;

/// A person of the video as placed in a profile.
pub struct PlacedPerson<'a> {
    pub person_id: &'a str,
    pub profile_id: &'a str,
    pub episodes: &'a [Appearance],
    /// Similarity to the profile's closest face when the matching chose it; `None` when an
    /// earlier run or an operator did.
    pub similarity: Option<f32>,
}

/// Raises an alert for each placed person whose profile is watched (one per profile and
/// video: a re-run refreshes it, sends nothing new) and queues one delivery per webhook URL.
/// Returns the new alerts.
pub async fn raise(
    conn: &mut AnyConnection,
    video_id: &str,
    placed: &[PlacedPerson<'_>],
    webhook_urls: &[String],
) -> anyhow::Result<Vec<Alert>> {
    let ids: Vec<String> = placed.iter().map(|p| p.profile_id.to_owned()).collect();
    let watched = q::watched(conn, &ids).await?;
    if watched.is_empty() {
        return Ok(Vec::new());
    }
    let file_name = q::video_file_name(conn, video_id).await?;
    let mut raised = Vec::new();
    for person in placed {
        if !watched.iter().any(|(id, _)| id == person.profile_id) {
            continue;
        }
        let new = q::NewAlert {
            profile_id: person.profile_id,
            video_id,
            file_name: &file_name,
            person_id: person.person_id,
            episodes: serde_json::to_string(person.episodes)?,
            similarity: person.similarity.map(f64::from),
        };
        let Some(id) = q::raise(conn, &new).await? else {
            continue;
        };
        let row = q::get(conn, &id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("the alert just raised is missing"))?;
        let alert = super::alert(row);
        tracing::info!(alert_id = %alert.id, profile_id = %alert.profile_id, "watched profile seen; alert raised");
        let payload = serde_json::to_string(&alert)?;
        let now_ms = crate::webhooks::now_ms();
        for url in webhook_urls {
            webhooks::enqueue(conn, &alert.id, url, &payload, now_ms).await?;
        }
        raised.push(alert);
    }
    Ok(raised)
}

/// The best similarity of `person` to the faces of `profile_id` in the gallery.
pub fn best_similarity<'a>(
    person: &Embedding,
    gallery: impl IntoIterator<Item = (&'a str, &'a Embedding)>,
    profile_id: &str,
) -> Option<f32> {
    gallery
        .into_iter()
        .filter(|(id, _)| *id == profile_id)
        .map(|(_, face)| face.cosine(person))
        .reduce(f32::max)
}
