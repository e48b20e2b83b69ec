//! The profile's history: the manual changes recorded about it (`GET /api/audit`), newest
//! first, each with what changed.

use super::{rest, Shared};
use crate::components::display;
use crate::model::{AuditEntry, AuditPage};
use leptos::prelude::*;
use serde_json::Value;

/// Entries shown.
const LIMIT: usize = 50;

/// The action as words for people.
pub fn action_label(action: &str) -> String {
    match action {
        "profile.edit" => "Edited",
        "profile.merge" => "Merged",
        "profile.create" => "Created",
        "profile.hide" => "Hidden",
        "profile.unhide" => "Unhidden",
        "profile.delete" => "Deleted",
        "person.move" => "Person moved",
        "video.reprocess" => "Video re-processed",
        other => other,
    }
    .to_string()
}

/// A value in a line of text: strings bare, null as a dash, lists and objects counted.
fn show(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => display::UNKNOWN.into(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => format!("{} items", items.len()),
        Some(Value::Object(_)) => "…".into(),
        Some(other) => other.to_string(),
    }
}

/// What changed, field by field: `full_name: — → Иванов Иван`.
pub fn changes(entry: &AuditEntry) -> Vec<String> {
    let empty = serde_json::Map::new();
    let object = |v: &Option<Value>| v.as_ref().and_then(Value::as_object).cloned();
    let (before, after) = (object(&entry.before), object(&entry.after));
    let (b, a) = (
        before.as_ref().unwrap_or(&empty),
        after.as_ref().unwrap_or(&empty),
    );
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| b.get(*k) != a.get(*k))
        .map(|k| format!("{k}: {} → {}", show(b.get(k)), show(a.get(k))))
        .collect()
}

/// Loads and lists the history.
#[component]
pub fn History(shared: Shared) -> impl IntoView {
    let entries = LocalResource::new(move || {
        let (id, _) = (shared.id.get(), shared.version.get());
        async move { rest::get::<AuditPage>(&format!("/api/audit?profile_id={id}&limit={LIMIT}")).await }
    });
    let line = |entry: AuditEntry| {
        let details = changes(&entry);
        view! {
            <li class="history-entry" data-testid="history-entry" data-action=entry.action.clone()>
                <div class="history-head">
                    <strong>{action_label(&entry.action)}</strong>
                    <span class="meta" title=entry.client.clone()>{display::uploaded_at(&entry.at)}</span>
                </div>
                {(!details.is_empty()).then(|| view! {
                    <ul class="history-changes">{details.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul>
                })}
            </li>
        }
    };
    view! {
        <section class="card side-card" data-testid="history">
            <h2>"History"</h2>
            <Transition fallback=|| view! { <p class="hint">"Loading the history…"</p> }>
                {move || Suspend::new(async move {
                    match entries.await {
                        Ok(page) if page.items.is_empty() => view! {
                            <p class="hint">"No manual changes yet."</p>
                        }.into_any(),
                        Ok(page) => view! {
                            <ol class="history">{page.items.into_iter().map(line).collect_view()}</ol>
                        }.into_any(),
                        Err(err) => view! { <p class="field-error">{format!("Could not load the history: {err}")}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn changed_fields_are_listed() {
        let entry = AuditEntry {
            id: "e".into(),
            at: "2026-01-02T03:04:05Z".into(),
            action: "profile.edit".into(),
            client: "addr:127.0.0.1".into(),
            objects: json!({"profiles": ["p"]}),
            before: Some(json!({"full_name": null, "gender": "male", "people": ["a", "b"]})),
            after: Some(json!({"full_name": "Иванов Иван", "gender": "male"})),
        };
        assert_eq!(
            changes(&entry),
            ["full_name: — → Иванов Иван", "people: 2 items → —"]
        );
        assert_eq!(action_label(&entry.action), "Edited");
        assert_eq!(action_label("x.y"), "x.y");
    }
}
