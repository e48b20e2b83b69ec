//! The profile's history: the manual changes recorded about it (`GET /api/audit`), newest
//! first, each with what changed.

use super::{rest, Shared};
use crate::components::display;
use crate::i18n::{tr, Lang};
use crate::model::{AuditEntry, AuditPage};
use leptos::prelude::*;
use serde_json::Value;

/// Entries shown.
const LIMIT: usize = 50;

/// The action as words for people.
pub fn action_label(lang: Lang, action: &str) -> String {
    let t = lang.texts();
    match action {
        "profile.edit" => t.action_edited,
        "profile.merge" => t.action_merged,
        "profile.create" => t.action_created,
        "profile.hide" => t.action_hidden,
        "profile.unhide" => t.action_unhidden,
        "profile.watch" => t.action_watched,
        "profile.unwatch" => t.action_unwatched,
        "profile.delete" => t.action_deleted,
        "person.move" => t.action_person_moved,
        "video.reprocess" => t.action_reprocessed,
        other => other,
    }
    .to_string()
}

/// A field of a profile as a word for people (`full_name` → `Full name` / `ФИО`); other
/// names as they are.
fn field_label(lang: Lang, key: &str) -> String {
    let t = lang.texts();
    match key {
        "full_name" => t.full_name,
        "gender" => t.gender,
        "birth_date" => t.birth_date,
        "hidden" => t.hidden,
        "watch" => t.watched,
        "people" => t.nav_people,
        other => other,
    }
    .to_string()
}

/// A value in a line of text: strings bare, null as a dash, lists and objects counted.
fn show(lang: Lang, key: &str, value: Option<&Value>) -> String {
    let t = lang.texts();
    match value {
        None | Some(Value::Null) => display::UNKNOWN.into(),
        Some(Value::String(s)) if key == "gender" => match s.as_str() {
            "male" => t.male.into(),
            "female" => t.female.into(),
            other => other.into(),
        },
        Some(Value::String(s)) if key == "birth_date" => lang.date(s),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => if *b { t.yes } else { t.no }.into(),
        Some(Value::Array(items)) => (t.items)(items.len()),
        Some(Value::Object(_)) => "…".into(),
        Some(other) => other.to_string(),
    }
}

/// What changed, field by field: `Full name: — → Иванов Иван`.
pub fn changes(lang: Lang, entry: &AuditEntry) -> Vec<String> {
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
        .map(|k| {
            let (before, after) = (show(lang, k, b.get(k)), show(lang, k, a.get(k)));
            format!("{}: {before} → {after}", field_label(lang, k))
        })
        .collect()
}

/// Loads and lists the history.
#[component]
pub fn History(shared: Shared) -> impl IntoView {
    let i18n = shared.i18n;
    let entries = LocalResource::new(move || {
        let (id, _) = (shared.id.get(), shared.version.get());
        let lang = i18n.lang_untracked();
        async move {
            rest::get::<AuditPage>(lang, &format!("/api/audit?profile_id={id}&limit={LIMIT}")).await
        }
    });
    let line = move |entry: AuditEntry| {
        let lang = i18n.lang();
        let details = changes(lang, &entry);
        view! {
            <li class="history-entry" data-testid="history-entry" data-action=entry.action.clone()>
                <div class="history-head">
                    <strong>{action_label(lang, &entry.action)}</strong>
                    <span class="meta" title=entry.client.clone()>{display::uploaded_at(lang, &entry.at)}</span>
                </div>
                {(!details.is_empty()).then(|| view! {
                    <ul class="history-changes">{details.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul>
                })}
            </li>
        }
    };
    view! {
        <section class="card side-card" data-testid="history">
            <h2>{tr!(i18n, history)}</h2>
            <Transition fallback=move || view! { <p class="hint">{tr!(i18n, loading_history)}</p> }>
                {move || Suspend::new(async move {
                    match entries.await {
                        Ok(page) if page.items.is_empty() => view! {
                            <p class="hint">{tr!(i18n, no_manual_changes)}</p>
                        }.into_any(),
                        Ok(page) => view! {
                            <ol class="history">{page.items.into_iter().map(line).collect_view()}</ol>
                        }.into_any(),
                        Err(err) => view! { <p class="field-error">{move || (i18n.t().load_history_failed)(&err)}</p> }.into_any(),
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
            changes(Lang::En, &entry),
            ["Full name: — → Иванов Иван", "People: 2 items → —"]
        );
        assert_eq!(
            changes(Lang::Ru, &entry),
            ["ФИО: — → Иванов Иван", "Люди: 2 элемента → —"]
        );
        assert_eq!(action_label(Lang::En, &entry.action), "Edited");
        assert_eq!(action_label(Lang::Ru, &entry.action), "Изменён");
        assert_eq!(action_label(Lang::En, "x.y"), "x.y");
    }
}
