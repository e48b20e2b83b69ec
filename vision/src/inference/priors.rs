//! YuNet 2022mar's anchors and the decoding of its raw outputs, exactly as
//! OpenCV 4.6's `FaceDetectorYNImpl` (objdetect/src/face_detect.cpp) does,
//! down to the order of the f32 operations.

/// One anchor, normalised to the input size (centre and size).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Prior {
    x: f32,
    y: f32,
    w: f32,
    h: f32,
}

const MIN_SIZES: [&[f32]; 4] = [
    &[10.0, 16.0, 24.0],
    &[32.0, 48.0],
    &[64.0, 96.0],
    &[128.0, 192.0, 256.0],
];
const STEPS: [i32; 4] = [8, 16, 32, 64];
const VARIANCE: [f32; 2] = [0.1, 0.2];

/// The anchors of an input of `width` x `height` (`generatePriors`): feature
/// maps of ((size + 1) / 2) / 2, halved three times, then halved again for
/// each of the four strides; row by row, one prior per minimum size.
pub(crate) fn generate(width: i32, height: i32) -> Vec<Prior> {
    let mut map = (((width + 1) / 2) / 2, ((height + 1) / 2) / 2);
    let (fw, fh) = (width as f32, height as f32);
    let mut priors = Vec::new();
    for (min_sizes, step) in MIN_SIZES.iter().zip(STEPS) {
        map = (map.0 / 2, map.1 / 2);
        for row in 0..map.1 {
            for col in 0..map.0 {
                for &min in *min_sizes {
                    priors.push(Prior {
                        x: (col as f32 + 0.5) * step as f32 / fw,
                        y: (row as f32 + 0.5) * step as f32 / fh,
                        w: min / fw,
                        h: min / fh,
                    });
                }
            }
        }
    }
    priors
}

/// A decoded candidate: box (x, y, w, h), five landmarks, score — the
/// 15-value row of `FaceDetectorYN`, in input pixels.
pub(crate) type Row = [f32; 15];

/// The candidates of the raw outputs (`loc` N x 14, `conf` N x 2, `iou`
/// N x 1) whose score passes `keep`, in prior order. Score:
/// sqrt(conf[1] * clamp(iou, 0, 1)).
pub(crate) fn decode(
    priors: &[Prior],
    (loc, conf, iou): (&[f32], &[f32], &[f32]),
    (width, height): (i32, i32),
    keep: impl Fn(f32) -> bool,
) -> Vec<Row> {
    let (fw, fh) = (width as f32, height as f32);
    let mut rows = Vec::new();
    let deltas = loc.chunks_exact(14);
    for (i, (p, d)) in priors.iter().zip(deltas).enumerate() {
        let (Some(&cls), Some(&iou)) = (conf.get(i * 2 + 1), iou.get(i)) else {
            break;
        };
        let score = (cls * iou.clamp(0.0, 1.0)).sqrt();
        if !keep(score) {
            continue;
        }
        let cx = (p.x + d[0] * VARIANCE[0] * p.w) * fw;
        let cy = (p.y + d[1] * VARIANCE[0] * p.h) * fh;
        // OpenCV 4.6 scales the width by variance[0], the height by variance[1].
        let w = p.w * (d[2] * VARIANCE[0]).exp() * fw;
        let h = p.h * (d[3] * VARIANCE[1]).exp() * fh;
        let mut row = [0f32; 15];
        row[..4].copy_from_slice(&[cx - w / 2.0, cy - h / 2.0, w, h]);
        for k in 0..5 {
            row[4 + 2 * k] = (p.x + d[4 + 2 * k] * VARIANCE[0] * p.w) * fw;
            row[5 + 2 * k] = (p.y + d[5 + 2 * k] * VARIANCE[0] * p.h) * fh;
        }
        row[14] = score;
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 160x120 (YuNet's declared input): feature maps 20x15, 10x7, 5x3, 2x1
    /// with 3, 2, 2, 3 sizes: 900 + 140 + 30 + 6 = 1076 priors; the
    /// network's outputs have that many rows (checked on the real model in
    /// tests/inference.rs).
    #[test]
    fn prior_counts() {
        assert_eq!(generate(160, 120).len(), 1076);
        // 1280x720: 160x90, 80x45, 40x22, 20x11.
        assert_eq!(
            generate(1280, 720).len(),
            160 * 90 * 3 + 80 * 45 * 2 + 40 * 22 * 2 + 20 * 11 * 3
        );
        // Odd sizes round as OpenCV: 161 → (162/2)/2 = 40 → 20.
        assert_eq!(generate(161, 121).len(), generate(160, 120).len());
        assert!(generate(0, 0).is_empty());
    }

    #[test]
    fn first_prior_and_decoding() {
        let priors = generate(160, 120);
        assert_eq!(
            priors[0],
            Prior {
                x: 4.0 / 160.0,
                y: 4.0 / 120.0,
                w: 10.0 / 160.0,
                h: 10.0 / 120.0
            }
        );
        assert_eq!(priors[2].w, 24.0 / 160.0);
        assert_eq!(priors[3].x, 12.0 / 160.0);
        let n = priors.len();
        let mut loc = vec![0f32; n * 14];
        let mut conf = vec![0f32; n * 2];
        let mut iou = vec![0f32; n];
        // Prior 0: zero deltas give the prior itself; iou above 1 is clamped.
        (conf[1], iou[0]) = (0.81, 1.5);
        // Prior 1: shifted by one variance step, width and height scaled.
        (conf[3], iou[1]) = (0.64, 1.0);
        loc[14..18].copy_from_slice(&[10.0, -10.0, 10.0, 5.0]);
        let rows = decode(&priors, (&loc, &conf, &iou), (160, 120), |s| s > 0.5);
        assert_eq!(rows.len(), 2);
        let close = |got: &[f32], want: &[f32]| {
            let ok = got.iter().zip(want).all(|(g, w)| (g - w).abs() < 1e-4);
            assert!(ok, "{got:?} vs {want:?}");
        };
        let r = rows[0];
        close(
            &[r[0], r[1], r[2], r[3], r[4], r[5], r[14]],
            &[-1.0, -1.0, 10.0, 10.0, 4.0, 4.0, 0.9],
        );
        let r = rows[1];
        let (cx, cy) = (4.0 + 16.0, 4.0 - 16.0);
        let side = 16.0 * 1f32.exp();
        close(&r[..4], &[cx - side / 2.0, cy - side / 2.0, side, side]);
        assert!((r[14] - 0.8).abs() < 1e-6);
    }

    #[test]
    fn short_outputs_do_not_panic() {
        let priors = generate(160, 120);
        assert!(
            decode(
                &priors,
                (&[0.0; 28], &[1.0; 3], &[1.0; 1]),
                (160, 120),
                |_| true
            )
            .len()
                <= 1
        );
    }
}
