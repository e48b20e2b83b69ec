//! The page's list of videos and how changes from the server are applied to it.
//! Pure functions over `Vec<Video>`, kept newest first, so they are easy to test.

use crate::model::Video;
use std::cmp::Ordering;

/// Newest first: by upload time, then by id (UUID v7, time ordered).
fn newest_first(a: &Video, b: &Video) -> Ordering {
    b.created_at
        .cmp(&a.created_at)
        .then_with(|| b.id.cmp(&a.id))
}

/// True when `candidate` is not older than `current`: events can arrive out of order
/// with a list that was read while they were being sent. The copy changed last wins: a
/// status may legitimately go back (processing → paused → queued → processing), so it says
/// nothing about age. `updated_at` is fixed-width RFC 3339 UTC text, so text order is time
/// order; for equal times the copy further along (more frames processed) wins.
fn is_not_older(candidate: &Video, current: &Video) -> bool {
    candidate
        .updated_at
        .cmp(&current.updated_at)
        .then_with(|| candidate.frames_processed.cmp(&current.frames_processed))
        != Ordering::Less
}

/// Insert a video or replace the one with the same id, keeping newest-first order.
/// A stale copy (changed before the one shown) is ignored.
pub fn upsert(list: &mut Vec<Video>, video: Video) {
    match list.iter().position(|v| v.id == video.id) {
        Some(i) if is_not_older(&video, &list[i]) => list[i] = video,
        Some(_) => {}
        None => {
            let at = list
                .binary_search_by(|v| newest_first(v, &video))
                .unwrap_or_else(|i| i);
            list.insert(at, video);
        }
    }
}

/// Remove the video with this id, if it is shown.
pub fn remove(list: &mut Vec<Video>, id: &str) {
    list.retain(|v| v.id != id);
}

/// Replace the list by a freshly loaded one (after a reconnect), keeping any shown copy
/// that changed after the loaded one.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub fn replace_all(list: &mut Vec<Video>, fresh: Vec<Video>) {
    let mut merged: Vec<Video> = fresh
        .into_iter()
        .map(|f| match list.iter().find(|v| v.id == f.id) {
            Some(shown) if !is_not_older(&f, shown) => shown.clone(),
            _ => f,
        })
        .collect();
    merged.sort_by(newest_first);
    *list = merged;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::VideoStatus;

    fn video(id: &str, created: &str, status: VideoStatus, frames: i64) -> Video {
        Video {
            id: id.into(),
            filename: format!("{id}.mp4"),
            status,
            progress: 0.0,
            frames_processed: frames,
            frames_total: Some(100),
            faces_total: 0,
            max_faces_in_frame: 0,
            frames_with_faces: 0,
            fps: None,
            width: None,
            height: None,
            duration_s: None,
            processing_fps: None,
            people_count: None,
            segments: None,
            create_profiles: false,
            error: None,
            sparkline: Vec::new(),
            created_at: created.into(),
            updated_at: created.into(),
        }
    }

    /// Video `a` (uploaded at second 0) as the server sent it at `second`.
    fn a_at(second: u32, status: VideoStatus, frames: i64) -> Video {
        Video {
            updated_at: format!("2025-01-01T00:00:{second:02}.000000Z"),
            ..video("a", "2025-01-01T00:00:00.000000Z", status, frames)
        }
    }

    fn ids(list: &[Video]) -> Vec<&str> {
        list.iter().map(|v| v.id.as_str()).collect()
    }

    fn shown(list: &[Video]) -> (VideoStatus, i64) {
        (list[0].status, list[0].frames_processed)
    }

    #[test]
    fn upsert_keeps_newest_first() {
        let mut list = vec![];
        upsert(
            &mut list,
            video("b", "2025-01-02T00:00:00Z", VideoStatus::Queued, 0),
        );
        upsert(
            &mut list,
            video("a", "2025-01-01T00:00:00Z", VideoStatus::Queued, 0),
        );
        upsert(
            &mut list,
            video("c", "2025-01-03T00:00:00Z", VideoStatus::Queued, 0),
        );
        assert_eq!(ids(&list), ["c", "b", "a"]);
    }

    #[test]
    fn upsert_replaces_by_id_but_ignores_stale_copies() {
        use VideoStatus::*;
        let mut list = vec![a_at(1, Processing, 10)];
        upsert(&mut list, a_at(3, Processing, 20));
        assert_eq!(shown(&list), (Processing, 20));
        // Sent before the copy shown, arriving after it.
        upsert(&mut list, a_at(2, Processing, 15));
        assert_eq!(shown(&list), (Processing, 20));
        // Same time: the copy further along wins.
        upsert(&mut list, a_at(3, Processing, 18));
        assert_eq!(shown(&list), (Processing, 20));
        upsert(&mut list, a_at(3, Processing, 21));
        assert_eq!(shown(&list), (Processing, 21));
        upsert(&mut list, a_at(4, Cancelled, 21));
        assert_eq!(shown(&list), (Cancelled, 21));
        assert_eq!(list.len(), 1);
    }

    #[test]
    fn pause_resume_and_processing_again_are_shown_in_order() {
        use VideoStatus::*;
        let mut list = vec![a_at(1, Processing, 40)];
        // Paused: only the finished segments' frames are kept.
        upsert(&mut list, a_at(2, Paused, 25));
        assert_eq!(shown(&list), (Paused, 25));
        upsert(&mut list, a_at(3, Queued, 25));
        assert_eq!(shown(&list), (Queued, 25));
        upsert(&mut list, a_at(4, Processing, 30));
        assert_eq!(shown(&list), (Processing, 30));
        upsert(&mut list, a_at(5, Done, 100));
        assert_eq!(shown(&list), (Done, 100));
    }

    #[test]
    fn older_events_arriving_late_are_ignored_around_a_pause() {
        use VideoStatus::*;
        let mut list = vec![a_at(1, Processing, 40)];
        upsert(&mut list, a_at(3, Paused, 0));
        // Progress stored just before the pause, delivered after it.
        upsert(&mut list, a_at(2, Processing, 45));
        assert_eq!(shown(&list), (Paused, 0));
        upsert(&mut list, a_at(5, Queued, 0));
        // The pause itself, delivered after the resume (e.g. by the event stream after
        // the resume button's answer).
        upsert(&mut list, a_at(3, Paused, 0));
        assert_eq!(shown(&list), (Queued, 0));
    }

    #[test]
    fn replace_all_drops_deleted_and_keeps_fresher_rows() {
        use VideoStatus::*;
        let mut list = vec![
            a_at(5, Done, 100),
            video("gone", "2025-01-01T00:00:00Z", Queued, 0),
        ];
        replace_all(
            &mut list,
            vec![
                a_at(4, Processing, 50),
                video("new", "2025-02-01T00:00:00Z", Queued, 0),
            ],
        );
        assert_eq!(ids(&list), ["new", "a"]);
        assert_eq!(list[1].status, Done);
    }

    #[test]
    fn replace_all_takes_a_pause_made_while_disconnected() {
        use VideoStatus::*;
        let mut list = vec![a_at(1, Processing, 40)];
        replace_all(&mut list, vec![a_at(2, Paused, 0)]);
        assert_eq!(shown(&list), (Paused, 0));
    }

    #[test]
    fn remove_by_id() {
        let mut list = vec![video("a", "t", VideoStatus::Queued, 0)];
        remove(&mut list, "a");
        assert!(list.is_empty());
    }
}
