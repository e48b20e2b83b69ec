//! People found in videos: one person, its crop and its episodes' pictures.

use super::binary::Jpeg;
use super::ids::ResourceId;
use super::query::{only_known, query_bool, query_number};
use super::PEOPLE_TAG;
use crate::error::ApiError;
use crate::profiles::{DEFAULT_PAGE, MAX_PAGE};
use crate::state::AppState;
use app::model::{ErrorBody, PeoplePage, VideoPerson};
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::header;
use axum::http::request::Parts;
use axum::response::IntoResponse;
use axum::Json;
use std::collections::HashMap;
use utoipa_axum::{router::OpenApiRouter, routes};

/// `/people`, `/people/{id}`, `/people/{id}/crop`, `/people/{id}/episodes/{n}/thumb`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_people))
        .routes(routes!(get_person))
        .routes(routes!(person_crop))
        .routes(routes!(episode_thumb))
}

/// One page of people found in videos, newest first; `assigned=false` lists those without a
/// profile (to name or assign them), `assigned=true` those with one.
#[utoipa::path(get, path = "/people", tag = PEOPLE_TAG,
    params(
        ("assigned" = Option<bool>, Query, description = "Only people with (true) or without (false) a profile"),
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 1000, description = "Page size, 1–1000 (default 100)"),
        ("offset" = Option<i64>, Query, minimum = 0, description = "People to skip (default 0)"),
    ),
    responses(
        (status = 200, description = "A page of people", body = PeoplePage),
        (status = 422, description = "Bad assigned, limit or offset", body = ErrorBody),
    ))]
async fn list_people(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<PeoplePage>, ApiError> {
    only_known(&query, &["assigned", "limit", "offset"])?;
    let assigned = query_bool(&query, "assigned")?;
    let limit = query_number(&query, "limit", DEFAULT_PAGE, 1, MAX_PAGE)?;
    let offset = query_number(&query, "offset", 0, 0, i64::MAX)?;
    Ok(Json(state.people.list(assigned, limit, offset).await?))
}

/// One person of a video, with its episodes.
#[utoipa::path(get, path = "/people/{id}", tag = PEOPLE_TAG,
    params(("id" = uuid::Uuid, Path, description = "Person id")),
    responses(
        (status = 200, description = "The person", body = VideoPerson),
        (status = 400, description = "The id is not a UUID", body = ErrorBody),
        (status = 404, description = "No such person", body = ErrorBody),
    ))]
async fn get_person(
    State(state): State<AppState>,
    ResourceId(id): ResourceId,
) -> Result<Json<VideoPerson>, ApiError> {
    Ok(Json(state.people.get(&id).await?))
}

/// The person's best head crop. Person ids are new for every run of a video, so a picture
/// never changes under its URL and clients may cache it.
#[utoipa::path(get, path = "/people/{id}/crop", tag = PEOPLE_TAG,
    params(("id" = uuid::Uuid, Path, description = "Person id")),
    responses(
        (status = 200, description = "JPEG image", content_type = "image/jpeg", body = inline(Jpeg)),
        (status = 400, description = "The id is not a UUID", body = ErrorBody),
        (status = 404, description = "No such person", body = ErrorBody),
    ))]
async fn person_crop(
    State(state): State<AppState>,
    ResourceId(id): ResourceId,
) -> Result<impl IntoResponse, ApiError> {
    let jpeg = state.people.crop(&id).await?;
    Ok((jpeg_headers(&format!("{id}-crop")), Jpeg(jpeg)))
}

/// The best face of episode `n` (0-based, in time order) of a person.
#[utoipa::path(get, path = "/people/{id}/episodes/{n}/thumb", tag = PEOPLE_TAG,
    params(
        ("id" = uuid::Uuid, Path, description = "Person id"),
        ("n" = u32, Path, description = "Episode number, from 0"),
    ),
    responses(
        (status = 200, description = "JPEG image", content_type = "image/jpeg", body = inline(Jpeg)),
        (status = 400, description = "The id is not a UUID or n not a number", body = ErrorBody),
        (status = 404, description = "No such person, episode or picture", body = ErrorBody),
    ))]
async fn episode_thumb(
    State(state): State<AppState>,
    EpisodePath { id, n }: EpisodePath,
) -> Result<impl IntoResponse, ApiError> {
    let jpeg = state.people.episode_thumb(&id, n).await?;
    Ok((jpeg_headers(&format!("{id}-e{n}")), Jpeg(jpeg)))
}

fn jpeg_headers(etag: &str) -> [(header::HeaderName, String); 2] {
    [
        (header::CACHE_CONTROL, "private, max-age=86400".to_owned()),
        (header::ETAG, format!("\"{etag}\"")),
    ]
}

/// `{id}/episodes/{n}`: a UUID and a small whole number, else 400.
struct EpisodePath {
    id: String,
    n: usize,
}

impl<S: Send + Sync> FromRequestParts<S> for EpisodePath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path((id, n)) = Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::malformed_field("id", "must be a UUID in the path"))?;
        let ResourceId(id) = ResourceId::parse(&id)?;
        let n = n
            .parse::<u32>()
            .map_err(|_| ApiError::malformed_field("n", "must be an episode number from 0"))?;
        Ok(Self { id, n: n as usize })
    }
}
