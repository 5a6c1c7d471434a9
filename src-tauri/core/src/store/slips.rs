//! Issuing the receipt of a dossier (first issue or a marked reprint, each logged) and
//! recognising a scanned slip.

use serde::Serialize;
use sqlx::Row;

use super::events::{append, NewEvent};
use super::settings::{CONTACT, LOOKUP_URL, OFFICE_LABEL};
use super::{Actor, Store};
use crate::documents::wording::{lookup_line, office_label};
use crate::documents::{
    layout_pdf, layout_svg, receipt_layout, receipt_title, Layout, Paper, ReceiptOptions, Reprint,
};
use crate::dossier::Dossier;
use crate::error::{CoreError, CoreResult};
use crate::form_set::{Form, FormSet};
use crate::sealed_status::{self, OfficeKeys};
use crate::slip;
use crate::slip::SlipError;
use crate::vntime;

/// The receipt's citation under the default form set (the `form-set` setting chooses).
pub const FORM_CITATION: &str = "Mẫu số 01 – Thông tư 01/2018/TT-VPCP";
/// The lookup line of an office whose dossiers reach the national portal and whose QR code
/// opens its own lookup page (`documents::wording::lookup_line`).
pub const LOOKUP_HINT: &str =
    "Quét mã QR để tra cứu tình trạng hồ sơ, hoặc tra cứu tại dichvucong.gov.vn";

/// The receipt's words that the office's settings decide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReceiptWording {
    pub office_label: String,
    pub lookup_line: String,
}

/// A receipt as issued: its layout and the PDF drawn from it, and which issue it was.
pub struct IssuedReceipt {
    pub dossier: Dossier,
    /// What the PDF holds, for printers that draw the layout themselves (Windows).
    pub layout: Layout,
    pub pdf: Vec<u8>,
    /// 0 for the first issue, N for the N-th reprint.
    pub reprint: u32,
    pub qr_payload: String,
}

/// Whether a scanned slip carried a tag, and whether it was ours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TagCheck {
    Verified,
    /// A barcode or a bare code: nothing to verify.
    Missing,
    /// The tag does not match: a forged or altered slip.
    Invalid,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScanResult {
    pub code: String,
    pub status_code: i64,
    #[serde(with = "crate::vntime::serde_vn")]
    pub due_at: chrono::DateTime<chrono::Utc>,
    pub tag: TagCheck,
    pub verified: bool,
}

impl Store {
    /// The QR payload of a dossier's slips: the public status page's address when the
    /// office publishes there (the key in it proves the desk issued it), else the lookup URL
    /// when one is configured, else the compact form, both with the slip's tag.
    pub async fn qr_payload(&self, code: &str) -> CoreResult<String> {
        let secret = self.slip_secret().await?;
        if let Some(public_url) = self.public_status_address().await? {
            return Ok(OfficeKeys::derive(&secret).citizen_url(&public_url, code));
        }
        let template = self
            .get_setting(LOOKUP_URL)
            .await?
            .filter(|t| !t.trim().is_empty());
        Ok(slip::payload(
            code,
            &slip::tag(&secret, code),
            template.as_deref(),
        ))
    }

    /// Builds the receipt and logs it: the first issue as "printed", later ones as
    /// "reprinted" with their number, which the document also shows.
    pub async fn issue_receipt(
        &self,
        code: &str,
        paper: Paper,
        actor: &Actor,
    ) -> CoreResult<IssuedReceipt> {
        let dossier = self.dossier(code).await?;
        let id = self.dossier_id(&dossier.code).await?;
        let issues: Vec<String> = sqlx::query_scalar(
            "SELECT data_json FROM events WHERE dossier_id = $1 AND kind IN ('printed', 'reprinted') \
             ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        // A reprint keeps the form set of the first issue: two originals never differ.
        let first_set = issues
            .first()
            .and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok())
            .and_then(|data| data.get("form_set")?.as_str().and_then(FormSet::parse));
        let form_set = match first_set {
            Some(set) => set,
            None => self.form_set().await?,
        };
        let now = vntime::now();
        let reprint = u32::try_from(issues.len()).unwrap_or(u32::MAX);
        let options = self
            .receipt_options(
                &dossier,
                paper,
                (reprint > 0).then_some(Reprint {
                    number: reprint,
                    at: now,
                }),
                form_set,
            )
            .await?;
        let qr_payload = options.qr_payload.clone();
        let layout = receipt_layout(&dossier, &options)?;
        let pdf = layout_pdf(&layout, &receipt_title(&dossier))?;
        let mut tx = self.pool.begin().await?;
        let kind = if reprint == 0 { "printed" } else { "reprinted" };
        let data = serde_json::json!({ "paper": paper, "reprint": reprint, "form_set": form_set });
        append(&mut tx, id, now, actor, NewEvent::plain(kind, "", data)).await?;
        tx.commit().await?;
        Ok(IssuedReceipt {
            dossier,
            layout,
            pdf,
            reprint,
            qr_payload,
        })
    }

    async fn receipt_options(
        &self,
        dossier: &Dossier,
        paper: Paper,
        reprint: Option<Reprint>,
        form_set: FormSet,
    ) -> CoreResult<ReceiptOptions> {
        let wording = self.receipt_wording(form_set, &dossier.issuer.unit).await?;
        Ok(ReceiptOptions {
            paper,
            qr_payload: self.qr_payload(&dossier.code).await?,
            lookup_hint: wording.lookup_line,
            reprint,
            form_citation: form_set.citation(Form::Receipt).unwrap_or_default(),
            office_label: wording.office_label,
        })
    }

    /// How the receipt names the office and where it sends the citizen to look the dossier
    /// up, from the office's settings (`office-label`, `national-portal`, `lookup-url`,
    /// `contact`).
    pub async fn receipt_wording(&self, set: FormSet, unit: &str) -> CoreResult<ReceiptWording> {
        let configured = self.get_setting(OFFICE_LABEL).await?.unwrap_or_default();
        let office_label = office_label(set, &configured, unit);
        let own_page = self.public_status_address().await?.is_some()
            || self
                .get_setting(LOOKUP_URL)
                .await?
                .is_some_and(|t| !t.trim().is_empty());
        let contact = self.get_setting(CONTACT).await?.unwrap_or_default();
        let lookup_line = lookup_line(
            self.national_portal().await?,
            own_page,
            &contact,
            &office_label,
        );
        Ok(ReceiptWording {
            office_label,
            lookup_line,
        })
    }

    /// The receipt's first page as SVG, from the same layout as the PDF, for the window's
    /// preview (the webview cannot show PDFs). Nothing is logged: it is not an issue.
    pub async fn receipt_preview(&self, code: &str, paper: Paper) -> CoreResult<String> {
        let dossier = self.dossier(code).await?;
        let form_set = self.form_set().await?;
        let options = self
            .receipt_options(&dossier, paper, None, form_set)
            .await?;
        let layout = receipt_layout(&dossier, &options)?;
        Ok(layout_svg(&layout, 0))
    }

    /// What the desk scanner typed: a slip's QR payload or the bare code of its barcode.
    pub async fn scan(&self, input: &str) -> CoreResult<ScanResult> {
        // A public status URL proves itself by its key, not by a slip tag.
        let sealed = match slip::parse_scan(input) {
            None if sealed_status::looks_like_url(input) => {
                sealed_status::scan_url(&self.slip_secrets().await?, input)
            }
            _ => None,
        };
        let scanned = match &sealed {
            Some(s) => slip::Scanned {
                code: s.code.clone(),
                tag: None,
            },
            None => slip::parse_scan(input).ok_or_else(|| CoreError::Slip(SlipError::NotASlip))?,
        };
        let row = sqlx::query("SELECT code, status_code, due_at FROM dossiers WHERE code = $1")
            .bind(&scanned.code)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| CoreError::DossierNotFound {
                code: scanned.code.clone(),
            })?;
        let code: String = row.try_get("code")?;
        let tag = match &scanned.tag {
            None if sealed.as_ref().is_some_and(|s| s.key_matches) => TagCheck::Verified,
            None if sealed.is_some() => TagCheck::Invalid,
            None => TagCheck::Missing,
            Some(t)
                if self
                    .slip_secrets()
                    .await?
                    .iter()
                    .any(|secret| slip::verify(secret, &code, t)) =>
            {
                TagCheck::Verified
            }
            Some(_) => TagCheck::Invalid,
        };
        Ok(ScanResult {
            code,
            status_code: row.try_get("status_code")?,
            due_at: vntime::from_millis(row.try_get("due_at")?),
            tag,
            verified: tag == TagCheck::Verified,
        })
    }
}
