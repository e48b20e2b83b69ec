//! What kind of image a file is and how large it claims to be, read from its
//! first bytes only: nothing is decoded, so a decompression bomb costs nothing.

/// The image formats accepted for a search photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoFormat {
    /// JPEG / JFIF / EXIF.
    Jpeg,
    /// PNG.
    Png,
    /// WebP (lossy, lossless or extended).
    WebP,
    /// Windows bitmap.
    Bmp,
}

/// The result of reading a header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Header {
    /// A supported format whose header gives these dimensions.
    Image {
        format: PhotoFormat,
        width: u32,
        height: u32,
    },
    /// Not one of the supported formats (no known signature).
    Unknown,
    /// A supported signature, but the header is cut short or invalid.
    Damaged,
}

/// Recognises the format by its magic bytes and reads the dimensions.
pub(crate) fn read_header(b: &[u8]) -> Header {
    let found = if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        png(b).map(|d| (PhotoFormat::Png, d))
    } else if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        super::jpeg::dimensions(b).map(|d| (PhotoFormat::Jpeg, d))
    } else if b.len() >= 12 && &b[..4] == b"RIFF" && &b[8..12] == b"WEBP" {
        webp(b).map(|d| (PhotoFormat::WebP, d))
    } else if b.starts_with(b"BM") {
        bmp(b).map(|d| (PhotoFormat::Bmp, d))
    } else {
        return Header::Unknown;
    };
    match found {
        Some((format, (width, height))) if width > 0 && height > 0 => Header::Image {
            format,
            width,
            height,
        },
        _ => Header::Damaged,
    }
}

pub(crate) fn u16_le(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_le_bytes(
        b.get(at..at + 2)?.try_into().ok()?,
    )))
}

pub(crate) fn u16_be(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_be_bytes(
        b.get(at..at + 2)?.try_into().ok()?,
    )))
}

fn u24_le(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 3)?;
    Some(u32::from(s[0]) | u32::from(s[1]) << 8 | u32::from(s[2]) << 16)
}

fn u32_le(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn u32_be(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// PNG: the first chunk must be IHDR (width, height: big-endian u32).
fn png(b: &[u8]) -> Option<(u32, u32)> {
    if b.get(12..16)? != b"IHDR" || u32_be(b, 8)? != 13 {
        return None;
    }
    Some((u32_be(b, 16)?, u32_be(b, 20)?))
}

/// WebP: the first chunk is VP8 (lossy), VP8L (lossless) or VP8X (extended).
fn webp(b: &[u8]) -> Option<(u32, u32)> {
    match b.get(12..16)? {
        // Frame tag (3 bytes), start code 9D 01 2A, then 14-bit sizes.
        b"VP8 " if b.get(23..26)? == [0x9D, 0x01, 0x2A] => {
            Some((u16_le(b, 26)? & 0x3FFF, u16_le(b, 28)? & 0x3FFF))
        }
        // Signature 0x2F, then width-1 and height-1 in 14 bits each.
        b"VP8L" if *b.get(20)? == 0x2F => {
            let v = u32_le(b, 21)?;
            Some(((v & 0x3FFF) + 1, ((v >> 14) & 0x3FFF) + 1))
        }
        // Flags (4 bytes), then canvas width-1 and height-1 in 24 bits each.
        b"VP8X" => Some((u24_le(b, 24)? + 1, u24_le(b, 27)? + 1)),
        _ => None,
    }
}

/// BMP: the size of the info header tells its layout (12: OS/2 core
/// header with u16 sizes; 40 and more: i32 sizes, negative height = top-down).
fn bmp(b: &[u8]) -> Option<(u32, u32)> {
    match u32_le(b, 14)? {
        12 => Some((u16_le(b, 18)?, u16_le(b, 20)?)),
        n if n >= 40 => {
            let w = u32_le(b, 18)? as i32;
            let h = u32_le(b, 22)? as i32;
            (w > 0 && h != i32::MIN).then(|| (w as u32, h.unsigned_abs()))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_header(w: u32, h: u32) -> Vec<u8> {
        let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        b.extend(w.to_be_bytes());
        b.extend(h.to_be_bytes());
        b.extend([8, 2, 0, 0, 0]);
        b
    }

    fn image(format: PhotoFormat, width: u32, height: u32) -> Header {
        Header::Image {
            format,
            width,
            height,
        }
    }

    #[test]
    fn png_sizes_and_damage() {
        assert_eq!(
            read_header(&png_header(30000, 20000)),
            image(PhotoFormat::Png, 30000, 20000)
        );
        assert_eq!(read_header(&png_header(0, 5)), Header::Damaged);
        assert_eq!(read_header(&png_header(7, 5)[..20]), Header::Damaged);
    }

    #[test]
    fn webp_variants() {
        let riff = |chunk: &[u8], payload: &[u8]| {
            let mut b = b"RIFF\0\0\0\0WEBP".to_vec();
            b.extend(chunk);
            b.extend([0u8; 4]);
            b.extend(payload);
            b
        };
        let lossy = riff(
            b"VP8 ",
            &[0, 0, 0, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x41],
        );
        assert_eq!(read_header(&lossy), image(PhotoFormat::WebP, 640, 480));
        // 640x480 lossless: (639 | 479 << 14) little-endian after 0x2F.
        let v: u32 = 639 | (479 << 14);
        let mut payload = vec![0x2F];
        payload.extend(v.to_le_bytes());
        assert_eq!(
            read_header(&riff(b"VP8L", &payload)),
            image(PhotoFormat::WebP, 640, 480)
        );
        let ext = riff(b"VP8X", &[0x10, 0, 0, 0, 0x2F, 0x75, 0, 0x2F, 0x75, 0]);
        assert_eq!(read_header(&ext), image(PhotoFormat::WebP, 30000, 30000));
        assert_eq!(read_header(&riff(b"ALPH", &[0; 10])), Header::Damaged);
    }

    #[test]
    fn bmp_info_and_core_headers() {
        let mut info = b"BM".to_vec();
        info.extend([0u8; 12]);
        info.extend(40u32.to_le_bytes());
        info.extend(3u32.to_le_bytes());
        info.extend((-2i32).to_le_bytes());
        assert_eq!(read_header(&info), image(PhotoFormat::Bmp, 3, 2));
        let mut core = b"BM".to_vec();
        core.extend([0u8; 12]);
        core.extend(12u32.to_le_bytes());
        core.extend([5, 0, 7, 0]);
        assert_eq!(read_header(&core), image(PhotoFormat::Bmp, 5, 7));
        assert_eq!(read_header(b"BM\0\0"), Header::Damaged);
    }

    #[test]
    fn unknown_formats() {
        assert_eq!(read_header(b"GIF89a\x01\0\x01\0"), Header::Unknown);
        assert_eq!(read_header(b"hello, world"), Header::Unknown);
        assert_eq!(read_header(b""), Header::Unknown);
    }
}
