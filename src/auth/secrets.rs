//! Random tokens (API keys, refresh tokens) and their stored digests, and the server's own
//! secrets (the JWT signing secret, the key material stored credentials are sealed with).

use rand::distr::{Alphanumeric, SampleString};
use sha2::{Digest, Sha256};
use std::path::Path;

pub const API_KEY_PREFIX: &str = "vf_";
pub const REFRESH_TOKEN_PREFIX: &str = "vfr_";
pub const INVITATION_TOKEN_PREFIX: &str = "vfi_";

pub fn random_token(len: usize) -> String {
    Alphanumeric.sample_string(&mut rand::rng(), len)
}

/// A new API key: `vf_` + 40 random alphanumerics (~238 bits).
pub fn new_api_key() -> String {
    format!("{API_KEY_PREFIX}{}", random_token(40))
}

/// An invitation token (`vfi_…`), given once to the inviting admin (and, later, mailed).
pub fn new_invitation_token() -> String {
    format!("{INVITATION_TOKEN_PREFIX}{}", random_token(48))
}

pub fn new_refresh_token() -> String {
    format!("{REFRESH_TOKEN_PREFIX}{}", random_token(48))
}

/// SHA-256 is enough for high-entropy random tokens (no dictionary to attack), and cheap
/// enough to check on every request.
pub fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The JWT secret: from configuration, else read from (or created in) `<data_dir>/jwt_secret`.
pub fn load_or_create_jwt_secret(configured: &str, data_dir: &Path) -> std::io::Result<Vec<u8>> {
    load_or_create_secret(configured, data_dir, "jwt_secret", "VOXFLOW_JWT_SECRET")
}

/// The key material that stored credentials are sealed with (see `crate::auth::sealing`):
/// from configuration, else read from (or created in) `<data_dir>/secrets_key`.
pub fn load_or_create_secrets_key(configured: &str, data_dir: &Path) -> std::io::Result<Vec<u8>> {
    load_or_create_secret(configured, data_dir, "secrets_key", "VOXFLOW_SECRETS_KEY")
}

/// A server secret: the configured value, else the one kept in `<data_dir>/<file>` (created,
/// mode 0600, on first use). Every process sharing the database must use the same value.
fn load_or_create_secret(
    configured: &str,
    data_dir: &Path,
    file: &str,
    env_var: &str,
) -> std::io::Result<Vec<u8>> {
    if !configured.is_empty() {
        return Ok(configured.as_bytes().to_vec());
    }
    let path = data_dir.join(file);
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let existing = existing.trim();
        if existing.len() >= 32 {
            return Ok(existing.as_bytes().to_vec());
        }
    }
    std::fs::create_dir_all(data_dir)?;
    let secret = random_token(64);
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, &secret)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600))?;
    }
    std::fs::rename(&tmp, &path)?;
    tracing::warn!(
        path = %path.display(),
        "no {env_var} configured: generated a secret and saved it; \
         every process sharing this database must use the same secret"
    );
    Ok(secret.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_keys_look_right() {
        let k = new_api_key();
        assert!(k.starts_with("vf_"));
        assert_eq!(k.len(), 43);
        assert_ne!(k, new_api_key());
        assert_eq!(digest(&k).len(), 64);
    }

    #[test]
    fn secret_is_persisted_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = load_or_create_jwt_secret("", dir.path()).expect("create");
        let b = load_or_create_jwt_secret("", dir.path()).expect("read");
        assert_eq!(a, b);
        let c = load_or_create_jwt_secret("x".repeat(40).as_str(), dir.path()).expect("configured");
        assert_eq!(c, "x".repeat(40).into_bytes());
        // A second secret lives in its own file.
        let k = load_or_create_secrets_key("", dir.path()).expect("secrets key");
        assert_ne!(k, a);
        assert_eq!(
            load_or_create_secrets_key("", dir.path()).expect("again"),
            k
        );
    }
}
