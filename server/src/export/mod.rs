//! Exports of videos, profiles and appearances as CSV or JSON, streamed: the tables are
//! read a batch at a time ([`pages`]) and each batch is encoded and sent before the next
//! is read, so memory stays bounded whatever the size of the table (100 000 profiles
//! included). Rows come in key order (ids; for appearances video, then person); rows
//! written while an export runs may or may not be in it, and none is written twice.

pub mod csv;
pub mod json;
pub mod pages;
pub mod rows;

use crate::db::Db;
use bytes::Bytes;
use futures::stream::{self, BoxStream};
use futures::{Stream, StreamExt, TryStreamExt};
use rows::{EpisodeRecord, PersonRow, Record};
use std::future::ready;

/// What is exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dataset {
    /// One row per video.
    Videos,
    /// One row per profile.
    Profiles,
    /// One row per episode of a person in a video.
    Appearances,
}

impl Dataset {
    /// The name in paths and file names.
    pub fn name(self) -> &'static str {
        match self {
            Self::Videos => "videos",
            Self::Profiles => "profiles",
            Self::Appearances => "appearances",
        }
    }
}

/// How it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// RFC 4180 with a UTF-8 byte order mark.
    Csv,
    /// One JSON array of objects.
    Json,
}

impl Format {
    /// The `Content-Type` of the answer.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Json => "application/json",
        }
    }

    /// The file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Json => "json",
        }
    }
}

/// An export ready to be sent.
pub struct Download {
    /// `facetally-<dataset>-YYYYMMDD.<ext>` (UTC date).
    pub filename: String,
    pub content_type: &'static str,
    /// The file's bytes, one chunk per batch of rows.
    pub body: BoxStream<'static, std::io::Result<Bytes>>,
}

/// Streams exports out of the database.
#[derive(Debug, Clone)]
pub struct ExportService {
    db: Db,
}

impl ExportService {
    /// A service reading `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Starts an export: its first batch is read here, so a failing database is an error
    /// answer rather than a cut file; the rest is read as the body is sent.
    pub async fn download(&self, dataset: Dataset, format: Format) -> sqlx::Result<Download> {
        let db = self.db.clone();
        let limit = pages::BATCH;
        let body = match dataset {
            Dataset::Videos => {
                let read = move |after: String, limit| {
                    let db = db.clone();
                    async move { db.export_videos(&after, limit).await }
                };
                let batches = pages::batches(String::new(), limit, read, |r| r.id.clone());
                encode(batches, format).await?
            }
            Dataset::Profiles => {
                let read = move |after: String, limit| {
                    let db = db.clone();
                    async move { db.export_profiles(&after, limit).await }
                };
                let batches = pages::batches(String::new(), limit, read, |r| r.id.clone());
                encode(batches, format).await?
            }
            Dataset::Appearances => {
                let read = move |after: PersonKey, limit| {
                    let db = db.clone();
                    async move { db.export_people(&after, limit).await }
                };
                let key_of = |p: &PersonRow| (p.video_id.clone(), p.ordinal, p.person_id.clone());
                let batches = pages::batches(PersonKey::default(), limit, read, key_of)
                    .map_ok(|people| people.into_iter().flat_map(PersonRow::episodes).collect());
                encode::<EpisodeRecord>(batches, format).await?
            }
        };
        let date = time::OffsetDateTime::now_utc().date();
        let date = date
            .format(time::macros::format_description!("[year][month][day]"))
            .unwrap_or_default();
        Ok(Download {
            filename: format!("facetally-{}-{date}.{}", dataset.name(), format.extension()),
            content_type: format.content_type(),
            body,
        })
    }
}

/// Where a batch of people starts: after this video id, ordinal and person id.
pub type PersonKey = (String, i64, String);

/// The file as a stream of chunks: the head (byte order mark and header, or `[`) with the
/// first batch, then one chunk per batch, then the tail. A database error part way ends
/// the stream with an error, which aborts the response: the client sees a broken
/// transfer, never a file that looks complete.
async fn encode<R: Record>(
    batches: impl Stream<Item = sqlx::Result<Vec<R>>> + Send + 'static,
    format: Format,
) -> sqlx::Result<BoxStream<'static, std::io::Result<Bytes>>> {
    let mut batches = Box::pin(batches);
    let first = batches.try_next().await?.unwrap_or_default();
    let mut written = false;
    let head = match format {
        Format::Csv => [csv::start::<R>(), csv::rows(&first)].concat(),
        Format::Json => [json::start(), json::rows(&first, &mut written)].concat(),
    };
    drop(first);
    let rest = batches.scan(written, move |written, batch| {
        let chunk = match batch {
            Ok(rows) => Ok(match format {
                Format::Csv => csv::rows(&rows),
                Format::Json => json::rows(&rows, written),
            }),
            Err(error) => {
                tracing::error!(%error, "an export stopped part way: the database failed");
                Err(std::io::Error::other(error))
            }
        };
        ready(Some(chunk))
    });
    let tail = (format == Format::Json).then(json::end);
    Ok(stream::once(ready(Ok(Bytes::from(head))))
        .chain(rest)
        .chain(stream::iter(tail.map(Ok)))
        // An empty chunk (a batch of people without episodes) is no use to anyone.
        .try_filter(|chunk| ready(!chunk.is_empty()))
        .boxed())
}
