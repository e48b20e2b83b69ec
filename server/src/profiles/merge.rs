//! `POST /api/profiles/{id}/merge`: several profiles become one, all or nothing.

use super::{fields, ProfileService};
use crate::audit::Change;
use crate::db::matching as m;
use crate::db::profiles::{self as q, Change as FieldChange, ProfileChanges, ProfileRow};
use crate::error::ApiError;
use crate::security::Client;
use app::model::Profile;
use serde_json::json;

impl ProfileService {
    /// Folds `sources` into `target`: the target keeps its non-empty fields and takes the
    /// empty ones from the sources in order; their people (and "not this person" decisions)
    /// join the target's gallery; the sources and their crops are deleted.
    #[tracing::instrument(skip(self, client))]
    pub async fn merge(
        &self,
        target: &str,
        sources: &[String],
        client: &Client,
    ) -> Result<Profile, ApiError> {
        check_sources(target, sources)?;
        let _serial = self.serial.lock().await;
        let mut tx = self.db.begin_matching().await?;
        let before = q::get_profile(&mut tx, target)
            .await?
            .ok_or(ApiError::NotFound("profile"))?;
        let mut rows = Vec::with_capacity(sources.len());
        let mut unknown = Vec::new();
        for id in sources {
            match q::get_profile(&mut tx, id).await? {
                Some(row) => rows.push(row),
                None => unknown.push(id.as_str()),
            }
        }
        if !unknown.is_empty() {
            let message = format!("no profile with id {}", unknown.join(", "));
            return Err(ApiError::field("profiles", message));
        }
        let after = q::update_profile(&mut tx, target, &filled(&before, &rows))
            .await?
            .ok_or(ApiError::NotFound("profile"))?;
        let mut moved = Vec::new();
        let mut crops = Vec::new();
        for row in &rows {
            moved.extend(m::move_profile_people(&mut tx, &row.id, target).await?);
            crops.extend(q::delete_profile(&mut tx, &row.id).await?);
        }
        let sources_before: Vec<_> = rows
            .iter()
            .map(|r| json!({"id": r.id, "values": fields(r)}))
            .collect();
        Change::new("profile.merge")
            .profiles(std::iter::once(target.to_owned()).chain(sources.iter().cloned()))
            .people(moved)
            .values(
                Some(json!({"target": fields(&before), "sources": sources_before})),
                Some(fields(&after)),
            )
            .record(&mut tx, client)
            .await?;
        tx.commit().await?;
        self.delete_crops(&crops).await;
        tracing::info!(merged = sources.len(), "profiles merged");
        self.get(target).await
    }
}

/// 422 for an empty list, the target itself, a repeated id or an id that is not a UUID.
fn check_sources(target: &str, sources: &[String]) -> Result<(), ApiError> {
    let bad = |message: String| Err(ApiError::field("profiles", message));
    if sources.is_empty() {
        return bad("list at least one profile to merge into this one".into());
    }
    for (n, id) in sources.iter().enumerate() {
        if uuid::Uuid::parse_str(id).is_err() {
            return bad(format!("{id:?} is not a profile id (a UUID)"));
        }
        if id.eq_ignore_ascii_case(target) {
            return bad("a profile cannot be merged into itself".into());
        }
        if sources[..n].contains(id) {
            return bad(format!("profile {id} is listed twice"));
        }
    }
    Ok(())
}

/// The target's empty fields, each filled from the first source that has it.
fn filled(target: &ProfileRow, sources: &[ProfileRow]) -> ProfileChanges {
    let fill = |own: &Option<String>, pick: fn(&ProfileRow) -> &Option<String>| -> FieldChange {
        if own.is_some() {
            return None;
        }
        sources.iter().find_map(|s| pick(s).clone()).map(Some)
    };
    ProfileChanges {
        full_name: fill(&target.full_name, |r| &r.full_name),
        gender: fill(&target.gender, |r| &r.gender),
        birth_date: fill(&target.birth_date, |r| &r.birth_date),
        hidden: None,
        watch: None,
    }
}
