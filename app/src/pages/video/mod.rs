//! One video's page: the player, opening at `?t=` seconds, and what was found in it.
//! While the video is still being processed, its numbers follow the event stream.

mod face_boxes;
mod face_overlay;
mod look;
mod playback;
mod player;
mod reprocess;

use crate::api::get_video;
use crate::components::{display, error_text, status_badge::StatusBadge};
use crate::i18n::Lang;
use crate::i18n::{tr, use_i18n};
use crate::model::Video;
#[cfg(feature = "hydrate")]
use crate::pages::videos::live;
use face_overlay::{FaceBoxToggle, FaceOverlay};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use look::{follow_timeline, LookSection};
use playback::Playback;
use player::VideoPlayer;
use reprocess::ReprocessButton;

/// The `?t=` value as a second to open at; anything else is ignored.
fn start_second(raw: Option<&str>) -> Option<f64> {
    raw.and_then(|t| t.trim().parse::<f64>().ok())
        .filter(|t| t.is_finite() && *t >= 0.0)
}

/// `/videos/:id?t=12.5`: watch a video from a person's appearance and read its numbers.
#[component]
pub fn VideoPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let start = Signal::derive(move || query.with(|q| start_second(q.get_str("t"))));
    let video = Resource::new(move || id.get(), get_video);
    view! {
        <div class="page">
            <nav class="breadcrumb">
                <a href="/">{tr!(i18n, back_all_videos)}</a>
            </nav>
            <Transition fallback=move || view! { <p class="empty">{tr!(i18n, loading_video)}</p> }>
                {move || Suspend::new(async move {
                    match video.await {
                        Ok(video) => view! { <VideoDetails video start/> }.into_any(),
                        Err(err) => view! {
                            <Title text=tr!(i18n, video_not_found)/>
                            <div class="card empty" data-testid="video-missing">
                                <p class="empty-title">{tr!(i18n, video_unavailable)}</p>
                                <p>{move || error_text(i18n.lang(), &err)}</p>
                                <p><a href="/">{tr!(i18n, back_to_videos)}</a></p>
                            </div>
                        }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
    .into_any()
}

/// The player and the numbers of one loaded video.
#[component]
fn VideoDetails(
    /// The video as loaded.
    video: Video,
    /// Second to open at.
    start: Signal<Option<f64>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let videos = RwSignal::new(vec![video.clone()]);
    // Follow the event stream while the video is (or is again) queued, processing or paused.
    let following = RwSignal::new(!video.status.is_final());
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        // `following` changes at most once, so the stream is opened at most once.
        if following.get() {
            live::subscribe(videos, RwSignal::new(live::Connection::Connecting));
        }
    });
    let on_queued = Callback::new(move |queued: Video| {
        videos.set(vec![queued]);
        if !following.get_untracked() {
            following.set(true);
        }
    });
    let current = Memo::new({
        let video = video.clone();
        move |prev: Option<&Video>| {
            videos
                .with(|list| list.iter().find(|v| v.id == video.id).cloned())
                .or_else(|| prev.cloned())
                .unwrap_or_else(|| video.clone())
        }
    });
    let status = Signal::derive(move || current.with(|v| v.status));
    let playback = Playback::new(start.get_untracked());
    let followed = follow_timeline(current);
    let show_boxes = RwSignal::new(true);
    let overlay = {
        let video_id = video.id.clone();
        ViewFn::from(move || {
            view! {
                <FaceOverlay video_id=video_id.clone() status playback show=show_boxes.into()
                    fps=Signal::derive(move || current.with(|v| v.fps))
                    duration_s=Signal::derive(move || current.with(|v| v.duration_s))
                    people=followed.people()/>
            }
        })
    };
    // Set once the browser has taken over the page (tests wait for it).
    let hydrated = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| hydrated.set(true));

    view! {
        <Title text=video.filename.clone()/>
        <header class="page-header video-header">
            <h1 class="video-title" data-testid="video-title">{video.filename.clone()}</h1>
            <StatusBadge status/>
            <ReprocessButton current on_queued/>
        </header>
        <div class="video-layout" data-testid="video-layout" data-hydrated=move || hydrated.get().to_string()>
            <section class="card player-card" aria-label=tr!(i18n, player_label)>
                <VideoPlayer video_id=video.id.clone() filename=video.filename.clone() start playback overlay/>
                <FaceBoxToggle show=show_boxes/>
            </section>
            <section class="card stats-card" aria-labelledby="stats-heading">
                <h2 id="stats-heading">{tr!(i18n, details)}</h2>
                <VideoStats current/>
                {move || current.with(|v| v.error.clone()).map(|error| view! {
                    <p class="alert alert-error" role="alert" data-testid="error">{error}</p>
                })}
            </section>
        </div>
        <LookSection video_id=video.id.clone() current followed playback/>
    }
    .into_any()
}

/// The numbers of a video, following its changes.
#[component]
fn VideoStats(
    /// The video as it is now.
    current: Memo<Video>,
) -> impl IntoView {
    let i18n = use_i18n();
    let stat = move |f: fn(Lang, &Video) -> String| move || current.with(|v| f(i18n.lang(), v));
    let or_unknown = |value: Option<String>| value.unwrap_or_else(|| display::UNKNOWN.into());
    view! {
        <dl class="stats" data-testid="video-stats">
            <div><dt>{tr!(i18n, col_status)}</dt><dd data-testid="stat-status">
                {move || current.with(|v| {
                    let label = display::status_label(i18n.lang(), v.status);
                    match v.status.is_final() {
                        true => label.to_string(),
                        false => format!("{label} · {}%", display::percent(v.progress)),
                    }
                })}
            </dd></div>
            <div><dt>{tr!(i18n, col_faces)}</dt><dd data-testid="stat-faces">{stat(|l, v| display::count(l, v.faces_total))}</dd></div>
            <div><dt>{tr!(i18n, most_in_frame)}</dt><dd>{stat(|l, v| display::count(l, v.max_faces_in_frame))}</dd></div>
            <div><dt>{tr!(i18n, col_people)}</dt><dd data-testid="stat-people">
                {stat(display::people)}
                {move || current.with(|v| v.create_profiles && v.people_count.unwrap_or(0) > 0)
                    .then(|| view! { <a class="stat-link" href="/profiles">{tr!(i18n, nav_profiles)}</a> })}
            </dd></div>
            <div><dt>{tr!(i18n, col_frames)}</dt><dd data-testid="stat-frames">{stat(display::frames)}</dd></div>
            <div><dt>{tr!(i18n, frames_with_faces)}</dt><dd>{stat(|l, v| display::count(l, v.frames_with_faces))}</dd></div>
            <div><dt>{tr!(i18n, resolution)}</dt><dd>{move || or_unknown(current.with(display::resolution))}</dd></div>
            <div><dt>{tr!(i18n, frame_rate)}</dt><dd>
                {move || or_unknown(current.with(|v| v.fps.filter(|f| *f > 0.0).map(|f| display::fps(i18n.lang(), f))))}
            </dd></div>
            <div><dt>{tr!(i18n, duration)}</dt><dd>
                {move || or_unknown(current.with(|v| v.duration_s.filter(|d| *d > 0.0).map(display::duration)))}
            </dd></div>
            <div><dt>{tr!(i18n, uploaded_label)}</dt><dd>{stat(|l, v| display::uploaded_at(l, &v.created_at))}</dd></div>
        </dl>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::start_second;

    #[test]
    fn start_comes_from_t() {
        assert_eq!(start_second(Some("12.5")), Some(12.5));
        assert_eq!(start_second(Some("0")), Some(0.0));
        for bad in [None, Some("-1"), Some("abc"), Some("NaN"), Some("inf")] {
            assert_eq!(start_second(bad), None);
        }
    }
}
