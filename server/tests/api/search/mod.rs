//! The archive search: a still of a video finds that video's person, and nobody else.

mod bad_photos;
mod by_profile;
pub mod stills;

use crate::helpers::*;
use app::model::{SearchResult, Video};
use stills::still;

/// carphone (one man) and faces.mp4 (four or five other people), both without profiles.
async fn archive(app: &TestApp) -> (Video, Video) {
    let carphone = std::fs::read(video("carphone_pristine.mp4")).unwrap();
    let faces = std::fs::read(video("faces.mp4")).unwrap();
    let carphone = app.process("carphone.mp4", carphone, false).await;
    let faces = app.process("faces.mp4", faces, false).await;
    (carphone, faces)
}

async fn ok(response: reqwest::Response) -> SearchResult {
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).unwrap()
}

#[tokio::test]
async fn a_still_finds_its_person_first_and_no_one_else() {
    let app = spawn_app().await;
    let (carphone, faces) = archive(&app).await;
    let dir = tempfile::tempdir().unwrap();
    let frame = still(
        dir.path(),
        "carphone_pristine.mp4",
        "2",
        "null",
        "frame.jpg",
    );
    // The same frame cropped around the middle and scaled up, as a PNG.
    let cropped = still(
        dir.path(),
        "carphone_pristine.mp4",
        "2",
        "crop=iw*0.75:ih*0.9,scale=iw*2:ih*2",
        "cropped.png",
    );
    for photo in [frame, cropped] {
        let result = ok(app.search_photo(photo, &[]).await).await;
        assert_eq!(result.faces_in_photo.len(), 1, "{result:?}");
        assert_eq!(result.face, Some(0));
        assert!(!result.low_quality);
        assert!(
            result.model.starts_with("mobilefacenet:"),
            "{}",
            result.model
        );
        let first = result.matches.first().expect("a match");
        assert_eq!(first.person.video_id, carphone.id);
        assert!(first.similarity >= result.match_threshold, "{first:?}");
        assert!(
            result.matches.iter().all(|m| m.person.video_id != faces.id),
            "nobody of faces.mp4 above the threshold: {:?}",
            result.matches
        );
        assert!(first.profile.is_none(), "processed without profiles");
        assert!(!first.person.episodes.is_empty());
    }

    // The person's pictures are JPEGs, cacheable.
    let result = ok(app
        .search_photo(
            still(dir.path(), "carphone_pristine.mp4", "1", "null", "a.jpg"),
            &[],
        )
        .await)
    .await;
    let person = &result.matches[0].person;
    let thumb = person.episodes[0]
        .thumb_url
        .clone()
        .expect("episode picture");
    for url in [person.crop_url.clone(), thumb] {
        let response = app.client.get(app.url(&url)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{url}");
        assert_eq!(response.headers()["content-type"], "image/jpeg");
        assert!(response.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("max-age"));
        assert_eq!(&response.bytes().await.unwrap()[..2], &[0xFF, 0xD8]);
    }
    let missing = app
        .client
        .get(app.url(&format!("/api/people/{}/episodes/99/thumb", person.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);

    // Someone who is in no video matches nobody.
    let stranger = std::fs::read(shared_dir().join("data/images/two_people.jpg")).unwrap();
    for face in ["0", "1"] {
        let result = ok(app.search_photo(stranger.clone(), &[("face", face)]).await).await;
        assert_eq!(result.faces_in_photo.len(), 2);
        assert!(result.matches.is_empty(), "{:?}", result.matches);
    }
    app.stop().await;
}

#[tokio::test]
async fn degraded_stills_are_refused_or_match_no_wrong_person() {
    let app = spawn_app().await;
    let (carphone, _faces) = archive(&app).await;
    let dir = tempfile::tempdir().unwrap();
    let degraded = [
        ("small", "scale=iw/4:ih/4,scale=iw*4:ih*4"),
        ("blurred", "gblur=sigma=4"),
        ("compressed", "scale=iw/2:ih/2,scale=iw*3:ih*3"),
        (
            "blurred_small",
            "scale=iw/3:ih/3,gblur=sigma=1.5,scale=iw*3:ih*3",
        ),
    ];
    let mut refused = 0;
    for (name, filter) in degraded {
        for source in ["carphone_pristine.mp4", "faces.mp4"] {
            let at = if source == "faces.mp4" { "3" } else { "2" };
            let file = format!("{name}.jpg");
            let mut photo = still(dir.path(), source, at, filter, &file);
            if name == "compressed" {
                // JPEG quality ~5: heavy blocking.
                let out = stills::ffmpeg(
                    &["-i", dir.path().join(&file).to_str().unwrap(), "-q:v", "31"],
                    &dir.path().join("worse.jpg"),
                );
                photo = std::fs::read(out).unwrap();
            }
            let response = app.search_photo(photo.clone(), &[]).await;
            if response.status() == 422 {
                let body: app::model::ErrorBody = response.json().await.unwrap();
                assert!(body.fields.contains_key("photo"), "{body:?}");
                refused += 1;
                // Forced, the answer says it is low quality.
                let forced = app.search_photo(photo, &[("force", "true")]).await;
                if forced.status() == 200 {
                    let forced: SearchResult = forced.json().await.unwrap();
                    assert!(forced.low_quality);
                }
                continue;
            }
            let result = ok(response).await;
            for m in &result.matches {
                // A carphone still may only find carphone's man; a faces.mp4 still never him.
                let right =
                    (m.person.video_id == carphone.id) == (source == "carphone_pristine.mp4");
                assert!(right, "{name} of {source}: confident wrong match {m:?}");
            }
        }
    }
    println!("degraded stills refused by the quality gate: {refused} of 8");
    app.stop().await;
}

#[tokio::test]
async fn order_and_min_similarity_change_the_result() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read(video("carphone_pristine.mp4")).unwrap();
    let older = app.process("older.mp4", original, false).await;
    let newer = app
        .process(
            "newer.mp4",
            stills::mirrored(dir.path(), "carphone_pristine.mp4"),
            false,
        )
        .await;
    // A frame of the original: the original's person is the more similar one.
    let photo = still(dir.path(), "carphone_pristine.mp4", "2", "null", "q.jpg");
    let by_similarity = ok(app.search_photo(photo.clone(), &[]).await).await;
    let videos = |r: &SearchResult| -> Vec<String> {
        r.matches
            .iter()
            .map(|m| m.person.video_id.clone())
            .collect()
    };
    assert_eq!(videos(&by_similarity), [older.id.clone(), newer.id.clone()]);
    assert!(by_similarity.matches[0].similarity >= by_similarity.matches[1].similarity);
    let by_time = ok(app.search_photo(photo.clone(), &[("order", "time")]).await).await;
    assert_eq!(videos(&by_time), [newer.id.clone(), older.id.clone()]);
    // Between the two similarities: only the better one is left.
    let between = (by_similarity.matches[0].similarity + by_similarity.matches[1].similarity) / 2.0;
    let strict = ok(app
        .search_photo(photo.clone(), &[("min_similarity", &between.to_string())])
        .await)
    .await;
    assert_eq!(videos(&strict), std::slice::from_ref(&older.id));
    assert!((strict.min_similarity - between).abs() < 1e-6);
    let one = ok(app
        .search_photo(photo, &[("limit", "1"), ("order", "time")])
        .await)
    .await;
    assert_eq!(videos(&one), std::slice::from_ref(&newer.id));
    app.stop().await;
}
