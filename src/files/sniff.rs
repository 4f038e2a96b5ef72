//! What an upload is, from its first bytes (never from its name or the client's
//! `Content-Type`). Only audio containers the speech nodes can read are accepted.

/// How many leading bytes [`sniff`] looks at (enough for the WebM doctype).
pub const SNIFF_LEN: usize = 64;

/// The content type of `head` (the first [`SNIFF_LEN`] bytes, or the whole file if shorter),
/// or `None` when it is not a supported audio format.
pub fn sniff(head: &[u8]) -> Option<&'static str> {
    let at = |offset: usize, magic: &[u8]| head.get(offset..offset + magic.len()) == Some(magic);
    if (at(0, b"RIFF") || at(0, b"RF64")) && at(8, b"WAVE") {
        return Some("audio/wav");
    }
    if at(0, b"fLaC") {
        return Some("audio/flac");
    }
    if at(0, b"OggS") {
        return Some("audio/ogg");
    }
    if at(0, b"FORM") && (at(8, b"AIFF") || at(8, b"AIFC")) {
        return Some("audio/aiff");
    }
    if at(4, b"ftyp") {
        return Some("audio/mp4");
    }
    if at(0, &[0x1A, 0x45, 0xDF, 0xA3]) {
        let webm = head.windows(4).any(|w| w == b"webm");
        return Some(if webm {
            "audio/webm"
        } else {
            "audio/x-matroska"
        });
    }
    if at(0, b"ID3") || is_mpeg_audio_frame(head) {
        return Some("audio/mpeg");
    }
    None
}

/// An MPEG audio frame header (MP1/2/3): 11 sync bits, a valid version, a layer (not the
/// `00` that ADTS AAC uses), a bitrate index other than "bad" and a valid sample rate.
fn is_mpeg_audio_frame(head: &[u8]) -> bool {
    let [b0, b1, b2, ..] = head else {
        return false;
    };
    let sync = *b0 == 0xFF && (b1 & 0xE0) == 0xE0;
    let version_ok = (b1 >> 3) & 0b11 != 0b01;
    let layer_ok = (b1 >> 1) & 0b11 != 0b00;
    let bitrate_ok = (b2 >> 4) != 0b1111;
    let rate_ok = (b2 >> 2) & 0b11 != 0b11;
    sync && version_ok && layer_ok && bitrate_ok && rate_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audio_containers_are_recognised() {
        let mut wav = b"RIFF\x24\x00\x00\x00WAVEfmt ".to_vec();
        wav.resize(44, 0);
        assert_eq!(sniff(&wav), Some("audio/wav"));
        assert_eq!(sniff(b"fLaC\x00\x00\x00\x22"), Some("audio/flac"));
        assert_eq!(sniff(b"OggS\x00\x02"), Some("audio/ogg"));
        assert_eq!(sniff(b"FORM\x00\x00\x10\x00AIFFCOMM"), Some("audio/aiff"));
        assert_eq!(sniff(b"\x00\x00\x00\x20ftypM4A \x00"), Some("audio/mp4"));
        assert_eq!(
            sniff(b"\x1A\x45\xDF\xA3\x9F\x42\x86\x81\x01\x42\x82\x84webm"),
            Some("audio/webm")
        );
        assert_eq!(
            sniff(b"\x1A\x45\xDF\xA3\x9F\x42\x82\x88matroska"),
            Some("audio/x-matroska")
        );
        assert_eq!(sniff(b"ID3\x04\x00\x00"), Some("audio/mpeg"));
        // MPEG-1 Layer III, 128 kbit/s, 44.1 kHz.
        assert_eq!(sniff(&[0xFF, 0xFB, 0x90, 0x64]), Some("audio/mpeg"));
    }

    #[test]
    fn everything_else_is_refused() {
        let refused: &[&[u8]] = &[
            b"\x7FELF\x02\x01\x01\x00",      // ELF executable
            b"MZ\x90\x00\x03\x00\x00\x00",   // PE executable
            b"#!/bin/sh\nrm -rf /\n",        // shell script
            b"PK\x03\x04\x14\x00\x00\x00",   // zip
            b"%PDF-1.7\n",                   // PDF
            b"RIFF\x24\x00\x00\x00AVI LIST", // RIFF, but video
            b"FORM\x00\x00\x10\x008SVX",     // IFF, not AIFF
            &[0xFF, 0xF1, 0x50, 0x80],       // ADTS AAC (layer 00)
            &[0xFF, 0xFB, 0xF0, 0x64],       // MPEG frame with the "bad" bitrate index
            b"RIFF",                         // truncated
            b"",
        ];
        for bytes in refused {
            assert_eq!(sniff(bytes), None, "{bytes:?}");
        }
    }
}
