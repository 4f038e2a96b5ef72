//! CAM++ speaker embeddings (3D-Speaker, 192-dim) of short stretches of audio.
//!
//! Input: Kaldi fbank (see [`super::fbank`]), mean-normalised over the stretch, as
//! `[1, frames, 80]`; output `[1, 192]`, returned L2-normalised so a dot product is the
//! cosine similarity.

use super::fbank::{mean_normalize, Fbank, N_MELS};
use crate::error::NodeError;
use crate::onnx::{inference_error, PooledSession};

pub const DIM: usize = 192;
/// CAM++ needs a few frames; shorter stretches are padded by the caller's choice of window.
pub const MIN_SAMPLES: usize = 8_000;

pub struct Embedder<'a> {
    session: PooledSession<'a>,
    fbank: Fbank,
    feats: Vec<f32>,
}

impl<'a> Embedder<'a> {
    pub fn new(session: PooledSession<'a>) -> Self {
        Self {
            session,
            fbank: Fbank::new(),
            feats: Vec::new(),
        }
    }

    /// The normalised embedding of `samples` (16 kHz, at least ~25 ms).
    pub fn embed(&mut self, samples: &[f32]) -> Result<Vec<f32>, NodeError> {
        self.feats.clear();
        let frames = self.fbank.compute(samples, &mut self.feats);
        if frames == 0 {
            return Err(NodeError::internal(
                "embedding of a stretch shorter than one frame",
            ));
        }
        mean_normalize(&mut self.feats);
        let input =
            ort::value::TensorRef::from_array_view(([1usize, frames, N_MELS], &self.feats[..]))
                .map_err(|e| inference_error("embedding input", e))?;
        let outputs = self
            .session
            .run(ort::inputs![input])
            .map_err(|e| inference_error("speaker embedding", e))?;
        let (_, data) = outputs[0]
            .try_extract_tensor::<f32>()
            .map_err(|e| inference_error("embedding output", e))?;
        if data.len() != DIM {
            return Err(NodeError::inference(format!(
                "embedding model returned {} values, expected {DIM}",
                data.len()
            )));
        }
        let norm = data.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
        Ok(data.iter().map(|x| x / norm).collect())
    }
}
