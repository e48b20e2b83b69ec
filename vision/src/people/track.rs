//! Face tracks: detections of one face linked frame to frame by position.

use opencv::core::Mat;

use super::sampler::{Candidate, Sampler};
use crate::{Embedding, Face};

/// One face followed over consecutive frames (with short gaps allowed).
#[derive(Debug)]
pub(crate) struct Track {
    /// The most recent detection.
    pub last: Face,
    /// Timestamp of the most recent detection, seconds.
    pub last_ts: f64,
    /// Timestamp of the first detection, seconds.
    pub first_ts: f64,
    /// Observation indices of all detections, increasing.
    pub frames: Vec<usize>,
    /// The detections' boxes (x, y, w, h), one per entry of `frames`.
    pub boxes: Vec<[f32; 4]>,
    /// Detections at least `min_face_width` wide, frontal or not.
    pub seen: usize,
    /// Detections that passed the quality gate (wide enough and frontal).
    pub usable: usize,
    /// Timestamp of the last face examined for sampling.
    pub last_sample_ts: f64,
    /// Usable faces that may be embedded.
    pub sampler: Sampler,
    /// Wide enough but turned faces, kept only while the track has no
    /// usable face: what a person seen only in profile is embedded from.
    pub turned: Option<Sampler>,
    /// An early embedding, made once the track has enough usable faces, for
    /// the live estimate of people.
    pub probe: Option<Embedding>,
    /// The best head crop so far: (from a usable face, quality, image).
    pub crop: Option<(bool, f64, Mat)>,
}

/// A face's box as (x, y, w, h).
fn corners(face: &Face) -> [f32; 4] {
    [face.x, face.y, face.w, face.h]
}

impl Track {
    /// A track starting with `face` at observation `frame`.
    pub fn new(face: Face, frame: usize, ts: f64, samples: usize) -> Self {
        Self {
            last: face,
            last_ts: ts,
            first_ts: ts,
            frames: vec![frame],
            boxes: vec![corners(&face)],
            seen: 0,
            usable: 0,
            last_sample_ts: f64::NEG_INFINITY,
            sampler: Sampler::new(samples, frame),
            turned: Some(Sampler::new(samples, frame)),
            probe: None,
            crop: None,
        }
    }

    /// Adds the next detection of this face.
    pub fn push(&mut self, face: Face, frame: usize, ts: f64) {
        self.last = face;
        self.last_ts = ts;
        self.frames.push(frame);
        self.boxes.push(corners(&face));
    }

    /// Seconds from the first to the last detection.
    pub fn duration_s(&self) -> f64 {
        (self.last_ts - self.first_ts).max(0.0)
    }

    /// Offers an examined face for embedding: to the usable sampler, or, for
    /// a turned face while the track has no usable face, to the turned one.
    pub fn offer(&mut self, usable: bool, c: Candidate) {
        if usable {
            self.turned = None;
            self.sampler.offer(c);
        } else if let Some(t) = self.turned.as_mut() {
            t.offer(c);
        }
    }

    /// Whether a face examined with `quality` makes a better crop than the current one.
    pub fn better_crop(&self, usable: bool, quality: f64) -> bool {
        self.crop
            .as_ref()
            .is_none_or(|(u, q, _)| (usable, quality) > (*u, *q))
    }
}

/// Intersection over union of two face boxes.
pub(crate) fn iou(a: &Face, b: &Face) -> f32 {
    let ix = (a.x + a.w).min(b.x + b.w) - a.x.max(b.x);
    let iy = (a.y + a.h).min(b.y + b.h) - a.y.max(b.y);
    let inter = ix.max(0.0) * iy.max(0.0);
    let union = a.w * a.h + b.w * b.h - inter;
    if union > 0.0 {
        inter / union
    } else {
        0.0
    }
}

/// How well a detection continues a track's last box, or `None` if it
/// cannot: IoU at least `min_iou`, or (after a gap, when the face may have
/// moved) centres within half a face width and widths within a factor 1.5.
fn affinity(last: &Face, det: &Face, min_iou: f32) -> Option<f32> {
    let overlap = iou(last, det);
    if overlap >= min_iou {
        return Some(overlap);
    }
    let size = (last.w + det.w) / 2.0;
    let (dx, dy) = (
        last.x + last.w / 2.0 - det.x - det.w / 2.0,
        last.y + last.h / 2.0 - det.y - det.h / 2.0,
    );
    let ratio = last.w.max(det.w) / last.w.min(det.w).max(1e-3);
    let dist = (dx * dx + dy * dy).sqrt() / size.max(1e-3);
    (dist <= 0.5 && ratio <= 1.5).then_some(overlap.min(min_iou) * (1.0 - dist))
}

/// Assigns detections to tracks greedily, best affinity first; each track
/// and each detection is used at most once. Returns, for each detection,
/// the index in `lasts` of its track.
pub(crate) fn assign(lasts: &[Face], faces: &[Face], min_iou: f32) -> Vec<Option<usize>> {
    let mut pairs: Vec<(f32, usize, usize)> = Vec::new();
    for (t, last) in lasts.iter().enumerate() {
        for (d, det) in faces.iter().enumerate() {
            if let Some(a) = affinity(last, det, min_iou) {
                pairs.push((a, t, d));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut out = vec![None; faces.len()];
    let mut taken = vec![false; lasts.len()];
    for (_, t, d) in pairs {
        if out[d].is_none() && !taken[t] {
            out[d] = Some(t);
            taken[t] = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn face(x: f32, y: f32, w: f32) -> Face {
        Face {
            x,
            y,
            w,
            h: w * 1.2,
            score: 0.95,
            landmarks: [[0.0; 2]; 5],
        }
    }

    #[test]
    fn iou_basics() {
        assert_eq!(iou(&face(0.0, 0.0, 10.0), &face(0.0, 0.0, 10.0)), 1.0);
        assert_eq!(iou(&face(0.0, 0.0, 10.0), &face(20.0, 0.0, 10.0)), 0.0);
    }

    #[test]
    fn assigns_by_position_not_order() {
        let lasts = [face(0.0, 0.0, 50.0), face(300.0, 0.0, 50.0)];
        let dets = [
            face(305.0, 2.0, 50.0),
            face(3.0, 1.0, 50.0),
            face(600.0, 0.0, 50.0),
        ];
        assert_eq!(assign(&lasts, &dets, 0.3), vec![Some(1), Some(0), None]);
    }

    #[test]
    fn moved_face_still_matches_but_not_a_different_size() {
        // Moved by 40 % of its width: IoU below 0.3, centres close.
        let lasts = [face(0.0, 0.0, 50.0)];
        assert_eq!(assign(&lasts, &[face(20.0, 0.0, 50.0)], 0.5), vec![Some(0)]);
        assert_eq!(assign(&lasts, &[face(20.0, 0.0, 100.0)], 0.5), vec![None]);
        assert_eq!(assign(&lasts, &[face(60.0, 0.0, 50.0)], 0.3), vec![None]);
    }

    #[test]
    fn one_detection_per_track() {
        let lasts = [face(0.0, 0.0, 50.0)];
        let dets = [face(2.0, 0.0, 50.0), face(0.0, 0.0, 50.0)];
        assert_eq!(assign(&lasts, &dets, 0.3), vec![None, Some(0)]);
    }
}
