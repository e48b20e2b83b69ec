//! One unassigned person: "New profile" (`POST /api/people/{id}/profile`) or "Assign to…" a
//! profile found by name (`PUT /api/people/{id}/profile`).

use crate::components::person::PersonSummary;
use crate::i18n::{tr, use_i18n};
use crate::model::{AssignRequest, Profile, ProfileRef, VideoPerson};
use crate::pages::profile::picker::ProfilePicker;
use crate::pages::rest;
use leptos::{prelude::*, task::spawn_local};

/// What became of a person: its id, a message and the profile it now belongs to.
pub type Placed = (String, String, String);

/// The person with its two actions.
#[component]
pub fn Unassigned(
    /// The person.
    person: VideoPerson,
    /// Called once the person has a profile.
    on_done: Callback<Placed>,
    /// Called with a message when an action fails.
    on_error: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = StoredValue::new(person.id.clone());
    let url = StoredValue::new(format!("/api/people/{}/profile", person.id));
    let busy = RwSignal::new(false);
    let picking = RwSignal::new(false);
    let create = move |_| {
        busy.set(true);
        let (id, url) = (id.get_value(), url.get_value());
        let lang = i18n.lang_untracked();
        spawn_local(async move {
            let answer = rest::send::<Profile>(lang, "POST", &url, None::<&()>).await;
            // Before anything that may remove this view (and the signal with it).
            busy.try_set(false);
            match answer {
                Ok(profile) => on_done.run((
                    id,
                    lang.texts().profile_made.into(),
                    format!("/profiles/{}", profile.id),
                )),
                Err(err) => on_error.run((lang.texts().make_profile_failed)(&err)),
            }
        });
    };
    let assign = Callback::new(move |target: ProfileRef| {
        busy.set(true);
        let lang = i18n.lang_untracked();
        let name = target
            .full_name
            .clone()
            .unwrap_or_else(|| lang.texts().the_profile.into());
        let (id, url) = (id.get_value(), url.get_value());
        spawn_local(async move {
            let body = AssignRequest {
                profile_id: Some(target.id.clone()),
            };
            let answer = rest::send::<VideoPerson>(lang, "PUT", &url, Some(&body)).await;
            // Before anything that may remove this view (and the signal with it).
            busy.try_set(false);
            match answer {
                Ok(_) => on_done.run((
                    id,
                    (lang.texts().added_to)(&name),
                    format!("/profiles/{}", target.id),
                )),
                Err(err) => on_error.run((lang.texts().assign_failed)(&err)),
            }
        });
    });
    view! {
        <PersonSummary person>
            <button type="button" class="btn btn-small btn-primary" data-testid="new-profile"
                disabled=move || busy.get() on:click=create>{tr!(i18n, new_profile)}</button>
            <button type="button" class="btn btn-small" data-testid="assign-to"
                aria-expanded=move || picking.get().to_string()
                disabled=move || busy.get() on:click=move |_| picking.update(|p| *p = !*p)>{tr!(i18n, assign_to)}</button>
            <Show when=move || picking.get()>
                <ProfilePicker action=|t| t.assign on_pick=assign busy/>
            </Show>
        </PersonSummary>
    }
    .into_any()
}
