//! Delivers the outbox over SMTP (`VOXFLOW_SMTP_URL`): claims due mails, sends each, and
//! records the outcome — sent, retried later with exponential backoff, or after the last
//! attempt given up (`failed`, kept with its last error). Any number of processes may run
//! it against one PostgreSQL database: a claim is a conditional update with a lease.
//! Without an SMTP URL nothing is sent; the mails wait in the outbox and the log says how
//! many.

use crate::store::{self, repo, Store};
use crate::tenancy::Scope;
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct SenderOptions {
    /// `smtp://user:pass@host:587?tls=required` (STARTTLS), `smtps://…:465` (TLS) or
    /// `smtp://host:25` (plain, for a relay on the same host). None: do not send.
    pub smtp_url: Option<String>,
    /// The envelope and `From:` address; the display name is the mail's `from_name`.
    pub from_address: String,
    /// The first retry waits this long; each next one twice as long (at most six hours).
    pub retry_base: Duration,
    /// Attempts before a mail is given up.
    pub max_attempts: i32,
}

/// How long a claimed mail is held by its sender before another may take it over.
const LEASE: Duration = Duration::from_secs(120);
/// One SMTP conversation at most.
const SEND_TIMEOUT: Duration = Duration::from_secs(30);

/// When the next attempt after `attempts` failed ones is due, or None to give up.
pub fn retry_delay(attempts: i32, base: Duration, max_attempts: i32) -> Option<Duration> {
    if attempts >= max_attempts {
        return None;
    }
    let factor = 1u32 << (attempts.clamp(1, 16) - 1) as u32;
    Some((base * factor).min(Duration::from_secs(6 * 3600)))
}

fn message(row: &repo::email_outbox::OutboxRow, from_address: &str) -> Result<Message, String> {
    let from = Mailbox::new(
        Some(row.from_name.clone()),
        from_address
            .parse()
            .map_err(|e| format!("VOXFLOW_SMTP_FROM {from_address:?}: {e}"))?,
    );
    let to: Mailbox = row
        .to_address
        .parse()
        .map_err(|e| format!("recipient {:?}: {e}", row.to_address))?;
    Message::builder()
        .from(from)
        .to(to)
        .subject(row.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(row.body_text.clone())
        .map_err(|e| e.to_string())
}

/// Runs until the task is dropped.
pub async fn run(store: Store, opts: SenderOptions) {
    let Some(url) = opts.smtp_url.clone().filter(|u| !u.is_empty()) else {
        keep_mail(store).await;
        return;
    };
    let transport = match AsyncSmtpTransport::<Tokio1Executor>::from_url(&url) {
        Ok(b) => b.timeout(Some(SEND_TIMEOUT)).build(),
        Err(e) => {
            tracing::error!(error = %e, "VOXFLOW_SMTP_URL is not a usable SMTP URL: mail stays in the outbox");
            keep_mail(store).await;
            return;
        }
    };
    tracing::info!("email sender started");
    loop {
        let claimed = store
            .write(Scope::System, |c| {
                repo::email_outbox::claim_due(
                    c,
                    store::now(),
                    chrono::TimeDelta::from_std(LEASE).unwrap_or_default(),
                    10,
                )
            })
            .await;
        let rows = match claimed {
            Ok(rows) => rows,
            Err(e) => {
                tracing::warn!(error = %e, "outbox not read");
                tokio::time::sleep(Duration::from_secs(5)).await;
                continue;
            }
        };
        if rows.is_empty() {
            tokio::time::sleep(Duration::from_millis(500)).await;
            continue;
        }
        for row in rows {
            let outcome = match message(&row, &opts.from_address) {
                Ok(m) => transport
                    .send(m)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string()),
                Err(e) => Err(e),
            };
            let attempts = row.attempts + 1;
            let retry_at = match &outcome {
                Ok(()) => None,
                Err(_) => retry_delay(attempts, opts.retry_base, opts.max_attempts)
                    .map(|d| store::now() + chrono::TimeDelta::from_std(d).unwrap_or_default()),
            };
            match &outcome {
                Ok(()) => tracing::info!(mail = %row.id, kind = %row.kind, "mail sent"),
                Err(e) if retry_at.is_some() => {
                    tracing::warn!(mail = %row.id, attempts, error = %e, "mail not sent; will retry")
                }
                Err(e) => {
                    tracing::error!(mail = %row.id, attempts, error = %e, "mail given up")
                }
            }
            let id = row.id.clone();
            if let Err(e) = store
                .write(Scope::System, move |c| {
                    repo::email_outbox::record_attempt(c, &id, store::now(), outcome, retry_at)
                })
                .await
            {
                tracing::warn!(mail = %row.id, error = %e, "mail outcome not recorded");
            }
        }
    }
}

/// No SMTP server: the outbox keeps every mail; say so when the count changes.
async fn keep_mail(store: Store) {
    let mut last = -1;
    loop {
        if let Ok(n) = store
            .read(Scope::System, repo::email_outbox::pending_count)
            .await
        {
            if n != last {
                tracing::warn!(
                    pending = n,
                    "VOXFLOW_SMTP_URL is not set: mail is kept in the outbox, not sent"
                );
                last = n;
            }
        }
        tokio::time::sleep(Duration::from_secs(30)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially_and_stop() {
        let base = Duration::from_secs(30);
        assert_eq!(retry_delay(1, base, 8), Some(Duration::from_secs(30)));
        assert_eq!(retry_delay(2, base, 8), Some(Duration::from_secs(60)));
        assert_eq!(retry_delay(5, base, 8), Some(Duration::from_secs(480)));
        assert_eq!(retry_delay(7, base, 8), Some(Duration::from_secs(1920)));
        assert_eq!(retry_delay(8, base, 8), None);
        assert_eq!(
            retry_delay(15, Duration::from_secs(3600), 20),
            Some(Duration::from_secs(6 * 3600))
        );
    }
}
