//! Decode WAV, MP3, FLAC, OGG/Vorbis and M4A/AAC (also ALAC, AIFF, MKV/WebM-Vorbis) with
//! `symphonia`, downmix to mono and resample to 16 kHz f32, streaming packet by packet so
//! only the 16 kHz output grows (≈ 230 MB for one hour).
//!
//! Opus is **not** supported: symphonia has no Opus decoder. Opus input is refused with
//! `UnsupportedFormat` saying so.

use super::resample::StreamResampler;
use crate::error::{NodeError, NodeErrorKind};
use crate::progress::CancelToken;
use crate::types::{AudioBuffer, AudioInfo, FileContent, FileValue, TARGET_SAMPLE_RATE};
use std::fs::File;
use std::io::Cursor;
use std::path::Path;
use symphonia::core::audio::SampleBuffer;
use symphonia::core::codecs::{DecoderOptions, CODEC_TYPE_NULL, CODEC_TYPE_OPUS};
use symphonia::core::errors::Error as SymError;
use symphonia::core::formats::FormatOptions;
use symphonia::core::io::{MediaSource, MediaSourceStream};
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;

/// Limits applied before and during decoding.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DecodeLimits {
    /// Refuse inputs larger than this many bytes (before decoding anything).
    pub max_bytes: u64,
    /// Refuse audio longer than this: as soon as the header says so, or as soon as the
    /// decoded length passes it.
    pub max_duration_secs: f64,
}

impl Default for DecodeLimits {
    fn default() -> Self {
        Self {
            max_bytes: 2 * 1024 * 1024 * 1024,
            max_duration_secs: 4.0 * 3600.0,
        }
    }
}

/// Give up after this many consecutive undecodable packets.
const MAX_CONSECUTIVE_ERRORS: usize = 50;

fn err(kind: NodeErrorKind, msg: impl Into<String>) -> NodeError {
    NodeError::new(kind, msg)
}

/// Decode a file on disk. The extension is used as a format hint only; content decides.
pub fn decode_path(
    path: &Path,
    limits: &DecodeLimits,
    cancel: &CancelToken,
) -> Result<AudioBuffer, NodeError> {
    let meta = std::fs::metadata(path).map_err(|e| {
        err(
            NodeErrorKind::InvalidInput,
            format!("cannot read {}: {e}", path.display()),
        )
    })?;
    check_size(meta.len(), limits)?;
    let file = File::open(path).map_err(|e| {
        err(
            NodeErrorKind::InvalidInput,
            format!("cannot open {}: {e}", path.display()),
        )
    })?;
    let ext = path.extension().and_then(|e| e.to_str());
    decode_source(Box::new(file), meta.len(), ext, limits, cancel)
}

/// Decode in-memory bytes. `ext_hint` is e.g. `Some("mp3")`.
pub fn decode_bytes(
    bytes: Vec<u8>,
    ext_hint: Option<&str>,
    limits: &DecodeLimits,
    cancel: &CancelToken,
) -> Result<AudioBuffer, NodeError> {
    check_size(bytes.len() as u64, limits)?;
    let len = bytes.len() as u64;
    decode_source(Box::new(Cursor::new(bytes)), len, ext_hint, limits, cancel)
}

/// Decode a [`FileValue`] (path or inline text, the latter is never audio).
pub fn decode_file_value(
    file: &FileValue,
    limits: &DecodeLimits,
    cancel: &CancelToken,
) -> Result<AudioBuffer, NodeError> {
    match &file.content {
        FileContent::Path { path } => decode_path(path, limits, cancel),
        FileContent::Text { .. } => Err(err(
            NodeErrorKind::UnsupportedFormat,
            format!("file `{}` holds text, not audio", file.name),
        )),
    }
}

fn check_size(len: u64, limits: &DecodeLimits) -> Result<(), NodeError> {
    if len == 0 {
        return Err(err(NodeErrorKind::EmptyAudio, "input is empty (0 bytes)"));
    }
    if len > limits.max_bytes {
        return Err(err(
            NodeErrorKind::TooLarge,
            format!(
                "input is {len} bytes, over the limit of {} bytes",
                limits.max_bytes
            ),
        ));
    }
    Ok(())
}

fn too_long(secs: f64, limits: &DecodeLimits, how: &str) -> NodeError {
    err(
        NodeErrorKind::TooLong,
        format!(
            "audio is {how} {secs:.1} s long, over the limit of {:.1} s",
            limits.max_duration_secs
        ),
    )
}

fn decode_source(
    source: Box<dyn MediaSource>,
    total_bytes: u64,
    ext_hint: Option<&str>,
    limits: &DecodeLimits,
    cancel: &CancelToken,
) -> Result<AudioBuffer, NodeError> {
    let mss = MediaSourceStream::new(source, Default::default());
    let mut hint = Hint::new();
    if let Some(ext) = ext_hint {
        hint.with_extension(ext);
    }
    let ext_note = ext_hint
        .map(|e| format!(" (file extension: .{e})"))
        .unwrap_or_default();
    let probed = symphonia::default::get_probe()
        .format(
            &hint,
            mss,
            &FormatOptions {
                enable_gapless: true,
                ..Default::default()
            },
            &MetadataOptions::default(),
        )
        .map_err(|e| match e {
            SymError::DecodeError(m) => err(
                NodeErrorKind::CorruptAudio,
                format!("corrupt audio container{ext_note}: {m}"),
            ),
            SymError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => err(
                NodeErrorKind::UnsupportedFormat,
                format!("not a recognised audio format{ext_note}: no known container header found before the end of the data"),
            ),
            other => err(
                NodeErrorKind::UnsupportedFormat,
                format!("not a recognised audio format{ext_note}: {other}. Supported: WAV, MP3, FLAC, OGG/Vorbis, M4A/AAC, ALAC, AIFF (no Opus)"),
            ),
        })?;
    let mut format = probed.format;

    let track = format
        .tracks()
        .iter()
        .find(|t| t.codec_params.codec != CODEC_TYPE_NULL)
        .ok_or_else(|| {
            err(
                NodeErrorKind::UnsupportedFormat,
                format!("no audio track found{ext_note}"),
            )
        })?;
    let track_id = track.id;
    let params = track.codec_params.clone();
    if params.codec == CODEC_TYPE_OPUS {
        return Err(err(
            NodeErrorKind::UnsupportedFormat,
            "Opus audio is not supported (the symphonia decoder has no Opus codec); convert to FLAC, OGG/Vorbis, MP3 or WAV",
        ));
    }
    let codecs = symphonia::default::get_codecs();
    let codec_name = codecs
        .get_codec(params.codec)
        .map(|d| d.short_name.to_owned())
        .unwrap_or_else(|| format!("{:?}", params.codec));
    let mut decoder = codecs
        .make(&params, &DecoderOptions::default())
        .map_err(|e| {
            err(
                NodeErrorKind::UnsupportedFormat,
                format!("unsupported codec `{codec_name}`{ext_note}: {e}"),
            )
        })?;

    // Header-declared duration: refuse before decoding anything. Streamed WAVs carry a
    // placeholder size (0xFFFFFFFF); such a header is not trusted (the streaming check
    // below still applies).
    let mut n_frames = params.n_frames;
    if let (Some(n), Some(bits), Some(ch)) = (
        n_frames,
        params.bits_per_coded_sample.or(params.bits_per_sample),
        params.channels,
    ) {
        let needed = n as u128 * ch.count() as u128 * bits as u128 / 8;
        // 0xFFFFFFFF-ish data sizes larger than the input are streaming placeholders; a
        // smaller over-promise is a truncated file (reported after decoding).
        if codec_name.starts_with("pcm")
            && needed > total_bytes as u128 + 4096
            && needed >= 0xFFFF_0000
        {
            n_frames = None;
        }
    }
    let header_secs = match (n_frames, params.sample_rate) {
        (Some(n), Some(sr)) if sr > 0 => Some(n as f64 / sr as f64),
        _ => None,
    };
    if let Some(secs) = header_secs {
        if secs > limits.max_duration_secs {
            return Err(too_long(secs, limits, "declared"));
        }
        if n_frames == Some(0) {
            return Err(err(
                NodeErrorKind::EmptyAudio,
                "audio has no samples (header declares 0 frames)",
            ));
        }
    }

    let mut resampler: Option<StreamResampler> = None;
    let mut src_rate = params.sample_rate.unwrap_or(0);
    let mut channels = params.channels.map(|c| c.count() as u16).unwrap_or(0);
    let mut src_frames: u64 = 0;
    let mut sample_buf: Option<SampleBuffer<f32>> = None;
    let mut mono: Vec<f32> = Vec::new();
    let mut consecutive_errors = 0usize;
    let mut total_errors = 0usize;
    let mut last_error = String::new();
    let mut packets = 0u64;

    loop {
        if packets.is_multiple_of(64) {
            cancel.check()?;
        }
        let packet = match format.next_packet() {
            Ok(p) => p,
            Err(SymError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(SymError::ResetRequired) => break,
            Err(SymError::DecodeError(m)) => {
                consecutive_errors += 1;
                total_errors += 1;
                last_error = m.to_owned();
                if consecutive_errors >= MAX_CONSECUTIVE_ERRORS {
                    break;
                }
                continue;
            }
            Err(e) => {
                return Err(err(
                    NodeErrorKind::CorruptAudio,
                    format!(
                        "corrupt audio stream after {:.2} s: {e}",
                        secs_of(src_frames, src_rate)
                    ),
                ))
            }
        };
        if packet.track_id() != track_id {
            continue;
        }
        packets += 1;
        let decoded = match decoder.decode(&packet) {
            Ok(d) => d,
            Err(SymError::DecodeError(m)) => {
                consecutive_errors += 1;
                total_errors += 1;
                last_error = m.to_owned();
                if consecutive_errors >= MAX_CONSECUTIVE_ERRORS {
                    break;
                }
                continue;
            }
            Err(SymError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(e) => {
                return Err(err(
                    NodeErrorKind::CorruptAudio,
                    format!(
                        "cannot decode audio after {:.2} s: {e}",
                        secs_of(src_frames, src_rate)
                    ),
                ))
            }
        };
        consecutive_errors = 0;
        let spec = *decoded.spec();
        let frames = decoded.frames();
        if frames == 0 {
            continue;
        }
        if resampler.is_none() {
            src_rate = spec.rate;
            channels = spec.channels.count() as u16;
            if src_rate == 0 || channels == 0 {
                return Err(err(
                    NodeErrorKind::CorruptAudio,
                    "stream declares 0 Hz or 0 channels",
                ));
            }
            let mut r = StreamResampler::new(src_rate, TARGET_SAMPLE_RATE)?;
            if let Some(secs) = header_secs {
                r.reserve_secs(secs);
            }
            resampler = Some(r);
        } else if spec.rate != src_rate {
            return Err(err(
                NodeErrorKind::UnsupportedFormat,
                format!(
                    "sample rate changes mid-stream ({src_rate} Hz → {} Hz)",
                    spec.rate
                ),
            ));
        }
        let needed = decoded.capacity() as u64;
        let sb = match &mut sample_buf {
            Some(sb) if sb.capacity() as u64 >= needed * spec.channels.count() as u64 => sb,
            _ => sample_buf.insert(SampleBuffer::<f32>::new(needed, spec)),
        };
        sb.copy_interleaved_ref(decoded);
        let ch = spec.channels.count();
        let interleaved = sb.samples();
        mono.clear();
        if ch == 1 {
            mono.extend_from_slice(interleaved);
        } else {
            let scale = 1.0 / ch as f32;
            mono.extend(
                interleaved
                    .chunks_exact(ch)
                    .map(|f| f.iter().sum::<f32>() * scale),
            );
        }
        src_frames += mono.len() as u64;
        let secs = secs_of(src_frames, src_rate);
        if secs > limits.max_duration_secs {
            return Err(too_long(secs, limits, "at least"));
        }
        if let Some(r) = resampler.as_mut() {
            r.push(&mono)?;
        }
    }

    let Some(resampler) = resampler else {
        if total_errors > 0 {
            return Err(err(
                NodeErrorKind::CorruptAudio,
                format!("corrupt audio: no packet could be decoded ({total_errors} errors, last: {last_error})"),
            ));
        }
        return Err(err(
            NodeErrorKind::EmptyAudio,
            "audio stream contains no samples",
        ));
    };
    if consecutive_errors >= MAX_CONSECUTIVE_ERRORS {
        return Err(err(
            NodeErrorKind::CorruptAudio,
            format!(
                "corrupt audio: decoding failed after {:.2} s ({consecutive_errors} bad packets in a row, last: {last_error})",
                secs_of(src_frames, src_rate)
            ),
        ));
    }
    let decoded_secs = secs_of(src_frames, src_rate);
    if let Some(expected) = header_secs {
        // A header that promises much more than the stream delivers means a cut-off file.
        if decoded_secs < expected * 0.9 && expected - decoded_secs > 0.5 {
            return Err(err(
                NodeErrorKind::CorruptAudio,
                format!(
                    "audio is truncated: header declares {expected:.2} s but only {decoded_secs:.2} s could be decoded"
                ),
            ));
        }
    }
    let samples = resampler.finish()?;
    if samples.is_empty() {
        return Err(err(
            NodeErrorKind::EmptyAudio,
            "audio stream contains no samples",
        ));
    }
    Ok(AudioBuffer {
        samples,
        sample_rate: TARGET_SAMPLE_RATE,
        info: AudioInfo {
            duration_secs: decoded_secs,
            sample_rate: src_rate,
            channels,
            codec: codec_name,
        },
    })
}

fn secs_of(frames: u64, rate: u32) -> f64 {
    if rate == 0 {
        0.0
    } else {
        frames as f64 / rate as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal 16-bit PCM WAV writer for unit tests.
    pub(crate) fn wav_bytes(samples: &[i16], rate: u32, channels: u16) -> Vec<u8> {
        let data_len = (samples.len() * 2) as u32;
        let mut b = Vec::new();
        b.extend_from_slice(b"RIFF");
        b.extend_from_slice(&(36 + data_len).to_le_bytes());
        b.extend_from_slice(b"WAVEfmt ");
        b.extend_from_slice(&16u32.to_le_bytes());
        b.extend_from_slice(&1u16.to_le_bytes());
        b.extend_from_slice(&channels.to_le_bytes());
        b.extend_from_slice(&rate.to_le_bytes());
        b.extend_from_slice(&(rate * channels as u32 * 2).to_le_bytes());
        b.extend_from_slice(&(channels * 2).to_le_bytes());
        b.extend_from_slice(&16u16.to_le_bytes());
        b.extend_from_slice(b"data");
        b.extend_from_slice(&data_len.to_le_bytes());
        for s in samples {
            b.extend_from_slice(&s.to_le_bytes());
        }
        b
    }

    fn stereo_tone(rate: u32, secs: f32) -> Vec<i16> {
        let n = (rate as f32 * secs) as usize;
        let mut v = Vec::with_capacity(n * 2);
        for i in 0..n {
            let x = (2.0 * std::f32::consts::PI * 440.0 * i as f32 / rate as f32).sin();
            v.push((x * 8000.0) as i16);
            v.push((x * 8000.0) as i16);
        }
        v
    }

    #[test]
    fn decodes_stereo_44k_wav_to_16k_mono() {
        let bytes = wav_bytes(&stereo_tone(44_100, 2.0), 44_100, 2);
        let a = decode_bytes(
            bytes,
            Some("wav"),
            &DecodeLimits::default(),
            &CancelToken::new(),
        )
        .unwrap();
        assert_eq!(a.sample_rate, 16_000);
        assert_eq!(a.samples.len(), 32_000);
        assert_eq!(a.info.channels, 2);
        assert_eq!(a.info.sample_rate, 44_100);
        assert!((a.info.duration_secs - 2.0).abs() < 1e-6);
        let peak = a.samples.iter().fold(0.0f32, |m, s| m.max(s.abs()));
        assert!((peak - 8000.0 / 32768.0).abs() < 0.02, "peak {peak}");
    }

    #[test]
    fn refuses_empty_and_oversize_before_decoding() {
        let limits = DecodeLimits {
            max_bytes: 100,
            max_duration_secs: 10.0,
        };
        let e = decode_bytes(vec![], None, &limits, &CancelToken::new()).unwrap_err();
        assert_eq!(e.kind, NodeErrorKind::EmptyAudio);
        let e = decode_bytes(vec![0; 101], None, &limits, &CancelToken::new()).unwrap_err();
        assert_eq!(e.kind, NodeErrorKind::TooLarge);
    }

    #[test]
    fn refuses_long_wav_from_header() {
        let bytes = wav_bytes(&stereo_tone(8_000, 3.0), 8_000, 2);
        let limits = DecodeLimits {
            max_bytes: u64::MAX,
            max_duration_secs: 2.0,
        };
        let e = decode_bytes(bytes, Some("wav"), &limits, &CancelToken::new()).unwrap_err();
        assert_eq!(e.kind, NodeErrorKind::TooLong);
        assert!(e.message.contains("declared"), "{}", e.message);
    }

    #[test]
    fn truncated_wav_is_corrupt() {
        let mut bytes = wav_bytes(&stereo_tone(16_000, 4.0), 16_000, 2);
        bytes.truncate(bytes.len() / 3);
        let e = decode_bytes(
            bytes,
            Some("wav"),
            &DecodeLimits::default(),
            &CancelToken::new(),
        )
        .unwrap_err();
        assert_eq!(e.kind, NodeErrorKind::CorruptAudio, "{e}");
        assert!(e.message.contains("truncated"), "{}", e.message);
    }

    #[test]
    fn text_is_unsupported_format() {
        let bytes = b"hello, this is not audio at all\n".repeat(50);
        let e = decode_bytes(
            bytes,
            Some("wav"),
            &DecodeLimits::default(),
            &CancelToken::new(),
        )
        .unwrap_err();
        assert_eq!(e.kind, NodeErrorKind::UnsupportedFormat, "{e}");
    }

    #[test]
    fn cancelled_before_start() {
        let bytes = wav_bytes(&stereo_tone(16_000, 1.0), 16_000, 2);
        let c = CancelToken::new();
        c.cancel();
        let e = decode_bytes(bytes, Some("wav"), &DecodeLimits::default(), &c).unwrap_err();
        assert_eq!(e.kind, NodeErrorKind::Cancelled);
    }
}
