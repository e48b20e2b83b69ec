//! Fan-out of video changes to every SSE subscriber. With the embedded database that is an
//! in-process broadcast; with PostgreSQL every change goes out through `NOTIFY` and comes back
//! through `LISTEN`, so pages served by any web process see jobs run by any worker at once.

mod outbox;

use app::model::Video;
use outbox::Outbox;
use serde::{Deserialize, Serialize};
use sqlx::postgres::{PgListener, PgPool};
use std::sync::Arc;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

/// PostgreSQL channel carrying [`VideoEvent`]s as JSON.
const CHANNEL: &str = "facetally_videos";

/// Something that happened to a video.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
// Most events are `Changed`; boxing it would add an allocation to each without saving memory.
#[allow(clippy::large_enum_variant)]
pub enum VideoEvent {
    /// The video was created or changed; carries its new state.
    Changed(Video),
    /// The video was deleted; carries its id.
    Deleted(String),
    /// A watched profile was seen in a processed video.
    Alert(app::model::Alert),
}

/// Broadcast of [`VideoEvent`]s. Cheap to clone.
#[derive(Debug, Clone)]
pub struct EventHub {
    sender: broadcast::Sender<VideoEvent>,
    /// Set when events travel through PostgreSQL; sent in order by one task, a video's
    /// waiting change replaced by its newer one (bounded, see [`Outbox`]).
    outbox: Option<Arc<Outbox>>,
}

impl EventHub {
    /// An in-process hub that buffers up to `capacity` events per slow subscriber.
    pub fn new(capacity: usize) -> Self {
        Self {
            sender: broadcast::channel(capacity).0,
            outbox: None,
        }
    }

    /// A hub whose events go through PostgreSQL `NOTIFY`/`LISTEN` at `url`.
    /// Its connections close when `shutdown` is cancelled.
    pub async fn through_postgres(
        url: &str,
        capacity: usize,
        shutdown: CancellationToken,
    ) -> anyhow::Result<Self> {
        let pool = PgPool::connect(url).await?;
        let mut listener = PgListener::connect_with(&pool).await?;
        listener.listen(CHANNEL).await?;
        let sender = broadcast::channel(capacity).0;
        let outbox = Arc::new(Outbox::new(capacity));
        let pending = outbox.clone();
        let relay_sender = sender.clone();
        tokio::spawn(async move {
            tokio::select! {
                _ = notify_all(&pool, &pending) => {}
                _ = listen_all(listener, relay_sender) => {}
                _ = shutdown.cancelled() => {}
            }
            pool.close().await;
        });
        Ok(Self {
            sender,
            outbox: Some(outbox),
        })
    }

    /// Sends an event to current subscribers of every process (none is fine).
    pub fn publish(&self, event: VideoEvent) {
        match &self.outbox {
            Some(outbox) => outbox.push(event),
            None => {
                let _ = self.sender.send(event);
            }
        }
    }

    /// A new receiver of future events.
    pub fn subscribe(&self) -> broadcast::Receiver<VideoEvent> {
        self.sender.subscribe()
    }
}

async fn notify_all(pool: &PgPool, pending: &Outbox) {
    loop {
        let event = pending.next().await;
        let Ok(payload) = serde_json::to_string(&event) else {
            continue;
        };
        let sent = sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(&payload)
            .execute(pool)
            .await;
        if let Err(error) = sent {
            tracing::warn!(%error, "publishing a video event failed");
        }
    }
}

async fn listen_all(mut listener: PgListener, sender: broadcast::Sender<VideoEvent>) {
    loop {
        // `recv` reconnects by itself when the connection drops.
        match listener.recv().await {
            Ok(notification) => match serde_json::from_str(notification.payload()) {
                Ok(event) => {
                    let _ = sender.send(event);
                }
                Err(error) => tracing::warn!(%error, "ignoring a malformed video event"),
            },
            Err(error) => {
                tracing::warn!(%error, "listening for video events failed; retrying");
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            }
        }
    }
}
