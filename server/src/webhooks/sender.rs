//! The sending loop of one process: takes due deliveries from the outbox, posts them and
//! records each try. A receiver that is down only delays its deliveries.

use super::signature::{sign, IDEMPOTENCY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER};
use super::{now_ms, WebhookSecret};
use crate::db::webhooks::{DueDelivery, TryOutcome};
use crate::db::Db;
use std::time::Duration;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// How often the outbox is looked at.
const POLL: Duration = Duration::from_millis(500);
/// Longest wait for a receiver's answer.
const TIMEOUT: Duration = Duration::from_secs(10);
/// How long a sender holds a delivery it is trying (longer than [`TIMEOUT`]).
const LEASE_MS: i64 = 60_000;
/// Deliveries taken per look.
const BATCH: i64 = 16;
/// Delay after the first failed try; doubled after each further one, up to [`MAX_DELAY`].
const FIRST_DELAY: Duration = Duration::from_secs(1);
/// Longest delay between two tries.
pub const MAX_DELAY: Duration = Duration::from_secs(300);
/// Tries before a delivery is given up: about a day at [`MAX_DELAY`].
pub const MAX_TRIES: i64 = 300;

/// Starts this process's sender; it stops when `stop` is cancelled.
pub fn spawn_sender(db: Db, secret: WebhookSecret, stop: CancellationToken) -> JoinHandle<()> {
    let client = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .build()
        .unwrap_or_default();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = stop.cancelled() => return,
                _ = tokio::time::sleep(POLL) => {}
            }
            if let Err(error) = send_due(&db, &client, &secret, &stop).await {
                tracing::warn!(%error, "webhook outbox: looking for due deliveries failed");
            }
        }
    })
}

async fn send_due(
    db: &Db,
    client: &reqwest::Client,
    secret: &WebhookSecret,
    stop: &CancellationToken,
) -> sqlx::Result<()> {
    for due in db.due_deliveries(now_ms(), BATCH).await? {
        if stop.is_cancelled() {
            return Ok(());
        }
        let now = now_ms();
        if !db.claim_delivery(&due.id, now, now + LEASE_MS).await? {
            continue;
        }
        let outcome = try_once(client, secret, &due).await;
        match &outcome {
            TryOutcome::Delivered { status } => {
                tracing::info!(delivery = %due.id, status, "webhook delivered")
            }
            TryOutcome::Failed { error, next_at, .. } => {
                tracing::warn!(delivery = %due.id, error, retry = next_at.is_some(), "webhook try failed")
            }
        }
        db.record_try(&due.id, &outcome).await?;
    }
    Ok(())
}

/// Posts one delivery: body `{"id", "type": "alert", "timestamp", "alert"}`, signed.
async fn try_once(
    client: &reqwest::Client,
    secret: &WebhookSecret,
    due: &DueDelivery,
) -> TryOutcome {
    let timestamp = now_ms() / 1000;
    let alert: serde_json::Value = serde_json::from_str(&due.payload).unwrap_or_default();
    let body = serde_json::json!({
        "id": due.id,
        "type": "alert",
        "timestamp": timestamp,
        "alert": alert,
    })
    .to_string();
    let sent = client
        .post(&due.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(SIGNATURE_HEADER, sign(secret.expose(), body.as_bytes()))
        .header(TIMESTAMP_HEADER, timestamp.to_string())
        .header(IDEMPOTENCY_HEADER, &due.id)
        .body(body)
        .send()
        .await;
    let tries = due.attempts + 1;
    let failed = |status: Option<i64>, error: String| TryOutcome::Failed {
        status,
        error,
        next_at: (tries < MAX_TRIES).then(|| now_ms() + retry_delay(tries).as_millis() as i64),
    };
    match sent {
        Ok(response) if response.status().is_success() => TryOutcome::Delivered {
            status: i64::from(response.status().as_u16()),
        },
        Ok(response) => {
            let status = response.status();
            failed(
                Some(i64::from(status.as_u16())),
                format!("the receiver answered {status}"),
            )
        }
        Err(error) => failed(None, format!("not sent: {error}")),
    }
}

/// The wait after `tries` failed tries: 1 s, 2 s, 4 s, … at most [`MAX_DELAY`].
pub fn retry_delay(tries: i64) -> Duration {
    let doublings = u32::try_from(tries.saturating_sub(1))
        .unwrap_or(u32::MAX)
        .min(16);
    (FIRST_DELAY * 2u32.pow(doublings)).min(MAX_DELAY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_five_minutes() {
        let delays: Vec<u64> = (1..=11).map(|n| retry_delay(n).as_secs()).collect();
        assert_eq!(delays, [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300]);
        assert_eq!(retry_delay(10_000), MAX_DELAY);
    }
}
