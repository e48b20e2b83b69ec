//! `POST /api/profiles`: a profile made by hand from a person found in a video that was
//! processed without profiles (or left unassigned).

use super::assign::PersonRef;
use super::ProfileService;
use crate::error::ApiError;
use crate::security::Client;
use app::model::Profile;

impl ProfileService {
    /// Makes a profile from person `person_id` (its crop and embedding) and assigns the
    /// person to it. 422 for an unknown person, 409 if the person already has a profile.
    pub async fn create_from_person(
        &self,
        person_id: &str,
        client: &Client,
    ) -> Result<Profile, ApiError> {
        let Ok(id) = uuid::Uuid::parse_str(person_id) else {
            return Err(ApiError::field("person_id", "must be a person id (a UUID)"));
        };
        let id = id.to_string();
        self.profile_from_person(PersonRef::Body(&id), true, client)
            .await
    }

    /// Makes a profile from the person, taking it out of the profile it is in, if any.
    pub async fn split_person(
        &self,
        person_id: &str,
        client: &Client,
    ) -> Result<Profile, ApiError> {
        self.profile_from_person(PersonRef::Path(person_id), false, client)
            .await
    }
}
