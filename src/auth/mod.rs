//! Authentication and authorisation: access tokens (JWT), refresh tokens, API keys,
//! password hashing, login throttling, and the per-role action policy.

pub mod extractor;
pub mod jwt;
pub mod password;
pub mod policy;
pub mod secrets;
pub mod throttle;

pub use extractor::{Authed, RequestMeta};
pub use policy::Action;
