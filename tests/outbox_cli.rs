//! `motcua outbox` end to end, with the real binary: destinations added from the command
//! line, 200 changes made while `motcua outbox run` is killed ten times at random moments
//! and a webhook receiver on loopback fails a third of the requests (500, a hang past the
//! timeout, a dropped connection): in the end the receiver has every message, per dossier
//! in order, each key applied once, and the drop folder's files parse with nothing missing
//! and nothing twice. `run --once` exits 1 with the reason while something waits, and
//! `motcua serve` runs the sender beside the status page.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Stdio;
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};

use crate::receiver::{self, Trouble};
use crate::support::{birth, Desk};
use motcua_core::intake::IntakeRequest;
use motcua_core::status::Status;
use motcua_core::store::{Actor, Store};

const SECRET: &str = "khoá-ký-webhook-2026";

fn add_webhook(desk: &Desk, port: u16) {
    let url = format!("http://127.0.0.1:{port}/motcua");
    let out = desk.run_stdin(
        &[
            "outbox",
            "add",
            "webhook",
            &url,
            "--secret-stdin",
            "--timeout",
            "1",
        ],
        &format!("{SECRET}\n"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `outbox run --once` until it says nothing is left (a killed sender's claim lapses
/// after 30 s), at most `limit`.
fn drain(desk: &Desk, limit: Duration) {
    let start = Instant::now();
    loop {
        let out = desk.run(&["outbox", "run", "--once"]);
        if out.status.success() {
            return;
        }
        assert!(
            start.elapsed() < limit,
            "still waiting: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::thread::sleep(Duration::from_millis(500));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_kills_and_a_flaky_receiver_lose_nothing() {
    let _busy = crate::support::busy_async_test().await;
    let desk = Desk::ready();
    let rx = receiver::start(
        0,
        SECRET,
        Trouble {
            per_mille: 333,
            hang: Duration::from_millis(1500),
            seed: 18,
        },
    )
    .await;
    add_webhook(&desk, rx.port);
    let usb = desk.path("usb");
    desk.ok(&["outbox", "add", "folder", usb.to_str().unwrap()]);

    // The senders: started, left to run a random while, killed; ten times.
    let cmd = desk.cmd();
    let killer = tokio::spawn(async move {
        let mut rng = rand::rngs::StdRng::seed_from_u64(2026);
        let mut cmd = tokio::process::Command::from(cmd);
        cmd.args(["outbox", "run"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        for _ in 0..10 {
            let mut child = cmd.spawn().unwrap();
            let ms = rng.gen_range(150..1200);
            tokio::time::sleep(Duration::from_millis(ms)).await;
            child.kill().await.unwrap();
        }
    });

    // 200 changes meanwhile: 50 intakes, each followed by three moves.
    let store = Store::open(&desk.db).await.unwrap();
    let clerk = Actor::new("tester", "Quầy thử");
    let mut codes = Vec::new();
    for i in 0..50 {
        let family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng"][i % 5];
        let given = [
            "An", "Bình", "Châu", "Dũng", "Hà", "Khoa", "Lan", "Minh", "Nam", "Phúc",
        ][i / 5];
        let request = birth(
            &format!("{family} Văn {given}"),
            "2027-03-03T09:00:00+07:00",
        );
        let request = IntakeRequest::from_json(&request.to_string()).unwrap();
        let d = store.intake(&request, &clerk).await.unwrap();
        for to in [
            Status::Processing,
            Status::SupplementRequested,
            Status::Processing,
        ] {
            store
                .transition(&d.code, to, "", None, None, &clerk)
                .await
                .unwrap();
        }
        codes.push(d.code);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    killer.await.unwrap();
    store.close().await;

    let waiting = desk.json(&["outbox", "status", "--json"]);
    let pending: i64 = waiting
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["pending"].as_i64().unwrap())
        .sum();
    eprintln!("after the kills: {pending} messages waiting");

    // The runtime's other worker keeps the receiver answering meanwhile.
    tokio::task::block_in_place(|| drain(&desk, Duration::from_secs(150)));

    // The receiver: every message, once, in order per dossier.
    let got = rx.received.lock().unwrap();
    assert_eq!(got.bad_signatures, 0);
    assert_eq!(got.key_mismatches, 0);
    assert_eq!(got.applied.len(), 200, "requests: {}", got.requests);
    for code in &codes {
        assert_eq!(got.seqs[code], vec![1, 2, 3, 4], "{code}");
    }
    let events: Vec<&str> = (1..=4)
        .map(|seq| {
            let key = format!("{}:{seq}:1", codes[0]);
            got.messages[&key]["event"].as_str().unwrap()
        })
        .collect();
    assert_eq!(events, ["intake", "status", "paused", "resumed"]);
    eprintln!(
        "{} requests on the wire, {} duplicates",
        got.requests, got.duplicates
    );
    drop(got);

    // The drop folder: every line parses, nothing missing, nothing twice.
    let mut keys = BTreeSet::new();
    let mut per_code: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for entry in std::fs::read_dir(&usb).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(text.ends_with('\n'));
        for line in text.lines() {
            let m: serde_json::Value = serde_json::from_str(line).unwrap();
            assert!(
                keys.insert(m["key"].as_str().unwrap().to_string()),
                "twice: {line}"
            );
            per_code
                .entry(m["code"].as_str().unwrap().to_string())
                .or_default()
                .push(m["seq"].as_i64().unwrap());
        }
    }
    assert_eq!(keys.len(), 200);
    for code in &codes {
        assert_eq!(per_code[code], vec![1, 2, 3, 4], "{code}");
    }

    let status = desk.json(&["outbox", "status", "--json"]);
    assert!(status.as_array().unwrap().iter().all(|d| d["pending"] == 0));
    desk.ok(&["audit", "verify"]);
}

#[test]
fn the_commands_say_what_waits_and_why() {
    let desk = Desk::ready();
    // Plain HTTP to another computer is refused, naming the address.
    let out = desk.run_stdin(
        &[
            "--lang",
            "en",
            "outbox",
            "add",
            "webhook",
            "http://192.168.1.5/hook",
            "--secret-stdin",
        ],
        "s\n",
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("http://192.168.1.5/hook") && err.contains("https"),
        "{err}"
    );
    // No secret: refused.
    let out = desk.run_stdin(
        &[
            "outbox",
            "add",
            "webhook",
            "https://example.gov.vn/hook",
            "--secret-stdin",
        ],
        "\n",
    );
    assert!(!out.status.success());

    // A webhook nobody answers.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    add_webhook(&desk, port);
    let list = desk.json(&["outbox", "list", "--json"]);
    assert_eq!(list[0]["kind"], "webhook");
    assert!(list[0].get("secret").is_none(), "the secret is never shown");
    assert!(!list.to_string().contains(SECRET));
    desk.intake(&birth("Lê Thị Bình", "2027-03-03T09:00:00+07:00"));

    let out = desk.run(&["--lang", "en", "outbox", "run", "--once"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("1 changes could not be sent yet"), "{err}");
    assert!(err.contains("Could not connect"), "{err}");

    let text = desk.ok(&["--lang", "en", "outbox", "status"]);
    assert!(text.contains("1 changes waiting"), "{text}");
    assert!(text.contains("Last error: Could not connect"), "{text}");
    let status = desk.json(&["outbox", "status", "--json"]);
    assert_eq!(status[0]["pending"], 1);
    assert!(status[0]["oldest_age_seconds"].as_i64().is_some());

    let id = list[0]["id"].as_i64().unwrap().to_string();
    desk.ok(&["outbox", "remove", &id]);
    assert!(desk.ok(&["outbox", "run", "--once"]).contains('0'));
    // Who added and removed it is in the access log, the secret is not.
    let log = desk.json(&["audit", "log", "--json"]).to_string();
    assert!(
        log.contains("outbox_added") && log.contains("outbox_removed"),
        "{log}"
    );
    assert!(!log.contains(SECRET));
    desk.ok(&["audit", "verify"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_status_server_sends_the_outbox_too() {
    let desk = Desk::ready();
    let rx = receiver::start(0, SECRET, Trouble::none()).await;
    add_webhook(&desk, rx.port);
    let d = desk.intake(&birth("Phạm Thị Cúc", "2027-03-03T09:00:00+07:00"));
    let mut serve = tokio::process::Command::from(desk.cmd())
        .args(["serve", "--bind", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let start = Instant::now();
    while rx.received.lock().unwrap().applied.is_empty() {
        assert!(start.elapsed() < Duration::from_secs(20), "nothing sent");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    serve.kill().await.unwrap();
    let got = rx.received.lock().unwrap();
    assert_eq!(got.seqs[d["code"].as_str().unwrap()], vec![1]);
}
