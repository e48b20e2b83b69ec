//! Decoding an uploaded photo: limits first (size in bytes, pixels claimed
//! by the header), then OpenCV, reduced while decoding when the photo is large.

use opencv::core::{Mat, Vector};
use opencv::imgcodecs;
use opencv::prelude::*;

use super::header::{read_header, Header};
use super::jpeg;
use super::{DecodedPhoto, PhotoError, PhotoFormat, PhotoLimits};

/// A large photo is reduced while decoding by the largest factor (2, 4 or 8)
/// that keeps its larger side at least this many pixels: plenty for the
/// detector (which works at 1280 px at most) and much faster for big JPEGs,
/// which libjpeg then decodes at reduced size directly.
pub const MIN_DECODED_SIDE: u32 = 1280;

/// Decodes an uploaded photo (JPEG, PNG, WebP or BMP, recognised by its
/// first bytes) into a BGR image.
///
/// Checks, in order, without decoding anything: the byte size against
/// `limits.max_bytes`, the format, and the width x height written in the
/// file's header against `limits.max_pixels`; so a small file claiming a
/// huge image (a decompression bomb) is refused at once. Then the image is
/// decoded by OpenCV, reduced by 2, 4 or 8 when large (see
/// [`MIN_DECODED_SIDE`]). The EXIF orientation of a JPEG is applied, so
/// `width` and `height` are those of the upright photo.
///
/// Errors: [`PhotoError::TooLarge`], [`PhotoError::NotAnImage`],
/// [`PhotoError::TooManyPixels`], and [`PhotoError::Damaged`] when the header
/// is invalid, a JPEG has no end, OpenCV cannot decode it, or the decoded
/// size does not match the header.
pub fn decode_photo(bytes: &[u8], limits: &PhotoLimits) -> Result<DecodedPhoto, PhotoError> {
    if bytes.len() > limits.max_bytes {
        return Err(PhotoError::TooLarge {
            bytes: bytes.len(),
            max: limits.max_bytes,
        });
    }
    let (format, width, height) = match read_header(bytes) {
        Header::Image {
            format,
            width,
            height,
        } => (format, width, height),
        Header::Unknown => return Err(PhotoError::NotAnImage),
        Header::Damaged => return Err(PhotoError::Damaged),
    };
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(PhotoError::TooManyPixels {
            width,
            height,
            max: limits.max_pixels,
        });
    }
    if format == PhotoFormat::Jpeg && !jpeg::has_end(bytes) {
        return Err(PhotoError::Damaged);
    }
    let factor = reduction(width.max(height));
    let image = imdecode(bytes, factor)?;
    let (cols, rows) = (image.cols().max(0) as u32, image.rows().max(0) as u32);
    // EXIF orientation may have turned the photo by 90 degrees.
    let straight = matches_size((cols, rows), (width, height), factor);
    let turned = !straight && matches_size((rows, cols), (width, height), factor);
    if !straight && !turned {
        tracing::warn!(
            width,
            height,
            cols,
            rows,
            factor,
            "decoded size differs from the header"
        );
        return Err(PhotoError::Damaged);
    }
    let (width, height) = if turned {
        (height, width)
    } else {
        (width, height)
    };
    Ok(DecodedPhoto {
        image,
        width,
        height,
        scale: factor as f32,
        format,
    })
}

/// The reduction factor (1, 2, 4 or 8) for a photo whose larger side is `side`.
pub(crate) fn reduction(side: u32) -> u32 {
    [8, 4, 2]
        .into_iter()
        .find(|f| side / f >= MIN_DECODED_SIDE)
        .unwrap_or(1)
}

fn imdecode(bytes: &[u8], factor: u32) -> Result<Mat, PhotoError> {
    let flags = match factor {
        8 => imgcodecs::IMREAD_REDUCED_COLOR_8,
        4 => imgcodecs::IMREAD_REDUCED_COLOR_4,
        2 => imgcodecs::IMREAD_REDUCED_COLOR_2,
        _ => imgcodecs::IMREAD_COLOR,
    };
    let buf = Vector::<u8>::from_slice(bytes);
    match imgcodecs::imdecode(&buf, flags) {
        Ok(m) if !m.empty() && m.channels() == 3 => Ok(m),
        Ok(_) => Err(PhotoError::Damaged),
        Err(e) => {
            tracing::debug!("imdecode failed: {e}");
            Err(PhotoError::Damaged)
        }
    }
}

/// Whether a decoded `(cols, rows)` is the header's `(width, height)`
/// reduced by `factor`, give or take 2 pixels (decoders round differently).
fn matches_size(decoded: (u32, u32), header: (u32, u32), factor: u32) -> bool {
    let close = |d: u32, h: u32| (i64::from(d) - i64::from(h / factor)).abs() <= 2;
    close(decoded.0, header.0) && close(decoded.1, header.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reduction_keeps_the_larger_side_at_1280() {
        assert_eq!(reduction(640), 1);
        assert_eq!(reduction(2559), 1);
        assert_eq!(reduction(2560), 2);
        assert_eq!(reduction(4032), 2);
        assert_eq!(reduction(5120), 4);
        assert_eq!(reduction(12000), 8);
    }

    #[test]
    fn sizes_match_within_rounding() {
        assert!(matches_size((2016, 1512), (4032, 3024), 2));
        assert!(matches_size((1009, 757), (4035, 3027), 4));
        assert!(!matches_size((100, 100), (4032, 3024), 2));
        assert!(!matches_size((1512, 2016), (4032, 3024), 2));
    }
}
