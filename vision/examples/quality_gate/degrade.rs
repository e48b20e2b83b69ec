//! Degraded stills: the same face scaled, blurred and compressed, with
//! where the face ends up in the result.

use opencv::core::{Mat, Rect, Size, Vector, BORDER_DEFAULT};
use opencv::imgcodecs;
use opencv::imgproc;
use opencv::prelude::*;

/// One step of a degradation.
#[derive(Debug, Clone, Copy)]
pub enum Op {
    /// Resize by this factor (area when shrinking, bicubic when enlarging).
    Scale(f64),
    /// Resize so the (first) face is this many pixels wide.
    FaceWidth(f64),
    /// Gaussian blur with this sigma.
    Blur(f64),
    /// JPEG round trip at this quality.
    Jpeg(i32),
}

/// A named recipe, and whether the result is a clean still (must pass).
pub struct Recipe {
    pub name: &'static str,
    pub clean: bool,
    pub ops: &'static [Op],
}

use Op::*;

/// The recipes measured, clean first.
pub const RECIPES: &[Recipe] = &[
    Recipe {
        name: "clean",
        clean: true,
        ops: &[],
    },
    Recipe {
        name: "x2",
        clean: true,
        ops: &[Scale(2.0)],
    },
    Recipe {
        name: "x0.5",
        clean: true,
        ops: &[Scale(0.5)],
    },
    Recipe {
        name: "face120",
        clean: true,
        ops: &[FaceWidth(120.0)],
    },
    Recipe {
        name: "q50",
        clean: true,
        ops: &[Jpeg(50)],
    },
    Recipe {
        name: "down2-up",
        clean: false,
        ops: &[Scale(0.5), Scale(2.0)],
    },
    Recipe {
        name: "down4-up",
        clean: false,
        ops: &[Scale(0.25), Scale(4.0)],
    },
    Recipe {
        name: "q10",
        clean: false,
        ops: &[Jpeg(10)],
    },
    Recipe {
        name: "q5",
        clean: false,
        ops: &[Jpeg(5)],
    },
    Recipe {
        name: "blur1",
        clean: false,
        ops: &[Blur(1.0)],
    },
    Recipe {
        name: "blur2",
        clean: false,
        ops: &[Blur(2.0)],
    },
    Recipe {
        name: "blur3",
        clean: false,
        ops: &[Blur(3.0)],
    },
    Recipe {
        name: "blur4",
        clean: false,
        ops: &[Blur(4.0)],
    },
    Recipe {
        name: "down2-up-q10",
        clean: false,
        ops: &[Scale(0.5), Scale(2.0), Jpeg(10)],
    },
    Recipe {
        name: "down4-up-q10",
        clean: false,
        ops: &[Scale(0.25), Scale(4.0), Jpeg(10)],
    },
    Recipe {
        name: "blur2-q10",
        clean: false,
        ops: &[Blur(2.0), Jpeg(10)],
    },
    Recipe {
        name: "down2-up-blur1-q5",
        clean: false,
        ops: &[Scale(0.5), Scale(2.0), Blur(1.0), Jpeg(5)],
    },
    Recipe {
        name: "f24-up6-q10",
        clean: false,
        ops: &[FaceWidth(24.0), Scale(6.0), Jpeg(10)],
    },
    Recipe {
        name: "f32-up4-q8",
        clean: false,
        ops: &[FaceWidth(32.0), Scale(4.0), Jpeg(8)],
    },
    Recipe {
        name: "f32-q8-up4",
        clean: false,
        ops: &[FaceWidth(32.0), Jpeg(8), Scale(4.0)],
    },
    Recipe {
        name: "f40-up3-q5",
        clean: false,
        ops: &[FaceWidth(40.0), Scale(3.0), Jpeg(5)],
    },
    Recipe {
        name: "f32-up4",
        clean: false,
        ops: &[FaceWidth(32.0), Scale(4.0)],
    },
    Recipe {
        name: "f48-up3",
        clean: false,
        ops: &[FaceWidth(48.0), Scale(3.0)],
    },
    Recipe {
        name: "f64-q10-up2",
        clean: false,
        ops: &[FaceWidth(64.0), Jpeg(10), Scale(2.0)],
    },
];

/// Applies `ops` to `image`, whose first face is `face_w` pixels wide;
/// returns the image and the factor its coordinates were multiplied by.
pub fn apply(image: &Mat, face_w: f64, ops: &[Op]) -> opencv::Result<(Mat, f64)> {
    let (mut img, mut k) = (image.clone(), 1.0);
    for op in ops {
        img = match *op {
            Scale(f) => resize(&img, f, &mut k)?,
            FaceWidth(w) => resize(&img, w / (face_w * k), &mut k)?,
            Blur(sigma) => {
                let mut out = Mat::default();
                imgproc::gaussian_blur(
                    &img,
                    &mut out,
                    Size::default(),
                    sigma,
                    sigma,
                    BORDER_DEFAULT,
                )?;
                out
            }
            Jpeg(q) => imgcodecs::imdecode(&jpeg(&img, q)?, imgcodecs::IMREAD_COLOR)?,
        };
    }
    Ok((img, k))
}

fn resize(img: &Mat, f: f64, k: &mut f64) -> opencv::Result<Mat> {
    let w = ((f64::from(img.cols()) * f).round() as i32).max(1);
    let h = ((f64::from(img.rows()) * f).round() as i32).max(1);
    let interp = if f < 1.0 {
        imgproc::INTER_AREA
    } else {
        imgproc::INTER_CUBIC
    };
    let mut out = Mat::default();
    imgproc::resize(img, &mut out, Size::new(w, h), 0.0, 0.0, interp)?;
    *k *= f64::from(w) / f64::from(img.cols());
    Ok(out)
}

/// JPEG bytes at `quality`.
pub fn jpeg(img: &Mat, quality: i32) -> opencv::Result<Vector<u8>> {
    let mut buf = Vector::<u8>::new();
    let params = Vector::from_slice(&[imgcodecs::IMWRITE_JPEG_QUALITY, quality]);
    imgcodecs::imencode(".jpg", img, &mut buf, &params)?;
    Ok(buf)
}

/// The square of side `zoom` x the face's larger side around the face,
/// clamped to the image; with its top-left corner.
pub fn crop_around(img: &Mat, face: &vision::Face, zoom: f32) -> opencv::Result<(Mat, Rect)> {
    let rect = vision::head_square(face, img.size()?, zoom);
    Ok((Mat::roi(img, rect)?.try_clone()?, rect))
}
