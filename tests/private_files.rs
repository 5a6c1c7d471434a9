//! Files with personal data are their owner's alone whatever the umask: with umask 022 the
//! real `motcua` is set up, registers a dossier, prints its receipt and a form, exports the
//! report, backs up and restores, and after each step every file in the data folder is
//! 0600 and every folder 0700 (checked with the modes, not by reading: tests run as root).
//! Folders and files left wide by older versions are tightened when the desk next opens.

#![cfg(unix)]

use crate::support;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use support::{birth, Desk, SETUP};

/// A desk on the default database in the data folder (no `--db`), under a new home.
struct Home {
    desk: Desk,
}

impl Home {
    fn new() -> Home {
        Home { desk: Desk::new() }
    }

    fn data(&self) -> PathBuf {
        self.desk.path("data").join("motcua")
    }

    fn cmd(&self, args: &[&str]) -> Command {
        // What most systems give a user; each command starts with it.
        let mut cmd = self.desk.cmd_with_umask(0o022);
        cmd.env_remove("MOTCUA_DB").args(args);
        cmd
    }

    /// A long-running command, started once it has said its first line.
    fn spawn(&self, args: &[&str]) -> std::process::Child {
        use std::io::BufRead;
        let mut child = self
            .cmd(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert!(!line.is_empty(), "motcua {args:?} did not start");
        child
    }

    fn run(&self, args: &[&str], stdin: &str) -> Output {
        support::output_with_stdin(&mut self.cmd(args), stdin)
    }

    fn ok(&self, args: &[&str]) -> String {
        self.ok_with(args, "")
    }

    fn ok_with(&self, args: &[&str], stdin: &str) -> String {
        let out = self.run(args, stdin);
        assert!(
            out.status.success(),
            "motcua {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Every file and folder under `dir`, `dir` included.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut all = vec![dir.to_path_buf()];
    let mut i = 0;
    while i < all.len() {
        if all[i].is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(&all[i])
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            inside.sort();
            all.extend(inside);
        }
        i += 1;
    }
    all
}

/// Every folder under `dir` is 0700 and every file 0600; returns the files, for the
/// caller to check that what it expects is there.
fn assert_private(dir: &Path, step: &str) -> Vec<String> {
    let mut files = Vec::new();
    for path in walk(dir) {
        let want = if path.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(
            mode(&path),
            want,
            "after {step}: {} is {:o}",
            path.display(),
            mode(&path)
        );
        if path.is_file() {
            files.push(
                path.strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
            );
        }
    }
    files
}

fn has(files: &[String], pred: impl Fn(&str) -> bool, what: &str) {
    assert!(files.iter().any(|f| pred(f)), "no {what} in {files:?}");
}

#[test]
fn every_file_with_personal_data_is_private_whatever_the_umask() {
    let home = Home::new();
    let data = home.data();
    home.ok(&SETUP);
    let files = assert_private(&data, "set-up");
    has(&files, |f| f == "motcua.db", "database");

    // The write-ahead log and shared memory exist while a desk has the database open (the
    // last one to close folds them back): the status page keeps it open meanwhile.
    let mut server = home.spawn(&["serve", "--bind", "127.0.0.1:0"]);
    let d: serde_json::Value = serde_json::from_str(&home.ok_with(
        &["intake", "-"],
        &birth("Nguyễn Văn An", "2027-03-03T09:00:00+07:00").to_string(),
    ))
    .unwrap();
    let code = d["code"].as_str().unwrap().to_string();
    let files = assert_private(&data, "intake");
    let _ = server.kill();
    let _ = server.wait();
    has(&files, |f| f == "motcua.db-wal", "WAL");
    has(&files, |f| f == "motcua.db-shm", "shared memory");

    // Exports go to a folder the clerk chose, which stays as it is; the files do not.
    let exports = home.desk.path("exports");
    std::fs::create_dir(&exports).unwrap();
    chmod(&exports, 0o755);
    let out = |name: &str| exports.join(name).to_string_lossy().into_owned();
    home.ok(&["receipt", &code, "--out", &out("receipt.pdf")]);
    home.ok(&[
        "form",
        &code,
        "--form",
        "control",
        "--out",
        &out("form.pdf"),
    ]);
    let files = assert_private(&data, "receipt and form");
    has(
        &files,
        |f| f.starts_with("receipts/2027/"),
        "archived receipt",
    );
    has(&files, |f| f.starts_with("forms/2027/"), "archived form");
    for format in ["json", "csv", "xlsx", "pdf"] {
        home.ok(&[
            "report",
            "--from",
            "2027-03-01",
            "--to",
            "2027-03-31",
            "--format",
            format,
            "--out",
            &out(&format!("report.{format}")),
        ]);
    }
    let exported: Vec<PathBuf> = walk(&exports).into_iter().skip(1).collect();
    assert_eq!(exported.len(), 6, "{exported:?}");
    for file in &exported {
        assert_eq!(mode(file), 0o600, "{}", file.display());
    }
    assert_eq!(mode(&exports), 0o755, "a chosen folder is left as it was");

    let made: serde_json::Value = serde_json::from_str(&home.ok(&["backup"])).unwrap();
    home.ok(&["backup", "--daily"]);
    home.ok(&["backup", "--out", &out("copy.db")]);
    assert_eq!(mode(&exports.join("copy.db")), 0o600);
    let files = assert_private(&data, "backup");
    has(
        &files,
        |f| f.starts_with("backups/motcua-20"),
        "daily backup",
    );

    home.ok(&["restore", made["path"].as_str().unwrap()]);
    let files = assert_private(&data, "restore");
    has(
        &files,
        |f| f.starts_with("backups/before-restore-"),
        "pre-restore backup",
    );
    // Nothing of the staged restore is left behind.
    assert!(!files.iter().any(|f| f.contains(".restore-")), "{files:?}");
}

#[test]
fn a_data_folder_left_wide_is_tightened_when_the_desk_opens_it() {
    let home = Home::new();
    let data = home.data();
    home.ok(&SETUP);
    home.ok_with(
        &["intake", "-"],
        &birth("Lê Thị Bình", "2027-03-03T09:00:00+07:00").to_string(),
    );
    // As versions that followed the umask left them.
    chmod(&data, 0o755);
    for name in ["motcua.db", "motcua.db-wal", "motcua.db-shm"] {
        if data.join(name).exists() {
            chmod(&data.join(name), 0o644);
        }
    }
    home.ok(&["list", "--date", "2027-03-03"]);
    assert_private(&data, "opening a wide folder");
}
