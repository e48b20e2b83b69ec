//! One video's page: the player, opening at `?t=` seconds, and what was found in it.
//! While the video is still being processed, its numbers follow the event stream.

mod player;
mod reprocess;

use crate::api::get_video;
use crate::components::{display, error_text, status_badge::StatusBadge};
use crate::model::Video;
#[cfg(feature = "hydrate")]
use crate::pages::videos::live;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
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
    let params = use_params_map();
    let query = use_query_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let start = Signal::derive(move || query.with(|q| start_second(q.get_str("t"))));
    let video = Resource::new(move || id.get(), get_video);
    view! {
        <div class="page">
            <nav class="breadcrumb">
                <a href="/">"← All videos"</a>
            </nav>
            <Transition fallback=|| view! { <p class="empty">"Loading the video…"</p> }>
                {move || Suspend::new(async move {
                    match video.await {
                        Ok(video) => view! { <VideoDetails video start/> }.into_any(),
                        Err(err) => view! {
                            <Title text="Video not found"/>
                            <div class="card empty" data-testid="video-missing">
                                <p class="empty-title">"This video is not available"</p>
                                <p>{error_text(&err)}</p>
                                <p><a href="/">"Back to all videos"</a></p>
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
            <section class="card player-card" aria-label="Player">
                <VideoPlayer video_id=video.id.clone() filename=video.filename.clone() start/>
            </section>
            <section class="card stats-card" aria-labelledby="stats-heading">
                <h2 id="stats-heading">"Details"</h2>
                <VideoStats current/>
                {move || current.with(|v| v.error.clone()).map(|error| view! {
                    <p class="alert alert-error" role="alert" data-testid="error">{error}</p>
                })}
            </section>
        </div>
    }
    .into_any()
}

/// The numbers of a video, following its changes.
#[component]
fn VideoStats(
    /// The video as it is now.
    current: Memo<Video>,
) -> impl IntoView {
    let stat = move |f: fn(&Video) -> String| move || current.with(f);
    let or_unknown = |value: Option<String>| value.unwrap_or_else(|| display::UNKNOWN.into());
    view! {
        <dl class="stats" data-testid="video-stats">
            <div><dt>"Status"</dt><dd data-testid="stat-status">
                {move || current.with(|v| match v.status.is_final() {
                    true => display::status_label(v.status).to_string(),
                    false => format!("{} · {}%", display::status_label(v.status), display::percent(v.progress)),
                })}
            </dd></div>
            <div><dt>"Faces"</dt><dd data-testid="stat-faces">{stat(|v| display::count(v.faces_total))}</dd></div>
            <div><dt>"Most in one frame"</dt><dd>{stat(|v| display::count(v.max_faces_in_frame))}</dd></div>
            <div><dt>"People"</dt><dd data-testid="stat-people">
                {stat(display::people)}
                {move || current.with(|v| v.create_profiles && v.people_count.unwrap_or(0) > 0)
                    .then(|| view! { <a class="stat-link" href="/profiles">"Profiles"</a> })}
            </dd></div>
            <div><dt>"Frames"</dt><dd data-testid="stat-frames">{stat(display::frames)}</dd></div>
            <div><dt>"Frames with faces"</dt><dd>{stat(|v| display::count(v.frames_with_faces))}</dd></div>
            <div><dt>"Resolution"</dt><dd>{move || or_unknown(current.with(display::resolution))}</dd></div>
            <div><dt>"Frame rate"</dt><dd>
                {move || or_unknown(current.with(|v| v.fps.filter(|f| *f > 0.0).map(|f| format!("{} fps", display::rate(f)))))}
            </dd></div>
            <div><dt>"Duration"</dt><dd>
                {move || or_unknown(current.with(|v| v.duration_s.filter(|d| *d > 0.0).map(display::duration)))}
            </dd></div>
            <div><dt>"Uploaded"</dt><dd>{stat(|v| display::uploaded_at(&v.created_at))}</dd></div>
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
