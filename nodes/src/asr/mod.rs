//! Speech recognition backends.

pub(crate) mod callbacks;
pub mod markers;
pub mod whisper;

/// Whisper's English name of a language code (`"en"` → `"english"`), as OpenAI's
/// `verbose_json` reports it.
pub fn language_full_name(code: &str) -> Option<&'static str> {
    whisper_rs::get_lang_id(code).and_then(whisper_rs::get_lang_str_full)
}
