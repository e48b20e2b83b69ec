//! `facetally scan`, the command line: one file cut for every job gives the counts and
//! people of one pass. It reads no database, so scripts/test.sh runs it once, in the SQLite
//! pass (`--skip cli::` in the PostgreSQL one).

use crate::helpers::*;

/// `facetally scan --json` on one file with these extra arguments: its JSON entry.
fn scan_cli(name: &str, args: &[&str]) -> serde_json::Value {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_facetally"))
        .arg("scan")
        .arg("--json")
        .args(args)
        .arg(video(name))
        .env("FACETALLY_MODELS_DIR", shared_dir().join("models"))
        .env("FACETALLY_EMBEDDER", "mobilefacenet")
        .output()
        .expect("facetally scan runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let all: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    all[0].clone()
}

#[test]
fn scan_cli_cuts_one_long_file_for_every_job_with_one_pass_counts() {
    // faces.mp4: 9.6 s, 241 frames, four or five people; --segment-secs 3 gives 4 segments,
    // so people cross segment edges.
    let cut = scan_cli("faces.mp4", &["--jobs", "2", "--segment-secs", "3"]);
    let whole = scan_cli("faces.mp4", &["--jobs", "1", "--segment-secs", "0"]);
    assert_eq!(cut["segments"], 4, "{cut}");
    assert_eq!(whole["segments"], 1, "{whole}");
    assert_eq!(cut["totals"], whole["totals"]);
    assert_eq!(cut["totals"]["frames_processed"], 241);
    assert_eq!(cut["people"], whole["people"]);
    let people = cut["people"].as_u64().expect("a people count");
    assert!((4..=5).contains(&people), "{cut}");
}
