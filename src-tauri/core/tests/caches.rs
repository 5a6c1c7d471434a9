//! An intake keeps the working-day calendar it built and the catalog it read while they are
//! unchanged; a notice or a procedure changed by another desk (another process, another
//! connection) is seen by the next intake. On SQLite and PostgreSQL.

use crate::common;

use chrono::NaiveDate;
use common::{actor, agency_input, birth_request, stores};
use motcua_core::calendar::DayKind;
use motcua_core::store::Store;

#[tokio::test]
async fn a_notice_from_another_desk_moves_the_next_appointment() {
    for t in stores().await {
        let desk = &t.store;
        desk.setup(&agency_input(1)).await.unwrap();
        let other = Store::open(&t.location).await.unwrap();
        // A same-day procedure received on a Friday after 15:00: due the next working day.
        let request = birth_request("Lê Văn Tám", "2027-03-05T16:00:00+07:00");
        let first = desk.intake(&request, &actor()).await.unwrap();
        let monday = NaiveDate::from_ymd_opt(2027, 3, 8).unwrap();
        assert_eq!(
            motcua_core::vntime::vn_date(first.due_at),
            monday,
            "{}",
            t.name
        );

        other
            .add_notice(monday, DayKind::Off, "Nghỉ bù", "Thông báo thử")
            .await
            .unwrap();
        let second = desk.intake(&request, &actor()).await.unwrap();
        assert_eq!(
            motcua_core::vntime::vn_date(second.due_at),
            monday.succ_opt().unwrap(),
            "{}",
            t.name
        );

        assert!(other.remove_notice(monday).await.unwrap());
        let third = desk.intake(&request, &actor()).await.unwrap();
        assert_eq!(
            motcua_core::vntime::vn_date(third.due_at),
            monday,
            "{}",
            t.name
        );
        // What intake returns is what is stored.
        assert_eq!(
            desk.dossier(&third.code).await.unwrap(),
            third,
            "{}",
            t.name
        );
        other.close().await;
    }
}

#[tokio::test]
async fn a_procedure_changed_by_another_desk_is_seen_by_the_next_intake() {
    for t in stores().await {
        let desk = &t.store;
        desk.setup(&agency_input(1)).await.unwrap();
        let other = Store::open(&t.location).await.unwrap();
        let request = birth_request("Lê Văn Tám", "2027-03-05T09:00:00+07:00");
        let first = desk.intake(&request, &actor()).await.unwrap();
        assert_eq!(first.procedure.name, "Đăng ký khai sinh", "{}", t.name);

        let mut p = other.procedure("1.001193").await.unwrap().unwrap();
        p.name = "Đăng ký khai sinh (tên mới)".into();
        other
            .import_catalog(&motcua_core::procedure::Catalog {
                procedures: vec![p.clone()],
            })
            .await
            .unwrap();
        let renamed = desk.intake(&request, &actor()).await.unwrap();
        assert_eq!(
            renamed.procedure.name, "Đăng ký khai sinh (tên mới)",
            "{}",
            t.name
        );

        p.active = false;
        other
            .import_catalog(&motcua_core::procedure::Catalog {
                procedures: vec![p],
            })
            .await
            .unwrap();
        let refused = desk.intake(&request, &actor()).await.unwrap_err();
        assert_eq!(refused.kind(), "invalid", "{}", t.name);
        other.close().await;
    }
}

#[tokio::test]
async fn a_procedure_added_by_another_desk_is_accepted_at_once() {
    for t in stores().await {
        let desk = &t.store;
        desk.setup(&agency_input(1)).await.unwrap();
        let other = Store::open(&t.location).await.unwrap();
        // The desk has registered (and so read the settings and the catalog) before.
        let request = birth_request("Lê Văn Tám", "2027-03-05T09:00:00+07:00");
        desk.intake(&request, &actor()).await.unwrap();

        let mut p = other.procedure("1.001193").await.unwrap().unwrap();
        p.code = "1.999999".into();
        p.name = "Thủ tục mới".into();
        other
            .import_catalog(&motcua_core::procedure::Catalog {
                procedures: vec![p],
            })
            .await
            .unwrap();
        let mut new = request.clone();
        new.procedure = "1.999999".into();
        let d = desk.intake(&new, &actor()).await.unwrap();
        assert_eq!(d.procedure.name, "Thủ tục mới", "{}", t.name);
        other.close().await;
    }
}

#[tokio::test]
async fn settings_changed_by_another_desk_number_the_next_dossier() {
    for t in stores().await {
        let desk = &t.store;
        desk.setup(&agency_input(1)).await.unwrap();
        let other = Store::open(&t.location).await.unwrap();
        let request = birth_request("Lê Văn Tám", "2027-03-05T09:00:00+07:00");
        let first = desk.intake(&request, &actor()).await.unwrap();
        assert!(first.code.ends_with("-270305-0001"), "{}", first.code);

        other
            .set_named("desk-2", "first-number", "5001")
            .await
            .unwrap();
        other
            .set_named("desk-2", "unit", "BỘ PHẬN MỘT CỬA MỚI")
            .await
            .unwrap();
        let second = desk.intake(&request, &actor()).await.unwrap();
        assert!(second.code.ends_with("-270305-5001"), "{}", second.code);
        assert_eq!(second.issuer.unit, "BỘ PHẬN MỘT CỬA MỚI", "{}", t.name);
        assert_eq!(desk.dossier(&second.code).await.unwrap(), second);
        other.close().await;
    }
}
