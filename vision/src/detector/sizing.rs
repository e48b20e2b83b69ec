//! The input size of the network for a frame size: frames larger than
//! `max_side` are scaled down, keeping the aspect ratio.

use opencv::core::Size;

/// The input size the detector is currently set up for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Sizing {
    /// The frame size this is for.
    pub frame: Size,
    /// The network input size.
    pub input: Size,
    /// input / frame (1.0 when not scaled).
    pub scale: f64,
}

/// The sizing of `frame` under `max_side` (0 or less: never scaled).
pub(super) fn compute_sizing(frame: Size, max_side: i32) -> Sizing {
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
}
