//! Face quality (size, pose, sharpness) and the head crop shown for a person.

use opencv::core::{self, Mat, Rect, Size, Vector, CV_64F};
use opencv::imgcodecs;
use opencv::imgproc;
use opencv::prelude::*;

use crate::{Face, VisionError};

/// JPEG quality of person crops.
const JPEG_QUALITY: i32 = 90;

/// Whether the nose tip lies strictly between the two eyes horizontally: a
/// face turned far enough to put the nose outside is a profile, whose
/// embedding is unreliable.
pub fn is_frontal(face: &Face) -> bool {
    let [right_eye, left_eye, nose, ..] = face.landmarks;
    let (lo, hi) = (right_eye[0].min(left_eye[0]), right_eye[0].max(left_eye[0]));
    nose[0] > lo && nose[0] < hi
}

/// Whether a face may take part in identity decisions: at least
/// `min_width` pixels wide and frontal ([`is_frontal`]).
pub fn is_usable(face: &Face, min_width: f32) -> bool {
    face.w >= min_width && is_frontal(face)
}

/// Sharpness of an image: the variance of its Laplacian (higher = sharper).
/// Meant for aligned 112x112 faces, so values are comparable between faces.
pub fn sharpness(image: &Mat) -> Result<f64, VisionError> {
    let mut gray = Mat::default();
    let src = if image.channels() == 1 {
        image
    } else {
        imgproc::cvt_color_def(image, &mut gray, imgproc::COLOR_BGR2GRAY)?;
        &gray
    };
    let mut lap = Mat::default();
    imgproc::laplacian_def(src, &mut lap, CV_64F)?;
    let (mut mean, mut stddev) = (Mat::default(), Mat::default());
    core::mean_std_dev_def(&lap, &mut mean, &mut stddev)?;
    let sd = *stddev.at::<f64>(0)?;
    Ok(sd * sd)
}

/// Quality used to pick a person's crop and which faces to embed:
/// detection score x face width x sharpness.
pub fn quality(face: &Face, sharpness: f64) -> f64 {
    f64::from(face.score) * f64::from(face.w) * sharpness
}

/// The square around a face, zoomed out so the whole head fits: `zoom`
/// times the larger side of the box, centred on it, shifted (and if needed
/// shrunk) to stay inside a frame of size `frame`.
pub fn head_square(face: &Face, frame: Size, zoom: f32) -> Rect {
    let side = (face.w.max(face.h) * zoom).round() as i32;
    let side = side.clamp(1, frame.width.min(frame.height).max(1));
    let (cx, cy) = (face.x + face.w / 2.0, face.y + face.h / 2.0);
    let place = |centre: f32, limit: i32| {
        ((centre - side as f32 / 2.0).round() as i32).clamp(0, (limit - side).max(0))
    };
    Rect::new(place(cx, frame.width), place(cy, frame.height), side, side)
}

/// The head square of a face cut out of `frame` and scaled down (never up)
/// to at most `max_side` pixels.
pub fn head_crop(frame: &Mat, face: &Face, zoom: f32, max_side: i32) -> Result<Mat, VisionError> {
    let rect = head_square(face, frame.size()?, zoom);
    let roi = Mat::roi(frame, rect)?;
    let mut out = Mat::default();
    if rect.width > max_side && max_side > 0 {
        imgproc::resize(
            &roi,
            &mut out,
            Size::new(max_side, max_side),
            0.0,
            0.0,
            imgproc::INTER_AREA,
        )?;
    } else {
        roi.copy_to(&mut out)?;
    }
    Ok(out)
}

/// Encodes an image as JPEG.
pub fn encode_jpeg(image: &Mat) -> Result<Vec<u8>, VisionError> {
    let mut buf = Vector::<u8>::new();
    let params = Vector::from_slice(&[imgcodecs::IMWRITE_JPEG_QUALITY, JPEG_QUALITY]);
    if !imgcodecs::imencode(".jpg", image, &mut buf, &params)? {
        return Err(VisionError::OpenCv(opencv::Error::new(
            core::StsError,
            "JPEG encoding failed",
        )));
    }
    Ok(buf.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use opencv::core::{Scalar, CV_8UC3};

    fn face(x: f32, y: f32, w: f32, h: f32, nose_x: f32) -> Face {
        let ey = y + h * 0.4;
        let lm = [
            [x + w * 0.3, ey],
            [x + w * 0.7, ey],
            [nose_x, y + h * 0.6],
            [x + w * 0.35, y + h * 0.8],
            [x + w * 0.65, y + h * 0.8],
        ];
        Face {
            x,
            y,
            w,
            h,
            score: 0.95,
            landmarks: lm,
        }
    }

    #[test]
    fn frontal_and_usable() {
        assert!(is_frontal(&face(0.0, 0.0, 100.0, 120.0, 50.0)));
        assert!(!is_frontal(&face(0.0, 0.0, 100.0, 120.0, 25.0)));
        assert!(!is_frontal(&face(0.0, 0.0, 100.0, 120.0, 80.0)));
        assert!(is_usable(&face(0.0, 0.0, 40.0, 50.0, 20.0), 40.0));
        assert!(!is_usable(&face(0.0, 0.0, 39.0, 50.0, 20.0), 40.0));
    }

    #[test]
    fn head_square_is_zoomed_centred_and_clamped() {
        let frame = Size::new(640, 480);
        assert_eq!(
            head_square(&face(300.0, 200.0, 40.0, 50.0, 320.0), frame, 2.0),
            Rect::new(270, 175, 100, 100)
        );
        // Near the top-left corner: shifted inside.
        assert_eq!(
            head_square(&face(0.0, 0.0, 40.0, 50.0, 20.0), frame, 2.0),
            Rect::new(0, 0, 100, 100)
        );
        // Bigger than the frame: shrunk to its smaller side, still centred across.
        assert_eq!(
            head_square(&face(200.0, 100.0, 300.0, 300.0, 350.0), frame, 2.0),
            Rect::new(110, 0, 480, 480)
        );
    }

    #[test]
    fn crop_is_bounded_and_encodes() {
        let frame = Mat::new_rows_cols_with_default(480, 640, CV_8UC3, Scalar::all(80.0)).unwrap();
        let big = head_crop(&frame, &face(200.0, 100.0, 200.0, 220.0, 300.0), 2.0, 256).unwrap();
        assert_eq!((big.cols(), big.rows()), (256, 256));
        let small = head_crop(&frame, &face(10.0, 10.0, 30.0, 30.0, 25.0), 2.0, 256).unwrap();
        assert_eq!((small.cols(), small.rows()), (60, 60));
        let jpeg = encode_jpeg(&small).unwrap();
        assert_eq!(&jpeg[..2], &[0xFF, 0xD8]);
    }

    #[test]
    fn sharpness_prefers_edges() {
        let flat = Mat::new_rows_cols_with_default(112, 112, CV_8UC3, Scalar::all(100.0)).unwrap();
        let mut edgy = flat.clone();
        imgproc::rectangle_def(&mut edgy, Rect::new(30, 30, 50, 50), Scalar::all(250.0)).unwrap();
        assert_eq!(sharpness(&flat).unwrap(), 0.0);
        assert!(sharpness(&edgy).unwrap() > 10.0);
    }
}
