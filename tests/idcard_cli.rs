//! `motcua idcard` and the `scanner-port` setting, through the real binary. A pseudo-terminal
//! stands in for a scanner in serial (COM) mode.

#![cfg(unix)]

use crate::support;

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use support::Desk;

const CARD: &str = "072185003318|290812345|Đặng Thị Hương|31121985|Nữ|Ấp Bình Hòa, xã Hướng Thọ Phú, tỉnh Tây Ninh|15062021";

/// What a keyboard-wedge scanner typed for CARD: each Vietnamese letter became '?'.
const GARBLED: &str = "072185003318|290812345|??ng Th? H??ng|31121985|N?|?p B?nh H?a, x? H??ng Th? Ph?, t?nh T?y Ninh|15062021";

fn pty() -> (File, PathBuf) {
    let pair = nix::pty::openpty(None, None).unwrap();
    let path = nix::unistd::ttyname(&pair.slave).unwrap();
    drop(pair.slave);
    (File::from(pair.master), path)
}

#[test]
fn parse_prints_the_card_and_the_fields_to_check() {
    let desk = Desk::new();
    let card = desk.json(&["idcard", "parse", GARBLED]);
    assert_eq!(card["id_number"], "072185003318");
    assert_eq!(card["old_id"], "290812345");
    assert_eq!(card["birth_date"], "1985-12-31");
    assert_eq!(card["issued_on"], "2021-06-15");
    assert_eq!(card["sex"], "female");
    assert_eq!(card["name"], "??ng Th? H??ng");
    assert_eq!(card["suspect"], serde_json::json!(["name", "address"]));

    let out = desk.run_stdin(&["idcard", "parse", "-"], &format!("{CARD}\r\n"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let card: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(card["name"], "Đặng Thị Hương");
    assert_eq!(card["suspect"], serde_json::json!([]));

    let out = desk.run(&[
        "idcard",
        "parse",
        "MC1:000.00.14.H56-270303-0001:ABCDEFGHJKMNP",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("CCCD") && err.contains("12 chữ số"), "{err}");
}

#[test]
fn listen_prints_what_a_serial_scanner_sends() {
    let desk = Desk::new();
    let (mut scanner, port) = pty();
    let mut child = desk
        .cmd()
        .args(["--lang", "en", "idcard", "listen", "--port"])
        .arg(&port)
        .args(["--count", "2"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert!(line.starts_with("Listening to the scanner on"), "{line}");
    assert!(line.contains(&port.display().to_string()), "{line}");

    scanner
        .write_all(b"MC1:000.00.14.H56-270303-0001:ABCDEFGHJKMNP\r\n")
        .unwrap();
    scanner.write_all(format!("{CARD}\r\n").as_bytes()).unwrap();

    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        assert!(
            Instant::now() < deadline,
            "listen did not stop after 2 lines"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    assert!(rest.contains("not a citizen ID card"), "{rest}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{stdout}");
    let card: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(card["name"], "Đặng Thị Hương");
    assert_eq!(
        card["address"],
        "Ấp Bình Hòa, xã Hướng Thọ Phú, tỉnh Tây Ninh"
    );
    assert_eq!(card["suspect"], serde_json::json!([]));
}

#[test]
fn ports_lists_serial_devices_that_exist() {
    let desk = Desk::new();
    let ports: Vec<String> =
        serde_json::from_value(desk.json(&["idcard", "ports", "--json"])).unwrap();
    for port in &ports {
        assert!(port.starts_with("/dev/"), "{port}");
        assert!(std::path::Path::new(port).exists(), "{port}");
    }
    let out = desk.run(&["idcard", "ports"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.lines().collect::<Vec<_>>(), ports, "{text}");
    if ports.is_empty() {
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("Không thấy cổng"), "{err}");
    }
    let help = desk.ok(&["idcard", "--help"]);
    assert!(help.contains("ports"), "{help}");
}

#[test]
fn the_scanner_port_setting_takes_only_devices() {
    let desk = Desk::ready();
    assert_eq!(desk.ok(&["settings", "get", "scanner-port"]).trim(), "");
    for bad in [
        "/etc/passwd",
        "ttyUSB0",
        "/dev/../etc/passwd",
        "/dev/",
        "COM3",
    ] {
        let out = desk.run(&["settings", "set", "scanner-port", bad]);
        assert!(!out.status.success(), "{bad} was accepted");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("Cổng máy quét") && err.contains("/dev/"),
            "{err}"
        );
    }
    desk.ok(&[
        "settings",
        "set",
        "scanner-port",
        "/dev/serial/by-id/usb-Scanner-if00",
    ]);
    assert_eq!(
        desk.ok(&["settings", "get", "scanner-port"]).trim(),
        "/dev/serial/by-id/usb-Scanner-if00"
    );
    let all = desk.json(&["settings", "list", "--json"]);
    assert_eq!(all["scanner-port"], "/dev/serial/by-id/usb-Scanner-if00");
    desk.ok(&["settings", "set", "scanner-port", ""]);
    assert_eq!(desk.ok(&["settings", "get", "scanner-port"]).trim(), "");
}
