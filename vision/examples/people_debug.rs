use std::time::Instant;
use vision::*;
fn main() {
    use_single_thread();
    let models = std::path::PathBuf::from("/work/shared/models");
    let mut det = FaceDetector::new(&DetectorConfig::new(models.join(DETECTOR_MODEL_FILE))).unwrap();
    let cfg = EmbedderConfig { model_path: models.join(EmbedderPreset::MobileFaceNet.model_file()), preset: EmbedderPreset::MobileFaceNet };
    let mut settings = PeopleSettings::new(cfg);
    if let Ok(t) = std::env::var("THR") { settings.match_threshold = t.parse().unwrap(); }
    if let Ok(t) = std::env::var("EVERY") { settings.sample_every_s = t.parse().unwrap(); }
    if let Ok(t) = std::env::var("GAP") { settings.max_gap_s = t.parse().unwrap(); }
    let mut all = Vec::new();
    for name in std::env::args().skip(1) {
        let t0 = Instant::now();
        let mut tr = PeopleTracker::new(&settings).unwrap();
        let load = t0.elapsed().as_secs_f64();
        let mut r = VideoReader::open(std::path::Path::new(&format!("/work/shared/data/videos/{name}"))).unwrap();
        let (mut td, mut tp) = (0.0, 0.0);
        while let Some(f) = r.next_frame().unwrap() {
            let a = Instant::now();
            let faces = det.detect(&f.image).unwrap();
            let b = Instant::now();
            tr.observe(&f, &faces).unwrap();
            td += (b - a).as_secs_f64();
            tp += b.elapsed().as_secs_f64();
        }
        let so_far = tr.people_so_far();
        let emb = 0;
        let a = Instant::now();
        let people = tr.finish().unwrap();
        tp += a.elapsed().as_secs_f64();
        println!("{name}: people {} (so_far {so_far}) embeddings {emb} detect {td:.2}s people {tp:.3}s load {load:.3}s ratio {:.3}", people.len(), (td + tp) / td);
        for p in &people {
            println!("  faces {} spans {:?} crop {} bytes", p.face_count, p.appearances.iter().map(|s| format!("{:.2}-{:.2}", s.start_s, s.end_s)).collect::<Vec<_>>(), p.crop_jpeg.len());
            all.push((name.clone(), p.clone()));
        }
        for (i, p) in people.iter().enumerate() {
            let img = vision::opencv::imgcodecs::imdecode(&vision::opencv::core::Vector::<u8>::from_slice(&p.crop_jpeg), 1).unwrap();
            vision::opencv::imgcodecs::imwrite_def(&format!("/tmp/people_{name}_{i}.png"), &img).unwrap();
        }
    }
    for (i, (n, p)) in all.iter().enumerate() {
        let s: Vec<String> = all.iter().map(|(_, q)| format!("{:5.2}", p.embedding.cosine(&q.embedding))).collect();
        println!("P{i} {n:>22} {}", s.join(" "));
    }
}
