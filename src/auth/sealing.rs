//! Sealing credentials that must be stored and later used in clear (a tenant's DeepL or
//! LibreTranslate API key), as opposed to our own tokens, of which a digest is enough.
//!
//! ChaCha20-Poly1305 with a 256-bit key derived (HKDF-SHA256) from the server's secrets key
//! (`VOXFLOW_SECRETS_KEY`, or `<data_dir>/secrets_key`), a random 96-bit nonce per value,
//! and the owning row as associated data, so a sealed value copied into another row or
//! tenant no longer opens. Stored form: `v1.<base64url(nonce ‖ ciphertext ‖ tag)>`.
//! Changing the secrets key makes stored values unreadable (no rotation yet): re-enter them.

use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use hkdf::Hkdf;
use rand::RngCore;
use sha2::Sha256;

const VERSION: &str = "v1.";
const NONCE_LEN: usize = 12;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SealError {
    #[error("the sealed value is malformed")]
    Malformed,
    #[error("the sealed value does not open with this server's secrets key (was VOXFLOW_SECRETS_KEY changed?)")]
    WrongKey,
}

/// Seals and opens stored credentials. It seals with the current key and opens with it or
/// any previous one (`VOXFLOW_SECRETS_KEY_PREVIOUS`), so a key can be rotated: start every
/// process with the new key and the old one as previous, let [`SecretBox::reseal`] re-seal
/// what the old key sealed (done at startup), then drop the old key.
#[derive(Clone)]
pub struct SecretBox {
    cipher: ChaCha20Poly1305,
    previous: Vec<ChaCha20Poly1305>,
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBox(..)")
    }
}

impl SecretBox {
    /// Derives the sealing key from the server's key material.
    pub fn new(material: &[u8]) -> Self {
        Self {
            cipher: Self::cipher(material),
            previous: Vec::new(),
        }
    }

    /// Also opens what these earlier keys' material sealed.
    pub fn with_previous(mut self, materials: &[Vec<u8>]) -> Self {
        self.previous = materials.iter().map(|m| Self::cipher(m)).collect();
        self
    }

    /// Whether earlier keys are configured (a rotation is under way).
    pub fn rotating(&self) -> bool {
        !self.previous.is_empty()
    }

    fn cipher(material: &[u8]) -> ChaCha20Poly1305 {
        let mut key = [0u8; 32];
        Hkdf::<Sha256>::new(Some(b"voxflow"), material)
            .expand(b"voxflow stored credentials v1", &mut key)
            .unwrap_or_else(|_| unreachable!("32 bytes is a valid HKDF-SHA256 output length"));
        ChaCha20Poly1305::new(&Key::from(key))
    }

    /// `sealed` sealed again with the current key when only a previous key opens it; None
    /// when the current key already does (nothing to do).
    pub fn reseal(&self, sealed: &str, context: &str) -> Result<Option<String>, SealError> {
        if Self::open_with(&self.cipher, sealed, context).is_ok() {
            return Ok(None);
        }
        let plain = self.open(sealed, context)?;
        Ok(Some(self.seal(&plain, context)))
    }

    /// Encrypts `plaintext`, bound to `context` (e.g. the row it is stored in).
    pub fn seal(&self, plaintext: &str, context: &str) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let sealed = self
            .cipher
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: context.as_bytes(),
                },
            )
            .unwrap_or_else(|_| {
                unreachable!("ChaCha20-Poly1305 encryption cannot fail for in-memory input")
            });
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        format!(
            "{VERSION}{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
        )
    }

    /// Decrypts what [`SecretBox::seal`] produced for the same `context`, with the current key
    /// or a previous one.
    pub fn open(&self, sealed: &str, context: &str) -> Result<String, SealError> {
        let mut result = Self::open_with(&self.cipher, sealed, context);
        for cipher in &self.previous {
            if !matches!(result, Err(SealError::WrongKey)) {
                break;
            }
            result = Self::open_with(cipher, sealed, context);
        }
        result
    }

    fn open_with(
        cipher: &ChaCha20Poly1305,
        sealed: &str,
        context: &str,
    ) -> Result<String, SealError> {
        let bytes = sealed
            .strip_prefix(VERSION)
            .and_then(|b| {
                base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(b)
                    .ok()
            })
            .filter(|b| b.len() > NONCE_LEN)
            .ok_or(SealError::Malformed)?;
        let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| SealError::Malformed)?;
        let plain = cipher
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: ciphertext,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| SealError::WrongKey)?;
        String::from_utf8(plain).map_err(|_| SealError::Malformed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_with_the_same_key_and_context() {
        let b = SecretBox::new(b"server secret material, long enough");
        let sealed = b.seal("deepl-key-123:fx", "translation_engine:t1:e1");
        assert!(sealed.starts_with("v1."));
        assert!(!sealed.contains("deepl-key"));
        assert_ne!(
            sealed,
            b.seal("deepl-key-123:fx", "translation_engine:t1:e1"),
            "fresh nonce"
        );
        assert_eq!(
            b.open(&sealed, "translation_engine:t1:e1").unwrap(),
            "deepl-key-123:fx"
        );
        assert_eq!(
            b.open(&sealed, "translation_engine:t2:e1"),
            Err(SealError::WrongKey)
        );
        let other = SecretBox::new(b"another server's secret material!!");
        assert_eq!(
            other.open(&sealed, "translation_engine:t1:e1"),
            Err(SealError::WrongKey)
        );
        assert_eq!(b.open("v1.AAAA", "x"), Err(SealError::Malformed));
        assert_eq!(b.open("plain", "x"), Err(SealError::Malformed));
        assert_eq!(format!("{b:?}"), "SecretBox(..)");
    }

    #[test]
    fn a_rotated_key_opens_old_values_and_reseals_them() {
        let old = SecretBox::new(b"the old secret material, long enough");
        let sealed = old.seal("k", "ctx");
        let new = SecretBox::new(b"the new secret material, long enough!");
        assert_eq!(new.open(&sealed, "ctx"), Err(SealError::WrongKey));
        let rotating = SecretBox::new(b"the new secret material, long enough!")
            .with_previous(&[b"the old secret material, long enough".to_vec()]);
        assert!(rotating.rotating() && !new.rotating());
        assert_eq!(rotating.open(&sealed, "ctx").unwrap(), "k");
        let resealed = rotating.reseal(&sealed, "ctx").unwrap().expect("re-sealed");
        // The new key alone opens the re-sealed value; re-sealing it again is a no-op.
        assert_eq!(new.open(&resealed, "ctx").unwrap(), "k");
        assert_eq!(rotating.reseal(&resealed, "ctx").unwrap(), None);
        // A value no key opens stays an error, and a wrong context is not "opened" by an old key.
        let stranger = SecretBox::new(b"a third secret material, long enough").seal("k", "ctx");
        assert_eq!(rotating.reseal(&stranger, "ctx"), Err(SealError::WrongKey));
        assert_eq!(rotating.open(&sealed, "other"), Err(SealError::WrongKey));
    }
}
