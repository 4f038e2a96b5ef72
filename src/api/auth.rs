//! Login, refresh-token rotation, logout, tenant switching, `GET /v1/me`, `GET /v1/me/tenants`
//! and `POST /v1/me/password`.
//!
//! A tenant user's session is one membership: login picks the tenant (the one named, else the
//! default — see [`standing::default_seat`]), the tokens carry it, refresh tokens belong to it,
//! and `POST /v1/auth/switch` starts a session in another of the user's tenants.

use super::tenants::TenantView;
use super::users::UserView;
use crate::app::AppState;
use crate::audit::{self, Actor, Event};
use crate::auth::standing::{self, Seat, Seating};
use crate::auth::throttle::{Attempt, LoginThrottle};
use crate::auth::{password, policy, secrets, Authed, RequestMeta};
use crate::error::{ApiError, Code};
use crate::store::repo::{self, refresh_tokens::RefreshTokenRow, users::UserRow};
use crate::store::{self, DbConn, StoreError};
use crate::tenancy::{Credential, Role, Scope};
use actix_web::{get, post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use tokio::sync::OwnedSemaphorePermit;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[schema(example = "admin@example.com")]
    pub email: String,
    pub password: String,
    /// The tenant to sign in to, for a user who belongs to several. Without it: the tenant the
    /// user last signed in to or switched to, else their first membership.
    pub tenant_id: Option<Uuid>,
}

/// OAuth 2 style token response.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Lifetime of the access token, in seconds.
    pub expires_in: i64,
    /// Single use: each refresh returns a new one.
    pub refresh_token: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// Exchanges an email and password for an access token and a refresh token.
#[utoipa::path(
    tag = "auth",
    security(),
    request_body = LoginRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, description = "Wrong email or password", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "The account, its tenant or its reseller is suspended (`forbidden`, `reseller_suspended`), whatever the password", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts for this account or address (`too_many_login_attempts`), or too many sign-ins being checked at once (`too_many_concurrent_logins`); see `Retry-After`", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: web::Json<LoginRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let body = body.into_inner();
    let email = super::normalize_email(&body.email);
    let ip = meta.ip.clone().unwrap_or_default();
    // Check and count in one step: the attempt is counted before the password is checked,
    // so parallel guesses cannot all slip past the limit.
    let attempt = reserve_attempt(&state, &email, &ip, "Too many failed logins")?;
    let lookup = email.clone();
    let requested = body.tenant_id.map(|t| t.to_string());
    let named = requested.is_some();
    let found = state
        .store
        .read(Scope::System, move |c| {
            let Some(user) = repo::users::find_by_email(c, &lookup)? else {
                return Ok(None);
            };
            // Before the password: only what the account's own standing says (a tenant named
            // in the request is checked after it, so it reveals nothing without it).
            let refusal = if named && user.status == "active" {
                None
            } else {
                match standing::default_seat(c, &user)? {
                    Seating::Refused(e) => Some(e),
                    _ => None,
                }
            };
            Ok(Some((user, refusal)))
        })
        .await?;
    // An account that may not sign in answers the same whatever the password: its password
    // is not even checked, so the answer cannot tell a right one from a wrong one.
    let user = match found {
        Some((_, Some(refusal))) => {
            attempt.failed();
            tracing::info!(%email, %ip, "login to an account that may not sign in");
            return Err(refusal);
        }
        Some((user, None)) => Some(user),
        None => None,
    };
    let hash = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| password::dummy_hash().to_string());
    let (attempt, permit) = password_check_permit(&state, attempt)?;
    let pw = body.password;
    let ok = web::block(move || {
        let _permit = permit;
        password::verify(&pw, &hash)
    })
    .await
    .map_err(ApiError::internal)?;
    let user = match user {
        Some(u) if ok => {
            attempt.succeeded();
            u
        }
        _ => {
            attempt.failed();
            tracing::info!(%email, %ip, "failed login");
            return Err(ApiError::of(Code::InvalidCredentials));
        }
    };
    let ttl = state.settings.refresh_token_ttl_secs;
    let actor = Actor {
        user_id: Some(user.id.clone()),
        api_key_id: None,
        request_id: meta.request_id,
        ip: meta.ip,
    };
    let (user, seat, refresh_token) = state
        .store
        .write(Scope::System, move |c| {
            let seating = match &requested {
                Some(t) => standing::seat(c, &user, Some(t))?,
                None => standing::default_seat(c, &user)?,
            };
            let seat =
                match seating {
                    Seating::Seated(seat) => seat,
                    Seating::Refused(e) => return Ok(Err(e)),
                    Seating::NotMember if requested.is_some() => {
                        return Ok(Err(ApiError::new(
                            Code::MembershipNotFound,
                            "You are not a member of this tenant",
                        )))
                    }
                    Seating::NotMember => return Ok(Err(ApiError::forbidden(
                        "This account belongs to no tenant any more; ask a tenant admin to add you",
                    ))),
                };
            let now = store::now();
            repo::users::update(
                c,
                &Scope::System,
                &user.id,
                &repo::users::UserChanges {
                    last_login: Some(Some(now)),
                    ..Default::default()
                },
            )?;
            if let Some(m) = &seat.membership {
                repo::memberships::touch(c, &m.id, now)?;
            }
            let token = issue_refresh_token(
                c,
                &user.id,
                seat.tenant_id.as_deref(),
                &store::new_id(),
                ttl,
            )?;
            audit::record(
                c,
                &actor,
                Event {
                    action: "auth.login",
                    target_type: "user",
                    target_id: Some(user.id.clone()),
                    tenant_id: seat.tenant_id.clone(),
                    reseller_id: seat.reseller_id.clone(),
                    details: serde_json::json!({}),
                },
            )?;
            Ok(Ok((user, seat, token)))
        })
        .await??;
    tokens_for(&state, &user, &seat, refresh_token)
}

/// Exchanges a refresh token for a new access token and a new refresh token.
///
/// Each refresh token works once. Presenting a spent one again revokes every token of
/// that login (the token was likely stolen), and the caller must sign in again.
#[utoipa::path(
    tag = "auth",
    security(),
    request_body = RefreshRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, description = "Invalid, expired, revoked or reused refresh token", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    body: web::Json<RefreshRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let hash = secrets::digest(&body.refresh_token);
    let ttl = state.settings.refresh_token_ttl_secs;
    let outcome = state
        .store
        .write(Scope::System, move |c| {
            let now = store::now();
            let Some(row) = repo::refresh_tokens::find_by_hash(c, &hash)? else {
                return Ok(Err(ApiError::of(Code::InvalidRefreshToken)));
            };
            if row.revoked_at.is_some() {
                return Ok(Err(ApiError::of(Code::InvalidRefreshToken)));
            }
            if row.used_at.is_some() || !repo::refresh_tokens::mark_used(c, &row.id, now)? {
                // Reuse: revoke the whole family; committed even though the request fails.
                repo::refresh_tokens::revoke_family(c, &row.family_id, now)?;
                tracing::warn!(family = %row.family_id, "refresh token reuse: session revoked");
                return Ok(Err(ApiError::of(Code::RefreshTokenReused)));
            }
            if row.expires_at <= now {
                return Ok(Err(ApiError::of(Code::InvalidRefreshToken)));
            }
            let Some(user) = repo::users::get(c, &Scope::System, &row.user_id)? else {
                return Ok(Err(ApiError::of(Code::InvalidRefreshToken)));
            };
            // The token's own membership, never another: a tenant A token yields tenant A
            // access tokens, and none once that membership has ended.
            let seat = match standing::seat(c, &user, row.tenant_id.as_deref())? {
                Seating::Seated(seat) => seat,
                Seating::Refused(e) => {
                    repo::refresh_tokens::revoke_family(c, &row.family_id, now)?;
                    return Ok(Err(e));
                }
                Seating::NotMember => {
                    repo::refresh_tokens::revoke_family(c, &row.family_id, now)?;
                    return Ok(Err(ApiError::new(
                        Code::InvalidRefreshToken,
                        "The refresh token's membership in its tenant has ended",
                    )));
                }
            };
            let token =
                issue_refresh_token(c, &user.id, row.tenant_id.as_deref(), &row.family_id, ttl)?;
            Ok(Ok((user, seat, token)))
        })
        .await?;
    let (user, seat, token) = outcome?;
    tokens_for(&state, &user, &seat, token)
}

/// Ends the session of a refresh token (all tokens of that login). Always answers 204.
#[utoipa::path(
    tag = "auth",
    security(),
    request_body = RefreshRequest,
    responses((status = 204, description = "Signed out"))
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    body: web::Json<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let hash = secrets::digest(&body.refresh_token);
    state
        .store
        .write(Scope::System, move |c| {
            if let Some(row) = repo::refresh_tokens::find_by_hash(c, &hash)? {
                repo::refresh_tokens::revoke_family(c, &row.family_id, store::now())?;
            }
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    /// At least 10 characters.
    #[schema(min_length = 10)]
    pub new_password: String,
}

/// Reserves one password attempt for `email` from `ip` in the login throttle (counted before
/// the password is checked), or the `429` that says how long to wait.
fn reserve_attempt<'a>(
    state: &'a AppState,
    email: &str,
    ip: &str,
    refused: &str,
) -> Result<Attempt<'a>, ApiError> {
    reserve_in(&state.throttle, email, ip, refused)
}

/// An attempt counted in `throttle` for `key` and `ip`, or `429 too_many_login_attempts`
/// with `Retry-After` (logins, password resets and sign-ups alike).
pub(crate) fn reserve_in<'a>(
    throttle: &'a LoginThrottle,
    key: &str,
    ip: &str,
    refused: &str,
) -> Result<Attempt<'a>, ApiError> {
    throttle.reserve(key, ip).map_err(|wait| {
        let mut err = ApiError::new(
            Code::TooManyLoginAttempts,
            format!("{refused}; try again in {wait} seconds"),
        );
        err.retry_after = Some(wait);
        err
    })
}

/// A place among the password checks that may run at once (each holds 19 MiB): one more is
/// refused now rather than queued, and its attempt is handed back unchecked. Move the permit
/// into the blocking task, so it is held until the hash is done even if the client goes away.
fn password_check_permit<'a>(
    state: &AppState,
    attempt: Attempt<'a>,
) -> Result<(Attempt<'a>, OwnedSemaphorePermit), ApiError> {
    match state.login_permits.clone().try_acquire_owned() {
        Ok(permit) => Ok((attempt, permit)),
        Err(_) => {
            attempt.release();
            let mut err = ApiError::of(Code::TooManyConcurrentLogins);
            err.retry_after = Some(1);
            Err(err)
        }
    }
}

/// Changes the caller's own password.
///
/// Only with an access token (an API key is refused, whatever its permissions) and the
/// current password. Every session of the account ends (its refresh tokens are revoked and
/// access tokens issued before are refused); the answer carries a new token pair for the
/// caller. Wrong current passwords count towards the login throttle of the account, and the
/// check shares the logins' bound on password checks running at once.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    request_body = ChangePasswordRequest,
    responses(
        (status = 200, description = "Changed; other sessions are signed out", body = TokenResponse),
        (status = 401, description = "Missing, invalid or expired access token", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "An API key (`forbidden`), or a wrong current password (`current_password_incorrect`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The new password is too weak", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong passwords for this account or address (`too_many_login_attempts`), or too many password checks at once (`too_many_concurrent_logins`); see `Retry-After`", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    authed: Authed,
    body: web::Json<ChangePasswordRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    if let Credential::ApiKey { .. } = authed.principal.credential {
        return Err(ApiError::forbidden(
            "API keys cannot change passwords: sign in and send the access token",
        ));
    }
    let body = body.into_inner();
    let mut v = super::Validator::default();
    if let Some(problem) = password::check_strength(&body.new_password) {
        v.push("new_password", problem);
    }
    v.check(
        body.new_password != body.current_password,
        "new_password",
        "must differ from the current password",
    );
    v.finish()?;
    let user_id = authed.principal.user_id.to_string();
    let lookup = user_id.clone();
    let user = state
        .store
        .read(Scope::System, move |c| {
            repo::users::get(c, &Scope::System, &lookup)
        })
        .await?
        .ok_or_else(|| ApiError::of(Code::InvalidToken))?;
    let email = user.email.clone();
    let ip = authed.meta.ip.clone().unwrap_or_default();
    // The same throttle and bound as a login: a stolen access token cannot be used to guess
    // the current password faster than a login could.
    let attempt = reserve_attempt(&state, &email, &ip, "Too many wrong passwords")?;
    let (attempt, permit) = password_check_permit(&state, attempt)?;
    let old_hash = user.password_hash.clone();
    let (current, new) = (body.current_password, body.new_password);
    let (ok, new_hash) = web::block(move || {
        let _permit = permit;
        // A current password longer than any we accept cannot be right; don't hash it.
        if current.len() > 1024 || !password::verify(&current, &old_hash) {
            return Ok((false, None));
        }
        password::hash(&new).map(|h| (true, Some(h)))
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(ApiError::internal)?;
    let actor = Actor::of(&authed);
    let Some(new_hash) = new_hash.filter(|_| ok) else {
        attempt.failed();
        tracing::info!(user = %user_id, %ip, "wrong current password on a password change");
        return Err(ApiError::of(Code::CurrentPasswordIncorrect));
    };
    attempt.succeeded();
    let ttl = state.settings.refresh_token_ttl_secs;
    let expected_hash = user.password_hash.clone();
    let tenant = authed.principal.tenant_id.map(|t| t.to_string());
    let (user, seat, refresh_token) = state
        .store
        .write(Scope::System, move |c| {
            let Some(user) = repo::users::get(c, &Scope::System, &user_id)? else {
                return Ok(Err(ApiError::of(Code::InvalidToken)));
            };
            if user.password_hash != expected_hash {
                return Ok(Err(ApiError::new(
                    Code::Conflict,
                    "The password was changed meanwhile; sign in again",
                )));
            }
            let now = store::now();
            repo::users::update(
                c,
                &Scope::System,
                &user.id,
                &repo::users::UserChanges {
                    password_hash: Some(new_hash),
                    updated_at: Some(now),
                    ..Default::default()
                },
            )?;
            // Every session ends (refresh tokens, and access tokens of the old epoch); this
            // caller continues on a new login.
            repo::refresh_tokens::revoke_for_user(c, &user.id, now)?;
            repo::users::bump_session_epoch(c, &user.id)?;
            let Some(user) = repo::users::get(c, &Scope::System, &user.id)? else {
                return Ok(Err(ApiError::of(Code::InvalidToken)));
            };
            // The caller continues in the tenant it was signed in to.
            let seat = match standing::seat(c, &user, tenant.as_deref())? {
                Seating::Seated(seat) => seat,
                Seating::Refused(e) => return Ok(Err(e)),
                Seating::NotMember => return Ok(Err(ApiError::of(Code::InvalidToken))),
            };
            let token = issue_refresh_token(c, &user.id, tenant.as_deref(), &store::new_id(), ttl)?;
            audit::record(
                c,
                &actor,
                Event {
                    action: "user.password_change",
                    target_type: "user",
                    target_id: Some(user.id.clone()),
                    tenant_id: seat.tenant_id.clone(),
                    reseller_id: seat.reseller_id.clone(),
                    details: serde_json::json!({"sessions_revoked": true}),
                },
            )?;
            Ok(Ok((user, seat, token)))
        })
        .await??;
    tokens_for(&state, &user, &seat, refresh_token)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeView {
    pub user: UserView,
    /// The caller's tenant, for tenant users.
    pub tenant: Option<TenantView>,
    /// `access_token` or `api_key`.
    pub credential: &'static str,
    /// Actions this credential may perform (`resource:read|write`); while `read_only`, only
    /// those that change nothing.
    pub permissions: Vec<policy::Action>,
    /// Set while the tenant or its reseller is suspended: the problem code every change
    /// answers (`tenant_suspended` or `reseller_suspended`). Reads, downloads and data exports
    /// still work.
    #[schema(example = json!(null))]
    pub read_only: Option<&'static str>,
}

/// The authenticated caller: account, tenant and effective permissions.
#[utoipa::path(tag = "auth", responses((status = 200, body = MeView), ReadErrors))]
#[get("/me")]
pub async fn me(state: web::Data<AppState>, authed: Authed) -> Result<web::Json<MeView>, ApiError> {
    let user_id = authed.principal.user_id.to_string();
    let tenant_id = authed.principal.tenant_id.map(|t| t.to_string());
    let (user, tenant) = state
        .store
        .read(Scope::System, move |c| {
            let user = repo::users::get(c, &Scope::System, &user_id)?;
            let tenant = match &tenant_id {
                Some(t) => repo::tenants::get(c, &Scope::System, t)?,
                None => None,
            };
            Ok((user, tenant))
        })
        .await?;
    let user = user.ok_or_else(|| ApiError::of(Code::InvalidToken))?;
    let permissions = policy::allowed(authed.role())
        .iter()
        .copied()
        .filter(|a| match &authed.principal.credential {
            Credential::ApiKey { scopes, .. } => scopes.iter().any(|s| s == a.as_str()),
            Credential::AccessToken => true,
        })
        .filter(|a| authed.principal.read_only.is_none() || !a.changes_data())
        .collect();
    // A tenant user is shown in the tenant this credential acts in, with its role there.
    let mut user = UserView::from(user);
    if authed.role().is_tenant_role() {
        user.tenant_id = authed.principal.tenant_id;
        user.role = authed.role();
    }
    Ok(web::Json(MeView {
        user,
        tenant: tenant.map(TenantView::from),
        credential: match authed.principal.credential {
            Credential::ApiKey { .. } => "api_key",
            Credential::AccessToken => "access_token",
        },
        permissions,
        read_only: authed.principal.read_only.map(Code::slug),
    }))
}

use super::ReadErrors;

fn issue_refresh_token(
    c: &mut DbConn,
    user_id: &str,
    tenant_id: Option<&str>,
    family_id: &str,
    ttl_secs: i64,
) -> Result<String, StoreError> {
    let token = secrets::new_refresh_token();
    let now = store::now();
    repo::refresh_tokens::insert(
        c,
        &RefreshTokenRow {
            id: store::new_id(),
            user_id: user_id.to_string(),
            family_id: family_id.to_string(),
            token_hash: secrets::digest(&token),
            expires_at: now + chrono::TimeDelta::seconds(ttl_secs),
            used_at: None,
            revoked_at: None,
            created_at: now,
            tenant_id: tenant_id.map(str::to_string),
        },
    )?;
    Ok(token)
}

/// The token pair of a session in `seat`: the access token's `tenant` and `role` are the
/// membership's.
fn tokens_for(
    state: &AppState,
    user: &UserRow,
    seat: &Seat,
    refresh_token: String,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let access_token = state
        .jwt
        .issue_in_epoch(
            super::parse_uuid(&user.id),
            seat.role,
            super::parse_uuid_opt(seat.tenant_id.as_deref()),
            super::parse_uuid_opt(seat.reseller_id.as_deref()),
            user.session_epoch,
        )
        .map_err(ApiError::internal)?;
    Ok(web::Json(TokenResponse {
        access_token,
        token_type: "Bearer",
        expires_in: state.jwt.ttl_secs,
        refresh_token,
    }))
}

/// Starts a session (login-like) for `user` in `seat` and records the membership as the one
/// last used; for invitations accepted by a new account. Runs in the system scope.
pub(crate) fn start_session(
    c: &mut DbConn,
    user: &UserRow,
    seat: &Seat,
    ttl_secs: i64,
) -> Result<String, StoreError> {
    if let Some(m) = &seat.membership {
        repo::memberships::touch(c, &m.id, store::now())?;
    }
    issue_refresh_token(
        c,
        &user.id,
        seat.tenant_id.as_deref(),
        &store::new_id(),
        ttl_secs,
    )
}

/// The token response for a session started with [`start_session`].
pub(crate) fn session_tokens(
    state: &AppState,
    user: &UserRow,
    seat: &Seat,
    refresh_token: String,
) -> Result<TokenResponse, ApiError> {
    Ok(tokens_for(state, user, seat, refresh_token)?.into_inner())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SwitchTenantRequest {
    /// One of the caller's tenants (`GET /v1/me/tenants`).
    pub tenant_id: Uuid,
}

/// Starts a session in another of the caller's tenants.
///
/// Answers a new token pair whose access token's `tenant` and `role` are those of the caller's
/// membership in `tenant_id`; its refresh token belongs to that membership only. The session
/// the caller came from stays valid (sign it out with `POST /v1/auth/logout` if it is no longer
/// wanted). Needs an access token: API keys are bound to their tenant and answer `403`.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    request_body = SwitchTenantRequest,
    responses(
        (status = 200, description = "Signed in to the other tenant", body = TokenResponse),
        (status = 401, description = "Missing, invalid or expired access token", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "An API key (`forbidden`), or the target tenant or its reseller is suspended (`tenant_suspended`, `reseller_suspended`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "The caller is not a member of that tenant (`membership_not_found`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/switch")]
pub async fn switch_tenant(
    state: web::Data<AppState>,
    authed: Authed,
    body: web::Json<SwitchTenantRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    if let Credential::ApiKey { .. } = authed.principal.credential {
        return Err(ApiError::forbidden(
            "API keys are bound to their tenant and cannot switch tenants",
        ));
    }
    let user_id = authed.principal.user_id.to_string();
    let target = body.tenant_id.to_string();
    let ttl = state.settings.refresh_token_ttl_secs;
    let actor = Actor::of(&authed);
    let (user, seat, token) = state
        .store
        .write(Scope::System, move |c| {
            let Some(user) = repo::users::get(c, &Scope::System, &user_id)? else {
                return Ok(Err(ApiError::of(Code::InvalidToken)));
            };
            let seat = match standing::seat(c, &user, Some(&target))? {
                Seating::Seated(seat) => seat,
                Seating::Refused(e) => return Ok(Err(e)),
                Seating::NotMember => {
                    return Ok(Err(ApiError::new(
                        Code::MembershipNotFound,
                        "You are not a member of this tenant",
                    )))
                }
            };
            let token = start_session(c, &user, &seat, ttl)?;
            audit::record(
                c,
                &actor,
                Event {
                    action: "auth.switch",
                    target_type: "user",
                    target_id: Some(user.id.clone()),
                    tenant_id: seat.tenant_id.clone(),
                    reseller_id: seat.reseller_id.clone(),
                    details: serde_json::json!({"role": seat.role.as_str()}),
                },
            )?;
            Ok(Ok((user, seat, token)))
        })
        .await??;
    tokens_for(&state, &user, &seat, token)
}

/// One of the caller's memberships.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyTenantView {
    pub tenant_id: Uuid,
    pub name: String,
    /// The caller's role in this tenant.
    pub role: Role,
    /// Whether the credential of this request acts in this tenant.
    pub current: bool,
    /// The tenant's `status` (`active` or `suspended`): a suspended tenant cannot be switched to.
    pub status: String,
    /// When the caller joined the tenant.
    pub joined_at: chrono::DateTime<chrono::Utc>,
    /// When the caller last signed in to or switched to it.
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MyTenantList {
    pub items: Vec<MyTenantView>,
}

/// The caller's tenants: every membership, oldest first, with the role in each and which one
/// this credential acts in. An API key (bound to one tenant) lists only its own tenant.
/// Platform and reseller admins have none.
#[utoipa::path(tag = "auth", responses((status = 200, body = MyTenantList), ReadErrors))]
#[get("/me/tenants")]
pub async fn my_tenants(
    state: web::Data<AppState>,
    authed: Authed,
) -> Result<web::Json<MyTenantList>, ApiError> {
    let user_id = authed.principal.user_id.to_string();
    let current = authed.principal.tenant_id.map(|t| t.to_string());
    let only_current = matches!(authed.principal.credential, Credential::ApiKey { .. });
    let rows = state
        .store
        .read(Scope::System, move |c| {
            let mut all = repo::memberships::of_user(c, &Scope::System, &user_id)?;
            if only_current {
                all.retain(|m| Some(&m.tenant_id) == current.as_ref());
            }
            let ids: Vec<String> = all.iter().map(|m| m.tenant_id.clone()).collect();
            let tenants = repo::tenants::with_ids(c, &ids)?;
            Ok(all
                .into_iter()
                .filter_map(|m| {
                    let t = tenants
                        .iter()
                        .find(|t| t.id == m.tenant_id && t.status != "deleted")?;
                    Some(MyTenantView {
                        tenant_id: super::parse_uuid(&m.tenant_id),
                        name: t.name.clone(),
                        role: Role::parse(&m.role).unwrap_or(Role::Viewer),
                        current: current.as_deref() == Some(m.tenant_id.as_str()),
                        status: t.status.clone(),
                        joined_at: super::utc(m.created_at),
                        last_used_at: m.last_used_at.map(super::utc),
                    })
                })
                .collect::<Vec<_>>())
        })
        .await?;
    Ok(web::Json(MyTenantList { items: rows }))
}
