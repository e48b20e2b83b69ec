//! The watch list's alerts and their webhook deliveries.

use super::ids::ResourceId;
use super::query::{only_known, query_number};
use super::ALERTS_TAG;
use crate::alerts::{DEFAULT_PAGE, MAX_PAGE};
use crate::error::ApiError;
use crate::state::AppState;
use app::model::{Alert, AlertPage, DeliveryPage, ErrorBody};
use axum::extract::{Query, State};
use axum::Json;
use std::collections::HashMap;
use utoipa_axum::{router::OpenApiRouter, routes};

/// `/alerts`, `/alerts/{id}/acknowledge`, `/webhooks/deliveries`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_alerts))
        .routes(routes!(acknowledge_alert))
        .routes(routes!(list_deliveries))
}

/// `limit` and `offset` of a listing.
fn page(query: &HashMap<String, String>) -> Result<(i64, i64), ApiError> {
    only_known(query, &["limit", "offset"])?;
    let limit = query_number(query, "limit", DEFAULT_PAGE, 1, MAX_PAGE)?;
    let offset = query_number(query, "offset", 0, 0, i64::MAX)?;
    Ok((limit, offset))
}

/// Alerts raised when a processed video held a person of a watched profile, newest first.
#[utoipa::path(get, path = "/alerts", tag = ALERTS_TAG,
    params(
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 500, description = "Page size, 1–500 (default 50)"),
        ("offset" = Option<i64>, Query, minimum = 0, description = "Alerts to skip (default 0)"),
    ),
    responses(
        (status = 200, description = "A page of alerts", body = AlertPage),
        (status = 422, description = "Bad limit or offset", body = ErrorBody),
    ))]
async fn list_alerts(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<AlertPage>, ApiError> {
    let (limit, offset) = page(&query)?;
    Ok(Json(state.alerts.list(limit, offset).await?))
}

/// Marks an alert seen by an operator (again: keeps the first time).
#[utoipa::path(post, path = "/alerts/{id}/acknowledge", tag = ALERTS_TAG,
    params(("id" = uuid::Uuid, Path, description = "Alert id")),
    responses(
        (status = 200, description = "The alert, acknowledged", body = Alert),
        (status = 400, description = "The id is not a UUID", body = ErrorBody),
        (status = 404, description = "No such alert", body = ErrorBody),
    ))]
async fn acknowledge_alert(
    State(state): State<AppState>,
    ResourceId(id): ResourceId,
) -> Result<Json<Alert>, ApiError> {
    Ok(Json(state.alerts.acknowledge(&id).await?))
}

/// Every alert sent to every webhook URL: pending (with the time of the next try),
/// delivered, or failed after a day of tries.
#[utoipa::path(get, path = "/webhooks/deliveries", tag = ALERTS_TAG,
    params(
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 500, description = "Page size, 1–500 (default 50)"),
        ("offset" = Option<i64>, Query, minimum = 0, description = "Deliveries to skip (default 0)"),
    ),
    responses(
        (status = 200, description = "A page of deliveries", body = DeliveryPage),
        (status = 422, description = "Bad limit or offset", body = ErrorBody),
    ))]
async fn list_deliveries(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<DeliveryPage>, ApiError> {
    let (limit, offset) = page(&query)?;
    Ok(Json(state.alerts.deliveries(limit, offset).await?))
}
