//! `/profiles/:id`: one profile and the tools to fix the machine's grouping — its people
//! by video ("Not this person", "Make a separate profile"), merging with look-alikes or a
//! profile found by name, unassigned people who look alike, and the history of changes.
//! Everything is loaded from the REST API by the browser; the server renders the frame.

mod gallery;
mod header;
mod history;
mod merge;
pub mod picker;
mod suggested;

use super::rest;
use crate::components::notice::ErrorNotice;
use crate::i18n::{tr, use_i18n, I18n};
use crate::model::Suggestions;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// What every part of the page shares: which profile, a counter bumped after each change
/// (every part reloads on it), and the page's messages.
#[derive(Clone, Copy)]
pub struct Shared {
    /// The profile's id.
    pub id: Memo<String>,
    /// Bumped after each change.
    pub version: RwSignal<u32>,
    /// The last failure, for the operator.
    pub notice: RwSignal<Option<String>>,
    /// The last success: its text and a link to follow, if any.
    pub done: RwSignal<Option<(String, Option<String>)>>,
    /// The page's language.
    pub i18n: I18n,
}

impl Shared {
    /// Reload every part after a change, telling the operator what happened.
    pub fn changed(&self, text: String, link: Option<String>) {
        self.notice.set(None);
        self.done.set(Some((text, link)));
        self.version.update(|v| *v += 1);
    }

    /// Show that `what` failed because of `err`.
    pub fn failed(&self, what: &str, err: String) {
        self.done.set(None);
        self.notice.set(Some(format!("{what}: {err}")));
    }
}

/// The page of one profile.
#[component]
pub fn ProfileDetailsPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let i18n = use_i18n();
    let shared = Shared {
        id,
        version: RwSignal::new(0),
        notice: RwSignal::new(None),
        done: RwSignal::new(None),
        i18n,
    };
    let suggestions = LocalResource::new(move || {
        let (id, _) = (id.get(), shared.version.get());
        let lang = i18n.lang_untracked();
        async move {
            rest::get::<Suggestions>(lang, &format!("/api/profiles/{id}/similar?limit=10")).await
        }
    });
    let hydrated = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| hydrated.set(true));

    view! {
        <div class="page profile-page" data-testid="profile-page"
            data-hydrated=move || hydrated.get().to_string() data-version=move || shared.version.get()>
            <nav class="breadcrumb"><a href="/profiles">{tr!(i18n, back_all_profiles)}</a></nav>
            <ErrorNotice notice=shared.notice/>
            {move || shared.done.get().map(|(text, link)| view! {
                <div class="alert alert-success" role="status" data-testid="action-done">
                    <span>{text}</span>
                    {link.map(|href| view! { <a href=href data-testid="action-done-link">{tr!(i18n, open)}</a> })}
                    <button type="button" class="alert-close" aria-label=tr!(i18n, dismiss)
                        on:click=move |_| shared.done.set(None)>"×"</button>
                </div>
            })}
            <header::ProfileHeader shared/>
            <div class="profile-layout">
                <gallery::Gallery shared/>
                <aside class="profile-side">
                    <merge::MergePanel shared suggestions/>
                    <suggested::SuggestedPeople shared suggestions/>
                    <history::History shared/>
                </aside>
            </div>
        </div>
    }
    .into_any()
}
