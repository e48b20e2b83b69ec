//! The matches of one search, filtered by a similarity slider and ordered in the browser:
//! the server is asked once for everything above the floor, the slider never asks again.

use super::query_face::QueryPicture;
use super::request::FLOOR;
use super::result_row::ResultRow;
use crate::i18n::{tr, use_i18n, Texts};
use crate::model::{SearchMatch, SearchOrder, SearchResult};
use leptos::prelude::*;

/// A similarity as a whole percent: `0.873` → `87 %`.
pub fn percent(similarity: f32) -> String {
    format!("{:.0} %", similarity * 100.0)
}

/// The matches at or above `min`, in `order` (time: newest video first, its ids being time
/// ordered UUID v7, then by first appearance).
pub fn shown(matches: &[SearchMatch], min: f32, order: SearchOrder) -> Vec<SearchMatch> {
    let mut kept: Vec<SearchMatch> = matches
        .iter()
        .filter(|m| m.similarity >= min)
        .cloned()
        .collect();
    let first_seen = |m: &SearchMatch| m.person.episodes.first().map_or(0.0, |e| e.start_s);
    match order {
        SearchOrder::Similarity => kept.sort_by(|a, b| b.similarity.total_cmp(&a.similarity)),
        SearchOrder::Time => kept.sort_by(|a, b| {
            (b.person.video_id.cmp(&a.person.video_id))
                .then(first_seen(a).total_cmp(&first_seen(b)))
        }),
    }
    kept
}

/// The toolbar and the rows of one search's matches.
#[component]
pub fn Results(
    /// The server's answer.
    result: SearchResult,
    /// What was searched with, shown on each row.
    picture: Signal<Option<QueryPicture>>,
    /// The photo's size in pixels, once known.
    photo_size: RwSignal<Option<(f64, f64)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let min = RwSignal::new(result.match_threshold.clamp(FLOOR, 1.0));
    let order = RwSignal::new(SearchOrder::Similarity);
    let all = StoredValue::new(result.matches);
    let rows = Memo::new(move |_| all.with_value(|m| shown(m, min.get(), order.get())));
    let photo_size: Signal<_> = photo_size.into();
    let on_slide = move |e| {
        if let Ok(v) = event_target_value(&e).parse::<f32>() {
            min.set(v.clamp(FLOOR, 1.0));
        }
    };
    let order_button = move |value: SearchOrder,
                             testid: &'static str,
                             label: fn(&Texts) -> &'static str| {
        view! {
            <button type="button" class="segmented-option" aria-pressed=move || (order.get() == value).to_string()
                data-testid=testid on:click=move |_| order.set(value)>{move || label(i18n.t())}</button>
        }
    };

    view! {
        <div class="results" data-testid="results">
            <div class="card results-toolbar">
                <label class="similarity-filter">
                    <span>{tr!(i18n, similarity_at_least)}</span>
                    <input type="range" min=FLOOR.to_string() max="1" step="0.01" data-testid="similarity-slider"
                        prop:value=move || min.get().to_string() on:input=on_slide/>
                    <strong class="similarity-value" data-testid="similarity-min">{move || percent(min.get())}</strong>
                </label>
                <div class="segmented" role="group" aria-label=tr!(i18n, order_label)>
                    {order_button(SearchOrder::Similarity, "order-similarity", |t| t.order_similarity)}
                    {order_button(SearchOrder::Time, "order-time", |t| t.order_time)}
                </div>
                <span class="meta" data-testid="match-count">{move || (i18n.t().matches)(rows.with(Vec::len))}</span>
            </div>
            {result.low_quality.then(|| view! {
                <p class="alert alert-warn" role="status" data-testid="low-quality">
                    {tr!(i18n, low_quality)}
                </p>
            })}
            {(result.skipped_other_model > 0).then(|| view! {
                <p class="hint">{
                    let (skipped, model) = (result.skipped_other_model, result.model.clone());
                    move || (i18n.t().other_model)(skipped as u64, &model)
                }</p>
            })}
            <Show when=move || rows.with(|r| !r.is_empty()) fallback=move || view! {
                <div class="card empty" data-testid="no-matches">
                    <p class="empty-title">{move || (i18n.t().no_matches)(&percent(min.get()))}</p>
                    <p>{tr!(i18n, lower_similarity)}</p>
                </div>
            }>
                <ol class="match-list">
                    <For each=move || rows.get() key=|m| m.person.id.clone() let:found>
                        <ResultRow found picture photo_size/>
                    </For>
                </ol>
            </Show>
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(similarity: f32, video_id: &str, start_s: f64) -> SearchMatch {
        serde_json::from_value(serde_json::json!({
            "similarity": similarity,
            "person": {"id": format!("{video_id}-{start_s}"), "video_id": video_id, "filename": "a.mp4",
                "duration_s": 10.0, "crop_url": "/c", "profile_id": null,
                "episodes": [{"start_s": start_s, "end_s": start_s + 1.0, "thumb_url": null}]},
            "profile": null
        }))
        .unwrap()
    }

    #[test]
    fn the_slider_filters_and_the_order_sorts() {
        let all = [
            found(0.5, "01a", 3.0),
            found(0.9, "01a", 1.0),
            found(0.3, "01b", 5.0),
        ];
        let by_sim = shown(&all, 0.4, SearchOrder::Similarity);
        assert_eq!(
            by_sim.iter().map(|m| m.similarity).collect::<Vec<_>>(),
            [0.9, 0.5]
        );
        let by_time = shown(&all, 0.2, SearchOrder::Time);
        let starts: Vec<f64> = by_time
            .iter()
            .map(|m| m.person.episodes[0].start_s)
            .collect();
        assert_eq!(starts, [5.0, 1.0, 3.0]);
        assert!(shown(&all, 1.0, SearchOrder::Similarity).is_empty());
        assert_eq!(percent(0.873), "87 %");
    }
}
