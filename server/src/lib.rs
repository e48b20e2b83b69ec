//! facetally's server: REST API, UI hosting, face-detection jobs, storage and database.

pub mod alerts;
pub mod audit;
pub mod backend;
pub mod cli_scan;
pub mod cli_search;
pub mod config;
pub mod db;
pub mod error;
pub mod events;
pub mod export;
pub mod fsck;
pub mod http;
pub mod jobs;
pub mod media_check;
pub mod metrics;
pub mod people;
pub mod profiles;
pub mod search;
pub mod security;
pub mod serve;
pub mod startup;
pub mod state;
pub mod storage;
pub mod telemetry;
pub mod videos;
pub mod webhooks;
