//! Durable intake as a desk does it (validate, number, insert with search terms and the
//! "created" event, commit with full durability), at one desk and at eight desks at once,
//! then at one desk again with an outbox destination configured (each intake then also
//! enqueues its message): what the outbox adds.

use std::time::{Duration, Instant};

use motcua_core::intake::IntakeRequest;
use motcua_core::outbox::{DestinationKind, NewDestination};
use motcua_core::sample::Sampler;
use motcua_core::store::{Actor, Store};
use motcua_core::CoreError;

use super::error::BenchError;
use serde::Serialize;

use super::raw::{self, RawResult};
use super::stats::{stats, timed};

pub const DESKS: usize = 8;

#[derive(Debug, Clone, Default, Serialize)]
pub struct IntakeResult {
    pub count: usize,
    pub per_second: f64,
    pub median_ms: f64,
    pub p95_ms: f64,
    /// Eight desks, each its own connection pool as eight desk computers would be.
    pub desks8_count: usize,
    pub desks8_per_second: f64,
    pub desks8_median_ms: f64,
    pub desks8_p95_ms: f64,
    /// `per_second` over the raw durable insert rate of the same disk.
    pub ratio_to_raw: f64,
    /// One desk with an outbox destination: its median, and the time it adds per intake
    /// over `per_second` (measured beside the same raw inserts, so the disk is the same).
    pub outbox_median_ms: f64,
    pub outbox_p95_ms: f64,
    pub outbox_added: f64,
}

/// Realistic requests received now (the intake's own clock).
pub async fn requests(
    store: &Store,
    n: usize,
    seed: u64,
) -> Result<Vec<IntakeRequest>, BenchError> {
    let procedures = store.procedures(false).await?;
    let mut sampler = Sampler::new(seed);
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let p = sampler.procedure(&procedures).ok_or_else(|| {
            CoreError::invalid("procedure", motcua_core::error::Problem::Required)
        })?;
        let mut req = sampler.request(p, motcua_core::vntime::now());
        req.received_at = None;
        out.push(req);
    }
    Ok(out)
}

async fn desk(
    store: Store,
    actor: Actor,
    reqs: Vec<IntakeRequest>,
) -> Result<Vec<Duration>, BenchError> {
    let mut samples = Vec::with_capacity(reqs.len());
    for req in &reqs {
        let (result, took) = timed(store.intake(req, &actor)).await;
        result?;
        samples.push(took);
    }
    Ok(samples)
}

/// The disk changes speed when other programs write to it, so the single desk's intakes
/// alternate with the raw inserts they are compared with: both see the same disk.
pub async fn run(
    store: &Store,
    location: &str,
    raw_location: &str,
    sqlite: bool,
    count: usize,
) -> Result<(IntakeResult, RawResult), BenchError> {
    let count = count.max(DESKS);
    let actor = Actor::new("bench", "Quầy 1");
    // A few intakes first: the row size of the raw inserts is what they wrote.
    let warm = requests(store, DESKS, 3).await?;
    desk(store.clone(), actor.clone(), warm).await?;
    let bytes = raw::row_bytes(location, sqlite).await?;
    let mut probe = raw::Probe::open(raw_location, sqlite, bytes).await?;
    probe.insert().await?;

    let single_reqs = requests(store, count, 1).await?;
    let mut single = Vec::with_capacity(count);
    let mut raw_samples = Vec::with_capacity(count);
    for req in &single_reqs {
        let (result, took) = timed(store.intake(req, &actor)).await;
        result?;
        single.push(took);
        raw_samples.push(probe.insert().await?);
    }
    probe.close().await?;
    let single_total: f64 = single.iter().map(Duration::as_secs_f64).sum();
    let raw = raw::result(raw_samples, bytes);

    let per_desk = count / DESKS;
    let mut stores = Vec::with_capacity(DESKS);
    for _ in 0..DESKS {
        stores.push(Store::open(location).await?);
    }
    let all = requests(store, per_desk * DESKS, 2).await?;
    let mut handles = Vec::with_capacity(DESKS);
    let started = Instant::now();
    for (i, (s, reqs)) in stores.iter().zip(all.chunks(per_desk)).enumerate() {
        let actor = Actor::new("bench", format!("Quầy {}", i + 1));
        handles.push(tokio::spawn(desk(s.clone(), actor, reqs.to_vec())));
    }
    let mut many = Vec::with_capacity(per_desk * DESKS);
    for h in handles {
        let samples = h.await.map_err(|e| BenchError::Step(e.to_string()))??;
        many.extend(samples);
    }
    let many_wall = started.elapsed().as_secs_f64();
    for s in &stores {
        s.close().await;
    }

    // The same single desk once a destination is configured (nothing is sent: no sender runs).
    let destination = NewDestination {
        kind: DestinationKind::Webhook,
        target: "https://outbox.invalid/motcua".into(),
        public_url: String::new(),
        secret: "bench".into(),
        personal: true,
        timeout_ms: None,
    };
    store
        .add_destination(destination, &actor.desk, motcua_core::vntime::now())
        .await?;
    let mut probe = raw::Probe::open(raw_location, sqlite, bytes).await?;
    let mut with_outbox = Vec::with_capacity(count);
    let mut raw_again = Vec::with_capacity(count);
    for req in &requests(store, count, 4).await? {
        let (result, took) = timed(store.intake(req, &actor)).await;
        result?;
        with_outbox.push(took);
        raw_again.push(probe.insert().await?);
    }
    probe.close().await?;
    let outbox_total: f64 = with_outbox.iter().map(Duration::as_secs_f64).sum();
    // Each run over the raw inserts beside it: a disk that slowed down between the two
    // runs is not counted against the outbox.
    let raw_first: f64 = raw.per_second;
    let raw_second = raw::result(raw_again, bytes).per_second;
    let plain_ratio = (count as f64 / single_total.max(1e-9)) / raw_first.max(1e-9);
    let outbox_ratio = (count as f64 / outbox_total.max(1e-9)) / raw_second.max(1e-9);
    let with_outbox = stats(with_outbox);

    let one = stats(single);
    let eight = stats(many);
    let per_second = count as f64 / single_total.max(1e-9);
    Ok((
        IntakeResult {
            count,
            per_second,
            median_ms: one.median_ms,
            p95_ms: one.p95_ms,
            desks8_count: per_desk * DESKS,
            desks8_per_second: (per_desk * DESKS) as f64 / many_wall.max(1e-9),
            desks8_median_ms: eight.median_ms,
            desks8_p95_ms: eight.p95_ms,
            ratio_to_raw: per_second / raw.per_second.max(1e-9),
            outbox_median_ms: with_outbox.median_ms,
            outbox_p95_ms: with_outbox.p95_ms,
            outbox_added: plain_ratio / outbox_ratio.max(1e-9) - 1.0,
        },
        raw,
    ))
}
