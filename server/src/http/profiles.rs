//! Profiles: list, read, edit (validated field by field), delete, and their face crops.

use super::binary::Jpeg;
use super::ids::ResourceId;
use super::query::{only_known, query_bool, query_number};
use super::PROFILES_TAG;
use crate::db::profiles::{Change, ProfileChanges, ProfileFilter};
use crate::error::ApiError;
use crate::profiles::{patch, DEFAULT_PAGE, MAX_PAGE};
use crate::security::Client;
use crate::state::AppState;
use app::model::{ErrorBody, NewProfile, Profile, ProfilePage};
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::collections::HashMap;
use utoipa_axum::{router::OpenApiRouter, routes};

/// `/profiles`, `/profiles/{id}`, `/profiles/{id}/crop`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_profiles, create_profile))
        .routes(routes!(get_profile, patch_profile, delete_profile))
        .routes(routes!(profile_crop))
        .layer(DefaultBodyLimit::max(MAX_PATCH_BYTES))
}

/// Largest accepted PATCH body: three short text fields need far less.
const MAX_PATCH_BYTES: usize = 64 * 1024;

/// Editable fields; each optional, `null` clears it. This is what the PATCH handler
/// receives, already validated: the body is checked field by field, so that every wrong
/// field gets its own message in one 422 (a derived `Deserialize` stops at the first).
#[derive(utoipa::ToSchema)]
#[serde(deny_unknown_fields)] // unknown fields are refused (422): `additionalProperties: false`
struct ProfilePatch {
    /// 2 or 3 words of 1–50 letters each, any script, hyphens and apostrophes inside words
    /// (surname, given name, optional patronymic).
    #[schema(value_type = Option<String>, nullable, min_length = 3, max_length = 150)]
    full_name: Change,
    /// `male` or `female`.
    #[schema(value_type = Option<String>, nullable, pattern = "^(male|female)$")]
    gender: Change,
    /// `YYYY-MM-DD`, between 1900-01-01 and today.
    #[schema(value_type = Option<String>, nullable, format = Date)]
    birth_date: Change,
    /// `true` leaves the profile out of listings (it still matches new faces).
    hidden: Option<bool>,
    /// `true` puts the profile on the watch list: a new video holding this person raises an
    /// alert (`GET /api/alerts`, SSE `alert`, webhooks).
    watch: Option<bool>,
}

impl<S: Send + Sync> FromRequest<S> for ProfilePatch {
    /// A body over the limit keeps axum's own answer (413); bad JSON is 400, bad fields 422.
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let body = Bytes::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let json: serde_json::Value = serde_json::from_slice(&body)
            .map_err(|e| ApiError::BadRequest(format!("malformed JSON: {e}")).into_response())?;
        let changes = patch::from_json(&json, patch::today())
            .map_err(|errors| ApiError::invalid(errors).into_response())?;
        let ProfileChanges {
            full_name,
            gender,
            birth_date,
            hidden,
            watch,
        } = changes;
        Ok(Self {
            full_name,
            gender,
            birth_date,
            hidden,
            watch,
        })
    }
}

impl From<ProfilePatch> for ProfileChanges {
    fn from(patch: ProfilePatch) -> Self {
        Self {
            full_name: patch.full_name,
            gender: patch.gender,
            birth_date: patch.birth_date,
            hidden: patch.hidden,
            watch: patch.watch,
        }
    }
}

/// One page of profiles, newest first.
#[utoipa::path(get, path = "/profiles", tag = PROFILES_TAG,
    params(
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 1000, description = "Page size, 1–1000 (default 100)"),
        ("offset" = Option<i64>, Query, minimum = 0, description = "Profiles to skip (default 0)"),
        ("q" = Option<String>, Query, max_length = 150, description = "Case-insensitive part of the full name, any script (ё = е)"),
        ("hidden" = Option<bool>, Query, description = "true: list hidden profiles too (default false)"),
    ),
    responses(
        (status = 200, description = "A page of profiles", body = ProfilePage),
        (status = 422, description = "Bad limit, offset, q or hidden", body = ErrorBody),
    ))]
async fn list_profiles(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<ProfilePage>, ApiError> {
    only_known(&query, &["limit", "offset", "q", "hidden"])?;
    let limit = query_number(&query, "limit", DEFAULT_PAGE, 1, MAX_PAGE)?;
    let offset = query_number(&query, "offset", 0, 0, i64::MAX)?;
    let name = match query.get("q").map(|q| app::model::name_key(q)) {
        Some(q) if q.chars().count() > 150 => {
            return Err(ApiError::field("q", "at most 150 characters"))
        }
        Some(q) if q.contains('\0') => return Err(ApiError::field("q", "must not contain NUL")),
        Some(q) if !q.is_empty() => Some(q),
        _ => None,
    };
    let filter = ProfileFilter {
        name,
        include_hidden: query_bool(&query, "hidden")?.unwrap_or(false),
    };
    Ok(Json(state.profiles.list(&filter, limit, offset).await?))
}

/// Makes a profile from a person found in a video (one processed without profiles, or left
/// unassigned): the person's crop and face become the profile's.
#[utoipa::path(post, path = "/profiles", tag = PROFILES_TAG,
    request_body(content = NewProfile, content_type = "application/json"),
    responses(
        (status = 201, description = "The new profile", body = Profile),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 409, description = "The person already has a profile", body = ErrorBody),
        (status = 422, description = "No such person, or a bad body", body = ErrorBody),
    ))]
async fn create_profile(
    State(state): State<AppState>,
    client: Client,
    body: Bytes,
) -> Result<(StatusCode, Json<Profile>), ApiError> {
    let json: serde_json::Value = serde_json::from_slice(&body)
        .map_err(|e| ApiError::BadRequest(format!("malformed JSON: {e}")))?;
    let body = new_profile(json)?;
    let profile = state
        .profiles
        .create_from_person(&body.person_id, &client)
        .await?;
    Ok((StatusCode::CREATED, Json(profile)))
}

/// The body of `POST /profiles`, with a 422 naming the field that is wrong.
fn new_profile(json: serde_json::Value) -> Result<NewProfile, ApiError> {
    let serde_json::Value::Object(map) = json else {
        return Err(ApiError::field(
            "person_id",
            "the body must be a JSON object",
        ));
    };
    if let Some(unknown) = map.keys().find(|k| *k != "person_id") {
        return Err(ApiError::field(
            unknown.clone(),
            "unknown field; only person_id is accepted",
        ));
    }
    match map.get("person_id") {
        Some(serde_json::Value::String(id)) => Ok(NewProfile {
            person_id: id.trim().to_owned(),
        }),
        Some(_) => Err(ApiError::field(
            "person_id",
            "must be a string (a person id)",
        )),
        None => Err(ApiError::field("person_id", "is required")),
    }
}

/// One profile.
#[utoipa::path(get, path = "/profiles/{id}", tag = PROFILES_TAG,
    params(("id" = uuid::Uuid, Path, description = "Profile id")),
    responses(
        (status = 200, description = "The profile", body = Profile),
        (status = 400, description = "The id is not a UUID", body = ErrorBody),
        (status = 404, description = "No such profile", body = ErrorBody),
    ))]
async fn get_profile(
    State(state): State<AppState>,
    ResourceId(id): ResourceId,
) -> Result<Json<Profile>, ApiError> {
    Ok(Json(state.profiles.get(&id).await?))
}

/// Changes any of `full_name`, `gender`, `birth_date`, `hidden`, `watch`; nothing changes if any field
/// is invalid. Recorded in the audit log.
#[utoipa::path(patch, path = "/profiles/{id}", tag = PROFILES_TAG,
    params(("id" = uuid::Uuid, Path, description = "Profile id")),
    request_body(content = ProfilePatch, content_type = "application/json"),
    responses(
        (status = 200, description = "The profile as saved", body = Profile),
        (status = 400, description = "Malformed JSON, or the id is not a UUID", body = ErrorBody),
        (status = 404, description = "No such profile", body = ErrorBody),
        (status = 413, description = "The body is larger than 64 KiB", body = ErrorBody),
        (status = 422, description = "Invalid fields, one message each", body = ErrorBody),
    ))]
async fn patch_profile(
    State(state): State<AppState>,
    ResourceId(id): ResourceId,
    client: Client,
    patch: ProfilePatch,
) -> Result<Json<Profile>, ApiError> {
    let changes = ProfileChanges::from(patch);
    Ok(Json(state.profiles.update(&id, &changes, &client).await?))
}

/// Deletes the profile and its crop.
#[utoipa::path(delete, path = "/profiles/{id}", tag = PROFILES_TAG,
    params(("id" = uuid::Uuid, Path, description = "Profile id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "The id is not a UUID", body = ErrorBody),
        (status = 404, description = "No such profile", body = ErrorBody),
    ))]
async fn delete_profile(
    State(state): State<AppState>,
    ResourceId(id): ResourceId,
    client: Client,
) -> Result<StatusCode, ApiError> {
    state.profiles.delete(&id, &client).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The profile's face crop. A crop never changes, so clients may cache it.
#[utoipa::path(get, path = "/profiles/{id}/crop", tag = PROFILES_TAG,
    params(("id" = uuid::Uuid, Path, description = "Profile id")),
    responses(
        (status = 200, description = "JPEG image", content_type = "image/jpeg", body = inline(Jpeg)),
        (status = 400, description = "The id is not a UUID", body = ErrorBody),
        (status = 404, description = "No such profile", body = ErrorBody),
    ))]
async fn profile_crop(
    State(state): State<AppState>,
    ResourceId(id): ResourceId,
) -> Result<impl IntoResponse, ApiError> {
    let jpeg = state.profiles.crop(&id).await?;
    let headers = [
        (header::CACHE_CONTROL, "private, max-age=86400".to_owned()),
        (header::ETAG, format!("\"{id}\"")),
    ];
    Ok((headers, Jpeg(jpeg)))
}
