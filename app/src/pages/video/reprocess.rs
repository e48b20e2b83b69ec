//! "Re-process": run a finished video through detection and grouping again
//! (`POST /api/videos/{id}/reprocess`).

use crate::components::confirm;
use crate::i18n::{tr, use_i18n};
use crate::model::Video;
use crate::pages::rest;
use leptos::{prelude::*, task::spawn_local};

/// The button, offered once the video is finished (done, failed or cancelled): not while
/// it is queued, processing or paused.
#[component]
pub fn ReprocessButton(
    /// The video as it is now.
    current: Memo<Video>,
    /// Called with the video as queued again.
    on_queued: Callback<Video>,
) -> impl IntoView {
    let i18n = use_i18n();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let reprocess = move |_| {
        if !confirm(i18n.t_untracked().reprocess_confirm) {
            return;
        }
        busy.set(true);
        error.set(None);
        let lang = i18n.lang_untracked();
        let url = format!(
            "/api/videos/{}/reprocess",
            current.with_untracked(|v| v.id.clone())
        );
        spawn_local(async move {
            let answer = rest::send::<Video>(lang, "POST", &url, None::<&()>).await;
            // Before anything that may remove this view (and the signal with it).
            busy.try_set(false);
            match answer {
                Ok(video) => on_queued.run(video),
                Err(err) => {
                    error.try_set(Some((i18n.t_untracked().reprocess_failed)(&err)));
                }
            }
        });
    };
    view! {
        <Show when=move || current.with(|v| v.status.is_final())>
            <button type="button" class="btn btn-small" data-testid="reprocess"
                disabled=move || busy.get() on:click=reprocess>{tr!(i18n, reprocess)}</button>
        </Show>
        {move || error.get().map(|text| view! { <p class="field-error" role="alert">{text}</p> })}
    }
    .into_any()
}
