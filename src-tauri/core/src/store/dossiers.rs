//! Registering, reading, listing and searching dossiers.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sqlx::Row;

use super::events::{append, NewEvent};
use super::rows::{self, DOSSIER_COLUMNS, SUMMARY_COLUMNS};
use super::{Actor, Backend, Store};
use crate::calendar::due_at;
use crate::dossier::{Dossier, DossierSummary, ProcedureRef, RegisterLine};
use crate::error::{CoreError, CoreResult};
use crate::intake::{validate, IntakeRequest};
use crate::numbering::{day_part, format_code, normalize_code};
use crate::status::Status;
use crate::text::{digits_only, fold, suffix_terms};
use crate::validate::normalize_phone;
use crate::vntime::{self, to_millis, vn_date, vn_day_start};

/// What a list shows. Every condition is optional; they combine with AND.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Received on this Vietnam date.
    pub date: Option<NaiveDate>,
    /// Received on or after / on or before these Vietnam dates.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub status: Option<Status>,
    pub procedure: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// One search result and how it matched.
pub type SearchHit = DossierSummary;

const DEFAULT_LIMIT: i64 = 200;
const MAX_LIMIT: i64 = 1000;

fn to_json<T: serde::Serialize>(value: &T) -> CoreResult<String> {
    serde_json::to_string(value).map_err(|e| CoreError::Json(e.to_string()))
}

/// The first key after every key that starts with `prefix`, for an index range scan.
fn prefix_end(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

impl Store {
    /// Registers a dossier handed in at the desk: validates everything, then numbers and
    /// stores it with its "created" event in one transaction. A repeated `request_id`
    /// returns the dossier the first request made.
    pub async fn intake(&self, req: &IntakeRequest, actor: &Actor) -> CoreResult<Dossier> {
        self.intake_at(req, actor, vntime::now()).await
    }

    /// `intake` with an explicit "now" (the default reception time), for tests and imports.
    pub async fn intake_at(
        &self,
        req: &IntakeRequest,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> CoreResult<Dossier> {
        // Few round trips: the settings in one query, the calendar kept while its notices
        // are unchanged, the dossier returned from what was written rather than read back.
        let settings = self.intake_settings().await?;
        let agency = settings.agency;
        let procedure = self.procedure(&req.procedure).await?;
        let valid = validate(req, procedure, now)?;
        if let Some(existing) = self.by_request_id(valid.request_id.as_deref()).await? {
            return Ok(existing);
        }
        let first_number = settings.first_number;
        let calendar = self
            .calendar_at(settings.calendar_version.as_deref(), settings.rules)
            .await?;
        let due = due_at(
            &calendar,
            &settings.hours,
            valid.procedure.limit,
            valid.received_at,
        );

        let day = vn_date(valid.received_at);
        let day_key = day_part(day);
        let procedure_ref = ProcedureRef {
            code: valid.procedure.code.clone(),
            name: valid.procedure.name.clone(),
            field: valid.procedure.field.clone(),
            limit: valid.procedure.limit,
        };
        let fee_text = valid.procedure.fee_text.clone();
        let submitter_json = valid.submitter.as_ref().map(to_json).transpose()?;
        let next_seq_sql = match self.backend {
            Backend::Sqlite => {
                "INSERT INTO day_counters (agency_code, day, last_seq) VALUES ($1, $2, $3) \
                 ON CONFLICT (agency_code, day) DO UPDATE SET last_seq = MAX(day_counters.last_seq + 1, excluded.last_seq) \
                 RETURNING last_seq"
            }
            Backend::Postgres => {
                "INSERT INTO day_counters (agency_code, day, last_seq) VALUES ($1, $2, $3) \
                 ON CONFLICT (agency_code, day) DO UPDATE SET last_seq = GREATEST(day_counters.last_seq + 1, excluded.last_seq) \
                 RETURNING last_seq"
            }
        };

        let mut tx = self.pool.begin().await?;
        // The counter update comes first: on SQLite it takes the write lock at once, so
        // concurrent desks queue here instead of failing on a stale read snapshot.
        let seq: i64 = sqlx::query_scalar(next_seq_sql)
            .bind(agency.code.as_str())
            .bind(&day_key)
            .bind(first_number)
            .fetch_one(&mut *tx)
            .await?;
        let year = i64::from(day.year());
        let register = sqlx::query(
            "INSERT INTO register_counters (year, book, last_line) VALUES ($1, 1, 1) \
             ON CONFLICT (year) DO UPDATE SET last_line = register_counters.last_line + 1 RETURNING book, last_line",
        )
        .bind(year)
        .fetch_one(&mut *tx)
        .await?;
        let book: i64 = register.try_get("book")?;
        let line: i64 = register.try_get("last_line")?;
        let code = format_code(&agency.code, day, seq);
        let now_ms = to_millis(now);

        let inserted = sqlx::query(
            "INSERT INTO dossiers (code, agency_code, day, seq, request_id, status_code, procedure_code, procedure_json, \
             applicant_name, applicant_id_number, applicant_phone, applicant_email, applicant_address, submitter_json, \
             documents_json, sets, channel, return_json, received_at, due_at, fee_vnd, fee_text, note, \
             register_year, register_book, register_line, desk, issuer_json, version, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, \
             $23, $24, $25, $26, $27, $28, 1, $29) RETURNING id",
        )
        .bind(&code)
        .bind(agency.code.as_str())
        .bind(&day_key)
        .bind(seq)
        .bind(valid.request_id.clone())
        .bind(Status::Accepted.code())
        .bind(&procedure_ref.code)
        .bind(to_json(&procedure_ref)?)
        .bind(&valid.applicant.name)
        .bind(&valid.applicant.id_number)
        .bind(&valid.applicant.phone)
        .bind(&valid.applicant.email)
        .bind(&valid.applicant.address)
        .bind(submitter_json)
        .bind(to_json(&valid.documents)?)
        .bind(i64::from(valid.sets))
        .bind(valid.channel.as_str())
        .bind(to_json(&valid.return_method)?)
        .bind(to_millis(valid.received_at))
        .bind(to_millis(due))
        .bind(valid.fee_vnd)
        .bind(&fee_text)
        .bind(&valid.note)
        .bind(year)
        .bind(book)
        .bind(line)
        .bind(&actor.desk)
        .bind(to_json(&agency)?)
        .bind(now_ms)
        .fetch_one(&mut *tx)
        .await;
        let id: i64 = match inserted {
            Ok(row) => row.try_get("id")?,
            Err(e) if is_unique_violation(&e) && valid.request_id.is_some() => {
                // Another save of the same form won the race: answer with its dossier.
                tx.rollback().await?;
                if let Some(existing) = self.by_request_id(valid.request_id.as_deref()).await? {
                    return Ok(existing);
                }
                return Err(e.into());
            }
            Err(e) => return Err(e.into()),
        };
        let terms = suffix_terms(&fold(&valid.applicant.name));
        if !terms.is_empty() {
            let values: Vec<String> = (0..terms.len())
                .map(|i| format!("(${}, ${})", 2 * i + 1, 2 * i + 2))
                .collect();
            let sql = format!(
                "INSERT INTO dossier_terms (term, dossier_id) VALUES {} ON CONFLICT DO NOTHING",
                values.join(", ")
            );
            let mut query = sqlx::query(&sql);
            for term in terms {
                query = query.bind(term).bind(id);
            }
            query.execute(&mut *tx).await?;
        }
        append(
            &mut tx,
            id,
            now,
            actor,
            NewEvent {
                kind: "created",
                from_status: None,
                to_status: Some(Status::Accepted),
                note: "",
                data: serde_json::json!({ "code": code, "due_at": vntime::rfc3339_vn(due) }),
            },
        )
        .await?;
        tx.commit().await?;
        // As `rows::dossier` would read it back: instants to the millisecond.
        Ok(Dossier {
            code,
            status: Status::Accepted,
            procedure: procedure_ref,
            applicant: valid.applicant,
            submitter: valid.submitter,
            documents: valid.documents,
            sets: valid.sets,
            channel: valid.channel,
            return_method: valid.return_method,
            received_at: vntime::from_millis(to_millis(valid.received_at)),
            due_at: vntime::from_millis(to_millis(due)),
            fee_vnd: valid.fee_vnd,
            fee_text,
            note: valid.note,
            register: RegisterLine {
                year: day.year(),
                book,
                line,
            },
            desk: actor.desk.clone(),
            issuer: agency,
            version: 1,
        })
    }

    async fn by_request_id(&self, request_id: Option<&str>) -> CoreResult<Option<Dossier>> {
        let Some(request_id) = request_id else {
            return Ok(None);
        };
        let sql = format!("SELECT {DOSSIER_COLUMNS} FROM dossiers WHERE request_id = $1");
        let row = sqlx::query(&sql)
            .bind(request_id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(rows::dossier).transpose()
    }

    /// One dossier by its code, typed or scanned in any case.
    pub async fn dossier(&self, code: &str) -> CoreResult<Dossier> {
        let wanted = normalize_code(code).unwrap_or_else(|| code.trim().to_string());
        let sql = format!("SELECT {DOSSIER_COLUMNS} FROM dossiers WHERE code = $1");
        let row = sqlx::query(&sql)
            .bind(&wanted)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(row) => rows::dossier(&row),
            None => Err(CoreError::DossierNotFound { code: wanted }),
        }
    }

    pub(super) async fn dossier_id(&self, code: &str) -> CoreResult<i64> {
        let wanted = normalize_code(code).unwrap_or_else(|| code.trim().to_string());
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM dossiers WHERE code = $1")
            .bind(&wanted)
            .fetch_optional(&self.pool)
            .await?;
        id.ok_or(CoreError::DossierNotFound { code: wanted })
    }

    /// Dossiers by reception date, status and procedure, newest first.
    pub async fn list(&self, filter: &ListFilter) -> CoreResult<Vec<DossierSummary>> {
        let mut sql = format!("SELECT {SUMMARY_COLUMNS} FROM dossiers WHERE 1 = 1");
        let mut binds: Vec<Bind> = Vec::new();
        let arg = |binds: &mut Vec<Bind>, value: Bind| {
            binds.push(value);
            format!("${}", binds.len())
        };
        let (from, to) = match filter.date {
            Some(d) => (Some(d), Some(d)),
            None => (filter.from, filter.to),
        };
        if let Some(from) = from {
            let p = arg(&mut binds, Bind::Int(to_millis(vn_day_start(from))));
            sql.push_str(&format!(" AND received_at >= {p}"));
        }
        if let Some(to) = to {
            let end = to
                .succ_opt()
                .map(vn_day_start)
                .unwrap_or(DateTime::<Utc>::MAX_UTC);
            let p = arg(&mut binds, Bind::Int(to_millis(end)));
            sql.push_str(&format!(" AND received_at < {p}"));
        }
        if let Some(status) = filter.status {
            let p = arg(&mut binds, Bind::Int(status.code()));
            sql.push_str(&format!(" AND status_code = {p}"));
        }
        if let Some(procedure) = &filter.procedure {
            let p = arg(&mut binds, Bind::Text(procedure.trim().to_string()));
            sql.push_str(&format!(" AND procedure_code = {p}"));
        }
        let limit = filter.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
        let offset = filter.offset.unwrap_or(0).max(0);
        sql.push_str(&format!(
            " ORDER BY received_at DESC, id DESC LIMIT {limit} OFFSET {offset}"
        ));
        let mut query = sqlx::query(&sql);
        for b in binds {
            query = match b {
                Bind::Int(i) => query.bind(i),
                Bind::Text(s) => query.bind(s),
            };
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter().map(rows::summary).collect()
    }

    /// Finds dossiers by applicant name (diacritics and case ignored, from the start of the
    /// name or of any later word), by code, by ID number or by phone.
    pub async fn search(&self, text: &str, limit: i64) -> CoreResult<Vec<SearchHit>> {
        let limit = limit.clamp(1, MAX_LIMIT);
        let text = crate::text::clean_line(text);
        if text.is_empty() {
            return Ok(Vec::new());
        }
        let mut hits: Vec<DossierSummary> = Vec::new();
        let push = |found: Vec<DossierSummary>, hits: &mut Vec<DossierSummary>| {
            for d in found {
                if !hits.iter().any(|h| h.code == d.code) {
                    hits.push(d);
                }
            }
        };

        let upper = text.to_ascii_uppercase();
        if let Some(code) = normalize_code(&text) {
            push(
                self.summaries_where("code = $1", &[Bind::Text(code)], limit)
                    .await?,
                &mut hits,
            );
        } else if upper.contains('-')
            || upper.contains('.') && upper.chars().any(|c| c.is_ascii_digit())
        {
            push(
                self.summaries_where(
                    "code >= $1 AND code < $2",
                    &[Bind::Text(upper.clone()), Bind::Text(prefix_end(&upper))],
                    limit,
                )
                .await?,
                &mut hits,
            );
        }

        let digits = digits_only(&text);
        let numeric = !digits.is_empty()
            && text
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '+' | '(' | ')'));
        if numeric && digits.len() >= 3 {
            push(
                self.summaries_where(
                    "applicant_id_number >= $1 AND applicant_id_number < $2",
                    &[Bind::Text(digits.clone()), Bind::Text(prefix_end(&digits))],
                    limit,
                )
                .await?,
                &mut hits,
            );
            let phone = normalize_phone(&text).unwrap_or_else(|| {
                if text.trim_start().starts_with('+') {
                    format!("0{}", digits.trim_start_matches("84"))
                } else {
                    digits.clone()
                }
            });
            push(
                self.summaries_where(
                    "applicant_phone >= $1 AND applicant_phone < $2",
                    &[Bind::Text(phone.clone()), Bind::Text(prefix_end(&phone))],
                    limit,
                )
                .await?,
                &mut hits,
            );
        } else if !numeric && upper.len() >= 6 && upper.chars().all(|c| c.is_ascii_alphanumeric()) {
            push(
                self.summaries_where(
                    "applicant_id_number = $1",
                    &[Bind::Text(upper.clone())],
                    limit,
                )
                .await?,
                &mut hits,
            );
        }

        let folded = fold(&text);
        if !numeric && !folded.is_empty() {
            let sql = format!(
                "SELECT {SUMMARY_COLUMNS} FROM dossiers WHERE id IN \
                 (SELECT dossier_id FROM dossier_terms WHERE term >= $1 AND term < $2 ORDER BY term, dossier_id DESC LIMIT {limit}) \
                 ORDER BY applicant_name, received_at DESC"
            );
            let rows = sqlx::query(&sql)
                .bind(&folded)
                .bind(prefix_end(&folded))
                .fetch_all(&self.pool)
                .await?;
            let found = rows
                .iter()
                .map(rows::summary)
                .collect::<CoreResult<Vec<_>>>()?;
            push(found, &mut hits);
        }
        hits.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        Ok(hits)
    }

    async fn summaries_where(
        &self,
        condition: &str,
        binds: &[Bind],
        limit: i64,
    ) -> CoreResult<Vec<DossierSummary>> {
        let sql = format!("SELECT {SUMMARY_COLUMNS} FROM dossiers WHERE {condition} ORDER BY received_at DESC LIMIT {limit}");
        let mut query = sqlx::query(&sql);
        for b in binds {
            query = match b {
                Bind::Int(i) => query.bind(*i),
                Bind::Text(s) => query.bind(s.clone()),
            };
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter().map(rows::summary).collect()
    }

    /// The applicant's details from their most recent dossier, for a returning citizen.
    pub async fn last_applicant(
        &self,
        id_number: &str,
    ) -> CoreResult<Option<crate::dossier::Applicant>> {
        let wanted = id_number.trim().to_ascii_uppercase();
        let sql = format!("SELECT {DOSSIER_COLUMNS} FROM dossiers WHERE applicant_id_number = $1 ORDER BY received_at DESC LIMIT 1");
        let row = sqlx::query(&sql)
            .bind(&wanted)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row
            .as_ref()
            .map(rows::dossier)
            .transpose()?
            .map(|d| d.applicant))
    }

    /// How many dossiers the database holds.
    pub async fn count(&self) -> CoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM dossiers")
            .fetch_one(&self.pool)
            .await?)
    }
}

enum Bind {
    Int(i64),
    Text(String),
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => db.is_unique_violation(),
        _ => false,
    }
}
