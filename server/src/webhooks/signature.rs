//! The signature of a delivery: HMAC-SHA256 of the exact body under the shared secret, as
//! `sha256=<lower-case hex>`. The body carries the send time (also in a header) and the
//! delivery id, so a receiver can refuse old replays and drop repeats.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Header with the signature.
pub const SIGNATURE_HEADER: &str = "X-Facetally-Signature";
/// Header with the send time, Unix seconds (equal to the body's `timestamp`).
pub const TIMESTAMP_HEADER: &str = "X-Facetally-Timestamp";
/// Header with the delivery id, equal on every retry of one delivery.
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";

/// `sha256=<hex>` of `body` under `key`.
pub fn sign(key: &[u8], body: &[u8]) -> String {
    // HMAC takes keys of any length.
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4231 test case 2.
    #[test]
    fn matches_the_rfc_4231_vector() {
        assert_eq!(
            sign(b"Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
