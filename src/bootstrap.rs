//! Creating the first platform admin.

use crate::auth::password;
use crate::store::repo::{self, users::UserRow};
use crate::store::{self, Store, StoreError};
use crate::tenancy::Scope;

#[derive(Debug)]
pub enum Bootstrap {
    /// A platform admin already exists: nothing was done.
    AlreadyDone,
    /// Created with the given credentials; `generated` when the password was made up here.
    Created {
        email: String,
        password: String,
        generated: bool,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum BootstrapError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("invalid bootstrap admin: {0}")]
    Invalid(String),
}

/// Creates a platform admin with `email`/`password`. With `only_if_none`, does nothing when
/// an active platform admin exists. An empty password is generated and returned.
pub fn create_platform_admin(
    store: &Store,
    email: &str,
    password: &str,
    only_if_none: bool,
) -> Result<Bootstrap, BootstrapError> {
    let email = email.trim().to_lowercase();
    if !email.contains('@') {
        return Err(BootstrapError::Invalid(format!(
            "{email:?} is not an email address"
        )));
    }
    let (password, generated) = if password.is_empty() {
        (crate::auth::secrets::random_token(20), true)
    } else {
        (password.to_string(), false)
    };
    if let Some(problem) = password::check_strength(&password) {
        return Err(BootstrapError::Invalid(format!("password {problem}")));
    }
    let hash = password::hash(&password).map_err(|e| BootstrapError::Invalid(e.to_string()))?;
    let created = store.write_blocking(Scope::System, |c| {
        if only_if_none && repo::users::any_platform_admin(c)? {
            return Ok(false);
        }
        if repo::users::email_exists(c, &email)? {
            return Err(StoreError::UniqueViolation(format!(
                "{email} is already registered"
            )));
        }
        let now = store::now();
        repo::users::insert(
            c,
            &UserRow {
                id: store::new_id(),
                tenant_id: None,
                reseller_id: None,
                email: email.clone(),
                password_hash: hash,
                first_name: None,
                last_name: None,
                role: "platform_admin".into(),
                status: "active".into(),
                last_login: None,
                created_at: now,
                updated_at: now,
                session_epoch: 0,
                email_verified_at: None,
                erased_at: None,
            },
        )?;
        crate::audit::record(
            c,
            &crate::audit::Actor::default(),
            crate::audit::Event {
                action: "user.bootstrap",
                target_type: "user",
                target_id: None,
                tenant_id: None,
                reseller_id: None,
                details: serde_json::json!({"email": email}),
            },
        )?;
        Ok(true)
    })?;
    Ok(if created {
        Bootstrap::Created {
            email,
            password,
            generated,
        }
    } else {
        Bootstrap::AlreadyDone
    })
}
