//! `voxflow models list | pull NAME | verify`.

use super::{catalog, download, human_bytes, Verdict};
use crate::config::Settings;
use anyhow::{bail, Context};
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum ModelsCommand {
    /// List the known models and what is installed in the models directory.
    List,
    /// Download a model into the models directory (resumes an interrupted download).
    Pull {
        /// Catalog name, e.g. `base.en`, `large-v3-turbo-q5_0`, `silero-v6.2.0`.
        #[arg(required_unless_present = "defaults", conflicts_with = "defaults")]
        name: Option<String>,
        /// Every model the default nodes need: the default Whisper model, Silero VAD and the
        /// two diarization models; those already installed are skipped.
        #[arg(long)]
        defaults: bool,
        /// Download from this base URL instead of `models_base_url`.
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Check the installed files against their published checksums.
    Verify,
}

/// Runs a `models` subcommand; an error means a non-zero exit.
pub fn run(settings: &Settings, command: ModelsCommand) -> anyhow::Result<()> {
    let dir = &settings.models_dir;
    match command {
        ModelsCommand::List => {
            let listing = super::list(dir).with_context(|| format!("reading {}", dir.display()))?;
            println!("Models directory: {}", dir.display());
            println!(
                "{:<26} {:<8} {:<5} {:>10}  INSTALLED",
                "NAME", "KIND", "LANG", "SIZE"
            );
            for m in &listing.models {
                let e = m.entry;
                let lang = match (e.kind, e.multilingual) {
                    (
                        catalog::ModelKind::Vad
                        | catalog::ModelKind::Segmentation
                        | catalog::ModelKind::Embedding,
                        _,
                    ) => "-",
                    (_, true) => "multi",
                    (_, false) => "en",
                };
                let installed = match m.installed_bytes {
                    Some(b) => format!("yes ({})", human_bytes(b)),
                    None => "no".into(),
                };
                println!(
                    "{:<26} {:<8} {:<5} {:>10}  {installed}",
                    e.name,
                    e.kind.as_str(),
                    lang,
                    format!("~{}", human_bytes(e.approx_bytes)),
                );
            }
            if !listing.others.is_empty() {
                println!("\nOther model files:");
                for o in &listing.others {
                    let what = o.known_build.map_or("not in the catalog", |b| b.origin);
                    println!("  {:<36} {:>10}  {what}", o.file, human_bytes(o.bytes));
                }
            }
            if !listing.partial.is_empty() {
                println!("\nInterrupted downloads (`voxflow models pull` resumes them):");
                for (file, bytes) in &listing.partial {
                    println!("  {:<36} {:>10}", file, human_bytes(*bytes));
                }
            }
            Ok(())
        }
        ModelsCommand::Pull {
            defaults: true,
            base_url,
            ..
        } => pull_defaults(settings, base_url.as_deref()),
        ModelsCommand::Pull {
            name: Some(name),
            base_url,
            ..
        } => {
            let Some(entry) = catalog::find(&name) else {
                let close = catalog::suggest(&name);
                if close.is_empty() {
                    bail!("unknown model '{name}'; `voxflow models list` shows the known names");
                }
                bail!(
                    "unknown model '{name}'; did you mean: {}?",
                    close.join(", ")
                );
            };
            let base = base_url.as_deref().unwrap_or(&settings.models_base_url);
            let mut progress = download::StderrProgress::new();
            let outcome = download::pull_entry(entry, base, dir, &mut progress).map_err(|e| {
                anyhow::anyhow!(
                    "pulling {}: {e}{}",
                    entry.name,
                    unreachable_hint(&e, base, dir)
                )
            })?;
            if outcome.already_installed {
                println!(
                    "{} is already installed at {} (run `voxflow models verify` to check it)",
                    entry.name,
                    outcome.path.display()
                );
            } else {
                println!(
                    "Installed {} at {} ({}); checksum: {}",
                    entry.name,
                    outcome.path.display(),
                    human_bytes(outcome.bytes),
                    outcome.verdict.describe()
                );
            }
            Ok(())
        }
        ModelsCommand::Pull { name: None, .. } => bail!("name a model, or pass --defaults"),
        ModelsCommand::Verify => {
            let rows = super::verify(dir).with_context(|| format!("reading {}", dir.display()))?;
            if rows.is_empty() {
                println!("No model files in {}", dir.display());
                return Ok(());
            }
            println!("Models directory: {}", dir.display());
            let width = rows.iter().map(|r| r.file.len()).max().unwrap_or(4).max(4);
            println!("{:<width$} {:>10}  RESULT", "FILE", "SIZE");
            let mut bad = 0;
            for r in &rows {
                if matches!(r.verdict, Verdict::Mismatch { .. }) {
                    bad += 1;
                }
                println!(
                    "{:<width$} {:>10}  {}",
                    r.file,
                    human_bytes(r.bytes),
                    r.verdict.describe()
                );
            }
            if bad > 0 {
                bail!("{bad} file(s) do not match their checksum");
            }
            Ok(())
        }
    }
}

/// `voxflow models pull --defaults`: installs what the default nodes need, skipping models
/// already satisfied by an installed file (e.g. `base` by `ggml-base-q8_0.bin`). Every model
/// is tried even when one fails; the error lists what is still missing.
fn pull_defaults(settings: &Settings, base_url: Option<&str>) -> anyhow::Result<()> {
    let dir = &settings.models_dir;
    let base = base_url.unwrap_or(&settings.models_base_url);
    println!("Models directory: {} (VOXFLOW_MODELS_DIR)", dir.display());
    let mut missing = Vec::new();
    let mut unreachable = None;
    for name in catalog::default_models(&settings.default_model) {
        if let Some(found) = catalog::resolve(name, dir) {
            println!("{name}: installed ({})", found.display());
            continue;
        }
        // The best candidate that can be downloaded (for `silero`, the newest published).
        let Some(entry) = catalog::candidates(name)
            .into_iter()
            .find(|e| e.path.is_some())
        else {
            continue;
        };
        let mut progress = download::StderrProgress::new();
        match download::pull_entry(entry, base, dir, &mut progress) {
            Ok(outcome) => println!(
                "{name}: installed {} ({}); checksum: {}",
                outcome.path.display(),
                human_bytes(outcome.bytes),
                outcome.verdict.describe()
            ),
            Err(e) => {
                eprintln!("{name}: {e}");
                if matches!(e, download::PullError::Transport { .. }) {
                    unreachable = Some(e.to_string());
                }
                missing.push(name);
            }
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    let why = match unreachable {
        Some(e) => format!("the model host {base} could not be reached ({e}). "),
        None => String::new(),
    };
    bail!(
        "{why}Not installed: {}. Copy those files into {} (or point VOXFLOW_MODELS_DIR at a \
         folder that has them), or pull from a mirror with --base-url / VOXFLOW_MODELS_BASE_URL; \
         `voxflow models list` shows the file names. The nodes that need them report \
         \"not installed\" until then; everything else works.",
        missing.join(", "),
        dir.display()
    )
}

/// A plain sentence for a download that never reached the host.
fn unreachable_hint(e: &download::PullError, base: &str, dir: &std::path::Path) -> String {
    if matches!(e, download::PullError::Transport { .. }) {
        format!(
            "\nThe model host {base} could not be reached. Copy the file into {} \
             (VOXFLOW_MODELS_DIR), or use a mirror with --base-url / VOXFLOW_MODELS_BASE_URL.",
            dir.display()
        )
    } else {
        String::new()
    }
}
