//! `FACETALLY_STORAGE_URL`: which object store to open, and opening it.

use super::StorageError;
use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
use object_store::local::LocalFileSystem;
use object_store::prefix::PrefixStore;
use object_store::ObjectStore;
use std::path::PathBuf;
use std::sync::Arc;

/// Where blobs are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageLocation {
    /// A local folder (`file:///abs/path`).
    Local(PathBuf),
    /// An S3 bucket and key prefix (`s3://bucket/prefix`); endpoint, credentials and region
    /// come from the usual `AWS_*` environment variables.
    S3 { bucket: String, prefix: String },
}

impl StorageLocation {
    /// Parses `file:///abs/path` or `s3://bucket[/prefix]`.
    pub fn parse(url: &str) -> Result<Self, StorageError> {
        let invalid = |reason: &str| StorageError::InvalidUrl {
            url: url.to_owned(),
            reason: reason.to_owned(),
        };
        let parsed = url::Url::parse(url).map_err(|e| invalid(&e.to_string()))?;
        match parsed.scheme() {
            "file" => {
                let path = parsed
                    .to_file_path()
                    .map_err(|()| invalid("expected file:///absolute/path"))?;
                Ok(Self::Local(path))
            }
            "s3" => {
                let bucket = parsed
                    .host_str()
                    .filter(|b| !b.is_empty())
                    .ok_or_else(|| invalid("no bucket"))?;
                let prefix = parsed.path().trim_matches('/').to_owned();
                Ok(Self::S3 {
                    bucket: bucket.to_owned(),
                    prefix,
                })
            }
            _ => Err(invalid("expected a file:// or s3:// URL")),
        }
    }

    /// Opens the store; for a local folder (created if missing) also returns its path.
    pub(super) fn connect(&self) -> Result<(Arc<dyn ObjectStore>, Option<PathBuf>), StorageError> {
        match self {
            Self::Local(root) => {
                std::fs::create_dir_all(root)?;
                let store = LocalFileSystem::new_with_prefix(root)?.with_automatic_cleanup(true);
                Ok((Arc::new(store), Some(root.clone())))
            }
            Self::S3 { bucket, prefix } => {
                let mut builder = AmazonS3Builder::from_env()
                    .with_bucket_name(bucket)
                    // Path-style requests (`endpoint/bucket/key`), as MinIO and friends need.
                    .with_virtual_hosted_style_request(false);
                let endpoint = builder
                    .get_config_value(&AmazonS3ConfigKey::Endpoint)
                    .unwrap_or_default();
                if endpoint.starts_with("http://") {
                    builder = builder.with_allow_http(true);
                }
                let s3 = builder.build()?;
                if prefix.is_empty() {
                    Ok((Arc::new(s3), None))
                } else {
                    Ok((Arc::new(PrefixStore::new(s3, prefix.as_str())), None))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_a_folder_or_a_bucket() {
        assert_eq!(
            StorageLocation::parse("file:///srv/blobs").unwrap(),
            StorageLocation::Local("/srv/blobs".into())
        );
        assert_eq!(
            StorageLocation::parse("s3://media/facetally/prod/").unwrap(),
            StorageLocation::S3 {
                bucket: "media".into(),
                prefix: "facetally/prod".into()
            }
        );
        assert_eq!(
            StorageLocation::parse("s3://media").unwrap(),
            StorageLocation::S3 {
                bucket: "media".into(),
                prefix: String::new()
            }
        );
        assert!(StorageLocation::parse("file://relative").is_err());
        assert!(StorageLocation::parse("gs://bucket").is_err());
        assert!(StorageLocation::parse("/just/a/path").is_err());
    }
}
