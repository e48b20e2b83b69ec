//! Reading, cancelling and deleting videos.

use super::ids::ResourceId;
use super::VIDEOS_TAG;
use crate::error::ApiError;
use crate::security::Client;
use crate::state::AppState;
use crate::storage::Storage;
use anyhow::Context;
use app::model::{ErrorBody, Video};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use object_store::GetRange;
use std::ops::Range;
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
        (status = 200, description = "The video file, typed by its extension", content(("video/*"), ("application/octet-stream"))),
        (status = 206, description = "A byte range of the video file", content(("video/*"), ("application/octet-stream"))),
        (status = 416, description = "The range starts past the end of the file", body = ErrorBody),
        (status = 400, description = "The id is not a UUID", body = ErrorBody),
        (status = 404, description = "No such video", body = ErrorBody),
    ))]
async fn video_file(
    State(state): State<AppState>,
    ResourceId(id): ResourceId,
    request: Request,
) -> Result<Response, ApiError> {
    let key = state.videos.file_key(&id).await?;
    let storage = state.videos.storage();
    if let Some(path) = storage.local_path(&key) {
        let response = ServeFile::new(path)
            .oneshot(request)
            .await
            .map_err(|e| anyhow::anyhow!(e))?;
        return Ok(response.map(Body::new));
    }
    stream_object(storage, &key, request.headers()).await
}

/// Streams a blob from the object store, honouring a single `Range` (206 + `Content-Range`).
async fn stream_object(
    storage: &Storage,
    key: &str,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let meta = storage
        .head(key)
        .await
        .context("reading a video's size")?
        .ok_or(ApiError::NotFound("video file"))?;
    let size = meta.size;
    let requested = headers
        .get(header::RANGE)
        .and_then(|value| value.to_str().ok());
    let range = match requested.map(|value| byte_range(value, size)) {
        None | Some(Requested::Whole) => None,
        Some(Requested::Part(range)) => Some(range),
        Some(Requested::Unsatisfiable) => {
            return Response::builder()
                .status(StatusCode::RANGE_NOT_SATISFIABLE)
                .header(header::CONTENT_RANGE, format!("bytes */{size}"))
                .body(Body::empty())
                .context("building a 416 response")
                .map_err(ApiError::from);
        }
    };
    let found = storage
        .get_range(key, range.clone().map(GetRange::Bounded))
        .await
        .context("reading a video")?;
    let mime = mime_guess::from_path(key).first_or_octet_stream();
    let mut response = Response::builder()
        .header(header::CONTENT_TYPE, mime.as_ref())
        .header(header::ACCEPT_RANGES, "bytes")
        .header(header::CONTENT_LENGTH, found.range.end - found.range.start);
    if let Some(etag) = &meta.e_tag {
        response = response.header(header::ETAG, etag);
    }
    if range.is_some() {
        let (start, end) = (found.range.start, found.range.end);
        response = response.status(StatusCode::PARTIAL_CONTENT).header(
            header::CONTENT_RANGE,
            format!("bytes {start}-{}/{size}", end.saturating_sub(1)),
        );
    }
    Ok(response
        .body(Body::from_stream(found.into_stream()))
        .context("building a file response")?)
}

/// What a `Range` header asks of a blob of `size` bytes.
#[derive(Debug, PartialEq)]
enum Requested {
    /// No usable single range: send everything (RFC 9110 lets servers ignore the header).
    Whole,
    /// These bytes.
    Part(Range<u64>),
    /// Starts past the end: 416.
    Unsatisfiable,
}

/// Parses `bytes=a-b`, `bytes=a-` and `bytes=-n`.
fn byte_range(value: &str, size: u64) -> Requested {
    let Some(spec) = value.trim().strip_prefix("bytes=") else {
        return Requested::Whole;
    };
    let Some((first, last)) = spec.split_once('-').filter(|_| !spec.contains(',')) else {
        return Requested::Whole;
    };
    let (first, last) = (first.trim(), last.trim());
    let parsed = |text: &str| text.parse::<u64>().ok();
    let range = match (first.is_empty(), parsed(first), parsed(last)) {
        (true, _, Some(suffix)) if suffix > 0 => size.saturating_sub(suffix)..size,
        (true, _, _) => return Requested::Unsatisfiable,
        (false, Some(start), None) if last.is_empty() => start..size,
        (false, Some(start), Some(end)) if start <= end => start..end.saturating_add(1).min(size),
        _ => return Requested::Whole,
    };
    if range.start >= size {
        Requested::Unsatisfiable
    } else {
        Requested::Part(range)
    }
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

#[cfg(test)]
mod tests {
    use super::{byte_range, Requested};

    #[test]
    fn single_byte_ranges_parse_and_clamp() {
        assert_eq!(byte_range("bytes=0-99", 1000), Requested::Part(0..100));
        assert_eq!(
            byte_range("bytes=900-2000", 1000),
            Requested::Part(900..1000)
        );
        assert_eq!(byte_range("bytes=500-", 1000), Requested::Part(500..1000));
        assert_eq!(byte_range("bytes=-100", 1000), Requested::Part(900..1000));
        assert_eq!(byte_range("bytes=-5000", 1000), Requested::Part(0..1000));
        assert_eq!(byte_range("bytes=1000-", 1000), Requested::Unsatisfiable);
        assert_eq!(byte_range("bytes=-0", 1000), Requested::Unsatisfiable);
        assert_eq!(byte_range("bytes=0-1,5-6", 1000), Requested::Whole);
        assert_eq!(byte_range("bytes=9-3", 1000), Requested::Whole);
        assert_eq!(byte_range("items=0-1", 1000), Requested::Whole);
    }
}
