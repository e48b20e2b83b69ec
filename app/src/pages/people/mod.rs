//! `/people`: the people found in videos that belong to no profile (taken out of one, or
//! found in videos processed without profiles), newest first, each with "New profile" and
//! "Assign to…". Loaded from the REST API by the browser.

mod unassigned;

use super::rest;
use crate::components::notice::ErrorNotice;
use crate::components::pagination::{page_number, Pagination};
use crate::i18n::{tr, use_i18n};
use crate::model::PeoplePage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use unassigned::{Placed, Unassigned};

/// People per page.
pub const PAGE_SIZE: i64 = 50;
const PATH: &str = "/people";

/// The list of unassigned people, `?page=N`.
#[component]
pub fn UnassignedPeoplePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = Memo::new(move |_| query.with(|q| page_number(q.get_str("page"))));
    let data = LocalResource::new(move || {
        let page = page.get();
        let lang = i18n.lang_untracked();
        let offset = (page - 1) * PAGE_SIZE;
        async move {
            let url = format!("/api/people?assigned=false&limit={PAGE_SIZE}&offset={offset}");
            (page, rest::get::<PeoplePage>(lang, &url).await)
        }
    });
    let notice = RwSignal::new(None::<String>);
    let hydrated = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| hydrated.set(true));

    view! {
        <Title text=tr!(i18n, nav_people)/>
        <div class="page" data-testid="people-page" data-hydrated=move || hydrated.get().to_string()>
            <header class="page-header">
                <h1>{tr!(i18n, unassigned_people)}</h1>
                <p class="subtitle">{tr!(i18n, unassigned_subtitle)}</p>
            </header>
            <ErrorNotice notice/>
            <Transition fallback=move || view! { <p class="empty">{tr!(i18n, loading_people)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        (page, Ok(list)) => view! { <PeopleList page list notice/> }.into_any(),
                        (_, Err(err)) => view! {
                            <p class="alert alert-error" role="alert">{move || (i18n.t().load_people_failed)(&err)}</p>
                        }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
    .into_any()
}

/// One loaded page; people leave it as soon as they are given a profile.
#[component]
fn PeopleList(page: i64, list: PeoplePage, notice: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let items = RwSignal::new(list.items);
    let total = RwSignal::new(list.total);
    let shown = Signal::derive(move || items.with(Vec::len));
    let done = RwSignal::new(None::<(String, String)>);
    let on_done = Callback::new(move |(id, text, href): Placed| {
        items.update(|list| list.retain(|p| p.id != id));
        total.update(|t| *t = (*t - 1).max(0));
        notice.set(None);
        done.set(Some((text, href)));
    });
    let on_error = Callback::new(move |message: String| notice.set(Some(message)));
    view! {
        {move || done.get().map(|(text, href)| view! {
            <div class="alert alert-success" role="status" data-testid="action-done">
                <span>{text}</span>
                <a href=href data-testid="action-done-link">{tr!(i18n, open_the_profile)}</a>
                <button type="button" class="alert-close" aria-label=tr!(i18n, dismiss)
                    on:click=move |_| done.set(None)>"×"</button>
            </div>
        })}
        <Show when=move || { shown.get() > 0 } fallback=move || view! {
            <div class="card empty" data-testid="empty">
                <p class="empty-title">{tr!(i18n, everybody_has_profile)}</p>
                {(page > 1).then(|| view! { <p><a href=PATH>{tr!(i18n, first_page)}</a></p> })}
            </div>
        }>
            <div class="toolbar">
                <Pagination path=PATH page page_size=PAGE_SIZE shown total testid="people-total"/>
            </div>
            <div class="people-grid" data-testid="people-grid">
                <For each=move || items.get() key=|p| p.id.clone() let:person>
                    <Unassigned person on_done on_error/>
                </For>
            </div>
        </Show>
    }
    .into_any()
}
