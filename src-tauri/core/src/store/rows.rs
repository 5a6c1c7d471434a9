//! Reading dossier rows back into domain types.

use serde::de::DeserializeOwned;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::agency::Agency;
use crate::dossier::{
    Applicant, Channel, Dossier, DossierSummary, ProcedureRef, ReceivedDocument, RegisterLine,
    ReturnMethod, Submitter,
};
use crate::error::{CoreError, CoreResult};
use crate::status::Status;
use crate::vntime::from_millis;

pub(super) const DOSSIER_COLUMNS: &str = "id, code, status_code, procedure_json, applicant_name, applicant_id_number, \
    applicant_phone, applicant_email, applicant_address, submitter_json, documents_json, sets, channel, return_json, \
    received_at, due_at, fee_vnd, fee_text, note, register_year, register_book, register_line, desk, issuer_json, version, authority";

pub(super) const SUMMARY_COLUMNS: &str =
    "id, code, status_code, procedure_code, procedure_json, applicant_name, \
    applicant_id_number, applicant_phone, received_at, due_at, authority";

pub(super) fn json<T: DeserializeOwned>(row: &AnyRow, col: &str) -> CoreResult<T> {
    let text: String = row.try_get(col)?;
    serde_json::from_str(&text).map_err(|e| CoreError::Json(format!("{col}: {e}")))
}

fn status(row: &AnyRow) -> CoreResult<Status> {
    let code: i64 = row.try_get("status_code")?;
    Status::from_code(code).ok_or_else(|| CoreError::Json(format!("status_code {code}")))
}

pub(super) fn dossier(row: &AnyRow) -> CoreResult<Dossier> {
    let submitter: Option<String> = row.try_get("submitter_json")?;
    let submitter: Option<Submitter> = match submitter {
        Some(text) => {
            Some(serde_json::from_str(&text).map_err(|e| CoreError::Json(e.to_string()))?)
        }
        None => None,
    };
    let channel: String = row.try_get("channel")?;
    Ok(Dossier {
        code: row.try_get("code")?,
        status: status(row)?,
        procedure: json::<ProcedureRef>(row, "procedure_json")?,
        applicant: Applicant {
            name: row.try_get("applicant_name")?,
            id_number: row.try_get("applicant_id_number")?,
            phone: row.try_get("applicant_phone")?,
            email: row.try_get("applicant_email")?,
            address: row.try_get("applicant_address")?,
        },
        submitter,
        documents: json::<Vec<ReceivedDocument>>(row, "documents_json")?,
        sets: u32::try_from(row.try_get::<i64, _>("sets")?).unwrap_or(1),
        channel: Channel::parse(&channel).unwrap_or_default(),
        return_method: json::<ReturnMethod>(row, "return_json")?,
        received_at: from_millis(row.try_get("received_at")?),
        due_at: from_millis(row.try_get("due_at")?),
        fee_vnd: row.try_get("fee_vnd")?,
        fee_text: row.try_get("fee_text")?,
        note: row.try_get("note")?,
        register: RegisterLine {
            year: i32::try_from(row.try_get::<i64, _>("register_year")?).unwrap_or(0),
            book: row.try_get("register_book")?,
            line: row.try_get("register_line")?,
        },
        desk: row.try_get("desk")?,
        issuer: json::<Agency>(row, "issuer_json")?,
        authority: row.try_get("authority")?,
        version: row.try_get("version")?,
    })
}

pub(super) fn summary(row: &AnyRow) -> CoreResult<DossierSummary> {
    let procedure = json::<ProcedureRef>(row, "procedure_json")?;
    Ok(DossierSummary {
        code: row.try_get("code")?,
        status: status(row)?,
        procedure_code: row.try_get("procedure_code")?,
        procedure_name: procedure.name,
        applicant_name: row.try_get("applicant_name")?,
        applicant_id_number: row.try_get("applicant_id_number")?,
        applicant_phone: row.try_get("applicant_phone")?,
        received_at: from_millis(row.try_get("received_at")?),
        due_at: from_millis(row.try_get("due_at")?),
        authority: row.try_get("authority")?,
    })
}
