//! One unassigned person: "New profile" (`POST /api/people/{id}/profile`) or "Assign to…" a
//! profile found by name (`PUT /api/people/{id}/profile`).

use crate::components::person::PersonSummary;
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
    let id = StoredValue::new(person.id.clone());
    let url = StoredValue::new(format!("/api/people/{}/profile", person.id));
    let busy = RwSignal::new(false);
    let picking = RwSignal::new(false);
    let create = move |_| {
        busy.set(true);
        let (id, url) = (id.get_value(), url.get_value());
        spawn_local(async move {
            let answer = rest::send::<Profile>("POST", &url, None::<&()>).await;
            // Before anything that may remove this view (and the signal with it).
            busy.try_set(false);
            match answer {
                Ok(profile) => on_done.run((
                    id,
                    "A new profile was made.".into(),
                    format!("/profiles/{}", profile.id),
                )),
                Err(err) => on_error.run(format!("Could not make a profile: {err}")),
            }
        });
    };
    let assign = Callback::new(move |target: ProfileRef| {
        busy.set(true);
        let name = target
            .full_name
            .clone()
            .unwrap_or_else(|| "the profile".into());
        let (id, url) = (id.get_value(), url.get_value());
        spawn_local(async move {
            let body = AssignRequest {
                profile_id: Some(target.id.clone()),
            };
            let answer = rest::send::<VideoPerson>("PUT", &url, Some(&body)).await;
            // Before anything that may remove this view (and the signal with it).
            busy.try_set(false);
            match answer {
                Ok(_) => on_done.run((
                    id,
                    format!("Added to {name}."),
                    format!("/profiles/{}", target.id),
                )),
                Err(err) => on_error.run(format!("Could not assign the person: {err}")),
            }
        });
    });
    view! {
        <PersonSummary person>
            <button type="button" class="btn btn-small btn-primary" data-testid="new-profile"
                disabled=move || busy.get() on:click=create>"New profile"</button>
            <button type="button" class="btn btn-small" data-testid="assign-to"
                aria-expanded=move || picking.get().to_string()
                disabled=move || busy.get() on:click=move |_| picking.update(|p| *p = !*p)>"Assign to…"</button>
            <Show when=move || picking.get()>
                <ProfilePicker action="Assign" on_pick=assign busy/>
            </Show>
        </PersonSummary>
    }
    .into_any()
}
