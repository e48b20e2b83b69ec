//! Correcting the grouping: merging profiles, a profile's gallery, suggestions, and moving
//! people between profiles.

use super::ids::ResourceId;
use super::query::{only_known, query_number};
use super::{PEOPLE_TAG, PROFILES_TAG};
use crate::error::ApiError;
use crate::profiles::{DEFAULT_SIMILAR, MAX_SIMILAR};
use crate::security::Client;
use crate::state::AppState;
use app::model::{
    AssignRequest, ErrorBody, MergeRequest, PeoplePage, Profile, Suggestions, VideoPerson,
};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde_json::{Map, Value};
use std::collections::HashMap;
use utoipa_axum::{router::OpenApiRouter, routes};

/// `/profiles/{id}/merge`, `/profiles/{id}/people`, `/profiles/{id}/similar`,
/// `/people/{id}/profile`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(merge_profiles))
        .routes(routes!(profile_people))
        .routes(routes!(similar_profiles))
        .routes(routes!(assign_person, split_person))
}

/// Merges the listed profiles into this one, all or nothing: this profile keeps its
/// non-empty fields and takes empty ones from the others in the given order; their people
/// join its gallery; they and their crops are deleted. Recorded in the audit log.
#[utoipa::path(post, path = "/profiles/{id}/merge", tag = PROFILES_TAG,
    params(("id" = uuid::Uuid, Path, description = "The profile that stays")),
    request_body(content = MergeRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "The merged profile", body = Profile),
        (status = 400, description = "Malformed JSON, or the id is not a UUID", body = ErrorBody),
        (status = 404, description = "No such profile", body = ErrorBody),
        (status = 422, description = "Unknown ids, the profile itself, an empty list or a bad body", body = ErrorBody),
    ))]
async fn merge_profiles(
    State(state): State<AppState>,
    ResourceId(id): ResourceId,
    client: Client,
    body: Bytes,
) -> Result<Json<Profile>, ApiError> {
    let map = object(&body, "profiles")?;
    only_fields(&map, &["profiles"])?;
    let list = match map.get("profiles") {
        Some(Value::Array(items)) => items,
        Some(_) => {
            return Err(ApiError::field(
                "profiles",
                "must be an array of profile ids",
            ))
        }
        None => return Err(ApiError::field("profiles", "is required")),
    };
    let mut sources = Vec::with_capacity(list.len());
    for item in list {
        let id = item
            .as_str()
            .and_then(|s| uuid::Uuid::parse_str(s.trim()).ok())
            .ok_or_else(|| {
                ApiError::field("profiles", format!("{item} is not a profile id (a UUID)"))
            })?;
        sources.push(id.to_string());
    }
    Ok(Json(state.profiles.merge(&id, &sources, &client).await?))
}

/// The people in this profile's gallery (each with its video, crop and episodes), oldest
/// video first.
#[utoipa::path(get, path = "/profiles/{id}/people", tag = PROFILES_TAG,
    params(("id" = uuid::Uuid, Path, description = "Profile id")),
    responses(
        (status = 200, description = "The profile's people", body = PeoplePage),
        (status = 400, description = "The id is not a UUID", body = ErrorBody),
        (status = 404, description = "No such profile", body = ErrorBody),
    ))]
async fn profile_people(
    State(state): State<AppState>,
    ResourceId(id): ResourceId,
) -> Result<Json<PeoplePage>, ApiError> {
    Ok(Json(state.profiles.people(&id).await?))
}

/// Other profiles and unassigned people ranked by similarity to this profile's gallery:
/// candidates for "is this the same person?".
#[utoipa::path(get, path = "/profiles/{id}/similar", tag = PROFILES_TAG,
    params(
        ("id" = uuid::Uuid, Path, description = "Profile id"),
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 100, description = "How many of each kind, 1–100 (default 10)"),
    ),
    responses(
        (status = 200, description = "Suggestions, most similar first", body = Suggestions),
        (status = 400, description = "The id is not a UUID", body = ErrorBody),
        (status = 404, description = "No such profile", body = ErrorBody),
        (status = 422, description = "Bad limit", body = ErrorBody),
    ))]
async fn similar_profiles(
    State(state): State<AppState>,
    ResourceId(id): ResourceId,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Suggestions>, ApiError> {
    only_known(&query, &["limit"])?;
    let limit = query_number(
        &query,
        "limit",
        DEFAULT_SIMILAR as i64,
        1,
        MAX_SIMILAR as i64,
    )?;
    Ok(Json(state.profiles.similar(&id, limit as usize).await?))
}

/// Moves the person to another profile, or (`null`) out of any. Leaving a profile is
/// remembered as "not this person": no automatic matching puts it back there, also after
/// re-processing. Recorded in the audit log.
#[utoipa::path(put, path = "/people/{id}/profile", tag = PEOPLE_TAG,
    params(("id" = uuid::Uuid, Path, description = "Person id")),
    request_body(content = AssignRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "The person as it is now", body = VideoPerson),
        (status = 400, description = "Malformed JSON, or the id is not a UUID", body = ErrorBody),
        (status = 404, description = "No such person", body = ErrorBody),
        (status = 422, description = "No such profile, or a bad body", body = ErrorBody),
    ))]
async fn assign_person(
    State(state): State<AppState>,
    ResourceId(id): ResourceId,
    client: Client,
    body: Bytes,
) -> Result<Json<VideoPerson>, ApiError> {
    let map = object(&body, "profile_id")?;
    only_fields(&map, &["profile_id"])?;
    let to = match map.get("profile_id") {
        Some(Value::Null) => None,
        Some(Value::String(s)) => Some(
            uuid::Uuid::parse_str(s.trim())
                .map_err(|_| {
                    ApiError::field("profile_id", "must be a profile id (a UUID) or null")
                })?
                .to_string(),
        ),
        Some(_) => {
            return Err(ApiError::field(
                "profile_id",
                "must be a profile id (a UUID) or null",
            ))
        }
        None => {
            return Err(ApiError::field(
                "profile_id",
                "is required (null: no profile)",
            ))
        }
    };
    Ok(Json(
        state
            .profiles
            .move_person(&id, to.as_deref(), &client)
            .await?,
    ))
}

/// Makes a new profile from this person (its crop and face), taking it out of its current
/// profile ("not this person" for that one). Recorded in the audit log.
#[utoipa::path(post, path = "/people/{id}/profile", tag = PEOPLE_TAG,
    params(("id" = uuid::Uuid, Path, description = "Person id")),
    responses(
        (status = 201, description = "The new profile", body = Profile),
        (status = 400, description = "The id is not a UUID", body = ErrorBody),
        (status = 404, description = "No such person", body = ErrorBody),
    ))]
async fn split_person(
    State(state): State<AppState>,
    ResourceId(id): ResourceId,
    client: Client,
) -> Result<(StatusCode, Json<Profile>), ApiError> {
    let profile = state.profiles.split_person(&id, &client).await?;
    Ok((StatusCode::CREATED, Json(profile)))
}

/// The body as a JSON object; `field` names the field a 422 is reported on.
fn object(body: &Bytes, field: &str) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::field(field, "the body must be a JSON object")),
        Err(e) => Err(ApiError::BadRequest(format!("malformed JSON: {e}"))),
    }
}

fn only_fields(map: &Map<String, Value>, allowed: &[&str]) -> Result<(), ApiError> {
    match map.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(unknown) => Err(ApiError::field(
            unknown.clone(),
            format!("unknown field; allowed: {}", allowed.join(", ")),
        )),
        None => Ok(()),
    }
}
