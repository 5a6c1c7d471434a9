//! The serial scanner in the real window: with the `scanner-port` setting naming a
//! pseudo-terminal (standing in for a scanner in COM mode), what the "scanner" sends reaches
//! the page as a `scanner-line` event, and the page's commands read the card.

#![cfg(unix)]

use crate::support;

use std::fs::File;
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::window::Window;
use support::Desk;

const CARD: &str = "048201007731||Lê Văn Đức|23112001|Nam|Tổ 12, phường Hòa Khánh Bắc, quận Liên Chiểu, thành phố Đà Nẵng|02082022";

fn pty() -> (File, PathBuf) {
    let pair = nix::pty::openpty(None, None).unwrap();
    let path = nix::unistd::ttyname(&pair.slave).unwrap();
    drop(pair.slave);
    (File::from(pair.master), path)
}

/// Calls a Tauri command from the page, as the page's own code does.
async fn invoke(w: &Window, command: &str, args: Value) -> Value {
    let script = "const [command, args, done] = arguments; \
        window.__TAURI__.core.invoke(command, args) \
            .then(value => done({ ok: value }), error => done({ err: error }));";
    w.client
        .execute_async(script, vec![json!(command), args])
        .await
        .unwrap()
}

#[tokio::test]
async fn lines_from_the_serial_scanner_reach_the_page() {
    let desk = Desk::ready();
    let (mut scanner, port) = pty();
    let port = port.to_string_lossy().into_owned();
    desk.ok(&["settings", "set", "scanner-port", &port]);
    let w = Window::open(&desk, None).await;
    w.wait_css("#dossier-list").await;

    let listening = w
        .client
        .execute_async(
            "const done = arguments[0]; window.__scans = []; \
             window.__TAURI__.event.listen('scanner-line', e => window.__scans.push(e.payload)) \
                 .then(() => done(true), e => done(String(e)));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(listening, json!(true));

    // The reader started with the window; wait until it holds the device.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let status = invoke(&w, "scanner_status", json!({})).await;
        if status["ok"]["connected"] == json!(true) {
            assert_eq!(status["ok"]["port"], json!(port));
            break;
        }
        assert!(Instant::now() < deadline, "never connected: {status}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    scanner.write_all(format!("{CARD}\r\n").as_bytes()).unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let scans = loop {
        let scans = w
            .client
            .execute("return window.__scans;", vec![])
            .await
            .unwrap();
        if scans.as_array().is_some_and(|a| !a.is_empty()) {
            break scans;
        }
        assert!(Instant::now() < deadline, "no scanner-line event");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(scans, json!([CARD]));

    assert_eq!(
        invoke(&w, "scan_kind", json!({ "text": CARD })).await,
        json!({ "ok": "id_card" })
    );
    let card = invoke(&w, "parse_id_card", json!({ "text": CARD })).await;
    assert_eq!(card["ok"]["name"], "Lê Văn Đức");
    assert_eq!(card["ok"]["birth_date"], "2001-11-23");
    assert_eq!(card["ok"]["suspect"], json!([]));
    let refused = invoke(&w, "parse_id_card", json!({ "text": "hello" })).await;
    assert_eq!(refused["err"]["kind"], "not_an_id_card");

    let ports = invoke(&w, "list_serial_ports", json!({})).await;
    assert!(ports["ok"].is_array(), "{ports}");

    let bad = invoke(&w, "set_scanner_port", json!({ "port": "/etc/passwd" })).await;
    assert_eq!(bad["err"]["fields"][0]["field"], "scanner-port");
    let off = invoke(&w, "set_scanner_port", json!({ "port": "" })).await;
    assert_eq!(
        off["ok"],
        json!({ "port": "", "connected": false, "message": "" })
    );
    w.close().await;
    assert_eq!(desk.ok(&["settings", "get", "scanner-port"]).trim(), "");
}
