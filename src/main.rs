use clap::Parser;
use voxflow::app::{AppState, Application};
use voxflow::bootstrap::{self, Bootstrap};
use voxflow::cli::{AdminCommand, BillingCommand, Cli, Command};
use voxflow::config::Settings;
use voxflow::store::Store;

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Serve);
    if let Command::Openapi = command {
        let spec = voxflow::api::openapi().to_pretty_json()?;
        println!("{spec}");
        return Ok(());
    }
    if let Command::Nodes { .. } = command {
        let catalog = voxflow::api::nodes::Catalog::new(&voxflow_nodes::Registry::new());
        println!("{}", catalog.pretty_json()?);
        return Ok(());
    }
    let settings = Settings::load(cli.config.as_deref())?;
    voxflow::telemetry::init(settings.log_format);
    match command {
        Command::Openapi | Command::Nodes { .. } => Ok(()),
        Command::Migrate => {
            let store = Store::open(&settings.database_url, 1)?;
            tracing::info!(database = %redact(&settings.database_url), "migrations applied");
            drop(store);
            Ok(())
        }
        Command::Admin {
            command: AdminCommand::Bootstrap { email, password },
        } => {
            let store = Store::open(&settings.database_url, 1)?;
            match bootstrap::create_platform_admin(&store, &email, &password, false)? {
                Bootstrap::Created {
                    email,
                    password,
                    generated,
                } => {
                    println!("Created platform admin {email}");
                    if generated {
                        println!("Generated password (shown once): {password}");
                    }
                }
                Bootstrap::AlreadyDone => println!("A platform admin already exists"),
            }
            Ok(())
        }
        Command::Serve => serve(settings),
        Command::Worker { count } => work(settings, count),
        Command::Models { command } => voxflow::models::cli::run(&settings, command),
        Command::Billing {
            command: BillingCommand::Close { period },
        } => close_period(&settings, period.as_deref()),
        Command::Sweep => sweep(&settings),
    }
}

/// `voxflow sweep`: one run of the sweeper a worker process runs on its interval.
fn sweep(settings: &Settings) -> anyhow::Result<()> {
    use voxflow::lifecycle::sweeper;
    let store = Store::open(&settings.database_url, 1)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let opts = sweeper::SweepOptions::from_settings(settings);
    let blobs = voxflow::storage::BlobStore::open(&settings.data_dir, &settings.storage_url)?;
    let r = runtime.block_on(sweeper::sweep(&store, &blobs, &opts, voxflow::store::now()))?;
    println!(
        "{}",
        serde_json::json!({
            "tenants_purged": r.tenants_purged,
            "tenants_waiting": r.tenants_waiting,
            "files_expired": r.files_expired,
            "artifacts_expired": r.artifacts_expired,
            "exports_expired": r.exports_expired,
            "orphans_removed": r.orphans_removed,
        })
    );
    Ok(())
}

/// `voxflow billing close`: the same close as `POST /v1/billing/periods`.
fn close_period(settings: &Settings, period: Option<&str>) -> anyhow::Result<()> {
    use voxflow::billing::{close, invoicing::Period};
    let period = match period {
        Some(p) => Period::parse(p)
            .ok_or_else(|| anyhow::anyhow!("--period must be a month as YYYY-MM, not {p:?}"))?,
        None => Period::containing(voxflow::store::now()).previous(),
    };
    let store = Store::open(&settings.database_url, 1)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let closed = runtime.block_on(close::close_recorded(
        &store,
        &period,
        None,
        voxflow::audit::Actor::default(),
    ))?;
    match closed {
        Ok(c) => {
            println!(
                "{}",
                serde_json::json!({
                    "period": c.period.period,
                    "created": c.created,
                    "closed_at": c.period.closed_at.and_utc().to_rfc3339(),
                    "invoice_count": c.period.invoice_count,
                    "statement_count": c.period.statement_count,
                    "skipped": c.skipped,
                })
            );
            Ok(())
        }
        Err(close::CloseRefusal::NotEnded { ends }) => Err(anyhow::anyhow!(
            "{} has not ended: it ends at {}",
            period.label,
            ends.and_utc().to_rfc3339()
        )),
    }
}

fn serve(settings: Settings) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let bind = settings.bind.clone();
        let db = redact(&settings.database_url);
        let admin_email = settings.bootstrap_admin_email.clone();
        let admin_password = settings.bootstrap_admin_password.clone();
        let state = tokio::task::spawn_blocking(move || AppState::init(settings)).await??;
        first_run_admin(&state, &admin_email, &admin_password).await?;
        let idle = state.settings.model_idle_secs;
        let unloader = (idle > 0).then(|| {
            state
                .speech
                .spawn_idle_unloader(std::time::Duration::from_secs(idle))
        });
        let workers = state.spawn_workers(state.settings.workers);
        let app = Application::build(state)?;
        tracing::info!(%bind, port = app.port(), database = %db, "Voxflow is listening");
        println!(
            "Voxflow is running: API docs at http://{}/docs , sign in with POST /v1/auth/login",
            bind
        );
        app.run_until_stopped().await?;
        if let Some(task) = unloader {
            task.abort();
        }
        for w in workers {
            w.abort();
        }
        Ok(())
    })
}

/// `voxflow worker`: job workers without the HTTP API, until Ctrl-C / SIGTERM.
fn work(settings: Settings, count: Option<usize>) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let count = count.unwrap_or(settings.workers).max(1);
        let state = tokio::task::spawn_blocking(move || AppState::init(settings)).await??;
        let workers = state.spawn_workers(count);
        println!("Voxflow: {count} job worker(s) running; Ctrl-C to stop");
        tokio::signal::ctrl_c().await?;
        for w in workers {
            w.abort();
        }
        Ok(())
    })
}

/// On first start, creates the platform admin from the environment or with a generated
/// password printed once.
async fn first_run_admin(state: &AppState, email: &str, password: &str) -> anyhow::Result<()> {
    let store = state.store.clone();
    let email = if email.is_empty() {
        "admin@voxflow.local".to_string()
    } else {
        email.to_string()
    };
    let password = password.to_string();
    let outcome = tokio::task::spawn_blocking(move || {
        bootstrap::create_platform_admin(&store, &email, &password, true)
    })
    .await??;
    if let Bootstrap::Created {
        email,
        password,
        generated,
    } = outcome
    {
        println!("First run: created platform admin {email}");
        if generated {
            println!("  password (shown once, change it): {password}");
        } else {
            println!("  password: the one in VOXFLOW_BOOTSTRAP_ADMIN_PASSWORD");
        }
    }
    Ok(())
}

/// Hides the password part of a database URL in logs.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://***@{}", &url[..s], &url[at + 1..]),
        _ => url.to_string(),
    }
}
