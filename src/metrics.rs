//! Prometheus metrics: requests by route and status, latency, database pool, and the
//! OpenAI-compatible routes' transcriptions (running, cancelled by a client leaving).

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts,
    Registry,
};

pub struct Metrics {
    registry: Registry,
    pub requests: IntCounterVec,
    pub latency: HistogramVec,
    pub pool: IntGaugeVec,
    /// RevenueCat webhooks received, by event type (documented types, else `unknown` or
    /// `none`) and outcome (`applied`, `unknown`, `malformed`, `duplicate`, …).
    pub revenuecat_events: IntCounterVec,
    /// Handed to [`crate::speech::Speech`], which updates them as it works.
    pub transcriptions: TranscriptionMetrics,
    /// `304` job polls by where the answer came from (`memory` or `database`).
    pub job_polls_not_modified: IntCounterVec,
    /// Requests whose credential was found in the credential cache (`hit`) or checked
    /// against the database (`miss`).
    pub credential_checks: IntCounterVec,
}

/// The OpenAI-compatible routes' pipelines (`voxflow_transcriptions_*`).
#[derive(Clone)]
pub struct TranscriptionMetrics {
    /// Pipelines decoding or transcribing now.
    pub running: IntGauge,
    /// Pipelines stopped early because their client went away.
    pub cancelled: IntCounter,
}

impl Metrics {
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "voxflow_http_requests_total",
                "HTTP requests by route and status",
            ),
            &["method", "route", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "voxflow_http_request_duration_seconds",
                "HTTP request latency by route",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ]),
            &["method", "route"],
        )?;
        let pool = IntGaugeVec::new(
            Opts::new(
                "voxflow_db_pool_connections",
                "Database pool connections by state",
            ),
            &["state"],
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(pool.clone()))?;
        let revenuecat_events = IntCounterVec::new(
            Opts::new(
                "voxflow_revenuecat_webhooks_total",
                "RevenueCat webhooks received, by event type and outcome",
            ),
            &["type", "outcome"],
        )?;
        registry.register(Box::new(revenuecat_events.clone()))?;
        let transcriptions_running = IntGauge::new(
            "voxflow_transcriptions_running",
            "OpenAI-compatible transcriptions decoding or transcribing now",
        )?;
        let transcriptions_cancelled = IntCounter::new(
            "voxflow_transcriptions_cancelled_total",
            "OpenAI-compatible transcriptions stopped because the client went away",
        )?;
        registry.register(Box::new(transcriptions_running.clone()))?;
        registry.register(Box::new(transcriptions_cancelled.clone()))?;
        let job_polls_not_modified = IntCounterVec::new(
            Opts::new(
                "voxflow_job_polls_not_modified_total",
                "Job polls answered 304, by where the current sequence number came from",
            ),
            &["source"],
        )?;
        registry.register(Box::new(job_polls_not_modified.clone()))?;
        let credential_checks = IntCounterVec::new(
            Opts::new(
                "voxflow_credential_checks_total",
                "Credentials verified, by whether the credential cache had them",
            ),
            &["cache"],
        )?;
        registry.register(Box::new(credential_checks.clone()))?;
        Ok(Self {
            job_polls_not_modified,
            credential_checks,
            registry,
            requests,
            latency,
            pool,
            revenuecat_events,
            transcriptions: TranscriptionMetrics {
                running: transcriptions_running,
                cancelled: transcriptions_cancelled,
            },
        })
    }

    pub fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        self.requests
            .with_label_values(&[method, route, &status.to_string()])
            .inc();
        self.latency
            .with_label_values(&[method, route])
            .observe(seconds);
    }

    pub fn render(&self, pool: crate::store::PoolStats) -> String {
        self.pool
            .with_label_values(&["idle"])
            .set(i64::from(pool.idle));
        self.pool
            .with_label_values(&["in_use"])
            .set(i64::from(pool.connections.saturating_sub(pool.idle)));
        self.pool
            .with_label_values(&["max"])
            .set(i64::from(pool.max));
        let mut out = Vec::new();
        if let Err(e) = prometheus::TextEncoder::new().encode(&self.registry.gather(), &mut out) {
            tracing::error!(error = %e, "metrics encoding failed");
        }
        String::from_utf8(out).unwrap_or_default()
    }
}
