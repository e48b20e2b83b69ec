//! Face detection on the still images, against REFERENCE.md and the dlib labels.

mod common;

use common::{detector, image, iou};
use opencv::imgcodecs;
use opencv::prelude::*;
use vision::Face;

fn detect(name: &str) -> Vec<Face> {
    let path = image(name);
    let img = imgcodecs::imread(path.to_str().unwrap(), imgcodecs::IMREAD_COLOR).unwrap();
    assert!(!img.empty(), "cannot read {}", path.display());
    detector().detect(&img).unwrap()
}

fn sorted_by_x(mut faces: Vec<Face>) -> Vec<Face> {
    faces.sort_by(|a, b| a.x.total_cmp(&b.x));
    faces
}

fn assert_near(f: &Face, want: [f32; 4], tol: f32) {
    let got = [f.x, f.y, f.w, f.h];
    for (g, w) in got.iter().zip(want) {
        assert!(
            (g - w).abs() <= tol,
            "box {got:?} not within {tol} of {want:?}"
        );
    }
}

#[test]
fn two_people_has_two_faces_at_reference_boxes() {
    let faces = sorted_by_x(detect("two_people.jpg"));
    assert_eq!(faces.len(), 2, "{faces:?}");
    assert_near(&faces[0], [229.8, 22.0, 166.9, 202.0], 1.0);
    assert_near(&faces[1], [780.6, 46.7, 165.8, 209.4], 1.0);
    for f in &faces {
        assert!(f.score > 0.99);
        // Landmarks lie inside their box.
        for [x, y] in f.landmarks {
            assert!(
                x > f.x && x < f.x + f.w && y > f.y && y < f.y + f.h,
                "{f:?}"
            );
        }
    }
}

#[test]
fn baboon_has_no_face() {
    assert_eq!(detect("baboon.jpg"), vec![]);
}

/// dlib's hand labels from `testing.xml`: (file, [left, top, width, height]...).
fn dlib_labels() -> Vec<(String, Vec<[f32; 4]>)> {
    let xml = std::fs::read_to_string(image("dlib_faces/testing.xml")).unwrap();
    let attr = |tag: &str, name: &str| -> String {
        let start = tag.find(&format!(" {name}='")).unwrap() + name.len() + 3;
        tag[start..].split('\'').next().unwrap().to_string()
    };
    let mut out: Vec<(String, Vec<[f32; 4]>)> = Vec::new();
    for tag in xml.split('<').map(|t| t.trim()) {
        if tag.starts_with("image ") {
            out.push((attr(tag, "file"), Vec::new()));
        } else if tag.starts_with("box ") {
            let v = |n| attr(tag, n).parse::<f32>().unwrap();
            out.last_mut()
                .unwrap()
                .1
                .push([v("left"), v("top"), v("width"), v("height")]);
        }
    }
    out
}

#[test]
fn dlib_2008_002470_has_six_faces() {
    assert_eq!(detect("dlib_faces/2008_002470.jpg").len(), 6);
}

#[test]
fn dlib_labels_are_all_matched_without_extras() {
    let mut total = 0;
    let all = dlib_labels();
    assert_eq!(all.len(), 5);
    for (file, labels) in all {
        let faces = detect(&format!("dlib_faces/{file}"));
        assert_eq!(faces.len(), labels.len(), "{file}: {faces:?}");
        for l in &labels {
            let best = faces
                .iter()
                .map(|f| iou(*l, [f.x, f.y, f.w, f.h]))
                .fold(0.0, f32::max);
            assert!(best >= 0.5, "{file}: label {l:?} best IoU {best}");
        }
        total += faces.len();
    }
    assert_eq!(total, 25);
}

#[test]
fn large_frames_are_scaled_down_and_boxes_mapped_back() {
    let path = image("two_people.jpg");
    let img = imgcodecs::imread(path.to_str().unwrap(), imgcodecs::IMREAD_COLOR).unwrap();
    let mut big = Mat::default();
    opencv::imgproc::resize(
        &img,
        &mut big,
        opencv::core::Size::new(2252, 1322),
        0.0,
        0.0,
        opencv::imgproc::INTER_LINEAR,
    )
    .unwrap();
    let faces = sorted_by_x(detector().detect(&big).unwrap());
    assert_eq!(faces.len(), 2, "{faces:?}");
    assert!(
        iou(
            [faces[0].x, faces[0].y, faces[0].w, faces[0].h],
            [459.6, 44.0, 333.8, 404.0]
        ) > 0.85,
        "{faces:?}"
    );
    assert!(
        iou(
            [faces[1].x, faces[1].y, faces[1].w, faces[1].h],
            [1561.2, 93.4, 331.6, 418.8]
        ) > 0.85,
        "{faces:?}"
    );
    // Gray input is accepted too.
    let mut gray = Mat::default();
    opencv::imgproc::cvt_color_def(&img, &mut gray, opencv::imgproc::COLOR_BGR2GRAY).unwrap();
    assert_eq!(detector().detect(&gray).unwrap().len(), 2);
}
