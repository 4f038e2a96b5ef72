//! Kaldi-style log-mel filterbank, the input of the CAM++ speaker-embedding model.
//!
//! Matches `torchaudio.compliance.kaldi.fbank` with its defaults and `dither = 0` (the
//! recipe in `shared/models/tools/kaldi_fbank.py`): 25 ms Povey-windowed frames every 10 ms
//! (`snip_edges`), samples scaled to 16-bit range, DC removed per frame, pre-emphasis 0.97,
//! 512-point power spectrum, 80 triangular mel bins over 20 Hz – Nyquist, natural log floored
//! at f32 epsilon. Computed in f32 per frame (the reference uses f64; the difference is far
//! below what moves an embedding).

use realfft::{RealFftPlanner, RealToComplex};
use std::sync::Arc;

pub const N_MELS: usize = 80;
const FRAME_LEN: usize = 400;
const FRAME_SHIFT: usize = 160;
const N_FFT: usize = 512;
const PREEMPH: f32 = 0.97;
const SAMPLE_RATE: f32 = 16_000.0;
const LOW_HZ: f32 = 20.0;

/// Computes fbank frames; reusable across calls (holds the FFT plan, window and mel matrix).
pub struct Fbank {
    fft: Arc<dyn RealToComplex<f32>>,
    window: Vec<f32>,
    /// Per mel bin: first FFT bin and its weights (the triangles are sparse).
    mel: Vec<(usize, Vec<f32>)>,
    frame: Vec<f32>,
    spectrum: Vec<realfft::num_complex::Complex<f32>>,
    scratch: Vec<realfft::num_complex::Complex<f32>>,
}

impl Default for Fbank {
    fn default() -> Self {
        Self::new()
    }
}

impl Fbank {
    pub fn new() -> Self {
        let fft = RealFftPlanner::<f32>::new().plan_fft_forward(N_FFT);
        let window = (0..FRAME_LEN)
            .map(|i| {
                let hann = 0.5
                    - 0.5 * (2.0 * std::f64::consts::PI * i as f64 / (FRAME_LEN - 1) as f64).cos();
                hann.powf(0.85) as f32
            })
            .collect();
        let spectrum = fft.make_output_vec();
        let scratch = fft.make_scratch_vec();
        Self {
            window,
            mel: mel_banks(),
            frame: vec![0.0; N_FFT],
            spectrum,
            scratch,
            fft,
        }
    }

    /// Number of frames for `n` samples (0 when shorter than one frame).
    pub fn num_frames(n: usize) -> usize {
        if n < FRAME_LEN {
            0
        } else {
            1 + (n - FRAME_LEN) / FRAME_SHIFT
        }
    }

    /// Start sample of frame `i`.
    pub fn frame_start(i: usize) -> usize {
        i * FRAME_SHIFT
    }

    /// Log-mel features of 16 kHz `samples` (-1..1), appended row-major (`N_MELS` per frame)
    /// to `out`. Returns the number of frames.
    pub fn compute(&mut self, samples: &[f32], out: &mut Vec<f32>) -> usize {
        let n = Self::num_frames(samples.len());
        out.reserve(n * N_MELS);
        let mut power = [0f32; N_FFT / 2 + 1];
        for f in 0..n {
            let src = &samples[f * FRAME_SHIFT..f * FRAME_SHIFT + FRAME_LEN];
            let mean =
                src.iter().map(|&s| s as f64).sum::<f64>() as f32 / FRAME_LEN as f32 * 32768.0;
            // DC removal, then pre-emphasis (the first sample is emphasised against itself).
            let mut prev = src[0] * 32768.0 - mean;
            for (i, &s) in src.iter().enumerate() {
                let x = s * 32768.0 - mean;
                let emphasised = if i == 0 {
                    x - PREEMPH * x
                } else {
                    x - PREEMPH * prev
                };
                prev = x;
                self.frame[i] = emphasised * self.window[i];
            }
            self.frame[FRAME_LEN..].fill(0.0);
            // Cannot fail: the buffers come from the plan.
            let _ = self.fft.process_with_scratch(
                &mut self.frame,
                &mut self.spectrum,
                &mut self.scratch,
            );
            for (p, c) in power.iter_mut().zip(&self.spectrum) {
                *p = c.norm_sqr();
            }
            for (first, weights) in &self.mel {
                let e: f32 = weights
                    .iter()
                    .zip(&power[*first..])
                    .map(|(w, p)| w * p)
                    .sum();
                out.push(e.max(f32::EPSILON).ln());
            }
        }
        n
    }
}

/// Triangular mel filters as (first bin, weights); the Nyquist bin always has weight 0.
fn mel_banks() -> Vec<(usize, Vec<f32>)> {
    let mel = |f: f64| 1127.0 * (1.0 + f / 700.0).ln();
    let (ml, mh) = (mel(LOW_HZ as f64), mel(SAMPLE_RATE as f64 / 2.0));
    let d = (mh - ml) / (N_MELS + 1) as f64;
    let bin_mel: Vec<f64> = (0..N_FFT / 2)
        .map(|k| mel(k as f64 * SAMPLE_RATE as f64 / N_FFT as f64))
        .collect();
    (0..N_MELS)
        .map(|m| {
            let (l, c, r) = (
                ml + m as f64 * d,
                ml + (m + 1) as f64 * d,
                ml + (m + 2) as f64 * d,
            );
            let w: Vec<f32> = bin_mel
                .iter()
                .map(|&fm| ((fm - l) / (c - l)).min((r - fm) / (r - c)).max(0.0) as f32)
                .collect();
            let first = w.iter().position(|&x| x > 0.0).unwrap_or(0);
            let last = w.iter().rposition(|&x| x > 0.0).unwrap_or(0);
            (first, w[first..=last].to_vec())
        })
        .collect()
}

/// Subtracts the per-bin mean over frames (CAM++ expects utterance-mean-normalised input).
pub fn mean_normalize(feats: &mut [f32]) {
    let n = feats.len() / N_MELS;
    if n == 0 {
        return;
    }
    let mut mean = [0f64; N_MELS];
    for row in feats.chunks_exact(N_MELS) {
        for (m, &v) in mean.iter_mut().zip(row) {
            *m += v as f64;
        }
    }
    for m in &mut mean {
        *m /= n as f64;
    }
    for row in feats.chunks_exact_mut(N_MELS) {
        for (v, m) in row.iter_mut().zip(&mean) {
            *v -= *m as f32;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic test signal: two tones and a little pseudo-noise.
    fn signal(n: usize) -> Vec<f32> {
        let mut seed = 12345u32;
        (0..n)
            .map(|i| {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                let noise = ((seed >> 16) as f32 / 32768.0 - 1.0) * 0.01;
                let t = i as f32 / 16_000.0;
                0.3 * (2.0 * std::f32::consts::PI * 440.0 * t).sin()
                    + 0.1 * (2.0 * std::f32::consts::PI * 3000.0 * t).sin()
                    + noise
            })
            .collect()
    }

    #[test]
    fn frame_count_matches_kaldi_snip_edges() {
        assert_eq!(Fbank::num_frames(399), 0);
        assert_eq!(Fbank::num_frames(400), 1);
        assert_eq!(Fbank::num_frames(16_000), 98);
        let mut out = Vec::new();
        assert_eq!(Fbank::new().compute(&signal(16_000), &mut out), 98);
        assert_eq!(out.len(), 98 * N_MELS);
    }

    /// Reference values from `shared/models/tools/kaldi_fbank.py` (numpy, f64) on the same
    /// signal: frames 0, 50 and 97, mel bins 0, 10, 20, 40, 79.
    #[test]
    fn matches_the_reference_recipe() {
        let mut out = Vec::new();
        Fbank::new().compute(&signal(16_000), &mut out);
        let at = |f: usize, m: usize| out[f * N_MELS + m];
        for (f, m, want) in REFERENCE {
            let got = at(*f, *m);
            assert!(
                (got - want).abs() < 2e-3,
                "frame {f} mel {m}: got {got}, reference {want}"
            );
        }
    }

    const REFERENCE: &[(usize, usize, f32)] = &[
        (0, 0, 9.12893),
        (0, 10, 15.09755),
        (0, 20, 12.7262),
        (0, 40, 15.67829),
        (0, 79, 19.70368),
        (50, 0, 9.85554),
        (50, 10, 15.11706),
        (50, 20, 13.48377),
        (50, 40, 15.89399),
        (50, 79, 18.16593),
        (97, 0, 9.80857),
        (97, 10, 15.03077),
        (97, 20, 13.60141),
        (97, 40, 15.23977),
        (97, 79, 18.84591),
    ];

    #[test]
    fn silence_is_floored_not_nan() {
        let mut out = Vec::new();
        Fbank::new().compute(&[0.0; 800], &mut out);
        assert!(out.iter().all(|v| v.is_finite()));
        assert!((out[0] - f32::EPSILON.ln()).abs() < 1e-3);
    }

    #[test]
    fn mean_normalize_zeroes_each_bin() {
        let mut out = Vec::new();
        Fbank::new().compute(&signal(8_000), &mut out);
        mean_normalize(&mut out);
        for m in 0..N_MELS {
            let s: f32 = out.chunks_exact(N_MELS).map(|r| r[m]).sum();
            assert!(s.abs() < 1e-2, "bin {m} sums to {s}");
        }
    }
}
