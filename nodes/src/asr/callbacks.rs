//! whisper.cpp progress and abort callbacks.
//!
//! `unsafe` is allowed in this one module because whisper-rs 0.16's safe wrappers are not
//! usable here: `FullParams::set_abort_callback_safe` stores a `Box<Box<dyn FnMut>>` but
//! registers a trampoline that casts the user data to the closure's concrete type (undefined
//! behaviour), and `set_progress_callback_safe` leaks its closure on every call. Instead we
//! register our own trampolines whose user data points at a [`Callbacks`] value borrowed for
//! exactly the duration of `WhisperState::full` (see [`full_with_callbacks`]).
#![allow(unsafe_code)]

use std::ffi::{c_int, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use whisper_rs::{FullParams, WhisperError, WhisperState, WhisperSysContext, WhisperSysState};

/// What whisper.cpp may call back into while `full` runs.
pub(crate) struct Callbacks<'a> {
    pub cancel: &'a AtomicBool,
    /// Called with whisper's progress in percent (0..=100).
    pub on_progress: &'a (dyn Fn(i32) + Sync),
}

unsafe extern "C" fn abort_trampoline(user_data: *mut c_void) -> bool {
    // SAFETY: `user_data` is the `&Callbacks` set in `full_with_callbacks`, alive until
    // `full` returns, and only read here.
    let cb = unsafe { &*(user_data as *const Callbacks<'_>) };
    cb.cancel.load(Ordering::Relaxed)
}

unsafe extern "C" fn progress_trampoline(
    _ctx: *mut WhisperSysContext,
    _state: *mut WhisperSysState,
    progress: c_int,
    user_data: *mut c_void,
) {
    // SAFETY: as in `abort_trampoline`.
    let cb = unsafe { &*(user_data as *const Callbacks<'_>) };
    // A panic must not unwind into C.
    let _ = catch_unwind(AssertUnwindSafe(|| (cb.on_progress)(progress)));
}

/// Run `state.full(params, samples)` with `callbacks` installed.
pub(crate) fn full_with_callbacks(
    state: &mut WhisperState,
    mut params: FullParams<'_, '_>,
    samples: &[f32],
    callbacks: &Callbacks<'_>,
) -> Result<(), WhisperError> {
    let user_data = callbacks as *const Callbacks<'_> as *mut c_void;
    // SAFETY: the trampolines only read `*user_data`, which outlives this call because
    // `callbacks` is borrowed for the whole function, and `full` does not keep the params.
    unsafe {
        params.set_abort_callback(Some(abort_trampoline));
        params.set_abort_callback_user_data(user_data);
        params.set_progress_callback(Some(progress_trampoline));
        params.set_progress_callback_user_data(user_data);
    }
    state.full(params, samples)
}
