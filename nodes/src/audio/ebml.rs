//! Whether a Matroska/WebM file was cut off inside an element.
//!
//! A file written live (browser MediaRecorder, ffmpeg to a pipe) has a Segment and Clusters
//! of unknown size and no Duration, so nothing in it says how long it should be. Symphonia
//! reads such a file to its end without complaint when the cut falls inside a block's data
//! (it reports the short read as the end of the stream), so the decoder cannot tell a
//! truncated upload from a complete one. The EBML structure can: every element other than
//! those unknown-size masters declares its size, and the last one of a cut-off file claims
//! bytes that are not there. This walks the element headers only (one small read per
//! element, the payloads are skipped).

use std::io::{Read, Seek, SeekFrom};

/// An EBML variable-size integer: its length from the first byte's leading zeros (1–8).
fn vint_len(first: u8) -> Option<usize> {
    (first != 0).then(|| first.leading_zeros() as usize + 1)
}

/// `true` when the data ends inside an element header or before the end an element
/// declares; `false` when it ends on an element boundary, or when the bytes are not EBML
/// the walk can follow (the decoder's own checks then decide).
pub fn ends_inside_element<R: Read + Seek>(reader: &mut R, len: u64) -> bool {
    let mut pos = 0u64;
    let mut head = [0u8; 12];
    while pos < len {
        if reader.seek(SeekFrom::Start(pos)).is_err() {
            return false;
        }
        let avail = (len - pos).min(head.len() as u64) as usize;
        if reader.read_exact(&mut head[..avail]).is_err() {
            return false;
        }
        let Some(id_len) = vint_len(head[0]).filter(|&l| l <= 4) else {
            return false;
        };
        if id_len >= avail {
            return true; // cut inside the ID or before the size
        }
        let Some(size_len) = vint_len(head[id_len]) else {
            return false;
        };
        if id_len + size_len > avail {
            return true; // cut inside the size
        }
        let raw = &head[id_len..id_len + size_len];
        // The first byte's bits after its length marker (none for an 8-byte size).
        let mask = 0xFFu8.checked_shr(size_len as u32).unwrap_or(0);
        let mut size = u64::from(raw[0] & mask);
        let mut unknown = size == u64::from(mask);
        for &b in &raw[1..] {
            size = (size << 8) | u64::from(b);
            unknown &= b == 0xFF;
        }
        let data = pos + (id_len + size_len) as u64;
        if unknown {
            // A master of unknown size (live Segment or Cluster): its children follow.
            pos = data;
            continue;
        }
        let Some(end) = data.checked_add(size) else {
            return false;
        };
        if end > len {
            return true;
        }
        pos = end;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// EBML header, a live Segment and Cluster (unknown size), a Timecode and two
    /// SimpleBlocks of 5 payload bytes each.
    fn live_file() -> Vec<u8> {
        let mut d = vec![0x1A, 0x45, 0xDF, 0xA3, 0x83, 1, 2, 3]; // EBML header, 3 bytes
        d.extend([
            0x18, 0x53, 0x80, 0x67, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        ]);
        d.extend([0x1F, 0x43, 0xB6, 0x75, 0xFF]); // Cluster, 1-byte unknown size
        d.extend([0xE7, 0x81, 0x00]); // Timecode 0
        for _ in 0..2 {
            d.extend([0xA3, 0x85, 0x81, 0, 0, 0x80, 0xFC]); // SimpleBlock, 5 bytes
        }
        d
    }

    fn cut(d: &[u8], n: usize) -> bool {
        ends_inside_element(&mut Cursor::new(&d[..n]), n as u64)
    }

    #[test]
    fn a_whole_live_file_is_complete() {
        let d = live_file();
        assert!(!cut(&d, d.len()));
    }

    #[test]
    fn every_cut_inside_an_element_is_found() {
        let d = live_file();
        // Element boundaries: after the EBML header (8), the Segment and Cluster headers
        // (20, 25: children follow), the Timecode (28) and the first block (35).
        let boundaries = [8, 20, 25, 28, 35];
        for n in 1..d.len() {
            assert_eq!(cut(&d, n), !boundaries.contains(&n), "cut at {n}");
        }
    }

    #[test]
    fn a_known_size_segment_longer_than_the_data_is_cut() {
        let mut d = vec![0x1A, 0x45, 0xDF, 0xA3, 0x80];
        d.extend([0x18, 0x53, 0x80, 0x67, 0x88]); // Segment of 8 bytes
        d.extend([0xEC, 0x82, 0, 0]); // a Void element, 4 of the 8
        assert!(cut(&d, d.len()));
        d.extend([0xEC, 0x82, 0, 0]);
        assert!(!cut(&d, d.len()));
    }

    #[test]
    fn bytes_that_are_not_ebml_are_left_to_the_decoder() {
        assert!(!cut(&[0u8; 64], 64));
    }
}
