//! JPEG headers: the frame size from the SOF segment, and whether the file
//! has its end marker (libjpeg decodes a truncated file without complaint,
//! filling the missing part with grey).

use super::header::u16_be;

/// Width and height from the first start-of-frame segment, walking the
/// marker segments from the start. `None` if the file ends, or the image
/// data begins, before any frame header.
pub(crate) fn dimensions(b: &[u8]) -> Option<(u32, u32)> {
    let (marker, at) = segments(b).find(|&(m, _)| is_sof(m) || m == SOS)?;
    if marker == SOS {
        return None;
    }
    // Segment: length (2), precision (1), height (2), width (2).
    Some((u16_be(b, at + 5)?, u16_be(b, at + 3)?))
}

/// Whether the end-of-image marker follows the first scan. Inside the
/// entropy-coded data every 0xFF byte is followed by 0x00 or a restart
/// marker, so FF D9 there is the real end marker.
pub(crate) fn has_end(b: &[u8]) -> bool {
    let Some((_, sos)) = segments(b).find(|&(m, _)| m == SOS) else {
        return false;
    };
    b[sos..].windows(2).any(|w| w == [0xFF, EOI])
}

const SOS: u8 = 0xDA;
const EOI: u8 = 0xD9;

/// SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC).
fn is_sof(m: u8) -> bool {
    (0xC0..=0xCF).contains(&m) && !matches!(m, 0xC4 | 0xC8 | 0xCC)
}

/// The marker segments before the image data: (marker, offset of the
/// segment's length field). Stops at the first SOS (included), at EOI, or
/// where the bytes stop making sense.
fn segments(b: &[u8]) -> impl Iterator<Item = (u8, usize)> + '_ {
    let mut at = 2; // after SOI
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        if *b.get(at)? != 0xFF {
            return None;
        }
        // Any number of 0xFF fill bytes may precede a marker.
        while *b.get(at)? == 0xFF {
            at += 1;
        }
        let marker = b[at];
        at += 1;
        match marker {
            EOI | 0x00 => None,
            // Stand-alone markers: no length field.
            0x01 | 0xD0..=0xD7 => Some((marker, at)),
            _ => {
                let len = u16_be(b, at)? as usize;
                if len < 2 {
                    return None;
                }
                let start = at;
                at += len;
                done = marker == SOS;
                Some((marker, start))
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SOI, an APP0 segment, a baseline SOF0 of `w` x `h`, SOS, data, EOI.
    fn jpeg(w: u16, h: u16, sof: u8) -> Vec<u8> {
        let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 6, b'J', b'F', b'I', b'F'];
        b.extend([0xFF, 0xFF, sof, 0, 11, 8]); // with one fill byte
        b.extend(h.to_be_bytes());
        b.extend(w.to_be_bytes());
        b.extend([1, 1, 0x11, 0]);
        b.extend([0xFF, SOS, 0, 8, 1, 1, 0, 0, 0x3F, 0]);
        b.extend([0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, EOI]);
        b
    }

    #[test]
    fn reads_baseline_and_progressive_frames() {
        assert_eq!(dimensions(&jpeg(640, 480, 0xC0)), Some((640, 480)));
        assert_eq!(dimensions(&jpeg(60000, 60000, 0xC2)), Some((60000, 60000)));
    }

    #[test]
    fn no_frame_header_is_none() {
        // DHT is not a frame header; SOS before any SOF.
        assert_eq!(dimensions(&jpeg(640, 480, 0xC4)), None);
        let full = jpeg(640, 480, 0xC0);
        assert_eq!(dimensions(&full[..15]), None);
        assert_eq!(dimensions(&[0xFF, 0xD8, 0xFF]), None);
        assert_eq!(dimensions(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 1]), None);
    }

    #[test]
    fn end_marker_after_the_scan() {
        let full = jpeg(640, 480, 0xC0);
        assert!(has_end(&full));
        assert!(!has_end(&full[..full.len() - 1]));
        let mut trailing = full.clone();
        trailing.extend(b"trailer");
        assert!(has_end(&trailing));
    }
}
