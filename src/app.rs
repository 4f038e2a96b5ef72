//! Application wiring: shared state, the actix `App`, and the HTTP server.
//!
//! `Application::build` binds the listener itself so tests can ask for port 0 and read
//! the real port back; `create_app` builds the `App` apart from `HttpServer`.

use crate::auth::jwt::JwtKeys;
use crate::auth::throttle::LoginThrottle;
use crate::config::Settings;
use crate::error::{self, ApiError, Code};
use crate::metrics::Metrics;
use crate::store::Store;
use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, App, HttpMessage, HttpServer};
use std::net::TcpListener;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Everything handlers share. Cheap to clone (behind `web::Data`).
pub struct AppState {
    pub settings: Settings,
    pub store: Store,
    pub jwt: JwtKeys,
    pub throttle: LoginThrottle,
    /// Password-reset requests per email address (and client address) per hour.
    pub reset_throttle: LoginThrottle,
    /// Request rate limits per tenant and API key (`auth::rate_limit`).
    pub rate_limiter: Arc<crate::auth::rate_limit::RateLimiter>,
    /// Password checks unauthenticated requests may run at once (`auth_concurrency`).
    pub login_permits: Arc<tokio::sync::Semaphore>,
    /// Whose `X-Forwarded-For` / `Forwarded` is believed (`trusted_proxies`).
    pub trusted_proxies: crate::auth::client_ip::TrustedProxies,
    /// Storage reserved by uploads in progress, per tenant.
    pub uploads: crate::files::quota::Reservations,
    /// Credentials verified in the last few seconds (`auth::cache`).
    pub auth_cache: crate::auth::cache::CredentialCache,
    /// Where uploads and export archives are stored (`VOXFLOW_STORAGE_URL`).
    pub blobs: crate::storage::BlobStore,
    pub metrics: Metrics,
    pub speech: crate::speech::Speech,
    /// Every node kind the engine can run.
    pub registry: voxflow_nodes::Registry,
    /// Wakes idle in-process workers when a job is queued.
    pub wake_workers: Arc<tokio::sync::Notify>,
    /// Wakes this process's export builder when a data export is requested.
    pub wake_exports: Arc<tokio::sync::Notify>,
    /// Stops the PostgreSQL event listener thread when the state is dropped.
    _listener: Option<ListenerGuard>,
    /// The node registry as served by `/v1/nodes`.
    pub catalog: crate::api::nodes::Catalog,
    /// Tenants' HTTP translation engines: sealing their keys, building them for jobs.
    pub translation: crate::translation::Engines,
    /// Seals Voxflow's own stored secrets (webhook signing secrets).
    pub sealing: Arc<crate::auth::sealing::SecretBox>,
    /// Tenants' third-party secrets (workspace credentials), sealed with the same key.
    pub credentials: crate::credentials::Credentials,
    /// Resolved branding, per process; emptied on every branding change (on PostgreSQL by
    /// every process, through the listener).
    pub branding: Arc<crate::branding::cache::BrandingCache>,
}

impl AppState {
    /// The admission path every way work enters goes through (`engine::admission`).
    pub fn admission(&self) -> crate::engine::admission::Admission {
        crate::engine::admission::Admission {
            store: self.store.clone(),
            registry: self.registry.clone(),
            resources: self.speech.resources(),
            default_concurrency: i64::from(self.settings.tenant_job_concurrency),
            past_due_grace: chrono::TimeDelta::days(i64::from(self.settings.past_due_grace_days)),
        }
    }
}

impl AppState {
    /// Opens the database (running migrations) and loads or creates the signing secret.
    pub fn init(settings: Settings) -> anyhow::Result<Self> {
        let store = Store::open(&settings.database_url, settings.db_pool_size)
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .with_hub_capacity(settings.ws_buffer_events);
        if store.role_bypasses_rls().unwrap_or(false) {
            tracing::warn!(
                "the database role is a superuser or has BYPASSRLS: PostgreSQL row-level \
                 security does not apply to it. Connect as an ordinary role (see README)."
            );
        }
        let secret = crate::auth::secrets::load_or_create_jwt_secret(
            &settings.jwt_secret,
            &settings.data_dir,
        )?;
        let jwt = JwtKeys::new(&secret, settings.access_token_ttl_secs);
        let sealing_key = crate::auth::secrets::load_or_create_secrets_key(
            &settings.secrets_key,
            &settings.data_dir,
        )?;
        let previous: Vec<Vec<u8>> = settings
            .secrets_key_previous
            .split(',')
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(|k| k.as_bytes().to_vec())
            .collect();
        let sealing =
            Arc::new(crate::auth::sealing::SecretBox::new(&sealing_key).with_previous(&previous));
        // A key rotation: what the previous keys sealed is sealed again with the current one.
        if sealing.rotating() {
            let n = store
                .write_blocking(crate::tenancy::Scope::System, |c| {
                    Ok(crate::webhooks::reseal_secrets(c, &sealing)?
                        + crate::credentials::reseal_all(c, &sealing)?)
                })
                .map_err(|e| anyhow::anyhow!("re-sealing stored secrets: {e}"))?;
            tracing::info!(
                rows = n,
                "VOXFLOW_SECRETS_KEY_PREVIOUS is set: stored secrets re-sealed with the current key; \
                 once every process runs with the new key, remove the previous one"
            );
        }
        // Webhook secrets stored in clear before they were sealed: sealed now.
        let resealed = store
            .write_blocking(crate::tenancy::Scope::System, |c| {
                crate::webhooks::seal_legacy_secrets(c, &sealing)
            })
            .map_err(|e| anyhow::anyhow!("sealing stored webhook secrets: {e}"))?;
        if resealed > 0 {
            tracing::info!(rows = resealed, "sealed webhook secrets stored in clear");
        }
        // Engine keys stored before workspace credentials: moved into the store (opened with
        // the current or a previous key, sealed with the current one).
        let adopted = store
            .write_blocking(crate::tenancy::Scope::System, |c| {
                crate::credentials::adopt_engine_keys(c, &sealing)
            })
            .map_err(|e| anyhow::anyhow!("moving engine keys into workspace credentials: {e}"))?;
        if adopted > 0 {
            tracing::info!(
                engines = adopted,
                "moved translation engine keys into workspace credentials"
            );
        }
        let credentials = crate::credentials::Credentials::new(sealing.clone());
        // One Apertium discovery, shared by the node and the languages endpoint.
        let apertium = Arc::new(voxflow_nodes::translate::apertium::Apertium::system());
        let translation = crate::translation::Engines::new(
            credentials.clone(),
            settings.url_allow_private,
            apertium.clone(),
        );
        let throttle = LoginThrottle::new(
            settings.login_max_failures,
            Duration::from_secs(settings.login_window_secs),
        );
        let reset_throttle = LoginThrottle::new(
            settings.password_reset_max_requests,
            Duration::from_secs(3600),
        );
        let trusted_proxies = crate::auth::client_ip::TrustedProxies::parse(
            &settings.trusted_proxies,
            &settings.client_ip_header,
        )
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        let settings_rate = (
            settings.rate_limit_per_minute,
            settings.key_rate_limit_per_minute,
        );
        let login_permits = Arc::new(tokio::sync::Semaphore::new(settings.auth_concurrency));
        let mut registry = voxflow_nodes::Registry::new();
        registry.register(Arc::new(voxflow_nodes::translate::TranslateNode::new(
            translation.apertium().clone(),
        )));
        let branding = Arc::new(crate::branding::cache::BrandingCache::new());
        let listener = (store.backend() == crate::store::Backend::Postgres).then(|| {
            let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
            crate::realtime::listener::spawn(
                settings.database_url.clone(),
                store.clone(),
                branding.clone(),
                stop.clone(),
            );
            ListenerGuard(stop)
        });
        let blobs = crate::storage::BlobStore::open(&settings.data_dir, &settings.storage_url)?;
        tracing::info!(storage = blobs.describe(), "stored bytes");
        let metrics = Metrics::new()?;
        let speech = crate::speech::Speech::new(&settings, metrics.transcriptions.clone());
        speech.log_onnx_runtime();
        speech.log_deepfilter();
        Ok(Self {
            auth_cache: crate::auth::cache::CredentialCache::new(),
            blobs,
            speech,
            catalog: crate::api::nodes::Catalog::new(&registry),
            registry,
            wake_workers: Arc::new(tokio::sync::Notify::new()),
            wake_exports: Arc::new(tokio::sync::Notify::new()),
            _listener: listener,
            metrics,
            translation,
            sealing,
            credentials,
            branding,
            settings,
            store,
            jwt,
            throttle,
            reset_throttle,
            rate_limiter: Arc::new(crate::auth::rate_limit::RateLimiter::new(
                settings_rate.0,
                settings_rate.1,
            )),
            login_permits,
            trusted_proxies,
            uploads: crate::files::quota::Reservations::default(),
        })
    }
}

/// Tells the listener thread to stop.
pub struct ListenerGuard(Arc<std::sync::atomic::AtomicBool>);

impl Drop for ListenerGuard {
    fn drop(&mut self) {
        self.0.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

impl AppState {
    /// Starts `count` job workers on the current runtime, sharing this process's model
    /// cache, and (when `count > 0`) the email and webhook senders, the export builder and the
    /// sweeper; they run until the returned tasks are aborted.
    pub fn spawn_workers(&self, count: usize) -> Vec<tokio::task::JoinHandle<()>> {
        let opts = crate::engine::worker::WorkerOptions {
            lease: Duration::from_secs(self.settings.job_lease_secs),
            default_tenant_concurrency: i64::from(self.settings.tenant_job_concurrency),
            tmp_dir: self.settings.data_dir.join("tmp"),
            max_download_bytes: self.settings.max_upload_bytes,
            url_allow_private: self.settings.url_allow_private,
            max_parallel_nodes: self.settings.job_node_concurrency,
            ..Default::default()
        };
        (0..count)
            .map(|_| {
                let worker = Arc::new(
                    crate::engine::worker::Worker::new(
                        self.store.clone(),
                        self.registry.clone(),
                        self.speech.resources(),
                        self.blobs.clone(),
                        opts.clone(),
                        self.wake_workers.clone(),
                    )
                    .with_translation(self.translation.clone()),
                );
                tracing::info!(worker = %worker.id, "job worker started");
                tokio::spawn(worker.run_forever())
            })
            .chain((count > 0).then(|| {
                tokio::spawn(crate::email::sender::run(
                    self.store.clone(),
                    crate::email::sender::SenderOptions {
                        smtp_url: Some(self.settings.smtp_url.clone()),
                        from_address: self.settings.smtp_from.clone(),
                        retry_base: Duration::from_secs(30),
                        max_attempts: 8,
                    },
                ))
            }))
            .chain((count > 0).then(|| {
                tokio::spawn(crate::lifecycle::export::run(
                    self.store.clone(),
                    self.blobs.clone(),
                    crate::lifecycle::export::ExportOptions::from_settings(&self.settings),
                    self.wake_exports.clone(),
                ))
            }))
            .chain((count > 0).then(|| {
                tokio::spawn(crate::lifecycle::sweeper::run(
                    self.store.clone(),
                    self.blobs.clone(),
                    crate::lifecycle::sweeper::SweepOptions::from_settings(&self.settings),
                    Duration::from_secs(self.settings.sweep_interval_secs),
                ))
            }))
            .chain((count > 0).then(|| {
                tokio::spawn(crate::webhooks::run_sender(
                    self.store.clone(),
                    self.sealing.clone(),
                    crate::webhooks::SenderOptions {
                        allow_private: self.settings.url_allow_private,
                        retry_base: Duration::from_secs(self.settings.webhook_retry_base_secs),
                        concurrency: self.settings.webhook_concurrency,
                        tenant_concurrency: self.settings.webhook_tenant_concurrency,
                        connect_timeout: Duration::from_secs(
                            self.settings.webhook_connect_timeout_secs,
                        ),
                        timeout: Duration::from_secs(self.settings.webhook_timeout_secs),
                    },
                ))
            }))
            .collect()
    }
}

/// Registers state, extractor error handlers, middleware and every route.
pub fn create_app(
    state: web::Data<AppState>,
) -> App<
    impl actix_web::dev::ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let json_limit = state.settings.max_json_body_bytes;
    let (app, openapi) = crate::api::build(
        App::new()
            .app_data(state.clone())
            .app_data(
                web::JsonConfig::default()
                    .limit(json_limit)
                    .error_handler(error::json_error_handler),
            )
            .app_data(web::QueryConfig::default().error_handler(error::query_error_handler))
            .app_data(web::PathConfig::default().error_handler(error::path_error_handler)),
    );
    let openapi = Arc::new(openapi);
    app.app_data(web::Data::from(openapi.clone()))
        .service(
            utoipa_swagger_ui::SwaggerUi::new("/docs/{_:.*}")
                .url("/openapi.json", (*openapi).clone()),
        )
        .service(web::redirect("/docs", "/docs/"))
        .configure(crate::studio::configure)
        .default_service(web::to(not_found))
        .wrap(actix_web::middleware::from_fn(observe))
}

async fn not_found(req: actix_web::HttpRequest) -> Result<actix_web::HttpResponse, ApiError> {
    Err(ApiError::new(
        Code::NotFound,
        format!("No route for {} {}", req.method(), req.path()),
    ))
}

/// Assigns a request id, logs the request, and records metrics by route pattern.
async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_graphic()))
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    req.extensions_mut()
        .insert(crate::auth::extractor::RequestId(request_id.clone()));
    let method = req.method().to_string();
    let route = req
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_string());
    let state = req.app_data::<web::Data<AppState>>().cloned();
    // `tenant_id` is filled in once the caller is authenticated (`Authed`). The handler's
    // future runs inside the span, so everything it logs names the request and tenant.
    let span = tracing::info_span!(
        "request",
        request_id = %request_id,
        %method,
        %route,
        tenant_id = tracing::field::Empty
    );
    let mut res = tracing::Instrument::instrument(next.call(req), span.clone()).await?;
    let status = res.status().as_u16();
    let elapsed = started.elapsed().as_secs_f64();
    if let Some(state) = state {
        state.metrics.observe(&method, &route, status, elapsed);
    }
    res.headers_mut().insert(
        actix_web::http::header::HeaderName::from_static("x-request-id"),
        actix_web::http::header::HeaderValue::from_str(&request_id)
            .unwrap_or_else(|_| actix_web::http::header::HeaderValue::from_static("invalid")),
    );
    // The rate limiter's state for this request (`auth::rate_limit`), on every answer.
    let rate = res
        .request()
        .extensions()
        .get::<crate::auth::rate_limit::RateOutcome>()
        .cloned();
    if let Some(rate) = rate {
        rate_limit_headers(res.headers_mut(), &rate);
    }
    tracing::info!(parent: &span, status, elapsed_ms = elapsed * 1000.0, "request");
    Ok(res)
}

/// `RateLimit-Policy`, `RateLimit` and (when refused) `Retry-After`.
fn rate_limit_headers(
    headers: &mut actix_web::http::header::HeaderMap,
    rate: &crate::auth::rate_limit::RateOutcome,
) {
    use actix_web::http::header::{HeaderName, HeaderValue, RETRY_AFTER};
    let mut set = |name: HeaderName, value: Option<String>| {
        if let Some(v) = value.and_then(|v| HeaderValue::from_str(&v).ok()) {
            headers.insert(name, v);
        }
    };
    set(
        HeaderName::from_static("ratelimit-policy"),
        rate.policy_header(),
    );
    set(HeaderName::from_static("ratelimit"), rate.state_header());
    set(RETRY_AFTER, rate.retry_after.map(|s| s.to_string()));
}

/// A running HTTP server bound to a known port.
pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    pub fn build(state: AppState) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(&state.settings.bind)
            .map_err(|e| anyhow::anyhow!("cannot bind {}: {e}", state.settings.bind))?;
        Self::from_listener(state, listener)
    }

    pub fn from_listener(state: AppState, listener: TcpListener) -> anyhow::Result<Self> {
        let port = listener.local_addr()?.port();
        let state = web::Data::new(state);
        let server = HttpServer::new(move || create_app(state.clone()))
            // Lets long synchronous requests notice a client that hung up (`api::peer`).
            .on_connect(crate::api::peer::on_connect)
            .listen(listener)?
            .shutdown_timeout(10)
            .run();
        Ok(Self { port, server })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}
