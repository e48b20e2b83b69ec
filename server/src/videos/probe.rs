//! Is an uploaded file a video facetally can process? Cheap checks first (size, the file's
//! signature), then OpenCV opens it and decodes one frame on the blocking pool, as short work
//! of the process's CPU limiter.

use super::ReceivedFile;
use crate::cpu::CpuLimiter;
use crate::error::ApiError;
use anyhow::Context;
use std::io::Read;

/// Largest frame accepted, in pixels (8192 × 8192): beyond it one decoded frame alone would
/// take hundreds of megabytes.
pub const MAX_PIXELS: i64 = 8192 * 8192;

/// Smallest frame side accepted: a face needs more pixels, and the detector needs an input
/// of at least this size.
pub const MIN_SIDE: i32 = 32;

/// `Ok(Err(reason))` when the file is not a video facetally can process; `Err` only for
/// the server's own failures.
pub(super) async fn check(
    file: &ReceivedFile,
    cpu: &CpuLimiter,
) -> Result<Result<vision::VideoInfo, String>, ApiError> {
    if file.size_bytes == 0 {
        return Ok(Err("the file is empty".into()));
    }
    let path = file.temp.to_path_buf();
    let probed = cpu
        .run_short(move || {
            if let Some(kind) = non_video_signature(&path) {
                return Err(format!("this is {kind}, not a video"));
            }
            let info = vision::probe(&path).map_err(|error| match error {
                vision::VisionError::NoFrames { .. } => {
                    "no frame of it could be decoded".to_owned()
                }
                _ => "not a readable video (unknown format, or a damaged or truncated file)"
                    .to_owned(),
            })?;
            acceptable_size(&info).map(|()| info)
        })
        .await
        .context("probe task")?;
    Ok(probed)
}

fn acceptable_size(info: &vision::VideoInfo) -> Result<(), String> {
    let (width, height) = (i64::from(info.width), i64::from(info.height));
    if width < i64::from(MIN_SIDE) || height < i64::from(MIN_SIDE) {
        return Err(format!("its frames are {width}×{height} pixels, too small to show a face (at least {MIN_SIDE}×{MIN_SIDE})"));
    }
    if width * height > MAX_PIXELS {
        return Err(format!(
            "its frames are {width}×{height}; at most 8192×8192 pixels are accepted"
        ));
    }
    Ok(())
}

/// Still images, documents and archives that FFmpeg would otherwise open as a one-frame
/// "video", recognised by their first bytes.
fn non_video_signature(path: &std::path::Path) -> Option<&'static str> {
    let mut head = [0u8; 16];
    let read = std::fs::File::open(path)
        .and_then(|mut file| file.read(&mut head))
        .ok()?;
    signature_of(&head[..read])
}

fn signature_of(head: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"\x89PNG\r\n\x1A\n", "a PNG image"),
        (b"GIF87a", "a GIF image"),
        (b"GIF89a", "a GIF image"),
        (b"BM", "a BMP image"),
        (b"II*\0", "a TIFF image"),
        (b"MM\0*", "a TIFF image"),
        (b"%PDF", "a PDF document"),
        (b"PK\x03\x04", "a ZIP archive"),
    ];
    if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        return Some("a WebP image");
    }
    SIGNATURES
        .iter()
        .find(|(magic, _)| head.starts_with(magic))
        .map(|(_, kind)| *kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_documents_and_archives_are_recognised_and_videos_are_not() {
        assert_eq!(
            signature_of(b"\xFF\xD8\xFF\xE0\0\x10JFIF"),
            Some("a JPEG image")
        );
        assert_eq!(signature_of(b"\x89PNG\r\n\x1A\n\0\0"), Some("a PNG image"));
        assert_eq!(signature_of(b"RIFF\0\0\0\0WEBPVP8 "), Some("a WebP image"));
        assert_eq!(signature_of(b"%PDF-1.7"), Some("a PDF document"));
        assert_eq!(signature_of(b"RIFF\0\0\0\0AVI LIST"), None);
        assert_eq!(signature_of(b"\0\0\0\x20ftypisom"), None);
        assert_eq!(signature_of(b""), None);
    }

    #[test]
    fn frames_beyond_8192_squared_are_refused() {
        let info = |width, height| vision::VideoInfo {
            width,
            height,
            fps: None,
            frame_count: None,
            duration_s: None,
        };
        assert!(acceptable_size(&info(7680, 4320)).is_ok());
        assert!(acceptable_size(&info(8192, 8193))
            .unwrap_err()
            .contains("8192×8193"));
        assert!(acceptable_size(&info(0, 10)).is_err());
        assert!(acceptable_size(&info(1, 1))
            .unwrap_err()
            .contains("too small"));
        assert!(acceptable_size(&info(32, 32)).is_ok());
    }
}
