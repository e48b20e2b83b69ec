//! CSV and JSON exports: the same rows as the API in both formats, Cyrillic byte-exact,
//! formulas defused (`agreement`), 20 000 profiles sent in many bounded chunks
//! (`streaming`), the API token and the OpenAPI document (`access`).

mod access;
mod agreement;
mod streaming;

use crate::helpers::*;
use serde_json::Value;

/// The UTF-8 byte order mark every CSV export starts with.
pub const BOM: &[u8] = "\u{feff}".as_bytes();
/// Every export route.
pub const PATHS: [&str; 6] = [
    "/api/export/videos.csv",
    "/api/export/videos.json",
    "/api/export/profiles.csv",
    "/api/export/profiles.json",
    "/api/export/appearances.csv",
    "/api/export/appearances.json",
];

/// A CSV export: header and rows, the byte order mark stripped; checks the headers of the
/// answer on the way.
pub async fn csv_export(app: &TestApp, name: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let response = app
        .client
        .get(app.url(&format!("/api/export/{name}.csv")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{name}.csv");
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    assert_attachment(&response, name, "csv");
    let bytes = response.bytes().await.unwrap();
    let body = bytes
        .strip_prefix(BOM)
        .expect("starts with a UTF-8 byte order mark");
    let mut reader = csv::ReaderBuilder::new().from_reader(body);
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

/// A JSON export, parsed.
pub async fn json_export(app: &TestApp, name: &str) -> Vec<serde_json::Map<String, Value>> {
    let response = app
        .client
        .get(app.url(&format!("/api/export/{name}.json")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{name}.json");
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_attachment(&response, name, "json");
    response.json().await.unwrap()
}

fn assert_attachment(response: &reqwest::Response, name: &str, ext: &str) {
    let disposition = response.headers()["content-disposition"].to_str().unwrap();
    let date = disposition
        .strip_prefix(&format!("attachment; filename=\"facetally-{name}-"))
        .and_then(|rest| rest.strip_suffix(&format!(".{ext}\"")))
        .unwrap_or_else(|| panic!("{disposition}"));
    assert!(
        date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit()),
        "{disposition}"
    );
}
