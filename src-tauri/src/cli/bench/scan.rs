//! Scanning a receipt at the desk: parse the QR payload, check its tag, fetch the dossier.

use motcua_core::store::{Store, TagCheck};

use super::error::BenchError;

use super::generate::Probe;
use super::stats::{stats, timed, Stats};

pub async fn run(store: &Store, probes: &[Probe], samples: usize) -> Result<Stats, BenchError> {
    // The payloads are what the slips carry; making them is not part of the scan.
    let mut payloads = Vec::with_capacity(samples);
    for p in probes.iter().cycle().take(samples.max(1)) {
        payloads.push(store.qr_payload(&p.code).await?);
    }
    let mut times = Vec::with_capacity(payloads.len());
    for payload in &payloads {
        let (result, took) = timed(store.scan(payload)).await;
        if result?.tag != TagCheck::Verified {
            return Err(BenchError::Step(format!(
                "scan of {payload}: tag not verified"
            )));
        }
        times.push(took);
    }
    Ok(stats(times))
}
