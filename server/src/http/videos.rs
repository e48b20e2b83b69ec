//! Reading, cancelling and deleting videos.

use super::VIDEOS_TAG;
use crate::error::ApiError;
use crate::state::AppState;
use app::model::{ErrorBody, Video};
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::response::Response;
use tower::ServiceExt;
use tower_http::services::ServeFile;
use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::{router::OpenApiRouter, routes};

/// `/videos`, `/videos/{id}`, `/videos/{id}/cancel`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_videos))
        .routes(routes!(get_video, delete_video))
        .routes(routes!(cancel_video))
        .routes(routes!(video_file))
}

/// The uploaded file itself, with HTTP range support (for the UI's video player).
#[utoipa::path(get, path = "/videos/{id}/file", tag = VIDEOS_TAG,
    params(("id" = String, Path, description = "Video id")),
    responses(
        (status = 200, description = "The video file", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 206, description = "A byte range of the video file"),
        (status = 404, description = "No such video", body = ErrorBody),
    ))]
async fn video_file(State(state): State<AppState>, Path(id): Path<String>, request: Request) -> Result<Response, ApiError> {
    let path = state.videos.file_path(&id).await?;
    let response = ServeFile::new(path).oneshot(request).await.map_err(|e| anyhow::anyhow!(e))?;
    Ok(response.map(Body::new))
}

/// Every video, newest first.
#[utoipa::path(get, path = "/videos", tag = VIDEOS_TAG,
    responses((status = 200, description = "All videos, newest first", body = Vec<Video>)))]
async fn list_videos(State(state): State<AppState>) -> Result<Json<Vec<Video>>, ApiError> {
    Ok(Json(state.videos.list().await?))
}

/// One video with its current counts.
#[utoipa::path(get, path = "/videos/{id}", tag = VIDEOS_TAG,
    params(("id" = String, Path, description = "Video id")),
    responses(
        (status = 200, description = "The video", body = Video),
        (status = 404, description = "No such video", body = ErrorBody),
    ))]
async fn get_video(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Video>, ApiError> {
    Ok(Json(state.videos.get(&id).await?))
}

/// Stops a queued or processing video; partial counts are kept.
#[utoipa::path(post, path = "/videos/{id}/cancel", tag = VIDEOS_TAG,
    params(("id" = String, Path, description = "Video id")),
    responses(
        (status = 200, description = "The video, now cancelled", body = Video),
        (status = 404, description = "No such video", body = ErrorBody),
        (status = 409, description = "The video already finished", body = ErrorBody),
    ))]
async fn cancel_video(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Video>, ApiError> {
    Ok(Json(state.videos.cancel(&id).await?))
}

/// Deletes a video with its file and counts (cancelling it first).
#[utoipa::path(delete, path = "/videos/{id}", tag = VIDEOS_TAG,
    params(("id" = String, Path, description = "Video id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such video", body = ErrorBody),
    ))]
async fn delete_video(State(state): State<AppState>, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    state.videos.delete(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}
