//! The outbox on every engine: messages are written with the change that makes them and
//! not without it, numbered per dossier and destination; the sender delivers each
//! dossier's messages in order, to a drop folder and to a webhook on loopback (signed,
//! keyed), and a destination unreachable for an hour of simulated time gets everything
//! when it returns while intake and printing go on as before.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

use crate::common::{self, actor, birth_request, ready_stores};
use crate::receiver::{self, Trouble};
use motcua_core::documents::Paper;
use motcua_core::handover::HandoverInput;
use motcua_core::outbox::sender::Sender;
use motcua_core::outbox::{folder, DestinationKind, NewDestination, SendError};
use motcua_core::status::Status;
use motcua_core::store::Store;

const SECRET: &str = "bí mật của văn phòng";

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn webhook(port: u16) -> NewDestination {
    NewDestination {
        kind: DestinationKind::Webhook,
        target: format!("http://127.0.0.1:{port}/hook"),
        public_url: String::new(),
        secret: SECRET.into(),
        personal: false,
        timeout_ms: Some(1000),
    }
}

fn folder_destination(path: &std::path::Path) -> NewDestination {
    NewDestination {
        kind: DestinationKind::Folder,
        target: path.to_string_lossy().into_owned(),
        public_url: String::new(),
        secret: String::new(),
        personal: true,
        timeout_ms: None,
    }
}

/// A loopback port nobody listens on (bound, then let go).
fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// The outbox's messages as the database holds them: (destination, code, seq, event).
pub(crate) async fn rows(t: &common::TestStore) -> Vec<(i64, String, i64, String)> {
    sqlx::any::install_default_drivers();
    let url = if t.name == "sqlite" {
        format!("sqlite://{}", t.location)
    } else {
        t.location.clone()
    };
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
    let rows: Vec<(i64, String, i64, String)> = sqlx::query_as(
        "SELECT destination_id, code, seq, event FROM outbox_messages ORDER BY destination_id, code, seq",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    rows
}

fn clock(
    start: DateTime<Utc>,
) -> (
    Arc<Mutex<DateTime<Utc>>>,
    motcua_core::outbox::sender::Clock,
) {
    let now = Arc::new(Mutex::new(start));
    let read = now.clone();
    (now, Arc::new(move || *read.lock().unwrap()))
}

#[tokio::test]
async fn messages_come_with_their_change_and_never_without_it() {
    for t in ready_stores().await {
        let s = &t.store;
        // No destination: a change writes nothing more.
        let before = s
            .intake(
                &birth_request("Trần Văn Bảo", "2027-03-03T08:00:00+07:00"),
                &actor(),
            )
            .await
            .unwrap();
        assert_eq!(s.outbox_pending().await.unwrap(), 0, "{}", t.name);

        let dir = tempfile::tempdir().unwrap();
        let hook = s
            .add_destination(
                webhook(closed_port()),
                "Quầy 1",
                at("2027-03-03T08:30:00+07:00"),
            )
            .await
            .unwrap();
        let drop = s
            .add_destination(
                folder_destination(&dir.path().join("usb")),
                "Quầy 1",
                at("2027-03-03T08:30:00+07:00"),
            )
            .await
            .unwrap();
        assert_eq!(drop.desk, "Quầy 1");
        assert_eq!(hook.desk, "", "a webhook is sent by any desk");

        let d = s
            .intake(
                &birth_request("Nguyễn Văn An", "2027-03-03T09:00:00+07:00"),
                &actor(),
            )
            .await
            .unwrap();
        // A refused intake enqueues nothing.
        let refused = s
            .intake(&birth_request("", "2027-03-03T09:05:00+07:00"), &actor())
            .await;
        assert!(refused.is_err());
        let when = |m: &str| Some(at(m));
        for (to, m) in [
            (Status::Processing, "2027-03-03T10:00:00+07:00"),
            (Status::SupplementRequested, "2027-03-03T11:00:00+07:00"),
            (Status::Processing, "2027-03-04T09:00:00+07:00"),
            (Status::Ready, "2027-03-05T09:00:00+07:00"),
        ] {
            s.transition(&d.code, to, "", when(m), None, &actor())
                .await
                .unwrap();
        }
        // A move refused (a stale version) enqueues nothing; nor does printing a receipt.
        let stale = s
            .transition(&d.code, Status::Processing, "", None, Some(1), &actor())
            .await;
        assert!(stale.is_err());
        s.issue_receipt(&d.code, Paper::A4, &actor()).await.unwrap();
        s.handover(
            &d.code,
            &HandoverInput {
                receiver_name: "Nguyễn Văn An".into(),
                receiver_id: "079203001234".into(),
                ..Default::default()
            },
            when("2027-03-05T10:00:00+07:00"),
            &actor(),
        )
        .await
        .unwrap();

        let expected = [
            "intake",
            "status",
            "paused",
            "resumed",
            "ready",
            "handed_over",
        ];
        let found = rows(&t).await;
        assert_eq!(found.len(), 12, "{}: {found:?}", t.name);
        for destination in [hook.id, drop.id] {
            let mine: Vec<(i64, &str)> = found
                .iter()
                .filter(|r| r.0 == destination)
                .map(|r| {
                    assert_eq!(r.1, d.code);
                    (r.2, r.3.as_str())
                })
                .collect();
            let want: Vec<(i64, &str)> = (1..).zip(expected).collect();
            assert_eq!(mine, want, "{}", t.name);
        }
        assert!(found.iter().all(|r| r.1 != before.code));

        // The history and the dossiers' digests are untouched by it.
        let audit = s.verify_audit().await.unwrap();
        assert!(audit.ok, "{}: {audit:?}", t.name);

        // The folder gets everything, in order, with the personal fields it is entitled
        // to; the webhook nobody answers keeps its messages, with the reason.
        let (_, clock) = clock(at("2027-03-05T10:05:00+07:00"));
        let sender = Sender::new(s.clone(), "Quầy 1").with_clock(clock);
        let report = sender.pass(false).await.unwrap();
        assert_eq!(report.sent, 6, "{}: {report:?}", t.name);
        assert_eq!(report.pending, 6);
        assert!(matches!(
            report.first_error,
            Some(SendError::Unreachable { .. })
        ));
        let mut lines = Vec::new();
        for entry in std::fs::read_dir(&drop.target).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for line in text.lines() {
                lines.push(serde_json::from_str::<serde_json::Value>(line).unwrap());
            }
        }
        lines.sort_by_key(|l| l["seq"].as_i64());
        let events: Vec<&str> = lines.iter().map(|l| l["event"].as_str().unwrap()).collect();
        assert_eq!(events, expected);
        assert_eq!(lines[0]["version"], 1);
        assert_eq!(lines[0]["code"], d.code.as_str());
        assert_eq!(lines[0]["applicant"]["name"], "Nguyễn Văn An");
        assert_eq!(lines[4]["status"], 9);
        // One file per Vietnam day of the change.
        let files: Vec<String> = std::fs::read_dir(&drop.target)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(files.contains(&folder::file_name(
            chrono::NaiveDate::from_ymd_opt(2027, 3, 3).unwrap()
        )));
        // Sent again (a sender killed before its acknowledgement): written once.
        let again = sender.pass(false).await.unwrap();
        assert_eq!(again.sent, 0);

        // Another desk's sender does not write this desk's folder.
        let status = s
            .outbox_status(at("2027-03-05T10:05:00+07:00"))
            .await
            .unwrap();
        let hook_status = status.iter().find(|x| x.destination.id == hook.id).unwrap();
        assert_eq!(hook_status.pending, 6);
        assert!(hook_status.last_error.is_some());

        // Removing the destination takes its waiting messages with it.
        s.remove_destination(hook.id, motcua_core::vntime::now())
            .await
            .unwrap();
        assert_eq!(s.outbox_pending().await.unwrap(), 0);
        assert!(s
            .remove_destination(hook.id, motcua_core::vntime::now())
            .await
            .is_err());
    }
}

#[tokio::test]
async fn an_hour_offline_then_everything_arrives_in_order() {
    for t in ready_stores().await {
        let s = &t.store;
        let port = closed_port();
        let start = at("2027-03-03T09:00:00+07:00");
        let hook = s
            .add_destination(webhook(port), "Quầy 1", start)
            .await
            .unwrap();
        let (now, clock) = clock(start);
        let sender = Sender::new(s.clone(), "Quầy 2").with_clock(clock);

        let mut codes = Vec::new();
        for (i, name) in ["Nguyễn Văn An", "Lê Thị Bình", "Phạm Minh Châu"]
            .iter()
            .enumerate()
        {
            let when = start + Duration::minutes(i as i64);
            let received = motcua_core::vntime::rfc3339_vn(when);
            let d = s
                .intake_at(&birth_request(name, &received), &actor(), when)
                .await
                .unwrap();
            // Printing goes on while the destination is away.
            s.issue_receipt(&d.code, Paper::A4, &actor()).await.unwrap();
            codes.push(d.code);
        }
        s.transition(
            &codes[0],
            Status::Processing,
            "",
            Some(start + Duration::minutes(5)),
            None,
            &actor(),
        )
        .await
        .unwrap();

        // Every ten minutes for an hour, the running sender tries and fails.
        for step in 0..=6 {
            *now.lock().unwrap() = start + Duration::minutes(10 * step);
            let report = sender.pass(true).await.unwrap();
            assert_eq!(report.sent, 0);
            assert_eq!(report.pending, 4);
        }
        let an_hour = start + Duration::hours(1);
        *now.lock().unwrap() = an_hour;
        let status = s.outbox_status(an_hour).await.unwrap();
        assert_eq!(status.len(), 1);
        assert_eq!(status[0].pending, 4);
        assert_eq!(status[0].oldest_age_seconds, Some(3600), "{}", t.name);
        assert!(matches!(
            status[0].last_error,
            Some(SendError::Unreachable { .. })
        ));

        // Back: a pass a little later delivers everything, per dossier in order.
        let rx = receiver::start(port, SECRET, Trouble::none()).await;
        *now.lock().unwrap() = an_hour + Duration::hours(1);
        let report = sender.pass(true).await.unwrap();
        assert_eq!(report.sent, 4, "{}: {report:?}", t.name);
        assert_eq!(report.pending, 0);
        {
            let got = rx.received.lock().unwrap();
            assert_eq!(got.bad_signatures, 0);
            assert_eq!(got.key_mismatches, 0);
            assert_eq!(got.seqs[&codes[0]], vec![1, 2]);
            assert_eq!(got.seqs[&codes[1]], vec![1]);
            let first = &got.messages[&format!("{}:1:{}", codes[0], hook.id)];
            assert_eq!(first["event"], "intake");
            assert_eq!(first["procedure"], "1.001193");
            assert!(first.get("applicant").is_none(), "not entitled");
            assert!(!first.to_string().contains("Nguyễn"));
        }
        assert_eq!(s.outbox_status(an_hour).await.unwrap()[0].pending, 0);
    }
}

#[tokio::test]
async fn two_senders_never_send_one_message_at_once() {
    for t in ready_stores().await {
        let s = &t.store;
        let rx = receiver::start(0, SECRET, Trouble::none()).await;
        s.add_destination(webhook(rx.port), "Quầy 1", motcua_core::vntime::now())
            .await
            .unwrap();
        for i in 0..20 {
            let name = format!("Nguyễn Văn {}", ["An", "Bình", "Châu", "Dũng"][i % 4]);
            let d = s
                .intake(&birth_request(&name, "2027-03-03T09:00:00+07:00"), &actor())
                .await
                .unwrap();
            s.transition(&d.code, Status::Processing, "", None, None, &actor())
                .await
                .unwrap();
        }
        let other = Store::open(&t.location).await.unwrap();
        let a = Sender::new(s.clone(), "Quầy 1");
        let b = Sender::new(other.clone(), "Quầy 2");
        let (ra, rb) = tokio::join!(a.pass(true), b.pass(true));
        let (ra, rb) = (ra.unwrap(), rb.unwrap());
        assert_eq!(ra.sent + rb.sent, 40, "{}", t.name);
        {
            let got = rx.received.lock().unwrap();
            assert_eq!(got.duplicates, 0, "{}: a message sent twice", t.name);
            assert_eq!(got.applied.len(), 40);
            assert!(got.seqs.values().all(|s| s == &vec![1, 2]));
        }
        other.close().await;
    }
}
