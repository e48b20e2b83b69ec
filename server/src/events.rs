//! In-process fan-out of video changes to every SSE subscriber.

use app::model::Video;
use tokio::sync::broadcast;

/// Something that happened to a video.
#[derive(Debug, Clone)]
pub enum VideoEvent {
    /// The video was created or changed; carries its new state.
    Changed(Video),
    /// The video was deleted; carries its id.
    Deleted(String),
}

/// Broadcast channel of [`VideoEvent`]s. Cheap to clone.
#[derive(Debug, Clone)]
pub struct EventHub {
    sender: broadcast::Sender<VideoEvent>,
}

impl EventHub {
    /// A hub that buffers up to `capacity` events per slow subscriber.
    pub fn new(capacity: usize) -> Self {
        Self { sender: broadcast::channel(capacity).0 }
    }

    /// Sends an event to current subscribers (none is fine).
    pub fn publish(&self, event: VideoEvent) {
        let _ = self.sender.send(event);
    }

    /// A new receiver of future events.
    pub fn subscribe(&self) -> broadcast::Receiver<VideoEvent> {
        self.sender.subscribe()
    }
}
