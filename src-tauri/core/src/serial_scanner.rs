//! A desk scanner in serial (COM) mode. Unlike a keyboard-wedge scanner, which types what it
//! reads through the keyboard layout and the Vietnamese input method (and garbles the
//! letters of an ID card), a scanner in serial mode sends the bytes of the symbol itself: the
//! card arrives intact.
//!
//! The reader opens the port (`COM3` on Windows; `/dev/ttyUSB0`, `/dev/ttyACM0` or a
//! `/dev/serial/by-id/…` link elsewhere) through the `serialport` crate at 9600 baud 8N1
//! (what scanners use out of the box), splits what comes in into lines ending in CR, LF or
//! CR LF, and delivers each one on a channel. When the device goes away (unplugged, powered
//! off) it says so and keeps trying until it is back. It runs on its own thread: reading a
//! port is blocking work, and a desk has one scanner.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use serialport::{DataBits, FlowControl, Parity, SerialPort, StopBits};
use tokio::sync::mpsc::UnboundedSender;

use crate::i18n::{tf, Lang};

/// Scanners in serial mode default to 9600 baud, 8 data bits, no parity, one stop bit.
pub const DEFAULT_BAUD: u32 = 9600;

/// The speeds scanners offer in their set-up codes.
pub const BAUDS: [u32; 8] = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200];

/// A line longer than this is not a symbol (an ID card's QR is about 200 bytes): dropped.
pub const MAX_LINE_BYTES: usize = 4096;

/// How long one read waits for a byte: the longest `Reader::stop` waits for the thread.
const READ_TIMEOUT: Duration = Duration::from_millis(200);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScannerEvent {
    /// The port is open and set up: lines from now on are delivered.
    Connected,
    /// A line the scanner sent, without its terminator.
    Line(String),
    /// The port could not be opened, or was lost. The reader keeps trying; the same problem
    /// is reported once, not at every attempt.
    Disconnected(PortProblem),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortProblem {
    /// No such port. Windows answers the same for a port that another program holds.
    NotFound,
    PermissionDenied,
    /// Another program holds the port (Unix: it was opened for exclusive use).
    InUse,
    /// The device hung up (unplugged, or the other end of a pseudo-terminal closed).
    Closed,
    Other(String),
}

impl PortProblem {
    fn from_serial(e: &serialport::Error) -> PortProblem {
        match e.kind() {
            serialport::ErrorKind::Io(std::io::ErrorKind::NotFound) => PortProblem::NotFound,
            serialport::ErrorKind::Io(std::io::ErrorKind::PermissionDenied) => {
                PortProblem::PermissionDenied
            }
            // Windows gives "file not found" and "access denied" (held by another program)
            // the same kind; Unix gives it to a port locked by another reader.
            serialport::ErrorKind::NoDevice if cfg!(windows) => PortProblem::NotFound,
            serialport::ErrorKind::NoDevice => PortProblem::InUse,
            _ => PortProblem::Other(e.to_string()),
        }
    }

    pub fn message(&self, port: &str, lang: Lang) -> String {
        let port_arg = [("port", port)];
        match self {
            PortProblem::NotFound if cfg!(windows) => {
                tf(lang, "idcard.port.not_found_windows", &port_arg)
            }
            PortProblem::NotFound => tf(lang, "idcard.port.not_found", &port_arg),
            PortProblem::PermissionDenied => tf(lang, "idcard.port.permission_denied", &port_arg),
            PortProblem::InUse => tf(lang, "idcard.port.in_use", &port_arg),
            PortProblem::Closed => tf(lang, "idcard.port.closed", &port_arg),
            PortProblem::Other(detail) => tf(
                lang,
                "idcard.port.other",
                &[("port", port), ("detail", detail)],
            ),
        }
    }
}

#[derive(Debug, Clone)]
pub struct ReaderConfig {
    pub path: PathBuf,
    pub baud: u32,
    /// How long to wait before opening the device again after it was missing or lost.
    pub retry: Duration,
}

impl ReaderConfig {
    pub fn new(path: impl Into<PathBuf>) -> ReaderConfig {
        ReaderConfig {
            path: path.into(),
            baud: DEFAULT_BAUD,
            retry: Duration::from_secs(1),
        }
    }
}

/// A running reader. It stops when `stop` is called, when it is dropped, or when nobody
/// receives its events any more.
pub struct Reader {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Reader {
    /// Starts reading `config.path` on a new thread; events go to `events`.
    pub fn spawn(
        config: ReaderConfig,
        events: UnboundedSender<ScannerEvent>,
    ) -> std::io::Result<Reader> {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::Builder::new()
            .name("motcua-scanner".into())
            .spawn(move || run(&config, &flag, &events))?;
        Ok(Reader {
            stop,
            thread: Some(thread),
        })
    }

    /// Stops the reader and waits until it has closed the device, so that a new reader can
    /// open it at once.
    pub fn stop(mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            // A reader thread has nothing to hand back; if it panicked there is nothing
            // more to stop.
            let _ = thread.join();
        }
    }
}

impl Drop for Reader {
    fn drop(&mut self) {
        // Without joining: the thread notices within one read timeout.
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// Splits a byte stream into lines. CR, LF and CR LF all end a line (scanners are set to
/// one of them); empty lines are skipped, so CR LF gives one line, not two.
#[derive(Debug, Default)]
pub struct LineSplitter {
    buf: Vec<u8>,
    too_long: bool,
}

impl LineSplitter {
    pub fn push(&mut self, bytes: &[u8]) -> Vec<String> {
        let mut lines = Vec::new();
        for &b in bytes {
            if b == b'\r' || b == b'\n' {
                if !self.too_long {
                    let line = decode_line(&self.buf);
                    if !line.trim().is_empty() {
                        lines.push(line);
                    }
                }
                self.buf.clear();
                self.too_long = false;
            } else if self.buf.len() >= MAX_LINE_BYTES {
                self.too_long = true;
            } else {
                self.buf.push(b);
            }
        }
        lines
    }
}

/// A line's bytes as text: UTF-8 (without a byte-order mark). A scanner set to another code
/// page sends invalid UTF-8; its stray bytes become U+FFFD, which keeps the digits and makes
/// the ID-card reader mark the text fields for checking rather than guess a code page.
pub fn decode_line(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8_lossy(bytes).into_owned()
}

/// Serial ports present on this computer, for the settings screen. On Linux the stable
/// `/dev/serial/by-id/` names come first, then the devices (`/dev/ttyACM*`, `/dev/ttyUSB*`, …)
/// with the built-in `/dev/ttyS*` last and only those with a UART behind them; on Windows the
/// COM ports, `COM2` before `COM10`.
pub fn list_ports() -> Vec<String> {
    let mut found: Vec<String> = system_ports()
        .into_iter()
        .filter(|p| !p.starts_with("/dev/ttyS") || has_uart(p))
        .collect();
    found.sort_by_cached_key(|p| port_order(p));
    found.dedup();
    let mut by_id = list_dir(Path::new("/dev/serial/by-id"));
    by_id.sort_by_cached_key(|p| port_order(p));
    by_id.append(&mut found);
    by_id
}

/// What the serial library finds. On Windows that is the Plug and Play ports and, where it
/// finds fewer there (Wine, some adapters), the registry's `HARDWARE\DEVICEMAP\SERIALCOMM`.
fn system_ports() -> Vec<String> {
    // Built without libudev, the library reads /sys/class/tty, and panics where a
    // container has no such folder.
    if cfg!(target_os = "linux") && !Path::new("/sys/class/tty").is_dir() {
        return Vec::new();
    }
    serialport::available_ports()
        .map(|ports| ports.into_iter().map(|p| p.port_name).collect())
        .unwrap_or_default()
}

/// Sorts names by their prefix then their number, so that ttyUSB2 comes before ttyUSB10 and
/// COM2 before COM10; the built-in ports (ttyS*) go last, they are rarely the scanner.
fn port_order(name: &str) -> (bool, String, u64, String) {
    let stem = name.trim_end_matches(|c: char| c.is_ascii_digit());
    let number = name[stem.len()..].parse().unwrap_or(0);
    (
        stem.ends_with("/ttyS"),
        stem.to_ascii_uppercase(),
        number,
        name.to_string(),
    )
}

fn list_dir(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .map(|e| dir.join(e.file_name()).to_string_lossy().into_owned())
        .collect()
}

/// Linux creates ttyS0–ttyS31 whether or not a UART exists; sysfs says type 0 for none.
fn has_uart(port: &str) -> bool {
    let name = port.rsplit('/').next().unwrap_or(port);
    match std::fs::read_to_string(format!("/sys/class/tty/{name}/type")) {
        Ok(kind) => kind.trim() != "0",
        Err(_) => true,
    }
}

/// Sleeps `total` in short steps, returning early when asked to stop.
fn pause(total: Duration, stop: &AtomicBool) {
    let step = Duration::from_millis(50);
    let mut waited = Duration::ZERO;
    while waited < total && !stop.load(Ordering::SeqCst) {
        std::thread::sleep(step);
        waited += step;
    }
}

fn run(config: &ReaderConfig, stop: &AtomicBool, events: &UnboundedSender<ScannerEvent>) {
    let mut reported: Option<PortProblem> = None;
    while !stop.load(Ordering::SeqCst) && !events.is_closed() {
        let problem = match open(config) {
            Ok(mut port) => {
                if events.send(ScannerEvent::Connected).is_err() {
                    return;
                }
                // Connected again: whatever goes wrong next is news.
                reported = None;
                match read_lines(port.as_mut(), stop, events) {
                    Some(problem) => problem,
                    None => return,
                }
            }
            Err(problem) => problem,
        };
        if reported.as_ref() != Some(&problem) {
            if events
                .send(ScannerEvent::Disconnected(problem.clone()))
                .is_err()
            {
                return;
            }
            reported = Some(problem);
        }
        pause(config.retry, stop);
    }
}

/// Opens the port raw, `baud` 8N1, no flow control, with a short read timeout so that the
/// thread sees a stop request. On Windows the library names `COM10` and above as `\\.\COM10`
/// itself (and leaves a name that already starts with `\` alone).
fn open(config: &ReaderConfig) -> Result<Box<dyn SerialPort>, PortProblem> {
    if !BAUDS.contains(&config.baud) {
        return Err(PortProblem::Other(format!("{} baud", config.baud)));
    }
    serialport::new(config.path.to_string_lossy(), config.baud)
        .data_bits(DataBits::Eight)
        .parity(Parity::None)
        .stop_bits(StopBits::One)
        .flow_control(FlowControl::None)
        .timeout(READ_TIMEOUT)
        .open()
        .map_err(|e| PortProblem::from_serial(&e))
}

/// Reads until the port is lost (`Some(problem)`), or until asked to stop or nobody listens
/// (`None`).
fn read_lines(
    port: &mut dyn SerialPort,
    stop: &AtomicBool,
    events: &UnboundedSender<ScannerEvent>,
) -> Option<PortProblem> {
    let mut splitter = LineSplitter::default();
    let mut buf = [0u8; 1024];
    loop {
        if stop.load(Ordering::SeqCst) || events.is_closed() {
            return None;
        }
        match port.read(&mut buf) {
            Ok(0) => return Some(PortProblem::Closed),
            Ok(n) => {
                for line in splitter.push(&buf[..n]) {
                    if events.send(ScannerEvent::Line(line)).is_err() {
                        return None;
                    }
                }
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::TimedOut
                        | std::io::ErrorKind::WouldBlock
                        | std::io::ErrorKind::Interrupted
                ) =>
            {
                // Some Windows drivers (and Wine) go on answering a port whose device is
                // gone with timeouts; asking for its input queue fails then.
                if port.bytes_to_read().is_err() {
                    return Some(PortProblem::Closed);
                }
            }
            // A hang-up (a pulled-out USB adapter, the far end of a pseudo-terminal closed),
            // or any error from a port that was working: the device is gone until it opens
            // again.
            Err(_) => return Some(PortProblem::Closed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_end_in_cr_lf_or_both_and_may_arrive_in_pieces() {
        let mut s = LineSplitter::default();
        assert_eq!(s.push(b"abc"), Vec::<String>::new());
        assert_eq!(s.push(b"def\r"), vec!["abcdef"]);
        assert_eq!(s.push(b"\nghi\n\njkl\r\n"), vec!["ghi", "jkl"]);
        // A multi-byte letter split across two reads is whole once the line ends.
        let bytes = "Nguyễn\r".as_bytes();
        assert_eq!(s.push(&bytes[..5]), Vec::<String>::new());
        assert_eq!(s.push(&bytes[5..]), vec!["Nguyễn"]);
        assert_eq!(s.push(b"  \r\n"), Vec::<String>::new());
    }

    #[test]
    fn an_endless_line_is_dropped_and_the_next_one_read() {
        let mut s = LineSplitter::default();
        assert!(s.push(&vec![b'7'; MAX_LINE_BYTES * 2]).is_empty());
        assert_eq!(s.push(b"\rnext\r"), vec!["next"]);
    }

    #[test]
    fn invalid_utf8_keeps_the_digits() {
        assert_eq!(
            decode_line(b"\xEF\xBB\xBF123|Nguy\xC5n"),
            "123|Nguy\u{FFFD}n"
        );
        assert_eq!(decode_line("Trần".as_bytes()), "Trần");
    }

    #[test]
    fn ports_sort_by_number_with_the_built_in_ones_last() {
        let mut ports = vec![
            "/dev/ttyS0",
            "/dev/ttyUSB10",
            "/dev/ttyUSB2",
            "/dev/ttyACM0",
            "/dev/ttyS1",
        ];
        ports.sort_by_cached_key(|p| port_order(p));
        assert_eq!(
            ports,
            [
                "/dev/ttyACM0",
                "/dev/ttyUSB2",
                "/dev/ttyUSB10",
                "/dev/ttyS0",
                "/dev/ttyS1"
            ]
        );
        let mut ports = vec!["COM10", "COM2", "COM1"];
        ports.sort_by_cached_key(|p| port_order(p));
        assert_eq!(ports, ["COM1", "COM2", "COM10"]);
    }

    #[test]
    fn problems_say_what_to_do() {
        let m = PortProblem::PermissionDenied.message("/dev/ttyUSB0", Lang::En);
        assert!(m.contains("/dev/ttyUSB0") && m.contains("dialout"), "{m}");
        let m = PortProblem::NotFound.message("/dev/ttyACM0", Lang::Vi);
        assert!(m.contains("/dev/ttyACM0"), "{m}");
    }
}
