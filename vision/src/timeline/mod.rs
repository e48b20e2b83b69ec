//! What a video looks like over time: faces per second ([`FaceActivity`]) and every
//! detected face box with its frame's timestamp ([`TimedBox`]).

mod activity;

pub use activity::FaceActivity;

/// One detected face box and the timestamp of its frame.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TimedBox {
    /// The frame's timestamp, seconds.
    pub t_s: f64,
    /// Left edge, frame pixels.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
}

impl TimedBox {
    /// The box of `face` in a frame at `t_s` seconds.
    pub fn new(t_s: f64, face: &crate::Face) -> Self {
        Self {
            t_s,
            x: face.x,
            y: face.y,
            w: face.w,
            h: face.h,
        }
    }

    /// A key equal for the same detection (same frame, same box), for matching a person's
    /// boxes against every box of a video.
    pub fn key(&self) -> (u64, u32, u32, u32, u32) {
        (
            self.t_s.to_bits(),
            self.x.to_bits(),
            self.y.to_bits(),
            self.w.to_bits(),
            self.h.to_bits(),
        )
    }
}
