//! Password hashing with argon2id (the crate's defaults: 19 MiB, 2 passes).

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;

pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

pub fn verify(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash no password matches: verified against when the account does not exist, so a
/// login for an unknown email costs the same time as one with a wrong password.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash(&crate::auth::secrets::random_token(32)).unwrap_or_default())
}

/// Minimum rules for a new password; returns the problem, if any.
pub fn check_strength(password: &str) -> Option<&'static str> {
    if password.chars().count() < 10 {
        Some("must be at least 10 characters")
    } else if password.len() > 1024 {
        Some("must be at most 1024 bytes")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ() {
        let h1 = hash("correct horse battery").expect("hash");
        let h2 = hash("correct horse battery").expect("hash");
        assert_ne!(h1, h2, "salted");
        assert!(h1.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &h1));
        assert!(!verify("wrong horse battery", &h1));
        assert!(!verify("anything", "not a hash"));
    }
}
