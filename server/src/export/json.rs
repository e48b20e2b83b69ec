//! A JSON array written a batch of objects at a time: `[` first, the objects separated by
//! commas, `]` last. Text is kept exactly as stored (no formula guard: JSON is data, not a
//! spreadsheet).

use super::rows::Record;
use bytes::Bytes;

/// The opening bracket.
pub fn start() -> Bytes {
    Bytes::from_static(b"[")
}

/// Some objects, one per line; `written` says whether objects came before (a comma is
/// due) and is set once this batch has any.
pub fn rows<R: Record>(rows: &[R], written: &mut bool) -> Bytes {
    let mut out = Vec::with_capacity(rows.len() * 256);
    for row in rows {
        out.extend_from_slice(if *written { b",\n" } else { b"\n" });
        // Rows are plain structs of strings and numbers: they always serialise.
        serde_json::to_writer(&mut out, row).expect("an export row serialises");
        *written = true;
    }
    Bytes::from(out)
}

/// The closing bracket.
pub fn end() -> Bytes {
    Bytes::from_static(b"\n]\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::rows::{EpisodeRecord, PersonRow, ProfileRecord, VideoRecord};
    use serde_json::Value;

    /// The JSON field names of a record, in order.
    fn keys<R: Record>(row: &R) -> Vec<String> {
        // `preserve_order` is off: compare as sets, then the count.
        let value = serde_json::to_value(row).unwrap();
        let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        keys
    }

    fn sorted(columns: &[&str]) -> Vec<String> {
        let mut columns: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
        columns.sort();
        columns
    }

    fn episodes() -> Vec<EpisodeRecord> {
        PersonRow {
            person_id: "p".into(),
            profile_id: None,
            video_id: "v".into(),
            filename: "Камера 1.mp4".into(),
            ordinal: 0,
            appearances: r#"[{"start_s":1.5,"end_s":7.25},{"start_s":9.0,"end_s":10.0}]"#.into(),
        }
        .episodes()
        .collect()
    }

    #[test]
    fn csv_columns_are_the_json_field_names() {
        let profile = ProfileRecord {
            id: "p".into(),
            full_name: None,
            gender: None,
            birth_date: None,
            hidden: false,
            video_count: 0,
            first_seen: None,
            last_seen: None,
            created_at: String::new(),
            updated_at: String::new(),
        };
        assert_eq!(keys(&profile), sorted(ProfileRecord::COLUMNS));
        assert_eq!(profile.cells().len(), ProfileRecord::COLUMNS.len());
        let episode = &episodes()[0];
        assert_eq!(keys(episode), sorted(EpisodeRecord::COLUMNS));
        assert_eq!(episode.cells().len(), EpisodeRecord::COLUMNS.len());
        let video = crate::export::csv::tests::sample_video();
        assert_eq!(keys(&video), sorted(VideoRecord::COLUMNS));
        assert_eq!(video.cells().len(), VideoRecord::COLUMNS.len());
    }

    #[test]
    fn batches_join_into_one_array() {
        let episodes = episodes();
        assert_eq!(episodes.len(), 2);
        assert_eq!((episodes[1].episode, episodes[1].end_s), (2, 10.0));
        let mut written = false;
        let mut text = start().to_vec();
        text.extend_from_slice(&rows(&episodes[..1], &mut written));
        text.extend_from_slice(&rows::<EpisodeRecord>(&[], &mut written));
        text.extend_from_slice(&rows(&episodes[1..], &mut written));
        text.extend_from_slice(&end());
        let parsed: Vec<Value> = serde_json::from_slice(&text).unwrap();
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[0]["filename"], "Камера 1.mp4");
        assert_eq!(parsed[1]["start_s"], 9.0);
        let mut empty = start().to_vec();
        empty.extend_from_slice(&end());
        assert_eq!(
            serde_json::from_slice::<Vec<Value>>(&empty).unwrap(),
            Vec::<Value>::new()
        );
    }
}
