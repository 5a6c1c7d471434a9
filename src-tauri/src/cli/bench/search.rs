//! Search as the desk's search box does it (`Store::search`, 100 results at most), for
//! dossiers that exist: by exact code, by citizen ID number, by name without diacritics
//! typed from its start ("nguyen van hu") or from the middle name ("van hung"), by phone.

use std::collections::BTreeMap;

use motcua_core::store::Store;

use super::error::BenchError;

use super::generate::Probe;
use super::stats::{stats, timed, Stats};

pub const KINDS: [&str; 5] = ["code", "id_number", "name_prefix", "name_middle", "phone"];
const LIMIT: i64 = 100;

/// What a clerk types to find `p` by `kind`.
pub fn query(p: &Probe, kind: &str) -> String {
    let words: Vec<&str> = p.folded_name.split(' ').collect();
    match kind {
        "code" => p.code.clone(),
        "id_number" => p.id_number.clone(),
        "name_prefix" => {
            // All but the given name, then its first two letters.
            let last = words.last().copied().unwrap_or_default();
            let head = words[..words.len().saturating_sub(1)].join(" ");
            let typed: String = last.chars().take(2).collect();
            format!("{head} {typed}")
        }
        "name_middle" => words.get(1..).map(|w| w.join(" ")).unwrap_or_default(),
        _ => p.phone.clone(),
    }
}

/// `samples` searches of each kind, each for another dossier among `probes`. Every search
/// must find its dossier: a fast search that misses is no result.
pub async fn run(
    store: &Store,
    probes: &[Probe],
    samples: usize,
) -> Result<BTreeMap<String, Stats>, BenchError> {
    let mut out = BTreeMap::new();
    if probes.is_empty() {
        return Ok(out);
    }
    let step = (probes.len() / samples.max(1)).max(1);
    for kind in KINDS {
        let mut times = Vec::with_capacity(samples);
        let mut missed = 0;
        for i in 0..samples.max(1) {
            let p = &probes[(i * step + i / probes.len()) % probes.len()];
            let text = query(p, kind);
            let (hits, took) = timed(store.search(&text, LIMIT)).await;
            let hits = hits?;
            // A prefix or a middle name can match more than the limit: only then may the
            // dossier itself be left out.
            if !hits.iter().any(|h| h.code == p.code) && hits.len() < LIMIT as usize {
                missed += 1;
            }
            times.push(took);
        }
        if missed > 0 {
            return Err(BenchError::Step(format!(
                "search by {kind}: {missed} of {samples} dossiers not found"
            )));
        }
        out.insert(kind.to_string(), stats(times));
    }
    Ok(out)
}
