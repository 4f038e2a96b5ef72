//! Whether an MP4/M4A file's sample tables fit in their boxes.
//!
//! symphonia-format-isomp4 0.5.5 reserves `Vec::with_capacity(count)` for the entries of
//! `stts`, `stsc`, `stsz`, `stco` and `co64` before it reads any, whatever the box's size:
//! a corrupt count (0x7FFFFFFF `stsc` entries → 34 GB) aborts the process. A table whose
//! entries do not fit in its box fails in symphonia anyway (it reads past the box and then
//! reports an overread, or hits the end of the data), so refusing it first only turns the
//! abort into an error. This walks the box headers down `moov/trak/mdia/minf/stbl` (the
//! path symphonia reads the tables from) with small reads; payloads (`mdat`) are skipped.

use std::io::{BufReader, Read, Seek, SeekFrom};

/// How far symphonia's probe looks for a format marker (`Probe::PROBE_SEARCH_LIMIT`).
const PROBE_SEARCH_LIMIT: u64 = 1024 * 1024;

/// The boxes, from the top, that lead to the sample tables.
const PATH: [&[u8; 4]; 5] = [b"moov", b"trak", b"mdia", b"minf", b"stbl"];

/// Reads at absolute offsets through a small buffer (most box headers follow each other
/// closely), never past `len`. Shared with the FLAC check.
pub(super) struct At<R: Read + Seek> {
    r: BufReader<R>,
    pos: u64,
    len: u64,
}

impl<R: Read + Seek> At<R> {
    pub(super) fn new(reader: R, len: u64) -> Option<Self> {
        let mut r = BufReader::with_capacity(1024, reader);
        r.seek(SeekFrom::Start(0)).ok()?;
        Some(Self { r, pos: 0, len })
    }

    /// Fills `buf` from offset `at`; `false` when the data ends first or a read fails.
    pub(super) fn read(&mut self, at: u64, buf: &mut [u8]) -> bool {
        if at
            .checked_add(buf.len() as u64)
            .is_none_or(|end| end > self.len)
        {
            return false;
        }
        // `seek_relative` keeps the buffer when the target is inside it.
        let Ok(delta) = i64::try_from(i128::from(at) - i128::from(self.pos)) else {
            return false;
        };
        if self.r.seek_relative(delta).is_err() || self.r.read_exact(buf).is_err() {
            // Where the inner reader stands is unknown now: start over next time.
            self.pos = 0;
            let _ = self.r.seek(SeekFrom::Start(0));
            return false;
        }
        self.pos = at + buf.len() as u64;
        true
    }
}

/// Where symphonia would start reading boxes: 4 bytes before the first `ftyp` marker it
/// finds (its probe scans up to 1 MiB, after any ID3v2 tag); `None` when the data starts
/// with another format's marker (symphonia picks that one) or has no `ftyp` in reach.
pub fn box_start<R: Read + Seek>(reader: R, len: u64) -> Option<u64> {
    let mut at = At::new(reader, len)?;
    let mut from = 0u64;
    let mut head = [0u8; 10];
    // ID3v2 tags are read as metadata and the scan resumes after them.
    while at.read(from, &mut head) && head.starts_with(b"ID3") {
        let size = head[6..10]
            .iter()
            .fold(0u64, |v, &b| (v << 7) | u64::from(b & 0x7F));
        let footer = if head[5] & 0x10 != 0 { 10 } else { 0 };
        from += 10 + size + footer;
    }
    let mut magic = [0u8; 4];
    if at.read(from, &mut magic) {
        let other = matches!(&magic, b"RIFF" | b"FORM" | b"fLaC" | b"OggS")
            || magic == [0x1A, 0x45, 0xDF, 0xA3]
            || (magic[0] == 0xFF && magic[1] & 0xE0 == 0xE0); // an MPEG audio frame sync
        if other {
            return None;
        }
    }
    let window = (len.saturating_sub(from)).min(PROBE_SEARCH_LIMIT + 16) as usize;
    let mut buf = vec![0u8; window];
    if !at.read(from, &mut buf) {
        return None;
    }
    buf.windows(4)
        .skip(4)
        .position(|w| w == b"ftyp")
        .map(|i| from + i as u64)
}

/// `Err` (what is wrong) when a sample table in the boxes from `start` declares more
/// entries than its box holds; `Ok` when they all fit, or when the boxes cannot be
/// followed (symphonia's own checks then decide).
pub fn check_sample_tables<R: Read + Seek>(reader: R, start: u64, len: u64) -> Result<(), String> {
    match At::new(reader, len) {
        Some(mut at) => walk(&mut at, start, len, 0),
        None => Ok(()),
    }
}

/// The boxes in `from..to`, `depth` levels down [`PATH`].
fn walk<R: Read + Seek>(at: &mut At<R>, from: u64, to: u64, depth: usize) -> Result<(), String> {
    let mut pos = from;
    let mut head = [0u8; 16];
    while pos.saturating_add(8) <= to {
        if !at.read(pos, &mut head[..8]) {
            return Ok(());
        }
        let kind: [u8; 4] = head[4..8].try_into().unwrap_or_default();
        let (header, size) = match u32::from_be_bytes(head[..4].try_into().unwrap_or_default()) {
            0 => (8, to - pos), // to the end of its parent (of the data at the top)
            1 => {
                if !at.read(pos + 8, &mut head[8..16]) {
                    return Ok(());
                }
                let large = u64::from_be_bytes(head[8..16].try_into().unwrap_or_default());
                if large < 16 {
                    return Ok(()); // symphonia refuses it
                }
                (16, large)
            }
            n if n < 8 => return Ok(()),
            n => (8, u64::from(n)),
        };
        // Never past the parent or the data, whatever the box claims.
        let end = pos.saturating_add(size).min(to);
        let body = pos + header;
        if depth < PATH.len() {
            if &kind == PATH[depth] {
                walk(at, body, end, depth + 1)?;
            }
        } else {
            check_table(at, &kind, body, end)?;
        }
        pos = pos.saturating_add(size);
    }
    Ok(())
}

/// One box inside `stbl`, its payload at `body..end`.
fn check_table<R: Read + Seek>(
    at: &mut At<R>,
    kind: &[u8; 4],
    body: u64,
    end: u64,
) -> Result<(), String> {
    // (offset of the count in the payload, bytes per entry); each full box starts with a
    // version and flags.
    let (count_at, entry) = match kind {
        b"stts" => (4, 8),
        b"stsc" => (4, 12),
        b"stco" => (4, 4),
        b"co64" => (4, 8),
        b"stsz" => (8, 4),
        _ => return Ok(()),
    };
    // symphonia reads these fields even when the box is too short for them (from what
    // follows), so they are read from the data, not the box.
    let mut field = [0u8; 12];
    if !at.read(body, &mut field[..count_at + 4]) {
        return Ok(());
    }
    if kind == b"stsz" && field[4..8] != [0; 4] {
        return Ok(()); // one size for every sample: no table
    }
    let count = u32::from_be_bytes(field[count_at..count_at + 4].try_into().unwrap_or_default());
    let need = u64::from(count) * entry;
    let room = end.saturating_sub(body + count_at as u64 + 4);
    if need > room {
        return Err(format!(
            "its '{}' box declares {count} entries ({need} bytes) but holds {room} bytes",
            String::from_utf8_lossy(kind)
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn boxed(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
        let mut b = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
        b.extend_from_slice(kind);
        b.extend_from_slice(payload);
        b
    }

    /// A full box with a count and `entries` entries of `entry` bytes.
    fn table(kind: &[u8; 4], count: u32, entries: usize, entry: usize) -> Vec<u8> {
        let mut p = vec![0, 0, 0, 0];
        if kind == b"stsz" {
            p.extend(0u32.to_be_bytes()); // sample size 0: a table follows
        }
        p.extend(count.to_be_bytes());
        p.extend(vec![7u8; entries * entry]);
        boxed(kind, &p)
    }

    /// ftyp, a moov whose stbl holds `tables`, then an mdat.
    fn file(tables: &[Vec<u8>]) -> Vec<u8> {
        let stbl = boxed(b"stbl", &tables.concat());
        let minf = boxed(b"minf", &stbl);
        let mdia = boxed(b"mdia", &[boxed(b"mdhd", &[0; 24]), minf].concat());
        let trak = boxed(b"trak", &mdia);
        let moov = boxed(b"moov", &trak);
        [
            boxed(b"ftyp", b"M4A \0\0\0\0"),
            moov,
            boxed(b"mdat", &[1; 100]),
        ]
        .concat()
    }

    fn check(d: &[u8]) -> Result<(), String> {
        let start = box_start(Cursor::new(d), d.len() as u64).expect("an MP4 start");
        check_sample_tables(Cursor::new(d), start, d.len() as u64)
    }

    fn good_tables() -> Vec<Vec<u8>> {
        vec![
            table(b"stts", 1, 1, 8),
            table(b"stsc", 2, 2, 12),
            table(b"stsz", 3, 3, 4),
            table(b"stco", 2, 2, 4),
        ]
    }

    #[test]
    fn tables_that_fit_pass() {
        assert_eq!(check(&file(&good_tables())), Ok(()));
        let co64 = [good_tables(), vec![table(b"co64", 2, 2, 8)]].concat();
        assert_eq!(check(&file(&co64)), Ok(()));
    }

    #[test]
    fn every_table_with_a_huge_count_is_refused() {
        for (i, (kind, entry)) in [(b"stts", 8), (b"stsc", 12), (b"stsz", 4), (b"stco", 4)]
            .into_iter()
            .enumerate()
        {
            let mut tables = good_tables();
            tables[i] = table(kind, 0x7FFF_FFFF, 2, entry);
            let e = check(&file(&tables)).unwrap_err();
            assert!(
                e.contains(&String::from_utf8_lossy(kind).into_owned()),
                "{e}"
            );
            // One entry more than the box holds is refused too.
            tables[i] = table(kind, 3, 2, entry);
            assert!(
                check(&file(&tables)).is_err(),
                "{}",
                String::from_utf8_lossy(kind)
            );
        }
        let e = check(&file(&[table(b"co64", u32::MAX, 1, 8)])).unwrap_err();
        assert!(e.contains("co64"), "{e}");
    }

    #[test]
    fn a_constant_sample_size_has_no_table() {
        let mut p = vec![0, 0, 0, 0];
        p.extend(417u32.to_be_bytes());
        p.extend(u32::MAX.to_be_bytes());
        assert_eq!(check(&file(&[boxed(b"stsz", &p)])), Ok(()));
    }

    #[test]
    fn a_box_too_short_for_its_count_reads_what_follows() {
        // An 'stco' of 12 bytes: its count is the next box's size field (24).
        let mut stco = boxed(b"stco", &[0, 0, 0, 0]);
        stco.extend(table(b"stts", 1, 1, 8));
        assert!(check(&file(&[stco])).is_err());
    }

    #[test]
    fn sizes_past_the_data_are_not_trusted() {
        // A file cut inside the stsz table: only what is there counts.
        let d = file(&good_tables());
        let stsz = d.windows(4).position(|w| w == b"stsz").unwrap();
        let cut = &d[..stsz + 4 + 12 + 6];
        assert!(check(cut).is_err());
        // A moov claiming more than there is, its tables complete: fine.
        let mut d = file(&good_tables());
        let moov = d.windows(4).position(|w| w == b"moov").unwrap() - 4;
        d[moov..moov + 4].copy_from_slice(&u32::MAX.to_be_bytes());
        assert_eq!(check(&d), Ok(()));
    }

    #[test]
    fn large_and_to_the_end_sizes_are_followed() {
        let d = file(&[table(b"stsc", 0x7F7F_7F7F, 1, 12)]);
        let moov = d.windows(4).position(|w| w == b"moov").unwrap() - 4;
        // The same moov with a 64-bit size, then with size 0 (to the end of the file).
        let mut large = d[..moov].to_vec();
        large.extend(1u32.to_be_bytes());
        large.extend(b"moov");
        let moov_len = u32::from_be_bytes(d[moov..moov + 4].try_into().unwrap()) as u64;
        large.extend((moov_len + 8).to_be_bytes());
        large.extend(&d[moov + 8..]);
        assert!(check(&large).unwrap_err().contains("stsc"));
        let mut zero = d.clone();
        zero[moov..moov + 4].copy_from_slice(&0u32.to_be_bytes());
        assert!(check(&zero).unwrap_err().contains("stsc"));
        // A 64-bit size under 16 stops the walk (symphonia refuses it itself).
        let mut bad = d[..moov].to_vec();
        bad.extend(1u32.to_be_bytes());
        bad.extend(b"moov");
        bad.extend(8u64.to_be_bytes());
        bad.extend(&d[moov + 8..]);
        assert_eq!(check(&bad), Ok(()));
    }

    #[test]
    fn tables_outside_the_sample_table_path_are_ignored() {
        // An 'stsc' directly under moov is not read by symphonia.
        let bad = table(b"stsc", u32::MAX, 0, 12);
        let d = [boxed(b"ftyp", b"M4A \0\0\0\0"), boxed(b"moov", &bad)].concat();
        assert_eq!(check(&d), Ok(()));
    }

    #[test]
    fn the_start_is_found_as_symphonia_finds_it() {
        let d = file(&good_tables());
        assert_eq!(box_start(Cursor::new(&d), d.len() as u64), Some(0));
        let mut junk = vec![0u8; 100];
        junk.extend(&d);
        assert_eq!(box_start(Cursor::new(&junk), junk.len() as u64), Some(100));
        let mut id3 = b"ID3\x04\x00\x00\x00\x00\x00\x05abcde".to_vec();
        id3.extend(&d);
        assert_eq!(box_start(Cursor::new(&id3), id3.len() as u64), Some(15));
        let mut wav = b"RIFF".to_vec();
        wav.extend(&d);
        assert_eq!(box_start(Cursor::new(&wav), wav.len() as u64), None);
        assert_eq!(box_start(Cursor::new(&[0u8; 64]), 64), None);
    }
}
