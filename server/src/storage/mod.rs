//! Where uploaded videos and face crops live: one struct over `object_store`, backed by a
//! local folder (`file://`, the default) or an S3 bucket (`s3://`), addressed by keys like
//! `videos/<id>/original.mp4`.

mod incoming;
mod location;
mod transfer;

pub use location::StorageLocation;
pub use transfer::LocalCopy;

use bytes::Bytes;
use futures::{StreamExt, TryStreamExt};
use object_store::path::Path as ObjectPath;
use object_store::{GetOptions, GetRange, GetResult, ObjectMeta, ObjectStore, ObjectStoreExt};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tempfile::TempPath;

/// What a storage operation can fail with.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// `FACETALLY_STORAGE_URL` is not a usable `file://` or `s3://` URL.
    #[error("invalid storage URL {url:?}: {reason}")]
    InvalidUrl { url: String, reason: String },
    /// The object store (local folder or S3) refused or failed.
    #[error(transparent)]
    Store(#[from] object_store::Error),
    /// Reading or writing a local file failed.
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Blob storage over `object_store`. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    /// The folder blobs live in, for `file://` storage (read in place, never copied).
    local_root: Option<PathBuf>,
    /// Folder for uploads in progress and downloaded copies (always on local disk): this
    /// process's own folder under `<data dir>/incoming`, or that folder itself for `fsck`.
    incoming: PathBuf,
    /// Holds this process's folder (`None` for `fsck`, which owns none).
    own: Option<incoming::OwnFolder>,
}

impl Storage {
    /// Opens storage at `url` (default: `<data_dir>/files`), checks it answers, removes the
    /// temporary files of processes that are gone from `<data_dir>/incoming` (never those of
    /// another live process sharing the data dir) and makes this process's own folder there.
    pub async fn open(data_dir: &Path, url: Option<&str>) -> Result<Self, StorageError> {
        let own = incoming::claim(data_dir)?;
        let mut storage = Self::connect(data_dir, url).await?;
        storage.incoming = own.path.clone();
        storage.own = Some(own);
        Ok(storage)
    }

    /// Opens storage at `url` (default: `<data_dir>/files`) and checks it answers, leaving
    /// `<data_dir>/incoming` as it is (for `facetally fsck`, which may run beside a server).
    pub async fn connect(data_dir: &Path, url: Option<&str>) -> Result<Self, StorageError> {
        let location = match url {
            Some(url) => StorageLocation::parse(url)?,
            None => StorageLocation::Local(data_dir.join("files")),
        };
        let incoming = data_dir.join("incoming");
        let (store, local_root) = location.connect()?;
        // A missing object is the expected answer; a wrong endpoint or key fails start-up here.
        match store.head(&ObjectPath::from("facetally-probe")).await {
            Ok(_) | Err(object_store::Error::NotFound { .. }) => {}
            Err(error) => return Err(error.into()),
        }
        tracing::info!(storage = %store, "blob storage opened");
        Ok(Self {
            store,
            local_root,
            incoming,
            own: None,
        })
    }

    /// A new temporary file for an upload in progress; it is deleted when dropped unless stored.
    pub fn incoming_file(&self) -> io::Result<(std::fs::File, TempPath)> {
        Ok(tempfile::Builder::new()
            .prefix("upload-")
            .suffix(".part")
            .tempfile_in(&self.incoming)?
            .into_parts())
    }

    /// Bytes free for this process on the disk of its temporary files (uploads land there
    /// first; local storage is on the same disk).
    pub fn free_bytes(&self) -> io::Result<u64> {
        let stat = rustix::fs::statvfs(&self.incoming)?;
        Ok(stat.f_bavail.saturating_mul(stat.f_frsize))
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

    /// The folder of everything stored for one video (its file and its people's crops).
    pub fn video_prefix(id: &str) -> String {
        format!("videos/{id}")
    }

    /// Where the picture of episode `n` of the person whose crop is at `crop_key` is stored
    /// (`videos/<id>/people/3.jpg` → `videos/<id>/people/3-e0.jpg`): under the video's
    /// prefix, so deleting the video deletes it.
    pub fn episode_thumb_key(crop_key: &str, n: usize) -> String {
        let stem = crop_key.strip_suffix(".jpg").unwrap_or(crop_key);
        format!("{stem}-e{n}.jpg")
    }

    /// The inverse of [`Self::episode_thumb_key`]: the person's crop key and the episode
    /// number, if `key` names an episode picture.
    pub fn episode_of_thumb_key(key: &str) -> Option<(String, usize)> {
        let (stem, n) = key.strip_suffix(".jpg")?.rsplit_once("-e")?;
        let n = n
            .parse()
            .ok()
            .filter(|_| n.bytes().all(|b| b.is_ascii_digit()))?;
        Some((format!("{stem}.jpg"), n))
    }

    /// Moves a finished upload to `key`: a rename on local disk when possible, otherwise
    /// a streamed (multipart, for big files) upload in bounded memory.
    #[tracing::instrument(skip_all, fields(key), err)]
    pub async fn store(&self, upload: TempPath, key: &str) -> Result<(), StorageError> {
        let upload = match self.local_path(key) {
            Some(target) => {
                if let Some(parent) = target.parent() {
                    tokio::fs::create_dir_all(parent).await?;
                }
                match upload.persist(&target) {
                    Ok(()) => return Ok(()),
                    // Another file system (rename fails): copy through the store instead.
                    Err(error) => error.path,
                }
            }
            None => upload,
        };
        transfer::upload_file(self.store.as_ref(), &ObjectPath::from(key), &upload).await
    }

    /// Writes `bytes` at `key`, replacing what was there.
    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), StorageError> {
        self.store
            .put(&ObjectPath::from(key), Bytes::from(bytes).into())
            .await?;
        Ok(())
    }

    /// The blob at `key`, or `None` if there is none.
    pub async fn read(&self, key: &str) -> Result<Option<Bytes>, StorageError> {
        match self.store.get(&ObjectPath::from(key)).await {
            Ok(found) => Ok(Some(found.bytes().await?)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(error) => Err(error.into()),
        }
    }

    /// Size and version of the blob at `key`, or `None` if there is none.
    pub async fn head(&self, key: &str) -> Result<Option<ObjectMeta>, StorageError> {
        match self.store.head(&ObjectPath::from(key)).await {
            Ok(meta) => Ok(Some(meta)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(error) => Err(error.into()),
        }
    }

    /// A byte range of the blob at `key` (all of it with `None`), streamed.
    pub async fn get_range(
        &self,
        key: &str,
        range: Option<GetRange>,
    ) -> Result<GetResult, StorageError> {
        let options = GetOptions {
            range,
            ..GetOptions::default()
        };
        Ok(self.store.get_opts(&ObjectPath::from(key), options).await?)
    }

    /// A local file OpenCV can read: the blob itself for `file://` storage, otherwise a
    /// temporary download that is removed when the returned value is dropped.
    pub async fn local_copy(&self, key: &str) -> Result<LocalCopy, StorageError> {
        if let Some(path) = self.local_path(key) {
            return Ok(LocalCopy::in_place(path));
        }
        transfer::download(self.store.as_ref(), &ObjectPath::from(key), &self.incoming).await
    }

    /// Where the blob at `key` is on local disk, for `file://` storage only.
    pub fn local_path(&self, key: &str) -> Option<PathBuf> {
        // Keys are built by this module from UUIDs and sanitised extensions; never from user text.
        self.local_root.as_ref().map(|root| root.join(key))
    }

    /// Deletes the blob at `key`; a missing blob is not an error.
    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        match self.store.delete(&ObjectPath::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(error.into()),
        }
    }

    /// Deletes every blob under `prefix`.
    #[tracing::instrument(skip(self), err)]
    pub async fn delete_prefix(&self, prefix: &str) -> Result<(), StorageError> {
        let locations = self
            .store
            .list(Some(&ObjectPath::from(prefix)))
            .map_ok(|meta| meta.location)
            .boxed();
        let deleted: Vec<ObjectPath> = self.store.delete_stream(locations).try_collect().await?;
        tracing::debug!(count = deleted.len(), "blobs deleted");
        Ok(())
    }

    /// Every blob in the store (under its prefix), with size and last change.
    pub async fn list_all(&self) -> Result<Vec<ObjectMeta>, StorageError> {
        Ok(self.store.list(None).try_collect().await?)
    }

    /// The folder of uploads in progress and downloaded copies.
    pub fn incoming_dir(&self) -> &Path {
        &self.incoming
    }

    /// Temporary files in `<data dir>/incoming` that no live process owns (for `fsck`).
    pub fn incoming_leftovers(&self) -> io::Result<Vec<PathBuf>> {
        let root = match &self.own {
            Some(own) => own.path.parent().unwrap_or(&self.incoming).to_path_buf(),
            None => self.incoming.clone(),
        };
        incoming::leftovers(&root)
    }

    /// True when a blob exists at `key`.
    pub async fn exists(&self, key: &str) -> Result<bool, StorageError> {
        Ok(self.head(key).await?.is_some())
    }
}

#[cfg(test)]
mod tests;
