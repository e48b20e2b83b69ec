//! One person found in a video: its head crop, the video's name and the stretches it is
//! seen in, each linking to the video page playing from there. Actions come as children.

use super::display;
use super::timeline::seek_href;
use crate::i18n::{tr, use_i18n};
use crate::model::VideoPerson;
use leptos::prelude::*;

/// How many stretches are listed before "+N more".
const EPISODES_SHOWN: usize = 6;

/// The crop, the video link and the time links of `person`, then `children` (its buttons).
#[component]
pub fn PersonSummary(
    /// The person.
    person: VideoPerson,
    /// Buttons shown under the times.
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let more = person.episodes.len().saturating_sub(EPISODES_SHOWN);
    let first = person.episodes.first().map(|e| e.start_s).unwrap_or(0.0);
    let times = person
        .episodes
        .iter()
        .take(EPISODES_SHOWN)
        .map(|e| {
            view! {
                <a class="time-link" href=seek_href(&person.video_id, e.start_s) data-testid="person-time"
                    title=tr!(i18n, play_from_here)>{display::time_range(e.start_s, e.end_s)}</a>
            }
        })
        .collect_view();
    view! {
        <article class="person card" data-testid="person" data-id=person.id.clone()
            data-video-id=person.video_id.clone()>
            <img class="person-crop" src=person.crop_url.clone() loading="lazy" width="72" height="72"
                alt={
                    let filename = person.filename.clone();
                    move || (i18n.t().person_in)(&filename)
                } data-testid="person-crop"/>
            <div class="person-body">
                <a class="video-link" href=seek_href(&person.video_id, first) data-testid="person-video"
                    title=person.filename.clone()>{person.filename.clone()}</a>
                <span class="times">
                    {times}
                    {(more > 0).then(|| view! { <span class="meta">{move || (i18n.t().more)(more)}</span> })}
                </span>
                <div class="person-actions">{children()}</div>
            </div>
        </article>
    }
    .into_any()
}
