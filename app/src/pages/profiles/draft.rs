//! The profile form's values as typed, checked with the shared newtypes of
//! [`crate::validate`] so the browser shows the server's own messages before sending.

use crate::api::ProfileForm;
use crate::model::Profile;
use crate::validate::{BirthDate, FieldError, FullName, Gender, Ymd};
use std::collections::BTreeMap;

/// One editable field of a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// Surname, given name, optional patronymic.
    FullName,
    /// `male` or `female`.
    Gender,
    /// `YYYY-MM-DD`.
    BirthDate,
}

impl Field {
    /// Every field, in form order.
    pub const ALL: [Field; 3] = [Field::FullName, Field::Gender, Field::BirthDate];

    /// The field's name in JSON, in error bodies and in `data-testid`s.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FullName => "full_name",
            Self::Gender => "gender",
            Self::BirthDate => "birth_date",
        }
    }
}

/// The form's text, exactly as typed; an empty field clears the value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    /// Full name text.
    pub full_name: String,
    /// `male`, `female` or empty.
    pub gender: String,
    /// `YYYY-MM-DD` or empty.
    pub birth_date: String,
}

impl Draft {
    /// The form filled with a profile's current values.
    pub fn of(profile: &Profile) -> Self {
        Self {
            full_name: profile.full_name.clone().unwrap_or_default(),
            gender: profile
                .gender
                .map(|g| g.as_str().to_string())
                .unwrap_or_default(),
            birth_date: profile.birth_date.clone().unwrap_or_default(),
        }
    }

    /// The text of one field.
    pub fn value(&self, field: Field) -> &str {
        match field {
            Field::FullName => &self.full_name,
            Field::Gender => &self.gender,
            Field::BirthDate => &self.birth_date,
        }
    }

    /// What is wrong with one field, as the shared newtypes see it; empty is fine.
    pub fn check(&self, field: Field, today: Ymd) -> Option<FieldError> {
        let raw = self.value(field).trim();
        if raw.is_empty() {
            return None;
        }
        match field {
            Field::FullName => FullName::parse(raw).err(),
            Field::Gender => Gender::parse(raw).err(),
            Field::BirthDate => BirthDate::parse(raw, today).err(),
        }
    }

    /// Every field's problem.
    pub fn errors(&self, today: Ymd) -> BTreeMap<Field, FieldError> {
        Field::ALL
            .into_iter()
            .filter_map(|f| self.check(f, today).map(|e| (f, e)))
            .collect()
    }

    /// What is sent to the server: trimmed text, `None` for empty fields.
    pub fn to_form(&self) -> ProfileForm {
        let given = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        ProfileForm {
            full_name: given(&self.full_name),
            gender: given(&self.gender),
            birth_date: given(&self.birth_date),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Ymd = Ymd(2026, 11, 26);

    fn draft(name: &str, gender: &str, birth: &str) -> Draft {
        Draft {
            full_name: name.into(),
            gender: gender.into(),
            birth_date: birth.into(),
        }
    }

    #[test]
    fn empty_fields_are_valid_and_clear_the_value() {
        let d = draft("  ", "", "");
        assert!(d.errors(TODAY).is_empty());
        assert_eq!(d.to_form(), ProfileForm::default());
    }

    #[test]
    fn each_field_gets_the_newtype_message() {
        let d = draft("Smith 42", "other", "2027-01-01");
        let errors = d.errors(TODAY);
        assert_eq!(
            errors[&Field::FullName],
            FullName::parse("Smith 42").unwrap_err()
        );
        assert_eq!(errors[&Field::Gender], Gender::parse("other").unwrap_err());
        assert_eq!(errors[&Field::BirthDate], FieldError::DateInFuture);
    }

    #[test]
    fn valid_values_are_sent_trimmed() {
        let d = draft(" Иванов Иван Иванович ", "male", "1985-04-12");
        assert!(d.errors(TODAY).is_empty());
        let form = d.to_form();
        assert_eq!(form.full_name.as_deref(), Some("Иванов Иван Иванович"));
        assert_eq!(form.gender.as_deref(), Some("male"));
        assert_eq!(form.birth_date.as_deref(), Some("1985-04-12"));
        assert_eq!(Field::BirthDate.as_str(), "birth_date");
    }
}
