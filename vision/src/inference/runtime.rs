//! The process's ONNX Runtime: loaded once from the library found by
//! [`super::library`], then shared by every session.

use std::path::PathBuf;
use std::sync::OnceLock;

use ort::environment::Environment;
use ort::session::builder::GraphOptimizationLevel;
use ort::session::Session;

use super::library::{find_library, Lookup};
use crate::VisionError;

/// A loaded ONNX Runtime.
pub(crate) struct Runtime {
    env: Environment,
    /// The library file it was loaded from.
    pub path: PathBuf,
}

/// Why loading failed, kept so that every later call gives the same error.
#[derive(Debug, Clone)]
struct LoadFailure {
    searched: Vec<PathBuf>,
    reason: String,
}

static RUNTIME: OnceLock<Result<Runtime, LoadFailure>> = OnceLock::new();

/// The runtime, loading it on first use. Errors with
/// [`VisionError::OrtUnavailable`] (every time) if it cannot be loaded.
pub(crate) fn runtime() -> Result<&'static Runtime, VisionError> {
    RUNTIME
        .get_or_init(|| load(find_library()))
        .as_ref()
        .map_err(|f| VisionError::OrtUnavailable {
            searched: f.searched.clone(),
            reason: f.reason.clone(),
        })
}

fn load(lookup: Lookup) -> Result<Runtime, LoadFailure> {
    let path = lookup.map_err(|searched| LoadFailure {
        searched,
        reason: "libonnxruntime.so not found".into(),
    })?;
    let failure = |reason: String| LoadFailure {
        searched: vec![path.clone()],
        reason,
    };
    let env = ort::init_from(&path)
        .map_err(|e| failure(e.to_string()))?
        .with_name("facetally")
        .with_telemetry(false)
        .build()
        .map_err(|e| failure(e.to_string()))?;
    Ok(Runtime { env, path })
}

impl Runtime {
    /// The version of the loaded library, e.g. "1.32.0", taken from its file
    /// name (setup installs it as `libonnxruntime.so.<version>`).
    pub fn version(&self) -> String {
        let name = self.path.file_name().map(|n| n.to_string_lossy());
        name.as_deref()
            .and_then(|n| n.strip_prefix("libonnxruntime.so."))
            .map_or_else(|| "(version unknown)".into(), str::to_owned)
    }

    /// "ONNX Runtime" and its version, for [`VisionError::ModelInvalid`].
    pub fn label(&self) -> String {
        format!("ONNX Runtime {}", self.version())
    }

    /// A session for a model held in memory: one intra-op and one inter-op
    /// thread (jobs run one per core, in parallel) and every graph
    /// optimisation.
    pub fn session(&self, model: &[u8]) -> Result<Session, ort::Error> {
        Session::builder(&self.env)?
            .with_intra_threads(1)?
            .with_inter_threads(1)?
            .with_optimization_level(GraphOptimizationLevel::All)?
            .commit_from_memory(model)
    }
}
