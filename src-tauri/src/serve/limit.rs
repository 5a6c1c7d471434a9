//! Per-client rate limit: a token bucket for each client. A phone that reloads a page or a
//! script that walks codes gets a "too many lookups" page instead of answers. The table of
//! buckets has a fixed size, so a client with many addresses cannot grow it without end.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Lookups a client may make in a minute: a citizen checking a few dossiers, and a
/// waiting-room screen refreshing itself, stay well below it.
pub const DEFAULT_PER_MINUTE: u32 = 30;

/// Past this many clients, buckets that have filled up again are forgotten: a full bucket
/// is the same as no bucket.
const PRUNE_AT: usize = 4096;
/// The most buckets kept: when forgetting full buckets is not enough, the clients seen
/// longest ago are forgotten down to `PRUNE_AT / 2`.
const MAX_BUCKETS: usize = PRUNE_AT;

/// One client as the limits count it: an IPv4 address, or an IPv6 /64 network (one
/// household or phone is given a whole /64 and may use any address in it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Client(IpAddr);

impl Client {
    pub fn of(ip: IpAddr) -> Client {
        match ip.to_canonical() {
            IpAddr::V6(v6) => {
                let network = u128::from(v6) & !((1u128 << 64) - 1);
                Client(IpAddr::V6(Ipv6Addr::from(network)))
            }
            v4 => Client(v4),
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

#[derive(Debug)]
pub struct RateLimiter {
    capacity: f64,
    per_second: f64,
    buckets: Mutex<HashMap<Client, Bucket>>,
}

impl RateLimiter {
    /// `per_minute` requests a minute, all of which may come at once.
    pub fn new(per_minute: u32) -> RateLimiter {
        let capacity = f64::from(per_minute.max(1));
        RateLimiter {
            capacity,
            per_second: capacity / 60.0,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `client` at `now`; `Err` carries how long until the next one.
    pub fn check(&self, ip: IpAddr, now: Instant) -> Result<(), Duration> {
        let client = Client::of(ip);
        // A poisoned lock only means another request panicked mid-update; the counts are
        // still usable.
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if buckets.len() >= PRUNE_AT && !buckets.contains_key(&client) {
            let (capacity, per_second) = (self.capacity, self.per_second);
            buckets.retain(|_, b| refill(b, now, capacity, per_second) < capacity);
            if buckets.len() >= MAX_BUCKETS {
                forget_oldest(&mut buckets, PRUNE_AT / 2);
            }
        }
        let bucket = buckets.entry(client).or_insert(Bucket {
            tokens: self.capacity,
            at: now,
        });
        let tokens = refill(bucket, now, self.capacity, self.per_second);
        if tokens >= 1.0 {
            *bucket = Bucket {
                tokens: tokens - 1.0,
                at: now,
            };
            Ok(())
        } else {
            *bucket = Bucket { tokens, at: now };
            Err(Duration::from_secs_f64((1.0 - tokens) / self.per_second))
        }
    }
}

/// Keeps the `keep` clients seen most recently.
fn forget_oldest(buckets: &mut HashMap<Client, Bucket>, keep: usize) {
    let mut seen: Vec<Instant> = buckets.values().map(|b| b.at).collect();
    seen.sort_unstable_by(|a, b| b.cmp(a));
    if let Some(&cut) = seen.get(keep) {
        buckets.retain(|_, b| b.at > cut);
    }
}

fn refill(b: &Bucket, now: Instant, capacity: f64, per_second: f64) -> f64 {
    let elapsed = now.saturating_duration_since(b.at).as_secs_f64();
    (b.tokens + elapsed * per_second).min(capacity)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn a_burst_up_to_the_limit_passes_then_one_more_is_refused() {
        let limiter = RateLimiter::new(30);
        let t0 = Instant::now();
        for i in 0..30 {
            assert!(limiter.check(ip("192.168.1.20"), t0).is_ok(), "request {i}");
        }
        let wait = limiter.check(ip("192.168.1.20"), t0).unwrap_err();
        assert_eq!(wait, Duration::from_secs(2));
        // Another phone is not affected.
        assert!(limiter.check(ip("192.168.1.21"), t0).is_ok());
    }

    #[test]
    fn tokens_come_back_with_time() {
        let limiter = RateLimiter::new(30);
        let t0 = Instant::now();
        for _ in 0..30 {
            limiter.check(ip("10.0.0.5"), t0).unwrap();
        }
        assert!(limiter
            .check(ip("10.0.0.5"), t0 + Duration::from_secs(1))
            .is_err());
        assert!(limiter
            .check(ip("10.0.0.5"), t0 + Duration::from_secs(2))
            .is_ok());
        assert!(limiter
            .check(ip("10.0.0.5"), t0 + Duration::from_secs(2))
            .is_err());
        // A minute later the whole burst is available again, and no more than that.
        let later = t0 + Duration::from_secs(120);
        for _ in 0..30 {
            assert!(limiter.check(ip("10.0.0.5"), later).is_ok());
        }
        assert!(limiter.check(ip("10.0.0.5"), later).is_err());
    }

    #[test]
    fn idle_clients_are_forgotten_when_the_table_is_large() {
        let limiter = RateLimiter::new(10);
        let t0 = Instant::now();
        for i in 0..PRUNE_AT as u32 {
            limiter
                .check(IpAddr::from(std::net::Ipv4Addr::from(i)), t0)
                .unwrap();
        }
        let later = t0 + Duration::from_secs(60);
        limiter.check(ip("10.9.9.9"), later).unwrap();
        let len = limiter.buckets.lock().unwrap().len();
        assert_eq!(len, 1);
    }

    #[test]
    fn the_table_stays_bounded_when_every_client_is_still_counted() {
        let limiter = RateLimiter::new(10);
        let t0 = Instant::now();
        for i in 0..(3 * MAX_BUCKETS as u32) {
            let at = t0 + Duration::from_millis(u64::from(i));
            let ip = IpAddr::from(std::net::Ipv4Addr::from(0x0a00_0000 + i));
            limiter.check(ip, at).unwrap();
            assert!(limiter.buckets.lock().unwrap().len() <= MAX_BUCKETS);
        }
        // The newest clients are still limited, the oldest were forgotten.
        let newest = IpAddr::from(std::net::Ipv4Addr::from(
            0x0a00_0000 + 3 * MAX_BUCKETS as u32 - 1,
        ));
        assert!(limiter
            .buckets
            .lock()
            .unwrap()
            .contains_key(&Client::of(newest)));
    }

    #[test]
    fn an_ipv6_network_is_one_client() {
        let a = Client::of(ip("2001:db8:1:2:aaaa::1"));
        let b = Client::of(ip("2001:db8:1:2:ffff::9"));
        assert_eq!(a, b);
        assert_ne!(a, Client::of(ip("2001:db8:1:3::1")));
        assert_eq!(
            Client::of(ip("::ffff:10.0.0.1")),
            Client::of(ip("10.0.0.1"))
        );
    }
}
