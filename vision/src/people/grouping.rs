//! From finished tracks to people: cluster identified tracks, attach or
//! group the tracks seen only turned away, drop what is too little seen.

use super::appearance::{spans, Span};
use super::cluster::{average_linkage, share_any};
use crate::{Embedding, PeopleSettings, Person, TimedBox};

/// A finished track, reduced to what grouping needs.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct ClosedTrack {
    /// Observation indices of its detections, increasing.
    pub frames: Vec<usize>,
    /// The detections' boxes (x, y, w, h), one per entry of `frames` (empty in parts
    /// stored before boxes were kept).
    #[serde(default)]
    pub boxes: Vec<[f32; 4]>,
    /// Detections that passed the quality gate.
    pub usable: usize,
    /// Embedded from usable faces (else from turned faces: a person seen only
    /// in profile, which takes no part in deciding who is who).
    pub identified: bool,
    /// The embeddings made for it.
    pub embeddings: Vec<Embedding>,
    /// Their normalised mean.
    pub mean: Embedding,
    /// Best head crop as JPEG, with its quality.
    pub crop: Option<(f64, Vec<u8>)>,
}

/// Groups tracks into people, ordered by first appearance.
///
/// 1. Identified tracks are clustered (average linkage, `match_threshold`,
///    never two tracks that share a frame); a cluster is a person if it has
///    at least `min_faces` usable detections.
/// 2. Each turned-only track joins the cluster it matches best (average
///    similarity at least `match_threshold`, no shared frame): that only adds
///    appearances. The others are clustered among themselves, one person each.
pub(crate) fn group(tracks: &[ClosedTrack], s: &PeopleSettings, frame_ts: &[f64]) -> Vec<Person> {
    let (ids, turned): (Vec<usize>, Vec<usize>) =
        (0..tracks.len()).partition(|&i| tracks[i].identified);
    let mut groups: Vec<Vec<usize>> = cluster(tracks, &ids, s.match_threshold);
    let mut alone = Vec::new();
    for &t in &turned {
        let scored = groups
            .iter()
            .enumerate()
            .filter(|(_, g)| !g.iter().any(|&m| conflict(tracks, t, m)));
        let best = scored
            .map(|(i, g)| (i, avg_sim(tracks, t, g)))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        match best.filter(|(_, sim)| *sim >= s.match_threshold) {
            Some((i, _)) => groups[i].push(t),
            None => alone.push(t),
        }
    }
    let usable = |g: &Vec<usize>| g.iter().map(|&i| tracks[i].usable).sum::<usize>();
    groups.retain(|g| usable(g) >= s.min_faces);
    groups.extend(cluster(tracks, &alone, s.match_threshold));
    let mut people: Vec<(usize, Person)> = groups
        .iter()
        .filter_map(|g| person(tracks, g, s, frame_ts))
        .collect();
    people.sort_by_key(|(first, _)| *first);
    people.into_iter().map(|(_, p)| p).collect()
}

fn conflict(tracks: &[ClosedTrack], a: usize, b: usize) -> bool {
    a != b && share_any(&tracks[a].frames, &tracks[b].frames)
}

fn avg_sim(tracks: &[ClosedTrack], t: usize, group: &[usize]) -> f32 {
    group
        .iter()
        .map(|&m| tracks[t].mean.cosine(&tracks[m].mean))
        .sum::<f32>()
        / group.len().max(1) as f32
}

/// Clusters the tracks `members` (indices into `tracks`); groups of indices.
fn cluster(tracks: &[ClosedTrack], members: &[usize], threshold: f32) -> Vec<Vec<usize>> {
    let sim = members
        .iter()
        .map(|&a| {
            members
                .iter()
                .map(|&b| tracks[a].mean.cosine(&tracks[b].mean))
                .collect()
        })
        .collect();
    let cannot = members
        .iter()
        .map(|&a| members.iter().map(|&b| conflict(tracks, a, b)).collect())
        .collect();
    let groups = average_linkage(sim, cannot, threshold);
    groups
        .into_iter()
        .map(|g| g.into_iter().map(|i| members[i]).collect())
        .collect()
}

/// Builds a person from a group of tracks; with its first observation index.
fn person(
    tracks: &[ClosedTrack],
    group: &[usize],
    s: &PeopleSettings,
    frame_ts: &[f64],
) -> Option<(usize, Person)> {
    let members: Vec<&ClosedTrack> = group.iter().map(|&i| &tracks[i]).collect();
    // Identity and crop come from identified tracks when there are any.
    let identified = members.iter().any(|t| t.identified);
    let core = || members.iter().filter(move |t| t.identified == identified);
    let all: Vec<Embedding> = core().flat_map(|t| t.embeddings.iter().cloned()).collect();
    let embedding = Embedding::mean(&all)?;
    let crop = core()
        .filter_map(|t| t.crop.as_ref())
        .max_by(|a, b| a.0.total_cmp(&b.0))?;
    let mut frames: Vec<usize> = members
        .iter()
        .flat_map(|t| t.frames.iter().copied())
        .collect();
    frames.sort_unstable();
    frames.dedup();
    let appearances = spans(&frames, frame_ts, s.appearance_gap_s);
    let episode_crops = appearances
        .iter()
        .map(|span| {
            episode_crop(&members, span, frame_ts)
                .unwrap_or(&crop.1)
                .clone()
        })
        .collect();
    let mut boxes: Vec<TimedBox> = members
        .iter()
        .flat_map(|t| t.frames.iter().zip(&t.boxes))
        .filter_map(|(&f, &[x, y, w, h])| {
            let t_s = *frame_ts.get(f)?;
            Some(TimedBox { t_s, x, y, w, h })
        })
        .collect();
    boxes.sort_by(|a, b| a.t_s.total_cmp(&b.t_s));
    let person = Person {
        appearances,
        embedding,
        boxes,
        face_count: members.iter().map(|t| t.frames.len()).sum(),
        crop_jpeg: crop.1.clone(),
        episode_crops,
    };
    Some((*frames.first()?, person))
}

/// The best crop of the tracks with a frame within `span`: of identified
/// tracks if any has one, else of the others.
fn episode_crop<'a>(
    members: &[&'a ClosedTrack],
    span: &Span,
    frame_ts: &[f64],
) -> Option<&'a Vec<u8>> {
    let within = |f: &usize| {
        frame_ts
            .get(*f)
            .is_some_and(|&t| t >= span.start_s && (t < span.end_s || t == span.start_s))
    };
    members
        .iter()
        .filter(|t| t.frames.iter().any(within))
        .filter_map(|t| t.crop.as_ref().map(|(q, jpeg)| ((t.identified, *q), jpeg)))
        .max_by(|a, b| a.0 .0.cmp(&b.0 .0).then(a.0 .1.total_cmp(&b.0 .1)))
        .map(|(_, jpeg)| jpeg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EmbedderConfig, EmbedderPreset};

    fn track(
        frames: std::ops::Range<usize>,
        usable: usize,
        identified: bool,
        dir: [f32; 3],
    ) -> ClosedTrack {
        let e = Embedding::from_raw(dir.to_vec()).unwrap();
        // A distinct fake JPEG per track: its first frame, quality = usable.
        let crop = Some((usable as f64, vec![0xFF, 0xD8, frames.start as u8]));
        let boxes = frames
            .clone()
            .map(|f| [f as f32, 0.0, 10.0, 10.0])
            .collect();
        ClosedTrack {
            frames: frames.collect(),
            boxes,
            usable,
            identified,
            embeddings: vec![e.clone()],
            mean: e,
            crop,
        }
    }

    fn settings() -> PeopleSettings {
        PeopleSettings::new(EmbedderConfig::new(
            "m.onnx".into(),
            EmbedderPreset::MobileFaceNet,
        ))
    }

    #[test]
    fn groups_identified_attaches_turned_and_drops_noise() {
        let ts: Vec<f64> = (0..400).map(|i| i as f64 / 25.0).collect();
        let tracks = [
            track(0..50, 40, true, [1.0, 0.0, 0.0]),
            track(100..150, 40, true, [0.9, 0.1, 0.0]), // same person as 0
            track(0..50, 30, true, [0.0, 1.0, 0.0]),    // another person
            track(60..90, 0, false, [0.95, 0.0, 0.1]),  // person 0 turned away
            track(200..260, 0, false, [0.0, 0.0, 1.0]), // someone only seen in profile
            track(300..302, 2, true, [0.0, -1.0, 0.2]), // too few usable faces
        ];
        let people = group(&tracks, &settings(), &ts);
        assert_eq!(people.len(), 3, "{people:?}");
        assert_eq!(
            people.iter().map(|p| p.face_count).collect::<Vec<_>>(),
            vec![130, 50, 60]
        );
        // Person 0: 0..2 s, 2.4..3.6 s (turned) and 4..6 s, less than 1 s apart.
        let spans: Vec<(f64, f64)> = people[0]
            .appearances
            .iter()
            .map(|s| (s.start_s, s.end_s))
            .collect();
        assert_eq!(spans, vec![(0.0, 6.0)]);
        assert_eq!(people[2].appearances.len(), 1);
        for p in &people {
            assert_eq!(p.episode_crops.len(), p.appearances.len());
            // Every detection's box, in time order, at its frame's timestamp.
            assert_eq!(p.boxes.len(), p.face_count);
            assert!(p.boxes.windows(2).all(|w| w[0].t_s <= w[1].t_s));
            assert!(p
                .boxes
                .iter()
                .all(|b| (b.t_s * 25.0 - b.x as f64).abs() < 1e-6));
        }
        // One appearance: the best crop of person 0's identified tracks.
        assert_ne!(people[0].crop_jpeg, vec![0xFF, 0xD8, 60]);
        assert_eq!(people[0].episode_crops, vec![people[0].crop_jpeg.clone()]);
        assert_eq!(people[2].episode_crops, vec![vec![0xFF, 0xD8, 200]]);
        // The turned track did not change person 0's identity.
        assert!(
            people[0]
                .embedding
                .cosine(&Embedding::from_raw(vec![0.95, 0.05, 0.0]).unwrap())
                > 0.999
        );
    }

    #[test]
    fn each_appearance_gets_the_best_crop_of_its_own_tracks() {
        let ts: Vec<f64> = (0..1000).map(|i| i as f64 / 25.0).collect();
        let tracks = [
            track(0..50, 10, true, [1.0, 0.0, 0.0]), // 0..2 s, poor crop
            track(60..100, 0, false, [0.9, 0.0, 0.1]), // turned, joins: same span
            track(100..150, 30, true, [0.9, 0.1, 0.0]), // 4..6 s, good crop
            track(400..450, 20, true, [0.95, 0.1, 0.0]), // 16..18 s, own span
            track(800..820, 0, false, [0.9, 0.0, 0.05]), // 32 s, turned only
        ];
        let people = group(&tracks, &settings(), &ts);
        assert_eq!(people.len(), 1, "{people:?}");
        let p = &people[0];
        let spans: Vec<(f64, f64)> = p.appearances.iter().map(|s| (s.start_s, s.end_s)).collect();
        assert_eq!(spans, vec![(0.0, 6.0), (16.0, 18.0), (32.0, 32.8)]);
        assert_eq!(p.crop_jpeg, vec![0xFF, 0xD8, 100]);
        assert_eq!(
            p.episode_crops,
            vec![
                vec![0xFF, 0xD8, 100],
                vec![0xFF, 0xD8, 144], // 400 as u8
                vec![0xFF, 0xD8, 32],  // 800 as u8: the turned track's own crop
            ]
        );
    }
}
