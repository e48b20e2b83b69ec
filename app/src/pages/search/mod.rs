//! The search page: the people of the archive who look like a face in a photo, or like a
//! profile (`/search?profile_id=…`).

mod face_picker;
mod outcome;
mod photo_drop;
mod profile_cell;
mod query_face;
// Only the browser sends requests; the server renders the page idle.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
mod request;
mod result_row;
mod results;

use crate::i18n::{tr, use_i18n};
use crate::model::PhotoFace;
use face_picker::FacePicker;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use outcome::{Outcome, Phase};
use photo_drop::PhotoDrop;
use query_face::QueryPicture;
use request::{Photo, Source};

/// Find a person in the archive by a photo or by a profile.
#[component]
pub fn SearchPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let profile_id = Memo::new(move |_| {
        query
            .with(|q| q.get("profile_id"))
            .filter(|id| !id.is_empty())
    });
    let source = RwSignal::new(profile_id.get_untracked().map(Source::Profile));
    let phase = RwSignal::new(match profile_id.get_untracked() {
        Some(_) => Phase::Searching,
        None => Phase::Idle,
    });
    let faces = RwSignal::new(Vec::<PhotoFace>::new());
    let chosen = RwSignal::new(None::<usize>);
    let photo_size = RwSignal::new(None::<(f64, f64)>);
    let last = StoredValue::new((None::<usize>, 0_u64)); // face asked for, request number
    let hydrated = RwSignal::new(false);

    // Ask the server; an answer to an older request than the last one is dropped.
    let run = move |face: Option<usize>, force: bool| {
        let Some(current) = source.get_untracked() else {
            return;
        };
        let number = last.with_value(|(_, n)| n + 1);
        last.set_value((face, number));
        phase.set(Phase::Searching);
        #[cfg(feature = "hydrate")]
        request::search(
            i18n.lang_untracked(),
            &current,
            face,
            force,
            move |outcome| {
                if last.with_value(|(_, n)| *n) != number {
                    return;
                }
                phase.set(match outcome {
                    Ok(result) => {
                        faces.set(result.faces_in_photo.clone());
                        chosen.set(result.face);
                        Phase::Found(result)
                    }
                    Err(request::SearchError::Photo(message)) => Phase::Refused {
                        message,
                        forced: force,
                    },
                    Err(request::SearchError::Other(message)) => Phase::Failed(message),
                });
            },
        );
        #[cfg(not(feature = "hydrate"))]
        let _ = (current, force);
    };

    #[cfg(feature = "hydrate")]
    Effect::new(move |_| hydrated.set(true));
    // Follow `?profile_id=`: search by that profile, or go back to idle when it is gone.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| match profile_id.get() {
        Some(id) => {
            source.set(Some(Source::Profile(id)));
            run(None, false);
        }
        None if matches!(source.get_untracked(), Some(Source::Profile(_))) => {
            source.set(None);
            phase.set(Phase::Idle);
        }
        None => {}
    });

    let on_photo = Callback::new(move |photo: Photo| {
        if let Some(Source::Photo(old)) = source.get_untracked() {
            photo_drop::forget(&old);
        }
        faces.set(Vec::new());
        chosen.set(None);
        photo_size.set(None);
        source.set(Some(Source::Photo(photo)));
        run(None, false);
    });
    let on_pick = Callback::new(move |face: usize| run(Some(face), false));
    let search_anyway = move |()| run(last.with_value(|(face, _)| *face), true);
    let searching = Signal::derive(move || phase.with(|p| *p == Phase::Searching));
    let picture = move || match (source.get()?, phase.get()) {
        (Source::Profile(id), _) => Some(QueryPicture::Profile(id)),
        (Source::Photo(photo), Phase::Found(r)) => Some(QueryPicture::Photo {
            url: photo.url,
            face: *r.faces_in_photo.get(r.face?)?,
        }),
        _ => None,
    };

    view! {
        <Title text=tr!(i18n, nav_search)/>
        <div class="page" data-testid="search" data-hydrated=move || hydrated.get().to_string()>
            <header class="page-header">
                <h1>{tr!(i18n, search_title)}</h1>
                <p class="subtitle">{tr!(i18n, search_subtitle)}</p>
            </header>
            <div class="search-layout">
                <section class="card search-query" aria-label=tr!(i18n, photo_label)>
                    <PhotoDrop on_photo busy=searching/>
                    {move || match source.get() {
                        Some(Source::Photo(photo)) => view! {
                            <FacePicker url=photo.url faces chosen size=photo_size on_pick busy=searching/>
                        }.into_any(),
                        Some(Source::Profile(id)) => view! {
                            <p class="hint search-by-profile">
                                <img src=format!("/api/profiles/{id}/crop") alt="" width="40" height="40"/>
                                {tr!(i18n, searching_with_profile)}
                            </p>
                        }.into_any(),
                        None => ().into_any(),
                    }}
                </section>
                <section class="search-results" aria-label=tr!(i18n, matches_label) aria-live="polite">
                    <Outcome phase search_anyway=Callback::new(search_anyway) picture=Signal::derive(picture) photo_size/>
                </section>
            </div>
        </div>
    }
    .into_any()
}
