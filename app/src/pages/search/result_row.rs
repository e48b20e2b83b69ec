//! One match: the face searched for beside the person found, how alike they are, the video
//! with a timeline of the person's appearances, and the person's profile.

use super::profile_cell::ProfileCell;
use super::query_face::{QueryFace, QueryPicture};
use super::results::percent;
use crate::components::timeline::Timeline;
use crate::i18n::{tr, use_i18n};
use crate::model::SearchMatch;
use leptos::prelude::*;

/// A row of the match list.
#[component]
pub fn ResultRow(
    /// The match.
    found: SearchMatch,
    /// What was searched with.
    picture: Signal<Option<QueryPicture>>,
    /// The photo's size in pixels, once known.
    photo_size: Signal<Option<(f64, f64)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let SearchMatch {
        similarity,
        person,
        profile,
    } = found;
    let video_href = format!("/videos/{}", person.video_id);
    let (person_id, video_id, filename) = (person.id, person.video_id, person.filename);
    let query = move || {
        picture
            .get()
            .map(|picture| view! { <QueryFace picture photo_size/> })
    };

    view! {
        <li class="card match" data-testid="match" data-person=person_id.clone()
            data-video=video_id.clone() data-filename=filename.clone()>
            <div class="match-faces">
                {query}
                <img class="face-thumb" src=person.crop_url alt=tr!(i18n, person_found) width="72" height="72"
                    loading="lazy" data-testid="match-crop"/>
            </div>
            <div class="match-main">
                <div class="match-head">
                    <span class="similarity" data-testid="similarity" data-value=similarity.to_string()
                        title=tr!(i18n, two_faces_similarity)>{percent(similarity)}</span>
                    <a class="filename" href=video_href title=filename.clone()
                        data-testid="match-file">{filename.clone()}</a>
                </div>
                <Timeline video_id=video_id.clone() duration_s=person.duration_s episodes=person.episodes/>
            </div>
            <ProfileCell person_id=person_id.clone() profile/>
        </li>
    }
    .into_any()
}
