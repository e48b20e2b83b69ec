//! Server-sent events: every change of a video, as it happens.

use super::SERVICE_TAG;
use crate::events::VideoEvent;
use crate::state::AppState;
use app::model::{ALERT_EVENT, RESYNC_EVENT, VIDEO_DELETED_EVENT, VIDEO_EVENT};
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::{Stream, StreamExt};
use std::convert::Infallible;
use tokio_stream::wrappers::{errors::BroadcastStreamRecvError, BroadcastStream};
use utoipa_axum::{router::OpenApiRouter, routes};

/// `GET /events`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(events))
}

/// A `text/event-stream`: event `video` with the Video JSON whenever one changes,
/// event `video_deleted` with the id when one is deleted, event `alert` with the Alert JSON
/// when a watched profile is seen in a processed video, and `resync` (with the number of
/// events missed) when a slow client fell behind: it should reload the list.
#[utoipa::path(get, path = "/events", tag = SERVICE_TAG,
    responses((status = 200, description = "Server-sent events", content_type = "text/event-stream", body = String)))]
async fn events(
    State(state): State<AppState>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let shutdown = state.shutdown.clone();
    // Counted open until the stream is dropped (client gone or shutdown).
    let open = state.metrics.sse_stream();
    let stream = BroadcastStream::new(state.events.subscribe())
        .filter_map(|item| async move { to_event(item) })
        .take_until(async move { shutdown.cancelled().await })
        .map(move |event| {
            let _open = &open;
            Ok(event)
        });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn to_event(item: Result<VideoEvent, BroadcastStreamRecvError>) -> Option<Event> {
    match item {
        Ok(VideoEvent::Changed(video)) => {
            Event::default().event(VIDEO_EVENT).json_data(&video).ok()
        }
        Ok(VideoEvent::Deleted(id)) => Some(Event::default().event(VIDEO_DELETED_EVENT).data(id)),
        Ok(VideoEvent::Alert(alert)) => Event::default().event(ALERT_EVENT).json_data(&alert).ok(),
        // A slow client missed events: it reloads the list, which is newer than all of them.
        Err(BroadcastStreamRecvError::Lagged(missed)) => {
            tracing::debug!(missed, "a slow SSE client missed events; sending resync");
            Some(
                Event::default()
                    .event(RESYNC_EVENT)
                    .data(missed.to_string()),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_that_fell_behind_is_told_to_reload() {
        let event = to_event(Err(BroadcastStreamRecvError::Lagged(7))).expect("an event");
        let text = format!("{event:?}");
        assert!(text.contains("event: resync"), "{text}");
        assert!(text.contains("data: 7"), "{text}");
    }
}
