//! What the search page shows beside the photo: nothing yet, the spinner, why the photo was
//! refused, an error, or the matches.

use super::query_face::QueryPicture;
use super::results::Results;
use crate::i18n::{tr, use_i18n};
use crate::model::SearchResult;
use leptos::prelude::*;

/// Where the current search is.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub enum Phase {
    /// Nothing asked yet.
    Idle,
    /// Waiting for the server.
    Searching,
    /// The server answered.
    Found(SearchResult),
    /// The photo has no usable face; `forced` when it was already searched anyway.
    Refused { message: String, forced: bool },
    /// The search failed.
    Failed(String),
}

/// The state of the search, in words or as the list of matches.
#[component]
pub fn Outcome(
    /// Where the search is.
    phase: RwSignal<Phase>,
    /// Search again with `force=true`.
    search_anyway: Callback<()>,
    /// What was searched with, shown on each match.
    picture: Signal<Option<QueryPicture>>,
    /// The photo's size in pixels, once known.
    photo_size: RwSignal<Option<(f64, f64)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || match phase.get() {
        Phase::Idle => view! {
            <div class="card empty" data-testid="search-idle">
                <p class="empty-title">{tr!(i18n, nothing_searched)}</p>
                <p>{tr!(i18n, nothing_searched_hint)}</p>
            </div>
        }
        .into_any(),
        Phase::Searching => view! {
            <div class="card searching" role="status" data-testid="searching">
                <span class="spinner" aria-hidden="true"></span>{tr!(i18n, searching)}
            </div>
        }
        .into_any(),
        Phase::Refused { message, forced } => view! {
            <div class="alert alert-warn" role="alert" data-testid="search-refused">
                <div>
                    <strong>{message}</strong>
                    <p class="alert-hint">{move || if forced {
                        i18n.t().forced_no_result
                    } else {
                        i18n.t().try_sharper
                    }}</p>
                </div>
                {(!forced).then(|| view! {
                    <button type="button" class="btn btn-small" data-testid="search-anyway"
                        on:click=move |_| search_anyway.run(())>{tr!(i18n, search_anyway)}</button>
                })}
            </div>
        }
        .into_any(),
        Phase::Failed(message) => view! {
            <p class="alert alert-error" role="alert" data-testid="search-error">{message}</p>
        }
        .into_any(),
        Phase::Found(result) => view! {
            <Results result picture photo_size/>
        }
        .into_any(),
    }
}
