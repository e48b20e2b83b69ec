//! Reusable pieces of the UI, one component per module.

pub mod activity_chart;
pub mod alert_notice;
pub mod clock;
pub mod display;
pub mod export_links;
pub mod lang_switch;
pub mod notice;
pub mod pagination;
pub mod person;
pub mod person_lanes;
pub mod progress_bar;
pub mod sign_out;
pub mod sparkline;
pub mod status_badge;
pub mod time_axis;
pub mod timeline;
pub mod upload_panel;
// Only the browser uploads; the server renders the idle panel.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub mod upload_request;
pub mod video_row;
pub mod video_table;

use crate::i18n::Lang;
use leptos::prelude::ServerFnError;

/// The message of a failed server function, without the framework's prefix (the server's
/// own messages stay English, as the API's do).
pub fn error_text(lang: Lang, err: &ServerFnError) -> String {
    match err {
        ServerFnError::ServerError(message) => message.clone(),
        ServerFnError::Request(_) => lang.texts().unreachable.to_string(),
        other => other.to_string(),
    }
}

/// Ask the operator to confirm; without a browser there is nobody to ask.
pub fn confirm(message: &str) -> bool {
    #[cfg(feature = "hydrate")]
    return leptos::prelude::window()
        .confirm_with_message(message)
        .unwrap_or(false);
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = message;
        false
    }
}

/// Keeps a file dropped next to a drop zone from making the browser leave the page (by
/// default it opens the file), for as long as the calling component lives.
pub fn keep_drops_on_page() {
    #[cfg(feature = "hydrate")]
    leptos::prelude::Effect::new(move |_| {
        use leptos::prelude::{on_cleanup, window_event_listener};
        let over = window_event_listener(leptos::ev::dragover, |e| e.prevent_default());
        let drop = window_event_listener(leptos::ev::drop, |e| e.prevent_default());
        on_cleanup(move || {
            over.remove();
            drop.remove();
        });
    });
}
