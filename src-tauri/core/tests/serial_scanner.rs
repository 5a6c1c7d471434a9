//! The serial scanner reader on a real pseudo-terminal standing in for the scanner: the test
//! writes what a scanner would send to the master end, the reader opens the slave device by
//! its path like a real /dev/ttyACM0.

#![cfg(unix)]

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use motcua_core::idcard;
use motcua_core::serial_scanner::{list_ports, PortProblem, Reader, ReaderConfig, ScannerEvent};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver};

const CARD: &str = "001192004517|013456789|Trần Thị Bích Ngọc|07031992|Nữ|Số 8, ngõ 15 phố Hoàng Hoa Thám, phường Ngọc Hà, quận Ba Đình, Hà Nội|10052021";
const OTHER_CARD: &str = "048201007731||Lê Văn Đức|23112001|Nam|Tổ 12, phường Hòa Khánh Bắc, quận Liên Chiểu, thành phố Đà Nẵng|02082022";

/// A pseudo-terminal: its master end (the "scanner") and the path of its slave device.
fn pty() -> (File, PathBuf) {
    let pair = nix::pty::openpty(None, None).unwrap();
    let path = nix::unistd::ttyname(&pair.slave).unwrap();
    // Only the reader holds the device, as with a real scanner.
    drop(pair.slave);
    (File::from(pair.master), path)
}

/// The next event; the generous limit only stops a broken reader from hanging the run.
async fn next(rx: &mut UnboundedReceiver<ScannerEvent>) -> ScannerEvent {
    tokio::time::timeout(Duration::from_secs(30), rx.recv())
        .await
        .expect("the reader said nothing for 30 s")
        .expect("the reader stopped")
}

/// Skips "not there yet" reports until the reader is connected.
async fn connected(rx: &mut UnboundedReceiver<ScannerEvent>) {
    loop {
        match next(rx).await {
            ScannerEvent::Connected => return,
            ScannerEvent::Disconnected(_) => continue,
            ScannerEvent::Line(l) => panic!("a line before connecting: {l:?}"),
        }
    }
}

fn quick(path: &Path) -> ReaderConfig {
    ReaderConfig {
        retry: Duration::from_millis(50),
        ..ReaderConfig::new(path)
    }
}

#[tokio::test]
async fn a_card_sent_by_the_scanner_arrives_intact() {
    let (mut scanner, path) = pty();
    let (tx, mut rx) = unbounded_channel();
    let reader = Reader::spawn(ReaderConfig::new(&path), tx).unwrap();
    assert_eq!(next(&mut rx).await, ScannerEvent::Connected);

    scanner.write_all(format!("{CARD}\r\n").as_bytes()).unwrap();
    // The next one in two pieces, cut inside "Đ", ended by LF alone.
    let bytes = format!("{OTHER_CARD}\n").into_bytes();
    let cut = OTHER_CARD.find('Đ').unwrap() + 1;
    scanner.write_all(&bytes[..cut]).unwrap();
    scanner.flush().unwrap();
    scanner.write_all(&bytes[cut..]).unwrap();

    assert_eq!(next(&mut rx).await, ScannerEvent::Line(CARD.into()));
    assert_eq!(next(&mut rx).await, ScannerEvent::Line(OTHER_CARD.into()));
    let card = idcard::parse(CARD).unwrap();
    assert_eq!(card.name, "Trần Thị Bích Ngọc");
    assert!(card.suspect.is_empty());

    reader.stop();
    // Stopped: the device is closed and the channel ends.
    assert_eq!(rx.recv().await, None);
}

#[tokio::test]
async fn a_scanner_unplugged_and_plugged_back_is_read_again() {
    // Like /dev/serial/by-id/…: a stable name pointing at whichever device the scanner got.
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("usb-Scanner_Test-if00");
    let (tx, mut rx) = unbounded_channel();
    let reader = Reader::spawn(quick(&link), tx).unwrap();
    // Not plugged in yet: said once, then the reader waits.
    assert_eq!(
        next(&mut rx).await,
        ScannerEvent::Disconnected(PortProblem::NotFound)
    );

    let (mut first, first_path) = pty();
    std::os::unix::fs::symlink(&first_path, &link).unwrap();
    connected(&mut rx).await;
    first.write_all(format!("{CARD}\r").as_bytes()).unwrap();
    assert_eq!(next(&mut rx).await, ScannerEvent::Line(CARD.into()));

    // Unplugged: the name goes, the device hangs up.
    std::fs::remove_file(&link).unwrap();
    drop(first);
    assert_eq!(
        next(&mut rx).await,
        ScannerEvent::Disconnected(PortProblem::Closed)
    );

    // Plugged back in, as another device behind the same name.
    let (mut second, second_path) = pty();
    std::os::unix::fs::symlink(&second_path, &link).unwrap();
    connected(&mut rx).await;
    second
        .write_all(format!("{OTHER_CARD}\r\n").as_bytes())
        .unwrap();
    assert_eq!(next(&mut rx).await, ScannerEvent::Line(OTHER_CARD.into()));
    reader.stop();
}

#[tokio::test]
async fn a_file_that_is_not_a_terminal_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("not-a-tty");
    std::fs::write(&path, "079203001234\n").unwrap();
    let (tx, mut rx) = unbounded_channel();
    let reader = Reader::spawn(quick(&path), tx).unwrap();
    match next(&mut rx).await {
        ScannerEvent::Disconnected(PortProblem::Other(detail)) => assert!(!detail.is_empty()),
        other => panic!("{other:?}"),
    }
    reader.stop();
}

#[tokio::test]
async fn a_port_another_reader_holds_is_reported_in_use_until_it_lets_go() {
    let (mut scanner, path) = pty();
    let (tx, mut rx) = unbounded_channel();
    let first = Reader::spawn(quick(&path), tx).unwrap();
    assert_eq!(next(&mut rx).await, ScannerEvent::Connected);

    let (tx, mut second_rx) = unbounded_channel();
    let second = Reader::spawn(quick(&path), tx).unwrap();
    assert_eq!(
        next(&mut second_rx).await,
        ScannerEvent::Disconnected(PortProblem::InUse)
    );
    let message = PortProblem::InUse.message(&path.to_string_lossy(), motcua_core::i18n::Lang::En);
    assert!(message.contains("another program"), "{message}");

    // The first one stops (the window restarted its reader): the second gets the port.
    first.stop();
    assert_eq!(next(&mut second_rx).await, ScannerEvent::Connected);
    scanner.write_all(format!("{CARD}\r\n").as_bytes()).unwrap();
    assert_eq!(next(&mut second_rx).await, ScannerEvent::Line(CARD.into()));
    second.stop();
}

#[test]
fn listed_ports_are_serial_devices_that_exist() {
    for port in list_ports() {
        assert!(port.starts_with("/dev/"), "{port}");
        assert!(Path::new(&port).exists(), "{port}");
        let name = port.rsplit('/').next().unwrap();
        assert!(
            port.starts_with("/dev/serial/by-id/")
                || ["ttyUSB", "ttyACM", "ttyS"]
                    .iter()
                    .any(|p| name.starts_with(p)),
            "{port}"
        );
    }
}
