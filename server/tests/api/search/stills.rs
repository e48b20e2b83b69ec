//! Photos made by the tests from the shared videos with ffmpeg, and the search request.

use crate::helpers::*;
use std::path::{Path, PathBuf};

/// Runs ffmpeg with `args` (quiet, overwrite), asserting success; returns `out`.
pub fn ffmpeg(args: &[&str], out: &Path) -> PathBuf {
    let status = std::process::Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-y"])
        .args(args)
        .arg(out)
        .status()
        .expect("ffmpeg runs");
    assert!(status.success(), "ffmpeg {args:?} failed");
    out.to_path_buf()
}

/// One frame of shared video `name` at `at` seconds, through the video filter `filter`
/// (`null` for none), written as `file` (the extension picks the format) in `dir`.
pub fn still(dir: &Path, name: &str, at: &str, filter: &str, file: &str) -> Vec<u8> {
    let input = video(name);
    let out = ffmpeg(
        &[
            "-ss",
            at,
            "-i",
            input.to_str().unwrap(),
            "-frames:v",
            "1",
            "-vf",
            filter,
            "-q:v",
            "2",
        ],
        &dir.join(file),
    );
    std::fs::read(out).unwrap()
}

/// A re-encoded, mirrored copy of a shared video (another clip of the same person).
pub fn mirrored(dir: &Path, name: &str) -> Vec<u8> {
    let input = video(name);
    let out = ffmpeg(
        &[
            "-i",
            input.to_str().unwrap(),
            "-vf",
            "hflip",
            "-c:v",
            "libx264",
            "-crf",
            "30",
            "-an",
        ],
        &dir.join("mirrored.mp4"),
    );
    std::fs::read(out).unwrap()
}

/// Two different clips of one person: the first half of shared video `name`, and its
/// second half mirrored; both re-encoded (no frame of one is in the other).
pub fn halves(dir: &Path, name: &str, half_s: &str) -> (Vec<u8>, Vec<u8>) {
    let input = video(name);
    let input = input.to_str().unwrap();
    let encode = ["-c:v", "libx264", "-crf", "23", "-an"];
    let first = [&["-i", input, "-t", half_s][..], &encode[..]].concat();
    let second = [
        &["-ss", half_s, "-i", input, "-vf", "hflip"][..],
        &encode[..],
    ]
    .concat();
    let first = ffmpeg(&first, &dir.join("first-half.mp4"));
    let second = ffmpeg(&second, &dir.join("second-half-mirrored.mp4"));
    (
        std::fs::read(first).unwrap(),
        std::fs::read(second).unwrap(),
    )
}

impl TestApp {
    /// `POST /api/search` with a photo and extra text parts.
    pub async fn search_photo(&self, photo: Vec<u8>, parts: &[(&str, &str)]) -> reqwest::Response {
        let form = reqwest::multipart::Form::new().part(
            "photo",
            reqwest::multipart::Part::bytes(photo).file_name("photo.jpg"),
        );
        self.search_form(form, parts).await
    }

    /// `POST /api/search` with `form` plus text parts.
    pub async fn search_form(
        &self,
        mut form: reqwest::multipart::Form,
        parts: &[(&str, &str)],
    ) -> reqwest::Response {
        for (name, value) in parts {
            form = form.text(name.to_string(), value.to_string());
        }
        self.client
            .post(self.url("/api/search"))
            .multipart(form)
            .send()
            .await
            .expect("search request")
    }

    /// Uploads one file and waits until it is done.
    pub async fn process(&self, name: &str, bytes: Vec<u8>, profiles: bool) -> app::model::Video {
        let flag = if profiles { "true" } else { "false" };
        let response = self.upload(vec![(name.into(), bytes)], Some(flag)).await;
        assert_eq!(response.status(), 201);
        let created: Vec<app::model::Video> = response.json().await.unwrap();
        let video = self
            .wait_final(&created[0].id, std::time::Duration::from_secs(300))
            .await;
        assert_eq!(video.status, app::model::VideoStatus::Done, "{video:?}");
        video
    }
}
