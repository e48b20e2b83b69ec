//! [`PeopleTracker`]: from per-frame detections to distinct people.

use opencv::core::Mat;

use super::crop::{encode_jpeg, head_crop, is_frontal, quality, sharpness};
use super::cut::CutDetector;
use super::grouping::{group, ClosedTrack};
use super::sampler::Candidate;
use super::track::{assign, Track};
use crate::{Embedding, Face, FaceEmbedder, Frame, PeopleSettings, Person, TimedBox, VisionError};

/// Groups the faces of one video into distinct people. Feed it every frame
/// in order with [`observe`](Self::observe), then call [`finish`](Self::finish).
#[derive(Debug)]
pub struct PeopleTracker {
    settings: PeopleSettings,
    embedder: FaceEmbedder,
    cut: CutDetector,
    frame_ts: Vec<f64>,
    /// Every face observed, for [`take_boxes`](Self::take_boxes) and parts.
    boxes: Vec<TimedBox>,
    active: Vec<Track>,
    closed: Vec<ClosedTrack>,
    /// Provisional people for [`people_so_far`](Self::people_so_far):
    /// (mean embedding, usable faces), tracks joined greedily as they end.
    live: Vec<(Embedding, usize)>,
}

impl PeopleTracker {
    /// Loads the embedder (see [`FaceEmbedder::new`] for the errors).
    pub fn new(settings: &PeopleSettings) -> Result<Self, VisionError> {
        Ok(Self {
            settings: settings.clone(),
            embedder: FaceEmbedder::new(&settings.embedder)?,
            cut: CutDetector::new(settings.cut_threshold),
            frame_ts: Vec::new(),
            boxes: Vec::new(),
            active: Vec::new(),
            closed: Vec::new(),
            live: Vec::new(),
        })
    }

    /// Takes the next frame and its detections. Call it for every frame, in
    /// order, right after detection (also for frames without faces).
    pub fn observe(&mut self, frame: &Frame, faces: &[Face]) -> Result<(), VisionError> {
        let obs = self.frame_ts.len();
        let ts = frame.timestamp_s;
        self.frame_ts.push(ts);
        self.boxes
            .extend(faces.iter().map(|face| TimedBox::new(ts, face)));
        let cut = if self.active.is_empty() && faces.is_empty() {
            self.cut.forget();
            false
        } else {
            self.cut.is_cut(&frame.image)?
        };
        let gap = self.settings.max_gap_s;
        let (ended, kept): (Vec<Track>, Vec<Track>) = std::mem::take(&mut self.active)
            .into_iter()
            .partition(|t| cut || ts - t.last_ts > gap);
        self.active = kept;
        for t in ended {
            self.close(t)?;
        }
        let lasts: Vec<Face> = self.active.iter().map(|t| t.last).collect();
        for (face, slot) in faces
            .iter()
            .zip(assign(&lasts, faces, self.settings.min_iou))
        {
            let i = match slot {
                Some(i) => {
                    self.active[i].push(*face, obs, ts);
                    i
                }
                None => {
                    self.active
                        .push(Track::new(*face, obs, ts, self.settings.samples_per_track));
                    self.active.len() - 1
                }
            };
            if face.w < self.settings.min_face_width {
                continue;
            }
            let usable = is_frontal(face);
            let track = &mut self.active[i];
            track.seen += 1;
            track.usable += usize::from(usable);
            // Neighbouring frames look alike: examine a few per second only
            // (but always the first usable face), and turned faces only while
            // the track has no usable one.
            let due = ts - track.last_sample_ts >= self.settings.sample_interval_s - 1e-6;
            if (due && (usable || track.turned.is_some())) || (usable && track.sampler.is_empty()) {
                self.examine(i, &frame.image, face, usable, obs, ts)?;
            }
        }
        Ok(())
    }

    /// Aligns and rates a face of active track `i`: sample, crop, early probe.
    fn examine(
        &mut self,
        i: usize,
        image: &Mat,
        face: &Face,
        usable: bool,
        obs: usize,
        ts: f64,
    ) -> Result<(), VisionError> {
        let aligned = self.embedder.align(image, face)?;
        let q = quality(face, sharpness(&aligned)?);
        let s = &self.settings;
        let track = &mut self.active[i];
        if track.better_crop(usable, q) {
            track.crop = Some((
                usable,
                q,
                head_crop(image, face, s.crop_zoom, s.crop_max_side)?,
            ));
        }
        track.last_sample_ts = ts;
        track.offer(
            usable,
            Candidate {
                frame: obs,
                quality: q,
                aligned,
                embedding: None,
            },
        );
        if track.usable >= s.min_faces && track.probe.is_none() {
            if let Some(c) = track.sampler.best_mut() {
                let e = self.embedder.embed_aligned(&c.aligned)?;
                c.embedding = Some(e.clone());
                track.probe = Some(e);
            }
        }
        Ok(())
    }

    /// Ends a track: embeds its chosen faces and keeps it for grouping if it
    /// has a usable face, or was seen turned long enough to be a person.
    fn close(&mut self, track: Track) -> Result<(), VisionError> {
        let s = &self.settings;
        let identified = track.usable > 0;
        let duration_s = track.duration_s();
        let turned_person = track.seen >= s.min_faces && duration_s >= s.min_turned_track_s;
        let sampler = match (identified, track.turned) {
            (true, _) => track.sampler,
            (false, Some(t)) if turned_person => t,
            _ => return Ok(()),
        };
        let wanted = (duration_s / s.sample_every_s.max(1e-3)).ceil();
        let wanted = wanted.clamp(1.0, s.samples_per_track.max(1) as f64) as usize;
        let mut embeddings = Vec::new();
        for c in sampler.pick(wanted) {
            let e = match c.embedding {
                Some(e) => e,
                None => self.embedder.embed_aligned(&c.aligned)?,
            };
            embeddings.push(e);
        }
        let Some(mean) = Embedding::mean(&embeddings) else {
            return Ok(());
        };
        let crop = match track.crop {
            Some((_, q, img)) => Some((q, encode_jpeg(&img)?)),
            None => None,
        };
        self.join_live(
            &mean,
            if identified {
                track.usable
            } else {
                s.min_faces
            },
        );
        self.closed.push(ClosedTrack {
            frames: track.frames,
            boxes: track.boxes,
            usable: track.usable,
            identified,
            embeddings,
            mean,
            crop,
        });
        Ok(())
    }

    /// Adds a finished track to the provisional people (greedy, nearest).
    fn join_live(&mut self, mean: &Embedding, usable: usize) {
        match self.live_match(mean) {
            Some(i) => {
                let (e, n) = &mut self.live[i];
                *e = Embedding::mean(&[e.clone(), mean.clone()]).unwrap_or_else(|| mean.clone());
                *n += usable;
            }
            None => self.live.push((mean.clone(), usable)),
        }
    }

    fn live_match(&self, e: &Embedding) -> Option<usize> {
        let scored = self
            .live
            .iter()
            .enumerate()
            .map(|(i, (m, _))| (i, m.cosine(e)));
        scored
            .filter(|(_, s)| *s >= self.settings.match_threshold)
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, _)| i)
    }

    /// Quick estimate of the people so far, for live progress: provisional
    /// people from ended tracks, plus running tracks that already have enough
    /// usable faces and match none of them. [`finish`](Self::finish) decides.
    pub fn people_so_far(&self) -> usize {
        let min = self.settings.min_faces;
        let done = self.live.iter().filter(|(_, n)| *n >= min).count();
        let running = self
            .active
            .iter()
            .filter_map(|t| t.probe.as_ref())
            .filter(|p| self.live_match(p).is_none())
            .count();
        done + running
    }

    /// Seconds a track survives without a detection (the settings' `max_gap_s`).
    pub fn max_gap_s(&self) -> f64 {
        self.settings.max_gap_s
    }

    /// Ends all tracks and returns them ungrouped, with the timeline of the
    /// frames observed: one segment's share of a video, grouped with the
    /// other segments' by [`group_parts`](super::group_parts). Keeps the
    /// embedder for the next video.
    pub fn finish_part(&mut self) -> Result<super::PeoplePart, VisionError> {
        let mut result = Ok(());
        for t in std::mem::take(&mut self.active) {
            result = result.and_then(|()| self.close(t));
        }
        let part = result.map(|()| super::PeoplePart {
            frame_ts: std::mem::take(&mut self.frame_ts),
            tracks: std::mem::take(&mut self.closed),
            boxes: std::mem::take(&mut self.boxes),
        });
        self.reset();
        part
    }

    /// Face embeddings computed by this tracker since it was created (for
    /// benchmarks and logs; about 11 ms each).
    pub fn embeddings_made(&self) -> usize {
        self.embedder.embeddings_made()
    }

    /// Ends all tracks and groups them into people, ordered by first appearance.
    pub fn finish(mut self) -> Result<Vec<Person>, VisionError> {
        self.take_people()
    }

    /// Like [`finish`](Self::finish), but keeps the tracker, empty, for the
    /// next video: the embedder stays loaded.
    pub fn take_people(&mut self) -> Result<Vec<Person>, VisionError> {
        let mut result = Ok(());
        for t in std::mem::take(&mut self.active) {
            result = result.and_then(|()| self.close(t));
        }
        let people = result.map(|()| group(&self.closed, &self.settings, &self.frame_ts));
        if let Ok(people) = &people {
            tracing::debug!(
                tracks = self.closed.len(),
                people = people.len(),
                embeddings = self.embeddings_made(),
                "people grouped"
            );
        }
        self.reset();
        people
    }

    /// Every face observed since the last reset, in time order, taken out of the tracker
    /// (call it before [`finish`](Self::finish) or [`take_people`](Self::take_people); the
    /// people's [`Person::boxes`] say which are theirs).
    pub fn take_boxes(&mut self) -> Vec<TimedBox> {
        std::mem::take(&mut self.boxes)
    }

    /// Forgets the current video (e.g. after a failed or cancelled scan),
    /// keeping the embedder for the next one.
    pub fn reset(&mut self) {
        self.cut.forget();
        self.frame_ts.clear();
        self.boxes.clear();
        self.active.clear();
        self.closed.clear();
        self.live.clear();
    }
}
