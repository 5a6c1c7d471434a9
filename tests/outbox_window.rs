//! The outbox in the real window under Xvfb. A supervisor adds a webhook (to the loopback
//! receiver, down for now) and a drop folder from the settings screen, is told at the field
//! that plain http to 192.168.1.5 is refused, and removes a third destination after its
//! confirmation; the secret never comes back from the window. A reception clerk registers a
//! dossier: the banner says how many changes wait, its panel says in words why the webhook's
//! have not gone, "Gửi ngay" tries at once and says what it did; the window's own sender
//! writes the folder's line and, once the receiver is up, delivers the webhook's message,
//! and the banner goes away. Pictures at 1366×768 are taken from the display
//! (`screenshots/outbox-…`).

use std::time::{Duration, Instant};

use fantoccini::Locator;
use serde_json::json;

use crate::layout_window::fits_the_narrowest;
use crate::receiver::{self, Trouble};
use crate::support::window::Window;
use crate::support::{Desk, Scenario, PASSWORD};

const SECRET: &str = "khoá-ký-cửa-sổ-2026";

/// A loopback port nobody listens on (yet): the receiver starts there later.
fn quiet_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap()
}

async fn choose_kind(w: &Window, kind: &str) {
    w.wait_css("#outbox-kind")
        .await
        .select_by_value(kind)
        .await
        .unwrap_or_else(|e| panic!("choosing {kind}: {e}"));
}

async fn is_hidden(w: &Window, css: &str) -> bool {
    w.wait_css(css)
        .await
        .prop("hidden")
        .await
        .unwrap()
        .as_deref()
        == Some("true")
}

/// The supervisor's part: the settings screen's section, a refusal at its field, two
/// destinations added and a third removed.
async fn a_supervisor_sets_up_the_destinations(desk: &Desk, port: u16) {
    let w = Window::open_bare(desk, None).await;
    w.resize(1366, 768).await;
    w.login("giamsat", PASSWORD).await;
    w.click("#nav-settings").await;
    // The settings screen draws once all its sections have answered (printers from CUPS
    // among them): on a loaded machine that has taken longer than the usual 20 s wait.
    let deadline = Instant::now() + Duration::from_secs(60);
    while w.client.find(Locator::Css("#outbox-list")).await.is_err() {
        assert!(Instant::now() < deadline, "the settings screen never drew");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    w.wait_text("#outbox-list", |t| t.contains("Chưa có nơi nhận"))
        .await;

    // Plain http to another computer would carry the secret in the clear.
    choose_kind(&w, "webhook").await;
    assert!(!is_hidden(&w, ".field[data-field='outbox.secret']").await);
    w.fill("#outbox-target", "http://192.168.1.5/motcua").await;
    w.fill("#outbox-secret", SECRET).await;
    w.click("#outbox-save").await;
    let refused = w
        .wait_text("#f-outbox-target-error", |t| !t.is_empty())
        .await;
    assert!(
        refused.contains("192.168.1.5") && refused.contains("https"),
        "{refused}"
    );
    w.wait_css(".field.invalid[data-field='outbox.target']")
        .await;
    w.capture("outbox-refused-1366x768-vi", 1366, 768);

    // The receiver on this computer: accepted, the secret box emptied.
    w.fill("#outbox-target", &format!("http://127.0.0.1:{port}/motcua"))
        .await;
    w.fill("#outbox-secret", SECRET).await;
    w.fill("#outbox-timeout", "2").await;
    w.click("#outbox-save").await;
    w.wait_text("#outbox-added", |t| t.contains("#1")).await;
    let secret = w
        .wait_css("#outbox-secret")
        .await
        .prop("value")
        .await
        .unwrap();
    assert_eq!(secret.as_deref(), Some(""));
    w.wait_text("#outbox-dest-1", |t| {
        t.contains("Webhook") && t.contains(&format!("127.0.0.1:{port}"))
    })
    .await;

    // A drop folder on this desk, with the applicant's personal data.
    choose_kind(&w, "folder").await;
    assert!(is_hidden(&w, ".field[data-field='outbox.secret']").await);
    let usb = desk.path("usb");
    w.fill("#outbox-target", usb.to_str().unwrap()).await;
    w.click("#outbox-personal").await;
    w.click("#outbox-save").await;
    w.wait_text("#outbox-dest-2", |t| {
        t.contains("Thư mục") && t.contains("Có")
    })
    .await;

    // A third, removed after its confirmation.
    let spare = desk.path("spare");
    w.fill("#outbox-target", spare.to_str().unwrap()).await;
    w.click("#outbox-save").await;
    w.wait_css("#outbox-dest-3").await;
    w.click("#outbox-remove-3").await;
    w.wait_text("#outbox-remove-confirm", |t| t.contains("#3"))
        .await;
    w.click("#outbox-remove-yes").await;
    assert!(w.wait_gone("#outbox-dest-3").await, "#3 is still listed");

    // Nothing the window can read carries the secret.
    for command in ["outbox_destinations", "outbox_status"] {
        let answer = w.invoke(command, json!({})).await.unwrap();
        assert!(!answer.to_string().contains(SECRET), "{command}: {answer}");
        assert_eq!(answer.as_array().map(Vec::len), Some(2), "{answer}");
    }
    let source = w.client.source().await.unwrap();
    assert!(!source.contains(SECRET));
    // What the command line sees is what the screen made.
    desk.login("giamsat", PASSWORD);
    let listed = desk.json(&["outbox", "list", "--json"]);
    assert_eq!(listed[0]["kind"], "webhook");
    assert_eq!(listed[1]["kind"], "folder");
    assert_eq!(listed[1]["personal"], true);

    w.client
        .execute("document.getElementById('outbox').scrollIntoView()", vec![])
        .await
        .unwrap();
    w.capture("outbox-settings-1366x768-vi", 1366, 768);
    // The form with all of a webhook's fields, at the narrowest size.
    choose_kind(&w, "webhook").await;
    fits_the_narrowest(&w, "outbox-settings", "#outbox-add").await;
    w.close().await;
}

/// The folder's files, read together.
fn folder_text(desk: &Desk) -> String {
    let mut text = String::new();
    for entry in std::fs::read_dir(desk.path("usb")).unwrap().flatten() {
        text.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
    }
    text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_sends_what_its_clerks_change_and_says_what_waits() {
    let desk = Scenario::new()
        .clerk("giamsat", &["supervisor"])
        .clerk("letan", &["reception"])
        .desk;
    let port = quiet_port();
    a_supervisor_sets_up_the_destinations(&desk, port).await;

    // The clerk registers a dossier while the receiver is down.
    let w = Window::open_bare(&desk, None).await;
    w.resize(1366, 768).await;
    w.login("letan", PASSWORD).await;
    assert!(is_hidden(&w, "#outbox-banner").await, "nothing waits yet");
    let code = w.register_birth_intake().await;
    let banner = w
        .wait_text("#outbox-banner-open", |t| {
            t.contains("thay đổi đang chờ gửi")
        })
        .await;
    let waiting: u32 = banner
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{banner}"));
    assert!((1..=2).contains(&waiting), "{banner}");

    // Not a Settings role: the banner opens what waits, and "Gửi ngay" tries at once.
    w.click("#outbox-banner-open").await;
    w.wait_css("#outbox-panel-list").await;
    w.click("#outbox-send-now").await;
    let said = w
        .wait_text("#outbox-send-result", |t| t.starts_with("Đã gửi"))
        .await;
    assert!(said.contains("còn 1 chờ"), "{said}");
    assert!(said.contains("Không kết nối được tới nơi nhận"), "{said}");
    let status = w
        .wait_text("#outbox-panel-list", |t| {
            t.contains("Không kết nối được tới nơi nhận")
        })
        .await;
    assert!(
        status.contains("Webhook") && status.contains("Chờ lâu nhất"),
        "{status}"
    );
    // In plain words on the screen; the library's wording only behind it, for a technician.
    assert!(!status.contains("os error"), "{status}");
    let detail = w
        .wait_css("#outbox-panel-list .outbox-error span")
        .await
        .attr("title")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(detail.starts_with("Chi tiết kỹ thuật: "), "{detail}");
    // The banner counts again after the window's own pass: the webhook's change is left.
    w.wait_text("#outbox-banner-open", |t| t == "1 thay đổi đang chờ gửi")
        .await;
    w.capture("outbox-banner-1366x768-vi", 1366, 768);
    fits_the_narrowest(&w, "outbox-banner", "#outbox-panel").await;

    // In English, the count and the reason too.
    w.click("#lang-switch").await;
    w.wait_text("#outbox-banner-open", |t| {
        t == "Changes waiting to be sent: 1"
    })
    .await;
    w.click("#outbox-banner-open").await;
    w.wait_text("#outbox-panel-list", |t| {
        t.contains("Could not connect to the destination") && t.contains("Oldest")
    })
    .await;
    w.capture("outbox-banner-1366x768-en", 1366, 768);
    // The folder was written by then (the pass, or the window's sender before it).
    assert!(
        folder_text(&desk).contains(&code),
        "the folder lacks {code}"
    );

    // The receiver comes up: the window's own sender delivers, the banner goes.
    let rx = receiver::start(port, SECRET, Trouble::none()).await;
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let delivered = rx.received.lock().unwrap().seqs.contains_key(&code);
        let hidden = w
            .client
            .find(Locator::Css("#outbox-banner[hidden]"))
            .await
            .is_ok();
        if delivered && hidden {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "not delivered ({delivered}) or the banner still shown ({hidden})"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let (bad, seqs, message) = {
        let received = rx.received.lock().unwrap();
        let key = format!("{code}:1:1");
        (
            received.bad_signatures,
            received.seqs[&code].clone(),
            received.messages[&key].clone(),
        )
    };
    assert_eq!(bad, 0);
    assert_eq!(seqs, vec![1]);
    assert_eq!(
        w.invoke("outbox_pending", json!({})).await.unwrap(),
        json!(0)
    );
    // The webhook was not entitled to personal data; the folder was.
    assert!(folder_text(&desk).contains("Trần Thị Bình"));
    assert!(message.get("applicant").is_none(), "{message}");
    w.close().await;
}
