//! The face searched for, small, at the start of each match: cut out of the photo, or the
//! profile's own crop.

use crate::i18n::{tr, use_i18n};
use crate::model::PhotoFace;
use leptos::prelude::*;

/// What the search was made with, to show beside each match.
#[derive(Debug, Clone, PartialEq)]
pub enum QueryPicture {
    /// A face of the chosen photo.
    Photo {
        /// `blob:` URL of the photo.
        url: String,
        /// The face, in photo pixels.
        face: PhotoFace,
    },
    /// A profile (its id).
    Profile(String),
}

/// The `viewBox` showing `face` with a margin of a fifth of its size, as a square.
pub fn face_view_box(face: &PhotoFace) -> String {
    let side = face.w.max(face.h) * 1.4;
    let (cx, cy) = (face.x + face.w / 2.0, face.y + face.h / 2.0);
    format!("{} {} {side} {side}", cx - side / 2.0, cy - side / 2.0)
}

/// The query face. A photo's face is cut out by an SVG whose `viewBox` is the face's box.
#[component]
pub fn QueryFace(
    /// What was searched with.
    picture: QueryPicture,
    /// The photo's size in pixels, once known.
    photo_size: Signal<Option<(f64, f64)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    match picture {
        QueryPicture::Profile(id) => view! {
            <img class="face-thumb" src=format!("/api/profiles/{id}/crop") alt=tr!(i18n, profile_searched_with)
                width="72" height="72" data-testid="query-face"/>
        }
        .into_any(),
        QueryPicture::Photo { url, face } => (move || {
            photo_size.get().map(|(w, h)| {
                view! {
                    <svg class="face-thumb" viewBox=face_view_box(&face) preserveAspectRatio="xMidYMid slice"
                        role="img" aria-label=tr!(i18n, face_searched_for) data-testid="query-face">
                        <image href=url.clone() x="0" y="0" width=w.to_string() height=h.to_string()/>
                    </svg>
                }
            })
        })
        .into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_view_box_is_a_square_around_the_face() {
        let face = PhotoFace {
            x: 100.0,
            y: 50.0,
            w: 50.0,
            h: 100.0,
            score: 0.9,
        };
        assert_eq!(face_view_box(&face), "55 30 140 140");
    }
}
