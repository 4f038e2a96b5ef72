//! Whether an account may still act: the user, its tenant and its reseller must all be
//! active. Checked on every credential path — login, refresh, each API-key and access-token
//! request, and periodically on open WebSockets — so suspending (or deleting) any one of
//! the three cuts off everything below it at once.

use crate::error::{ApiError, Code};
use crate::store::repo::{self, users::UserRow};
use crate::store::{DbConn, StoreError};
use crate::tenancy::Scope;

/// Why an account may not act, or `Ok` with the reseller it belongs to (directly, for a
/// reseller admin, or through its tenant).
pub type Standing = Result<Option<String>, ApiError>;

/// Checks `user`, its tenant and its reseller. Must run in the system scope.
pub fn check(c: &mut DbConn, user: &UserRow) -> Result<Standing, StoreError> {
    if user.status != "active" {
        return Ok(Err(ApiError::forbidden("This account is suspended")));
    }
    let reseller_id = match &user.tenant_id {
        Some(tid) => match repo::tenants::get(c, &Scope::System, tid)? {
            Some(t) if t.status == "active" => t.reseller_id,
            _ => {
                return Ok(Err(ApiError::new(
                    Code::TenantSuspended,
                    "This account's tenant is suspended",
                )))
            }
        },
        None => user.reseller_id.clone(),
    };
    if let Some(rid) = &reseller_id {
        if let Err(e) = reseller_active(c, rid)? {
            return Ok(Err(e));
        }
    }
    Ok(Ok(reseller_id))
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
