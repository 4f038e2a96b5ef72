//! Failed-login throttling per account and per client IP (sliding window, in memory).
//!
//! Check and count are one step: [`LoginThrottle::reserve`] refuses when the account or
//! the address is at its limit and otherwise records the attempt *before* the password is
//! checked, under one lock. An attempt counts as a failure unless the caller reports it a
//! success ([`Attempt::succeeded`]) or hands it back unchecked ([`Attempt::release`]), so
//! however many guesses arrive at once, at most `max_per_account` of them are ever
//! verified per window. A request dropped midway (client gone) keeps its attempt counted.
//!
//! Kept per process: with several API processes each counts its own failures, so the
//! effective limit is per process. That bounds online guessing well enough for argon2id
//! hashes; a shared counter can come with the PostgreSQL deployment if needed.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct LoginThrottle {
    max_per_account: usize,
    max_per_ip: usize,
    window: Duration,
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

/// One login attempt, counted in the throttle from the moment it was reserved.
#[must_use = "an attempt counts as a failure unless it is reported a success or released"]
pub struct Attempt<'a> {
    throttle: &'a LoginThrottle,
    account: String,
    ip: String,
    at: Instant,
}

impl Attempt<'_> {
    /// The password was right: the account's failures are forgotten, and this attempt no
    /// longer counts against the address.
    pub fn succeeded(self) {
        let mut map = self.throttle.lock();
        map.remove(&self.account);
        remove_one(&mut map, &self.ip, self.at);
    }

    /// The attempt was never checked (e.g. the server was too busy): it counts for nothing.
    pub fn release(self) {
        let mut map = self.throttle.lock();
        remove_one(&mut map, &self.account, self.at);
        remove_one(&mut map, &self.ip, self.at);
    }

    /// The attempt failed; it stays counted (the same as dropping it).
    pub fn failed(self) {}
}

fn remove_one(map: &mut HashMap<String, VecDeque<Instant>>, key: &str, at: Instant) {
    if let Some(q) = map.get_mut(key) {
        if let Some(i) = q.iter().rposition(|t| *t == at) {
            q.remove(i);
        }
        if q.is_empty() {
            map.remove(key);
        }
    }
}

impl LoginThrottle {
    pub fn new(max_per_account: u32, window: Duration) -> Self {
        Self {
            max_per_account: max_per_account as usize,
            max_per_ip: (max_per_account as usize).saturating_mul(4),
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, VecDeque<Instant>>> {
        self.failures.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Reserves one attempt for `email` from `ip`, or says how many seconds to wait when
    /// either is at its limit (nothing is counted then).
    pub fn reserve(&self, email: &str, ip: &str) -> Result<Attempt<'_>, u64> {
        let mut map = self.lock();
        let now = Instant::now();
        let account = account_key(email);
        let ip = ip_key(ip);
        for (key, max) in [(&account, self.max_per_account), (&ip, self.max_per_ip)] {
            if let Some(wait) = self.wait(&mut map, key, max, now) {
                return Err(wait);
            }
        }
        for key in [&account, &ip] {
            map.entry(key.clone()).or_default().push_back(now);
        }
        // Forget idle entries so the map cannot grow without bound.
        if map.len() > 100_000 {
            map.retain(|_, q| {
                q.back()
                    .is_some_and(|t| now.duration_since(*t) < self.window)
            });
        }
        Ok(Attempt {
            throttle: self,
            account,
            ip,
            at: now,
        })
    }

    /// Seconds to wait if `key` has `max` attempts in the window (expired ones are dropped).
    fn wait(
        &self,
        map: &mut HashMap<String, VecDeque<Instant>>,
        key: &str,
        max: usize,
        now: Instant,
    ) -> Option<u64> {
        let q = map.get_mut(key)?;
        while q
            .front()
            .is_some_and(|t| now.duration_since(*t) > self.window)
        {
            q.pop_front();
        }
        if q.len() >= max {
            let oldest = *q.front()?;
            Some(
                self.window
                    .saturating_sub(now.duration_since(oldest))
                    .as_secs()
                    .max(1),
            )
        } else {
            None
        }
    }

    /// Seconds to wait if the account or IP is over its limit (counts nothing).
    pub fn blocked(&self, email: &str, ip: &str) -> Option<u64> {
        let mut map = self.lock();
        let now = Instant::now();
        self.wait(&mut map, &account_key(email), self.max_per_account, now)
            .or_else(|| self.wait(&mut map, &ip_key(ip), self.max_per_ip, now))
    }
}

fn account_key(email: &str) -> String {
    format!("a:{}", email.to_lowercase())
}

fn ip_key(ip: &str) -> String {
    format!("i:{ip}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_max_failures_and_resets_on_success() {
        let t = LoginThrottle::new(3, Duration::from_secs(60));
        for _ in 0..3 {
            t.reserve("a@x.io", "1.1.1.1").expect("allowed").failed();
        }
        assert!(
            t.reserve("A@x.io", "2.2.2.2").is_err(),
            "per account, case-insensitive"
        );
        assert!(
            t.blocked("b@x.io", "1.1.1.1").is_none(),
            "IP limit is higher"
        );
        // A success clears the account (here: after the window of one failure is released).
        let t = LoginThrottle::new(3, Duration::from_secs(60));
        t.reserve("a@x.io", "1.1.1.1").expect("allowed").failed();
        t.reserve("a@x.io", "1.1.1.1").expect("allowed").succeeded();
        assert!(t.blocked("a@x.io", "1.1.1.1").is_none());
        for _ in 0..3 {
            t.reserve("a@x.io", "1.1.1.1").expect("cleared").failed();
        }
        assert!(t.reserve("a@x.io", "1.1.1.1").is_err());
    }

    #[test]
    fn reservations_count_before_the_check_and_release_gives_them_back() {
        let t = LoginThrottle::new(2, Duration::from_secs(60));
        let a = t.reserve("a@x.io", "1.1.1.1").expect("first");
        let b = t.reserve("a@x.io", "1.1.1.1").expect("second");
        assert!(
            t.reserve("a@x.io", "1.1.1.1").is_err(),
            "two in flight fill the account's limit"
        );
        a.release();
        let c = t.reserve("a@x.io", "1.1.1.1").expect("released slot");
        drop(b);
        drop(c);
        assert!(t.reserve("a@x.io", "1.1.1.1").is_err(), "dropped = failed");
    }

    #[test]
    fn blocks_an_ip_spraying_many_accounts() {
        let t = LoginThrottle::new(2, Duration::from_secs(60));
        for i in 0..8 {
            t.reserve(&format!("user{i}@x.io"), "9.9.9.9")
                .expect("allowed")
                .failed();
        }
        assert!(t.reserve("fresh@x.io", "9.9.9.9").is_err());
        assert!(t.blocked("fresh@x.io", "8.8.8.8").is_none());
    }
}
