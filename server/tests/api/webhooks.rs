//! Watch list, alerts and signed webhooks against a real HTTP receiver in this process: one
//! signed delivery per alert, retries after 5xx answered once by idempotency key, and a
//! restart between tries loses nothing.

use crate::helpers::{spawn_app_with, start, video, AppOptions, TestApp};
use app::model::{Alert, AlertPage, DeliveryPage, DeliveryState, ProfilePage, ALERT_EVENT};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use eventsource_stream::Eventsource;
use futures::StreamExt;
use hmac::{Hmac, Mac};
use server::webhooks::{WebhookArgs, WebhookSecret};
use sha2::Sha256;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const SECRET: &str = "webhook-secret-for-the-tests";

/// One request the receiver got, and what it answered.
#[derive(Debug, Clone)]
struct Received {
    headers: HeaderMap,
    body: String,
    answered: u16,
}

/// A webhook receiver answering the statuses of `script` in turn, then 200.
#[derive(Clone, Default)]
struct Receiver {
    script: Arc<Mutex<VecDeque<u16>>>,
    got: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    /// Starts it on a free port; returns its URL.
    async fn start(&self) -> String {
        let app = axum::Router::new()
            .route("/hook", axum::routing::post(receive))
            .with_state(self.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        url
    }

    fn got(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    /// Waits until `n` requests arrived (at most 60 s).
    async fn wait_for(&self, n: usize) -> Vec<Received> {
        for _ in 0..600 {
            let got = self.got();
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the receiver got {} requests, not {n}", self.got().len());
    }
}

async fn receive(State(receiver): State<Receiver>, headers: HeaderMap, body: String) -> StatusCode {
    let answered = receiver.script.lock().unwrap().pop_front().unwrap_or(200);
    receiver.got.lock().unwrap().push(Received {
        headers,
        body,
        answered,
    });
    StatusCode::from_u16(answered).unwrap()
}

fn options(url: &str) -> AppOptions {
    AppOptions {
        webhooks: WebhookArgs {
            webhook_urls: vec![url.to_owned()],
            webhook_secret: Some(WebhookSecret::parse(SECRET).unwrap()),
        },
        ..AppOptions::default()
    }
}

/// Processes faces.mp4 making profiles, watches the first profile, then processes the
/// video again: its people join the same profiles (no new ones), one of them watched.
/// Returns the watched profile's id and the second video's id.
async fn watch_and_see_again(app: &TestApp) -> (String, String) {
    let bytes = std::fs::read(video("faces.mp4")).unwrap();
    let first = upload(app, &bytes, Some("true")).await;
    app.wait_final(&first, Duration::from_secs(180)).await;
    let page: ProfilePage = app.get_json("/api/profiles").await;
    assert!(!page.items.is_empty(), "faces.mp4 makes profiles");
    let watched = page.items[0].id.clone();
    let response = app
        .patch_profile(&watched, serde_json::json!({"watch": true}))
        .await;
    assert_eq!(response.status(), 200);
    let profile: app::model::Profile = response.json().await.unwrap();
    assert!(profile.watch);
    let bad = app
        .patch_profile(&watched, serde_json::json!({"watch": "yes"}))
        .await;
    assert_eq!(bad.status(), 422);
    let second = upload(app, &bytes, Some("true")).await;
    app.wait_final(&second, Duration::from_secs(180)).await;
    (watched, second)
}

async fn upload(app: &TestApp, bytes: &[u8], create_profiles: Option<&str>) -> String {
    let response = app
        .upload(vec![("faces.mp4".into(), bytes.to_vec())], create_profiles)
        .await;
    assert_eq!(response.status(), 201);
    let videos: Vec<app::model::Video> = response.json().await.unwrap();
    videos[0].id.clone()
}

/// The body's signature, timestamp and id agree with its headers, under [`SECRET`].
fn check_signed(got: &Received) -> serde_json::Value {
    let header = |name: &str| {
        got.headers
            .get(name)
            .unwrap_or_else(|| panic!("no {name} header"))
            .to_str()
            .unwrap()
            .to_owned()
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(got.body.as_bytes());
    let want: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(header("x-facetally-signature"), format!("sha256={want}"));
    let body: serde_json::Value = serde_json::from_str(&got.body).unwrap();
    assert_eq!(
        header("x-facetally-timestamp"),
        body["timestamp"].to_string()
    );
    assert_eq!(header("idempotency-key"), body["id"].as_str().unwrap());
    assert_eq!(body["type"], "alert");
    body
}

#[tokio::test]
async fn a_watched_person_in_a_new_video_sends_one_signed_alert() {
    let receiver = Receiver::default();
    let url = receiver.start().await;
    let app = spawn_app_with(options(&url)).await;
    let response = app.client.get(app.url("/api/events")).send().await.unwrap();
    let mut alerts = Box::pin(
        response
            .bytes_stream()
            .eventsource()
            .filter_map(|e| async move {
                let e = e.ok()?;
                (e.event == ALERT_EVENT).then(|| serde_json::from_str::<Alert>(&e.data).unwrap())
            }),
    );

    let (watched, second) = watch_and_see_again(&app).await;

    let sse = tokio::time::timeout(Duration::from_secs(30), alerts.next())
        .await
        .expect("an alert event")
        .expect("the stream is open");
    assert_eq!(
        (sse.profile_id.as_str(), sse.video_id.as_str()),
        (watched.as_str(), second.as_str())
    );
    let got = receiver.wait_for(1).await;
    // A moment more: nothing else may come (one watched profile, one alert).
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(receiver.got().len(), 1, "exactly one delivery");
    let body = check_signed(&got[0]);
    assert_eq!(body["alert"]["profile_id"], watched.as_str());
    assert_eq!(body["alert"]["video_id"], second.as_str());
    assert_eq!(body["alert"]["file_name"], "faces.mp4");
    let similarity = body["alert"]["similarity"].as_f64().expect("a similarity");
    assert!((0.0..=1.0001).contains(&similarity), "{similarity}");
    assert!(!body["alert"]["episodes"].as_array().unwrap().is_empty());

    let page: AlertPage = app.get_json("/api/alerts").await;
    assert_eq!((page.total, page.unacknowledged), (1, 1));
    assert_eq!(page.items[0].id, sse.id);
    let acknowledged: Alert = app
        .client
        .post(app.url(&format!("/api/alerts/{}/acknowledge", sse.id)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(acknowledged.acknowledged_at.is_some());
    let page: AlertPage = app.get_json("/api/alerts").await;
    assert_eq!((page.total, page.unacknowledged), (1, 0));
    let missing = app
        .client
        .post(app.url(&format!("/api/alerts/{}/acknowledge", uuid::Uuid::now_v7())))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    let deliveries: DeliveryPage = app.get_json("/api/webhooks/deliveries").await;
    assert_eq!(deliveries.total, 1);
    let delivery = &deliveries.items[0];
    assert_eq!(delivery.state, DeliveryState::Delivered);
    assert_eq!((delivery.attempts, delivery.last_status), (1, Some(200)));
    assert_eq!(delivery.id, body["id"].as_str().unwrap());
}

#[tokio::test]
async fn failed_tries_are_retried_across_a_restart_and_arrive_once() {
    let receiver = Receiver::default();
    receiver.script.lock().unwrap().extend([500, 500]);
    let url = receiver.start().await;
    let app = spawn_app_with(options(&url)).await;
    watch_and_see_again(&app).await;

    // The first try failed: restart the server before the next one.
    receiver.wait_for(1).await;
    let (data_dir, database_url) = app.stop().await;
    let pending: usize = receiver.got().len();
    assert!(pending <= 2, "{pending} tries before the restart");
    let app = start(data_dir, database_url, options(&url)).await;

    let got = receiver.wait_for(3).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let got_all = receiver.got();
    assert_eq!(
        got_all.len(),
        3,
        "two failed tries and one success, nothing more"
    );
    let answered: Vec<u16> = got.iter().map(|g| g.answered).collect();
    assert_eq!(answered, [500, 500, 200]);
    let keys: std::collections::HashSet<String> = got
        .iter()
        .map(|g| check_signed(g)["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(keys.len(), 1, "every try carries the same idempotency key");
    let deliveries: DeliveryPage = app.get_json("/api/webhooks/deliveries").await;
    assert_eq!(deliveries.total, 1);
    let delivery = &deliveries.items[0];
    assert_eq!(delivery.state, DeliveryState::Delivered);
    assert_eq!((delivery.attempts, delivery.last_status), (3, Some(200)));
    assert!(delivery.delivered_at.is_some());
}
