//! The time axis shared by a video's chart and lanes: SVG percentages, and the time under a
//! click (from its x position in the clicked element's box).

use leptos::prelude::*;

/// Percent with little precision, for SVG attributes.
pub fn pct(value: f64) -> String {
    format!("{value:.3}%")
}

/// The time at `client_x` on an axis drawn from `left` over `width` pixels and `length_s`
/// seconds; a click just outside the box counts as its edge. `None` for an axis with no
/// width or no length.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))] // the browser clicks
pub fn time_at(client_x: f64, left: f64, width: f64, length_s: f64) -> Option<f64> {
    if !(width > 0.0 && length_s > 0.0 && client_x.is_finite() && left.is_finite()) {
        return None;
    }
    let share = ((client_x - left) / width).clamp(0.0, 1.0);
    Some(share * length_s)
}

/// Handles a click on an axis element: the time under the pointer goes to `on_seek`, and a
/// link under it (an episode's `?t=`, there for when scripts do not run) is not followed.
/// A click made with the keyboard (Enter on a focused episode; `detail` 0) has no pointer
/// position: it is left to the link, which plays from the episode's start.
pub fn seek_on_click(ev: &leptos::ev::MouseEvent, length_s: f64, on_seek: Callback<f64>) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if ev.detail() == 0 {
            return;
        }
        let Some(target) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let rect = target.get_bounding_client_rect();
        if let Some(t) = time_at(ev.client_x() as f64, rect.left(), rect.width(), length_s) {
            ev.prevent_default();
            on_seek.run(t);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, length_s, on_seek);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_click_gives_the_time_under_it() {
        assert_eq!(time_at(150.0, 100.0, 200.0, 60.0), Some(15.0));
        assert_eq!(time_at(100.0, 100.0, 200.0, 60.0), Some(0.0));
        assert_eq!(time_at(300.0, 100.0, 200.0, 60.0), Some(60.0));
        // Just outside the box (a border pixel): its edge.
        assert_eq!(time_at(90.0, 100.0, 200.0, 60.0), Some(0.0));
        assert_eq!(time_at(320.0, 100.0, 200.0, 60.0), Some(60.0));
        assert_eq!(time_at(150.0, 100.0, 0.0, 60.0), None);
        assert_eq!(time_at(150.0, 100.0, 200.0, 0.0), None);
        assert_eq!(pct(12.34567), "12.346%");
    }
}
