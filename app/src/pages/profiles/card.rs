//! One profile as a card: face crop, name (linking to its page), gender, birth date, the
//! videos the person is seen in (each with a timeline), and Find in archive / Edit / Delete.

use super::editor::ProfileEditor;
use crate::api::delete_profile;
use crate::components::timeline::{seek_href, Timeline};
use crate::components::{confirm, display, error_text};
use crate::model::{Profile, ProfileVideo};
use crate::validate::Gender;
use leptos::{html, prelude::*, task::spawn_local};

/// How many appearances of one video are listed before "+N more".
const APPEARANCES_SHOWN: usize = 4;

/// The name to show for a profile.
pub fn display_name(profile: &Profile) -> String {
    profile
        .full_name
        .clone()
        .unwrap_or_else(|| "Unnamed person".to_string())
}

/// The gender as a word for people.
pub fn gender_label(gender: Option<Gender>) -> &'static str {
    match gender {
        Some(Gender::Male) => "Male",
        Some(Gender::Female) => "Female",
        None => display::UNKNOWN,
    }
}

/// One entry per video: its name linking to the first appearance, each appearance, and the
/// timeline of the appearances over the whole video.
fn video_line(video: ProfileVideo) -> impl IntoView {
    let more = video.appearances.len().saturating_sub(APPEARANCES_SHOWN);
    let times = video
        .appearances
        .iter()
        .take(APPEARANCES_SHOWN)
        .map(|a| {
            view! {
                <a class="time-link" href=seek_href(&video.video_id, a.start_s)
                    title="Play from here">{display::time_range(a.start_s, a.end_s)}</a>
            }
        })
        .collect_view();
    view! {
        <li>
            <a class="video-link" data-testid="profile-video-link" href=video.url.clone()
                title=video.filename.clone()>{video.filename.clone()}</a>
            <span class="times">
                {times}
                {(more > 0).then(|| view! { <span class="meta">{format!("+{more} more")}</span> })}
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
    let id = profile.id.clone();
    let current = RwSignal::new(profile);
    let editing = RwSignal::new(false);
    let deleting = RwSignal::new(false);
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

    let delete = {
        let id = id.clone();
        move |_| {
            let name = current.with_untracked(display_name);
            if !confirm(&format!(
                "Delete the profile of {name}? Its face crop is deleted too."
            )) {
                return;
            }
            deleting.set(true);
            let id = id.clone();
            spawn_local(async move {
                match delete_profile(id.clone()).await {
                    Ok(()) => on_deleted.run(id),
                    Err(err) => {
                        on_error.run(format!("Could not delete {name}: {}", error_text(&err)));
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

    let name = move || current.with(display_name);
    let find_href = format!("/search?profile_id={id}");
    let (crop_url, videos, added) = current.with_untracked(|p| {
        (
            p.crop_url.clone(),
            p.videos.clone(),
            display::uploaded_at(&p.created_at),
        )
    });

    view! {
        <article class="profile-card card" data-testid="profile-card" data-id=id.clone()
            id=format!("profile-{id}")
            class:editing=move || editing.get() class:deleting=move || deleting.get()>
            <div class="profile-head">
                <div class="profile-crop">
                    <Show when=move || !crop_broken.get() fallback=|| view! {
                        <svg class="crop-placeholder" viewBox="0 0 24 24" aria-hidden="true">
                            <circle cx="12" cy="9" r="4"/><path d="M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7"/>
                        </svg>
                    }>
                        <img src=crop_url.clone() loading="lazy" width="96" height="96" node_ref=crop
                            data-testid="profile-crop"
                            alt=move || format!("Face of {}", name())
                            on:error=move |_| crop_broken.set(true)/>
                    </Show>
                </div>
                <div class="profile-ident">
                    <h3 class="profile-name" data-testid="profile-name"
                        class:unnamed=move || current.with(|p| p.full_name.is_none())>
                        <a href=format!("/profiles/{id}") data-testid="profile-link"
                            title="Open the profile: its people, merges and history">{name}</a>
                    </h3>
                    {move || current.with(|p| p.hidden).then(|| view! {
                        <span class="tag tag-hidden" data-testid="profile-hidden">"Hidden"</span>
                    })}
                    <dl class="profile-facts">
                        <div>
                            <dt>"Gender"</dt>
                            <dd data-testid="profile-gender">{move || current.with(|p| gender_label(p.gender))}</dd>
                        </div>
                        <div>
                            <dt>"Born"</dt>
                            <dd data-testid="profile-birth_date">
                                {move || current.with(|p| p.birth_date.clone()).unwrap_or_else(|| display::UNKNOWN.into())}
                            </dd>
                        </div>
                    </dl>
                </div>
            </div>
            <Show when=move || editing.get()>
                <ProfileEditor profile=current.get_untracked() on_saved on_cancel/>
            </Show>
            <div class="profile-videos">
                <h4>"Seen in"</h4>
                {if videos.is_empty() {
                    view! { <p class="meta">"Its videos have been deleted."</p> }.into_any()
                } else {
                    view! { <ul>{videos.into_iter().map(video_line).collect_view()}</ul> }.into_any()
                }}
            </div>
            <footer class="profile-footer">
                <span class="meta" title="When the person was first found">{format!("Added {added}")}</span>
                <Show when=move || !editing.get()>
                    <div class="actions">
                        <a class="btn btn-small" href=find_href.clone() data-testid="find-in-archive"
                            title="Search the archive for this person">"Find in archive"</a>
                        <button type="button" class="btn btn-small" data-testid="edit-profile"
                            disabled=move || deleting.get() on:click=move |_| editing.set(true)>"Edit"</button>
                        <button type="button" class="btn btn-small btn-danger" data-testid="delete-profile"
                            disabled=move || deleting.get() on:click=delete.clone()>"Delete"</button>
                    </div>
                </Show>
            </footer>
        </article>
    }
    .into_any()
}
