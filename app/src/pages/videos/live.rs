//! Live updates: the browser listens to the server's event stream and applies each
//! change to the list shown. Only the hydrate build connects; the server renders
//! the page once, as it is.

use crate::i18n::Texts;
#[cfg(feature = "hydrate")]
use {crate::model::Video, leptos::prelude::*};

/// State of the event stream, shown next to the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connection {
    /// Not connected yet (also what the server renders).
    Connecting,
    /// Receiving updates.
    Live,
    /// Lost; the browser retries on its own.
    Reconnecting,
}

impl Connection {
    /// Short text for the indicator.
    pub fn label(self, t: &'static Texts) -> &'static str {
        match self {
            Self::Connecting => t.connecting,
            Self::Live => t.live,
            Self::Reconnecting => t.reconnecting,
        }
    }

    /// CSS modifier and `data-state` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Connecting => "connecting",
            Self::Live => "live",
            Self::Reconnecting => "reconnecting",
        }
    }
}

/// Where the server publishes video changes as server-sent events.
pub const EVENTS_URL: &str = "/api/events";

/// Open the event stream and keep `videos` up to date until the page is left.
///
/// `video` events insert or replace a video, `video_deleted` events remove one. Every
/// (re)connection reloads the whole list, since events sent while disconnected are lost,
/// and so does a `resync` event (the server dropped events for this page).
#[cfg(feature = "hydrate")]
pub fn subscribe(videos: RwSignal<Vec<Video>>, connection: RwSignal<Connection>) {
    use super::video_list;
    use crate::api::list_videos;
    use crate::model::{RESYNC_EVENT, VIDEO_DELETED_EVENT, VIDEO_EVENT};
    use leptos::{logging, task::spawn_local};
    use send_wrapper::SendWrapper;
    use wasm_bindgen::{closure::Closure, JsCast};
    use web_sys::{EventSource, MessageEvent};

    let source = match EventSource::new(EVENTS_URL) {
        Ok(source) => source,
        Err(err) => {
            logging::error!("cannot open {EVENTS_URL}: {err:?}");
            connection.set(Connection::Reconnecting);
            return;
        }
    };

    let on_video = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let data = ev.data().as_string().unwrap_or_default();
        match serde_json::from_str::<Video>(&data) {
            Ok(video) => videos.update(|list| video_list::upsert(list, video)),
            Err(err) => logging::warn!("bad {VIDEO_EVENT} event: {err}"),
        }
    });
    let on_deleted = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let data = ev.data().as_string().unwrap_or_default();
        // The id is sent as plain text; accept a JSON string too.
        let id = serde_json::from_str::<String>(&data).unwrap_or(data);
        videos.update(|list| video_list::remove(list, id.trim()));
    });
    let reload = move || {
        spawn_local(async move {
            match list_videos().await {
                Ok(fresh) => videos.update(|list| video_list::replace_all(list, fresh)),
                Err(err) => logging::warn!("reloading videos failed: {err}"),
            }
        });
    };
    let on_open = Closure::<dyn FnMut()>::new(move || {
        connection.set(Connection::Live);
        reload();
    });
    // The server dropped events for this page (it fell behind): reload what it missed.
    let on_resync = Closure::<dyn FnMut(MessageEvent)>::new(move |_: MessageEvent| reload());
    let on_error = Closure::<dyn FnMut()>::new(move || connection.set(Connection::Reconnecting));

    let target: &web_sys::EventTarget = source.as_ref();
    for (name, handler) in [
        (VIDEO_EVENT, &on_video),
        (VIDEO_DELETED_EVENT, &on_deleted),
        (RESYNC_EVENT, &on_resync),
    ] {
        if let Err(err) =
            target.add_event_listener_with_callback(name, handler.as_ref().unchecked_ref())
        {
            logging::error!("cannot listen to {name} events: {err:?}");
        }
    }
    source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    source.set_onerror(Some(on_error.as_ref().unchecked_ref()));

    // The closures must live as long as the stream; both go away with the page.
    let held = SendWrapper::new((source, on_video, on_deleted, on_resync, on_open, on_error));
    on_cleanup(move || {
        let (source, on_video, on_deleted, on_resync, on_open, on_error) = held.take();
        source.close();
        drop((on_video, on_deleted, on_resync, on_open, on_error));
    });
}
