//! Faces per second over a whole video as a bar chart: where the faces are, at a glance.
//! Clicking the chart asks to play from the time under the pointer; a vertical line follows
//! the player.
//!
//! SVG with percentage geometry, as in [`timeline`](super::timeline): the page's
//! Content-Security-Policy refuses inline `style` attributes.

use super::display;
use super::time_axis::{pct, seek_on_click};
use crate::i18n::{tr, use_i18n};
use leptos::prelude::*;

/// Most bars drawn, whatever the video's length.
pub const MAX_BARS: usize = 200;

/// One bar of the chart, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Left edge, percent of the chart's width.
    pub x_pct: f64,
    /// Width, percent of the chart's width.
    pub w_pct: f64,
    /// Height, percent of the chart's height (from the bottom).
    pub h_pct: f64,
    /// First second covered.
    pub start_s: f64,
    /// End of the seconds covered (exclusive).
    pub end_s: f64,
    /// Faces per second drawn: the **largest** count of the seconds the bar covers, so that
    /// bars keep the unit "faces in one second" however many seconds each one covers, and a
    /// busy second is not flattened by quiet neighbours.
    pub faces: u32,
}

/// The chart's length in seconds: the video's duration, or at least as long as the counts.
pub fn chart_length(duration_s: Option<f64>, counts: &[u32]) -> f64 {
    duration_s
        .filter(|d| d.is_finite() && *d > 0.0)
        .unwrap_or(0.0)
        .max(counts.len() as f64)
}

/// Bars of `counts` (faces in each second) over `length_s` seconds, at most `max_bars` of
/// them, each covering a whole number of seconds; heights are scaled to the tallest bar.
/// Seconds not scanned yet (past the end of `counts`) get no bar.
pub fn bars(counts: &[u32], length_s: f64, max_bars: usize) -> Vec<Bar> {
    let seconds = (length_s.ceil() as usize).max(counts.len());
    if seconds == 0 || max_bars == 0 || counts.is_empty() {
        return Vec::new();
    }
    let n = seconds.min(max_bars);
    let raw: Vec<(usize, usize, u32)> = (0..n)
        .map(|i| (i * seconds / n, (i + 1) * seconds / n))
        .filter(|(from, _)| *from < counts.len())
        .map(|(from, to)| {
            let faces = counts[from..to.min(counts.len())].iter().copied().max();
            (from, to, faces.unwrap_or(0))
        })
        .collect();
    let top = raw.iter().map(|b| b.2).max().unwrap_or(0).max(1) as f64;
    // The axis is the video's own length (as the lanes' and the player's), so the last
    // second of a 9.6 s video is cut at the right edge.
    let axis = chart_length(Some(length_s), counts);
    let scale = 100.0 / axis;
    raw.into_iter()
        .map(|(from, to, faces)| {
            let x_pct = from as f64 * scale;
            Bar {
                x_pct,
                w_pct: ((to - from) as f64 * scale).min(100.0 - x_pct),
                h_pct: faces as f64 / top * 100.0,
                start_s: from as f64,
                end_s: (to as f64).min(axis),
                faces,
            }
        })
        .collect()
}

/// Faces per second over a video; a click calls `on_seek` with the time clicked.
#[component]
pub fn ActivityChart(
    /// Faces in each second so far.
    #[prop(into)]
    counts: Signal<Vec<u32>>,
    /// The chart's length in seconds.
    #[prop(into)]
    length_s: Signal<f64>,
    /// Where the player is, seconds.
    #[prop(into)]
    playhead: Signal<f64>,
    /// Called with the time clicked, seconds.
    on_seek: Callback<f64>,
) -> impl IntoView {
    let i18n = use_i18n();
    let drawn = move || {
        let bars = counts.with(|c| bars(c, length_s.get(), MAX_BARS));
        bars.into_iter()
            .map(|b| {
                let range = display::time_range(b.start_s, b.end_s);
                let faces = b.faces;
                // The <g> makes the macro create SVG elements, not HTML ones.
                view! {
                    <g class="activity-bar" data-testid="activity-bar" data-faces=faces
                        data-start=display::seconds_param(b.start_s)>
                        <title>{move || (i18n.t().faces_per_second_at)(&range, faces)}</title>
                        <rect class="activity-hit" x=pct(b.x_pct) y="0" width=pct(b.w_pct) height="100%"/>
                        <rect class="activity-fill" x=pct(b.x_pct) y=pct(100.0 - b.h_pct)
                            width=pct(b.w_pct) height=pct(b.h_pct)/>
                    </g>
                }
            })
            .collect_view()
    };
    let playhead_x = move || {
        let length = length_s.get();
        let at = if length > 0.0 {
            playhead.get() / length * 100.0
        } else {
            0.0
        };
        pct(at.clamp(0.0, 100.0))
    };
    // Laid out as a lane (a label column, then the axis) so that it lines up with the lanes.
    view! {
        <div class="lane activity">
            <span class="lane-who meta">{tr!(i18n, faces_per_second)}</span>
            <svg class="activity-chart" data-testid="activity-chart" role="img"
                aria-label=tr!(i18n, activity_label)
                on:click=move |ev| seek_on_click(&ev, length_s.get_untracked(), on_seek)>
                <rect class="activity-track" x="0" y="0" width="100%" height="100%"/>
                {drawn}
                <line class="activity-playhead" data-testid="playhead" x1=playhead_x x2=playhead_x y1="0" y2="100%"/>
            </svg>
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_videos_get_a_bar_per_second() {
        let b = bars(&[0, 2, 4, 1], 4.0, MAX_BARS);
        assert_eq!(b.len(), 4);
        assert_eq!(b.iter().map(|b| b.faces).collect::<Vec<_>>(), [0, 2, 4, 1]);
        assert!((b[2].h_pct - 100.0).abs() < 1e-9 && (b[1].h_pct - 50.0).abs() < 1e-9);
        assert!((b[1].x_pct - 25.0).abs() < 1e-9 && (b[1].w_pct - 25.0).abs() < 1e-9);
        assert_eq!((b[3].start_s, b[3].end_s), (3.0, 4.0));
    }

    #[test]
    fn long_videos_are_downsampled_keeping_the_peaks() {
        let mut counts = vec![1u32; 1000];
        counts[777] = 9;
        let b = bars(&counts, 1000.0, 200);
        assert_eq!(b.len(), 200);
        assert!(b.iter().all(|b| (b.w_pct - 0.5).abs() < 1e-9));
        let peak = b.iter().find(|b| b.faces == 9).expect("the peak survives");
        assert!(peak.start_s <= 777.0 && 777.0 < peak.end_s);
        assert_eq!(b.iter().filter(|b| b.faces == 1).count(), 199);
        assert!((b.last().unwrap().x_pct + 0.5 - 100.0).abs() < 1e-9);
    }

    #[test]
    fn a_video_being_scanned_fills_from_the_left() {
        let b = bars(&[3, 3], 10.0, MAX_BARS);
        assert_eq!(b.len(), 2);
        assert!((b[1].x_pct - 10.0).abs() < 1e-9);
        // A fractional duration: the last second ends with the video.
        let b = bars(&[1, 1, 1], 2.5, MAX_BARS);
        assert_eq!(b.last().map(|b| b.end_s), Some(3.0));
        let b = bars(&[1; 10], 9.5, MAX_BARS);
        assert_eq!(b.last().map(|b| b.end_s), Some(10.0));
        let b = bars(&[1; 9], 9.5, MAX_BARS);
        assert_eq!(b.len(), 9, "the last half second is not scanned yet");
        assert!((b[8].x_pct - 800.0 / 9.5).abs() < 1e-9);
        assert!(bars(&[], 10.0, MAX_BARS).is_empty());
        assert!(bars(&[0, 0], 2.0, MAX_BARS).iter().all(|b| b.h_pct == 0.0));
        assert_eq!(chart_length(Some(9.64), &[1; 10]), 10.0);
        assert_eq!(chart_length(None, &[1; 3]), 3.0);
        assert_eq!(chart_length(Some(30.0), &[1; 3]), 30.0);
    }
}
