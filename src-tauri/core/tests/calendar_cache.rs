//! An intake keeps the working-day calendar it built while the notices are unchanged; a
//! notice added or removed by another desk (another process, another connection) is seen by
//! the next intake. On SQLite and PostgreSQL.

mod common;

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
