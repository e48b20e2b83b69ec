//! The HTTP boundary's error type: the right 4xx for bad input, a generic 500 otherwise.

use app::model::ErrorBody;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::collections::BTreeMap;

/// Everything a handler can fail with. Internal details are logged, never sent.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Input that parsed but is not acceptable; one message per field.
    #[error("{message}")]
    Invalid {
        message: String,
        fields: BTreeMap<String, String>,
    },
    /// Malformed request (bad multipart, bad JSON syntax).
    #[error("{0}")]
    BadRequest(String),
    /// A malformed part of the request that has a name (a path id, a header).
    #[error("{field}: {message}")]
    MalformedField { field: String, message: String },
    /// The client stopped sending the request body for longer than allowed.
    #[error("{0}")]
    Timeout(String),
    /// No such resource.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The request conflicts with the resource's state.
    #[error("{0}")]
    Conflict(String),
    /// An uploaded file is larger than allowed.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// Storing the request would leave the server's disk too full.
    #[error("{0}")]
    InsufficientStorage(String),
    /// The database failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// Anything else that is our fault.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    /// A 422 with a single field message.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        let message = message.into();
        let fields = BTreeMap::from([(field.into(), message.clone())]);
        Self::Invalid { message, fields }
    }

    /// A 400 naming the malformed field.
    pub fn malformed_field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::MalformedField {
            field: field.into(),
            message: message.into(),
        }
    }

    /// A 422 listing every invalid field.
    pub fn invalid(fields: BTreeMap<String, String>) -> Self {
        let message = fields
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join("; ");
        Self::Invalid { message, fields }
    }

    /// The HTTP status this error maps to.
    pub fn status_code(&self) -> StatusCode {
        match self {
            Self::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::BadRequest(_) | Self::MalformedField { .. } => StatusCode::BAD_REQUEST,
            Self::Timeout(_) => StatusCode::REQUEST_TIMEOUT,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::InsufficientStorage(_) => StatusCode::INSUFFICIENT_STORAGE,
            Self::Database(_) | Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What the client is told: internals are replaced by a generic message.
    pub fn body(&self) -> ErrorBody {
        match self {
            Self::Invalid { message, fields } => ErrorBody {
                error: message.clone(),
                fields: fields.clone(),
            },
            Self::MalformedField { field, message } => ErrorBody {
                error: format!("{field}: {message}"),
                fields: BTreeMap::from([(field.clone(), message.clone())]),
            },
            Self::Database(_) | Self::Internal(_) => ErrorBody {
                error: "internal error; it has been logged".into(),
                fields: BTreeMap::new(),
            },
            other => ErrorBody {
                error: other.to_string(),
                fields: BTreeMap::new(),
            },
        }
    }
}

impl ApiError {
    /// Logs errors that are the server's fault (once, where they leave the service).
    pub fn log_if_internal(&self) {
        if self.status_code().is_server_error() {
            tracing::error!(error = ?self, "request failed");
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.log_if_internal();
        (self.status_code(), Json(self.body())).into_response()
    }
}
