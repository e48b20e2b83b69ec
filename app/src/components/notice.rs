//! A dismissible error message at the top of a page.

use crate::i18n::{tr, use_i18n};
use leptos::prelude::*;

/// Shows the message in `notice` while there is one, with a button that clears it.
#[component]
pub fn ErrorNotice(notice: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        notice.get().map(|message| {
            view! {
                <div class="alert alert-error" role="alert" data-testid="action-error">
                    <span>{message}</span>
                    <button type="button" class="alert-close" aria-label=tr!(i18n, dismiss)
                        on:click=move |_| notice.set(None)>"×"</button>
                </div>
            }
        })
    }
}
