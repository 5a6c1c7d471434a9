//! The hash chains in the database: linking each appended entry to the head of its chain,
//! sealing the entries older than the chain into a genesis digest, and checking it all.
//!
//! Appending first updates the chain's `audit_head` row. That takes the row lock on
//! PostgreSQL (and the write lock on SQLite) until the appending transaction ends, so two
//! desks appending at once queue there and each links to the other's entry: the chain
//! never forks, and ids grow in chain order because each insert follows the head update.

use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use super::Store;
use crate::audit::{
    entry_hash, AuditReport, BreakReason, BrokenEntry, Cell, Chain, ChainHead, Genesis,
};
use crate::error::CoreResult;

/// The hashes of a new entry.
pub(super) struct Link {
    pub prev_hash: String,
    pub hash: String,
}

/// Links an entry with these fields to the end of `chain`, inside the transaction that
/// inserts it. The caller inserts the row with the returned hashes.
pub(super) async fn link(
    tx: &mut Transaction<'_, Any>,
    chain: Chain,
    cells: &[Cell<'_>],
) -> CoreResult<Link> {
    let row = sqlx::query(
        "UPDATE audit_head SET entries = entries + 1 WHERE chain = $1 RETURNING last_hash",
    )
    .bind(chain.table())
    .fetch_one(&mut **tx)
    .await?;
    let prev_hash: String = row.try_get("last_hash")?;
    let hash = entry_hash(&prev_hash, cells);
    sqlx::query("UPDATE audit_head SET last_hash = $1 WHERE chain = $2")
        .bind(&hash)
        .bind(chain.table())
        .execute(&mut **tx)
        .await?;
    Ok(Link { prev_hash, hash })
}

/// Takes the head lock of `chain` early in a transaction that will append to it after
/// locking other rows, so every transaction takes the head lock first and none deadlock.
pub(super) async fn lock(tx: &mut Transaction<'_, Any>, chain: Chain) -> CoreResult<()> {
    sqlx::query("UPDATE audit_head SET entries = entries WHERE chain = $1")
        .bind(chain.table())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The columns of each chain's table, in hashing order (after `id`).
fn columns(chain: Chain) -> &'static str {
    match chain {
        Chain::Events => "dossier_id, at, actor, kind, from_status, to_status, note, data_json",
        Chain::AuditLog => "at, actor, desk, kind, subject, data_json",
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
    /// First open after the chains were introduced: digests the entries written before
    /// (the genesis block: on a new database, none) so the first chained entry commits to
    /// them. Runs once per chain; two desks opening together seal once, the second waiting
    /// on the head row and then finding it sealed.
    pub(super) async fn seal_chains(&self) -> CoreResult<()> {
        for chain in Chain::ALL {
            // Sealed already (every open but the first): no write lock needed to know it.
            let sealed: Option<i64> =
                sqlx::query_scalar("SELECT genesis_last_id FROM audit_head WHERE chain = $1")
                    .bind(chain.table())
                    .fetch_optional(self.pool())
                    .await?;
            if sealed.is_some_and(|last| last >= 0) {
                continue;
            }
            let mut tx = self.pool().begin().await?;
            let unsealed = sqlx::query(
                "UPDATE audit_head SET entries = 0 WHERE chain = $1 AND genesis_last_id < 0 RETURNING chain",
            )
            .bind(chain.table())
            .fetch_optional(&mut *tx)
            .await?;
            if unsealed.is_none() {
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

    /// Walks every chain from its genesis to its head and reports the first broken entry:
    /// edited, deleted, inserted or moved entries, entries written behind the app's back,
    /// and deleted newest entries.
    pub async fn verify_audit(&self) -> CoreResult<AuditReport> {
        let mut report = AuditReport {
            ok: true,
            checked: 0,
            first_broken: None,
            heads: Vec::new(),
        };
        for chain in Chain::ALL {
            let walk = self.verify_chain(chain).await?;
            report.checked += walk.checked;
            report.heads.extend(walk.head);
            if report.first_broken.is_none() {
                report.first_broken = walk.broken;
            }
        }
        report.ok = report.first_broken.is_none();
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
            walk.broken = broken(0, BreakReason::NoHead);
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
