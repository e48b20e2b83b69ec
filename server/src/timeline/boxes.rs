//! A video's face boxes as one compact binary object in storage (not a row per face):
//! every frame with a face, its timestamp in milliseconds and its boxes in whole pixels,
//! each with the ordinal of the person it belongs to.
//!
//! Layout (little-endian): `FTBX`, version `1`, frame count (u32); then per frame its
//! timestamp (u32 ms) and box count (u16), then per box x, y, w, h (u16 each) and the
//! person's ordinal + 1 (u16; 0: no person). 6 bytes a frame and 10 a face: an hour at
//! 25 fps with one face in every frame takes 90 000 × 16 B ≈ 1.4 MB.

use app::model::{BoxFrame, FaceBox};
use std::collections::HashMap;
use vision::{Person, TimedBox};

const MAGIC: &[u8; 4] = b"FTBX";
const VERSION: u8 = 1;
const HEADER: usize = 9;

/// Why stored boxes could not be read.
#[derive(Debug, thiserror::Error)]
#[error("stored face boxes are unreadable: {0}")]
pub struct Unreadable(&'static str);

/// Every face box of a video (`all`, in time order), each labelled with the ordinal of the
/// person among `people` whose detection it is; encoded.
pub fn encode(all: &[TimedBox], people: &[Person]) -> Vec<u8> {
    let owner: HashMap<_, u16> = people
        .iter()
        .enumerate()
        .flat_map(|(ordinal, p)| {
            let ordinal = u16::try_from(ordinal).unwrap_or(u16::MAX - 1);
            p.boxes.iter().map(move |b| (b.key(), ordinal))
        })
        .collect();
    let mut frames: Vec<(u32, Vec<[u16; 5]>)> = Vec::new();
    for b in all {
        let t_ms = (b.t_s.max(0.0) * 1000.0).round().min(u32::MAX as f64) as u32;
        let label = owner.get(&b.key()).map_or(0, |o| o + 1);
        let stored = [pixel(b.x), pixel(b.y), pixel(b.w), pixel(b.h), label];
        match frames.last_mut() {
            Some((t, boxes)) if *t == t_ms && boxes.len() < u16::MAX as usize => boxes.push(stored),
            _ => frames.push((t_ms, vec![stored])),
        }
    }
    let faces: usize = frames.iter().map(|(_, b)| b.len()).sum();
    let mut out = Vec::with_capacity(HEADER + frames.len() * 6 + faces * 10);
    out.extend_from_slice(MAGIC);
    out.push(VERSION);
    out.extend_from_slice(&(frames.len() as u32).to_le_bytes());
    for (t_ms, boxes) in &frames {
        out.extend_from_slice(&t_ms.to_le_bytes());
        out.extend_from_slice(&(boxes.len() as u16).to_le_bytes());
        for value in boxes.iter().flatten() {
            out.extend_from_slice(&value.to_le_bytes());
        }
    }
    out
}

/// A coordinate in whole pixels, within u16.
fn pixel(value: f32) -> u16 {
    value.round().clamp(0.0, u16::MAX as f32) as u16
}

/// The frames of `bytes` whose timestamp lies in `[from_s, to_s)`.
pub fn decode_window(bytes: &[u8], from_s: f64, to_s: f64) -> Result<Vec<BoxFrame>, Unreadable> {
    let mut r = Reader { bytes, at: 0 };
    if r.take(4)? != MAGIC {
        return Err(Unreadable("not a face box file"));
    }
    if r.take(1)?[0] != VERSION {
        return Err(Unreadable("unknown version"));
    }
    let count = r.u32()?;
    let mut out = Vec::new();
    for _ in 0..count {
        let t_s = f64::from(r.u32()?) / 1000.0;
        let n = usize::from(r.u16()?);
        if t_s >= to_s {
            break;
        }
        if t_s < from_s {
            r.take(n * 10)?;
            continue;
        }
        let mut boxes = Vec::with_capacity(n);
        for _ in 0..n {
            let [x, y, w, h, label] = [r.u16()?, r.u16()?, r.u16()?, r.u16()?, r.u16()?];
            boxes.push(FaceBox {
                x: x.into(),
                y: y.into(),
                w: w.into(),
                h: h.into(),
                person: label.checked_sub(1).map(u32::from),
            });
        }
        out.push(BoxFrame { t_s, boxes });
    }
    Ok(out)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], Unreadable> {
        let end = self
            .at
            .checked_add(n)
            .filter(|end| *end <= self.bytes.len());
        let end = end.ok_or(Unreadable("cut short"))?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn u16(&mut self) -> Result<u16, Unreadable> {
        Ok(u16::from_le_bytes([self.take(1)?[0], self.take(1)?[0]]))
    }

    fn u32(&mut self) -> Result<u32, Unreadable> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(t_s: f64, x: f32) -> TimedBox {
        TimedBox {
            t_s,
            x,
            y: 20.4,
            w: 40.6,
            h: 50.0,
        }
    }

    #[test]
    fn boxes_round_trip_with_their_people_and_windows() {
        let all = [
            at(0.04, 10.0),
            at(0.04, 300.0),
            at(0.08, 11.0),
            at(2.5, 12.0),
        ];
        let person = |boxes: Vec<TimedBox>| Person {
            appearances: Vec::new(),
            embedding: vision::Embedding::from_raw(vec![1.0]).unwrap(),
            face_count: boxes.len(),
            boxes,
            crop_jpeg: Vec::new(),
            episode_crops: Vec::new(),
        };
        let people = [person(vec![all[1]]), person(vec![all[0], all[2]])];
        let bytes = encode(&all, &people);
        assert_eq!(bytes.len(), HEADER + 3 * 6 + 4 * 10);
        let frames = decode_window(&bytes, 0.0, 1.0).unwrap();
        assert_eq!(frames.len(), 2);
        assert_eq!(frames[0].t_s, 0.04);
        let b = frames[0].boxes[0];
        assert_eq!((b.x, b.y, b.w, b.h, b.person), (10, 20, 41, 50, Some(1)));
        assert_eq!(frames[0].boxes[1].person, Some(0));
        assert_eq!(frames[1].boxes[0].person, Some(1));
        let later = decode_window(&bytes, 1.0, 10.0).unwrap();
        assert_eq!(later.len(), 1);
        assert_eq!(later[0].boxes[0].person, None);
        assert!(decode_window(&bytes[..bytes.len() - 1], 0.0, 10.0).is_err());
        assert!(decode_window(b"nope", 0.0, 1.0).is_err());
    }
}
