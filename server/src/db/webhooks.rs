//! Queries on `webhook_deliveries`, the outbox of alerts to send. Rows are written in the
//! transaction that raises the alert; any process sends them, holding a short lease so two
//! senders do not post the same try at once.

use super::{now_text, Db};
use sqlx::AnyConnection;

/// A delivery as the listing shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeliveryRow {
    pub id: String,
    pub alert_id: String,
    pub url: String,
    pub state: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: String,
    pub delivered_at: Option<String>,
}

/// A delivery due to be tried.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DueDelivery {
    pub id: String,
    pub url: String,
    pub payload: String,
    pub attempts: i64,
    pub created_at: String,
}

/// How one try ended.
#[derive(Debug, Clone)]
pub enum TryOutcome {
    /// 2xx: done.
    Delivered { status: i64 },
    /// Try again at `next_at` (Unix ms), or give up (`next_at` = `None`).
    Failed {
        status: Option<i64>,
        error: String,
        next_at: Option<i64>,
    },
}

/// Queues `payload` for `url`, due at once.
pub async fn enqueue(
    conn: &mut AnyConnection,
    alert_id: &str,
    url: &str,
    payload: &str,
    now_ms: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO webhook_deliveries (id, alert_id, url, payload, next_attempt_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(alert_id)
    .bind(url)
    .bind(payload)
    .bind(now_ms)
    .bind(now_text())
    .execute(conn)
    .await?;
    Ok(())
}

const LIST_COLUMNS: &str = "id, alert_id, url, state, attempts, next_attempt_at, last_status, \
     last_error, created_at, delivered_at";

impl Db {
    /// Up to `limit` pending deliveries whose time has come and that nobody holds.
    pub async fn due_deliveries(&self, now_ms: i64, limit: i64) -> sqlx::Result<Vec<DueDelivery>> {
        sqlx::query_as(
            "SELECT id, url, payload, attempts, created_at FROM webhook_deliveries \
             WHERE state = 'pending' AND next_attempt_at <= $1 AND lease_until <= $1 \
             ORDER BY next_attempt_at LIMIT $2",
        )
        .bind(now_ms)
        .bind(limit)
        .fetch_all(self.pool())
        .await
    }

    /// Takes a due delivery until `until_ms`; false if another sender took it first.
    pub async fn claim_delivery(&self, id: &str, now_ms: i64, until_ms: i64) -> sqlx::Result<bool> {
        let done = sqlx::query(
            "UPDATE webhook_deliveries SET lease_until = $3 \
             WHERE id = $1 AND state = 'pending' AND lease_until <= $2",
        )
        .bind(id)
        .bind(now_ms)
        .bind(until_ms)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records a try and releases the delivery.
    pub async fn record_try(&self, id: &str, outcome: &TryOutcome) -> sqlx::Result<()> {
        let (state, status, error, next_at, delivered_at) = match outcome {
            TryOutcome::Delivered { status } => {
                ("delivered", Some(*status), None, 0, Some(now_text()))
            }
            TryOutcome::Failed {
                status,
                error,
                next_at,
            } => match next_at {
                Some(at) => ("pending", *status, Some(error.clone()), *at, None),
                None => ("failed", *status, Some(error.clone()), 0, None),
            },
        };
        sqlx::query(
            "UPDATE webhook_deliveries SET state = $2, attempts = attempts + 1, last_status = $3, \
             last_error = $4, next_attempt_at = $5, delivered_at = $6, lease_until = 0 \
             WHERE id = $1",
        )
        .bind(id)
        .bind(state)
        .bind(status)
        .bind(error)
        .bind(next_at)
        .bind(delivered_at)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// One page of deliveries, newest first, and how many there are.
    pub async fn list_deliveries(
        &self,
        limit: i64,
        offset: i64,
    ) -> sqlx::Result<(Vec<DeliveryRow>, i64)> {
        let sql = format!(
            "SELECT {LIST_COLUMNS} FROM webhook_deliveries \
             ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2"
        );
        let rows = sqlx::query_as(&sql)
            .bind(limit)
            .bind(offset)
            .fetch_all(self.pool())
            .await?;
        let total = sqlx::query_scalar("SELECT COUNT(*) FROM webhook_deliveries")
            .fetch_one(self.pool())
            .await?;
        Ok((rows, total))
    }
}
