//! Median and 95th percentile of timed samples.

use std::future::Future;
use std::time::{Duration, Instant};

use serde::Serialize;

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Stats {
    pub median_ms: f64,
    pub p95_ms: f64,
}

/// The nearest-rank median and p95 of `samples` (zero for none).
pub fn stats(mut samples: Vec<Duration>) -> Stats {
    samples.sort();
    let at = |q: f64| {
        let i = ((samples.len() as f64 - 1.0) * q).round() as usize;
        samples.get(i).map(|d| ms(*d)).unwrap_or(0.0)
    };
    Stats {
        median_ms: at(0.5),
        p95_ms: at(0.95),
    }
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Runs `f` and returns its result with how long it took.
pub async fn timed<T, F: Future<Output = T>>(f: F) -> (T, Duration) {
    let t = Instant::now();
    let out = f.await;
    (out, t.elapsed())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_p95() {
        let samples = (1..=100).map(Duration::from_millis).collect();
        let s = stats(samples);
        assert_eq!(s.median_ms.round(), 51.0);
        assert_eq!(s.p95_ms.round(), 95.0);
        assert_eq!(stats(Vec::new()).median_ms, 0.0);
    }
}
