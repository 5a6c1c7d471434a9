//! Looks at personal data that change nothing are still in the access log, on every engine:
//! the returning-citizen fill, the receipt preview, searches by ID number or phone; and the
//! CLI's sessions, which the log opens and closes.

use crate::common;

use chrono::{DateTime, Utc};
use common::{birth_request, ready_stores};
use motcua_core::documents::Paper;
use motcua_core::store::{AccessEntry, Actor};

fn at(secs: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(1_800_000_000 + secs, 0).unwrap()
}

fn clerk() -> Actor {
    Actor::new("an.nv", "Quầy 1")
}

fn of_kind<'a>(log: &'a [AccessEntry], kind: &str) -> Vec<&'a AccessEntry> {
    log.iter().filter(|e| e.kind == kind).collect()
}

#[tokio::test]
async fn looks_at_personal_data_are_logged_without_the_numbers() {
    for t in ready_stores().await {
        let s = &t.store;
        let d = s
            .intake(
                &birth_request("Nguyễn Văn An", "2027-03-03T09:00:00+07:00"),
                &clerk(),
            )
            .await
            .unwrap();

        let found = s
            .last_applicant_logged("079203001234", &clerk(), at(1))
            .await
            .unwrap();
        assert_eq!(found.unwrap().name, "Nguyễn Văn An", "{}", t.name);
        assert!(s
            .last_applicant_logged("001099000001", &clerk(), at(2))
            .await
            .unwrap()
            .is_none());
        let svg = s
            .receipt_preview_logged(&d.code, Paper::A4, &clerk(), at(3))
            .await
            .unwrap();
        assert!(
            svg.starts_with("<svg") || svg.contains("<svg"),
            "{}",
            t.name
        );
        let hits = s.search_logged("0792", 10, &clerk(), at(4)).await.unwrap();
        assert_eq!(hits.len(), 1);
        // A name search is not a look by number.
        s.search_logged("nguyen van", 10, &clerk(), at(5))
            .await
            .unwrap();

        let log = s.access_log(None, 100).await.unwrap();
        let filled = of_kind(&log, "applicant_filled");
        assert_eq!(filled.len(), 2, "{}: {log:?}", t.name);
        // Newest first: the unknown number, then the returning citizen's dossier.
        assert_eq!(filled[0].subject, "");
        assert_eq!(filled[0].data["found"], false);
        assert_eq!(filled[1].subject, d.code);
        assert_eq!(filled[1].actor, "an.nv");
        let previews = of_kind(&log, "receipt_previewed");
        assert_eq!(previews.len(), 1);
        assert_eq!(previews[0].subject, d.code);
        let searches = of_kind(&log, "searched");
        assert_eq!(searches.len(), 1, "{}: {log:?}", t.name);
        assert_eq!(searches[0].data["characters"], 4);
        assert_eq!(searches[0].data["found"], serde_json::json!([d.code]));
        let text = serde_json::to_string(&log).unwrap();
        assert!(
            !text.contains("079203001234") && !text.contains("001099000001"),
            "{}: no number in the log: {text}",
            t.name
        );
        assert!(s.verify_audit().await.unwrap().ok, "{}", t.name);
    }
}

#[tokio::test]
async fn a_cli_session_is_open_from_its_opening_until_its_closing() {
    for t in ready_stores().await {
        let s = &t.store;
        let session = motcua_core::cli_session::CliSession::new("an.nv", &t.location, at(0));
        let digest = session.token_digest();
        assert!(!s.cli_session_is_open("an.nv", &digest).await.unwrap());
        s.open_cli_session(&clerk(), &digest, at(1)).await.unwrap();
        assert!(s.cli_session_is_open("an.nv", &digest).await.unwrap());
        assert!(
            !s.cli_session_is_open("binh.tt", &digest).await.unwrap(),
            "{}: another account's name does not fit the token",
            t.name
        );
        let other = motcua_core::cli_session::CliSession::new("an.nv", &t.location, at(0));
        assert!(!s
            .cli_session_is_open("an.nv", &other.token_digest())
            .await
            .unwrap());
        s.close_cli_session(&clerk(), &digest, at(2)).await.unwrap();
        assert!(!s.cli_session_is_open("an.nv", &digest).await.unwrap());
        let log = serde_json::to_string(&s.access_log(None, 10).await.unwrap()).unwrap();
        assert!(!log.contains(&session.token), "{}: never the token", t.name);
    }
}
