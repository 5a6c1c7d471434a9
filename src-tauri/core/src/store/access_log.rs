//! The access log (`audit_log`): who signed in or failed to, account changes, who opened
//! a dossier in full and who exported personal data. Append-only and hash-chained like the
//! dossiers' history. Entries name accounts and dossier codes, never a password, an ID
//! number or a phone.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{Any, Row, Transaction};

use super::{chain, Actor, Store};
use crate::audit::{Cell, Chain};
use crate::dossier::Dossier;
use crate::error::{CoreError, CoreResult};
use crate::vntime::{from_millis, to_millis};

/// What an access-log entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessKind {
    LoginOk,
    /// A wrong password (or an unknown login name, recorded without the name typed).
    LoginFailed,
    /// A login refused before its password was checked (account waiting after failures),
    /// or with the right password for a disabled account.
    LoginRefused,
    AccountCreated,
    AccountDisabled,
    AccountEnabled,
    RolesChanged,
    PasswordReset,
    PasswordChanged,
    RecordOpened,
    PersonalExport,
    /// Another database moved into this one (`motcua migrate`), with its chains' heads.
    DatabaseImported,
    /// `motcua login`: the data holds the digest of the session's token.
    SessionOpened,
    /// `motcua logout`, or a session ended because it expired.
    SessionClosed,
    /// A returning citizen's details offered at intake for an ID number typed.
    ApplicantFilled,
    ReceiptPreviewed,
    /// A search by ID number or phone (the number is not kept, only its length).
    Searched,
    /// A list with unmasked personal data printed by the CLI.
    ListViewed,
    /// The database replaced by a backup: from which file, its digest, the heads it brought.
    Restored,
    /// An outbox destination added: where the dossiers' changes will go, and whether with
    /// the applicants' personal data.
    OutboxAdded,
    OutboxRemoved,
}

impl AccessKind {
    pub fn code(self) -> &'static str {
        match self {
            AccessKind::LoginOk => "login_ok",
            AccessKind::LoginFailed => "login_failed",
            AccessKind::LoginRefused => "login_refused",
            AccessKind::AccountCreated => "account_created",
            AccessKind::AccountDisabled => "account_disabled",
            AccessKind::AccountEnabled => "account_enabled",
            AccessKind::RolesChanged => "roles_changed",
            AccessKind::PasswordReset => "password_reset",
            AccessKind::PasswordChanged => "password_changed",
            AccessKind::RecordOpened => "record_opened",
            AccessKind::PersonalExport => "personal_export",
            AccessKind::DatabaseImported => "database_imported",
            AccessKind::SessionOpened => "session_opened",
            AccessKind::SessionClosed => "session_closed",
            AccessKind::ApplicantFilled => "applicant_filled",
            AccessKind::ReceiptPreviewed => "receipt_previewed",
            AccessKind::Searched => "searched",
            AccessKind::ListViewed => "list_viewed",
            AccessKind::Restored => "restored",
            AccessKind::OutboxAdded => "outbox_added",
            AccessKind::OutboxRemoved => "outbox_removed",
        }
    }

    pub fn label(self, lang: crate::i18n::Lang) -> String {
        crate::i18n::t(lang, &format!("access.{}", self.code()))
    }
}

/// One entry of the access log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccessEntry {
    pub id: i64,
    #[serde(with = "crate::vntime::serde_vn")]
    pub at: DateTime<Utc>,
    /// Who acted (the login name; empty for a login with an unknown name).
    pub actor: String,
    pub desk: String,
    /// `login_ok`, `login_failed`, … (`AccessKind::code`).
    pub kind: String,
    /// What it concerned: an account name, a dossier code, an export.
    pub subject: String,
    pub data: serde_json::Value,
}

pub(super) async fn append(
    tx: &mut Transaction<'_, Any>,
    at: DateTime<Utc>,
    actor: &Actor,
    kind: AccessKind,
    subject: &str,
    data: serde_json::Value,
) -> CoreResult<()> {
    append_entry(
        tx,
        to_millis(at),
        actor,
        kind.code(),
        subject,
        &data.to_string(),
    )
    .await
}

/// Appends an entry as given: one carried over from another database keeps its moment and
/// its kind, whatever version of the app wrote it.
pub(super) async fn append_entry(
    tx: &mut Transaction<'_, Any>,
    at: i64,
    actor: &Actor,
    kind: &str,
    subject: &str,
    data_json: &str,
) -> CoreResult<()> {
    let link = chain::link(
        tx,
        Chain::AuditLog,
        &[
            Cell::Int(at),
            Cell::Text(&actor.name),
            Cell::Text(&actor.desk),
            Cell::Text(kind),
            Cell::Text(subject),
            Cell::Text(data_json),
        ],
    )
    .await?;
    sqlx::query(
        "INSERT INTO audit_log (at, actor, desk, kind, subject, data_json, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(at)
    .bind(&actor.name)
    .bind(&actor.desk)
    .bind(kind)
    .bind(subject)
    .bind(data_json)
    .bind(&link.prev_hash)
    .bind(&link.hash)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// A dossier in full, for the task that needs it (hand-over, processing, a correction);
    /// the opening is logged with who opened it. Lists show masked numbers instead.
    pub async fn open_record(
        &self,
        code: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> CoreResult<Dossier> {
        let dossier = self.dossier(code).await?;
        let mut tx = self.pool().begin().await?;
        append(
            &mut tx,
            now,
            actor,
            AccessKind::RecordOpened,
            &dossier.code,
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(dossier)
    }

    /// Appends one access-log entry in a transaction of its own.
    pub(super) async fn log_access(
        &self,
        actor: &Actor,
        kind: AccessKind,
        subject: &str,
        data: serde_json::Value,
        now: DateTime<Utc>,
    ) -> CoreResult<()> {
        let mut tx = self.pool().begin().await?;
        append(&mut tx, now, actor, kind, subject, data).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records an export containing personal data: `what` names it (e.g. `report
    /// 2027-03-01..2027-03-31`, never its contents) and `rows` how many records it held.
    pub async fn log_export(
        &self,
        actor: &Actor,
        what: &str,
        rows: u64,
        now: DateTime<Utc>,
    ) -> CoreResult<()> {
        let mut c = crate::validate::Checker::new();
        let what = c.line("export", what, true, 300);
        if !c.is_ok() {
            return Err(CoreError::Invalid(c.errors));
        }
        let mut tx = self.pool().begin().await?;
        append(
            &mut tx,
            now,
            actor,
            AccessKind::PersonalExport,
            &what,
            serde_json::json!({ "rows": rows }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The newest `limit` entries of the access log, newest first; only those about
    /// `subject` (an account name or dossier code) when given.
    pub async fn access_log(
        &self,
        subject: Option<&str>,
        limit: i64,
    ) -> CoreResult<Vec<AccessEntry>> {
        let limit = limit.clamp(1, 10_000);
        let rows = match subject {
            Some(subject) => {
                sqlx::query(
                    "SELECT id, at, actor, desk, kind, subject, data_json FROM audit_log \
                     WHERE subject = $1 ORDER BY id DESC LIMIT $2",
                )
                .bind(subject)
                .bind(limit)
                .fetch_all(self.pool())
                .await?
            }
            None => {
                sqlx::query(
                    "SELECT id, at, actor, desk, kind, subject, data_json FROM audit_log \
                     ORDER BY id DESC LIMIT $1",
                )
                .bind(limit)
                .fetch_all(self.pool())
                .await?
            }
        };
        rows.iter()
            .map(|row| {
                let data: serde_json::Value =
                    serde_json::from_str(&row.try_get::<String, _>("data_json")?)
                        .map_err(|e| CoreError::Json(e.to_string()))?;
                Ok(AccessEntry {
                    id: row.try_get("id")?,
                    at: from_millis(row.try_get("at")?),
                    actor: row.try_get("actor")?,
                    desk: row.try_get("desk")?,
                    kind: row.try_get("kind")?,
                    subject: row.try_get("subject")?,
                    data,
                })
            })
            .collect()
    }
}
