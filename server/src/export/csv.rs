//! CSV per RFC 4180 (CRLF line ends, quotes only where needed), opened by a UTF-8 byte
//! order mark so spreadsheets read Cyrillic right, with text cells guarded against
//! formula injection.

use super::rows::{Cell, Record};
use bytes::Bytes;

/// UTF-8 byte order mark: without it Excel reads a CSV file in the local 8-bit code page.
pub const BOM: &str = "\u{feff}";

/// The first bytes of a file: the byte order mark and the header line.
pub fn start<R: Record>() -> Bytes {
    let mut out = BOM.as_bytes().to_vec();
    out.extend_from_slice(&lines(std::iter::once(
        R::COLUMNS.iter().map(|c| c.to_string()).collect(),
    )));
    Bytes::from(out)
}

/// The lines of some rows.
pub fn rows<R: Record>(rows: &[R]) -> Bytes {
    Bytes::from(lines(rows.iter().map(|row| {
        row.cells().into_iter().map(cell_text).collect::<Vec<_>>()
    })))
}

fn lines(records: impl Iterator<Item = Vec<String>>) -> Vec<u8> {
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for record in records {
        // Writing into memory cannot fail, and every record has the same field count.
        writer
            .write_record(&record)
            .expect("a CSV record is written into memory");
    }
    writer.into_inner().unwrap_or_default()
}

/// The text of one cell. Numbers and flags are written as they are (a negative number
/// stays a number); text is guarded by [`defuse`].
fn cell_text(cell: Cell<'_>) -> String {
    match cell {
        Cell::Text(text) => text.map(defuse).unwrap_or_default(),
        Cell::Int(n) => n.map(|n| n.to_string()).unwrap_or_default(),
        Cell::Float(x) => x
            .filter(|x| x.is_finite())
            .map(|x| x.to_string())
            .unwrap_or_default(),
        Cell::Flag(flag) => flag.to_string(),
    }
}

/// Text a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or
/// a carriage return) gets a leading `'`, which spreadsheets show as text (OWASP's advice
/// for CSV injection). Everything else is kept byte for byte.
pub fn defuse(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::export::rows::VideoRecord;

    /// A video with a formula in its file name and a line break in its error.
    pub(in crate::export) fn sample_video() -> VideoRecord {
        VideoRecord {
            id: "v1".into(),
            filename: "=cmd|' /C calc'!A0, \"x\".mp4".into(),
            status: "done".into(),
            uploaded_at: "2026-01-02T03:04:05.000000Z".into(),
            finished_at: None,
            duration_s: Some(12.5),
            fps: None,
            width: Some(640),
            height: Some(480),
            frames_total: Some(300),
            frames_processed: 300,
            faces_total: 7,
            max_faces_in_frame: 2,
            frames_with_faces: 5,
            people_count: Some(1),
            processing_fps: Some(99.0),
            size_bytes: 1024,
            error: Some("line one\nline two".into()),
        }
    }

    #[test]
    fn formulas_in_text_are_defused_and_other_text_is_kept() {
        for (text, written) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1", "'+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("Иванов Иван Иванович", "Иванов Иван Иванович"),
            ("a=b", "a=b"),
            ("'quoted", "'quoted"),
            ("", ""),
        ] {
            assert_eq!(defuse(text), written, "{text:?}");
        }
    }

    #[test]
    fn numbers_stay_numbers_and_rows_follow_rfc_4180() {
        assert_eq!(cell_text(Cell::Int(Some(-5))), "-5");
        assert_eq!(cell_text(Cell::Float(Some(-0.5))), "-0.5");
        assert_eq!(cell_text(Cell::Float(Some(f64::NAN))), "");
        assert_eq!(cell_text(Cell::Int(None)), "");
        let video = sample_video();
        let text = String::from_utf8(rows(&[video]).to_vec()).unwrap();
        assert_eq!(
            text,
            "v1,\"'=cmd|' /C calc'!A0, \"\"x\"\".mp4\",done,2026-01-02T03:04:05.000000Z,,12.5,,\
             640,480,300,300,7,2,5,1,99,1024,\"line one\nline two\"\r\n"
        );
        let head = start::<VideoRecord>();
        assert!(head.starts_with(BOM.as_bytes()));
        assert!(head.ends_with(b"size_bytes,error\r\n"));
    }
}
