//! Photos that are not searchable: each gets its status and changes nothing.

use super::stills::still;
use crate::helpers::*;
use app::model::ErrorBody;
use std::time::{Duration, Instant};

/// A PNG whose header claims `width` × `height`, with a tiny (invalid) body: a
/// decompression bomb as far as the header goes.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend(width.to_be_bytes());
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    png.extend(13u32.to_be_bytes());
    png.extend(&ihdr);
    png.extend(crc32(&ihdr).to_be_bytes());
    let idat = b"IDAT\x78\x9c\x03\x00\x00\x00\x00\x01";
    png.extend(((idat.len() - 4) as u32).to_be_bytes());
    png.extend(idat);
    png.extend(crc32(idat).to_be_bytes());
    png.extend(0u32.to_be_bytes());
    png.extend(b"IEND");
    png.extend(crc32(b"IEND").to_be_bytes());
    png
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn resident_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[tokio::test]
async fn bad_photos_get_their_status_and_change_nothing() {
    let app = spawn_app().await;
    let carphone = std::fs::read(video("carphone_pristine.mp4")).unwrap();
    app.process("carphone.mp4", carphone, true).await;
    let dir = tempfile::tempdir().unwrap();
    let good = still(dir.path(), "carphone_pristine.mp4", "2", "null", "good.jpg");
    let before = (app.list().await, app.stored_files());

    let baboon = std::fs::read(shared_dir().join("data/images/baboon.jpg")).unwrap();
    let big = vec![0xFFu8; 10 * 1024 * 1024 + 1];
    // (case, photo, other parts, status, field named)
    type Case<'a> = (
        &'a str,
        Vec<u8>,
        Vec<(&'a str, &'a str)>,
        u16,
        Option<&'a str>,
    );
    let cases: Vec<Case> = vec![
        (
            "text",
            b"hello, this is not an image".to_vec(),
            vec![],
            422,
            Some("photo"),
        ),
        ("empty", Vec::new(), vec![], 422, Some("photo")),
        (
            "truncated JPEG",
            good[..good.len() / 3].to_vec(),
            vec![],
            422,
            Some("photo"),
        ),
        (
            "GIF",
            b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec(),
            vec![],
            422,
            Some("photo"),
        ),
        ("no face", baboon, vec![], 422, Some("photo")),
        (
            "face out of range",
            good.clone(),
            vec![("face", "1")],
            422,
            Some("face"),
        ),
        (
            "face not a number",
            good.clone(),
            vec![("face", "first")],
            422,
            Some("face"),
        ),
        (
            "similarity over 1",
            good.clone(),
            vec![("min_similarity", "1.5")],
            422,
            Some("min_similarity"),
        ),
        (
            "limit 0",
            good.clone(),
            vec![("limit", "0")],
            422,
            Some("limit"),
        ),
        (
            "limit 201",
            good.clone(),
            vec![("limit", "201")],
            422,
            Some("limit"),
        ),
        (
            "unknown order",
            good.clone(),
            vec![("order", "name")],
            422,
            Some("order"),
        ),
        (
            "unknown part",
            good.clone(),
            vec![("colour", "red")],
            422,
            Some("colour"),
        ),
        (
            "force not a flag",
            good.clone(),
            vec![("force", "perhaps")],
            422,
            Some("force"),
        ),
        (
            "photo and profile",
            good.clone(),
            vec![("profile_id", "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b")],
            422,
            Some("profile_id"),
        ),
        ("over 10 MB", big, vec![], 413, None),
        (
            "30000 x 30000 PNG",
            png_claiming(30_000, 30_000),
            vec![],
            413,
            None,
        ),
        (
            "8000 x 6000 PNG",
            png_claiming(8000, 6000),
            vec![],
            413,
            None,
        ),
    ];
    for (name, photo, parts, status, field) in cases {
        let rss = resident_kib();
        let started = Instant::now();
        let response = app.search_photo(photo, &parts).await;
        let elapsed = started.elapsed();
        assert_eq!(response.status().as_u16(), status, "{name}");
        let body: ErrorBody = response.json().await.expect("an ErrorBody");
        assert!(!body.error.is_empty(), "{name}");
        if let Some(field) = field {
            assert!(body.fields.contains_key(field), "{name}: {body:?}");
        }
        if name.contains("PNG") {
            assert!(elapsed < Duration::from_millis(500), "{name}: {elapsed:?}");
            let grew = resident_kib().saturating_sub(rss);
            assert!(grew < 64 * 1024, "{name}: memory grew by {grew} KiB");
        }
    }
    // A form without a photo, and a body with no parts at all (not well-formed multipart).
    let no_photo = app
        .search_form(reqwest::multipart::Form::new(), &[("limit", "5")])
        .await;
    assert_eq!(no_photo.status(), 422);
    let body: ErrorBody = no_photo.json().await.unwrap();
    assert!(body.fields.contains_key("photo"), "{body:?}");
    let empty = app.search_form(reqwest::multipart::Form::new(), &[]).await;
    assert!(
        [400, 422].contains(&empty.status().as_u16()),
        "{}",
        empty.status()
    );
    assert_eq!(
        (app.list().await, app.stored_files()),
        before,
        "nothing changed"
    );
    // And the server still answers searches.
    assert_eq!(app.search_photo(good, &[]).await.status(), 200);
    app.stop().await;
}
