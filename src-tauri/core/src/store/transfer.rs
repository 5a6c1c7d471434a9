//! Moving one database into another: a commune's SQLite file into a centre's PostgreSQL,
//! where several desks share one numbering and one register.
//!
//! Dossiers keep their codes, events, pauses and hand-overs; their ids are new (the target
//! has its own) and each gains an "imported" event saying where it came from. The day
//! counters come along so numbering continues after the moved dossiers. Lines of the
//! register are appended after the target's own for the same year (kept as they were when
//! the target has none), the old line noted in the "imported" event. A target not yet set up
//! takes the source's agency, settings, catalog and calendar; one already set up keeps its
//! own and only learns the source's slip secret, so old receipts still scan as genuine.
//!
//! A source whose hash chains do not verify is refused: moving it would re-chain edited
//! history as if it were genuine. The source's access log is appended to the target's,
//! each entry marked with where it came from, and a "database imported" entry records the
//! source's chain heads.
//!
//! Codes that already exist in the target are found first and the move is refused, naming
//! them; otherwise everything is written in one transaction of the target, or nothing.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use sqlx::Row;

use super::access_log::{self, AccessKind};
use super::chain;
use super::events::{append, NewEvent};
use super::settings::{IMPORTED_SECRET_PREFIX, SEEDED, SLIP_SECRET};
use super::tables::{self, Inserter, Table, Value};
use super::{Actor, Backend, Store};
use crate::audit::AuditError;
use crate::audit::{Cell, Chain, ChainHead};
use crate::error::{CoreError, CoreResult};

mod error;

pub use error::ImportError;

/// How many conflicting codes an error lists by name.
const LISTED_CONFLICTS: usize = 20;

#[derive(Debug, Clone, Serialize)]
pub struct TransferReport {
    pub dossiers: u64,
    /// Rows written per table (events include one "imported" event per dossier).
    pub rows: BTreeMap<String, u64>,
    /// The target was not set up and took the source's agency and settings.
    pub settings_copied: bool,
    /// Dossiers whose register line changed to follow the target's register.
    pub register_renumbered: u64,
    /// Access-log entries carried over from the source.
    pub access_entries: u64,
    /// The source's chain heads as verified before the move.
    pub source_heads: Vec<ChainHead>,
    /// Digitised papers copied into the target's scans folder (same paths under it).
    pub scan_files: u64,
}

fn value<'a>(row: &'a [Value], table: &Table, column: &str) -> Option<&'a Value> {
    table.position(column).and_then(|i| row.get(i))
}

fn int(v: Option<&Value>) -> Option<i64> {
    match v {
        Some(Value::Int(i)) => Some(*i),
        _ => None,
    }
}

/// Codes of `source` (with their request ids) that the target already holds.
async fn conflicts(source: &Store, target: &Store) -> CoreResult<Vec<String>> {
    let rows = sqlx::query("SELECT code, request_id FROM dossiers ORDER BY code")
        .fetch_all(source.pool())
        .await?;
    let mut found = Vec::new();
    for chunk in rows.chunks(200) {
        let mut codes = Vec::with_capacity(chunk.len());
        let mut by_request: HashMap<String, String> = HashMap::new();
        for row in chunk {
            let code: String = row.try_get("code")?;
            if let Some(r) = row.try_get::<Option<String>, _>("request_id")? {
                by_request.insert(r, code.clone());
            }
            codes.push(code);
        }
        let params = |n: usize| {
            (1..=n)
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let sql = format!(
            "SELECT code FROM dossiers WHERE code IN ({})",
            params(codes.len())
        );
        let mut query = sqlx::query_scalar::<_, String>(&sql);
        for c in &codes {
            query = query.bind(c.clone());
        }
        found.extend(query.fetch_all(target.pool()).await?);
        if !by_request.is_empty() {
            let sql = format!(
                "SELECT request_id FROM dossiers WHERE request_id IN ({})",
                params(by_request.len())
            );
            let mut query = sqlx::query_scalar::<_, String>(&sql);
            for r in by_request.keys() {
                query = query.bind(r.clone());
            }
            for r in query.fetch_all(target.pool()).await? {
                if let Some(code) = by_request.get(&r) {
                    found.push(code.clone());
                }
            }
        }
    }
    found.sort();
    found.dedup();
    Ok(found)
}

/// Moves everything in `source` into `target` (see the module's description).
pub async fn transfer(source: &Store, target: &Store, actor: &Actor) -> CoreResult<TransferReport> {
    let audit = source.verify_audit().await?;
    if !audit.ok {
        return Err(AuditError::SourceBroken(Box::new(audit)).into());
    }
    let clashes = conflicts(source, target).await?;
    if !clashes.is_empty() {
        return Err(ImportError::Conflict {
            total: clashes.len(),
            codes: clashes.into_iter().take(LISTED_CONFLICTS).collect(),
        }
        .into());
    }
    // The papers go where the target keeps them: a centre without `scans-folder` is told
    // before anything moves.
    let papers = source.scan_paths().await?;
    if !papers.is_empty() {
        target.scans_root().await?;
    }
    let set_up = target.is_set_up().await?;
    let source_agency = match source.agency().await {
        Ok(a) => Some(a.code.to_string()),
        Err(CoreError::NotSetUp) => None,
        Err(e) => return Err(e),
    };
    let mut src = source.pool().acquire().await?;
    let source_tables = tables::list(&mut src, source.backend()).await?;
    let mut tx = target.pool().begin().await?;
    tables::take_write_lock(&mut tx, target.backend()).await?;
    let target_tables = tables::list(&mut tx, target.backend()).await?;

    let mut report = TransferReport {
        dossiers: 0,
        rows: BTreeMap::new(),
        settings_copied: !set_up,
        register_renumbered: 0,
        access_entries: 0,
        source_heads: audit.heads,
        scan_files: 0,
    };
    let mut ids: HashMap<i64, i64> = HashMap::new();
    // (new id, old register book/line) for the "imported" events.
    let mut moved: Vec<(i64, i64, i64)> = Vec::new();

    for t in &target_tables {
        let Some(s) = source_tables.iter().find(|s| s.name == t.name) else {
            continue;
        };
        // The columns both have, in the target's order.
        let shared = Table {
            name: t.name.clone(),
            columns: t
                .columns
                .iter()
                .filter(|c| s.position(&c.name).is_some())
                .cloned()
                .collect(),
        };
        let rows = tables::read_all(&mut src, &shared).await?;
        let written = match t.name.as_str() {
            "settings" => copy_settings(&mut tx, &shared, rows, set_up, &source_agency).await?,
            "procedures" | "calendar_notices" => {
                if !set_up {
                    tables::exec(&mut tx, &format!("DELETE FROM {}", tables::quote(&t.name)))
                        .await?;
                }
                insert_rows(&mut tx, &shared, rows, set_up).await?
            }
            "day_counters" => merge_counters(&mut tx, target.backend(), &shared, rows).await?,
            // Rewritten from the moved dossiers below.
            "register_counters" => 0,
            // The centre keeps its own staff and record log; the commune's access log is
            // appended to the centre's chain below.
            "accounts" | "audit_log" | "audit_head" | "record_log" => 0,
            // The centre sends to its own destinations; what the commune had not yet sent
            // stays with the commune's file (its sender can still deliver it).
            "outbox_destinations" | "outbox_counters" | "outbox_messages" => 0,
            "dossiers" => {
                let (n, renumbered) =
                    copy_dossiers(&mut tx, &shared, rows, &mut ids, &mut moved).await?;
                report.dossiers = n;
                report.register_renumbered = renumbered;
                n
            }
            _ if shared.position("dossier_id").is_some() => {
                copy_children(&mut tx, &shared, rows, &ids).await?
            }
            _ => insert_rows(&mut tx, &shared, rows, true).await?,
        };
        report.rows.insert(t.name.clone(), written);
    }

    let from = source_agency.clone().unwrap_or_default();
    let now = crate::vntime::now();
    for (id, book, line) in &moved {
        append(
            &mut tx,
            *id,
            now,
            actor,
            NewEvent {
                kind: "imported",
                from_status: None,
                to_status: None,
                note: "",
                data: serde_json::json!({
                    "from_agency": from,
                    "register_book_before": book,
                    "register_line_before": line,
                }),
            },
        )
        .await?;
    }
    *report.rows.entry("events".into()).or_default() += moved.len() as u64;
    report.access_entries = carry_access_log(&mut src, &mut tx, &from).await?;
    access_log::append(
        &mut tx,
        now,
        actor,
        AccessKind::DatabaseImported,
        &from,
        serde_json::json!({
            "dossiers": report.dossiers,
            "access_entries": report.access_entries,
            "source_heads": report.source_heads,
        }),
    )
    .await?;
    *report.rows.entry("audit_log".into()).or_default() += report.access_entries + 1;
    // Settings, procedures and notices brought over join the target's record log.
    target.baseline_records(&mut tx, actor).await?;
    // Copied before the commit: a move that fails leaves only unnamed copies behind, never
    // events naming files the target lacks.
    report.scan_files = target.take_scans(&papers).await?;
    tx.commit().await?;
    Ok(report)
}

/// Appends the source's access log to the target's chain, oldest first. Each entry keeps its
/// moment, actor, desk, kind and subject; its data gains `imported` (the source agency and
/// the entry's id and hash there), so it can be traced back to the source's backups.
async fn carry_access_log(
    src: &mut sqlx::AnyConnection,
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    from_agency: &str,
) -> CoreResult<u64> {
    let rows = sqlx::query(
        "SELECT id, at, actor, desk, kind, subject, data_json, hash FROM audit_log ORDER BY id",
    )
    .fetch_all(&mut *src)
    .await?;
    let mut written = 0;
    for row in rows {
        let id: i64 = row.try_get("id")?;
        let data_json: String = row.try_get("data_json")?;
        let imported = serde_json::json!({
            "from": from_agency,
            "id": id,
            "hash": row.try_get::<String, _>("hash")?,
        });
        let data = match serde_json::from_str::<serde_json::Value>(&data_json) {
            Ok(serde_json::Value::Object(mut map)) => {
                map.insert("imported".into(), imported);
                serde_json::Value::Object(map)
            }
            Ok(other) => serde_json::json!({ "data": other, "imported": imported }),
            Err(_) => serde_json::json!({ "data_json": data_json, "imported": imported }),
        };
        let who = Actor::new(
            row.try_get::<String, _>("actor")?,
            row.try_get::<String, _>("desk")?,
        );
        access_log::append_entry(
            tx,
            row.try_get("at")?,
            &who,
            &row.try_get::<String, _>("kind")?,
            &row.try_get::<String, _>("subject")?,
            &data.to_string(),
        )
        .await?;
        written += 1;
    }
    Ok(written)
}

async fn insert_rows(
    conn: &mut sqlx::AnyConnection,
    table: &Table,
    rows: Vec<Vec<Value>>,
    keep_existing: bool,
) -> CoreResult<u64> {
    let mut inserter = Inserter::new(table.clone(), keep_existing);
    for row in rows {
        inserter.push(conn, row).await?;
    }
    inserter.flush(conn).await?;
    Ok(inserter.written)
}

async fn copy_settings(
    conn: &mut sqlx::AnyConnection,
    table: &Table,
    rows: Vec<Vec<Value>>,
    target_set_up: bool,
    source_agency: &Option<String>,
) -> CoreResult<u64> {
    let mut written = 0;
    for row in rows {
        let (Some(Value::Text(key)), Some(Value::Text(v))) =
            (value(&row, table, "key"), value(&row, table, "value"))
        else {
            continue;
        };
        let (key, replace) = if !target_set_up {
            if key == SEEDED {
                continue;
            }
            (key.clone(), true)
        } else if key == SLIP_SECRET {
            match source_agency {
                Some(agency) => (format!("{IMPORTED_SECRET_PREFIX}{agency}"), false),
                None => continue,
            }
        } else {
            continue;
        };
        let sql = if replace {
            "INSERT INTO settings (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value"
        } else {
            "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING"
        };
        written += sqlx::query(sql)
            .bind(key)
            .bind(v.clone())
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    Ok(written)
}

/// Each day's counter becomes the larger of the two: numbering continues after both.
async fn merge_counters(
    conn: &mut sqlx::AnyConnection,
    backend: Backend,
    table: &Table,
    rows: Vec<Vec<Value>>,
) -> CoreResult<u64> {
    let sql = match backend {
        Backend::Sqlite => {
            "INSERT INTO day_counters (agency_code, day, last_seq) VALUES ($1, $2, $3) \
             ON CONFLICT (agency_code, day) DO UPDATE SET last_seq = MAX(day_counters.last_seq, excluded.last_seq)"
        }
        Backend::Postgres => {
            "INSERT INTO day_counters (agency_code, day, last_seq) VALUES ($1, $2, $3) \
             ON CONFLICT (agency_code, day) DO UPDATE SET last_seq = GREATEST(day_counters.last_seq, excluded.last_seq)"
        }
    };
    let mut written = 0;
    for row in rows {
        let (Some(Value::Text(agency)), Some(Value::Text(day)), Some(last)) = (
            value(&row, table, "agency_code"),
            value(&row, table, "day"),
            int(value(&row, table, "last_seq")),
        ) else {
            continue;
        };
        written += sqlx::query(sql)
            .bind(agency.clone())
            .bind(day.clone())
            .bind(last)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    Ok(written)
}

/// Inserts the dossiers with new ids, their register lines following the target's.
async fn copy_dossiers(
    conn: &mut sqlx::AnyConnection,
    table: &Table,
    mut rows: Vec<Vec<Value>>,
    ids: &mut HashMap<i64, i64>,
    moved: &mut Vec<(i64, i64, i64)>,
) -> CoreResult<(u64, u64)> {
    // Oldest first, so that lines appended to an empty year come out as they were.
    let id_at = table.position("id");
    rows.sort_by_key(|r| id_at.and_then(|i| int(r.get(i))).unwrap_or(0));
    let mut registers: HashMap<i64, (i64, i64)> = HashMap::new();
    let existing = sqlx::query("SELECT year, book, last_line FROM register_counters")
        .fetch_all(&mut *conn)
        .await?;
    for row in existing {
        registers.insert(
            row.try_get("year")?,
            (row.try_get("book")?, row.try_get("last_line")?),
        );
    }
    let columns: Vec<&tables::Column> = table.columns.iter().filter(|c| c.name != "id").collect();
    let sql = format!(
        "INSERT INTO dossiers ({}) VALUES ({}) RETURNING id",
        columns
            .iter()
            .map(|c| tables::quote(&c.name))
            .collect::<Vec<_>>()
            .join(", "),
        (1..=columns.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let (mut n, mut renumbered) = (0u64, 0u64);
    let mut touched: Vec<i64> = Vec::new();
    for row in rows {
        let old_id = id_at.and_then(|i| int(row.get(i))).unwrap_or(0);
        let year = int(value(&row, table, "register_year")).unwrap_or(0);
        let old_book = int(value(&row, table, "register_book")).unwrap_or(1);
        let old_line = int(value(&row, table, "register_line")).unwrap_or(0);
        let entry = registers.entry(year).or_insert((old_book, 0));
        entry.1 += 1;
        let (book, line) = *entry;
        if !touched.contains(&year) {
            touched.push(year);
        }
        if (book, line) != (old_book, old_line) {
            renumbered += 1;
        }
        let mut query = sqlx::query(&sql);
        for c in &columns {
            let v = match c.name.as_str() {
                "register_book" => Value::Int(book),
                "register_line" => Value::Int(line),
                _ => value(&row, table, &c.name).cloned().unwrap_or(Value::Null),
            };
            query = tables::bind(query, &v, c.integer);
        }
        let new_id: i64 = query.fetch_one(&mut *conn).await?.try_get("id")?;
        ids.insert(old_id, new_id);
        moved.push((new_id, old_book, old_line));
        n += 1;
    }
    for year in touched {
        if let Some((book, last)) = registers.get(&year) {
            sqlx::query(
                "INSERT INTO register_counters (year, book, last_line) VALUES ($1, $2, $3) \
                 ON CONFLICT (year) DO UPDATE SET last_line = excluded.last_line",
            )
            .bind(year)
            .bind(*book)
            .bind(*last)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok((n, renumbered))
}

/// A moved event joins the target's hash chain as if appended now, in the source's order,
/// so `audit verify` holds after the move.
async fn chain_event(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    table: &Table,
    row: &mut [Value],
) -> CoreResult<()> {
    let cell = |name: &str| match table.position(name).map(|i| &row[i]) {
        Some(Value::Int(v)) => Cell::Int(*v),
        Some(Value::Text(v)) => Cell::Text(v.as_str()),
        _ => Cell::Null,
    };
    let cells = [
        cell("dossier_id"),
        cell("at"),
        cell("actor"),
        cell("kind"),
        cell("from_status"),
        cell("to_status"),
        cell("note"),
        cell("data_json"),
    ];
    let state_hash = match table.position("state_hash").map(|i| &row[i]) {
        Some(Value::Text(v)) => v.as_str(),
        _ => "",
    };
    let cells = super::events::event_cells(cells.to_vec(), state_hash);
    let link = chain::link(tx, Chain::Events, &cells).await?;
    if let Some(i) = table.position("prev_hash") {
        row[i] = Value::Text(link.prev_hash);
    }
    if let Some(i) = table.position("hash") {
        row[i] = Value::Text(link.hash);
    }
    Ok(())
}

/// Rows that belong to a dossier (events, search terms, pauses, hand-overs, and whatever
/// later migrations add): the dossier id follows the move, their own `id` is new.
async fn copy_children(
    conn: &mut sqlx::Transaction<'_, sqlx::Any>,
    table: &Table,
    rows: Vec<Vec<Value>>,
    ids: &HashMap<i64, i64>,
) -> CoreResult<u64> {
    let kept = Table {
        name: table.name.clone(),
        columns: table
            .columns
            .iter()
            .filter(|c| c.name != "id")
            .cloned()
            .collect(),
    };
    let mut inserter = Inserter::new(kept.clone(), false);
    for row in rows {
        let mut out = Vec::with_capacity(kept.columns.len());
        for c in &kept.columns {
            let v = value(&row, table, &c.name).cloned().unwrap_or(Value::Null);
            let v = if c.name == "dossier_id" {
                let old = int(Some(&v)).unwrap_or(0);
                Value::Int(*ids.get(&old).ok_or_else(|| {
                    CoreError::Json(format!("{}: a row of no dossier ({old})", table.name))
                })?)
            } else {
                v
            };
            out.push(v);
        }
        if table.name == "events" {
            chain_event(conn, &kept, &mut out).await?;
        }
        inserter.push(conn, out).await?;
    }
    inserter.flush(conn).await?;
    Ok(inserter.written)
}
