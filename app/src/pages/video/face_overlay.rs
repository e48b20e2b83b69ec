//! The face boxes of the frame on screen, drawn over the playing video and labelled with
//! their person's name. Boxes are fetched in windows of a minute around the playing
//! position (the next one ahead of time) once the video's processing has ended.
//!
//! An SVG as large as the `<video>` element with the frame's own pixel `viewBox`, fitted
//! like the video (`object-fit: contain` = `xMidYMid meet`), so that boxes land on faces
//! whatever the letterboxing.

use super::face_boxes::{shown_frame, tolerance, Windows};
use super::playback::Playback;
use crate::components::person_lanes::person_label;
use crate::i18n::{tr, use_i18n};
use crate::model::{FaceBox, TimelinePerson, VideoStatus};
use leptos::prelude::*;

/// Draws the boxes of the frame at the player's position.
#[component]
pub fn FaceOverlay(
    /// The video's id.
    video_id: String,
    /// Its status: boxes exist once its processing ended.
    status: Signal<VideoStatus>,
    /// Its frame rate (how long a frame's boxes stay up).
    fps: Signal<Option<f64>>,
    /// Its length, seconds (no window is fetched past it).
    duration_s: Signal<Option<f64>>,
    /// Its people, for the labels.
    people: Signal<Vec<TimelinePerson>>,
    /// The player.
    playback: Playback,
    /// Whether boxes are shown.
    show: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let windows = RwSignal::new(Windows::new());
    #[cfg(feature = "hydrate")]
    fetch_windows(video_id, status, duration_s, playback, windows);
    #[cfg(not(feature = "hydrate"))]
    let _ = (video_id, status, duration_s);
    let frame = Memo::new(move |_| {
        let (t, tol) = (playback.time.get(), tolerance(fps.get()));
        windows.with(|w| shown_frame(w, t, tol))
    });
    let size = Memo::new(move |_| windows.with(|w| w.values().next().map(|b| (b.width, b.height))));
    let view_box = move || size.get().map(|(w, h)| format!("0 0 {w} {h}"));
    let boxes = move || {
        let (frame, (_, height)) = (frame.get().filter(|_| show.get())?, size.get()?);
        let font = (height as f64 / 30.0).max(8.0);
        let drawn = frame.boxes.into_iter().map(|b| {
            let label = b.person.map(|ordinal| {
                people.with(|all| match all.iter().find(|p| p.ordinal == ordinal) {
                    Some(person) => person_label(i18n.t(), person),
                    None => (i18n.t().person_n)(ordinal + 1),
                })
            });
            face_box(b, label, font)
        });
        Some(drawn.collect_view())
    };
    view! {
        <svg class="face-overlay" data-testid="face-overlay" viewBox=view_box
            preserveAspectRatio="xMidYMid meet" role="img" aria-label=tr!(i18n, face_boxes_label)>
            {boxes}
        </svg>
    }
    .into_any()
}

/// One box, with its label above it (below it at the top of the frame); a face that is no
/// person's is drawn dimmer and unlabelled.
fn face_box(b: FaceBox, label: Option<String>, font: f64) -> impl IntoView {
    let class = match b.person {
        Some(_) => "overlay-box",
        None => "overlay-box overlay-box-unknown",
    };
    let baseline = if b.y as f64 > font * 1.2 {
        b.y as f64 - font * 0.3
    } else {
        (b.y + b.h) as f64 + font
    };
    view! {
        <g class=class data-testid="face-box" data-person=b.person>
            <rect x=b.x y=b.y width=b.w height=b.h vector-effect="non-scaling-stroke"/>
            {label.map(|label| view! {
                <text x=b.x y=format!("{baseline:.1}") font-size=format!("{font:.1}")>{label}</text>
            })}
        </g>
    }
}

/// Keeps the windows around the playing position fetched, once processing has ended; a
/// change of status (a re-processing) forgets them.
#[cfg(feature = "hydrate")]
fn fetch_windows(
    video_id: String,
    status: Signal<VideoStatus>,
    duration_s: Signal<Option<f64>>,
    playback: Playback,
    windows: RwSignal<Windows>,
) {
    use super::face_boxes::{window_query, windows_wanted};
    use crate::model::FaceBoxes;
    use crate::pages::rest;
    use leptos::task::spawn_local;
    use std::collections::HashSet;

    let i18n = use_i18n();
    let asked = StoredValue::new(HashSet::<u32>::new());
    // Bumped when the windows are forgotten, so that an answer to an older ask is dropped.
    let generation = StoredValue::new((None::<VideoStatus>, 0u32));
    let wanted = Memo::new(move |_| windows_wanted(playback.time.get(), duration_s.get()));
    Effect::new(move |_| {
        let status = status.get();
        if generation.with_value(|g| g.0 != Some(status)) {
            generation.update_value(|g| *g = (Some(status), g.1 + 1));
            asked.update_value(HashSet::clear);
            windows.update(|w| w.clear());
        }
        if !status.is_final() {
            return;
        }
        for k in wanted.get() {
            if !asked.try_update_value(|a| a.insert(k)).unwrap_or(false) {
                continue;
            }
            let url = format!("/api/videos/{video_id}/boxes?{}", window_query(k));
            let asked_in = generation.with_value(|g| g.1);
            spawn_local(async move {
                let answer = rest::get::<FaceBoxes>(i18n.lang_untracked(), &url).await;
                if let Ok(boxes) = answer {
                    if generation.try_with_value(|g| g.1) == Some(asked_in) {
                        windows.try_update(|w| {
                            w.insert(k, boxes);
                        });
                    }
                }
            });
        }
    });
}

/// The "Show face boxes" switch under the player.
#[component]
pub fn FaceBoxToggle(
    /// Whether boxes are shown.
    show: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="checkbox face-box-toggle">
            <input type="checkbox" data-testid="show-face-boxes" bind:checked=show/>
            <span>{tr!(i18n, show_face_boxes)}</span>
        </label>
    }
}
