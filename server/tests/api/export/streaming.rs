//! 20 000 profiles inserted in one statement come out of the export complete, in many
//! chunks of one batch each (the body is streamed, not built whole), as CSV and JSON.

use super::{json_export, BOM};
use crate::helpers::*;
use app::model::ProfilePage;
use futures::StreamExt;

const BULK: usize = 20_000;

/// Inserts `BULK` profiles in one statement (the same SQL on SQLite and PostgreSQL).
async fn insert_profiles(app: &TestApp) {
    let db = server::db::Db::connect(&app.database_url).await.unwrap();
    sqlx::query(&format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {BULK}) \
         INSERT INTO profiles (id, full_name, name_key, crop_key, embedding, created_at, updated_at) \
         SELECT 'bulk-' || i, 'Петров Пётр ' || i, 'петров петр ' || i, 'profiles/bulk/crop.jpg', $1, \
         '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z' FROM n"
    ))
    .bind(vec![0u8; 16])
    .execute(db.pool())
    .await
    .unwrap();
    db.close().await;
}

#[tokio::test]
async fn twenty_thousand_profiles_stream_in_bounded_chunks() {
    let app = spawn_app().await;
    insert_profiles(&app).await;
    let page: ProfilePage = app.get_json("/api/profiles?limit=1").await;
    assert_eq!(page.total, BULK as i64);

    let response = app
        .client
        .get(app.url("/api/export/profiles.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers().get("content-length").is_none(),
        "streamed, length unknown"
    );
    let mut chunks = response.bytes_stream();
    let first = chunks.next().await.expect("a first chunk").unwrap();
    assert!(first.starts_with(BOM), "the head comes first");
    let mut body = first.to_vec();
    let (mut count, mut largest) = (1, first.len());
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.unwrap();
        count += 1;
        largest = largest.max(chunk.len());
        body.extend_from_slice(&chunk);
    }
    assert!(
        first.len() < body.len() / 10,
        "the first chunk ({} bytes) is a small part of {} bytes",
        first.len(),
        body.len()
    );
    assert!(count >= 20, "{count} chunks");
    assert!(
        largest <= 256 * 1024,
        "largest chunk {largest} bytes: one batch, not the table"
    );
    let mut reader = csv::Reader::from_reader(&body[BOM.len()..]);
    let ids: std::collections::HashSet<String> =
        reader.records().map(|r| r.unwrap()[0].to_owned()).collect();
    assert_eq!(ids.len(), BULK, "every profile exactly once");
    assert!(ids.contains("bulk-1") && ids.contains(&format!("bulk-{BULK}")));

    let objects = json_export(&app, "profiles").await;
    assert_eq!(objects.len(), BULK);
    let json_ids: std::collections::HashSet<String> = objects
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(json_ids, ids);
    app.stop().await;
}
