//! `facetally search PHOTO [--json] [--min-similarity X]`: the archive search of
//! `POST /api/search`, against the database `serve` is configured with.

use crate::config::SearchArgs;
use crate::db::Db;
use crate::search::{model_id, PhotoAnalyzer, SearchBy, SearchOptions, SearchService};
use anyhow::Context;
use app::model::SearchResult;

/// Runs one search and prints the matches as a table (or JSON).
pub async fn run(args: SearchArgs) -> anyhow::Result<()> {
    let photo =
        std::fs::read(&args.photo).with_context(|| format!("reading {}", args.photo.display()))?;
    let settings = &args.settings;
    let detector = settings.vision.detector_config()?;
    let people = settings.vision.people_settings()?;
    let model = model_id(&people.embedder)?;
    let db = Db::connect(&settings.database_url()).await?;
    let photos = PhotoAnalyzer::new(
        detector,
        people.embedder.clone(),
        crate::cpu::CpuLimiter::new(1, 0),
    );
    let service = SearchService::new(db.clone(), photos, model, people.match_threshold);
    let options = SearchOptions {
        face: args.face,
        min_similarity: args.min_similarity,
        limit: usize::from(args.limit),
        force: args.force,
        ..SearchOptions::default()
    };
    let outcome = service
        .search(SearchBy::Photo(photo.into()), &options)
        .await;
    db.close().await;
    let result = outcome.map_err(|e| {
        e.log_if_internal();
        anyhow::anyhow!("{}", e.body().error)
    })?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&result)?);
    } else {
        print!("{}", table(&result));
    }
    Ok(())
}

/// The matches as aligned text: similarity, file, times seen, profile.
fn table(result: &SearchResult) -> String {
    let mut out = format!(
        "{} face(s) in the photo; searched with face {} ({}{}); {} match(es) at ≥ {:.0} %\n",
        result.faces_in_photo.len(),
        result.face.unwrap_or(0),
        result.model,
        if result.low_quality {
            ", low quality"
        } else {
            ""
        },
        result.matches.len(),
        result.min_similarity * 100.0,
    );
    if result.skipped_other_model > 0 {
        out += &format!(
            "{} stored people were made by another model and not compared\n",
            result.skipped_other_model
        );
    }
    for m in &result.matches {
        let seen: Vec<String> = m
            .person
            .episodes
            .iter()
            .map(|e| format!("{:.1}–{:.1} s", e.start_s, e.end_s))
            .collect();
        let profile = match &m.profile {
            Some(p) => p
                .full_name
                .clone()
                .unwrap_or_else(|| format!("profile {}", p.id)),
            None => "no profile".into(),
        };
        out += &format!(
            "{:>5.1} %  {}  [{}]  {}  (person {})\n",
            m.similarity * 100.0,
            m.person.filename,
            seen.join(", "),
            profile,
            m.person.id
        );
    }
    out
}
