//! The outbox's public status destination on a real nginx WebDAV folder, on every engine:
//! the sender puts the page up once and then each dossier's sealed status, which a later
//! change overwrites under the same name; and the sweep deletes the status of a dossier
//! handed over longer ago than `public-status-keep-days`, and only that one (simulated time:
//! the sender's clock is injected).

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

use crate::common::{actor, birth_request, ready_stores};
use crate::public_host::{files_under, tool, WebDav, NGINX};
use motcua_core::handover::HandoverInput;
use motcua_core::outbox::sender::Sender;
use motcua_core::outbox::{DestinationKind, NewDestination, SendError};
use motcua_core::sealed_status::{self, OfficeKeys, StatusCard};
use motcua_core::status::Status;
use motcua_core::store::Store;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// What the host holds for `code` now, opened with the dossier's key; `None` when absent.
fn card(dav: &WebDav, keys: &OfficeKeys, code: &str) -> Option<StatusCard> {
    let name = keys.name(code);
    let bytes = std::fs::read(dav.www().join("tra-cuu").join(&name)).ok()?;
    Some(sealed_status::open(&name, &keys.dossier_key(code), &bytes).expect("a sealed status"))
}

async fn hand_over(store: &Store, code: &str, moment: &str) {
    store
        .transition(code, Status::Ready, "", Some(at(moment)), None, &actor())
        .await
        .unwrap();
    store
        .handover(
            code,
            &HandoverInput {
                receiver_name: "Nguyễn Văn An".into(),
                receiver_id: "079203001234".into(),
                ..Default::default()
            },
            Some(at(moment) + Duration::minutes(5)),
            &actor(),
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn the_sender_publishes_each_change_and_sweeps_what_was_handed_over_long_ago() {
    let Some(nginx) = tool(NGINX, "MOTCUA_REQUIRE_NGINX", "nginx") else {
        return;
    };
    for t in ready_stores().await {
        let s = &t.store;
        let dav = WebDav::start(nginx);
        s.add_destination(
            NewDestination {
                kind: DestinationKind::PublicStatus,
                target: dav.url("tra-cuu/"),
                public_url: dav.url("tra-cuu/"),
                secret: String::new(),
                personal: false,
                timeout_ms: None,
            },
            "Quầy 1",
            at("2027-03-03T08:30:00+07:00"),
        )
        .await
        .unwrap();
        let now = Arc::new(Mutex::new(at("2027-03-03T09:30:00+07:00")));
        let read = now.clone();
        let sender =
            Sender::new(s.clone(), "Quầy 1").with_clock(Arc::new(move || *read.lock().unwrap()));
        let keys = OfficeKeys::derive(&s.slip_secret().await.unwrap());

        let old = s
            .intake(
                &birth_request("Nguyễn Văn An", "2027-03-03T09:00:00+07:00"),
                &actor(),
            )
            .await
            .unwrap();
        let report = sender.pass(true).await.unwrap();
        assert_eq!((report.sent, report.pending), (1, 0), "{}", t.name);
        let page = dav.www().join("tra-cuu").join("index.html");
        assert!(page.exists(), "{}: the page is published first", t.name);
        let first = card(&dav, &keys, &old.code).expect("the intake's status");
        assert!(!first.ready, "{}", t.name);
        assert!(first.procedure.contains("khai sinh"), "{}", first.procedure);

        // Ready, then handed over: the same name holds the latest.
        s.transition(
            &old.code,
            Status::Processing,
            "",
            Some(at("2027-03-04T09:00:00+07:00")),
            None,
            &actor(),
        )
        .await
        .unwrap();
        hand_over(s, &old.code, "2027-03-05T10:00:00+07:00").await;
        let recent = s
            .intake(
                &birth_request("Trần Thị Bích", "2027-03-05T09:00:00+07:00"),
                &actor(),
            )
            .await
            .unwrap();
        s.transition(
            &recent.code,
            Status::Processing,
            "",
            Some(at("2027-03-05T09:30:00+07:00")),
            None,
            &actor(),
        )
        .await
        .unwrap();
        *now.lock().unwrap() = at("2027-03-10T09:00:00+07:00");
        let report = sender.pass(true).await.unwrap();
        assert_eq!(report.pending, 0, "{}: {report:?}", t.name);
        let handed = card(&dav, &keys, &old.code).unwrap();
        assert_eq!(handed.status_code, Status::Returned.code(), "{}", t.name);
        assert!(card(&dav, &keys, &recent.code).is_some(), "{}", t.name);
        hand_over(s, &recent.code, "2027-03-20T10:00:00+07:00").await;
        *now.lock().unwrap() = at("2027-03-20T11:00:00+07:00");
        assert_eq!(sender.pass(true).await.unwrap().pending, 0, "{}", t.name);

        // 90 days (the default) after the first hand-over, only its status goes.
        *now.lock().unwrap() = at("2027-06-03T11:00:00+07:00");
        sender.pass(true).await.unwrap();
        assert!(card(&dav, &keys, &old.code).is_none(), "{}", t.name);
        assert!(card(&dav, &keys, &recent.code).is_some(), "{}", t.name);
        assert!(page.exists(), "{}: the page stays", t.name);

        // A shorter setting reaches the second at the next hourly sweep, not before.
        s.set_named("Quầy 1", "public-status-keep-days", "30")
            .await
            .unwrap();
        *now.lock().unwrap() = at("2027-06-03T11:30:00+07:00");
        sender.pass(true).await.unwrap();
        assert!(card(&dav, &keys, &recent.code).is_some(), "{}", t.name);
        *now.lock().unwrap() = at("2027-06-03T12:01:00+07:00");
        sender.pass(true).await.unwrap();
        assert!(card(&dav, &keys, &recent.code).is_none(), "{}", t.name);
        let names: Vec<String> = files_under(&dav.www().join("tra-cuu"))
            .into_iter()
            .map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names.len(),
            3,
            "{}: only the page's files stay: {names:?}",
            t.name
        );

        // A setting out of range is refused, naming it.
        let refused = s
            .set_named("Quầy 1", "public-status-keep-days", "0")
            .await
            .unwrap_err();
        assert!(
            refused.to_string().contains("public-status-keep-days")
                || refused
                    .to_string()
                    .contains("Số ngày giữ tình trạng công khai"),
            "{refused}"
        );

        // The host gone: the message waits, said in both languages, to be retried.
        drop(dav);
        s.intake(
            &birth_request("Lê Văn Cường", "2027-06-03T12:00:00+07:00"),
            &actor(),
        )
        .await
        .unwrap();
        let report = sender.pass(true).await.unwrap();
        assert_eq!(report.pending, 1, "{}: {report:?}", t.name);
        match report.first_error {
            Some(SendError::PublicHost { retry: true, .. }) => {}
            other => panic!("{}: {other:?}", t.name),
        }
    }
}
