//! What the citizens' status page reads, on every engine: a dossier by code and slip tag
//! (one indistinguishable "nothing" for unknown codes and wrong tags), the masked public
//! view, the waiting room's list of results to collect, and the page's settings.

use crate::common;

use common::{actor, birth_request, ready_stores, stores};
use motcua_core::i18n::Lang;
use motcua_core::intake::IntakeRequest;
use motcua_core::public_status::Collect;
use motcua_core::slip;
use motcua_core::status::Status;
use motcua_core::store::Store;

async fn tag_of(store: &Store, code: &str) -> String {
    slip::tag(&store.slip_secret().await.unwrap(), code)
}

fn by_post(name: &str, received_at: &str) -> IntakeRequest {
    let json = serde_json::json!({
        "procedure": "1.001193",
        "applicant": {
            "name": name,
            "id_number": "079203009999",
            "phone": "0987654321",
            "email": "thu@example.vn",
            "address": "Số 5, ấp Phước Lợi, xã Hướng Thọ Phú, tỉnh Tây Ninh"
        },
        "return": {
            "method": "post",
            "recipient": name,
            "phone": "0987654321",
            "address": "Số 5, ấp Phước Lợi, xã Hướng Thọ Phú, tỉnh Tây Ninh"
        },
        "received_at": received_at
    });
    IntakeRequest::from_json(&json.to_string()).unwrap()
}

#[tokio::test]
async fn the_slip_tag_opens_the_public_view_and_nothing_else_does() {
    for t in ready_stores().await {
        let s = &t.store;
        s.set_named(
            "Quầy 1",
            "contact",
            "  Điện thoại 0276 3812 345,   quầy số 3 ",
        )
        .await
        .unwrap();
        let d = s
            .intake(
                &birth_request("Nguyễn Văn An", "2027-03-03T09:00:00+07:00"),
                &actor(),
            )
            .await
            .unwrap();
        let other = s
            .intake(
                &birth_request("Lê Thị Bình", "2027-03-03T09:10:00+07:00"),
                &actor(),
            )
            .await
            .unwrap();
        let tag = tag_of(s, &d.code).await;

        let view = s.public_status(&d.code, &tag).await.unwrap().unwrap();
        assert_eq!(view.code, d.code, "{}", t.name);
        assert_eq!(view.applicant, "Nguyễn V. A.");
        assert_eq!(view.procedure, "Đăng ký khai sinh");
        assert_eq!(view.status, Status::Accepted);
        assert!(!view.ready);
        assert_eq!(view.due_at, d.due_at);
        assert_eq!(view.collect, Collect::Desk);
        assert_eq!(view.unit, "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG");
        assert_eq!(view.contact, "Điện thoại 0276 3812 345, quầy số 3");
        assert_eq!(view.appointment_words(Lang::Vi), "17:00, thứ Tư 03/03/2027");
        assert_eq!(
            view.status_words(Lang::Vi),
            "Hồ sơ đã được tiếp nhận và đang chờ giải quyết."
        );
        // Scanners and phones may change case.
        let lower = s
            .public_status(&d.code.to_lowercase(), &tag.to_lowercase())
            .await
            .unwrap();
        assert_eq!(lower.as_ref(), Some(&view));

        // Nothing personal is in the view at all.
        let json = serde_json::to_string(&view).unwrap();
        for secret in [
            "079203001234",
            "0912345678",
            "Số 12",
            "Bình Hòa",
            "Nguyễn Văn An",
            "Văn",
        ] {
            assert!(!json.contains(secret), "{}: {secret} in {json}", t.name);
        }

        // A wrong tag, another dossier's tag, an unknown code with a tag made for it (as
        // if someone had the secret), a missing tag, and garbage: all the same nothing.
        let unknown = "000.00.14.H56-270303-0099";
        let mut flipped: Vec<char> = tag.chars().collect();
        flipped[0] = if flipped[0] == 'A' { 'B' } else { 'A' };
        let flipped: String = flipped.into_iter().collect();
        let other_tag = tag_of(s, &other.code).await;
        let unknown_tag = tag_of(s, unknown).await;
        for (code, tag) in [
            (d.code.as_str(), flipped.as_str()),
            (d.code.as_str(), other_tag.as_str()),
            (d.code.as_str(), ""),
            (unknown, unknown_tag.as_str()),
            (unknown, tag.as_str()),
            ("not a code", tag.as_str()),
            ("", ""),
        ] {
            assert_eq!(
                s.public_status(code, tag).await.unwrap(),
                None,
                "{}: {code} {tag}",
                t.name
            );
        }
    }
}

#[tokio::test]
async fn before_set_up_every_lookup_finds_nothing() {
    for t in stores().await {
        let found = t
            .store
            .public_status("000.00.14.H56-270303-0001", "0000000000000")
            .await
            .unwrap();
        assert_eq!(found, None, "{}", t.name);
        assert!(t.store.ready_to_collect(10).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn the_view_follows_the_status_and_the_return_method() {
    for t in ready_stores().await {
        let s = &t.store;
        let desk = s
            .intake(
                &birth_request("Trần Thị Cúc", "2027-03-03T09:00:00+07:00"),
                &actor(),
            )
            .await
            .unwrap();
        let post = s
            .intake(
                &by_post("Phạm Văn Dũng", "2027-03-03T09:05:00+07:00"),
                &actor(),
            )
            .await
            .unwrap();
        for code in [&desk.code, &post.code] {
            s.transition(code, Status::Ready, "", None, None, &actor())
                .await
                .unwrap();
        }
        let desk_view = s
            .public_status(&desk.code, &tag_of(s, &desk.code).await)
            .await
            .unwrap()
            .unwrap();
        assert!(desk_view.ready, "{}", t.name);
        assert!(!desk_view.in_progress());
        assert_eq!(
            desk_view.status_words(Lang::Vi),
            "Đã có kết quả. Mời ông/bà đến nhận."
        );
        assert_eq!(
            desk_view.collect_words(Lang::Vi),
            "Bộ phận tiếp nhận và trả kết quả – TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG, UBND XÃ HƯỚNG THỌ PHÚ"
        );
        let post_view = s
            .public_status(&post.code, &tag_of(s, &post.code).await)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(post_view.collect, Collect::Post);
        assert_eq!(
            post_view.status_words(Lang::En),
            "The result is ready and will be sent by post."
        );
        let json = serde_json::to_string(&post_view).unwrap();
        assert!(!json.contains("Phước Lợi"), "{json}");
        assert!(!json.contains("0987654321"), "{json}");
        assert!(!json.contains("thu@example.vn"), "{json}");
    }
}

#[tokio::test]
async fn the_waiting_room_lists_results_ready_at_the_desk_in_code_order() {
    for t in ready_stores().await {
        let s = &t.store;
        let mut codes = Vec::new();
        for (i, name) in ["An", "Bình", "Cúc", "Dũng"].iter().enumerate() {
            let d = s
                .intake(
                    &birth_request(
                        &format!("Nguyễn Văn {name}"),
                        &format!("2027-03-03T09:0{i}:00+07:00"),
                    ),
                    &actor(),
                )
                .await
                .unwrap();
            codes.push(d.code);
        }
        let post = s
            .intake(
                &by_post("Phạm Văn Em", "2027-03-03T09:30:00+07:00"),
                &actor(),
            )
            .await
            .unwrap();
        // 0001 and 0003 ready at the desk, 0004 ready then handed over, 0002 in progress,
        // the postal one ready but going by post.
        for code in [&codes[2], &codes[0], &codes[3], &post.code] {
            s.transition(code, Status::Ready, "", None, None, &actor())
                .await
                .unwrap();
        }
        s.transition(&codes[1], Status::Processing, "", None, None, &actor())
            .await
            .unwrap();
        let collected = s.dossier(&codes[3]).await.unwrap();
        s.handover(
            &codes[3],
            &motcua_core::handover::HandoverInput {
                receiver_name: collected.applicant.name.clone(),
                receiver_id: collected.applicant.id_number.clone(),
                ..Default::default()
            },
            None,
            &actor(),
        )
        .await
        .unwrap();
        assert_eq!(
            s.ready_to_collect(10).await.unwrap(),
            vec![codes[0].clone(), codes[2].clone()],
            "{}",
            t.name
        );
        assert_eq!(s.ready_to_collect(1).await.unwrap(), vec![codes[0].clone()]);
    }
}

#[tokio::test]
async fn the_contact_line_and_the_status_server_are_named_settings() {
    for t in ready_stores().await {
        let s = &t.store;
        assert!(motcua_core::store::NAMED_SETTINGS.contains(&"contact"));
        assert!(motcua_core::store::NAMED_SETTINGS.contains(&"status-server"));
        assert_eq!(s.get_named("Quầy 1", "contact").await.unwrap(), "");
        assert_eq!(s.status_server("Quầy 1").await.unwrap(), None);

        let err = s
            .set_named("Quầy 1", "contact", &"0".repeat(201))
            .await
            .unwrap_err();
        assert_eq!(err.field_errors()[0].field, "contact", "{}", t.name);
        assert!(err.message(Lang::Vi).starts_with("Thông tin liên hệ"));
        let err = s
            .set_named("Quầy 1", "contact", "quầy\u{202E}3")
            .await
            .unwrap_err();
        assert_eq!(err.field_errors()[0].field, "contact");

        for bad in ["8080", "192.168.1.10", "localhost:8080", "0.0.0.0:99999"] {
            let err = s
                .set_named("Quầy 1", "status-server", bad)
                .await
                .unwrap_err();
            assert_eq!(err.field_errors()[0].field, "status-server", "{bad}");
        }
        s.set_named("Quầy 1", "status-server", " 0.0.0.0:8080 ")
            .await
            .unwrap();
        assert_eq!(
            s.get_named("Quầy 1", "status-server").await.unwrap(),
            "0.0.0.0:8080"
        );
        assert_eq!(
            s.status_server("Quầy 1").await.unwrap(),
            Some("0.0.0.0:8080".parse().unwrap())
        );
        // A desk setting: the other desks of the office do not listen.
        assert_eq!(s.status_server("Quầy 2").await.unwrap(), None);
        assert_eq!(s.get_named("Quầy 2", "status-server").await.unwrap(), "");
        // Nor does an office-wide value left by an older version make every desk listen.
        s.set_setting("status-server", "0.0.0.0:8082")
            .await
            .unwrap();
        assert_eq!(s.status_server("Quầy 2").await.unwrap(), None);
        s.set_named("Quầy 1", "status-server", "[::]:8081")
            .await
            .unwrap();
        assert_eq!(
            s.get_named("Quầy 1", "status-server").await.unwrap(),
            "[::]:8081"
        );
        s.set_named("Quầy 1", "status-server", "").await.unwrap();
        assert_eq!(s.status_server("Quầy 1").await.unwrap(), None);
    }
}
