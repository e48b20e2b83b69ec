//! Settings of the HTTP surface: the API token, CORS, body timeout and the metrics listener.

use clap::Args;
use std::net::SocketAddr;

/// Access control and request limits of the HTTP surface.
#[derive(Debug, Clone, Args)]
pub struct HttpArgs {
    /// When set, every `/api` route, server function, crop and video needs
    /// `Authorization: Bearer <token>` (or the UI's cookie); at least 16 characters.
    #[arg(long, env = "FACETALLY_API_TOKEN", value_parser = ApiToken::parse, hide_env_values = true)]
    pub api_token: Option<ApiToken>,
    /// Origins allowed to call the API from a browser (comma-separated); default: none.
    #[arg(long, env = "FACETALLY_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,
    /// Seconds a request body may stall between two chunks before the request is answered 408.
    #[arg(long, env = "FACETALLY_BODY_TIMEOUT_SECS", default_value_t = 30)]
    pub body_timeout_secs: u64,
    /// Also serve `GET /metrics` (Prometheus) on this `IP:PORT` alone; the only HTTP of a
    /// `worker`. The API token, when set, is needed there too.
    #[arg(long, env = "FACETALLY_METRICS_ADDR", value_parser = parse_metrics_addr)]
    pub metrics_addr: Option<SocketAddr>,
}

fn parse_metrics_addr(raw: &str) -> Result<SocketAddr, String> {
    raw.trim().parse().map_err(|_| {
        "FACETALLY_METRICS_ADDR must be an IP address and a port, like 127.0.0.1:9465 or [::1]:9465".to_owned()
    })
}

impl Default for HttpArgs {
    fn default() -> Self {
        Self {
            api_token: None,
            cors_origins: Vec::new(),
            body_timeout_secs: 30,
            metrics_addr: None,
        }
    }
}

/// The shared secret of `FACETALLY_API_TOKEN`; never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiToken(String);

impl ApiToken {
    /// A token of at least 16 visible characters without spaces.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let token = raw.trim();
        if token.chars().count() < 16 {
            return Err("the API token needs at least 16 characters".into());
        }
        if token.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("the API token must not contain spaces or control characters".into());
        }
        Ok(Self(token.to_owned()))
    }

    /// The secret itself, for comparison.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ApiToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiToken(<redacted>)")
    }
}
