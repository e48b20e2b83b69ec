//! What the edit form holds: the values typed, the fields whose problems are shown, what
//! the server said about the values it was sent, and whether a save is under way.

use super::super::draft::{Draft, Field};
use crate::i18n::I18n;
use crate::model::Profile;
use crate::validate::Ymd;
use leptos::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// Messages the server sent for the values it was sent; each is shown while its field
/// still holds the value it was about.
#[derive(Debug, Clone, Default)]
pub(super) struct ServerVerdict {
    pub sent: Draft,
    pub fields: BTreeMap<String, String>,
}

/// The signals of one edit form. Copied into every closure and field that needs them.
#[derive(Clone, Copy)]
pub(super) struct EditorState {
    pub full_name: RwSignal<String>,
    pub gender: RwSignal<String>,
    pub birth_date: RwSignal<String>,
    /// The three values together.
    pub draft: Memo<Draft>,
    /// Fields whose own problems are shown: after the operator leaves them, or on submit.
    pub checked: RwSignal<BTreeSet<Field>>,
    pub verdict: RwSignal<Option<ServerVerdict>>,
    /// A problem of the whole form (not of one field).
    pub form_error: RwSignal<Option<String>>,
    pub saving: RwSignal<bool>,
    /// The latest birth date the form accepts.
    pub today: Ymd,
    /// The page's language (messages are written in it).
    pub i18n: I18n,
}

impl EditorState {
    /// The form of `profile`, filled with its values.
    pub fn new(profile: &Profile, i18n: I18n, today: Ymd) -> Self {
        let initial = Draft::of(profile);
        let full_name = RwSignal::new(initial.full_name);
        let gender = RwSignal::new(initial.gender);
        let birth_date = RwSignal::new(initial.birth_date);
        let draft = Memo::new(move |_| Draft {
            full_name: full_name.get(),
            gender: gender.get(),
            birth_date: birth_date.get(),
        });
        Self {
            full_name,
            gender,
            birth_date,
            draft,
            checked: RwSignal::new(BTreeSet::new()),
            verdict: RwSignal::new(None),
            form_error: RwSignal::new(None),
            saving: RwSignal::new(false),
            today,
            i18n,
        }
    }

    /// The problem shown under `field`, if any. A problem the server found is shown in the
    /// page's language when the shared check knows it too, else in the server's own
    /// (English) words.
    pub fn error_for(self, field: Field) -> Option<String> {
        let current = self.draft.get();
        let t = self.i18n.t();
        let from_server = self.verdict.with(|v| {
            v.as_ref()
                .filter(|v| v.sent.value(field) == current.value(field))
                .and_then(|v| v.fields.get(field.as_str()).cloned())
        });
        match from_server {
            Some(message) => Some(
                current
                    .check(field, self.today)
                    .map_or(message, |err| (t.field_error)(&err)),
            ),
            None => self
                .checked
                .with(|c| c.contains(&field))
                .then(|| current.check(field, self.today))
                .flatten()
                .map(|err| (t.field_error)(&err)),
        }
    }

    /// Shows the problems of `field` from now on.
    pub fn mark(self, field: Field) {
        self.checked.update(|c| {
            c.insert(field);
        })
    }
}
