//! Access tokens: HS256 JWTs with a fixed issuer and audience.
//!
//! Only HS256 is accepted, so `alg: none` and algorithm-confusion tokens are rejected, as
//! are tokens signed with another key, for another issuer or audience, or expired.

use crate::tenancy::Role;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const ISSUER: &str = "voxflow";
pub const AUDIENCE: &str = "voxflow-api";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Claims {
    pub sub: Uuid,
    pub tenant: Option<Uuid>,
    pub reseller: Option<Uuid>,
    pub role: Role,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
    /// The account's session epoch when issued; a password change starts a new one and
    /// the tokens of earlier epochs are refused.
    #[serde(default)]
    pub epoch: i64,
}

#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    pub ttl_secs: i64,
}

impl JwtKeys {
    pub fn new(secret: &[u8], ttl_secs: i64) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.leeway = 5;
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            ttl_secs,
        }
    }

    pub fn issue(
        &self,
        user_id: Uuid,
        role: Role,
        tenant: Option<Uuid>,
        reseller: Option<Uuid>,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        self.issue_in_epoch(user_id, role, tenant, reseller, 0)
    }

    /// Issues a token for the account's current session `epoch`.
    pub fn issue_in_epoch(
        &self,
        user_id: Uuid,
        role: Role,
        tenant: Option<Uuid>,
        reseller: Option<Uuid>,
        epoch: i64,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: user_id,
            tenant,
            reseller,
            role,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            iat: now,
            exp: now + self.ttl_secs,
            epoch,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
    }

    pub fn verify(&self, token: &str) -> Result<Claims, jsonwebtoken::errors::Error> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).map(|d| d.claims)
    }

    /// Signs arbitrary claims (tests use it to forge expired or foreign tokens).
    pub fn sign_claims(&self, claims: &Claims) -> Result<String, jsonwebtoken::errors::Error> {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    fn keys() -> JwtKeys {
        JwtKeys::new(b"0123456789abcdef0123456789abcdef", 900)
    }

    #[test]
    fn round_trip() {
        let k = keys();
        let id = Uuid::now_v7();
        let t = k
            .issue(id, Role::Member, Some(Uuid::nil()), None)
            .expect("issue");
        let c = k.verify(&t).expect("verify");
        assert_eq!(c.sub, id);
        assert_eq!(c.role, Role::Member);
    }

    #[test]
    fn rejects_wrong_key_expired_and_alg_none() {
        let k = keys();
        let t = k
            .issue(Uuid::now_v7(), Role::Member, None, None)
            .expect("issue");
        assert!(JwtKeys::new(b"another-secret-another-secret-xx", 900)
            .verify(&t)
            .is_err());

        let mut c = k.verify(&t).expect("claims");
        c.exp = chrono::Utc::now().timestamp() - 3600;
        assert!(k.verify(&k.sign_claims(&c).expect("sign")).is_err());

        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let header = b64.encode(br#"{"alg":"none","typ":"JWT"}"#);
        c.exp = chrono::Utc::now().timestamp() + 3600;
        let body = b64.encode(serde_json::to_vec(&c).expect("json"));
        assert!(k.verify(&format!("{header}.{body}.")).is_err());
    }

    #[test]
    fn rejects_wrong_issuer_or_audience() {
        let k = keys();
        let t = k
            .issue(Uuid::now_v7(), Role::Member, None, None)
            .expect("issue");
        let mut c = k.verify(&t).expect("claims");
        c.iss = "someone-else".into();
        assert!(k.verify(&k.sign_claims(&c).expect("sign")).is_err());
        c.iss = ISSUER.into();
        c.aud = "other-api".into();
        assert!(k.verify(&k.sign_claims(&c).expect("sign")).is_err());
    }
}
