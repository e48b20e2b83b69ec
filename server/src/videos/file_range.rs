//! A video's uploaded file for the player: where it is on this machine's disk, or the bytes
//! of the object store a `Range` header asks for.

use super::VideoService;
use crate::error::ApiError;
use anyhow::Context;
use futures::stream::BoxStream;
use object_store::GetRange;
use std::ops::Range;
use std::path::PathBuf;

/// What the file of a video is, for an answer to send.
pub enum VideoFile {
    /// A file on this machine's disk (`file://` storage): served with the HTTP layer's own
    /// support of ranges and conditional requests.
    Local(PathBuf),
    /// Bytes streamed from the object store.
    Object(ObjectPart),
    /// The range asked starts past the end of a file of `size` bytes (416).
    Unsatisfiable {
        /// Bytes in the whole file.
        size: u64,
    },
}

/// Bytes of a blob of the object store, whole or a part of it.
pub struct ObjectPart {
    /// Media type guessed from the file name.
    pub mime: String,
    /// Bytes in the whole file.
    pub size: u64,
    /// The object store's entity tag, if any.
    pub etag: Option<String>,
    /// The bytes `body` carries.
    pub sent: Range<u64>,
    /// True when a range was asked and is sent (206), false for the whole file (200).
    pub partial: bool,
    /// The bytes themselves.
    pub body: BoxStream<'static, object_store::Result<bytes::Bytes>>,
}

impl VideoService {
    /// The file of video `id` (404 when there is no such video): where it is on disk, or
    /// the bytes `range` (a `Range` header's value) asks for from the object store.
    pub async fn file(&self, id: &str, range: Option<&str>) -> Result<VideoFile, ApiError> {
        let key = self.file_key(id).await?;
        if let Some(path) = self.storage.local_path(&key) {
            return Ok(VideoFile::Local(path));
        }
        let meta = self
            .storage
            .head(&key)
            .await
            .context("reading a video's size")?
            .ok_or(ApiError::NotFound("video file"))?;
        let size = meta.size;
        let range = match range.map(|value| byte_range(value, size)) {
            None | Some(Requested::Whole) => None,
            Some(Requested::Part(range)) => Some(range),
            Some(Requested::Unsatisfiable) => return Ok(VideoFile::Unsatisfiable { size }),
        };
        let found = self
            .storage
            .get_range(&key, range.clone().map(GetRange::Bounded))
            .await
            .context("reading a video")?;
        Ok(VideoFile::Object(ObjectPart {
            mime: mime_guess::from_path(&key)
                .first_or_octet_stream()
                .to_string(),
            size,
            etag: meta.e_tag.clone(),
            sent: found.range.clone(),
            partial: range.is_some(),
            body: found.into_stream(),
        }))
    }
}

/// What a `Range` header asks of a blob of `size` bytes.
#[derive(Debug, PartialEq)]
enum Requested {
    /// No usable single range: send everything (RFC 9110 lets servers ignore the header).
    Whole,
    /// These bytes.
    Part(Range<u64>),
    /// Starts past the end: 416.
    Unsatisfiable,
}

/// Parses `bytes=a-b`, `bytes=a-` and `bytes=-n`.
fn byte_range(value: &str, size: u64) -> Requested {
    let Some(spec) = value.trim().strip_prefix("bytes=") else {
        return Requested::Whole;
    };
    let Some((first, last)) = spec.split_once('-').filter(|_| !spec.contains(',')) else {
        return Requested::Whole;
    };
    let (first, last) = (first.trim(), last.trim());
    let parsed = |text: &str| text.parse::<u64>().ok();
    let range = match (first.is_empty(), parsed(first), parsed(last)) {
        (true, _, Some(suffix)) if suffix > 0 => size.saturating_sub(suffix)..size,
        (true, _, _) => return Requested::Unsatisfiable,
        (false, Some(start), None) if last.is_empty() => start..size,
        (false, Some(start), Some(end)) if start <= end => start..end.saturating_add(1).min(size),
        _ => return Requested::Whole,
    };
    if range.start >= size {
        Requested::Unsatisfiable
    } else {
        Requested::Part(range)
    }
}

#[cfg(test)]
mod tests {
    use super::{byte_range, Requested};

    #[test]
    fn single_byte_ranges_parse_and_clamp() {
        assert_eq!(byte_range("bytes=0-99", 1000), Requested::Part(0..100));
        assert_eq!(
            byte_range("bytes=900-2000", 1000),
            Requested::Part(900..1000)
        );
        assert_eq!(byte_range("bytes=500-", 1000), Requested::Part(500..1000));
        assert_eq!(byte_range("bytes=-100", 1000), Requested::Part(900..1000));
        assert_eq!(byte_range("bytes=-5000", 1000), Requested::Part(0..1000));
        assert_eq!(byte_range("bytes=1000-", 1000), Requested::Unsatisfiable);
        assert_eq!(byte_range("bytes=-0", 1000), Requested::Unsatisfiable);
        assert_eq!(byte_range("bytes=0-1,5-6", 1000), Requested::Whole);
        assert_eq!(byte_range("bytes=9-3", 1000), Requested::Whole);
        assert_eq!(byte_range("items=0-1", 1000), Requested::Whole);
    }
}
