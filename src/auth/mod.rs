//! Authentication and authorisation: access tokens (JWT), refresh tokens, API keys,
//! password hashing, login throttling, per-tenant and per-key request rate limits, the per-role action policy, and sealing stored
//! third-party credentials.

pub mod cache;
pub mod client_ip;
pub mod extractor;
pub mod jwt;
pub mod password;
pub mod policy;
pub mod rate_limit;
pub mod sealing;
pub mod secrets;
pub mod standing;
pub mod throttle;

pub use extractor::{Authed, RequestMeta};
pub use policy::Action;
