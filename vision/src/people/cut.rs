//! Scene cut detection, so that a face track never continues into another shot.

use opencv::core::{self, Mat, Size};
use opencv::imgproc;
use opencv::prelude::*;

use crate::VisionError;

/// Side of the gray thumbnails compared between frames.
const THUMB: i32 = 32;

/// Compares each frame with the previous one on a 32x32 gray thumbnail; a
/// mean absolute difference above the threshold (0..255) is a cut.
#[derive(Debug)]
pub(crate) struct CutDetector {
    threshold: f64,
    prev: Option<Mat>,
    small: Mat,
    gray: Mat,
    diff: Mat,
}

impl CutDetector {
    /// A detector with the given threshold (mean absolute difference, 0..255).
    pub fn new(threshold: f64) -> Self {
        Self {
            threshold,
            prev: None,
            small: Mat::default(),
            gray: Mat::default(),
            diff: Mat::default(),
        }
    }

    /// The mean absolute difference to the previous frame given to this
    /// function, or `None` if there is none (or it was [`forget`](Self::forget)ten).
    pub fn difference(&mut self, frame: &Mat) -> Result<Option<f64>, VisionError> {
        // INTER_LINEAR samples only a few pixels per output pixel, which keeps
        // this cheap on large frames; the thumbnail only has to catch big changes.
        imgproc::resize(
            frame,
            &mut self.small,
            Size::new(THUMB, THUMB),
            0.0,
            0.0,
            imgproc::INTER_LINEAR,
        )?;
        let mut gray = Mat::default();
        if self.small.channels() == 1 {
            self.small.copy_to(&mut gray)?;
        } else {
            imgproc::cvt_color_def(&self.small, &mut self.gray, imgproc::COLOR_BGR2GRAY)?;
            std::mem::swap(&mut gray, &mut self.gray);
        }
        let out = match &self.prev {
            Some(prev) => {
                core::absdiff(prev, &gray, &mut self.diff)?;
                Some(core::mean_def(&self.diff)?[0])
            }
            None => None,
        };
        self.prev = Some(gray);
        Ok(out)
    }

    /// Whether `frame` starts a new shot compared with the previous frame.
    pub fn is_cut(&mut self, frame: &Mat) -> Result<bool, VisionError> {
        Ok(self.difference(frame)?.is_some_and(|d| d > self.threshold))
    }

    /// Drops the previous frame (e.g. after frames that were not compared).
    pub fn forget(&mut self) {
        self.prev = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use opencv::core::{Scalar, CV_8UC3};

    #[test]
    fn detects_a_change_of_picture_but_not_a_repeat() {
        let a = Mat::new_rows_cols_with_default(120, 160, CV_8UC3, Scalar::all(40.0)).unwrap();
        let b = Mat::new_rows_cols_with_default(120, 160, CV_8UC3, Scalar::all(200.0)).unwrap();
        let mut c = CutDetector::new(30.0);
        assert!(!c.is_cut(&a).unwrap());
        assert!(!c.is_cut(&a).unwrap());
        assert!(c.is_cut(&b).unwrap());
        c.forget();
        assert!(!c.is_cut(&a).unwrap());
    }
}
