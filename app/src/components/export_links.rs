//! "Export": a page's tables as CSV and JSON downloads. Plain `<a download>` links, so they
//! work before (and without) WebAssembly; the browser sends the sign-in cookie with them.

use leptos::prelude::*;

/// Visible texts (English; kept here together for translation).
pub const EXPORT_LABEL: &str = "Export";
pub const EXPORT_HINT: &str = "Download every row as a file; CSV opens in spreadsheets";
pub const VIDEOS_LABEL: &str = "Videos";
pub const PROFILES_LABEL: &str = "Profiles";
pub const APPEARANCES_LABEL: &str = "Appearances";
pub const CSV_LABEL: &str = "CSV";
pub const JSON_LABEL: &str = "JSON";

/// Where the server serves the exports (`/api/export/{name}.{csv,json}`).
const EXPORT_URL: &str = "/api/export";

/// The Videos page's export: every video with its counts.
#[component]
pub fn VideoExports() -> impl IntoView {
    view! { <ExportLinks sets=vec![("videos", VIDEOS_LABEL)]/> }
}

/// The Profiles page's exports: every profile, and every appearance of every person.
#[component]
pub fn ProfileExports() -> impl IntoView {
    view! {
        <ExportLinks sets=vec![("profiles", PROFILES_LABEL), ("appearances", APPEARANCES_LABEL)]/>
    }
}

/// One CSV and one JSON link per `(name, label)`.
#[component]
fn ExportLinks(sets: Vec<(&'static str, &'static str)>) -> impl IntoView {
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
                <span class="export-set" role="group" aria-label=label>
                    <span class="export-set-label" aria-hidden="true">{label}</span>
                    {link("csv", CSV_LABEL)}
                    {link("json", JSON_LABEL)}
                </span>
            }
        })
        .collect_view();
    view! {
        <nav class="export-links" aria-label=EXPORT_LABEL title=EXPORT_HINT data-testid="export-links">
            <span class="export-label">{EXPORT_LABEL}</span>
            {links}
        </nav>
    }
}
