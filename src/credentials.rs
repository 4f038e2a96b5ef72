//! Workspace credentials (issue 13 §6, seed 003): a tenant's third-party secrets — DeepL and
//! LibreTranslate API keys today, any provider's later — in one sealed store
//! (`workspace_credentials`, docs/credentials.md).
//!
//! This is the only code that seals or opens them. A value is sealed with the server's
//! secrets key ([`SecretBox`]) bound to `workspace_credential:<tenant>:<id>`, so a sealed
//! value copied into another row or tenant does not open; only a hint (its last characters)
//! is kept in clear, and no view, log or audit entry carries the value.
//!
//! A credential is bound to one origin (`scheme://host:port`): given when it is created, or
//! set by the first translation engine that uses it. Engines elsewhere cannot use it, and the
//! origin changes only with a new value, so a stored secret is never sent to a host it was
//! not entered for.
//!
//! Key rotation: [`reseal_all`] re-seals with the current key what only a previous key opens
//! (every process at startup while `VOXFLOW_SECRETS_KEY_PREVIOUS` is set); and
//! [`adopt_engine_keys`] moves the keys engines stored before this store existed (bound to
//! their engine row, so SQL could not move them) into it, at every startup.

use crate::auth::sealing::{SealError, SecretBox};
use crate::store::repo::workspace_credentials::{self as repo, CredentialForm, CredentialRow};
use crate::store::{self, DbConn, StoreError};
use diesel::prelude::*;
use std::sync::Arc;

/// Whose secret it is; translation engines use only their own kind's.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Deepl,
    Libretranslate,
    /// Any other service's secret (nothing in Voxflow uses these yet).
    Generic,
}

impl Provider {
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Deepl => "deepl",
            Provider::Libretranslate => "libretranslate",
            Provider::Generic => "generic",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "deepl" => Some(Provider::Deepl),
            "libretranslate" => Some(Provider::Libretranslate),
            "generic" => Some(Provider::Generic),
            _ => None,
        }
    }
}

/// Why a credential cannot be used where it was asked for.
#[derive(Debug, thiserror::Error)]
pub enum UseError {
    #[error("the credential is a {found} credential, not a {wanted} one")]
    WrongProvider { found: String, wanted: String },
    #[error("the credential is bound to {bound}; it is never sent to {asked}")]
    OtherOrigin { bound: String, asked: String },
    #[error("{0}")]
    Sealed(#[from] SealError),
}

/// Seals and opens workspace credentials (cheap to clone).
#[derive(Clone, Debug)]
pub struct Credentials {
    sealing: Arc<SecretBox>,
}

impl Credentials {
    pub fn new(sealing: Arc<SecretBox>) -> Self {
        Self { sealing }
    }

    /// The associated data binding a sealed value to its row and tenant.
    fn context(tenant_id: &str, id: &str) -> String {
        format!("workspace_credential:{tenant_id}:{id}")
    }

    /// A new credential row with `value` sealed (not yet stored).
    pub fn new_row(
        &self,
        tenant_id: &str,
        name: &str,
        provider: Provider,
        value: &str,
        origin: Option<String>,
        created_by: Option<String>,
    ) -> CredentialRow {
        let id = store::new_id();
        let now = store::now();
        CredentialRow {
            value_sealed: self.sealing.seal(value, &Self::context(tenant_id, &id)),
            hint: hint(value),
            id,
            tenant_id: tenant_id.to_string(),
            name: name.to_string(),
            provider: provider.as_str().into(),
            origin,
            created_by,
            created_at: now,
            updated_at: now,
            rotated_at: now,
        }
    }

    /// The change that replaces `row`'s value (and, when given, its origin).
    pub fn rotation(
        &self,
        row: &CredentialRow,
        value: &str,
        origin: Option<Option<String>>,
    ) -> CredentialForm {
        let now = store::now();
        CredentialForm {
            value_sealed: Some(
                self.sealing
                    .seal(value, &Self::context(&row.tenant_id, &row.id)),
            ),
            hint: Some(hint(value)),
            origin,
            updated_at: Some(now),
            rotated_at: Some(now),
            ..Default::default()
        }
    }

    /// The value in clear, for use against `url` by a `provider` client: refused when the
    /// credential is another provider's or bound to another origin.
    pub fn open_for(
        &self,
        row: &CredentialRow,
        provider: Provider,
        url: &str,
    ) -> Result<String, UseError> {
        if row.provider != provider.as_str() {
            return Err(UseError::WrongProvider {
                found: row.provider.clone(),
                wanted: provider.as_str().into(),
            });
        }
        let asked = crate::fetch::origin(url).unwrap_or_else(|| url.to_string());
        if let Some(bound) = &row.origin {
            if *bound != asked {
                return Err(UseError::OtherOrigin {
                    bound: bound.clone(),
                    asked,
                });
            }
        }
        Ok(self
            .sealing
            .open(&row.value_sealed, &Self::context(&row.tenant_id, &row.id))?)
    }
}

/// The last four characters of a long enough value (a short one shows nothing).
pub fn hint(value: &str) -> Option<String> {
    let chars: Vec<char> = value.chars().collect();
    (chars.len() >= 12).then(|| format!("…{}", chars[chars.len() - 4..].iter().collect::<String>()))
}

/// Re-seals with the current key the credentials only a previous key opens, during a key
/// rotation; returns how many rows changed. A value no configured key opens is left and
/// logged (whatever uses it then asks for it again).
pub fn reseal_all(conn: &mut DbConn, sealing: &SecretBox) -> Result<usize, StoreError> {
    use crate::store::schema::workspace_credentials::dsl as c;
    let mut changed = 0;
    for row in repo::all(conn)? {
        let context = Credentials::context(&row.tenant_id, &row.id);
        match sealing.reseal(&row.value_sealed, &context) {
            Ok(Some(v)) => {
                changed += diesel::update(c::workspace_credentials.filter(c::id.eq(&row.id)))
                    .set(c::value_sealed.eq(v))
                    .execute(conn)?;
            }
            Ok(None) => {}
            Err(e) => {
                tracing::warn!(credential = %row.id, error = %e, "a workspace credential opens with no configured key")
            }
        }
    }
    Ok(changed)
}

/// Moves the API keys translation engines stored themselves (`api_key_sealed`, from before
/// this store) into workspace credentials, one per engine, named after it and bound to its
/// origin; returns how many moved. Idempotent and safe with several processes starting at
/// once: an engine is switched over only if it still holds the key that was moved.
pub fn adopt_engine_keys(conn: &mut DbConn, sealing: &SecretBox) -> Result<usize, StoreError> {
    use crate::store::schema::translation_engines::dsl as te;
    use crate::store::schema::workspace_credentials::dsl as c;
    type Legacy = (
        String,
        String,
        String,
        String,
        String,
        Option<String>,
        chrono::NaiveDateTime,
    );
    let rows: Vec<Legacy> = te::translation_engines
        .filter(te::api_key_sealed.is_not_null())
        .filter(te::credential_id.is_null())
        .select((
            te::id,
            te::tenant_id,
            te::name,
            te::kind,
            te::base_url,
            te::api_key_sealed,
            te::updated_at,
        ))
        .load(conn)?;
    let credentials = Credentials::new(Arc::new(sealing.clone()));
    let mut moved = 0;
    for (id, tenant_id, name, kind, base_url, sealed, updated_at) in rows {
        let Some(sealed) = sealed else { continue };
        // The engine row's own binding, as `translation` sealed it before.
        let key = match sealing.open(&sealed, &format!("translation_engine:{tenant_id}:{id}")) {
            Ok(key) => key,
            Err(e) => {
                tracing::warn!(engine = %id, error = %e, "a translation engine's key opens with no configured key: left in place, enter it again");
                continue;
            }
        };
        let provider = Provider::parse(&kind).unwrap_or(Provider::Generic);
        let mut row = credentials.new_row(
            &tenant_id,
            &name,
            provider,
            &key,
            crate::fetch::origin(&base_url),
            None,
        );
        row.rotated_at = updated_at;
        repo::insert(conn, &row)?;
        let switched = diesel::update(
            te::translation_engines
                .filter(te::id.eq(&id))
                .filter(te::credential_id.is_null())
                .filter(te::api_key_sealed.eq(&sealed)),
        )
        .set((
            te::credential_id.eq(Some(&row.id)),
            te::api_key_sealed.eq(None::<String>),
            te::api_key_hint.eq(None::<String>),
        ))
        .execute(conn)?;
        if switched == 0 {
            diesel::delete(c::workspace_credentials.filter(c::id.eq(&row.id))).execute(conn)?;
        } else {
            moved += 1;
        }
    }
    Ok(moved)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(c: &Credentials, origin: Option<&str>) -> CredentialRow {
        c.new_row(
            "t1",
            "team",
            Provider::Deepl,
            "0f9e8d7c-6b5a-4321:fx",
            origin.map(str::to_string),
            None,
        )
    }

    #[test]
    fn values_open_only_for_their_provider_and_origin() {
        let c = Credentials::new(Arc::new(SecretBox::new(
            b"server secret material, long enough",
        )));
        let r = row(&c, Some("https://api-free.deepl.com:443"));
        assert!(!r.value_sealed.contains("0f9e8d7c"));
        assert_eq!(r.hint.as_deref(), Some("…1:fx"));
        assert_eq!(
            c.open_for(&r, Provider::Deepl, "https://API-free.deepl.com/")
                .expect("opens"),
            "0f9e8d7c-6b5a-4321:fx"
        );
        assert!(matches!(
            c.open_for(&r, Provider::Deepl, "https://evil.example"),
            Err(UseError::OtherOrigin { .. })
        ));
        assert!(matches!(
            c.open_for(&r, Provider::Libretranslate, "https://api-free.deepl.com"),
            Err(UseError::WrongProvider { .. })
        ));
        // Bound to its row: the same sealed value in another row does not open.
        let mut moved = r.clone();
        moved.id = "another".into();
        assert!(matches!(
            c.open_for(&moved, Provider::Deepl, "https://api-free.deepl.com"),
            Err(UseError::Sealed(SealError::WrongKey))
        ));
        // A rotation seals the new value for the same row.
        let form = c.rotation(&r, "a-new-long-value-9876", None);
        let mut rotated = r.clone();
        rotated.value_sealed = form.value_sealed.expect("sealed");
        assert_eq!(
            c.open_for(&rotated, Provider::Deepl, "https://api-free.deepl.com")
                .expect("opens"),
            "a-new-long-value-9876"
        );
        assert_eq!(form.hint, Some(Some("…9876".into())));
        assert_eq!(hint("short"), None);
        for p in [Provider::Deepl, Provider::Libretranslate, Provider::Generic] {
            assert_eq!(Provider::parse(p.as_str()), Some(p));
        }
    }
}
