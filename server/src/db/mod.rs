//! Database access: one pool over SQLite or PostgreSQL (sqlx `Any`), migrations, and one
//! module of queries per table. SQL is shared; where dialects differ, both statements sit
//! side by side.

pub mod alerts;
pub mod audit;
mod export;
pub mod fsck;
pub mod matching;
mod name_search;
pub mod people;
pub mod profiles;
pub mod search;
pub mod segments;
pub mod timeline;
pub mod videos;
pub mod webhooks;

use anyhow::Context;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};
use std::str::FromStr;
use std::time::Duration;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

/// Which SQL dialect the pool speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Embedded, single process.
    Sqlite,
    /// Shared server, many processes.
    Postgres,
}

/// A connection pool plus its dialect. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Db {
    pool: AnyPool,
    dialect: Dialect,
}

impl Db {
    /// Connects to `url` (`sqlite:` or `postgres:`) and runs pending migrations.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        sqlx::any::install_default_drivers();
        let dialect = if url.starts_with("sqlite:") {
            Dialect::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Dialect::Postgres
        } else {
            anyhow::bail!("DATABASE_URL must start with sqlite: or postgres:");
        };
        let options = AnyConnectOptions::from_str(url).context("parsing DATABASE_URL")?;
        let pool = AnyPoolOptions::new()
            .max_connections(if dialect == Dialect::Sqlite { 4 } else { 10 })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if dialect == Dialect::Sqlite {
                        // WAL lets the SSE readers and the job writers work side by side.
                        conn.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .with_context(|| format!("connecting to the {dialect:?} database"))?;
        let migrator = match dialect {
            Dialect::Sqlite => &SQLITE_MIGRATIONS,
            Dialect::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator
            .run(&pool)
            .await
            .context("running database migrations")?;
        Ok(Self { pool, dialect })
    }

    /// The underlying pool.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The SQL dialect of this database.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Closes every connection (used at shutdown).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// `$1, $2, … $n`: the placeholders of an `IN (…)` list of `n` values.
pub fn placeholders(n: usize) -> String {
    (1..=n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Current UTC time as fixed-width RFC 3339 text (microseconds), so text order is time order.
pub fn now_text() -> String {
    time_text(time::OffsetDateTime::now_utc())
}

/// UTC time `after` from now, in the same text form (for lease expiry).
pub fn later_text(after: Duration) -> String {
    time_text(time::OffsetDateTime::now_utc() + after)
}

fn time_text(at: time::OffsetDateTime) -> String {
    let format = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z"
    );
    at.format(&format).expect("a UTC timestamp always formats")
}
