//! Running the real `motcua` binary against a database in a temporary folder.

#![allow(dead_code)]

pub mod display;
pub mod scenario;
pub mod window;

pub use scenario::{birth_today, Scenario};

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_motcua");

/// The desk's everyday account in window tests: every role a clerk may hold.
pub const STAFF: &str = "canbo";
pub const STAFF_ROLES: [&str; 3] = ["reception", "processing", "supervisor"];
/// The administrator `Desk::account` creates first on each desk.
pub const ADMIN: &str = "quantri";
/// Every test account's password (meets the password rules).
pub const PASSWORD: &str = "Mot-cua-2026";

/// The agency the tests set up, with letters that carry two marks.
pub const SETUP: [&str; 9] = [
    "setup",
    "--agency-code",
    "000.00.14.H56",
    "--governing-body",
    "UBND XÃ HƯỚNG THỌ PHÚ",
    "--unit",
    "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
    "--place",
    "Hướng Thọ Phú",
];

pub struct Desk {
    pub dir: tempfile::TempDir,
    pub db: String,
    /// What the helpers did to this desk themselves, so that they skip the `motcua` runs
    /// whose answer they already know (each run costs about 70 ms of CPU before `main`: the
    /// loader binds the GTK and WebKit libraries even for the command line).
    known: std::sync::Mutex<Known>,
}

#[derive(Default)]
struct Known {
    set_up: bool,
    admin_tried: bool,
}

impl Desk {
    /// A new SQLite database in a temporary folder (not yet set up).
    pub fn new() -> Desk {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("desk.db").to_string_lossy().into_owned();
        Desk::with(dir, db)
    }

    /// Another computer user's desk (its own HOME and data folder) on the database `db`.
    pub fn on(db: &str) -> Desk {
        Desk::with(tempfile::tempdir().unwrap(), db.to_string())
    }

    fn with(dir: tempfile::TempDir, db: String) -> Desk {
        crate::built_for_windows::set_up_early();
        Desk {
            dir,
            db,
            known: Default::default(),
        }
    }

    /// A new database with the agency set up.
    pub fn ready() -> Desk {
        let desk = Desk::new();
        desk.ok(&SETUP);
        desk.known.lock().unwrap().set_up = true;
        desk
    }

    /// Whether the agency is set up (the first-run screen is behind it).
    pub fn is_set_up(&self) -> bool {
        if self.known.lock().unwrap().set_up {
            return true;
        }
        let out = self.run(&["settings", "get", "agency-code"]);
        out.status.success() && !String::from_utf8_lossy(&out.stdout).trim().is_empty()
    }

    /// Adds a staff account with `roles` (no-op when it exists). The first account of a
    /// desk is its administrator (`ADMIN`), as at set-up: once accounts exist the CLI adds
    /// one only for a signed-in administrator, so the helper signs `ADMIN` in when it must
    /// and leaves that session open (sign the account a test works as in with `login`).
    pub fn account(&self, name: &str, roles: &[&str]) {
        let input = format!("{PASSWORD}\n");
        let admin_tried = std::mem::replace(&mut self.known.lock().unwrap().admin_tried, true);
        if !admin_tried {
            // Refused once the desk has accounts: then the administrator is there already.
            let made = self
                .run_stdin(
                    &[
                        "user",
                        "add",
                        ADMIN,
                        "--role",
                        "administrator",
                        "--password-stdin",
                    ],
                    &input,
                )
                .status
                .success();
            if made && name != ADMIN {
                // Every account after the first needs the administrator's session.
                self.login(ADMIN, PASSWORD);
            }
        }
        if name == ADMIN {
            return;
        }
        let mut args = vec!["user", "add", name];
        for role in roles {
            args.extend(["--role", role]);
        }
        args.push("--password-stdin");
        let mut out = self.run_stdin(&args, &input);
        let exists =
            |out: &Output| String::from_utf8_lossy(&out.stderr).contains("Đã có tài khoản");
        if !out.status.success() && !exists(&out) {
            self.login(ADMIN, PASSWORD);
            out = self.run_stdin(&args, &input);
        }
        assert!(
            out.status.success() || exists(&out),
            "user add {name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// `motcua login NAME`: the CLI acts as this account from now on (per desk: each desk
    /// has its own HOME and data folder, so its own session file).
    pub fn login(&self, name: &str, password: &str) {
        let out = self.run_stdin(
            &["login", name, "--password-stdin"],
            &format!("{password}\n"),
        );
        assert!(
            out.status.success(),
            "login {name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// `motcua logout`.
    pub fn logout(&self) {
        self.ok(&["logout"]);
    }

    /// The session file of this desk's database (at most one per database).
    pub fn session_file(&self) -> Option<PathBuf> {
        let dir = self.dir.path().join("data/motcua/sessions");
        std::fs::read_dir(dir)
            .ok()?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.extension().is_some_and(|e| e == "json"))
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::new(BIN);
        c.env("MOTCUA_DB", &self.db)
            .env_remove("MOTCUA_LANG")
            .env("MOTCUA_DESK", "Quầy thử")
            .env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.dir.path().join("data"));
        c
    }

    /// `cmd` run under `umask`, the way a user's shell would start it: set in a shell that
    /// then becomes `motcua`, since the test process's own umask is shared by every test.
    #[cfg(unix)]
    pub fn cmd_with_umask(&self, umask: u32) -> Command {
        let base = self.cmd();
        let mut c = Command::new("sh");
        c.arg("-c")
            .arg(format!("umask {umask:03o} && exec \"$0\" \"$@\""))
            .arg(BIN);
        for (key, value) in base.get_envs() {
            match value {
                Some(value) => c.env(key, value),
                None => c.env_remove(key),
            };
        }
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).stdin(Stdio::null()).output().unwrap()
    }

    pub fn run_stdin(&self, args: &[&str], input: &str) -> Output {
        output_with_stdin(self.cmd().args(args), input)
    }

    /// Runs and insists on success; returns standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "motcua {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Issues `code`'s receipt on `paper` (a4, a5, 80mm) into `pdf`.
    pub fn receipt(&self, code: &str, paper: &str, pdf: &Path) {
        self.ok(&[
            "receipt",
            code,
            "--paper",
            paper,
            "--out",
            pdf.to_str().unwrap(),
        ]);
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    pub fn intake(&self, request: &serde_json::Value) -> serde_json::Value {
        let out = self.run_stdin(&["intake", "-"], &request.to_string());
        assert!(
            out.status.success(),
            "intake failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

/// Runs `cmd` with `input` on its standard input; its output and status.
pub fn output_with_stdin(cmd: &mut Command, input: &str) -> Output {
    use std::io::Write;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

pub fn birth(name: &str, received_at: &str) -> serde_json::Value {
    serde_json::json!({
        "procedure": "1.001193",
        "applicant": {
            "name": name,
            "id_number": "079203001234",
            "phone": "0912345678",
            "email": "",
            "address": "Số 12, ấp Bình Hòa, xã Hướng Thọ Phú, tỉnh Tây Ninh"
        },
        "documents": [{"name": "Tờ khai đăng ký khai sinh", "originals": 1, "copies": 0}],
        "sets": 1,
        "return": {"method": "desk"},
        "received_at": received_at,
        "note": ""
    })
}

pub fn exists(p: &Path) -> bool {
    p.exists()
}

pub fn tool(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd).args(args).output().unwrap_or_else(|e| {
        panic!(
            "{cmd} is missing ({e}): the test command installs poppler-utils, zbar-tools and qpdf"
        )
    });
    assert!(
        out.status.success(),
        "{cmd} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

pub fn pdf_text(pdf: &Path) -> String {
    tool("pdftotext", &[pdf.to_str().unwrap(), "-"])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The symbols zbarimg finds on the first page at 150 dpi: (type, data).
pub fn symbols(pdf: &Path) -> Vec<(String, String)> {
    let prefix = pdf.with_extension("");
    tool(
        "pdftoppm",
        &[
            "-r",
            "150",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            pdf.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    let png = std::fs::read_dir(pdf.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.extension().is_some_and(|e| e == "png")
                && p.to_string_lossy().starts_with(&*prefix.to_string_lossy())
        })
        .unwrap();
    let out = Command::new("zbarimg")
        .args(["-q", png.to_str().unwrap()])
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| {
            l.split_once(':')
                .map(|(k, v)| (k.to_string(), v.to_string()))
        })
        .collect()
}

pub fn qr_of(pdf: &Path) -> String {
    symbols(pdf)
        .into_iter()
        .find(|(k, _)| k == "QR-Code")
        .map(|(_, v)| v)
        .expect("a QR code on the page")
}

/// Issues a dossier's receipt through the CLI and reads back its QR payload.
pub fn receipt_qr(desk: &Desk, code: &str, paper: &str) -> String {
    let pdf = desk.path(&format!("receipt-{paper}-{}.pdf", code.replace('.', "_")));
    desk.receipt(code, paper, &pdf);
    qr_of(&pdf)
}

/// The test printer's output folder for a test that finds its print there by the dossier's
/// code: the desk's and the Windows build's print tests print the same code, and would
/// otherwise take each other's files. Held until the guard is dropped.
pub fn the_test_printer() -> std::sync::MutexGuard<'static, ()> {
    static PRINTER: std::sync::Mutex<()> = std::sync::Mutex::new(());
    // A test that failed holding it leaves nothing half-done in the folder to protect.
    PRINTER
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// What cups-pdf's output folder holds now: a test's print is a file not in this list, for
/// earlier runs leave theirs there.
pub fn printed_files(out_dir: &str) -> Vec<PathBuf> {
    std::fs::read_dir(out_dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default()
}

/// Waits for the PDF cups-pdf writes for the job titled `code` (a name not in `before`)
/// and returns it whole: cups-pdf writes the file in place, so it is whole once it ends as
/// a PDF ends.
pub fn wait_printed(out_dir: &str, code: &str, before: &[PathBuf]) -> PathBuf {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
    loop {
        let found = printed_files(out_dir)
            .into_iter()
            .find(|p| p.to_string_lossy().contains(code) && !before.contains(p));
        if let Some(p) = found {
            let whole =
                std::fs::read(&p).is_ok_and(|bytes| bytes.trim_ascii_end().ends_with(b"%%EOF"));
            if whole {
                return p;
            }
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{code}: nothing printed into {out_dir}"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

/// Keyboard-mode scans and the tests that fill both cores with processes never overlap. A
/// scan is a burst of keys less than 50 ms apart, and WebDriver types each key only once the
/// window has taken the last, so sixteen desk processes at once can stretch a burst into
/// typing. The busy tests share the lock with each other; a scan waits for them to end (and
/// holds back new ones) for the moment it types.
fn scans_and_busy_tests() -> &'static tokio::sync::RwLock<()> {
    static LOCK: std::sync::OnceLock<tokio::sync::RwLock<()>> = std::sync::OnceLock::new();
    LOCK.get_or_init(|| tokio::sync::RwLock::new(()))
}

/// Held by a plain test that runs many processes at once, until the guard is dropped.
pub fn busy_test() -> tokio::sync::RwLockReadGuard<'static, ()> {
    scans_and_busy_tests().blocking_read()
}

/// `busy_test` for an async test.
pub async fn busy_async_test() -> tokio::sync::RwLockReadGuard<'static, ()> {
    scans_and_busy_tests().read().await
}

/// Held while a window test types what a scanner would.
pub async fn quiet_for_a_scan() -> tokio::sync::RwLockWriteGuard<'static, ()> {
    scans_and_busy_tests().write().await
}

/// A cups-pdf queue of a test's own, removed when the test ends however it ends.
pub struct Queue(pub String);

impl Queue {
    pub fn add(name: String) -> Queue {
        tool(
            "lpadmin",
            &[
                "-p",
                &name,
                "-E",
                "-v",
                "cups-pdf:/",
                "-m",
                "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd",
            ],
        );
        Queue(name)
    }
}

impl Drop for Queue {
    fn drop(&mut self) {
        let _ = Command::new("lpadmin").args(["-x", &self.0]).status();
    }
}

/// A new empty PostgreSQL database on the test server (`MOTCUA_TEST_POSTGRES`), or `None`
/// without one (a failure when the test command requires it).
pub fn postgres_database() -> Option<String> {
    let admin = match std::env::var("MOTCUA_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => url,
        _ => {
            assert!(
                std::env::var("MOTCUA_REQUIRE_POSTGRES").is_err(),
                "MOTCUA_REQUIRE_POSTGRES is set but MOTCUA_TEST_POSTGRES is not"
            );
            return None;
        }
    };
    crate::pg_leftovers::drop_those_of_ended_runs(&admin);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    // Every test of the binary shares the process id: the count keeps their names apart.
    static COUNT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = format!("motcua_t{}_{n}_{nanos}", std::process::id());
    let out = Command::new("psql")
        .args([&admin, "-q", "-c", &format!("CREATE DATABASE {name}")])
        .output()
        .expect("psql (postgresql-client) is installed by the test command");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let base = admin.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap();
    Some(format!("{base}/{name}"))
}
