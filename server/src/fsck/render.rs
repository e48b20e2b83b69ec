//! The readable form of a [`Report`].

use super::{Kind, Outcome, Report};
use std::fmt::Write;

/// The report as lines of text: what was checked, one line per finding, notes, verdict.
pub(super) fn text(report: &Report) -> String {
    let mut out = String::new();
    let c = &report.checked;
    let _ = writeln!(
        out,
        "checked {} video(s), {} crop(s), {} stored object(s), {} temp file(s)",
        c.videos, c.crops, c.objects, c.temp_files
    );
    for finding in &report.findings {
        let _ = writeln!(
            out,
            "{:<17} {}\n{:<17} {} [{}]",
            label(finding.kind),
            finding.subject,
            "",
            finding.detail,
            outcome(&finding.outcome)
        );
    }
    for note in &report.notes {
        let _ = writeln!(out, "note: {note}");
    }
    let _ = writeln!(out, "{}", verdict(report));
    out
}

fn label(kind: Kind) -> &'static str {
    match kind {
        Kind::MissingFile => "missing file",
        Kind::OrphanObject => "orphan object",
        Kind::StuckProcessing => "stuck processing",
        Kind::TempFile => "temp file",
    }
}

fn outcome(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Found => "found".into(),
        Outcome::Repaired => "repaired".into(),
        Outcome::Resolved => "resolved meanwhile".into(),
        Outcome::Failed(reason) => format!("NOT repaired: {reason}"),
    }
}

fn verdict(report: &Report) -> String {
    let total = report.findings.len();
    let open = report
        .findings
        .iter()
        .filter(|f| !f.outcome.settled())
        .count();
    match (total, open, report.repair) {
        (0, _, _) => "consistent: the database and storage agree".into(),
        (_, 0, _) => format!("consistent: {total} problem(s) repaired"),
        (_, _, false) => {
            format!("{total} problem(s) found; run `facetally fsck --repair` to fix them")
        }
        (_, _, true) => format!("{open} of {total} problem(s) remain"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Checked, Finding};
    use super::*;

    fn report(outcomes: &[Outcome], repair: bool) -> Report {
        let findings = outcomes
            .iter()
            .map(|o| Finding {
                kind: Kind::OrphanObject,
                subject: "videos/x/original.mp4".into(),
                detail: "d".into(),
                outcome: o.clone(),
            })
            .collect();
        Report {
            repair,
            checked: Checked::default(),
            findings,
            notes: vec![],
            consistent: false,
        }
    }

    #[test]
    fn the_verdict_says_what_remains() {
        assert!(verdict(&report(&[], false)).starts_with("consistent"));
        assert!(verdict(&report(&[Outcome::Found], false)).contains("--repair"));
        assert_eq!(
            verdict(&report(&[Outcome::Repaired, Outcome::Resolved], true)),
            "consistent: 2 problem(s) repaired"
        );
        assert_eq!(
            verdict(&report(
                &[Outcome::Repaired, Outcome::Failed("x".into())],
                true
            )),
            "1 of 2 problem(s) remain"
        );
    }

    #[test]
    fn json_names_kind_and_outcome() {
        let json = serde_json::to_value(report(&[Outcome::Failed("why".into())], true)).unwrap();
        let finding = &json["findings"][0];
        assert_eq!(
            (finding["kind"].as_str(), finding["outcome"].as_str()),
            (Some("orphan_object"), Some("failed"))
        );
        assert_eq!(finding["reason"], "why");
    }
}
