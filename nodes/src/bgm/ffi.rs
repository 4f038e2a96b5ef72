//! The DeepFilterNet C API (`libdeepfilter.so`), opened at run time with `libloading`.
//!
//! `unsafe` is allowed in this one module of `bgm`: it is the FFI boundary. Everything it
//! exports is safe to call: [`DfLib`] owns the library handle, [`DfState`] owns one model
//! instance and frees it on drop, and frame buffers are checked against the frame length
//! before their pointers cross the boundary.
//!
//! Symbols used (checked with `nm -D` on the wheel's library, signatures from libDF's
//! `capi.rs` at the pinned commit):
//! `df_create(path: *const c_char, atten_lim_db: f32, log_level: *const c_char) -> *mut DFState`,
//! `df_get_frame_length(*mut DFState) -> usize`,
//! `df_process_frame(*mut DFState, in: *mut f32, out: *mut f32) -> f32` (local SNR),
//! `df_free(*mut DFState)`.
//!
//! Caveat paid for: `df_create` *panics across the C ABI* (the process aborts) when the model
//! archive is not a DeepFilterNet model, and `df_process_frame` does the same if processing
//! fails. Callers must only pass a checksum-verified model (see `deepfilter::MODEL_SHA256`)
//! and finite samples.
#![allow(unsafe_code)]

use std::ffi::{c_char, c_void, CString};
use std::path::Path;
use std::ptr::NonNull;
use std::sync::Arc;

type CreateFn = unsafe extern "C" fn(*const c_char, f32, *const c_char) -> *mut c_void;
type FrameLenFn = unsafe extern "C" fn(*mut c_void) -> usize;
type ProcessFn = unsafe extern "C" fn(*mut c_void, *mut f32, *mut f32) -> f32;
type FreeFn = unsafe extern "C" fn(*mut c_void);

/// An opened `libdeepfilter`: the library handle and the function pointers taken from it.
pub struct DfLib {
    create: CreateFn,
    frame_len: FrameLenFn,
    process: ProcessFn,
    free: FreeFn,
    // Keeps the code behind the function pointers mapped; dropped last.
    _lib: libloading::Library,
}

impl std::fmt::Debug for DfLib {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DfLib")
    }
}

impl DfLib {
    /// dlopen `path` and look up every symbol; an error names the path or the missing symbol.
    pub fn open(path: &Path) -> Result<Self, String> {
        // SAFETY: loading runs the library's initialisers; libdeepfilter is a Rust cdylib
        // with no global constructors beyond the Rust runtime's.
        let lib = unsafe { libloading::Library::new(path) }
            .map_err(|e| format!("cannot load {}: {e}", path.display()))?;
        // SAFETY: the types above match libDF's capi.rs at the pinned commit.
        unsafe {
            let create = *lib
                .get::<CreateFn>(b"df_create\0")
                .map_err(|e| format!("{}: {e}", path.display()))?;
            let frame_len = *lib
                .get::<FrameLenFn>(b"df_get_frame_length\0")
                .map_err(|e| format!("{}: {e}", path.display()))?;
            let process = *lib
                .get::<ProcessFn>(b"df_process_frame\0")
                .map_err(|e| format!("{}: {e}", path.display()))?;
            let free = *lib
                .get::<FreeFn>(b"df_free\0")
                .map_err(|e| format!("{}: {e}", path.display()))?;
            Ok(Self {
                create,
                frame_len,
                process,
                free,
                _lib: lib,
            })
        }
    }
}

/// One DeepFilterNet model instance (its own STFT, normalisation and GRU state).
pub struct DfState {
    ptr: NonNull<c_void>,
    frame_len: usize,
    lib: Arc<DfLib>,
}

// SAFETY: a DFState is plain owned Rust data inside the library (no thread-local state);
// moving it to another thread is fine, and `&mut self` on every call prevents sharing.
unsafe impl Send for DfState {}

impl DfState {
    /// `model` must be a verified DeepFilterNet model archive (see the module docs).
    pub fn new(lib: Arc<DfLib>, model: &Path, atten_lim_db: f32) -> Result<Self, String> {
        let path = model
            .to_str()
            .and_then(|s| CString::new(s).ok())
            .ok_or_else(|| format!("model path {} is not UTF-8", model.display()))?;
        // SAFETY: a valid C string, a null log level (no logger), and a verified model.
        let raw = unsafe { (lib.create)(path.as_ptr(), atten_lim_db, std::ptr::null()) };
        let ptr =
            NonNull::new(raw).ok_or_else(|| format!("df_create failed for {}", model.display()))?;
        // SAFETY: `ptr` came from df_create.
        let frame_len = unsafe { (lib.frame_len)(ptr.as_ptr()) };
        let state = Self {
            ptr,
            frame_len,
            lib,
        };
        if frame_len == 0 {
            return Err("df_get_frame_length returned 0".into());
        }
        Ok(state)
    }

    /// Samples per frame (480 at 48 kHz for DeepFilterNet3).
    pub fn frame_len(&self) -> usize {
        self.frame_len
    }

    /// Enhance one frame. `input` must be finite; both slices are `frame_len` long.
    /// Returns the model's local SNR estimate (dB).
    pub fn process(&mut self, input: &mut [f32], output: &mut [f32]) -> f32 {
        assert!(
            input.len() == self.frame_len && output.len() == self.frame_len,
            "DeepFilterNet frames must be {} samples",
            self.frame_len
        );
        // SAFETY: live state; both buffers hold exactly frame_len floats, which is what
        // the library reads and writes.
        unsafe { (self.lib.process)(self.ptr.as_ptr(), input.as_mut_ptr(), output.as_mut_ptr()) }
    }
}

impl Drop for DfState {
    fn drop(&mut self) {
        // SAFETY: created by df_create, freed exactly once.
        unsafe { (self.lib.free)(self.ptr.as_ptr()) }
    }
}
