//! One profile as a card: face crop, name (linking to its page), gender, birth date, the
//! videos the person is seen in (each with a timeline), and Find in archive / Edit / Delete.

use super::editor::ProfileEditor;
use crate::api::delete_profile;
use crate::components::timeline::{seek_href, Timeline};
use crate::components::{confirm, display, error_text};
use crate::i18n::{tr, use_i18n, I18n, Lang};
use crate::model::{Profile, ProfileVideo};
use crate::validate::Gender;
use leptos::{html, prelude::*, task::spawn_local};

/// How many appearances of one video are listed before "+N more".
const APPEARANCES_SHOWN: usize = 4;

/// The name to show for a profile.
pub fn display_name(lang: Lang, profile: &Profile) -> String {
    profile
        .full_name
        .clone()
        .unwrap_or_else(|| lang.texts().unnamed.to_string())
}

/// The gender as a word for people.
pub fn gender_label(lang: Lang, gender: Option<Gender>) -> &'static str {
    match gender {
        Some(Gender::Male) => lang.texts().male,
        Some(Gender::Female) => lang.texts().female,
        None => display::UNKNOWN,
    }
}

/// A birth date (`YYYY-MM-DD`) as the language writes dates, or [`display::UNKNOWN`].
pub fn birth_label(lang: Lang, birth_date: Option<&str>) -> String {
    birth_date.map_or_else(|| display::UNKNOWN.into(), |d| lang.date(d))
}

/// One entry per video: its name linking to the first appearance, each appearance, and the
/// timeline of the appearances over the whole video.
fn video_line(i18n: I18n, video: ProfileVideo) -> impl IntoView {
    let more = video.appearances.len().saturating_sub(APPEARANCES_SHOWN);
    let times = video
        .appearances
        .iter()
        .take(APPEARANCES_SHOWN)
        .map(|a| {
            view! {
                <a class="time-link" href=seek_href(&video.video_id, a.start_s)
                    title=tr!(i18n, play_from_here)>{display::time_range(a.start_s, a.end_s)}</a>
            }
        })
        .collect_view();
    view! {
        <li>
            <a class="video-link" data-testid="profile-video-link" href=video.url.clone()
                title=video.filename.clone()>{video.filename.clone()}</a>
            <span class="times">
                {times}
                {(more > 0).then(|| view! { <span class="meta">{move || (i18n.t().more)(more)}</span> })}
            </span>
            {(!video.episodes.is_empty()).then(|| view! {
                <Timeline video_id=video.video_id.clone() duration_s=video.duration_s
                    episodes=video.episodes.clone()/>
            })}
        </li>
    }
    .into_any()
}

/// A profile card; it shows the form in place while being edited.
#[component]
pub fn ProfileCard(
    /// The profile as loaded.
    profile: Profile,
    /// Called with the id once the profile is deleted.
    on_deleted: Callback<String>,
    /// Called with a message when an action fails.
    on_error: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = profile.id.clone();
    let current = RwSignal::new(profile);
    let editing = RwSignal::new(false);
    let deleting = RwSignal::new(false);

    let delete = {
        let id = id.clone();
        move |_| {
            let lang = i18n.lang_untracked();
            let name = current.with_untracked(|p| display_name(lang, p));
            if !confirm(&(lang.texts().delete_profile_confirm)(&name)) {
                return;
            }
            deleting.set(true);
            let id = id.clone();
            spawn_local(async move {
                match delete_profile(id.clone()).await {
                    Ok(()) => on_deleted.run(id),
                    Err(err) => {
                        on_error.run((lang.texts().delete_failed)(&name, &error_text(lang, &err)));
                        deleting.try_set(false);
                    }
                }
            });
        }
    };
    let on_saved = Callback::new(move |saved: Profile| {
        current.set(saved);
        editing.set(false);
    });
    let on_cancel = Callback::new(move |()| editing.set(false));

    let find_href = format!("/search?profile_id={id}");
    let (videos, created_at) = current.with_untracked(|p| (p.videos.clone(), p.created_at.clone()));

    view! {
        <article class="profile-card card" data-testid="profile-card" data-id=id.clone()
            id=format!("profile-{id}")
            class:editing=move || editing.get() class:deleting=move || deleting.get()>
            <div class="profile-head">
                <CardCrop current/>
                <CardIdentity current/>
            </div>
            <Show when=move || editing.get()>
                <ProfileEditor profile=current.get_untracked() on_saved on_cancel/>
            </Show>
            <CardVideos videos/>
            <footer class="profile-footer">
                <span class="meta" title=tr!(i18n, added_title)>
                    {move || (i18n.t().added_at)(&display::uploaded_at(i18n.lang(), &created_at))}
                </span>
                <Show when=move || !editing.get()>
                    <div class="actions">
                        <a class="btn btn-small" href=find_href.clone() data-testid="find-in-archive"
                            title=tr!(i18n, find_in_archive_title)>{tr!(i18n, find_in_archive)}</a>
                        <button type="button" class="btn btn-small" data-testid="edit-profile"
                            disabled=move || deleting.get() on:click=move |_| editing.set(true)>{tr!(i18n, edit)}</button>
                        <button type="button" class="btn btn-small btn-danger" data-testid="delete-profile"
                            disabled=move || deleting.get() on:click=delete.clone()>{tr!(i18n, delete)}</button>
                    </div>
                </Show>
            </footer>
        </article>
    }
    .into_any()
}

/// The face crop of a card, or a placeholder once it fails to load.
#[component]
fn CardCrop(
    /// The profile shown.
    current: RwSignal<Profile>,
) -> impl IntoView {
    let i18n = use_i18n();
    let crop_broken = RwSignal::new(false);
    let crop = NodeRef::<html::Img>::new();
    // A crop that failed before the page was hydrated fired its `error` unheard.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(img) = crop.get() {
            if img.complete() && img.natural_width() == 0 && !img.src().is_empty() {
                crop_broken.set(true);
            }
        }
    });
    let crop_url = current.with_untracked(|p| p.crop_url.clone());
    let name = move || current.with(|p| display_name(i18n.lang(), p));
    view! {
        <div class="profile-crop">
            <Show when=move || !crop_broken.get() fallback=|| view! {
                <svg class="crop-placeholder" viewBox="0 0 24 24" aria-hidden="true">
                    <circle cx="12" cy="9" r="4"/><path d="M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7"/>
                </svg>
            }>
                <img src=crop_url.clone() loading="lazy" width="96" height="96" node_ref=crop
                    data-testid="profile-crop"
                    alt=move || (i18n.t().face_of)(&name())
                    on:error=move |_| crop_broken.set(true)/>
            </Show>
        </div>
    }
}

/// The name (linking to the profile's page), the hidden tag, gender and birth date.
#[component]
fn CardIdentity(
    /// The profile shown.
    current: RwSignal<Profile>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = current.with_untracked(|p| p.id.clone());
    let name = move || current.with(|p| display_name(i18n.lang(), p));
    view! {
        <div class="profile-ident">
            <h3 class="profile-name" data-testid="profile-name"
                class:unnamed=move || current.with(|p| p.full_name.is_none())>
                <a href=format!("/profiles/{id}") data-testid="profile-link"
                    title=tr!(i18n, open_profile_title)>{name}</a>
            </h3>
            {move || current.with(|p| p.hidden).then(|| view! {
                <span class="tag tag-hidden" data-testid="profile-hidden">{tr!(i18n, hidden)}</span>
            })}
            <dl class="profile-facts">
                <div>
                    <dt>{tr!(i18n, gender)}</dt>
                    <dd data-testid="profile-gender">{move || current.with(|p| gender_label(i18n.lang(), p.gender))}</dd>
                </div>
                <div>
                    <dt>{tr!(i18n, born)}</dt>
                    <dd data-testid="profile-birth_date" data-value=move || current.with(|p| p.birth_date.clone())>
                        {move || current.with(|p| birth_label(i18n.lang(), p.birth_date.as_deref()))}
                    </dd>
                </div>
            </dl>
        </div>
    }
}

/// The videos the person is seen in, each with its appearances and timeline.
#[component]
fn CardVideos(
    /// The profile's videos, as loaded.
    videos: Vec<ProfileVideo>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="profile-videos">
            <h4>{tr!(i18n, seen_in)}</h4>
            {if videos.is_empty() {
                view! { <p class="meta">{tr!(i18n, videos_deleted)}</p> }.into_any()
            } else {
                view! { <ul>{videos.into_iter().map(|v| video_line(i18n, v)).collect_view()}</ul> }.into_any()
            }}
        </div>
    }
}
