//! What clients of a running instance do: uploads (whole, or stalled half-way), an SSE
//! subscription, and polling a video's state.

use crate::instance::{shared, Instance};
use app::model::Video;
use futures::StreamExt;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// A streaming upload that sent part of its body and is holding the rest.
pub struct SlowUpload {
    more: mpsc::Sender<Result<Vec<u8>, std::io::Error>>,
    /// The file's bytes past the part sent.
    rest: Vec<u8>,
    /// The request; ends when the server answers or the connection breaks.
    pub request: tokio::task::JoinHandle<reqwest::Result<reqwest::Response>>,
}

impl SlowUpload {
    /// Sends the rest of the file and returns the server's answer.
    pub async fn finish(self) -> reqwest::Response {
        self.more.send(Ok(self.rest)).await.unwrap();
        drop(self.more);
        self.request.await.unwrap().expect("an answer")
    }
}

impl Instance {
    /// Uploads one shared video in its own request; asserts `201`.
    pub async fn upload(&self, name: &str) -> Video {
        let bytes = std::fs::read(shared().join("data/videos").join(name)).unwrap();
        let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned());
        let form = reqwest::multipart::Form::new().part("files", part);
        let response = self
            .client
            .post(self.url("/api/videos"))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201, "{name}");
        response.json::<Vec<Video>>().await.unwrap().remove(0)
    }

    /// Starts an upload of `name` that sends its first 256 KiB and then holds; returns once
    /// the server has written some of it to its incoming folder.
    pub async fn slow_upload(&self, name: &str) -> SlowUpload {
        let bytes = std::fs::read(shared().join("data/videos").join(name)).unwrap();
        let (more, body) = mpsc::channel(1);
        more.send(Ok(bytes[..256 * 1024].to_vec())).await.unwrap();
        let stream = tokio_stream::wrappers::ReceiverStream::new(body);
        let part = reqwest::multipart::Part::stream(reqwest::Body::wrap_stream(stream))
            .file_name(name.to_owned());
        let form = reqwest::multipart::Form::new().part("files", part);
        let request = tokio::spawn(
            self.client
                .post(self.url("/api/videos"))
                .multipart(form)
                .send(),
        );
        let started = Instant::now();
        while !self
            .incoming_files()
            .iter()
            .any(|f| f.metadata().is_ok_and(|m| m.len() > 0))
        {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "the slow upload never reached incoming/"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        SlowUpload {
            more,
            rest: bytes[256 * 1024..].to_vec(),
            request,
        }
    }

    /// Opens `/api/events`; the task ends (with the number of events read) when the stream does.
    pub async fn sse_client(&self) -> tokio::task::JoinHandle<usize> {
        let response = self
            .client
            .get(self.url("/api/events"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        tokio::spawn(async move {
            let mut stream = response.bytes_stream();
            let mut chunks = 0;
            while let Some(Ok(_)) = stream.next().await {
                chunks += 1;
            }
            chunks
        })
    }

    /// The video as the running process serves it.
    pub async fn get(&self, id: &str) -> Video {
        let response = self
            .client
            .get(self.url(&format!("/api/videos/{id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{id}");
        response.json().await.unwrap()
    }

    /// Polls until the video is final (at most `limit`).
    pub async fn wait_final(&self, id: &str, limit: Duration) -> Video {
        let started = Instant::now();
        loop {
            let video = self.get(id).await;
            if video.status.is_final() {
                return video;
            }
            assert!(
                started.elapsed() < limit,
                "{id} still {} after {limit:?}\n{}",
                video.status,
                self.log_tail()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Polls until the video has processed frames.
    pub async fn wait_frames(&self, id: &str, limit: Duration) -> Video {
        let started = Instant::now();
        loop {
            let video = self.get(id).await;
            if video.frames_processed > 0 {
                return video;
            }
            assert!(
                started.elapsed() < limit,
                "{id} never started: {}\n{}",
                video.status,
                self.log_tail()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}
