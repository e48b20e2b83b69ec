//! Unassigned people who look like this profile, most similar first, each with "Add to this
//! profile" (`PUT /api/people/{id}/profile`).

use super::merge::percent;
use super::{rest, Shared};
use crate::components::person::PersonSummary;
use crate::model::{AssignRequest, Suggestions, VideoPerson};
use leptos::{prelude::*, task::spawn_local};

/// The look-alike people; nothing at all when there are none.
#[component]
pub fn SuggestedPeople(
    shared: Shared,
    suggestions: LocalResource<Result<Suggestions, String>>,
) -> impl IntoView {
    let busy = RwSignal::new(false);
    let add = move |person: String| {
        busy.set(true);
        let url = format!("/api/people/{person}/profile");
        let body = AssignRequest {
            profile_id: Some(shared.id.get_untracked()),
        };
        spawn_local(async move {
            let answer = rest::send::<VideoPerson>("PUT", &url, Some(&body)).await;
            // Before anything that may remove this view (and the signal with it).
            busy.try_set(false);
            match answer {
                Ok(_) => shared.changed("Added to this profile.".into(), None),
                Err(err) => shared.failed("Could not add the person", err),
            }
        });
    };
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let people = suggestions.await.map(|s| s.people).unwrap_or_default();
                (!people.is_empty()).then(|| view! {
                    <section class="card side-card" data-testid="suggested-people">
                        <h2>"Unassigned look-alikes"</h2>
                        {people.into_iter().map(|s| {
                            let id = s.person.id.clone();
                            view! {
                                <PersonSummary person=s.person>
                                    <span class="meta" title="Similarity of the faces">{percent(s.similarity)}</span>
                                    <button type="button" class="btn btn-small" data-testid="add-person"
                                        disabled=move || busy.get() on:click=move |_| add(id.clone())>
                                        "Add to this profile"
                                    </button>
                                </PersonSummary>
                            }
                        }).collect_view()}
                    </section>
                })
            })}
        </Transition>
    }
    .into_any()
}
