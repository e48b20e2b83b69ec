//! Find a profile by part of its name (`GET /api/profiles?q=`) and pick it: for merging on
//! a profile's page and for "Assign to…" on the People page.

use super::rest::{self, encode};
use crate::i18n::{tr, use_i18n, Texts};
use crate::model::{ProfilePage, ProfileRef};
use leptos::prelude::*;

/// How many names are offered.
const SHOWN: usize = 8;

/// A search box and the profiles whose name contains what is typed (hidden ones too).
#[component]
pub fn ProfilePicker(
    /// A profile never offered (the one being merged into).
    #[prop(optional, into)]
    exclude: Option<String>,
    /// The button of each result, e.g. "Merge" or "Assign".
    action: fn(&Texts) -> &'static str,
    /// Called with the profile picked.
    on_pick: Callback<ProfileRef>,
    /// True while the pick is being carried out (owned by the caller, which outlives the
    /// picker: a signal derived here would be gone while the pick's answer is awaited).
    busy: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let typed = RwSignal::new(String::new());
    let found = LocalResource::new(move || {
        let q = typed.get().trim().to_string();
        let lang = i18n.lang_untracked();
        async move {
            if q.is_empty() {
                return Ok(None);
            }
            let url = format!(
                "/api/profiles?q={}&hidden=true&limit={}",
                encode(&q),
                SHOWN + 1
            );
            rest::get::<ProfilePage>(lang, &url).await.map(Some)
        }
    });
    let exclude = StoredValue::new(exclude);
    let row = move |p: ProfileRef| {
        let name = p
            .full_name
            .clone()
            .unwrap_or_else(|| i18n.t_untracked().unnamed.into());
        let picked = p.clone();
        view! {
            <li class="pick" data-testid="pick" data-id=p.id.clone()>
                <img src=p.crop_url.clone() alt="" width="32" height="32" loading="lazy"/>
                <a class="pick-name" href=format!("/profiles/{}", p.id)>{name}</a>
                <button type="button" class="btn btn-small" data-testid="pick-button"
                    disabled=move || busy.get() on:click=move |_| on_pick.run(picked.clone())>{move || action(i18n.t())}</button>
            </li>
        }
    };
    view! {
        <div class="picker" data-testid="profile-picker">
            <input type="search" class="picker-input" placeholder=tr!(i18n, type_part_of_name) autocomplete="off"
                aria-label=tr!(i18n, find_profile_label) data-testid="picker-input"
                on:input=move |e| typed.set(event_target_value(&e))/>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match found.await {
                        Ok(Some(page)) => {
                            let refs: Vec<ProfileRef> = page.items.iter()
                                .filter(|p| exclude.with_value(|x| x.as_deref() != Some(p.id.as_str())))
                                .take(SHOWN)
                                .map(short)
                                .collect();
                            if refs.is_empty() {
                                view! { <p class="hint">{tr!(i18n, no_other_profile_name)}</p> }.into_any()
                            } else {
                                view! { <ul class="picks">{refs.into_iter().map(row).collect_view()}</ul> }.into_any()
                            }
                        }
                        Ok(None) => ().into_any(),
                        Err(err) => view! { <p class="field-error">{move || (i18n.t().search_failed)(&err)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
    .into_any()
}

/// The short form of a profile, as the picker hands it over.
pub fn short(profile: &crate::model::Profile) -> ProfileRef {
    ProfileRef {
        id: profile.id.clone(),
        full_name: profile.full_name.clone(),
        crop_url: profile.crop_url.clone(),
    }
}
