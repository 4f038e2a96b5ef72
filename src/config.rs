//! Settings: built-in defaults, then an optional TOML file, then `VOXFLOW_*` environment
//! variables (and `DATABASE_URL`). Settings are passed down explicitly; there is no global.

use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Address the HTTP server binds to.
    pub bind: String,
    /// Directory for the SQLite database, generated secrets and files.
    pub data_dir: PathBuf,
    /// Where uploads and export archives are stored (`crate::storage`): empty for the data
    /// directory, or `s3://bucket[/prefix]` with the `AWS_*` settings.
    pub storage_url: String,
    /// `sqlite://path` or `postgres://…`. Empty: `sqlite://<data_dir>/voxflow.db`.
    pub database_url: String,
    /// Maximum connections in the database pool.
    pub db_pool_size: u32,
    /// Directory holding ggml/onnx model files. Empty: `<data_dir>/models`.
    pub models_dir: PathBuf,
    /// Directory holding `libdeepfilter.so` and `DeepFilterNet3_onnx.tar.gz` (the default
    /// `bgm.separate` engine), as `scripts/setup-native.sh deepfilter` installs them.
    /// Empty: searched for (`crate::native`).
    pub deepfilter_dir: PathBuf,
    /// ONNX Runtime shared library (`libonnxruntime.so`) the diarization nodes load;
    /// `scripts/setup-native.sh` installs it. Empty: searched for (`crate::native`).
    /// Missing: those nodes fail with a clear error, everything else works.
    pub ort_lib: PathBuf,
    /// Where `voxflow models pull` downloads from: a Hugging Face host or a mirror with the
    /// same `<owner>/<repo>/resolve/main/<file>` layout.
    pub models_base_url: String,
    /// HMAC secret for access tokens. Empty: generated once and kept in `<data_dir>/jwt_secret`.
    pub jwt_secret: String,
    /// Key material stored third-party credentials (translation engine API keys) are sealed
    /// with. Empty: generated once and kept in `<data_dir>/secrets_key`.
    pub secrets_key: String,
    /// Earlier values of `secrets_key`, comma-separated, during a rotation: what they sealed
    /// still opens, and is re-sealed with the current key at startup.
    pub secrets_key_previous: String,
    /// Lifetime of access tokens, in seconds.
    pub access_token_ttl_secs: i64,
    /// Lifetime of refresh tokens, in seconds.
    pub refresh_token_ttl_secs: i64,
    /// How long an invitation to join a tenant can be accepted, in seconds.
    pub invitation_ttl_secs: i64,
    /// The platform admin created on first start when no admin exists.
    pub bootstrap_admin_email: String,
    pub bootstrap_admin_password: String,
    /// `text` or `json` log lines.
    pub log_format: LogFormat,
    /// Largest JSON request body, in bytes.
    pub max_json_body_bytes: usize,
    /// Failed logins per account (and ×4 per client IP) within the window before refusing.
    pub login_max_failures: u32,
    pub login_window_secs: u64,
    /// Password checks (argon2id, 19 MiB each) unauthenticated requests may run at once;
    /// a login beyond that is answered 429 with `Retry-After` at once, never queued.
    pub auth_concurrency: usize,
    /// Reverse proxies whose client-address header is believed: comma-separated IPs or
    /// CIDRs. Empty (the default): the TCP peer is the client, headers are ignored.
    pub trusted_proxies: String,
    /// The header the trusted proxies set: `x-forwarded-for` or `forwarded` (RFC 7239).
    pub client_ip_header: String,
    /// Parts one multipart body may have (the file included), on every multipart route.
    pub max_form_fields: usize,
    /// Largest workflow graph: nodes, edges, and bytes of one node's params (as JSON).
    pub max_graph_nodes: usize,
    pub max_graph_edges: usize,
    pub max_node_params_bytes: usize,
    /// Storage quota (MiB) of a tenant with neither a plan nor its own override.
    pub default_storage_quota_mb: u64,
    /// Model used when a request names none (and for OpenAI's `whisper-1`).
    pub default_model: String,
    /// Largest audio upload, in bytes.
    pub max_upload_bytes: u64,
    /// Longest audio accepted, in seconds.
    pub max_audio_secs: f64,
    /// Whisper decodes that may run at once (each uses `whisper_threads`).
    pub whisper_concurrency: usize,
    /// Threads per Whisper decode; 0 = all cores.
    pub whisper_threads: u32,
    /// Unload a Whisper model after this many seconds unused; 0 = keep loaded.
    pub model_idle_secs: u64,
    /// Job workers `voxflow serve` runs in-process (0: API only; run `voxflow worker`).
    pub workers: usize,
    /// A running job's lease; a worker silent this long loses the job to another.
    pub job_lease_secs: u64,
    /// Jobs one tenant may run at once when its plan sets no limit.
    pub tenant_job_concurrency: u32,
    /// Requests per minute per tenant when its plan sets no `requests_per_minute`
    /// (0: no limit).
    pub rate_limit_per_minute: u32,
    /// Requests per minute per API key when the plan sets no `key_requests_per_minute`
    /// (0: keys share their tenant's limit only).
    pub key_rate_limit_per_minute: u32,
    /// Days a `past_due` tenant may still start new work, counted from when its
    /// subscription became `past_due`; 0 refuses new work at once.
    pub past_due_grace_days: u32,
    /// Nodes of one job a worker runs side by side (independent branches of the graph).
    pub job_node_concurrency: usize,
    /// Job events buffered per tenant and process for WebSocket sessions; a session that
    /// falls this far behind is told to resync and caught up from the event log.
    pub ws_buffer_events: usize,
    /// Seconds between re-checks of an open WebSocket's credential (revoked key, suspended
    /// account, tenant or reseller); an access token is also checked when it expires.
    pub ws_recheck_secs: u64,
    /// WebSocket sessions one tenant may hold open per process.
    pub ws_max_sessions_per_tenant: usize,
    /// Job ids one tenant's WebSocket sessions may follow together, per process.
    pub ws_max_subscriptions_per_tenant: usize,
    /// Let job inputs name URLs on private, loopback and link-local addresses (SSRF guard off).
    pub url_allow_private: bool,
    /// First webhook retry delay in seconds (doubling per attempt, 8 attempts).
    pub webhook_retry_base_secs: u64,
    /// Webhook attempts in flight at once, all tenants together (per process).
    pub webhook_concurrency: usize,
    /// Webhook attempts in flight at once for one tenant (per process).
    pub webhook_tenant_concurrency: usize,
    /// Longest wait for a webhook endpoint to accept the connection, in seconds.
    pub webhook_connect_timeout_secs: u64,
    /// Longest webhook attempt in all (connect, send, read the status), in seconds.
    pub webhook_timeout_secs: u64,
    /// Webhook endpoints one tenant may register.
    pub webhook_max_endpoints: u32,
    /// The domain under which `<label>.<base>` hosts are looked up as a branding
    /// configuration's `subdomain` (empty: only custom domains match).
    pub branding_base_domain: String,
    /// SMTP server for the email outbox (docs/email.md): `smtp://user:pass@host:587?tls=required`,
    /// `smtps://…:465`, or `smtp://host:25` for a local relay. Empty: mail waits in the outbox.
    pub smtp_url: String,
    /// The address mails come from (the display name is the recipient's branding's).
    pub smtp_from: String,
    /// Where people open the links mails carry (password reset, email verification):
    /// `<public_url>/reset-password?token=…`.
    pub public_url: String,
    /// How long a password-reset link works, in seconds.
    pub password_reset_ttl_secs: i64,
    /// How long an email-verification link works, in seconds.
    pub email_verification_ttl_secs: i64,
    /// Reset requests per email address per hour (×4 per client address) before `429`.
    pub password_reset_max_requests: u32,
    /// How long a deleted tenant waits before the sweeper purges its data, in seconds
    /// (docs/data-lifecycle.md); 0 purges at the next sweep.
    pub tenant_purge_grace_secs: i64,
    /// How often the sweeper (tenant purges, retention) runs in a process with workers.
    pub sweep_interval_secs: u64,
    /// How long a data export's archive stays downloadable, in seconds (docs/data-export.md).
    pub export_ttl_secs: i64,
}

/// The longest access-token lifetime accepted (`access_token_ttl_secs`): one hour.
pub const MAX_ACCESS_TOKEN_TTL_SECS: i64 = 3600;

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("./data"),
            storage_url: String::new(),
            database_url: String::new(),
            db_pool_size: 8,
            models_dir: PathBuf::new(),
            deepfilter_dir: PathBuf::new(),
            ort_lib: PathBuf::new(),
            models_base_url: crate::models::download::DEFAULT_BASE_URL.into(),
            jwt_secret: String::new(),
            secrets_key: String::new(),
            access_token_ttl_secs: 15 * 60,
            refresh_token_ttl_secs: 30 * 24 * 3600,
            invitation_ttl_secs: 7 * 24 * 3600,
            bootstrap_admin_email: String::new(),
            bootstrap_admin_password: String::new(),
            log_format: LogFormat::Text,
            max_json_body_bytes: 1024 * 1024,
            login_max_failures: 5,
            login_window_secs: 15 * 60,
            auth_concurrency: 4,
            trusted_proxies: String::new(),
            client_ip_header: "x-forwarded-for".into(),
            max_form_fields: 64,
            max_graph_nodes: 200,
            max_graph_edges: 400,
            max_node_params_bytes: 64 * 1024,
            default_storage_quota_mb: 1024,
            default_model: "base".into(),
            max_upload_bytes: 100 * 1024 * 1024,
            max_audio_secs: 4.0 * 3600.0,
            whisper_concurrency: 1,
            whisper_threads: 0,
            model_idle_secs: 600,
            workers: 1,
            job_lease_secs: 30,
            tenant_job_concurrency: 2,
            past_due_grace_days: 7,
            rate_limit_per_minute: 600,
            key_rate_limit_per_minute: 0,
            job_node_concurrency: 2,
            ws_buffer_events: 4096,
            ws_recheck_secs: 30,
            ws_max_sessions_per_tenant: 100,
            ws_max_subscriptions_per_tenant: 10_000,
            url_allow_private: false,
            webhook_retry_base_secs: 5,
            webhook_concurrency: 16,
            webhook_tenant_concurrency: 2,
            webhook_connect_timeout_secs: 5,
            webhook_timeout_secs: 10,
            webhook_max_endpoints: 20,
            branding_base_domain: String::new(),
            smtp_url: String::new(),
            secrets_key_previous: String::new(),
            smtp_from: "voxflow@localhost".into(),
            public_url: "http://localhost:8080".into(),
            password_reset_ttl_secs: 3600,
            email_verification_ttl_secs: 3 * 86_400,
            password_reset_max_requests: 5,
            tenant_purge_grace_secs: 30 * 86_400,
            sweep_interval_secs: 3600,
            export_ttl_secs: 7 * 86_400,
        }
    }
}

/// Environment variable → setting. The README's configuration table mirrors this list.
const ENV_VARS: &[(&str, &str)] = &[
    ("VOXFLOW_BIND", "bind"),
    ("VOXFLOW_DATA_DIR", "data_dir"),
    ("VOXFLOW_STORAGE_URL", "storage_url"),
    ("DATABASE_URL", "database_url"),
    ("VOXFLOW_DATABASE_URL", "database_url"),
    ("VOXFLOW_DB_POOL_SIZE", "db_pool_size"),
    ("VOXFLOW_MODELS_DIR", "models_dir"),
    ("VOXFLOW_DEEPFILTER_DIR", "deepfilter_dir"),
    ("VOXFLOW_MODELS_BASE_URL", "models_base_url"),
    ("VOXFLOW_ORT_LIB", "ort_lib"),
    ("VOXFLOW_JWT_SECRET", "jwt_secret"),
    ("VOXFLOW_SECRETS_KEY", "secrets_key"),
    ("VOXFLOW_SECRETS_KEY_PREVIOUS", "secrets_key_previous"),
    ("VOXFLOW_ACCESS_TOKEN_TTL_SECS", "access_token_ttl_secs"),
    ("VOXFLOW_REFRESH_TOKEN_TTL_SECS", "refresh_token_ttl_secs"),
    ("VOXFLOW_INVITATION_TTL_SECS", "invitation_ttl_secs"),
    ("VOXFLOW_BOOTSTRAP_ADMIN_EMAIL", "bootstrap_admin_email"),
    (
        "VOXFLOW_BOOTSTRAP_ADMIN_PASSWORD",
        "bootstrap_admin_password",
    ),
    ("VOXFLOW_LOG_FORMAT", "log_format"),
    ("VOXFLOW_MAX_JSON_BODY_BYTES", "max_json_body_bytes"),
    ("VOXFLOW_LOGIN_MAX_FAILURES", "login_max_failures"),
    ("VOXFLOW_LOGIN_WINDOW_SECS", "login_window_secs"),
    ("VOXFLOW_AUTH_CONCURRENCY", "auth_concurrency"),
    ("VOXFLOW_TRUSTED_PROXIES", "trusted_proxies"),
    ("VOXFLOW_CLIENT_IP_HEADER", "client_ip_header"),
    ("VOXFLOW_MAX_FORM_FIELDS", "max_form_fields"),
    ("VOXFLOW_MAX_GRAPH_NODES", "max_graph_nodes"),
    ("VOXFLOW_MAX_GRAPH_EDGES", "max_graph_edges"),
    ("VOXFLOW_MAX_NODE_PARAMS_BYTES", "max_node_params_bytes"),
    (
        "VOXFLOW_DEFAULT_STORAGE_QUOTA_MB",
        "default_storage_quota_mb",
    ),
    ("VOXFLOW_DEFAULT_MODEL", "default_model"),
    ("VOXFLOW_MAX_UPLOAD_BYTES", "max_upload_bytes"),
    ("VOXFLOW_MAX_AUDIO_SECS", "max_audio_secs"),
    ("VOXFLOW_WHISPER_CONCURRENCY", "whisper_concurrency"),
    ("VOXFLOW_WHISPER_THREADS", "whisper_threads"),
    ("VOXFLOW_MODEL_IDLE_SECS", "model_idle_secs"),
    ("VOXFLOW_WORKERS", "workers"),
    ("VOXFLOW_JOB_LEASE_SECS", "job_lease_secs"),
    ("VOXFLOW_TENANT_JOB_CONCURRENCY", "tenant_job_concurrency"),
    ("VOXFLOW_PAST_DUE_GRACE_DAYS", "past_due_grace_days"),
    ("VOXFLOW_RATE_LIMIT_PER_MINUTE", "rate_limit_per_minute"),
    (
        "VOXFLOW_KEY_RATE_LIMIT_PER_MINUTE",
        "key_rate_limit_per_minute",
    ),
    ("VOXFLOW_JOB_NODE_CONCURRENCY", "job_node_concurrency"),
    ("VOXFLOW_WS_BUFFER_EVENTS", "ws_buffer_events"),
    ("VOXFLOW_WS_RECHECK_SECS", "ws_recheck_secs"),
    (
        "VOXFLOW_WS_MAX_SESSIONS_PER_TENANT",
        "ws_max_sessions_per_tenant",
    ),
    (
        "VOXFLOW_WS_MAX_SUBSCRIPTIONS_PER_TENANT",
        "ws_max_subscriptions_per_tenant",
    ),
    ("VOXFLOW_URL_ALLOW_PRIVATE", "url_allow_private"),
    ("VOXFLOW_WEBHOOK_RETRY_BASE_SECS", "webhook_retry_base_secs"),
    ("VOXFLOW_WEBHOOK_CONCURRENCY", "webhook_concurrency"),
    (
        "VOXFLOW_WEBHOOK_TENANT_CONCURRENCY",
        "webhook_tenant_concurrency",
    ),
    (
        "VOXFLOW_WEBHOOK_CONNECT_TIMEOUT_SECS",
        "webhook_connect_timeout_secs",
    ),
    ("VOXFLOW_WEBHOOK_TIMEOUT_SECS", "webhook_timeout_secs"),
    ("VOXFLOW_WEBHOOK_MAX_ENDPOINTS", "webhook_max_endpoints"),
    ("VOXFLOW_BRANDING_BASE_DOMAIN", "branding_base_domain"),
    ("VOXFLOW_SMTP_URL", "smtp_url"),
    ("VOXFLOW_SMTP_FROM", "smtp_from"),
    ("VOXFLOW_PUBLIC_URL", "public_url"),
    ("VOXFLOW_PASSWORD_RESET_TTL_SECS", "password_reset_ttl_secs"),
    (
        "VOXFLOW_EMAIL_VERIFICATION_TTL_SECS",
        "email_verification_ttl_secs",
    ),
    (
        "VOXFLOW_PASSWORD_RESET_MAX_REQUESTS",
        "password_reset_max_requests",
    ),
    ("VOXFLOW_TENANT_PURGE_GRACE_SECS", "tenant_purge_grace_secs"),
    ("VOXFLOW_SWEEP_INTERVAL_SECS", "sweep_interval_secs"),
    ("VOXFLOW_EXPORT_TTL_SECS", "export_ttl_secs"),
];

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid configuration: {0}")]
    Invalid(String),
}

impl Settings {
    /// Loads settings: defaults ← `file` (or `VOXFLOW_CONFIG`, or `./voxflow.toml` if present) ← environment.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let env: Vec<(String, String)> = std::env::vars().collect();
        let file = file.map(Path::to_path_buf).or_else(|| {
            std::env::var_os("VOXFLOW_CONFIG")
                .map(PathBuf::from)
                .or_else(|| Some(PathBuf::from("voxflow.toml")).filter(|p| p.exists()))
        });
        let toml_text = match &file {
            Some(path) => std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                path: path.clone(),
                source,
            })?,
            None => String::new(),
        };
        Self::from_sources(&toml_text, &env)
    }

    /// Pure merge of a TOML document and environment pairs, for tests.
    pub fn from_sources(toml_text: &str, env: &[(String, String)]) -> Result<Self, ConfigError> {
        let mut table: toml::Table = toml::from_str(toml_text)
            .map_err(|e| ConfigError::Invalid(format!("config file: {e}")))?;
        for (var, key) in ENV_VARS {
            if let Some((_, value)) = env.iter().find(|(k, _)| k == var) {
                table.insert((*key).to_string(), env_value(key, value));
            }
        }
        let mut settings: Settings = table
            .try_into()
            .map_err(|e: toml::de::Error| ConfigError::Invalid(e.message().to_string()))?;
        settings.fill_derived();
        settings.check()?;
        Ok(settings)
    }

    fn fill_derived(&mut self) {
        if let Ok(base) = crate::branding::host::parse_base_domain(&self.branding_base_domain) {
            self.branding_base_domain = base;
        }
        if self.database_url.is_empty() {
            self.database_url = format!("sqlite://{}", self.data_dir.join("voxflow.db").display());
        }
        if self.models_dir.as_os_str().is_empty() {
            self.models_dir = self.data_dir.join("models");
        }
        if self.ort_lib.as_os_str().is_empty() {
            self.ort_lib = crate::native::locate(crate::native::ORT_LIB, &self.data_dir).path;
        }
        if self.deepfilter_dir.as_os_str().is_empty() {
            self.deepfilter_dir =
                crate::native::locate(crate::native::DEEPFILTER_DIR, &self.data_dir).path;
        }
    }

    fn check(&self) -> Result<(), ConfigError> {
        if !(self.database_url.starts_with("sqlite://")
            || self.database_url.starts_with("postgres://")
            || self.database_url.starts_with("postgresql://"))
        {
            return Err(ConfigError::Invalid(
                "DATABASE_URL must start with sqlite:// or postgres://".into(),
            ));
        }
        if self.job_lease_secs < 3 {
            return Err(ConfigError::Invalid(
                "job_lease_secs must be at least 3".into(),
            ));
        }
        if self.whisper_concurrency == 0 {
            return Err(ConfigError::Invalid(
                "whisper_concurrency must be at least 1".into(),
            ));
        }
        if self.ws_recheck_secs == 0 {
            return Err(ConfigError::Invalid(
                "ws_recheck_secs must be at least 1".into(),
            ));
        }
        if self.auth_concurrency == 0 {
            return Err(ConfigError::Invalid(
                "auth_concurrency must be at least 1".into(),
            ));
        }
        if self.max_form_fields == 0 || self.max_graph_nodes == 0 {
            return Err(ConfigError::Invalid(
                "max_form_fields and max_graph_nodes must be at least 1".into(),
            ));
        }
        crate::auth::client_ip::TrustedProxies::parse(
            &self.trusted_proxies,
            &self.client_ip_header,
        )
        .map_err(ConfigError::Invalid)?;
        if self.db_pool_size == 0 {
            return Err(ConfigError::Invalid(
                "db_pool_size must be at least 1".into(),
            ));
        }
        if !self.jwt_secret.is_empty() && self.jwt_secret.len() < 32 {
            return Err(ConfigError::Invalid(
                "VOXFLOW_JWT_SECRET must be at least 32 characters".into(),
            ));
        }
        if self.webhook_concurrency == 0 || self.webhook_tenant_concurrency == 0 {
            return Err(ConfigError::Invalid(
                "webhook_concurrency and webhook_tenant_concurrency must be at least 1".into(),
            ));
        }
        if !(1..=60).contains(&self.webhook_connect_timeout_secs)
            || !(1..=120).contains(&self.webhook_timeout_secs)
        {
            return Err(ConfigError::Invalid(
                "webhook_connect_timeout_secs must be 1–60 and webhook_timeout_secs 1–120".into(),
            ));
        }
        if !(1..=MAX_ACCESS_TOKEN_TTL_SECS).contains(&self.access_token_ttl_secs) {
            return Err(ConfigError::Invalid(format!(
                "VOXFLOW_ACCESS_TOKEN_TTL_SECS is {}: it must be between 1 and {MAX_ACCESS_TOKEN_TTL_SECS} \
                 seconds (1 hour); an access token cannot be revoked before it expires, so \
                 keep it short and use refresh tokens for long sessions",
                self.access_token_ttl_secs
            )));
        }
        if self.invitation_ttl_secs < 60 {
            return Err(ConfigError::Invalid(format!(
                "VOXFLOW_INVITATION_TTL_SECS is {}; an invitation must stay valid at least 60 seconds",
                self.invitation_ttl_secs
            )));
        }
        crate::branding::host::parse_base_domain(&self.branding_base_domain)
            .map_err(ConfigError::Invalid)?;
        for (name, ttl) in [
            (
                "VOXFLOW_PASSWORD_RESET_TTL_SECS",
                self.password_reset_ttl_secs,
            ),
            (
                "VOXFLOW_EMAIL_VERIFICATION_TTL_SECS",
                self.email_verification_ttl_secs,
            ),
        ] {
            if !(60..=30 * 86_400).contains(&ttl) {
                return Err(ConfigError::Invalid(format!(
                    "{name} is {ttl}: it must be between 60 seconds and 30 days"
                )));
            }
        }
        if !(0..=3650 * 86_400).contains(&self.tenant_purge_grace_secs) {
            return Err(ConfigError::Invalid(format!(
                "VOXFLOW_TENANT_PURGE_GRACE_SECS is {}: it must be between 0 and 3650 days",
                self.tenant_purge_grace_secs
            )));
        }
        if !(60..=90 * 86_400).contains(&self.export_ttl_secs) {
            return Err(ConfigError::Invalid(format!(
                "VOXFLOW_EXPORT_TTL_SECS is {}: it must be between 60 seconds and 90 days",
                self.export_ttl_secs
            )));
        }
        if self.sweep_interval_secs < 1 {
            return Err(ConfigError::Invalid(
                "VOXFLOW_SWEEP_INTERVAL_SECS must be at least 1 second".into(),
            ));
        }
        if self
            .secrets_key_previous
            .split(',')
            .any(|k| !k.trim().is_empty() && k.trim().len() < 32)
        {
            return Err(ConfigError::Invalid(
                "each key in VOXFLOW_SECRETS_KEY_PREVIOUS must be at least 32 characters".into(),
            ));
        }
        if !self.secrets_key.is_empty() && self.secrets_key.len() < 32 {
            return Err(ConfigError::Invalid(
                "VOXFLOW_SECRETS_KEY must be at least 32 characters".into(),
            ));
        }
        Ok(())
    }
}

/// Environment values are strings; numeric settings are parsed as TOML numbers.
fn env_value(key: &str, value: &str) -> toml::Value {
    const NUMERIC: &[&str] = &[
        "db_pool_size",
        "access_token_ttl_secs",
        "refresh_token_ttl_secs",
        "invitation_ttl_secs",
        "max_json_body_bytes",
        "login_max_failures",
        "login_window_secs",
        "auth_concurrency",
        "max_form_fields",
        "max_graph_nodes",
        "max_graph_edges",
        "max_node_params_bytes",
        "default_storage_quota_mb",
        "max_upload_bytes",
        "whisper_concurrency",
        "whisper_threads",
        "model_idle_secs",
        "workers",
        "job_lease_secs",
        "tenant_job_concurrency",
        "past_due_grace_days",
        "rate_limit_per_minute",
        "key_rate_limit_per_minute",
        "job_node_concurrency",
        "ws_buffer_events",
        "ws_recheck_secs",
        "ws_max_sessions_per_tenant",
        "ws_max_subscriptions_per_tenant",
        "webhook_retry_base_secs",
        "webhook_concurrency",
        "webhook_tenant_concurrency",
        "webhook_connect_timeout_secs",
        "webhook_timeout_secs",
        "webhook_max_endpoints",
        "password_reset_ttl_secs",
        "email_verification_ttl_secs",
        "password_reset_max_requests",
        "tenant_purge_grace_secs",
        "sweep_interval_secs",
        "export_ttl_secs",
    ];
    if NUMERIC.contains(&key) {
        if let Ok(n) = value.trim().parse::<i64>() {
            return toml::Value::Integer(n);
        }
    }
    if key == "url_allow_private" {
        match value.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => return toml::Value::Boolean(true),
            "false" | "0" | "no" | "" => return toml::Value::Boolean(false),
            _ => {}
        }
    }
    if key == "max_audio_secs" {
        if let Ok(x) = value.trim().parse::<f64>() {
            return toml::Value::Float(x);
        }
    }
    toml::Value::String(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_use_sqlite_under_data_dir() {
        let s = Settings::from_sources("", &[]).expect("defaults");
        assert_eq!(s.bind, "127.0.0.1:8080");
        assert_eq!(s.database_url, "sqlite://./data/voxflow.db");
        assert_eq!(s.models_dir, PathBuf::from("./data/models"));
        // Searched for, not relative to the working directory.
        assert!(s.ort_lib.is_absolute(), "{}", s.ort_lib.display());
        assert!(s.ort_lib.ends_with("vendor/onnxruntime/libonnxruntime.so"));
        assert!(s.deepfilter_dir.ends_with("vendor/deepfilter"));
        let s = Settings::from_sources(
            "",
            &env(&[("VOXFLOW_ORT_LIB", "/opt/ort/libonnxruntime.so")]),
        )
        .expect("settings");
        assert_eq!(s.ort_lib, PathBuf::from("/opt/ort/libonnxruntime.so"));
    }

    #[test]
    fn env_overrides_file() {
        let s = Settings::from_sources(
            "bind = \"0.0.0.0:1\"\ndb_pool_size = 3\n",
            &env(&[
                ("VOXFLOW_BIND", "127.0.0.1:9"),
                ("VOXFLOW_DB_POOL_SIZE", "4"),
            ]),
        )
        .expect("settings");
        assert_eq!(s.bind, "127.0.0.1:9");
        assert_eq!(s.db_pool_size, 4);
    }

    #[test]
    fn rate_limits_come_from_the_environment() {
        let s = Settings::from_sources(
            "",
            &env(&[
                ("VOXFLOW_RATE_LIMIT_PER_MINUTE", "0"),
                ("VOXFLOW_KEY_RATE_LIMIT_PER_MINUTE", "1000000000"),
            ]),
        )
        .expect("settings");
        assert_eq!(s.rate_limit_per_minute, 0);
        assert_eq!(s.key_rate_limit_per_minute, 1_000_000_000);
        let d = Settings::from_sources("", &[]).expect("defaults");
        assert_eq!(
            (d.rate_limit_per_minute, d.key_rate_limit_per_minute),
            (600, 0)
        );
    }

    #[test]
    fn access_token_lifetime_is_capped_at_an_hour() {
        let ttl = |v: &str| {
            Settings::from_sources("", &env(&[("VOXFLOW_ACCESS_TOKEN_TTL_SECS", v)]))
                .map(|s| s.access_token_ttl_secs)
        };
        assert_eq!(ttl("3600").expect("an hour is fine"), 3600);
        assert_eq!(ttl("900").expect("the default"), 900);
        for bad in ["3601", "86400", "0", "-5"] {
            let e = ttl(bad).expect_err(bad).to_string();
            assert!(
                e.contains("VOXFLOW_ACCESS_TOKEN_TTL_SECS") && e.contains("3600"),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn webhook_settings_have_bounded_defaults() {
        let s = Settings::from_sources("", &[]).expect("defaults");
        assert_eq!(
            (
                s.webhook_concurrency,
                s.webhook_tenant_concurrency,
                s.webhook_connect_timeout_secs,
                s.webhook_timeout_secs,
                s.webhook_max_endpoints
            ),
            (16, 2, 5, 10, 20)
        );
        let s = Settings::from_sources(
            "",
            &env(&[
                ("VOXFLOW_WEBHOOK_TENANT_CONCURRENCY", "4"),
                ("VOXFLOW_WEBHOOK_MAX_ENDPOINTS", "50"),
            ]),
        )
        .expect("settings");
        assert_eq!(
            (s.webhook_tenant_concurrency, s.webhook_max_endpoints),
            (4, 50)
        );
        assert!(Settings::from_sources("webhook_timeout_secs = 0", &[]).is_err());
        assert!(Settings::from_sources("webhook_concurrency = 0", &[]).is_err());
    }

    #[test]
    fn websocket_bounds_have_defaults_and_env_overrides() {
        let s = Settings::from_sources("", &[]).expect("defaults");
        assert_eq!(
            (
                s.ws_recheck_secs,
                s.ws_max_sessions_per_tenant,
                s.ws_max_subscriptions_per_tenant
            ),
            (30, 100, 10_000)
        );
        let s = Settings::from_sources(
            "",
            &env(&[
                ("VOXFLOW_WS_RECHECK_SECS", "2"),
                ("VOXFLOW_WS_MAX_SESSIONS_PER_TENANT", "3"),
                ("VOXFLOW_WS_MAX_SUBSCRIPTIONS_PER_TENANT", "4"),
            ]),
        )
        .expect("settings");
        assert_eq!(
            (
                s.ws_recheck_secs,
                s.ws_max_sessions_per_tenant,
                s.ws_max_subscriptions_per_tenant
            ),
            (2, 3, 4)
        );
        assert!(Settings::from_sources("", &env(&[("VOXFLOW_WS_RECHECK_SECS", "0")])).is_err());
    }

    #[test]
    fn limits_and_proxies_from_the_environment() {
        let s = Settings::from_sources(
            "",
            &env(&[
                ("VOXFLOW_TRUSTED_PROXIES", "10.0.0.0/8, ::1"),
                ("VOXFLOW_AUTH_CONCURRENCY", "2"),
                ("VOXFLOW_DEFAULT_STORAGE_QUOTA_MB", "50"),
                ("VOXFLOW_MAX_GRAPH_NODES", "20"),
            ]),
        )
        .expect("settings");
        assert_eq!(s.trusted_proxies, "10.0.0.0/8, ::1");
        assert_eq!(
            (
                s.auth_concurrency,
                s.default_storage_quota_mb,
                s.max_graph_nodes
            ),
            (2, 50, 20)
        );
        assert!(
            Settings::from_sources("", &env(&[("VOXFLOW_TRUSTED_PROXIES", "10.0.0.0/99")]))
                .is_err()
        );
        assert!(
            Settings::from_sources("", &env(&[("VOXFLOW_CLIENT_IP_HEADER", "x-real-ip")])).is_err()
        );
    }

    #[test]
    fn branding_base_domain_is_normalised_and_checked() {
        let s = Settings::from_sources(
            "",
            &env(&[("VOXFLOW_BRANDING_BASE_DOMAIN", "Voxflow.App.")]),
        )
        .expect("settings");
        assert_eq!(s.branding_base_domain, "voxflow.app");
        assert_eq!(
            Settings::from_sources("", &[])
                .expect("defaults")
                .branding_base_domain,
            ""
        );
        assert!(Settings::from_sources(
            "",
            &env(&[("VOXFLOW_BRANDING_BASE_DOMAIN", "no spaces.app")])
        )
        .is_err());
    }

    #[test]
    fn rejects_unknown_keys_and_bad_urls() {
        assert!(Settings::from_sources("nope = 1", &[]).is_err());
        assert!(Settings::from_sources("", &env(&[("DATABASE_URL", "mysql://x")])).is_err());
        assert!(Settings::from_sources("", &env(&[("VOXFLOW_DB_POOL_SIZE", "many")])).is_err());
    }
}
