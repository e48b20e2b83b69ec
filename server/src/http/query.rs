//! Query-string parameters, parsed with a 422 naming the parameter that is wrong.

use crate::error::ApiError;
use std::collections::HashMap;

/// A whole number parameter within `min..=max`, or `default` when absent.
pub fn query_number(
    query: &HashMap<String, String>,
    name: &str,
    default: i64,
    min: i64,
    max: i64,
) -> Result<i64, ApiError> {
    let Some(raw) = query.get(name) else {
        return Ok(default);
    };
    match raw.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ if max == i64::MAX => Err(ApiError::field(
            name,
            format!("must be a whole number ≥ {min}"),
        )),
        _ => Err(ApiError::field(
            name,
            format!("must be a whole number from {min} to {max}"),
        )),
    }
}

/// A boolean parameter (`true` or `false`), or `None` when absent.
pub fn query_bool(query: &HashMap<String, String>, name: &str) -> Result<Option<bool>, ApiError> {
    match query.get(name).map(String::as_str) {
        None => Ok(None),
        Some("true") => Ok(Some(true)),
        Some("false") => Ok(Some(false)),
        Some(_) => Err(ApiError::field(name, "must be true or false")),
    }
}

/// Refuses parameters other than `allowed` (a typo would otherwise silently list everything).
pub fn only_known(query: &HashMap<String, String>, allowed: &[&str]) -> Result<(), ApiError> {
    match query.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(unknown) => Err(ApiError::field(
            unknown.clone(),
            format!("unknown parameter; allowed: {}", allowed.join(", ")),
        )),
        None => Ok(()),
    }
}
