//! pyannote segmentation-3.0 over sliding 10 s windows.
//!
//! The model maps 160 000 samples (10 s at 16 kHz) to 589 frames (one every 270 samples,
//! each seeing 991 samples) of log-probabilities over 7 powerset classes: nobody, A, B, C,
//! A+B, A+C, B+C — three *local* speakers whose identities mean nothing across windows. Each
//! frame takes its most likely class (pyannote's hard powerset decoding).
//!
//! Windows overlap; per global frame we accumulate the Hamming-weighted number of active
//! local speakers over every window that covers it (window edges are the least reliable), so
//! `count` is the speaker count per frame: 0 = silence, 1 = one voice, 2+ = overlap. The
//! local activity of each window is kept, packed in one byte per frame (3 bits), to map
//! overlapped frames onto global speakers once the clustering has named them.

use crate::error::NodeError;
use crate::onnx::{inference_error, PooledSession};

pub const WINDOW: usize = 160_000;
/// Samples per output frame (the model's total stride).
pub const FRAME_STEP: usize = 270;
/// Samples each frame sees (its receptive field).
pub const FRAME_SPAN: usize = 991;
pub const FRAMES: usize = 589;
const SAMPLE_RATE: f64 = 16_000.0;

/// Local speakers active in each powerset class (bit k = local speaker k).
const POWERSET: [u8; 7] = [0b000, 0b001, 0b010, 0b100, 0b011, 0b101, 0b110];

/// Centre of global frame `f`, in seconds.
pub fn frame_center(f: usize) -> f64 {
    (f * FRAME_STEP) as f64 / SAMPLE_RATE + FRAME_SPAN as f64 / 2.0 / SAMPLE_RATE
}

/// Number of global frames whose centre lies within `n` samples.
pub fn frames_for(n: usize) -> usize {
    if n <= FRAME_SPAN / 2 {
        1
    } else {
        (n - FRAME_SPAN / 2) / FRAME_STEP + 1
    }
}

/// Window start positions (multiples of [`FRAME_STEP`]) covering `n` samples.
pub fn window_starts(n: usize, step_frames: usize) -> Vec<usize> {
    let step = step_frames.max(1) * FRAME_STEP;
    let mut starts = vec![0];
    while starts[starts.len() - 1] + WINDOW < n {
        let next = starts[starts.len() - 1] + step;
        starts.push(next);
    }
    starts
}

/// Everything the later stages need from segmentation.
pub struct Segmentation {
    /// Window starts in samples.
    pub starts: Vec<usize>,
    /// Per window, [`FRAMES`] bytes of local activity bits.
    pub local: Vec<Vec<u8>>,
    /// Per global frame: the number of speakers (rounded weighted mean over windows).
    pub count: Vec<u8>,
}

/// Runs the model over `samples` window by window. `on_window(done, total)` is called after
/// each (progress and cancellation).
pub fn segment(
    session: &mut PooledSession<'_>,
    samples: &[f32],
    step_frames: usize,
    mut on_window: impl FnMut(usize, usize) -> Result<(), NodeError>,
) -> Result<Segmentation, NodeError> {
    let starts = window_starts(samples.len(), step_frames);
    let total_frames = starts[starts.len() - 1] / FRAME_STEP + FRAMES;
    let mut weighted = vec![0f32; total_frames];
    let mut coverage = vec![0f32; total_frames];
    let hamming: Vec<f32> = (0..FRAMES)
        .map(|i| {
            0.54 - 0.46 * (2.0 * std::f32::consts::PI * i as f32 / (FRAMES - 1) as f32).cos() + 1e-3
        })
        .collect();
    let mut buf = vec![0f32; WINDOW];
    let mut local = Vec::with_capacity(starts.len());
    for (w, &start) in starts.iter().enumerate() {
        let end = (start + WINDOW).min(samples.len());
        buf[..end - start].copy_from_slice(&samples[start..end]);
        buf[end - start..].fill(0.0);
        let input = ort::value::TensorRef::from_array_view(([1usize, 1, WINDOW], &buf[..]))
            .map_err(|e| inference_error("segmentation input", e))?;
        let outputs = session
            .run(ort::inputs![input])
            .map_err(|e| inference_error("segmentation", e))?;
        let (shape, logp) = outputs[0]
            .try_extract_tensor::<f32>()
            .map_err(|e| inference_error("segmentation output", e))?;
        if shape.len() != 3 || shape[1] as usize != FRAMES || shape[2] != 7 {
            return Err(NodeError::inference(format!(
                "segmentation model returned shape {shape:?}, expected [1, {FRAMES}, 7]"
            )));
        }
        let bits: Vec<u8> = logp
            .chunks_exact(7)
            .map(|row| {
                let best = (0..7)
                    .max_by(|&a, &b| row[a].total_cmp(&row[b]))
                    .unwrap_or(0);
                POWERSET[best]
            })
            .collect();
        let offset = start / FRAME_STEP;
        for (j, &b) in bits.iter().enumerate() {
            weighted[offset + j] += hamming[j] * b.count_ones() as f32;
            coverage[offset + j] += hamming[j];
        }
        local.push(bits);
        on_window(w + 1, starts.len())?;
    }
    let n_frames = frames_for(samples.len()).min(total_frames);
    let count = (0..n_frames)
        .map(|f| (weighted[f] / coverage[f].max(1e-6)).round() as u8)
        .collect();
    Ok(Segmentation {
        starts,
        local,
        count,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_cover_the_audio() {
        assert_eq!(window_starts(1000, 148), vec![0]);
        assert_eq!(window_starts(WINDOW, 148), vec![0]);
        let s = window_starts(WINDOW + 1, 148);
        assert_eq!(s, vec![0, 148 * FRAME_STEP]);
        let n = 3_600 * 16_000;
        let s = window_starts(n, 148);
        assert!(s.last().unwrap() + WINDOW >= n);
        assert!(s.iter().all(|x| x % FRAME_STEP == 0));
    }

    #[test]
    fn frame_grid() {
        // Frames whose centre lies inside 10 s (the model itself emits 589 for a window).
        assert_eq!(frames_for(WINDOW), 591);
        assert_eq!(frames_for(100), 1);
        assert!((frame_center(0) - 0.0309).abs() < 1e-3);
        assert!((frame_center(1) - frame_center(0) - 0.016875).abs() < 1e-9);
    }
}
