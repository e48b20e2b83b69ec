//! Reading, cancelling and deleting videos.

use super::binary::FileBytes;
use super::ids::ResourceId;
use super::VIDEOS_TAG;
use crate::error::ApiError;
use crate::security::Client;
use crate::state::AppState;
use crate::videos::{ObjectPart, VideoFile};
use anyhow::Context;
use app::model::{ErrorBody, Video};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use tower::ServiceExt;
use tower_http::services::ServeFile;
use utoipa_axum::{router::OpenApiRouter, routes};

/// `/videos`, `/videos/{id}`, `/videos/{id}/cancel`, `/pause`, `/resume`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_videos))
        .routes(routes!(get_video, delete_video))
        .routes(routes!(cancel_video))
        .routes(routes!(pause_video))
        .routes(routes!(resume_video))
        .routes(routes!(reprocess_video))
        .routes(routes!(video_file))
}

/// The uploaded file itself, with HTTP range support (for the UI's video player).
#[utoipa::path(get, path = "/videos/{id}/file", tag = VIDEOS_TAG,
    params(("id" = uuid::Uuid, Path, description = "Video id")),
    responses(
        (status = 200, description = "The video file, typed by its extension", content((inline(FileBytes) = "video/*"), (inline(FileBytes) = "application/octet-stream"))),
        (status = 206, description = "A byte range of the video file", content((inline(FileBytes) = "video/*"), (inline(FileBytes) = "application/octet-stream"))),
        (status = 416, description = "The range starts past the end of the file", body = ErrorBody),
        (status = 400, description = "The id is not a UUID", body = ErrorBody),
        (status = 404, description = "No such video", body = ErrorBody),
    ))]
async fn video_file(
    State(state): State<AppState>,
    ResourceId(id): ResourceId,
    request: Request,
) -> Result<Response, ApiError> {
    let range = request
        .headers()
        .get(header::RANGE)
        .and_then(|value| value.to_str().ok());
    match state.videos.file(&id, range).await? {
        VideoFile::Local(path) => {
            let response = ServeFile::new(path)
                .oneshot(request)
                .await
                .map_err(|e| anyhow::anyhow!(e))?;
            Ok(response.map(Body::new))
        }
        VideoFile::Unsatisfiable { size } => Response::builder()
            .status(StatusCode::RANGE_NOT_SATISFIABLE)
            .header(header::CONTENT_RANGE, format!("bytes */{size}"))
            .body(Body::empty())
            .context("building a 416 response")
            .map_err(ApiError::from),
        VideoFile::Object(part) => object_response(part),
    }
}

/// The answer carrying bytes of a blob of the object store: 200 with all of them, or 206
/// with `Content-Range` for a part.
fn object_response(part: ObjectPart) -> Result<Response, ApiError> {
    let (start, end) = (part.sent.start, part.sent.end);
    let mut response = Response::builder()
        .header(header::CONTENT_TYPE, part.mime)
        .header(header::ACCEPT_RANGES, "bytes")
        .header(header::CONTENT_LENGTH, end - start);
    if let Some(etag) = &part.etag {
        response = response.header(header::ETAG, etag);
    }
    if part.partial {
        response = response.status(StatusCode::PARTIAL_CONTENT).header(
            header::CONTENT_RANGE,
            format!("bytes {start}-{}/{}", end.saturating_sub(1), part.size),
        );
    }
    let bytes = FileBytes(Body::from_stream(part.body));
    Ok(response
        .body(bytes.into_response().into_body())
        .context("building a file response")?)
}

/// Every video, newest first.
#[utoipa::path(get, path = "/videos", tag = VIDEOS_TAG,
    responses((status = 200, description = "All videos, newest first", body = Vec<Video>)))]
async fn list_videos(State(state): State<AppState>) -> Result<Json<Vec<Video>>, ApiError> {
    Ok(Json(state.videos.list().await?))
}

/// One video with its current counts.
#[utoipa::path(get, path = "/videos/{id}", tag = VIDEOS_TAG,
    params(("id" = uuid::Uuid, Path, description = "Video id")),
    responses(
        (status = 200, description = "The video", body = Video),
        (status = 400, description = "The id is not a UUID", body = ErrorBody),
        (status = 404, description = "No such video", body = ErrorBody),
    ))]
async fn get_video(
    State(state): State<AppState>,
    ResourceId(id): ResourceId,
) -> Result<Json<Video>, ApiError> {
    Ok(Json(state.videos.get(&id).await?))
}

/// Stops a queued or processing video; partial counts are kept.
#[utoipa::path(post, path = "/videos/{id}/cancel", tag = VIDEOS_TAG,
    params(("id" = uuid::Uuid, Path, description = "Video id")),
    responses(
        (status = 200, description = "The video, now cancelled", body = Video),
        (status = 400, description = "The id is not a UUID", body = ErrorBody),
        (status = 404, description = "No such video", body = ErrorBody),
        (status = 409, description = "The video already finished", body = ErrorBody),
    ))]
async fn cancel_video(
    State(state): State<AppState>,
    ResourceId(id): ResourceId,
) -> Result<Json<Video>, ApiError> {
    Ok(Json(state.videos.cancel(&id).await?))
}

/// Pauses a queued or processing video: its job slots are freed within a second, the counts
/// of its finished segments are kept, and a resume continues from its first unfinished
/// segment (a video short enough to run in one segment starts again).
#[utoipa::path(post, path = "/videos/{id}/pause", tag = VIDEOS_TAG,
    params(("id" = uuid::Uuid, Path, description = "Video id")),
    responses(
        (status = 200, description = "The video, now paused", body = Video),
        (status = 400, description = "The id is not a UUID", body = ErrorBody),
        (status = 404, description = "No such video", body = ErrorBody),
        (status = 409, description = "The video is not queued or processing", body = ErrorBody),
    ))]
async fn pause_video(
    State(state): State<AppState>,
    ResourceId(id): ResourceId,
) -> Result<Json<Video>, ApiError> {
    Ok(Json(state.videos.pause(&id).await?))
}

/// Queues a paused video again; it continues from its first unfinished segment.
#[utoipa::path(post, path = "/videos/{id}/resume", tag = VIDEOS_TAG,
    params(("id" = uuid::Uuid, Path, description = "Video id")),
    responses(
        (status = 200, description = "The video, queued again", body = Video),
        (status = 400, description = "The id is not a UUID", body = ErrorBody),
        (status = 404, description = "No such video", body = ErrorBody),
        (status = 409, description = "The video is not paused", body = ErrorBody),
    ))]
async fn resume_video(
    State(state): State<AppState>,
    ResourceId(id): ResourceId,
) -> Result<Json<Video>, ApiError> {
    Ok(Json(state.videos.resume(&id).await?))
}

/// Runs a finished, failed or cancelled video again with the current settings and model. Its
/// people are placed again keeping every manual assignment and "not this person"; profiles
/// (names, genders, birth dates) are kept. Recorded in the audit log.
#[utoipa::path(post, path = "/videos/{id}/reprocess", tag = VIDEOS_TAG,
    params(("id" = uuid::Uuid, Path, description = "Video id")),
    responses(
        (status = 202, description = "The video, queued again", body = Video),
        (status = 400, description = "The id is not a UUID", body = ErrorBody),
        (status = 404, description = "No such video", body = ErrorBody),
        (status = 409, description = "The video is queued or processing", body = ErrorBody),
    ))]
async fn reprocess_video(
    State(state): State<AppState>,
    ResourceId(id): ResourceId,
    client: Client,
) -> Result<(StatusCode, Json<Video>), ApiError> {
    let video = state.videos.reprocess(&id, &client).await?;
    Ok((StatusCode::ACCEPTED, Json(video)))
}

/// Deletes a video with its file and counts (cancelling it first).
#[utoipa::path(delete, path = "/videos/{id}", tag = VIDEOS_TAG,
    params(("id" = uuid::Uuid, Path, description = "Video id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "The id is not a UUID", body = ErrorBody),
        (status = 404, description = "No such video", body = ErrorBody),
    ))]
async fn delete_video(
    State(state): State<AppState>,
    ResourceId(id): ResourceId,
) -> Result<StatusCode, ApiError> {
    state.videos.delete(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}
