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
        name: String,
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
                "{:<22} {:<8} {:<5} {:>10}  INSTALLED",
                "NAME", "KIND", "LANG", "SIZE"
            );
            for m in &listing.models {
                let e = m.entry;
                let lang = match (e.kind, e.multilingual) {
                    (catalog::ModelKind::Vad, _) => "-",
                    (_, true) => "multi",
                    (_, false) => "en",
                };
                let installed = match m.installed_bytes {
                    Some(b) => format!("yes ({})", human_bytes(b)),
                    None => "no".into(),
                };
                println!(
                    "{:<22} {:<8} {:<5} {:>10}  {installed}",
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
        ModelsCommand::Pull { name, base_url } => {
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
            let outcome = download::pull_entry(entry, base, dir, &mut progress)
                .with_context(|| format!("pulling {}", entry.name))?;
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
