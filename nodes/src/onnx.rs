//! ONNX Runtime for the nodes that run ONNX models (diarization, BGM separation).
//!
//! The runtime is a shared library loaded at run time (`ort` with `load-dynamic`), never
//! linked: Voxflow builds and runs without it, and only the nodes that need it fail — with
//! an error naming the path and how to get the library — when it is missing.
//! `scripts/setup-native.sh` puts it in `vendor/onnxruntime/` (the default path, relative to
//! the working directory); `VOXFLOW_ORT_LIB` points elsewhere.
//!
//! Threads: `ort` keeps the loaded library and its environment process-wide, so the first
//! successful load wins for the whole process. Sessions get a bounded intra-op thread count,
//! one inter-op thread and no spin-waiting (spinning threads steal the few cores the other
//! nodes share). Loaded sessions are pooled per (model, threads): a node checks one out for
//! its run and it goes back on drop, so concurrent runs never share a session and a model is
//! not re-read from disk per job.

use crate::error::{NodeError, NodeErrorKind};
use ort::session::builder::GraphOptimizationLevel;
use ort::session::Session;
use std::collections::HashMap;
use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// Where `scripts/setup-native.sh` installs the library, relative to the repository root.
pub const DEFAULT_LIB_PATH: &str = "vendor/onnxruntime/libonnxruntime.so";

/// Idle sessions kept per (model, threads).
const POOL_PER_KEY: usize = 2;

/// `$VOXFLOW_ORT_LIB`, else [`DEFAULT_LIB_PATH`].
pub fn lib_path_from_env() -> PathBuf {
    std::env::var_os("VOXFLOW_ORT_LIB")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_LIB_PATH))
}

/// The library `ort` loaded in this process, and its build info (process-wide, like `ort`'s
/// own handle). A failed load is not remembered here, so another path may still succeed.
static LOADED: Mutex<Option<(PathBuf, String)>> = Mutex::new(None);

type PoolKey = (PathBuf, usize);

/// Handle on ONNX Runtime for one [`crate::NodeResources`].
pub struct OnnxRuntime {
    lib_path: PathBuf,
    /// Outcome of the first [`OnnxRuntime::init`]: the runtime's build info, or why not.
    status: OnceLock<Result<String, String>>,
    pool: Mutex<HashMap<PoolKey, Vec<Session>>>,
}

impl OnnxRuntime {
    /// A runtime loaded lazily from `lib_path` (nothing is loaded until first use or
    /// [`OnnxRuntime::init`]).
    pub fn new(lib_path: impl Into<PathBuf>) -> Self {
        Self {
            lib_path: lib_path.into(),
            status: OnceLock::new(),
            pool: Mutex::new(HashMap::new()),
        }
    }

    pub fn lib_path(&self) -> &Path {
        &self.lib_path
    }

    /// Loads the library once; returns the runtime's build info, or a
    /// `RuntimeUnavailable` error that says what is missing and how to fix it.
    pub fn init(&self) -> Result<&str, NodeError> {
        self.status
            .get_or_init(|| load(&self.lib_path))
            .as_deref()
            .map_err(|why| NodeError::new(NodeErrorKind::RuntimeUnavailable, why.clone()))
    }

    /// Whether the runtime is usable (loads it on first call).
    pub fn is_available(&self) -> bool {
        self.init().is_ok()
    }

    /// A session for the ONNX model at `model` with at most `threads` intra-op threads,
    /// from the pool or freshly loaded.
    pub fn session(&self, model: &Path, threads: usize) -> Result<PooledSession<'_>, NodeError> {
        self.init()?;
        let key = (model.to_path_buf(), threads.max(1));
        let pooled = self
            .pool
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get_mut(&key)
            .and_then(Vec::pop);
        let session = match pooled {
            Some(s) => s,
            None => load_session(model, key.1)?,
        };
        Ok(PooledSession {
            session: Some(session),
            key,
            runtime: self,
        })
    }
}

fn load(path: &Path) -> Result<String, String> {
    let hint = "run scripts/setup-native.sh (it installs vendor/onnxruntime/libonnxruntime.so \
                from the PyPI onnxruntime wheel) or set VOXFLOW_ORT_LIB to a libonnxruntime.so";
    if !path.is_file() {
        return Err(format!(
            "ONNX Runtime is not available: no library at {}; {hint}",
            path.display()
        ));
    }
    let mut loaded = LOADED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((first, info)) = loaded.as_ref() {
        if first != path {
            tracing::warn!(
                wanted = %path.display(), loaded = %first.display(),
                "ONNX Runtime is already loaded in this process from another path; using it"
            );
        }
        return Ok(info.clone());
    }
    // ort's loader panics on a few malformed libraries instead of returning an error.
    let result = std::panic::catch_unwind(|| {
        ort::init_from(path).map(|env| {
            env.with_name("voxflow").commit();
            ort::info().trim().to_owned()
        })
    });
    match result {
        Ok(Ok(info)) => {
            *loaded = Some((path.to_path_buf(), info.clone()));
            Ok(info)
        }
        Ok(Err(e)) => Err(format!(
            "ONNX Runtime is not available: cannot load {}: {e}; {hint}",
            path.display()
        )),
        Err(_) => Err(format!(
            "ONNX Runtime is not available: loading {} failed; {hint}",
            path.display()
        )),
    }
}

fn load_session(model: &Path, threads: usize) -> Result<Session, NodeError> {
    if !model.is_file() {
        return Err(NodeError::new(
            NodeErrorKind::ModelNotFound,
            format!("ONNX model not found: {}", model.display()),
        ));
    }
    let fail = |e: &dyn std::fmt::Display| {
        NodeError::new(
            NodeErrorKind::ModelLoad,
            format!("cannot load ONNX model {}: {e}", model.display()),
        )
    };
    Session::builder()
        .map_err(|e| fail(&e))?
        .with_optimization_level(GraphOptimizationLevel::Level3)
        .and_then(|b| b.with_intra_threads(threads))
        .and_then(|b| b.with_inter_threads(1))
        .and_then(|b| b.with_intra_op_spinning(false))
        .and_then(|b| b.with_inter_op_spinning(false))
        .map_err(|e| fail(&e))?
        .commit_from_file(model)
        .map_err(|e| fail(&e))
}

/// A session checked out of the pool; it goes back when dropped.
pub struct PooledSession<'a> {
    session: Option<Session>,
    key: PoolKey,
    runtime: &'a OnnxRuntime,
}

impl Deref for PooledSession<'_> {
    type Target = Session;
    fn deref(&self) -> &Session {
        self.session.as_ref().expect("session present until drop")
    }
}

impl DerefMut for PooledSession<'_> {
    fn deref_mut(&mut self) -> &mut Session {
        self.session.as_mut().expect("session present until drop")
    }
}

impl Drop for PooledSession<'_> {
    fn drop(&mut self) {
        if let Some(s) = self.session.take() {
            let mut pool = self.runtime.pool.lock().unwrap_or_else(|e| e.into_inner());
            let idle = pool.entry(self.key.clone()).or_default();
            if idle.len() < POOL_PER_KEY {
                idle.push(s);
            }
        }
    }
}

/// Maps an `ort` inference error to a node error.
pub fn inference_error(what: &str, e: impl std::fmt::Display) -> NodeError {
    NodeError::inference(format!("{what}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_library_is_a_clear_error() {
        let rt = OnnxRuntime::new("/nonexistent/libonnxruntime.so");
        let e = rt.init().unwrap_err();
        assert_eq!(e.kind, NodeErrorKind::RuntimeUnavailable);
        assert!(e.message.contains("/nonexistent/libonnxruntime.so"), "{e}");
        assert!(e.message.contains("setup-native.sh"), "{e}");
        assert!(!rt.is_available());
        let e = rt
            .session(Path::new("/nonexistent/model.onnx"), 1)
            .err()
            .unwrap();
        assert_eq!(e.kind, NodeErrorKind::RuntimeUnavailable);
    }

    #[test]
    fn a_file_that_is_not_the_library_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let bogus = dir.path().join("libonnxruntime.so");
        std::fs::write(&bogus, b"not a shared library").unwrap();
        let e = OnnxRuntime::new(&bogus).init().unwrap_err();
        assert_eq!(e.kind, NodeErrorKind::RuntimeUnavailable);
        assert!(e.message.contains("cannot load"), "{e}");
    }
}
