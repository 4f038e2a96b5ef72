//! Voxflow: a multi-tenant backend for speech workflows.
//!
//! The service crate: configuration, the HTTP API, authentication, tenancy and storage.
//! Speech processing lives in the `voxflow-nodes` crate, which knows nothing of HTTP or
//! databases.

pub mod api;
pub mod app;
pub mod audit;
pub mod auth;
pub mod billing;
pub mod bootstrap;
pub mod branding;
pub mod cli;
pub mod config;
pub mod credentials;
pub mod email;
pub mod engine;
pub mod error;
pub mod fetch;
pub mod files;
pub mod invitations;
pub mod lifecycle;
pub mod metrics;
pub mod models;
pub mod native;
pub mod plan_features;
pub mod realtime;
pub mod speech;
pub mod storage;
pub mod store;
pub mod studio;
pub mod telemetry;
pub mod tenancy;
pub mod translation;
pub mod webhooks;
