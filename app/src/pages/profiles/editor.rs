//! The edit form of one profile: full name, gender and birth date, checked as they are
//! typed with the shared newtypes, saved with the `save_profile` server function.

use super::draft::{Draft, Field};
use crate::api::{save_profile, ProfileSave};
use crate::components::{clock, error_text};
use crate::i18n::{tr, use_i18n, Texts};
use crate::model::Profile;
use leptos::{ev, prelude::*, task::spawn_local};
use std::collections::{BTreeMap, BTreeSet};

/// Messages the server sent for the values it was sent; each is shown while its field
/// still holds the value it was about.
#[derive(Debug, Clone, Default)]
struct ServerVerdict {
    sent: Draft,
    fields: BTreeMap<String, String>,
}

/// The element id of a field of a profile's form (labels and messages point at it).
fn dom_id(profile_id: &str, field: Field) -> String {
    format!("profile-{profile_id}-{}", field.as_str())
}

/// The form. `on_saved` gets the stored profile; `on_cancel` closes the form unchanged.
#[component]
pub fn ProfileEditor(
    /// The profile as currently shown.
    profile: Profile,
    /// Called with the profile the server stored.
    on_saved: Callback<Profile>,
    /// Called when the operator gives up editing.
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = profile.id.clone();
    let today = clock::today();
    let initial = Draft::of(&profile);
    let full_name = RwSignal::new(initial.full_name);
    let gender = RwSignal::new(initial.gender);
    let birth_date = RwSignal::new(initial.birth_date);
    let draft = Memo::new(move |_| Draft {
        full_name: full_name.get(),
        gender: gender.get(),
        birth_date: birth_date.get(),
    });
    // Fields whose own problems are shown: after the operator leaves them, or on submit.
    let checked = RwSignal::new(BTreeSet::<Field>::new());
    let verdict = RwSignal::new(None::<ServerVerdict>);
    let form_error = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);

    // A problem the server found is shown in the page's language when the shared check
    // knows it too, else in the server's own (English) words.
    let error_for = move |field: Field| -> Option<String> {
        let current = draft.get();
        let t = i18n.t();
        let from_server = verdict.with(|v| {
            v.as_ref()
                .filter(|v| v.sent.value(field) == current.value(field))
                .and_then(|v| v.fields.get(field.as_str()).cloned())
        });
        match from_server {
            Some(message) => Some(
                current
                    .check(field, today)
                    .map_or(message, |err| (t.field_error)(&err)),
            ),
            None => checked
                .with(|c| c.contains(&field))
                .then(|| current.check(field, today))
                .flatten()
                .map(|err| (t.field_error)(&err)),
        }
    };
    let mark = move |field: Field| {
        checked.update(|c| {
            c.insert(field);
        })
    };

    let refs = [NodeRef::<leptos::html::Input>::new(), NodeRef::new()];
    let gender_ref = NodeRef::<leptos::html::Select>::new();
    let focus_first_invalid = move || {
        let invalid = Field::ALL.into_iter().find(|f| error_for(*f).is_some());
        let _ = match invalid {
            Some(Field::FullName) => refs[0].get_untracked().map(|el| el.focus()),
            Some(Field::Gender) => gender_ref.get_untracked().map(|el| el.focus()),
            Some(Field::BirthDate) => refs[1].get_untracked().map(|el| el.focus()),
            None => None,
        };
    };

    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        checked.set(Field::ALL.into_iter().collect());
        form_error.set(None);
        let sent = draft.get_untracked();
        if !sent.errors(today).is_empty() {
            focus_first_invalid();
            return;
        }
        saving.set(true);
        let id = id.clone();
        spawn_local(async move {
            match save_profile(id, sent.to_form()).await {
                Ok(ProfileSave::Saved(profile)) => on_saved.run(profile),
                Ok(ProfileSave::Invalid(body)) => {
                    let known = Field::ALL
                        .iter()
                        .any(|f| body.fields.contains_key(f.as_str()));
                    if !known {
                        form_error.try_set(Some(body.error.clone()));
                    }
                    verdict.try_set(Some(ServerVerdict {
                        sent,
                        fields: body.fields,
                    }));
                    focus_first_invalid();
                }
                Err(err) => {
                    let lang = i18n.lang_untracked();
                    form_error.try_set(Some((lang.texts().save_failed)(&error_text(lang, &err))));
                }
            }
            saving.try_set(false);
        });
    };

    let pid = profile.id.clone();
    let field_id = move |field: Field| dom_id(&pid, field);
    // The message under a field, or its hint when there is nothing wrong.
    let message = move |field: Field, hint: fn(&Texts) -> &'static str| {
        let error_id = format!("{}-message", dom_id(&profile.id, field));
        view! {
            {move || match error_for(field) {
                Some(text) => view! {
                    <p class="field-error" id=error_id.clone() role="alert"
                        data-testid=format!("error-{}", field.as_str())>{text}</p>
                }.into_any(),
                None => view! { <p class="field-hint" id=error_id.clone()>{hint(i18n.t())}</p> }.into_any(),
            }}
        }
    };
    let invalid = move |field: Field| move || error_for(field).is_some().to_string();

    view! {
        <form class="profile-form" novalidate data-testid="profile-form" on:submit=submit
            on:keydown=move |e: ev::KeyboardEvent| if e.key() == "Escape" { on_cancel.run(()) }>
            <div class="field">
                <label for=field_id(Field::FullName)>{tr!(i18n, full_name)}</label>
                <input id=field_id(Field::FullName) type="text" autocomplete="off" spellcheck="false"
                    placeholder=tr!(i18n, full_name_placeholder)
                    data-testid="field-full_name" node_ref=refs[0]
                    aria-invalid=invalid(Field::FullName)
                    aria-describedby=format!("{}-message", field_id(Field::FullName))
                    bind:value=full_name
                    on:change=move |_| mark(Field::FullName)/>
                {message(Field::FullName, |t| t.full_name_hint)}
            </div>
            <div class="field-row">
                <div class="field">
                    <label for=field_id(Field::Gender)>{tr!(i18n, gender)}</label>
                    <select id=field_id(Field::Gender) data-testid="field-gender" node_ref=gender_ref
                        aria-invalid=invalid(Field::Gender)
                        aria-describedby=format!("{}-message", field_id(Field::Gender))
                        prop:value=move || gender.get()
                        on:change=move |e| {
                            gender.set(event_target_value(&e));
                            mark(Field::Gender);
                        }>
                        <option value="" selected=gender.get_untracked().is_empty()>"—"</option>
                        <option value="male" selected=gender.get_untracked() == "male">{tr!(i18n, male)}</option>
                        <option value="female" selected=gender.get_untracked() == "female">{tr!(i18n, female)}</option>
                    </select>
                    {message(Field::Gender, |_| "")}
                </div>
                <div class="field">
                    <label for=field_id(Field::BirthDate)>{tr!(i18n, birth_date)}</label>
                    <input id=field_id(Field::BirthDate) type="date" min="1900-01-01" max=clock::iso(today)
                        data-testid="field-birth_date" node_ref=refs[1]
                        aria-invalid=invalid(Field::BirthDate)
                        aria-describedby=format!("{}-message", field_id(Field::BirthDate))
                        bind:value=birth_date
                        on:change=move |_| mark(Field::BirthDate)/>
                    {message(Field::BirthDate, |_| "")}
                </div>
            </div>
            {move || form_error.get().map(|text| view! {
                <p class="alert alert-error" role="alert" data-testid="profile-form-error">{text}</p>
            })}
            <div class="form-actions">
                <button type="button" class="btn btn-small" on:click=move |_| on_cancel.run(())
                    disabled=move || saving.get()>{tr!(i18n, cancel)}</button>
                <button type="submit" class="btn btn-small btn-primary" data-testid="save-profile"
                    disabled=move || saving.get()>
                    {move || if saving.get() { i18n.t().saving } else { i18n.t().save }}
                </button>
            </div>
        </form>
    }
    .into_any()
}
