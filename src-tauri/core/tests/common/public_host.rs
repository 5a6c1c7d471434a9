//! A public host for the public status tests, shared by the core's and the desk's test
//! binaries: a real nginx from Debian (its WebDAV module) on a free loopback port in a
//! temporary folder, the files it holds, and headless Chromium to open what a citizen's phone
//! would.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::private_server::is_root;

pub const NGINX: &str = "/usr/sbin/nginx";
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// A tool from Debian's packages, or `None` (with a note) when it is missing and the test
/// command did not ask for it with `require`.
pub fn tool(path: &'static str, require: &str, package: &str) -> Option<&'static str> {
    if Path::new(path).exists() {
        return Some(path);
    }
    assert!(
        std::env::var(require).is_err(),
        "{require} is set but {path} is missing: apt-get install {package}"
    );
    eprintln!("SKIPPED: {path} is missing (apt-get install {package})");
    None
}

/// nginx serving `www/` with PUT and DELETE allowed, plus `/ro/` where they are not; every
/// path it writes lies in its own temporary folder. Stopped when dropped.
pub struct WebDav {
    child: Child,
    pub addr: SocketAddr,
    pub dir: tempfile::TempDir,
}

impl WebDav {
    pub fn start(nginx: &str) -> WebDav {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for sub in ["www/ro", "tmp", "logs"] {
            std::fs::create_dir_all(root.join(sub)).unwrap();
        }
        let addr = {
            let probe = TcpListener::bind("127.0.0.1:0").unwrap();
            probe.local_addr().unwrap()
        };
        let r = root.display();
        // As root, nginx's workers would become `nobody` and could not write here.
        let user = if is_root() { "user root;" } else { "" };
        let conf = format!(
            "daemon off;\n{user}\nworker_processes 1;\npid {r}/nginx.pid;\nerror_log {r}/logs/error.log;\n\
             events {{ worker_connections 64; }}\n\
             http {{\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n\
               access_log {r}/logs/access.log;\n\
               client_body_temp_path {r}/tmp/body;\n  proxy_temp_path {r}/tmp/proxy;\n\
               fastcgi_temp_path {r}/tmp/fastcgi;\n  uwsgi_temp_path {r}/tmp/uwsgi;\n  scgi_temp_path {r}/tmp/scgi;\n\
               server {{\n    listen {addr};\n    root {r}/www;\n\
                 location / {{ dav_methods PUT DELETE; create_full_put_path on; dav_access user:rw group:r all:r; }}\n\
                 location /ro/ {{ }}\n\
                 location /private/ {{ auth_basic \"dav\"; auth_basic_user_file {r}/htpasswd; dav_methods PUT DELETE; create_full_put_path on; }}\n  }}\n}}\n"
        );
        std::fs::write(root.join("nginx.conf"), conf).unwrap();
        std::fs::write(root.join("htpasswd"), "xa:{PLAIN}mat-khau-dav\n").unwrap();
        let child = Command::new(nginx)
            .arg("-p")
            .arg(root)
            .arg("-c")
            .arg(root.join("nginx.conf"))
            .arg("-e")
            .arg(root.join("logs/error.log"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut dav = WebDav { child, addr, dir };
        let started = Instant::now();
        while TcpStream::connect(addr).is_err() {
            if let Ok(Some(status)) = dav.child.try_wait() {
                panic!(
                    "nginx exited with {status}: {}",
                    std::fs::read_to_string(dav.dir.path().join("logs/error.log"))
                        .unwrap_or_default()
                );
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "nginx did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        dav
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}/{path}", self.addr)
    }

    pub fn www(&self) -> PathBuf {
        self.dir.path().join("www")
    }
}

impl Drop for WebDav {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What headless Chromium built from `url` once its scripts had time to fetch and decrypt.
pub fn rendered(chromium: &str, url: &str) -> String {
    String::from_utf8(chromium_run(chromium, &["--dump-dom", url])).unwrap()
}

pub fn chromium_run(chromium: &str, args: &[&str]) -> Vec<u8> {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            "--virtual-time-budget=10000",
            &format!("--user-data-dir={}", profile.path().display()),
        ])
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "chromium {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

pub fn assert_shows(dom: &str, expected: &[&str]) {
    for e in expected {
        assert!(dom.contains(e), "{e:?} not on the page:\n{dom}");
    }
}

/// Every file under `dir`, recursively, with its bytes.
pub fn files_under(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push((path.clone(), std::fs::read(&path).unwrap()));
        }
    }
    out
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}
