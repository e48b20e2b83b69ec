//! The Profiles page's name search and "Show hidden" toggle. Both live in the address
//! (`?q=anna&hidden=true`), so a search can be bookmarked and works without JavaScript as a
//! plain GET form; the browser navigates without reloading.

use crate::api::ProfileQuery;
use crate::i18n::{tr, use_i18n};
use crate::pages::rest::encode;
use leptos::{ev, html, prelude::*};
use leptos_router::hooks::use_navigate;

/// The query parameters of `query` other than the page, e.g. `q=anna&hidden=true`.
pub fn query_string(query: &ProfileQuery) -> String {
    let mut parts = Vec::new();
    let q = query.q.trim();
    if !q.is_empty() {
        parts.push(format!("q={}", encode(q)));
    }
    if query.hidden {
        parts.push("hidden=true".to_string());
    }
    parts.join("&")
}

/// The address of the first page of `path` for `query`.
pub fn href(path: &str, query: &ProfileQuery) -> String {
    match query_string(query) {
        params if params.is_empty() => path.to_string(),
        params => format!("{path}?{params}"),
    }
}

/// The search form; `query` is what the address asks for now.
#[component]
pub fn ProfileSearch(
    /// The listing's path.
    path: &'static str,
    /// The current search.
    query: Memo<ProfileQuery>,
) -> impl IntoView {
    let i18n = use_i18n();
    let input = NodeRef::<html::Input>::new();
    let hidden = NodeRef::<html::Input>::new();
    let navigate = use_navigate();
    let go = move || {
        let wanted = ProfileQuery {
            q: input.get_untracked().map(|i| i.value()).unwrap_or_default(),
            hidden: hidden.get_untracked().is_some_and(|h| h.checked()),
        };
        navigate(&href(path, &wanted), Default::default());
    };
    let submit = {
        let go = go.clone();
        move |e: ev::SubmitEvent| {
            e.prevent_default();
            go();
        }
    };
    view! {
        <form class="profile-search" role="search" method="get" action=path on:submit=submit>
            <input type="search" name="q" node_ref=input data-testid="profile-search"
                placeholder=tr!(i18n, search_by_name) aria-label=tr!(i18n, search_profiles_label) autocomplete="off"
                value=query.with_untracked(|q| q.q.clone())
                prop:value=move || query.with(|q| q.q.clone())/>
            <button type="submit" class="btn btn-small" data-testid="profile-search-go">{tr!(i18n, nav_search)}</button>
            <label class="checkbox">
                <input type="checkbox" name="hidden" value="true" node_ref=hidden data-testid="show-hidden"
                    checked=query.with_untracked(|q| q.hidden)
                    prop:checked=move || query.with(|q| q.hidden) on:change=move |_| go()/>
                {tr!(i18n, show_hidden)}
            </label>
        </form>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_search_lives_in_the_address() {
        let plain = ProfileQuery::default();
        assert_eq!(href("/profiles", &plain), "/profiles");
        let both = ProfileQuery {
            q: " Анна ".into(),
            hidden: true,
        };
        assert_eq!(
            query_string(&both),
            "q=%D0%90%D0%BD%D0%BD%D0%B0&hidden=true"
        );
        let hidden = ProfileQuery {
            hidden: true,
            ..plain
        };
        assert_eq!(href("/profiles", &hidden), "/profiles?hidden=true");
    }
}
