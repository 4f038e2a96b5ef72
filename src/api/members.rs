//! Tenant memberships and invitations: `/v1/tenants/{id}/members`,
//! `/v1/tenants/{id}/invitations` and the public `POST /v1/invitations/accept`.
//!
//! A tenant's admins (and its reseller's, and platform admins) add an existing account by
//! email, invite a new one, change a member's role and remove a membership without deleting
//! the account. A tenant the caller does not manage answers `404 tenant_not_found` like a
//! missing one. Nobody grants a role above their own, changes their own role, or acts on a
//! member above their role; the last active tenant admin can be neither removed nor demoted
//! (`409 last_tenant_admin`).

use super::auth::TokenResponse;
use super::{list_view, PageQuery, ReadErrors, Validator, WriteErrors};
use crate::app::AppState;
use crate::audit::{self, Actor, Event};
use crate::auth::standing::{self, Seating};
use crate::auth::{password, secrets, Action, Authed, RequestMeta};
use crate::error::{ApiError, Code};
use crate::store::repo::{
    self, invitations::InvitationRow, memberships::MembershipRow, users::UserRow,
};
use crate::store::{self, DbConn, StoreError};
use crate::tenancy::{Credential, Role, Scope};
use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// The roles a tenant membership (or invitation) can give: the tenant roles of [`Role`].
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum TenantRole {
    TenantAdmin,
    Member,
    Viewer,
}

/// A user's membership in a tenant.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberView {
    pub user_id: Uuid,
    pub tenant_id: Uuid,
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// The member's role in this tenant.
    pub role: Role,
    /// The account's status (`active` or `suspended`).
    pub status: String,
    /// When the user joined the tenant.
    pub joined_at: DateTime<Utc>,
}

impl MemberView {
    fn of(m: &MembershipRow, u: &UserRow) -> Self {
        MemberView {
            user_id: super::parse_uuid(&u.id),
            tenant_id: super::parse_uuid(&m.tenant_id),
            email: u.email.clone(),
            first_name: u.first_name.clone(),
            last_name: u.last_name.clone(),
            role: Role::parse(&m.role).unwrap_or(Role::Viewer),
            status: u.status.clone(),
            joined_at: super::utc(m.created_at),
        }
    }
}

list_view!(MemberList, MemberView);

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddMemberRequest {
    /// The email of an existing account (to bring in someone new, invite them instead).
    #[schema(
        example = "ada@example.com",
        pattern = r"^\s*[^@\s\x00-\x1f\x7f-\x9f]+@[^@\s\x00-\x1f\x7f-\x9f.][^@\s\x00-\x1f\x7f-\x9f]*\.[^@\s\x00-\x1f\x7f-\x9f]*[^@\s\x00-\x1f\x7f-\x9f.]\s*$",
        max_length = 254
    )]
    pub email: String,
    /// `tenant_admin`, `member` or `viewer`, at most the caller's own.
    #[schema(value_type = TenantRole)]
    pub role: Role,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMemberRequest {
    #[schema(value_type = TenantRole)]
    pub role: Role,
}

/// An open invitation (its token is never shown again).
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationView {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub email: String,
    pub role: Role,
    pub invited_by: Option<Uuid>,
    pub expires_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

impl From<&InvitationRow> for InvitationView {
    fn from(r: &InvitationRow) -> Self {
        InvitationView {
            id: super::parse_uuid(&r.id),
            tenant_id: super::parse_uuid(&r.tenant_id),
            email: r.email.clone(),
            role: Role::parse(&r.role).unwrap_or(Role::Viewer),
            invited_by: super::parse_uuid_opt(r.invited_by.as_deref()),
            expires_at: super::utc(r.expires_at),
            created_at: super::utc(r.created_at),
        }
    }
}

list_view!(InvitationList, InvitationView);

/// A new invitation, with its token: shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedInvitationView {
    #[serde(flatten)]
    pub invitation: InvitationView,
    /// The single-use token (`vfi_…`) to pass to `POST /v1/invitations/accept`. Only its
    /// SHA-256 is stored: it cannot be shown again (invite again to get a new one).
    pub token: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteRequest {
    #[schema(
        example = "grace@example.com",
        pattern = r"^\s*[^@\s\x00-\x1f\x7f-\x9f]+@[^@\s\x00-\x1f\x7f-\x9f.][^@\s\x00-\x1f\x7f-\x9f]*\.[^@\s\x00-\x1f\x7f-\x9f]*[^@\s\x00-\x1f\x7f-\x9f.]\s*$",
        max_length = 254
    )]
    pub email: String,
    /// `tenant_admin`, `member` or `viewer`, at most the caller's own.
    #[schema(value_type = TenantRole)]
    pub role: Role,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitationRequest {
    /// The invitation token (`vfi_…`).
    pub token: String,
    /// The new account's password (at least 10 characters). Required when no account uses the
    /// invitation's email yet; ignored otherwise (the existing account keeps its password).
    #[schema(min_length = 10)]
    pub password: Option<String>,
    #[schema(max_length = 100)]
    pub first_name: Option<String>,
    #[schema(max_length = 100)]
    pub last_name: Option<String>,
}

/// The accepted invitation.
#[derive(Debug, Serialize, ToSchema)]
pub struct AcceptedInvitationView {
    pub tenant_id: Uuid,
    pub user_id: Uuid,
    pub role: Role,
    /// Whether the invitation created the account (else it joined an existing one).
    pub account_created: bool,
    /// For a new account: a session in the tenant (as a login would answer). An existing
    /// account signs in as usual (`POST /v1/auth/login` with `tenant_id`, or switch).
    pub tokens: Option<TokenResponse>,
}

/// The tenant `id` if the caller manages it (else `tenant_not_found`, like a missing one).
fn managed_tenant(
    c: &mut DbConn,
    scope: &Scope,
    id: &str,
) -> Result<Result<repo::tenants::TenantRow, ApiError>, StoreError> {
    Ok(repo::tenants::get(c, scope, id)?.ok_or_else(|| ApiError::of(Code::TenantNotFound)))
}

fn check_member_role(v: &mut Validator, authed: &Authed, role: Role) {
    if !role.is_tenant_role() {
        v.push("role", "must be tenant_admin, member or viewer");
    } else if role.rank() > authed.role().rank() {
        v.push(
            "role",
            format!(
                "cannot grant a role above your own ({})",
                authed.role().as_str()
            ),
        );
    }
}

/// `plan_limit_reached` when the tenant already has as many members as its plan's `max_users`.
pub(crate) fn check_member_limit(
    c: &mut DbConn,
    tenant_id: &str,
) -> Result<Result<(), ApiError>, StoreError> {
    let Some(tenant) = repo::tenants::get(c, &Scope::System, tenant_id)? else {
        return Ok(Err(ApiError::of(Code::TenantNotFound)));
    };
    let Some(plan_id) = tenant.subscription_plan_id else {
        return Ok(Ok(()));
    };
    let Some(plan) = repo::plans::get(c, &Scope::System, &plan_id)? else {
        return Ok(Ok(()));
    };
    if repo::memberships::count_in_tenant(c, tenant_id)? >= i64::from(plan.max_users) {
        return Ok(Err(ApiError::new(
            Code::PlanLimitReached,
            format!("The tenant's plan allows {} users", plan.max_users),
        )));
    }
    Ok(Ok(()))
}

/// `last_tenant_admin` when `m` is a tenant admin and no other active one would remain.
pub(crate) fn check_not_last_admin(
    c: &mut DbConn,
    m: &MembershipRow,
) -> Result<Result<(), ApiError>, StoreError> {
    if m.role == Role::TenantAdmin.as_str()
        && repo::memberships::other_active_admins(c, &m.tenant_id, &m.user_id)? == 0
    {
        return Ok(Err(ApiError::new(
            Code::LastTenantAdmin,
            "This is the tenant's last active tenant admin: make another member tenant admin first",
        )));
    }
    Ok(Ok(()))
}

/// Ends a membership: its refresh tokens and API keys are revoked (before the row goes, while
/// the scope still sees the user through it), then the row is deleted. Access tokens of the
/// membership fail at their next request, as the membership is checked on every one.
pub(crate) fn end_membership(
    c: &mut DbConn,
    m: &MembershipRow,
    at: chrono::NaiveDateTime,
) -> Result<(), StoreError> {
    repo::refresh_tokens::revoke_for_membership(c, &m.user_id, &m.tenant_id, at)?;
    repo::api_keys::revoke_for_membership(c, &m.user_id, &m.tenant_id, at)?;
    repo::memberships::delete(c, &m.id)?;
    Ok(())
}

/// Lists a tenant's members, newest membership first.
#[utoipa::path(tag = "tenants", params(("id" = Uuid, Path), PageQuery), responses((status = 200, body = MemberList), ReadErrors))]
#[get("/tenants/{id}/members")]
pub async fn list_members(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<MemberList>, ApiError> {
    authed.require(Action::UsersRead)?;
    let page = query.to_request()?;
    let scope = authed.scope();
    let id = id.to_string();
    let rows = state
        .store
        .read(scope, move |c| {
            if let Err(e) = managed_tenant(c, &scope, &id)? {
                return Ok(Err(e));
            }
            Ok(Ok(repo::memberships::list_in_tenant(
                c, &scope, &id, &page,
            )?))
        })
        .await??;
    Ok(web::Json(MemberList::from_page(
        rows.map(|(m, u)| MemberView::of(&m, &u)),
    )))
}

/// Adds an existing account to the tenant with a role.
///
/// The account keeps its other tenants and its password; it signs in to this one with
/// `POST /v1/auth/login` and `tenant_id`, or switches to it. An email no account uses answers
/// `404 user_not_found` (invite them instead).
#[utoipa::path(tag = "tenants", params(("id" = Uuid, Path)), request_body = AddMemberRequest, responses((status = 201, body = MemberView), WriteErrors))]
#[post("/tenants/{id}/members")]
pub async fn add_member(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
    body: web::Json<AddMemberRequest>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::UsersWrite)?;
    let body = body.into_inner();
    let email = super::normalize_email(&body.email);
    let mut v = Validator::default();
    v.email("email", &email);
    check_member_role(&mut v, &authed, body.role);
    v.finish()?;
    let scope = authed.scope();
    let tenant_id = id.to_string();
    // The account may live outside the caller's scope (that is the point): find it as the
    // service, but only after the caller is known to manage the tenant.
    let lookup_tenant = tenant_id.clone();
    state
        .store
        .read(scope, move |c| managed_tenant(c, &scope, &lookup_tenant))
        .await??;
    let lookup = email.clone();
    let user = state
        .store
        .read(Scope::System, move |c| {
            repo::users::find_by_email(c, &lookup)
        })
        .await?
        .ok_or_else(|| {
            ApiError::new(
                Code::UserNotFound,
                "No account uses this email: invite them with POST /v1/tenants/{id}/invitations",
            )
        })?;
    if !Role::parse(&user.role).is_some_and(Role::is_tenant_role) {
        return Err(ApiError::new(
            Code::Conflict,
            "Platform and reseller admins do not join tenants",
        ));
    }
    let actor = Actor::of(&authed);
    let role = body.role;
    let (m, u) = state
        .store
        .write(scope, move |c| {
            let tenant = match managed_tenant(c, &scope, &tenant_id)? {
                Ok(t) => t,
                Err(e) => return Ok(Err(e)),
            };
            crate::engine::admission::lock_tenant(c, &tenant.id)?;
            if repo::memberships::get(c, &scope, &tenant.id, &user.id)?.is_some() {
                return Ok(Err(ApiError::new(
                    Code::MembershipExists,
                    format!("{} is already a member of this tenant", user.email),
                )));
            }
            if let Err(e) = check_member_limit(c, &tenant.id)? {
                return Ok(Err(e));
            }
            let now = store::now();
            let m = MembershipRow {
                id: store::new_id(),
                tenant_id: tenant.id.clone(),
                user_id: user.id.clone(),
                role: role.as_str().to_string(),
                created_at: now,
                updated_at: now,
                last_used_at: None,
            };
            repo::memberships::insert(c, &m)?;
            audit::record(
                c,
                &actor,
                Event {
                    action: "membership.add",
                    target_type: "user",
                    target_id: Some(user.id.clone()),
                    tenant_id: Some(tenant.id.clone()),
                    reseller_id: tenant.reseller_id.clone(),
                    details: serde_json::json!({"email": user.email, "role": m.role}),
                },
            )?;
            Ok(Ok((m, user)))
        })
        .await??;
    Ok(HttpResponse::Created()
        .insert_header((
            "Location",
            format!("/v1/tenants/{}/members/{}", m.tenant_id, m.user_id),
        ))
        .json(MemberView::of(&m, &u)))
}

/// Changes a member's role in the tenant.
///
/// Not one's own; not to a role above the caller's, nor for a member above it. Demoting the
/// last active tenant admin answers `409 last_tenant_admin`. The member's credentials act with
/// the new role from their next request.
#[utoipa::path(tag = "tenants", params(("id" = Uuid, Path), ("user_id" = Uuid, Path)), request_body = UpdateMemberRequest, responses((status = 200, body = MemberView), WriteErrors))]
#[patch("/tenants/{id}/members/{user_id}")]
pub async fn update_member(
    state: web::Data<AppState>,
    authed: Authed,
    path: web::Path<(Uuid, Uuid)>,
    body: web::Json<UpdateMemberRequest>,
) -> Result<web::Json<MemberView>, ApiError> {
    authed.require(Action::UsersWrite)?;
    let (tenant_id, user_id) = path.into_inner();
    let mut v = Validator::default();
    check_member_role(&mut v, &authed, body.role);
    v.check(
        user_id != authed.principal.user_id,
        "role",
        "cannot change your own role",
    );
    v.finish()?;
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let my_rank = authed.role().rank();
    let role = body.role;
    let (tenant_id, user_id) = (tenant_id.to_string(), user_id.to_string());
    let (m, u) = state
        .store
        .write(scope, move |c| {
            let tenant = match managed_tenant(c, &scope, &tenant_id)? {
                Ok(t) => t,
                Err(e) => return Ok(Err(e)),
            };
            crate::engine::admission::lock_tenant(c, &tenant.id)?;
            let (Some(m), Some(u)) = (
                repo::memberships::get(c, &scope, &tenant.id, &user_id)?,
                repo::users::get(c, &scope, &user_id)?,
            ) else {
                return Ok(Err(ApiError::of(Code::MembershipNotFound)));
            };
            let current = Role::parse(&m.role).unwrap_or(Role::Viewer);
            if current.rank() > my_rank {
                return Ok(Err(ApiError::forbidden(
                    "You cannot change a member above your role",
                )));
            }
            if role != current {
                if let Err(e) = check_not_last_admin(c, &m)? {
                    return Ok(Err(e));
                }
            }
            let now = store::now();
            repo::memberships::set_role(c, &m.id, role.as_str(), now)?;
            mirror_home_role(c, &scope, &u, &tenant.id, role)?;
            audit::record(
                c,
                &actor,
                Event {
                    action: "membership.update",
                    target_type: "user",
                    target_id: Some(u.id.clone()),
                    tenant_id: Some(tenant.id.clone()),
                    reseller_id: tenant.reseller_id.clone(),
                    details: serde_json::json!({"role": role.as_str(), "previous_role": m.role}),
                },
            )?;
            let m = repo::memberships::get(c, &scope, &tenant.id, &user_id)?.unwrap_or(m);
            Ok(Ok((m, u)))
        })
        .await??;
    Ok(web::Json(MemberView::of(&m, &u)))
}

/// `users.role` mirrors the role in the account's home tenant (`users.tenant_id`), for
/// single-tenant accounts to read as before; authorization reads the membership.
pub(crate) fn mirror_home_role(
    c: &mut DbConn,
    scope: &Scope,
    user: &UserRow,
    tenant_id: &str,
    role: Role,
) -> Result<(), StoreError> {
    if user.tenant_id.as_deref() == Some(tenant_id) && user.role != role.as_str() {
        repo::users::update(
            c,
            scope,
            &user.id,
            &repo::users::UserChanges {
                role: Some(role.as_str().to_string()),
                updated_at: Some(store::now()),
                ..Default::default()
            },
        )?;
    }
    Ok(())
}

/// Removes a membership; the account stays (with its other tenants, if any).
///
/// Tenant admins remove members up to their own role; anyone may leave a tenant themselves
/// (with an access token). The member's refresh tokens and API keys for this tenant are
/// revoked and its access tokens for it stop working at their next request. The last active
/// tenant admin cannot be removed (`409 last_tenant_admin`).
#[utoipa::path(tag = "tenants", params(("id" = Uuid, Path), ("user_id" = Uuid, Path)), responses((status = 204, description = "Removed"), WriteErrors))]
#[delete("/tenants/{id}/members/{user_id}")]
pub async fn remove_member(
    state: web::Data<AppState>,
    authed: Authed,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (tenant_id, user_id) = path.into_inner();
    let leaving = user_id == authed.principal.user_id
        && matches!(authed.principal.credential, Credential::AccessToken);
    if !leaving {
        authed.require(Action::UsersWrite)?;
    }
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let my_rank = authed.role().rank();
    let (tenant_id, user_id) = (tenant_id.to_string(), user_id.to_string());
    state
        .store
        .write(scope, move |c| {
            let tenant = match managed_tenant(c, &scope, &tenant_id)? {
                Ok(t) => t,
                Err(e) => return Ok(Err(e)),
            };
            crate::engine::admission::lock_tenant(c, &tenant.id)?;
            let (Some(m), Some(u)) = (
                repo::memberships::get(c, &scope, &tenant.id, &user_id)?,
                repo::users::get(c, &scope, &user_id)?,
            ) else {
                return Ok(Err(ApiError::of(Code::MembershipNotFound)));
            };
            if !leaving && Role::parse(&m.role).unwrap_or(Role::Viewer).rank() > my_rank {
                return Ok(Err(ApiError::forbidden(
                    "You cannot remove a member above your role",
                )));
            }
            if let Err(e) = check_not_last_admin(c, &m)? {
                return Ok(Err(e));
            }
            end_membership(c, &m, store::now())?;
            audit::record(
                c,
                &actor,
                Event {
                    action: "membership.remove",
                    target_type: "user",
                    target_id: Some(u.id.clone()),
                    tenant_id: Some(tenant.id.clone()),
                    reseller_id: tenant.reseller_id.clone(),
                    details: serde_json::json!({"email": u.email, "role": m.role, "left": leaving}),
                },
            )?;
            Ok(Ok(()))
        })
        .await??;
    Ok(HttpResponse::NoContent().finish())
}

/// Invites someone to the tenant by email, with a role.
///
/// Answers the invitation with its single-use token, once (only its SHA-256 is stored); it can
/// be accepted until `expires_at` (`VOXFLOW_INVITATION_TTL_SECS`, 7 days) with
/// `POST /v1/invitations/accept`. No email is sent yet: pass the token on. A new invitation for
/// the same email replaces the open one. Needs an access token: accepting may create an account
/// that signs in with the invitation's whole role, beyond an API key's permissions.
#[utoipa::path(tag = "tenants", params(("id" = Uuid, Path)), request_body = InviteRequest, responses((status = 201, body = CreatedInvitationView), WriteErrors))]
#[post("/tenants/{id}/invitations")]
pub async fn create_invitation(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
    body: web::Json<InviteRequest>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::UsersWrite)?;
    if matches!(authed.principal.credential, Credential::ApiKey { .. }) {
        return Err(ApiError::forbidden(
            "API keys cannot invite: an invitation may create an account that signs in with a password; sign in and send the access token",
        ));
    }
    let body = body.into_inner();
    let email = super::normalize_email(&body.email);
    let mut v = Validator::default();
    v.email("email", &email);
    check_member_role(&mut v, &authed, body.role);
    v.finish()?;
    let scope = authed.scope();
    let tenant_id = id.to_string();
    let lookup_tenant = tenant_id.clone();
    state
        .store
        .read(scope, move |c| managed_tenant(c, &scope, &lookup_tenant))
        .await??;
    let lookup = email.clone();
    let existing = state
        .store
        .read(Scope::System, move |c| {
            repo::users::find_by_email(c, &lookup)
        })
        .await?;
    if let Some(u) = &existing {
        if !Role::parse(&u.role).is_some_and(Role::is_tenant_role) {
            return Err(ApiError::new(
                Code::Conflict,
                "Platform and reseller admins do not join tenants",
            ));
        }
    }
    let existing_id = existing.map(|u| u.id);
    let token = secrets::new_invitation_token();
    let ttl = state.settings.invitation_ttl_secs;
    let actor = Actor::of(&authed);
    let inviter = authed.principal.user_id.to_string();
    let role = body.role;
    let token_for_tx = token.clone();
    let public_url = state.settings.public_url.clone();
    let row = state
        .store
        .write(scope, move |c| {
            let tenant = match managed_tenant(c, &scope, &tenant_id)? {
                Ok(t) => t,
                Err(e) => return Ok(Err(e)),
            };
            if let Some(uid) = &existing_id {
                if repo::memberships::get(c, &scope, &tenant.id, uid)?.is_some() {
                    return Ok(Err(ApiError::new(
                        Code::MembershipExists,
                        format!("{email} is already a member of this tenant"),
                    )));
                }
            }
            let now = store::now();
            repo::invitations::revoke_open_for_email(c, &tenant.id, &email, now)?;
            let row = InvitationRow {
                id: store::new_id(),
                tenant_id: tenant.id.clone(),
                email: email.clone(),
                role: role.as_str().to_string(),
                token_hash: secrets::digest(&token_for_tx),
                invited_by: Some(inviter),
                expires_at: now + chrono::TimeDelta::seconds(ttl),
                accepted_at: None,
                accepted_by: None,
                revoked_at: None,
                created_at: now,
            };
            repo::invitations::insert(c, &row)?;
            crate::invitations::created(
                c,
                &crate::invitations::Created {
                    invitation: &row,
                    token: &token_for_tx,
                    tenant_name: &tenant.name,
                    reseller_id: tenant.reseller_id.as_deref(),
                    public_url: &public_url,
                },
            )?;
            audit::record(
                c,
                &actor,
                Event {
                    action: "invitation.create",
                    target_type: "invitation",
                    target_id: Some(row.id.clone()),
                    tenant_id: Some(tenant.id.clone()),
                    reseller_id: tenant.reseller_id.clone(),
                    details: serde_json::json!({"email": row.email, "role": row.role}),
                },
            )?;
            Ok(Ok(row))
        })
        .await??;
    Ok(HttpResponse::Created()
        .insert_header((
            "Location",
            format!("/v1/tenants/{}/invitations/{}", row.tenant_id, row.id),
        ))
        .json(CreatedInvitationView {
            invitation: InvitationView::from(&row),
            token,
        }))
}

/// Lists the tenant's open invitations (not accepted, withdrawn or expired), newest first.
#[utoipa::path(tag = "tenants", params(("id" = Uuid, Path), PageQuery), responses((status = 200, body = InvitationList), ReadErrors))]
#[get("/tenants/{id}/invitations")]
pub async fn list_invitations(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<InvitationList>, ApiError> {
    authed.require(Action::UsersWrite)?;
    let page = query.to_request()?;
    let scope = authed.scope();
    let id = id.to_string();
    let rows = state
        .store
        .read(scope, move |c| {
            if let Err(e) = managed_tenant(c, &scope, &id)? {
                return Ok(Err(e));
            }
            Ok(Ok(repo::invitations::list_pending(
                c,
                &scope,
                &id,
                store::now(),
                &page,
            )?))
        })
        .await??;
    Ok(web::Json(InvitationList::from_page(
        rows.map(|r| InvitationView::from(&r)),
    )))
}

/// Withdraws an invitation: its token then answers `404 invitation_not_found`.
#[utoipa::path(tag = "tenants", params(("id" = Uuid, Path), ("invitation_id" = Uuid, Path)), responses((status = 204, description = "Withdrawn"), WriteErrors))]
#[delete("/tenants/{id}/invitations/{invitation_id}")]
pub async fn revoke_invitation(
    state: web::Data<AppState>,
    authed: Authed,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::UsersWrite)?;
    let (tenant_id, invitation_id) = path.into_inner();
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let (tenant_id, invitation_id) = (tenant_id.to_string(), invitation_id.to_string());
    state
        .store
        .write(scope, move |c| {
            let tenant = match managed_tenant(c, &scope, &tenant_id)? {
                Ok(t) => t,
                Err(e) => return Ok(Err(e)),
            };
            let Some(row) = repo::invitations::get(c, &scope, &tenant.id, &invitation_id)?
                .filter(|r| r.revoked_at.is_none() && r.accepted_at.is_none())
            else {
                return Ok(Err(ApiError::of(Code::InvitationNotFound)));
            };
            repo::invitations::revoke(c, &row.id, store::now())?;
            audit::record(
                c,
                &actor,
                Event {
                    action: "invitation.revoke",
                    target_type: "invitation",
                    target_id: Some(row.id.clone()),
                    tenant_id: Some(tenant.id.clone()),
                    reseller_id: tenant.reseller_id.clone(),
                    details: serde_json::json!({"email": row.email}),
                },
            )?;
            Ok(Ok(()))
        })
        .await??;
    Ok(HttpResponse::NoContent().finish())
}

/// Why an invitation token cannot be accepted, or the invitation.
fn usable(row: Option<InvitationRow>) -> Result<InvitationRow, ApiError> {
    let Some(row) = row else {
        return Err(ApiError::of(Code::InvitationNotFound));
    };
    if row.revoked_at.is_some() {
        return Err(ApiError::new(
            Code::InvitationNotFound,
            "This invitation was withdrawn",
        ));
    }
    if row.accepted_at.is_some() {
        return Err(ApiError::of(Code::InvitationUsed));
    }
    if row.expires_at <= store::now() {
        return Err(ApiError::new(
            Code::InvitationExpired,
            "This invitation has expired: ask the tenant's admin for a new one",
        ));
    }
    Ok(row)
}

/// Accepts an invitation (no credential: the token is the proof).
///
/// When no account uses the invitation's email, one is created with `password` (and the
/// names), a member of the tenant with the invitation's role, and the answer carries a session
/// in that tenant. When one does, the membership is added to it and it signs in as usual; its
/// password is not changed. The token works once: `404 invitation_not_found` for a wrong or
/// withdrawn one, `409 invitation_used` once accepted, `410 invitation_expired` after
/// `expires_at`.
#[utoipa::path(
    tag = "tenants",
    security(),
    request_body = AcceptInvitationRequest,
    responses(
        (status = 200, body = AcceptedInvitationView),
        (status = 403, description = "The tenant or its reseller is suspended (`tenant_suspended`, `reseller_suspended`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "Wrong or withdrawn token (`invitation_not_found`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already accepted (`invitation_used`), already a member (`membership_exists`), or the plan's `max_users` is reached (`plan_limit_reached`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 410, description = "Expired (`invitation_expired`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A new account's password is missing or too weak", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/invitations/accept")]
pub async fn accept_invitation(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: web::Json<AcceptInvitationRequest>,
) -> Result<web::Json<AcceptedInvitationView>, ApiError> {
    let body = body.into_inner();
    let hash = secrets::digest(body.token.trim());
    let lookup = hash.clone();
    let (_invitation, existing) = state
        .store
        .read(Scope::System, move |c| {
            let row = match usable(repo::invitations::find_by_hash(c, &lookup)?) {
                Ok(r) => r,
                Err(e) => return Ok(Err(e)),
            };
            let existing = repo::users::find_by_email(c, &row.email)?;
            Ok(Ok((row, existing)))
        })
        .await??;
    // A new account needs a password; an existing one keeps its own.
    let new_hash = match &existing {
        Some(_) => None,
        None => {
            let mut v = Validator::default();
            match &body.password {
                None => v.push("password", "is required to create the account"),
                Some(p) => {
                    if let Some(problem) = password::check_strength(p) {
                        v.push("password", problem);
                    }
                }
            }
            for (field, value) in [
                ("first_name", body.first_name.as_deref()),
                ("last_name", body.last_name.as_deref()),
            ] {
                if let Some(s) = value {
                    v.check(
                        s.chars().count() <= 100,
                        field,
                        "must be at most 100 characters",
                    );
                }
            }
            v.finish()?;
            let pw = body.password.clone().unwrap_or_default();
            Some(
                web::block(move || password::hash(&pw))
                    .await
                    .map_err(ApiError::internal)?
                    .map_err(ApiError::internal)?,
            )
        }
    };
    let ttl = state.settings.refresh_token_ttl_secs;
    let (first_name, last_name) = (body.first_name, body.last_name);
    let outcome = state
        .store
        .write(Scope::System, move |c| {
            // Again inside the transaction: it may have been spent or withdrawn meanwhile.
            let row = match usable(repo::invitations::find_by_hash(c, &hash)?) {
                Ok(r) => r,
                Err(e) => return Ok(Err(e)),
            };
            let Some(tenant) = repo::tenants::get(c, &Scope::System, &row.tenant_id)?
                .filter(|t| t.status == "active")
            else {
                return Ok(Err(ApiError::new(
                    Code::TenantSuspended,
                    "The inviting tenant is suspended",
                )));
            };
            if let Some(rid) = &tenant.reseller_id {
                if let Err(e) = standing::reseller_active(c, rid)? {
                    return Ok(Err(e));
                }
            }
            crate::engine::admission::lock_tenant(c, &tenant.id)?;
            let now = store::now();
            let role = Role::parse(&row.role).unwrap_or(Role::Viewer);
            let user = match repo::users::find_by_email(c, &row.email)? {
                Some(u) => {
                    if !Role::parse(&u.role).is_some_and(Role::is_tenant_role) {
                        return Ok(Err(ApiError::new(
                            Code::Conflict,
                            "Platform and reseller admins do not join tenants",
                        )));
                    }
                    if repo::memberships::get(c, &Scope::System, &tenant.id, &u.id)?.is_some() {
                        return Ok(Err(ApiError::new(
                            Code::MembershipExists,
                            "This account is already a member of the tenant",
                        )));
                    }
                    (u, false)
                }
                None => {
                    let Some(hash) = new_hash.clone() else {
                        // The account went away between the two reads: ask again.
                        return Ok(Err(ApiError::field(
                            "password",
                            "is required to create the account",
                        )));
                    };
                    if repo::users::email_exists(c, &row.email)? {
                        return Ok(Err(ApiError::new(
                            Code::EmailTaken,
                            format!("{} is already registered", row.email),
                        )));
                    }
                    let u = UserRow {
                        id: store::new_id(),
                        tenant_id: Some(tenant.id.clone()),
                        reseller_id: None,
                        email: row.email.clone(),
                        password_hash: hash,
                        first_name: first_name.as_deref().map(|s| s.trim().to_string()),
                        last_name: last_name.as_deref().map(|s| s.trim().to_string()),
                        role: role.as_str().to_string(),
                        status: "active".into(),
                        last_login: Some(now),
                        created_at: now,
                        updated_at: now,
                        session_epoch: 0,
                        // The inviting admin holds the token too: accepting proves nothing
                        // about the mailbox.
                        email_verified_at: None,
                        erased_at: None,
                    };
                    repo::users::insert(c, &u)?;
                    (u, true)
                }
            };
            let (user, created) = user;
            if let Err(e) = check_member_limit(c, &tenant.id)? {
                return Ok(Err(e));
            }
            if !repo::invitations::mark_accepted(c, &row.id, &user.id, now)? {
                return Ok(Err(ApiError::of(Code::InvitationUsed)));
            }
            repo::memberships::insert(
                c,
                &MembershipRow {
                    id: store::new_id(),
                    tenant_id: tenant.id.clone(),
                    user_id: user.id.clone(),
                    role: role.as_str().to_string(),
                    created_at: now,
                    updated_at: now,
                    last_used_at: None,
                },
            )?;
            let actor = Actor {
                user_id: Some(user.id.clone()),
                api_key_id: None,
                request_id: meta.request_id.clone(),
                ip: meta.ip.clone(),
            };
            audit::record(
                c,
                &actor,
                Event {
                    action: "invitation.accept",
                    target_type: "invitation",
                    target_id: Some(row.id.clone()),
                    tenant_id: Some(tenant.id.clone()),
                    reseller_id: tenant.reseller_id.clone(),
                    details: serde_json::json!({
                        "email": user.email, "role": row.role, "account_created": created
                    }),
                },
            )?;
            // A new account starts signed in to the tenant it was invited to.
            let session = if created {
                match standing::seat(c, &user, Some(&tenant.id))? {
                    Seating::Seated(seat) => {
                        let token = super::auth::start_session(c, &user, &seat, ttl)?;
                        Some((seat, token))
                    }
                    _ => None,
                }
            } else {
                None
            };
            Ok(Ok((user, tenant.id, role, created, session)))
        })
        .await??;
    let (user, tenant_id, role, created, session) = outcome;
    let tokens = match session {
        Some((seat, token)) => Some(super::auth::session_tokens(&state, &user, &seat, token)?),
        None => None,
    };
    Ok(web::Json(AcceptedInvitationView {
        tenant_id: super::parse_uuid(&tenant_id),
        user_id: super::parse_uuid(&user.id),
        role,
        account_created: created,
        tokens,
    }))
}
