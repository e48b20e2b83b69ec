//! The people a profile is made of, grouped by the video they were found in; each can be
//! taken out ("Not this person") or made into a profile of its own.

use super::{rest, Shared};
use crate::components::person::PersonSummary;
use crate::i18n::tr;
use crate::model::{PeoplePage, Profile, VideoPerson};
use leptos::{prelude::*, task::spawn_local};

/// Most people listed (a profile seldom has more than a few per video).
const LIMIT: usize = 500;

/// The people of one video.
#[derive(Debug, Clone, PartialEq)]
pub struct VideoGroup {
    /// The video's file name.
    pub filename: String,
    /// Its people, in the order the server gave them.
    pub people: Vec<VideoPerson>,
}

/// Group people by video, videos in order of their first person.
pub fn by_video(people: Vec<VideoPerson>) -> Vec<VideoGroup> {
    let mut groups: Vec<(String, VideoGroup)> = Vec::new();
    for person in people {
        match groups.iter_mut().find(|(id, _)| *id == person.video_id) {
            Some((_, group)) => group.people.push(person),
            None => groups.push((
                person.video_id.clone(),
                VideoGroup {
                    filename: person.filename.clone(),
                    people: vec![person],
                },
            )),
        }
    }
    groups.into_iter().map(|(_, g)| g).collect()
}

/// Loads the people of the profile and lists them by video.
#[component]
pub fn Gallery(shared: Shared) -> impl IntoView {
    let i18n = shared.i18n;
    let people = LocalResource::new(move || {
        let (id, _) = (shared.id.get(), shared.version.get());
        let lang = i18n.lang_untracked();
        async move {
            rest::get::<PeoplePage>(lang, &format!("/api/profiles/{id}/people?limit={LIMIT}")).await
        }
    });
    let busy = RwSignal::new(false);
    view! {
        <section class="card gallery" aria-labelledby="gallery-heading" data-testid="gallery">
            <h2 id="gallery-heading">{tr!(i18n, seen_in)}</h2>
            <Transition fallback=move || view! { <p class="empty">{tr!(i18n, loading_its_people)}</p> }>
                {move || Suspend::new(async move {
                    match people.await {
                        Ok(page) if page.items.is_empty() => view! {
                            <p class="empty">{tr!(i18n, no_person_in_profile)}</p>
                        }.into_any(),
                        Ok(page) => by_video(page.items).into_iter().map(|group| view! {
                            <div class="gallery-video" data-testid="gallery-video">
                                <h3 class="gallery-video-name">{group.filename}</h3>
                                {group.people.into_iter().map(|person| {
                                    let id = person.id.clone();
                                    view! { <PersonSummary person><PersonActions id=id.clone() shared busy/></PersonSummary> }
                                }).collect_view()}
                            </div>
                        }).collect_view().into_any(),
                        Err(err) => view! { <p class="alert alert-error">{move || (i18n.t().load_its_people_failed)(&err)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}

/// "Not this person" and "Make a separate profile" for person `id`.
#[component]
fn PersonActions(id: String, shared: Shared, busy: RwSignal<bool>) -> impl IntoView {
    let i18n = shared.i18n;
    let url = StoredValue::new(format!("/api/people/{id}/profile"));
    let unassign = move |_| {
        busy.set(true);
        let (lang, t) = (i18n.lang_untracked(), i18n.t_untracked());
        spawn_local(async move {
            let body = serde_json::json!({ "profile_id": null });
            let answer =
                rest::send::<VideoPerson>(lang, "PUT", &url.get_value(), Some(&body)).await;
            // Before anything that may remove this view (and the signal with it).
            busy.try_set(false);
            match answer {
                Ok(_) => shared.changed(t.taken_out.into(), Some("/people".into())),
                Err(err) => shared.failed(t.take_out_failed, err),
            }
        });
    };
    let separate = move |_| {
        busy.set(true);
        let (lang, t) = (i18n.lang_untracked(), i18n.t_untracked());
        spawn_local(async move {
            let answer = rest::send::<Profile>(lang, "POST", &url.get_value(), None::<&()>).await;
            // Before anything that may remove this view (and the signal with it).
            busy.try_set(false);
            match answer {
                Ok(profile) => shared.changed(
                    t.own_profile.into(),
                    Some(format!("/profiles/{}", profile.id)),
                ),
                Err(err) => shared.failed(t.separate_failed, err),
            }
        });
    };
    view! {
        <button type="button" class="btn btn-small" data-testid="not-this-person"
            disabled=move || busy.get() on:click=unassign
            title=tr!(i18n, not_this_person_title)>{tr!(i18n, not_this_person)}</button>
        <button type="button" class="btn btn-small" data-testid="separate-profile"
            disabled=move || busy.get() on:click=separate
            title=tr!(i18n, separate_profile_title)>{tr!(i18n, separate_profile)}</button>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: &str, video: &str) -> VideoPerson {
        VideoPerson {
            id: id.into(),
            video_id: video.into(),
            filename: format!("{video}.mp4"),
            duration_s: None,
            crop_url: String::new(),
            episodes: Vec::new(),
            profile_id: None,
        }
    }

    #[test]
    fn people_are_grouped_by_video_in_order() {
        let groups = by_video(vec![
            person("a", "v1"),
            person("b", "v2"),
            person("c", "v1"),
        ]);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].filename, "v1.mp4");
        let ids: Vec<&str> = groups[0].people.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["a", "c"]);
        assert_eq!(groups[1].people[0].id, "b");
    }
}
