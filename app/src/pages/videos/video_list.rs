//! The page's list of videos and how changes from the server are applied to it.
//! Pure functions over `Vec<Video>`, kept newest first, so they are easy to test.

use crate::model::{Video, VideoStatus};
use std::cmp::Ordering;

/// Newest first: by upload time, then by id (UUID v7, time ordered).
fn newest_first(a: &Video, b: &Video) -> Ordering {
    b.created_at
        .cmp(&a.created_at)
        .then_with(|| b.id.cmp(&a.id))
}

/// How far along a job is; a state never goes back to a lower one.
fn stage(v: &Video) -> (u8, i64) {
    let rank = match v.status {
        VideoStatus::Queued => 0,
        VideoStatus::Processing => 1,
        VideoStatus::Done | VideoStatus::Failed | VideoStatus::Cancelled => 2,
    };
    (rank, v.frames_processed)
}

/// True when `candidate` is not older than `current`: events can arrive out of order
/// with a list that was read while they were being sent.
fn is_not_older(candidate: &Video, current: &Video) -> bool {
    stage(candidate)
        .cmp(&stage(current))
        .then_with(|| candidate.updated_at.cmp(&current.updated_at))
        != Ordering::Less
}

/// Insert a video or replace the one with the same id, keeping newest-first order.
/// A stale copy (less far along than the one shown) is ignored.
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
/// that is further along than the loaded one.
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
            created_at: created.into(),
            updated_at: created.into(),
        }
    }

    fn ids(list: &[Video]) -> Vec<&str> {
        list.iter().map(|v| v.id.as_str()).collect()
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
        let t = "2025-01-01T00:00:00Z";
        let mut list = vec![video("a", t, VideoStatus::Processing, 10)];
        upsert(&mut list, video("a", t, VideoStatus::Processing, 20));
        assert_eq!(list[0].frames_processed, 20);
        upsert(&mut list, video("a", t, VideoStatus::Processing, 15));
        assert_eq!(list[0].frames_processed, 20);
        upsert(&mut list, video("a", t, VideoStatus::Cancelled, 20));
        assert_eq!(list[0].status, VideoStatus::Cancelled);
        assert_eq!(list.len(), 1);
    }

    #[test]
    fn replace_all_drops_deleted_and_keeps_fresher_rows() {
        let t = "2025-01-01T00:00:00Z";
        let mut list = vec![
            video("a", t, VideoStatus::Done, 100),
            video("gone", t, VideoStatus::Queued, 0),
        ];
        replace_all(
            &mut list,
            vec![
                video("a", t, VideoStatus::Processing, 50),
                video("new", "2025-02-01T00:00:00Z", VideoStatus::Queued, 0),
            ],
        );
        assert_eq!(ids(&list), ["new", "a"]);
        assert_eq!(list[1].status, VideoStatus::Done);
    }

    #[test]
    fn remove_by_id() {
        let mut list = vec![video("a", "t", VideoStatus::Queued, 0)];
        remove(&mut list, "a");
        assert!(list.is_empty());
    }
}
