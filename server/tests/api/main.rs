//! API integration tests against a real server, real database and real videos.

mod helpers;
mod auth;
mod uploads;
mod jobs;
mod people;
mod profiles;
mod scale_out;
mod service;
mod s3;
