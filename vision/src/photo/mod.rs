//! Search photos: an uploaded picture of a face, decoded safely, its faces
//! found and examined, and refused when a face is too poor to search with.
//!
//! The order of use: [`decode_photo`] (limits, format, decompression bombs),
//! [`detect_photo`] (faces in original photo pixels, largest first),
//! [`examine_face`] (embedding and [`FaceQuality`]), then
//! [`QualityGate::check`] before searching with the embedding.

mod decode;
mod examine;
mod header;
mod jpeg;
mod quality;

use opencv::core::Mat;

pub use decode::{decode_photo, MIN_DECODED_SIDE};
pub use examine::{detect_photo, examine_face, FaceQuality};
pub use header::PhotoFormat;
pub use quality::{LowQuality, QualityGate};

/// Limits on an uploaded photo, checked before anything is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhotoLimits {
    /// Largest accepted file, in bytes (default 10 MiB).
    pub max_bytes: usize,
    /// Largest accepted width x height, as written in the file's header
    /// (default 40 million: a 48-megapixel phone photo is refused, a
    /// 12-megapixel one or an 8000 x 5000 camera photo is accepted).
    pub max_pixels: u64,
}

impl Default for PhotoLimits {
    fn default() -> Self {
        Self {
            max_bytes: 10 * 1024 * 1024,
            max_pixels: 40_000_000,
        }
    }
}

/// A decoded photo, possibly reduced while decoding.
#[derive(Debug)]
pub struct DecodedPhoto {
    /// The picture, BGR 8-bit (`CV_8UC3`), reduced by `scale`.
    pub image: Mat,
    /// Width of the original (upright) photo, in pixels.
    pub width: u32,
    /// Height of the original (upright) photo, in pixels.
    pub height: u32,
    /// Original pixels per pixel of `image`: 1.0, 2.0, 4.0 or 8.0.
    pub scale: f32,
    /// The file's format.
    pub format: PhotoFormat,
}

/// Why an uploaded photo cannot be used. The messages are written for the
/// person who sent it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    /// The file is larger than `PhotoLimits::max_bytes`.
    #[error("the photo is too large ({} MB; at most {} MB)", mb(*.bytes), mb(*.max))]
    TooLarge {
        /// Size of the file, in bytes.
        bytes: usize,
        /// The limit, in bytes.
        max: usize,
    },
    /// The image has more pixels than `PhotoLimits::max_pixels`.
    #[error("the photo has too many pixels ({width} x {height}; at most {} megapixels)", *.max as f64 / 1e6)]
    TooManyPixels {
        /// Width given by the file's header.
        width: u32,
        /// Height given by the file's header.
        height: u32,
        /// The limit, in pixels.
        max: u64,
    },
    /// Not a JPEG, PNG, WebP or BMP file.
    #[error("not a JPEG, PNG, WebP or BMP image")]
    NotAnImage,
    /// The file starts like an image but cannot be decoded in full.
    #[error("the image is damaged or truncated")]
    Damaged,
}

/// Bytes as megabytes with one decimal, for messages.
fn mb(bytes: usize) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_limits() {
        let l = PhotoLimits::default();
        assert_eq!((l.max_bytes, l.max_pixels), (10_485_760, 40_000_000));
    }

    #[test]
    fn messages_are_plain() {
        let e = PhotoError::TooLarge {
            bytes: 12 * 1024 * 1024,
            max: 10 * 1024 * 1024,
        };
        assert_eq!(
            e.to_string(),
            "the photo is too large (12.0 MB; at most 10.0 MB)"
        );
        let e = PhotoError::TooManyPixels {
            width: 30000,
            height: 30000,
            max: 40_000_000,
        };
        assert_eq!(
            e.to_string(),
            "the photo has too many pixels (30000 x 30000; at most 40 megapixels)"
        );
        assert_eq!(
            PhotoError::NotAnImage.to_string(),
            "not a JPEG, PNG, WebP or BMP image"
        );
        assert_eq!(
            PhotoError::Damaged.to_string(),
            "the image is damaged or truncated"
        );
    }
}
