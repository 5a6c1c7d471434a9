//! Looks at personal data that change nothing but must leave a trace in the access log: the
//! returning-citizen fill, the receipt preview, searches by ID number or phone, and the
//! CLI's unmasked lists; and the CLI's sign-in sessions, whose tokens the log vouches for.
//! Entries name dossier codes and counts, never the number that was typed.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::access_log::AccessKind;
use super::{Actor, SearchHit, Store};
use crate::documents::Paper;
use crate::dossier::Applicant;
use crate::error::CoreResult;
use crate::text::{clean_line, digits_only};

/// Whether a search text is an ID number or a phone (or their first digits) rather than a
/// name or a code: such searches find people by their numbers and are logged.
pub fn is_number_search(text: &str) -> bool {
    let text = clean_line(text);
    let digits = digits_only(&text);
    let numeric = !digits.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '+' | '(' | ')'));
    // A passport number: letters and digits, as the search's exact ID branch takes it.
    let passport = !numeric
        && text.len() >= 6
        && text.chars().all(|c| c.is_ascii_alphanumeric())
        && text.chars().any(|c| c.is_ascii_digit());
    (numeric && digits.len() >= 3) || passport
}

impl Store {
    /// `last_applicant`, logged: the dossier whose details were offered is the subject
    /// (empty when the number is unknown: that answer tells something too).
    pub async fn last_applicant_logged(
        &self,
        id_number: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> CoreResult<Option<Applicant>> {
        let wanted = id_number.trim().to_ascii_uppercase();
        let code: Option<String> = sqlx::query(
            "SELECT code FROM dossiers WHERE applicant_id_number = $1 ORDER BY received_at DESC LIMIT 1",
        )
        .bind(&wanted)
        .fetch_optional(self.pool())
        .await?
        .map(|row| row.try_get("code"))
        .transpose()?;
        self.log_access(
            actor,
            AccessKind::ApplicantFilled,
            code.as_deref().unwrap_or(""),
            serde_json::json!({ "found": code.is_some() }),
            now,
        )
        .await?;
        self.last_applicant(id_number).await
    }

    /// `receipt_preview`, logged with the dossier's code.
    pub async fn receipt_preview_logged(
        &self,
        code: &str,
        paper: Paper,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> CoreResult<String> {
        let svg = self.receipt_preview(code, paper).await?;
        let dossier = self.dossier(code).await?;
        self.log_access(
            actor,
            AccessKind::ReceiptPreviewed,
            &dossier.code,
            serde_json::json!({}),
            now,
        )
        .await?;
        Ok(svg)
    }

    /// `search`, with a search by ID number or phone logged: how many digits were typed
    /// and which dossiers it found.
    pub async fn search_logged(
        &self,
        text: &str,
        limit: i64,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> CoreResult<Vec<SearchHit>> {
        let hits = self.search(text, limit).await?;
        if is_number_search(text) {
            let codes: Vec<&str> = hits.iter().map(|h| h.code.as_str()).collect();
            let typed = clean_line(text)
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .count();
            self.log_access(
                actor,
                AccessKind::Searched,
                "",
                serde_json::json!({ "characters": typed, "found": codes }),
                now,
            )
            .await?;
        }
        Ok(hits)
    }

    /// Records that the CLI printed `rows` dossiers with their personal data unmasked
    /// (`what`: `list` or `search`).
    pub async fn log_list(
        &self,
        actor: &Actor,
        what: &str,
        rows: usize,
        now: DateTime<Utc>,
    ) -> CoreResult<()> {
        self.log_access(
            actor,
            AccessKind::ListViewed,
            what,
            serde_json::json!({ "rows": rows }),
            now,
        )
        .await
    }

    /// Opens a CLI session for `account`: the log keeps the token's digest.
    pub async fn open_cli_session(
        &self,
        actor: &Actor,
        token_digest: &str,
        now: DateTime<Utc>,
    ) -> CoreResult<()> {
        self.log_access(
            actor,
            AccessKind::SessionOpened,
            &actor.name,
            session_data(token_digest),
            now,
        )
        .await
    }

    /// Ends a CLI session: its token opens nothing from now on.
    pub async fn close_cli_session(
        &self,
        actor: &Actor,
        token_digest: &str,
        now: DateTime<Utc>,
    ) -> CoreResult<()> {
        self.log_access(
            actor,
            AccessKind::SessionClosed,
            &actor.name,
            session_data(token_digest),
            now,
        )
        .await
    }

    /// Whether the log holds an opening of this session for `account` and no closing.
    pub async fn cli_session_is_open(&self, account: &str, token_digest: &str) -> CoreResult<bool> {
        let data = session_data(token_digest).to_string();
        let rows = sqlx::query(
            "SELECT kind FROM audit_log WHERE subject = $1 AND data_json = $2 AND kind IN ($3, $4)",
        )
        .bind(account)
        .bind(&data)
        .bind(AccessKind::SessionOpened.code())
        .bind(AccessKind::SessionClosed.code())
        .fetch_all(self.pool())
        .await?;
        let kinds: Vec<String> = rows
            .iter()
            .map(|r| r.try_get::<String, _>("kind"))
            .collect::<Result<_, _>>()?;
        Ok(kinds.iter().any(|k| k == AccessKind::SessionOpened.code())
            && !kinds.iter().any(|k| k == AccessKind::SessionClosed.code()))
    }
}

fn session_data(token_digest: &str) -> serde_json::Value {
    serde_json::json!({ "session": token_digest })
}

#[cfg(test)]
mod tests {
    use super::is_number_search;

    #[test]
    fn numbers_are_told_from_names_and_codes() {
        for number in [
            "079",
            "079203001234",
            "0912 345 678",
            "+84912345678",
            "B1234567",
        ] {
            assert!(is_number_search(number), "{number}");
        }
        for other in [
            "nguyen van an",
            "An",
            "07",
            "NGUYEN",
            "000.00.14.H56-270303-0001x y",
        ] {
            assert!(!is_number_search(other), "{other}");
        }
    }
}
