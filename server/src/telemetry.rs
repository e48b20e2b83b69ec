//! Logging setup.

use tracing_subscriber::{fmt, EnvFilter};

/// Installs a `tracing` subscriber writing to stderr, filtered by `RUST_LOG` (default `info`;
/// ONNX Runtime's own messages from `warn`).
/// Safe to call more than once (later calls do nothing), which tests rely on.
pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info,ort=warn"));
    let _ = fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
