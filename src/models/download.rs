//! Downloading catalog models: stream to `<file>.part`, resume it with an HTTP `Range`
//! request, check the published checksum, then rename into place.

use super::catalog::{known_builds, ModelEntry};
use super::{check_against, Verdict};
use std::fs::{self, File, OpenOptions};
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Default `models_base_url`: the Hugging Face host. Catalog paths carry the repository
/// (`ggerganov/whisper.cpp/resolve/main/…`, `ggml-org/whisper-vad/resolve/main/…`), so a
/// mirror must use the same layout.
pub const DEFAULT_BASE_URL: &str = "https://huggingface.co";

#[derive(Debug, thiserror::Error)]
pub enum PullError {
    #[error("model {0} has no known download location")]
    NotDownloadable(String),
    #[error("GET {url}: HTTP {status}")]
    Http { url: String, status: u16 },
    #[error("GET {url}: {source}")]
    Transport {
        url: String,
        #[source]
        source: Box<ureq::Error>,
    },
    #[error("GET {url}: the server sent {got} bytes, expected {expected}; the partial file is kept for resuming")]
    Truncated {
        url: String,
        got: u64,
        expected: u64,
    },
    #[error("checksum mismatch for {file}: expected {expected}, got sha256 {actual}; the download was deleted")]
    ChecksumMismatch {
        file: String,
        expected: String,
        actual: String,
    },
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: io::Error,
    },
}

fn io_err(context: impl Into<String>) -> impl FnOnce(io::Error) -> PullError {
    let context = context.into();
    move |source| PullError::Io { context, source }
}

/// What a successful pull did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullOutcome {
    pub path: PathBuf,
    pub bytes: u64,
    /// The file was already installed; nothing was downloaded.
    pub already_installed: bool,
    /// Bytes of an earlier `.part` file that were kept (resumed from).
    pub resumed_from: u64,
    /// The server ignored or refused the `Range` request and the download started over.
    pub restarted: bool,
    pub verdict: Verdict,
}

/// Receives download progress. All methods default to doing nothing.
pub trait Progress {
    fn start(&mut self, _file: &str, _url: &str, _offset: u64, _total: Option<u64>) {}
    fn advance(&mut self, _done: u64, _total: Option<u64>) {}
    fn note(&mut self, _message: &str) {}
    fn finish(&mut self, _file: &str, _bytes: u64) {}
}

/// Reports nothing.
pub struct NoProgress;
impl Progress for NoProgress {}

/// A progress bar on stderr when it is a terminal; otherwise start and finish lines only.
pub struct StderrProgress {
    tty: bool,
    started: Instant,
    last_draw: Option<Instant>,
    offset: u64,
}

impl StderrProgress {
    pub fn new() -> Self {
        Self {
            tty: io::stderr().is_terminal(),
            started: Instant::now(),
            last_draw: None,
            offset: 0,
        }
    }

    fn draw(&mut self, done: u64, total: Option<u64>, force: bool) {
        let now = Instant::now();
        if !force
            && self
                .last_draw
                .is_some_and(|t| now - t < Duration::from_millis(100))
        {
            return;
        }
        self.last_draw = Some(now);
        let secs = (now - self.started).as_secs_f64().max(0.001);
        let rate = done.saturating_sub(self.offset) as f64 / secs;
        let line = match total {
            Some(total) if total > 0 => {
                let frac = (done as f64 / total as f64).clamp(0.0, 1.0);
                let width = 30;
                let filled = (frac * width as f64) as usize;
                format!(
                    "[{}{}] {:>5.1}% {} / {} {}/s",
                    "#".repeat(filled),
                    "-".repeat(width - filled),
                    frac * 100.0,
                    super::human_bytes(done),
                    super::human_bytes(total),
                    super::human_bytes(rate as u64)
                )
            }
            _ => format!(
                "{} {}/s",
                super::human_bytes(done),
                super::human_bytes(rate as u64)
            ),
        };
        let mut err = io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{line}");
        let _ = err.flush();
    }
}

impl Drop for StderrProgress {
    /// Ends an unfinished bar line so that an error message starts on its own line.
    fn drop(&mut self) {
        if self.tty && self.last_draw.is_some() {
            eprintln!();
        }
    }
}

impl Default for StderrProgress {
    fn default() -> Self {
        Self::new()
    }
}

impl Progress for StderrProgress {
    fn start(&mut self, file: &str, url: &str, offset: u64, total: Option<u64>) {
        self.started = Instant::now();
        self.offset = offset;
        if offset > 0 {
            eprintln!(
                "Downloading {file} from {url} (resuming at {})",
                super::human_bytes(offset)
            );
        } else {
            eprintln!("Downloading {file} from {url}");
        }
        if self.tty {
            self.draw(offset, total, true);
        }
    }

    fn advance(&mut self, done: u64, total: Option<u64>) {
        if self.tty {
            self.draw(done, total, false);
        }
    }

    fn note(&mut self, message: &str) {
        if self.tty && self.last_draw.is_some() {
            eprintln!();
            self.last_draw = None;
        }
        eprintln!("{message}");
    }

    fn finish(&mut self, file: &str, bytes: u64) {
        if self.tty && self.last_draw.is_some() {
            self.draw(bytes, Some(bytes), true);
            eprintln!();
            self.last_draw = None;
        }
        eprintln!(
            "Downloaded {file} ({}) in {:.1}s",
            super::human_bytes(bytes),
            self.started.elapsed().as_secs_f64()
        );
    }
}

/// The URL a catalog entry is downloaded from.
pub fn url_for(entry: &ModelEntry, base_url: &str) -> Option<String> {
    entry.path.map(|p| {
        format!(
            "{}/{}",
            base_url.trim_end_matches('/'),
            p.trim_start_matches('/')
        )
    })
}

/// Path of the partial download for a file.
pub fn part_path(dir: &Path, file: &str) -> PathBuf {
    dir.join(format!("{file}.part"))
}

/// An agent that reports HTTP statuses instead of failing on them, and uses the proxy from
/// the environment except for loopback URLs.
fn agent(url: &str) -> ureq::Agent {
    let proxy = if is_loopback(url) {
        None
    } else {
        ureq::Proxy::try_from_env()
    };
    ureq::Agent::config_builder()
        .proxy(proxy)
        .http_status_as_error(false)
        .timeout_connect(Some(Duration::from_secs(30)))
        .timeout_per_read(Some(Duration::from_secs(60)))
        .user_agent(concat!("voxflow/", env!("CARGO_PKG_VERSION")))
        .build()
        .new_agent()
}

/// Downloads `entry` from `base_url` into `dir` unless its file is already there.
///
/// An existing `<file>.part` is resumed with `Range: bytes=<len>-`; a server that answers
/// 200 instead of 206 (ignoring the range) makes the download start over. When the catalog
/// (or a known build) has a checksum, the finished file must match it: on mismatch the
/// partial file is deleted and the pull fails. Finally `<file>.part` is renamed to `<file>`.
pub fn pull_entry(
    entry: &ModelEntry,
    base_url: &str,
    dir: &Path,
    progress: &mut dyn Progress,
) -> Result<PullOutcome, PullError> {
    let url =
        url_for(entry, base_url).ok_or_else(|| PullError::NotDownloadable(entry.name.into()))?;
    let target = dir.join(entry.file);
    if target.is_file() {
        let bytes = fs::metadata(&target)
            .map_err(io_err(format!("reading {}", target.display())))?
            .len();
        return Ok(PullOutcome {
            path: target,
            bytes,
            already_installed: true,
            resumed_from: 0,
            restarted: false,
            verdict: Verdict::NotChecked,
        });
    }
    fs::create_dir_all(dir).map_err(io_err(format!("creating {}", dir.display())))?;
    let part = part_path(dir, entry.file);
    let agent = agent(&url);

    let mut restarted = false;
    let mut resumed_from = 0;
    // At most one restart after a refused or ignored range.
    for _attempt in 0..2 {
        let offset = fs::metadata(&part).map(|m| m.len()).unwrap_or(0);
        match fetch_into(&agent, &url, entry.file, &part, offset, progress)? {
            Fetch::Complete {
                resumed,
                ignored_range,
            } => {
                resumed_from = resumed;
                restarted |= ignored_range;
                break;
            }
            Fetch::Restart(reason) => {
                progress.note(&format!("{reason}; starting over"));
                restarted = true;
                remove_if_exists(&part)?;
            }
        }
    }
    if !part.is_file() {
        return Err(PullError::Io {
            context: format!("downloading {url}"),
            source: io::Error::other("the download did not complete after restarting"),
        });
    }

    let builds: Vec<_> = known_builds(entry.file).collect();
    let verdict = check_against(Some(entry), &builds, &part)
        .map_err(io_err(format!("reading {}", part.display())))?;
    if let Verdict::Mismatch { expected, actual } = &verdict {
        remove_if_exists(&part)?;
        return Err(PullError::ChecksumMismatch {
            file: entry.file.into(),
            expected: expected.clone(),
            actual: actual.clone(),
        });
    }
    fs::rename(&part, &target).map_err(io_err(format!(
        "renaming {} to {}",
        part.display(),
        target.display()
    )))?;
    let bytes = fs::metadata(&target)
        .map_err(io_err(format!("reading {}", target.display())))?
        .len();
    progress.finish(entry.file, bytes);
    Ok(PullOutcome {
        path: target,
        bytes,
        already_installed: false,
        resumed_from,
        restarted,
        verdict,
    })
}

enum Fetch {
    Complete { resumed: u64, ignored_range: bool },
    Restart(String),
}

fn fetch_into(
    agent: &ureq::Agent,
    url: &str,
    file: &str,
    part: &Path,
    offset: u64,
    progress: &mut dyn Progress,
) -> Result<Fetch, PullError> {
    let mut request = agent.get(url);
    if offset > 0 {
        request = request.header("Range", format!("bytes={offset}-"));
    }
    let response = request.call().map_err(|e| PullError::Transport {
        url: url.into(),
        source: Box::new(e),
    })?;
    let status = response.status().as_u16();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let content_length = header("content-length").and_then(|v| v.trim().parse::<u64>().ok());
    let content_range = header("content-range");

    let (start, total) = match status {
        206 if offset > 0 => match content_range.as_deref().and_then(parse_content_range) {
            Some((Some(first), total)) if first == offset => (offset, total),
            _ => {
                return Ok(Fetch::Restart(format!(
                    "the server answered the range request with an unexpected Content-Range ({})",
                    content_range.as_deref().unwrap_or("none")
                )))
            }
        },
        200 => {
            if offset > 0 {
                progress.note("The server ignored the range request (HTTP 200)");
            }
            (0, content_length)
        }
        416 if offset > 0 => {
            // `bytes */<total>`: the partial file may already be complete.
            let total = content_range
                .as_deref()
                .and_then(parse_content_range)
                .and_then(|(_, t)| t);
            if total == Some(offset) {
                return Ok(Fetch::Complete {
                    resumed: offset,
                    ignored_range: false,
                });
            }
            return Ok(Fetch::Restart(
                "the server refused to resume the partial download (HTTP 416)".into(),
            ));
        }
        _ => {
            return Err(PullError::Http {
                url: url.into(),
                status,
            })
        }
    };

    let mut out = if start > 0 {
        OpenOptions::new().append(true).open(part)
    } else {
        File::create(part)
    }
    .map_err(io_err(format!("opening {}", part.display())))?;

    progress.start(file, url, start, total);
    let mut reader = response.into_body().into_reader();
    let mut buf = vec![0u8; 256 * 1024];
    let mut done = start;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                let _ = out.flush();
                return Err(PullError::Io {
                    context: format!("downloading {url} (partial file kept for resuming)"),
                    source: e,
                });
            }
        };
        out.write_all(&buf[..n])
            .map_err(io_err(format!("writing {}", part.display())))?;
        done += n as u64;
        progress.advance(done, total);
    }
    out.sync_all()
        .map_err(io_err(format!("writing {}", part.display())))?;
    if let Some(total) = total {
        if done != total {
            return Err(PullError::Truncated {
                url: url.into(),
                got: done,
                expected: total,
            });
        }
    }
    Ok(Fetch::Complete {
        resumed: start,
        ignored_range: offset > 0 && start == 0,
    })
}

fn is_loopback(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host.starts_with('[') {
        host.split_once(']')
            .map_or(host, |(h, _)| h)
            .trim_start_matches('[')
    } else {
        host.split(':').next().unwrap_or(host)
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Parses `bytes 100-199/200` into (`Some(100)`, `Some(200)`) and `bytes */200` into
/// (`None`, `Some(200)`).
fn parse_content_range(value: &str) -> Option<(Option<u64>, Option<u64>)> {
    let rest = value.trim().strip_prefix("bytes")?.trim_start();
    let (range, total) = rest.split_once('/')?;
    let total = total.trim().parse::<u64>().ok();
    let first = match range.trim() {
        "*" => None,
        r => Some(r.split_once('-')?.0.trim().parse::<u64>().ok()?),
    };
    Some((first, total))
}

fn remove_if_exists(path: &Path) -> Result<(), PullError> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(PullError::Io {
            context: format!("removing {}", path.display()),
            source: e,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_range_parsing() {
        assert_eq!(
            parse_content_range("bytes 10-99/100"),
            Some((Some(10), Some(100)))
        );
        assert_eq!(parse_content_range("bytes 10-99/*"), Some((Some(10), None)));
        assert_eq!(parse_content_range("bytes */100"), Some((None, Some(100))));
        assert_eq!(parse_content_range("items 1-2/3"), None);
    }

    #[test]
    fn loopback_detection() {
        assert!(is_loopback("http://127.0.0.1:8080/x"));
        assert!(is_loopback("http://localhost/x"));
        assert!(is_loopback("http://[::1]:80/x"));
        assert!(!is_loopback("https://huggingface.co/x"));
        assert!(!is_loopback("https://127.example.com/x"));
    }

    #[test]
    fn urls_join_base_and_path() {
        let e = super::super::catalog::find("tiny.en").expect("tiny.en");
        assert_eq!(
            url_for(e, "https://huggingface.co/").as_deref(),
            Some("https://huggingface.co/ggerganov/whisper.cpp/resolve/main/ggml-tiny.en.bin")
        );
        let v = super::super::catalog::find("silero-v6.2.3").expect("silero");
        assert_eq!(url_for(v, DEFAULT_BASE_URL), None);
    }
}
