//! Invitation events, the seam where email delivery hooks in.
//!
//! [`created`] runs inside the transaction that stores a new invitation, with the plain token
//! (which is stored nowhere: the row keeps only its SHA-256). Today nothing is mailed — the
//! inviting admin receives the token once in the `201` answer and passes it on. The email
//! outbox (issue 13, §5) is to write its mail row here, in the same transaction, so an
//! invitation and its mail are committed together or not at all.

use crate::store::repo::invitations::InvitationRow;
use crate::store::{DbConn, StoreError};

/// A new invitation, as the outbox will need it.
pub struct Created<'a> {
    pub invitation: &'a InvitationRow,
    /// The plain token (`vfi_…`): what the mail's accept link carries.
    pub token: &'a str,
    pub tenant_name: &'a str,
    /// The reseller whose branding the mail will use, if any.
    pub reseller_id: Option<&'a str>,
}

/// Called in the transaction that stores `event.invitation`.
pub fn created(_conn: &mut DbConn, event: &Created<'_>) -> Result<(), StoreError> {
    tracing::info!(
        invitation = %event.invitation.id,
        tenant = %event.invitation.tenant_id,
        tenant_name = %event.tenant_name,
        reseller = event.reseller_id.unwrap_or(""),
        token_chars = event.token.len(),
        "invitation created; no email is sent (there is no outbox yet): the inviting admin \
         received the token"
    );
    Ok(())
}
