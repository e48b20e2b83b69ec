//! The events waiting to go out through PostgreSQL, bounded: a video's newer change replaces
//! its older one still waiting (a job stores progress four times a second; only the newest
//! state matters to a page), so what waits is at most one event per video plus the alerts.

use super::VideoEvent;
use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, PoisonError};
use tokio::sync::Notify;

/// What an event is about: events with the same key replace each other while waiting.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Video(String),
    Alert(String),
}

fn key(event: &VideoEvent) -> Key {
    match event {
        VideoEvent::Changed(video) => Key::Video(video.id.clone()),
        VideoEvent::Deleted(id) => Key::Video(id.clone()),
        VideoEvent::Alert(alert) => Key::Alert(alert.id.clone()),
    }
}

/// Waiting events in the order their subjects first changed, at most `capacity`.
#[derive(Debug)]
pub(super) struct Outbox {
    capacity: usize,
    state: Mutex<Waiting>,
    ready: Notify,
}

#[derive(Debug, Default)]
struct Waiting {
    order: VecDeque<Key>,
    latest: HashMap<Key, VideoEvent>,
    dropped: u64,
}

impl Outbox {
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            state: Mutex::new(Waiting::default()),
            ready: Notify::new(),
        }
    }

    /// Queues `event`, replacing a waiting event about the same video. When full, the oldest
    /// waiting video change is dropped (the page gets that video's next change, and its
    /// state is in the database); alerts are kept.
    pub fn push(&self, event: VideoEvent) {
        let mut waiting = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let key = key(&event);
        if waiting.latest.insert(key.clone(), event).is_none() {
            waiting.order.push_back(key);
        }
        if waiting.order.len() > self.capacity {
            let oldest_change = waiting
                .order
                .iter()
                .position(|k| matches!(k, Key::Video(_)));
            if let Some(at) = oldest_change {
                if let Some(k) = waiting.order.remove(at) {
                    waiting.latest.remove(&k);
                }
                waiting.dropped += 1;
                tracing::warn!(
                    dropped = waiting.dropped,
                    "event outbox full; dropped the oldest waiting video change"
                );
            }
        }
        drop(waiting);
        self.ready.notify_one();
    }

    /// The next event to send, waiting for one.
    pub async fn next(&self) -> VideoEvent {
        loop {
            if let Some(event) = self.pop() {
                return event;
            }
            self.ready.notified().await;
        }
    }

    fn pop(&self) -> Option<VideoEvent> {
        let mut waiting = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let key = waiting.order.pop_front()?;
        waiting.latest.remove(&key)
    }

    /// Events waiting now.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .order
            .len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::model::{Alert, Video, VideoStatus};

    fn changed(id: &str, frames: i64) -> VideoEvent {
        let json = serde_json::json!({
            "id": id, "filename": "a.mp4", "status": "processing", "progress": 1.0,
            "frames_processed": frames, "frames_total": null, "faces_total": 0,
            "max_faces_in_frame": 0, "frames_with_faces": 0, "fps": null, "width": null,
            "height": null, "duration_s": null, "processing_fps": null, "people_count": null,
            "create_profiles": false, "error": null, "created_at": "t", "updated_at": "t"
        });
        let video: Video = serde_json::from_value(json).unwrap();
        assert_eq!(video.status, VideoStatus::Processing);
        VideoEvent::Changed(video)
    }

    fn alert(id: &str) -> VideoEvent {
        let json = serde_json::json!({
            "id": id, "profile_id": "p", "profile_name": null, "video_id": "v",
            "file_name": "a.mp4", "person_id": "x", "episodes": [], "similarity": null,
            "created_at": "t", "acknowledged_at": null
        });
        VideoEvent::Alert(serde_json::from_value::<Alert>(json).expect("alert JSON"))
    }

    fn frames(event: &VideoEvent) -> i64 {
        match event {
            VideoEvent::Changed(v) => v.frames_processed,
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn a_videos_changes_coalesce_and_keep_their_place() {
        let outbox = Outbox::new(8);
        for n in 0..1000 {
            outbox.push(changed("a", n));
            outbox.push(changed("b", n));
        }
        outbox.push(alert("x"));
        outbox.push(alert("y"));
        outbox.push(changed("a", 5000));
        assert_eq!(outbox.len(), 4);
        assert_eq!(frames(&outbox.next().await), 5000, "a's newest, first");
        assert_eq!(frames(&outbox.next().await), 999);
        assert!(matches!(outbox.next().await, VideoEvent::Alert(a) if a.id == "x"));
        assert!(matches!(outbox.next().await, VideoEvent::Alert(a) if a.id == "y"));
        assert_eq!(outbox.len(), 0);
    }

    #[tokio::test]
    async fn a_full_outbox_drops_the_oldest_video_change_never_an_alert() {
        let outbox = Outbox::new(3);
        outbox.push(alert("x"));
        outbox.push(changed("a", 1));
        outbox.push(changed("b", 1));
        outbox.push(changed("c", 1));
        assert_eq!(outbox.len(), 3);
        assert!(matches!(outbox.next().await, VideoEvent::Alert(_)));
        let rest: Vec<String> = [outbox.next().await, outbox.next().await]
            .iter()
            .map(|e| match e {
                VideoEvent::Changed(v) => v.id.clone(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(rest, ["b", "c"], "a, the oldest change, was dropped");
    }
}
