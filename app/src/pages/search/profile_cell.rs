//! The profile of a person found: a link to it, or a button that makes one.

use crate::i18n::{tr, use_i18n};
use crate::model::ProfileRef;
use leptos::prelude::*;

/// Where a profile is shown.
pub fn profile_href(id: &str) -> String {
    format!("/profiles#profile-{id}")
}

/// The person's profile, or "Create profile" (`POST /api/profiles`) when there is none.
#[component]
pub fn ProfileCell(
    /// The person (`VideoPerson.id`).
    person_id: String,
    /// Their profile, if any.
    profile: Option<ProfileRef>,
) -> impl IntoView {
    let i18n = use_i18n();
    let profile = RwSignal::new(profile);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);

    let create = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        #[cfg(feature = "hydrate")]
        super::request::create_profile(i18n.lang_untracked(), person_id.clone(), move |outcome| {
            busy.try_set(false);
            match outcome {
                Ok(made) => {
                    profile.try_set(Some(ProfileRef {
                        id: made.id,
                        full_name: made.full_name,
                        crop_url: made.crop_url,
                    }));
                }
                Err(message) => {
                    error.try_set(Some(message));
                }
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = &person_id;
    };

    view! {
        <div class="match-profile" data-testid="match-profile">
            {move || match profile.get() {
                Some(p) => {
                    let unnamed = p.full_name.is_none();
                    view! {
                    <a class="profile-link" href=profile_href(&p.id) data-testid="profile-link"
                        class:unnamed=unnamed>
                        {match p.full_name {
                            Some(name) => name.into_any(),
                            None => (tr!(i18n, unnamed)).into_any(),
                        }}
                    </a>
                }.into_any()
                }
                None => view! {
                    <button type="button" class="btn btn-small" data-testid="create-profile"
                        disabled=move || busy.get() on:click=create.clone()>
                        {move || if busy.get() { i18n.t().creating } else { i18n.t().create_profile }}
                    </button>
                }.into_any(),
            }}
            {move || error.get().map(|message| view! {
                <p class="field-error" role="alert">{message}</p>
            })}
        </div>
    }
    .into_any()
}
