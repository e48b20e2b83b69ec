//! Hostile and broken input, table-driven: every case gets a clear 4xx JSON error (naming
//! the field where there is one), nothing is stored or changed, and the server keeps serving.

use crate::fixtures::{self, file, multipart, text, Part};
use crate::helpers::*;
use app::model::{ErrorBody, Profile, VideoStatus};
use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;

/// What one case sends.
enum Request {
    /// `POST /api/videos` with a hand-written multipart body (`true`: cut off before its end).
    Upload(Vec<Part>, bool),
    /// Any method and path, with a body and content type.
    Raw(Method, String, &'static str, Vec<u8>),
    /// `PATCH` of the existing profile with this body.
    Patch(Vec<u8>),
}

struct Case {
    name: &'static str,
    request: Request,
    status: u16,
    field: Option<&'static str>,
}

fn case(name: &'static str, request: Request, status: u16, field: Option<&'static str>) -> Case {
    Case {
        name,
        request,
        status,
        field,
    }
}

fn get(path: impl Into<String>) -> Request {
    Request::Raw(Method::GET, path.into(), "", Vec::new())
}

fn patch_json(value: Value) -> Request {
    Request::Patch(value.to_string().into_bytes())
}

/// Upload limit of the hostile app, so the oversize case stays small.
const UPLOAD_LIMIT: u64 = 3 * 1024 * 1024;

/// A `files` part whose file name is these raw bytes.
fn named(raw: &[u8], bytes: Vec<u8>) -> Part {
    Part {
        name: "files",
        filename: Some(raw.to_vec()),
        bytes,
    }
}

fn upload_cases() -> Vec<Case> {
    use Request::Upload;
    let one = || fixtures::generated("64x64.avi");
    let mut carphone = fixtures::shared("carphone_pristine.mp4");
    carphone.truncate(carphone.len() / 3);
    let mut hundred: Vec<Part> = (0..99)
        .map(|i| file(&format!("cam{i}.avi"), one()))
        .collect();
    hundred.push(file("last.avi", b"not a video".to_vec()));
    let too_many = (0..101)
        .map(|i| file(&format!("cam{i}.avi"), one()))
        .collect();
    vec![
        case(
            "text file named .mp4",
            Upload(vec![file("notes.mp4", b"hello\n".repeat(500))], false),
            422,
            Some("files[0]"),
        ),
        case(
            "JPEG image named .avi",
            Upload(
                vec![file("face.avi", fixtures::image("two_people.jpg"))],
                false,
            ),
            422,
            Some("files[0]"),
        ),
        case(
            "PNG named .mp4",
            Upload(
                vec![file(
                    "shot.mp4",
                    [b"\x89PNG\r\n\x1A\n".as_slice(), &fixtures::noise(4096, 1)].concat(),
                )],
                false,
            ),
            422,
            Some("files[0]"),
        ),
        case(
            "PDF named .mkv",
            Upload(
                vec![file(
                    "report.mkv",
                    [b"%PDF-1.7\n".as_slice(), &fixtures::noise(4096, 2)].concat(),
                )],
                false,
            ),
            422,
            Some("files[0]"),
        ),
        case(
            "ZIP named .mov",
            Upload(
                vec![file(
                    "archive.mov",
                    [b"PK\x03\x04".as_slice(), &fixtures::noise(4096, 3)].concat(),
                )],
                false,
            ),
            422,
            Some("files[0]"),
        ),
        case(
            "random bytes named .mp4",
            Upload(
                vec![file("noise.mp4", fixtures::noise(64 * 1024, 4))],
                false,
            ),
            422,
            Some("files[0]"),
        ),
        case(
            "zero-byte .avi",
            Upload(vec![file("empty.avi", Vec::new())], false),
            422,
            Some("files[0]"),
        ),
        case(
            "truncated mp4 (index lost)",
            Upload(vec![file("cut.mp4", carphone)], false),
            422,
            Some("files[0]"),
        ),
        case(
            "AVI header only",
            Upload(
                vec![file(
                    "head.avi",
                    fixtures::shared("Megamind.avi")[..6000].to_vec(),
                )],
                false,
            ),
            422,
            Some("files[0]"),
        ),
        case(
            "video of 1x1 pixels",
            Upload(vec![file("dot.avi", fixtures::generated("1x1.avi"))], false),
            422,
            Some("files[0]"),
        ),
        case(
            "frames of 8200x8200 pixels",
            Upload(
                vec![file("8200.avi", fixtures::generated("8200x8200.avi"))],
                false,
            ),
            422,
            Some("files[0]"),
        ),
        case(
            "one bad file among good ones",
            Upload(
                vec![file("ok.avi", one()), file("bad.avi", b"garbage".to_vec())],
                false,
            ),
            422,
            Some("files[1]"),
        ),
        case(
            "100 files, the last not a video",
            Upload(hundred, false),
            422,
            Some("files[99]"),
        ),
        case(
            "101 files in one request",
            Upload(too_many, false),
            422,
            Some("files"),
        ),
        case(
            "multipart without files",
            Upload(vec![text("create_profiles", "true")], false),
            422,
            Some("files"),
        ),
        case(
            "multipart with no parts",
            Upload(Vec::new(), false),
            422,
            Some("files"),
        ),
        case(
            "unknown form part",
            Upload(vec![text("comment", "hi"), file("ok.avi", one())], false),
            422,
            Some("comment"),
        ),
        case(
            "create_profiles not a boolean",
            Upload(
                vec![file("ok.avi", one()), text("create_profiles", "perhaps")],
                false,
            ),
            422,
            Some("create_profiles"),
        ),
        case(
            "file over the upload limit",
            Upload(
                vec![file("big.avi", vec![0; UPLOAD_LIMIT as usize + 1])],
                false,
            ),
            413,
            None,
        ),
        case(
            "file name with NUL",
            Upload(vec![named(b"cam\0era.avi", one())], false),
            400,
            None,
        ),
        // The line break ends the part's header early: what follows is no longer a video.
        case(
            "file name injecting headers",
            Upload(
                vec![named(b"cam\r\nContent-Type: text/html\r\n\r\n.avi", one())],
                false,
            ),
            422,
            Some("files[0]"),
        ),
        case(
            "multipart cut off mid-part",
            Upload(vec![file("ok.avi", one())], true),
            400,
            None,
        ),
        case(
            "JSON sent to the upload",
            Request::Raw(
                Method::POST,
                "/api/videos".into(),
                "application/json",
                b"{\"files\":[]}".to_vec(),
            ),
            400,
            None,
        ),
        case(
            "multipart without boundary",
            Request::Raw(
                Method::POST,
                "/api/videos".into(),
                "multipart/form-data",
                b"--x\r\n".to_vec(),
            ),
            400,
            None,
        ),
    ]
}

fn profile_cases() -> Vec<Case> {
    vec![
        case(
            "malformed JSON",
            Request::Patch(b"{\"full_name\": ".to_vec()),
            400,
            None,
        ),
        case("empty body", Request::Patch(Vec::new()), 400, None),
        case(
            "invalid UTF-8",
            Request::Patch(b"{\"full_name\": \"\xFF\xFE\"}".to_vec()),
            400,
            None,
        ),
        case(
            "JSON array",
            patch_json(json!(["full_name"])),
            422,
            Some("body"),
        ),
        case(
            "JSON string",
            patch_json(json!("Ivanov Ivan")),
            422,
            Some("body"),
        ),
        case(
            "name is a number",
            patch_json(json!({"full_name": 42})),
            422,
            Some("full_name"),
        ),
        case(
            "gender is a boolean",
            patch_json(json!({"gender": true})),
            422,
            Some("gender"),
        ),
        case(
            "birth date is an object",
            patch_json(json!({"birth_date": {"y": 1990}})),
            422,
            Some("birth_date"),
        ),
        case(
            "unknown field",
            patch_json(json!({"nickname": "Vanya"})),
            422,
            Some("nickname"),
        ),
        case(
            "valid field with an unknown one",
            patch_json(json!({"full_name": "Ivanov Ivan", "role": "admin"})),
            422,
            Some("role"),
        ),
        case(
            "impossible date 2023-02-30",
            patch_json(json!({"birth_date": "2023-02-30"})),
            422,
            Some("birth_date"),
        ),
        case(
            "month 13",
            patch_json(json!({"birth_date": "1990-13-01"})),
            422,
            Some("birth_date"),
        ),
        case(
            "date in the future",
            patch_json(json!({"birth_date": "2999-01-01"})),
            422,
            Some("birth_date"),
        ),
        case(
            "date before 1900",
            patch_json(json!({"birth_date": "1899-12-31"})),
            422,
            Some("birth_date"),
        ),
        case(
            "date as DD.MM.YYYY",
            patch_json(json!({"birth_date": "01.02.1990"})),
            422,
            Some("birth_date"),
        ),
        case(
            "name with digits",
            patch_json(json!({"full_name": "Ivanov 2 Ivan"})),
            422,
            Some("full_name"),
        ),
        case(
            "name of four words",
            patch_json(json!({"full_name": "Ivanov Ivan Ivanovich Jr"})),
            422,
            Some("full_name"),
        ),
        case(
            "name of one word",
            patch_json(json!({"full_name": "Ivanov"})),
            422,
            Some("full_name"),
        ),
        case(
            "name of 1000 letters",
            patch_json(json!({"full_name": format!("{} Ivan", "Я".repeat(1000))})),
            422,
            Some("full_name"),
        ),
        case(
            "name with NUL",
            patch_json(json!({"full_name": "Ivanov\u{0}Ivan Petrovich"})),
            422,
            Some("full_name"),
        ),
        case(
            "unknown gender",
            patch_json(json!({"gender": "robot"})),
            422,
            Some("gender"),
        ),
        case(
            "body over 64 KiB",
            patch_json(json!({"full_name": "x".repeat(100_000)})),
            413,
            None,
        ),
    ]
}

fn id_and_route_cases(video_id: &str) -> Vec<Case> {
    let unknown = "0190f000-0000-7000-8000-00000000beef";
    let raw = |method: Method, path: String| Request::Raw(method, path, "", Vec::new());
    vec![
        case(
            "malformed video id",
            get("/api/videos/not-a-uuid"),
            400,
            Some("id"),
        ),
        case(
            "path traversal as id",
            get("/api/videos/..%2F..%2Fetc%2Fpasswd"),
            400,
            Some("id"),
        ),
        case(
            "unknown video id",
            get(format!("/api/videos/{unknown}")),
            404,
            None,
        ),
        case(
            "cancel with a malformed id",
            raw(
                Method::POST,
                "/api/videos/1;DROP TABLE videos/cancel".replace(' ', "%20"),
            ),
            400,
            Some("id"),
        ),
        case(
            "cancel a finished video",
            raw(Method::POST, format!("/api/videos/{video_id}/cancel")),
            409,
            None,
        ),
        case(
            "delete an unknown video",
            raw(Method::DELETE, format!("/api/videos/{unknown}")),
            404,
            None,
        ),
        case(
            "file of an unknown video",
            get(format!("/api/videos/{unknown}/file")),
            404,
            None,
        ),
        case(
            "malformed profile id",
            get("/api/profiles/%00"),
            400,
            Some("id"),
        ),
        case(
            "patch an unknown profile",
            Request::Raw(
                Method::PATCH,
                format!("/api/profiles/{unknown}"),
                "application/json",
                b"{}".to_vec(),
            ),
            404,
            None,
        ),
        case(
            "delete an unknown profile",
            raw(Method::DELETE, format!("/api/profiles/{unknown}")),
            404,
            None,
        ),
        case(
            "crop of an unknown profile",
            get(format!("/api/profiles/{unknown}/crop")),
            404,
            None,
        ),
        case(
            "page size 0",
            get("/api/profiles?limit=0"),
            422,
            Some("limit"),
        ),
        case(
            "page size not a number",
            get("/api/profiles?limit=ten"),
            422,
            Some("limit"),
        ),
        case(
            "negative offset",
            get("/api/profiles?offset=-5"),
            422,
            Some("offset"),
        ),
        case(
            "page size past i64",
            get("/api/profiles?limit=99999999999999999999999"),
            422,
            Some("limit"),
        ),
        case("unknown API route", get("/api/nothing/here"), 404, None),
        case(
            "wrong method",
            raw(Method::PUT, "/api/videos".into()),
            405,
            None,
        ),
    ]
}

/// The state a rejected request must leave untouched.
#[derive(Debug, PartialEq)]
struct Snapshot {
    videos: Value,
    profile: Value,
    files: Vec<std::path::PathBuf>,
}

async fn snapshot(app: &TestApp, profile: &Profile) -> Snapshot {
    let mut files = app.stored_files();
    files.sort();
    Snapshot {
        videos: app.get_json("/api/videos").await,
        profile: app.get_json(&format!("/api/profiles/{}", profile.id)).await,
        files,
    }
}

async fn send(app: &TestApp, profile: &Profile, request: Request) -> reqwest::Response {
    let (method, path, content_type, body) = match request {
        Request::Upload(parts, cut) => {
            let content_type = "multipart/form-data; boundary=facetally-hostile-boundary";
            (
                Method::POST,
                "/api/videos".to_owned(),
                content_type,
                multipart(&parts, cut),
            )
        }
        Request::Raw(method, path, content_type, body) => (method, path, content_type, body),
        Request::Patch(body) => (
            Method::PATCH,
            format!("/api/profiles/{}", profile.id),
            "application/json",
            body,
        ),
    };
    let mut builder = app.client.request(method, app.url(&path)).body(body);
    if !content_type.is_empty() {
        builder = builder.header("content-type", content_type);
    }
    builder.send().await.expect("the server answers")
}

/// An app with one finished video and the profile made from it.
async fn app_with_profile() -> (TestApp, Profile, String) {
    let http = server::config::HttpArgs {
        body_timeout_secs: 2,
        ..Default::default()
    };
    let app = spawn_app_with(AppOptions {
        max_upload_bytes: UPLOAD_LIMIT,
        http,
        ..AppOptions::default()
    })
    .await;
    let files = vec![(
        "carphone.mp4".to_owned(),
        fixtures::shared("carphone_pristine.mp4"),
    )];
    let created: Vec<app::model::Video> =
        app.upload(files, Some("true")).await.json().await.unwrap();
    let video = app
        .wait_final(&created[0].id, Duration::from_secs(120))
        .await;
    assert_eq!(video.status, VideoStatus::Done);
    let page: app::model::ProfilePage = app.get_json("/api/profiles").await;
    assert_eq!(page.items.len(), 1, "carphone shows one person");
    (app, page.items[0].clone(), video.id)
}

#[tokio::test]
async fn hostile_requests_get_clear_4xx_json_and_change_nothing() {
    let (app, profile, video_id) = app_with_profile().await;
    let before = snapshot(&app, &profile).await;
    let cases: Vec<Case> = [
        upload_cases(),
        profile_cases(),
        id_and_route_cases(&video_id),
    ]
    .into_iter()
    .flatten()
    .collect();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let mut failures = Vec::new();
    for Case {
        name,
        request,
        status,
        field,
    } in cases
    {
        let response = send(&app, &profile, request).await;
        let got = response.status().as_u16();
        let is_json = response
            .headers()
            .get("content-type")
            .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
        let body = response.text().await.unwrap_or_default();
        let parsed: Option<ErrorBody> = serde_json::from_str(&body).ok();
        let field_ok =
            field.is_none_or(|f| parsed.as_ref().is_some_and(|b| b.fields.contains_key(f)));
        if got != status
            || !is_json
            || parsed.as_ref().is_none_or(|b| b.error.is_empty())
            || !field_ok
        {
            failures.push(format!(
                "{name}: expected {status} {field:?}, got {got} {body:.300}"
            ));
        }
        let after = snapshot(&app, &profile).await;
        for (part, changed) in [
            ("videos", after.videos != before.videos),
            ("profile", after.profile != before.profile),
            ("files", after.files != before.files),
        ] {
            if changed {
                failures.push(format!("{name}: changed the stored {part}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let health = app.client.get(app.url("/api/health")).send().await.unwrap();
    assert_eq!(health.status(), 200, "still serving");
    app.stop().await;
}

#[tokio::test]
async fn a_stalled_upload_is_answered_408_and_leaves_nothing() {
    let (app, profile, _) = app_with_profile().await;
    let before = snapshot(&app, &profile).await;
    let body = multipart(&[file("slow.avi", fixtures::generated("64x64.avi"))], false);
    let status_line =
        fixtures::stalled_upload(&app.address, &body, 200, Duration::from_secs(5)).await;
    assert!(status_line.contains(" 408 "), "{status_line:?}");
    assert_eq!(
        snapshot(&app, &profile).await,
        before,
        "nothing kept of the stalled upload"
    );
    let fine = app
        .upload(
            vec![("after.avi".into(), fixtures::generated("64x64.avi"))],
            None,
        )
        .await;
    assert_eq!(fine.status(), 201, "still serving uploads");
    app.stop().await;
}

#[tokio::test]
async fn a_client_trickling_its_request_head_is_disconnected() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app().await;
    let mut stream = tokio::net::TcpStream::connect(app.address.trim_start_matches("http://"))
        .await
        .unwrap();
    stream
        .write_all(b"GET /api/health HTTP/1.1\r\nHost: facetally\r\n")
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let mut answer = Vec::new();
    // The head never ends: the server must hang up after server::serve::HEADER_TIMEOUT.
    let read = tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the connection was still open after 30 s");
    let waited = started.elapsed();
    println!("request head cut off after {waited:?}");
    assert!(
        waited >= server::serve::HEADER_TIMEOUT - Duration::from_secs(1),
        "{waited:?}"
    );
    let health = app.client.get(app.url("/api/health")).send().await.unwrap();
    assert_eq!(health.status(), 200, "still serving");
    app.stop().await;
}
