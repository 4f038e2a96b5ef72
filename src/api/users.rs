//! `/v1/users`: accounts and roles.
//!
//! Nobody grants a role above their own. A tenant admin's users always land in its own
//! tenant; platform and reseller admins name the target `tenant_id` (a reseller admin only
//! among its tenants). Deleting a user is a soft delete that also revokes its API keys
//! and sessions.
//!
//! A tenant user's `tenant_id` and `role` are shown, and its `role` changed, for one of its
//! memberships: the caller's tenant for tenant callers, else the user's home tenant, else the
//! first membership the caller sees. An account that also belongs to tenants the caller does
//! not manage keeps its account-level fields (email, password, status, names) and is not
//! deleted by that caller (`403`): manage its membership instead (`/v1/tenants/{id}/members`).

use super::{list_view, PageQuery, ReadErrors, Validator, WriteErrors};
use crate::app::AppState;
use crate::audit::{self, Actor, Event};
use crate::auth::{password, Action, Authed};
use crate::error::{ApiError, Code};
use crate::store::repo::{
    self, memberships::MembershipRow, users::UserChanges, users::UserFilter, users::UserRow,
};
use crate::store::{self, DbConn, StoreError};
use crate::tenancy::{Credential, Role, Scope};
use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: Uuid,
    pub tenant_id: Option<Uuid>,
    pub reseller_id: Option<Uuid>,
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub role: Role,
    /// `active` or `suspended`.
    pub status: String,
    pub last_login: Option<DateTime<Utc>>,
    /// When the user confirmed their email address (docs/email.md); null: not yet.
    pub email_verified_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<UserRow> for UserView {
    fn from(r: UserRow) -> Self {
        UserView {
            id: super::parse_uuid(&r.id),
            tenant_id: super::parse_uuid_opt(r.tenant_id.as_deref()),
            reseller_id: super::parse_uuid_opt(r.reseller_id.as_deref()),
            email: r.email,
            first_name: r.first_name,
            last_name: r.last_name,
            role: Role::parse(&r.role).unwrap_or(Role::Viewer),
            status: r.status,
            last_login: r.last_login.map(super::utc),
            email_verified_at: r.email_verified_at.map(super::utc),
            created_at: super::utc(r.created_at),
            updated_at: super::utc(r.updated_at),
        }
    }
}

list_view!(UserList, UserView);

/// The membership a user is shown (and its role changed) in for `scope`: the scope's tenant
/// for tenant callers, else the home tenant, else the first one the scope sees.
fn shown_membership<'a>(
    scope: &Scope,
    row: &UserRow,
    memberships: &'a [MembershipRow],
) -> Option<&'a MembershipRow> {
    let mut mine = memberships.iter().filter(|m| m.user_id == row.id);
    match scope.tenant_id() {
        Some(t) => mine.find(|m| m.tenant_id == t.to_string()),
        None => {
            let mine: Vec<_> = mine.collect();
            mine.iter()
                .find(|m| row.tenant_id.as_deref() == Some(m.tenant_id.as_str()))
                .or(mine.first())
                .copied()
        }
    }
}

fn view_with(scope: &Scope, row: UserRow, memberships: &[MembershipRow]) -> UserView {
    let tenant_user = Role::parse(&row.role).is_some_and(Role::is_tenant_role);
    let shown = shown_membership(scope, &row, memberships).cloned();
    let mut view = UserView::from(row);
    if tenant_user {
        view.tenant_id = shown.as_ref().map(|m| super::parse_uuid(&m.tenant_id));
        if let Some(m) = &shown {
            view.role = Role::parse(&m.role).unwrap_or(Role::Viewer);
        }
    }
    view
}

/// `rows` as `scope` sees them (see [`shown_membership`]).
pub(crate) fn views_in(
    c: &mut DbConn,
    scope: &Scope,
    rows: Vec<UserRow>,
) -> Result<Vec<UserView>, StoreError> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let memberships = repo::memberships::of_users(c, scope, &ids)?;
    Ok(rows
        .into_iter()
        .map(|r| view_with(scope, r, &memberships))
        .collect())
}

pub(crate) fn view_in(c: &mut DbConn, scope: &Scope, row: UserRow) -> Result<UserView, StoreError> {
    Ok(views_in(c, scope, vec![row])?
        .pop()
        .expect("one view per row"))
}

/// Does the account belong to a tenant `scope` does not manage? Such an account's
/// account-level fields are not the caller's to change. Read in the system scope (the caller's
/// own scope cannot see those tenants).
pub(crate) async fn reaches_beyond(
    state: &AppState,
    scope: Scope,
    user_id: &str,
) -> Result<bool, ApiError> {
    let user_id = user_id.to_string();
    Ok(state
        .store
        .read(Scope::System, move |c| {
            // A user the caller cannot see answers 404 later, like a missing one.
            if repo::users::get(c, &scope, &user_id)?.is_none() {
                return Ok(false);
            }
            let all = repo::memberships::of_user(c, &Scope::System, &user_id)?;
            Ok(match scope {
                Scope::System | Scope::Platform => false,
                Scope::Tenant { tenant_id, .. } => {
                    let mine = tenant_id.to_string();
                    all.iter().any(|m| m.tenant_id != mine)
                }
                Scope::Reseller { reseller_id } => {
                    let ids: Vec<String> = all.iter().map(|m| m.tenant_id.clone()).collect();
                    let rid = reseller_id.to_string();
                    repo::tenants::with_ids(c, &ids)?
                        .iter()
                        .any(|t| t.status != "deleted" && t.reseller_id.as_deref() != Some(&rid))
                }
            })
        })
        .await?)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUserRequest {
    #[schema(
        example = "ada@example.com",
        pattern = r"^\s*[^@\s\x00-\x1f\x7f-\x9f]+@[^@\s\x00-\x1f\x7f-\x9f.][^@\s\x00-\x1f\x7f-\x9f]*\.[^@\s\x00-\x1f\x7f-\x9f]*[^@\s\x00-\x1f\x7f-\x9f.]\s*$",
        max_length = 254
    )]
    pub email: String,
    /// At least 10 characters (and at most 1024 bytes).
    #[schema(min_length = 10)]
    pub password: String,
    pub role: Role,
    /// Required for tenant roles when a platform or reseller admin creates the user.
    pub tenant_id: Option<Uuid>,
    /// For `reseller_admin` users created by a platform admin.
    pub reseller_id: Option<Uuid>,
    #[schema(max_length = 100)]
    pub first_name: Option<String>,
    #[schema(max_length = 100)]
    pub last_name: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUserRequest {
    #[schema(
        pattern = r"^\s*[^@\s\x00-\x1f\x7f-\x9f]+@[^@\s\x00-\x1f\x7f-\x9f.][^@\s\x00-\x1f\x7f-\x9f]*\.[^@\s\x00-\x1f\x7f-\x9f]*[^@\s\x00-\x1f\x7f-\x9f.]\s*$",
        max_length = 254
    )]
    pub email: Option<String>,
    /// Resets another user's password (`users:write`, access token only); revokes their
    /// sessions. Your own password changes with `POST /v1/me/password`. At least 10
    /// characters.
    #[schema(min_length = 10)]
    pub password: Option<String>,
    #[serde(default, deserialize_with = "super::double_option")]
    #[schema(value_type = Option<String>, max_length = 100)]
    pub first_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::double_option")]
    #[schema(value_type = Option<String>, max_length = 100)]
    pub last_name: Option<Option<String>>,
    pub role: Option<Role>,
    /// `active` or `suspended`.
    #[schema(pattern = "^(active|suspended)$")]
    pub status: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UserListQuery {
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    #[param(pattern = r"^[A-Za-z0-9_-]{48}$")]
    pub cursor: Option<String>,
    pub tenant_id: Option<Uuid>,
    pub role: Option<Role>,
    pub status: Option<String>,
    /// Case-insensitive substring of the email.
    pub email: Option<String>,
}

/// Creates a user.
///
/// Needs an access token: API keys cannot create accounts that sign in with a password.
#[utoipa::path(tag = "users", request_body = CreateUserRequest, responses((status = 201, body = UserView), WriteErrors))]
#[post("/users")]
pub async fn create_user(
    state: web::Data<AppState>,
    authed: Authed,
    body: web::Json<CreateUserRequest>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::UsersWrite)?;
    // A new account comes with a password that signs in with the account's whole role: a key
    // could otherwise mint itself a login beyond its own permissions.
    if matches!(authed.principal.credential, Credential::ApiKey { .. }) {
        return Err(ApiError::forbidden(
            "API keys cannot create accounts that sign in with a password: sign in and send the access token",
        ));
    }
    let body = body.into_inner();
    let email = super::normalize_email(&body.email);
    let mut v = Validator::default();
    v.email("email", &email);
    if let Some(problem) = password::check_strength(&body.password) {
        v.push("password", problem);
    }
    check_names(
        &mut v,
        body.first_name.as_deref(),
        body.last_name.as_deref(),
    );
    if body.role.rank() > authed.role().rank() {
        v.push(
            "role",
            format!(
                "cannot grant a role above your own ({})",
                authed.role().as_str()
            ),
        );
    }
    let placement = placement_for(&authed, &body, &mut v);
    v.finish()?;
    let placement = placement?;
    let pw = body.password.clone();
    let hash = web::block(move || password::hash(&pw))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let row = state
        .store
        .write(scope, move |c| {
            let (tenant_id, reseller_id) = match resolve_placement(c, &scope, &placement)? {
                Ok(p) => p,
                Err(e) => return Ok(Err(e)),
            };
            if repo::users::email_exists(c, &email)? {
                return Ok(Err(ApiError::new(
                    Code::EmailTaken,
                    format!(
                        "{email} is already registered; to give that account access to a \
                         tenant, add it with POST /v1/tenants/{{id}}/members"
                    ),
                )));
            }
            if let Some(tid) = &tenant_id {
                crate::engine::admission::lock_tenant(c, tid)?;
                if let Err(e) = super::members::check_member_limit(c, tid)? {
                    return Ok(Err(e));
                }
            }
            let now = store::now();
            let row = UserRow {
                id: store::new_id(),
                tenant_id: tenant_id.clone(),
                reseller_id: if tenant_id.is_none() {
                    reseller_id.clone()
                } else {
                    None
                },
                email,
                password_hash: hash,
                first_name: body.first_name.map(|s| s.trim().to_string()),
                last_name: body.last_name.map(|s| s.trim().to_string()),
                role: body.role.as_str().to_string(),
                status: "active".into(),
                last_login: None,
                created_at: now,
                updated_at: now,
                session_epoch: 0,
                email_verified_at: None,
                erased_at: None,
            };
            repo::users::insert(c, &row)?;
            // A tenant user's home tenant is its first membership.
            if let Some(tid) = &tenant_id {
                repo::memberships::insert(
                    c,
                    &MembershipRow {
                        id: store::new_id(),
                        tenant_id: tid.clone(),
                        user_id: row.id.clone(),
                        role: row.role.clone(),
                        created_at: now,
                        updated_at: now,
                        last_used_at: None,
                    },
                )?;
            }
            audit::record(
                c,
                &actor,
                Event {
                    action: "user.create",
                    target_type: "user",
                    target_id: Some(row.id.clone()),
                    tenant_id,
                    reseller_id,
                    details: serde_json::json!({"email": row.email, "role": row.role}),
                },
            )?;
            let id = row.id.clone();
            let view = view_in(c, &scope, row)?;
            Ok(Ok((id, view)))
        })
        .await??;
    let (row_id, view) = row;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/v1/users/{row_id}")))
        .json(view))
}

/// Where a new user goes, as decided from the caller and the request.
#[derive(Debug, Clone)]
enum Placement {
    Platform,
    Reseller(Uuid),
    Tenant(Uuid),
}

fn placement_for(
    authed: &Authed,
    body: &CreateUserRequest,
    v: &mut Validator,
) -> Result<Placement, ApiError> {
    let me = &authed.principal;
    match body.role {
        Role::PlatformAdmin => {
            v.check(
                body.tenant_id.is_none(),
                "tenant_id",
                "must be absent for platform admins",
            );
            v.check(
                body.reseller_id.is_none(),
                "reseller_id",
                "must be absent for platform admins",
            );
            Ok(Placement::Platform)
        }
        Role::ResellerAdmin => {
            v.check(
                body.tenant_id.is_none(),
                "tenant_id",
                "must be absent for reseller admins",
            );
            match (me.role, body.reseller_id, me.reseller_id) {
                (Role::PlatformAdmin, Some(r), _) => Ok(Placement::Reseller(r)),
                (Role::PlatformAdmin, None, _) => {
                    v.push("reseller_id", "is required for reseller admins");
                    Ok(Placement::Platform)
                }
                (_, Some(r), Some(mine)) if r != mine => Err(ApiError::of(Code::ResellerNotFound)),
                (_, _, Some(mine)) => Ok(Placement::Reseller(mine)),
                _ => Err(ApiError::forbidden("You cannot create reseller admins")),
            }
        }
        _ => {
            v.check(
                body.reseller_id.is_none(),
                "reseller_id",
                "must be absent for tenant users",
            );
            if me.role.is_tenant_role() {
                let mine = me.tenant_id.unwrap_or_default();
                match body.tenant_id {
                    Some(t) if t != mine => Err(ApiError::of(Code::TenantNotFound)),
                    _ => Ok(Placement::Tenant(mine)),
                }
            } else {
                match body.tenant_id {
                    Some(t) => Ok(Placement::Tenant(t)),
                    None => {
                        v.push("tenant_id", "is required for tenant users");
                        Ok(Placement::Platform)
                    }
                }
            }
        }
    }
}

/// Checks that the target tenant or reseller exists and is visible to the caller.
#[allow(clippy::type_complexity)]
fn resolve_placement(
    c: &mut DbConn,
    scope: &Scope,
    placement: &Placement,
) -> Result<Result<(Option<String>, Option<String>), ApiError>, StoreError> {
    Ok(match placement {
        Placement::Platform => Ok((None, None)),
        Placement::Reseller(r) => match repo::resellers::get(c, scope, &r.to_string())? {
            Some(r) => Ok((None, Some(r.id))),
            None => Err(ApiError::of(Code::ResellerNotFound)),
        },
        Placement::Tenant(t) => match repo::tenants::get(c, scope, &t.to_string())? {
            Some(t) => Ok((Some(t.id), t.reseller_id)),
            None => Err(ApiError::of(Code::TenantNotFound)),
        },
    })
}

fn check_names(v: &mut Validator, first: Option<&str>, last: Option<&str>) {
    if let Some(f) = first {
        v.check(
            f.chars().count() <= 100,
            "first_name",
            "must be at most 100 characters",
        );
    }
    if let Some(l) = last {
        v.check(
            l.chars().count() <= 100,
            "last_name",
            "must be at most 100 characters",
        );
    }
}

/// Lists users visible to the caller, newest first.
#[utoipa::path(tag = "users", params(UserListQuery), responses((status = 200, body = UserList), ReadErrors))]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    authed: Authed,
    query: web::Query<UserListQuery>,
) -> Result<web::Json<UserList>, ApiError> {
    authed.require(Action::UsersRead)?;
    let q = query.into_inner();
    let page = PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    }
    .to_request()?;
    let filter = UserFilter {
        tenant_id: q.tenant_id.map(|t| t.to_string()),
        role: q.role.map(|r| r.as_str().to_string()),
        status: q.status,
        email_contains: q.email,
    };
    let scope = authed.scope();
    let rows = state
        .store
        .read(scope, move |c| {
            // A tenant the caller does not see has no users it may list.
            if let Some(t) = &filter.tenant_id {
                if repo::tenants::get(c, &scope, t)?.is_none() {
                    return Ok(repo::Page {
                        items: Vec::new(),
                        next: None,
                    });
                }
            }
            let page = repo::users::list(c, &scope, &page, &filter)?;
            Ok(repo::Page {
                items: views_in(c, &scope, page.items)?,
                next: page.next,
            })
        })
        .await?;
    Ok(web::Json(UserList::from_page(rows)))
}

/// Reads one user.
#[utoipa::path(tag = "users", params(("id" = Uuid, Path)), responses((status = 200, body = UserView), ReadErrors))]
#[get("/users/{id}")]
pub async fn get_user(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<web::Json<UserView>, ApiError> {
    authed.require(Action::UsersRead)?;
    let scope = authed.scope();
    let id = id.to_string();
    let view = state
        .store
        .read(scope, move |c| match repo::users::get(c, &scope, &id)? {
            Some(row) => Ok(Some(view_in(c, &scope, row)?)),
            None => Ok(None),
        })
        .await?
        .ok_or_else(|| ApiError::of(Code::UserNotFound))?;
    Ok(web::Json(view))
}

/// Updates a user. Anyone signed in (with an access token) may change their own names;
/// changing anything else, or anyone else, needs `users:write` and a role at least as high
/// as the target's. A password is set here only by an admin resetting another user's, with
/// an access token; one's own password changes with `POST /v1/me/password`, which asks for
/// the current one.
#[utoipa::path(tag = "users", params(("id" = Uuid, Path)), request_body = UpdateUserRequest, responses((status = 200, body = UserView), WriteErrors))]
#[patch("/users/{id}")]
pub async fn update_user(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
    body: web::Json<UpdateUserRequest>,
) -> Result<web::Json<UserView>, ApiError> {
    let id = id.into_inner();
    let body = body.into_inner();
    let is_self = id == authed.principal.user_id;
    let is_api_key = matches!(authed.principal.credential, Credential::ApiKey { .. });
    if body.password.is_some() {
        if is_self {
            return Err(ApiError::forbidden(
                "Change your own password with POST /v1/me/password, which asks for the current one",
            ));
        }
        if is_api_key {
            return Err(ApiError::forbidden(
                "API keys cannot set passwords: sign in and send the access token",
            ));
        }
    }
    // Names of one's own account need no permission, but only from a signed-in session:
    // an API key acts only within its permissions.
    let self_service = is_self
        && !is_api_key
        && body.role.is_none()
        && body.status.is_none()
        && body.email.is_none();
    if !self_service {
        authed.require(Action::UsersWrite)?;
    }
    let mut v = Validator::default();
    let email = body.email.as_deref().map(super::normalize_email);
    if let Some(e) = &email {
        v.email("email", e);
    }
    if let Some(p) = &body.password {
        if let Some(problem) = password::check_strength(p) {
            v.push("password", problem);
        }
    }
    check_names(
        &mut v,
        body.first_name.as_ref().and_then(|f| f.as_deref()),
        body.last_name.as_ref().and_then(|l| l.as_deref()),
    );
    if let Some(s) = &body.status {
        v.check(
            s == "active" || s == "suspended",
            "status",
            "must be active or suspended",
        );
    }
    if let Some(r) = body.role {
        v.check(
            r.rank() <= authed.role().rank(),
            "role",
            "cannot grant a role above your own",
        );
        v.check(!is_self, "role", "cannot change your own role");
    }
    v.finish()?;
    let hash = match body.password.clone() {
        Some(pw) => Some(
            web::block(move || password::hash(&pw))
                .await
                .map_err(ApiError::internal)?
                .map_err(ApiError::internal)?,
        ),
        None => None,
    };
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let my_rank = authed.role().rank();
    // Account-level fields of an account that also belongs to tenants the caller does not
    // manage are not the caller's to change (its role here is: that is the membership's).
    let account_level = body.email.is_some()
        || body.password.is_some()
        || body.status.is_some()
        || body.first_name.is_some()
        || body.last_name.is_some();
    if account_level && !is_self && reaches_beyond(&state, scope, &id.to_string()).await? {
        return Err(ApiError::forbidden(
            "This account also belongs to other tenants: only its role here can be changed \
             (PATCH /v1/tenants/{id}/members/{user_id})",
        ));
    }
    let id = id.to_string();
    let view = state
        .store
        .write(scope, move |c| {
            let Some(target) = repo::users::get(c, &scope, &id)? else {
                return Ok(Err(ApiError::of(Code::UserNotFound)));
            };
            // A tenant user's role is its role in the membership it is shown in.
            let memberships = repo::memberships::of_user(c, &scope, &id)?;
            let shown = shown_membership(&scope, &target, &memberships).cloned();
            let tenant_user = Role::parse(&target.role).is_some_and(Role::is_tenant_role);
            let target_role = match (&shown, tenant_user) {
                (Some(m), true) => Role::parse(&m.role).unwrap_or(Role::Viewer),
                _ => Role::parse(&target.role).unwrap_or(Role::Viewer),
            };
            if target_role.rank() > my_rank {
                return Ok(Err(ApiError::forbidden(
                    "You cannot change a user above your role",
                )));
            }
            if let Some(r) = body.role {
                if r.is_tenant_role() != target_role.is_tenant_role() {
                    return Ok(Err(ApiError::field(
                        "role",
                        "tenant users keep tenant roles and admins keep admin roles",
                    )));
                }
            }
            if let Some(e) = &email {
                if *e != target.email && repo::users::email_exists(c, e)? {
                    return Ok(Err(ApiError::new(
                        Code::EmailTaken,
                        format!("{e} is already registered"),
                    )));
                }
            }
            let now = store::now();
            // A tenant user's new role is its membership's; `users.role` follows only for the
            // home tenant.
            let mut account_role = body.role.map(|r| r.as_str().to_string());
            if let (Some(r), true) = (body.role, tenant_user) {
                let Some(m) = &shown else {
                    return Ok(Err(ApiError::of(Code::MembershipNotFound)));
                };
                crate::engine::admission::lock_tenant(c, &m.tenant_id)?;
                if r != target_role {
                    if let Err(e) = super::members::check_not_last_admin(c, m)? {
                        return Ok(Err(e));
                    }
                }
                repo::memberships::set_role(c, &m.id, r.as_str(), now)?;
                if target.tenant_id.as_deref() != Some(m.tenant_id.as_str()) {
                    account_role = None;
                }
            }
            let reset = hash.is_some();
            let changes = UserChanges {
                email: email.clone(),
                password_hash: hash,
                first_name: body.first_name.clone(),
                last_name: body.last_name.clone(),
                role: account_role,
                status: body.status.clone(),
                last_login: None,
                updated_at: Some(now),
                // A new address is not verified yet.
                email_verified_at: email.as_ref().map(|_| None),
            };
            if reset {
                // A reset password also ends the access tokens issued before it.
                repo::users::bump_session_epoch(c, &id)?;
            }
            if email.is_some() {
                // Links mailed to the old address no longer verify anything.
                repo::one_time_tokens::void_for_user(
                    c,
                    &id,
                    super::account_recovery::EMAIL_VERIFICATION,
                    store::now(),
                )?;
            }
            let updated = repo::users::update(c, &scope, &id, &changes)?;
            if body.status.as_deref() == Some("suspended") || body.password.is_some() {
                repo::refresh_tokens::revoke_for_user(c, &id, now)?;
            }
            // The entry belongs to the tenant the change was made in, not another of the
            // account's tenants.
            let audit_tenant = shown.as_ref().map(|m| m.tenant_id.clone());
            let reseller_id = match &audit_tenant {
                Some(t) => repo::tenants::get(c, &Scope::System, t)?.and_then(|t| t.reseller_id),
                None => reseller_for(c, &target)?,
            };
            audit::record(
                c,
                &actor,
                Event {
                    action: "user.update",
                    target_type: "user",
                    target_id: Some(id.clone()),
                    tenant_id: audit_tenant
                        .or(target.tenant_id.clone())
                        .filter(|_| tenant_user),
                    reseller_id,
                    details: serde_json::json!({
                        "fields": changed_fields(&body),
                    }),
                },
            )?;
            match updated {
                Some(row) => Ok(Ok(view_in(c, &scope, row)?)),
                None => Ok(Err(ApiError::of(Code::UserNotFound))),
            }
        })
        .await??;
    Ok(web::Json(view))
}

fn changed_fields(b: &UpdateUserRequest) -> Vec<&'static str> {
    let mut f = Vec::new();
    if b.email.is_some() {
        f.push("email")
    }
    if b.password.is_some() {
        f.push("password")
    }
    if b.first_name.is_some() {
        f.push("first_name")
    }
    if b.last_name.is_some() {
        f.push("last_name")
    }
    if b.role.is_some() {
        f.push("role")
    }
    if b.status.is_some() {
        f.push("status")
    }
    f
}

/// The reseller an audit entry about `user` belongs to.
pub(crate) fn reseller_for(c: &mut DbConn, user: &UserRow) -> Result<Option<String>, StoreError> {
    if user.reseller_id.is_some() {
        return Ok(user.reseller_id.clone());
    }
    Ok(match &user.tenant_id {
        Some(t) => repo::tenants::get(c, &Scope::System, t)?.and_then(|t| t.reseller_id),
        None => None,
    })
}

/// Checks that a caller of rank `my_rank` may end `target`'s account (delete or erase it):
/// the account is not above the caller's role, and ending its memberships leaves no tenant
/// without an active admin (those tenants are locked until the transaction ends).
fn check_may_end_account(
    c: &mut DbConn,
    scope: &Scope,
    target: &UserRow,
    my_rank: u8,
) -> Result<Result<(), ApiError>, StoreError> {
    let memberships = repo::memberships::of_user(c, scope, &target.id)?;
    let rank = memberships
        .iter()
        .filter_map(|m| Role::parse(&m.role))
        .chain(Role::parse(&target.role).filter(|r| !r.is_tenant_role()))
        .map(Role::rank)
        .max()
        .unwrap_or(0);
    if rank > my_rank {
        return Ok(Err(ApiError::forbidden(
            "You cannot delete or erase a user above your role",
        )));
    }
    for m in &memberships {
        crate::engine::admission::lock_tenant(c, &m.tenant_id)?;
        if let Err(e) = super::members::check_not_last_admin(c, m)? {
            return Ok(Err(e));
        }
    }
    Ok(Ok(()))
}

/// Deletes (soft) a user, revoking its API keys and sessions.
#[utoipa::path(tag = "users", params(("id" = Uuid, Path)), responses((status = 204, description = "Deleted"), WriteErrors))]
#[delete("/users/{id}")]
pub async fn delete_user(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::UsersWrite)?;
    if *id == authed.principal.user_id {
        return Err(ApiError::new(
            Code::Conflict,
            "You cannot delete your own account",
        ));
    }
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let my_rank = authed.role().rank();
    if reaches_beyond(&state, scope, &id.to_string()).await? {
        return Err(ApiError::forbidden(
            "This account also belongs to other tenants: remove its membership instead \
             (DELETE /v1/tenants/{id}/members/{user_id})",
        ));
    }
    let id = id.to_string();
    state
        .store
        .write(scope, move |c| {
            let Some(target) = repo::users::get(c, &scope, &id)? else {
                return Ok(Err(ApiError::of(Code::UserNotFound)));
            };
            if let Err(e) = check_may_end_account(c, &scope, &target, my_rank)? {
                return Ok(Err(e));
            }
            let now = store::now();
            repo::users::update(
                c,
                &scope,
                &id,
                &UserChanges {
                    status: Some("deleted".into()),
                    updated_at: Some(now),
                    ..Default::default()
                },
            )?;
            repo::api_keys::revoke_for_user(c, &id, now)?;
            repo::refresh_tokens::revoke_for_user(c, &id, now)?;
            let reseller_id = reseller_for(c, &target)?;
            audit::record(
                c,
                &actor,
                Event {
                    action: "user.delete",
                    target_type: "user",
                    target_id: Some(id.clone()),
                    tenant_id: target.tenant_id.clone(),
                    reseller_id,
                    details: serde_json::json!({"email": target.email}),
                },
            )?;
            Ok(Ok(()))
        })
        .await??;
    Ok(HttpResponse::NoContent().finish())
}

/// Erases a user's personal data (GDPR; docs/data-lifecycle.md): email, names, password,
/// sessions and tokens, memberships, invitations and mails to the address, and the person's
/// email and names in the audit log's details. The account id stays, anonymous, for the
/// jobs, files and audit entries that refer to it. A deleted (not yet erased) account can
/// be erased too; an erased one answers `404`. Admins only (`users:write`); like deleting,
/// never one's own account, one above one's role, a tenant's last admin, or an account that
/// also belongs to tenants beyond the caller's.
#[utoipa::path(tag = "users", params(("id" = Uuid, Path)), responses((status = 204, description = "Erased"), WriteErrors))]
#[post("/users/{id}/erasure")]
pub async fn erase_user(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::UsersWrite)?;
    if *id == authed.principal.user_id {
        return Err(ApiError::new(
            Code::Conflict,
            "You cannot erase your own account: ask another admin",
        ));
    }
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let my_rank = authed.role().rank();
    if reaches_beyond(&state, scope, &id.to_string()).await? {
        return Err(ApiError::forbidden(
            "This account also belongs to other tenants: remove its membership instead \
             (DELETE /v1/tenants/{id}/members/{user_id})",
        ));
    }
    let id = id.to_string();
    let archives = state
        .store
        .write(scope, move |c| {
            let Some(target) = repo::users::get_unerased(c, &scope, &id)? else {
                return Ok(Err(ApiError::of(Code::UserNotFound)));
            };
            if let Err(e) = check_may_end_account(c, &scope, &target, my_rank)? {
                return Ok(Err(e));
            }
            let reseller_id = reseller_for(c, &target)?;
            // The person's traces reach beyond the caller's scope (mail, tokens, entries
            // of the platform's audit log): erased as the service, once authorised.
            store::switch_scope(c, Scope::System)?;
            let mut erased = crate::lifecycle::erasure::erase(c, &target, store::now())?;
            let archives = std::mem::take(&mut erased.export_archives);
            audit::record(
                c,
                &actor,
                Event {
                    action: "user.erase",
                    target_type: "user",
                    target_id: Some(id.clone()),
                    tenant_id: target.tenant_id.clone(),
                    reseller_id,
                    details: serde_json::json!(erased),
                },
            )?;
            Ok(Ok(archives))
        })
        .await??;
    super::exports::remove_archives(&state, archives).await;
    Ok(HttpResponse::NoContent().finish())
}
