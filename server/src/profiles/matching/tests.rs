use super::*;

fn face(values: &[f32]) -> Embedding {
    Embedding::from_raw(values.to_vec()).unwrap()
}

fn gallery(entries: &[(&str, &[f32])]) -> Vec<GalleryFace> {
    entries
        .iter()
        .map(|(id, v)| GalleryFace {
            profile_id: (*id).into(),
            embedding: face(v),
        })
        .collect()
}

fn facts<'a>(
    gallery: &'a [GalleryFace],
    old: &'a [OldPerson],
    rejections: &'a [Rejection],
) -> Facts<'a> {
    Facts {
        gallery,
        old,
        rejections,
        threshold: 0.8,
        create_profiles: true,
    }
}

fn profile(id: &str, manual: bool) -> Placement {
    Placement::Profile {
        id: id.into(),
        manual,
    }
}

const A: &[f32] = &[1.0, 0.0, 0.0];
const A2: &[f32] = &[0.95, 0.3, 0.0];
const B: &[f32] = &[0.0, 1.0, 0.0];
const C: &[f32] = &[0.0, 0.0, 1.0];

#[test]
fn best_of_the_gallery_matches_and_strangers_get_new_profiles() {
    // Profile p's own face is A2, but one of its people is exactly A.
    let g = gallery(&[("p", A2), ("p", A), ("q", B)]);
    let placed = place(&[face(A), face(C)], &facts(&g, &[], &[]));
    assert_eq!(placed, [profile("p", false), Placement::NewProfile]);
}

#[test]
fn two_people_of_one_video_never_share_a_profile() {
    let g = gallery(&[("p", A)]);
    let placed = place(&[face(A2), face(A)], &facts(&g, &[], &[]));
    // The closer one (exactly A) wins the profile; the other gets its own.
    assert_eq!(placed, [Placement::NewProfile, profile("p", false)]);
}

#[test]
fn not_this_person_is_never_matched_back() {
    let g = gallery(&[("p", A)]);
    let rejected = [Rejection {
        profile_id: "p".into(),
        embedding: face(A2),
    }];
    let placed = place(&[face(A)], &facts(&g, &[], &rejected));
    assert_eq!(placed, [Placement::NewProfile]);
}

#[test]
fn a_rerun_keeps_manual_places_and_automatic_ones() {
    let g = gallery(&[("p", A), ("q", B), ("r", C)]);
    let old = [
        // An operator moved the A face into r, and left the B face unassigned.
        OldPerson {
            profile_id: Some("r".into()),
            manual: true,
            embedding: face(A),
        },
        OldPerson {
            profile_id: None,
            manual: true,
            embedding: face(B),
        },
        OldPerson {
            profile_id: Some("r".into()),
            manual: false,
            embedding: face(C),
        },
    ];
    let placed = place(&[face(B), face(A2), face(C)], &facts(&g, &old, &[]));
    assert_eq!(
        placed,
        [
            Placement::Unassigned { manual: true },
            profile("r", true),
            // Both stay in r: the operator put the A face next to the C face on purpose.
            profile("r", false),
        ]
    );
}

#[test]
fn without_profiles_people_stay_unassigned_unless_placed_by_hand() {
    let g = gallery(&[("p", A)]);
    let old = [OldPerson {
        profile_id: Some("p".into()),
        manual: true,
        embedding: face(B),
    }];
    let mut f = facts(&g, &old, &[]);
    f.create_profiles = false;
    let placed = place(&[face(A), face(B)], &f);
    assert_eq!(
        placed,
        [Placement::Unassigned { manual: false }, profile("p", true)]
    );
}

#[test]
fn a_deleted_profile_is_not_carried_over() {
    let old = [OldPerson {
        profile_id: Some("gone".into()),
        manual: true,
        embedding: face(A),
    }];
    let placed = place(&[face(A)], &facts(&[], &old, &[]));
    assert_eq!(placed, [Placement::NewProfile]);
}
