//! The network input of YuNet as OpenCV's `dnn::blobFromImage` makes it with
//! its defaults, without the intermediate copies.

use opencv::core::{Mat, Vec3b};
use opencv::prelude::*;

use crate::VisionError;

/// u8 HWC BGR → f32 CHW BGR in one pass, reusing `blob`.
pub(crate) fn fill_blob(bgr: &Mat, blob: &mut Vec<f32>) -> Result<(), VisionError> {
    let (w, h) = (bgr.cols() as usize, bgr.rows() as usize);
    let plane = w * h;
    blob.resize(3 * plane, 0.0);
    let (b, rest) = blob.split_at_mut(plane);
    let (g, r) = rest.split_at_mut(plane);
    for y in 0..h {
        let row = bgr.at_row::<Vec3b>(y as i32)?;
        let span = y * w..(y + 1) * w;
        let (b, g, r) = (&mut b[span.clone()], &mut g[span.clone()], &mut r[span]);
        for (x, px) in row.iter().enumerate() {
            b[x] = f32::from(px[0]);
            g[x] = f32::from(px[1]);
            r[x] = f32::from(px[2]);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use opencv::core::{Scalar, Size, CV_32F};

    /// The blob equals `dnn::blobFromImage(img)` with its defaults.
    #[test]
    fn blob_matches_opencv_blob_from_image() {
        let mut img =
            Mat::new_rows_cols_with_default(7, 5, opencv::core::CV_8UC3, Scalar::all(0.0)).unwrap();
        for y in 0..7 {
            for (x, px) in img.at_row_mut::<Vec3b>(y).unwrap().iter_mut().enumerate() {
                *px = Vec3b::from([(y * 30) as u8, (x * 40) as u8, (x as i32 * y) as u8 + 3]);
            }
        }
        let want = opencv::dnn::blob_from_image(
            &img,
            1.0,
            Size::default(),
            Scalar::default(),
            false,
            false,
            CV_32F,
        )
        .unwrap();
        let mut got = Vec::new();
        fill_blob(&img, &mut got).unwrap();
        assert_eq!(got, want.data_typed::<f32>().unwrap());
    }
}
