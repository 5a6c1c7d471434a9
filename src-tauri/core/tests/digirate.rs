//! The digitisation rate on both engines: a month of 4 dossiers, 3 with every checklist row
//! scanned or taken from data (the birth certificate, which the catalog marks so, needs no
//! scan) and 1 missing its last row, 2 of them resolved with 1 result scanned, and a dossier
//! carried over from the month before fully scanned (which the rate leaves out): the report
//! says 75 % of the components and 50 % of the results, its JSON says 75.0 and 50.0, the
//! rules in Rust (`report::build`) agree with the store's SQL, and the dashboard in that
//! month shows the same rates.

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use motcua_core::intake::DocumentInput;
use motcua_core::report::{build, Facts};
use motcua_core::scans::{self, Source};
use motcua_core::status::Status;
use motcua_core::store::{NewScan, Store};

use crate::common::{actor, birth_request, ready_stores};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// A small grey page: the rate needs a scan, not a realistic one.
fn page(dir: &Path) -> scans::PreparedPdf {
    let img = image::GrayImage::from_fn(120, 160, |x, y| image::Luma([((x + y) % 200) as u8]));
    let path = dir.join("page.png");
    img.save_with_format(&path, image::ImageFormat::Png)
        .unwrap();
    scans::prepare_files(&[path], Source::File)
        .unwrap()
        .remove(0)
}

/// The birth registration's two rows; the certificate (row 2) taken from data or on paper.
fn documents(from_data: bool) -> Option<Vec<DocumentInput>> {
    Some(vec![
        DocumentInput {
            name: "Tờ khai đăng ký khai sinh".into(),
            originals: 1,
            copies: 0,
            from_data: false,
        },
        DocumentInput {
            name: "Giấy chứng sinh".into(),
            originals: 0,
            copies: if from_data { 0 } else { 1 },
            from_data,
        },
    ])
}

async fn scan(s: &Store, code: &str, doc: u32, result: bool, dir: &Path) {
    let pdf = page(dir);
    s.add_scans(code, vec![NewScan { doc, result, pdf }], &actor())
        .await
        .unwrap();
}

#[tokio::test]
async fn three_of_four_dossiers_fully_digitised_is_75_percent() {
    for t in ready_stores().await {
        let s = &t.store;
        let work = tempfile::tempdir().unwrap();
        if t.name != "sqlite" {
            let folder = work.path().join("shared-scans");
            s.set_named("Quầy 1", "scans-folder", folder.to_str().unwrap())
                .await
                .unwrap();
        }
        let carried = s
            .intake(
                &birth_request("Đỗ Văn Cũ", "2027-02-25T09:00:00+07:00"),
                &actor(),
            )
            .await
            .unwrap();
        let mut p = s.procedure("1.001193").await.unwrap().unwrap();
        for d in &mut p.documents {
            d.from_data = d.name == "Giấy chứng sinh";
        }
        s.save_procedure(p, None).await.unwrap();
        let mut codes = Vec::new();
        for (i, name) in [
            "Nguyễn Văn An",
            "Trần Thị Bình",
            "Lê Văn Cường",
            "Phạm Thị Dung",
        ]
        .iter()
        .enumerate()
        {
            let received = format!("2027-03-0{}T09:00:00+07:00", i + 1);
            let mut req = birth_request(name, &received);
            req.documents = documents(i == 2);
            let d = s.intake(&req, &actor()).await.unwrap();
            codes.push(d.code);
        }
        for code in &codes[..2] {
            for doc in [1, 2] {
                scan(s, code, doc, false, work.path()).await;
            }
        }
        // The third: its certificate came from data, the form is scanned (twice).
        for doc in [1, 1] {
            scan(s, &codes[2], doc, false, work.path()).await;
        }
        // The fourth: its paper certificate not scanned.
        scan(s, &codes[3], 1, false, work.path()).await;
        // Carried over from February, fully scanned: not this month's rate.
        let rows = s.dossier(&carried.code).await.unwrap().documents.len() as u32;
        for doc in 1..=rows {
            scan(s, &carried.code, doc, false, work.path()).await;
        }
        // Two results ready in March, one of them scanned.
        for code in &codes[..2] {
            s.transition(
                code,
                Status::Ready,
                "",
                Some(at("2027-03-08T10:00:00+07:00")),
                None,
                &actor(),
            )
            .await
            .unwrap();
        }
        scan(s, &codes[0], 0, true, work.path()).await;

        let (from, to) = (
            NaiveDate::from_ymd_opt(2027, 3, 1).unwrap(),
            NaiveDate::from_ymd_opt(2027, 3, 31).unwrap(),
        );
        let now = at("2027-04-02T09:00:00+07:00");
        let report = s.report(from, to, now).await.unwrap();
        let c = report.totals;
        assert_eq!(
            (c.received_in_period(), c.received_carried_over),
            (4, 1),
            "{}",
            t.name
        );
        assert_eq!(
            (
                c.components_digitised,
                c.resolved_total,
                c.results_digitised
            ),
            (3, 2, 1),
            "{}",
            t.name
        );
        assert_eq!(c.components_rate(), Some(0.75), "{}", t.name);
        assert_eq!(c.results_rate(), Some(0.5), "{}", t.name);
        assert_eq!(c.digitisation_cells()[2], "75,0 %");
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["totals"]["components_digitised_percent"], 75.0);
        assert_eq!(json["totals"]["results_digitised_percent"], 50.0);
        assert_eq!(json["rows"][0]["components_digitised_percent"], 75.0);

        // The same from the rules over each dossier's facts.
        let mut facts = Vec::new();
        for code in codes.iter().chain([&carried.code]) {
            let d = s.dossier(code).await.unwrap();
            let (checklist_rows, data_rows, scanned_rows, result_scanned) =
                crate::common::scan_facts(s, &d).await;
            let ready = s
                .events(code)
                .await
                .unwrap()
                .iter()
                .filter(|e| e.to_status == Some(Status::Ready))
                .map(|e| e.at)
                .min();
            facts.push(Facts {
                field: d.procedure.field.clone(),
                procedure: d.procedure.code.clone(),
                procedure_name: d.procedure.name.clone(),
                online: false,
                received_at: d.received_at,
                due_at: d.due_at,
                ready_at: ready,
                returned_at: None,
                closed_at: None,
                handed_at: None,
                rating: None,
                pauses: Vec::new(),
                checklist_rows,
                data_rows,
                scanned_rows,
                result_scanned,
            });
        }
        assert_eq!(build(from, to, now, &facts), report, "{}", t.name);

        // An empty period has no rate rather than 0 %.
        let april = s
            .report(
                NaiveDate::from_ymd_opt(2027, 5, 1).unwrap(),
                NaiveDate::from_ymd_opt(2027, 5, 31).unwrap(),
                now,
            )
            .await
            .unwrap();
        assert_eq!(april.totals.components_rate(), None);
        let json = serde_json::to_value(&april).unwrap();
        assert!(json["totals"]["components_digitised_percent"].is_null());

        let dash = s.dashboard(at("2027-03-20T10:00:00+07:00")).await.unwrap();
        assert_eq!(
            (dash.month_received, dash.month_components_digitised),
            (4, 3),
            "{}",
            t.name
        );
        assert_eq!(dash.month_components_rate, Some(0.75), "{}", t.name);
        assert_eq!(dash.month_results_rate, Some(0.5), "{}", t.name);
    }
}
