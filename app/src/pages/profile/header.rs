//! The top of a profile's page: crop, name, gender and birth date, edited with the Profiles
//! page's form, and Hide / Unhide.

use super::{rest, Shared};
use crate::components::display;
use crate::model::Profile;
use crate::pages::profiles::card::{display_name, gender_label};
use crate::pages::profiles::editor::ProfileEditor;
use leptos::{prelude::*, task::spawn_local};
use leptos_meta::Title;

/// Loads the profile and shows it.
#[component]
pub fn ProfileHeader(shared: Shared) -> impl IntoView {
    let profile = LocalResource::new(move || {
        let (id, _) = (shared.id.get(), shared.version.get());
        async move { rest::get::<Profile>(&format!("/api/profiles/{id}")).await }
    });
    view! {
        <Transition fallback=|| view! { <p class="empty">"Loading the profile…"</p> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(profile) => view! { <Identity profile shared/> }.into_any(),
                    Err(err) => view! {
                        <Title text="Profile not found"/>
                        <div class="card empty" data-testid="profile-missing">
                            <p class="empty-title">"This profile is not available"</p>
                            <p>{err}</p>
                            <p><a href="/profiles">"Back to all profiles"</a></p>
                        </div>
                    }.into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}

/// The loaded profile: its facts, or the form while editing.
#[component]
fn Identity(profile: Profile, shared: Shared) -> impl IntoView {
    let editing = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let hidden = profile.hidden;
    let name = display_name(&profile);
    let toggle_hidden = {
        let id = profile.id.clone();
        move |_| {
            busy.set(true);
            let url = format!("/api/profiles/{id}");
            spawn_local(async move {
                let body = serde_json::json!({ "hidden": !hidden });
                let answer = rest::send::<Profile>("PATCH", &url, Some(&body)).await;
                // Before anything that may remove this view (and the signal with it).
                busy.try_set(false);
                match answer {
                    Ok(_) if hidden => shared.changed("The profile is listed again.".into(), None),
                    Ok(_) => shared.changed("The profile is hidden from the list.".into(), None),
                    Err(err) => shared.failed("Could not change the profile", err),
                }
            });
        }
    };
    let on_saved = Callback::new(move |_: Profile| {
        editing.set(false);
        shared.changed("Saved.".into(), None);
    });
    let on_cancel = Callback::new(move |()| editing.set(false));
    let find_href = format!("/search?profile_id={}", profile.id);
    let editable = StoredValue::new(profile.clone());
    let facts = [
        (
            "Gender",
            "profile-gender",
            gender_label(profile.gender).to_string(),
        ),
        (
            "Born",
            "profile-birth_date",
            profile
                .birth_date
                .clone()
                .unwrap_or_else(|| display::UNKNOWN.into()),
        ),
        (
            "Added",
            "profile-added",
            display::uploaded_at(&profile.created_at),
        ),
    ];

    view! {
        <Title text=name.clone()/>
        <section class="card profile-hero" data-testid="profile-hero" data-id=profile.id.clone()
            data-hidden=hidden.to_string()>
            <img class="profile-hero-crop" src=profile.crop_url.clone() width="120" height="120"
                alt=format!("Face of {name}") data-testid="profile-crop"/>
            <div class="profile-ident">
                <h1 class="profile-name" data-testid="profile-name"
                    class:unnamed=profile.full_name.is_none()>{name.clone()}</h1>
                {hidden.then(|| view! { <span class="tag tag-hidden" data-testid="profile-hidden">"Hidden"</span> })}
                <dl class="profile-facts">
                    {facts.into_iter().map(|(label, testid, value)| view! {
                        <div><dt>{label}</dt><dd data-testid=testid>{value}</dd></div>
                    }).collect_view()}
                </dl>
                <Show when=move || editing.get()>
                    <ProfileEditor profile=editable.get_value() on_saved on_cancel/>
                </Show>
                <Show when=move || !editing.get()>
                    <div class="actions actions-start">
                        <button type="button" class="btn btn-small" data-testid="edit-profile"
                            on:click=move |_| editing.set(true)>"Edit"</button>
                        <button type="button" class="btn btn-small" data-testid="toggle-hidden"
                            disabled=move || busy.get() on:click=toggle_hidden.clone()
                            title="Hidden profiles are left out of the Profiles list but still match new faces">
                            {if hidden { "Unhide" } else { "Hide" }}
                        </button>
                        <a class="btn btn-small" href=find_href.clone()>"Find in archive"</a>
                    </div>
                </Show>
            </div>
        </section>
    }
    .into_any()
}
