//! Moving a person between profiles by hand, and making a profile from a person. Moving a
//! person out of a profile is remembered as "not this person" for that profile.

use super::{profile_crop_key, ProfileService};
use crate::audit::Change;
use crate::db::matching::{self as m, PersonFacts};
use crate::db::profiles as q;
use crate::error::ApiError;
use crate::security::Client;
use anyhow::Context;
use app::model::{Profile, VideoPerson};
use serde_json::json;
use sqlx::AnyConnection;
use vision::Embedding;

/// How a request names the person: in the path (unknown: 404) or in the body (unknown: 422).
#[derive(Debug, Clone, Copy)]
pub enum PersonRef<'a> {
    Path(&'a str),
    Body(&'a str),
}

impl PersonRef<'_> {
    fn id(&self) -> &str {
        match self {
            Self::Path(id) | Self::Body(id) => id,
        }
    }

    fn unknown(&self) -> ApiError {
        match self {
            Self::Path(_) => ApiError::NotFound("person"),
            Self::Body(_) => ApiError::field("person_id", "no person with this id"),
        }
    }
}

impl ProfileService {
    /// Puts the person into profile `to`, or into none. Re-processing and new videos keep
    /// it there; the profile it leaves never gets it back automatically.
    #[tracing::instrument(skip(self, client))]
    pub async fn move_person(
        &self,
        person_id: &str,
        to: Option<&str>,
        client: &Client,
    ) -> Result<VideoPerson, ApiError> {
        {
            let _serial = self.serial.lock().await;
            let mut tx = self.db.begin_matching().await?;
            let person = m::person_facts(&mut tx, person_id)
                .await?
                .ok_or(ApiError::NotFound("person"))?;
            if let Some(to) = to {
                if q::get_profile(&mut tx, to).await?.is_none() {
                    return Err(ApiError::field("profile_id", "no profile with this id"));
                }
            }
            self.place_by_hand(&mut tx, person_id, &person, to).await?;
            if person.profile_id.as_deref() != to {
                Change::new("person.move")
                    .profiles(
                        person
                            .profile_id
                            .iter()
                            .chain(to.map(str::to_owned).iter())
                            .cloned(),
                    )
                    .people([person_id.to_owned()])
                    .videos([person.video_id.clone()])
                    .values(
                        Some(json!({ "profile_id": person.profile_id })),
                        Some(json!({ "profile_id": to })),
                    )
                    .record(&mut tx, client)
                    .await?;
            }
            tx.commit().await?;
        }
        let row = self.db.get_person(person_id).await?;
        Ok(crate::search::video_person(
            row.ok_or(ApiError::NotFound("person"))?,
        ))
    }

    /// Makes a new profile from the person (its crop and face) and moves the person into it.
    /// With `only_unassigned`, a person that has a profile is a conflict (409).
    #[tracing::instrument(skip(self, client))]
    pub async fn profile_from_person(
        &self,
        person: PersonRef<'_>,
        only_unassigned: bool,
        client: &Client,
    ) -> Result<Profile, ApiError> {
        let person_id = person.id();
        let _serial = self.serial.lock().await;
        let mut tx = self.db.begin_matching().await?;
        let facts = m::person_facts(&mut tx, person_id)
            .await?
            .ok_or_else(|| person.unknown())?;
        if let (true, Some(profile_id)) = (only_unassigned, &facts.profile_id) {
            return Err(ApiError::Conflict(format!(
                "this person already belongs to profile {profile_id}"
            )));
        }
        let crop = self
            .storage
            .read(&facts.crop_key)
            .await
            .context("reading a person's crop")?
            .ok_or(ApiError::NotFound("the person's crop"))?;
        let id = uuid::Uuid::now_v7().to_string();
        let crop_key = profile_crop_key(&id);
        self.storage
            .put(&crop_key, crop.to_vec())
            .await
            .context("storing a profile crop")?;
        let model = facts.model.clone().unwrap_or_else(|| self.model.clone());
        m::insert_profile(&mut tx, &id, &crop_key, &facts.embedding, Some(&model)).await?;
        self.place_by_hand(&mut tx, person_id, &facts, Some(&id))
            .await?;
        Change::new("profile.create")
            .profiles(facts.profile_id.iter().cloned().chain([id.clone()]))
            .people([person_id.to_owned()])
            .videos([facts.video_id.clone()])
            .values(
                Some(json!({ "profile_id": facts.profile_id })),
                Some(json!({ "profile_id": id })),
            )
            .record(&mut tx, client)
            .await?;
        tx.commit().await?;
        drop(_serial);
        tracing::info!(profile_id = %id, "profile made from a person");
        self.get(&id).await
    }

    /// Sets the person's profile as an operator's decision: remembers "not this person" for
    /// the profile it leaves and forgets such a decision about the profile it joins.
    async fn place_by_hand(
        &self,
        conn: &mut AnyConnection,
        person_id: &str,
        person: &PersonFacts,
        to: Option<&str>,
    ) -> Result<(), ApiError> {
        m::set_person_profile(conn, person_id, to).await?;
        let from = person.profile_id.as_deref();
        if let Some(from) = from.filter(|from| Some(*from) != to) {
            m::insert_rejection(
                conn,
                from,
                &person.video_id,
                &person.embedding,
                person.model.as_deref(),
            )
            .await?;
        }
        if let (Some(to), Some(face)) = (to, Embedding::from_bytes(&person.embedding)) {
            let stale: Vec<String> = m::profile_rejections(conn, to, &person.video_id)
                .await?
                .into_iter()
                .filter(|r| {
                    Embedding::from_bytes(&r.embedding)
                        .is_some_and(|e| e.cosine(&face) >= self.match_threshold)
                })
                .map(|r| r.id)
                .collect();
            m::delete_rejections(conn, &stale).await?;
        }
        Ok(())
    }
}
