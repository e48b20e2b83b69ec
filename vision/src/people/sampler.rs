//! Keeping a few good faces per track, spread over its length, in bounded
//! memory: the faces to embed are chosen from these when the track ends.

use opencv::core::Mat;

use crate::Embedding;

/// One usable face of a track, kept as its aligned 112x112 crop.
#[derive(Debug)]
pub(crate) struct Candidate {
    /// Observation index (0-based frame number) of the face.
    pub frame: usize,
    /// See [`super::crop::quality`].
    pub quality: f64,
    /// The face aligned by `FaceRecognizerSF::alignCrop`.
    pub aligned: Mat,
    /// Filled once the face has been embedded.
    pub embedding: Option<Embedding>,
}

/// Time slots over a track, each holding its best candidate.
///
/// Slots start one frame wide. When a face would fall past slot `2k`, slot
/// width doubles and neighbouring slots merge (keeping the better face), so
/// at most `2k` crops are held however long the track runs.
#[derive(Debug)]
pub(crate) struct Sampler {
    k: usize,
    start: usize,
    width: usize,
    slots: Vec<Option<Candidate>>,
}

impl Sampler {
    /// A sampler that will pick up to `k` faces, for a track starting at `start`.
    pub fn new(k: usize, start: usize) -> Self {
        Self {
            k: k.max(1),
            start,
            width: 1,
            slots: Vec::new(),
        }
    }

    /// Offers a face; kept if it is the best so far in its slot.
    pub fn offer(&mut self, c: Candidate) {
        let rel = c.frame.saturating_sub(self.start);
        while rel / self.width >= 2 * self.k {
            self.coarsen();
        }
        let i = rel / self.width;
        if self.slots.len() <= i {
            self.slots.resize_with(i + 1, || None);
        }
        let slot = self.slots[i].take();
        self.slots[i] = better(slot, Some(c));
    }

    fn coarsen(&mut self) {
        let old = std::mem::take(&mut self.slots);
        let mut it = old.into_iter();
        while let Some(a) = it.next() {
            let b = it.next().flatten();
            self.slots.push(better(a, b));
        }
        self.width *= 2;
    }

    /// Whether no face has been offered yet.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The best candidate held, for a quick first embedding.
    pub fn best_mut(&mut self) -> Option<&mut Candidate> {
        self.slots
            .iter_mut()
            .flatten()
            .max_by(|a, b| a.quality.total_cmp(&b.quality))
    }

    /// Up to `k` candidates (at most the `k` given to [`new`](Self::new))
    /// spread over the track: the held ones split into `k` runs of
    /// neighbours, the best of each run.
    pub fn pick(self, k: usize) -> Vec<Candidate> {
        let k = k.clamp(1, self.k);
        let held: Vec<Candidate> = self.slots.into_iter().flatten().collect();
        let n = held.len();
        if n <= k {
            return held;
        }
        let mut groups: Vec<Option<Candidate>> = (0..k).map(|_| None).collect();
        for (i, c) in held.into_iter().enumerate() {
            let g = i * k / n;
            let slot = groups[g].take();
            groups[g] = better(slot, Some(c));
        }
        groups.into_iter().flatten().collect()
    }
}

/// The better of two candidates: an embedded one (its embedding is paid
/// for), else the higher quality; `a` on ties.
fn better(a: Option<Candidate>, b: Option<Candidate>) -> Option<Candidate> {
    let rank = |c: &Candidate| (c.embedding.is_some(), c.quality);
    match (a, b) {
        (Some(a), Some(b)) => Some(if rank(&b) > rank(&a) { b } else { a }),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(frame: usize, quality: f64) -> Candidate {
        Candidate {
            frame,
            quality,
            aligned: Mat::default(),
            embedding: None,
        }
    }

    #[test]
    fn short_tracks_keep_every_face() {
        let mut s = Sampler::new(5, 10);
        for f in 10..13 {
            s.offer(cand(f, 1.0));
        }
        assert_eq!(
            s.pick(5).iter().map(|c| c.frame).collect::<Vec<_>>(),
            vec![10, 11, 12]
        );
    }

    #[test]
    fn long_tracks_are_bounded_and_spread() {
        let mut s = Sampler::new(5, 0);
        for f in 0..10_000 {
            // Quality peaks once every 1000 frames.
            s.offer(cand(f, if f % 1000 == 500 { 10.0 } else { 1.0 }));
            assert!(s.slots.len() <= 10);
        }
        let picked: Vec<usize> = s.pick(9).iter().map(|c| c.frame).collect();
        assert_eq!(picked.len(), 5);
        assert!(picked.windows(2).all(|w| w[1] > w[0] + 1000), "{picked:?}");
        assert!(picked.iter().all(|f| f % 1000 == 500), "{picked:?}");
    }

    #[test]
    fn embedded_faces_are_kept_and_picked() {
        let mut s = Sampler::new(2, 0);
        s.offer(Candidate {
            embedding: crate::Embedding::from_raw(vec![1.0]),
            ..cand(0, 1.0)
        });
        for f in 1..100 {
            s.offer(cand(f, 5.0));
        }
        let picked: Vec<usize> = s.pick(1).iter().map(|c| c.frame).collect();
        assert_eq!(picked, vec![0]);
    }

    #[test]
    fn best_mut_finds_the_best() {
        let mut s = Sampler::new(3, 0);
        for (f, q) in [(0, 1.0), (1, 5.0), (2, 2.0)] {
            s.offer(cand(f, q));
        }
        assert_eq!(s.best_mut().map(|c| c.frame), Some(1));
    }
}
