//! The hash chains in the database: sealing the entries older than the chain into a
//! genesis digest, and checking it all. Linking each appended entry is `chain.rs`.

use sqlx::any::AnyRow;
use sqlx::{Any, Row};

use std::collections::HashMap;

use super::chain::lock;
use super::{events, record_log, state, Store};
use crate::audit::{
    entry_hash, state_differs, AuditReport, BreakReason, BrokenEntry, Cell, Chain, ChainHead,
    Genesis, Mismatch, Record, RecordMismatch,
};
use crate::error::CoreResult;

/// The columns of each chain's table, in hashing order (after `id`).
fn columns(chain: Chain) -> &'static str {
    match chain {
        Chain::Events => {
            "dossier_id, at, actor, kind, from_status, to_status, note, data_json, state_hash"
        }
        Chain::AuditLog => "at, actor, desk, kind, subject, data_json",
        Chain::RecordLog => "at, actor, desk, kind, record, key, state_hash, data_json",
    }
}

/// The hashed fields of a row, read back exactly as written.
enum Owned {
    Int(i64),
    Text(String),
    Null,
}

fn row_cells(chain: Chain, row: &AnyRow) -> CoreResult<Vec<Owned>> {
    let int = |c: &str| -> CoreResult<Owned> { Ok(Owned::Int(row.try_get(c)?)) };
    let text = |c: &str| -> CoreResult<Owned> { Ok(Owned::Text(row.try_get(c)?)) };
    let opt = |c: &str| -> CoreResult<Owned> {
        Ok(row
            .try_get::<Option<i64>, _>(c)?
            .map_or(Owned::Null, Owned::Int))
    };
    Ok(match chain {
        Chain::Events => vec![
            int("dossier_id")?,
            int("at")?,
            text("actor")?,
            text("kind")?,
            opt("from_status")?,
            opt("to_status")?,
            text("note")?,
            text("data_json")?,
        ]
        .into_iter()
        .chain(
            Some(row.try_get::<String, _>("state_hash")?)
                .filter(|s| !s.is_empty())
                .map(Owned::Text),
        )
        .collect(),
        Chain::RecordLog => vec![
            int("at")?,
            text("actor")?,
            text("desk")?,
            text("kind")?,
            text("record")?,
            text("key")?,
            text("state_hash")?,
            text("data_json")?,
        ],
        Chain::AuditLog => vec![
            int("at")?,
            text("actor")?,
            text("desk")?,
            text("kind")?,
            text("subject")?,
            text("data_json")?,
        ],
    })
}

fn borrow(cells: &[Owned]) -> Vec<Cell<'_>> {
    cells
        .iter()
        .map(|c| match c {
            Owned::Int(v) => Cell::Int(*v),
            Owned::Text(s) => Cell::Text(s),
            Owned::Null => Cell::Null,
        })
        .collect()
}

const PAGE: i64 = 1000;

/// Rows of `chain` with `after < id <= upto`, in id order, a page at a time.
async fn page<'c, E>(executor: E, chain: Chain, after: i64, upto: i64) -> CoreResult<Vec<AnyRow>>
where
    E: sqlx::Executor<'c, Database = Any>,
{
    let sql = format!(
        "SELECT id, prev_hash, hash, {} FROM {} WHERE id > $1 AND id <= $2 ORDER BY id LIMIT {PAGE}",
        columns(chain),
        chain.table()
    );
    Ok(sqlx::query(&sql)
        .bind(after)
        .bind(upto)
        .fetch_all(executor)
        .await?)
}

/// The digest of the entries of `chain` up to `last_id` (its genesis block).
async fn genesis_digest(
    conn: &mut sqlx::AnyConnection,
    chain: Chain,
    last_id: i64,
) -> CoreResult<String> {
    let mut genesis = Genesis::new(chain);
    let mut after = 0;
    loop {
        let rows = page(&mut *conn, chain, after, last_id).await?;
        for row in &rows {
            after = row.try_get("id")?;
            let cells = row_cells(chain, row)?;
            let mut all = vec![Cell::Int(after)];
            all.extend(borrow(&cells));
            genesis.add(&all);
        }
        if rows.len() < PAGE as usize {
            return Ok(genesis.finish());
        }
    }
}

impl Store {
    /// Seals the genesis of each chain still unsealed that holds no hashed entry, digesting
    /// the entries written before the chain existed (a database from before migration 0007).
    /// Called only by the open that ran migration 0009, so it happens once: a head found
    /// unsealed later (reset behind the app's back) is reported by `verify_audit` and never
    /// sealed again, which would fold edited entries into a new genesis. Two desks
    /// upgrading together seal once, the second waiting on the head row.
    pub(super) async fn seal_chains(&self) -> CoreResult<()> {
        for chain in Chain::ALL {
            let mut tx = self.pool().begin().await?;
            let unsealed = sqlx::query(
                "UPDATE audit_head SET entries = 0 WHERE chain = $1 AND genesis_last_id < 0 RETURNING chain",
            )
            .bind(chain.table())
            .fetch_optional(&mut *tx)
            .await?;
            let hashed: i64 = sqlx::query_scalar(&format!(
                "SELECT COUNT(*) FROM {} WHERE hash <> ''",
                chain.table()
            ))
            .fetch_one(&mut *tx)
            .await?;
            if unsealed.is_none() || hashed > 0 {
                tx.rollback().await?;
                continue;
            }
            let last: Option<i64> =
                sqlx::query_scalar(&format!("SELECT MAX(id) FROM {}", chain.table()))
                    .fetch_one(&mut *tx)
                    .await?;
            let last = last.unwrap_or(0);
            let digest = genesis_digest(&mut tx, chain, last).await?;
            sqlx::query(
                "UPDATE audit_head SET genesis_last_id = $1, genesis_hash = $2, entries = 0, last_hash = $2 WHERE chain = $3",
            )
            .bind(last)
            .bind(&digest)
            .bind(chain.table())
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        }
        Ok(())
    }

    /// The first open after migration 0009: a "baseline" event for each dossier whose last
    /// event carries no state digest, and a record-log entry for each account, setting,
    /// procedure and notice, so every record is covered from then on.
    pub(super) async fn baseline_states(&self) -> CoreResult<()> {
        let mut tx = self.pool().begin().await?;
        lock(&mut tx, Chain::Events).await?;
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT e.dossier_id FROM events e WHERE e.state_hash = '' AND e.id = \
             (SELECT MAX(id) FROM events l WHERE l.dossier_id = e.dossier_id) ORDER BY e.dossier_id",
        )
        .fetch_all(&mut *tx)
        .await?;
        let actor = record_log::system();
        for id in ids {
            events::append(
                &mut tx,
                id,
                crate::vntime::now(),
                &actor,
                events::NewEvent::plain("baseline", "", serde_json::json!({})),
            )
            .await?;
        }
        self.baseline_records(&mut tx, &actor).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The chains' heads as their head rows say, without walking them: what a daily backup
    /// notes.
    pub async fn chain_heads(&self) -> CoreResult<Vec<ChainHead>> {
        let mut heads = Vec::new();
        for chain in Chain::ALL {
            let row = sqlx::query("SELECT entries, last_hash FROM audit_head WHERE chain = $1")
                .bind(chain.table())
                .fetch_optional(self.pool())
                .await?;
            if let Some(row) = row {
                heads.push(ChainHead {
                    chain,
                    entries: row.try_get("entries")?,
                    hash: row.try_get("last_hash")?,
                });
            }
        }
        Ok(heads)
    }

    /// Walks every chain from its genesis to its head and reports the first broken entry
    /// (edited, deleted, inserted or moved entries, entries written behind the app's back,
    /// deleted newest entries, a head reset to unsealed), then recomputes every covered
    /// record against its last entry.
    pub async fn verify_audit(&self) -> CoreResult<AuditReport> {
        self.verify_audit_expecting(&[]).await
    }

    /// `verify_audit`, and each hash of `expect` (heads noted earlier) must still be an
    /// entry's hash, or a genesis, on some chain: deleting the newest entries and rolling
    /// the head back is found once the head was noted.
    pub async fn verify_audit_expecting(&self, expect: &[String]) -> CoreResult<AuditReport> {
        let mut report = AuditReport {
            ok: true,
            checked: 0,
            first_broken: None,
            heads: Vec::new(),
            mismatches: Vec::new(),
            missing_pins: Vec::new(),
            scan_files: Vec::new(),
        };
        for chain in Chain::ALL {
            let walk = self.verify_chain(chain).await?;
            report.checked += walk.checked;
            report.heads.extend(walk.head);
            if report.first_broken.is_none() {
                report.first_broken = walk.broken;
            }
        }
        let mut conn = self.pool().acquire().await?;
        report.mismatches = verify_dossiers(&mut conn).await?;
        report.mismatches.extend(verify_records(&mut conn).await?);
        for pin in expect {
            if !is_on_a_chain(&mut conn, pin).await? {
                report.missing_pins.push(pin.clone());
            }
        }
        drop(conn);
        report.scan_files = self.verify_scan_files().await?;
        report.ok = report.first_broken.is_none()
            && report.mismatches.is_empty()
            && report.missing_pins.is_empty()
            && report.scan_files.is_empty();
        Ok(report)
    }

    async fn verify_chain(&self, chain: Chain) -> CoreResult<Walk> {
        let mut walk = Walk {
            checked: 0,
            head: None,
            broken: None,
        };
        let broken = |id: i64, reason: BreakReason| Some(BrokenEntry { chain, id, reason });
        let head = sqlx::query(
            "SELECT genesis_last_id, genesis_hash, entries, last_hash FROM audit_head WHERE chain = $1",
        )
        .bind(chain.table())
        .fetch_optional(self.pool())
        .await?;
        let Some(head) = head else {
            walk.broken = broken(0, BreakReason::NoHead);
            return Ok(walk);
        };
        let genesis_last: i64 = head.try_get("genesis_last_id")?;
        let genesis_hash: String = head.try_get("genesis_hash")?;
        let entries: i64 = head.try_get("entries")?;
        let last_hash: String = head.try_get("last_hash")?;
        walk.head = Some(ChainHead {
            chain,
            entries,
            hash: last_hash.clone(),
        });
        if genesis_last < 0 {
            walk.broken = broken(0, BreakReason::Unsealed);
            return Ok(walk);
        }
        let mut conn = self.pool().acquire().await?;
        if genesis_digest(&mut conn, chain, genesis_last).await? != genesis_hash {
            walk.broken = broken(genesis_last, BreakReason::GenesisChanged);
            return Ok(walk);
        }

        let mut prev = genesis_hash;
        let mut last_id = genesis_last;
        loop {
            let rows = page(&mut *conn, chain, last_id, i64::MAX).await?;
            for row in &rows {
                let id: i64 = row.try_get("id")?;
                let prev_hash: String = row.try_get("prev_hash")?;
                let hash: String = row.try_get("hash")?;
                let reason = if hash.is_empty() {
                    Some(BreakReason::Unchained)
                } else if prev_hash != prev {
                    Some(BreakReason::Unlinked)
                } else if entry_hash(&prev_hash, &borrow(&row_cells(chain, row)?)) != hash {
                    Some(BreakReason::Edited)
                } else {
                    None
                };
                if let Some(reason) = reason {
                    walk.broken = broken(id, reason);
                    return Ok(walk);
                }
                prev = hash;
                walk.checked += 1;
                last_id = id;
            }
            if rows.len() < PAGE as usize {
                break;
            }
        }
        if walk.checked != entries || prev != last_hash {
            walk.broken = broken(
                last_id,
                BreakReason::Truncated {
                    expected: entries,
                    found: walk.checked,
                },
            );
        }
        Ok(walk)
    }
}

/// One chain checked.
struct Walk {
    checked: i64,
    head: Option<ChainHead>,
    broken: Option<BrokenEntry>,
}

/// Whether `hash` is an entry's hash or a genesis on some chain.
async fn is_on_a_chain(conn: &mut sqlx::AnyConnection, hash: &str) -> CoreResult<bool> {
    let hash = hash.trim().to_ascii_lowercase();
    let genesis: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_head WHERE genesis_hash = $1 AND genesis_last_id >= 0",
    )
    .bind(&hash)
    .fetch_one(&mut *conn)
    .await?;
    if genesis > 0 {
        return Ok(true);
    }
    for chain in Chain::ALL {
        let found: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM {} WHERE hash = $1",
            chain.table()
        ))
        .bind(&hash)
        .fetch_one(&mut *conn)
        .await?;
        if found > 0 {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Dossiers read per page when checking them against their last events.
const DOSSIER_PAGE: i64 = 500;

/// Each dossier (with its hand-over, pauses and transfers) against its last event's digest.
pub(super) async fn verify_dossiers(
    conn: &mut sqlx::AnyConnection,
) -> CoreResult<Vec<RecordMismatch>> {
    let groups = state::record_groups(Record::Dossier);
    let mut out = Vec::new();
    let mut after = 0;
    loop {
        let states = state::dossier_states(conn, after, DOSSIER_PAGE).await?;
        let Some(upto) = states.last().map(|(id, _)| *id) else {
            return Ok(out);
        };
        let rows = sqlx::query(
            "SELECT e.dossier_id, e.state_hash FROM events e WHERE e.id IN \
             (SELECT MAX(id) FROM events WHERE dossier_id > $1 AND dossier_id <= $2 GROUP BY dossier_id)",
        )
        .bind(after)
        .bind(upto)
        .fetch_all(&mut *conn)
        .await?;
        let mut last: HashMap<i64, String> = HashMap::with_capacity(rows.len());
        for row in rows {
            last.insert(row.try_get("dossier_id")?, row.try_get("state_hash")?);
        }
        for (id, state) in &states {
            let problem = match last.get(id) {
                None => Some(Mismatch::NoEntry),
                Some(stored) => state_differs(stored, &state.hash(), &groups)
                    .map(|fields| Mismatch::Differs { fields }),
            };
            if let Some(problem) = problem {
                out.push(RecordMismatch {
                    record: Record::Dossier,
                    key: state.code.clone(),
                    problem,
                });
            }
        }
        after = upto;
    }
}

/// Accounts, settings, procedures and notices against their last record-log entries.
async fn verify_records(conn: &mut sqlx::AnyConnection) -> CoreResult<Vec<RecordMismatch>> {
    let mut last = record_log::last_entries(conn).await?;
    let mut out = Vec::new();
    for record in Record::LOGGED {
        let groups = state::record_groups(record);
        for (key, hash) in state::record_hashes(conn, record).await? {
            let problem = match last.remove(&(record, key.clone())) {
                None => Some(Mismatch::NoEntry),
                Some(stored) => state_differs(&stored, &hash, &groups)
                    .map(|fields| Mismatch::Differs { fields }),
            };
            if let Some(problem) = problem {
                out.push(RecordMismatch {
                    record,
                    key,
                    problem,
                });
            }
        }
    }
    let mut removed: Vec<(Record, String)> = last
        .into_iter()
        .filter(|(_, stored)| !stored.is_empty())
        .map(|(k, _)| k)
        .collect();
    removed.sort_by(|a, b| (a.0.code(), &a.1).cmp(&(b.0.code(), &b.1)));
    out.extend(removed.into_iter().map(|(record, key)| RecordMismatch {
        record,
        key,
        problem: Mismatch::Removed,
    }));
    Ok(out)
}
