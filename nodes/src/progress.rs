//! Progress reporting and cancellation.
//!
//! Nodes report progress as a fraction (0..1) plus a message naming the current step,
//! e.g. `"transcribe: 40%"` or `"decode: 12.0 s / 60.0 s"`. [`Steps`] splits a node's run into
//! weighted named steps so each step can report its own 0..1 progress.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Progress callback: `(fraction 0..1, message)`.
pub type ProgressFn = Arc<dyn Fn(f32, &str) + Send + Sync>;

/// A progress callback that ignores every update.
pub fn no_progress() -> ProgressFn {
    Arc::new(|_, _| {})
}

/// Cooperative cancellation flag shared between the service and a running node.
#[derive(Clone, Debug, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    /// `Err(Cancelled)` when cancelled.
    pub fn check(&self) -> Result<(), crate::NodeError> {
        if self.is_cancelled() {
            Err(crate::NodeError::cancelled())
        } else {
            Ok(())
        }
    }

    /// The shared flag (for FFI abort callbacks).
    pub fn flag(&self) -> &Arc<AtomicBool> {
        &self.0
    }
}

/// A named step of a node's run and its share of the whole.
#[derive(Clone, Copy, Debug)]
pub struct Step {
    pub name: &'static str,
    pub weight: f32,
}

/// Maps per-step progress onto the node's overall 0..1 progress.
#[derive(Clone)]
pub struct Steps {
    steps: Vec<Step>,
    total: f32,
    progress: ProgressFn,
}

impl Steps {
    pub fn new(progress: ProgressFn, steps: &[Step]) -> Self {
        let total = steps
            .iter()
            .map(|s| s.weight)
            .sum::<f32>()
            .max(f32::EPSILON);
        Self {
            steps: steps.to_vec(),
            total,
            progress,
        }
    }

    /// Report `fraction` (0..1) of step `name`; `detail` is appended to the message.
    pub fn report(&self, name: &str, fraction: f32, detail: &str) {
        let mut before = 0.0;
        let mut weight = 0.0;
        let mut index = 0;
        for (i, s) in self.steps.iter().enumerate() {
            if s.name == name {
                weight = s.weight;
                index = i;
                break;
            }
            before += s.weight;
        }
        let overall = ((before + weight * fraction.clamp(0.0, 1.0)) / self.total).clamp(0.0, 1.0);
        let msg = if detail.is_empty() {
            format!("{name} ({}/{})", index + 1, self.steps.len())
        } else {
            format!("{name} ({}/{}): {detail}", index + 1, self.steps.len())
        };
        (self.progress)(overall, &msg);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn steps_map_to_overall_fraction() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let s2 = seen.clone();
        let steps = Steps::new(
            Arc::new(move |f, m: &str| s2.lock().unwrap().push((f, m.to_owned()))),
            &[
                Step {
                    name: "load",
                    weight: 1.0,
                },
                Step {
                    name: "run",
                    weight: 3.0,
                },
            ],
        );
        steps.report("load", 1.0, "");
        steps.report("run", 0.5, "half");
        let seen = seen.lock().unwrap();
        assert!((seen[0].0 - 0.25).abs() < 1e-6);
        assert_eq!(seen[0].1, "load (1/2)");
        assert!((seen[1].0 - 0.625).abs() < 1e-6);
        assert_eq!(seen[1].1, "run (2/2): half");
    }

    #[test]
    fn cancel_token_is_shared() {
        let t = CancelToken::new();
        let t2 = t.clone();
        assert!(!t.is_cancelled());
        t2.cancel();
        assert!(t.is_cancelled());
        assert_eq!(t.check().unwrap_err().kind, crate::NodeErrorKind::Cancelled);
    }
}
