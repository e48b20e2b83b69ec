//! Types of corrections to the automatic grouping: merging profiles, moving people between
//! them, suggestions, unassigned people and the audit log.

use super::{ProfileRef, VideoPerson};
use serde::{Deserialize, Serialize};

/// Body of `POST /api/profiles/{id}/merge`: the profiles to fold into the target, in the
/// order their fields are taken to fill the target's empty ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MergeRequest {
    /// Ids of the profiles merged into the target (at least one, not the target itself).
    pub profiles: Vec<String>,
}

/// Body of `PUT /api/people/{id}/profile`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    /// The profile the person belongs to, or null to leave it unassigned (required: say
    /// null to take the person out).
    #[cfg_attr(feature = "ssr", schema(required = true, format = Uuid))]
    pub profile_id: Option<String>,
}

/// One page of people found in videos.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PeoplePage {
    /// The people of this page, newest first.
    pub items: Vec<VideoPerson>,
    /// How many match the filter in all.
    pub total: i64,
}

/// Another profile that may be the same person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SimilarProfile {
    /// Best cosine similarity between the two galleries.
    pub similarity: f32,
    /// The profile.
    pub profile: ProfileRef,
}

/// An unassigned person that may belong to the profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SimilarPerson {
    /// Best cosine similarity to the profile's gallery.
    pub similarity: f32,
    /// The person.
    pub person: VideoPerson,
}

/// `GET /api/profiles/{id}/similar`: candidates for "is this the same person?", best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Suggestions {
    /// Other profiles, most similar first.
    pub profiles: Vec<SimilarProfile>,
    /// Unassigned people, most similar first.
    pub people: Vec<SimilarPerson>,
    /// The similarity above which automatic matching would join them.
    pub match_threshold: f32,
    /// The embedding model compared with (name and file hash).
    #[serde(default)]
    pub model: String,
    /// Faces (of people and profiles) embedded by another model, left out: vectors of two
    /// models cannot be compared (re-process their videos to include them).
    #[serde(default)]
    pub skipped_other_model: i64,
}

/// One manual change, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// Entry id (UUID v7, so ids sort by time).
    pub id: String,
    /// RFC 3339 UTC time of the change.
    pub at: String,
    /// `profile.edit`, `profile.merge`, `profile.create`, `profile.hide`, `profile.unhide`,
    /// `profile.delete`, `person.move` or `video.reprocess`.
    pub action: String,
    /// Who made it: `token:<fingerprint>` or `addr:<client address>`.
    pub client: String,
    /// The objects changed: `{"profiles": [...], "people": [...], "videos": [...]}`.
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub objects: serde_json::Value,
    /// The values before the change (null when there were none).
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub before: Option<serde_json::Value>,
    /// The values after the change (null when nothing is left).
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub after: Option<serde_json::Value>,
}

/// One page of the audit log, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditPage {
    /// The entries of this page.
    pub items: Vec<AuditEntry>,
    /// How many entries match in all.
    pub total: i64,
}

/// Folds a name for case-insensitive substring search: Unicode lower case, `ё` read as `е`
/// (Russian writes both for one letter), spaces collapsed.
pub fn name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .replace('ё', "е")
}

#[cfg(test)]
mod tests {
    use super::name_key;

    #[test]
    fn folds_case_in_every_script_and_yo() {
        assert_eq!(name_key("Ёлкин  Пётр"), "елкин петр");
        assert_eq!(name_key("O'Neil Mary-Ann"), "o'neil mary-ann");
    }
}
