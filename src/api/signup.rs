//! Self-service sign-up (docs/email.md, "Sign-up"), off unless a reseller turns it on:
//! `POST /v1/auth/signup` creates a tenant of that reseller on its `signup_plan_id` with a
//! `trial` subscription, its first tenant admin, and a verification mail, and signs the new
//! admin in.

use super::auth::TokenResponse;
use super::Validator;
use crate::app::AppState;
use crate::audit::{self, Actor, Event};
use crate::auth::standing::{self, Seating};
use crate::auth::{password, RequestMeta};
use crate::error::{ApiError, Code};
use crate::store;
use crate::store::repo::{self, memberships::MembershipRow, tenants::TenantRow, users::UserRow};
use crate::tenancy::{Role, Scope};
use actix_web::{post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignupRequest {
    /// The reseller whose sign-up page this is (one with `signup_enabled`).
    pub reseller_id: Uuid,
    /// The new tenant's name.
    #[schema(
        example = "Acme Studios",
        min_length = 1,
        max_length = 255,
        pattern = r"\S"
    )]
    pub tenant_name: String,
    #[schema(
        example = "ada@example.com",
        pattern = r"^[^@\s\x00-\x1f\x7f-\x9f]+@[^@\s\x00-\x1f\x7f-\x9f.][^@\s\x00-\x1f\x7f-\x9f]*\.[^@\s\x00-\x1f\x7f-\x9f]*[^@\s\x00-\x1f\x7f-\x9f.]$",
        max_length = 254
    )]
    pub email: String,
    #[schema(min_length = 10)]
    pub password: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SignupView {
    pub tenant_id: Uuid,
    pub user_id: Uuid,
    /// The new tenant admin's session.
    pub tokens: TokenResponse,
}

/// Signs up: a new tenant of the reseller (its sign-up plan, a `trial` subscription), its
/// first tenant admin, and a mail to verify the address. A reseller without sign-up is
/// `404 reseller_not_found`, exactly like one that does not exist. Throttled like password
/// resets, per address and per client.
#[utoipa::path(
    tag = "auth",
    security(),
    request_body = SignupRequest,
    responses(
        (status = 201, body = SignupView, description = "Signed up and signed in"),
        (status = 404, description = "No reseller with sign-up on (`reseller_not_found`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The address already has an account (`email_taken`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, a weak password", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many sign-ups from this client (`too_many_login_attempts`); see `Retry-After`", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/signup")]
pub async fn signup(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: web::Json<SignupRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let mut v = Validator::default();
    v.text("tenant_name", &body.tenant_name, 255);
    v.email("email", &body.email);
    if let Some(problem) = password::check_strength(&body.password) {
        v.push("password", problem);
    }
    v.finish()?;
    let email = super::normalize_email(&body.email);
    let ip = meta.ip.clone().unwrap_or_default();
    super::auth::reserve_in(
        &state.reset_throttle,
        &format!("signup:{email}"),
        &format!("signup:{ip}"),
        "Too many sign-ups",
    )?
    .failed();
    let secret = body.password.clone();
    let hash = web::block(move || password::hash(&secret))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    let reseller_id = body.reseller_id.to_string();
    let mail_settings = super::account_recovery::MailSettings::of(&state);
    let ttl = state.settings.refresh_token_ttl_secs;
    let actor_meta = meta.clone();
    let (user, seat, token) = state
        .store
        .write(Scope::System, move |c| {
            let open = repo::resellers::get(c, &Scope::System, &reseller_id)?
                .filter(|r| r.status == "active" && r.signup_enabled);
            let Some((reseller, plan_id)) =
                open.and_then(|r| r.signup_plan_id.clone().map(|p| (r, p)))
            else {
                return Ok(Err(ApiError::of(Code::ResellerNotFound)));
            };
            if repo::users::email_exists(c, &email)? {
                return Ok(Err(ApiError::new(
                    Code::EmailTaken,
                    format!("{email} already has an account: sign in, or reset its password"),
                )));
            }
            let now = store::now();
            let tenant = TenantRow {
                id: store::new_id(),
                reseller_id: Some(reseller.id.clone()),
                name: body.tenant_name.trim().to_string(),
                domain: None,
                subscription_plan_id: Some(plan_id),
                subscription_id: None,
                subscription_status: "trial".into(),
                branding_configuration_id: None,
                storage_quota_mb: None,
                processing_quota_minutes: None,
                status: "active".into(),
                created_at: now,
                updated_at: now,
                past_due_since: None,
                billing_interval: "month".into(),
                purge_after: None,
                purged_at: None,
                retention_days: None,
            };
            repo::tenants::insert(c, &tenant)?;
            let user = UserRow {
                id: store::new_id(),
                tenant_id: Some(tenant.id.clone()),
                reseller_id: None,
                email: email.clone(),
                password_hash: hash,
                first_name: body.first_name.map(|s| s.trim().to_string()),
                last_name: body.last_name.map(|s| s.trim().to_string()),
                role: Role::TenantAdmin.as_str().into(),
                status: "active".into(),
                last_login: Some(now),
                created_at: now,
                updated_at: now,
                session_epoch: 0,
                email_verified_at: None,
                erased_at: None,
            };
            repo::users::insert(c, &user)?;
            repo::memberships::insert(
                c,
                &MembershipRow {
                    id: store::new_id(),
                    tenant_id: tenant.id.clone(),
                    user_id: user.id.clone(),
                    role: Role::TenantAdmin.as_str().into(),
                    created_at: now,
                    updated_at: now,
                    last_used_at: None,
                },
            )?;
            audit::record(
                c,
                &Actor {
                    user_id: Some(user.id.clone()),
                    api_key_id: None,
                    request_id: actor_meta.request_id.clone(),
                    ip: actor_meta.ip.clone(),
                },
                Event {
                    action: "tenant.signup",
                    target_type: "tenant",
                    target_id: Some(tenant.id.clone()),
                    tenant_id: Some(tenant.id.clone()),
                    reseller_id: Some(reseller.id.clone()),
                    details: serde_json::json!({"name": tenant.name, "email": user.email}),
                },
            )?;
            super::account_recovery::issue_and_mail(
                c,
                &mail_settings,
                &user,
                super::account_recovery::EMAIL_VERIFICATION,
            )?;
            let Seating::Seated(seat) = standing::seat(c, &user, Some(&tenant.id))? else {
                return Ok(Err(ApiError::internal("a new tenant admin has no seat")));
            };
            let token = super::auth::start_session(c, &user, &seat, ttl)?;
            Ok(Ok((user, seat, token)))
        })
        .await??;
    let tokens = super::auth::session_tokens(&state, &user, &seat, token)?;
    Ok(HttpResponse::Created().json(SignupView {
        tenant_id: super::parse_uuid_opt(seat.tenant_id.as_deref()).unwrap_or_default(),
        user_id: super::parse_uuid(&user.id),
        tokens,
    }))
}
