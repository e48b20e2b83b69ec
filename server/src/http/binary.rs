//! Binary answers (JPEG crops, video files), documented as `type: string, format: binary`,
//! so that generated clients take them as bytes and not as arrays of integers.

use axum::body::Body;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

/// A JPEG image, answered as stored with `Content-Type: image/jpeg`.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct Jpeg(pub bytes::Bytes);

impl IntoResponse for Jpeg {
    fn into_response(self) -> Response {
        let jpeg = HeaderValue::from_static("image/jpeg");
        ([(header::CONTENT_TYPE, jpeg)], self.0).into_response()
    }
}

/// The bytes of a file of any type (its `Content-Type` says which), streamed.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct FileBytes(pub Body);

impl IntoResponse for FileBytes {
    fn into_response(self) -> Response {
        self.0.into_response()
    }
}
