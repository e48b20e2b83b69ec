//! Scale-out throughput: the same set of videos through one web process and 1, then 2,
//! worker processes (real processes, PostgreSQL, shared storage), printing the ratio.
//!
//! `FACETALLY_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432 cargo bench -p server --bench scale`
//! Optional `FACETALLY_BENCH_STORAGE_URL` (e.g. an `s3://` URL with AWS_* set) to measure
//! another store against the default local folder.

#[allow(dead_code)] // the tests use more of the topology than the bench
#[path = "../tests/processes/topology.rs"]
mod topology;

use std::time::{Duration, Instant};
use topology::Topology;

const SET: [&str; 8] = [
    "Megamind.avi",
    "carphone_pristine.mp4",
    "tree.avi",
    "carphone_pristine.mp4",
    "Megamind.avi",
    "carphone_pristine.mp4",
    "tree.avi",
    "carphone_pristine.mp4",
];

#[tokio::main]
async fn main() {
    let storage = std::env::var("FACETALLY_BENCH_STORAGE_URL").ok();
    let mut seconds = Vec::new();
    for workers in [1, 2] {
        let topology = Topology::start_with(workers, storage.clone()).await;
        let started = Instant::now();
        let created = topology.upload(&SET).await;
        let uploaded = started.elapsed();
        for video in &created {
            topology
                .wait_final(&video.id, Duration::from_secs(600))
                .await;
        }
        let total = started.elapsed();
        println!(
            "{workers} worker process(es): {} videos in {:6.2} s (upload {:.2} s) = {:.2} videos/s",
            SET.len(),
            total.as_secs_f64(),
            uploaded.as_secs_f64(),
            SET.len() as f64 / total.as_secs_f64()
        );
        seconds.push(total.as_secs_f64());
        topology.stop().await;
    }
    println!(
        "throughput ratio 2 workers / 1 worker: {:.2}",
        seconds[0] / seconds[1]
    );
}
