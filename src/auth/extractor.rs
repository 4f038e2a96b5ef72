//! The `Authed` extractor: verifies the credential on a request and yields the caller.
//!
//! Accepted: `Authorization: Bearer <jwt>`, `Authorization: Bearer vf_…` (API key) and
//! `X-API-Key: vf_…`. The tenant always comes from the verified credential.

use super::cache::{CredentialKey, Verified};
use super::jwt::Claims;
use super::policy::{self, Action};
use super::rate_limit::{RateLimiter, RateOutcome};
use super::secrets;
use super::standing::{self, Seating};
use crate::app::AppState;
use crate::error::{ApiError, Code};
use crate::plan_features::PlanFeatures;
use crate::store::repo;
use crate::tenancy::{Credential, Principal, Role, Scope};
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;
use std::sync::Arc;
use uuid::Uuid;

/// Request id and client address, for the audit log.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    pub request_id: Option<String>,
    pub ip: Option<String>,
}

/// The request id assigned by the request-id middleware.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

impl RequestMeta {
    /// The client address is the TCP peer, or what a trusted proxy says it is
    /// (see [`crate::auth::client_ip`]).
    pub fn of(req: &HttpRequest) -> Self {
        let peer = req.peer_addr().map(|a| a.ip());
        let ip = match req.app_data::<web::Data<AppState>>() {
            Some(state) => state.trusted_proxies.client_ip(peer, req.headers()),
            None => peer,
        };
        RequestMeta {
            request_id: req.extensions().get::<RequestId>().map(|r| r.0.clone()),
            ip: ip.map(|a| a.to_string()),
        }
    }
}

impl FromRequest for RequestMeta {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(RequestMeta::of(req)))
    }
}

/// An authenticated request.
#[derive(Debug, Clone)]
pub struct Authed {
    pub principal: Principal,
    pub meta: RequestMeta,
}

impl Authed {
    pub fn scope(&self) -> Scope {
        self.principal.scope()
    }

    pub fn role(&self) -> Role {
        self.principal.role
    }

    /// Fails with 403 unless the role grants `action` and, for an API key, its scopes include
    /// it — and, while the tenant or reseller is suspended, unless `action` only reads.
    pub fn require(&self, action: Action) -> Result<(), ApiError> {
        if !policy::allowed(self.principal.role).contains(&action) {
            return Err(ApiError::forbidden(format!(
                "The {} role may not {}",
                self.principal.role.as_str(),
                action.as_str()
            )));
        }
        if let Credential::ApiKey { scopes, .. } = &self.principal.credential {
            if !scopes.iter().any(|s| s == action.as_str()) {
                return Err(ApiError::forbidden(format!(
                    "This API key lacks the {} permission",
                    action.as_str()
                )));
            }
        }
        match self.principal.read_only {
            Some(code) if action.changes_data() => Err(standing::suspended(code)),
            _ => Ok(()),
        }
    }
}

impl FromRequest for Authed {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let meta = RequestMeta::of(req);
        let presented = presented_credential(req);
        let req = req.clone();
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::internal("AppState missing"))?;
            // Once per request, however many times `Authed` is extracted.
            let counted = req.extensions().get::<RateOutcome>().cloned();
            let (principal, outcome) =
                authenticate_as(&state, presented?, counted.is_none()).await?;
            if let Some(tenant) = principal.tenant_id {
                // The request span's `tenant_id` (see `app::observe`).
                tracing::Span::current().record("tenant_id", tracing::field::display(tenant));
            }
            if let Some(o) = &outcome {
                req.extensions_mut().insert(o.clone());
            }
            if let Some(o) = outcome.or(counted) {
                refuse_over_limit(&o)?;
            }
            Ok(Authed { principal, meta })
        })
    }
}

/// `429 rate_limited` with `Retry-After` when the request's check refused it (the outcome
/// is kept in the request's extensions for the `RateLimit` headers, see `app::observe`).
fn refuse_over_limit(outcome: &RateOutcome) -> Result<(), ApiError> {
    let Some(secs) = outcome.retry_after else {
        return Ok(());
    };
    let which = if outcome.buckets.first().is_some_and(|b| b.policy == "key") {
        "API key's"
    } else {
        "tenant's"
    };
    let limit = outcome.buckets.first().map_or(0, |b| b.limit);
    let mut e = ApiError::new(
        Code::RateLimited,
        format!(
            "The {which} rate limit of {limit} requests per minute is reached; retry in {secs} s"
        ),
    );
    e.retry_after = Some(secs);
    Err(e)
}

/// A credential as presented by a client.
pub enum Presented {
    Jwt(String),
    ApiKey(String),
}

impl Presented {
    /// A bearer token: an API key when it has the `vf_` prefix, else a JWT.
    pub fn bearer(token: &str) -> Self {
        if token.starts_with(secrets::API_KEY_PREFIX) {
            Presented::ApiKey(token.to_string())
        } else {
            Presented::Jwt(token.to_string())
        }
    }
}

/// Verifies a presented credential and returns the caller (counting nothing against the
/// rate limits: for the WebSocket, whose sessions are capped instead).
pub async fn authenticate(state: &AppState, presented: Presented) -> Result<Principal, ApiError> {
    Ok(authenticate_as(state, presented, false).await?.0)
}

/// [`authenticate`], and with `limit`, a tenant's caller also takes this request from its
/// rate limits in the same transaction (the outcome is `None` for platform and reseller
/// callers).
async fn authenticate_as(
    state: &AppState,
    presented: Presented,
    limit: bool,
) -> Result<(Principal, Option<RateOutcome>), ApiError> {
    let limiter = limit.then(|| state.rate_limiter.clone());
    // The signature and expiry first, every time; then the standing, cached.
    let (key, claims) = match &presented {
        Presented::ApiKey(key) => (CredentialKey::ApiKey(secrets::digest(key)), None),
        Presented::Jwt(token) => {
            let claims = state
                .jwt
                .verify(token)
                .map_err(|_| ApiError::of(Code::InvalidToken))?;
            let key = CredentialKey::Token {
                sub: claims.sub,
                tenant: claims.tenant,
                session_epoch: claims.epoch,
                iat: claims.iat,
            };
            (key, Some(claims))
        }
    };
    // Read before the checks: a change while they run moves it and voids what they find.
    let epoch = state.store.auth_epoch();
    let cached = state.auth_cache.get(&key, epoch);
    state
        .metrics
        .credential_checks
        .with_label_values(&[if cached.is_some() { "hit" } else { "miss" }])
        .inc();
    if let Some(verified) = cached {
        let outcome = match limiter {
            Some(l) => rate_limit_cached(state, l, &verified).await?,
            None => None,
        };
        return Ok((verified.principal, outcome));
    }
    let (principal, outcome, features, expires_at) = match (presented, claims) {
        (Presented::ApiKey(key), _) => principal_from_api_key(state, key, limiter).await?,
        (Presented::Jwt(_), Some(claims)) => {
            let (principal, outcome, features) =
                principal_from_claims(state, claims, limiter).await?;
            (principal, outcome, features, None)
        }
        (Presented::Jwt(_), None) => return Err(ApiError::of(Code::InvalidToken)),
    };
    state.auth_cache.put(
        key,
        epoch,
        Verified {
            principal: principal.clone(),
            features,
            expires_at,
        },
    );
    Ok((principal, outcome))
}

/// The rate limits of a request whose credential was cached: from this process's share of
/// the buckets when it has one, else (PostgreSQL, a spent lease) from the database.
async fn rate_limit_cached(
    state: &AppState,
    limiter: Arc<RateLimiter>,
    verified: &Verified,
) -> Result<Option<RateOutcome>, ApiError> {
    let (Some(tenant), Some(features)) = (verified.principal.tenant_id, &verified.features) else {
        return Ok(None);
    };
    let tenant = tenant.to_string();
    let key_id = match &verified.principal.credential {
        Credential::ApiKey { id, .. } => Some(id.to_string()),
        Credential::AccessToken => None,
    };
    if let Some(o) =
        limiter.check_in_memory(state.store.backend(), features, &tenant, key_id.as_deref())
    {
        return Ok(Some(o));
    }
    let features = features.clone();
    Ok(Some(
        state
            .store
            .read(Scope::System, move |c| {
                limiter.check_in(c, &features, &tenant, key_id.as_deref())
            })
            .await?,
    ))
}

/// An access token is signed for 15 minutes, but its account may be suspended or deleted
/// (or its tenant or reseller suspended, or its membership in the token's tenant removed)
/// meanwhile: every use checks the account's standing, and the role comes from the database
/// — the membership's role in the token's tenant — not from the claims.
async fn principal_from_claims(
    state: &AppState,
    claims: Claims,
    limiter: Option<Arc<RateLimiter>>,
) -> Result<(Principal, Option<RateOutcome>, Option<PlanFeatures>), ApiError> {
    let user_id = claims.sub.to_string();
    let tenant = claims.tenant.map(|t| t.to_string());
    let (epoch, iat) = (claims.epoch, claims.iat);
    let standing = state
        .store
        .read(Scope::System, move |c| {
            let Some(user) = repo::users::get(c, &Scope::System, &user_id)? else {
                return Ok(None);
            };
            let seating = standing::seat(c, &user, tenant.as_deref())?;
            let features = match &seating {
                Seating::Seated(seat) => match &seat.tenant_id {
                    Some(tid) => Some(crate::plan_features::for_tenant_id(c, tid)?),
                    None => None,
                },
                _ => None,
            };
            // Only a request that will be let in takes from the limits.
            let outcome = match (&limiter, &seating, &features) {
                (Some(l), Seating::Seated(seat), Some(features))
                    if user.session_epoch == epoch && seat.held_since(iat) =>
                {
                    let tid = seat.tenant_id.as_deref().unwrap_or_default();
                    Some(l.check_in(c, features, tid, None)?)
                }
                _ => None,
            };
            Ok(Some((user, seating, outcome, features)))
        })
        .await?;
    let Some((user, seating, outcome, features)) = standing else {
        return Err(ApiError::new(
            Code::InvalidToken,
            "The access token's account no longer exists",
        ));
    };
    let seat = match seating {
        Seating::Seated(seat) => seat,
        Seating::Refused(e) => return Err(e),
        Seating::NotMember => {
            return Err(ApiError::new(
                Code::InvalidToken,
                "The access token's membership in its tenant has ended; sign in again",
            ))
        }
    };
    // Issued before the account's password last changed: that session was ended.
    if claims.epoch != user.session_epoch {
        return Err(ApiError::new(
            Code::InvalidToken,
            "The access token was issued before the account's password changed; sign in again",
        ));
    }
    if !seat.held_since(claims.iat) {
        return Err(ApiError::new(
            Code::InvalidToken,
            "The access token's membership in its tenant has ended; sign in again",
        ));
    }
    let parse = |s: &str| Uuid::parse_str(s).map_err(ApiError::internal);
    let tenant_id = seat.tenant_id.as_deref().map(parse).transpose()?;
    let reseller_id = seat.reseller_id.as_deref().map(parse).transpose()?;
    if tenant_id != claims.tenant {
        return Err(ApiError::of(Code::InvalidToken));
    }
    // The current role in the tenant: a demotion takes effect on the next request, not at
    // expiry.
    let principal = Principal {
        user_id: claims.sub,
        role: seat.role,
        tenant_id,
        reseller_id,
        credential: Credential::AccessToken,
        read_only: seat.read_only,
    };
    Ok((principal, outcome, features))
}

/// A verified API key: the caller, the rate-limit outcome, its tenant's plan features and
/// the key's expiry.
type KeyCheck = (
    Principal,
    Option<RateOutcome>,
    Option<PlanFeatures>,
    Option<chrono::NaiveDateTime>,
);

fn presented_credential(req: &HttpRequest) -> Result<Presented, ApiError> {
    if let Some(key) = req.headers().get("x-api-key") {
        let key = key
            .to_str()
            .map_err(|_| ApiError::of(Code::InvalidApiKey))?
            .trim()
            .to_string();
        return Ok(Presented::ApiKey(key));
    }
    let header = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .ok_or_else(|| ApiError::new(Code::Unauthenticated, "Send a bearer token or an API key"))?
        .to_str()
        .map_err(|_| ApiError::of(Code::InvalidToken))?;
    let token = header
        .strip_prefix("Bearer ")
        .or_else(|| header.strip_prefix("bearer "))
        .ok_or_else(|| {
            ApiError::new(
                Code::Unauthenticated,
                "Use the Bearer scheme in the Authorization header",
            )
        })?
        .trim()
        .to_string();
    Ok(Presented::bearer(&token))
}

async fn principal_from_api_key(
    state: &AppState,
    key: String,
    limiter: Option<Arc<RateLimiter>>,
) -> Result<KeyCheck, ApiError> {
    let hash = secrets::digest(&key);
    let found = state
        .store
        .read(Scope::System, move |conn| {
            let Some(row) = repo::api_keys::find_live_by_hash(conn, &hash)? else {
                return Ok(None);
            };
            let now = crate::store::now();
            if row.expires_at.is_some_and(|exp| exp <= now) {
                return Ok(None);
            }
            let owner = match &row.user_id {
                Some(uid) => repo::users::get(conn, &Scope::System, uid)?,
                None => None,
            };
            let Some(owner) = owner.filter(|u| u.status == "active") else {
                return Ok(None);
            };
            // A key acts with its owner's role in the key's tenant; once that membership ends
            // (its keys are revoked with it), the key is dead.
            let Some(membership) =
                repo::memberships::get(conn, &Scope::System, &row.tenant_id, &owner.id)?
            else {
                return Ok(None);
            };
            let tenant = repo::tenants::get(conn, &Scope::System, &row.tenant_id)?;
            // A suspended tenant's keys read; a deleted one's are dead.
            let Some(tenant) = tenant.filter(|t| t.status == "active" || t.status == "suspended")
            else {
                return Ok(None);
            };
            // A deleted reseller takes its tenants' keys with it; a suspended one makes them
            // read-only.
            let reseller = match &tenant.reseller_id {
                Some(rid) => standing::reseller_standing(conn, rid)?,
                None => Ok(None),
            };
            let features = crate::plan_features::for_tenant(conn, &tenant)?;
            // Only a request that will be let in takes from the limits.
            let outcome = match (&limiter, &reseller) {
                (Some(l), Ok(_)) => Some(l.check_in(conn, &features, &tenant.id, Some(&row.id))?),
                _ => None,
            };
            Ok(Some((
                row, owner, membership, tenant, reseller, outcome, features,
            )))
        })
        .await?;
    let (row, owner, membership, tenant, reseller, outcome, features) =
        found.ok_or_else(|| ApiError::of(Code::InvalidApiKey))?;
    let reseller_read_only = reseller?;
    let tenant_read_only = (tenant.status == "suspended").then_some(Code::TenantSuspended);
    // `last_used_at` is kept to the minute: a write on every request would serialise them.
    let now = crate::store::now();
    if row
        .last_used_at
        .is_none_or(|t| now - t > chrono::TimeDelta::seconds(60))
    {
        let id = row.id.clone();
        state
            .store
            .write(Scope::System, move |conn| {
                repo::api_keys::touch(conn, &id, now)
            })
            .await?;
    }
    let scopes: Vec<String> = serde_json::from_str(&row.permissions).unwrap_or_default();
    let parse = |s: &str| Uuid::parse_str(s).map_err(ApiError::internal);
    let principal = Principal {
        user_id: parse(&owner.id)?,
        role: Role::parse(&membership.role).ok_or_else(|| ApiError::internal("unknown role"))?,
        tenant_id: Some(parse(&row.tenant_id)?),
        reseller_id: tenant.reseller_id.as_deref().map(parse).transpose()?,
        credential: Credential::ApiKey {
            id: parse(&row.id)?,
            scopes,
        },
        read_only: reseller_read_only.or(tenant_read_only),
    };
    Ok((principal, outcome, Some(features), row.expires_at))
}
