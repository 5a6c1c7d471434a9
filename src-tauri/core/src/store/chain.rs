//! Linking each appended entry to the head of its chain, for every store module that
//! appends to one (events, the access log, the record log, accounts, forms, transfers).
//!
//! Appending first updates the chain's `audit_head` row. That takes the row lock on
//! PostgreSQL (and the write lock on SQLite) until the appending transaction ends, so two
//! desks appending at once queue there and each links to the other's entry: the chain
//! never forks, and ids grow in chain order because each insert follows the head update.

use sqlx::{Any, Row, Transaction};

use crate::audit::{entry_hash, Cell, Chain};
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
