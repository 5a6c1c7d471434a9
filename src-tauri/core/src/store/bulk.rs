//! Loading many validated dossiers at once, with their later history: a busy centre's year
//! in minutes, for the benchmark. The same tables and numbering rules as `intake` (codes
//! consecutive per agency and Vietnam day from the first number, register lines per year,
//! search terms, the "created" event), the same transitions as `transition` and `handover`;
//! the events hash-chained as `events::append` chains them; only the statements are
//! batched, many rows each, in one transaction per call.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Utc};
use sqlx::{Any, Row, Transaction};

use super::events::EventRow;
use super::{Actor, Backend, Store};
use crate::dossier::ProcedureRef;
use crate::error::{CoreError, CoreResult, Problem};
use crate::handover::Rating;
use crate::intake::ValidIntake;
use crate::lifecycle::allowed;
use crate::numbering::{day_part, format_code};
use crate::status::Status;
use crate::text::{fold, suffix_terms};
use crate::vntime::{self, to_millis, vn_date};

/// A dossier that passed `intake::validate`, with its appointment and what happened to it.
#[derive(Debug, Clone)]
pub struct BulkDossier {
    pub intake: ValidIntake,
    /// From `calendar::due_at` for the procedure's limit and the reception time.
    pub due_at: DateTime<Utc>,
    /// Status changes after reception, in time order; a move to Returned is a hand-over to
    /// the applicant in person.
    pub steps: Vec<(DateTime<Utc>, Status)>,
    pub rating: Option<Rating>,
}

/// Rows per INSERT: SQLite allows 32,766 bound values in a statement, PostgreSQL 65,535.
const DOSSIER_ROWS: usize = 250;
const SMALL_ROWS: usize = 1000;

const DOSSIER_INSERT: &str = "INSERT INTO dossiers (code, agency_code, day, seq, request_id, status_code, \
    procedure_code, procedure_json, applicant_name, applicant_id_number, applicant_phone, applicant_email, \
    applicant_address, submitter_json, documents_json, sets, channel, return_json, received_at, due_at, fee_vnd, \
    fee_text, note, register_year, register_book, register_line, desk, issuer_json, version, updated_at) VALUES ";
const DOSSIER_COLS: usize = 30;

fn to_json<T: serde::Serialize>(value: &T) -> CoreResult<String> {
    serde_json::to_string(value).map_err(|e| CoreError::Json(e.to_string()))
}

/// `($1, $2, …), ($n+1, …)` for `rows` rows of `cols` values; plain `?` on SQLite, which
/// looks numbered parameters up by name one at a time: with thousands in a statement, that
/// search dominated the whole load.
fn placeholders(backend: Backend, rows: usize, cols: usize) -> String {
    let mut out = String::with_capacity(rows * cols * 5);
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for c in 0..cols {
            if c > 0 {
                out.push_str(", ");
            }
            match backend {
                Backend::Sqlite => out.push('?'),
                Backend::Postgres => {
                    out.push('$');
                    out.push_str(&(r * cols + c + 1).to_string());
                }
            }
        }
        out.push(')');
    }
    out
}

enum Value {
    Int(i64),
    OptInt(Option<i64>),
    Text(String),
    OptText(Option<String>),
}

async fn insert_rows(
    tx: &mut Transaction<'_, Any>,
    backend: Backend,
    head: &str,
    cols: usize,
    rows: &[Vec<Value>],
    tail: &str,
) -> CoreResult<Vec<sqlx::any::AnyRow>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("{head}{}{tail}", placeholders(backend, rows.len(), cols));
    let mut query = sqlx::query(&sql);
    for row in rows {
        for v in row {
            query = match v {
                Value::Int(i) => query.bind(*i),
                Value::OptInt(i) => query.bind(*i),
                Value::Text(s) => query.bind(s.clone()),
                Value::OptText(s) => query.bind(s.clone()),
            };
        }
    }
    Ok(query.fetch_all(&mut **tx).await?)
}

/// Refuses a history that `transition` would refuse: every step allowed after the one
/// before, none before reception, none going back in time.
fn check_steps(d: &BulkDossier) -> CoreResult<()> {
    let mut status = Status::Accepted;
    let mut at = d.intake.received_at;
    for (t, next) in &d.steps {
        if !allowed(status, *next) || *t < at {
            return Err(CoreError::invalid(
                "history",
                Problem::Invalid {
                    detail: format!("{} -> {}", status.code(), next.code()),
                },
            ));
        }
        (status, at) = (*next, *t);
    }
    Ok(())
}

impl Store {
    /// Registers `batch` in one transaction, in order of reception, and returns the codes
    /// given. For loading test data: the benchmark's million dossiers.
    pub async fn insert_bulk(
        &self,
        batch: &[BulkDossier],
        actor: &Actor,
    ) -> CoreResult<Vec<String>> {
        for d in batch {
            check_steps(d)?;
        }
        let agency = self.agency().await?;
        let first_number = self.first_number().await?;
        let issuer_json = to_json(&agency)?;
        let mut order: Vec<usize> = (0..batch.len()).collect();
        order.sort_by_key(|&i| batch[i].intake.received_at);

        let greatest = match self.backend {
            Backend::Sqlite => "MAX",
            Backend::Postgres => "GREATEST",
        };
        // As in `intake`, the next number is max(last + 1, first number); k at once here.
        let day_sql = format!(
            "INSERT INTO day_counters (agency_code, day, last_seq) VALUES ($1, $2, $3) \
             ON CONFLICT (agency_code, day) DO UPDATE SET last_seq = {greatest}(day_counters.last_seq + $4, excluded.last_seq) \
             RETURNING last_seq"
        );

        let mut tx = self.pool.begin().await?;
        // The events chain's head first, as in `intake` and every append (`store/audit.rs`):
        // it takes the write lock (SQLite) or the head's row lock (PostgreSQL) at once, so
        // every event of the batch follows the head and no other desk's event comes between.
        let count: usize = batch.iter().map(|d| 1 + d.steps.len()).sum();
        let mut prev_hash: String = sqlx::query_scalar(
            "UPDATE audit_head SET entries = entries + $1 WHERE chain = 'events' RETURNING last_hash",
        )
        .bind(i64::try_from(count).unwrap_or(i64::MAX))
        .fetch_one(&mut *tx)
        .await?;
        let mut per_day: Vec<(String, i64)> = Vec::new();
        for &i in &order {
            let key = day_part(vn_date(batch[i].intake.received_at));
            match per_day.last_mut() {
                Some((k, n)) if *k == key => *n += 1,
                _ => per_day.push((key, 1)),
            }
        }
        let mut seqs: Vec<i64> = Vec::with_capacity(batch.len());
        for (day, count) in &per_day {
            let last: i64 = sqlx::query_scalar(&day_sql)
                .bind(agency.code.as_str())
                .bind(day)
                .bind(first_number + count - 1)
                .bind(*count)
                .fetch_one(&mut *tx)
                .await?;
            seqs.extend(last - count + 1..=last);
        }
        let mut per_year: Vec<(i64, i64)> = Vec::new();
        for &i in &order {
            let year = i64::from(vn_date(batch[i].intake.received_at).year());
            match per_year.iter_mut().find(|(y, _)| *y == year) {
                Some((_, n)) => *n += 1,
                None => per_year.push((year, 1)),
            }
        }
        let mut lines: HashMap<i64, (i64, i64)> = HashMap::new();
        for (year, count) in &per_year {
            let row = sqlx::query(
                "INSERT INTO register_counters (year, book, last_line) VALUES ($1, 1, $2) \
                 ON CONFLICT (year) DO UPDATE SET last_line = register_counters.last_line + $3 RETURNING book, last_line",
            )
            .bind(*year)
            .bind(*count)
            .bind(*count)
            .fetch_one(&mut *tx)
            .await?;
            let book: i64 = row.try_get("book")?;
            let last: i64 = row.try_get("last_line")?;
            lines.insert(*year, (book, last - count + 1));
        }

        let mut codes = Vec::with_capacity(batch.len());
        let mut ids: HashMap<String, i64> = HashMap::with_capacity(batch.len());
        for chunk in order.chunks(DOSSIER_ROWS) {
            let mut rows = Vec::with_capacity(chunk.len());
            for &i in chunk {
                let d = &batch[i];
                let v = &d.intake;
                let day = vn_date(v.received_at);
                let seq = seqs[codes.len()];
                let code = format_code(&agency.code, day, seq);
                let year = i64::from(day.year());
                let (book, line) = lines
                    .get_mut(&year)
                    .map(|e| {
                        let l = e.1;
                        e.1 += 1;
                        (e.0, l)
                    })
                    .unwrap_or((1, 1));
                let procedure_ref = ProcedureRef {
                    code: v.procedure.code.clone(),
                    name: v.procedure.name.clone(),
                    field: v.procedure.field.clone(),
                    limit: v.procedure.limit,
                };
                let (status, updated) = d
                    .steps
                    .last()
                    .map(|(t, s)| (*s, *t))
                    .unwrap_or((Status::Accepted, v.received_at));
                let version = 1 + i64::try_from(d.steps.len()).unwrap_or(0);
                rows.push(vec![
                    Value::Text(code.clone()),
                    Value::Text(agency.code.as_str().to_string()),
                    Value::Text(day_part(day)),
                    Value::Int(seq),
                    Value::OptText(v.request_id.clone()),
                    Value::Int(status.code()),
                    Value::Text(procedure_ref.code.clone()),
                    Value::Text(to_json(&procedure_ref)?),
                    Value::Text(v.applicant.name.clone()),
                    Value::Text(v.applicant.id_number.clone()),
                    Value::Text(v.applicant.phone.clone()),
                    Value::Text(v.applicant.email.clone()),
                    Value::Text(v.applicant.address.clone()),
                    Value::OptText(v.submitter.as_ref().map(to_json).transpose()?),
                    Value::Text(to_json(&v.documents)?),
                    Value::Int(i64::from(v.sets)),
                    Value::Text(v.channel.as_str().to_string()),
                    Value::Text(to_json(&v.return_method)?),
                    Value::Int(to_millis(v.received_at)),
                    Value::Int(to_millis(d.due_at)),
                    Value::OptInt(v.fee_vnd),
                    Value::Text(v.procedure.fee_text.clone()),
                    Value::Text(v.note.clone()),
                    Value::Int(year),
                    Value::Int(book),
                    Value::Int(line),
                    Value::Text(actor.desk.clone()),
                    Value::Text(issuer_json.clone()),
                    Value::Int(version),
                    Value::Int(to_millis(updated)),
                ]);
                codes.push(code);
            }
            let returned = insert_rows(
                &mut tx,
                self.backend,
                DOSSIER_INSERT,
                DOSSIER_COLS,
                &rows,
                " RETURNING id, code",
            )
            .await?;
            for row in returned {
                ids.insert(row.try_get("code")?, row.try_get("id")?);
            }
        }

        let id_of = |pos: usize| -> CoreResult<i64> {
            ids.get(&codes[pos])
                .copied()
                .ok_or_else(|| CoreError::DossierNotFound {
                    code: codes[pos].clone(),
                })
        };
        let mut terms = Vec::new();
        let mut events = Vec::new();
        let mut handovers = Vec::new();
        for (pos, &i) in order.iter().enumerate() {
            let d = &batch[i];
            let id = id_of(pos)?;
            for term in suffix_terms(&fold(&d.intake.applicant.name)) {
                terms.push(vec![Value::Text(term), Value::Int(id)]);
            }
            let mut event = |at: DateTime<Utc>,
                             kind: &str,
                             from: Option<Status>,
                             to: Status,
                             mut data: serde_json::Value| {
                if let serde_json::Value::Object(map) = &mut data {
                    map.insert("desk".into(), serde_json::Value::String(actor.desk.clone()));
                }
                let data_json = data.to_string();
                let row = EventRow {
                    dossier_id: id,
                    at: to_millis(at),
                    actor: &actor.name,
                    kind,
                    from_status: from.map(Status::code),
                    to_status: Some(to.code()),
                    note: "",
                    data_json: &data_json,
                };
                let hash = row.hash(&prev_hash);
                events.push(vec![
                    Value::Int(id),
                    Value::Int(row.at),
                    Value::Text(actor.name.clone()),
                    Value::Text(kind.to_string()),
                    Value::OptInt(row.from_status),
                    Value::Int(to.code()),
                    Value::Text(String::new()),
                    Value::Text(data_json.clone()),
                    Value::Text(std::mem::replace(&mut prev_hash, hash.clone())),
                    Value::Text(hash),
                ]);
            };
            event(
                d.intake.received_at,
                "created",
                None,
                Status::Accepted,
                serde_json::json!({ "code": codes[pos], "due_at": vntime::rfc3339_vn(d.due_at) }),
            );
            let mut from = Status::Accepted;
            for (at, to) in &d.steps {
                if *to == Status::Returned {
                    event(
                        *at,
                        "handed_over",
                        Some(from),
                        *to,
                        serde_json::json!({ "method": "person", "is_applicant": true, "tracking": "", "rating": d.rating }),
                    );
                    handovers.push(vec![
                        Value::Int(id),
                        Value::Text("person".into()),
                        Value::Text(d.intake.applicant.name.clone()),
                        Value::Text(d.intake.applicant.id_number.clone()),
                        Value::Int(1),
                        Value::Text(String::new()),
                        Value::Text(String::new()),
                        Value::Int(to_millis(*at)),
                        Value::Text(actor.name.clone()),
                        Value::OptInt(d.rating.map(Rating::code)),
                    ]);
                } else {
                    event(
                        *at,
                        "status_changed",
                        Some(from),
                        *to,
                        serde_json::json!({}),
                    );
                }
                from = *to;
            }
        }
        for chunk in terms.chunks(SMALL_ROWS) {
            insert_rows(
                &mut tx,
                self.backend,
                "INSERT INTO dossier_terms (term, dossier_id) VALUES ",
                2,
                chunk,
                " ON CONFLICT DO NOTHING",
            )
            .await?;
        }
        // In chain order: the ids grow as the hashes follow one another.
        for chunk in events.chunks(SMALL_ROWS / 2) {
            insert_rows(
                &mut tx,
                self.backend,
                "INSERT INTO events (dossier_id, at, actor, kind, from_status, to_status, note, data_json, prev_hash, hash) VALUES ",
                10,
                chunk,
                "",
            )
            .await?;
        }
        for chunk in handovers.chunks(SMALL_ROWS / 2) {
            insert_rows(
                &mut tx,
                self.backend,
                "INSERT INTO handovers (dossier_id, method, receiver_name, receiver_id, is_applicant, authorisation, tracking, at, clerk, rating) VALUES ",
                10,
                chunk,
                "",
            )
            .await?;
        }
        sqlx::query("UPDATE audit_head SET last_hash = $1 WHERE chain = 'events'")
            .bind(&prev_hash)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(codes)
    }
}
