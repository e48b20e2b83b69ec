//! Opening, probing and reading video files with OpenCV's FFmpeg backend.

use std::path::{Path, PathBuf};

use opencv::core::Mat;
use opencv::prelude::*;
use opencv::videoio::{self, VideoCapture};

use crate::{TimestampGuard, VisionError};

/// What the container says about a video. Fields are `None` when the
/// container gives 0, NaN or a negative value.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct VideoInfo {
    /// Frame width in pixels.
    pub width: i32,
    /// Frame height in pixels.
    pub height: i32,
    /// Frames per second.
    pub fps: Option<f64>,
    /// Frame count claimed by the container. May be wrong: tree.avi claims
    /// 444 frames and only 68 can be decoded.
    pub frame_count: Option<i64>,
    /// Duration in seconds (OpenCV 4.6 has no duration property; this is
    /// `frame_count / fps`, which FFmpeg derives from the stream duration
    /// when the header has no frame count).
    pub duration_s: Option<f64>,
}

/// One decoded frame.
#[derive(Debug)]
pub struct Frame {
    /// The BGR image.
    pub image: Mat,
    /// 0-based index among the decoded frames.
    pub index: i64,
    /// Presentation time in seconds, guarded by [`TimestampGuard`]
    /// (strictly increasing).
    pub timestamp_s: f64,
}

/// Sequential frame reader over one video file.
pub struct VideoReader {
    cap: VideoCapture,
    path: PathBuf,
    info: VideoInfo,
    guard: TimestampGuard,
    next_index: i64,
    done: bool,
}

impl std::fmt::Debug for VideoReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VideoReader")
            .field("path", &self.path)
            .field("info", &self.info)
            .finish()
    }
}

impl VideoReader {
    /// Opens a video with the FFmpeg backend. Fails with
    /// [`VisionError::Open`] if the file is missing or not a video.
    pub fn open(path: &Path) -> Result<Self, VisionError> {
        let open_err = || VisionError::Open {
            path: path.to_path_buf(),
        };
        if !path.is_file() {
            return Err(open_err());
        }
        let cap = VideoCapture::from_file(path, videoio::CAP_FFMPEG).map_err(|_| open_err())?;
        if !cap.is_opened()? {
            return Err(open_err());
        }
        let info = read_info(&cap)?;
        if info.width <= 0 || info.height <= 0 {
            return Err(open_err());
        }
        Ok(Self {
            cap,
            path: path.to_path_buf(),
            guard: TimestampGuard::new(info.fps),
            info,
            next_index: 0,
            done: false,
        })
    }

    /// What the container says about the video.
    pub fn info(&self) -> &VideoInfo {
        &self.info
    }

    /// The file being read.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Decodes the next frame; `Ok(None)` at the end of the stream (or at the
    /// first frame that cannot be decoded: OpenCV does not tell them apart).
    pub fn next_frame(&mut self) -> Result<Option<Frame>, VisionError> {
        if self.done {
            return Ok(None);
        }
        let mut image = Mat::default();
        if !self.cap.read(&mut image)? || image.empty() {
            self.done = true;
            return Ok(None);
        }
        let raw_ms = self.cap.get(videoio::CAP_PROP_POS_MSEC).ok();
        let timestamp_s = self.guard.next(raw_ms);
        let index = self.next_index;
        self.next_index += 1;
        Ok(Some(Frame {
            image,
            index,
            timestamp_s,
        }))
    }

    /// Number of frames decoded so far.
    pub fn frames_read(&self) -> i64 {
        self.next_index
    }

    /// Moves to about `seconds` into the video (FFmpeg seeks to the key frame
    /// before it and decodes forward, so the frames that follow are exactly
    /// those of a sequential read). Timestamps continue from the position
    /// reached; frame indices count on from the frames read so far.
    /// Errors only when OpenCV refuses the position (a stream that cannot seek).
    pub fn seek_to(&mut self, seconds: f64) -> Result<(), VisionError> {
        if !self
            .cap
            .set(videoio::CAP_PROP_POS_MSEC, seconds.max(0.0) * 1000.0)?
        {
            return Err(VisionError::Open {
                path: self.path.clone(),
            });
        }
        self.guard = TimestampGuard::new(self.info.fps);
        self.done = false;
        Ok(())
    }
}

fn positive<T: PartialOrd + Default>(v: T) -> Option<T> {
    (v > T::default()).then_some(v)
}

fn read_info(cap: &VideoCapture) -> Result<VideoInfo, VisionError> {
    let width = cap.get(videoio::CAP_PROP_FRAME_WIDTH)?;
    let height = cap.get(videoio::CAP_PROP_FRAME_HEIGHT)?;
    let fps = positive(cap.get(videoio::CAP_PROP_FPS)?).filter(|f| f.is_finite());
    let count = cap.get(videoio::CAP_PROP_FRAME_COUNT)?;
    let frame_count = (count.is_finite() && count >= 1.0).then(|| count.round() as i64);
    let duration_s = match (frame_count, fps) {
        (Some(n), Some(f)) => Some(n as f64 / f),
        _ => None,
    };
    let dim = |v: f64| {
        if v.is_finite() && v > 0.0 {
            v.round() as i32
        } else {
            0
        }
    };
    Ok(VideoInfo {
        width: dim(width),
        height: dim(height),
        fps,
        frame_count,
        duration_s,
    })
}

/// Checks that a file is a video OpenCV can decode and returns its info.
///
/// Opens it with the FFmpeg backend and decodes the first frame:
/// [`VisionError::Open`] if it cannot be opened, [`VisionError::NoFrames`]
/// if no frame decodes. Cheap: one container open and one frame decode.
pub fn probe(path: &Path) -> Result<VideoInfo, VisionError> {
    let mut reader = VideoReader::open(path)?;
    match reader.next_frame()? {
        Some(_) => Ok(reader.info.clone()),
        None => Err(VisionError::NoFrames {
            path: path.to_path_buf(),
        }),
    }
}
