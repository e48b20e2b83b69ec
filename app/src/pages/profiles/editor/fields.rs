//! The fields of the edit form, each with its label and its message (or hint).

use super::super::draft::Field;
use super::state::EditorState;
use crate::components::clock;
use crate::i18n::{tr, use_i18n, Texts};
use leptos::{html, prelude::*};

/// The element id of a field of a profile's form (labels and messages point at it).
pub(super) fn dom_id(profile_id: &str, field: Field) -> String {
    format!("profile-{profile_id}-{}", field.as_str())
}

/// The element the focus goes to when a field is wrong.
#[derive(Clone, Copy, Default)]
pub(super) struct FieldRefs {
    pub full_name: NodeRef<html::Input>,
    pub gender: NodeRef<html::Select>,
    pub birth_date: NodeRef<html::Input>,
}

impl FieldRefs {
    /// Moves the focus to `field`, if any.
    pub fn focus(self, field: Option<Field>) {
        let _ = match field {
            Some(Field::FullName) => self.full_name.get_untracked().map(|el| el.focus()),
            Some(Field::Gender) => self.gender.get_untracked().map(|el| el.focus()),
            Some(Field::BirthDate) => self.birth_date.get_untracked().map(|el| el.focus()),
            None => None,
        };
    }
}

/// The message under a field, or its hint when there is nothing wrong.
#[component]
fn FieldMessage(
    form: EditorState,
    field: Field,
    /// The profile's id (element ids are made of it).
    pid: String,
    hint: fn(&Texts) -> &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let error_id = format!("{}-message", dom_id(&pid, field));
    view! {
        {move || match form.error_for(field) {
            Some(text) => view! {
                <p class="field-error" id=error_id.clone() role="alert"
                    data-testid=format!("error-{}", field.as_str())>{text}</p>
            }.into_any(),
            None => view! { <p class="field-hint" id=error_id.clone()>{hint(i18n.t())}</p> }.into_any(),
        }}
    }
}

fn invalid(form: EditorState, field: Field) -> impl Fn() -> String {
    move || form.error_for(field).is_some().to_string()
}

/// The full name.
#[component]
pub(super) fn NameField(
    form: EditorState,
    pid: String,
    node_ref: NodeRef<html::Input>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = dom_id(&pid, Field::FullName);
    view! {
        <div class="field">
            <label for=id.clone()>{tr!(i18n, full_name)}</label>
            <input id=id.clone() type="text" autocomplete="off" spellcheck="false"
                placeholder=tr!(i18n, full_name_placeholder)
                data-testid="field-full_name" node_ref=node_ref
                aria-invalid=invalid(form, Field::FullName)
                aria-describedby=format!("{id}-message")
                bind:value=form.full_name
                on:change=move |_| form.mark(Field::FullName)/>
            <FieldMessage form field=Field::FullName pid hint=|t| t.full_name_hint/>
        </div>
    }
}

/// Male, female or not given.
#[component]
pub(super) fn GenderField(
    form: EditorState,
    pid: String,
    node_ref: NodeRef<html::Select>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = dom_id(&pid, Field::Gender);
    let gender = form.gender;
    view! {
        <div class="field">
            <label for=id.clone()>{tr!(i18n, gender)}</label>
            <select id=id.clone() data-testid="field-gender" node_ref=node_ref
                aria-invalid=invalid(form, Field::Gender)
                aria-describedby=format!("{id}-message")
                prop:value=move || gender.get()
                on:change=move |e| {
                    gender.set(event_target_value(&e));
                    form.mark(Field::Gender);
                }>
                <option value="" selected=gender.get_untracked().is_empty()>"—"</option>
                <option value="male" selected=gender.get_untracked() == "male">{tr!(i18n, male)}</option>
                <option value="female" selected=gender.get_untracked() == "female">{tr!(i18n, female)}</option>
            </select>
            <FieldMessage form field=Field::Gender pid hint=|_| ""/>
        </div>
    }
}

/// The birth date, from 1900-01-01 to today.
#[component]
pub(super) fn BirthDateField(
    form: EditorState,
    pid: String,
    node_ref: NodeRef<html::Input>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = dom_id(&pid, Field::BirthDate);
    view! {
        <div class="field">
            <label for=id.clone()>{tr!(i18n, birth_date)}</label>
            <input id=id.clone() type="date" min="1900-01-01" max=clock::iso(form.today)
                data-testid="field-birth_date" node_ref=node_ref
                aria-invalid=invalid(form, Field::BirthDate)
                aria-describedby=format!("{id}-message")
                bind:value=form.birth_date
                on:change=move |_| form.mark(Field::BirthDate)/>
            <FieldMessage form field=Field::BirthDate pid hint=|_| ""/>
        </div>
    }
}
