//! The `{id}` of a resource path: a UUID, as the service creates them. Anything else is
//! answered 400 naming the `id` field, before any lookup.

use crate::error::ApiError;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;

/// A well-formed resource id, in canonical (lowercase, hyphenated) form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceId(pub String);

impl ResourceId {
    /// Accepts any UUID spelling the `uuid` crate reads; rejects everything else.
    pub fn parse(raw: &str) -> Result<Self, ApiError> {
        uuid::Uuid::try_parse(raw.trim())
            .map(|id| Self(id.hyphenated().to_string()))
            .map_err(|_| {
                ApiError::malformed_field(
                    "id",
                    "must be a UUID such as 0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
                )
            })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ResourceId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::malformed_field("id", "must be a UUID in the path"))?;
        Self::parse(&raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_canonical_and_anything_else_is_refused() {
        let id = "0193A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B";
        assert_eq!(ResourceId::parse(id).unwrap().0, id.to_lowercase());
        assert_eq!(
            ResourceId::parse("0193a1b2c3d47e5f8a9b0c1d2e3f4a5b")
                .unwrap()
                .0,
            id.to_lowercase()
        );
        for bad in [
            "",
            "42",
            "../../etc/passwd",
            "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5",
            "x\0y",
            &"a".repeat(5000),
        ] {
            assert!(ResourceId::parse(bad).is_err(), "{bad:?}");
        }
    }
}
