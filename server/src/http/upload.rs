//! `POST /api/videos`: multipart upload streamed to disk part by part, never whole in memory.

use super::upload_budget::UploadBudget;
use super::VIDEOS_TAG;
use crate::error::ApiError;
use crate::state::AppState;
use crate::videos::ReceivedFile;
use anyhow::Context;
use app::model::{ErrorBody, Video};
use axum::extract::multipart::Field;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::Json;
use tokio::io::AsyncWriteExt;
use utoipa_axum::{router::OpenApiRouter, routes};

/// `POST /videos`, without axum's default 2 MB body limit (each file is limited instead).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload_videos))
        .layer(DefaultBodyLimit::disable())
}

/// Most files one request may carry; more are refused before any is checked.
pub const MAX_FILES: usize = 100;

/// The multipart form of `POST /api/videos`, as received: each file streamed to a temporary
/// file part by part, never whole in memory.
#[derive(utoipa::ToSchema, Default)]
#[serde(deny_unknown_fields)] // other parts are refused (422): `additionalProperties: false`
struct UploadForm {
    /// One or more video files.
    #[schema(value_type = Vec<String>, format = Binary)]
    files: Vec<ReceivedFile>,
    /// `true` to turn the people found into profiles.
    create_profiles: Option<bool>,
}

/// Uploads videos; each becomes a queued job.
#[utoipa::path(post, path = "/videos", tag = VIDEOS_TAG,
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Stored and queued, in upload order", body = Vec<Video>),
        (status = 400, description = "Malformed multipart body", body = ErrorBody),
        (status = 408, description = "The body stalled longer than FACETALLY_BODY_TIMEOUT_SECS", body = ErrorBody),
        (status = 413, description = "A file is larger than FACETALLY_MAX_UPLOAD_BYTES, or all files together than FACETALLY_MAX_REQUEST_BYTES", body = ErrorBody),
        (status = 422, description = "A part is not a readable video, or the form is invalid", body = ErrorBody),
        (status = 507, description = "Storing it would leave less than FACETALLY_MIN_FREE_BYTES free on the server's disk", body = ErrorBody),
    ))]
async fn upload_videos(
    State(state): State<AppState>,
    mut multipart: Multipart,
) -> Result<(StatusCode, Json<Vec<Video>>), ApiError> {
    let mut form = UploadForm::default();
    let http = &state.settings.http;
    let mut budget =
        UploadBudget::start(&state.videos, http.max_request_bytes, http.min_free_bytes)?;
    while let Some(field) = multipart.next_field().await.map_err(malformed)? {
        match field.name() {
            Some("files") if form.files.len() == MAX_FILES => {
                return Err(ApiError::field(
                    "files",
                    format!("at most {MAX_FILES} files per request"),
                ));
            }
            Some("files") => {
                let limit = state.settings.max_upload_bytes;
                let received = receive_file(&state, field, limit, &mut budget).await?;
                form.files.push(received);
            }
            Some("create_profiles") => {
                let text = field.text().await.map_err(malformed)?;
                form.create_profiles = Some(parse_flag(&text).ok_or_else(|| {
                    ApiError::field("create_profiles", "must be `true` or `false`")
                })?);
            }
            other => {
                let name = other.unwrap_or("").to_owned();
                return Err(ApiError::field(
                    name.clone(),
                    format!("unknown form part {name:?}; expected `files` or `create_profiles`"),
                ));
            }
        }
    }
    let create_profiles = form.create_profiles.unwrap_or(false);
    let videos = state.videos.ingest(form.files, create_profiles).await?;
    Ok((StatusCode::CREATED, Json(videos)))
}

/// Streams one part into a temporary file, enforcing the size limit.
/// Every byte received is counted in the upload metric.
async fn receive_file(
    state: &AppState,
    mut field: Field<'_>,
    limit: u64,
    budget: &mut UploadBudget,
) -> Result<ReceivedFile, ApiError> {
    let filename = sanitize_filename(field.file_name().unwrap_or(""));
    let videos = &state.videos;
    let (file, temp) = videos.incoming_file().context("creating an upload file")?;
    let mut file = tokio::fs::File::from_std(file);
    let mut size_bytes = 0u64;
    while let Some(chunk) = field.chunk().await.map_err(malformed)? {
        size_bytes += chunk.len() as u64;
        state.metrics.uploaded(chunk.len() as u64);
        if size_bytes > limit {
            return Err(ApiError::PayloadTooLarge(format!(
                "{filename} is larger than the {limit}-byte upload limit"
            )));
        }
        budget.take(videos, chunk.len() as u64)?;
        file.write_all(&chunk).await.context("writing an upload")?;
    }
    file.flush().await.context("writing an upload")?;
    Ok(ReceivedFile {
        filename,
        temp,
        size_bytes,
    })
}

/// A multipart error: the body stalled (408) or is not well-formed multipart (400).
pub(super) fn malformed(error: axum::extract::multipart::MultipartError) -> ApiError {
    if stalled(&error) {
        return ApiError::Timeout(
            "the upload stalled: no data arrived for too long; nothing was kept".into(),
        );
    }
    ApiError::BadRequest(format!("malformed multipart body: {}", error.body_text()))
}

/// Whether the request body timed out somewhere in the error's chain of causes.
fn stalled(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(error) = current {
        if error.is::<tower_http::timeout::TimeoutError>() {
            return true;
        }
        current = error.source();
    }
    false
}

pub(super) fn parse_flag(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "on" | "yes" => Some(true),
        "false" | "0" | "off" | "no" | "" => Some(false),
        _ => None,
    }
}

/// The last path component of a client file name, without control characters or text
/// direction overrides (which can disguise an extension), at most 200 characters; `video`
/// when nothing is left.
pub fn sanitize_filename(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base
        .chars()
        .filter(|&c| !c.is_control() && !is_bidi_control(c))
        .take(200)
        .collect();
    let clean = clean.trim();
    if clean.is_empty() || clean == "." || clean == ".." {
        "video".into()
    } else {
        clean.to_owned()
    }
}

/// Unicode characters that reorder how text is displayed (U+202A–U+202E, U+2066–U+2069,
/// U+200E, U+200F, U+061C).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filenames_lose_paths_and_control_characters() {
        assert_eq!(sanitize_filename("../../etc/passwd"), "passwd");
        assert_eq!(sanitize_filename("C:\\videos\\cam1.mp4"), "cam1.mp4");
        assert_eq!(sanitize_filename("a\0b\nc.avi"), "abc.avi");
        assert_eq!(sanitize_filename(".."), "video");
        assert_eq!(sanitize_filename(""), "video");
        assert_eq!(sanitize_filename(&"x".repeat(300)).chars().count(), 200);
        assert_eq!(sanitize_filename("камера 1 🎥.mp4"), "камера 1 🎥.mp4");
        assert_eq!(sanitize_filename("clip\u{202E}4pm.exe"), "clip4pm.exe");
        assert_eq!(sanitize_filename("מצלמה.avi"), "מצלמה.avi");
    }

    #[test]
    fn flags_accept_common_spellings_only() {
        assert_eq!(parse_flag("true"), Some(true));
        assert_eq!(parse_flag(" FALSE "), Some(false));
        assert_eq!(parse_flag("maybe"), None);
    }
}
