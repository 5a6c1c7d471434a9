//! A desk scanner in serial (COM) mode. Unlike a keyboard-wedge scanner, which types what it
//! reads through the keyboard layout and the Vietnamese input method (and garbles the
//! letters of an ID card), a scanner in serial mode sends the bytes of the symbol itself: the
//! card arrives intact.
//!
//! The reader opens the device (`/dev/ttyUSB0`, `/dev/ttyACM0`, a `/dev/serial/by-id/…`
//! link), sets it raw at 9600 baud 8N1 (what scanners use out of the box), splits what comes
//! in into lines ending in CR, LF or CR LF, and delivers each one on a channel. When the
//! device goes away (unplugged, powered off) it says so and keeps trying until it is back.
//! It runs on its own thread: reading a device is blocking work, and a desk has one scanner.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::sync::mpsc::UnboundedSender;

use crate::i18n::{t, tf, Lang};

/// Scanners in serial mode default to 9600 baud, 8 data bits, no parity, one stop bit.
pub const DEFAULT_BAUD: u32 = 9600;

/// The speeds scanners offer in their set-up codes.
pub const BAUDS: [u32; 8] = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200];

/// A line longer than this is not a symbol (an ID card's QR is about 200 bytes): dropped.
pub const MAX_LINE_BYTES: usize = 4096;

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
    NotFound,
    PermissionDenied,
    /// The device hung up (unplugged, or the other end of a pseudo-terminal closed).
    Closed,
    Unsupported,
    Other(String),
}

impl PortProblem {
    fn from_io(e: &std::io::Error) -> PortProblem {
        match e.kind() {
            std::io::ErrorKind::NotFound => PortProblem::NotFound,
            std::io::ErrorKind::PermissionDenied => PortProblem::PermissionDenied,
            _ => PortProblem::Other(e.to_string()),
        }
    }

    pub fn message(&self, port: &str, lang: Lang) -> String {
        let port_arg = [("port", port)];
        match self {
            PortProblem::NotFound => tf(lang, "idcard.port.not_found", &port_arg),
            PortProblem::PermissionDenied => tf(lang, "idcard.port.permission_denied", &port_arg),
            PortProblem::Closed => tf(lang, "idcard.port.closed", &port_arg),
            PortProblem::Unsupported => t(lang, "idcard.port.unsupported"),
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
        // Without joining: the thread notices within one poll interval.
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

/// Serial devices present on this computer, for the settings screen: the stable
/// `/dev/serial/by-id/` names first, then `/dev/ttyACM*`, `/dev/ttyUSB*` and the `/dev/ttyS*`
/// ports that have a UART behind them.
pub fn list_ports() -> Vec<String> {
    let mut by_id = list_dir(Path::new("/dev/serial/by-id"), |_| true);
    let mut acm = list_dir(Path::new("/dev"), |n| n.starts_with("ttyACM"));
    let mut usb = list_dir(Path::new("/dev"), |n| n.starts_with("ttyUSB"));
    let mut uart = list_dir(Path::new("/dev"), |n| {
        n.starts_with("ttyS") && n[4..].bytes().all(|b| b.is_ascii_digit()) && has_uart(n)
    });
    let mut all = Vec::new();
    for group in [&mut by_id, &mut acm, &mut usb, &mut uart] {
        // ttyUSB2 before ttyUSB10.
        group.sort_by(|a, b| (a.len(), a).cmp(&(b.len(), b)));
        all.append(group);
    }
    all
}

fn list_dir(dir: &Path, keep: impl Fn(&str) -> bool) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            keep(&name).then(|| dir.join(name).to_string_lossy().into_owned())
        })
        .collect()
}

/// Linux creates ttyS0–ttyS31 whether or not a UART exists; sysfs says type 0 for none.
fn has_uart(name: &str) -> bool {
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
        let problem = match port::open(&config.path, config.baud) {
            Ok(device) => {
                if events.send(ScannerEvent::Connected).is_err() {
                    return;
                }
                // Connected again: whatever goes wrong next is news.
                reported = None;
                match port::read_lines(&device, stop, events) {
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
            reported = Some(problem.clone());
        }
        if problem == PortProblem::Unsupported {
            return;
        }
        pause(config.retry, stop);
    }
}

#[cfg(unix)]
mod port {
    use std::fs::File;
    use std::io::Read;
    use std::os::fd::AsFd;
    use std::os::unix::fs::OpenOptionsExt;
    use std::path::Path;
    use std::sync::atomic::{AtomicBool, Ordering};

    use nix::errno::Errno;
    use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
    use nix::sys::termios::{
        cfmakeraw, cfsetspeed, tcgetattr, tcsetattr, BaudRate, ControlFlags, InputFlags, SetArg,
        SpecialCharacterIndices,
    };
    use tokio::sync::mpsc::UnboundedSender;

    use super::{LineSplitter, PortProblem, ScannerEvent};

    fn baud_rate(baud: u32) -> Option<BaudRate> {
        Some(match baud {
            1200 => BaudRate::B1200,
            2400 => BaudRate::B2400,
            4800 => BaudRate::B4800,
            9600 => BaudRate::B9600,
            19200 => BaudRate::B19200,
            38400 => BaudRate::B38400,
            57600 => BaudRate::B57600,
            115200 => BaudRate::B115200,
            _ => return None,
        })
    }

    /// Opens the device without making it our controlling terminal and without waiting for
    /// a carrier, and sets it raw, `baud` 8N1, no flow control.
    pub(super) fn open(path: &Path, baud: u32) -> Result<File, PortProblem> {
        let speed = baud_rate(baud).ok_or_else(|| PortProblem::Other(format!("{baud} baud")))?;
        let device = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(nix::libc::O_NOCTTY | nix::libc::O_NONBLOCK)
            .open(path)
            .map_err(|e| PortProblem::from_io(&e))?;
        let errno = |e: Errno| PortProblem::from_io(&std::io::Error::from(e));
        let mut tty = tcgetattr(device.as_fd()).map_err(errno)?;
        cfmakeraw(&mut tty);
        cfsetspeed(&mut tty, speed).map_err(errno)?;
        tty.control_flags
            .insert(ControlFlags::CS8 | ControlFlags::CLOCAL | ControlFlags::CREAD);
        tty.control_flags
            .remove(ControlFlags::PARENB | ControlFlags::CSTOPB);
        #[cfg(any(target_os = "linux", target_os = "android", target_os = "macos"))]
        tty.control_flags.remove(ControlFlags::CRTSCTS);
        tty.input_flags
            .remove(InputFlags::IXON | InputFlags::IXOFF | InputFlags::IXANY);
        tty.control_chars[SpecialCharacterIndices::VMIN as usize] = 1;
        tty.control_chars[SpecialCharacterIndices::VTIME as usize] = 0;
        tcsetattr(device.as_fd(), SetArg::TCSANOW, &tty).map_err(errno)?;
        Ok(device)
    }

    /// Reads until the device is lost (`Some(problem)`), or until asked to stop or nobody
    /// listens (`None`).
    pub(super) fn read_lines(
        device: &File,
        stop: &AtomicBool,
        events: &UnboundedSender<ScannerEvent>,
    ) -> Option<PortProblem> {
        let mut splitter = LineSplitter::default();
        let mut buf = [0u8; 1024];
        let hangup = PollFlags::POLLHUP | PollFlags::POLLERR | PollFlags::POLLNVAL;
        loop {
            if stop.load(Ordering::SeqCst) || events.is_closed() {
                return None;
            }
            let mut fds = [PollFd::new(device.as_fd(), PollFlags::POLLIN)];
            match poll(&mut fds, PollTimeout::from(200u16)) {
                Ok(0) | Err(Errno::EINTR) => continue,
                Ok(_) => {}
                Err(e) => return Some(PortProblem::Other(e.desc().to_string())),
            }
            let revents = fds[0].revents().unwrap_or(PollFlags::empty());
            // Read even on a hang-up: the last line may still be waiting.
            match (&*device).read(&mut buf) {
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
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::Interrupted
                    ) =>
                {
                    if revents.intersects(hangup) {
                        return Some(PortProblem::Closed);
                    }
                }
                // EIO is how a USB serial adapter that was pulled out answers.
                Err(e) if e.raw_os_error() == Some(nix::libc::EIO) => {
                    return Some(PortProblem::Closed)
                }
                Err(e) => return Some(PortProblem::from_io(&e)),
            }
        }
    }
}

#[cfg(not(unix))]
mod port {
    use std::fs::File;
    use std::path::Path;
    use std::sync::atomic::AtomicBool;

    use tokio::sync::mpsc::UnboundedSender;

    use super::{PortProblem, ScannerEvent};

    pub(super) fn open(_path: &Path, _baud: u32) -> Result<File, PortProblem> {
        Err(PortProblem::Unsupported)
    }

    pub(super) fn read_lines(
        _device: &File,
        _stop: &AtomicBool,
        _events: &UnboundedSender<ScannerEvent>,
    ) -> Option<PortProblem> {
        Some(PortProblem::Unsupported)
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
    fn problems_say_what_to_do() {
        let m = PortProblem::PermissionDenied.message("/dev/ttyUSB0", Lang::En);
        assert!(m.contains("/dev/ttyUSB0") && m.contains("dialout"), "{m}");
        let m = PortProblem::NotFound.message("/dev/ttyACM0", Lang::Vi);
        assert!(m.contains("/dev/ttyACM0"), "{m}");
    }
}
