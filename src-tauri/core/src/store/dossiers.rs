//! Reading, listing and searching dossiers (registering them is `intake.rs`).

use chrono::{DateTime, NaiveDate, Utc};

use super::rows::{self, DOSSIER_COLUMNS, SUMMARY_COLUMNS};
use super::Store;
use crate::dossier::{Dossier, DossierSummary};
use crate::error::{CoreError, CoreResult};
use crate::numbering::normalize_code;
use crate::status::Status;
use crate::text::{digits_only, fold};
use crate::validate::normalize_phone;
use crate::vntime::{to_millis, vn_date, vn_day_start};

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
    /// One of the desk's working lists, judged at the given instant.
    pub worklist: Option<(Worklist, DateTime<Utc>)>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// The lists a desk works from besides the day's intake.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Worklist {
    /// Still being processed, appointment today.
    DueToday,
    /// Still being processed, appointment on an earlier day.
    Overdue,
    /// Result ready at the desk, not collected yet.
    Ready,
}

/// Statuses whose clock runs (`dashboard::CLOCK_RUNNING`): a paused dossier (5, 6) gets a new
/// appointment when it resumes.
fn running() -> String {
    let codes: Vec<String> = crate::dashboard::CLOCK_RUNNING
        .iter()
        .map(|s| s.code().to_string())
        .collect();
    format!("status_code IN ({})", codes.join(", "))
}

/// One search result and how it matched.
pub type SearchHit = DossierSummary;

const DEFAULT_LIMIT: i64 = 200;
const MAX_LIMIT: i64 = 1000;

/// The first key after every key that starts with `prefix`, for an index range scan.
fn prefix_end(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

impl Store {
    /// The full code of what a clerk typed: a whole code, or today's number alone (see
    /// `numbering::complete_code`); anything else comes back as typed, to be not found.
    pub async fn complete_code(&self, typed: &str, now: DateTime<Utc>) -> CoreResult<String> {
        let agency = self.agency().await?;
        Ok(
            crate::numbering::complete_code(typed, &agency.code, crate::vntime::vn_date(now))
                .unwrap_or_else(|| typed.trim().to_string()),
        )
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
        let mut sql = String::from("SELECT id FROM dossiers WHERE 1 = 1");
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
        let mut order = "received_at DESC, id DESC";
        match filter.worklist {
            Some((Worklist::DueToday, now)) => {
                let today = vn_date(now);
                let start = arg(&mut binds, Bind::Int(to_millis(vn_day_start(today))));
                let end = today
                    .succ_opt()
                    .map(vn_day_start)
                    .unwrap_or(DateTime::<Utc>::MAX_UTC);
                let end = arg(&mut binds, Bind::Int(to_millis(end)));
                sql.push_str(&format!(
                    " AND {} AND due_at >= {start} AND due_at < {end}",
                    running()
                ));
                order = "due_at, id";
            }
            Some((Worklist::Overdue, now)) => {
                // Late is judged by date, as the report judges it: due before today.
                let p = arg(&mut binds, Bind::Int(to_millis(vn_day_start(vn_date(now)))));
                sql.push_str(&format!(" AND {} AND due_at < {p}", running()));
                order = "due_at, id";
            }
            Some((Worklist::Ready, _)) => {
                let p = arg(&mut binds, Bind::Int(Status::Ready.code()));
                sql.push_str(&format!(" AND status_code = {p}"));
                order = "updated_at, id";
            }
            None => {}
        }
        let limit = filter.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
        let offset = filter.offset.unwrap_or(0).max(0);
        // The page is found among the ids alone, in an index that holds the order (migration
        // 0008), and only its rows are read: a page deep in a million costs an index walk,
        // not a million row reads.
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM dossiers WHERE id IN ({sql} \
             ORDER BY {order} LIMIT {limit} OFFSET {offset}) ORDER BY {order}"
        );
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
