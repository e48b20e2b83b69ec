//! The top of a profile's page: crop, name, gender and birth date, edited with the Profiles
//! page's form, Hide / Unhide and Watch / Stop watching.

use super::{rest, Shared};
use crate::components::display;
use crate::i18n::{tr, Texts};
use crate::model::Profile;
use crate::pages::profiles::card::{birth_label, display_name, gender_label};
use crate::pages::profiles::editor::ProfileEditor;
use leptos::{prelude::*, task::spawn_local};
use leptos_meta::Title;

/// One fact of the profile: its label (picked from the texts), `data-testid` and value.
type Fact = (fn(&Texts) -> &'static str, &'static str, Signal<String>);

/// Loads the profile and shows it.
#[component]
pub fn ProfileHeader(shared: Shared) -> impl IntoView {
    let i18n = shared.i18n;
    let profile = LocalResource::new(move || {
        let (id, _) = (shared.id.get(), shared.version.get());
        let lang = i18n.lang_untracked();
        async move { rest::get::<Profile>(lang, &format!("/api/profiles/{id}")).await }
    });
    view! {
        <Transition fallback=move || view! { <p class="empty">{tr!(i18n, loading_profile)}</p> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(profile) => view! { <Identity profile shared/> }.into_any(),
                    Err(err) => view! {
                        <Title text=tr!(i18n, profile_not_found)/>
                        <div class="card empty" data-testid="profile-missing">
                            <p class="empty-title">{tr!(i18n, profile_unavailable)}</p>
                            <p>{err}</p>
                            <p><a href="/profiles">{tr!(i18n, back_to_profiles)}</a></p>
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
    let i18n = shared.i18n;
    let editing = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let (hidden, watch) = (profile.hidden, profile.watch);
    let name = {
        let profile = profile.clone();
        Signal::derive(move || display_name(i18n.lang(), &profile))
    };
    let toggle_hidden = flag_toggle(
        shared,
        busy,
        &profile.id,
        ("hidden", hidden),
        if hidden {
            |t| t.listed_again
        } else {
            |t| t.hidden_now
        },
    );
    let toggle_watch = flag_toggle(
        shared,
        busy,
        &profile.id,
        ("watch", watch),
        if watch {
            |t| t.unwatched_now
        } else {
            |t| t.watching_now
        },
    );
    let on_saved = Callback::new(move |_: Profile| {
        editing.set(false);
        shared.changed(i18n.t_untracked().saved.into(), None);
    });
    let on_cancel = Callback::new(move |()| editing.set(false));
    let find_href = format!("/search?profile_id={}", profile.id);
    let editable = StoredValue::new(profile.clone());
    let (gender, birth, added) = (
        profile.gender,
        profile.birth_date.clone(),
        profile.created_at.clone(),
    );
    let facts: [Fact; 3] = [
        (
            |t| t.gender,
            "profile-gender",
            Signal::derive(move || gender_label(i18n.lang(), gender).to_string()),
        ),
        (
            |t| t.born,
            "profile-birth_date",
            Signal::derive(move || birth_label(i18n.lang(), birth.as_deref())),
        ),
        (
            |t| t.added,
            "profile-added",
            Signal::derive(move || display::uploaded_at(i18n.lang(), &added)),
        ),
    ];

    view! {
        <Title text=name/>
        <section class="card profile-hero" data-testid="profile-hero" data-id=profile.id.clone()
            data-hidden=hidden.to_string()>
            <img class="profile-hero-crop" src=profile.crop_url.clone() width="120" height="120"
                alt=move || (i18n.t().face_of)(&name.get()) data-testid="profile-crop"/>
            <div class="profile-ident">
                <h1 class="profile-name" data-testid="profile-name"
                    class:unnamed=profile.full_name.is_none()>{name}</h1>
                {hidden.then(|| view! { <span class="tag tag-hidden" data-testid="profile-hidden">{tr!(i18n, hidden)}</span> })}
                {watch.then(|| view! { <span class="tag tag-watch" data-testid="profile-watched">{tr!(i18n, watched)}</span> })}
                <dl class="profile-facts">
                    {facts.into_iter().map(|(label, testid, value)| view! {
                        <div><dt>{move || label(i18n.t())}</dt><dd data-testid=testid>{value}</dd></div>
                    }).collect_view()}
                </dl>
                <Show when=move || editing.get()>
                    <ProfileEditor profile=editable.get_value() on_saved on_cancel/>
                </Show>
                <Show when=move || !editing.get()>
                    <div class="actions actions-start">
                        <button type="button" class="btn btn-small" data-testid="edit-profile"
                            on:click=move |_| editing.set(true)>{tr!(i18n, edit)}</button>
                        <button type="button" class="btn btn-small" data-testid="toggle-hidden"
                            disabled=move || busy.get() on:click=toggle_hidden.clone()
                            title=tr!(i18n, hide_title)>
                            {move || if hidden { i18n.t().unhide } else { i18n.t().hide }}
                        </button>
                        <button type="button" class="btn btn-small" data-testid="toggle-watch"
                            disabled=move || busy.get() on:click=toggle_watch.clone()
                            title=tr!(i18n, watch_title)>
                            {move || if watch { i18n.t().unwatch } else { i18n.t().watch }}
                        </button>
                        <a class="btn btn-small" href=find_href.clone()>{tr!(i18n, find_in_archive)}</a>
                    </div>
                </Show>
            </div>
        </section>
    }
    .into_any()
}

/// A click handler that flips one boolean field of the profile (`hidden`, `watch`) and tells
/// the page what changed (`done` picks the sentence).
fn flag_toggle(
    shared: Shared,
    busy: RwSignal<bool>,
    id: &str,
    (field, on): (&'static str, bool),
    done: fn(&Texts) -> &'static str,
) -> impl Fn(leptos::ev::MouseEvent) + Clone + 'static {
    let url = format!("/api/profiles/{id}");
    move |_| {
        busy.set(true);
        let url = url.clone();
        let (lang, t) = (shared.i18n.lang_untracked(), shared.i18n.t_untracked());
        spawn_local(async move {
            let body = serde_json::json!({ field: !on });
            let answer = rest::send::<Profile>(lang, "PATCH", &url, Some(&body)).await;
            // Before anything that may remove this view (and the signal with it).
            busy.try_set(false);
            match answer {
                Ok(_) => shared.changed(done(t).into(), None),
                Err(err) => shared.failed(t.change_profile_failed, err),
            }
        });
    }
}
