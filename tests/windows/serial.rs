//! A desk scanner in serial (COM) mode, read by the Windows build under Wine. A pseudo-terminal
//! stands in for the scanner: the test writes what a scanner sends into its master end, and
//! Wine maps a COM port of the prefix to its slave device, so `motcua.exe` opens `COM5` as
//! it would on a desk PC. Wine's own way of mapping is used for the listed port: the
//! `HKLM\Software\Wine\Ports` value `COM5` names the device, and at its next start Wine
//! creates `dosdevices/com5` and the `HARDWARE\DEVICEMAP\SERIALCOMM` entry that Windows'
//! drivers write.

use std::fs::File;
use std::io::Write;
use std::os::fd::OwnedFd;
use std::path::PathBuf;
use std::process::{Child, Command};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use nix::fcntl::OFlag;
use nix::pty::{grantpt, posix_openpt, ptsname_r, unlockpt};

use super::support::{self, App, Prefix, WinDesk, WineOutput};

/// The same card as the Linux test of `motcua idcard listen` (tests/idcard_cli.rs).
const CARD: &str = "072185003318|290812345|Đặng Thị Hương|31121985|Nữ|Ấp Bình Hòa, xã Hướng Thọ Phú, tỉnh Tây Ninh|15062021";
const OTHER_CARD: &str = "048201007731||Lê Văn Đức|23112001|Nam|Tổ 12, phường Hòa Khánh Bắc, quận Liên Chiểu, thành phố Đà Nẵng|02082022";

/// A pseudo-terminal: its master end (the "scanner") and the path of its slave device. The
/// master is closed on exec: a Wine process started later must not hold it, or closing it
/// here would unplug nothing.
fn pty() -> (File, PathBuf) {
    let master = posix_openpt(OFlag::O_RDWR | OFlag::O_NOCTTY | OFlag::O_CLOEXEC).unwrap();
    grantpt(&master).unwrap();
    unlockpt(&master).unwrap();
    let path = PathBuf::from(ptsname_r(&master).unwrap());
    (File::from(OwnedFd::from(master)), path)
}

/// The installed app, run in a prefix of the serial tests' own: mapping a port through the
/// registry needs Wine restarted, which the other Windows tests' prefix must not see.
struct Serial {
    app: &'static App,
    prefix: Prefix,
    /// The scanner on COM5.
    com5: File,
}

fn serial() -> Option<&'static Serial> {
    static SERIAL: OnceLock<Option<Serial>> = OnceLock::new();
    SERIAL
        .get_or_init(|| {
            let app = support::app()?;
            let prefix = Prefix::new("serial");
            let (com5, device) = pty();
            let out = prefix
                .command("reg")
                .args(["add", r"HKLM\Software\Wine\Ports", "/v", "COM5", "/d"])
                .arg(&device)
                .arg("/f")
                .wine_output();
            assert!(out.status.success(), "reg add: {out:?}");
            // Wine reads the Ports key when it starts.
            prefix.wait();
            Some(Serial { app, prefix, com5 })
        })
        .as_ref()
}

impl Serial {
    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = self.prefix.command(&self.app.exe);
        c.args(args);
        c
    }

    /// Starts `motcua.exe ARGS` with its output in files: Wine's server, when this process
    /// starts it, inherits the output and would hold a pipe open as long as any other test's
    /// exe runs in the prefix.
    fn spawn(&self, args: &[&str]) -> Running {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("stdout");
        let err = dir.path().join("stderr");
        let child = self
            .cmd(args)
            .stdout(File::create(&out).unwrap())
            .stderr(File::create(&err).unwrap())
            .spawn()
            .unwrap();
        Running {
            child,
            out,
            err,
            _dir: dir,
        }
    }
}

struct Running {
    child: Child,
    out: PathBuf,
    err: PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for Running {
    /// A failed test does not leave the exe listening.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Running {
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&std::fs::read(&self.out).unwrap()).into_owned()
    }

    fn stderr(&self) -> String {
        String::from_utf8_lossy(&std::fs::read(&self.err).unwrap()).into_owned()
    }

    /// Waits until standard error holds `text` `times` times.
    fn wait_stderr(&mut self, text: &str, times: usize) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.stderr().matches(text).count() < times {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("motcua.exe ended ({status}): {}", self.stderr());
            }
            assert!(
                Instant::now() < deadline,
                "no {text:?} ×{times} on standard error: {}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits until standard output holds `n` lines.
    fn wait_lines(&mut self, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.stdout().lines().count() < n {
            assert!(
                Instant::now() < deadline,
                "fewer than {n} lines on standard output: {}\nstandard error: {}",
                self.stdout(),
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits for the exe to end by itself; returns its standard output.
    fn finish(&mut self) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "{status}: {}", self.stderr());
                return self.stdout();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("motcua.exe did not stop: {}", self.stderr());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

fn card(line: &str) -> serde_json::Value {
    serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line:?}"))
}

#[test]
fn a_com_port_is_listed_and_a_card_read_through_it() {
    let Some(serial) = serial() else { return };
    let json = serial.spawn(&["idcard", "ports", "--json"]).finish();
    let ports: Vec<String> = serde_json::from_str(&json).unwrap();
    assert!(ports.iter().any(|p| p == "COM5"), "{ports:?}");
    let text = serial.spawn(&["idcard", "ports"]).finish();
    assert!(text.lines().any(|l| l == "COM5"), "{text}");

    let mut listen = serial.spawn(&["idcard", "listen", "--port", "COM5", "--count", "1"]);
    listen.wait_stderr("Đang nghe máy quét ở COM5 (9600 8N1)", 1);
    (&serial.com5)
        .write_all(format!("{CARD}\r\n").as_bytes())
        .unwrap();
    let stdout = listen.finish();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{stdout}");
    let card = card(lines[0]);
    assert_eq!(card["id_number"], "072185003318");
    assert_eq!(card["name"], "Đặng Thị Hương");
    assert_eq!(card["birth_date"], "1985-12-31");
    assert_eq!(
        card["address"],
        "Ấp Bình Hòa, xã Hướng Thọ Phú, tỉnh Tây Ninh"
    );
    assert_eq!(card["suspect"], serde_json::json!([]));
}

#[test]
fn a_scanner_on_com12_unplugged_and_plugged_back_is_read_again() {
    let Some(serial) = serial() else { return };
    // COM10 and above open only as \\.\COM12: the reader must name it so.
    let (mut first, device) = pty();
    serial.prefix.map_com_port(12, &device);
    let mut listen = serial.spawn(&[
        "--lang", "en", "idcard", "listen", "--port", "COM12", "--count", "2",
    ]);
    listen.wait_stderr("Listening to the scanner on COM12", 1);
    first.write_all(format!("{CARD}\r").as_bytes()).unwrap();
    listen.wait_lines(1);

    // Unplugged: the port goes, the device hangs up.
    std::fs::remove_file(serial.prefix.path.join("dosdevices").join("com12")).unwrap();
    drop(first);
    listen.wait_stderr("Lost the scanner on COM12", 1);
    listen.wait_stderr("Cannot open port COM12", 1);

    // Plugged back in, as another device behind the same port.
    let (mut second, device) = pty();
    serial.prefix.map_com_port(12, &device);
    listen.wait_stderr("Listening to the scanner on COM12", 2);
    second
        .write_all(format!("{OTHER_CARD}\r\n").as_bytes())
        .unwrap();
    let stdout = listen.finish();
    let names: Vec<String> = stdout
        .lines()
        .map(|l| card(l)["name"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(names, ["Đặng Thị Hương", "Lê Văn Đức"], "{stdout}");
}

#[test]
fn the_scanner_port_setting_takes_com_ports() {
    let Some(app) = support::app() else { return };
    let desk = WinDesk::new("Máy quét");
    for good in ["COM3", r"\\.\COM10", "com4"] {
        app.ok(&desk.args(&["settings", "set", "scanner-port", good]));
        assert_eq!(
            app.ok(&desk.args(&["settings", "get", "scanner-port"]))
                .trim(),
            good
        );
    }
    for bad in [
        "/dev/ttyUSB0",
        "COM0",
        "COM3;",
        r"C:\Windows\win.ini",
        "NUL",
        "LPT1",
    ] {
        let out = app.run(&desk.args(&["settings", "set", "scanner-port", bad]));
        assert!(!out.status.success(), "{bad} was accepted");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("Cổng máy quét") && err.contains("cổng COM"),
            "{bad}: {err}"
        );
    }
    assert_eq!(
        app.ok(&desk.args(&["settings", "get", "scanner-port"]))
            .trim(),
        "com4"
    );
}
