//! A coloured label for a video's status.

use super::display::status_label;
use crate::i18n::use_i18n;
use crate::model::VideoStatus;
use leptos::prelude::*;

/// The status as a small coloured pill; `processing` pulses.
#[component]
pub fn StatusBadge(
    /// The status to show.
    #[prop(into)]
    status: Signal<VideoStatus>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=move || format!("badge badge-{}", status.get().as_str()) data-testid="status">
            <span class="badge-dot" aria-hidden="true"></span>
            {move || status_label(i18n.lang(), status.get())}
        </span>
    }
}
