//! YuNet face detector with per-frame input sizing, on ONNX Runtime or
//! OpenCV's `cv::FaceDetectorYN` ([`crate::Inference`]).

use opencv::core::{Mat, Scalar, Size, CV_8UC3};
use opencv::imgproc;
use opencv::prelude::*;

use crate::inference::FaceNet;
use crate::{DetectorConfig, Inference, VisionError};
use sizing::{compute_sizing, Sizing};

mod sizing;

/// One detected face, in pixels of the original frame.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Face {
    /// Left edge of the box.
    pub x: f32,
    /// Top edge of the box.
    pub y: f32,
    /// Box width.
    pub w: f32,
    /// Box height.
    pub h: f32,
    /// Confidence, 0..1.
    pub score: f32,
    /// Right eye, left eye, nose tip, right and left mouth corners, as (x, y).
    pub landmarks: [[f32; 2]; 5],
}

/// Makes OpenCV's own parallel code single-threaded in the calling thread's
/// process (`cv::setNumThreads(1)`). Call it once per job thread when several
/// jobs run in parallel. OpenCV's FFmpeg decoder threads are not affected.
pub fn use_single_thread() {
    if let Err(e) = opencv::core::set_num_threads(1) {
        tracing::warn!("cv::setNumThreads(1) failed: {e}");
    }
}

/// The smallest width and height YuNet 2022mar accepts with OpenCV 4.6
/// (measured: 62 px or less fails in the network's pooling layers).
pub const MIN_INPUT_SIDE: i32 = 64;

/// A loaded and verified YuNet face detector. Not shareable between threads
/// at the same time; create one per job thread (it is `Send`).
pub struct FaceDetector {
    net: FaceNet,
    inference: Inference,
    max_side: i32,
    sizing: Option<Sizing>,
    scaled: Mat,
    converted: Mat,
}

impl std::fmt::Debug for FaceDetector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FaceDetector")
            .field("inference", &self.inference)
            .field("max_side", &self.max_side)
            .field("sizing", &self.sizing)
            .finish()
    }
}

impl FaceDetector {
    /// Loads the model on the configured runtime and proves it with one
    /// detection on a synthetic image.
    ///
    /// Errors: [`VisionError::ModelMissing`] if the file does not exist,
    /// [`VisionError::OrtUnavailable`] if ONNX Runtime is asked for but does
    /// not load, [`VisionError::ModelInvalid`] if the runtime cannot load the
    /// model or the test detection fails (as the 2023mar YuNet model does
    /// with OpenCV 4.6).
    pub fn new(cfg: &DetectorConfig) -> Result<Self, VisionError> {
        let path = &cfg.model_path;
        crate::model::require_model(path)?;
        let mut det = Self {
            net: FaceNet::new(cfg)?,
            inference: cfg.inference,
            max_side: cfg.max_side,
            sizing: None,
            scaled: Mat::default(),
            converted: Mat::default(),
        };
        let invalid = |stage: &str, reason: String, runtime: String| VisionError::ModelInvalid {
            path: path.clone(),
            runtime,
            reason: format!("{stage}: {reason}"),
        };
        let probe = synthetic_image().map_err(|e| {
            invalid(
                "building the test image failed",
                e.message,
                det.net.runtime_label(),
            )
        })?;
        det.detect(&probe).map_err(|e| match e {
            VisionError::OpenCv(opencv::Error { message, .. }) | VisionError::Ort(message) => {
                invalid("test detection failed", message, det.net.runtime_label())
            }
            e @ VisionError::UnexpectedOutput { .. } => invalid(
                "test detection failed",
                e.to_string(),
                det.net.runtime_label(),
            ),
            other => other,
        })?;
        Ok(det)
    }

    /// The runtime this detector runs on.
    pub fn inference(&self) -> Inference {
        self.inference
    }

    /// Detects faces in a BGR (or gray / BGRA) 8-bit frame. The input size is
    /// set from the frame size and cached; frames larger than `max_side` are
    /// scaled down first. Returned coordinates are in frame pixels.
    ///
    /// Frames smaller than [`MIN_INPUT_SIDE`] on a side (which YuNet cannot
    /// take) are padded with black at the right and bottom.
    pub fn detect(&mut self, frame: &Mat) -> Result<Vec<Face>, VisionError> {
        if frame.empty() || frame.cols() <= 0 || frame.rows() <= 0 {
            return Ok(Vec::new());
        }
        if frame.cols() < MIN_INPUT_SIDE || frame.rows() < MIN_INPUT_SIDE {
            let (right, bottom) = (
                (MIN_INPUT_SIDE - frame.cols()).max(0),
                (MIN_INPUT_SIDE - frame.rows()).max(0),
            );
            let mut padded = Mat::default();
            opencv::core::copy_make_border(
                frame,
                &mut padded,
                0,
                bottom,
                0,
                right,
                opencv::core::BORDER_CONSTANT,
                Scalar::all(0.0),
            )?;
            return self.detect(&padded);
        }
        let sizing = self.sizing_for(frame.size()?)?;
        let bgr: &Mat = match frame.channels() {
            3 => frame,
            1 => {
                imgproc::cvt_color_def(frame, &mut self.converted, imgproc::COLOR_GRAY2BGR)?;
                &self.converted
            }
            4 => {
                imgproc::cvt_color_def(frame, &mut self.converted, imgproc::COLOR_BGRA2BGR)?;
                &self.converted
            }
            n => {
                return Err(VisionError::OpenCv(opencv::Error::new(
                    opencv::core::StsBadArg,
                    format!("unsupported frame with {n} channels"),
                )))
            }
        };
        let input: &Mat = if sizing.scale == 1.0 {
            bgr
        } else {
            imgproc::resize(
                bgr,
                &mut self.scaled,
                sizing.input,
                0.0,
                0.0,
                imgproc::INTER_AREA,
            )?;
            &self.scaled
        };
        let rows = self.net.detect(input)?;
        Ok(to_faces(&rows, 1.0 / sizing.scale as f32))
    }

    /// Returns the sizing for a frame size, updating the detector if it changed.
    fn sizing_for(&mut self, frame: Size) -> Result<Sizing, VisionError> {
        if let Some(s) = self.sizing.filter(|s| s.frame == frame) {
            return Ok(s);
        }
        let s = compute_sizing(frame, self.max_side);
        self.net.set_input_size(s.input)?;
        self.sizing = Some(s);
        Ok(s)
    }
}

/// YuNet's 15-value rows (box, 5 landmarks, score) as faces, mapped back by `inv`.
fn to_faces(rows: &[[f32; 15]], inv: f32) -> Vec<Face> {
    rows.iter()
        .map(|v| {
            let mut landmarks = [[0.0f32; 2]; 5];
            for (i, lm) in landmarks.iter_mut().enumerate() {
                *lm = [v[4 + 2 * i] * inv, v[5 + 2 * i] * inv];
            }
            Face {
                x: v[0] * inv,
                y: v[1] * inv,
                w: v[2] * inv,
                h: v[3] * inv,
                score: v[14],
                landmarks,
            }
        })
        .collect()
}

/// A small gray image with a crude bright "face" blob, used to exercise the model.
fn synthetic_image() -> opencv::Result<Mat> {
    let mut img = Mat::new_rows_cols_with_default(120, 160, CV_8UC3, Scalar::all(96.0))?;
    imgproc::circle(
        &mut img,
        opencv::core::Point::new(80, 60),
        30,
        Scalar::all(200.0),
        -1,
        imgproc::LINE_8,
        0,
    )?;
    Ok(img)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detector_is_send() {
        fn assert_send<T: Send>() {}
        assert_send::<FaceDetector>();
    }
}
