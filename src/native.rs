//! Where the native libraries that some nodes load at run time are found when no setting
//! names them: ONNX Runtime (`VOXFLOW_ORT_LIB`, the diarization nodes) and DeepFilterNet
//! (`VOXFLOW_DEEPFILTER_DIR`, `bgm.separate`).
//!
//! `scripts/setup-native.sh` installs both under `<checkout>/vendor/`. A path relative to the
//! working directory would lose them whenever `voxflow serve` starts anywhere else, so the
//! default is searched for, in this order:
//! 1. `vendor/` beside the executable and in its parent folders up to three levels (an
//!    installed `voxflow` with `vendor/` next to it; `target/debug/voxflow` in a checkout);
//! 2. `vendor/` in the checkout this binary was built from (`cargo run` with a target dir
//!    elsewhere);
//! 3. `<data dir>/vendor/`;
//! 4. `vendor/` in the working directory (the old default).
//!
//! An explicit setting is used as given (a relative one against the working directory).

use std::path::{Path, PathBuf};

/// The ONNX Runtime library, relative to a `vendor/` folder.
pub const ORT_LIB: &str = "onnxruntime/libonnxruntime.so";
/// DeepFilterNet's folder, relative to a `vendor/` folder.
pub const DEEPFILTER_DIR: &str = "deepfilter";

/// The `vendor/` folders searched, best first (duplicates removed).
pub fn vendor_dirs(data_dir: &Path) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.canonicalize().ok())
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
    {
        for dir in exe_dir.ancestors().take(4) {
            dirs.push(dir.join("vendor"));
        }
    }
    dirs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("vendor"));
    dirs.push(data_dir.join("vendor"));
    if let Ok(cwd) = std::env::current_dir() {
        dirs.push(cwd.join("vendor"));
    }
    let mut unique = Vec::new();
    for d in dirs {
        if !unique.contains(&d) {
            unique.push(d);
        }
    }
    unique
}

/// A native file or folder the service looked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// What the service will load: the first candidate that exists, else the first candidate
    /// (so error messages name a real place to put it).
    pub path: PathBuf,
    pub found: bool,
    /// Every place looked at, in order.
    pub searched: Vec<PathBuf>,
}

/// Looks for `relative` (e.g. [`ORT_LIB`]) in the [`vendor_dirs`].
pub fn locate(relative: &str, data_dir: &Path) -> Located {
    let searched: Vec<PathBuf> = vendor_dirs(data_dir)
        .into_iter()
        .map(|d| d.join(relative))
        .collect();
    match searched.iter().find(|p| p.exists()) {
        Some(p) => Located {
            path: p.clone(),
            found: true,
            searched,
        },
        None => Located {
            path: searched[0].clone(),
            found: false,
            searched,
        },
    }
}

/// One log-friendly line: where it was found, or every place looked at.
pub fn describe(what: &str, setting: &str, located: &Located) -> String {
    if located.found {
        format!("{what}: {}", located.path.display())
    } else {
        let places: Vec<String> = located
            .searched
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        format!(
            "{what} not found (looked in {}); run scripts/setup.sh or set {setting}",
            places.join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_vendor_in_the_data_dir_when_nothing_else_has_it() {
        let data = tempfile::tempdir().expect("tempdir");
        let rel = "voxflow-test-native/lib.so";
        let miss = locate(rel, data.path());
        assert!(!miss.found);
        assert!(miss
            .searched
            .contains(&data.path().join("vendor").join(rel)));
        assert!(describe("x", "VOXFLOW_X", &miss).contains("looked in"));

        std::fs::create_dir_all(data.path().join("vendor/voxflow-test-native")).unwrap();
        std::fs::write(data.path().join("vendor").join(rel), b"").unwrap();
        let hit = locate(rel, data.path());
        assert!(hit.found);
        assert_eq!(hit.path, data.path().join("vendor").join(rel));
    }

    #[test]
    fn the_executables_folder_comes_first() {
        let dirs = vendor_dirs(Path::new("/nonexistent-data"));
        let exe = std::env::current_exe().unwrap().canonicalize().unwrap();
        assert_eq!(dirs[0], exe.parent().unwrap().join("vendor"));
        assert!(dirs.contains(&Path::new(env!("CARGO_MANIFEST_DIR")).join("vendor")));
    }
}
