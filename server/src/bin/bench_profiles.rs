//! Profile listing benchmark: loads 100 000 profiles (each in one of 1 000 videos) into
//! SQLite and PostgreSQL and measures the server-side time of listing 100 of them (query +
//! JSON), against a baseline measured in the same run: the same page with one video query
//! per profile (N+1); and the first page of a name search (`?q=`: a common name, a rare one,
//! a Latin one, none) against the first page without a search.
//!
//! Run pinned to one core, as the issue asks:
//! `taskset -c 0 cargo run --release -p server --bin bench-profiles`

use anyhow::Context;
use app::model::name_key;
use server::db::profiles::ProfileFilter;
use server::db::{now_text, Db};
use server::profiles::ProfileService;
use server::storage::Storage;
use sqlx::Connection;
use std::time::{Duration, Instant};

const PROFILES: usize = 100_000;
const VIDEOS: usize = 1_000;
const ROWS_PER_INSERT: usize = 500;
const RUNS: usize = 300;

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let cpus = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Cpus_allowed_list"))
                .map(str::to_owned)
        })
        .unwrap_or_default();
    println!("{cpus}  (run under `taskset -c 0` to pin to one core)");
    let dir = tempfile::tempdir()?;
    let sqlite = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    );
    bench("SQLite", &sqlite, dir.path()).await?;
    let base = std::env::var("FACETALLY_BENCH_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let name = format!("facetally_bench_{}", uuid::Uuid::now_v7().simple());
    let mut admin = sqlx::PgConnection::connect(&format!("{base}/postgres"))
        .await
        .context("PostgreSQL")?;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await?;
    let outcome = bench("PostgreSQL", &format!("{base}/{name}"), dir.path()).await;
    sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(&mut admin)
        .await?;
    outcome
}

async fn bench(label: &str, url: &str, data_dir: &std::path::Path) -> anyhow::Result<()> {
    let db = Db::connect(url).await?;
    let seeded = Instant::now();
    seed(&db).await?;
    println!(
        "\n{label}: seeded {PROFILES} profiles in {VIDEOS} videos in {:.1} s",
        seeded.elapsed().as_secs_f64()
    );
    let profiles = ProfileService::new(
        db.clone(),
        Storage::open(data_dir, None).await?,
        0.4,
        "bench".into(),
    );
    let all = ProfileFilter::default();
    for (page, offset) in [("first page", 0), ("page 500", 50_000)] {
        let batched = measure(|| async {
            let page = profiles
                .list(&all, 100, offset)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            Ok(serde_json::to_vec(&page)?.len())
        })
        .await?;
        let naive = measure(|| async {
            let (rows, _) = db.list_profiles(&all, 100, offset).await?;
            let mut bytes = 0;
            for row in &rows {
                bytes += db
                    .profile_videos(std::slice::from_ref(&row.id))
                    .await?
                    .len();
            }
            let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM profiles")
                .fetch_one(db.pool())
                .await?;
            Ok(bytes + total as usize)
        })
        .await?;
        println!(
            "  list 100, {page:10}: p50 {:6.2} ms  p95 {:6.2} ms  max {:6.2} ms | N+1 baseline p95 {:6.2} ms | ratio {:.2}",
            ms(batched.0), ms(batched.1), ms(batched.2), ms(naive.1), ms(batched.1) / ms(naive.1)
        );
    }
    let plain = measure(|| list_page(&profiles, &all)).await?;
    for q in ["иван", "Щукин", "smith", "нет такого"] {
        let filter = ProfileFilter {
            name: Some(name_key(q)),
            include_hidden: false,
        };
        let page = profiles
            .list(&filter, 100, 0)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let about = if page.total_is_estimate { "≈" } else { "" };
        let found = format!("{about}{}", page.total);
        let searched = measure(|| list_page(&profiles, &filter)).await?;
        println!(
            "  q={q:12} ({found:>7} match): p50 {:6.2} ms  p95 {:6.2} ms  max {:6.2} ms | first page without q p95 {:6.2} ms | ratio {:.2}",
            ms(searched.0), ms(searched.1), ms(searched.2), ms(plain.1), ms(searched.1) / ms(plain.1)
        );
    }
    db.close().await;
    Ok(())
}

/// The first 100 profiles the filter lets through, as JSON.
async fn list_page(profiles: &ProfileService, filter: &ProfileFilter) -> anyhow::Result<usize> {
    let page = profiles
        .list(filter, 100, 0)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(serde_json::to_vec(&page)?.len())
}

/// A varied name for profile `i`: Cyrillic mostly, some Latin, a few rare surnames.
fn full_name(i: usize) -> String {
    const SURNAMES: [&str; 8] = [
        "Иванов",
        "Петрова",
        "Сидоров",
        "Кузнецова",
        "Smith",
        "Попов",
        "Лебедева",
        "Новиков",
    ];
    const GIVEN: [&str; 6] = ["Иван", "Мария", "Алексей", "Ольга", "John", "Дмитрий"];
    if i % 5_000 == 17 {
        return format!("Щукин Пётр {i}");
    }
    format!("{} {} {i}", SURNAMES[i % 8], GIVEN[(i / 8) % 6])
}

/// p50, p95 and max of `RUNS` runs after 20 warm-up runs.
async fn measure<F, Fut>(mut run: F) -> anyhow::Result<(Duration, Duration, Duration)>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<usize>>,
{
    for _ in 0..20 {
        run().await?;
    }
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        std::hint::black_box(run().await?);
        times.push(started.elapsed());
    }
    times.sort();
    Ok((times[RUNS / 2], times[RUNS * 95 / 100], times[RUNS - 1]))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Inserts the videos, the profiles, and one appearance of each profile in a video.
async fn seed(db: &Db) -> anyhow::Result<()> {
    let now = now_text();
    let mut tx = db.pool().begin().await?;
    for v in 0..VIDEOS {
        sqlx::query(
            "INSERT INTO videos (id, filename, status, storage_key, size_bytes, created_at, updated_at) \
             VALUES ($1, $2, 'done', $3, 0, $4, $4)",
        )
        .bind(format!("v{v:06}"))
        .bind(format!("camera-{v}.mp4"))
        .bind(format!("videos/v{v}/original.mp4"))
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    }
    for chunk_start in (0..PROFILES).step_by(ROWS_PER_INSERT) {
        let ids: Vec<usize> =
            (chunk_start..(chunk_start + ROWS_PER_INSERT).min(PROFILES)).collect();
        insert_rows(
            &mut tx,
            "profiles (id, full_name, name_key, crop_key, embedding, created_at, updated_at)",
            7,
            &ids,
            |q, i| {
                q.bind(format!("p{i:07}"))
                    .bind(full_name(i))
                    .bind(name_key(&full_name(i)))
                    .bind(format!("profiles/p{i}/crop.jpg"))
                    .bind(vec![0u8; 512])
                    .bind(format!("2026-01-01T00:00:00.{i:06}Z"))
                    .bind(now.clone())
            },
        )
        .await?;
        insert_rows(&mut tx, "video_people (id, video_id, profile_id, ordinal, appearances, face_count, crop_key, embedding, created_at)", 9, &ids, |q, i| {
            q.bind(format!("vp{i:07}"))
                .bind(format!("v{:06}", i % VIDEOS))
                .bind(format!("p{i:07}"))
                .bind((i / VIDEOS) as i64)
                .bind(r#"[{"start_s":1.5,"end_s":7.25}]"#.to_owned())
                .bind(12i64)
                .bind(format!("videos/v{}/people/{i}.jpg", i % VIDEOS))
                .bind(vec![0u8; 512])
                .bind(now.clone())
        })
        .await?;
    }
    tx.commit().await?;
    // As autovacuum would after a bulk load: the planner needs statistics to use the indexes.
    sqlx::query("ANALYZE").execute(db.pool()).await?;
    Ok(())
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

async fn insert_rows(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    table: &str,
    columns: usize,
    ids: &[usize],
    bind: impl for<'q> Fn(AnyQuery<'q>, usize) -> AnyQuery<'q>,
) -> anyhow::Result<()> {
    let rows: Vec<String> = (0..ids.len())
        .map(|r| {
            format!(
                "({})",
                (1..=columns)
                    .map(|c| format!("${}", r * columns + c))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
        .collect();
    let sql = format!("INSERT INTO {table} VALUES {}", rows.join(", "));
    let mut query = sqlx::query(&sql);
    for &i in ids {
        query = bind(query, i);
    }
    query.execute(&mut **tx).await?;
    Ok(())
}
