//! Grouping face tracks into people: agglomerative clustering with average
//! linkage on cosine similarity, never joining tracks seen in the same frame.

/// Clusters `n` items given their pairwise similarities `sim[i][j]` and
/// `cannot[i][j]` (true if i and j may not be in one group, e.g. two faces in
/// the same frame).
///
/// Repeatedly merges the two groups with the highest average similarity
/// between their members, as long as it is at least `threshold` and no
/// member of one cannot go with a member of the other. Returns the groups
/// as sorted member lists, ordered by their smallest member.
pub(crate) fn average_linkage(
    mut sim: Vec<Vec<f32>>,
    mut cannot: Vec<Vec<bool>>,
    threshold: f32,
) -> Vec<Vec<usize>> {
    let n = sim.len();
    let mut members: Vec<Option<Vec<usize>>> = (0..n).map(|i| Some(vec![i])).collect();
    loop {
        let mut best: Option<(f32, usize, usize)> = None;
        for a in 0..n {
            if members[a].is_none() {
                continue;
            }
            for b in a + 1..n {
                if members[b].is_none() || cannot[a][b] {
                    continue;
                }
                if best.is_none_or(|(s, _, _)| sim[a][b] > s) {
                    best = Some((sim[a][b], a, b));
                }
            }
        }
        let Some((s, a, b)) = best.filter(|(s, _, _)| *s >= threshold) else {
            break;
        };
        debug_assert!(s >= threshold);
        let (na, nb) = (
            members[a].as_ref().map_or(0, Vec::len),
            members[b].as_ref().map_or(0, Vec::len),
        );
        // Lance-Williams update for average linkage: a absorbs b.
        for c in 0..n {
            if c == a || c == b || members[c].is_none() {
                continue;
            }
            let merged = (na as f32 * sim[a][c] + nb as f32 * sim[b][c]) / (na + nb) as f32;
            sim[a][c] = merged;
            sim[c][a] = merged;
            let no = cannot[a][c] || cannot[b][c];
            cannot[a][c] = no;
            cannot[c][a] = no;
        }
        let moved = members[b].take().unwrap_or_default();
        if let Some(m) = members[a].as_mut() {
            m.extend(moved);
        }
    }
    let mut groups: Vec<Vec<usize>> = members.into_iter().flatten().collect();
    for g in &mut groups {
        g.sort_unstable();
    }
    groups.sort_by_key(|g| g[0]);
    groups
}

/// Whether two increasing lists share a value (two tracks in one frame).
pub(crate) fn share_any(a: &[usize], b: &[usize]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matrix(n: usize, pairs: &[(usize, usize, f32)]) -> Vec<Vec<f32>> {
        let mut m = vec![vec![0.0; n]; n];
        for &(a, b, s) in pairs {
            m[a][b] = s;
            m[b][a] = s;
        }
        m
    }

    #[test]
    fn merges_similar_items_only() {
        let sim = matrix(4, &[(0, 2, 0.8), (1, 3, 0.6), (0, 1, 0.1), (2, 3, 0.2)]);
        let groups = average_linkage(sim, vec![vec![false; 4]; 4], 0.4);
        assert_eq!(groups, vec![vec![0, 2], vec![1, 3]]);
    }

    #[test]
    fn average_linkage_not_single_linkage() {
        // 2 is close to 0 but far from 1: the average (0.3) stays below 0.4.
        let sim = matrix(3, &[(0, 1, 0.9), (0, 2, 0.5), (1, 2, 0.1)]);
        let groups = average_linkage(sim, vec![vec![false; 3]; 3], 0.4);
        assert_eq!(groups, vec![vec![0, 1], vec![2]]);
    }

    #[test]
    fn cannot_link_is_respected_transitively() {
        let sim = matrix(3, &[(0, 1, 0.9), (0, 2, 0.9), (1, 2, 0.9)]);
        let mut cannot = vec![vec![false; 3]; 3];
        cannot[1][2] = true;
        cannot[2][1] = true;
        let groups = average_linkage(sim, cannot, 0.4);
        assert_eq!(groups.len(), 2);
        assert!(!groups.iter().any(|g| g.contains(&1) && g.contains(&2)));
    }

    #[test]
    fn shared_frames() {
        assert!(share_any(&[1, 5, 9], &[2, 9]));
        assert!(!share_any(&[1, 5, 9], &[2, 6, 10]));
        assert!(!share_any(&[], &[1]));
    }
}
