//! Apertium: offline rule-based translation through the Debian `apertium` command.
//!
//! * **Pairs** are what is installed: one `<datadir>/modes/<src>-<tgt>.mode` file per
//!   direction (what `apertium -l` lists), e.g. `eng-spa`, `spa-eng`, `spa-eng_US` from
//!   `apertium-eng-spa`. They are read once, when the node is built (server start).
//! * **One process per batch**: `apertium -d <datadir> -u -f txt <mode>`, spawned directly
//!   (no shell of ours; the arguments are fixed strings and an installed mode name), the
//!   text on stdin, the translation on stdout. Starting the pipeline costs ~0.5 s, so a
//!   whole batch of segments goes through one call.
//! * **Segments survive translation**: they are joined with a blank line (`\n\n`). In `txt`
//!   format the deformatter turns blank lines into superblanks that pass through every
//!   stage untouched and marks them as sentence ends, so a segment never borrows words from
//!   its neighbour, and the output splits back on the same blank lines. Segment text is
//!   whitespace-normalised first, so no segment contains a blank line itself. Should the
//!   count ever differ, the batch is translated again one segment per call.
//! * **Bounded**: each call runs in its own process group with a deadline; a timeout or a
//!   cancellation kills the whole pipeline (the `apertium` script starts several programs).

use super::lang::LanguagePair;
use super::{BatchLimits, Translator};
use crate::{CancelToken, NodeError, NodeErrorKind};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Where Debian installs Apertium's language data.
pub const DEFAULT_DATA_DIR: &str = "/usr/share/apertium";

/// The segment separator: a blank line (see the module docs).
const SEPARATOR: &str = "\n\n";

/// Installed Apertium modes and how to run them.
#[derive(Clone, Debug)]
pub struct Apertium {
    program: PathBuf,
    data_dir: PathBuf,
    /// Installed directions, by mode name (`eng-spa`), sorted.
    pairs: Vec<LanguagePair>,
    installed: bool,
    /// Deadline for one call (one batch).
    pub timeout: Duration,
}

impl Apertium {
    /// The system installation: `apertium` on `PATH`, data in [`DEFAULT_DATA_DIR`].
    pub fn system() -> Self {
        Self::discover("apertium", DEFAULT_DATA_DIR)
    }

    /// Reads the installed modes under `data_dir/modes`; `program` is the `apertium` command.
    pub fn discover(program: impl Into<PathBuf>, data_dir: impl Into<PathBuf>) -> Self {
        let program = program.into();
        let data_dir = data_dir.into();
        let installed = find_program(&program).is_some();
        let mut pairs: Vec<LanguagePair> = std::fs::read_dir(data_dir.join("modes"))
            .map(|dir| {
                dir.filter_map(|e| e.ok())
                    .filter_map(|e| {
                        let name = e.file_name().into_string().ok()?;
                        pair_of_mode(name.strip_suffix(".mode")?)
                    })
                    .collect()
            })
            .unwrap_or_default();
        pairs.sort();
        Self {
            program,
            data_dir,
            pairs: if installed { pairs } else { Vec::new() },
            installed,
            timeout: Duration::from_secs(120),
        }
    }

    /// Is the `apertium` command there at all?
    pub fn is_installed(&self) -> bool {
        self.installed
    }

    /// Installed directions (Apertium's ISO 639-3 codes, e.g. `eng` → `spa`).
    pub fn pairs(&self) -> &[LanguagePair] {
        &self.pairs
    }

    /// Mode names, e.g. `eng-spa` (what `apertium -l` prints).
    pub fn mode_names(&self) -> Vec<String> {
        self.pairs
            .iter()
            .map(|p| format!("{}-{}", p.source, p.target))
            .collect()
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Runs one `apertium` call on `input` and returns its stdout.
    fn run(&self, mode: &str, input: String, cancel: &CancelToken) -> Result<String, NodeError> {
        use std::os::unix::process::CommandExt;
        let mut child = Command::new(&self.program)
            .arg("-d")
            .arg(&self.data_dir)
            .args(["-u", "-f", "txt", mode])
            // The script insists on a UTF-8 locale; C.UTF-8 is always present on Debian.
            .env("LC_ALL", "C.UTF-8")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // Its own process group, so a timeout can kill the whole pipeline at once.
            .process_group(0)
            .spawn()
            .map_err(|e| {
                NodeError::new(
                    NodeErrorKind::ModelNotFound,
                    format!(
                        "cannot run `{}`: {e} (install the Debian packages apertium and apertium-<pair>)",
                        self.program.display()
                    ),
                )
            })?;
        let group = rustix::process::Pid::from_child(&child);
        let mut stdin = child.stdin.take();
        let writer = std::thread::spawn(move || {
            // A pipeline that died early closes its stdin: that error shows up as the exit status.
            if let Some(s) = stdin.as_mut() {
                let _ = s.write_all(input.as_bytes());
            }
        });
        let mut stdout = child.stdout.take();
        let reader = std::thread::spawn(move || {
            let mut out = Vec::new();
            if let Some(s) = stdout.as_mut() {
                let _ = s.read_to_end(&mut out);
            }
            out
        });
        let mut stderr = child.stderr.take();
        let err_reader = std::thread::spawn(move || {
            let mut out = Vec::new();
            if let Some(s) = stderr.as_mut() {
                let _ = s.take(64 * 1024).read_to_end(&mut out);
            }
            out
        });
        let deadline = Instant::now() + self.timeout;
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) => {}
                Err(e) => return Err(NodeError::internal(format!("apertium: {e}"))),
            }
            let stop = if cancel.is_cancelled() {
                Some(NodeError::cancelled())
            } else if Instant::now() >= deadline {
                Some(NodeError::inference(format!(
                    "apertium {mode} took longer than {} s; stopped",
                    self.timeout.as_secs()
                )))
            } else {
                None
            };
            if let Some(e) = stop {
                // The group id is the child's pid (`process_group(0)`).
                let _ = rustix::process::kill_process_group(group, rustix::process::Signal::KILL);
                let _ = child.kill();
                let _ = child.wait();
                let _ = writer.join();
                let _ = reader.join();
                let _ = err_reader.join();
                return Err(e);
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let _ = writer.join();
        let out = reader.join().unwrap_or_default();
        let err = err_reader.join().unwrap_or_default();
        if !status.success() {
            let err = String::from_utf8_lossy(&err);
            return Err(NodeError::inference(format!(
                "apertium {mode} failed ({status}): {}",
                err.trim()
            )));
        }
        String::from_utf8(out)
            .map_err(|_| NodeError::inference(format!("apertium {mode} wrote invalid UTF-8")))
    }

    /// One call for the whole batch; `None` when the output does not split back into
    /// `texts.len()` segments.
    fn translate_joined(
        &self,
        mode: &str,
        texts: &[String],
        cancel: &CancelToken,
    ) -> Result<Option<Vec<String>>, NodeError> {
        let mut input = String::with_capacity(texts.iter().map(|t| t.len() + 2).sum());
        for t in texts {
            input.push_str(&one_line(t));
            input.push_str(SEPARATOR);
        }
        let out = self.run(mode, input, cancel)?;
        let mut parts: Vec<String> = out.split(SEPARATOR).map(|p| p.trim().to_string()).collect();
        // The input ends with a separator, so the output's last part is empty.
        if parts.last().is_some_and(|p| p.is_empty()) {
            parts.pop();
        }
        Ok((parts.len() == texts.len()).then_some(parts))
    }
}

impl Translator for Apertium {
    fn describe(&self) -> String {
        "apertium".into()
    }

    fn batch_limits(&self) -> BatchLimits {
        // Large batches amortise the ~0.5 s start; the cap keeps progress and cancellation
        // responsive and one call well inside the timeout.
        BatchLimits {
            max_texts: 1000,
            max_chars: 50_000,
        }
    }

    fn languages(&self) -> Result<Vec<LanguagePair>, NodeError> {
        Ok(self.pairs.clone())
    }

    fn translate(
        &self,
        texts: &[String],
        source: &str,
        target: &str,
        cancel: &CancelToken,
    ) -> Result<Vec<String>, NodeError> {
        let pair = LanguagePair::new(source, target);
        if !self.pairs.contains(&pair) {
            return Err(NodeError::invalid_params(format!(
                "apertium has no installed mode {source}-{target} (installed: {})",
                self.mode_names().join(", ")
            )));
        }
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let mode = format!("{source}-{target}");
        if let Some(parts) = self.translate_joined(&mode, texts, cancel)? {
            return Ok(parts);
        }
        tracing::warn!(
            mode,
            segments = texts.len(),
            "apertium output did not split back into segments; translating one by one"
        );
        texts
            .iter()
            .map(|t| {
                cancel.check()?;
                Ok(self.run(&mode, one_line(t), cancel)?.trim().to_string())
            })
            .collect()
    }
}

/// `src-tgt` (tgt may carry a `_variant`); debug modes with more parts are skipped.
fn pair_of_mode(mode: &str) -> Option<LanguagePair> {
    let (source, target) = mode.split_once('-')?;
    if target.contains('-') || !super::lang::is_valid(source) || !super::lang::is_valid(target) {
        return None;
    }
    Some(LanguagePair::new(source, target))
}

/// Collapses all whitespace (newlines included) to single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `program` itself if it is a path, else the first match on `PATH`.
fn find_program(program: &Path) -> Option<PathBuf> {
    if program.components().count() > 1 {
        return program.is_file().then(|| program.to_path_buf());
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|p| p.is_file())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mode_names_become_pairs() {
        assert_eq!(
            pair_of_mode("eng-spa"),
            Some(LanguagePair::new("eng", "spa"))
        );
        assert_eq!(
            pair_of_mode("spa-eng_US"),
            Some(LanguagePair::new("spa", "eng_US"))
        );
        assert_eq!(pair_of_mode("eng-spa-tagger"), None);
        assert_eq!(pair_of_mode("README"), None);
    }

    #[test]
    fn discovery_reads_the_modes_dir_and_needs_the_program() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("modes")).unwrap();
        for f in [
            "fra-cat.mode",
            "cat-fra.mode",
            "fra-cat-debug.mode",
            "README",
        ] {
            std::fs::write(dir.path().join("modes").join(f), "").unwrap();
        }
        // `true` exists everywhere; it stands in for the program here (nothing is run).
        let a = Apertium::discover("true", dir.path());
        assert!(a.is_installed());
        assert_eq!(a.mode_names(), vec!["cat-fra", "fra-cat"]);
        let missing = Apertium::discover("/nonexistent/apertium", dir.path());
        assert!(!missing.is_installed());
        assert!(missing.pairs().is_empty());
    }

    #[test]
    fn whitespace_collapses_so_no_segment_holds_a_separator() {
        assert_eq!(one_line(" a\n\nb \t c\n"), "a b c");
    }
}
