//! Failed-login throttling per account and per client IP (sliding window, in memory).
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

impl LoginThrottle {
    pub fn new(max_per_account: u32, window: Duration) -> Self {
        Self {
            max_per_account: max_per_account as usize,
            max_per_ip: (max_per_account as usize).saturating_mul(4),
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// Seconds to wait if the account or IP is over its limit.
    pub fn blocked(&self, email: &str, ip: &str) -> Option<u64> {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let check = |map: &mut HashMap<String, VecDeque<Instant>>, key: String, max: usize| {
            let q = map.get_mut(&key)?;
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
        };
        check(&mut map, account_key(email), self.max_per_account)
            .or_else(|| check(&mut map, ip_key(ip), self.max_per_ip))
    }

    pub fn record_failure(&self, email: &str, ip: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        for key in [account_key(email), ip_key(ip)] {
            map.entry(key).or_default().push_back(now);
        }
        // Forget idle entries so the map cannot grow without bound.
        if map.len() > 100_000 {
            map.retain(|_, q| {
                q.back()
                    .is_some_and(|t| now.duration_since(*t) < self.window)
            });
        }
    }

    pub fn record_success(&self, email: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&account_key(email));
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
            assert!(t.blocked("a@x.io", "1.1.1.1").is_none());
            t.record_failure("a@x.io", "1.1.1.1");
        }
        assert!(
            t.blocked("A@x.io", "2.2.2.2").is_some(),
            "per account, case-insensitive"
        );
        assert!(
            t.blocked("b@x.io", "1.1.1.1").is_none(),
            "IP limit is higher"
        );
        t.record_success("a@x.io");
        assert!(t.blocked("a@x.io", "1.1.1.1").is_none());
    }

    #[test]
    fn blocks_an_ip_spraying_many_accounts() {
        let t = LoginThrottle::new(2, Duration::from_secs(60));
        for i in 0..8 {
            t.record_failure(&format!("user{i}@x.io"), "9.9.9.9");
        }
        assert!(t.blocked("fresh@x.io", "9.9.9.9").is_some());
        assert!(t.blocked("fresh@x.io", "8.8.8.8").is_none());
    }
}
