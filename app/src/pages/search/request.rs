//! Talking to `POST /api/search` and `POST /api/profiles` from the browser with
//! `XMLHttpRequest` (as the upload panel does), and reading their answers.

use crate::i18n::Lang;
#[cfg(feature = "hydrate")]
use crate::model::NewProfile;
use crate::model::{ErrorBody, Profile, SearchResult};

/// Where searches are sent.
pub const SEARCH_URL: &str = "/api/search";
/// Where profiles are made from people.
pub const PROFILES_URL: &str = "/api/profiles";
/// The lowest similarity the page asks for; the slider filters above it without asking again.
pub const FLOOR: f32 = 0.2;
/// The most matches the server gives.
pub const LIMIT: usize = 200;

/// A photo chosen in the browser: the file (browser build only) and its object URL.
#[derive(Debug, Clone)]
pub struct Photo {
    /// The file, sent as part `photo`.
    #[cfg(feature = "hydrate")]
    pub file: send_wrapper::SendWrapper<web_sys::File>,
    /// `blob:` URL of the file, for the preview.
    pub url: String,
}

/// Two photos are the same when they have the same object URL (each file gets its own).
impl PartialEq for Photo {
    fn eq(&self, other: &Self) -> bool {
        self.url == other.url
    }
}

/// What is searched for.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A face in an uploaded photo.
    Photo(Photo),
    /// The embeddings of a profile (its id).
    Profile(String),
}

/// Why a search gave no result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchError {
    /// The photo has no usable face (the server's `fields.photo` message); searching anyway
    /// with `force=true` may still work.
    Photo(String),
    /// Anything else, for a person.
    Other(String),
}

/// Read a finished search request.
pub fn search_outcome(lang: Lang, status: u16, body: &str) -> Result<SearchResult, SearchError> {
    let t = lang.texts();
    if (200..300).contains(&status) {
        return serde_json::from_str(body)
            .map_err(|_| SearchError::Other(t.search_unreadable.into()));
    }
    let parsed = serde_json::from_str::<ErrorBody>(body).ok();
    if let Some(message) = parsed.as_ref().and_then(|b| b.fields.get("photo")) {
        return Err(SearchError::Photo(message.clone()));
    }
    Err(SearchError::Other(error_message(
        lang,
        status,
        parsed,
        t.search_what,
    )))
}

/// Read a finished `POST /api/profiles`.
pub fn profile_outcome(lang: Lang, status: u16, body: &str) -> Result<Profile, String> {
    let t = lang.texts();
    match status {
        200..=299 => serde_json::from_str(body).map_err(|_| t.profile_unreadable.into()),
        409 => Err(t.already_has_profile.into()),
        _ => Err(error_message(
            lang,
            status,
            serde_json::from_str(body).ok(),
            t.creating_profile_what,
        )),
    }
}

/// A message for a failed request: the server's own (English) if it sent one.
fn error_message(lang: Lang, status: u16, parsed: Option<ErrorBody>, what: &str) -> String {
    let t = lang.texts();
    match (status, parsed) {
        (0, _) => (t.what_unreachable)(what),
        (413, _) => t.photo_too_large.into(),
        (401, _) => t.session_ended_sentence.into(),
        (_, Some(body)) => match body.fields.values().next() {
            Some(field) if *field != body.error => format!("{}: {field}", body.error),
            _ => body.error,
        },
        (_, None) => (t.what_http)(what, status),
    }
}

/// Ask the server for the people who look like `source` (face `face` of a photo), everything
/// above [`FLOOR`]; `on_done` is called once with the outcome.
#[cfg(feature = "hydrate")]
pub fn search(
    lang: Lang,
    source: &Source,
    face: Option<usize>,
    force: bool,
    on_done: impl FnOnce(Result<SearchResult, SearchError>) + 'static,
) {
    let form = (|| {
        let form = web_sys::FormData::new()?;
        match source {
            Source::Photo(photo) => {
                form.append_with_blob_and_filename("photo", &photo.file, &photo.file.name())?
            }
            Source::Profile(id) => form.append_with_str("profile_id", id)?,
        }
        if let Some(face) = face {
            form.append_with_str("face", &face.to_string())?;
        }
        form.append_with_str("min_similarity", &FLOOR.to_string())?;
        form.append_with_str("limit", &LIMIT.to_string())?;
        form.append_with_str("order", "similarity")?;
        if force {
            form.append_with_str("force", "true")?;
        }
        Ok::<_, wasm_bindgen::JsValue>(form)
    })();
    match form {
        Ok(form) => post(SEARCH_URL, Body::Form(form), move |status, body| {
            on_done(search_outcome(lang, status, &body))
        }),
        Err(err) => on_done(Err(SearchError::Other((lang.texts().search_not_started)(
            &format!("{err:?}"),
        )))),
    }
}

/// Make a profile from the person `person_id`; `on_done` is called once.
#[cfg(feature = "hydrate")]
pub fn create_profile(
    lang: Lang,
    person_id: String,
    on_done: impl FnOnce(Result<Profile, String>) + 'static,
) {
    let json = serde_json::to_string(&NewProfile { person_id }).unwrap_or_default();
    post(PROFILES_URL, Body::Json(json), move |status, body| {
        on_done(profile_outcome(lang, status, &body))
    });
}

/// A request body.
#[cfg(feature = "hydrate")]
enum Body {
    Form(web_sys::FormData),
    Json(String),
}

/// POST `body` to `url`; `on_done(status, text)` once (status 0 when nothing came back).
#[cfg(feature = "hydrate")]
fn post(url: &str, body: Body, on_done: impl FnOnce(u16, String) + 'static) {
    use wasm_bindgen::{closure::Closure, JsCast};
    let Ok(xhr) = web_sys::XmlHttpRequest::new() else {
        return on_done(0, String::new());
    };
    let finished = xhr.clone();
    // `loadend` fires exactly once, after load, error or abort.
    let on_loadend = Closure::once_into_js(move || {
        let status = finished.status().unwrap_or(0);
        let text = finished.response_text().ok().flatten().unwrap_or_default();
        on_done(status, text);
    });
    xhr.set_onloadend(Some(on_loadend.unchecked_ref()));
    let sent = xhr
        .open("POST", url)
        .and_then(|()| xhr.set_request_header("Accept", "application/json"))
        .and_then(|()| match &body {
            Body::Form(form) => xhr.send_with_opt_form_data(Some(form)),
            Body::Json(json) => xhr
                .set_request_header("Content-Type", "application/json")
                .and_then(|()| xhr.send_with_opt_str(Some(json))),
        });
    if sent.is_err() {
        // `loadend` will not come: report the failure through it by hand.
        xhr.set_onloadend(None);
        let _ = js_sys::Reflect::apply(
            on_loadend.unchecked_ref::<js_sys::Function>(),
            &xhr,
            &js_sys::Array::new(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_photo_offers_to_search_anyway() {
        let body = r#"{"error":"bad input","fields":{"photo":"the face is too blurred"}}"#;
        assert_eq!(
            search_outcome(Lang::En, 422, body),
            Err(SearchError::Photo("the face is too blurred".into()))
        );
    }

    #[test]
    fn other_errors_are_plain_messages() {
        let face = r#"{"error":"bad input","fields":{"face":"there are only 2 faces"}}"#;
        assert_eq!(
            search_outcome(Lang::En, 422, face),
            Err(SearchError::Other(
                "bad input: there are only 2 faces".into()
            ))
        );
        assert_eq!(
            search_outcome(Lang::En, 413, ""),
            Err(SearchError::Other("The photo is too large.".into()))
        );
        assert_eq!(
            search_outcome(Lang::Ru, 413, ""),
            Err(SearchError::Other("Фото слишком большое.".into()))
        );
        assert!(
            matches!(search_outcome(Lang::En, 0, ""), Err(SearchError::Other(m)) if m.contains("reached"))
        );
        assert!(profile_outcome(Lang::En, 409, "{}")
            .unwrap_err()
            .contains("already has a profile"));
    }
}
