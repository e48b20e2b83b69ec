//! The edit form of one profile: full name, gender and birth date, checked as they are
//! typed with the shared newtypes, saved with the `save_profile` server function.

mod fields;
mod state;

use super::draft::{Draft, Field};
use crate::api::{save_profile, ProfileSave};
use crate::components::{clock, error_text};
use crate::i18n::{tr, use_i18n};
use crate::model::Profile;
use fields::{BirthDateField, FieldRefs, GenderField, NameField};
use leptos::{ev, prelude::*, task::spawn_local};
use state::{EditorState, ServerVerdict};

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
    let form = EditorState::new(&profile, i18n, clock::today());
    let refs = FieldRefs::default();
    let focus_first_invalid = move || {
        refs.focus(
            Field::ALL
                .into_iter()
                .find(|f| form.error_for(*f).is_some()),
        )
    };

    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        if form.saving.get_untracked() {
            return;
        }
        form.checked.set(Field::ALL.into_iter().collect());
        form.form_error.set(None);
        let sent = form.draft.get_untracked();
        if !sent.errors(form.today).is_empty() {
            focus_first_invalid();
            return;
        }
        form.saving.set(true);
        spawn_local(save(form, id.clone(), sent, on_saved, focus_first_invalid));
    };

    let pid = profile.id.clone();
    let saving = form.saving;
    view! {
        <form class="profile-form" novalidate data-testid="profile-form" on:submit=submit
            on:keydown=move |e: ev::KeyboardEvent| if e.key() == "Escape" { on_cancel.run(()) }>
            <NameField form pid=pid.clone() node_ref=refs.full_name/>
            <div class="field-row">
                <GenderField form pid=pid.clone() node_ref=refs.gender/>
                <BirthDateField form pid node_ref=refs.birth_date/>
            </div>
            {move || form.form_error.get().map(|text| view! {
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

/// Sends `sent` to the server: the stored profile goes to `on_saved`; the server's messages
/// are shown under their fields (or over the form), and the focus moves to the first.
async fn save(
    form: EditorState,
    id: String,
    sent: Draft,
    on_saved: Callback<Profile>,
    focus_first_invalid: impl Fn() + 'static,
) {
    match save_profile(id, sent.to_form()).await {
        Ok(ProfileSave::Saved(profile)) => on_saved.run(profile),
        Ok(ProfileSave::Invalid(body)) => {
            let known = Field::ALL
                .iter()
                .any(|f| body.fields.contains_key(f.as_str()));
            if !known {
                form.form_error.try_set(Some(body.error.clone()));
            }
            form.verdict.try_set(Some(ServerVerdict {
                sent,
                fields: body.fields,
            }));
            focus_first_invalid();
        }
        Err(err) => {
            let lang = form.i18n.lang_untracked();
            let message = (lang.texts().save_failed)(&error_text(lang, &err));
            form.form_error.try_set(Some(message));
        }
    }
    form.saving.try_set(false);
}
