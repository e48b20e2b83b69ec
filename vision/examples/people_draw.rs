use vision::opencv::{core::{Point, Rect, Scalar}, imgcodecs, imgproc, prelude::*};
use vision::*;
fn main() {
    let models = std::path::PathBuf::from("/work/shared/models");
    let mut det = FaceDetector::new(&DetectorConfig::new(models.join(DETECTOR_MODEL_FILE))).unwrap();
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap();
    let want: Vec<i64> = args.map(|a| a.parse().unwrap()).collect();
    let mut r = VideoReader::open(std::path::Path::new(&format!("/work/shared/data/videos/{name}"))).unwrap();
    while let Some(mut f) = r.next_frame().unwrap() {
        if !want.contains(&f.index) { continue; }
        for face in det.detect(&f.image).unwrap() {
            imgproc::rectangle_def(&mut f.image, Rect::new(face.x as i32, face.y as i32, face.w as i32, face.h as i32), Scalar::new(0.0, 255.0, 0.0, 0.0)).unwrap();
            let colors = [(255.0, 0.0, 0.0), (0.0, 0.0, 255.0), (0.0, 255.0, 0.0), (255.0, 0.0, 255.0), (0.0, 255.0, 255.0)];
            for (k, [x, y]) in face.landmarks.iter().enumerate() {
                let c = colors[k];
                imgproc::circle(&mut f.image, Point::new(*x as i32, *y as i32), 3, Scalar::new(c.0, c.1, c.2, 0.0), -1, imgproc::LINE_8, 0).unwrap();
            }
            println!("f{} {:?} frontal {}", f.index, face, is_frontal(&face));
        }
        let mut sm = Mat::default(); imgproc::resize(&f.image, &mut sm, vision::opencv::core::Size::new(f.image.cols() * 3 / 4, f.image.rows() * 3 / 4), 0.0, 0.0, imgproc::INTER_AREA).unwrap(); imgcodecs::imwrite_def(&format!("/tmp/{name}_f{}.png", f.index), &sm).unwrap();
    }
}
