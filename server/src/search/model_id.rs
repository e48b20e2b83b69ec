//! The identity of an embedding model, stored with every embedding so that a search never
//! compares vectors of different models.

use anyhow::Context;
use sha2::{Digest, Sha256};
use vision::{EmbedderConfig, EmbedderPreset};

/// `<preset>:<first 12 hex digits of the file's SHA-256>`, e.g. `mobilefacenet:6ced4e0c36ab`:
/// the same file gives the same id on every machine; a retrained file of the same preset does not.
pub fn model_id(config: &EmbedderConfig) -> anyhow::Result<String> {
    let bytes = std::fs::read(&config.model_path)
        .with_context(|| format!("reading {}", config.model_path.display()))?;
    let digest = Sha256::digest(&bytes);
    let hex: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!("{}:{hex}", preset_name(config.preset)))
}

fn preset_name(preset: EmbedderPreset) -> &'static str {
    match preset {
        EmbedderPreset::MobileFaceNet => "mobilefacenet",
        EmbedderPreset::SFace => "sface",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_preset_and_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.onnx");
        std::fs::write(&path, b"abc").unwrap();
        let config = EmbedderConfig::new(path.clone(), EmbedderPreset::MobileFaceNet);
        // SHA-256("abc") = ba7816bf8f01...
        assert_eq!(model_id(&config).unwrap(), "mobilefacenet:ba7816bf8f01");
        let sface = EmbedderConfig {
            preset: EmbedderPreset::SFace,
            ..config
        };
        assert_eq!(model_id(&sface).unwrap(), "sface:ba7816bf8f01");
        std::fs::write(&path, b"abd").unwrap();
        assert_ne!(model_id(&sface).unwrap(), "sface:ba7816bf8f01");
    }
}
