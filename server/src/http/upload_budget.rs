//! What one upload request may still take: bytes under `FACETALLY_MAX_REQUEST_BYTES` for
//! all its files together, and disk space above `FACETALLY_MIN_FREE_BYTES`.

use crate::error::ApiError;
use crate::videos::VideoService;
use anyhow::Context;

/// The limits of one request as it is received.
pub(super) struct UploadBudget {
    max_request: u64,
    min_free: u64,
    received: u64,
}

impl UploadBudget {
    /// A request's budget; refuses it at once (507) when the disk is already too full.
    pub fn start(videos: &VideoService, max_request: u64, min_free: u64) -> Result<Self, ApiError> {
        let budget = Self {
            max_request,
            min_free,
            received: 0,
        };
        budget.check_disk(videos, 0)?;
        Ok(budget)
    }

    /// Counts `len` more bytes about to be written: 413 past the request limit, 507 when
    /// writing them would leave the disk under its minimum free space.
    pub fn take(&mut self, videos: &VideoService, len: u64) -> Result<(), ApiError> {
        self.received += len;
        if self.received > self.max_request {
            return Err(ApiError::PayloadTooLarge(format!(
                "the request is larger than the {}-byte limit for one upload \
                 (FACETALLY_MAX_REQUEST_BYTES); nothing was kept",
                self.max_request
            )));
        }
        // One `statvfs` per chunk (tens of KiB): cheap beside writing the chunk.
        self.check_disk(videos, len)
    }

    /// 507 when writing `coming` more bytes would leave less than the minimum free.
    fn check_disk(&self, videos: &VideoService, coming: u64) -> Result<(), ApiError> {
        let free = videos
            .free_bytes()
            .context("reading the free space of the data dir's disk")?;
        if free.saturating_sub(coming) < self.min_free {
            tracing::warn!(
                free,
                min_free = self.min_free,
                "upload refused: disk nearly full"
            );
            return Err(ApiError::InsufficientStorage(format!(
                "the server's disk is nearly full ({free} bytes free, {} kept free by \
                 FACETALLY_MIN_FREE_BYTES); nothing was kept",
                self.min_free
            )));
        }
        Ok(())
    }
}
