//! The outbox from the window: what waits to be sent (the settings screen's section and the
//! banner beside the offline one), the destinations (added and removed by a Settings role,
//! as `motcua outbox add|remove|list`), and one pass of the sender on demand ("Gửi ngay",
//! as `motcua outbox run --once`). The sender that runs all the time is started by `gui.rs`.
//!
//! | command | action | arguments | resolves to |
//! | --- | --- | --- | --- |
//! | `outbox_pending` | view_dossier (a timer's call) | none | the number of changes waiting |
//! | `outbox_status` | view_dossier (a timer's call) | none | `[DestinationView]` with `pending`, `oldest_age` and `last_error` in words (`last_error_detail` with the system's) |
//! | `outbox_destinations` | settings | none | `[DestinationView]` (no counts) |
//! | `outbox_add` | settings | `{input: {kind, target, public_url, secret, personal, timeout_seconds}}` | the `DestinationView` added |
//! | `outbox_remove` | settings | `{id}` | nothing |
//! | `outbox_send_now` | view_dossier | none | `{sent, failed, pending, reason, reason_detail}` |
//!
//! Addresses are shown with any password in them hidden (`outbox::redact`); the webhook's
//! secret goes in and never comes back out (`Destination` does not serialize it).

use motcua_core::accounts::Action;
use motcua_core::error::Problem;
use motcua_core::i18n::{t, tf, Lang, Localized};
use motcua_core::outbox::sender::Sender;
use motcua_core::outbox::{
    check_url, redact, words_of_age, Destination, DestinationKind, NewDestination, OutboxError,
    SendError,
};
use motcua_core::vntime::now;
use motcua_core::CoreError;
use serde::{Deserialize, Serialize};
use tauri::State;

use super::{allow, allow_timer, store, ui, UiError, UiFieldError, UiResult};
use crate::app_state::AppState;

/// The longest a destination may be given to answer, as `outbox add webhook --timeout`.
const MAX_TIMEOUT_SECONDS: i64 = 300;

/// A destination as the window shows it.
#[derive(Debug, Serialize)]
pub struct DestinationView {
    id: i64,
    kind: DestinationKind,
    /// The folder's path, the webhook's URL or where the public status is written, a
    /// password in it hidden.
    target: String,
    public_url: String,
    personal: bool,
    timeout_seconds: i64,
    /// The desk whose sender writes it (a folder), empty for any desk.
    desk: String,
    pending: i64,
    /// How long the oldest waiting change has waited, in words.
    oldest_age: Option<String>,
    /// Why the last try failed, in plain words, while something still waits.
    last_error: Option<String>,
    /// The same with the system's own detail (a tooltip, for whoever fixes it).
    last_error_detail: Option<String>,
}

impl DestinationView {
    fn of(d: &Destination) -> DestinationView {
        DestinationView {
            id: d.id,
            kind: d.kind,
            target: redact(&d.target),
            public_url: redact(&d.public_url),
            personal: d.personal,
            timeout_seconds: d.timeout_ms / 1000,
            desk: d.desk.clone(),
            pending: 0,
            oldest_age: None,
            last_error: None,
            last_error_detail: None,
        }
    }
}

/// A destination to add, as the settings screen's form sends it.
#[derive(Debug, Deserialize)]
pub struct NewDestinationInput {
    kind: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    public_url: String,
    #[serde(default)]
    secret: String,
    #[serde(default)]
    personal: bool,
    timeout_seconds: Option<i64>,
}

/// What one pass of "Gửi ngay" did.
#[derive(Debug, Serialize)]
pub struct SendNowView {
    sent: u64,
    failed: u64,
    pending: i64,
    /// Why something still waits, in plain words, and with the system's detail.
    reason: Option<String>,
    reason_detail: Option<String>,
}

/// The banner's number: every change waiting, for every destination.
#[tauri::command]
pub async fn outbox_pending(state: State<'_, AppState>) -> UiResult<i64> {
    allow_timer(&state, Action::ViewDossier).await?;
    ui(&state, store(&state)?.outbox_pending().await)
}

#[tauri::command]
pub async fn outbox_status(state: State<'_, AppState>) -> UiResult<Vec<DestinationView>> {
    // The banner's open panel reads it again with each count: looking at what waits keeps
    // nobody signed in (the click that opened it already did).
    allow_timer(&state, Action::ViewDossier).await?;
    let lang = state.lang();
    let statuses = ui(&state, store(&state)?.outbox_status(now()).await)?;
    // The age and the last error matter only while something waits.
    Ok(statuses
        .iter()
        .map(|s| {
            let waiting = s.pending > 0;
            DestinationView {
                pending: s.pending,
                oldest_age: s
                    .oldest_age_seconds
                    .filter(|_| waiting)
                    .map(|age| words_of_age(age, lang)),
                last_error: s
                    .last_error
                    .as_ref()
                    .filter(|_| waiting)
                    .map(|e| plain(e, lang)),
                last_error_detail: s
                    .last_error
                    .as_ref()
                    .filter(|_| waiting)
                    .map(|e| e.message(lang)),
                ..DestinationView::of(&s.destination)
            }
        })
        .collect())
}

#[tauri::command]
pub async fn outbox_destinations(state: State<'_, AppState>) -> UiResult<Vec<DestinationView>> {
    allow(&state, Action::Settings).await?;
    let destinations = ui(&state, store(&state)?.destinations().await)?;
    Ok(destinations.iter().map(DestinationView::of).collect())
}

#[tauri::command]
pub async fn outbox_add(
    state: State<'_, AppState>,
    input: NewDestinationInput,
) -> UiResult<DestinationView> {
    let session = allow(&state, Action::Settings).await?;
    let lang = state.lang();
    let new = new_destination(input).map_err(|e| UiError::from_core(&e, lang))?;
    let kind = new.kind;
    let public_target_ok = check_url(&new.target).is_ok()
        || motcua_core::sealed_status::bucket_address(&new.target).is_ok();
    let s = store(&state)?.acting_as(state.actor(&session));
    match s
        .add_destination(new, &state.global.desk_name(), now())
        .await
    {
        Ok(added) => {
            if added.kind == DestinationKind::PublicStatus {
                // The page goes up now if the host answers, so a citizen who scans before the
                // first change is sent reads "not found yet"; otherwise the sender puts it up.
                let sender = Sender::new(store(&state)?.clone(), state.global.desk_name());
                let _ = sender.publish_page(&added).await;
            }
            Ok(DestinationView::of(&added))
        }
        Err(CoreError::Outbox(e)) => Err(at_field(&e, kind, public_target_ok, lang)),
        Err(e) => ui(&state, Err(e)),
    }
}

#[tauri::command]
pub async fn outbox_remove(state: State<'_, AppState>, id: i64) -> UiResult<()> {
    let session = allow(&state, Action::Settings).await?;
    let s = store(&state)?.acting_as(state.actor(&session));
    ui(&state, s.remove_destination(id, now()).await)
}

/// One pass over everything waiting, backoff or not, as `motcua outbox run --once`; the
/// window's own sender keeps running beside it (a message is claimed by one sender at a
/// time).
#[tauri::command]
pub async fn outbox_send_now(state: State<'_, AppState>) -> UiResult<SendNowView> {
    allow(&state, Action::ViewDossier).await?;
    let lang = state.lang();
    let sender = Sender::new(store(&state)?.clone(), state.global.desk_name());
    let report = ui(&state, sender.pass(false).await)?;
    let (reason, reason_detail) = match (&report.first_error, report.pending > 0) {
        (_, false) => (None, None),
        (Some(e), true) => (Some(plain(e, lang)), Some(e.message(lang))),
        (None, true) => (Some(t(lang, "cli.outbox.busy")), None),
    };
    Ok(SendNowView {
        sent: report.sent,
        failed: report.failed,
        pending: report.pending,
        reason,
        reason_detail,
    })
}

/// A failure said for the person at the desk: what it means and what may fix it, without
/// the HTTP library's or the system's wording (which the detail keeps).
fn plain(e: &SendError, lang: Lang) -> String {
    match e {
        SendError::Unreachable { .. } => t(lang, "ui.outbox.error.unreachable"),
        SendError::Folder { path, .. } => tf(lang, "ui.outbox.error.folder", &[("path", path)]),
        SendError::Misconfigured { .. } => t(lang, "ui.outbox.error.misconfigured"),
        // The others carry no system wording: their own message is plain already.
        other => other.message(lang),
    }
}

/// The form's fields as the core's request; a kind or timeout the form cannot send is
/// refused at its field.
fn new_destination(input: NewDestinationInput) -> Result<NewDestination, CoreError> {
    let kind = DestinationKind::parse(input.kind.trim()).ok_or_else(|| {
        CoreError::invalid(
            "outbox.kind",
            Problem::Invalid {
                detail: input.kind.clone(),
            },
        )
    })?;
    let timeout_ms = match (kind, input.timeout_seconds) {
        (DestinationKind::Webhook, Some(s)) if !(1..=MAX_TIMEOUT_SECONDS).contains(&s) => {
            return Err(CoreError::invalid(
                "outbox.timeout",
                Problem::OutOfRange {
                    min: 1,
                    max: MAX_TIMEOUT_SECONDS,
                },
            ))
        }
        (DestinationKind::Webhook, Some(s)) => Some(s * 1000),
        _ => None,
    };
    Ok(NewDestination {
        kind,
        target: input.target,
        public_url: input.public_url,
        secret: input.secret,
        personal: input.personal && kind != DestinationKind::PublicStatus,
        timeout_ms,
    })
}

/// The core's refusal placed at the field it is about: an address at its own box (for the
/// public status, the first of its two addresses that is wrong: the core checks them in
/// that order), a missing secret at the secret's.
fn at_field(e: &OutboxError, kind: DestinationKind, target_ok: bool, lang: Lang) -> UiError {
    let field = match e {
        OutboxError::BadUrl { .. } | OutboxError::PlainHttp { .. }
            if kind == DestinationKind::PublicStatus && target_ok =>
        {
            Some("outbox.public_url")
        }
        OutboxError::BadUrl { .. }
        | OutboxError::PlainHttp { .. }
        | OutboxError::BadFolder { .. } => Some("outbox.target"),
        OutboxError::NoSecret => Some("outbox.secret"),
        OutboxError::NotFound { .. } | OutboxError::Undelivered { .. } => None,
    };
    let message = e.message(lang);
    UiError {
        kind: e.kind().to_string(),
        fields: field
            .map(|f| {
                vec![UiFieldError {
                    field: f.to_string(),
                    message: message.clone(),
                }]
            })
            .into_iter()
            .flatten()
            .collect(),
        message,
    }
}
