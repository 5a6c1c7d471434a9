//! Receipt generation (Mẫu 01) in the three papers: layout, QR and barcode, PDF with subset
//! fonts, as the desk prints it.

use std::collections::BTreeMap;

use motcua_core::documents::{receipt_pdf, Paper, ReceiptOptions};
use motcua_core::dossier::Dossier;
use motcua_core::intake::IntakeRequest;
use motcua_core::store::{Actor, Store, FORM_CITATION, LOOKUP_HINT};

use super::error::BenchError;
use serde::Serialize;

use super::stats::stats;

#[derive(Debug, Clone, Default, Serialize)]
pub struct PaperResult {
    pub median_ms: f64,
    pub p95_ms: f64,
    pub bytes: usize,
}

/// The reference receipt: a five-document dossier.
pub async fn five_document_dossier(store: &Store) -> Result<Dossier, BenchError> {
    let req = IntakeRequest::from_json(
        &serde_json::json!({
            "procedure": "1.004873",
            "applicant": {"name": "Nguyễn Thị Minh Khai", "id_number": "072190012345",
                          "phone": "0912345678", "email": "minhkhai@gmail.com",
                          "address": "Số 12, ấp Bình Hòa, xã Hướng Thọ Phú, tỉnh Tây Ninh"},
            "documents": [
                {"name": "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", "originals": 1, "copies": 0},
                {"name": "Giấy tờ chứng minh việc ly hôn", "originals": 0, "copies": 1},
                {"name": "Bản sao Giấy khai sinh", "originals": 0, "copies": 1},
                {"name": "Văn bản ủy quyền", "originals": 1, "copies": 0},
                {"name": "Giấy tờ chứng minh nơi cư trú", "originals": 0, "copies": 1}
            ]
        })
        .to_string(),
    )?;
    Ok(store.intake(&req, &Actor::new("bench", "Quầy 1")).await?)
}

pub fn options(paper: Paper, payload: &str) -> ReceiptOptions {
    ReceiptOptions {
        paper,
        qr_payload: payload.to_string(),
        lookup_hint: LOOKUP_HINT.into(),
        reprint: None,
        form_citation: FORM_CITATION.into(),
        office_label: motcua_core::documents::wording::DESK_2018.into(),
    }
}

fn pdf(d: &Dossier, o: &ReceiptOptions) -> Result<Vec<u8>, BenchError> {
    receipt_pdf(d, o).map_err(|e| BenchError::Core(e.into()))
}

pub fn run(
    d: &Dossier,
    payload: &str,
    count: usize,
) -> Result<BTreeMap<String, PaperResult>, BenchError> {
    let mut out = BTreeMap::new();
    for paper in [Paper::A4, Paper::A5, Paper::Roll80] {
        let o = options(paper, payload);
        // The first call loads and parses the fonts; a desk pays that once a day.
        let mut bytes = pdf(d, &o)?.len();
        let mut samples = Vec::with_capacity(count);
        for _ in 0..count.max(1) {
            let t = std::time::Instant::now();
            bytes = pdf(d, &o)?.len();
            samples.push(t.elapsed());
        }
        let s = stats(samples);
        out.insert(
            paper.to_string(),
            PaperResult {
                median_ms: s.median_ms,
                p95_ms: s.p95_ms,
                bytes,
            },
        );
    }
    Ok(out)
}
