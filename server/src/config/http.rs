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
    /// Largest upload request, all its files together, in bytes (413 beyond it).
    #[arg(long, env = "FACETALLY_MAX_REQUEST_BYTES", default_value_t = DEFAULT_MAX_REQUEST_BYTES)]
    pub max_request_bytes: u64,
    /// Uploads are refused with 507 before they would leave less than this many bytes free
    /// on the disk of the data dir.
    #[arg(long, env = "FACETALLY_MIN_FREE_BYTES", default_value_t = DEFAULT_MIN_FREE_BYTES)]
    pub min_free_bytes: u64,
    /// Most connections served at once; more wait in the listen backlog until one closes
    /// (every open page holds one for its live updates).
    #[arg(long, env = "FACETALLY_MAX_CONNECTIONS", default_value_t = DEFAULT_MAX_CONNECTIONS)]
    pub max_connections: usize,
}

/// Default of `FACETALLY_MAX_CONNECTIONS`.
pub const DEFAULT_MAX_CONNECTIONS: usize = 512;

/// Default of `FACETALLY_MAX_REQUEST_BYTES`: 16 GiB (eight files at the default per-file limit).
pub const DEFAULT_MAX_REQUEST_BYTES: u64 = 16 * 1024 * 1024 * 1024;
/// Default of `FACETALLY_MIN_FREE_BYTES`: 1 GiB.
pub const DEFAULT_MIN_FREE_BYTES: u64 = 1024 * 1024 * 1024;

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
            max_request_bytes: DEFAULT_MAX_REQUEST_BYTES,
            min_free_bytes: DEFAULT_MIN_FREE_BYTES,
            max_connections: DEFAULT_MAX_CONNECTIONS,
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
