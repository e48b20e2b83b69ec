//! Non-maximum suppression as OpenCV 4.6's `dnn::NMSBoxes` on `Rect2i`
//! (dnn/src/nms.inl.hpp `NMSFast_`, overlap `1 - jaccardDistance`).

/// An integer box (x, y, width, height), as `cv::Rect2i`.
pub(crate) type Rect = [i32; 4];

/// The box of a candidate row, truncated towards zero as `int(float)`.
pub(crate) fn int_rect(row: &[f32]) -> Rect {
    [row[0] as i32, row[1] as i32, row[2] as i32, row[3] as i32]
}

/// Indices kept: scores strictly above `score_threshold`, stable-sorted by
/// descending score, the first `top_k` (if positive), each kept while its
/// overlap with every box kept before is at most `nms_threshold`.
pub(crate) fn nms_boxes(
    boxes: &[Rect],
    scores: &[f32],
    score_threshold: f32,
    nms_threshold: f32,
    top_k: i32,
) -> Vec<usize> {
    let mut order: Vec<(f32, usize)> = scores
        .iter()
        .take(boxes.len())
        .enumerate()
        .filter(|(_, &s)| s > score_threshold)
        .map(|(i, &s)| (s, i))
        .collect();
    order.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
    if top_k > 0 && (top_k as usize) < order.len() {
        order.truncate(top_k as usize);
    }
    let mut kept: Vec<usize> = Vec::new();
    for (_, i) in order {
        if kept
            .iter()
            .all(|&k| overlap(&boxes[i], &boxes[k]) <= nms_threshold)
        {
            kept.push(i);
        }
    }
    kept
}

/// `1.f - float(jaccardDistance(a, b))`; two empty boxes overlap fully.
fn overlap(a: &Rect, b: &Rect) -> f32 {
    let area = |r: &Rect| i64::from(r[2]) * i64::from(r[3]);
    let (aa, ab) = (area(a), area(b));
    if aa + ab <= 0 {
        return 1.0;
    }
    let inter = area(&intersection(a, b)) as f64;
    let distance = 1.0 - inter / ((aa + ab) as f64 - inter);
    1.0 - distance as f32
}

/// `a & b`, empty (all zero) when they do not overlap.
fn intersection(a: &Rect, b: &Rect) -> Rect {
    if a[2] <= 0 || a[3] <= 0 || b[2] <= 0 || b[3] <= 0 {
        return [0; 4];
    }
    let x = a[0].max(b[0]);
    let y = a[1].max(b[1]);
    let w = (a[0] + a[2]).min(b[0] + b[2]) - x;
    let h = (a[1] + a[3]).min(b[1] + b[3]) - y;
    if w <= 0 || h <= 0 {
        [0; 4]
    } else {
        [x, y, w, h]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_is_jaccard_on_integer_boxes() {
        assert_eq!(overlap(&[0, 0, 10, 10], &[0, 0, 10, 10]), 1.0);
        assert_eq!(
            overlap(&[0, 0, 10, 10], &[5, 0, 10, 10]),
            1.0 - (1.0 - 50.0 / 150.0f64) as f32
        );
        assert_eq!(overlap(&[0, 0, 10, 10], &[10, 0, 10, 10]), 0.0);
        assert_eq!(overlap(&[0, 0, 0, 0], &[3, 3, 0, 0]), 1.0);
        assert_eq!(overlap(&[0, 0, 0, 5], &[0, 0, 4, 4]), 0.0);
    }

    #[test]
    fn keeps_best_drops_overlapping_and_respects_thresholds() {
        let boxes = [
            [0, 0, 10, 10],
            [1, 0, 10, 10],
            [50, 50, 10, 10],
            [100, 0, 10, 10],
            [0, 0, 10, 10],
        ];
        let scores = [0.95, 0.97, 0.92, 0.9, 0.97];
        // 3 is not above 0.9; 1 and 4 tie at 0.97: the stable sort keeps 1 first,
        // and 4 (same box) then 0 (IoU 0.82) are suppressed.
        assert_eq!(nms_boxes(&boxes, &scores, 0.9, 0.3, 5000), vec![1, 2]);
        // A threshold of exactly the IoU keeps (<=).
        let iou = overlap(&boxes[0], &boxes[1]);
        assert_eq!(
            nms_boxes(&boxes[..2], &scores[..2], 0.5, iou, 0),
            vec![1, 0]
        );
        // top_k cuts before suppression.
        assert_eq!(nms_boxes(&boxes, &scores, 0.5, 0.3, 1), vec![1]);
        assert!(nms_boxes(&[], &[], 0.5, 0.3, 10).is_empty());
    }

    #[test]
    fn truncates_towards_zero() {
        assert_eq!(int_rect(&[-1.7, 2.9, 10.99, 0.5]), [-1, 2, 10, 0]);
    }
}
