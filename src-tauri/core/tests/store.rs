//! The dossier store on every engine: intake, numbering, validation, search, events.

use crate::common;

use common::{actor, birth_request, ready_stores, stores};
use motcua_core::error::Problem;
use motcua_core::intake::IntakeRequest;
use motcua_core::lifecycle::TransitionError;
use motcua_core::status::Status;
use motcua_core::store::SchemaError;
use motcua_core::store::{ListFilter, Worklist};
use motcua_core::CoreError;
use unicode_normalization::UnicodeNormalization;

#[tokio::test]
async fn intake_registers_an_accepted_dossier_with_its_code_and_appointment() {
    for t in ready_stores().await {
        let d = t
            .store
            .intake(
                &birth_request("Nguyễn Văn An", "2027-03-03T09:00:00+07:00"),
                &actor(),
            )
            .await
            .unwrap();
        assert_eq!(d.code, "000.00.14.H56-270303-0001", "{}", t.name);
        assert_eq!(d.status, Status::Accepted);
        assert_eq!(d.applicant.name, "Nguyễn Văn An");
        // Birth registration is a same-day procedure received before 15:00.
        assert_eq!(
            motcua_core::vntime::rfc3339_vn(d.due_at),
            "2027-03-03T17:00:00+07:00",
            "{}",
            t.name
        );
        assert_eq!(
            (d.register.year, d.register.book, d.register.line),
            (2027, 1, 1)
        );
        assert_eq!(
            d.documents.len(),
            2,
            "the procedure's required documents by default"
        );
        assert_eq!(d.issuer.unit, "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG");
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(json["status_code"], 2);
        assert_eq!(json["received_at"], "2027-03-03T09:00:00+07:00");
        let again = t.store.dossier(&d.code.to_lowercase()).await.unwrap();
        assert_eq!(again, d);
    }
}

#[tokio::test]
async fn codes_are_consecutive_per_day_and_restart_at_vietnam_midnight() {
    for t in ready_stores().await {
        let s = &t.store;
        let a = s
            .intake(
                &birth_request("Lê Thị Bình", "2027-03-03T08:00:00+07:00"),
                &actor(),
            )
            .await
            .unwrap();
        let b = s
            .intake(
                &birth_request("Lê Thị Bình", "2027-03-03T23:59:59+07:00"),
                &actor(),
            )
            .await
            .unwrap();
        // 17:00 UTC on the 3rd is already the 4th in Vietnam.
        let c = s
            .intake(
                &birth_request("Lê Thị Bình", "2027-03-03T17:00:00Z"),
                &actor(),
            )
            .await
            .unwrap();
        let d = s
            .intake(
                &birth_request("Lê Thị Bình", "2027-03-03T16:59:59Z"),
                &actor(),
            )
            .await
            .unwrap();
        assert_eq!(a.code, "000.00.14.H56-270303-0001", "{}", t.name);
        assert_eq!(b.code, "000.00.14.H56-270303-0002");
        assert_eq!(c.code, "000.00.14.H56-270304-0001");
        assert_eq!(d.code, "000.00.14.H56-270303-0003");
        // The register book runs through the year regardless of the day.
        assert_eq!(
            [
                a.register.line,
                b.register.line,
                c.register.line,
                d.register.line
            ],
            [1, 2, 3, 4]
        );
    }
}

#[tokio::test]
async fn the_first_number_setting_is_honoured_and_numbers_grow_past_9999() {
    for t in ready_stores().await {
        let s = &t.store;
        s.set_first_number(9998).await.unwrap();
        let mut codes = Vec::new();
        for _ in 0..3 {
            codes.push(
                s.intake(
                    &birth_request("Trần Văn Cường", "2027-05-05T09:00:00+07:00"),
                    &actor(),
                )
                .await
                .unwrap()
                .code,
            );
        }
        assert_eq!(
            codes,
            [
                "000.00.14.H56-270505-9998",
                "000.00.14.H56-270505-9999",
                "000.00.14.H56-270505-10000"
            ],
            "{}",
            t.name
        );
        // Raising the first number mid-day jumps forward; it never goes back or reuses.
        s.set_first_number(5001).await.unwrap();
        let next = s
            .intake(
                &birth_request("Trần Văn Cường", "2027-05-05T10:00:00+07:00"),
                &actor(),
            )
            .await
            .unwrap();
        assert_eq!(next.code, "000.00.14.H56-270505-10001");
        let other_day = s
            .intake(
                &birth_request("Trần Văn Cường", "2027-05-06T10:00:00+07:00"),
                &actor(),
            )
            .await
            .unwrap();
        assert_eq!(other_day.code, "000.00.14.H56-270506-5001");
    }
}

#[tokio::test]
async fn concurrent_intakes_on_one_store_get_distinct_consecutive_codes() {
    for t in ready_stores().await {
        let mut tasks = Vec::new();
        for i in 0..40 {
            let s = t.store.clone();
            tasks.push(tokio::spawn(async move {
                s.intake(
                    &birth_request(
                        &format!("Người Thứ {}", "A".repeat(i % 5 + 1)),
                        "2027-06-01T09:00:00+07:00",
                    ),
                    &actor(),
                )
                .await
                .map(|d| d.code)
            }));
        }
        let mut codes = Vec::new();
        for task in tasks {
            codes.push(task.await.unwrap().unwrap());
        }
        codes.sort();
        let expected: Vec<String> = (1..=40)
            .map(|n| format!("000.00.14.H56-270601-{n:04}"))
            .collect();
        assert_eq!(codes, expected, "{}", t.name);
    }
}

fn request_with(f: impl FnOnce(&mut serde_json::Value)) -> IntakeRequest {
    let mut v = serde_json::json!({
        "procedure": "1.004873",
        "applicant": {
            "name": "Phạm Minh Đức",
            "id_number": "001099012345",
            "phone": "+84 912 345 678",
            "email": "duc@example.vn",
            "address": "Thôn 3, xã Hướng Thọ Phú, tỉnh Tây Ninh"
        },
        "documents": [{"name": "Tờ khai", "originals": 1, "copies": 0}],
        "sets": 1,
        "return": {"method": "desk"},
        "received_at": "2027-03-03T09:00:00+07:00",
        "note": ""
    });
    f(&mut v);
    IntakeRequest::from_json(&v.to_string()).unwrap()
}

/// An edit that spoils one field of a valid request.
type Change = Box<dyn Fn(&mut serde_json::Value)>;

#[tokio::test]
async fn each_bad_field_is_refused_with_its_own_message_and_nothing_is_written() {
    let cases: Vec<(&str, Change, Problem)> = vec![
        (
            "procedure",
            Box::new(|v| v["procedure"] = "9.999999".into()),
            Problem::UnknownProcedure {
                code: "9.999999".into(),
            },
        ),
        (
            "procedure",
            Box::new(|v| v["procedure"] = "".into()),
            Problem::Required,
        ),
        (
            "applicant.name",
            Box::new(|v| v["applicant"]["name"] = "   ".into()),
            Problem::Required,
        ),
        (
            "applicant.name",
            Box::new(|v| v["applicant"]["name"] = "An\u{0007}".into()),
            Problem::ForbiddenChars,
        ),
        (
            "applicant.name",
            Box::new(|v| v["applicant"]["name"] = "A".repeat(101).into()),
            Problem::TooLong { max: 100 },
        ),
        (
            "applicant.name",
            Box::new(|v| v["applicant"]["name"] = "x'; DROP TABLE dossiers; --".into()),
            Problem::NotAName,
        ),
        (
            "applicant.id_number",
            Box::new(|v| v["applicant"]["id_number"] = "07920300123".into()),
            Problem::IdNumber,
        ),
        (
            "applicant.id_number",
            Box::new(|v| v["applicant"]["id_number"] = "".into()),
            Problem::Required,
        ),
        (
            "applicant.phone",
            Box::new(|v| v["applicant"]["phone"] = "12345".into()),
            Problem::Phone,
        ),
        (
            "applicant.email",
            Box::new(|v| v["applicant"]["email"] = "not-an-email".into()),
            Problem::Email,
        ),
        (
            "applicant.address",
            Box::new(|v| v["applicant"]["address"] = "".into()),
            Problem::Required,
        ),
        (
            "applicant.address",
            Box::new(|v| v["applicant"]["address"] = "x".repeat(301).into()),
            Problem::TooLong { max: 300 },
        ),
        (
            "documents",
            Box::new(|v| v["documents"] = serde_json::json!([])),
            Problem::Required,
        ),
        (
            "documents[0].name",
            Box::new(|v| v["documents"][0]["name"] = "".into()),
            Problem::Required,
        ),
        (
            "documents[0].copies",
            Box::new(|v| v["documents"][0]["copies"] = 100.into()),
            Problem::OutOfRange { min: 0, max: 99 },
        ),
        (
            "sets",
            Box::new(|v| v["sets"] = 0.into()),
            Problem::OutOfRange { min: 1, max: 99 },
        ),
        (
            "return.address",
            Box::new(|v| v["return"] = serde_json::json!({"method": "post"})),
            Problem::Required,
        ),
        (
            "received_at",
            Box::new(|v| v["received_at"] = "2027-02-30T09:00:00+07:00".into()),
            Problem::DateTime,
        ),
        (
            "note",
            Box::new(|v| v["note"] = "a\u{202E}b".into()),
            Problem::ForbiddenChars,
        ),
    ];
    for t in ready_stores().await {
        for (field, change, problem) in &cases {
            let err = t
                .store
                .intake(&request_with(change), &actor())
                .await
                .unwrap_err();
            let errors = err.field_errors();
            assert_eq!(errors.len(), 1, "{}: {field}: {errors:?}", t.name);
            assert_eq!(&errors[0].field, field);
            assert_eq!(&errors[0].problem, problem, "{field}");
            let vi = err.message(motcua_core::i18n::Lang::Vi);
            let en = err.message(motcua_core::i18n::Lang::En);
            assert_ne!(vi, en);
            assert!(
                !vi.contains("field.") && !vi.contains("problem."),
                "untranslated: {vi}"
            );
        }
        assert_eq!(
            t.store.count().await.unwrap(),
            0,
            "{}: nothing written",
            t.name
        );
        // No number was consumed by the refusals.
        let ok = t
            .store
            .intake(&request_with(|_| {}), &actor())
            .await
            .unwrap();
        assert!(ok.code.ends_with("-0001"));
        assert_eq!(ok.applicant.phone, "0912345678");
    }
}

#[tokio::test]
async fn a_wrong_json_type_names_its_path() {
    let err = IntakeRequest::from_json(r#"{"procedure":"1.001193","sets":"two"}"#).unwrap_err();
    assert_eq!(err.field_errors()[0].field, "sets");
    let err = IntakeRequest::from_json(r#"{"procedure":"1.001193","surprise":1}"#).unwrap_err();
    assert!(
        err.message(motcua_core::i18n::Lang::En)
            .contains("surprise"),
        "{err}"
    );
}

#[tokio::test]
async fn not_set_up_refuses_intake() {
    for t in stores().await {
        let err = t
            .store
            .intake(
                &birth_request("Nguyễn Văn An", "2027-03-03T09:00:00+07:00"),
                &actor(),
            )
            .await
            .unwrap_err();
        assert!(matches!(err, CoreError::NotSetUp), "{}: {err}", t.name);
    }
}

#[tokio::test]
async fn search_ignores_diacritics_and_case_and_finds_codes_ids_and_phones() {
    for t in ready_stores().await {
        let s = &t.store;
        let an = s
            .intake(
                &birth_request("Nguyễn Văn An", "2027-03-03T09:00:00+07:00"),
                &actor(),
            )
            .await
            .unwrap();
        let mut other = birth_request("Đặng Thị Ánh", "2027-03-03T10:00:00+07:00");
        other.applicant.id_number = "001199000111".into();
        other.applicant.phone = "0987000111".into();
        let anh = s.intake(&other, &actor()).await.unwrap();

        let codes = |hits: Vec<motcua_core::dossier::DossierSummary>| {
            hits.into_iter().map(|h| h.code).collect::<Vec<_>>()
        };
        assert_eq!(
            codes(s.search("nguyen van an", 50).await.unwrap()),
            vec![an.code.clone()],
            "{}",
            t.name
        );
        assert_eq!(
            codes(s.search("NGUYEN", 50).await.unwrap()),
            vec![an.code.clone()]
        );
        assert_eq!(
            codes(s.search("van an", 50).await.unwrap()),
            vec![an.code.clone()],
            "middle name"
        );
        assert_eq!(
            codes(s.search("dang thi anh", 50).await.unwrap()),
            vec![anh.code.clone()]
        );
        assert_eq!(
            codes(s.search("Đặng", 50).await.unwrap()),
            vec![anh.code.clone()]
        );
        assert_eq!(
            codes(s.search(&an.code.to_lowercase(), 50).await.unwrap()),
            vec![an.code.clone()]
        );
        assert_eq!(
            codes(s.search("001199000111", 50).await.unwrap()),
            vec![anh.code.clone()]
        );
        assert_eq!(
            codes(s.search("0987 000 111", 50).await.unwrap()),
            vec![anh.code.clone()]
        );
        assert_eq!(
            codes(s.search("+84987000111", 50).await.unwrap()),
            vec![anh.code.clone()]
        );
        assert!(s.search("tran", 50).await.unwrap().is_empty());
        assert!(s.search("   ", 50).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn nfd_input_is_stored_as_nfc() {
    for t in ready_stores().await {
        let nfd: String = "Nguyễn Thị Hằng".nfd().collect();
        let mut req = birth_request(&nfd, "2027-03-03T09:00:00+07:00");
        req.applicant.address = "Ấp Bình Hòa".nfd().collect();
        let d = t.store.intake(&req, &actor()).await.unwrap();
        assert_eq!(d.applicant.name, "Nguyễn Thị Hằng");
        assert_eq!(d.applicant.address, "Ấp Bình Hòa");
        assert_eq!(
            t.store.search("Nguyễn Thị Hằng", 10).await.unwrap().len(),
            1,
            "{}",
            t.name
        );
    }
}

#[tokio::test]
async fn a_repeated_request_id_returns_the_same_dossier() {
    for t in ready_stores().await {
        let mut req = birth_request("Nguyễn Văn An", "2027-03-03T09:00:00+07:00");
        req.request_id = Some("form-7f3a".into());
        let who = actor();
        let (a, b) = tokio::join!(t.store.intake(&req, &who), t.store.intake(&req, &who));
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(a.code, b.code, "{}", t.name);
        assert_eq!(t.store.count().await.unwrap(), 1);
        let c = t.store.intake(&req, &actor()).await.unwrap();
        assert_eq!(c.code, a.code);
    }
}

#[tokio::test]
async fn a_dossier_history_starts_with_its_creation_and_is_append_only() {
    for t in ready_stores().await {
        let d = t
            .store
            .intake(
                &birth_request("Nguyễn Văn An", "2027-03-03T09:00:00+07:00"),
                &actor(),
            )
            .await
            .unwrap();
        let events = t.store.events(&d.code).await.unwrap();
        assert_eq!(events.len(), 1, "{}", t.name);
        assert_eq!(events[0].kind, "created");
        assert_eq!(events[0].to_status, Some(Status::Accepted));
        assert_eq!(events[0].actor, "tester");
        assert_eq!(events[0].desk, "Quầy 1");
        // The database itself refuses to rewrite history.
        assert!(
            common::raw(&t, "UPDATE events SET note = 'x'")
                .await
                .is_err(),
            "{}",
            t.name
        );
        assert!(
            common::raw(&t, "DELETE FROM events").await.is_err(),
            "{}",
            t.name
        );
    }
}

#[tokio::test]
async fn lists_filter_by_date_status_and_procedure() {
    for t in ready_stores().await {
        let s = &t.store;
        s.intake(
            &birth_request("Nguyễn Văn An", "2027-03-03T09:00:00+07:00"),
            &actor(),
        )
        .await
        .unwrap();
        s.intake(
            &birth_request("Nguyễn Văn Bình", "2027-03-04T09:00:00+07:00"),
            &actor(),
        )
        .await
        .unwrap();
        s.intake(&request_with(|_| {}), &actor()).await.unwrap();
        let day = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        let on_3rd = s
            .list(&ListFilter {
                date: Some(day("2027-03-03")),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(on_3rd.len(), 2, "{}", t.name);
        let births = s
            .list(&ListFilter {
                procedure: Some("1.001193".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(births.len(), 2);
        assert_eq!(births[0].applicant_name, "Nguyễn Văn Bình", "newest first");
        let ready = s
            .list(&ListFilter {
                status: Some(Status::Ready),
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(ready.is_empty());
    }
}

#[tokio::test]
async fn working_lists_show_due_today_overdue_and_ready() {
    for t in ready_stores().await {
        let s = &t.store;
        let intake = |name: &'static str, at: &'static str| async move {
            s.intake(&birth_request(name, at), &actor()).await.unwrap()
        };
        // Birth registration is same-day: each is due at 17:00 on its reception day.
        let early = intake("Phạm Văn Dũng", "2027-03-01T09:00:00+07:00").await;
        let ready = intake("Hoàng Thị Em", "2027-03-01T10:00:00+07:00").await;
        let today = intake("Vũ Văn Phúc", "2027-03-03T09:00:00+07:00").await;
        let paused = intake("Đỗ Thị Giang", "2027-03-01T11:00:00+07:00").await;
        for to in [Status::Processing, Status::Ready] {
            s.transition(&ready.code, to, "", None, None, &actor())
                .await
                .unwrap();
        }
        s.transition(
            &paused.code,
            Status::SupplementRequested,
            "",
            None,
            None,
            &actor(),
        )
        .await
        .unwrap();
        let now = at("2027-03-03T10:00:00+07:00").unwrap();
        let list = |w: Worklist| async move {
            s.list(&ListFilter {
                worklist: Some((w, now)),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_iter()
            .map(|d| d.code)
            .collect::<Vec<_>>()
        };
        assert_eq!(
            list(Worklist::DueToday).await,
            vec![today.code.clone()],
            "{}",
            t.name
        );
        // A dossier waiting for papers is not late: its clock is stopped.
        assert_eq!(
            list(Worklist::Overdue).await,
            vec![early.code.clone()],
            "{}",
            t.name
        );
        assert_eq!(
            list(Worklist::Ready).await,
            vec![ready.code.clone()],
            "{}",
            t.name
        );
    }
}

#[tokio::test]
async fn each_desk_keeps_its_own_printer_paper_and_language() {
    for t in ready_stores().await {
        let s = &t.store;
        s.set_named("Quầy 1", "printer", "HP_Quay_1").await.unwrap();
        s.set_named("Quầy 1", "paper", "80mm").await.unwrap();
        s.set_named("Quầy 2", "language", "EN").await.unwrap();
        assert_eq!(s.get_named("Quầy 1", "printer").await.unwrap(), "HP_Quay_1");
        assert_eq!(s.get_named("Quầy 2", "printer").await.unwrap(), "");
        assert_eq!(s.get_named("Quầy 1", "paper").await.unwrap(), "80mm");
        assert_eq!(s.get_named("Quầy 2", "paper").await.unwrap(), "a5");
        assert_eq!(s.get_named("Quầy 2", "language").await.unwrap(), "en");
        assert_eq!(s.get_named("Quầy 1", "language").await.unwrap(), "vi");
        let err = s.set_named("Quầy 1", "language", "fr").await.unwrap_err();
        assert_eq!(err.field_errors()[0].field, "language", "{}", t.name);
        let err = s.set_named("Quầy 1", "paper", "a3").await.unwrap_err();
        assert_eq!(err.field_errors()[0].field, "paper");
    }
}

#[tokio::test]
async fn a_database_from_a_newer_version_is_refused() {
    for t in stores().await {
        let checksum = if t.name == "sqlite" {
            "X'00'"
        } else {
            "'\\x00'::bytea"
        };
        common::raw(
            &t,
            &format!("INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time) VALUES (999999, 'future', CURRENT_TIMESTAMP, TRUE, {checksum}, 0)"),
        )
        .await
        .unwrap();
        t.store.close().await;
        let err = motcua_core::store::Store::open(&t.location)
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                CoreError::Schema(SchemaError::TooNew { found: 999999, .. })
            ),
            "{}: {err}",
            t.name
        );
    }
}

#[tokio::test]
async fn catalog_import_is_all_or_nothing_and_export_round_trips() {
    for t in stores().await {
        let s = &t.store;
        let exported = s.export_catalog().await.unwrap();
        assert!(exported.procedures.len() >= 13);
        let bad = r#"{"procedures":[{"code":"9.1","name":"Thủ tục mới","field":"Khác","limit":{"unit":"working_days","days":2}},{"code":"9.2","name":"","field":"Khác","limit":{"unit":"working_days","days":2}}]}"#;
        assert!(motcua_core::procedure::Catalog::parse(bad).is_err());
        let good = r#"{"procedures":[{"code":"9.1","name":"Thủ tục mới","field":"Khác","limit":{"unit":"calendar_days","days":10}}]}"#;
        let n = s
            .import_catalog(&motcua_core::procedure::Catalog::parse(good).unwrap())
            .await
            .unwrap();
        assert_eq!(n, 1);
        let p = s.procedure("9.1").await.unwrap().unwrap();
        assert_eq!(p.name, "Thủ tục mới", "{}", t.name);
        assert_eq!(s.find_procedures("thu tuc moi").await.unwrap().len(), 1);
        assert_eq!(
            s.find_procedures("khai sinh").await.unwrap()[0].code,
            "1.001193"
        );
        assert_eq!(s.find_procedures("1.001193").await.unwrap().len(), 1);
    }
}

#[tokio::test]
async fn the_catalog_editor_replaces_a_placeholder_code_in_one_step() {
    for t in stores().await {
        let s = &t.store;
        let land = s.procedure("DD.001").await.unwrap().unwrap();
        let position = |list: &[motcua_core::procedure::Procedure], code: &str| {
            list.iter().position(|p| p.code == code)
        };
        let before = s.procedures(true).await.unwrap();

        // A bad entry is refused field by field, and nothing changes.
        let mut bad = land.clone();
        bad.code = "mã sai!".into();
        bad.name = " ".into();
        let err = s.save_procedure(bad, Some("DD.001")).await.unwrap_err();
        let fields: Vec<&str> = err
            .field_errors()
            .iter()
            .map(|f| f.field.as_str())
            .collect();
        assert_eq!(fields, ["procedure.code", "procedure.name"], "{}", t.name);
        // Replacing an entry that does not exist saves nothing either.
        let mut stray = land.clone();
        stray.code = "1.999999".into();
        let err = s.save_procedure(stray, Some("KHONG.CO")).await.unwrap_err();
        assert_eq!(err.kind(), "procedure_not_found", "{}", t.name);
        assert_eq!(s.procedures(true).await.unwrap(), before, "{}", t.name);

        // The province's own code takes the placeholder's place in the list.
        let mut real = land.clone();
        real.code = "1.004227".into();
        real.fee_text = "  Theo nghị quyết của tỉnh ".into();
        let saved = s.save_procedure(real, Some("DD.001")).await.unwrap();
        assert_eq!(saved.fee_text, "Theo nghị quyết của tỉnh");
        let after = s.procedures(true).await.unwrap();
        assert_eq!(
            position(&after, "1.004227"),
            position(&before, "DD.001"),
            "{}",
            t.name
        );
        assert!(!s.procedure("DD.001").await.unwrap().unwrap().active);
        let offered = s.procedures(false).await.unwrap();
        assert!(position(&offered, "DD.001").is_none());
        assert!(position(&offered, "1.004227").is_some());

        // Editing it again keeps its place; a new entry goes last.
        let mut edited = saved.clone();
        edited.name = "Đăng ký đất đai lần đầu".into();
        s.save_procedure(edited, None).await.unwrap();
        let mut added = saved.clone();
        added.code = "9.9".into();
        s.save_procedure(added, None).await.unwrap();
        let last = s.procedures(true).await.unwrap();
        assert_eq!(position(&last, "1.004227"), position(&after, "1.004227"));
        assert_eq!(last.last().unwrap().code, "9.9", "{}", t.name);
    }
}

#[tokio::test]
async fn statuses_move_only_along_the_transition_table_and_each_move_is_logged() {
    for t in ready_stores().await {
        let s = &t.store;
        let d = s
            .intake(
                &birth_request("Nguyễn Văn An", "2027-03-03T09:00:00+07:00"),
                &actor(),
            )
            .await
            .unwrap();
        // Accepted → Returned skips the result: refused, with the allowed moves named.
        let err = s
            .transition(&d.code, Status::Returned, "", None, None, &actor())
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                CoreError::Transition(TransitionError::Transition { .. })
            ),
            "{}: {err}",
            t.name
        );
        assert!(
            err.message(motcua_core::i18n::Lang::Vi)
                .contains("Đang xử lý"),
            "{err}"
        );
        let moved = s
            .transition(
                &d.code,
                Status::Processing,
                "Chuyển phòng Tư pháp",
                None,
                None,
                &actor(),
            )
            .await
            .unwrap();
        assert_eq!(moved.status, Status::Processing);
        assert_eq!(moved.version, d.version + 1);
        s.transition(&d.code, Status::Ready, "", None, None, &actor())
            .await
            .unwrap();
        // Only the hand-over, which records the receiver, reaches Returned.
        let err = s
            .transition(&d.code, Status::Returned, "", None, None, &actor())
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                CoreError::Transition(TransitionError::HandoverOnly { .. })
            ),
            "{}: {err}",
            t.name
        );
        assert!(
            err.message(motcua_core::i18n::Lang::En)
                .contains("only the hand-over"),
            "{err}"
        );
        s.handover(
            &d.code,
            &motcua_core::handover::HandoverInput {
                receiver_name: d.applicant.name.clone(),
                receiver_id: d.applicant.id_number.clone(),
                ..Default::default()
            },
            None,
            &actor(),
        )
        .await
        .unwrap();
        // Returned is final.
        for to in motcua_core::status::ALL_STATUSES {
            assert!(
                s.transition(&d.code, to, "", None, None, &actor())
                    .await
                    .is_err(),
                "{to:?}"
            );
        }
        let events = s.events(&d.code).await.unwrap();
        let moves: Vec<(Option<Status>, Option<Status>)> = events
            .iter()
            .map(|e| (e.from_status, e.to_status))
            .collect();
        assert_eq!(
            moves,
            vec![
                (None, Some(Status::Accepted)),
                (Some(Status::Accepted), Some(Status::Processing)),
                (Some(Status::Processing), Some(Status::Ready)),
                (Some(Status::Ready), Some(Status::Returned)),
            ],
            "{}",
            t.name
        );
        assert_eq!(events[1].note, "Chuyển phòng Tư pháp");
    }
}

#[tokio::test]
async fn of_two_desks_changing_a_dossier_at_once_one_wins_and_the_other_is_told() {
    for t in ready_stores().await {
        let s = &t.store;
        let d = s
            .intake(
                &birth_request("Nguyễn Văn An", "2027-03-03T09:00:00+07:00"),
                &actor(),
            )
            .await
            .unwrap();
        let who = actor();
        let (a, b) = tokio::join!(
            s.transition(
                &d.code,
                Status::Processing,
                "desk A",
                None,
                Some(d.version),
                &who
            ),
            s.transition(
                &d.code,
                Status::SupplementRequested,
                "desk B",
                None,
                Some(d.version),
                &who
            )
        );
        let wins = [a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count();
        assert_eq!(wins, 1, "{}: {a:?} {b:?}", t.name);
        let loser = match (a, b) {
            (Err(e), _) | (_, Err(e)) => e,
            _ => unreachable!("one of the two failed"),
        };
        assert!(matches!(loser, CoreError::Conflict { .. }), "{loser}");
        assert_eq!(
            s.events(&d.code).await.unwrap().len(),
            2,
            "nothing lost, nothing doubled"
        );
    }
}

fn at(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    Some(
        chrono::DateTime::parse_from_rfc3339(s)
            .unwrap()
            .with_timezone(&chrono::Utc),
    )
}

#[tokio::test]
async fn waiting_for_papers_or_fees_stops_the_clock_and_moves_the_appointment() {
    use motcua_core::vntime::rfc3339_vn;
    for t in ready_stores().await {
        let s = &t.store;
        // 1.004873: three working days, extended by pauses.
        let mut req = birth_request("Nguyễn Văn An", "2027-03-01T09:00:00+07:00");
        req.procedure = "1.004873".into();
        req.documents = Some(vec![motcua_core::intake::DocumentInput {
            name: "Tờ khai".into(),
            originals: 1,
            copies: 0,
            from_data: false,
        }]);
        let d = s.intake(&req, &actor()).await.unwrap();
        assert_eq!(
            rfc3339_vn(d.due_at),
            "2027-03-04T09:00:00+07:00",
            "{}",
            t.name
        );
        s.transition(
            &d.code,
            Status::SupplementRequested,
            "Thiếu giấy",
            at("2027-03-01T10:00:00+07:00"),
            None,
            &actor(),
        )
        .await
        .unwrap();
        let back = s
            .transition(
                &d.code,
                Status::Processing,
                "",
                at("2027-03-02T10:00:00+07:00"),
                None,
                &actor(),
            )
            .await
            .unwrap();
        // Paused one full working day (10:00 Monday to 10:00 Tuesday).
        assert_eq!(
            rfc3339_vn(back.due_at),
            "2027-03-05T09:00:00+07:00",
            "{}",
            t.name
        );
        let pauses = s.pauses(&d.code).await.unwrap();
        assert_eq!(pauses.len(), 1);
        assert!(pauses[0].1.is_some());

        // A procedure whose limit restarts after a pause.
        let catalog = motcua_core::procedure::Catalog::parse(
            r#"{"procedures":[{"code":"9.2","name":"Thủ tục thử","field":"Khác","limit":{"unit":"working_days","days":2},"pause_policy":"restart","documents":[{"name":"Đơn","originals":1,"copies":0}]}]}"#,
        )
        .unwrap();
        s.import_catalog(&catalog).await.unwrap();
        let mut req = birth_request("Trần Thị Bình", "2027-03-01T09:00:00+07:00");
        req.procedure = "9.2".into();
        req.documents = None;
        let r = s.intake(&req, &actor()).await.unwrap();
        assert_eq!(rfc3339_vn(r.due_at), "2027-03-03T09:00:00+07:00");
        s.transition(
            &r.code,
            Status::SupplementRequested,
            "",
            at("2027-03-02T10:00:00+07:00"),
            None,
            &actor(),
        )
        .await
        .unwrap();
        let r = s
            .transition(
                &r.code,
                Status::Accepted,
                "",
                at("2027-03-04T14:00:00+07:00"),
                None,
                &actor(),
            )
            .await
            .unwrap();
        assert_eq!(
            rfc3339_vn(r.due_at),
            "2027-03-08T14:00:00+07:00",
            "{}",
            t.name
        );
        let events = s.events(&r.code).await.unwrap();
        assert_eq!(
            events.last().unwrap().data["previous_due_at"],
            "2027-03-03T09:00:00+07:00"
        );
    }
}

#[tokio::test]
async fn the_result_is_handed_over_with_the_receiver_and_the_rating() {
    use motcua_core::handover::HandoverInput;
    for t in ready_stores().await {
        let s = &t.store;
        let d = s
            .intake(
                &birth_request("Nguyễn Văn An", "2027-03-03T09:00:00+07:00"),
                &actor(),
            )
            .await
            .unwrap();
        let by_applicant = HandoverInput {
            receiver_name: "Nguyễn Văn An".into(),
            receiver_id: "079203001234".into(),
            rating: Some(1),
            ..Default::default()
        };
        // Not ready yet.
        let err = s
            .handover(&d.code, &by_applicant, None, &actor())
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                CoreError::Transition(TransitionError::Transition { .. })
            ),
            "{}: {err}",
            t.name
        );
        s.transition(&d.code, Status::Ready, "", None, None, &actor())
            .await
            .unwrap();
        // Someone else needs an authorisation; a rating is 1–3.
        let other = HandoverInput {
            receiver_name: "Lê Thị Cúc".into(),
            receiver_id: "001199000222".into(),
            ..Default::default()
        };
        let err = s
            .handover(&d.code, &other, None, &actor())
            .await
            .unwrap_err();
        assert_eq!(err.field_errors()[0].field, "handover.authorisation");
        let bad = HandoverInput {
            rating: Some(4),
            ..by_applicant.clone()
        };
        assert_eq!(
            s.handover(&d.code, &bad, None, &actor())
                .await
                .unwrap_err()
                .field_errors()[0]
                .field,
            "handover.rating"
        );
        let done = s
            .handover(&d.code, &by_applicant, None, &actor())
            .await
            .unwrap();
        assert_eq!(done.status, Status::Returned, "{}", t.name);
        let last = s.events(&d.code).await.unwrap().pop().unwrap();
        assert_eq!(last.kind, "handed_over");
        assert_eq!(last.data["is_applicant"], true);
        assert_eq!(last.data["rating"], "very_satisfied");
        assert!(
            s.handover(&d.code, &by_applicant, None, &actor())
                .await
                .is_err(),
            "only once"
        );
    }
}

#[tokio::test]
async fn the_biểu_06_counters_of_a_two_month_scenario() {
    use motcua_core::handover::HandoverInput;
    let day = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
    for t in ready_stores().await {
        let s = &t.store;
        let who = actor();
        let register = |procedure: &'static str, received: &'static str, online: bool| {
            let mut req = birth_request("Nguyễn Văn An", received);
            req.procedure = procedure.into();
            req.documents = Some(vec![motcua_core::intake::DocumentInput {
                name: "Tờ khai".into(),
                originals: 1,
                copies: 0,
                from_data: false,
            }]);
            if online {
                req.channel = Some("online".into());
            }
            let s = s.clone();
            let who = who.clone();
            async move { s.intake(&req, &who).await.unwrap().code }
        };
        let moveto = |code: String, to: Status, when: &'static str| {
            let s = s.clone();
            let who = who.clone();
            async move {
                s.transition(&code, to, "", at(when), None, &who)
                    .await
                    .unwrap()
            }
        };
        let hand = |code: String, rating: i64, when: &'static str| {
            let s = s.clone();
            let who = who.clone();
            async move {
                let input = HandoverInput {
                    receiver_name: "Nguyễn Văn An".into(),
                    receiver_id: "079203001234".into(),
                    rating: Some(rating),
                    ..Default::default()
                };
                s.handover(&code, &input, at(when), &who).await.unwrap()
            }
        };
        const P: &str = "1.004873";
        let a = register(P, "2027-02-15T09:00:00+07:00", false).await;
        moveto(a, Status::Ready, "2027-02-17T10:00:00+07:00").await;
        let b = register(P, "2027-02-22T09:00:00+07:00", false).await;
        moveto(b.clone(), Status::Ready, "2027-03-02T10:00:00+07:00").await;
        hand(b, 1, "2027-03-03T10:00:00+07:00").await;
        let _c = register(P, "2027-02-24T09:00:00+07:00", false).await;
        let d = register(P, "2027-02-25T09:00:00+07:00", false).await;
        moveto(d, Status::Withdrawn, "2027-02-26T10:00:00+07:00").await;
        let e = register(P, "2027-03-03T09:00:00+07:00", false).await;
        moveto(e, Status::Ready, "2027-03-05T10:00:00+07:00").await;
        let f = register(P, "2027-03-03T10:00:00+07:00", false).await;
        moveto(f, Status::Ready, "2027-03-08T16:00:00+07:00").await;
        let g = register(P, "2027-03-04T09:00:00+07:00", false).await;
        moveto(g, Status::Ready, "2027-03-10T08:00:00+07:00").await;
        let h = register(P, "2027-03-10T09:00:00+07:00", false).await;
        moveto(h, Status::Stopped, "2027-03-11T09:00:00+07:00").await;
        let _i = register(P, "2027-03-29T09:00:00+07:00", false).await;
        let _j = register(P, "2027-03-25T09:00:00+07:00", false).await;
        let k = register("2.000884", "2027-03-15T09:00:00+07:00", false).await;
        moveto(k.clone(), Status::Ready, "2027-03-15T16:00:00+07:00").await;
        hand(k, 3, "2027-03-16T09:00:00+07:00").await;
        let _l = register(P, "2027-03-16T09:00:00+07:00", true).await;
        let _m = register(P, "2027-04-02T09:00:00+07:00", false).await;

        let report = s
            .report(
                day("2027-03-01"),
                day("2027-03-31"),
                at("2027-05-01T08:00:00+07:00").unwrap(),
            )
            .await
            .unwrap();
        let json = serde_json::to_value(&report).unwrap();
        let totals = &json["totals"];
        let expect = serde_json::json!({
            "received_total": 10, "received_online": 1, "received_direct": 7, "received_carried_over": 2,
            "resolved_total": 5, "resolved_early": 1, "resolved_on_time": 2, "resolved_late": 2,
            "in_progress_total": 4, "in_progress_within": 1, "in_progress_overdue": 3,
            "closed_total": 1, "rating_very_satisfied": 1, "rating_satisfied": 0, "rating_unsatisfied": 1,
            "components_digitised": 0, "components_digitised_percent": 0.0,
            "results_digitised": 0, "results_digitised_percent": 0.0
        });
        assert_eq!(totals, &expect, "{}", t.name);
        assert_eq!(json["rows"].as_array().unwrap().len(), 2);
        let civil = &json["rows"][1];
        assert_eq!(
            (civil["field"].as_str(), civil["procedure"].as_str()),
            (Some("Hộ tịch"), Some(P))
        );
        assert_eq!(civil["received_total"], 9);
        for row in json["rows"].as_array().unwrap() {
            let n = |k: &str| row[k].as_i64().unwrap();
            assert_eq!(
                n("received_total"),
                n("resolved_total") + n("in_progress_total") + n("closed_total")
            );
        }
        // February: a, b, c, d received; a resolved on time... a was due 18/2 and ready 17/2: early.
        let feb = s
            .report(
                day("2027-02-01"),
                day("2027-02-28"),
                at("2027-05-01T08:00:00+07:00").unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(feb.totals.received_total, 4);
        assert_eq!(feb.totals.resolved_early, 1);
        assert_eq!(feb.totals.closed_total, 1);
        assert_eq!(feb.totals.in_progress_overdue, 1, "b, due 25/2");
        assert_eq!(feb.totals.in_progress_within, 1, "c, due 1/3");
    }
}

/// A month still running is judged as of now: a dossier due later in the month is within
/// time, one paused for papers is never overdue, only one whose appointment day has passed
/// is late; the dashboard counts the same; a month that has ended is judged at its end.
#[tokio::test]
async fn the_running_month_is_judged_as_of_now() {
    let day = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
    for t in ready_stores().await {
        let s = &t.store;
        let who = actor();
        let register = |received: &'static str, procedure: &'static str| {
            let mut req = birth_request("Nguyễn Văn An", received);
            req.procedure = procedure.into();
            let s = s.clone();
            let who = who.clone();
            async move { s.intake(&req, &who).await.unwrap() }
        };
        // A birth registration is due the same day; a marriage status certificate later.
        const BIRTH: &str = "1.001193";
        let late = register("2027-03-01T09:00:00+07:00", BIRTH).await;
        let paused = register("2027-03-01T10:00:00+07:00", BIRTH).await;
        s.transition(
            &paused.code,
            Status::SupplementRequested,
            "",
            at("2027-03-01T15:00:00+07:00"),
            None,
            &who,
        )
        .await
        .unwrap();
        let due_today = register("2027-03-05T08:00:00+07:00", BIRTH).await;
        let ahead = register("2027-03-05T08:30:00+07:00", "1.004873").await;
        assert_eq!(
            motcua_core::vntime::vn_date(due_today.due_at),
            day("2027-03-05"),
            "{}",
            t.name
        );
        assert!(ahead.due_at > at("2027-03-05T23:00:00+07:00").unwrap());

        let now = at("2027-03-05T10:00:00+07:00").unwrap();
        let march = s
            .report(day("2027-03-01"), day("2027-03-31"), now)
            .await
            .unwrap();
        let c = &march.totals;
        assert_eq!(c.in_progress_total, 4, "{}", t.name);
        assert_eq!(
            (c.in_progress_overdue, c.in_progress_within),
            (1, 3),
            "{}: only {} is late on 05/03",
            t.name,
            late.code
        );
        assert_eq!(march.as_of, now);
        assert!(
            march
                .period_line()
                .ends_with("(số liệu tính đến 10:00 ngày 05/03/2027)"),
            "{}",
            march.period_line()
        );
        let board = s.dashboard(now).await.unwrap();
        assert_eq!(board.overdue, c.in_progress_overdue, "{}", t.name);
        assert_eq!(board.due_today, 1, "{}", t.name);

        // Judged at the end of March, the paused dossier is still not late; the others are.
        let after = at("2027-04-10T10:00:00+07:00").unwrap();
        let ended = s
            .report(day("2027-03-01"), day("2027-03-31"), after)
            .await
            .unwrap();
        assert_eq!(ended.totals.in_progress_overdue, 3, "{}", t.name);
        assert_eq!(ended.as_of, at("2027-04-01T00:00:00+07:00").unwrap());
        assert!(
            ended
                .period_line()
                .ends_with("(số liệu tính đến 24:00 ngày 31/03/2027)"),
            "{}",
            ended.period_line()
        );
        // Every export carries the moment.
        let csv = motcua_core::report::to_csv(&march);
        assert!(
            csv.contains("số liệu tính đến 10:00 ngày 05/03/2027"),
            "{csv}"
        );
    }
}
