//! Moving whole files between local disk and the object store in bounded memory.

use super::StorageError;
use bytes::BytesMut;
use futures::StreamExt;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, WriteMultipart};
use std::path::{Path, PathBuf};
use std::time::Instant;
use tempfile::TempPath;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Bytes read from disk and sent per request of a multipart upload (S3 needs ≥ 5 MiB).
pub const PART_SIZE: usize = 8 * 1024 * 1024;
/// Parts in flight at once: memory stays under `PART_SIZE × (UPLOADS_IN_FLIGHT + 1)`.
const UPLOADS_IN_FLIGHT: usize = 2;

/// A local file holding a blob: the stored file itself, or a temporary download.
#[derive(Debug)]
pub struct LocalCopy {
    path: PathBuf,
    /// Set for downloads: removes the file when dropped.
    _temp: Option<TempPath>,
}

impl LocalCopy {
    /// The blob's own file (local storage): nothing to remove afterwards.
    pub(super) fn in_place(path: PathBuf) -> Self {
        Self { path, _temp: None }
    }

    /// Where the bytes are.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Uploads the file at `source` to `location`: one request when it fits in a part,
/// otherwise a multipart upload of `PART_SIZE` parts (aborted on failure).
pub(super) async fn upload_file(
    store: &dyn ObjectStore,
    location: &ObjectPath,
    source: &Path,
) -> Result<(), StorageError> {
    let started = Instant::now();
    let mut file = tokio::fs::File::open(source).await?;
    let size = file.metadata().await?.len();
    if size <= PART_SIZE as u64 {
        let mut bytes = Vec::with_capacity(size as usize);
        file.read_to_end(&mut bytes).await?;
        store.put(location, bytes.into()).await?;
    } else {
        let mut upload =
            WriteMultipart::new_with_chunk_size(store.put_multipart(location).await?, PART_SIZE);
        if let Err(error) = send_parts(&mut file, &mut upload).await {
            if let Err(abort) = upload.abort().await {
                tracing::warn!(%abort, "aborting a failed multipart upload failed");
            }
            return Err(error);
        }
        upload.finish().await?;
    }
    tracing::info!(%location, size, elapsed_ms = started.elapsed().as_millis() as u64, "blob uploaded");
    Ok(())
}

async fn send_parts(
    file: &mut tokio::fs::File,
    upload: &mut WriteMultipart,
) -> Result<(), StorageError> {
    loop {
        upload.wait_for_capacity(UPLOADS_IN_FLIGHT).await?;
        let mut part = BytesMut::with_capacity(PART_SIZE);
        while part.len() < PART_SIZE {
            if file.read_buf(&mut part).await? == 0 {
                break;
            }
        }
        if part.is_empty() {
            return Ok(());
        }
        upload.put(part.freeze());
    }
}

/// Downloads `location` into a new temporary file in `folder`, keeping the key's extension
/// (FFmpeg guesses some formats from it).
pub(super) async fn download(
    store: &dyn ObjectStore,
    location: &ObjectPath,
    folder: &Path,
) -> Result<LocalCopy, StorageError> {
    let started = Instant::now();
    let suffix = location
        .extension()
        .map(|ext| format!(".{ext}"))
        .unwrap_or_default();
    let (file, temp) = tempfile::Builder::new()
        .prefix("fetch-")
        .suffix(&suffix)
        .tempfile_in(folder)?
        .into_parts();
    let mut file = tokio::fs::File::from_std(file);
    let mut stream = store.get(location).await?.into_stream();
    let mut size = 0u64;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        size += chunk.len() as u64;
        file.write_all(&chunk).await?;
    }
    file.flush().await?;
    tracing::info!(%location, size, elapsed_ms = started.elapsed().as_millis() as u64, "blob downloaded");
    Ok(LocalCopy {
        path: temp.to_path_buf(),
        _temp: Some(temp),
    })
}
