//! Whether an account may still act: the user, the tenant it acts in (through its membership
//! there) and that tenant's reseller must all be active, and the membership must still exist.
//! Checked on every credential path — login, refresh, switching, each API-key and access-token
//! request, and periodically on open WebSockets — so suspending (or deleting) any one of the
//! three, or removing the membership, cuts off everything below it at once.

use crate::error::{ApiError, Code};
use crate::store::repo::{self, memberships::MembershipRow, users::UserRow};
use crate::store::{DbConn, StoreError};
use crate::tenancy::{Role, Scope};

/// Where a credential acts: for a tenant user, a tenant through its membership and the role
/// held there; for platform and reseller admins, no tenant and the account's role.
#[derive(Debug, Clone)]
pub struct Seat {
    pub tenant_id: Option<String>,
    pub role: Role,
    pub reseller_id: Option<String>,
    pub membership: Option<MembershipRow>,
}

impl Seat {
    /// Was the membership there when a token issued at `iat` (Unix seconds) was made? A
    /// membership removed and added again is a new one: the earlier tokens stay refused.
    pub fn held_since(&self, iat: i64) -> bool {
        self.membership
            .as_ref()
            .is_none_or(|m| m.created_at.and_utc().timestamp() <= iat)
    }
}

/// The outcome of seating an account in a tenant.
#[derive(Debug)]
pub enum Seating {
    Seated(Seat),
    /// The account has no membership there (or, for an admin, a tenant was named).
    NotMember,
    /// The account, the tenant or its reseller may not act (suspended, deleted).
    Refused(ApiError),
}

/// Seats `user` in `tenant` (a tenant user's membership; `None` for platform and reseller
/// admins) and checks that the account, that tenant and its reseller are all active. Must run
/// in the system scope.
pub fn seat(c: &mut DbConn, user: &UserRow, tenant: Option<&str>) -> Result<Seating, StoreError> {
    if user.status != "active" {
        return Ok(Seating::Refused(ApiError::forbidden(
            "This account is suspended",
        )));
    }
    let role = Role::parse(&user.role).unwrap_or(Role::Viewer);
    if !role.is_tenant_role() {
        if tenant.is_some() {
            return Ok(Seating::NotMember);
        }
        if let Some(rid) = &user.reseller_id {
            if let Err(e) = reseller_active(c, rid)? {
                return Ok(Seating::Refused(e));
            }
        }
        return Ok(Seating::Seated(Seat {
            tenant_id: None,
            role,
            reseller_id: user.reseller_id.clone(),
            membership: None,
        }));
    }
    let Some(tid) = tenant else {
        return Ok(Seating::NotMember);
    };
    let Some(membership) = repo::memberships::get(c, &Scope::System, tid, &user.id)? else {
        return Ok(Seating::NotMember);
    };
    let reseller_id = match repo::tenants::get(c, &Scope::System, tid)? {
        Some(t) if t.status == "active" => t.reseller_id,
        _ => {
            return Ok(Seating::Refused(ApiError::new(
                Code::TenantSuspended,
                "This account's tenant is suspended",
            )))
        }
    };
    if let Some(rid) = &reseller_id {
        if let Err(e) = reseller_active(c, rid)? {
            return Ok(Seating::Refused(e));
        }
    }
    Ok(Seating::Seated(Seat {
        tenant_id: Some(tid.to_string()),
        role: Role::parse(&membership.role).unwrap_or(Role::Viewer),
        reseller_id,
        membership: Some(membership),
    }))
}

/// Where a login that names no tenant lands: for a tenant user, the membership last signed in
/// to or switched to, else the oldest one — skipping tenants that may not act; when none may,
/// the refusal of the first. Must run in the system scope.
pub fn default_seat(c: &mut DbConn, user: &UserRow) -> Result<Seating, StoreError> {
    let role = Role::parse(&user.role).unwrap_or(Role::Viewer);
    if user.status != "active" || !role.is_tenant_role() {
        return seat(c, user, None);
    }
    let mut all = repo::memberships::of_user(c, &Scope::System, &user.id)?;
    // Most recently used first; never used ones after them, oldest first (a stable sort keeps
    // the query's creation order among equals).
    all.sort_by_key(|m| std::cmp::Reverse(m.last_used_at));
    let mut first_refusal = None;
    for m in &all {
        match seat(c, user, Some(&m.tenant_id))? {
            Seating::Seated(s) => return Ok(Seating::Seated(s)),
            Seating::Refused(e) => {
                first_refusal.get_or_insert(e);
            }
            Seating::NotMember => {}
        }
    }
    Ok(first_refusal.map_or(Seating::NotMember, Seating::Refused))
}

/// `reseller_suspended` unless the reseller exists (not deleted) and is active.
pub fn reseller_active(
    c: &mut DbConn,
    reseller_id: &str,
) -> Result<Result<(), ApiError>, StoreError> {
    Ok(
        match repo::resellers::get(c, &Scope::System, reseller_id)? {
            Some(r) if r.status == "active" => Ok(()),
            Some(_) => Err(ApiError::new(
                Code::ResellerSuspended,
                "This account's reseller is suspended",
            )),
            None => Err(ApiError::new(
                Code::ResellerSuspended,
                "This account's reseller has been deleted",
            )),
        },
    )
}
