//! YuNet face detector (`cv::FaceDetectorYN`) with per-frame input sizing.

use opencv::core::{Mat, Ptr, Scalar, Size, CV_8UC3};
use opencv::imgproc;
use opencv::objdetect::FaceDetectorYN;
use opencv::prelude::*;

use crate::{DetectorConfig, VisionError};

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

/// The input size the detector is currently set up for.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Sizing {
    frame: Size,
    input: Size,
    /// input / frame (1.0 when not scaled).
    scale: f64,
}

/// A loaded and verified YuNet face detector. Not shareable between threads
/// at the same time; create one per job thread (it is `Send`).
pub struct FaceDetector {
    inner: Ptr<FaceDetectorYN>,
    max_side: i32,
    sizing: Option<Sizing>,
    scaled: Mat,
    converted: Mat,
    output: Mat,
}

impl std::fmt::Debug for FaceDetector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FaceDetector")
            .field("max_side", &self.max_side)
            .field("sizing", &self.sizing)
            .finish()
    }
}

impl FaceDetector {
    /// Loads the model and proves it with one detection on a synthetic image.
    ///
    /// Errors: [`VisionError::ModelMissing`] if the file does not exist,
    /// [`VisionError::ModelInvalid`] if OpenCV cannot load it or the test
    /// detection fails (as the 2023mar YuNet model does with OpenCV 4.6).
    pub fn new(cfg: &DetectorConfig) -> Result<Self, VisionError> {
        let path = &cfg.model_path;
        if !path.is_file() {
            let file = path
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            let dir = path.parent().map(|p| p.to_path_buf()).unwrap_or_default();
            return Err(crate::locate_model(Some(&dir), &file).unwrap_err());
        }
        let invalid = |stage: &str, e: opencv::Error| VisionError::ModelInvalid {
            path: path.clone(),
            reason: format!("{stage}: {}", e.message),
        };
        let path_str = path.to_string_lossy();
        let inner = FaceDetectorYN::create(
            &path_str,
            "",
            Size::new(160, 120),
            cfg.score_threshold,
            cfg.nms_threshold,
            cfg.top_k,
            0,
            0,
        )
        .map_err(|e| invalid("loading failed", e))?;
        let mut det = Self {
            inner,
            max_side: cfg.max_side,
            sizing: None,
            scaled: Mat::default(),
            converted: Mat::default(),
            output: Mat::default(),
        };
        let probe = synthetic_image().map_err(|e| invalid("building the test image failed", e))?;
        det.detect(&probe).map_err(|e| match e {
            VisionError::OpenCv(e) => invalid("test detection failed", e),
            other => other,
        })?;
        if det.output.rows() > 0 && det.output.cols() != 15 {
            return Err(VisionError::ModelInvalid {
                path: path.clone(),
                reason: format!(
                    "unexpected output shape {}x{} (expected N x 15)",
                    det.output.rows(),
                    det.output.cols()
                ),
            });
        }
        Ok(det)
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
        self.inner.detect(input, &mut self.output)?;
        read_faces(&self.output, 1.0 / sizing.scale as f32)
    }

    /// Returns the sizing for a frame size, updating the detector if it changed.
    fn sizing_for(&mut self, frame: Size) -> Result<Sizing, VisionError> {
        if let Some(s) = self.sizing.filter(|s| s.frame == frame) {
            return Ok(s);
        }
        let s = compute_sizing(frame, self.max_side);
        self.inner.set_input_size(s.input)?;
        self.sizing = Some(s);
        Ok(s)
    }
}

fn compute_sizing(frame: Size, max_side: i32) -> Sizing {
    let larger = frame.width.max(frame.height);
    if max_side <= 0 || larger <= max_side {
        return Sizing {
            frame,
            input: frame,
            scale: 1.0,
        };
    }
    let scale = max_side as f64 / larger as f64;
    let dim = |v: i32| ((v as f64 * scale).round() as i32).max(1);
    Sizing {
        frame,
        input: Size::new(dim(frame.width), dim(frame.height)),
        scale,
    }
}

/// Parses YuNet's N x 15 output (box, 5 landmarks, score), mapping back by `inv`.
fn read_faces(out: &Mat, inv: f32) -> Result<Vec<Face>, VisionError> {
    let mut faces = Vec::with_capacity(out.rows().max(0) as usize);
    for r in 0..out.rows() {
        let v = out.at_row::<f32>(r)?;
        if v.len() < 15 {
            continue;
        }
        let mut landmarks = [[0.0f32; 2]; 5];
        for (i, lm) in landmarks.iter_mut().enumerate() {
            *lm = [v[4 + 2 * i] * inv, v[5 + 2 * i] * inv];
        }
        faces.push(Face {
            x: v[0] * inv,
            y: v[1] * inv,
            w: v[2] * inv,
            h: v[3] * inv,
            score: v[14],
            landmarks,
        });
    }
    Ok(faces)
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
    fn sizing_keeps_small_frames() {
        let s = compute_sizing(Size::new(640, 480), 1280);
        assert_eq!((s.input, s.scale), (Size::new(640, 480), 1.0));
        let s = compute_sizing(Size::new(4000, 3000), 0);
        assert_eq!(s.scale, 1.0);
    }

    #[test]
    fn sizing_scales_larger_side_to_max() {
        let s = compute_sizing(Size::new(1920, 1080), 1280);
        assert_eq!(s.input, Size::new(1280, 720));
        let s = compute_sizing(Size::new(1080, 1920), 1280);
        assert_eq!(s.input, Size::new(720, 1280));
    }

    #[test]
    fn detector_is_send() {
        fn assert_send<T: Send>() {}
        assert_send::<FaceDetector>();
    }
}
