//! Issuing forms 02–05 for a dossier, with what each one does to it: Mẫu 02 asks for papers
//! (status 5, the clock stops), Mẫu 03 refuses (status 3), Mẫu 04 gives a new appointment
//! (the report then judges the result against it), Mẫu 05 only prints the control slip.
//! Each issue is logged with the form set it was printed under.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::events::{append, NewEvent};
use super::lifecycle::{check_move, Move};
use super::{Actor, Store};
use crate::documents::{apology_pdf, control_pdf, refusal_pdf, supplement_pdf, FormOptions};
use crate::dossier::Dossier;
use crate::error::{CoreError, CoreResult};
use crate::form_input::FormRequest;
use crate::form_set::{Form, FormSet};
use crate::status::Status;
use crate::vntime::{self, to_millis};

/// A form as issued.
#[derive(Debug, Clone, Serialize)]
pub struct IssuedForm {
    /// The dossier after the issue (its new status or appointment).
    pub dossier: Dossier,
    pub form: Form,
    pub form_set: FormSet,
    /// The number the form has in its set ("02", …).
    pub number: String,
    /// 1 for the first issue of this form for the dossier, 2 for the second, …
    pub issue: u32,
    #[serde(skip)]
    pub pdf: Vec<u8>,
}

pub(super) fn document_error(e: crate::documents::DocumentError) -> CoreError {
    CoreError::Document(e.to_string())
}

/// The statuses an apology can be given in: the dossier is still being resolved.
const OPEN: [Status; 4] = [
    Status::Accepted,
    Status::Processing,
    Status::SupplementRequested,
    Status::AwaitingFees,
];

impl Store {
    pub(super) fn form_options(set: FormSet, form: Form, at: DateTime<Utc>) -> FormOptions {
        FormOptions {
            citation: set.citation(form),
            title: set.title(form).to_string(),
            issued_at: at,
        }
    }

    /// How many times `form` was issued for the dossier before.
    async fn issues_before(&self, id: i64, form: Form) -> CoreResult<u32> {
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT data_json FROM events WHERE dossier_id = $1 AND kind = 'form_issued'",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        let wanted = serde_json::to_value(form).map_err(|e| CoreError::Json(e.to_string()))?;
        let n = rows
            .iter()
            .filter_map(|text| serde_json::from_str::<serde_json::Value>(text).ok())
            .filter(|data| data.get("form") == Some(&wanted))
            .count();
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// Prints `request`'s form for `code` and applies what the form means, in one
    /// transaction with its "form_issued" event: nothing changes if the PDF cannot be made
    /// or the dossier cannot take the form.
    pub async fn issue_form(
        &self,
        code: &str,
        request: &FormRequest,
        at: Option<DateTime<Utc>>,
        actor: &Actor,
    ) -> CoreResult<IssuedForm> {
        let current = self.dossier(code).await?;
        let id = self.dossier_id(&current.code).await?;
        let form = request.form();
        let set = self.form_set().await?;
        let at = at.unwrap_or_else(vntime::now);
        let opts = Self::form_options(set, form, at);
        let issue = self.issues_before(id, form).await? + 1;
        let mut data = serde_json::json!({
            "form": form,
            "number": set.number(form),
            "form_set": set,
            "issue": issue,
        });
        let extend = |data: &mut serde_json::Value, key: &str, value: serde_json::Value| {
            if let serde_json::Value::Object(map) = data {
                map.insert(key.to_string(), value);
            }
        };
        // What the form moves the dossier to, if anywhere.
        let mut target: Option<Status> = None;
        let mut reappointment: Option<serde_json::Value> = None;
        let mut new_due: Option<DateTime<Utc>> = None;
        let pdf = match request {
            FormRequest::Supplement(input) => {
                let mut s = input.validate()?;
                s.refuse_taken_from_data(&current)?;
                s.desk_phone = self
                    .get_setting(super::settings::DESK_PHONE)
                    .await?
                    .unwrap_or_default();
                target = Some(Status::SupplementRequested);
                extend(&mut data, "missing", serde_json::json!(s.missing));
                supplement_pdf(&current, &s, &opts)
            }
            FormRequest::Refusal(input) => {
                let r = input.validate()?;
                target = Some(Status::Refused);
                extend(&mut data, "reasons", serde_json::json!(r.reasons));
                refusal_pdf(&current, &r, &opts)
            }
            FormRequest::Apology(input) => {
                if !OPEN.contains(&current.status) {
                    return Err(CoreError::NotOpen {
                        code: current.code.clone(),
                        status: current.status,
                    });
                }
                let calendar = self.work_calendar().await?;
                let hours = self.office_hours().await?;
                let a = input.validate(current.due_at, &calendar, &hours)?;
                let mut event = a.event_data(current.due_at);
                extend(&mut event, "form", serde_json::json!(form));
                reappointment = Some(event);
                new_due = Some(a.new_due);
                extend(&mut data, "due_at", vntime::rfc3339_vn(a.new_due).into());
                apology_pdf(
                    &current,
                    &a,
                    current.due_at,
                    set == FormSet::Tt03_2025,
                    &opts,
                )
            }
            FormRequest::Control => {
                let rows = self.control_rows(&current.code).await?;
                control_pdf(&current, &rows, &opts)
            }
        }
        .map_err(document_error)?;
        // A form issued again (a lost copy) finds the dossier where the first left it.
        let target = target.filter(|to| *to != current.status);
        if let Some(to) = target {
            check_move(&current, to)?;
        }

        let mut tx = self.pool.begin().await?;
        let mut version = current.version;
        if let Some(to) = target {
            let step = Move {
                to,
                at,
                version,
                kind: "status_changed",
                note: "",
                data: serde_json::json!({ "form": form }),
            };
            self.apply_move(&mut tx, id, &current, step, actor).await?;
            version += 1;
        }
        if let (Some(due), Some(event)) = (new_due, reappointment) {
            let changed = sqlx::query(
                "UPDATE dossiers SET due_at = $1, version = version + 1, updated_at = $2 \
                 WHERE id = $3 AND version = $4",
            )
            .bind(to_millis(due))
            .bind(to_millis(at))
            .bind(id)
            .bind(version)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed != 1 {
                return Err(CoreError::Conflict {
                    code: current.code.clone(),
                });
            }
            let event = NewEvent::plain("reappointed", "", event);
            append(&mut tx, id, at, actor, event).await?;
        }
        append(
            &mut tx,
            id,
            at,
            actor,
            NewEvent::plain("form_issued", "", data),
        )
        .await?;
        tx.commit().await?;
        Ok(IssuedForm {
            dossier: self.dossier(&current.code).await?,
            form,
            form_set: set,
            number: set.number(form).to_string(),
            issue,
            pdf,
        })
    }
}
