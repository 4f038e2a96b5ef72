//! Erasing a person (docs/data-lifecycle.md): what GDPR's right to erasure asks of the
//! service. The account row stays, as jobs, files, usage and the audit log refer to its id,
//! but nothing in it, or in what points to it, says who the person was:
//!
//! - the account: email replaced by `erased-<id>@erased.invalid`, names and last login
//!   cleared, a password hash no password matches, status `deleted`, `erased_at` set, every
//!   access token ended (session epoch);
//! - its sessions (refresh tokens) and reset/verification tokens deleted, its API keys
//!   revoked, its memberships ended;
//! - invitations to its address and mails to it: the address replaced, mails' subject and
//!   body erased, unsent ones given up;
//! - the audit log: entries keep that an action happened and by which account id; their
//!   client addresses go, and every detail naming the person's email (or, in entries by or
//!   about them, their name) reads `[erased]`;
//! - its personal data exports: rows and archives deleted.

use crate::store::repo::{self, users::UserRow};
use crate::store::{DbConn, StoreError};
use chrono::NaiveDateTime;

/// What erasing one account changed (for the `user.erase` audit entry).
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Erased {
    pub sessions: usize,
    pub one_time_tokens: usize,
    pub invitations: usize,
    pub mails: usize,
    pub audit_entries: usize,
    /// Storage keys of the person's export archives, whose rows are deleted: the caller
    /// removes the files once the transaction has committed.
    #[serde(skip)]
    pub export_archives: Vec<String>,
}

/// Erases `user` in the caller's transaction. The caller has checked that it may (and that
/// no tenant loses its last admin).
pub fn erase(conn: &mut DbConn, user: &UserRow, at: NaiveDateTime) -> Result<Erased, StoreError> {
    let anonymous = repo::users::erased_email(&user.id);
    let names: Vec<String> = [&user.first_name, &user.last_name]
        .into_iter()
        .flatten()
        .cloned()
        .chain(match (&user.first_name, &user.last_name) {
            (Some(f), Some(l)) => Some(format!("{f} {l}")),
            _ => None,
        })
        .collect();
    let audit_entries = repo::audit::scrub_person(conn, &user.id, &user.email, &names)?;
    repo::users::anonymise(conn, &user.id, at)?;
    let sessions = repo::refresh_tokens::delete_for_user(conn, &user.id)?;
    let one_time_tokens = repo::one_time_tokens::delete_for_user(conn, &user.id)?;
    repo::api_keys::revoke_for_user(conn, &user.id, at)?;
    repo::memberships::delete_for_user(conn, &user.id)?;
    let invitations = repo::invitations::anonymise_email(conn, &user.email, &anonymous, at)?;
    let mails = repo::email_outbox::scrub_address(conn, &user.email, &anonymous)?;
    let export_archives = repo::data_exports::delete_of_subject(conn, &user.id)?;
    Ok(Erased {
        sessions,
        one_time_tokens,
        invitations,
        mails,
        audit_entries,
        export_archives,
    })
}
