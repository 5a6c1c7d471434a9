//! Data instead of paper and any-desk intake, on SQLite and on PostgreSQL: a catalog document
//! marked as obtainable from a database or VNeID, ticked at intake, refused by Mẫu 02 and
//! carried by the catalog's export; a procedure receivable at any desk whose dossier names
//! another competent authority from the office's list, which the hand-over proposes and the
//! audit chain covers (a tampered authority is named by `audit verify`).

use crate::common;

use common::{actor, birth_request, raw, ready_stores, TestStore};
use motcua_core::audit::Mismatch;
use motcua_core::form_input::{FormRequest, MissingInput, SupplementInput};
use motcua_core::i18n::Lang;
use motcua_core::intake::DocumentInput;
use motcua_core::procedure::Catalog;
use motcua_core::transfer::{TransferInput, TransferItem};
use motcua_core::CoreError;

const AUTHORITY: &str = "Sở Tư pháp tỉnh Tây Ninh";
const FROM_DATA: &str = "Giấy chứng sinh";

/// The birth registration with its certificate obtainable from data, receivable at any desk.
async fn mark_catalog(t: &TestStore) {
    let mut p = t.store.procedure("1.001193").await.unwrap().unwrap();
    for d in &mut p.documents {
        d.from_data = d.name == FROM_DATA;
    }
    p.any_desk = true;
    t.store.save_procedure(p, None).await.unwrap();
    t.store
        .set_named(
            "Quầy 1",
            "authorities",
            &format!("UBND xã Tân Phú; {AUTHORITY}"),
        )
        .await
        .unwrap();
}

fn documents(from_data: bool, copies: i64) -> Option<Vec<DocumentInput>> {
    Some(vec![
        DocumentInput {
            name: "Tờ khai đăng ký khai sinh".into(),
            originals: 1,
            copies: 0,
            from_data: false,
        },
        DocumentInput {
            name: FROM_DATA.into(),
            originals: 0,
            copies,
            from_data,
        },
    ])
}

fn fields(e: &CoreError) -> Vec<String> {
    e.field_errors().iter().map(|f| f.field.clone()).collect()
}

#[tokio::test]
async fn a_document_taken_from_data_is_ticked_at_intake_and_never_asked_for_again() {
    for t in ready_stores().await {
        mark_catalog(&t).await;
        let mut req = birth_request("Nguyễn Văn An", "2027-03-01T09:00:00+07:00");
        // Counted as paper and taken from data at once: refused, naming the document.
        req.documents = documents(true, 1);
        let err = t.store.intake(&req, &actor()).await.unwrap_err();
        assert_eq!(fields(&err), ["documents[1].from_data"], "{}", t.name);
        assert!(err.message(Lang::En).contains(FROM_DATA), "{err}");
        // A document the catalog does not mark cannot be taken from data.
        let mut other = req.clone();
        other.documents = documents(false, 1).map(|mut d| {
            d[0].from_data = true;
            d[0].originals = 0;
            d
        });
        let err = t.store.intake(&other, &actor()).await.unwrap_err();
        assert_eq!(fields(&err), ["documents[0].from_data"], "{}", t.name);
        assert!(
            err.to_string().contains("Tờ khai đăng ký khai sinh"),
            "{err}"
        );

        req.documents = documents(true, 0);
        let d = t.store.intake(&req, &actor()).await.unwrap();
        assert!(d.documents[1].from_data && d.documents[1].copies == 0);
        assert!(!d.documents[0].from_data);
        let again = t.store.dossier(&d.code).await.unwrap();
        assert_eq!(again.documents, d.documents, "{}", t.name);

        // Mẫu 02 refuses to ask for it, naming it, in both languages; nothing changes.
        let ask = |docs: &[&str]| {
            FormRequest::Supplement(SupplementInput {
                missing: docs
                    .iter()
                    .map(|doc| MissingInput::from_pair(&format!("{doc}:thiếu")))
                    .collect(),
                guide: String::new(),
            })
        };
        let err = t
            .store
            .issue_form(
                &d.code,
                &ask(&["Tờ khai đăng ký khai sinh", "giấy chứng sinh"]),
                None,
                &actor(),
            )
            .await
            .unwrap_err();
        assert_eq!(fields(&err), ["supplement.missing[1].document"]);
        assert!(err.to_string().contains("giấy chứng sinh"), "{err}");
        assert!(err.to_string().contains("CSDL/VNeID"), "{err}");
        assert!(
            err.message(Lang::En).contains("cannot be asked for"),
            "{err:?}"
        );
        let still = t.store.dossier(&d.code).await.unwrap();
        assert_eq!(still.status, d.status);
        // Asking only for the paper one works.
        t.store
            .issue_form(
                &d.code,
                &ask(&["Tờ khai đăng ký khai sinh"]),
                None,
                &actor(),
            )
            .await
            .unwrap();

        // The catalog's export carries the marks, and an import brings them back.
        let exported = t.store.export_catalog().await.unwrap();
        let json = serde_json::to_string(&exported).unwrap();
        assert!(json.contains("\"from_data\":true") && json.contains("\"any_desk\":true"));
        let mut p = t.store.procedure("1.001193").await.unwrap().unwrap();
        p.any_desk = false;
        p.documents.iter_mut().for_each(|d| d.from_data = false);
        t.store.save_procedure(p, None).await.unwrap();
        t.store
            .import_catalog(&Catalog::parse(&json).unwrap())
            .await
            .unwrap();
        let back = t.store.procedure("1.001193").await.unwrap().unwrap();
        assert!(back.any_desk);
        assert!(back
            .documents
            .iter()
            .any(|d| d.from_data && d.name == FROM_DATA));
        assert!(t.store.verify_audit().await.unwrap().ok, "{}", t.name);
    }
}

#[tokio::test]
async fn an_any_desk_dossier_names_its_authority_which_the_hand_over_proposes() {
    for t in ready_stores().await {
        let mut req = birth_request("Trần Thị Bình", "2027-03-01T09:00:00+07:00");
        req.authority = AUTHORITY.into();
        // Not marked receivable at any desk yet.
        let err = t.store.intake(&req, &actor()).await.unwrap_err();
        assert_eq!(fields(&err), ["authority"], "{}", t.name);
        mark_catalog(&t).await;
        // An authority the office does not list.
        let mut unknown = req.clone();
        unknown.authority = "Bộ Tư pháp".into();
        let err = t.store.intake(&unknown, &actor()).await.unwrap_err();
        assert!(err.to_string().contains("Bộ Tư pháp"), "{err}");

        let d = t.store.intake(&req, &actor()).await.unwrap();
        assert_eq!(d.authority, AUTHORITY);
        assert_eq!(t.store.dossier(&d.code).await.unwrap().authority, AUTHORITY);
        let plain = t
            .store
            .intake(
                &birth_request("Lê Văn Cường", "2027-03-01T10:00:00+07:00"),
                &actor(),
            )
            .await
            .unwrap();
        assert_eq!(plain.authority, "");
        let listed = t.store.search("Trần Thị Bình", 10).await.unwrap();
        assert_eq!(listed[0].authority, AUTHORITY);

        // The hand-over takes the authority as its receiving unit when none is typed; two
        // dossiers naming different ones need the unit typed.
        let hand_over = |codes: &[&str]| TransferInput {
            items: codes
                .iter()
                .map(|c| TransferItem {
                    code: c.to_string(),
                    version: None,
                })
                .collect(),
            direction: "to_unit".into(),
            unit: String::new(),
            giver: "Lê Thị Giao".into(),
            receiver: "Trần Văn Nhận".into(),
            ..Default::default()
        };
        let err = t
            .store
            .transfer(&hand_over(&[&d.code, &plain.code]), None, &actor())
            .await
            .unwrap_err();
        assert_eq!(fields(&err), ["transfer.unit"], "{}", t.name);
        let batch = t
            .store
            .transfer(&hand_over(&[&d.code]), None, &actor())
            .await
            .unwrap();
        assert_eq!(batch.unit, AUTHORITY);
        let entries = t
            .store
            .register_entries(d.received_at.date_naive(), d.received_at.date_naive())
            .await
            .unwrap();
        let line = entries.iter().find(|e| e.code == d.code).unwrap();
        assert_eq!(line.authority, AUTHORITY);

        // The authority is the dossier's state: changed behind the app's back, the audit
        // names it; a dossier from before the column existed keeps its digest.
        assert!(t.store.verify_audit().await.unwrap().ok, "{}", t.name);
        raw(
            &t,
            &format!(
                "UPDATE dossiers SET authority = 'UBND xã Tân Phú' WHERE code = '{}'",
                d.code
            ),
        )
        .await
        .unwrap();
        let report = t.store.verify_audit().await.unwrap();
        assert!(!report.ok);
        let m = report
            .mismatches
            .iter()
            .find(|m| m.key == d.code)
            .expect("the tampered dossier");
        match &m.problem {
            Mismatch::Differs { fields } => assert_eq!(fields, &["authority"], "{}", t.name),
            other => panic!("{other:?}"),
        }
        assert!(report.mismatches.iter().all(|m| m.key != plain.code));
    }
}
