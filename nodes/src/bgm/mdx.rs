//! UVR / MDX-Net models (user-supplied ONNX files): STFT → model → inverse STFT, chunked
//! the way UVR's `demix` does it.
//!
//! **Expected model** (what UVR's MDX-Net ONNX exports look like):
//! - input `[batch, 4, dim_f, dim_t]` float32, batch 1 or dynamic; channel order
//!   left-real, left-imaginary, right-real, right-imaginary; `dim_f` and `dim_t` static
//!   (e.g. 3072 × 256, or 2048 × 256). `dim_f ≤ n_fft/2 + 1`: the model sees the lowest
//!   `dim_f` bins and the rest are zeroed on the way back.
//! - output: the same shape, the spectrum of one stem (the model's "primary stem":
//!   instrumental for `UVR-MDX-NET-Inst_*`, vocals for `Kim_Vocal_*`; `model_stem` says which).
//! - audio: 44.1 kHz stereo; STFT with a periodic Hann window, `n_fft` 6144 (most
//!   instrumental models) or 7680 (e.g. Kim_Vocal_2), hop 1024, `center=True`.
//!
//! **Chunking.** A window holds `chunk = hop·(dim_t − 1)` samples (so its STFT has exactly
//! `dim_t` frames); consecutive windows overlap by `n_fft` samples and only the middle
//! `chunk − n_fft` of each result is kept (`n_fft/2` of context either side, as UVR trims).
//! Our mono audio is duplicated into both channels and the two output channels averaged.
//! Audio streams through (rate → 44.1 kHz → windows → rate) with one window in memory.

use super::stft::Stft;
use crate::audio::resample::StreamResampler;
use crate::error::NodeError;
use crate::NodeCtx;
use realfft::num_complex::Complex32;

/// The models' sample rate.
pub const MDX_RATE: u32 = 44_100;
/// STFT hop of every MDX-Net model.
pub const HOP: usize = 1024;

/// Shape facts of a loaded model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MdxShape {
    pub dim_f: usize,
    pub dim_t: usize,
    pub n_fft: usize,
}

impl MdxShape {
    /// Samples per window.
    pub fn chunk(&self) -> usize {
        HOP * (self.dim_t - 1)
    }

    /// Samples kept per window.
    pub fn step(&self) -> usize {
        self.chunk() - self.n_fft
    }

    /// Floats in one model input (batch 1).
    pub fn tensor_len(&self) -> usize {
        4 * self.dim_f * self.dim_t
    }
}

/// Check a model's input and output dimensions (ONNX style: −1 = dynamic) against what
/// this engine feeds it; the error says what was expected.
pub fn check_shapes(input: &[i64], output: &[i64], n_fft: usize) -> Result<MdxShape, String> {
    let expect = "an MDX-Net model takes [batch, 4, dim_f, dim_t] float32 (4 = left/right × real/imaginary STFT) and returns the same shape";
    if input.len() != 4 {
        return Err(format!("model input has shape {input:?}: {expect}"));
    }
    if !(input[0] == 1 || input[0] < 0) {
        return Err(format!(
            "model input batch dimension is {}, expected 1 or dynamic",
            input[0]
        ));
    }
    if input[1] != 4 {
        return Err(format!(
            "model input has shape {input:?}: dimension 1 must be 4; {expect}"
        ));
    }
    let (dim_f, dim_t) = (input[2], input[3]);
    if dim_f <= 0 || dim_t <= 0 {
        return Err(format!(
            "model input has shape {input:?}: dim_f and dim_t must be fixed in the model"
        ));
    }
    let bins = n_fft / 2 + 1;
    if dim_f as usize > bins {
        return Err(format!(
            "model input dim_f {dim_f} exceeds n_fft/2 + 1 = {bins}: set `n_fft` to the model's (6144 or 7680 for UVR MDX-Net)"
        ));
    }
    let shape = MdxShape {
        dim_f: dim_f as usize,
        dim_t: dim_t as usize,
        n_fft,
    };
    if shape.chunk() <= n_fft {
        return Err(format!(
            "model input dim_t {dim_t} is too small for n_fft {n_fft}: a window of hop·(dim_t − 1) = {} samples must exceed n_fft",
            shape.chunk()
        ));
    }
    let same = output.len() == 4
        && output
            .iter()
            .zip(input)
            .skip(1)
            .all(|(o, i)| *o < 0 || o == i);
    if !same {
        return Err(format!(
            "model output has shape {output:?}, input {input:?}: {expect}"
        ));
    }
    Ok(shape)
}

/// Run a model over `samples` (mono, `rate` Hz) and return its stem, same length and
/// aligned. `infer` maps one `[1, 4, dim_f, dim_t]` tensor to the model's output tensor.
pub fn stem(
    samples: &[f32],
    rate: u32,
    shape: MdxShape,
    infer: &mut dyn FnMut(Vec<f32>) -> Result<Vec<f32>, NodeError>,
    ctx: &NodeCtx,
) -> Result<Vec<f32>, NodeError> {
    let mut out = Vec::with_capacity(samples.len());
    if samples.is_empty() {
        return Ok(out);
    }
    let mut up = StreamResampler::new(rate, MDX_RATE)?;
    let mut down = StreamResampler::new(MDX_RATE, rate)?;
    let mut stft = Stft::new(shape.n_fft, HOP);
    let (chunk, step, trim) = (shape.chunk(), shape.step(), shape.n_fft / 2);
    // The window: starts `trim` samples before the first sample still to produce.
    let mut window: Vec<f32> = vec![0.0; trim];
    let mut produced = 0usize; // 44.1 kHz samples handed to `down`
    let expected_total = (samples.len() as u128 * MDX_RATE as u128 / rate as u128) as usize;
    let windows_total = expected_total.div_ceil(step).max(1);
    let mut windows_done = 0usize;
    let mut run_window = |window: &mut Vec<f32>,
                          down: &mut StreamResampler,
                          produced: &mut usize,
                          limit: usize|
     -> Result<(), NodeError> {
        ctx.cancel.check()?;
        let result = process_window(&window[..chunk], shape, &mut stft, infer)?;
        let keep = &result[trim..trim + step];
        let keep = &keep[..keep.len().min(limit - *produced)];
        down.push(keep)?;
        *produced += keep.len();
        window.drain(..step);
        windows_done += 1;
        let f = windows_done as f32 / windows_total as f32;
        ctx.report(
            0.05 + 0.9 * f.min(1.0),
            &format!("separate: {:.0}%", f.min(1.0) * 100.0),
        );
        Ok(())
    };
    let block = (rate as usize).max(1);
    let mut clean = Vec::with_capacity(block);
    for piece in samples.chunks(block) {
        clean.clear();
        clean.extend(piece.iter().map(|s| if s.is_finite() { *s } else { 0.0 }));
        up.push(&clean)?;
        up.drain_to(&mut window);
        while window.len() >= chunk {
            run_window(&mut window, &mut down, &mut produced, usize::MAX)?;
        }
        down.drain_to(&mut out);
    }
    let tail = up.finish()?;
    window.extend_from_slice(&tail);
    let total = expected_total;
    while produced < total {
        if window.len() < chunk {
            window.resize(chunk, 0.0);
        }
        run_window(&mut window, &mut down, &mut produced, total)?;
    }
    down.drain_to(&mut out);
    out.extend(down.finish()?);
    out.resize(samples.len(), 0.0);
    Ok(out)
}

/// STFT of one window → model → inverse STFT of the (channel-averaged) output.
fn process_window(
    x: &[f32],
    shape: MdxShape,
    stft: &mut Stft,
    infer: &mut dyn FnMut(Vec<f32>) -> Result<Vec<f32>, NodeError>,
) -> Result<Vec<f32>, NodeError> {
    let MdxShape { dim_f, dim_t, .. } = shape;
    let spec = stft.forward(x);
    debug_assert_eq!(spec.len(), dim_t);
    let plane = dim_f * dim_t;
    let mut input = vec![0.0f32; shape.tensor_len()];
    for (t, frame) in spec.iter().enumerate() {
        for (f, bin) in frame.iter().enumerate().take(dim_f) {
            let i = f * dim_t + t;
            // Mono in both channels: [L.re, L.im, R.re, R.im].
            input[i] = bin.re;
            input[plane + i] = bin.im;
            input[2 * plane + i] = bin.re;
            input[3 * plane + i] = bin.im;
        }
    }
    let output = infer(input)?;
    if output.len() != shape.tensor_len() {
        return Err(NodeError::inference(format!(
            "model returned {} values, expected 4 × {dim_f} × {dim_t}",
            output.len()
        )));
    }
    let bins = stft.bins();
    let out_spec: Vec<Vec<Complex32>> = (0..dim_t)
        .map(|t| {
            let mut frame = vec![Complex32::new(0.0, 0.0); bins];
            for (f, bin) in frame.iter_mut().enumerate().take(dim_f) {
                let i = f * dim_t + t;
                *bin = Complex32::new(
                    0.5 * (output[i] + output[2 * plane + i]),
                    0.5 * (output[plane + i] + output[3 * plane + i]),
                );
            }
            frame
        })
        .collect();
    Ok(stft.inverse(&out_spec, x.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NodeResources;
    use std::sync::Arc;

    #[test]
    fn shapes_are_checked() {
        let ok = check_shapes(&[1, 4, 3072, 256], &[1, 4, 3072, 256], 6144).unwrap();
        assert_eq!(
            ok,
            MdxShape {
                dim_f: 3072,
                dim_t: 256,
                n_fft: 6144
            }
        );
        assert_eq!(ok.chunk(), 261_120);
        check_shapes(&[-1, 4, 2048, 256], &[-1, 4, 2048, -1], 6144).unwrap();
        for (i, o, n, want) in [
            (
                vec![1, 4, 3072],
                vec![1, 4, 3072],
                6144,
                "[batch, 4, dim_f, dim_t]",
            ),
            (vec![2, 4, 3072, 256], vec![2, 4, 3072, 256], 6144, "batch"),
            (
                vec![1, 2, 3072, 256],
                vec![1, 2, 3072, 256],
                6144,
                "dimension 1 must be 4",
            ),
            (vec![1, 4, -1, 256], vec![1, 4, -1, 256], 6144, "fixed"),
            (
                vec![1, 4, 3072, 256],
                vec![1, 4, 3072, 256],
                4096,
                "n_fft/2 + 1 = 2049",
            ),
            (vec![1, 4, 512, 4], vec![1, 4, 512, 4], 6144, "too small"),
            (
                vec![1, 4, 3072, 256],
                vec![1, 2, 3072, 256],
                6144,
                "model output",
            ),
        ] {
            let e = check_shapes(&i, &o, n).unwrap_err();
            assert!(e.contains(want), "{i:?} {o:?}: {e}");
        }
    }

    fn ctx() -> NodeCtx {
        NodeCtx::new(Arc::new(NodeResources::new("/nonexistent")))
    }

    /// An identity "model" gives back the input (band-limited to dim_f bins, which at
    /// 44.1 kHz / 6144 cover 0–14.7 kHz — all of a 16 kHz signal): checks the STFT layout,
    /// the chunking and the alignment end to end without ONNX Runtime.
    #[test]
    fn identity_model_reconstructs_the_input() {
        let shape = MdxShape {
            dim_f: 2048,
            dim_t: 32,
            n_fft: 6144,
        };
        let rate = 16_000;
        let x: Vec<f32> = (0..rate as usize * 5 + 123)
            .map(|i| {
                let t = i as f32 / rate as f32;
                (2.0 * std::f32::consts::PI * 220.0 * t).sin() * 0.4
                    + (2.0 * std::f32::consts::PI * 3100.0 * t).sin() * 0.1
            })
            .collect();
        let mut calls = 0;
        let mut identity = |v: Vec<f32>| {
            calls += 1;
            Ok(v)
        };
        let y = stem(&x, rate, shape, &mut identity, &ctx()).unwrap();
        assert_eq!(y.len(), x.len());
        let err = x[200..x.len() - 200]
            .iter()
            .zip(&y[200..])
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f32::max);
        assert!(err < 0.02, "max error {err}");
        // 5 s at 44.1 kHz in windows of 31·1024 − 6144 = 25,600 samples.
        assert_eq!(calls, (x.len() * 44_100 / 16_000).div_ceil(shape.step()));
    }

    #[test]
    fn zero_model_gives_silence_and_errors_propagate() {
        let shape = MdxShape {
            dim_f: 1024,
            dim_t: 16,
            n_fft: 6144,
        };
        let x = vec![0.3f32; 16_000];
        let mut zero = |v: Vec<f32>| Ok(vec![0.0; v.len()]);
        let y = stem(&x, 16_000, shape, &mut zero, &ctx()).unwrap();
        assert!(y.iter().all(|v| v.abs() < 1e-6));
        let mut short = |_: Vec<f32>| Ok(vec![0.0; 3]);
        let e = stem(&x, 16_000, shape, &mut short, &ctx()).unwrap_err();
        assert!(
            e.message.contains("expected 4 × 1024 × 16"),
            "{}",
            e.message
        );
    }
}
