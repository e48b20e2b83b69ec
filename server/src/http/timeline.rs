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
        ("to_s" = Option<f64>, Query, description = "Window end (exclusive), seconds; after from_s, at most 120 s later (default from_s + 60)"),
    ),
    responses(
        (status = 200, description = "The frames with faces in the window", body = FaceBoxes),
        (status = 400, description = "The id is not a UUID", body = ErrorBody),
        (status = 404, description = "No such video, or no face boxes stored for it yet", body = ErrorBody),
        (status = 422, description = "Bad from_s or to_s", body = ErrorBody),
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

/// The window asked for: `0 ≤ from_s < to_s ≤ from_s + 120`.
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
    if to_s <= from_s {
        return Err(ApiError::field("to_s", "must be after from_s"));
    }
    if to_s - from_s > MAX_BOX_WINDOW_S {
        return Err(ApiError::field(
            "to_s",
            format!("must be at most {MAX_BOX_WINDOW_S} s after from_s"),
        ));
    }
    Ok((from_s, to_s))
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
        for bad in [
            q(&[("from_s", "-1")]),
            q(&[("from_s", "NaN")]),
            q(&[("to_s", "abc")]),
            q(&[("from_s", "5"), ("to_s", "5")]),
            q(&[("from_s", "0"), ("to_s", "121")]),
        ] {
            assert!(window(&bad).is_err(), "{bad:?}");
        }
    }
}
