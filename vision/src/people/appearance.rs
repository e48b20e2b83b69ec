//! When a person is on screen: time ranges built from frame timestamps.

/// A time range of a video, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Span {
    /// Start, seconds from the beginning of the video.
    pub start_s: f64,
    /// End (exclusive), seconds; at least `start_s`.
    pub end_s: f64,
}

/// Time ranges covered by the frames `frames` (observation indices,
/// increasing, no repeats), where frame `i` starts at `frame_ts[i]` and lasts
/// until the next frame (the last frame lasts as long as the one before it).
/// Ranges less than `merge_gap_s` apart are merged.
pub(crate) fn spans(frames: &[usize], frame_ts: &[f64], merge_gap_s: f64) -> Vec<Span> {
    let last_step = match frame_ts {
        [.., a, b] => (b - a).max(0.0),
        _ => 0.0,
    };
    let mut out: Vec<Span> = Vec::new();
    for &f in frames {
        let Some(&start_s) = frame_ts.get(f) else {
            continue;
        };
        let end_s = frame_ts.get(f + 1).copied().unwrap_or(start_s + last_step);
        match out.last_mut() {
            Some(prev) if start_s - prev.end_s < merge_gap_s => prev.end_s = prev.end_s.max(end_s),
            _ => out.push(Span { start_s, end_s }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consecutive_frames_form_one_span_and_gaps_split() {
        let ts: Vec<f64> = (0..100).map(|i| i as f64 * 0.1).collect();
        let frames: Vec<usize> = (0..10).chain(15..20).chain(50..52).collect();
        let s = spans(&frames, &ts, 1.0);
        // 0..1.0 and 1.5..2.0 are 0.5 s apart: merged; 5.0 is 3 s later.
        assert_eq!(s.len(), 2, "{s:?}");
        assert!(
            (s[0].start_s - 0.0).abs() < 1e-9 && (s[0].end_s - 2.0).abs() < 1e-9,
            "{s:?}"
        );
        assert!(
            (s[1].start_s - 5.0).abs() < 1e-9 && (s[1].end_s - 5.2).abs() < 1e-9,
            "{s:?}"
        );
    }

    #[test]
    fn last_frame_lasts_one_step() {
        let ts = [0.0, 0.5, 1.0];
        assert_eq!(
            spans(&[2], &ts, 1.0),
            vec![Span {
                start_s: 1.0,
                end_s: 1.5
            }]
        );
        assert_eq!(
            spans(&[0], &[0.0], 1.0),
            vec![Span {
                start_s: 0.0,
                end_s: 0.0
            }]
        );
        assert_eq!(spans(&[], &ts, 1.0), vec![]);
    }

    #[test]
    fn serializes_with_field_names() {
        let v = serde_json::to_value(Span {
            start_s: 1.5,
            end_s: 2.0,
        })
        .unwrap();
        assert_eq!(v, serde_json::json!({"start_s": 1.5, "end_s": 2.0}));
    }
}
