//! The query photo: decoded with its size checked from the header first, faces detected,
//! the chosen face aligned, rated and embedded. Runs on the blocking pool under a CPU permit,
//! with detector/embedder pairs kept loaded between searches.

use crate::cpu::CpuLimiter;
use crate::error::ApiError;
use app::model::PhotoFace;
use std::sync::{Arc, Mutex};
use vision::{
    DetectorConfig, EmbedderConfig, Embedding, FaceDetector, FaceEmbedder, PhotoError, PhotoLimits,
    QualityGate,
};

/// The query face, ready to rank.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Every face in the photo, largest first.
    pub faces: Vec<PhotoFace>,
    /// The one searched for.
    pub face: usize,
    /// Its embedding.
    pub embedding: Embedding,
    /// It failed the quality gate and the caller forced the search.
    pub low_quality: bool,
}

type Models = (FaceDetector, FaceEmbedder);

/// Analyses query photos. Cheap to clone.
#[derive(Clone)]
pub struct PhotoAnalyzer {
    detector: DetectorConfig,
    embedder: EmbedderConfig,
    limits: PhotoLimits,
    gate: QualityGate,
    idle: Arc<Mutex<Vec<Models>>>,
    cpu: CpuLimiter,
}

impl PhotoAnalyzer {
    /// `cpu`: the process's CPU limiter; each photo is short work under one of its permits.
    pub fn new(detector: DetectorConfig, embedder: EmbedderConfig, cpu: CpuLimiter) -> Self {
        Self {
            detector,
            embedder,
            limits: PhotoLimits::default(),
            gate: QualityGate::default(),
            idle: Arc::default(),
            cpu,
        }
    }

    /// The size limits of photos.
    pub fn limits(&self) -> &PhotoLimits {
        &self.limits
    }

    /// Finds the faces of `photo` and embeds face `face` (default: the largest). Errors are
    /// 422 (`photo`: not an image, no face, low quality unless `force`; `face`: out of range)
    /// or 413 (too many bytes or pixels).
    pub async fn analyze(
        &self,
        photo: bytes::Bytes,
        face: Option<usize>,
        force: bool,
    ) -> Result<Analysis, ApiError> {
        let this = self.clone();
        self.cpu
            .run_short(move || this.analyze_blocking(&photo, face, force))
            .await
            .map_err(|e| anyhow::anyhow!("photo analysis: {e}"))?
    }

    fn analyze_blocking(
        &self,
        bytes: &[u8],
        face: Option<usize>,
        force: bool,
    ) -> Result<Analysis, ApiError> {
        let photo = vision::decode_photo(bytes, &self.limits).map_err(photo_error)?;
        let (mut detector, mut embedder) = self.take_models()?;
        let result = (|| {
            let found = vision::detect_photo(&mut detector, &photo).map_err(internal)?;
            if found.is_empty() {
                return Err(ApiError::field("photo", "no face was found in the photo"));
            }
            let index = face.unwrap_or(0);
            let Some(chosen) = found.get(index) else {
                return Err(ApiError::field(
                    "face",
                    format!(
                        "the photo has {} face(s): face must be 0 to {}",
                        found.len(),
                        found.len() - 1
                    ),
                ));
            };
            let (embedding, quality) =
                vision::examine_face(&mut embedder, &photo, chosen).map_err(internal)?;
            let low_quality = match self.gate.check(&quality) {
                Ok(()) => false,
                Err(reason) if force => {
                    tracing::info!(%reason, "searching with a low-quality face (forced)");
                    true
                }
                Err(reason) => {
                    return Err(ApiError::field(
                        "photo",
                        format!("{reason}; send force=true to search anyway"),
                    ))
                }
            };
            Ok(Analysis {
                faces: found.iter().map(photo_face).collect(),
                face: index,
                embedding,
                low_quality,
            })
        })();
        self.idle
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((detector, embedder));
        result
    }

    /// A loaded detector and embedder: an idle pair, or a new one.
    fn take_models(&self) -> Result<Models, ApiError> {
        if let Some(models) = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop() {
            return Ok(models);
        }
        vision::use_single_thread();
        let detector = FaceDetector::new(&self.detector).map_err(internal)?;
        let embedder = FaceEmbedder::new(&self.embedder).map_err(internal)?;
        Ok((detector, embedder))
    }
}

fn photo_face(face: &vision::Face) -> PhotoFace {
    PhotoFace {
        x: face.x,
        y: face.y,
        w: face.w,
        h: face.h,
        score: face.score,
    }
}

/// Size errors are 413, the rest 422; both name the `photo` field.
fn photo_error(error: PhotoError) -> ApiError {
    match error {
        PhotoError::TooLarge { .. } | PhotoError::TooManyPixels { .. } => {
            ApiError::PayloadTooLarge(format!("photo: {error}"))
        }
        other => ApiError::field("photo", other.to_string()),
    }
}

fn internal(error: vision::VisionError) -> ApiError {
    ApiError::Internal(anyhow::Error::new(error).context("analysing a search photo"))
}
