//! Hostile inputs made on the fly: damaged and odd videos (ffmpeg and byte patches of the
//! shared files), hand-written multipart bodies, and a client that stalls mid-upload.

use crate::helpers::{shared_dir, video};
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The boundary of every hand-written multipart body.
pub const BOUNDARY: &str = "facetally-hostile-boundary";

/// One part of a hand-written multipart body; `filename` is raw bytes (may hold NUL).
pub struct Part {
    pub name: &'static str,
    pub filename: Option<Vec<u8>>,
    pub bytes: Vec<u8>,
}

/// A `files` part with this file name.
pub fn file(name: &str, bytes: Vec<u8>) -> Part {
    Part {
        name: "files",
        filename: Some(name.as_bytes().to_vec()),
        bytes,
    }
}

/// A text part.
pub fn text(name: &'static str, value: &str) -> Part {
    Part {
        name,
        filename: None,
        bytes: value.as_bytes().to_vec(),
    }
}

/// `multipart/form-data` bytes of the parts, closed properly unless `cut` is set.
pub fn multipart(parts: &[Part], cut: bool) -> Vec<u8> {
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{}\"",
                part.name
            )
            .as_bytes(),
        );
        if let Some(filename) = &part.filename {
            body.extend_from_slice(b"; filename=\"");
            body.extend_from_slice(filename);
            body.extend_from_slice(b"\"\r\nContent-Type: application/octet-stream");
        }
        body.extend_from_slice(b"\r\n\r\n");
        body.extend_from_slice(&part.bytes);
        body.extend_from_slice(b"\r\n");
    }
    if cut {
        body.truncate(body.len().saturating_sub(40));
    } else {
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    }
    body
}

/// Bytes of a shared test video.
pub fn shared(name: &str) -> Vec<u8> {
    std::fs::read(video(name)).expect("shared video")
}

/// Bytes of a shared test image.
pub fn image(name: &str) -> Vec<u8> {
    std::fs::read(shared_dir().join("data/images").join(name)).expect("shared image")
}

/// Deterministic pseudo-random bytes (xorshift), so failures reproduce.
pub fn noise(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as u8
        })
        .collect()
}

/// Megamind.avi with everything after its first 48 KiB replaced by noise: the header and
/// first frames are fine, the rest is garbage.
pub fn corrupted_avi() -> Vec<u8> {
    let mut bytes = shared("Megamind.avi");
    let garbage = noise(bytes.len() - 48 * 1024, 7);
    bytes[48 * 1024..].copy_from_slice(&garbage);
    bytes
}

/// Megamind.avi whose headers claim 0 frames per second (`dwMicroSecPerFrame`, `dwScale`
/// and `dwRate` all 0).
pub fn zero_fps_avi() -> Vec<u8> {
    let mut bytes = shared("Megamind.avi");
    let avih = find(&bytes, b"avih", 0).expect("avih");
    bytes[avih + 8..avih + 12].copy_from_slice(&0u32.to_le_bytes());
    let strh = video_stream_header(&bytes);
    bytes[strh + 28..strh + 36].copy_from_slice(&[0; 8]);
    bytes
}

/// Megamind.avi whose headers claim 60000×60000 pixels.
pub fn giant_header_avi() -> Vec<u8> {
    let mut bytes = shared("Megamind.avi");
    let avih = find(&bytes, b"avih", 0).expect("avih");
    bytes[avih + 40..avih + 48].copy_from_slice(&[0x60, 0xEA, 0, 0, 0x60, 0xEA, 0, 0]);
    let strf = find(&bytes, b"strf", avih).expect("strf");
    bytes[strf + 12..strf + 20].copy_from_slice(&[0x60, 0xEA, 0, 0, 0x60, 0xEA, 0, 0]);
    bytes
}

/// Position of the `strh` chunk whose stream type is `vids`.
fn video_stream_header(bytes: &[u8]) -> usize {
    let mut from = 0;
    while let Some(at) = find(bytes, b"strh", from) {
        if &bytes[at + 8..at + 12] == b"vids" {
            return at;
        }
        from = at + 4;
    }
    panic!("no video stream header")
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// Videos made by ffmpeg once per test run: `1x1.avi` and `64x64.avi` (10 frames each),
/// `7680x4320.avi` (3 frames) and `8200x8200.avi` (2 frames, over the size limit).
pub fn generated(name: &str) -> Vec<u8> {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    let dir = DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        for (size, frames, scale) in [
            ("16x16", "10", "scale=1:1"),
            ("64x64", "10", "null"),
            ("7680x4320", "3", "null"),
            ("8200x8200", "2", "null"),
        ] {
            let out = dir.path().join(format!(
                "{}.avi",
                if scale == "null" { size } else { "1x1" }
            ));
            let status = std::process::Command::new("ffmpeg")
                .args([
                    "-v",
                    "error",
                    "-y",
                    "-f",
                    "lavfi",
                    "-i",
                    &format!("color=color=gray:size={size}:rate=5"),
                ])
                .args(["-vf", scale, "-frames:v", frames, "-c:v", "ffv1"])
                .arg(&out)
                .status()
                .expect("ffmpeg (installed by scripts/setup.sh)");
            assert!(status.success(), "ffmpeg made {}", out.display());
        }
        dir
    });
    let path: PathBuf = dir.path().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Sends the head of an upload and `sent` bytes of its body, then stalls for `pause`
/// before sending the rest; returns the status line the server answered with.
pub async fn stalled_upload(address: &str, body: &[u8], sent: usize, pause: Duration) -> String {
    let host = address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.expect("connect");
    let head = format!(
        "POST /api/videos HTTP/1.1\r\nHost: {host}\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&body[..sent]).await.unwrap();
    tokio::time::sleep(pause).await;
    let _ = stream.write_all(&body[sent..]).await; // the server may have hung up already
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer)
        .lines()
        .next()
        .unwrap_or("")
        .to_owned()
}
