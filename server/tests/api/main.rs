//! API integration tests against a real server, real database and real videos.

mod fixtures;
mod helpers;
mod hostile;
mod hostile_videos;
mod auth;
mod uploads;
mod jobs;
mod people;
mod profiles;
mod scale_out;
mod service;
mod s3;
#[path = "../support/s3_server.rs"]
mod s3_server;
