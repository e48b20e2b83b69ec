//! Sending files to `POST /api/videos` with `XMLHttpRequest`, the one browser API that
//! reports upload progress, and reading its answer.

use crate::i18n::Lang;
use crate::model::{ErrorBody, Video};

/// Where videos are uploaded.
pub const UPLOAD_URL: &str = "/api/videos";

/// Why an upload was refused: the server's message and one line per bad file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadError {
    /// What went wrong, for a person.
    pub message: String,
    /// `file name: problem` for each file the server complained about.
    pub details: Vec<String>,
}

impl UploadError {
    /// An error with only a message.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            details: Vec::new(),
        }
    }

    /// Read a non-2xx answer. Field names like `files[1]` are shown as the file's name; the
    /// server's own messages stay as it wrote them (English).
    pub fn from_response(lang: Lang, status: u16, body: &str, filenames: &[String]) -> Self {
        let t = lang.texts();
        if status == 0 {
            return Self::new(t.upload_unreachable);
        }
        let Ok(parsed) = serde_json::from_str::<ErrorBody>(body) else {
            return Self::new(match status {
                413 => t.upload_too_large.to_string(),
                _ => (t.upload_http)(status),
            });
        };
        let details = parsed
            .fields
            .iter()
            .map(|(field, problem)| {
                let label = field_label(field, filenames);
                if problem.starts_with(&label) {
                    problem.clone()
                } else {
                    format!("{label}: {problem}")
                }
            })
            .filter(|detail| *detail != parsed.error)
            .collect();
        Self {
            message: parsed.error,
            details,
        }
    }
}

/// `files[2]` → the third file's name; any other field name as it is.
fn field_label(field: &str, filenames: &[String]) -> String {
    field
        .strip_prefix("files[")
        .and_then(|rest| rest.strip_suffix(']'))
        .and_then(|i| i.parse::<usize>().ok())
        .and_then(|i| filenames.get(i).cloned())
        .unwrap_or_else(|| field.to_string())
}

/// Read a finished request: 2xx carries the created videos.
pub fn outcome(
    lang: Lang,
    status: u16,
    body: &str,
    filenames: &[String],
) -> Result<Vec<Video>, UploadError> {
    if (200..300).contains(&status) {
        serde_json::from_str(body).map_err(|_| UploadError::new(lang.texts().upload_unreadable))
    } else {
        Err(UploadError::from_response(lang, status, body, filenames))
    }
}

/// Upload `files` in one multipart request (parts `files` and `create_profiles`).
///
/// `on_progress(sent, total)` is called as bytes leave the browser; `on_done` once, when
/// the server has answered or the request failed.
#[cfg(feature = "hydrate")]
pub fn send(
    lang: Lang,
    files: Vec<web_sys::File>,
    create_profiles: bool,
    on_progress: impl Fn(f64, f64) + 'static,
    on_done: impl FnOnce(Result<Vec<Video>, UploadError>) + 'static,
) -> Result<(), UploadError> {
    use wasm_bindgen::{closure::Closure, JsCast};
    use web_sys::{FormData, ProgressEvent, XmlHttpRequest};

    let failed = |err: wasm_bindgen::JsValue| {
        UploadError::new((lang.texts().upload_not_started)(&format!("{err:?}")))
    };
    let filenames: Vec<String> = files.iter().map(|f| f.name()).collect();
    let form = FormData::new().map_err(failed)?;
    form.append_with_str(
        "create_profiles",
        if create_profiles { "true" } else { "false" },
    )
    .map_err(failed)?;
    for file in &files {
        form.append_with_blob_and_filename("files", file, &file.name())
            .map_err(failed)?;
    }

    let xhr = XmlHttpRequest::new().map_err(failed)?;
    xhr.open("POST", UPLOAD_URL).map_err(failed)?;
    xhr.set_request_header("Accept", "application/json")
        .map_err(failed)?;

    let upload = xhr.upload().map_err(failed)?;
    let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |ev: ProgressEvent| {
        if ev.length_computable() {
            on_progress(ev.loaded(), ev.total());
        }
    });
    upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));

    // `loadend` fires exactly once (after load, error or abort), so it frees itself and
    // the progress handler.
    let finished = xhr.clone();
    let on_loadend = Closure::once_into_js(move || {
        upload.set_onprogress(None);
        drop(progress);
        let status = finished.status().unwrap_or(0);
        let body = finished.response_text().ok().flatten().unwrap_or_default();
        on_done(outcome(lang, status, &body, &filenames));
    });
    xhr.set_onloadend(Some(on_loadend.unchecked_ref()));
    xhr.send_with_opt_form_data(Some(&form)).map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_name_the_file() {
        let body = r#"{"error":"some files are not videos","fields":{"files[1]":"not a video"}}"#;
        let names = vec!["a.mp4".to_string(), "notes.txt".to_string()];
        let err = outcome(Lang::En, 400, body, &names).unwrap_err();
        assert_eq!(err.message, "some files are not videos");
        assert_eq!(err.details, ["notes.txt: not a video"]);
    }

    #[test]
    fn details_do_not_repeat_the_message() {
        let body = r#"{"error":"b.txt: not a video","fields":{"files[0]":"b.txt: not a video"}}"#;
        let err = outcome(Lang::En, 422, body, &["b.txt".to_string()]).unwrap_err();
        assert_eq!(err.message, "b.txt: not a video");
        assert!(err.details.is_empty());
    }

    #[test]
    fn non_json_errors_get_a_generic_message() {
        assert_eq!(
            outcome(Lang::En, 502, "<html>", &[]).unwrap_err().message,
            "Upload failed (HTTP 502)."
        );
        assert_eq!(
            outcome(Lang::Ru, 502, "<html>", &[]).unwrap_err().message,
            "Загрузка не удалась (HTTP 502)."
        );
        assert!(outcome(Lang::En, 0, "", &[])
            .unwrap_err()
            .message
            .contains("could not be reached"));
    }

    #[test]
    fn created_videos_are_read() {
        assert_eq!(
            outcome(Lang::En, 201, "[]", &[]).unwrap(),
            Vec::<Video>::new()
        );
    }
}
