//! Webhooks: every alert is POSTed as JSON to each `FACETALLY_WEBHOOK_URLS` entry, signed
//! (see [`signature`]), at least once: deliveries are stored with the alert (the outbox) and
//! [`sender`] retries them with capped exponential backoff, across restarts and from any
//! process.

pub mod sender;
pub mod settings;
pub mod signature;

pub use sender::spawn_sender;
pub use settings::{WebhookArgs, WebhookSecret};

/// Now, in Unix milliseconds (the outbox's clock).
pub fn now_ms() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}
