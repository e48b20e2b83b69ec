//! "Export": a page's tables as CSV and JSON downloads. Plain `<a download>` links, so they
//! work before (and without) WebAssembly; the browser sends the sign-in cookie with them.

use crate::i18n::{tr, use_i18n, Texts};
use leptos::prelude::*;

/// A set's label, picked from the texts.
type Label = fn(&Texts) -> &'static str;

/// Where the server serves the exports (`/api/export/{name}.{csv,json}`).
const EXPORT_URL: &str = "/api/export";

/// The Videos page's export: every video with its counts.
#[component]
pub fn VideoExports() -> impl IntoView {
    view! { <ExportLinks sets=vec![("videos", |t| t.export_videos)]/> }
}

/// The Profiles page's exports: every profile, and every appearance of every person.
#[component]
pub fn ProfileExports() -> impl IntoView {
    view! {
        <ExportLinks sets=vec![("profiles", |t| t.export_profiles), ("appearances", |t| t.export_appearances)]/>
    }
}

/// One CSV and one JSON link per `(name, label)`.
#[component]
fn ExportLinks(sets: Vec<(&'static str, Label)>) -> impl IntoView {
    let i18n = use_i18n();
    let links = sets
        .into_iter()
        .map(|(name, label)| {
            let link = move |ext: &'static str, text: &'static str| {
                view! {
                    <a class="btn btn-small" href=format!("{EXPORT_URL}/{name}.{ext}") download=""
                        data-testid=format!("export-{name}-{ext}")>{text}</a>
                }
            };
            view! {
                <span class="export-set" role="group" aria-label=move || label(i18n.t())>
                    <span class="export-set-label" aria-hidden="true">{move || label(i18n.t())}</span>
                    // File formats: the same word in every language.
                    {link("csv", "CSV")}
                    {link("json", "JSON")}
                </span>
            }
        })
        .collect_view();
    view! {
        <nav class="export-links" aria-label=tr!(i18n, export_label) title=tr!(i18n, export_hint)
            data-testid="export-links">
            <span class="export-label">{tr!(i18n, export_label)}</span>
            {links}
        </nav>
    }
}
