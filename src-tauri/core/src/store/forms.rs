//! Issuing a dossier's forms, with what each one does to it: Mẫu 02 asks for papers (status
//! 5, the clock stops), Mẫu 03 refuses (status 3), Mẫu 04 gives a new appointment (the
//! report then judges the result against it), the stop notice (2025 Mẫu 05) stops the dossier
//! for good (status 8), the control slip only prints. Each issue is logged with the form set
//! it was printed under, its number in that set, and what the paper said.
//!
//! The 2025 Mẫu 04 is a letter with a number: letters are numbered from 1 each calendar year
//! (Vietnam time) in the order they are issued, counted under the events chain's head lock
//! so two desks never give the same number.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use futures_util::TryStreamExt;
use serde::Serialize;
use sqlx::Row;

use super::chain::lock;
use super::events::{append, NewEvent};
use super::lifecycle::{check_move, Move};
use super::{Actor, Store};
use crate::audit::Chain;
use crate::documents::{
    apology_pdf, control_pdf, refusal_pdf, stop_pdf, stop_stage, supplement_pdf, ApologyKind,
    FormOptions,
};
use crate::dossier::Dossier;
use crate::error::{CoreError, CoreResult};
use crate::form_input::FormRequest;
use crate::form_set::{Form, FormSet, UnknownForm};
use crate::lifecycle::TransitionError;
use crate::status::Status;
use crate::transfer::{ControlStep, Direction};
use crate::vntime::{self, from_millis, to_millis, vn_date, vn_day_start};

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
    /// The 2025 Mẫu 04 letter's number in its year.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub letter: Option<u32>,
    #[serde(skip)]
    pub pdf: Vec<u8>,
}

/// The statuses an apology can be given in: the dossier is still being resolved.
const OPEN: [Status; 4] = [
    Status::Accepted,
    Status::Processing,
    Status::SupplementRequested,
    Status::AwaitingFees,
];

/// A form's earlier issue for a dossier: when, and what its event recorded.
struct EarlierIssue {
    at: DateTime<Utc>,
    data: serde_json::Value,
}

impl Store {
    /// What every form prints besides its content; an error naming the set when the set
    /// has no such form.
    pub(super) fn form_options(
        set: FormSet,
        form: Form,
        at: DateTime<Utc>,
    ) -> CoreResult<FormOptions> {
        let citation = set.citation(form).ok_or_else(|| UnknownForm {
            given: form.name().to_string(),
            set,
        })?;
        Ok(FormOptions {
            citation,
            title: set.title(form).to_string(),
            issued_at: at,
        })
    }

    /// The earlier issues of `form` for the dossier, oldest first.
    async fn issues_before(&self, id: i64, form: Form) -> CoreResult<Vec<EarlierIssue>> {
        let rows = sqlx::query(
            "SELECT at, data_json FROM events WHERE dossier_id = $1 AND kind = 'form_issued' \
             ORDER BY id",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        let wanted = serde_json::to_value(form).map_err(|e| CoreError::Json(e.to_string()))?;
        let mut out = Vec::new();
        for row in rows {
            let text: String = row.try_get("data_json")?;
            let Ok(data) = serde_json::from_str::<serde_json::Value>(&text) else {
                continue;
            };
            if data.get("form") == Some(&wanted) {
                out.push(EarlierIssue {
                    at: from_millis(row.try_get("at")?),
                    data,
                });
            }
        }
        Ok(out)
    }

    /// The unit the dossier was last handed to, if the desk handed it over.
    async fn current_unit(&self, code: &str) -> CoreResult<String> {
        let rows = self.control_rows(code).await?;
        Ok(rows
            .iter()
            .rev()
            .find_map(|r| match &r.step {
                ControlStep::Transfer {
                    direction: Direction::ToUnit,
                    unit,
                    ..
                } => Some(unit.clone()),
                _ => None,
            })
            .unwrap_or_default())
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
        let opts = Self::form_options(set, form, at)?;
        let number = set.number(form).unwrap_or_default();
        let earlier = self.issues_before(id, form).await?;
        let issue = u32::try_from(earlier.len())
            .unwrap_or(u32::MAX)
            .saturating_add(1);
        let mut data = serde_json::json!({
            "form": form,
            "number": number,
            "form_set": set,
            "issue": issue,
        });
        let extend = |data: &mut serde_json::Value, key: &str, value: serde_json::Value| {
            if let serde_json::Value::Object(map) = data {
                map.insert(key.to_string(), value);
            }
        };
        // What the form moves the dossier to, if anywhere, and what it prints: everything
        // is checked before the transaction; the paper is made inside it (a letter's number
        // is only known there).
        let mut target: Option<Status> = None;
        let mut reappointment: Option<serde_json::Value> = None;
        let mut new_due: Option<DateTime<Utc>> = None;
        let paper = match request {
            FormRequest::Supplement(input) => {
                let mut s = input.validate()?;
                s.refuse_taken_from_data(&current)?;
                s.desk_phone = self
                    .get_setting(super::settings::DESK_PHONE)
                    .await?
                    .unwrap_or_default();
                target = Some(Status::SupplementRequested);
                extend(&mut data, "missing", serde_json::json!(s.missing));
                Paper::Supplement(s)
            }
            FormRequest::Refusal(input) => {
                let r = input.validate()?;
                target = Some(Status::Refused);
                extend(&mut data, "reasons", serde_json::json!(r.reasons));
                Paper::Refusal(r)
            }
            FormRequest::Apology(input) => {
                if !OPEN.contains(&current.status) {
                    return Err(CoreError::Transition(TransitionError::NotOpen {
                        code: current.code.clone(),
                        status: current.status,
                    }));
                }
                let calendar = self.work_calendar().await?;
                let hours = self.office_hours().await?;
                let a = input.validate(current.due_at, &calendar, &hours)?;
                let mut event = a.event_data(current.due_at);
                extend(&mut event, "form", serde_json::json!(form));
                reappointment = Some(event);
                new_due = Some(a.new_due);
                extend(&mut data, "due_at", vntime::rfc3339_vn(a.new_due).into());
                Paper::Apology(a)
            }
            FormRequest::Stop(input) => {
                let s = input.validate()?;
                // A copy of the notice (a lost paper) says what the first one said of the
                // stage and the moment the dossier stopped.
                let first = earlier
                    .first()
                    .filter(|_| current.status == Status::Stopped);
                let (stage, stopped_at) = match first {
                    Some(e) => (
                        e.data
                            .get("stage")
                            .and_then(|s| s.as_str())
                            .unwrap_or_default()
                            .to_string(),
                        e.at,
                    ),
                    // Stopped without a notice (by a move, under the 2018 set): no notice
                    // can say now what the dossier had reached then.
                    None if current.status == Status::Stopped => {
                        return Err(CoreError::Transition(TransitionError::NotOpen {
                            code: current.code.clone(),
                            status: current.status,
                        }));
                    }
                    None => {
                        target = Some(Status::Stopped);
                        let unit = self.current_unit(&current.code).await?;
                        (stop_stage(current.status, &unit), at)
                    }
                };
                extend(&mut data, "reason", s.reason.clone().into());
                extend(&mut data, "fees", serde_json::json!(s.fees));
                extend(&mut data, "stage", stage.clone().into());
                Paper::Stop(s, stage, stopped_at)
            }
            FormRequest::Control => Paper::Control(self.control_rows(&current.code).await?),
        };
        // A form issued again (a lost copy) finds the dossier where the first left it.
        let target = target.filter(|to| *to != current.status);
        if let Some(to) = target {
            check_move(&current, to)?;
        }

        let mut tx = self.pool.begin().await?;
        lock(&mut tx, Chain::Events).await?;
        let letter = match (&paper, set) {
            (Paper::Apology(_), FormSet::Tt03_2025) => {
                let n = next_letter(&mut tx, vn_date(at)).await?;
                extend(&mut data, "letter", n.into());
                Some(n)
            }
            _ => None,
        };
        let pdf = match &paper {
            Paper::Supplement(s) => supplement_pdf(&current, s, &opts),
            Paper::Refusal(r) => refusal_pdf(&current, r, &opts),
            Paper::Apology(a) => {
                let kind = match letter {
                    Some(number) => ApologyKind::Letter { number },
                    None => ApologyKind::Slip,
                };
                apology_pdf(&current, a, current.due_at, kind, &opts)
            }
            Paper::Stop(s, stage, stopped_at) => stop_pdf(&current, s, stage, *stopped_at, &opts),
            Paper::Control(rows) => control_pdf(&current, rows, &opts),
        }
        .map_err(CoreError::from)?;
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
            number: number.to_string(),
            issue,
            letter,
            pdf,
        })
    }
}

/// What a form prints, checked and ready to lay out.
enum Paper {
    Supplement(crate::form_input::Supplement),
    Refusal(crate::form_input::Refusal),
    Apology(crate::form_input::Apology),
    /// The stop, the stage the dossier had reached, and when it stopped.
    Stop(crate::form_input::Stop, String, DateTime<Utc>),
    Control(Vec<crate::transfer::ControlRow>),
}

/// The next 2025 Mẫu 04 letter number in `day`'s year: one more than the last given that year
/// (Vietnam time). Called under the events chain's head lock, so each number is the highest
/// of its year when given and the newest letter of a year holds its highest number: the walk
/// back from the newest event stops there.
async fn next_letter(tx: &mut sqlx::Transaction<'_, sqlx::Any>, day: NaiveDate) -> CoreResult<u32> {
    let year = day.year();
    let start = NaiveDate::from_ymd_opt(year, 1, 1).map(vn_day_start);
    let end = NaiveDate::from_ymd_opt(year + 1, 1, 1).map(vn_day_start);
    let (Some(start), Some(end)) = (start, end) else {
        return Ok(1);
    };
    // A document name or reason typed with `"letter":` in it also matches the pattern: the
    // newest event whose own field holds a number is the one.
    let mut rows = sqlx::query_scalar::<_, String>(
        "SELECT data_json FROM events WHERE kind = 'form_issued' AND at >= $1 AND at < $2 \
         AND data_json LIKE '%\"letter\":%' ORDER BY id DESC",
    )
    .bind(to_millis(start))
    .bind(to_millis(end))
    .fetch(&mut **tx);
    let mut highest = 0;
    while let Some(text) = rows.try_next().await? {
        let letter = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|data| data.get("letter")?.as_u64());
        if let Some(n) = letter {
            highest = n;
            break;
        }
    }
    Ok(u32::try_from(highest).unwrap_or(u32::MAX - 1) + 1)
}
