//! API integration tests against a real server, real database and real videos.

mod auth;
mod cli;
mod corrections;
mod cpu;
mod embedding_models;
mod export;
mod fixtures;
mod helpers;
mod hostile;
mod hostile_videos;
mod job_ends;
mod jobs;
mod metrics;
#[path = "../support/one_pass.rs"]
mod one_pass;
mod pause;
mod people;
mod profiles;
mod s3;
#[path = "../support/s3_server.rs"]
mod s3_server;
mod scale_out;
mod search;
mod segments;
mod service;
mod timeline;
mod uploads;
mod webhooks;
