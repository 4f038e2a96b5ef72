//! STFT / inverse STFT the way `torch.stft` / `torch.istft` compute them with
//! `center=True` (reflect padding), a periodic Hann window and no normalisation — the
//! transform UVR's MDX-Net models were trained on.

use realfft::num_complex::Complex32;
use realfft::{ComplexToReal, RealFftPlanner, RealToComplex};
use std::sync::Arc;

pub struct Stft {
    pub n_fft: usize,
    pub hop: usize,
    window: Vec<f32>,
    forward: Arc<dyn RealToComplex<f32>>,
    inverse: Arc<dyn ComplexToReal<f32>>,
    scratch_in: Vec<f32>,
    scratch_spec: Vec<Complex32>,
}

impl Stft {
    pub fn new(n_fft: usize, hop: usize) -> Self {
        let mut planner = RealFftPlanner::<f32>::new();
        let forward = planner.plan_fft_forward(n_fft);
        let inverse = planner.plan_fft_inverse(n_fft);
        // torch.hann_window(n, periodic=True)
        let window = (0..n_fft)
            .map(|i| {
                let x = std::f32::consts::PI * i as f32 / n_fft as f32;
                x.sin() * x.sin()
            })
            .collect();
        Self {
            n_fft,
            hop,
            window,
            scratch_in: forward.make_input_vec(),
            scratch_spec: forward.make_output_vec(),
            forward,
            inverse,
        }
    }

    /// Frequency bins of the one-sided spectrum.
    pub fn bins(&self) -> usize {
        self.n_fft / 2 + 1
    }

    /// Frames `torch.stft(center=True)` gives for `len` samples.
    pub fn frames(&self, len: usize) -> usize {
        1 + len / self.hop
    }

    /// Spectrum of `x`, frame-major: `out[t][k]`, `frames(x.len())` frames of `bins()` bins.
    /// `x` must be longer than `n_fft / 2` (reflect padding).
    pub fn forward(&mut self, x: &[f32]) -> Vec<Vec<Complex32>> {
        let half = self.n_fft / 2;
        assert!(x.len() > half, "signal shorter than half a window");
        let padded_at = |i: isize| -> f32 {
            // Reflect (without repeating the edge sample), as torch's `reflect` mode.
            let n = x.len() as isize;
            let mut j = i - half as isize;
            if j < 0 {
                j = -j;
            }
            if j >= n {
                j = 2 * (n - 1) - j;
            }
            x[j as usize]
        };
        (0..self.frames(x.len()))
            .map(|t| {
                let start = (t * self.hop) as isize;
                for (i, v) in self.scratch_in.iter_mut().enumerate() {
                    *v = padded_at(start + i as isize) * self.window[i];
                }
                self.forward
                    .process(&mut self.scratch_in, &mut self.scratch_spec)
                    .expect("FFT sizes match");
                self.scratch_spec.clone()
            })
            .collect()
    }

    /// Inverse of [`Stft::forward`]: overlap-add of windowed frames divided by the summed
    /// squared window, centre padding removed; `len` samples.
    pub fn inverse(&mut self, spec: &[Vec<Complex32>], len: usize) -> Vec<f32> {
        let half = self.n_fft / 2;
        let total = self.n_fft + self.hop * (spec.len().saturating_sub(1));
        let mut acc = vec![0.0f32; total];
        let mut norm = vec![0.0f32; total];
        let scale = 1.0 / self.n_fft as f32;
        for (t, frame) in spec.iter().enumerate() {
            self.scratch_spec.copy_from_slice(frame);
            // A real signal's DC and Nyquist bins are real; the inverse FFT insists.
            self.scratch_spec[0].im = 0.0;
            let last = self.scratch_spec.len() - 1;
            self.scratch_spec[last].im = 0.0;
            self.inverse
                .process(&mut self.scratch_spec, &mut self.scratch_in)
                .expect("FFT sizes match");
            let start = t * self.hop;
            for i in 0..self.n_fft {
                let w = self.window[i];
                acc[start + i] += self.scratch_in[i] * scale * w;
                norm[start + i] += w * w;
            }
        }
        (0..len)
            .map(|i| {
                let j = i + half;
                if j < total && norm[j] > 1e-11 {
                    acc[j] / norm[j]
                } else {
                    0.0
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_is_identity() {
        let x: Vec<f32> = (0..8192)
            .map(|i| (i as f32 * 0.013).sin() * 0.5 + (i as f32 * 0.31).cos() * 0.1)
            .collect();
        let mut s = Stft::new(1024, 256);
        let spec = s.forward(&x);
        assert_eq!(spec.len(), 1 + 8192 / 256);
        assert_eq!(spec[0].len(), 513);
        let y = s.inverse(&spec, x.len());
        let err = x
            .iter()
            .zip(&y)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f32::max);
        assert!(err < 1e-4, "max error {err}");
    }

    #[test]
    fn sine_lands_in_its_bin() {
        let n_fft = 512;
        let x: Vec<f32> = (0..4096)
            .map(|i| (2.0 * std::f32::consts::PI * 32.0 * i as f32 / n_fft as f32).sin())
            .collect();
        let mut s = Stft::new(n_fft, 128);
        let spec = s.forward(&x);
        let mid = &spec[spec.len() / 2];
        let peak = (0..mid.len())
            .max_by(|a, b| mid[*a].norm().total_cmp(&mid[*b].norm()))
            .unwrap();
        assert_eq!(peak, 32);
    }
}
