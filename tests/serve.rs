//! The citizens' status page: the real `motcua serve` on a loopback port over a real SQLite
//! file, asked over plain HTTP, and rendered by a real headless Chromium at a phone's width.

use crate::public_host::{chromium_run, tool, CHROMIUM};
use crate::support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use support::{birth, receipt_qr, Desk, BIN};

/// A running `motcua serve`; stopped when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    /// Drains the request log as it is written, so a long test never fills the pipe.
    log: Option<std::thread::JoinHandle<String>>,
}

impl Server {
    fn start(desk: &Desk, extra: &[&str]) -> Server {
        let mut child = desk
            .cmd()
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let Some(url) = line
            .split_whitespace()
            .find_map(|w| w.strip_prefix("http://"))
        else {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "serve did not start: {line:?} {}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        assert!(
            line.contains("Trang tra cứu hồ sơ cho công dân đang chạy tại"),
            "{line}"
        );
        let addr = url
            .trim_end_matches(|c: char| !c.is_ascii_digit())
            .parse()
            .unwrap();
        let mut stderr = child.stderr.take().unwrap();
        let log = std::thread::spawn(move || {
            let mut log = String::new();
            let _ = stderr.read_to_string(&mut log);
            log
        });
        Server {
            child,
            addr,
            log: Some(log),
        }
    }

    fn get(&self, target: &str) -> Reply {
        get(self.addr, target)
    }

    /// Stops the server and returns what it logged.
    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.log
            .take()
            .map(|h| h.join().unwrap())
            .unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as UTF-8: fails the test if it is anything else.
    fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("the page is UTF-8")
    }
}

/// One GET over a fresh connection, as a phone's browser would send it.
fn get(addr: SocketAddr, target: &str) -> Reply {
    let stream = TcpStream::connect(addr).unwrap();
    exchange(stream, addr, target)
}

fn exchange(mut stream: TcpStream, addr: SocketAddr, target: &str) -> Reply {
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nUser-Agent: motcua-test\r\nAccept: text/html\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("an HTTP response");
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let body = raw[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let reply = Reply {
        status,
        headers,
        body,
    };
    if let Some(len) = reply.header("content-length") {
        assert_eq!(len.parse::<usize>().unwrap(), reply.body.len());
    }
    reply
}

/// A GET from another loopback address: another client, as far as the server can tell.
fn get_from(source: &str, addr: SocketAddr, target: &str) -> Reply {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let stream = rt.block_on(async {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind(format!("{source}:0").parse().unwrap()).unwrap();
        socket.connect(addr).await.unwrap().into_std().unwrap()
    });
    stream.set_nonblocking(false).unwrap();
    exchange(stream, addr, target)
}

/// Percent-encodes a query value, as a browser does with what a form's field holds.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// The path and query of a lookup URL (the QR's payload).
fn target_of(url: &str) -> String {
    let rest = url.strip_prefix("http://").expect("an http URL");
    rest[rest.find('/').unwrap()..].to_string()
}

fn code_of(d: &serde_json::Value) -> String {
    d["code"].as_str().unwrap().to_string()
}

/// A desk with a contact line and one dossier whose result is ready at the desk. Returns
/// the desk and the dossier's code.
fn desk_with_ready_dossier() -> (Desk, String) {
    let desk = Desk::ready();
    desk.ok(&[
        "settings",
        "set",
        "contact",
        "Điện thoại 0276 3812 345 – quầy số 3",
    ]);
    let d = desk.intake(&birth("Nguyễn Văn An", "2027-03-03T09:00:00+07:00"));
    let code = code_of(&d);
    desk.ok(&["transition", &code, "--to", "9"]);
    (desk, code)
}

/// Points the receipt's QR at `server` and reads the QR back from the printed receipt.
fn scanned_url(desk: &Desk, server: &Server, code: &str) -> String {
    desk.ok(&[
        "settings",
        "set",
        "lookup-url",
        &format!("http://{}/d/{{code}}?k={{tag}}", server.addr),
    ]);
    receipt_qr(desk, code, "a5")
}

const PERSONAL: [&str; 6] = [
    "079203001234",
    "0912345678",
    "Số 12",
    "Bình Hòa",
    "Nguyễn Văn An",
    "Văn An",
];

fn assert_nothing_personal(page: &str) {
    for secret in PERSONAL {
        assert!(!page.contains(secret), "{secret:?} on the page:\n{page}");
    }
}

#[test]
fn the_receipt_qr_opens_the_status_page_in_vietnamese_with_an_english_switch() {
    let (desk, code) = desk_with_ready_dossier();
    let server = Server::start(&desk, &[]);
    let url = scanned_url(&desk, &server, &code);
    let target = target_of(&url);
    assert!(target.starts_with(&format!("/d/{code}?k=")), "{target}");

    let reply = server.get(&target);
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    assert_eq!(reply.header("referrer-policy"), Some("no-referrer"));
    let page = reply.text();
    // The bytes on the wire are UTF-8 Vietnamese, not entities or another encoding.
    assert!(reply
        .body
        .windows("Nguyễn V. A.".len())
        .any(|w| w == "Nguyễn V. A.".as_bytes()));
    for expected in [
        "<html lang=\"vi\">",
        "<meta charset=\"utf-8\">",
        "Tra cứu hồ sơ",
        code.as_str(),
        "Đã có kết quả. Mời ông/bà đến nhận.",
        "Nguyễn V. A.",
        "Đăng ký khai sinh",
        "Bộ phận tiếp nhận và trả kết quả – TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG, UBND XÃ HƯỚNG THỌ PHÚ",
        "Khi đến nhận, xin mang theo giấy tiếp nhận",
        "Liên hệ: Điện thoại 0276 3812 345 – quầy số 3",
        ">English</a>",
    ] {
        assert!(page.contains(expected), "{expected:?} missing:\n{page}");
    }
    // Nothing is loaded from anywhere: no script, no external style, image or font.
    for outside in ["<script", "http://", "https://", "src=", "@import", "url("] {
        assert!(!page.contains(outside), "{outside:?} on the page");
    }
    assert!(page.len() < 12_000, "{} bytes", page.len());

    // The switch keeps the tag and shows the same dossier in English.
    let switch = page
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| h.contains("lang=en"))
        .unwrap()
        .replace("&amp;", "&");
    let english = server.get(&format!("/d/{code}{switch}")).text();
    for expected in [
        "<html lang=\"en\">",
        "Dossier status",
        "The result is ready. Please come and collect it.",
        "Nguyễn V. A.",
        ">Tiếng Việt</a>",
    ] {
        assert!(
            english.contains(expected),
            "{expected:?} missing:\n{english}"
        );
    }
}

#[test]
fn a_dossier_in_progress_shows_its_appointment_and_where_to_collect() {
    let desk = Desk::ready();
    // Received on a past day: its appointment has passed by any clock running this test.
    let d = desk.intake(&birth("Lê Thị Bình", "2026-03-03T09:00:00+07:00"));
    let code = code_of(&d);
    let server = Server::start(&desk, &[]);
    let url = scanned_url(&desk, &server, &code);
    let page = server.get(&target_of(&url)).text();
    for expected in [
        "Hồ sơ đã được tiếp nhận và đang chờ giải quyết.",
        "Hẹn trả kết quả",
        "17:00, thứ Ba 03/03/2026",
        "Nơi nhận kết quả",
        "Lê T. B.",
        "Hồ sơ đã quá ngày hẹn.",
    ] {
        assert!(page.contains(expected), "{expected:?} missing:\n{page}");
    }
    assert!(!page.contains("Lê Thị Bình"));

    // Waiting for papers: the clock is stopped, and the page says what to do.
    desk.ok(&["transition", &code, "--to", "5"]);
    let page = server.get(&target_of(&url)).text();
    assert!(page.contains("Hồ sơ cần bổ sung giấy tờ."), "{page}");
    assert!(page.contains("Thời hạn giải quyết tạm dừng"), "{page}");
    assert!(!page.contains("Hồ sơ đã quá ngày hẹn."), "{page}");
}

#[test]
fn a_wrong_tag_and_an_unknown_code_look_identical() {
    let (desk, code) = desk_with_ready_dossier();
    let server = Server::start(&desk, &[]);
    let url = scanned_url(&desk, &server, &code);
    let good = target_of(&url);
    let tag = good.rsplit_once("k=").unwrap().1.to_string();
    let mut wrong: Vec<char> = tag.chars().collect();
    wrong[3] = if wrong[3] == 'A' { 'B' } else { 'A' };
    let wrong: String = wrong.into_iter().collect();
    let unknown = code.replace("-0001", "-0002");

    let answers: Vec<(String, Reply)> = [
        format!("/d/{code}?k={wrong}"),
        format!("/d/{unknown}?k={tag}"),
        format!("/d/{unknown}?k={wrong}"),
        format!("/d/{code}"),
        format!("/d/{code}?k="),
        format!("/d/{}?k={tag}", "000.00.14.H56-270303-9999"),
        "/d/nonsense?k=%FF%00".to_string(),
    ]
    .into_iter()
    .map(|t| {
        let r = server.get(&t);
        (t, r)
    })
    .collect();
    let (first_target, first) = &answers[0];
    assert_eq!(first.status, 404);
    let text = first.text();
    assert!(text.contains("Không tìm thấy hồ sơ"), "{text}");
    assert!(!text.contains(&code) && !text.contains(&unknown));
    for (target, reply) in &answers[1..] {
        assert_eq!(reply.status, first.status, "{target} vs {first_target}");
        assert_eq!(
            reply.header("content-type"),
            first.header("content-type"),
            "{target}"
        );
        assert_eq!(
            reply.header("content-length"),
            first.header("content-length"),
            "{target}"
        );
        assert_eq!(reply.body, first.body, "{target} vs {first_target}");
    }
    // The right tag still works after all that.
    assert_eq!(server.get(&good).status, 200);
}

#[test]
fn the_rate_limit_triggers_per_client() {
    let (desk, code) = desk_with_ready_dossier();
    let server = Server::start(&desk, &[]);
    // A client may make 30 lookups at once; tokens only ever come back, so none of the
    // first 30 can be refused, and a client asking without pause is refused long before
    // the bound below.
    let mut refused_at = None;
    for i in 1..=1000 {
        let reply = server.get(&format!("/d/{code}?k=0000000000000"));
        if reply.status == 429 {
            refused_at = Some((i, reply));
            break;
        }
        assert_eq!(reply.status, 404, "request {i}");
    }
    let (i, reply) = refused_at.expect("a 429 within 1000 requests");
    assert!(i > 30, "refused at request {i}");
    assert_eq!(
        reply.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let wait: u64 = reply.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    let page = reply.text();
    assert!(page.contains("Quá nhiều lượt tra cứu"), "{page}");
    assert!(!page.contains(&code));
    // Another client has its own allowance.
    assert_eq!(get_from("127.0.0.2", server.addr, "/kiosk").status, 200);
}

#[test]
fn the_rate_limit_can_be_set_on_the_command_line() {
    let desk = Desk::ready();
    let server = Server::start(&desk, &["--rate-limit", "3"]);
    let mut statuses = Vec::new();
    while statuses.len() < 100 && statuses.last() != Some(&429) {
        statuses.push(server.get("/?lang=en").status);
    }
    assert_eq!(&statuses[..3], &[200, 200, 200]);
    assert_eq!(statuses.last(), Some(&429));
    let out = desk.run(&["serve", "--bind", "127.0.0.1:0", "--rate-limit", "0"]);
    assert!(!out.status.success());
}

#[test]
fn the_kiosk_shows_codes_ready_to_collect_and_answers_scans() {
    let (desk, code) = desk_with_ready_dossier();
    let waiting = code_of(&desk.intake(&birth("Trần Văn Cường", "2027-03-03T10:00:00+07:00")));
    let mut post = birth("Phạm Thị Dung", "2027-03-03T10:30:00+07:00");
    post["return"] = serde_json::json!({
        "method": "post", "recipient": "Phạm Thị Dung", "phone": "0987654321",
        "address": "Số 5, ấp Phước Lợi, xã Hướng Thọ Phú, tỉnh Tây Ninh"
    });
    let by_post = code_of(&desk.intake(&post));
    desk.ok(&["transition", &by_post, "--to", "9"]);
    let server = Server::start(&desk, &[]);

    let kiosk = server.get("/kiosk");
    assert_eq!(kiosk.status, 200);
    let page = kiosk.text();
    assert!(page.contains("Hồ sơ đã có kết quả – mời nhận"), "{page}");
    assert!(page.contains(&format!("<li>{code}</li>")), "{page}");
    assert!(!page.contains(&waiting), "not ready: {page}");
    assert!(!page.contains(&by_post), "goes by post: {page}");
    assert!(page.contains("http-equiv=\"refresh\""));
    // Codes only: no names, not even masked ones.
    assert!(!page.contains("Nguyễn") && !page.contains("Phạm"), "{page}");

    // A scanned QR shows the status, as on a phone.
    let url = scanned_url(&desk, &server, &code);
    let scanned = server.get(&format!("/kiosk?q={}", encode(&url))).text();
    assert!(
        scanned.contains("Đã có kết quả. Mời ông/bà đến nhận."),
        "{scanned}"
    );
    assert!(scanned.contains("Nguyễn V. A."));
    assert_nothing_personal(&scanned);

    // A typed code (or the barcode) says whether the result is ready, and nothing more:
    // a code in progress and a code that does not exist get the same answer.
    let typed = server
        .get(&format!("/kiosk?q={}", code.to_lowercase()))
        .text();
    assert!(
        typed.contains(&format!("Hồ sơ {code} đã có kết quả.")),
        "{typed}"
    );
    let in_progress = server.get(&format!("/kiosk?q={waiting}")).text();
    let unknown = server
        .get(&format!("/kiosk?q={}", waiting.replace("-0002", "-0042")))
        .text();
    assert!(
        in_progress.contains("xin quét mã QR trên giấy tiếp nhận"),
        "{in_progress}"
    );
    // The pages differ only in the minute they were made.
    let strip_time = |p: &str| {
        let mut out = String::new();
        let mut rest = p;
        while let Some(i) = rest.find("Cập nhật lúc ") {
            let after = &rest[i + "Cập nhật lúc ".len()..];
            out.push_str(&rest[..i]);
            rest = after.get("HH:MM dd/mm/yyyy".len()..).unwrap_or("");
        }
        out.push_str(rest);
        out
    };
    assert_eq!(strip_time(&in_progress), strip_time(&unknown));
    assert!(!in_progress.contains("Trần"));

    // English on request.
    let english = server.get("/kiosk?lang=en").text();
    assert!(english.contains("Results ready to collect"), "{english}");
}

#[test]
fn no_page_shows_an_id_number_phone_or_address() {
    let (desk, code) = desk_with_ready_dossier();
    let server = Server::start(&desk, &[]);
    let url = scanned_url(&desk, &server, &code);
    let target = target_of(&url);
    for t in [
        target.clone(),
        format!("{target}&lang=en"),
        "/".to_string(),
        "/kiosk".to_string(),
        format!("/kiosk?q={code}"),
        format!("/d/{code}?k=0000000000000"),
        "/no-such-page".to_string(),
    ] {
        let page = server.get(&t).text();
        assert_nothing_personal(&page);
    }
}

#[test]
fn the_server_only_reads_and_logs_without_personal_data() {
    let (desk, code) = desk_with_ready_dossier();
    let server = Server::start(&desk, &[]);
    let url = scanned_url(&desk, &server, &code);
    let before = desk.json(&["show", &code, "--json"]);
    let history_before = desk.ok(&["history", &code]);
    let target = target_of(&url);
    let tag = target.rsplit_once("k=").unwrap().1.to_string();
    assert_eq!(server.get(&target).status, 200);
    assert_eq!(
        server.get(&format!("/d/{code}?k=0000000000000")).status,
        404
    );
    assert_eq!(server.get(&format!("/kiosk?q={code}")).status, 200);
    assert_eq!(server.get("/favicon.ico").status, 404);
    let log = server.stop();

    assert_eq!(desk.json(&["show", &code, "--json"]), before);
    assert_eq!(desk.ok(&["history", &code]), history_before);

    for expected in [
        "GET /d/{code} 200 ",
        "GET /d/{code} 404 ",
        "GET /kiosk 200 ",
        "GET (other) 404 ",
    ] {
        assert!(log.contains(expected), "{expected:?} not logged:\n{log}");
    }
    for secret in [
        code.as_str(),
        tag.as_str(),
        "127.0.0.1",
        "Nguyễn",
        "079203001234",
    ] {
        assert!(!log.contains(secret), "{secret:?} in the log:\n{log}");
    }
}

#[test]
fn the_status_page_settings_are_listed_and_validated() {
    let desk = Desk::ready();
    let all = desk.json(&["settings", "list", "--json"]);
    assert_eq!(all["contact"], "");
    assert_eq!(all["status-server"], "");
    let out = desk.run(&["settings", "set", "status-server", "port 8080"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Trang tra cứu cho công dân"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    desk.ok(&["settings", "set", "status-server", "127.0.0.1:0"]);
    desk.ok(&["settings", "set", "contact", "0276 3812 345"]);
    let all = desk.json(&["settings", "list", "--json"]);
    assert_eq!(all["status-server"], "127.0.0.1:0");
    assert_eq!(all["contact"], "0276 3812 345");
    // A desk setting: another desk of the office does not serve the page.
    let other = desk
        .cmd()
        .env("MOTCUA_DESK", "Quầy 2")
        .args(["settings", "get", "status-server"])
        .output()
        .unwrap();
    assert!(other.status.success());
    assert_eq!(String::from_utf8_lossy(&other.stdout).trim(), "");
    // Without --bind, serve listens where the setting says.
    let mut child = desk
        .cmd()
        .arg("serve")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(line.contains("http://127.0.0.1:"), "{line}");
    let out = desk.run(&["serve", "--bind", "nowhere"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--bind"));
}

/// `n` connections from another loopback address (another client, for the server).
fn connect_from(source: &str, addr: SocketAddr, n: usize) -> Vec<TcpStream> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut streams = Vec::with_capacity(n);
        for _ in 0..n {
            let socket = tokio::net::TcpSocket::new_v4().unwrap();
            socket.bind(format!("{source}:0").parse().unwrap()).unwrap();
            let stream = socket.connect(addr).await.unwrap().into_std().unwrap();
            stream.set_nonblocking(false).unwrap();
            streams.push(stream);
        }
        streams
    })
}

/// Whether the server has closed `stream` (it never answers a half-sent request).
fn closed_by_server(mut stream: &TcpStream) -> bool {
    stream.set_nonblocking(true).unwrap();
    let mut byte = [0u8; 1];
    match stream.read(&mut byte) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
    }
}

/// File descriptors a process has open (Linux).
fn open_files(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|d| d.count())
        .unwrap_or(0)
}

#[test]
fn half_sent_requests_from_one_client_starve_neither_the_page_nor_the_desk() {
    use std::time::{Duration, Instant};
    let (desk, code) = desk_with_ready_dossier();
    let server = Server::start(&desk, &[]);
    // The test holds 1,500 sockets itself: the usual soft limit of 1,024 is not enough
    // (raise it with `ulimit -n 4096` if this fails to connect).
    const HALF_SENT: usize = 1500;
    let started = Instant::now();
    let mut held = connect_from("127.0.0.2", server.addr, HALF_SENT);
    for s in &mut held {
        // A socket the server has already closed may refuse the bytes: that is the point.
        let _ = s.write_all(b"GET /kiosk HTTP/1.1\r\nHost: desk\r\nUser-Agent: slow");
    }
    // Another client is answered at once, again and again, while they are held open.
    for _ in 0..3 {
        let asked = Instant::now();
        let reply = server.get("/kiosk");
        assert_eq!(reply.status, 200);
        assert!(reply.text().contains(&format!("<li>{code}</li>")));
        assert!(
            asked.elapsed() < Duration::from_secs(1),
            "answered in {:?}",
            asked.elapsed()
        );
    }
    // The desk keeps writing PDFs on the same database.
    let pdf = desk.path("during-abuse.pdf");
    desk.ok(&["receipt", &code, "--out", pdf.to_str().unwrap()]);
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    // Bounded in count: all but a few were closed as soon as they were accepted, and the
    // server's own descriptors stay few.
    let still_open = held.iter().filter(|s| !closed_by_server(s)).count();
    assert!(
        still_open <= 16,
        "{still_open} half-sent requests still open"
    );
    let files = open_files(server.child.id());
    assert!(files < 100, "the server holds {files} descriptors");
    // Bounded in time: the rest are closed once the header timeout (10 s) has passed.
    let deadline = started + Duration::from_secs(20);
    loop {
        let open = held.iter().filter(|s| !closed_by_server(s)).count();
        if open == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "{open} still open after 20 s");
        std::thread::sleep(Duration::from_millis(250));
    }
    assert!(
        started.elapsed() >= Duration::from_secs(9),
        "closed too early"
    );
    // And the client itself is served again once it behaves.
    assert_eq!(get_from("127.0.0.2", server.addr, "/kiosk").status, 200);
    drop(held);
}

/// Width and height from a PNG's header.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&png[16..20]), be(&png[20..24]))
}

#[test]
fn a_phone_browser_renders_the_status_page() {
    let Some(chromium) = tool(CHROMIUM, "MOTCUA_REQUIRE_CHROMIUM", "chromium") else {
        return;
    };
    let (desk, code) = desk_with_ready_dossier();
    let server = Server::start(&desk, &[]);
    let url = scanned_url(&desk, &server, &code);

    // What the browser built from the page.
    let dom = String::from_utf8(chromium_run(chromium, &["--dump-dom", &url])).unwrap();
    for expected in [
        "Tra cứu hồ sơ",
        "Đã có kết quả. Mời ông/bà đến nhận.",
        "Nguyễn V. A.",
        "Đăng ký khai sinh",
    ] {
        assert!(
            dom.contains(expected),
            "{expected:?} not in the DOM:\n{dom}"
        );
    }
    assert_nothing_personal(&dom);

    // What a person sees: the page laid out and printed, its text read back from the PDF.
    let pdf = desk.path("status-page.pdf");
    chromium_run(
        chromium,
        &[
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
            &url,
        ],
    );
    let visible = support::pdf_text(&pdf);
    for expected in [
        "Đã có kết quả. Mời ông/bà đến nhận.",
        "Nguyễn V. A.",
        "Đăng ký khai sinh",
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
        "Điện thoại 0276 3812 345 – quầy số 3",
    ] {
        assert!(
            visible.contains(expected),
            "{expected:?} not visible:\n{visible}"
        );
    }
    assert_nothing_personal(&visible);

    // At a phone's width: a screenshot to look at.
    let png = desk.path("status-phone.png");
    chromium_run(
        chromium,
        &[
            "--window-size=360,740",
            &format!("--screenshot={}", png.display()),
            &url,
        ],
    );
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(png_size(&bytes), (360, 740));
    assert!(
        bytes.len() > 10_000,
        "an empty screenshot? {} bytes",
        bytes.len()
    );
    let keep = Path::new(env!("CARGO_TARGET_TMPDIR")).join("status-page-phone.png");
    std::fs::copy(&png, &keep).unwrap();
    eprintln!("screenshot: {}", keep.display());

    // The waiting room's screen, at a television's width.
    let kiosk_png = desk.path("kiosk.png");
    chromium_run(
        chromium,
        &[
            "--window-size=1280,720",
            &format!("--screenshot={}", kiosk_png.display()),
            &format!("http://{}/kiosk", server.addr),
        ],
    );
    let keep = Path::new(env!("CARGO_TARGET_TMPDIR")).join("kiosk.png");
    std::fs::copy(&kiosk_png, &keep).unwrap();
    eprintln!("screenshot: {}", keep.display());
}

#[test]
fn the_desk_window_runs_the_status_page_in_the_background() {
    assert!(
        std::env::var("DISPLAY").is_ok(),
        "the desk window needs an X display: run the test through the test command, which starts one"
    );
    let (desk, code) = desk_with_ready_dossier();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    desk.ok(&[
        "settings",
        "set",
        "status-server",
        &format!("127.0.0.1:{port}"),
    ]);
    let mut cmd = Command::new(BIN);
    // The setting above is this desk's own (`Desk::cmd` names it).
    cmd.env("MOTCUA_DESK", "Quầy thử")
        .env("MOTCUA_DB", &desk.db)
        .env("HOME", desk.dir.path())
        .env("XDG_DATA_HOME", desk.dir.path().join("data"))
        .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut window = cmd.spawn().unwrap();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    // The window takes a few seconds to start; ask until it answers (bounded).
    let mut page = None;
    for _ in 0..240 {
        if let Ok(stream) = TcpStream::connect(addr) {
            page = Some(exchange(stream, addr, "/kiosk"));
            break;
        }
        if window.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
    // SIGTERM closes the window and its WebKit helpers with it; SIGKILL if it lingers.
    let _ = Command::new("kill")
        .args(["-s", "TERM", &window.id().to_string()])
        .status();
    for _ in 0..100 {
        if window.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = window.kill();
    let _ = window.wait();
    let page = page.expect("the desk window started the status page");
    assert_eq!(page.status, 200);
    assert!(page.text().contains(&format!("<li>{code}</li>")));
}
