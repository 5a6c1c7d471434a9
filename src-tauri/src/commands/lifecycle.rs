//! The dossier's life after intake, for the window: status moves, hand-over of the result,
//! the dossier's forms (numbered by the form set in force), batch transfers, postal delivery, the
//! Biểu 06 report and the dashboard.
//!
//! Every command rejects with `UiError { kind, message, fields: [{field, message}] }` in the
//! user's language (see `commands/mod.rs`); `kind` is `CoreError::kind()` ("invalid",
//! "transition", "conflict", "not_open", "not_posted", …). Instants are answered as RFC 3339
//! in Vietnam time ("2027-03-03T09:00:00+07:00"). Dates are read as "YYYY-MM-DD",
//! "DD/MM/YYYY" or "today"; a moment (`at`) also as "YYYY-MM-DD HH:MM", "DD/MM/YYYY HH:MM",
//! "YYYY-MM-DDTHH:MM" (Vietnam time) or RFC 3339, a bare date meaning closing time that day
//! (`motcua_core::request`, the same reader as the CLI's). A `Dossier` is the object
//! `get_dossier` returns.
//!
//! | command | arguments | resolves to |
//! | --- | --- | --- |
//! | `next_statuses` | `{code}` | `[status_code, …]` the dossier may move to now by a plain move (under the 2025 forms, not 8: the stop notice stops it) |
//! | `form_set_in_force` | none | `{form_set: "tt03-2025"\|"tt01-2018", circular, signed: "15/9/2025", since: RFC 3339 \| null, forms: [{form, number, title}]}` |
//! | `transition_dossier` | `{code, to: 1–10, note?: string, expectedVersion?: number}` | `Dossier` |
//! | `hand_over_result` | `{code, input: {method: "person"\|"post", receiver_name, receiver_id, authorisation, tracking, rating: 1\|2\|3\|null}, at?: string}` | `Dossier` (status 10) |
//! | `issue_form` | `{code, request, open?: bool}`; `request` is `{form: "supplement", missing: [{document, reason}], guide}`, `{form: "refusal", reasons: [string]}`, `{form: "apology", reason, new_due: "YYYY-MM-DD" \| "YYYY-MM-DDTHH:MM" \| RFC 3339}` `{form: "stop", reason: "request"\|"not_completed"\|text, fees: "none"\|"refunded"\|"kept"}` (2025 only) or `{form: "control"}` ("02"–"04" also accepted as `form`: the same in both sets) | `{path, form, number, form_set, issue, letter: number \| null, dossier: Dossier}`; `path` is the archived PDF, opened in the system viewer when `open` |
//! | `control_rows` | `{code}` | `[{step: "transfer", direction: "to_unit"\|"back", unit, giver, receiver, batch, at, timeliness: "early"\|"on_time"\|"late", note} \| {step: "returned", receiver, by_post, tracking, clerk, at, timeliness, note}]` |
//! | `transfer_dossiers` | `{input: {items: [{code, version?}], direction: "to_unit"\|"back", unit, giver, receiver, note}, open?: bool}` | `{batch: {id, direction, at, unit, giver, receiver, note, clerk, rows: [{code, procedure_name, applicant_name, sets, due_at, from_status, to_status}]}, path}`; all dossiers move or none |
//! | `record_delivery` | `{code, input: {status: "delivered"\|"returned", note}, at?: string}` | `{code, tracking, handed_at, status, status_at}` |
//! | `report_figures` | `{from, to}` | the Biểu 06 report: `{from, to, totals: Counters, rows: [{field, procedure, procedure_name, …Counters}]}` with `Counters` = `{received_total, received_online, received_direct, received_carried_over, resolved_total, resolved_early, resolved_on_time, resolved_late, in_progress_total, in_progress_within, in_progress_overdue, closed_total, rating_very_satisfied, rating_satisfied, rating_unsatisfied, components_digitised, components_digitised_percent: number \| null, results_digitised, results_digitised_percent: number \| null}` (percent with one decimal) |
//! | `export_report` | `{from, to, format: "json"\|"csv"\|"xlsx"\|"pdf", path}` | `{path}` (the file written) |
//! | `export_register` | `{from, to, path}` | `{path}`: the register book (Mẫu 07 of 2025, Mẫu 06 of 2018) as PDF |
//! | `dashboard_figures` | none | `{today, due_today, overdue, ready_not_collected, month_resolved, month_on_time, month_on_time_rate: 0–1 \| null, month_received, month_components_digitised, month_components_rate: 0–1 \| null, month_results_digitised, month_results_rate: 0–1 \| null}` |

use std::path::PathBuf;

use motcua_core::accounts::Action;
use motcua_core::dashboard::Dashboard;
use motcua_core::delivery::DeliveryInput;
use motcua_core::dossier::Dossier;
use motcua_core::error::Problem;
use motcua_core::form_input::FormRequest;
use motcua_core::form_set::{Form, FormSet};
use motcua_core::handover::HandoverInput;
use motcua_core::report::Report;
use motcua_core::request::{
    DateRange, DeliveryRequest, FormIssue, HandoverRequest, TransferRequest, TransitionRequest,
};
use motcua_core::status::Status;
use motcua_core::store::{FormSetInForce, PostalState};
use motcua_core::transfer::{ControlRow, TransferBatch, TransferInput};
use motcua_core::vntime::now;
use motcua_core::CoreError;
use serde::Serialize;
use tauri::State;

use super::files::open_in_viewer;
use super::{allow, store, ui, UiError, UiResult};
use crate::app_state::AppState;
use crate::context::{archive_form, archive_transfer_list};

/// The desk's closing time, which a bare date typed for a moment means.
async fn closing(state: &AppState) -> UiResult<chrono::NaiveTime> {
    Ok(ui(state, store(state)?.office_hours().await)?.afternoon_end)
}

fn open_if(state: &AppState, open: Option<bool>, path: &std::path::Path) -> UiResult<()> {
    if open.unwrap_or(false) {
        open_in_viewer(state, path)?;
    }
    Ok(())
}

#[tauri::command]
pub async fn next_statuses(state: State<'_, AppState>, code: String) -> UiResult<Vec<Status>> {
    allow(&state, Action::ViewDossier).await?;
    let s = store(&state)?;
    let d = ui(&state, s.dossier(&code).await)?;
    let set = ui(&state, s.form_set().await)?;
    Ok(motcua_core::lifecycle::offered_moves(d.status, set))
}

/// The form set in force, since when, and its forms' numbers and titles.
#[tauri::command]
pub async fn form_set_in_force(state: State<'_, AppState>) -> UiResult<FormSetInForce> {
    allow(&state, Action::ViewDossier).await?;
    ui(&state, store(&state)?.form_set_in_force().await)
}

#[tauri::command]
pub async fn transition_dossier(
    state: State<'_, AppState>,
    code: String,
    to: i64,
    note: Option<String>,
    expected_version: Option<i64>,
) -> UiResult<Dossier> {
    let session = allow(&state, Action::Transition).await?;
    let closing = closing(&state).await?;
    let req = ui(
        &state,
        TransitionRequest::parse(code, to, note, None, expected_version, closing),
    )?;
    let actor = state.actor(&session);
    ui(
        &state,
        store(&state)?
            .transition(
                &req.code,
                req.to,
                &req.note,
                req.at,
                req.expected_version,
                &actor,
            )
            .await,
    )
}

#[tauri::command]
pub async fn hand_over_result(
    state: State<'_, AppState>,
    code: String,
    input: HandoverInput,
    at: Option<String>,
) -> UiResult<Dossier> {
    let session = allow(&state, Action::Handover).await?;
    let closing = closing(&state).await?;
    let req = ui(
        &state,
        HandoverRequest::parse(code, input, at.as_deref(), closing),
    )?;
    let actor = state.actor(&session);
    ui(
        &state,
        store(&state)?
            .handover(&req.code, &req.input, req.at, &actor)
            .await,
    )
}

#[derive(Serialize)]
pub struct IssuedFormView {
    path: String,
    form: Form,
    number: String,
    form_set: FormSet,
    issue: u32,
    /// The 2025 Mẫu 04 letter's number in its year.
    letter: Option<u32>,
    dossier: Dossier,
}

/// Issues a form, archives it, and opens it in the system's PDF viewer when asked.
#[tauri::command]
pub async fn issue_form(
    state: State<'_, AppState>,
    code: String,
    request: FormRequest,
    open: Option<bool>,
) -> UiResult<IssuedFormView> {
    let session = allow(&state, Action::for_form(request.form())).await?;
    let closing = closing(&state).await?;
    let req = ui(&state, FormIssue::parse(code, request, None, closing))?;
    let actor = state.actor(&session);
    let issued = ui(
        &state,
        store(&state)?
            .issue_form(&req.code, &req.request, req.at, &actor)
            .await,
    )?;
    let path = ui(&state, archive_form(&state.global, &issued))?;
    open_if(&state, open, &path)?;
    Ok(IssuedFormView {
        path: path.display().to_string(),
        form: issued.form,
        number: issued.number,
        form_set: issued.form_set,
        issue: issued.issue,
        letter: issued.letter,
        dossier: issued.dossier,
    })
}

#[tauri::command]
pub async fn control_rows(state: State<'_, AppState>, code: String) -> UiResult<Vec<ControlRow>> {
    allow(&state, Action::ViewDossier).await?;
    ui(&state, store(&state)?.control_rows(&code).await)
}

#[derive(Serialize)]
pub struct TransferView {
    batch: TransferBatch,
    path: String,
}

/// Moves every listed dossier (or none), archives the hand-over list and opens it when asked.
#[tauri::command]
pub async fn transfer_dossiers(
    state: State<'_, AppState>,
    input: TransferInput,
    open: Option<bool>,
) -> UiResult<TransferView> {
    let session = allow(&state, Action::Transfer).await?;
    let closing = closing(&state).await?;
    let req = ui(&state, TransferRequest::parse(input, None, closing))?;
    let s = store(&state)?;
    let actor = state.actor(&session);
    let batch = ui(&state, s.transfer(&req.input, req.at, &actor).await)?;
    let pdf = ui(&state, s.transfer_list_pdf(&batch).await)?;
    let path = ui(&state, archive_transfer_list(&state.global, &batch, &pdf))?;
    open_if(&state, open, &path)?;
    Ok(TransferView {
        batch,
        path: path.display().to_string(),
    })
}

#[tauri::command]
pub async fn record_delivery(
    state: State<'_, AppState>,
    code: String,
    input: DeliveryInput,
    at: Option<String>,
) -> UiResult<PostalState> {
    let session = allow(&state, Action::Handover).await?;
    let closing = closing(&state).await?;
    let req = ui(
        &state,
        DeliveryRequest::parse(code, input, at.as_deref(), closing),
    )?;
    let actor = state.actor(&session);
    ui(
        &state,
        store(&state)?
            .record_delivery(&req.code, &req.input, req.at, &actor)
            .await,
    )
}

#[tauri::command]
pub async fn report_figures(
    state: State<'_, AppState>,
    from: String,
    to: String,
) -> UiResult<Report> {
    allow(&state, Action::Report).await?;
    let DateRange { from, to } = ui(&state, DateRange::parse(&from, &to))?;
    ui(
        &state,
        store(&state)?
            .report(from, to, motcua_core::vntime::now())
            .await,
    )
}

#[derive(Serialize)]
pub struct Written {
    path: String,
}

fn write_file(state: &AppState, path: &str, bytes: &[u8]) -> UiResult<Written> {
    let path = PathBuf::from(path.trim());
    if path.as_os_str().is_empty() {
        return Err(UiError::from_core(
            &CoreError::invalid("out", Problem::Required),
            state.lang(),
        ));
    }
    ui(
        state,
        motcua_core::private_fs::write(&path, bytes).map_err(|source| CoreError::File {
            path: path.display().to_string(),
            source,
        }),
    )?;
    state.remember_written(&path);
    Ok(Written {
        path: path.display().to_string(),
    })
}

#[tauri::command]
pub async fn export_report(
    state: State<'_, AppState>,
    from: String,
    to: String,
    format: String,
    path: String,
) -> UiResult<Written> {
    allow(&state, Action::Report).await?;
    let DateRange { from, to } = ui(&state, DateRange::parse(&from, &to))?;
    let s = store(&state)?;
    let report = ui(&state, s.report(from, to, motcua_core::vntime::now()).await)?;
    let bytes = match format.trim() {
        "json" => ui(
            &state,
            serde_json::to_vec_pretty(&report).map_err(|e| CoreError::Json(e.to_string())),
        )?,
        "csv" => motcua_core::report::to_csv(&report).into_bytes(),
        "xlsx" => ui(&state, s.report_xlsx(&report).await)?,
        "pdf" => ui(&state, s.report_pdf(&report).await)?,
        other => {
            let e = CoreError::invalid(
                "format",
                Problem::Invalid {
                    detail: format!("{other}: json, csv, xlsx, pdf"),
                },
            );
            return Err(UiError::from_core(&e, state.lang()));
        }
    };
    write_file(&state, &path, &bytes)
}

#[tauri::command]
pub async fn export_register(
    state: State<'_, AppState>,
    from: String,
    to: String,
    path: String,
) -> UiResult<Written> {
    let session = allow(&state, Action::ExportPersonalData).await?;
    let DateRange { from, to } = ui(&state, DateRange::parse(&from, &to))?;
    let pdf = ui(
        &state,
        store(&state)?
            .export_register(from, to, &state.actor(&session), now())
            .await,
    )?;
    write_file(&state, &path, &pdf)
}

#[tauri::command]
pub async fn dashboard_figures(state: State<'_, AppState>) -> UiResult<Dashboard> {
    allow(&state, Action::ViewDossier).await?;
    ui(&state, store(&state)?.dashboard(now()).await)
}
