//! Who sent a request, as the audit log records it: the API token's fingerprint when the
//! request carried the token, else the client's address.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use std::convert::Infallible;
use std::fmt;
use std::net::SocketAddr;

/// The peer address of the connection a request came on (set by [`crate::serve::serve`]).
#[derive(Debug, Clone, Copy)]
pub struct PeerAddr(pub SocketAddr);

/// The first 12 hex digits of the token's SHA-256: tells tokens apart, reveals nothing.
#[derive(Debug, Clone)]
pub struct TokenFingerprint(String);

impl TokenFingerprint {
    /// The fingerprint of a token whose SHA-256 is `digest`.
    pub fn of(digest: &[u8; 32]) -> Self {
        Self(digest[..6].iter().map(|b| format!("{b:02x}")).collect())
    }
}

/// `token:<fingerprint>`, `addr:<ip>` or `unknown` (a request served without a socket).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client(String);

impl Client {
    /// Who sent the request these parts belong to.
    pub fn of(parts: &Parts) -> Self {
        if let Some(TokenFingerprint(fingerprint)) = parts.extensions.get() {
            return Self(format!("token:{fingerprint}"));
        }
        match parts.extensions.get::<PeerAddr>() {
            Some(PeerAddr(addr)) => Self(format!("addr:{}", addr.ip())),
            None => Self::unknown(),
        }
    }

    /// A caller that cannot be told (no request in reach).
    pub fn unknown() -> Self {
        Self("unknown".into())
    }

    /// The text stored in the audit log.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self::of(parts))
    }
}
