//! Types of the watch list: alerts raised when a watched profile turns up in a processed
//! video, and the webhook deliveries that carry them out.

use super::Appearance;
use serde::{Deserialize, Serialize};

/// SSE event name of a new alert; its data is the [`Alert`] JSON.
pub const ALERT_EVENT: &str = "alert";

/// A watched profile was seen in a processed video.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Alert {
    /// Stable id (UUID v7).
    pub id: String,
    /// The watched profile.
    pub profile_id: String,
    /// Its full name when it has one.
    pub profile_name: Option<String>,
    /// The video it was seen in.
    pub video_id: String,
    /// The video's file name.
    pub file_name: String,
    /// The person of the video placed in the profile.
    pub person_id: String,
    /// Where in the video the person is seen.
    pub episodes: Vec<Appearance>,
    /// Cosine similarity to the profile's closest face; null when an earlier run or an
    /// operator placed the person there by hand.
    pub similarity: Option<f64>,
    /// RFC 3339 UTC time the alert was raised.
    pub created_at: String,
    /// RFC 3339 UTC time an operator acknowledged it; null until then.
    pub acknowledged_at: Option<String>,
}

/// One page of alerts, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AlertPage {
    pub items: Vec<Alert>,
    /// How many alerts there are in all.
    pub total: i64,
    /// How many of them are not acknowledged.
    pub unacknowledged: i64,
}

/// Where a webhook delivery is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum DeliveryState {
    /// Waiting for its first or next try.
    Pending,
    /// The receiver answered 2xx.
    Delivered,
    /// Given up after a day of tries.
    Failed,
}

/// One alert sent to one webhook URL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WebhookDelivery {
    /// Stable id, sent as the `Idempotency-Key` header and the body's `id`.
    pub id: String,
    pub alert_id: String,
    pub url: String,
    pub state: DeliveryState,
    /// Tries so far.
    pub attempts: i64,
    /// HTTP status of the last try, if the receiver answered.
    pub last_status: Option<i64>,
    /// Why the last try failed, if it did.
    pub last_error: Option<String>,
    /// RFC 3339 UTC time of the next try (pending only).
    pub next_attempt_at: Option<String>,
    pub created_at: String,
    pub delivered_at: Option<String>,
}

/// One page of webhook deliveries, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeliveryPage {
    pub items: Vec<WebhookDelivery>,
    pub total: i64,
}
