//! The record log (`record_log`), the third chain: every change to an account, a setting, a
//! procedure or a calendar notice, with the digest of the row after it (`store/state.rs`),
//! so that `audit verify` finds a row changed, added or removed behind the app's back. A
//! setting's entry also says its old and new value, except for secrets, whose values are
//! never written anywhere else.

use sqlx::{Any, Row, Transaction};

use super::state::record_hash;
use super::{chain, Actor, Store};
use crate::audit::{Cell, Chain, Record};
use crate::error::{CoreError, CoreResult};
use crate::vntime::{self, to_millis};

/// Settings whose values an entry never shows.
fn is_secret(key: &str) -> bool {
    key.contains("secret")
}

/// The actor of changes made by the store itself (the first-run seed, a baseline).
pub(super) fn system() -> Actor {
    Actor::new("", "")
}

/// Appends an entry for `record` `key` with the row's digest as it stands now in `tx`.
pub(super) async fn append(
    tx: &mut Transaction<'_, Any>,
    actor: &Actor,
    kind: &str,
    record: Record,
    key: &str,
    data: serde_json::Value,
) -> CoreResult<()> {
    let state = record_hash(tx, record, key).await?;
    let at = to_millis(vntime::now());
    let data_json = data.to_string();
    let link = chain::link(
        tx,
        Chain::RecordLog,
        &[
            Cell::Int(at),
            Cell::Text(&actor.name),
            Cell::Text(&actor.desk),
            Cell::Text(kind),
            Cell::Text(record.code()),
            Cell::Text(key),
            Cell::Text(&state),
            Cell::Text(&data_json),
        ],
    )
    .await?;
    sqlx::query(
        "INSERT INTO record_log (at, actor, desk, kind, record, key, state_hash, data_json, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(at)
    .bind(&actor.name)
    .bind(&actor.desk)
    .bind(kind)
    .bind(record.code())
    .bind(key)
    .bind(&state)
    .bind(&data_json)
    .bind(&link.prev_hash)
    .bind(&link.hash)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A setting's change: its digest, and its old and new values unless it is a secret.
pub(super) async fn setting_changed(
    tx: &mut Transaction<'_, Any>,
    actor: &Actor,
    key: &str,
    old: Option<&str>,
) -> CoreResult<()> {
    let data = if is_secret(key) {
        serde_json::json!({ "secret": true })
    } else {
        let new: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&mut **tx)
            .await?;
        serde_json::json!({ "old": old, "new": new })
    };
    append(tx, actor, "setting_changed", Record::Setting, key, data).await
}

/// A setting's value inside `tx`, read before changing it.
pub(super) async fn setting_before(
    tx: &mut Transaction<'_, Any>,
    key: &str,
) -> CoreResult<Option<String>> {
    // The chain's head lock first, so the transaction writes from its first statement (see
    // `events::append`).
    chain::lock(tx, Chain::RecordLog).await?;
    Ok(
        sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&mut **tx)
            .await?,
    )
}

/// The last digest the record log holds for each logged record: (record, key) → digest.
pub(super) async fn last_entries(
    conn: &mut sqlx::AnyConnection,
) -> CoreResult<std::collections::HashMap<(Record, String), String>> {
    let rows = sqlx::query(
        "SELECT record, key, state_hash FROM record_log r \
         WHERE id = (SELECT MAX(id) FROM record_log l WHERE l.record = r.record AND l.key = r.key)",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut out = std::collections::HashMap::new();
    for row in rows {
        let record: String = row.try_get("record")?;
        if let Some(record) = Record::from_code(&record) {
            out.insert((record, row.try_get("key")?), row.try_get("state_hash")?);
        }
    }
    Ok(out)
}

impl Store {
    /// Records the current digest of every covered row that its last entry does not match
    /// (or that has none): once, when the record log starts (a database from before it),
    /// and after a move between databases has brought rows of its own.
    pub(super) async fn baseline_records(
        &self,
        tx: &mut Transaction<'_, Any>,
        actor: &Actor,
    ) -> CoreResult<()> {
        let last = last_entries(tx).await?;
        for record in Record::LOGGED {
            for (key, hash) in super::state::record_hashes(tx, record).await? {
                if last.get(&(record, key.clone())) != Some(&hash) {
                    append(tx, actor, "baseline", record, &key, serde_json::json!({})).await?;
                }
            }
        }
        Ok(())
    }
}

/// One entry of the record log as a person reads it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RecordEntry {
    pub id: i64,
    #[serde(with = "crate::vntime::serde_vn")]
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor: String,
    pub desk: String,
    /// `setting_changed`, `account_changed`, …
    pub kind: String,
    /// `setting`, `account`, `procedure`, `notice`.
    pub record: String,
    pub key: String,
    /// For a setting, `old` and `new` (or `secret`).
    pub data: serde_json::Value,
}

impl Store {
    /// The newest entries of the record log, all or those of one key (a setting's name, an
    /// account, a procedure code, a notice's date), newest first.
    pub async fn record_entries(
        &self,
        key: Option<&str>,
        limit: i64,
    ) -> CoreResult<Vec<RecordEntry>> {
        let limit = limit.clamp(1, 10_000);
        let columns = "id, at, actor, desk, kind, record, key, data_json";
        let rows = match key {
            Some(key) => {
                sqlx::query(&format!(
                    "SELECT {columns} FROM record_log WHERE key = $1 ORDER BY id DESC LIMIT $2"
                ))
                .bind(key)
                .bind(limit)
                .fetch_all(self.pool())
                .await?
            }
            None => {
                sqlx::query(&format!(
                    "SELECT {columns} FROM record_log ORDER BY id DESC LIMIT $1"
                ))
                .bind(limit)
                .fetch_all(self.pool())
                .await?
            }
        };
        rows.iter()
            .map(|row| {
                let data: String = row.try_get("data_json")?;
                let data =
                    serde_json::from_str(&data).map_err(|e| CoreError::Json(e.to_string()))?;
                Ok(RecordEntry {
                    id: row.try_get("id")?,
                    at: vntime::from_millis(row.try_get("at")?),
                    actor: row.try_get("actor")?,
                    desk: row.try_get("desk")?,
                    kind: row.try_get("kind")?,
                    record: row.try_get("record")?,
                    key: row.try_get("key")?,
                    data,
                })
            })
            .collect()
    }
}
