//! Deciding which profile each person of a finished video belongs to: plain logic over
//! embeddings, no I/O, so every rule is unit-tested.
//!
//! Rules, in order:
//! 1. A re-run keeps what the last run of the video decided by hand: a new person that is
//!    the same face as an old person (similarity ≥ threshold, best pairs first, one to one)
//!    takes the old person's manual place (a profile, or unassigned on purpose), and an
//!    automatic assignment stays unless "not this person" forbids it now — names are never
//!    shuffled by a re-run, and two people of the video an operator put into one profile stay
//!    there together.
//! 2. Otherwise a person joins the profile whose gallery holds its most similar face (best of
//!    the gallery, see docs/architecture.md), if that is at least the threshold, unless an
//!    operator said "not this person" for this video's person with this face.
//! 3. Two people of one video never join one profile automatically (both were on screen as
//!    different people); pairs are taken best first, so the closer one wins.
//! 4. The rest get new profiles when the video asked for profiles, else stay unassigned.

use std::collections::{HashMap, HashSet};
use vision::Embedding;

/// What the matching knows about one face of a profile's gallery.
#[derive(Debug, Clone)]
pub struct GalleryFace {
    pub profile_id: String,
    pub embedding: Embedding,
}

/// A person of the previous run of the same video.
#[derive(Debug, Clone)]
pub struct OldPerson {
    pub profile_id: Option<String>,
    pub manual: bool,
    pub embedding: Embedding,
}

/// "Not this person": the person of this video with this face is not that profile.
#[derive(Debug, Clone)]
pub struct Rejection {
    pub profile_id: String,
    pub embedding: Embedding,
}

/// Where one new person goes.
#[derive(Debug, Clone, PartialEq)]
pub enum Placement {
    /// Into an existing profile; `manual` when carried over from an operator's decision.
    Profile { id: String, manual: bool },
    /// Into a new profile made from this person.
    NewProfile,
    /// Into no profile; `manual` when an operator left it so.
    Unassigned { manual: bool },
}

/// The facts the decision is made on.
pub struct Facts<'a> {
    pub gallery: &'a [GalleryFace],
    pub old: &'a [OldPerson],
    pub rejections: &'a [Rejection],
    pub threshold: f32,
    pub create_profiles: bool,
}

/// One placement per person of `people`, in order.
pub fn place(people: &[Embedding], facts: &Facts<'_>) -> Vec<Placement> {
    let threshold = facts.threshold;
    let profiles: HashSet<&str> = facts
        .gallery
        .iter()
        .map(|g| g.profile_id.as_str())
        .collect();
    let exists = |id: &str| profiles.contains(id);
    let rejected = |person: &Embedding, profile: &str| {
        facts
            .rejections
            .iter()
            .any(|r| r.profile_id == profile && r.embedding.cosine(person) >= threshold)
    };
    let mut placed: Vec<Option<Placement>> = vec![None; people.len()];
    let mut used: Vec<String> = Vec::new();

    // 1. Carry over the previous run's decisions.
    let pairs = best_pairs(people, facts.old.iter().map(|o| &o.embedding), threshold);
    for (i, j, _) in pairs {
        let old = &facts.old[j];
        let keep = match &old.profile_id {
            // The previous run's places are kept even when two people of this video share
            // a profile: only an operator can have put them so, and meant it.
            Some(id) if !exists(id) => None,
            Some(id) if old.manual => Some(Placement::Profile {
                id: id.clone(),
                manual: true,
            }),
            Some(id) if !rejected(&people[i], id) => Some(Placement::Profile {
                id: id.clone(),
                manual: false,
            }),
            None if old.manual => Some(Placement::Unassigned { manual: true }),
            _ => None,
        };
        if let Some(placement) = keep {
            if let Placement::Profile { id, .. } = &placement {
                used.push(id.clone());
            }
            placed[i] = Some(placement);
        }
    }

    // 2 and 3. The best gallery matches, best pairs first, one person per profile.
    if facts.create_profiles {
        let mut candidates: Vec<(usize, &str, f32)> = Vec::new();
        for (i, person) in people.iter().enumerate() {
            if placed[i].is_some() {
                continue;
            }
            for (profile, similarity) in best_per_profile(person, facts.gallery) {
                if similarity >= threshold && !rejected(person, profile) {
                    candidates.push((i, profile, similarity));
                }
            }
        }
        candidates.sort_by(|a, b| b.2.total_cmp(&a.2));
        for (i, profile, _) in candidates {
            if placed[i].is_none() && !used.iter().any(|u| u == profile) {
                used.push(profile.to_owned());
                placed[i] = Some(Placement::Profile {
                    id: profile.to_owned(),
                    manual: false,
                });
            }
        }
    }

    // 4. The rest.
    placed
        .into_iter()
        .map(|p| {
            p.unwrap_or(if facts.create_profiles {
                Placement::NewProfile
            } else {
                Placement::Unassigned { manual: false }
            })
        })
        .collect()
}

/// Each profile's most similar gallery face to `person`.
pub fn best_per_profile<'g>(
    person: &Embedding,
    gallery: &'g [GalleryFace],
) -> HashMap<&'g str, f32> {
    let mut best: HashMap<&str, f32> = HashMap::new();
    for face in gallery {
        let similarity = face.embedding.cosine(person);
        best.entry(face.profile_id.as_str())
            .and_modify(|s| *s = s.max(similarity))
            .or_insert(similarity);
    }
    best
}

/// One-to-one pairs (new, old, similarity) at least `threshold`, best first.
fn best_pairs<'a>(
    people: &[Embedding],
    old: impl Iterator<Item = &'a Embedding> + Clone,
    threshold: f32,
) -> Vec<(usize, usize, f32)> {
    let mut all: Vec<(usize, usize, f32)> = Vec::new();
    for (i, person) in people.iter().enumerate() {
        for (j, o) in old.clone().enumerate() {
            let similarity = o.cosine(person);
            if similarity >= threshold {
                all.push((i, j, similarity));
            }
        }
    }
    all.sort_by(|a, b| b.2.total_cmp(&a.2));
    let mut pairs: Vec<(usize, usize, f32)> = Vec::new();
    for (i, j, s) in all {
        if !pairs.iter().any(|(pi, pj, _)| *pi == i || *pj == j) {
            pairs.push((i, j, s));
        }
    }
    pairs
}

#[cfg(test)]
mod tests;
