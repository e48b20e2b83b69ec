use std::time::Instant;
use vision::*;
fn main() {
    use_single_thread();
    let models = std::path::PathBuf::from("/work/shared/models");
    let mut det = FaceDetector::new(&DetectorConfig::new(models.join(DETECTOR_MODEL_FILE))).unwrap();
    let cfg = EmbedderConfig { model_path: models.join(EmbedderPreset::MobileFaceNet.model_file()), preset: EmbedderPreset::MobileFaceNet };
    let mut emb = FaceEmbedder::new(&cfg).unwrap();
    let name = std::env::args().nth(1).unwrap();
    let mut r = VideoReader::open(std::path::Path::new(&format!("/work/shared/data/videos/{name}"))).unwrap();
    let (mut ta, mut ts, mut te, mut tc, mut n) = (0.0, 0.0, 0.0, 0.0, 0);
    let mut widths = Vec::new();
    while let Some(f) = r.next_frame().unwrap() {
        for face in det.detect(&f.image).unwrap() {
            widths.push(face.w as i32);
            let a = Instant::now();
            let al = emb.align(&f.image, &face).unwrap();
            let b = Instant::now();
            let _ = sharpness(&al).unwrap();
            let c = Instant::now();
            let _ = emb.embed_aligned(&al).unwrap();
            let d = Instant::now();
            let _ = head_crop(&f.image, &face, 2.0, 256).unwrap();
            tc += d.elapsed().as_secs_f64();
            ta += (b - a).as_secs_f64(); ts += (c - b).as_secs_f64(); te += (d - c).as_secs_f64(); n += 1;
        }
    }
    widths.sort();
    println!("{n} faces: align {:.3} ms sharp {:.3} ms embed {:.3} ms crop {:.3} ms; widths min {:?} med {:?} max {:?}", ta * 1e3 / n as f64, ts * 1e3 / n as f64, te * 1e3 / n as f64, tc * 1e3 / n as f64, widths.first(), widths.get(widths.len() / 2), widths.last());
}
