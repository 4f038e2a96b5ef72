//! Whether an account may still act: the user must be active, its membership in the tenant it
//! acts in must still exist, and that tenant and its reseller must not be deleted. Checked on
//! every credential path — login, refresh, switching, each API-key and access-token request,
//! and periodically on open WebSockets — so suspending or deleting the account, deleting the
//! tenant or reseller, or removing the membership cuts off everything below it at once.
//!
//! A **suspended** tenant or reseller is read-only rather than cut off: its people still sign
//! in, read and download what they have (and take a data export), but every change and every
//! new piece of work is refused with `tenant_suspended` / `reseller_suspended` (the seat's
//! `read_only`, enforced by [`crate::auth::extractor::Authed::require`]).

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
    /// Set when the tenant or reseller is suspended: why changes are refused.
    pub read_only: Option<Code>,
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
    /// The account may not act (suspended, deleted), or its tenant or reseller is deleted.
    Refused(ApiError),
}

/// Seats `user` in `tenant` (a tenant user's membership; `None` for platform and reseller
/// admins) and checks that the account is active and that tenant and its reseller still
/// exist (read-only when either is suspended). Must run in the system scope.
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
        let read_only = match &user.reseller_id {
            Some(rid) => match reseller_standing(c, rid)? {
                Ok(read_only) => read_only,
                Err(e) => return Ok(Seating::Refused(e)),
            },
            None => None,
        };
        return Ok(Seating::Seated(Seat {
            tenant_id: None,
            role,
            reseller_id: user.reseller_id.clone(),
            membership: None,
            read_only,
        }));
    }
    let Some(tid) = tenant else {
        return Ok(Seating::NotMember);
    };
    let Some(membership) = repo::memberships::get(c, &Scope::System, tid, &user.id)? else {
        return Ok(Seating::NotMember);
    };
    let (reseller_id, tenant_read_only) = match repo::tenants::get(c, &Scope::System, tid)? {
        Some(t) if t.status == "active" => (t.reseller_id, None),
        Some(t) if t.status == "suspended" => (t.reseller_id, Some(Code::TenantSuspended)),
        _ => {
            return Ok(Seating::Refused(ApiError::new(
                Code::TenantSuspended,
                "This account's tenant has been deleted",
            )))
        }
    };
    let reseller_read_only = match &reseller_id {
        Some(rid) => match reseller_standing(c, rid)? {
            Ok(read_only) => read_only,
            Err(e) => return Ok(Seating::Refused(e)),
        },
        None => None,
    };
    Ok(Seating::Seated(Seat {
        tenant_id: Some(tid.to_string()),
        role: Role::parse(&membership.role).unwrap_or(Role::Viewer),
        reseller_id,
        membership: Some(membership),
        // The reseller's suspension is the wider one: name it first.
        read_only: reseller_read_only.or(tenant_read_only),
    }))
}

/// Where a login that names no tenant lands: for a tenant user, the membership last signed in
/// to or switched to, else the oldest one — preferring tenants that may act fully, then
/// read-only ones (suspended); when none may, the refusal of the first. Must run in the
/// system scope.
pub fn default_seat(c: &mut DbConn, user: &UserRow) -> Result<Seating, StoreError> {
    let role = Role::parse(&user.role).unwrap_or(Role::Viewer);
    if user.status != "active" || !role.is_tenant_role() {
        return seat(c, user, None);
    }
    let mut all = repo::memberships::of_user(c, &Scope::System, &user.id)?;
    // Most recently used first; never used ones after them, oldest first (a stable sort keeps
    // the query's creation order among equals).
    all.sort_by_key(|m| std::cmp::Reverse(m.last_used_at));
    let (mut first_read_only, mut first_refusal) = (None, None);
    for m in &all {
        match seat(c, user, Some(&m.tenant_id))? {
            Seating::Seated(s) if s.read_only.is_none() => return Ok(Seating::Seated(s)),
            Seating::Seated(s) => {
                first_read_only.get_or_insert(s);
            }
            Seating::Refused(e) => {
                first_refusal.get_or_insert(e);
            }
            Seating::NotMember => {}
        }
    }
    Ok(match (first_read_only, first_refusal) {
        (Some(s), _) => Seating::Seated(s),
        (None, Some(e)) => Seating::Refused(e),
        (None, None) => Seating::NotMember,
    })
}

/// A reseller that exists: `Ok(None)` when active, `Ok(Some(reseller_suspended))` when
/// suspended (read-only); `Err(reseller_suspended)` when deleted.
pub fn reseller_standing(
    c: &mut DbConn,
    reseller_id: &str,
) -> Result<Result<Option<Code>, ApiError>, StoreError> {
    Ok(
        match repo::resellers::get(c, &Scope::System, reseller_id)? {
            Some(r) if r.status == "active" => Ok(None),
            Some(_) => Ok(Some(Code::ResellerSuspended)),
            None => Err(ApiError::new(
                Code::ResellerSuspended,
                "This account's reseller has been deleted",
            )),
        },
    )
}

/// `reseller_suspended` unless the reseller exists (not deleted) and is active: for what a
/// suspended reseller may not do at all (new work, new members).
pub fn reseller_active(
    c: &mut DbConn,
    reseller_id: &str,
) -> Result<Result<(), ApiError>, StoreError> {
    Ok(match reseller_standing(c, reseller_id)? {
        Ok(None) => Ok(()),
        Ok(Some(code)) => Err(suspended(code)),
        Err(e) => Err(e),
    })
}

/// The refusal of a change while the tenant or reseller is suspended.
pub fn suspended(code: Code) -> ApiError {
    let what = match code {
        Code::ResellerSuspended => "This account's reseller",
        _ => "This account's tenant",
    };
    ApiError::new(
        code,
        format!(
            "{what} is suspended: reads and downloads still work, changes and new work are refused"
        ),
    )
}
