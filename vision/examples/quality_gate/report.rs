//! The measurement table, per-recipe summary and a sweep of gate thresholds.

use vision::{FaceQuality, QualityGate};

use crate::degrade::Recipe;

/// One face of one still.
pub struct Row {
    pub source: String,
    pub recipe: &'static str,
    pub clean: bool,
    pub person: String,
    /// `None`: the face was not detected (the photo would be refused).
    pub quality: Option<FaceQuality>,
    pub right: f32,
    pub wrong: f32,
    pub wrong_name: String,
}

impl Row {
    pub fn new(source: &str, r: &Recipe, person: &str) -> Self {
        Self {
            source: source.into(),
            recipe: r.name,
            clean: r.clean,
            person: person.into(),
            quality: None,
            right: f32::NAN,
            wrong: f32::NAN,
            wrong_name: String::new(),
        }
    }

    pub fn found(&mut self, q: FaceQuality, right: f32, worst: Option<(f32, String)>) {
        self.quality = Some(q);
        self.right = right;
        if let Some((w, name)) = worst {
            (self.wrong, self.wrong_name) = (w, name);
        }
    }

    fn passes(&self, gate: &QualityGate) -> bool {
        self.quality.is_some_and(|q| gate.check(&q).is_ok())
    }

    fn line(&self, gate: &QualityGate) -> String {
        let q = match &self.quality {
            Some(q) => format!(
                "{:6.0} {:7.0} {:5.3} {:5} {:6.2} {:6.2} {:<12} {}",
                q.width,
                q.sharpness,
                q.score,
                q.frontal,
                self.right,
                self.wrong,
                self.wrong_name,
                if self.passes(gate) { "pass" } else { "refused" }
            ),
            None => "no face detected".into(),
        };
        format!(
            "{:<26} {:<18} {:<12} {q}",
            self.source, self.recipe, self.person
        )
    }
}

const HEADER: &str = "source                     recipe             person       width   sharp score front  right  wrong  (who)        gate";
const MATCH: f32 = 0.40;

pub fn print(rows: &[Row], all: bool) {
    let gate = QualityGate::default();
    println!("gate: {gate:?}; match threshold {MATCH}\n");
    if all {
        println!("{HEADER}");
        rows.iter().for_each(|r| println!("{}", r.line(&gate)));
        println!();
    }
    println!("recipe              n found  sharp min/med/max   score min/med   wrong max  >=0.40  pass  pass&>=0.40  right<0.40 of pass");
    for name in crate::degrade::RECIPES.iter().map(|r| r.name) {
        let rs: Vec<&Row> = rows.iter().filter(|r| r.recipe == name).collect();
        let found: Vec<(&Row, FaceQuality)> = rs
            .iter()
            .filter_map(|r| r.quality.map(|q| (*r, q)))
            .collect();
        let mut sharp: Vec<f64> = found.iter().map(|(_, q)| q.sharpness).collect();
        let mut score: Vec<f32> = found.iter().map(|(_, q)| q.score).collect();
        sharp.sort_by(f64::total_cmp);
        score.sort_by(f32::total_cmp);
        let wrong_max = found.iter().map(|(r, _)| r.wrong).fold(f32::NAN, f32::max);
        let risky = found.iter().filter(|(r, _)| r.wrong >= MATCH).count();
        let pass: Vec<&&Row> = rs.iter().filter(|r| r.passes(&gate)).collect();
        let pass_risky = pass.iter().filter(|r| r.wrong >= MATCH).count();
        let pass_miss = pass.iter().filter(|r| r.right < MATCH).count();
        let mid = |n: usize| n / 2;
        println!(
            "{name:<18} {:3} {:4}  {:5.0} {:5.0} {:6.0}   {:5.3} {:5.3}   {:6.2}   {:5}  {:4}  {:10}  {:5}",
            rs.len(),
            found.len(),
            sharp.first().unwrap_or(&f64::NAN),
            sharp.get(mid(sharp.len())).unwrap_or(&f64::NAN),
            sharp.last().unwrap_or(&f64::NAN),
            score.first().unwrap_or(&f32::NAN),
            score.get(mid(score.len())).unwrap_or(&f32::NAN),
            wrong_max,
            risky,
            pass.len(),
            pass_risky,
            pass_miss,
        );
    }
    println!("\nstills scoring >= {MATCH} against a wrong person:\n{HEADER}");
    rows.iter()
        .filter(|r| r.wrong >= MATCH)
        .for_each(|r| println!("{}", r.line(&gate)));
    println!("\nclean stills refused by the gate:\n{HEADER}");
    rows.iter()
        .filter(|r| r.clean && !r.passes(&gate))
        .for_each(|r| println!("{}", r.line(&gate)));
    sweep(rows);
}

/// For a range of gates: clean stills refused (of those with a frontal face
/// at least `min_width` wide: the others are refused by any gate),
/// degraded stills passed, passed stills at >= 0.40 against a wrong person,
/// and the highest such score among the degraded stills passed.
fn sweep(rows: &[Row]) {
    println!("\nmin_width min_score min_sharp  clean refused  degraded passed  passed >=0.40  max wrong of degraded passed");
    for min_width in [40.0, 48.0] {
        for min_score in [0.9, 0.95, 0.97] {
            for min_sharpness in [0.0, 20.0, 30.0, 40.0, 45.0, 50.0, 60.0, 80.0, 100.0] {
                let g = QualityGate {
                    min_width,
                    min_score,
                    min_sharpness,
                };
                let eligible =
                    |r: &&Row| r.quality.is_some_and(|q| q.frontal && q.width >= min_width);
                let clean: Vec<&Row> = rows.iter().filter(|r| r.clean).filter(eligible).collect();
                let refused = clean.iter().filter(|r| !r.passes(&g)).count();
                let degraded: Vec<&Row> =
                    rows.iter().filter(|r| !r.clean && r.passes(&g)).collect();
                let risky = rows
                    .iter()
                    .filter(|r| r.passes(&g) && r.wrong >= MATCH)
                    .count();
                let worst = degraded.iter().map(|r| r.wrong).fold(f32::NAN, f32::max);
                println!(
                    "{min_width:9} {min_score:9} {min_sharpness:9} {:>8}/{:<5} {:16} {:14} {worst:10.2}",
                    refused,
                    clean.len(),
                    degraded.len(),
                    risky
                );
            }
        }
    }
}
