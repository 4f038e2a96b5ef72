//! API integration tests: the real HTTP service on a random port, over SQLite and,
//! when `VOXFLOW_TEST_PG_URL` names a server, over PostgreSQL too. Each test gets a fresh
//! database. One binary for all modules (faster to link).

mod helpers;

mod account_recovery;
mod admission;
mod api_keys;
mod auth;
mod bgm;
mod billing;
mod branding;
mod credentials;
mod data_lifecycle;
mod deployment;
mod diarize;
mod drills;
mod exports;
mod fast_path;
mod files;
mod health;
mod isolation;
mod jobs;
mod limits;
mod logging;
mod memberships;
mod nodes;
mod openai_compat;
mod openapi;
mod pipeline;
mod plans;
mod presets;
mod rate_limits;
mod realtime;
mod resources;
mod revenuecat;
mod sdks;
mod storage;
mod store;
mod studio;
mod templates;
mod translation;
mod usage;
mod webhooks;
mod workflows;
mod workspace_credentials;
