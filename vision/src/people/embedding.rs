//! Face embeddings: L2-normalised vectors compared by cosine similarity.

/// A face embedding, always L2-normalised (unit length), so the cosine of
/// two embeddings is their dot product.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Embedding(Vec<f32>);

impl Embedding {
    /// Normalises `values` to unit length. `None` if the vector is empty,
    /// has a non-finite value or is (nearly) zero.
    pub fn from_raw(values: Vec<f32>) -> Option<Self> {
        if values.is_empty() || values.iter().any(|v| !v.is_finite()) {
            return None;
        }
        let norm = values
            .iter()
            .map(|v| f64::from(*v).powi(2))
            .sum::<f64>()
            .sqrt();
        if norm < 1e-12 {
            return None;
        }
        Some(Self(
            values
                .iter()
                .map(|v| (f64::from(*v) / norm) as f32)
                .collect(),
        ))
    }

    /// Cosine similarity, -1..1 (1 = same direction). Embeddings of
    /// different lengths (different models) score 0.
    pub fn cosine(&self, other: &Embedding) -> f32 {
        if self.0.len() != other.0.len() {
            return 0.0;
        }
        let dot: f64 = self
            .0
            .iter()
            .zip(&other.0)
            .map(|(a, b)| f64::from(*a) * f64::from(*b))
            .sum();
        dot.clamp(-1.0, 1.0) as f32
    }

    /// The values as little-endian `f32` bytes (4 per dimension), for storage.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// Reads bytes written by [`to_bytes`](Self::to_bytes). `None` if the
    /// length is not a positive multiple of 4 or the vector is not usable;
    /// the result is normalised again.
    pub fn from_bytes(b: &[u8]) -> Option<Self> {
        if b.is_empty() || !b.len().is_multiple_of(4) {
            return None;
        }
        let values = b
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        Self::from_raw(values)
    }

    /// The normalised mean of `items` (the direction of their sum). `None`
    /// if there are none, their lengths differ or they cancel out.
    pub fn mean(items: &[Embedding]) -> Option<Embedding> {
        let dim = items.first()?.0.len();
        if items.iter().any(|e| e.0.len() != dim) {
            return None;
        }
        let mut sum = vec![0f64; dim];
        for e in items {
            for (s, v) in sum.iter_mut().zip(&e.0) {
                *s += f64::from(*v);
            }
        }
        Self::from_raw(sum.into_iter().map(|v| v as f32).collect())
    }

    /// The values.
    pub fn as_slice(&self) -> &[f32] {
        &self.0
    }

    /// Number of dimensions (128 for MobileFaceNet and SFace).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always `false`: an embedding has at least one dimension.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_and_compares() {
        let a = Embedding::from_raw(vec![3.0, 4.0]).unwrap();
        assert_eq!(a.as_slice(), &[0.6, 0.8]);
        let b = Embedding::from_raw(vec![-4.0, 3.0]).unwrap();
        assert!(a.cosine(&b).abs() < 1e-6);
        assert!((a.cosine(&a) - 1.0).abs() < 1e-6);
        let c = Embedding::from_raw(vec![-3.0, -4.0]).unwrap();
        assert!((a.cosine(&c) + 1.0).abs() < 1e-6);
        assert_eq!(
            a.cosine(&Embedding::from_raw(vec![1.0, 0.0, 0.0]).unwrap()),
            0.0
        );
    }

    #[test]
    fn rejects_unusable_vectors() {
        assert_eq!(Embedding::from_raw(vec![]), None);
        assert_eq!(Embedding::from_raw(vec![0.0, 0.0]), None);
        assert_eq!(Embedding::from_raw(vec![1.0, f32::NAN]), None);
    }

    #[test]
    fn bytes_round_trip() {
        let e = Embedding::from_raw((0..128).map(|i| (i as f32 * 0.37).sin()).collect()).unwrap();
        let bytes = e.to_bytes();
        assert_eq!(bytes.len(), 512);
        assert_eq!(&bytes[..4], &e.as_slice()[0].to_le_bytes());
        assert_eq!(Embedding::from_bytes(&bytes), Some(e.clone()));
        assert_eq!(Embedding::from_bytes(&bytes[..511]), None);
        assert_eq!(Embedding::from_bytes(&[]), None);
    }

    #[test]
    fn mean_is_normalised_direction() {
        let a = Embedding::from_raw(vec![1.0, 0.0]).unwrap();
        let b = Embedding::from_raw(vec![0.0, 1.0]).unwrap();
        let m = Embedding::mean(&[a.clone(), b.clone()]).unwrap();
        let h = std::f32::consts::FRAC_1_SQRT_2;
        assert!((m.as_slice()[0] - h).abs() < 1e-6 && (m.as_slice()[1] - h).abs() < 1e-6);
        assert_eq!(Embedding::mean(&[]), None);
        let opposite = Embedding::from_raw(vec![-1.0, 0.0]).unwrap();
        assert_eq!(Embedding::mean(&[a.clone(), opposite]), None);
        assert_eq!(Embedding::mean(&[a]).unwrap().as_slice(), &[1.0, 0.0]);
    }
}
