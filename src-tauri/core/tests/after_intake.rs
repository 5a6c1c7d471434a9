//! The dossier's life after intake, on SQLite and on PostgreSQL: the forms and what they do
//! to the dossier (the 2025 stop notice stops it for good, the 2025 letters are numbered in
//! the year), batch transfers (all or nothing), postal delivery, the new appointment of
//! Mẫu 04 in the report, and the dashboard.

use crate::common;

use common::{actor, birth_request, ready_stores, TestStore};
use motcua_core::delivery::{DeliveryInput, DeliveryStatus};
use motcua_core::dossier::Dossier;
use motcua_core::form_input::{
    ApologyInput, FormRequest, MissingInput, RefusalInput, StopInput, SupplementInput,
};
use motcua_core::handover::HandoverInput;
use motcua_core::lifecycle::TransitionError;
use motcua_core::report::Timeliness;
use motcua_core::status::Status;
use motcua_core::transfer::{ControlStep, Direction, TransferInput, TransferItem};
use motcua_core::vntime::rfc3339_vn;
use motcua_core::CoreError;

fn at(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    Some(
        chrono::DateTime::parse_from_rfc3339(s)
            .unwrap()
            .with_timezone(&chrono::Utc),
    )
}

fn day(d: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()
}

/// A dossier of 1.004873 (three working days), received at `received`.
async fn marriage_status(t: &TestStore, name: &str, received: &str) -> Dossier {
    let mut req = birth_request(name, received);
    req.procedure = "1.004873".into();
    req.documents = Some(vec![motcua_core::intake::DocumentInput {
        name: "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân".into(),
        originals: 1,
        copies: 0,
        from_data: false,
    }]);
    t.store.intake(&req, &actor()).await.unwrap()
}

async fn move_to(t: &TestStore, code: &str, to: Status, when: &str) -> Dossier {
    t.store
        .transition(code, to, "", at(when), None, &actor())
        .await
        .unwrap()
}

fn transfer(codes: &[(&str, Option<i64>)], direction: &str) -> TransferInput {
    TransferInput {
        items: codes
            .iter()
            .map(|(code, version)| TransferItem {
                code: code.to_string(),
                version: *version,
            })
            .collect(),
        direction: direction.into(),
        unit: "Công chức Tư pháp – Hộ tịch".into(),
        giver: "Lê Thị Giao".into(),
        receiver: "Trần Văn Bình".into(),
        ..Default::default()
    }
}

async fn kinds(t: &TestStore, code: &str) -> Vec<String> {
    t.store
        .events(code)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect()
}

#[tokio::test]
async fn a_batch_transfer_moves_every_dossier_or_none() {
    for t in ready_stores().await {
        let (a, b, c) = three_received_one_withdrawn(&t).await;
        refused_batches_move_nothing(&t, &a, &b, &c).await;
        a_batch_goes_to_the_unit_and_comes_back(&t, &a, &b).await;
        the_control_slip_and_the_register_show_both_moves(&t, &a).await;
    }
}

/// Three marriage dossiers received on 1/3/2027; the third is then withdrawn.
async fn three_received_one_withdrawn(t: &TestStore) -> (Dossier, Dossier, Dossier) {
    let a = marriage_status(t, "Nguyễn Văn An", "2027-03-01T09:00:00+07:00").await;
    let b = marriage_status(t, "Lê Thị Bích", "2027-03-01T09:30:00+07:00").await;
    let c = marriage_status(t, "Phạm Văn Công", "2027-03-01T10:00:00+07:00").await;
    t.store
        .transition(&c.code, Status::Withdrawn, "", None, None, &actor())
        .await
        .unwrap();
    (a, b, c)
}

async fn refused_batches_move_nothing(t: &TestStore, a: &Dossier, b: &Dossier, c: &Dossier) {
    let s = &t.store;
    // A withdrawn dossier cannot go to the unit: nobody moves.
    let err = s
        .transfer(
            &transfer(
                &[(&a.code, None), (&b.code, None), (&c.code, None)],
                "to_unit",
            ),
            None,
            &actor(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, CoreError::Transition(TransitionError::Transition { ref code, .. }) if *code == c.code),
        "{}: {err}",
        t.name
    );
    // A dossier changed since the desk read it is caught inside the transaction, after
    // the first one was already moved: that move is rolled back too.
    let err = s
        .transfer(
            &transfer(
                &[(&a.code, Some(a.version)), (&b.code, Some(b.version - 1))],
                "to_unit",
            ),
            None,
            &actor(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, CoreError::Conflict { .. }),
        "{}: {err}",
        t.name
    );
    for d in [&a, &b] {
        let now = s.dossier(&d.code).await.unwrap();
        assert_eq!(
            (now.status, now.version),
            (Status::Accepted, d.version),
            "{}",
            t.name
        );
        assert_eq!(kinds(t, &d.code).await, ["created"], "{}", t.name);
    }
    assert!(matches!(
        s.transfer_batch(1).await.unwrap_err(),
        CoreError::TransferNotFound { id: 1 }
    ));
    // The same code twice is a mistake of the list, not a double move.
    let err = s
        .transfer(
            &transfer(
                &[(&a.code, None), (&a.code.to_lowercase(), None)],
                "to_unit",
            ),
            None,
            &actor(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.field_errors()[0].field, "transfer.codes[1]");
}

async fn a_batch_goes_to_the_unit_and_comes_back(t: &TestStore, a: &Dossier, b: &Dossier) {
    let s = &t.store;
    let sent = s
        .transfer(
            &transfer(&[(&b.code, None), (&a.code, None)], "to_unit"),
            at("2027-03-01T14:00:00+07:00"),
            &actor(),
        )
        .await
        .unwrap();
    assert_eq!(sent.direction, Direction::ToUnit);
    assert_eq!(
        (sent.clerk.as_str(), sent.giver.as_str()),
        ("tester", "Lê Thị Giao")
    );
    let listed: Vec<&str> = sent.rows.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(
        listed,
        [b.code.as_str(), a.code.as_str()],
        "list order kept"
    );
    assert!(sent.rows.iter().all(|r| r.to_status == Status::Processing));
    // Unnamed, the unit is the one the dossiers went to.
    let mut returning = transfer(&[(&a.code, None), (&b.code, None)], "back");
    returning.unit.clear();
    let back = s
        .transfer(&returning, at("2027-03-04T08:00:00+07:00"), &actor())
        .await
        .unwrap();
    assert_eq!(back.receiver, "Trần Văn Bình");
    assert_eq!(back.unit, "Công chức Tư pháp – Hộ tịch", "{}", t.name);
    for d in [&a, &b] {
        assert_eq!(s.dossier(&d.code).await.unwrap().status, Status::Ready);
        assert_eq!(
            kinds(t, &d.code).await,
            ["created", "transferred", "transferred"]
        );
    }
}

async fn the_control_slip_and_the_register_show_both_moves(t: &TestStore, a: &Dossier) {
    let s = &t.store;
    // Both transfers and the hand-over are rows of the control slip.
    s.handover(
        &a.code,
        &HandoverInput {
            receiver_name: "Nguyễn Văn An".into(),
            receiver_id: "079203001234".into(),
            ..Default::default()
        },
        at("2027-03-05T09:00:00+07:00"),
        &actor(),
    )
    .await
    .unwrap();
    let rows = s.control_rows(&a.code).await.unwrap();
    let steps: Vec<(bool, Timeliness)> = rows
        .iter()
        .map(|r| (matches!(r.step, ControlStep::Returned { .. }), r.timeliness))
        .collect();
    assert_eq!(
        steps,
        [
            (false, Timeliness::Early),
            (false, Timeliness::OnTime),
            (true, Timeliness::Late)
        ],
        "{}: due 4/3",
        t.name
    );
    // The register book knows when each went and came back.
    let book = s
        .register_entries(day("2027-03-01"), day("2027-03-01"))
        .await
        .unwrap();
    assert_eq!(book.len(), 3);
    assert_eq!(book[0].code, a.code);
    assert_eq!(book[0].unit, "Công chức Tư pháp – Hộ tịch");
    assert_eq!(
        book[0].sent_at.map(rfc3339_vn).as_deref(),
        Some("2027-03-01T14:00:00+07:00")
    );
    assert!(book[0].result_at.is_some() && book[0].returned_at.is_some());
    assert_eq!(book[0].returned_to, "Nguyễn Văn An");
    assert_eq!(book[2].status, Status::Withdrawn);
    assert!(book[2].sent_at.is_none());
}

#[tokio::test]
async fn forms_move_the_dossier_and_record_their_form_set() {
    for t in ready_stores().await {
        let s = &t.store;
        // A new office prints the 2025 set; this office chose the 2018 one.
        assert_eq!(
            s.form_set().await.unwrap(),
            motcua_core::form_set::FormSet::Tt03_2025
        );
        s.set_named("Quầy 1", "form-set", "tt01-2018")
            .await
            .unwrap();
        let d = marriage_status(&t, "Nguyễn Văn An", "2027-03-01T09:00:00+07:00").await;
        let supplement = FormRequest::Supplement(SupplementInput {
            missing: vec![
                MissingInput::from_pair("Tờ khai:chưa có chữ ký"),
                MissingInput::from_pair("Bản sao giấy khai sinh:không rõ chữ"),
            ],
            guide: String::new(),
        });
        // Nothing written when the form is incomplete.
        let empty = FormRequest::Supplement(SupplementInput::default());
        let err = s
            .issue_form(&d.code, &empty, None, &actor())
            .await
            .unwrap_err();
        assert_eq!(err.field_errors()[0].field, "supplement.missing");
        assert_eq!(kinds(&t, &d.code).await, ["created"]);

        let first = s
            .issue_form(
                &d.code,
                &supplement,
                at("2027-03-01T10:00:00+07:00"),
                &actor(),
            )
            .await
            .unwrap();
        assert!(first.pdf.starts_with(b"%PDF"));
        assert_eq!(first.dossier.status, Status::SupplementRequested);
        assert_eq!((first.number.as_str(), first.issue), ("02", 1));
        assert_eq!(s.pauses(&d.code).await.unwrap().len(), 1, "clock stopped");
        let again = s
            .issue_form(&d.code, &supplement, None, &actor())
            .await
            .unwrap();
        assert_eq!(
            (again.dossier.status, again.issue),
            (Status::SupplementRequested, 2)
        );
        let events = s.events(&d.code).await.unwrap();
        let issued: Vec<&serde_json::Value> = events
            .iter()
            .filter(|e| e.kind == "form_issued")
            .map(|e| &e.data)
            .collect();
        assert_eq!(issued.len(), 2);
        assert_eq!(issued[0]["form"], "supplement");
        assert_eq!(issued[0]["form_set"], "tt01-2018");
        assert_eq!(
            issued[0]["missing"][1]["document"],
            "Bản sao giấy khai sinh"
        );

        // Under the 2025 numbering the control slip is Mẫu 06; the set is in force since the
        // switch back, not since the first run.
        let first_run = s.form_set_in_force().await.unwrap();
        assert_eq!(
            first_run.form_set,
            motcua_core::form_set::FormSet::Tt01_2018
        );
        let switched = motcua_core::vntime::now() - chrono::Duration::milliseconds(1);
        s.set_named("Quầy 1", "form-set", "tt03-2025")
            .await
            .unwrap();
        assert!(s.set_named("Quầy 1", "form-set", "tt99").await.is_err());
        s.set_named("Quầy 1", "form-set", "tt03-2025")
            .await
            .unwrap();
        let in_force = s.form_set_in_force().await.unwrap();
        assert_eq!(in_force.circular, "Thông tư 03/2025/TT-VPCP");
        let since = in_force.since.unwrap();
        assert!(since >= switched, "{since} before {switched}");
        assert!(since < motcua_core::vntime::now());
        assert_eq!(in_force.forms.len(), 7);
        assert_eq!(
            (
                in_force.forms[4].number.as_str(),
                in_force.forms[4].title.as_str()
            ),
            ("05", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ")
        );
        let control = s
            .issue_form(&d.code, &FormRequest::Control, None, &actor())
            .await
            .unwrap();
        assert_eq!(control.number, "06", "{}", t.name);
        assert_eq!(control.dossier.status, Status::SupplementRequested);
        let last = s.events(&d.code).await.unwrap().pop().unwrap();
        assert_eq!(last.data["form_set"], "tt03-2025");

        // A refusal closes the dossier; an apology is for open dossiers only.
        let r = marriage_status(&t, "Lê Văn Tám", "2027-03-01T09:00:00+07:00").await;
        let refused = s
            .issue_form(
                &r.code,
                &FormRequest::Refusal(RefusalInput {
                    reasons: vec!["Không thuộc thẩm quyền giải quyết của xã".into()],
                }),
                None,
                &actor(),
            )
            .await
            .unwrap();
        assert_eq!(refused.dossier.status, Status::Refused);
        let apology = FormRequest::Apology(ApologyInput {
            reason: "Chờ xác minh".into(),
            new_due: "2027-03-12".into(),
        });
        assert!(matches!(
            s.issue_form(&r.code, &apology, None, &actor())
                .await
                .unwrap_err(),
            CoreError::Transition(TransitionError::NotOpen { .. })
        ));
    }
}

#[tokio::test]
async fn a_new_appointment_is_what_the_report_judges_the_result_against() {
    for t in ready_stores().await {
        let s = &t.store;
        // Both due Thursday 4/3 at 09:00; both ready Monday 8/3.
        let kept = marriage_status(&t, "Nguyễn Văn An", "2027-03-01T09:00:00+07:00").await;
        let plain = marriage_status(&t, "Lê Thị Bích", "2027-03-01T09:00:00+07:00").await;
        assert_eq!(rfc3339_vn(kept.due_at), "2027-03-04T09:00:00+07:00");
        let apology = FormRequest::Apology(ApologyInput {
            reason: "Chờ kết quả xác minh của xã khác".into(),
            new_due: "2027-03-09".into(),
        });
        let issued = s
            .issue_form(
                &kept.code,
                &apology,
                at("2027-03-03T15:00:00+07:00"),
                &actor(),
            )
            .await
            .unwrap();
        assert_eq!(
            rfc3339_vn(issued.dossier.due_at),
            "2027-03-09T17:00:00+07:00",
            "{}",
            t.name
        );
        assert_eq!(issued.dossier.version, kept.version + 1);
        let reappointed = s
            .events(&kept.code)
            .await
            .unwrap()
            .into_iter()
            .find(|e| e.kind == "reappointed")
            .unwrap();
        assert_eq!(
            reappointed.data["previous_due_at"],
            "2027-03-04T09:00:00+07:00"
        );
        // A new appointment must come later than the one it replaces.
        let earlier = FormRequest::Apology(ApologyInput {
            reason: "x".into(),
            new_due: "2027-03-05".into(),
        });
        let err = s
            .issue_form(&kept.code, &earlier, None, &actor())
            .await
            .unwrap_err();
        assert_eq!(err.field_errors()[0].field, "apology.new_due");

        for d in [&kept, &plain] {
            move_to(&t, &d.code, Status::Ready, "2027-03-08T10:00:00+07:00").await;
        }
        let report = s
            .report(
                day("2027-03-01"),
                day("2027-03-31"),
                at("2027-04-01T08:00:00+07:00").unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(
            (
                report.totals.resolved_early,
                report.totals.resolved_on_time,
                report.totals.resolved_late
            ),
            (1, 0, 1),
            "{}: the apology's dossier is early against 9/3, the other late against 4/3",
            t.name
        );

        // A wait for papers after the apology moves the new appointment, not the old one.
        let paused = marriage_status(&t, "Phạm Văn Công", "2027-03-01T09:00:00+07:00").await;
        s.issue_form(
            &paused.code,
            &apology,
            at("2027-03-03T15:00:00+07:00"),
            &actor(),
        )
        .await
        .unwrap();
        move_to(
            &t,
            &paused.code,
            Status::SupplementRequested,
            "2027-03-04T10:00:00+07:00",
        )
        .await;
        let resumed = move_to(
            &t,
            &paused.code,
            Status::Processing,
            "2027-03-05T10:00:00+07:00",
        )
        .await;
        assert_eq!(
            rfc3339_vn(resumed.due_at),
            "2027-03-10T17:00:00+07:00",
            "{}: one working day of waiting after 9/3 17:00",
            t.name
        );
    }
}

#[tokio::test]
async fn the_post_reports_delivery_or_return() {
    for t in ready_stores().await {
        let s = &t.store;
        let posted = marriage_status(&t, "Nguyễn Văn An", "2027-03-01T09:00:00+07:00").await;
        let collected = marriage_status(&t, "Lê Thị Bích", "2027-03-01T09:00:00+07:00").await;
        for d in [&posted, &collected] {
            s.transition(&d.code, Status::Ready, "", None, None, &actor())
                .await
                .unwrap();
        }
        s.handover(
            &posted.code,
            &HandoverInput {
                method: "post".into(),
                tracking: "EB123456789VN".into(),
                ..Default::default()
            },
            at("2027-03-05T10:00:00+07:00"),
            &actor(),
        )
        .await
        .unwrap();
        s.handover(
            &collected.code,
            &HandoverInput {
                receiver_name: "Lê Thị Bích".into(),
                receiver_id: "079203001234".into(),
                ..Default::default()
            },
            None,
            &actor(),
        )
        .await
        .unwrap();
        let returned = DeliveryInput {
            status: "returned".into(),
            note: "Không có người nhận".into(),
        };
        let err = s
            .record_delivery(&collected.code, &returned, None, &actor())
            .await
            .unwrap_err();
        assert!(matches!(err, CoreError::NotPosted { .. }), "{err}");
        let err = s
            .record_delivery(
                &posted.code,
                &returned,
                at("2027-03-05T09:00:00+07:00"),
                &actor(),
            )
            .await
            .unwrap_err();
        assert_eq!(err.field_errors()[0].field, "delivery.at");

        let state = s
            .record_delivery(
                &posted.code,
                &returned,
                at("2027-03-07T16:00:00+07:00"),
                &actor(),
            )
            .await
            .unwrap();
        assert_eq!(state.status, Some(DeliveryStatus::Returned));
        let delivered = DeliveryInput {
            status: "delivered".into(),
            note: String::new(),
        };
        let state = s
            .record_delivery(
                &posted.code,
                &delivered,
                at("2027-03-09T11:00:00+07:00"),
                &actor(),
            )
            .await
            .unwrap();
        assert_eq!(state.status, Some(DeliveryStatus::Delivered), "{}", t.name);
        assert_eq!(
            state.status_at.map(rfc3339_vn).as_deref(),
            Some("2027-03-09T11:00:00+07:00")
        );
        assert_eq!(state.tracking, "EB123456789VN");
        let updates: Vec<String> = s
            .events(&posted.code)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.kind == "delivery_updated")
            .map(|e| e.data["status"].as_str().unwrap_or_default().to_string())
            .collect();
        assert_eq!(updates, ["returned", "delivered"]);
    }
}

#[tokio::test]
async fn the_dashboard_counts_what_the_desk_must_do_today() {
    for t in ready_stores().await {
        let s = &t.store;
        // Received Friday 5/3 09:00: due Wednesday 10/3 09:00.
        let due_today = marriage_status(&t, "Nguyễn Văn An", "2027-03-05T09:00:00+07:00").await;
        // Received 1/3: due 4/3.
        let overdue = marriage_status(&t, "Lê Thị Bích", "2027-03-01T09:00:00+07:00").await;
        let waiting = marriage_status(&t, "Phạm Văn Công", "2027-03-01T09:00:00+07:00").await;
        move_to(
            &t,
            &waiting.code,
            Status::SupplementRequested,
            "2027-03-02T09:00:00+07:00",
        )
        .await;
        let ready = marriage_status(&t, "Trần Thị Dung", "2027-03-01T09:00:00+07:00").await;
        move_to(&t, &ready.code, Status::Ready, "2027-03-03T09:00:00+07:00").await;
        let late = marriage_status(&t, "Võ Văn Em", "2027-03-01T09:00:00+07:00").await;
        move_to(&t, &late.code, Status::Ready, "2027-03-08T09:00:00+07:00").await;
        assert_eq!(rfc3339_vn(due_today.due_at), "2027-03-10T09:00:00+07:00");
        let now = at("2027-03-10T10:00:00+07:00").unwrap();
        let d = s.dashboard(now).await.unwrap();
        assert_eq!(d.today, day("2027-03-10"));
        assert_eq!(
            (d.due_today, d.overdue, d.ready_not_collected),
            (1, 1, 2),
            "{}: the waiting dossier is not overdue; {}",
            t.name,
            overdue.code
        );
        assert_eq!((d.month_resolved, d.month_on_time), (2, 1));
        assert_eq!(d.month_on_time_rate, Some(0.5));
    }
}

#[tokio::test]
async fn the_stop_notice_stops_the_dossier_for_good() {
    for t in ready_stores().await {
        let s = &t.store;
        let d = marriage_status(&t, "Nguyễn Văn An", "2027-03-01T09:00:00+07:00").await;
        let keep = marriage_status(&t, "Lê Thị Bích", "2027-03-01T09:30:00+07:00").await;
        let stop = |reason: &str| {
            FormRequest::Stop(StopInput {
                reason: reason.into(),
                fees: "refunded".into(),
            })
        };
        // Nothing written without a reason.
        let err = s
            .issue_form(&d.code, &stop(" "), None, &actor())
            .await
            .unwrap_err();
        assert_eq!(err.field_errors()[0].field, "stop.reason");
        assert_eq!(kinds(&t, &d.code).await, ["created"]);

        let issued = s
            .issue_form(
                &d.code,
                &stop("request"),
                at("2027-03-02T10:00:00+07:00"),
                &actor(),
            )
            .await
            .unwrap();
        assert_eq!((issued.number.as_str(), issued.issue), ("05", 1));
        assert_eq!(issued.dossier.status, Status::Stopped, "{}", t.name);
        assert_eq!(
            kinds(&t, &d.code).await,
            ["created", "status_changed", "form_issued"],
            "one transaction, chained like every form"
        );
        let last = s.events(&d.code).await.unwrap().pop().unwrap();
        assert_eq!(
            last.data["stage"],
            "Hồ sơ đã được tiếp nhận, chưa chuyển cơ quan, bộ phận giải quyết"
        );
        assert_eq!(last.data["fees"], "refunded");
        // A copy keeps the dossier where the first left it.
        let copy = s
            .issue_form(&d.code, &stop("request"), None, &actor())
            .await
            .unwrap();
        assert_eq!((copy.dossier.status, copy.issue), (Status::Stopped, 2));

        // Long after its appointment it is neither due nor overdue, and Biểu 06 counts it
        // closed, never in progress.
        let later = at("2027-04-20T10:00:00+07:00").unwrap();
        let overdue = s
            .list(&motcua_core::store::ListFilter {
                worklist: Some((motcua_core::store::Worklist::Overdue, later)),
                ..Default::default()
            })
            .await
            .unwrap();
        let codes: Vec<&str> = overdue.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes, [keep.code.as_str()], "{}", t.name);
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let report = s
            .report(day("2027-03-01"), day("2027-03-31"), later)
            .await
            .unwrap();
        assert_eq!(report.totals.received_total, 2);
        assert_eq!(report.totals.closed_total, 1);
        assert_eq!(report.totals.in_progress_total, 1);
        assert_eq!(report.totals.in_progress_overdue, 1);

        // Under 2018 there is no stop notice: the set is named.
        s.set_named("Quầy 1", "form-set", "tt01-2018")
            .await
            .unwrap();
        let err = s
            .issue_form(&keep.code, &stop("request"), None, &actor())
            .await
            .unwrap_err();
        assert!(
            err.message(motcua_core::i18n::Lang::Vi)
                .contains("Thông tư 01/2018/TT-VPCP"),
            "{err}"
        );
        assert_eq!(kinds(&t, &keep.code).await, ["created"]);
    }
}

#[tokio::test]
async fn letters_of_apology_are_numbered_in_their_year() {
    for t in ready_stores().await {
        let s = &t.store;
        let apology = FormRequest::Apology(ApologyInput {
            reason: "Chờ xác minh".into(),
            new_due: "2027-03-12".into(),
        });
        let mut numbers = Vec::new();
        for name in ["Nguyễn Văn An", "Lê Thị Bích"] {
            let d = marriage_status(&t, name, "2027-03-01T09:00:00+07:00").await;
            let issued = s
                .issue_form(&d.code, &apology, at("2027-03-02T10:00:00+07:00"), &actor())
                .await
                .unwrap();
            assert_eq!(issued.number, "04");
            numbers.push(issued.letter);
            // Typed text that looks like a letter number does not count as one.
            let other = marriage_status(&t, "Đỗ Thị Hoa", "2027-03-01T09:00:00+07:00").await;
            let odd = FormRequest::Supplement(SupplementInput {
                missing: vec![MissingInput::from_pair(r#"Tờ khai:ghi "letter": 99"#)],
                guide: String::new(),
            });
            s.issue_form(&other.code, &odd, at("2027-03-02T11:00:00+07:00"), &actor())
                .await
                .unwrap();
        }
        assert_eq!(numbers, [Some(1), Some(2)], "{}", t.name);
        // A new year starts again at 1; the 2018 slip has no letter number.
        let d = marriage_status(&t, "Trần Văn Cường", "2027-12-30T09:00:00+07:00").await;
        let next_year = FormRequest::Apology(ApologyInput {
            reason: "Chờ xác minh".into(),
            new_due: "2028-01-12".into(),
        });
        let issued = s
            .issue_form(
                &d.code,
                &next_year,
                at("2028-01-03T10:00:00+07:00"),
                &actor(),
            )
            .await
            .unwrap();
        assert_eq!(issued.letter, Some(1));
        s.set_named("Quầy 1", "form-set", "tt01-2018")
            .await
            .unwrap();
        let issued = s
            .issue_form(
                &d.code,
                &next_year_later(),
                at("2028-01-04T10:00:00+07:00"),
                &actor(),
            )
            .await
            .unwrap();
        assert_eq!(issued.letter, None);
    }
}

fn next_year_later() -> FormRequest {
    FormRequest::Apology(ApologyInput {
        reason: "Chờ xác minh thêm".into(),
        new_due: "2028-01-14".into(),
    })
}
