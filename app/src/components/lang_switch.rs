//! "EN | RU" in the header: switches the page's language at once and remembers the choice
//! in the `facetally_lang` cookie (a year), so the server renders the next page in it too.

use crate::i18n::{tr, use_i18n, Lang};
use leptos::prelude::*;

/// One button per language; the current one is pressed.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let buttons = Lang::ALL
        .into_iter()
        .map(|lang| {
            view! {
                <button type="button" class="lang-option" lang=lang.code()
                    data-testid=format!("lang-{}", lang.code())
                    aria-pressed=move || (i18n.lang() == lang).to_string()
                    title=move || lang.texts().lang_name
                    on:click=move |_| i18n.set(lang)>
                    {lang.texts().lang_short}
                </button>
            }
        })
        .collect_view();
    view! {
        <div class="lang-switch" role="group" aria-label=tr!(i18n, lang_switch_label)
            data-testid="lang-switch">
            {buttons}
        </div>
    }
}
