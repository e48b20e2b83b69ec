//! Unassigned people who look like this profile, most similar first, each with "Add to this
//! profile" (`PUT /api/people/{id}/profile`).

use super::merge::percent;
use super::{rest, Shared};
use crate::components::person::PersonSummary;
use crate::i18n::tr;
use crate::model::{AssignRequest, Suggestions, VideoPerson};
use leptos::{prelude::*, task::spawn_local};

/// The look-alike people; nothing at all when there are none.
#[component]
pub fn SuggestedPeople(
    shared: Shared,
    suggestions: LocalResource<Result<Suggestions, String>>,
) -> impl IntoView {
    let i18n = shared.i18n;
    let busy = RwSignal::new(false);
    let add = move |person: String| {
        busy.set(true);
        let url = format!("/api/people/{person}/profile");
        let body = AssignRequest {
            profile_id: Some(shared.id.get_untracked()),
        };
        let t = i18n.t_untracked();
        spawn_local(async move {
            let answer =
                rest::send::<VideoPerson>(i18n.lang_untracked(), "PUT", &url, Some(&body)).await;
            // Before anything that may remove this view (and the signal with it).
            busy.try_set(false);
            match answer {
                Ok(_) => shared.changed(t.added_to_this.into(), None),
                Err(err) => shared.failed(t.add_person_failed, err),
            }
        });
    };
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let people = suggestions.await.map(|s| s.people).unwrap_or_default();
                (!people.is_empty()).then(|| view! {
                    <section class="card side-card" data-testid="suggested-people">
                        <h2>{tr!(i18n, lookalikes)}</h2>
                        {people.into_iter().map(|s| {
                            let id = s.person.id.clone();
                            view! {
                                <PersonSummary person=s.person>
                                    <span class="meta" title=tr!(i18n, face_similarity)>{percent(s.similarity)}</span>
                                    <button type="button" class="btn btn-small" data-testid="add-person"
                                        disabled=move || busy.get() on:click=move |_| add(id.clone())>
                                        {tr!(i18n, add_to_this_profile)}
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
