//! Downloads of whole tables as CSV or JSON, streamed (see `crate::export`).

use super::EXPORT_TAG;
use crate::error::ApiError;
use crate::export::rows::{EpisodeRecord, ProfileRecord, VideoRecord};
use crate::export::{Dataset, Format};
use crate::state::AppState;
use anyhow::Context;
use axum::body::Body;
use axum::extract::State;
use axum::http::header;
use axum::response::Response;
use utoipa_axum::{router::OpenApiRouter, routes};

/// `/export/{videos,profiles,appearances}.{csv,json}`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(videos_csv))
        .routes(routes!(videos_json))
        .routes(routes!(profiles_csv))
        .routes(routes!(profiles_json))
        .routes(routes!(appearances_csv))
        .routes(routes!(appearances_json))
}

/// Sends an export as an attachment, chunk by chunk (no `Content-Length`).
async fn send(state: &AppState, dataset: Dataset, format: Format) -> Result<Response, ApiError> {
    let download = state.export.download(dataset, format).await?;
    let disposition = format!("attachment; filename=\"{}\"", download.filename);
    Ok(Response::builder()
        .header(header::CONTENT_TYPE, download.content_type)
        .header(header::CONTENT_DISPOSITION, disposition)
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::from_stream(download.body))
        .context("building an export response")?)
}

/// Every video with its counts, as CSV (RFC 4180, UTF-8 with a byte order mark; text
/// cells starting with `=`, `+`, `-`, `@`, tab or CR get a leading `'`).
#[utoipa::path(get, path = "/export/videos.csv", tag = EXPORT_TAG,
    responses((status = 200, description = "CSV file: id, filename, status, uploaded_at, finished_at, duration_s, fps, width, height, frames_total, frames_processed, faces_total, max_faces_in_frame, frames_with_faces, people_count, processing_fps, size_bytes, error",
        content_type = "text/csv", body = String,
        headers(("content-disposition" = String, description = "attachment; filename=\"facetally-videos-YYYYMMDD.csv\"")))))]
async fn videos_csv(State(state): State<AppState>) -> Result<Response, ApiError> {
    send(&state, Dataset::Videos, Format::Csv).await
}

/// Every video with its counts, as one JSON array (same fields as the CSV, text as stored).
#[utoipa::path(get, path = "/export/videos.json", tag = EXPORT_TAG,
    responses((status = 200, description = "Every video, by id", body = Vec<VideoRecord>,
        headers(("content-disposition" = String, description = "attachment; filename=\"facetally-videos-YYYYMMDD.json\"")))))]
async fn videos_json(State(state): State<AppState>) -> Result<Response, ApiError> {
    send(&state, Dataset::Videos, Format::Json).await
}

/// Every profile (hidden ones too) with the number of videos it was found in and the
/// upload times of the first and last of them, as CSV.
#[utoipa::path(get, path = "/export/profiles.csv", tag = EXPORT_TAG,
    responses((status = 200, description = "CSV file: id, full_name, gender, birth_date, hidden, video_count, first_seen, last_seen, created_at, updated_at",
        content_type = "text/csv", body = String,
        headers(("content-disposition" = String, description = "attachment; filename=\"facetally-profiles-YYYYMMDD.csv\"")))))]
async fn profiles_csv(State(state): State<AppState>) -> Result<Response, ApiError> {
    send(&state, Dataset::Profiles, Format::Csv).await
}

/// Every profile, as one JSON array (same fields as the CSV).
#[utoipa::path(get, path = "/export/profiles.json", tag = EXPORT_TAG,
    responses((status = 200, description = "Every profile, by id", body = Vec<ProfileRecord>,
        headers(("content-disposition" = String, description = "attachment; filename=\"facetally-profiles-YYYYMMDD.json\"")))))]
async fn profiles_json(State(state): State<AppState>) -> Result<Response, ApiError> {
    send(&state, Dataset::Profiles, Format::Json).await
}

/// Every episode of every person in every video (with the person's profile, if any), as
/// CSV.
#[utoipa::path(get, path = "/export/appearances.csv", tag = EXPORT_TAG,
    responses((status = 200, description = "CSV file: person_id, profile_id, video_id, filename, episode, start_s, end_s",
        content_type = "text/csv", body = String,
        headers(("content-disposition" = String, description = "attachment; filename=\"facetally-appearances-YYYYMMDD.csv\"")))))]
async fn appearances_csv(State(state): State<AppState>) -> Result<Response, ApiError> {
    send(&state, Dataset::Appearances, Format::Csv).await
}

/// Every episode of every person in every video, as one JSON array (same fields as the CSV).
#[utoipa::path(get, path = "/export/appearances.json", tag = EXPORT_TAG,
    responses((status = 200, description = "Every episode, by video, person and time", body = Vec<EpisodeRecord>,
        headers(("content-disposition" = String, description = "attachment; filename=\"facetally-appearances-YYYYMMDD.json\"")))))]
async fn appearances_json(State(state): State<AppState>) -> Result<Response, ApiError> {
    send(&state, Dataset::Appearances, Format::Json).await
}
