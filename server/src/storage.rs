//! Where uploaded files live: a folder on local disk, addressed by keys like
//! `videos/<id>/original.mp4`. One struct, so a later S3 backend replaces only this file.

use std::io;
use std::path::{Path, PathBuf};
use tempfile::TempPath;

/// Blob storage rooted at a local folder.
#[derive(Debug, Clone)]
pub struct Storage {
    root: PathBuf,
    incoming: PathBuf,
}

impl Storage {
    /// Opens (creating if needed) storage under `data_dir`, and removes partial uploads
    /// left by a crash.
    pub fn open(data_dir: &Path) -> io::Result<Self> {
        let root = data_dir.join("files");
        let incoming = data_dir.join("incoming");
        std::fs::create_dir_all(&root)?;
        if incoming.exists() {
            std::fs::remove_dir_all(&incoming)?;
        }
        std::fs::create_dir_all(&incoming)?;
        Ok(Self { root, incoming })
    }

    /// A new temporary file for an upload in progress; it is deleted when dropped unless stored.
    pub fn incoming_file(&self) -> io::Result<(std::fs::File, TempPath)> {
        Ok(tempfile::Builder::new()
            .prefix("upload-")
            .suffix(".part")
            .tempfile_in(&self.incoming)?
            .into_parts())
    }

    /// The key under which a video's original file is stored.
    pub fn video_key(id: &str, filename: &str) -> String {
        let prefix = Self::video_prefix(id);
        let ext = Path::new(filename)
            .extension()
            .and_then(|e| e.to_str())
            .filter(|e| e.len() <= 8 && e.chars().all(|c| c.is_ascii_alphanumeric()))
            .map(|e| e.to_ascii_lowercase())
            .unwrap_or_else(|| "bin".into());
        format!("{prefix}/original.{ext}")
    }

    /// Moves a finished upload to `key`.
    pub fn store(&self, upload: TempPath, key: &str) -> io::Result<()> {
        let target = self.path_of(key);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        upload.persist(&target).map_err(|e| e.error)
    }

    /// Writes `bytes` at `key`, replacing what was there.
    pub fn put(&self, key: &str, bytes: &[u8]) -> io::Result<()> {
        let target = self.path_of(key);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(target, bytes)
    }

    /// The blob at `key`, or `None` if there is none.
    pub fn read(&self, key: &str) -> io::Result<Option<Vec<u8>>> {
        match std::fs::read(self.path_of(key)) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The folder of everything stored for one video (its file and its people's crops).
    pub fn video_prefix(id: &str) -> String {
        format!("videos/{id}")
    }

    /// Deletes every blob under `prefix`.
    pub fn delete_prefix(&self, prefix: &str) -> io::Result<()> {
        match std::fs::remove_dir_all(self.path_of(prefix)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// A local path from which OpenCV can read the blob at `key`.
    pub fn local_path(&self, key: &str) -> PathBuf {
        self.path_of(key)
    }

    /// Deletes the blob at `key` and its folder if empty; a missing blob is not an error.
    pub fn delete(&self, key: &str) -> io::Result<()> {
        let path = self.path_of(key);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        if let Some(parent) = path.parent() {
            let _ = std::fs::remove_dir(parent); // only succeeds when empty
        }
        Ok(())
    }

    /// True when a blob exists at `key`.
    pub fn exists(&self, key: &str) -> bool {
        self.path_of(key).is_file()
    }

    fn path_of(&self, key: &str) -> PathBuf {
        // Keys are built by this module from UUIDs and sanitised extensions; never from user text.
        self.root.join(key)
    }
}
