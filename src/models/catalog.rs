//! The static catalog of model files Voxflow knows by name, and name → file resolution.
//!
//! Whisper names follow whisper.cpp's `models/download-ggml-model.sh` (the official list of
//! pre-converted files on Hugging Face, `ggerganov/whisper.cpp`, file `ggml-<name>.bin`), less
//! the tinydiarize model that lives in another repository. VAD names follow
//! `models/download-vad-model.sh` (`ggml-org/whisper-vad`).
//!
//! Checksums:
//! - `sha1`: the SHA-1 column of the model card of `ggerganov/whisper.cpp` on Hugging Face
//!   (the same values as whisper.cpp's `models/README.md` for the entries both list).
//! - `sha256`: no official SHA-256 list is published for the whisper.cpp files and none could
//!   be verified here, so they are `None`; verification then falls back to SHA-1. The only
//!   SHA-256 values are those of the files built for this project (`shared/models/README.md`):
//!   `ggml-silero-v6.2.3.bin` (a catalog entry) and [`KNOWN_BUILDS`].
//! - The Silero VAD files on `ggml-org/whisper-vad` have no published checksum we could find:
//!   both fields are `None` and verification says "no published checksum".
//! - The diarization models (pyannote segmentation-3.0 and 3D-Speaker CAM++, both ONNX) come
//!   from sherpa-onnx's exports on Hugging Face, pinned to a commit, with the SHA-256 and size
//!   those pinned files are published with. They have the tensor contract the diarization
//!   nodes expect (segmentation: `[batch, 1, samples]` → `[batch, 589, 7]` powerset scores per
//!   10 s window; CAM++: `[1, frames, 80]` Kaldi fbank → `[1, 192]`). The project's own exports
//!   of the same checkpoints (`shared/models`) are accepted by their digests ([`KNOWN_BUILDS`]).

use std::path::{Path, PathBuf};

/// What a model file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelKind {
    /// A whisper.cpp speech-to-text model.
    Whisper,
    /// A voice-activity-detection model for whisper.cpp's VAD.
    Vad,
    /// A speaker-segmentation model (ONNX) for `diarize.pyannote`.
    Segmentation,
    /// A speaker-embedding model (ONNX) for `diarize.pyannote`.
    Embedding,
}

impl ModelKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ModelKind::Whisper => "whisper",
            ModelKind::Vad => "vad",
            ModelKind::Segmentation => "segment",
            ModelKind::Embedding => "embed",
        }
    }
}

/// One model Voxflow knows by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelEntry {
    /// The name used on the command line, e.g. `tiny.en-q8_0`.
    pub name: &'static str,
    /// File name in the models directory: `ggml-<name>.bin` for whisper.cpp files,
    /// `<name>.onnx` for ONNX models.
    pub file: &'static str,
    pub kind: ModelKind,
    /// Whisper: transcribes languages other than English (and translates). VAD: `false`.
    pub multilingual: bool,
    /// Approximate size in bytes (exact where known).
    pub approx_bytes: u64,
    /// Published SHA-256 of the file, lower-case hex.
    pub sha256: Option<&'static str>,
    /// Published SHA-1 of the file, lower-case hex.
    pub sha1: Option<&'static str>,
    /// Download path relative to the models base URL (a Hugging Face host or a mirror with the
    /// same `<owner>/<repo>/resolve/<revision>/<file>` layout). `None`: no known download
    /// location. The last path segment may differ from `file` (the file is renamed).
    pub path: Option<&'static str>,
}

impl ModelEntry {
    /// The quantization suffix (`q5_0`, `q5_1`, `q8_0`), if any.
    pub fn quant(&self) -> Option<&'static str> {
        split_quant(self.name).1
    }
}

/// A file built for this project (not an official download), accepted by its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownBuild {
    pub file: &'static str,
    pub bytes: u64,
    pub sha256: &'static str,
    pub origin: &'static str,
}

/// The files in `shared/models/` that are not official downloads (`shared/models/README.md`).
/// `ggml-tiny.en-q8_0.bin` and `ggml-base-q8_0.bin` there were converted from CTranslate2
/// checkpoints, so they differ byte-wise from the official files of the same name: they are
/// accepted by these digests, the official ones by the catalog's SHA-1.
pub const KNOWN_BUILDS: &[KnownBuild] = &[
    KnownBuild {
        file: "ggml-tiny.en-q8_0.bin",
        bytes: 43_550_778,
        sha256: "caa561c4750b82096acc921896235870aaf356b637305f37510dd7fbf21b7851",
        origin: "Voxflow build from faster-whisper tiny.en",
    },
    KnownBuild {
        file: "ggml-base-q8_0.bin",
        bytes: 81_768_585,
        sha256: "075951db1782e5e3bb87b5932148ab6c5a4d3a26bdf696da4519405b93f7b0c3",
        origin: "Voxflow build from faster-whisper base",
    },
    KnownBuild {
        file: "pyannote-segmentation-3.0.onnx",
        bytes: 5_983_773,
        sha256: "88f2d960584326839a4afba36f5155a44fdde54df5690ee6578421dcbed64f08",
        origin: "Voxflow export of pyannote segmentation-3.0",
    },
    KnownBuild {
        file: "campplus_cn_en_common.onnx",
        bytes: 28_284_100,
        sha256: "100368750490183d093331079d6124ee52344be3934d30b9d22b8bdd09733a8b",
        origin: "Voxflow export of 3D-Speaker CAM++",
    },
];

/// Quantization suffixes, in the order a bare name falls back to them.
pub const QUANT_PREFERENCE: &[&str] = &["q8_0", "q5_1", "q5_0"];

const MIB: u64 = 1024 * 1024;

const fn english_only(name: &str) -> bool {
    let b = name.as_bytes();
    let mut i = 0;
    while i + 3 <= b.len() {
        if b[i] == b'.' && b[i + 1] == b'e' && b[i + 2] == b'n' {
            return true;
        }
        i += 1;
    }
    false
}

macro_rules! whisper {
    ($name:literal, $mib:expr, $sha1:literal) => {
        ModelEntry {
            name: $name,
            file: concat!("ggml-", $name, ".bin"),
            kind: ModelKind::Whisper,
            multilingual: !english_only($name),
            approx_bytes: ($mib * MIB as f64) as u64,
            sha256: None,
            sha1: Some($sha1),
            path: Some(concat!(
                "ggerganov/whisper.cpp/resolve/main/ggml-",
                $name,
                ".bin"
            )),
        }
    };
}

/// Every model Voxflow can name, in display order.
pub const CATALOG: &[ModelEntry] = &[
    whisper!("tiny", 75.0, "bd577a113a864445d4c299885e0cb97d4ba92b5f"),
    whisper!(
        "tiny-q5_1",
        31.0,
        "2827a03e495b1ed3048ef28a6a4620537db4ee51"
    ),
    whisper!(
        "tiny-q8_0",
        42.0,
        "19e8118f6652a650569f5a949d962154e01571d9"
    ),
    whisper!("tiny.en", 75.0, "c78c86eb1a8faa21b369bcd33207cc90d64ae9df"),
    whisper!(
        "tiny.en-q5_1",
        31.0,
        "3fb92ec865cbbc769f08137f22470d6b66e071b6"
    ),
    whisper!(
        "tiny.en-q8_0",
        42.0,
        "802d6668e7d411123e672abe4cb6c18f12306abb"
    ),
    whisper!("base", 142.0, "465707469ff3a37a2b9b8d8f89f2f99de7299dac"),
    whisper!(
        "base-q5_1",
        57.0,
        "a3733eda680ef76256db5fc5dd9de8629e62c5e7"
    ),
    whisper!(
        "base-q8_0",
        78.0,
        "7bb89bb49ed6955013b166f1b6a6c04584a20fbe"
    ),
    whisper!("base.en", 142.0, "137c40403d78fd54d454da0f9bd998f78703390c"),
    whisper!(
        "base.en-q5_1",
        57.0,
        "d26d7ce5a1b6e57bea5d0431b9c20ae49423c94a"
    ),
    whisper!(
        "base.en-q8_0",
        78.0,
        "bb1574182e9b924452bf0cd1510ac034d323e948"
    ),
    whisper!("small", 466.0, "55356645c2b361a969dfd0ef2c5a50d530afd8d5"),
    whisper!(
        "small-q5_1",
        181.0,
        "6fe57ddcfdd1c6b07cdcc73aaf620810ce5fc771"
    ),
    whisper!(
        "small-q8_0",
        252.0,
        "bcad8a2083f4e53d648d586b7dbc0cd673d8afad"
    ),
    whisper!(
        "small.en",
        466.0,
        "db8a495a91d927739e50b3fc1cc4c6b8f6c2d022"
    ),
    whisper!(
        "small.en-q5_1",
        181.0,
        "20f54878d608f94e4a8ee3ae56016571d47cba34"
    ),
    whisper!(
        "small.en-q8_0",
        252.0,
        "9d75ff4ccfa0a8217870d7405cf8cef0a5579852"
    ),
    whisper!("medium", 1536.0, "fd9727b6e1217c2f614f9b698455c4ffd82463b4"),
    whisper!(
        "medium-q5_0",
        514.0,
        "7718d4c1ec62ca96998f058114db98236937490e"
    ),
    whisper!(
        "medium-q8_0",
        785.0,
        "e66645948aff4bebbec71b3485c576f3d63af5d6"
    ),
    whisper!(
        "medium.en",
        1536.0,
        "8c30f0e44ce9560643ebd10bbe50cd20eafd3723"
    ),
    whisper!(
        "medium.en-q5_0",
        514.0,
        "bb3b5281bddd61605d6fc76bc5b92d8f20284c3b"
    ),
    whisper!(
        "medium.en-q8_0",
        785.0,
        "b1cf48c12c807e14881f634fb7b6c6ca867f6b38"
    ),
    whisper!(
        "large-v1",
        2970.0,
        "b1caaf735c4cc1429223d5a74f0f4d0b9b59a299"
    ),
    whisper!(
        "large-v2",
        2970.0,
        "0f4c8e34f21cf1a914c59d8b3ce882345ad349d6"
    ),
    whisper!(
        "large-v2-q5_0",
        1126.0,
        "00e39f2196344e901b3a2bd5814807a769bd1630"
    ),
    whisper!(
        "large-v2-q8_0",
        1536.0,
        "da97d6ca8f8ffbeeb5fd147f79010eeea194ba38"
    ),
    whisper!(
        "large-v3",
        2970.0,
        "ad82bf6a9043ceed055076d0fd39f5f186ff8062"
    ),
    whisper!(
        "large-v3-q5_0",
        1126.0,
        "e6e2ed78495d403bef4b7cff42ef4aaadcfea8de"
    ),
    whisper!(
        "large-v3-turbo",
        1536.0,
        "4af2b29d7ec73d781377bfd1758ca957a807e941"
    ),
    whisper!(
        "large-v3-turbo-q5_0",
        547.0,
        "e050f7970618a659205450ad97eb95a18d69c9ee"
    ),
    whisper!(
        "large-v3-turbo-q8_0",
        834.0,
        "01bf15bedffe9f39d65c1b6ff9b687ea91f59e0e"
    ),
    // Silero VAD. Newest first: `silero` resolves to the first one installed.
    ModelEntry {
        name: "silero-v6.2.3",
        file: "ggml-silero-v6.2.3.bin",
        kind: ModelKind::Vad,
        multilingual: false,
        approx_bytes: 885_098,
        // The project's own conversion (shared/models/README.md).
        sha256: Some("7589faf6fa057724488dfafa9766da709383d40126c2a45e3caef904cdf4a8c3"),
        sha1: None,
        // Not known to be published for download: copy it from shared/models.
        path: None,
    },
    ModelEntry {
        name: "silero-v6.2.0",
        file: "ggml-silero-v6.2.0.bin",
        kind: ModelKind::Vad,
        multilingual: false,
        approx_bytes: 885_000,
        sha256: None,
        sha1: None,
        path: Some("ggml-org/whisper-vad/resolve/main/ggml-silero-v6.2.0.bin"),
    },
    ModelEntry {
        name: "silero-v5.1.2",
        file: "ggml-silero-v5.1.2.bin",
        kind: ModelKind::Vad,
        multilingual: false,
        approx_bytes: 885_000,
        sha256: None,
        sha1: None,
        path: Some("ggml-org/whisper-vad/resolve/main/ggml-silero-v5.1.2.bin"),
    },
    // Speaker diarization (`diarize.pyannote`'s default `segmentation_model` and
    // `embedding_model`), pinned to the commits these checksums were published for.
    ModelEntry {
        name: "pyannote-segmentation-3.0",
        file: "pyannote-segmentation-3.0.onnx",
        kind: ModelKind::Segmentation,
        multilingual: true,
        approx_bytes: 5_992_913,
        sha256: Some("220ad67ca923bef2fa91f2390c786097bf305bceb5e261d4af67b38e938e1079"),
        sha1: None,
        path: Some(
            "csukuangfj/sherpa-onnx-pyannote-segmentation-3-0/resolve/9403a6902bb58e3d5ae8c7e77c3422de279db2e0/model.onnx",
        ),
    },
    ModelEntry {
        name: "campplus_cn_en_common",
        file: "campplus_cn_en_common.onnx",
        kind: ModelKind::Embedding,
        multilingual: true,
        approx_bytes: 28_281_164,
        sha256: Some("aa3cfc16963a10586a9393f5035d6d6b57e98d358b347f80c2a30bf4f00ceba2"),
        sha1: None,
        path: Some(
            "csukuangfj/speaker-embedding-models/resolve/0743f301363dec56491a490f6d6cbc9d67f9a3bf/3dspeaker_speech_campplus_sv_zh_en_16k-common_advanced.onnx",
        ),
    },
];

/// What `voxflow models pull --defaults` installs: the default Whisper model (the setting
/// `default_model`, passed in), a Silero VAD (`silero`: any version satisfies it) and the two
/// diarization models. Music separation's DeepFilterNet3 model ships with its library
/// (`scripts/setup-native.sh`).
pub fn default_models(default_whisper: &str) -> Vec<&'static str> {
    let whisper = find(default_whisper).map_or("base", |e| e.name);
    vec![
        whisper,
        "silero",
        "pyannote-segmentation-3.0",
        "campplus_cn_en_common",
    ]
}

/// Splits `tiny.en-q8_0` into (`tiny.en`, `Some("q8_0")`).
pub fn split_quant(name: &str) -> (&str, Option<&'static str>) {
    for q in QUANT_PREFERENCE {
        if let Some(base) = name.strip_suffix(q).and_then(|b| b.strip_suffix('-')) {
            return (base, Some(q));
        }
    }
    (name, None)
}

/// `ggml-tiny.en.bin`, `tiny.en.bin` and `tiny.en` all name `tiny.en`;
/// `pyannote-segmentation-3.0.onnx` names `pyannote-segmentation-3.0`.
pub fn normalize(name: &str) -> &str {
    let name = name.trim();
    if let Some(onnx) = name.strip_suffix(".onnx") {
        return onnx;
    }
    let name = name.strip_prefix("ggml-").unwrap_or(name);
    name.strip_suffix(".bin").unwrap_or(name)
}

/// The catalog entry for a name (`tiny.en`) or file name (`ggml-tiny.en.bin`).
pub fn find(name: &str) -> Option<&'static ModelEntry> {
    let name = normalize(name);
    CATALOG.iter().find(|e| e.name == name)
}

/// The catalog entry for a file name in the models directory.
pub fn find_by_file(file: &str) -> Option<&'static ModelEntry> {
    CATALOG.iter().find(|e| e.file == file)
}

/// The locally built files known under this file name.
pub fn known_builds(file: &str) -> impl Iterator<Item = &'static KnownBuild> + '_ {
    KNOWN_BUILDS.iter().filter(move |b| b.file == file)
}

/// Catalog entries a name may be satisfied by, best first: the exact name, then for a name
/// without a quantization suffix its `q8_0`, `q5_1` and `q5_0` variants; `silero` stands for
/// every Silero VAD entry, newest first.
pub fn candidates(name: &str) -> Vec<&'static ModelEntry> {
    let name = normalize(name);
    if name == "silero" || name == "vad" {
        return CATALOG
            .iter()
            .filter(|e| e.kind == ModelKind::Vad)
            .collect();
    }
    let mut out: Vec<&'static ModelEntry> = find(name).into_iter().collect();
    if split_quant(name).1.is_none() {
        for q in QUANT_PREFERENCE {
            let quantized = format!("{name}-{q}");
            if let Some(e) = CATALOG.iter().find(|e| e.name == quantized) {
                out.push(e);
            }
        }
    }
    out
}

/// The installed file for a model name: the exact file if present, else for a name without
/// a quantization suffix the first installed of its `q8_0`, `q5_1`, `q5_0` variants. Also
/// accepts file names (`ggml-silero-v6.2.3.bin`). `None` for unknown names and for known
/// names with no installed file. Quantizations whisper.cpp does not publish (a locally made
/// `ggml-base-q5_0.bin`) are found too, by their own name and as fallbacks.
pub fn resolve(name: &str, models_dir: &Path) -> Option<PathBuf> {
    let norm = normalize(name);
    let mut files: Vec<String> = candidates(norm)
        .iter()
        .map(|e| e.file.to_string())
        .collect();
    // A quantization whisper.cpp does not publish (e.g. `base-q5_0`) made locally.
    if let (None, (base, Some(_))) = (find(norm), split_quant(norm)) {
        if find(base).is_some_and(|e| e.kind == ModelKind::Whisper) {
            files.push(format!("ggml-{norm}.bin"));
        }
    }
    if let Some(exact) = find(norm) {
        if exact.kind == ModelKind::Whisper && split_quant(norm).1.is_none() {
            for q in QUANT_PREFERENCE {
                let file = format!("ggml-{norm}-{q}.bin");
                if !files.contains(&file) {
                    files.push(file);
                }
            }
        }
    }
    files
        .into_iter()
        .map(|f| models_dir.join(f))
        .find(|p| p.is_file())
}

/// Catalog names close to an unknown one, for "did you mean" hints (at most five).
pub fn suggest(name: &str) -> Vec<&'static str> {
    let name = normalize(name).to_ascii_lowercase();
    let mut scored: Vec<(usize, &'static str)> = CATALOG
        .iter()
        .filter_map(|e| {
            let d = edit_distance(&name, e.name);
            let close = d <= 2 + name.len() / 4
                || (name.len() >= 3 && (e.name.starts_with(&name) || name.starts_with(e.name)));
            close.then_some((d, e.name))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(5).map(|(_, n)| n).collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_is_consistent() {
        for e in CATALOG {
            match e.kind {
                ModelKind::Whisper | ModelKind::Vad => {
                    assert_eq!(e.file, format!("ggml-{}.bin", e.name));
                    if let Some(p) = e.path {
                        assert!(p.ends_with(e.file), "{p}");
                    }
                }
                ModelKind::Segmentation | ModelKind::Embedding => {
                    assert_eq!(e.file, format!("{}.onnx", e.name));
                    assert!(e.path.is_some_and(|p| p.ends_with(".onnx")));
                    assert!(e.sha256.is_some(), "{} needs a checksum", e.name);
                }
            }
            for h in e.sha256.iter().chain(e.sha1.iter()) {
                assert!(h
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
            }
            assert_eq!(e.sha256.map_or(64, str::len), 64);
            assert_eq!(e.sha1.map_or(40, str::len), 40);
        }
        let names: std::collections::HashSet<_> = CATALOG.iter().map(|e| e.name).collect();
        assert_eq!(names.len(), CATALOG.len(), "duplicate names");
        assert!(find("tiny.en").is_some_and(|e| !e.multilingual));
        assert!(find("large-v3-turbo").is_some_and(|e| e.multilingual));
        for name in default_models("base")
            .into_iter()
            .chain(default_models("nonsense"))
        {
            assert!(
                candidates(name).iter().any(|e| e.path.is_some()),
                "{name} cannot be downloaded"
            );
        }
        assert_eq!(default_models("tiny.en")[0], "tiny.en");
        assert_eq!(
            find("campplus_cn_en_common.onnx").map(|e| e.kind),
            Some(ModelKind::Embedding)
        );
    }

    #[test]
    fn quant_split_and_suggestions() {
        assert_eq!(split_quant("tiny.en-q8_0"), ("tiny.en", Some("q8_0")));
        assert_eq!(split_quant("large-v3"), ("large-v3", None));
        assert_eq!(normalize("ggml-base.en.bin"), "base.en");
        let s = suggest("tiny.enn");
        assert!(s.contains(&"tiny.en"), "{s:?}");
        assert!(suggest("zzzzzzzzzzzzzzzz").is_empty());
    }
}
