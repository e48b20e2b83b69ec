//! A video's timeline (faces per second, people's lanes) and the face boxes of a window.

use super::ids::ResourceId;
use super::query::only_known;
use super::VIDEOS_TAG;
use crate::error::ApiError;
use crate::state::AppState;
use app::model::{ErrorBody, FaceBoxes, VideoTimeline, MAX_BOX_WINDOW_S};
use axum::extract::{Query, State};
use axum::Json;
use std::collections::HashMap;
use utoipa_axum::{router::OpenApiRouter, routes};

/// `/videos/{id}/timeline`, `/videos/{id}/boxes`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(video_timeline))
        .routes(routes!(video_boxes))
}

/// Faces detected per second over the whole video (growing while it is processed; the
/// counts add up to its `faces_total`) and a lane per person with their episodes.
#[utoipa::path(get, path = "/videos/{id}/timeline", tag = VIDEOS_TAG,
    params(("id" = uuid::Uuid, Path, description = "Video id")),
    responses(
        (status = 200, description = "The video's timeline", body = VideoTimeline),
        (status = 400, description = "The id is not a UUID", body = ErrorBody),
        (status = 404, description = "No such video", body = ErrorBody),
    ))]
async fn video_timeline(
    State(state): State<AppState>,
    ResourceId(id): ResourceId,
) -> Result<Json<VideoTimeline>, ApiError> {
    Ok(Json(state.timeline.timeline(&id).await?))
}

/// The detected face boxes of the frames from `from_s` to `to_s` (at most 120 s apart), in
/// frame pixels, each with the ordinal of its person in the timeline. Stored when the
/// video's processing ends.
#[utoipa::path(get, path = "/videos/{id}/boxes", tag = VIDEOS_TAG,
    params(
        ("id" = uuid::Uuid, Path, description = "Video id"),
        ("from_s" = Option<f64>, Query, minimum = 0, description = "Window start, seconds (default 0)"),
        ("to_s" = Option<f64>, Query, minimum = 0, description = "Window end (exclusive), seconds (default from_s + 60); cut to from_s + 120, and a window ending at or before from_s is empty"),
    ),
    responses(
        (status = 200, description = "The frames with faces in the window", body = FaceBoxes),
        (status = 400, description = "The id is not a UUID", body = ErrorBody),
        (status = 404, description = "No such video, or no face boxes stored for it yet", body = ErrorBody),
        (status = 422, description = "from_s or to_s is not a number of seconds ≥ 0", body = ErrorBody),
    ))]
async fn video_boxes(
    State(state): State<AppState>,
    ResourceId(id): ResourceId,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<FaceBoxes>, ApiError> {
    only_known(&query, &["from_s", "to_s"])?;
    let (from_s, to_s) = window(&query)?;
    Ok(Json(state.timeline.boxes(&id, from_s, to_s).await?))
}

/// The window asked for: `from_s ≥ 0`; `to_s` is cut to at most `from_s + 120` (the answer
/// says the window served), and a `to_s` at or before `from_s` is an empty window.
fn window(query: &HashMap<String, String>) -> Result<(f64, f64), ApiError> {
    let seconds = |name: &str| -> Result<Option<f64>, ApiError> {
        match query.get(name).map(|raw| raw.trim().parse::<f64>()) {
            None => Ok(None),
            Some(Ok(value)) if value.is_finite() && value >= 0.0 => Ok(Some(value)),
            Some(_) => Err(ApiError::field(name, "must be a number of seconds ≥ 0")),
        }
    };
    let from_s = seconds("from_s")?.unwrap_or(0.0);
    let to_s = seconds("to_s")?.unwrap_or(from_s + MAX_BOX_WINDOW_S / 2.0);
    Ok((from_s, to_s.clamp(from_s, from_s + MAX_BOX_WINDOW_S)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn windows_are_checked_field_by_field() {
        assert_eq!(window(&q(&[])).unwrap(), (0.0, 60.0));
        assert_eq!(window(&q(&[("from_s", "10.5")])).unwrap(), (10.5, 70.5));
        assert_eq!(
            window(&q(&[("from_s", "1"), ("to_s", "121")])).unwrap(),
            (1.0, 121.0)
        );
        // Cut to 120 s; an end at or before the start is an empty window.
        assert_eq!(window(&q(&[("to_s", "500")])).unwrap(), (0.0, 120.0));
        assert_eq!(
            window(&q(&[("from_s", "5"), ("to_s", "1")])).unwrap(),
            (5.0, 5.0)
        );
        for bad in [
            q(&[("from_s", "-1")]),
            q(&[("from_s", "NaN")]),
            q(&[("to_s", "abc")]),
        ] {
            assert!(window(&bad).is_err(), "{bad:?}");
        }
    }
}
