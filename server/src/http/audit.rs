//! The audit log of manual changes.

use super::query::{only_known, query_number};
use super::AUDIT_TAG;
use crate::audit::{DEFAULT_PAGE, MAX_PAGE};
use crate::error::ApiError;
use crate::state::AppState;
use app::model::{AuditPage, ErrorBody};
use axum::extract::{Query, State};
use axum::Json;
use std::collections::HashMap;
use utoipa_axum::{router::OpenApiRouter, routes};

/// `/audit`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_audit))
}

/// Manual changes, newest first: edits, merges, moves, new profiles, hiding, deletions and
/// re-processing, each with the client, the objects and the values before and after.
#[utoipa::path(get, path = "/audit", tag = AUDIT_TAG,
    params(
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 500, description = "Page size, 1–500 (default 50)"),
        ("offset" = Option<i64>, Query, minimum = 0, description = "Entries to skip (default 0)"),
        ("profile_id" = Option<uuid::Uuid>, Query, description = "Only entries about this profile (also a deleted one)"),
    ),
    responses(
        (status = 200, description = "A page of the log", body = AuditPage),
        (status = 422, description = "Bad limit, offset or profile_id", body = ErrorBody),
    ))]
async fn list_audit(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<AuditPage>, ApiError> {
    only_known(&query, &["limit", "offset", "profile_id"])?;
    let limit = query_number(&query, "limit", DEFAULT_PAGE, 1, MAX_PAGE)?;
    let offset = query_number(&query, "offset", 0, 0, i64::MAX)?;
    let profile_id = match query.get("profile_id") {
        Some(raw) => Some(
            uuid::Uuid::parse_str(raw.trim())
                .map_err(|_| ApiError::field("profile_id", "must be a profile id (a UUID)"))?
                .to_string(),
        ),
        None => None,
    };
    Ok(Json(
        state
            .audit
            .list(profile_id.as_deref(), limit, offset)
            .await?,
    ))
}
