//! The `voxflow` command line.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "voxflow",
    version,
    about = "Multi-tenant backend for speech workflows"
)]
pub struct Cli {
    /// TOML configuration file (default: $VOXFLOW_CONFIG, else ./voxflow.toml if present).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP API and, unless VOXFLOW_WORKERS=0, job workers (the default command).
    Serve,
    /// Run job workers only (no HTTP); any number may share a PostgreSQL database.
    Worker {
        /// Workers in this process (default: VOXFLOW_WORKERS, at least 1).
        #[arg(long)]
        count: Option<usize>,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Administrative tasks.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Print the OpenAPI document (JSON) and exit.
    Openapi,
    /// Print the node registry (every manifest, as `GET /v1/nodes` serves it) and exit.
    Nodes {
        /// JSON output (the only format; kept explicit for scripts).
        #[arg(long)]
        json: bool,
    },
    /// Billing: close a period into invoices and commission statements (docs/billing.md).
    Billing {
        #[command(subcommand)]
        command: BillingCommand,
    },
    /// Run the sweeper once (docs/data-lifecycle.md): purge deleted tenants past their
    /// grace period and files/artifacts past their retention, then print what it did as
    /// JSON. Processes with workers also sweep every VOXFLOW_SWEEP_INTERVAL_SECS.
    Sweep,
    /// Model files: list, download (`pull`) and verify.
    Models {
        #[command(subcommand)]
        command: crate::models::cli::ModelsCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a platform admin.
    Bootstrap {
        #[arg(long)]
        email: String,
        /// At least 10 characters. Omit to generate one (printed once).
        #[arg(long, default_value = "")]
        password: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum BillingCommand {
    /// Close a calendar month (UTC): write every tenant's invoice and every reseller's
    /// commission statement, once. Closing a closed month changes nothing. Prints the
    /// period's record as JSON.
    Close {
        /// `YYYY-MM`; default: the month before the current one.
        #[arg(long)]
        period: Option<String>,
    },
}
