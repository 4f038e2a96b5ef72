//! Model files: the catalog of known whisper.cpp / VAD models, name resolution, downloads and
//! checksum verification, and the `voxflow models` command.

pub mod catalog;
pub mod cli;
pub mod download;

use catalog::{KnownBuild, ModelEntry};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

pub use catalog::resolve;

/// Result of checking one file against the checksums Voxflow knows for its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Matches a known checksum; `by` says which (`sha256`, `sha1`, or a known build).
    Ok { by: String },
    /// Matches none of the known checksums.
    Mismatch { expected: String, actual: String },
    /// Nothing published to compare with; `sha256` is the file's own digest.
    NoChecksum { sha256: String },
    /// Not checked (e.g. a pull that found the file already installed).
    NotChecked,
}

impl Verdict {
    pub fn is_ok(&self) -> bool {
        matches!(self, Verdict::Ok { .. })
    }

    /// A short human-readable description.
    pub fn describe(&self) -> String {
        match self {
            Verdict::Ok { by } => format!("ok ({by})"),
            Verdict::Mismatch { expected, actual } => {
                format!("MISMATCH: expected {expected}, got sha256 {actual}")
            }
            Verdict::NoChecksum { sha256 } => format!("no published checksum (sha256 {sha256})"),
            Verdict::NotChecked => "not checked".into(),
        }
    }
}

/// SHA-256 and SHA-1 of a file, lower-case hex, in one pass.
pub fn digests(path: &Path) -> io::Result<(String, String)> {
    let mut file = File::open(path)?;
    let mut sha256 = Sha256::new();
    let mut sha1 = Sha1::new();
    let mut buf = vec![0u8; 1024 * 1024];
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        sha256.update(&buf[..n]);
        sha1.update(&buf[..n]);
    }
    Ok((hex::encode(sha256.finalize()), hex::encode(sha1.finalize())))
}

/// Checks the file at `path`, known in the models directory as `file_name`, against the
/// catalog's published checksums and the known builds of that name.
pub fn check_file(file_name: &str, path: &Path) -> io::Result<Verdict> {
    let entry = catalog::find_by_file(file_name);
    let builds: Vec<&KnownBuild> = catalog::known_builds(file_name).collect();
    check_against(entry, &builds, path)
}

/// Checks a file against an entry's checksums and the given known builds.
pub fn check_against(
    entry: Option<&ModelEntry>,
    builds: &[&KnownBuild],
    path: &Path,
) -> io::Result<Verdict> {
    let (sha256, sha1) = digests(path)?;
    let mut expected = Vec::new();
    if let Some(e) = entry {
        if let Some(want) = e.sha256 {
            if want == sha256 {
                return Ok(Verdict::Ok {
                    by: "sha256".into(),
                });
            }
            expected.push(format!("sha256 {want}"));
        }
        if let Some(want) = e.sha1 {
            if want == sha1 {
                return Ok(Verdict::Ok { by: "sha1".into() });
            }
            expected.push(format!("sha1 {want}"));
        }
    }
    for b in builds {
        if b.sha256 == sha256 {
            return Ok(Verdict::Ok {
                by: format!("sha256, {}", b.origin),
            });
        }
        expected.push(format!("sha256 {} ({})", b.sha256, b.origin));
    }
    if expected.is_empty() {
        Ok(Verdict::NoChecksum { sha256 })
    } else {
        Ok(Verdict::Mismatch {
            expected: expected.join(" or "),
            actual: sha256,
        })
    }
}

/// A catalog entry and whether it is installed.
#[derive(Debug, Clone)]
pub struct ListedModel {
    pub entry: &'static ModelEntry,
    /// Size of the installed file, if installed.
    pub installed_bytes: Option<u64>,
}

/// A `.bin` or `.onnx` file in the models directory that is not a catalog entry.
#[derive(Debug, Clone)]
pub struct OtherFile {
    pub file: String,
    pub bytes: u64,
    pub known_build: Option<&'static KnownBuild>,
}

/// What `list` found.
#[derive(Debug, Clone)]
pub struct Listing {
    pub models_dir: PathBuf,
    pub models: Vec<ListedModel>,
    pub others: Vec<OtherFile>,
    /// `<file>.part` files of interrupted downloads.
    pub partial: Vec<(String, u64)>,
}

/// Model-like files (`.bin`, `.onnx`) in a directory, sorted by name. A missing directory
/// has none.
fn model_files(dir: &Path) -> io::Result<Vec<(String, u64, PathBuf)>> {
    let read = match std::fs::read_dir(dir) {
        Ok(r) => r,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut out = Vec::new();
    for item in read {
        let item = item?;
        let path = item.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
            continue;
        };
        // `metadata` follows symlinks, so a link to a model counts as the model.
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if meta.is_file() {
            out.push((name, meta.len(), path));
        }
    }
    out.sort();
    Ok(out)
}

fn is_model_file(name: &str) -> bool {
    name.ends_with(".bin") || name.ends_with(".onnx")
}

/// Every catalog entry with installed yes/no and size, plus the other model files found.
pub fn list(models_dir: &Path) -> io::Result<Listing> {
    let files = model_files(models_dir)?;
    let size_of = |file: &str| files.iter().find(|(n, _, _)| n == file).map(|(_, b, _)| *b);
    let models = catalog::CATALOG
        .iter()
        .map(|entry| ListedModel {
            entry,
            installed_bytes: size_of(entry.file),
        })
        .collect();
    let others = files
        .iter()
        .filter(|(n, _, _)| is_model_file(n) && catalog::find_by_file(n).is_none())
        .map(|(n, b, _)| OtherFile {
            file: n.clone(),
            bytes: *b,
            known_build: catalog::known_builds(n).next(),
        })
        .collect();
    let partial = files
        .iter()
        .filter(|(n, _, _)| n.ends_with(".part"))
        .map(|(n, b, _)| (n.clone(), *b))
        .collect();
    Ok(Listing {
        models_dir: models_dir.to_path_buf(),
        models,
        others,
        partial,
    })
}

/// One verified file.
#[derive(Debug, Clone)]
pub struct Verified {
    pub file: String,
    pub bytes: u64,
    pub verdict: Verdict,
}

/// Checks every `.bin` / `.onnx` file in the models directory.
pub fn verify(models_dir: &Path) -> io::Result<Vec<Verified>> {
    model_files(models_dir)?
        .into_iter()
        .filter(|(n, _, _)| is_model_file(n))
        .map(|(file, bytes, path)| {
            let verdict = check_file(&file, &path)?;
            Ok(Verified {
                file,
                bytes,
                verdict,
            })
        })
        .collect()
}

/// `1.5 GiB`, `42.0 MiB`, `864.4 KiB`, `12 B`.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}
