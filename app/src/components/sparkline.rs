//! A tiny line of a video's faces over its length, for its row in the videos list. It fills
//! from the left while the video is processed (the row re-renders with every update).

use crate::i18n::{tr, use_i18n};
use leptos::prelude::*;

/// Height of the sparkline's drawing space (its width is one unit per bucket).
pub const HEIGHT: f64 = 10.0;

/// The `points` of a polyline through the buckets' tops, in a `0 0 {len} {HEIGHT}` box:
/// bucket `i` at `x = i + 0.5`, scaled so the largest reaches the top (a line along the
/// bottom when every bucket is zero). Empty when there are no buckets.
pub fn sparkline_points(values: &[u32]) -> String {
    let top = values.iter().copied().max().unwrap_or(0).max(1) as f64;
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let y = HEIGHT - *v as f64 / top * HEIGHT;
            format!("{},{}", i as f64 + 0.5, trim(y))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A number with at most two decimals and no trailing zeros.
fn trim(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The sparkline of `values`; nothing when there are none.
#[component]
pub fn Sparkline(
    /// Faces per stretch of the video (`Video::sparkline`).
    #[prop(into)]
    values: Signal<Vec<u32>>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        values.with(|values| {
            (!values.is_empty()).then(|| {
                let view_box = format!("0 0 {} {HEIGHT}", values.len());
                view! {
                    <svg class="sparkline" data-testid="sparkline" viewBox=view_box
                        preserveAspectRatio="none" role="img" aria-label=tr!(i18n, sparkline_label)>
                        <polyline points=sparkline_points(values) vector-effect="non-scaling-stroke"/>
                    </svg>
                }
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_are_scaled_to_the_largest() {
        assert_eq!(sparkline_points(&[0, 2, 4]), "0.5,10 1.5,5 2.5,0");
        assert_eq!(sparkline_points(&[0, 0]), "0.5,10 1.5,10");
        assert_eq!(sparkline_points(&[3]), "0.5,0");
        assert_eq!(sparkline_points(&[1, 2, 0]), "0.5,5 1.5,0 2.5,10");
        assert_eq!(sparkline_points(&[1, 3]), "0.5,6.67 1.5,0");
        assert_eq!(sparkline_points(&[]), "");
    }
}
