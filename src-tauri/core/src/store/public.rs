//! What the citizens' status page reads: a dossier by the code and tag of its slip, and the
//! codes of results waiting at the desk. Read-only.

use sqlx::Row;

use super::settings::CONTACT;
use super::Store;
use crate::dossier::ReturnMethod;
use crate::error::{CoreError, CoreResult};
use crate::numbering::normalize_code;
use crate::public_status::PublicStatus;
use crate::slip;
use crate::status::Status;

/// At most this many status-9 dossiers are read for the waiting-room list.
const READY_SCAN_LIMIT: i64 = 2000;

impl Store {
    /// The public view of the dossier on a slip, given the code and the slip's tag. An
    /// unknown code, a wrong tag, a malformed code and a desk not yet set up all give the
    /// same `None`, so the answer says nothing about which codes exist. The tag is checked
    /// before the database is asked, so the time taken does not tell either.
    pub async fn public_status(&self, code: &str, tag: &str) -> CoreResult<Option<PublicStatus>> {
        let Some(code) = normalize_code(code) else {
            return Ok(None);
        };
        // Every secret the desk scanner accepts: a centre that took in a commune's database
        // answers for the commune's receipts too.
        let secrets = match self.slip_secrets().await {
            Ok(secrets) => secrets,
            Err(CoreError::NotSetUp) => return Ok(None),
            Err(e) => return Err(e),
        };
        if !secrets
            .iter()
            .any(|secret| slip::verify(secret, &code, tag))
        {
            return Ok(None);
        }
        let dossier = match self.dossier(&code).await {
            Ok(d) => d,
            Err(CoreError::DossierNotFound { .. }) => return Ok(None),
            Err(e) => return Err(e),
        };
        let contact = self.get_setting(CONTACT).await?.unwrap_or_default();
        Ok(Some(PublicStatus::from_dossier(&dossier, &contact)))
    }

    /// Codes of results ready to collect at the desk (status 9, not sent by post), in code
    /// order (oldest reception first), at most `limit`.
    pub async fn ready_to_collect(&self, limit: usize) -> CoreResult<Vec<String>> {
        let rows = sqlx::query(&format!(
            "SELECT code, return_json FROM dossiers WHERE status_code = $1 ORDER BY code LIMIT {READY_SCAN_LIMIT}"
        ))
        .bind(Status::Ready.code())
        .fetch_all(self.pool())
        .await?;
        let mut codes = Vec::new();
        for row in rows {
            let return_json: String = row.try_get("return_json")?;
            let method: ReturnMethod = serde_json::from_str(&return_json)
                .map_err(|e| CoreError::Json(format!("return_json: {e}")))?;
            if method == ReturnMethod::Desk {
                codes.push(row.try_get("code")?);
                if codes.len() >= limit {
                    break;
                }
            }
        }
        Ok(codes)
    }
}
