//! The register book (Sổ theo dõi hồ sơ, Mẫu 06): a line per dossier received in a period,
//! with when it went to the processing unit, came back and was returned.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;

use super::report::period;
use super::rows::json;
use super::{Actor, Store};
use crate::documents::{register_pdf, RegisterEntry};
use crate::dossier::ProcedureRef;
use crate::error::{CoreError, CoreResult};
use crate::form_set::Form;
use crate::status::Status;
use crate::vntime::{self, from_millis, to_millis};

impl Store {
    /// The lines of the register book for dossiers received on the Vietnam dates
    /// `from..=to`, in book order.
    pub async fn register_entries(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> CoreResult<Vec<RegisterEntry>> {
        let (start, end) = period(from, to)?;
        let rows = sqlx::query(
            "SELECT d.code, d.status_code, d.procedure_json, d.applicant_name, d.applicant_address, \
             d.applicant_phone, d.sets, d.received_at, d.due_at, d.register_year, d.register_book, \
             d.register_line, d.authority, \
             (SELECT MIN(b.at) FROM transfers t JOIN transfer_batches b ON b.id = t.batch_id \
              WHERE t.dossier_id = d.id AND b.direction = 'to_unit') AS sent_at, \
             (SELECT b.unit FROM transfers t JOIN transfer_batches b ON b.id = t.batch_id \
              WHERE t.dossier_id = d.id AND b.direction = 'to_unit' ORDER BY b.at, b.id LIMIT 1) AS unit, \
             (SELECT MIN(e.at) FROM events e WHERE e.dossier_id = d.id AND e.to_status = 9) AS result_at, \
             h.at AS returned_at, h.receiver_name, h.method, h.tracking \
             FROM dossiers d LEFT JOIN handovers h ON h.dossier_id = d.id \
             WHERE d.received_at >= $1 AND d.received_at < $2 \
             ORDER BY d.register_year, d.register_line",
        )
        .bind(to_millis(start))
        .bind(to_millis(end))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let procedure: ProcedureRef = json(r, "procedure_json")?;
                let at = |col: &str| -> CoreResult<Option<DateTime<Utc>>> {
                    Ok(r.try_get::<Option<i64>, _>(col)?.map(from_millis))
                };
                let code: i64 = r.try_get("status_code")?;
                let by_post = r.try_get::<Option<String>, _>("method")?.as_deref() == Some("post");
                let returned_to = if by_post {
                    r.try_get::<Option<String>, _>("tracking")?
                } else {
                    r.try_get::<Option<String>, _>("receiver_name")?
                };
                Ok(RegisterEntry {
                    year: i32::try_from(r.try_get::<i64, _>("register_year")?).unwrap_or(0),
                    book: r.try_get("register_book")?,
                    line: r.try_get("register_line")?,
                    code: r.try_get("code")?,
                    procedure_name: procedure.name,
                    sets: u32::try_from(r.try_get::<i64, _>("sets")?).unwrap_or(1),
                    applicant_name: r.try_get("applicant_name")?,
                    address: r.try_get("applicant_address")?,
                    phone: r.try_get("applicant_phone")?,
                    unit: r.try_get::<Option<String>, _>("unit")?.unwrap_or_default(),
                    authority: r.try_get("authority")?,
                    received_at: from_millis(r.try_get("received_at")?),
                    due_at: from_millis(r.try_get("due_at")?),
                    sent_at: at("sent_at")?,
                    result_at: at("result_at")?,
                    returned_at: at("returned_at")?,
                    returned_by_post: by_post,
                    returned_to: returned_to.unwrap_or_default(),
                    status: Status::from_code(code)
                        .ok_or_else(|| CoreError::Json(format!("status_code {code}")))?,
                })
            })
            .collect()
    }

    /// The register book (Mẫu 06) for a period, as PDF.
    pub async fn register_pdf(&self, from: NaiveDate, to: NaiveDate) -> CoreResult<Vec<u8>> {
        let entries = self.register_entries(from, to).await?;
        self.render_register(from, to, &entries).await
    }

    /// The register book taken out of the desk by `actor` (a file, not the screen): it
    /// holds names, addresses and phones, so it is logged as an export of personal data
    /// with its number of lines.
    pub async fn export_register(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        actor: &Actor,
        now: chrono::DateTime<chrono::Utc>,
    ) -> CoreResult<Vec<u8>> {
        let entries = self.register_entries(from, to).await?;
        let pdf = self.render_register(from, to, &entries).await?;
        let what = format!("register {from}..{to}");
        self.log_export(actor, &what, entries.len() as u64, now)
            .await?;
        Ok(pdf)
    }

    async fn render_register(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        entries: &[RegisterEntry],
    ) -> CoreResult<Vec<u8>> {
        let agency = self.agency().await?;
        let set = self.form_set().await?;
        let opts = Self::form_options(set, Form::Register, vntime::now())?;
        register_pdf(&agency, from, to, entries, &opts).map_err(CoreError::from)
    }
}
