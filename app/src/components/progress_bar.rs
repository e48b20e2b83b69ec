//! A horizontal bar with its percentage.

use super::display::percent;
use crate::model::VideoStatus;
use leptos::prelude::*;

/// Progress 0–100 as a bar and a number. `data-value` holds the whole percent for tests.
#[component]
pub fn ProgressBar(
    /// Progress in percent, 0–100.
    #[prop(into)]
    value: Signal<f64>,
    /// Status of the job, which colours the bar.
    #[prop(into)]
    status: Signal<VideoStatus>,
    /// Accessible name, e.g. the file name.
    #[prop(into)]
    label: String,
) -> impl IntoView {
    let pct = move || percent(value.get());
    view! {
        <div class="progress-cell">
            <div
                class=move || format!("progress progress-{}", status.get().as_str())
                data-testid="progress"
                data-value=pct
                role="progressbar"
                aria-label=label
                aria-valuemin="0"
                aria-valuemax="100"
                aria-valuenow=pct
            >
                // A <progress> element, not a div with an inline width: the page's CSP allows
                // no `style` attributes.
                <progress class="progress-meter" max="100" aria-hidden="true"
                    value=move || format!("{:.1}", value.get().clamp(0.0, 100.0))></progress>
            </div>
            <span class="progress-num">{move || format!("{}%", pct())}</span>
        </div>
    }
}
