//! Password resets and email verification (docs/email.md): single-use, expiring tokens
//! (only their SHA-256 is stored) sent by mail through the outbox.
//!
//! - `POST /v1/auth/password-reset {email}` answers `202` the same way whether the address
//!   belongs to an account or not (and is throttled per address and per client the same
//!   way), so it tells nobody which addresses exist.
//! - `POST /v1/auth/password-reset/confirm {token, new_password}` sets the password and ends
//!   every session of the account.
//! - `POST /v1/me/email-verification` mails the caller a link; `POST /v1/auth/verify-email
//!   {token}` marks the address verified.

use super::Validator;
use crate::app::AppState;
use crate::audit::{self, Actor, Event};
use crate::auth::{password, secrets, Authed, RequestMeta};
use crate::email::{self, templates};
use crate::error::{ApiError, Code};
use crate::store::repo::{self, one_time_tokens::OneTimeTokenRow, users::UserRow};
use crate::store::{self, DbConn, StoreError};
use crate::tenancy::{Credential, Scope};
use actix_web::{post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const PASSWORD_RESET: &str = "password_reset";
pub const EMAIL_VERIFICATION: &str = "email_verification";

/// A new token: 43 random alphanumerics (~256 bits; what the link carries), and its SHA-256
/// (what is stored).
fn new_token() -> (String, String) {
    let token = secrets::random_token(43);
    let hash = token_hash(&token);
    (token, hash)
}

fn token_hash(token: &str) -> String {
    secrets::digest(token.trim())
}

/// Issues a token of `purpose` for `user` (voiding their earlier unused ones) and queues the
/// mail carrying its link, in the caller's transaction.
pub(crate) fn issue_and_mail(
    c: &mut DbConn,
    state: &MailSettings,
    user: &UserRow,
    purpose: &'static str,
) -> Result<(), StoreError> {
    let now = store::now();
    repo::one_time_tokens::void_for_user(c, &user.id, purpose, now)?;
    let (token, hash) = new_token();
    let ttl = if purpose == PASSWORD_RESET {
        state.reset_ttl
    } else {
        state.verify_ttl
    };
    repo::one_time_tokens::insert(
        c,
        &OneTimeTokenRow {
            id: store::new_id(),
            user_id: user.id.clone(),
            purpose: purpose.to_string(),
            token_hash: hash,
            expires_at: now + chrono::TimeDelta::seconds(ttl),
            used_at: None,
            created_at: now,
        },
    )?;
    let brand = email::branding_for(c, user)?;
    let base = state.public_url.trim_end_matches('/');
    let mail = if purpose == PASSWORD_RESET {
        let link = format!("{base}/reset-password?token={token}");
        templates::password_reset(&brand, &user.email, &link, ttl)
    } else {
        let link = format!("{base}/verify-email?token={token}");
        templates::email_verification(&brand, &user.email, &link, ttl)
    };
    email::enqueue(c, user, &brand.email_sender_name, mail)?;
    Ok(())
}

/// What the handlers need of the settings, moved into database closures.
#[derive(Clone)]
pub(crate) struct MailSettings {
    public_url: String,
    reset_ttl: i64,
    verify_ttl: i64,
}

impl MailSettings {
    pub(crate) fn of(state: &AppState) -> Self {
        MailSettings {
            public_url: state.settings.public_url.clone(),
            reset_ttl: state.settings.password_reset_ttl_secs,
            verify_ttl: state.settings.email_verification_ttl_secs,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    #[schema(
        example = "ada@example.com",
        pattern = r"^[^@\s\x00-\x1f\x7f-\x9f]+@[^@\s\x00-\x1f\x7f-\x9f.][^@\s\x00-\x1f\x7f-\x9f]*\.[^@\s\x00-\x1f\x7f-\x9f]*[^@\s\x00-\x1f\x7f-\x9f.]$",
        max_length = 254
    )]
    pub email: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Accepted {
    /// Always `accepted`.
    #[schema(example = "accepted")]
    pub status: &'static str,
    #[schema(example = "If an account uses this address, a reset link is on its way.")]
    pub detail: &'static str,
}

/// Asks for a password-reset link by mail. The answer is the same `202` whether or not an
/// account uses the address (a suspended or deleted account gets no mail either). Throttled:
/// `VOXFLOW_PASSWORD_RESET_MAX_REQUESTS` an hour per address, four times that per client.
#[utoipa::path(
    tag = "auth",
    security(),
    request_body = PasswordResetRequest,
    responses(
        (status = 202, body = Accepted, description = "Accepted, whether or not the address has an account"),
        (status = 422, description = "Not an email address", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many reset requests for this address or client (`too_many_login_attempts`); see `Retry-After`", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/password-reset")]
pub async fn request_password_reset(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: web::Json<PasswordResetRequest>,
) -> Result<HttpResponse, ApiError> {
    let mut v = Validator::default();
    v.email("email", &body.email);
    v.finish()?;
    let email_address = super::normalize_email(&body.email);
    let ip = meta.ip.clone().unwrap_or_default();
    // Every request counts, found or not, so the limit reveals nothing either.
    super::auth::reserve_in(
        &state.reset_throttle,
        &email_address,
        &ip,
        "Too many password-reset requests",
    )?
    .failed();
    let settings = MailSettings::of(&state);
    let actor = Actor {
        request_id: meta.request_id.clone(),
        ip: meta.ip.clone(),
        ..Default::default()
    };
    let address = email_address.clone();
    let sent = state
        .store
        .write(Scope::System, move |c| {
            let Some(user) = repo::users::find_by_email(c, &address)? else {
                return Ok(false);
            };
            if user.status != "active" {
                return Ok(false);
            }
            issue_and_mail(c, &settings, &user, PASSWORD_RESET)?;
            audit::record(
                c,
                &actor,
                Event {
                    action: "user.password_reset_request",
                    target_type: "user",
                    target_id: Some(user.id.clone()),
                    tenant_id: user.tenant_id.clone(),
                    reseller_id: user.reseller_id.clone(),
                    details: serde_json::json!({}),
                },
            )?;
            Ok(true)
        })
        .await?;
    tracing::info!(mailed = sent, "password reset requested");
    Ok(HttpResponse::Accepted().json(Accepted {
        status: "accepted",
        detail: "If an account uses this address, a reset link is on its way.",
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetConfirm {
    /// The `token` of the link in the mail.
    pub token: String,
    #[schema(min_length = 10)]
    pub new_password: String,
}

fn invalid_token(what: &str) -> ApiError {
    ApiError::new(
        Code::InvalidOneTimeToken,
        format!("This {what} link is wrong, used or expired: ask for a new one"),
    )
}

/// Sets a new password with the token of a reset mail. The token works once, before it
/// expires (`VOXFLOW_PASSWORD_RESET_TTL_SECS`); every session of the account ends (refresh
/// tokens revoked, earlier access tokens refused). Sign in with the new password.
#[utoipa::path(
    tag = "auth",
    security(),
    request_body = PasswordResetConfirm,
    responses(
        (status = 204, description = "The password is set; every session of the account ended"),
        (status = 400, description = "The token is wrong, used or expired (`invalid_one_time_token`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The new password is too weak", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/password-reset/confirm")]
pub async fn confirm_password_reset(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: web::Json<PasswordResetConfirm>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let mut v = Validator::default();
    if let Some(problem) = password::check_strength(&body.new_password) {
        v.push("new_password", problem);
    }
    v.finish()?;
    if body.token.len() > 200 {
        return Err(invalid_token("reset"));
    }
    let new_password = body.new_password;
    let hash = web::block(move || password::hash(&new_password))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    let token_hash = token_hash(&body.token);
    let actor = Actor {
        request_id: meta.request_id.clone(),
        ip: meta.ip.clone(),
        ..Default::default()
    };
    state
        .store
        .write(Scope::System, move |c| {
            let now = store::now();
            let Some(token) = repo::one_time_tokens::spend(c, PASSWORD_RESET, &token_hash, now)?
            else {
                return Ok(Err(invalid_token("reset")));
            };
            let Some(user) = repo::users::get(c, &Scope::System, &token.user_id)? else {
                return Ok(Err(invalid_token("reset")));
            };
            if user.status != "active" {
                return Ok(Err(invalid_token("reset")));
            }
            repo::users::update(
                c,
                &Scope::System,
                &user.id,
                &repo::users::UserChanges {
                    password_hash: Some(hash),
                    updated_at: Some(now),
                    // Reading the mail proves the address.
                    email_verified_at: user.email_verified_at.is_none().then_some(Some(now)),
                    ..Default::default()
                },
            )?;
            repo::refresh_tokens::revoke_for_user(c, &user.id, now)?;
            repo::users::bump_session_epoch(c, &user.id)?;
            repo::one_time_tokens::void_for_user(c, &user.id, PASSWORD_RESET, now)?;
            audit::record(
                c,
                &Actor {
                    user_id: Some(user.id.clone()),
                    ..actor
                },
                Event {
                    action: "user.password_reset",
                    target_type: "user",
                    target_id: Some(user.id.clone()),
                    tenant_id: user.tenant_id.clone(),
                    reseller_id: user.reseller_id.clone(),
                    details: serde_json::json!({"sessions_revoked": true}),
                },
            )?;
            Ok(Ok(()))
        })
        .await??;
    Ok(HttpResponse::NoContent().finish())
}

/// Mails the caller a link confirming their address (`VOXFLOW_EMAIL_VERIFICATION_TTL_SECS`).
/// With an access token only: an API key does not act for its owner's mailbox.
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 202, body = Accepted, description = "The mail is queued"),
        (status = 401, description = "Missing, invalid or expired access token", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "An API key", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The address is already verified (`conflict`)", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/email-verification")]
pub async fn request_email_verification(
    state: web::Data<AppState>,
    authed: Authed,
) -> Result<HttpResponse, ApiError> {
    if let Credential::ApiKey { .. } = authed.principal.credential {
        return Err(ApiError::forbidden(
            "API keys cannot ask for email verification: sign in and send the access token",
        ));
    }
    let settings = MailSettings::of(&state);
    let user_id = authed.principal.user_id.to_string();
    state
        .store
        .write(Scope::System, move |c| {
            let Some(user) = repo::users::get(c, &Scope::System, &user_id)? else {
                return Ok(Err(ApiError::of(Code::InvalidToken)));
            };
            if user.email_verified_at.is_some() {
                return Ok(Err(ApiError::new(
                    Code::Conflict,
                    "This address is already verified",
                )));
            }
            issue_and_mail(c, &settings, &user, EMAIL_VERIFICATION)?;
            Ok(Ok(()))
        })
        .await??;
    Ok(HttpResponse::Accepted().json(Accepted {
        status: "accepted",
        detail: "A verification link is on its way.",
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyEmailRequest {
    /// The `token` of the link in the mail.
    pub token: String,
}

/// Confirms an address with the token of a verification mail (no credential needed: the
/// token is the proof). It works once, before it expires.
#[utoipa::path(
    tag = "auth",
    security(),
    request_body = VerifyEmailRequest,
    responses(
        (status = 204, description = "The address is verified"),
        (status = 400, description = "The token is wrong, used or expired (`invalid_one_time_token`)", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/verify-email")]
pub async fn verify_email(
    state: web::Data<AppState>,
    body: web::Json<VerifyEmailRequest>,
) -> Result<HttpResponse, ApiError> {
    if body.token.len() > 200 {
        return Err(invalid_token("verification"));
    }
    let token_hash = token_hash(&body.token);
    state
        .store
        .write(Scope::System, move |c| {
            let now = store::now();
            let Some(token) =
                repo::one_time_tokens::spend(c, EMAIL_VERIFICATION, &token_hash, now)?
            else {
                return Ok(Err(invalid_token("verification")));
            };
            let Some(user) = repo::users::get(c, &Scope::System, &token.user_id)? else {
                return Ok(Err(invalid_token("verification")));
            };
            repo::users::update(
                c,
                &Scope::System,
                &user.id,
                &repo::users::UserChanges {
                    email_verified_at: Some(Some(now)),
                    updated_at: Some(now),
                    ..Default::default()
                },
            )?;
            Ok(Ok(()))
        })
        .await??;
    Ok(HttpResponse::NoContent().finish())
}
