//! Calls to the REST API from the browser (`XMLHttpRequest`, as the upload panel does), as
//! futures, for the pages that correct the grouping. The server renders those pages idle:
//! there a call fails at once.

use crate::i18n::Lang;
use crate::model::ErrorBody;
use serde::{de::DeserializeOwned, Serialize};

/// Text safe inside a query string value (RFC 3986 unreserved characters kept).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// A message for a failed call: the server's own (English, as the API writes it) when it
/// sent one, else one in the page's language.
pub fn failure(lang: Lang, status: u16, body: &str) -> String {
    let t = lang.texts();
    match (status, serde_json::from_str::<ErrorBody>(body).ok()) {
        (0, _) => t.unreachable.into(),
        (401, _) => t.session_ended.into(),
        (_, Some(body)) => match body.fields.values().next() {
            Some(field) if *field != body.error => format!("{}: {field}", body.error),
            _ => body.error,
        },
        (_, None) => (t.server_http)(status),
    }
}

/// Read the answer of a finished call.
pub fn outcome<T: DeserializeOwned>(lang: Lang, status: u16, body: &str) -> Result<T, String> {
    if (200..300).contains(&status) {
        serde_json::from_str(body).map_err(|_| lang.texts().answer_unreadable.into())
    } else {
        Err(failure(lang, status, body))
    }
}

/// `GET url`, read as `T`; failures are told in `lang`.
pub async fn get<T: DeserializeOwned>(lang: Lang, url: &str) -> Result<T, String> {
    send(lang, "GET", url, None::<&()>).await
}

/// `method url` with an optional JSON body, read as `T`; failures are told in `lang`.
pub async fn send<T: DeserializeOwned>(
    lang: Lang,
    method: &str,
    url: &str,
    body: Option<&impl Serialize>,
) -> Result<T, String> {
    let json = match body.map(serde_json::to_string).transpose() {
        Ok(json) => json,
        Err(err) => return Err(err.to_string()),
    };
    let (status, text) = xhr::call(method, url, json).await;
    outcome(lang, status, &text)
}

#[cfg(feature = "hydrate")]
mod xhr {
    use std::{cell::RefCell, future::Future, pin::Pin, rc::Rc, task};
    use wasm_bindgen::{closure::Closure, JsCast};

    /// The answer once it came, and who waits for it.
    type Slot = Rc<RefCell<(Option<(u16, String)>, Option<task::Waker>)>>;

    /// Resolves once the request ended (status 0 when nothing came back).
    struct Answer(Slot);

    impl Future for Answer {
        type Output = (u16, String);
        fn poll(self: Pin<&mut Self>, cx: &mut task::Context<'_>) -> task::Poll<Self::Output> {
            let mut slot = self.0.borrow_mut();
            match slot.0.take() {
                Some(answer) => task::Poll::Ready(answer),
                None => {
                    slot.1 = Some(cx.waker().clone());
                    task::Poll::Pending
                }
            }
        }
    }

    /// Send the request; the future resolves with the status and text of the answer.
    pub fn call(
        method: &str,
        url: &str,
        json: Option<String>,
    ) -> impl Future<Output = (u16, String)> {
        let slot: Slot = Rc::default();
        let Ok(xhr) = web_sys::XmlHttpRequest::new() else {
            slot.borrow_mut().0 = Some((0, String::new()));
            return Answer(slot);
        };
        let (done, finished) = (slot.clone(), xhr.clone());
        // `loadend` fires exactly once, after load, error or abort.
        let on_loadend = Closure::once_into_js(move || {
            let status = finished.status().unwrap_or(0);
            let text = finished.response_text().ok().flatten().unwrap_or_default();
            let waker = {
                let mut slot = done.borrow_mut();
                slot.0 = Some((status, text));
                slot.1.take()
            };
            if let Some(waker) = waker {
                waker.wake();
            }
        });
        xhr.set_onloadend(Some(on_loadend.unchecked_ref()));
        let sent = xhr
            .open(method, url)
            .and_then(|()| xhr.set_request_header("Accept", "application/json"))
            .and_then(|()| match &json {
                Some(json) => xhr
                    .set_request_header("Content-Type", "application/json")
                    .and_then(|()| xhr.send_with_opt_str(Some(json))),
                None => xhr.send(),
            });
        if sent.is_err() {
            xhr.set_onloadend(None);
            slot.borrow_mut().0 = Some((0, String::new()));
        }
        Answer(slot)
    }
}

#[cfg(not(feature = "hydrate"))]
mod xhr {
    /// Without a browser nothing is sent.
    pub async fn call(_method: &str, _url: &str, _json: Option<String>) -> (u16, String) {
        (0, String::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(encode("Иван o'Neil"), "%D0%98%D0%B2%D0%B0%D0%BD%20o%27Neil");
        assert_eq!(encode("a-b_c.d~"), "a-b_c.d~");
    }

    #[test]
    fn failures_use_the_server_message() {
        let body = r#"{"error":"bad input","fields":{"profiles":"unknown profile x"}}"#;
        let en = Lang::En;
        assert_eq!(failure(en, 422, body), "bad input: unknown profile x");
        assert_eq!(
            failure(Lang::Ru, 404, r#"{"error":"no such profile"}"#),
            "no such profile"
        );
        assert_eq!(failure(en, 500, ""), "the server answered HTTP 500");
        assert_eq!(failure(Lang::Ru, 500, ""), "сервер ответил HTTP 500");
        assert!(outcome::<i64>(en, 200, "12") == Ok(12));
    }
}
