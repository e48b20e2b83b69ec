//! The profiles page: every person found in videos uploaded with "Create profiles", as a
//! grid of editable cards, 100 per page, searchable by name.

pub mod card;
mod draft;
pub mod editor;
mod search_box;

use crate::api::{list_profiles, ProfileQuery};
use crate::components::notice::ErrorNotice;
use crate::components::{
    error_text,
    pagination::{page_number, Pagination},
};
use crate::i18n::{tr, use_i18n};
use crate::model::ProfilePage;
use card::ProfileCard;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use search_box::ProfileSearch;

/// Profiles per page.
pub const PAGE_SIZE: i64 = 100;
const PATH: &str = "/profiles";

/// Browse, find, name and delete profiles. The page given by `?page=N` (of the search
/// `?q=…&hidden=true`) is loaded by the `list_profiles` server function while the server
/// renders it.
#[component]
pub fn ProfilesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = Memo::new(move |_| query.with(|q| page_number(q.get_str("page"))));
    let search = Memo::new(move |_| {
        query.with(|q| ProfileQuery {
            q: q.get("q").unwrap_or_default(),
            hidden: q.get_str("hidden") == Some("true"),
        })
    });
    let data = Resource::new(
        move || (page.get(), search.get()),
        |(page, search)| async move {
            let list = list_profiles(PAGE_SIZE, (page - 1) * PAGE_SIZE, search.clone()).await;
            (page, search, list)
        },
    );
    let notice = RwSignal::new(None::<String>);
    let on_error = Callback::new(move |message: String| notice.set(Some(message)));

    view! {
        <Title text=tr!(i18n, nav_profiles)/>
        <div class="page">
            <header class="page-header">
                <div>
                    <h1>{tr!(i18n, nav_profiles)}</h1>
                    <p class="subtitle">{tr!(i18n, profiles_subtitle)}</p>
                </div>
                <crate::components::export_links::ProfileExports/>
            </header>
            <ProfileSearch path=PATH query=search/>
            <ErrorNotice notice/>
            <Transition fallback=move || view! { <p class="empty">{tr!(i18n, loading_profiles)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        (page, search, Ok(list)) => view! { <ProfileGrid page search list on_error/> }.into_any(),
                        (_, _, Err(err)) => view! {
                            <p class="alert alert-error" role="alert">
                                {move || (i18n.t().load_profiles_failed)(&error_text(i18n.lang(), &err))}
                            </p>
                        }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
    .into_any()
}

/// One loaded page of profiles; deleted cards leave it at once.
#[component]
fn ProfileGrid(
    /// The page number, 1-based.
    page: i64,
    /// The search it belongs to.
    search: ProfileQuery,
    /// What the server returned for it.
    list: ProfilePage,
    /// Called with a message when a card's action fails.
    on_error: Callback<String>,
) -> impl IntoView {
    let items = RwSignal::new(list.items);
    let total = RwSignal::new(list.total);
    let estimate = list.total_is_estimate;
    let shown = Signal::derive(move || items.with(Vec::len));
    let on_deleted = Callback::new(move |id: String| {
        items.update(|list| list.retain(|p| p.id != id));
        total.update(|t| *t = (*t - 1).max(0));
    });
    let many_pages = move || total.get() > PAGE_SIZE || page > 1;
    let params = StoredValue::new(search_box::query_string(&search));
    // Set once the browser has taken over the list (tests wait for it).
    let hydrated = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| hydrated.set(true));

    view! {
        <div class="profiles" data-testid="profiles" data-hydrated=move || hydrated.get().to_string()>
            <Show
                when=move || { shown.get() > 0 }
                fallback=move || view! { <EmptyState page total=total.get() search=search.clone()/> }
            >
                <div class="toolbar">
                    <Pagination path=PATH page page_size=PAGE_SIZE shown total estimate testid="profiles-total"
                        query=params.get_value()/>
                </div>
                <div class="profile-grid" data-testid="profile-grid">
                    <For each=move || items.get() key=|p| p.id.clone() let:profile>
                        <ProfileCard profile on_deleted on_error/>
                    </For>
                </div>
                <Show when=many_pages>
                    <div class="toolbar toolbar-bottom">
                        <Pagination path=PATH page page_size=PAGE_SIZE shown total estimate query=params.get_value()/>
                    </div>
                </Show>
            </Show>
        </div>
    }
    .into_any()
}

/// What to do when there is nothing to show.
#[component]
fn EmptyState(page: i64, total: i64, search: ProfileQuery) -> impl IntoView {
    let i18n = use_i18n();
    if !search.q.trim().is_empty() && page <= 1 {
        let q = search.q.trim().to_string();
        return view! {
            <div class="card empty" data-testid="empty">
                <p class="empty-title">{move || (i18n.t().no_name_match)(&q)}</p>
                <p><a href=PATH>{tr!(i18n, show_every_profile)}</a></p>
            </div>
        }
        .into_any();
    }
    if total > 0 && page > 1 {
        return view! {
            <div class="card empty" data-testid="empty">
                <p class="empty-title">{tr!(i18n, nothing_on_page)}</p>
                <p>
                    {move || (i18n.t().profiles_in_all)(total as u64)}
                    " "
                    <a href=search_box::href(PATH, &search)>{tr!(i18n, first_page)}</a>
                </p>
            </div>
        }
        .into_any();
    }
    view! {
        <div class="card empty" data-testid="empty">
            <svg class="empty-icon" viewBox="0 0 24 24" aria-hidden="true">
                <circle cx="12" cy="9" r="4"/><path d="M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7"/>
            </svg>
            <p class="empty-title">{tr!(i18n, no_profiles)}</p>
            <p>
                {tr!(i18n, no_profiles_before)} <a href="/">{tr!(i18n, nav_videos)}</a> {tr!(i18n, no_profiles_after)}
            </p>
        </div>
    }
    .into_any()
}
