//! Turning a PATCH body or the UI's form into validated [`ProfileChanges`], field by field.

use crate::db::profiles::{Change, ProfileChanges};
use app::api::ProfileForm;
use app::validate::{BirthDate, FullName, Gender, Ymd};
use serde_json::Value;
use std::collections::BTreeMap;

/// Field name → what is wrong with it.
pub type FieldErrors = BTreeMap<String, String>;

/// The latest acceptable birth date: today somewhere on Earth. An operator in UTC+3 just
/// after midnight is already on the next day while UTC is not; the form checks against the
/// browser's own day, which is never later than this, so what the form accepts the server
/// accepts too.
pub fn today() -> Ymd {
    latest_date_on_earth(time::OffsetDateTime::now_utc())
}

/// The calendar date in the easternmost time zone (UTC+14, Line Islands) at `now`.
fn latest_date_on_earth(now: time::OffsetDateTime) -> Ymd {
    let date = (now + time::Duration::hours(14)).date();
    Ymd(date.year(), u8::from(date.month()), date.day())
}

/// Validates a JSON PATCH body: an object with any of `full_name`, `gender`, `birth_date`,
/// each a string or null (null clears), and `hidden` and `watch` (booleans). Unknown fields and wrong
/// types are errors too.
pub fn from_json(body: &Value, today: Ymd) -> Result<ProfileChanges, FieldErrors> {
    let Value::Object(map) = body else {
        return Err(FieldErrors::from([(
            "body".into(),
            "must be a JSON object".into(),
        )]));
    };
    let mut changes = ProfileChanges::default();
    let mut errors = FieldErrors::new();
    for (key, value) in map {
        let flag = match key.as_str() {
            "hidden" => Some(&mut changes.hidden),
            "watch" => Some(&mut changes.watch),
            _ => None,
        };
        if let Some(flag) = flag {
            match value {
                Value::Bool(on) => *flag = Some(*on),
                _ => {
                    errors.insert(key.clone(), "must be true or false".into());
                }
            }
            continue;
        }
        let slot = match key.as_str() {
            "full_name" => &mut changes.full_name,
            "gender" => &mut changes.gender,
            "birth_date" => &mut changes.birth_date,
            _ => {
                errors.insert(
                    key.clone(),
                    "unknown field; allowed: full_name, gender, birth_date, hidden, watch".into(),
                );
                continue;
            }
        };
        let text = match value {
            Value::Null => None,
            Value::String(text) => Some(text.as_str()),
            _ => {
                errors.insert(key.clone(), "must be a string or null".into());
                continue;
            }
        };
        match parse_field(key, text, today) {
            Ok(change) => *slot = change,
            Err(message) => {
                errors.insert(key.clone(), message);
            }
        }
    }
    if errors.is_empty() {
        Ok(changes)
    } else {
        Err(errors)
    }
}

/// Validates the UI's form, where an empty or missing value clears the field.
pub fn from_form(form: &ProfileForm, today: Ymd) -> Result<ProfileChanges, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut field = |name: &str, value: &Option<String>| {
        let text = value.as_deref().map(str::trim).filter(|t| !t.is_empty());
        parse_field(name, text, today).unwrap_or_else(|message| {
            errors.insert(name.into(), message);
            None
        })
    };
    let changes = ProfileChanges {
        full_name: field("full_name", &form.full_name),
        gender: field("gender", &form.gender),
        birth_date: field("birth_date", &form.birth_date),
        hidden: None,
        watch: None,
    };
    if errors.is_empty() {
        Ok(changes)
    } else {
        Err(errors)
    }
}

/// One field's new value in its normalised text form; `Some(None)` clears it.
fn parse_field(name: &str, text: Option<&str>, today: Ymd) -> Result<Change, String> {
    let Some(text) = text else {
        return Ok(Some(None));
    };
    let normalised = match name {
        "full_name" => FullName::parse(text)?.to_string(),
        "gender" => Gender::parse(text)?.as_str().to_owned(),
        "birth_date" => BirthDate::parse(text, today)?.to_string(),
        _ => return Err("unknown field".into()),
    };
    Ok(Some(Some(normalised)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const TODAY: Ymd = Ymd(2026, 11, 26);

    #[test]
    fn a_date_that_is_today_anywhere_is_not_in_the_future() {
        // 21:30 UTC on 6 December is 00:30 on 7 December in Moscow (UTC+3).
        let evening = time::macros::datetime!(2026-12-06 21:30 UTC);
        let latest = latest_date_on_earth(evening);
        assert_eq!(latest, Ymd(2026, 12, 7));
        assert!(BirthDate::parse("2026-12-07", latest).is_ok());
        assert!(BirthDate::parse("2026-12-08", latest).is_err());
        // At 09:59 UTC it is still 6 December everywhere; at 10:00 the Line Islands are on the 7th.
        let morning = time::macros::datetime!(2026-12-06 09:59 UTC);
        assert_eq!(latest_date_on_earth(morning), Ymd(2026, 12, 6));
        let ten = time::macros::datetime!(2026-12-06 10:00 UTC);
        assert_eq!(latest_date_on_earth(ten), Ymd(2026, 12, 7));
    }

    #[test]
    fn absent_fields_are_kept_null_clears_and_values_are_normalised() {
        let changes = from_json(
            &json!({"full_name": "  Иванов   Иван ", "gender": null}),
            TODAY,
        )
        .unwrap();
        assert_eq!(changes.full_name, Some(Some("Иванов Иван".into())));
        assert_eq!(changes.gender, Some(None));
        assert_eq!(changes.birth_date, None);
        assert_eq!(changes.hidden, None);
        let hide = from_json(&json!({"hidden": true}), TODAY).unwrap();
        assert_eq!(hide.hidden, Some(true));
        assert!(!hide.has_fields());
        let watch = from_json(&json!({"watch": true}), TODAY).unwrap();
        assert_eq!((watch.watch, watch.hidden), (Some(true), None));
        let bad = from_json(&json!({"watch": 1}), TODAY).unwrap_err();
        assert!(bad["watch"].contains("true or false"));
        let bad = from_json(&json!({"hidden": "yes"}), TODAY).unwrap_err();
        assert!(bad["hidden"].contains("true or false"));
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let errors = from_json(
            &json!({"full_name": "X", "gender": 3, "birth_date": "2023-02-30", "age": 40}),
            TODAY,
        )
        .unwrap_err();
        assert_eq!(
            errors.keys().collect::<Vec<_>>(),
            ["age", "birth_date", "full_name", "gender"]
        );
        assert!(errors["gender"].contains("string or null"));
        assert!(from_json(&json!([1]), TODAY)
            .unwrap_err()
            .contains_key("body"));
    }

    #[test]
    fn the_form_treats_empty_as_clear() {
        let form = ProfileForm {
            full_name: Some(" ".into()),
            gender: Some("female".into()),
            birth_date: None,
        };
        let changes = from_form(&form, TODAY).unwrap();
        assert_eq!(
            (changes.full_name, changes.gender, changes.birth_date),
            (Some(None), Some(Some("female".into())), Some(None))
        );
        let bad = ProfileForm {
            birth_date: Some("2030-01-01".into()),
            ..Default::default()
        };
        assert!(from_form(&bad, TODAY).unwrap_err()["birth_date"].contains("future"));
    }
}
