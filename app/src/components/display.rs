//! Human-readable numbers for the video table, in the page's language. Pure functions, so the server and the
//! browser render exactly the same text (hydration compares them).

use crate::i18n::{format::trimmed, Lang};
use crate::model::{Video, VideoStatus};

/// Placeholder for a value that is not known (yet).
pub const UNKNOWN: &str = "—";

/// An integer with thousands separators: `1055` → `1,055` (`1 055` in Russian).
pub fn count(lang: Lang, n: i64) -> String {
    lang.count(n)
}

/// Progress as the whole percent reached so far: 99.6 stays 99 until the video is done.
pub fn percent(progress: f64) -> u8 {
    progress.clamp(0.0, 100.0).floor() as u8
}

/// A frame rate without useless decimals: `25`, `29.97` (`29,97` in Russian), `9.9`.
pub fn rate(lang: Lang, fps: f64) -> String {
    lang.decimal(fps, 2)
}

/// A duration as `m:ss`, or `h:mm:ss` from one hour on.
pub fn duration(seconds: f64) -> String {
    let total = seconds.max(0.0).round() as u64;
    let (h, m, s) = (total / 3600, total / 60 % 60, total % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// A stretch of a video, e.g. `0:12–0:20`; just `0:05` when it lasts under a second.
pub fn time_range(start_s: f64, end_s: f64) -> String {
    let (start, end) = (duration(start_s), duration(end_s.max(start_s)));
    if start == end {
        start
    } else {
        format!("{start}–{end}")
    }
}

/// Seconds for a `?t=` query or `#t=` fragment, without useless decimals: `12.5`, `0`.
pub fn seconds_param(seconds: f64) -> String {
    trimmed(seconds.max(0.0), 2)
}

/// Distinct people found, or [`UNKNOWN`] until the video has been looked at.
pub fn people(lang: Lang, v: &Video) -> String {
    v.people_count
        .map(|n| count(lang, n))
        .unwrap_or_else(|| UNKNOWN.to_string())
}

/// `processed / total` frames, or just `processed` while the total is unknown.
pub fn frames(lang: Lang, v: &Video) -> String {
    match v.frames_total {
        Some(total) if total > 0 => format!(
            "{} / {}",
            count(lang, v.frames_processed),
            count(lang, total)
        ),
        _ => count(lang, v.frames_processed),
    }
}

/// Frame size, e.g. `176×144`, once known.
pub fn resolution(v: &Video) -> Option<String> {
    Some(format!("{}×{}", v.width?, v.height?))
}

/// A frame rate with its unit: `29.97 fps` / `29,97 к/с`.
pub fn fps(lang: Lang, fps: f64) -> String {
    (lang.texts().fps)(&rate(lang, fps))
}

/// Frame rate and length, e.g. `29.97 fps · 0:04`, once known.
pub fn timing(lang: Lang, v: &Video) -> Option<String> {
    let parts: Vec<String> = [
        v.fps.filter(|f| *f > 0.0).map(|f| fps(lang, f)),
        v.duration_s.filter(|d| *d > 0.0).map(duration),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// Resolution, frame rate and length, e.g. `176×144 · 29.97 fps · 0:04`.
pub fn video_info(lang: Lang, v: &Video) -> String {
    match (resolution(v), timing(lang, v)) {
        (Some(r), Some(t)) => format!("{r} · {t}"),
        (Some(one), None) | (None, Some(one)) => one,
        (None, None) => UNKNOWN.to_string(),
    }
}

/// Processing speed while the job runs, e.g. `24.8 fps`; nothing otherwise.
pub fn speed(lang: Lang, v: &Video) -> Option<String> {
    let speed = v.processing_fps.filter(|f| *f > 0.0)?;
    (v.status == VideoStatus::Processing).then(|| fps(lang, speed))
}

/// Rough time left while processing, from the speed so far, e.g. `~12 s left`.
pub fn time_left(lang: Lang, v: &Video) -> Option<String> {
    let fps = v.processing_fps.filter(|f| *f > 0.0)?;
    let total = v.frames_total.filter(|t| *t > v.frames_processed)?;
    if v.status != VideoStatus::Processing {
        return None;
    }
    let secs = ((total - v.frames_processed) as f64 / fps).ceil() as u64;
    let t = lang.texts();
    Some(match secs {
        0..=59 => (t.left_seconds)(secs),
        60..=3599 => (t.left_minutes)(secs.div_ceil(60)),
        _ => (t.left_hours)(&format!("{:.1}", secs as f64 / 3600.0).replace('.', t.decimal_point)),
    })
}

/// Upload time from an RFC 3339 UTC string, e.g. `2025-11-26 03:17 UTC`.
/// Shown in UTC so that the server and the browser print the same text.
pub fn uploaded_at(lang: Lang, rfc3339: &str) -> String {
    lang.timestamp(rfc3339)
}

/// A size in bytes for people: `588 KB`, `3.1 MB` (`3,1 МБ`).
pub fn bytes(lang: Lang, n: f64) -> String {
    let units = lang.texts().byte_units;
    let mut value = n.max(0.0);
    let mut unit = 0;
    while value >= 1000.0 && unit < units.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 || value >= 100.0 {
        format!("{value:.0} {}", units[unit])
    } else {
        format!(
            "{} {}",
            format!("{value:.1}").replace('.', lang.texts().decimal_point),
            units[unit]
        )
    }
}

/// The status as a word for people: `Processing`.
pub fn status_label(lang: Lang, status: VideoStatus) -> &'static str {
    let t = lang.texts();
    match status {
        VideoStatus::Queued => t.status_queued,
        VideoStatus::Processing => t.status_processing,
        VideoStatus::Done => t.status_done,
        VideoStatus::Failed => t.status_failed,
        VideoStatus::Cancelled => t.status_cancelled,
        VideoStatus::Paused => t.status_paused,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_get_separators() {
        assert_eq!(count(Lang::En, 0), "0");
        assert_eq!(count(Lang::En, 120), "120");
        assert_eq!(count(Lang::En, 1055), "1,055");
        assert_eq!(count(Lang::En, -1234567), "-1,234,567");
        assert_eq!(count(Lang::Ru, 1055), "1\u{a0}055");
    }

    #[test]
    fn percent_only_reaches_100_at_100() {
        assert_eq!(percent(99.9), 99);
        assert_eq!(percent(100.0), 100);
        assert_eq!(percent(-3.0), 0);
    }

    #[test]
    fn rates_and_durations_read_well() {
        assert_eq!(rate(Lang::En, 25.0), "25");
        assert_eq!(rate(Lang::En, 29.97003), "29.97");
        assert_eq!(rate(Lang::En, 9.9), "9.9");
        assert_eq!(rate(Lang::Ru, 9.9), "9,9");
        assert_eq!(duration(4.004), "0:04");
        assert_eq!(duration(79.5), "1:20");
        assert_eq!(duration(3723.0), "1:02:03");
    }

    #[test]
    fn sizes_use_decimal_units() {
        assert_eq!(bytes(Lang::En, 512.0), "512 B");
        assert_eq!(bytes(Lang::En, 588_804.0), "589 KB");
        assert_eq!(bytes(Lang::En, 3_087_729.0), "3.1 MB");
        assert_eq!(bytes(Lang::Ru, 3_087_729.0), "3,1 МБ");
    }

    #[test]
    fn video_info_skips_what_is_unknown() {
        let mut v: Video = serde_json::from_str(
            r#"{"id":"a","filename":"a.mp4","status":"queued","progress":0.0,"frames_processed":0,
            "frames_total":null,"faces_total":0,"max_faces_in_frame":0,"frames_with_faces":0,"fps":29.97,
            "width":176,"height":144,"duration_s":4.004,"processing_fps":null,"people_count":null,
            "create_profiles":false,
            "error":null,"created_at":"","updated_at":""}"#,
        )
        .unwrap();
        assert_eq!(video_info(Lang::En, &v), "176×144 · 29.97 fps · 0:04");
        assert_eq!(video_info(Lang::Ru, &v), "176×144 · 29,97 к/с · 0:04");
        v.fps = None;
        v.duration_s = None;
        assert_eq!(video_info(Lang::En, &v), "176×144");
        v.width = None;
        assert_eq!(video_info(Lang::En, &v), UNKNOWN);
    }

    #[test]
    fn time_ranges_and_seek_params() {
        assert_eq!(time_range(12.4, 20.0), "0:12–0:20");
        assert_eq!(time_range(0.0, 4.004), "0:00–0:04");
        assert_eq!(time_range(65.0, 3.0), "1:05");
        assert_eq!(time_range(5.2, 5.4), "0:05");
        assert_eq!(seconds_param(12.5), "12.5");
        assert_eq!(seconds_param(0.0), "0");
        assert_eq!(seconds_param(-1.0), "0");
    }

    #[test]
    fn upload_time_is_cut_to_minutes() {
        assert_eq!(
            uploaded_at(Lang::En, "2025-11-26T03:17:08.123Z"),
            "2025-11-26 03:17 UTC"
        );
        assert_eq!(
            uploaded_at(Lang::Ru, "2025-11-26T03:17:08.123Z"),
            "26.11.2025 03:17 UTC"
        );
        assert_eq!(uploaded_at(Lang::En, "bad"), "bad");
    }
}
