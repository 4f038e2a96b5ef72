//! Speech recognition backends.

pub(crate) mod callbacks;
pub mod whisper;
