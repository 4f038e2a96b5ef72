//! Request rate limits per tenant and per API key (GCRA token buckets).
//!
//! Every authenticated request of a tenant's caller (a tenant user's access token or an API
//! key) takes one token from the tenant's bucket and, for an API key, one from the key's
//! bucket, in [`crate::auth::Authed`]'s extraction — once per request, before the handler
//! reads the body. Platform and reseller callers (no tenant) are not limited; neither are
//! routes that authenticate no one (health, login, refresh, docs, the OpenAPI document) nor
//! the WebSocket (its sessions are capped per tenant instead).
//!
//! **Limits**: the tenant's plan (`requests_per_minute`, `key_requests_per_minute`, see
//! [`crate::plan_features::PlanFeatures::rate_limits`]); a plan that sets none gets the
//! server's `VOXFLOW_RATE_LIMIT_PER_MINUTE` (tenant) and `VOXFLOW_KEY_RATE_LIMIT_PER_MINUTE`
//! (key); `0` means no limit, at either level.
//!
//! **Algorithm** (GCRA, the generic cell rate algorithm): a bucket of `limit` requests per
//! 60-second window keeps one number, its *theoretical arrival time* (TAT). A request at
//! `now` is allowed when `max(TAT, now) + T - now <= W` (T = W / limit, the emission
//! interval; W = 60 s), and then sets `TAT = max(TAT, now) + T`. So a full bucket admits a
//! burst of `limit` requests, then one every `T`. A TAT in the past is the same as no row,
//! which makes forgetting idle buckets lossless.
//!
//! The check runs in the transaction that authenticates the request (the tenant's plan is
//! read there too), so it costs a few statements, never a transaction of its own.
//!
//! **Where the TAT lives**: on PostgreSQL in the `rate_limits` table, updated by one
//! `INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING` per bucket (both buckets in one call
//! of the `vf_rate_take` function: one round trip), timed by the database's clock, so any number of `voxflow serve` processes share each limit exactly; on SQLite
//! (one process) in a mutex-guarded map, pruned of idle buckets when it grows past
//! [`MAX_MEMORY_BUCKETS`]. The key's bucket is checked first: a key over its own limit
//! spends none of its tenant's requests; a request the tenant's bucket refuses gives the
//! key's token back.
//!
//! **Leases (PostgreSQL)**: a round trip per request would make every authenticated read a
//! write. Instead a process takes a *lease* of `k` tokens from a shared bucket in one call
//! (`k` = 1 % of the limit, between 1 and [`MAX_LEASE`]) and serves the next `k - 1` requests
//! of that bucket from memory. A lease lives [`LEASE_TTL_US`]; its unused tokens are handed
//! back in the same statement that takes the next lease (net interval `(k - unused) · T`),
//! so the shared TAT always counts every token some process used or holds: the limit is
//! never exceeded by more than the tokens of one lease per process used late (≤ 1 % of the
//! limit each), and limits under 200 a minute (`k` = 1) stay exact. Near the limit, where a
//! whole lease no longer fits, the process asks for one token.

use crate::plan_features::{PlanFeatures, RateLimits};
use crate::store::{DbConn, StoreError};
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

/// The window every limit is expressed over (µs).
pub const WINDOW_US: i64 = 60_000_000;

/// Idle buckets are forgotten when the in-process map holds more than this many.
pub const MAX_MEMORY_BUCKETS: usize = 100_000;

/// The most tokens one lease takes from a shared (PostgreSQL) bucket.
pub const MAX_LEASE: u32 = 1_000;

/// How long a lease's tokens may be used (µs); later they go back to the bucket.
pub const LEASE_TTL_US: i64 = 1_000_000;

/// Tokens of one shared bucket this process took ahead of use.
#[derive(Debug, Clone)]
struct Lease {
    /// Tokens left to hand out.
    tokens: u32,
    /// Local clock (µs, [`RateLimiter::now_us`]) after which the lease is not used.
    expires_us: i64,
    /// The bucket as the database left it when the lease was taken (the lease excluded).
    state: BucketState,
}

/// Lease size for a limit: 1 % of it, at least 1, at most [`MAX_LEASE`].
fn lease_size(limit: u32) -> u32 {
    (limit / 100).clamp(1, MAX_LEASE)
}

/// One bucket's state after a check, for the `RateLimit` headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketState {
    /// `tenant` or `key` (the policy's name in the headers).
    pub policy: &'static str,
    pub limit: u32,
    pub remaining: u32,
    /// Seconds until the bucket is full again.
    pub reset_secs: u64,
}

/// The outcome of a request's check, kept in the request's extensions so the response
/// carries the headers (see `app::observe`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RateOutcome {
    pub buckets: Vec<BucketState>,
    /// Refused: seconds until a request would be allowed (`Retry-After`).
    pub retry_after: Option<u64>,
}

impl RateOutcome {
    /// `RateLimit-Policy` (draft-ietf-httpapi-ratelimit-headers-11): `"tenant";q=600;w=60`.
    pub fn policy_header(&self) -> Option<String> {
        (!self.buckets.is_empty()).then(|| {
            self.buckets
                .iter()
                .map(|b| format!("\"{}\";q={};w=60", b.policy, b.limit))
                .collect::<Vec<_>>()
                .join(", ")
        })
    }

    /// `RateLimit` (same draft): `"tenant";r=599;t=1`.
    pub fn state_header(&self) -> Option<String> {
        (!self.buckets.is_empty()).then(|| {
            self.buckets
                .iter()
                .map(|b| format!("\"{}\";r={};t={}", b.policy, b.remaining, b.reset_secs))
                .collect::<Vec<_>>()
                .join(", ")
        })
    }
}

/// Each bucket's state: the one a check just got from the database, else what the
/// database had left plus what this process still holds in its lease.
fn outcome_with_leases(
    leases: &HashMap<String, Lease>,
    buckets: &[Bucket],
    mut states: Vec<Option<BucketState>>,
) -> RateOutcome {
    let mut out = RateOutcome::default();
    for (i, b) in buckets.iter().enumerate() {
        let state = match states[i].take() {
            Some(s) => s,
            None => match leases.get(&b.key) {
                Some(l) => BucketState {
                    remaining: l.state.remaining.saturating_add(l.tokens).min(b.limit),
                    ..l.state.clone()
                },
                None => continue,
            },
        };
        out.buckets.push(state);
    }
    out
}

/// A bucket to take a token from.
#[derive(Debug, Clone)]
struct Bucket {
    policy: &'static str,
    key: String,
    tenant_id: String,
    limit: u32,
}

impl Bucket {
    fn interval(&self) -> i64 {
        (WINDOW_US / i64::from(self.limit.max(1))).max(1)
    }
}

/// GCRA on one bucket: the new TAT when allowed, else `Err(wait µs)`.
fn gcra(tat: Option<i64>, now: i64, interval: i64) -> Result<i64, i64> {
    let base = tat.map_or(now, |t| t.max(now));
    let new_tat = base + interval;
    if new_tat - now <= WINDOW_US {
        Ok(new_tat)
    } else {
        Err(new_tat - now - WINDOW_US)
    }
}

fn state(b: &Bucket, tat: i64, now: i64) -> BucketState {
    let used = (tat - now).max(0);
    let remaining = (WINDOW_US - used) / b.interval();
    BucketState {
        policy: b.policy,
        limit: b.limit,
        remaining: u32::try_from(remaining.clamp(0, i64::from(b.limit))).unwrap_or(0),
        reset_secs: secs_ceil(used),
    }
}

fn secs_ceil(us: i64) -> u64 {
    u64::try_from((us.max(0) + 999_999) / 1_000_000).unwrap_or(0)
}

/// The limiter: server defaults plus where the buckets live.
pub struct RateLimiter {
    default_tenant: u32,
    default_key: u32,
    started: Instant,
    memory: Mutex<HashMap<String, i64>>,
    /// Leases of shared buckets (PostgreSQL), by bucket key.
    leases: Mutex<HashMap<String, Lease>>,
    /// Last time (µs, database clock) this process deleted idle rows on PostgreSQL.
    last_prune: AtomicI64,
}

impl RateLimiter {
    pub fn new(default_tenant_per_minute: u32, default_key_per_minute: u32) -> Self {
        Self {
            default_tenant: default_tenant_per_minute,
            default_key: default_key_per_minute,
            started: Instant::now(),
            memory: Mutex::new(HashMap::new()),
            leases: Mutex::new(HashMap::new()),
            last_prune: AtomicI64::new(0),
        }
    }

    /// The limits that apply (plan first, server default otherwise; 0 = none).
    fn limits(&self, plan: RateLimits) -> (u32, u32) {
        (
            plan.tenant_per_minute.unwrap_or(self.default_tenant),
            plan.key_per_minute.unwrap_or(self.default_key),
        )
    }

    fn buckets(&self, plan: RateLimits, tenant_id: &str, key_id: Option<&str>) -> Vec<Bucket> {
        let (tenant_limit, key_limit) = self.limits(plan);
        let mut out = Vec::with_capacity(2);
        if let Some(key) = key_id.filter(|_| key_limit > 0) {
            out.push(Bucket {
                policy: "key",
                key: format!("k:{key}"),
                tenant_id: tenant_id.to_string(),
                limit: key_limit,
            });
        }
        if tenant_limit > 0 {
            out.push(Bucket {
                policy: "tenant",
                key: format!("t:{tenant_id}"),
                tenant_id: tenant_id.to_string(),
                limit: tenant_limit,
            });
        }
        out
    }

    /// Takes one request from the tenant's (and the key's) bucket, on the connection of the
    /// transaction that authenticated the request (so the check adds no transaction of its
    /// own): one atomic statement per bucket on PostgreSQL, the in-process map on SQLite.
    pub fn check_in(
        &self,
        c: &mut DbConn,
        features: &PlanFeatures,
        tenant_id: &str,
        key_id: Option<&str>,
    ) -> Result<RateOutcome, StoreError> {
        let buckets = self.buckets(features.rate_limits(), tenant_id, key_id);
        if buckets.is_empty() {
            return Ok(RateOutcome::default());
        }
        match c {
            DbConn::Postgres(_) => self.check_pg(c, &buckets),
            DbConn::Sqlite(_) => Ok(self.check_memory(&buckets)),
        }
    }

    fn now_us(&self) -> i64 {
        // Offset so a fresh process never sees a TAT "from before it started" as negative.
        i64::try_from(self.started.elapsed().as_micros()).unwrap_or(i64::MAX) + WINDOW_US
    }

    fn check_memory(&self, buckets: &[Bucket]) -> RateOutcome {
        if buckets.is_empty() {
            return RateOutcome::default();
        }
        let mut map = self.memory.lock().unwrap_or_else(|e| e.into_inner());
        let now = self.now_us();
        let mut out = RateOutcome::default();
        let mut taken: Vec<(&Bucket, Option<i64>)> = Vec::new();
        for b in buckets {
            let old = map.get(&b.key).copied();
            match gcra(old, now, b.interval()) {
                Ok(tat) => {
                    map.insert(b.key.clone(), tat);
                    taken.push((b, old));
                    out.buckets.push(state(b, tat, now));
                }
                Err(wait) => {
                    // Give back what earlier buckets took for this request.
                    for (tb, old) in taken.drain(..) {
                        match old {
                            Some(t) => map.insert(tb.key.clone(), t),
                            None => map.remove(&tb.key),
                        };
                    }
                    out.buckets = buckets
                        .iter()
                        .map(|x| state(x, map.get(&x.key).copied().unwrap_or(now), now))
                        .collect();
                    out.retry_after = Some(secs_ceil(wait).max(1));
                    return out;
                }
            }
        }
        if map.len() > MAX_MEMORY_BUCKETS {
            // A TAT in the past is a full bucket: dropping it forgets nothing.
            map.retain(|_, tat| *tat > now);
        }
        out
    }

    /// PostgreSQL: serve from this process's leases where they have tokens left, and take
    /// a new lease (handing back an expired one's unused tokens) for the other buckets in
    /// one `vf_rate_take` call.
    fn check_pg(&self, c: &mut DbConn, buckets: &[Bucket]) -> Result<RateOutcome, StoreError> {
        let now = self.now_us();
        // 1. Tokens from live leases; the rest need the database, with what they give back.
        let mut from_lease: Vec<usize> = Vec::new();
        // (bucket index, unused tokens handed back, whether a whole lease is likely to fit)
        let mut need: Vec<(usize, u32, bool)> = Vec::new();
        {
            let mut leases = self.leases.lock().unwrap_or_else(|e| e.into_inner());
            for (i, b) in buckets.iter().enumerate() {
                match leases.get_mut(&b.key) {
                    Some(l) if l.tokens > 0 && l.expires_us > now => {
                        l.tokens -= 1;
                        from_lease.push(i);
                    }
                    Some(l) => {
                        // Expired or spent: hand back what is left, and ask for one token
                        // only when the bucket was nearly empty last time.
                        let fits = l.state.remaining >= lease_size(b.limit);
                        need.push((i, std::mem::take(&mut l.tokens), fits));
                    }
                    None => need.push((i, 0, true)),
                }
            }
        }
        let mut states: Vec<Option<BucketState>> = vec![None; buckets.len()];
        if !need.is_empty() {
            // A whole lease first; near the limit, where it does not fit, one token.
            let whole = need.iter().all(|n| n.2);
            let mut taken = self.take_pg(c, buckets, &need, whole)?;
            if whole
                && taken.is_err()
                && need.iter().any(|&(i, ..)| lease_size(buckets[i].limit) > 1)
            {
                taken = self.take_pg(c, buckets, &need, false)?;
            }
            match taken {
                Ok(granted) => {
                    let mut leases = self.leases.lock().unwrap_or_else(|e| e.into_inner());
                    if leases.len() > MAX_MEMORY_BUCKETS {
                        leases.retain(|_, l| l.expires_us > now);
                    }
                    for (i, size, state) in granted {
                        states[i] = Some(state.clone());
                        leases.insert(
                            buckets[i].key.clone(),
                            Lease {
                                tokens: size.saturating_sub(1),
                                expires_us: now + LEASE_TTL_US,
                                state,
                            },
                        );
                    }
                }
                Err((n, refused)) => {
                    let mut leases = self.leases.lock().unwrap_or_else(|e| e.into_inner());
                    // Give back the tokens this request took from leases, and remember the
                    // refusing bucket as empty (the next request asks for one token).
                    for &i in &from_lease {
                        if let Some(l) = leases.get_mut(&buckets[i].key) {
                            l.tokens += 1;
                        }
                    }
                    if let Some(state) = refused.buckets.first() {
                        leases.insert(
                            buckets[n].key.clone(),
                            Lease {
                                tokens: 0,
                                expires_us: now,
                                state: state.clone(),
                            },
                        );
                    }
                    return Ok(refused);
                }
            }
        }
        let leases = self.leases.lock().unwrap_or_else(|e| e.into_inner());
        Ok(outcome_with_leases(&leases, buckets, states))
    }

    /// [`RateLimiter::check_in`] without a database connection: `None` when the check
    /// needs one (on PostgreSQL, a bucket whose lease is spent or expired), and then
    /// nothing is taken. The fast path of a request whose credential is cached.
    pub fn check_in_memory(
        &self,
        backend: crate::store::Backend,
        features: &PlanFeatures,
        tenant_id: &str,
        key_id: Option<&str>,
    ) -> Option<RateOutcome> {
        let buckets = self.buckets(features.rate_limits(), tenant_id, key_id);
        if buckets.is_empty() {
            return Some(RateOutcome::default());
        }
        if backend == crate::store::Backend::Sqlite {
            return Some(self.check_memory(&buckets));
        }
        let now = self.now_us();
        let mut leases = self.leases.lock().unwrap_or_else(|e| e.into_inner());
        let all_leased = buckets.iter().all(|b| {
            leases
                .get(&b.key)
                .is_some_and(|l| l.tokens > 0 && l.expires_us > now)
        });
        if !all_leased {
            return None;
        }
        for b in &buckets {
            if let Some(l) = leases.get_mut(&b.key) {
                l.tokens -= 1;
            }
        }
        Some(outcome_with_leases(
            &leases,
            &buckets,
            vec![None; buckets.len()],
        ))
    }

    /// One `vf_rate_take` call for the buckets in `need` (index, unused tokens to give
    /// back, …): a lease each when `whole`, else one token each. `Ok` lists (index, tokens
    /// taken, state after); `Err` is the refusing bucket's index and the refusal to answer.
    #[allow(clippy::type_complexity)]
    fn take_pg(
        &self,
        c: &mut DbConn,
        buckets: &[Bucket],
        need: &[(usize, u32, bool)],
        whole: bool,
    ) -> Result<Result<Vec<(usize, u32, BucketState)>, (usize, RateOutcome)>, StoreError> {
        use diesel::sql_types::{Array, BigInt, Bool, Integer, Text};
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = Integer)]
            bucket: i32,
            #[diesel(sql_type = BigInt)]
            tat: i64,
            #[diesel(sql_type = BigInt)]
            clock_us: i64,
            #[diesel(sql_type = Bool)]
            ok: bool,
        }
        let DbConn::Postgres(pg) = c else {
            return Err(StoreError::Query("rate limits: not PostgreSQL".into()));
        };
        let sizes: Vec<u32> = need
            .iter()
            .map(|&(i, ..)| {
                if whole {
                    lease_size(buckets[i].limit)
                } else {
                    1
                }
            })
            .collect();
        let keys: Vec<String> = need.iter().map(|&(i, ..)| buckets[i].key.clone()).collect();
        // Net interval: the tokens taken minus the unused ones handed back (may be negative:
        // a token already counted is reused, which always fits).
        let intervals: Vec<i64> = need
            .iter()
            .zip(&sizes)
            .map(|(&(i, unused, _), &size)| {
                (i64::from(size) - i64::from(unused)) * buckets[i].interval()
            })
            .collect();
        let tenant = buckets
            .first()
            .map(|b| b.tenant_id.clone())
            .unwrap_or_default();
        // One round trip: every bucket's atomic upsert, in order, in the database function
        // (migrations/postgres/…_rate_limits), timed by the database's clock.
        let rows: Vec<Row> =
            diesel::sql_query("SELECT bucket, tat, clock_us, ok FROM vf_rate_take($1, $2, $3, $4)")
                .bind::<Array<Text>, _>(&keys)
                .bind::<Array<BigInt>, _>(&intervals)
                .bind::<Text, _>(&tenant)
                .bind::<BigInt, _>(WINDOW_US)
                .load(pg)?;
        let mut granted = Vec::with_capacity(need.len());
        let mut now = 0;
        for row in &rows {
            let Some(n) = usize::try_from(row.bucket - 1)
                .ok()
                .filter(|&n| n < need.len())
            else {
                continue;
            };
            let b = &buckets[need[n].0];
            now = row.clock_us;
            if row.ok {
                granted.push((need[n].0, sizes[n], state(b, row.tat, now)));
            } else {
                let wait = gcra(Some(row.tat), now, b.interval()).err().unwrap_or(1);
                return Ok(Err((
                    need[n].0,
                    RateOutcome {
                        buckets: vec![state(b, row.tat, now)],
                        retry_after: Some(secs_ceil(wait).max(1)),
                    },
                )));
            }
        }
        // Idle rows (time in the past) are full buckets: delete them now and then.
        let last = self.last_prune.load(Ordering::Relaxed);
        if now > 0
            && now - last > WINDOW_US
            && self
                .last_prune
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            diesel::sql_query("DELETE FROM rate_limits WHERE tat_us < $1")
                .bind::<BigInt, _>(now)
                .execute(pg)?;
        }
        Ok(Ok(granted))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter() -> RateLimiter {
        RateLimiter::new(3, 0)
    }

    #[test]
    fn a_burst_of_limit_then_refused_with_a_wait() {
        let l = limiter();
        let b = l.buckets(RateLimits::default(), "t1", None);
        for i in 0..3 {
            let o = l.check_memory(&b);
            assert_eq!(o.retry_after, None, "request {i}");
            assert_eq!(o.buckets[0].remaining, 2 - i);
        }
        let o = l.check_memory(&b);
        let wait = o.retry_after.unwrap_or(0);
        assert!((19..=20).contains(&wait), "{o:?}");
        assert_eq!(o.policy_header().as_deref(), Some("\"tenant\";q=3;w=60"));
        // Another tenant has its own bucket.
        let other = l.buckets(RateLimits::default(), "t2", None);
        assert_eq!(l.check_memory(&other).retry_after, None);
    }

    #[test]
    fn a_key_over_its_limit_spends_nothing_of_the_tenant() {
        let l = limiter();
        let plan = RateLimits {
            tenant_per_minute: Some(5),
            key_per_minute: Some(2),
        };
        let k = l.buckets(plan, "t", Some("k1"));
        assert_eq!(k.len(), 2);
        assert!(l.check_memory(&k).retry_after.is_none());
        assert!(l.check_memory(&k).retry_after.is_none());
        assert!(l.check_memory(&k).retry_after.is_some(), "key limit");
        // The tenant spent 2 of its 5: three more for another key.
        let k2 = l.buckets(plan, "t", Some("k2"));
        assert!(l.check_memory(&k2).retry_after.is_none());
        assert!(l.check_memory(&k2).retry_after.is_none());
        let t = l.buckets(plan, "t", None);
        let o = l.check_memory(&t);
        assert_eq!(o.retry_after, None);
        assert_eq!(o.buckets[0].remaining, 0);
        // Tenant refused: the key's token is given back.
        let k3 = l.buckets(plan, "t", Some("k3"));
        assert!(l.check_memory(&k3).retry_after.is_some());
        let map = l.memory.lock().unwrap_or_else(|e| e.into_inner());
        assert!(!map.contains_key("k:k3"));
    }

    #[test]
    fn zero_means_no_limit() {
        let l = RateLimiter::new(0, 0);
        assert!(l.buckets(RateLimits::default(), "t", Some("k")).is_empty());
        let plan = RateLimits {
            tenant_per_minute: Some(0),
            key_per_minute: None,
        };
        assert!(RateLimiter::new(5, 0).buckets(plan, "t", None).is_empty());
    }
}
