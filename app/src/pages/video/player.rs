//! The uploaded video in a `<video>` element that opens at a given second, with a clear
//! note and a download link when the browser cannot play the file (AVI with XVID or
//! Cinepak, for instance).

use super::playback::Playback;
use crate::components::display;
use crate::i18n::{tr, use_i18n};
use leptos::prelude::*;

/// Why the video cannot be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))] // only the browser plays videos
enum Trouble {
    /// The container or codec is not supported by this browser.
    Format,
    /// The file could not be fetched.
    Network,
}

impl Trouble {
    /// From `MediaError.code`: 2 is MEDIA_ERR_NETWORK; decode and unsupported-source
    /// errors both mean the browser cannot play this file.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn from_code(code: u16) -> Self {
        if code == 2 {
            Self::Network
        } else {
            Self::Format
        }
    }
}

/// Where the uploaded file is served (with Range support).
pub fn file_url(video_id: &str) -> String {
    format!("/api/videos/{video_id}/file")
}

/// The player's `src`: the file, opening at `start` seconds (media fragment `#t=`).
pub fn player_src(video_id: &str, start: Option<f64>) -> String {
    match start.filter(|t| *t > 0.0) {
        Some(t) => format!("{}#t={}", file_url(video_id), display::seconds_param(t)),
        None => file_url(video_id),
    }
}

/// Plays a video from `start` seconds; follows later changes of `start` by seeking.
#[component]
pub fn VideoPlayer(
    /// The video's id.
    video_id: String,
    /// The uploaded file name, for the download link.
    filename: String,
    /// Second to open at (`?t=`).
    #[prop(into)]
    start: Signal<Option<f64>>,
    /// The element and its position, shared with the rest of the page.
    playback: Playback,
    /// Drawn over the video while it can be played (the face boxes).
    #[prop(optional, into)]
    overlay: Option<ViewFn>,
) -> impl IntoView {
    let i18n = use_i18n();
    let player = playback.player;
    let trouble = RwSignal::new(None::<Trouble>);
    let src = player_src(&video_id, start.get_untracked());
    let download = file_url(&video_id);

    let seek = move |to: Option<f64>| {
        #[cfg(feature = "hydrate")]
        if let (Some(el), Some(t)) = (player.get_untracked(), to) {
            if el.ready_state() >= 1 && (el.current_time() - t).abs() > 0.25 {
                el.set_current_time(t);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = to;
    };
    // Events that fired before hydration went unheard: look at the element's state, and
    // seek again whenever `?t=` changes while the page stays open.
    #[cfg(feature = "hydrate")]
    Effect::new(move |first: Option<()>| {
        let to = start.get();
        if let Some(el) = player.get() {
            if let Some(err) = el.error() {
                trouble.set(Some(Trouble::from_code(err.code())));
            } else if first.is_some() || el.current_time() == 0.0 {
                seek(to);
            }
        }
    });

    view! {
        <div class="player">
            {move || match trouble.get() {
                None => view! {
                    <video class="player-video" controls preload="metadata" src=src.clone()
                        data-testid="player" node_ref=player
                        on:loadedmetadata=move |_| { seek(start.get_untracked()); playback.sync() }
                        on:timeupdate=move |_| playback.sync()
                        on:seeked=move |_| playback.sync()
                        on:play=move |_| playback.follow()
                        on:error=move |_| {
                            #[cfg(feature = "hydrate")]
                            if let Some(err) = player.get_untracked().and_then(|el| el.error()) {
                                trouble.set(Some(Trouble::from_code(err.code())));
                            }
                        }>
                        {tr!(i18n, no_video_support)}
                    </video>
                    {overlay.as_ref().map(ViewFn::run)}
                }.into_any(),
                Some(kind) => view! {
                    <div class="player-trouble" role="status" data-testid="player-unsupported">
                        <svg class="player-trouble-icon" viewBox="0 0 24 24" aria-hidden="true">
                            <rect x="3" y="5" width="18" height="14" rx="2"/><path d="m3 3 18 18"/>
                        </svg>
                        <p class="empty-title">
                            {move || match kind {
                                Trouble::Format => i18n.t().format_unplayable,
                                Trouble::Network => i18n.t().video_not_loaded,
                            }}
                        </p>
                        <p class="meta-wrap">
                            {move || match kind {
                                Trouble::Format => i18n.t().format_unplayable_hint,
                                Trouble::Network => i18n.t().video_not_loaded_hint,
                            }}
                        </p>
                        <a class="btn btn-primary" href=download.clone() download=filename.clone()
                            data-testid="download-video">{
                                let filename = filename.clone();
                                move || (i18n.t().download)(&filename)
                            }</a>
                    </div>
                }.into_any(),
            }}
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_source_opens_at_the_start_second() {
        assert_eq!(player_src("v1", Some(12.5)), "/api/videos/v1/file#t=12.5");
        assert_eq!(player_src("v1", Some(0.0)), "/api/videos/v1/file");
        assert_eq!(player_src("v1", None), "/api/videos/v1/file");
        assert_eq!(Trouble::from_code(4), Trouble::Format);
        assert_eq!(Trouble::from_code(2), Trouble::Network);
    }
}
