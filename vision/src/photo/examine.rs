//! Faces of a decoded photo, in original photo pixels, and what one face
//! is worth for a search: its embedding and its quality.

use crate::{is_frontal, sharpness, Embedding, Face, FaceDetector, FaceEmbedder, VisionError};

use super::DecodedPhoto;

/// What decides whether a face is good enough to search with
/// (see [`QualityGate`](super::QualityGate)).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FaceQuality {
    /// Width of the face box, in original photo pixels.
    pub width: f32,
    /// Variance of the Laplacian of the aligned 112x112 face
    /// ([`sharpness`]): low for blurred, heavily compressed or enlarged faces.
    pub sharpness: f64,
    /// The detector's confidence, 0..1.
    pub score: f32,
    /// Whether the nose lies between the eyes ([`is_frontal`]).
    pub frontal: bool,
}

/// Detects the faces of a photo. Boxes and landmarks are in pixels of the
/// original photo (those of `photo.image` times `photo.scale`), sorted by
/// box area, largest first.
///
/// Errors: OpenCV errors of [`FaceDetector::detect`].
pub fn detect_photo(
    detector: &mut FaceDetector,
    photo: &DecodedPhoto,
) -> Result<Vec<Face>, VisionError> {
    let mut faces: Vec<Face> = detector
        .detect(&photo.image)?
        .iter()
        .map(|f| scaled(f, photo.scale))
        .collect();
    faces.sort_by(|a, b| (b.w * b.h).total_cmp(&(a.w * a.h)));
    Ok(faces)
}

/// Aligns a face of the photo (given in original photo pixels, as
/// [`detect_photo`] returns it), measures its quality and embeds it.
///
/// Errors: OpenCV errors of alignment, sharpness or the embedding network.
pub fn examine_face(
    embedder: &mut FaceEmbedder,
    photo: &DecodedPhoto,
    face: &Face,
) -> Result<(Embedding, FaceQuality), VisionError> {
    let on_image = scaled(face, 1.0 / photo.scale);
    let aligned = embedder.align(&photo.image, &on_image)?;
    let quality = FaceQuality {
        width: face.w,
        sharpness: sharpness(&aligned)?,
        score: face.score,
        frontal: is_frontal(face),
    };
    Ok((embedder.embed_aligned(&aligned)?, quality))
}

/// A face with its box and landmarks multiplied by `k` (score unchanged).
fn scaled(f: &Face, k: f32) -> Face {
    if k == 1.0 {
        return *f;
    }
    Face {
        x: f.x * k,
        y: f.y * k,
        w: f.w * k,
        h: f.h * k,
        score: f.score,
        landmarks: f.landmarks.map(|[x, y]| [x * k, y * k]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaling_moves_box_and_landmarks_not_score() {
        let f = Face {
            x: 1.0,
            y: 2.0,
            w: 3.0,
            h: 4.0,
            score: 0.5,
            landmarks: [[1.0, 1.0], [2.0, 2.0], [3.0, 3.0], [4.0, 4.0], [5.0, 5.0]],
        };
        let g = scaled(&f, 2.0);
        assert_eq!((g.x, g.y, g.w, g.h, g.score), (2.0, 4.0, 6.0, 8.0, 0.5));
        assert_eq!(g.landmarks[4], [10.0, 10.0]);
        assert_eq!(scaled(&g, 0.5), f);
    }
}
