//! "Look instead of read": the video's faces per second as a chart and its people as lanes
//! under it, on one time axis; a click plays from there. While the video is processed the
//! timeline is fetched again as frames are scanned (at most every two seconds), so the
//! chart grows as the numbers do.

use super::playback::Playback;
use crate::components::activity_chart::{chart_length, ActivityChart};
use crate::components::person_lanes::PersonLanes;
use crate::i18n::{tr, use_i18n};
use crate::model::{TimelinePerson, Video, VideoTimeline};
use leptos::prelude::*;

/// Shortest time between two fetches of the timeline, milliseconds.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const REFETCH_MS: f64 = 2000.0;

/// A video's timeline as last fetched, and why the last fetch failed.
#[derive(Debug, Clone, Copy)]
pub struct FollowedTimeline {
    /// The timeline, once fetched.
    pub timeline: RwSignal<Option<VideoTimeline>>,
    /// The last fetch's failure, if it failed.
    pub error: RwSignal<Option<String>>,
}

impl FollowedTimeline {
    /// The people of the timeline (none before it is fetched).
    pub fn people(self) -> Signal<Vec<TimelinePerson>> {
        let timeline = self.timeline;
        Signal::derive(move || {
            timeline.with(|t| t.as_ref().map(|t| t.people.clone()).unwrap_or_default())
        })
    }
}

/// Fetches the timeline of `current` in the browser, and again when its frames processed or
/// its status change, at most every [`REFETCH_MS`] (changes meanwhile make one more fetch).
pub fn follow_timeline(current: Memo<Video>) -> FollowedTimeline {
    let followed = FollowedTimeline {
        timeline: RwSignal::new(None),
        error: RwSignal::new(None),
    };
    #[cfg(feature = "hydrate")]
    {
        use crate::pages::rest;
        use leptos::task::spawn_local;
        use std::time::Duration;

        let i18n = use_i18n();
        let url = format!(
            "/api/videos/{}/timeline",
            current.with_untracked(|v| v.id.clone())
        );
        // (time of the next allowed fetch, whether one is waiting, fetches sent, last applied)
        let state = StoredValue::new((0.0f64, false, 0u64, 0u64));
        let fetch = move || {
            let Some(sent) = state.try_update_value(|s| {
                s.2 += 1;
                s.2
            }) else {
                return;
            };
            let url = url.clone();
            spawn_local(async move {
                let answer = rest::get::<VideoTimeline>(i18n.lang_untracked(), &url).await;
                // An answer overtaken by a later one is dropped.
                if state.try_with_value(|s| s.3 > sent) != Some(false) {
                    return;
                }
                state.update_value(|s| s.3 = sent);
                match answer {
                    Ok(timeline) => {
                        followed.timeline.try_set(Some(timeline));
                        followed.error.try_set(None);
                    }
                    Err(err) => {
                        followed.error.try_set(Some(err));
                    }
                }
            });
        };
        let progress = Memo::new(move |_| current.with(|v| (v.frames_processed, v.status)));
        Effect::new(move |_| {
            // Read, not only tracked: a memo nobody reads is never computed.
            let _changed = progress.get();
            if state.with_value(|s| s.1) {
                return; // the waiting fetch will see this change
            }
            let wait = (state.with_value(|s| s.0) - js_sys::Date::now()).max(0.0);
            state.update_value(|s| s.1 = true);
            let fetch = fetch.clone();
            set_timeout(
                move || {
                    let now = js_sys::Date::now();
                    if state
                        .try_update_value(|s| *s = (now + REFETCH_MS, false, s.2, s.3))
                        .is_some()
                    {
                        fetch();
                    }
                },
                Duration::from_millis(wait as u64),
            );
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = current;
    followed
}

/// The chart and the lanes of a video.
#[component]
pub fn LookSection(
    /// The video's id.
    video_id: String,
    /// The video as it is now.
    current: Memo<Video>,
    /// Its timeline.
    followed: FollowedTimeline,
    /// The player the clicks move.
    playback: Playback,
) -> impl IntoView {
    let i18n = use_i18n();
    let timeline = followed.timeline;
    let counts = Signal::derive(move || {
        timeline.with(|t| {
            t.as_ref()
                .map(|t| t.faces_per_second.clone())
                .unwrap_or_default()
        })
    });
    let length_s = Signal::derive(move || {
        let duration = timeline.with(|t| t.as_ref().and_then(|t| t.duration_s));
        let duration = duration.or_else(|| current.with(|v| v.duration_s));
        counts.with(|c| chart_length(duration, c))
    });
    let on_seek = Callback::new(move |t: f64| playback.seek(t));
    let nothing_yet = move || {
        timeline.with(|t| {
            t.as_ref()
                .is_some_and(|t| t.faces_per_second.iter().all(|n| *n == 0))
        })
    };
    view! {
        <section class="card look-card" aria-labelledby="look-heading" data-testid="look">
            <h2 id="look-heading">{tr!(i18n, look_heading)}</h2>
            {move || followed.error.get().map(|err| view! {
                <p class="alert alert-error" role="alert">{move || (i18n.t().timeline_failed)(&err)}</p>
            })}
            <Show when=nothing_yet>
                <p class="meta" data-testid="no-faces-yet">{tr!(i18n, no_faces_yet)}</p>
            </Show>
            <ActivityChart counts length_s playhead=playback.time on_seek/>
            <PersonLanes video_id people=followed.people() length_s on_seek/>
        </section>
    }
    .into_any()
}
