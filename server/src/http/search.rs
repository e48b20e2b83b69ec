//! `POST /api/search`: find a person in the archive by a face photo or by a profile.

use super::upload::{malformed, parse_flag};
use super::SEARCH_TAG;
use crate::error::ApiError;
use crate::search::{SearchBy, SearchOptions, DEFAULT_LIMIT, MAX_LIMIT};
use crate::state::AppState;
use app::model::{ErrorBody, SearchOrder, SearchResult};
use axum::extract::multipart::Field;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::Json;
use utoipa_axum::{router::OpenApiRouter, routes};

/// `POST /search`; the photo's own limit (10 MB) is checked while it arrives.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search))
        .layer(DefaultBodyLimit::disable())
}

/// Longest text part (an id, a number, a word).
const MAX_TEXT_PART: usize = 256;

/// The multipart form of a search, as received: `photo` or `profile_id`, and options.
#[derive(utoipa::ToSchema, serde::Deserialize, Default)]
#[serde(deny_unknown_fields)] // other parts are refused (422): `additionalProperties: false`
struct SearchForm {
    /// JPEG, PNG, WebP or BMP; at most 10 MB and 40 megapixels.
    #[schema(value_type = Option<String>, format = Binary)]
    photo: Option<Vec<u8>>,
    /// Search with a profile's people instead of a photo.
    #[schema(value_type = Option<uuid::Uuid>)]
    profile_id: Option<String>,
    /// Which face of the photo, as an index into `faces_in_photo` (largest first; default 0).
    #[schema(minimum = 0)]
    face: Option<usize>,
    /// Lowest similarity returned, 0–1 (default: the embedder's match threshold).
    #[schema(minimum = 0.0, maximum = 1.0)]
    min_similarity: Option<f32>,
    /// At most this many matches, 1–200 (default 50).
    #[schema(minimum = 1, maximum = 200)]
    limit: Option<usize>,
    /// `similarity` (best first, default) or `time` (newest video first, then time in it).
    order: Option<SearchOrder>,
    /// `true`: search even with a small, blurred or turned face (the answer says `low_quality`).
    force: Option<bool>,
}

/// Finds every person of every processed video who looks like the face in `photo` (or like
/// the people of profile `profile_id`).
#[utoipa::path(post, path = "/search", tag = SEARCH_TAG,
    request_body(content = SearchForm, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "The matches", body = SearchResult),
        (status = 400, description = "Malformed multipart body", body = ErrorBody),
        (status = 408, description = "The body stalled", body = ErrorBody),
        (status = 413, description = "The photo is over 10 MB or 40 megapixels", body = ErrorBody),
        (status = 422, description = "Not an image, no face, a low-quality face, a bad option", body = ErrorBody),
    ))]
async fn search(
    State(state): State<AppState>,
    mut multipart: Multipart,
) -> Result<Json<SearchResult>, ApiError> {
    let max_photo = state.search.photos().limits().max_bytes;
    let mut form = SearchForm::default();
    while let Some(field) = multipart.next_field().await.map_err(malformed)? {
        let name = field.name().unwrap_or("").to_owned();
        if name == "photo" {
            form.photo = Some(read_part(field, "photo", max_photo).await?);
            continue;
        }
        let text = String::from_utf8(read_part(field, &name, MAX_TEXT_PART).await?)
            .map_err(|_| ApiError::field(name.clone(), "must be UTF-8 text"))?;
        form.set(&name, text.trim())?;
    }
    let (by, options) = form.into_query()?;
    Ok(Json(state.search.search(by, &options).await?))
}

impl SearchForm {
    /// Parses one text part into its field.
    fn set(&mut self, name: &str, text: &str) -> Result<(), ApiError> {
        let bad = |message: &str| Err(ApiError::field(name, message));
        match name {
            "profile_id" => match uuid::Uuid::try_parse(text) {
                Ok(id) => self.profile_id = Some(id.hyphenated().to_string()),
                Err(_) => return bad("must be a profile id (a UUID)"),
            },
            "face" => match text.parse() {
                Ok(n) => self.face = Some(n),
                Err(_) => return bad("must be a face number from 0"),
            },
            "min_similarity" => match text.parse::<f32>() {
                Ok(v) if (0.0..=1.0).contains(&v) => self.min_similarity = Some(v),
                _ => return bad("must be a number from 0 to 1"),
            },
            "limit" => match text.parse() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => self.limit = Some(n),
                _ => return bad(&format!("must be a whole number from 1 to {MAX_LIMIT}")),
            },
            "order" => match text {
                "similarity" => self.order = Some(SearchOrder::Similarity),
                "time" => self.order = Some(SearchOrder::Time),
                _ => return bad("must be `similarity` or `time`"),
            },
            "force" => match parse_flag(text) {
                Some(flag) => self.force = Some(flag),
                None => return bad("must be `true` or `false`"),
            },
            other => {
                return Err(ApiError::field(
                    other,
                    format!("unknown form part {other:?}; expected photo or profile_id, face, min_similarity, limit, order, force"),
                ))
            }
        }
        Ok(())
    }

    fn into_query(self) -> Result<(SearchBy, SearchOptions), ApiError> {
        let by = match (self.photo, self.profile_id) {
            (Some(_), Some(_)) => {
                return Err(ApiError::field(
                    "profile_id",
                    "send either photo or profile_id, not both",
                ))
            }
            (Some(photo), None) => SearchBy::Photo(photo.into()),
            (None, Some(id)) => SearchBy::Profile(id),
            (None, None) => {
                return Err(ApiError::field(
                    "photo",
                    "a photo (or a profile_id) is required",
                ))
            }
        };
        let options = SearchOptions {
            face: self.face,
            min_similarity: self.min_similarity,
            limit: self.limit.unwrap_or(DEFAULT_LIMIT),
            order: self.order.unwrap_or_default(),
            force: self.force.unwrap_or(false),
        };
        Ok((by, options))
    }
}

/// The whole part, refused once it passes `max` bytes (413 for the photo, 422 for text).
async fn read_part(mut field: Field<'_>, name: &str, max: usize) -> Result<Vec<u8>, ApiError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(malformed)? {
        if bytes.len() + chunk.len() > max {
            return Err(if name == "photo" {
                ApiError::PayloadTooLarge(format!("photo: larger than {max} bytes"))
            } else {
                ApiError::field(name, format!("longer than {max} bytes"))
            });
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}
