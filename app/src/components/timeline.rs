//! A bar over a video's whole length with the stretches a person is seen in marked as
//! segments; each segment links to the video page playing from its start.
//!
//! Drawn as SVG with percentage geometry: the page's Content-Security-Policy refuses inline
//! `style` attributes, and SVG attributes place the segments without them.

use super::display;
use super::time_axis::pct;
use crate::i18n::{tr, use_i18n};
use crate::model::Episode;
use leptos::prelude::*;

/// Narrowest segment drawn, in percent of the bar, so that a glimpse stays clickable.
const MIN_WIDTH_PCT: f64 = 0.8;

/// One segment of the bar, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// Left edge, percent of the bar.
    pub x_pct: f64,
    /// Width, percent of the bar.
    pub w_pct: f64,
    /// Where the stretch starts, in seconds.
    pub start_s: f64,
    /// `0:12–0:20`.
    pub label: String,
    /// The video page playing from the start.
    pub href: String,
    /// Picture of the best face in the stretch, if any.
    pub thumb_url: Option<String>,
}

/// The link of a video's page opening at `start_s`.
pub fn seek_href(video_id: &str, start_s: f64) -> String {
    format!("/videos/{video_id}?t={}", display::seconds_param(start_s))
}

/// Place the episodes on a bar as long as the video (or as the last episode when the
/// duration is not known).
pub fn segments(video_id: &str, duration_s: Option<f64>, episodes: &[Episode]) -> Vec<Segment> {
    let last_end = episodes.iter().map(|e| e.end_s).fold(0.0, f64::max);
    let length = duration_s.filter(|d| *d > 0.0).unwrap_or(0.0).max(last_end);
    if length <= 0.0 {
        return Vec::new();
    }
    episodes
        .iter()
        .map(|e| {
            let start = e.start_s.clamp(0.0, length);
            let end = e.end_s.clamp(start, length);
            let w_pct = ((end - start) / length * 100.0).max(MIN_WIDTH_PCT);
            let x_pct = (start / length * 100.0).min(100.0 - w_pct);
            Segment {
                x_pct,
                w_pct,
                start_s: e.start_s,
                label: display::time_range(e.start_s, e.end_s),
                href: seek_href(video_id, e.start_s),
                thumb_url: e.thumb_url.clone(),
            }
        })
        .collect()
}

/// The timeline of one video; hovering a segment shows its time and face picture.
#[component]
pub fn Timeline(
    /// The video's id.
    video_id: String,
    /// The video's length in seconds, when known.
    duration_s: Option<f64>,
    /// When the person is seen.
    episodes: Vec<Episode>,
) -> impl IntoView {
    let i18n = use_i18n();
    let segments = segments(&video_id, duration_s, &episodes);
    let hovered = RwSignal::new(None::<usize>);
    let length = duration_s.map(display::duration).unwrap_or_default();
    let peek = segments.clone();
    let drawn = segments
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            // The <g> makes the macro create SVG `a` and `title` elements, not HTML ones.
            view! {
                <g>
                    <a class="timeline-segment" href=s.href data-testid="timeline-segment"
                        data-start=display::seconds_param(s.start_s)
                        on:mouseenter=move |_| hovered.set(Some(i))
                        on:mouseleave=move |_| hovered.set(None)
                        on:focus=move |_| hovered.set(Some(i))
                        on:blur=move |_| hovered.set(None)>
                        <title>{move || (i18n.t().segment_title)(&s.label)}</title>
                        <rect x=pct(s.x_pct) y="0" width=pct(s.w_pct) height="100%" rx="2"/>
                    </a>
                </g>
            }
        })
        .collect_view();

    view! {
        <div class="timeline" data-testid="timeline">
            <svg class="timeline-bar" aria-label=tr!(i18n, timeline_label) role="group">
                <rect class="timeline-track" x="0" y="0" width="100%" height="100%" rx="3"/>
                {drawn}
            </svg>
            <span class="timeline-length meta">{length}</span>
            {move || hovered.get().and_then(|i| peek.get(i).cloned()).map(|s| view! {
                <div class="timeline-peek" role="status">
                    {s.thumb_url.map(|src| view! { <img src=src alt="" width="48" height="48"/> })}
                    <span>{s.label}</span>
                </div>
            })}
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ep(start_s: f64, end_s: f64) -> Episode {
        Episode {
            start_s,
            end_s,
            thumb_url: None,
        }
    }

    #[test]
    fn episodes_are_placed_over_the_duration() {
        let s = segments("v", Some(10.0), &[ep(2.25, 5.0), ep(9.99, 10.0)]);
        assert_eq!(s.len(), 2);
        assert!((s[0].x_pct - 22.5).abs() < 1e-9 && (s[0].w_pct - 27.5).abs() < 1e-9);
        assert_eq!(s[0].href, "/videos/v?t=2.25");
        assert_eq!(s[0].label, "0:02–0:05");
        // A glimpse at the very end keeps its minimum width inside the bar.
        assert!((s[1].w_pct - MIN_WIDTH_PCT).abs() < 1e-9);
        assert!(s[1].x_pct + s[1].w_pct <= 100.0 + 1e-9);
    }

    #[test]
    fn unknown_duration_uses_the_last_episode() {
        let s = segments("v", None, &[ep(0.0, 4.0)]);
        assert!((s[0].w_pct - 100.0).abs() < 1e-9);
        assert!(segments("v", None, &[]).is_empty());
        assert!(segments("v", Some(0.0), &[ep(0.0, 0.0)]).is_empty());
    }
}
