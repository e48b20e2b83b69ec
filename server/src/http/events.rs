//! Server-sent events: every change of a video, as it happens.

use super::SERVICE_TAG;
use crate::events::VideoEvent;
use crate::state::AppState;
use app::model::{VIDEO_DELETED_EVENT, VIDEO_EVENT};
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
/// event `video_deleted` with the id when one is deleted.
#[utoipa::path(get, path = "/events", tag = SERVICE_TAG,
    responses((status = 200, description = "Server-sent events", content_type = "text/event-stream", body = String)))]
async fn events(
    State(state): State<AppState>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let shutdown = state.shutdown.clone();
    let stream = BroadcastStream::new(state.events.subscribe())
        .filter_map(|item| async move { to_event(item) })
        .take_until(async move { shutdown.cancelled().await })
        .map(Ok);
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn to_event(item: Result<VideoEvent, BroadcastStreamRecvError>) -> Option<Event> {
    match item {
        Ok(VideoEvent::Changed(video)) => {
            Event::default().event(VIDEO_EVENT).json_data(&video).ok()
        }
        Ok(VideoEvent::Deleted(id)) => Some(Event::default().event(VIDEO_DELETED_EVENT).data(id)),
        // A slow client missed events; the next change of each video carries its full state.
        Err(BroadcastStreamRecvError::Lagged(_)) => None,
    }
}
