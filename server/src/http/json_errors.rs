//! Every error the API answers is an [`ErrorBody`] JSON document, including the ones axum and
//! tower produce themselves (unknown route, wrong method, extractor rejections, 413, 416).

use app::model::ErrorBody;
use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::collections::BTreeMap;

/// Longest plain-text error body that is carried over into the JSON message.
const MAX_TEXT: usize = 2048;

/// `/api/...` paths that match no route: a JSON 404.
pub async fn unknown_route() -> Response {
    let body = ErrorBody {
        error: "no such API route; see /api/openapi.json".into(),
        fields: BTreeMap::new(),
    };
    (StatusCode::NOT_FOUND, Json(body)).into_response()
}

/// Rewrites a non-JSON error response into an [`ErrorBody`], keeping status and headers
/// such as `Allow` or `Content-Range`. Server errors never carry their original text.
pub async fn to_json(response: Response) -> Response {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) || is_json(&response) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let text = match axum::body::to_bytes(body, MAX_TEXT).await {
        Ok(bytes) if status.is_client_error() => String::from_utf8_lossy(&bytes).trim().to_owned(),
        _ => String::new(),
    };
    let error = if text.is_empty() {
        default_message(status)
    } else {
        text
    };
    let json = serde_json::to_vec(&ErrorBody {
        error,
        fields: BTreeMap::new(),
    })
    .unwrap_or_default();
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(json))
}

fn is_json(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/json"))
}

fn default_message(status: StatusCode) -> String {
    match status {
        StatusCode::METHOD_NOT_ALLOWED => {
            "this method is not allowed on this route; see the Allow header".into()
        }
        StatusCode::RANGE_NOT_SATISFIABLE => "the requested byte range is outside the file".into(),
        StatusCode::REQUEST_TIMEOUT => {
            "the request body stalled; send it without long pauses".into()
        }
        status if status.is_server_error() => "internal error; it has been logged".into(),
        status => status
            .canonical_reason()
            .unwrap_or("request refused")
            .to_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body_of(response: Response) -> ErrorBody {
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[tokio::test]
    async fn plain_text_client_errors_become_json_with_their_text() {
        let response =
            to_json((StatusCode::BAD_REQUEST, "Failed to parse the request body").into_response())
                .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(
            body_of(response).await.error,
            "Failed to parse the request body"
        );
    }

    #[tokio::test]
    async fn server_errors_lose_their_text_and_empty_bodies_get_a_message() {
        let hidden = to_json(
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "panicked at src/db.rs:12",
            )
                .into_response(),
        )
        .await;
        assert_eq!(
            body_of(hidden).await.error,
            "internal error; it has been logged"
        );
        let allow = [(header::ALLOW, "GET,HEAD")];
        let empty = to_json((StatusCode::METHOD_NOT_ALLOWED, allow, "").into_response()).await;
        assert_eq!(empty.headers()[header::ALLOW], "GET,HEAD");
        assert!(body_of(empty).await.error.contains("not allowed"));
    }

    #[tokio::test]
    async fn successes_and_json_errors_pass_untouched() {
        let ok = to_json((StatusCode::OK, "fine").into_response()).await;
        assert_eq!(
            ok.headers()[header::CONTENT_TYPE],
            "text/plain; charset=utf-8"
        );
        let json = ErrorBody {
            error: "x".into(),
            fields: BTreeMap::new(),
        };
        let already = to_json((StatusCode::NOT_FOUND, Json(json)).into_response()).await;
        assert_eq!(body_of(already).await.error, "x");
    }
}
