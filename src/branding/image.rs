//! What an uploaded logo or favicon is, from its bytes (never from its name or the
//! client's `Content-Type`), and how large it claims to be.
//!
//! PNG, JPEG and WebP are recognised by their magic bytes, and their width and height read
//! from their headers (PNG `IHDR`, the JPEG `SOFn` segment, the WebP `VP8 `/`VP8L`/`VP8X`
//! chunk); nothing is decoded. SVG is recognised only to be refused with a reason: an SVG
//! document can carry scripts, event handlers, external references and CSS that reach
//! out, and a sanitiser has to get every one of those right, forever; a raster format has
//! none of them.

/// A recognised raster image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageInfo {
    pub content_type: &'static str,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageError {
    /// An SVG document (refused, see the module docs).
    Svg,
    /// Not PNG, JPEG or WebP.
    NotImage,
    /// The magic bytes match, but the header with the dimensions is cut or malformed.
    BadHeader(&'static str),
}

/// The file extension the public asset URL uses for a content type.
pub fn extension(content_type: &str) -> &'static str {
    match content_type {
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/webp" => "webp",
        _ => "bin",
    }
}

/// The content type of a public asset URL's extension.
pub fn content_type_of_extension(ext: &str) -> Option<&'static str> {
    match ext {
        "png" => Some("image/png"),
        "jpg" => Some("image/jpeg"),
        "webp" => Some("image/webp"),
        _ => None,
    }
}

fn be16(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_be_bytes(
        b.get(at..at + 2)?.try_into().ok()?,
    )))
}

fn le16(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_le_bytes(
        b.get(at..at + 2)?.try_into().ok()?,
    )))
}

fn le24(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 3)?;
    Some(u32::from(s[0]) | (u32::from(s[1]) << 8) | (u32::from(s[2]) << 16))
}

/// Recognises `bytes` (the whole file) and reads its dimensions.
pub fn inspect(bytes: &[u8]) -> Result<ImageInfo, ImageError> {
    let at = |offset: usize, magic: &[u8]| bytes.get(offset..offset + magic.len()) == Some(magic);
    let info = if at(0, b"\x89PNG\r\n\x1a\n") {
        png(bytes)?
    } else if at(0, &[0xFF, 0xD8, 0xFF]) {
        jpeg(bytes)?
    } else if at(0, b"RIFF") && at(8, b"WEBP") {
        webp(bytes)?
    } else if is_svg(bytes) {
        return Err(ImageError::Svg);
    } else {
        return Err(ImageError::NotImage);
    };
    if info.width == 0 || info.height == 0 {
        return Err(ImageError::BadHeader("the image has no width or height"));
    }
    Ok(info)
}

fn png(b: &[u8]) -> Result<ImageInfo, ImageError> {
    const BAD: ImageError = ImageError::BadHeader("the PNG has no readable IHDR chunk");
    if b.get(12..16) != Some(b"IHDR") {
        return Err(BAD);
    }
    let w = b.get(16..20).ok_or(BAD)?;
    let h = b.get(20..24).ok_or(BAD)?;
    Ok(ImageInfo {
        content_type: "image/png",
        width: u32::from_be_bytes(w.try_into().map_err(|_| BAD)?),
        height: u32::from_be_bytes(h.try_into().map_err(|_| BAD)?),
    })
}

/// Walks the JPEG's segments up to the first start-of-frame (baseline, progressive,
/// lossless or arithmetic: `SOF0`–`SOF15` but `DHT`, `JPG` and `DAC`).
fn jpeg(b: &[u8]) -> Result<ImageInfo, ImageError> {
    const BAD: ImageError = ImageError::BadHeader("the JPEG has no readable frame header");
    let mut i = 2;
    loop {
        if *b.get(i).ok_or(BAD)? != 0xFF {
            return Err(BAD);
        }
        while b.get(i) == Some(&0xFF) {
            i += 1;
        }
        let marker = *b.get(i).ok_or(BAD)?;
        i += 1;
        match marker {
            // Markers without a length.
            0x01 | 0xD0..=0xD8 => continue,
            // End of image or start of scan before any frame header.
            0xD9 | 0xDA => return Err(BAD),
            _ => {}
        }
        let len = be16(b, i).ok_or(BAD)? as usize;
        if len < 2 {
            return Err(BAD);
        }
        if matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            // length(2) precision(1) height(2) width(2)
            let height = be16(b, i + 3).ok_or(BAD)?;
            let width = be16(b, i + 5).ok_or(BAD)?;
            return Ok(ImageInfo {
                content_type: "image/jpeg",
                width,
                height,
            });
        }
        i += len;
    }
}

fn webp(b: &[u8]) -> Result<ImageInfo, ImageError> {
    const BAD: ImageError = ImageError::BadHeader("the WebP has no readable VP8/VP8L/VP8X chunk");
    let chunk = b.get(12..16).ok_or(BAD)?;
    let (width, height) = match chunk {
        b"VP8 " => {
            // Frame tag (3 bytes), start code 9D 01 2A, then 14-bit width and height.
            if b.get(23..26) != Some(&[0x9D, 0x01, 0x2A]) {
                return Err(BAD);
            }
            (
                le16(b, 26).ok_or(BAD)? & 0x3FFF,
                le16(b, 28).ok_or(BAD)? & 0x3FFF,
            )
        }
        b"VP8L" => {
            if b.get(20) != Some(&0x2F) {
                return Err(BAD);
            }
            let bits = u32::from_le_bytes(b.get(21..25).ok_or(BAD)?.try_into().map_err(|_| BAD)?);
            ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
        }
        b"VP8X" => (le24(b, 24).ok_or(BAD)? + 1, le24(b, 27).ok_or(BAD)? + 1),
        _ => return Err(BAD),
    };
    Ok(ImageInfo {
        content_type: "image/webp",
        width,
        height,
    })
}

/// An SVG document (plain or with an XML prolog), judged from its first kilobyte.
fn is_svg(b: &[u8]) -> bool {
    let head = &b[..b.len().min(1024)];
    let text = String::from_utf8_lossy(head).to_lowercase();
    let text = text.trim_start_matches('\u{feff}').trim_start();
    text.starts_with("<svg")
        || ((text.starts_with("<?xml")
            || text.starts_with("<!--")
            || text.starts_with("<!doctype"))
            && text.contains("<svg"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_of(w: u32, h: u32) -> Vec<u8> {
        let mut v = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        v.extend_from_slice(&w.to_be_bytes());
        v.extend_from_slice(&h.to_be_bytes());
        v.extend_from_slice(&[8, 6, 0, 0, 0]);
        v
    }

    #[test]
    fn png_dimensions() {
        assert_eq!(
            inspect(&png_of(640, 480)),
            Ok(ImageInfo {
                content_type: "image/png",
                width: 640,
                height: 480
            })
        );
        assert!(matches!(
            inspect(&png_of(640, 480)[..20]),
            Err(ImageError::BadHeader(_))
        ));
        assert!(matches!(
            inspect(&png_of(0, 10)),
            Err(ImageError::BadHeader(_))
        ));
    }

    #[test]
    fn jpeg_dimensions_after_other_segments() {
        // SOI, APP0 (JFIF, 16 bytes), DQT stub (4 bytes), SOF0 300×200.
        let mut v = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
        v.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        v.extend_from_slice(&[0xFF, 0xDB, 0x00, 0x04, 0x00, 0x00]);
        v.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0xC8, 0x01, 0x2C, 0x03]);
        assert_eq!(
            inspect(&v),
            Ok(ImageInfo {
                content_type: "image/jpeg",
                width: 300,
                height: 200
            })
        );
        assert!(matches!(
            inspect(&[0xFF, 0xD8, 0xFF, 0xDA, 0, 2]),
            Err(ImageError::BadHeader(_))
        ));
    }

    #[test]
    fn webp_dimensions_of_each_kind() {
        let riff = |chunk: &[u8], body: &[u8]| {
            let mut v = b"RIFF\0\0\0\0WEBP".to_vec();
            v.extend_from_slice(chunk);
            v.extend_from_slice(&(body.len() as u32).to_le_bytes());
            v.extend_from_slice(body);
            v
        };
        // VP8X: flags + reserved, then width-1 and height-1 as 24-bit values.
        let x = riff(b"VP8X", &[0, 0, 0, 0, 0xFF, 0x01, 0, 0x7F, 0, 0]);
        assert_eq!(inspect(&x).map(|i| (i.width, i.height)), Ok((512, 128)));
        // VP8L: signature, then 14 bits width-1, 14 bits height-1.
        let bits: u32 = 99 | (49 << 14);
        let mut l = vec![0x2F];
        l.extend_from_slice(&bits.to_le_bytes());
        assert_eq!(
            inspect(&riff(b"VP8L", &l)).map(|i| (i.width, i.height)),
            Ok((100, 50))
        );
        // VP8: frame tag, start code, 14-bit width and height.
        let k = riff(
            b"VP8 ",
            &[0, 0, 0, 0x9D, 0x01, 0x2A, 0x40, 0x01, 0xF0, 0x00],
        );
        assert_eq!(inspect(&k).map(|i| (i.width, i.height)), Ok((320, 240)));
    }

    #[test]
    fn svg_and_text_are_refused() {
        assert_eq!(
            inspect(b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            Err(ImageError::Svg)
        );
        assert_eq!(inspect(b"  <SVG onload=alert(1)>"), Err(ImageError::Svg));
        assert_eq!(
            inspect(b"hello, I am a text file"),
            Err(ImageError::NotImage)
        );
        assert_eq!(inspect(b""), Err(ImageError::NotImage));
        assert_eq!(extension("image/jpeg"), "jpg");
        assert_eq!(content_type_of_extension("webp"), Some("image/webp"));
    }
}
