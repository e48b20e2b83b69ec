//! Where the ONNX Runtime shared library is looked for.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Environment variable naming the library file itself.
pub const ORT_LIB_ENV: &str = "FACETALLY_ORT_LIB";

/// File names start with this (`libonnxruntime.so`, `libonnxruntime.so.1.32.0`).
const LIB_PREFIX: &str = "libonnxruntime.so";

/// Directories searched after the tools directory.
const SYSTEM_DIRS: [&str; 2] = ["/usr/local/lib", "/usr/lib"];

/// The outcome of the search: the library found, or every place looked at.
pub(crate) type Lookup = Result<PathBuf, Vec<PathBuf>>;

/// Finds the library as documented on [`crate::Inference`]: `FACETALLY_ORT_LIB`
/// if set, else the newest `libonnxruntime.so*` in the tools directory
/// (`$FACETALLY_TOOLS_DIR` or `$HOME/.cache/facetally/tools`, then
/// `onnxruntime/`), else `/usr/local/lib`, `/usr/lib`.
pub(crate) fn find_library() -> Lookup {
    let explicit = std::env::var_os(ORT_LIB_ENV).filter(|v| !v.is_empty());
    let mut dirs = Vec::new();
    if let Some(tools) = tools_dir() {
        dirs.push(tools.join("onnxruntime"));
    }
    dirs.extend(SYSTEM_DIRS.iter().map(PathBuf::from));
    search(explicit, &dirs)
}

/// `$FACETALLY_TOOLS_DIR`, else `$HOME/.cache/facetally/tools` (as scripts/setup.sh).
fn tools_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("FACETALLY_TOOLS_DIR").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    let home = std::env::var_os("HOME").filter(|v| !v.is_empty())?;
    Some(PathBuf::from(home).join(".cache/facetally/tools"))
}

/// The search itself, apart from the environment: an explicit file wins (and
/// is the only candidate); otherwise the first directory holding a library
/// gives its newest version.
fn search(explicit: Option<OsString>, dirs: &[PathBuf]) -> Lookup {
    if let Some(file) = explicit {
        let file = std::path::absolute(&file).unwrap_or_else(|_| PathBuf::from(&file));
        return if file.is_file() {
            Ok(file)
        } else {
            Err(vec![file])
        };
    }
    for dir in dirs {
        if let Some(found) = newest_in(dir) {
            return Ok(found);
        }
    }
    Err(dirs.to_vec())
}

/// The `libonnxruntime.so*` file of `dir` with the highest version suffix.
fn newest_in(dir: &Path) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let suffix = name.strip_prefix(LIB_PREFIX)?;
            let version = version_of(suffix)?;
            let path = entry.path();
            path.is_file().then_some((version, path))
        })
        .max()
        .map(|(_, path)| path)
}

/// `""` → `[]`, `".1.32.0"` → `[1, 32, 0]`; anything else is not a library name.
fn version_of(suffix: &str) -> Option<Vec<u32>> {
    if suffix.is_empty() {
        return Some(Vec::new());
    }
    suffix
        .strip_prefix('.')?
        .split('.')
        .map(|part| part.parse().ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(dir: &Path, name: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, b"").unwrap();
        path
    }

    #[test]
    fn explicit_file_is_the_only_candidate() {
        let dir = tempfile::tempdir().unwrap();
        let lib = touch(dir.path(), "custom.so");
        let other = tempfile::tempdir().unwrap();
        touch(other.path(), "libonnxruntime.so.1.32.0");
        let dirs = [other.path().to_path_buf()];
        assert_eq!(search(Some(lib.clone().into()), &dirs), Ok(lib));
        let missing = dir.path().join("nope.so");
        assert_eq!(
            search(Some(missing.clone().into()), &dirs),
            Err(vec![missing])
        );
    }

    #[test]
    fn newest_version_of_the_first_directory_that_has_one() {
        let empty = tempfile::tempdir().unwrap();
        let tools = tempfile::tempdir().unwrap();
        for name in [
            "libonnxruntime.so",
            "libonnxruntime.so.1.9.0",
            "libonnxruntime.so.1.32.0",
            "libonnxruntime.so.1.31.1",
            "libonnxruntime.so.1.40.0.bak-x",
            "libonnxruntime_providers_shared.so",
        ] {
            touch(tools.path(), name);
        }
        let system = tempfile::tempdir().unwrap();
        touch(system.path(), "libonnxruntime.so.1.99.0");
        let dirs = [
            empty.path().join("missing"),
            empty.path().to_path_buf(),
            tools.path().to_path_buf(),
            system.path().to_path_buf(),
        ];
        assert_eq!(
            search(None, &dirs),
            Ok(tools.path().join("libonnxruntime.so.1.32.0"))
        );
        assert_eq!(search(None, &dirs[..2]), Err(dirs[..2].to_vec()));
    }
}
