//! Whether a FLAC file's metadata blocks hold the strings they declare.
//!
//! symphonia 0.5 allocates a zeroed buffer of each length a Vorbis comment (`u32` LE) or a
//! picture (media type, description, data: `u32` BE) declares before it reads it, and only
//! then finds that the block is shorter: a corrupt length reserves up to 4 GiB per string,
//! which fails on a host that does not overcommit. Such a string never fits (symphonia reads
//! each block through a stream scoped to its declared length, and errors), so refusing it
//! first only turns the allocation into an error. Only the length fields are read.

use super::mp4::At;
use std::io::{Read, Seek};

/// `Err` (what is wrong) when a string in a VorbisComment or Picture block of the FLAC
/// stream (`fLaC` at offset 0) is longer than what is left of its block; `Ok` otherwise,
/// including when the blocks cannot be followed (symphonia's own checks then decide).
pub fn check_metadata<R: Read + Seek>(reader: R, len: u64) -> Result<(), String> {
    let Some(mut at) = At::new(reader, len) else {
        return Ok(());
    };
    let mut pos = 4u64; // after "fLaC"
    let mut head = [0u8; 4];
    while at.read(pos, &mut head) {
        let kind = head[0] & 0x7F;
        let block_len = u64::from(u32::from_be_bytes([0, head[1], head[2], head[3]]));
        let body = pos + 4;
        let mut block = Block {
            at: &mut at,
            cursor: body,
            // What symphonia may read of the block: its declared length, within the data.
            end: (body + block_len).min(len),
        };
        match kind {
            4 => block.vorbis_comment()?,
            6 => block.picture()?,
            _ => {}
        }
        if head[0] & 0x80 != 0 {
            break; // the last metadata block
        }
        pos = body + block_len;
    }
    Ok(())
}

/// A metadata block being read from `cursor` to `end`.
struct Block<'a, R: Read + Seek> {
    at: &'a mut At<R>,
    cursor: u64,
    end: u64,
}

impl<R: Read + Seek> Block<'_, R> {
    /// The `u32` at the cursor, which moves past it; `None` past the block.
    fn u32(&mut self, little_endian: bool) -> Option<u32> {
        let mut b = [0u8; 4];
        if self.cursor + 4 > self.end || !self.at.read(self.cursor, &mut b) {
            return None;
        }
        self.cursor += 4;
        Some(if little_endian {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    }

    /// A length-prefixed string: `Ok(true)` when it fits (the cursor moves past it),
    /// `Ok(false)` when the block ends before its length, `Err` when it is longer than the
    /// rest of the block.
    fn string(&mut self, what: &str, little_endian: bool) -> Result<bool, String> {
        let Some(n) = self.u32(little_endian) else {
            return Ok(false);
        };
        let room = self.end - self.cursor;
        if u64::from(n) > room {
            return Err(format!(
                "a FLAC metadata {what} declares {n} bytes but its block holds {room}"
            ));
        }
        self.cursor += u64::from(n);
        Ok(true)
    }

    fn vorbis_comment(&mut self) -> Result<(), String> {
        // The vendor string is skipped, not allocated, but it moves the comments.
        if !self.string("vendor string", true)? {
            return Ok(());
        }
        let Some(comments) = self.u32(true) else {
            return Ok(());
        };
        // Each comment takes at least its 4-byte length: this ends with the block.
        for _ in 0..comments {
            if !self.string("comment", true)? {
                break;
            }
        }
        Ok(())
    }

    fn picture(&mut self) -> Result<(), String> {
        if self.u32(false).is_none()
            || !self.string("picture media type", false)?
            || !self.string("picture description", false)?
        {
            return Ok(());
        }
        // Width, height, colour depth, palette size.
        for _ in 0..4 {
            if self.u32(false).is_none() {
                return Ok(());
            }
        }
        self.string("picture data", false).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn block(kind: u8, last: bool, payload: &[u8]) -> Vec<u8> {
        let n = payload.len() as u32;
        let mut b = vec![kind | if last { 0x80 } else { 0 }];
        b.extend(&n.to_be_bytes()[1..]);
        b.extend(payload);
        b
    }

    fn comments(lens: &[(u32, usize)]) -> Vec<u8> {
        let mut p = 3u32.to_le_bytes().to_vec();
        p.extend(b"abc");
        p.extend((lens.len() as u32).to_le_bytes());
        for &(declared, real) in lens {
            p.extend(declared.to_le_bytes());
            p.extend(vec![b'x'; real]);
        }
        p
    }

    fn picture(data_len: u32, real: usize) -> Vec<u8> {
        let mut p = 3u32.to_be_bytes().to_vec(); // front cover
        p.extend(9u32.to_be_bytes());
        p.extend(b"image/png");
        p.extend(0u32.to_be_bytes());
        p.extend([0u8; 16]);
        p.extend(data_len.to_be_bytes());
        p.extend(vec![0u8; real]);
        p
    }

    fn flac(blocks: &[Vec<u8>]) -> Vec<u8> {
        let mut d = b"fLaC".to_vec();
        d.extend(block(0, false, &[0; 34])); // STREAMINFO
        d.extend(blocks.concat());
        d.extend([0xFF, 0xF8, 0, 0]); // a frame follows
        d
    }

    fn check(d: &[u8]) -> Result<(), String> {
        check_metadata(Cursor::new(d), d.len() as u64)
    }

    #[test]
    fn strings_that_fit_pass() {
        let d = flac(&[
            block(4, false, &comments(&[(5, 5), (0, 0), (2, 2)])),
            block(6, false, &picture(10, 10)),
            block(1, true, &[0; 100]), // padding
        ]);
        assert_eq!(check(&d), Ok(()));
    }

    #[test]
    fn a_comment_longer_than_its_block_is_refused() {
        let d = flac(&[block(4, true, &comments(&[(5, 5), (0xFFFF_FFFF, 4)]))]);
        assert!(check(&d).unwrap_err().contains("comment"));
        // One byte more than there is.
        let d = flac(&[block(4, true, &comments(&[(6, 5)]))]);
        assert!(check(&d).is_err());
    }

    #[test]
    fn a_picture_longer_than_its_block_is_refused() {
        let d = flac(&[block(6, true, &picture(0x7F7F_7F7F, 10))]);
        assert!(check(&d).unwrap_err().contains("picture data"));
    }

    #[test]
    fn a_block_cut_by_the_end_of_the_data_holds_only_what_is_there() {
        let d = flac(&[block(4, true, &comments(&[(100, 100)]))]);
        let cut = &d[..d.len() - 60];
        assert!(check(cut).is_err());
    }

    #[test]
    fn blocks_after_the_last_are_not_read() {
        let mut d = flac(&[block(1, true, &[0; 8])]);
        d.extend(block(4, true, &comments(&[(0xFFFF_FFFF, 0)])));
        assert_eq!(check(&d), Ok(()));
    }
}
