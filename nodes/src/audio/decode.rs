//! Decode WAV, MP3, FLAC, OGG/Vorbis, OGG/Opus, M4A/AAC and WebM/Matroska (Opus, Vorbis,
//! FLAC; also ALAC, AIFF) with `symphonia`, downmix to mono and resample to 16 kHz f32,
//! streaming packet by packet so only the 16 kHz output grows (≈ 230 MB for one hour).
//!
//! symphonia 0.5 has no Opus decoder: libopus is added to its codec registry through
//! `symphonia-adapter-libopus` (see `codecs`); Opus pre-skip is dropped here (see
//! `opus_pre_skip`).

use super::resample::StreamResampler;
use crate::error::{NodeError, NodeErrorKind};
use crate::progress::CancelToken;
use crate::types::{AudioBuffer, AudioInfo, FileContent, FileValue, TARGET_SAMPLE_RATE};
use std::fs::File;
use std::io::{Cursor, SeekFrom};
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::OnceLock;
use symphonia::core::audio::SampleBuffer;
use symphonia::core::codecs::{
    CodecParameters, CodecRegistry, DecoderOptions, CODEC_TYPE_ALAC, CODEC_TYPE_NULL,
    CODEC_TYPE_OPUS,
};
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

/// symphonia's codecs plus libopus (symphonia 0.5 has no Opus decoder of its own).
fn codecs() -> &'static CodecRegistry {
    static REGISTRY: OnceLock<CodecRegistry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut registry = CodecRegistry::new();
        symphonia::default::register_enabled_codecs(&mut registry);
        registry.register_all::<symphonia_adapter_libopus::OpusDecoder>();
        registry
    })
}

/// Opus always decodes at 48 kHz.
const OPUS_RATE: u32 = 48_000;

/// The Opus pre-skip (samples at 48 kHz that the encoder's look-ahead put before the audio,
/// RFC 7845 §4.2) from the `OpusHead` that both the Ogg and the Matroska demuxer pass as
/// extra data, and `params` without it. The adapter would trim it from the first packet
/// only, so a pre-skip longer than one packet (2.5–10 ms frames) would be half-kept; the
/// decode loop drops it instead, across as many packets as it spans. Neither demuxer trims
/// it (Ogg granule positions include it; Matroska's `CodecDelay` is not read).
fn opus_pre_skip(params: &CodecParameters) -> (CodecParameters, u64) {
    let mut params = params.clone();
    let pre_skip = params
        .extra_data
        .take()
        .filter(|head| head.starts_with(b"OpusHead"))
        .and_then(|head| head.get(10..12).map(|b| u16::from_le_bytes([b[0], b[1]])))
        .unwrap_or(0);
    // The Matroska demuxer reports the track's SamplingFrequency, which some muxers set to
    // the original input rate; libopus only decodes at 8/12/16/24/48 kHz.
    params.sample_rate = Some(OPUS_RATE);
    (params, u64::from(pre_skip))
}

/// Give up after this many consecutive undecodable packets.
const MAX_CONSECUTIVE_ERRORS: usize = 50;

/// The highest sample rate taken as real (DXD / 8× 96 kHz). A corrupt header's rate
/// (0x7F7F7F7F) would otherwise size the resampler's buffers (tens of GB) or take it
/// minutes to build.
const MAX_SAMPLE_RATE: u32 = 768_000;

/// The longest ALAC frame taken as real (encoders write 4096): symphonia's ALAC decoder
/// allocates a whole frame per channel up front, 17 GB for a corrupt 0xFFFFFFFF.
const MAX_ALAC_FRAME_LENGTH: u32 = 65_536;

fn err(kind: NodeErrorKind, msg: impl Into<String>) -> NodeError {
    NodeError::new(kind, msg)
}

/// A file on disk opened for decoding, with its length, once its size passes `limits`.
fn open_checked(path: &Path, limits: &DecodeLimits) -> Result<(File, u64), NodeError> {
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
    Ok((file, meta.len()))
}

/// Decode a file on disk. The extension is used as a format hint only; content decides.
pub fn decode_path(
    path: &Path,
    limits: &DecodeLimits,
    cancel: &CancelToken,
) -> Result<AudioBuffer, NodeError> {
    let (file, len) = open_checked(path, limits)?;
    let ext = path.extension().and_then(|e| e.to_str());
    decode_source(Box::new(file), len, ext, limits, cancel, Want::Samples)
}

/// How long the audio in a file on disk is, in seconds, without keeping its samples: the
/// duration its header declares when it has one, else the frames decoded to the end
/// (memory stays small either way). For reserving quota before a job runs; the limits and
/// errors are [`decode_path`]'s, except that a header's word is taken for the length.
pub fn probe_duration(
    path: &Path,
    limits: &DecodeLimits,
    cancel: &CancelToken,
) -> Result<f64, NodeError> {
    let (file, len) = open_checked(path, limits)?;
    let ext = path.extension().and_then(|e| e.to_str());
    decode_source(Box::new(file), len, ext, limits, cancel, Want::Duration)
        .map(|a| a.info.duration_secs)
}

/// What a decode is for: the samples, or only how long they last.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Want {
    Samples,
    Duration,
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
    decode_source(
        Box::new(Cursor::new(bytes)),
        len,
        ext_hint,
        limits,
        cancel,
        Want::Samples,
    )
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

/// Containers whose end needs a check symphonia does not make (see `decode_source_inner`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Container {
    Ogg,
    Matroska,
    Flac,
    Other,
}

/// The container, from the first bytes; the source is left at its start.
fn sniff_container(source: &mut dyn MediaSource) -> Container {
    let mut magic = [0u8; 4];
    if !source.is_seekable() || source.read_exact(&mut magic).is_err() {
        let _ = source.seek(SeekFrom::Start(0));
        return Container::Other;
    }
    if source.seek(SeekFrom::Start(0)).is_err() {
        return Container::Other;
    }
    match &magic {
        b"OggS" => Container::Ogg,
        [0x1A, 0x45, 0xDF, 0xA3] => Container::Matroska,
        b"fLaC" => Container::Flac,
        _ => Container::Other,
    }
}

/// The answer of a [`Want::Duration`] decode: no samples, the length in `info`.
fn measured(secs: f64, rate: u32, channels: u16, codec: String) -> AudioBuffer {
    AudioBuffer {
        samples: Vec::new(),
        sample_rate: TARGET_SAMPLE_RATE,
        info: AudioInfo {
            duration_secs: secs,
            sample_rate: rate,
            channels,
            codec,
        },
    }
}

/// Decodes with panics turned into errors: symphonia's readers can panic on malformed input
/// (0.5's Matroska reader does on a file cut before the Cues its SeekHead points to), and a
/// bad upload must get `CorruptAudio`, not a `bug` error or a dead worker.
fn decode_source(
    source: Box<dyn MediaSource>,
    total_bytes: u64,
    ext_hint: Option<&str>,
    limits: &DecodeLimits,
    cancel: &CancelToken,
    want: Want,
) -> Result<AudioBuffer, NodeError> {
    std::panic::catch_unwind(AssertUnwindSafe(|| {
        decode_source_inner(source, total_bytes, ext_hint, limits, cancel, want)
    }))
    .unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(err(
            NodeErrorKind::CorruptAudio,
            format!("corrupt or truncated audio: the decoding library failed on it ({what})"),
        ))
    })
}

fn decode_source_inner(
    mut source: Box<dyn MediaSource>,
    total_bytes: u64,
    ext_hint: Option<&str>,
    limits: &DecodeLimits,
    cancel: &CancelToken,
    want: Want,
) -> Result<AudioBuffer, NodeError> {
    let container = sniff_container(source.as_mut());
    // Read before symphonia takes the source (see `ebml`); it leaves the source anywhere.
    let cut_inside_element = container == Container::Matroska
        && super::ebml::ends_inside_element(&mut source, total_bytes);
    // FLAC metadata string lengths that symphonia would allocate for unchecked (see `flac`).
    if container == Container::Flac {
        super::flac::check_metadata(&mut source, total_bytes).map_err(|m| {
            err(
                NodeErrorKind::CorruptAudio,
                format!("corrupt FLAC metadata: {m}"),
            )
        })?;
    }
    // MP4 sample-table counts that symphonia would reserve memory for unchecked (see `mp4`).
    if container == Container::Other && source.is_seekable() {
        if let Some(start) = super::mp4::box_start(&mut source, total_bytes) {
            super::mp4::check_sample_tables(&mut source, start, total_bytes).map_err(|m| {
                err(
                    NodeErrorKind::CorruptAudio,
                    format!("corrupt MP4/M4A container: {m}"),
                )
            })?;
        }
    }
    if source.seek(SeekFrom::Start(0)).is_err() {
        return Err(err(
            NodeErrorKind::Internal,
            "cannot rewind the audio source",
        ));
    }
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
                format!("not a recognised audio format{ext_note}: {other}. Supported: WAV, MP3, FLAC, OGG (Vorbis, Opus), M4A/AAC, ALAC, AIFF, WebM/Matroska"),
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
    let (decoder_params, mut skip_frames) = if params.codec == CODEC_TYPE_OPUS {
        opus_pre_skip(&params)
    } else {
        (params.clone(), 0)
    };
    // Before anything is sized from them (the decoder's buffers, the resampler).
    if let Some(rate) = decoder_params.sample_rate.filter(|&r| r > MAX_SAMPLE_RATE) {
        return Err(err(
            NodeErrorKind::CorruptAudio,
            format!("corrupt audio header: it declares {rate} Hz (at most {MAX_SAMPLE_RATE} Hz is supported)"),
        ));
    }
    if decoder_params.codec == CODEC_TYPE_ALAC {
        // The magic cookie (24 bytes, or 48 with a channel layout) starts with the frame
        // length; its sample rate, at 20, is what the decoder will report.
        let cookie = decoder_params.extra_data.as_deref().unwrap_or_default();
        let field = |at: usize| {
            cookie
                .get(at..at + 4)
                .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        };
        if let Some(rate) = field(20).filter(|&r| r > MAX_SAMPLE_RATE) {
            return Err(err(
                NodeErrorKind::CorruptAudio,
                format!("corrupt ALAC configuration: {rate} Hz (at most {MAX_SAMPLE_RATE} Hz is supported)"),
            ));
        }
        if let Some(n) = field(0).filter(|&n| n > MAX_ALAC_FRAME_LENGTH) {
            return Err(err(
                NodeErrorKind::CorruptAudio,
                format!("corrupt ALAC configuration: frame length {n} (at most {MAX_ALAC_FRAME_LENGTH})"),
            ));
        }
    }
    let codecs = codecs();
    let codec_name = codecs
        .get_codec(params.codec)
        .map(|d| d.short_name.to_owned())
        .unwrap_or_else(|| format!("{:?}", params.codec));
    let mut decoder = codecs
        .make(&decoder_params, &DecoderOptions::default())
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
    // In the track's time base: Matroska counts its Duration in TimestampScale ticks, not
    // frames; MP4 in the media timescale.
    let header_secs = match (n_frames, params.time_base, params.sample_rate) {
        (Some(n), Some(tb), _) if tb.denom > 0 => {
            let t = tb.calc_time(n);
            Some(t.seconds as f64 + t.frac)
        }
        (Some(n), None, Some(sr)) if sr > 0 => Some(n as f64 / sr as f64),
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
    if let (Some(secs), Want::Duration) = (header_secs, want) {
        let channels = params.channels.map(|c| c.count() as u16).unwrap_or(0);
        let rate = params.sample_rate.unwrap_or(0);
        return Ok(measured(secs, rate, channels, codec_name));
    }

    // Built at the first decoded frames, for a decode only (a probe just counts frames).
    let mut resampler: Option<StreamResampler> = None;
    let mut started = false;
    let mut src_rate = params.sample_rate.unwrap_or(0);
    let mut channels = params.channels.map(|c| c.count() as u16).unwrap_or(0);
    let mut src_frames: u64 = 0;
    let mut sample_buf: Option<SampleBuffer<f32>> = None;
    let mut mono: Vec<f32> = Vec::new();
    let mut consecutive_errors = 0usize;
    let mut total_errors = 0usize;
    let mut last_error = String::new();
    let mut packets = 0u64;
    // Whether the demuxer's last word before the end was an error (a cut-off element).
    let mut demux_error_last = false;

    loop {
        if packets.is_multiple_of(64) {
            cancel.check()?;
        }
        let packet = match format.next_packet() {
            Ok(p) => {
                demux_error_last = false;
                p
            }
            Err(SymError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(SymError::ResetRequired) => break,
            Err(SymError::DecodeError(m)) => {
                demux_error_last = true;
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
        if !started {
            started = true;
            src_rate = spec.rate;
            channels = spec.channels.count() as u16;
            if src_rate == 0 || channels == 0 {
                return Err(err(
                    NodeErrorKind::CorruptAudio,
                    "stream declares 0 Hz or 0 channels",
                ));
            }
            // The decoder's rate may differ from the header's (ALAC's comes from its cookie).
            if src_rate > MAX_SAMPLE_RATE {
                return Err(err(
                    NodeErrorKind::CorruptAudio,
                    format!("corrupt audio: the stream declares {src_rate} Hz (at most {MAX_SAMPLE_RATE} Hz is supported)"),
                ));
            }
            if want == Want::Samples {
                let mut r = StreamResampler::new(src_rate, TARGET_SAMPLE_RATE)?;
                if let Some(secs) = header_secs {
                    r.reserve_secs(secs);
                }
                resampler = Some(r);
            }
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
        // Opus pre-skip: whole frames, possibly spanning several packets.
        let skip = (skip_frames as usize).min(frames);
        skip_frames -= skip as u64;
        let interleaved = &sb.samples()[skip * ch..];
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
        if mono.is_empty() {
            continue;
        }
        src_frames += mono.len() as u64;
        let secs = secs_of(src_frames, src_rate);
        if secs > limits.max_duration_secs {
            return Err(too_long(secs, limits, "at least"));
        }
        if let (Some(r), Want::Samples) = (resampler.as_mut(), want) {
            r.push(&mono)?;
        }
    }

    if !started {
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
    }
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
    // Streams without a declared length: symphonia reads a cut-off file to its end without
    // complaint, so look at how it ended. An Ogg file whose last page is not marked
    // end-of-stream (the demuxer then finds no length) was cut off. A Matroska file written
    // live (browser MediaRecorder, ffmpeg to a pipe) has no Duration and clusters of unknown
    // size; cut off, it ends inside an element (found by walking the EBML headers), which
    // symphonia's reader reports as a "read past master element" error right before the
    // end when the cut falls in a block header, and not at all when it falls in its data.
    let truncated = match container {
        Container::Ogg => params.n_frames.is_none(),
        Container::Matroska => cut_inside_element || demux_error_last,
        Container::Flac | Container::Other => false,
    };
    if truncated {
        return Err(err(
            NodeErrorKind::CorruptAudio,
            format!(
                "audio is truncated: the {} stream stops after {decoded_secs:.2} s without its proper end{}",
                if container == Container::Ogg { "Ogg" } else { "Matroska/WebM" },
                if last_error.is_empty() { String::new() } else { format!(" ({last_error})") },
            ),
        ));
    }
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
    let Some(resampler) = resampler else {
        // Only a probe has none.
        return Ok(measured(decoded_secs, src_rate, channels, codec_name));
    };
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
    fn probe_duration_reads_the_header_or_counts_frames() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tone.wav");
        let bytes = wav_bytes(&stereo_tone(44_100, 2.5), 44_100, 2);
        std::fs::write(&path, &bytes).unwrap();
        let limits = DecodeLimits::default();
        let secs = probe_duration(&path, &limits, &CancelToken::new()).unwrap();
        assert!((secs - 2.5).abs() < 1e-6, "{secs}");
        // A streamed WAV's placeholder size is not trusted: the frames are counted.
        let mut streamed = bytes.clone();
        streamed[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        streamed[40..44].copy_from_slice(&u32::MAX.to_le_bytes());
        std::fs::write(&path, &streamed).unwrap();
        let secs = probe_duration(&path, &limits, &CancelToken::new()).unwrap();
        assert!((secs - 2.5).abs() < 0.01, "{secs}");
        // The limits hold as for a decode.
        let short = DecodeLimits {
            max_duration_secs: 1.0,
            ..limits
        };
        let e = probe_duration(&path, &short, &CancelToken::new()).unwrap_err();
        assert_eq!(e.kind, NodeErrorKind::TooLong);
        std::fs::write(&path, b"not audio at all, just text").unwrap();
        assert!(probe_duration(&path, &limits, &CancelToken::new()).is_err());
    }

    /// A corrupt rate is refused before a resampler is built for it (17 GB for 0x7F7F7F7F
    /// Hz), by a decode and by a probe; the highest real rate still decodes.
    #[test]
    fn absurd_sample_rates_are_corrupt() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rate.wav");
        let limits = DecodeLimits::default();
        for rate in [0x7F7F_7F7F, 0x7F80_0000, u32::MAX, MAX_SAMPLE_RATE + 1] {
            let mut bytes = wav_bytes(&stereo_tone(8_000, 0.5), 8_000, 2);
            bytes[24..28].copy_from_slice(&rate.to_le_bytes());
            std::fs::write(&path, &bytes).unwrap();
            let e = decode_bytes(bytes, Some("wav"), &limits, &CancelToken::new()).unwrap_err();
            assert_eq!(e.kind, NodeErrorKind::CorruptAudio, "{rate}: {e}");
            let e = probe_duration(&path, &limits, &CancelToken::new()).unwrap_err();
            assert_eq!(e.kind, NodeErrorKind::CorruptAudio, "{rate}: {e}");
        }
        let bytes = wav_bytes(&stereo_tone(MAX_SAMPLE_RATE, 0.1), MAX_SAMPLE_RATE, 2);
        let a = decode_bytes(bytes, Some("wav"), &limits, &CancelToken::new()).unwrap();
        assert_eq!(a.samples.len(), 1_600);
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
