//! Running the Windows build under Wine: a fresh Wine prefix per test run, the installer run
//! silently into it (or a bare exe copied in while developing), and `motcua.exe` run like a
//! clerk's IT person would run it from `cmd`.
//!
//! `MOTCUA_WINDOWS_INSTALLER` names the installer that `src-tauri/windows/build.sh` built
//! (`tests/run-all.sh` sets it); `MOTCUA_WINDOWS_EXE` a bare `motcua.exe` instead, for quick
//! iterations. With neither, the Windows tests say so and pass, unless `MOTCUA_REQUIRE_WINE` is
//! set (the test command sets it), when they fail.

#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

/// The Linux build of the same sources: what the Windows build must match byte for byte.
pub const LINUX_BIN: &str = env!("CARGO_BIN_EXE_motcua");

/// Where prefixes and built helpers live: under the target folder, so nothing is left in /tmp.
const WORK: &str = env!("CARGO_TARGET_TMPDIR");

/// A Wine prefix of its own: a Windows installation in a folder.
pub struct Prefix {
    pub path: PathBuf,
}

impl Prefix {
    /// A new prefix in `name` under the test work folder (an old one of that name is removed),
    /// booted, with the `bcryptprimitives.dll` stand-in that Wine 8 lacks.
    pub fn new(name: &str) -> Prefix {
        let path = Path::new(WORK).join("wine").join(name);
        if path.exists() {
            let _ = Command::new("wineserver")
                .arg("-k")
                .env("WINEPREFIX", &path)
                .status();
            std::fs::remove_dir_all(&path).expect("remove the old Wine prefix");
        }
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let prefix = Prefix { path };
        let out = prefix.command("wineboot").arg("-i").output().unwrap();
        assert!(
            out.status.success(),
            "wineboot: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        prefix.wait();
        std::fs::copy(shim(), prefix.system32().join("bcryptprimitives.dll"))
            .expect("install the bcryptprimitives stand-in");
        // Wine links the profile's Desktop, Documents, … to the Linux home folder; real
        // folders keep the installer's shortcuts and the app's exports inside the prefix.
        for entry in std::fs::read_dir(prefix.profile()).unwrap() {
            let path = entry.unwrap().path();
            if path.is_symlink() {
                std::fs::remove_file(&path).unwrap();
                std::fs::create_dir(&path).unwrap();
            }
        }
        prefix
    }

    /// `wine PROGRAM` in this prefix: no debug chatter, no Mono or Gecko prompts, and no
    /// menu entries written into the Linux desktop of whoever runs the tests.
    pub fn command(&self, program: impl AsRef<OsStr>) -> Command {
        let mut c = Command::new("wine");
        c.arg(program)
            .env("WINEPREFIX", &self.path)
            .env("WINEDEBUG", "-all")
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=;winemenubuilder.exe=d")
            .stdin(Stdio::null());
        c
    }

    /// Waits until every process of the prefix has ended (an NSIS uninstaller, for one,
    /// returns before its copy in the temp folder has finished).
    pub fn wait(&self) {
        let _ = Command::new("wineserver")
            .arg("-w")
            .env("WINEPREFIX", &self.path)
            .status();
    }

    pub fn drive_c(&self) -> PathBuf {
        self.path.join("drive_c")
    }

    pub fn system32(&self) -> PathBuf {
        self.drive_c().join("windows").join("system32")
    }

    /// The Wine user's profile folder (`C:\users\<name>`).
    pub fn profile(&self) -> PathBuf {
        let users = self.drive_c().join("users");
        std::fs::read_dir(&users)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.file_name().is_some_and(|n| n != "Public") && p.is_dir())
            .expect("a user profile in the prefix")
    }

    /// `%LOCALAPPDATA%` as a Linux path.
    pub fn local_app_data(&self) -> PathBuf {
        self.profile().join("AppData").join("Local")
    }

    /// Runs the installer silently with `args` and waits for it to finish.
    pub fn install(&self, installer: &Path, args: &[&str]) -> Output {
        let out = self.command(installer).args(args).output().unwrap();
        self.wait();
        out
    }

    /// A COM port of this prefix (`COM<n>`) that leads to the Linux device `device`.
    pub fn map_com_port(&self, n: u32, device: &Path) {
        let link = self.path.join("dosdevices").join(format!("com{n}"));
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(device, link).unwrap();
    }
}

impl Drop for Prefix {
    fn drop(&mut self) {
        let _ = Command::new("wineserver")
            .arg("-k")
            .env("WINEPREFIX", &self.path)
            .status();
    }
}

/// Running a Wine program to its end with its output in files, not pipes. The program that
/// starts a prefix's Wine server hands the server its standard output and error, and the
/// server keeps them until it ends, three seconds after its last program: waiting for the
/// end of a pipe cost those seconds on nearly every command.
pub trait WineOutput {
    /// `Command::output` through files.
    fn wine_output(&mut self) -> Output;
    /// The same with `input` on standard input.
    fn wine_output_with(&mut self, input: &[u8]) -> Output;
}

impl WineOutput for Command {
    fn wine_output(&mut self) -> Output {
        run_through_files(self, None)
    }

    fn wine_output_with(&mut self, input: &[u8]) -> Output {
        run_through_files(self, Some(input))
    }
}

fn run_through_files(cmd: &mut Command, input: Option<&[u8]>) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let (out, err) = (dir.path().join("stdout"), dir.path().join("stderr"));
    cmd.stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap());
    if input.is_some() {
        cmd.stdin(Stdio::piped());
    }
    let mut child = cmd.spawn().unwrap();
    if let Some(input) = input {
        // Dropped at the end of the statement: the program sees the end of its input.
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    let status = child.wait().unwrap();
    Output {
        status,
        stdout: std::fs::read(&out).unwrap(),
        stderr: std::fs::read(&err).unwrap(),
    }
}

/// A Linux path as the Windows program sees it: through Wine's `Z:` drive.
pub fn windows_path(p: &Path) -> String {
    let abs = std::path::absolute(p).unwrap();
    format!("Z:{}", abs.to_string_lossy().replace('/', "\\"))
}

/// A test program or DLL from a C file in `tests/windows/`, built with mingw-w64 into the
/// work folder.
pub fn mingw(source: &str, output: &str, flags: &[&str]) -> PathBuf {
    let out = Path::new(WORK).join(output);
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/windows")
        .join(source);
    let status = Command::new("x86_64-w64-mingw32-gcc")
        .arg("-O2")
        .args(flags)
        .arg("-o")
        .arg(&out)
        .arg(source)
        .args(["-ladvapi32"])
        .status()
        .expect("x86_64-w64-mingw32-gcc (Debian's gcc-mingw-w64-x86-64)");
    assert!(status.success(), "building {output}");
    out
}

/// The stand-in DLL, built once per run.
fn shim() -> &'static Path {
    static SHIM: OnceLock<PathBuf> = OnceLock::new();
    SHIM.get_or_init(|| {
        mingw(
            "bcryptprimitives.c",
            "bcryptprimitives.dll",
            &["-shared", "-Wl,--kill-at"],
        )
    })
}

/// The WebView2 SDK's loader, which the exe imports and the installer ships beside it.
const WEBVIEW2_LOADER: &str = "WebView2Loader.dll";

/// The loader for a bare exe: beside it, or where the build left it in the target folder.
fn webview2_loader(exe: &Path) -> PathBuf {
    let dir = exe.parent().unwrap();
    let beside = dir.join(WEBVIEW2_LOADER);
    if beside.is_file() {
        return beside;
    }
    std::fs::read_dir(dir.join("build"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path().join("out").join("x64").join(WEBVIEW2_LOADER))
        .find(|p| p.is_file())
        .expect("WebView2Loader.dll beside the exe or in its build folder")
}

/// The app installed in a prefix of its own, shared by every test of the run.
pub struct App {
    pub prefix: Prefix,
    pub exe: PathBuf,
}

/// Where the installer puts the app for the current user.
pub fn installed_exe(prefix: &Prefix) -> PathBuf {
    prefix
        .local_app_data()
        .join("Programs")
        .join("MotCua")
        .join("motcua.exe")
}

/// The installer under test, if the test command built one.
pub fn installer() -> Option<PathBuf> {
    let path = std::env::var_os("MOTCUA_WINDOWS_INSTALLER").map(PathBuf::from);
    require(path.is_some(), "MOTCUA_WINDOWS_INSTALLER");
    path
}

fn require(present: bool, what: &str) {
    if present {
        return;
    }
    assert!(
        std::env::var_os("MOTCUA_REQUIRE_WINE").is_none(),
        "MOTCUA_REQUIRE_WINE is set but {what} is not: run `bash src-tauri/windows/build.sh` \
         and set MOTCUA_WINDOWS_INSTALLER to the path it prints"
    );
    eprintln!("skipped: no Windows build ({what} is not set)");
}

/// The shared installed app, or `None` (the test then returns) when no Windows build was
/// given and none is required.
pub fn app() -> Option<&'static App> {
    static APP: OnceLock<Option<App>> = OnceLock::new();
    APP.get_or_init(|| {
        let exe = std::env::var_os("MOTCUA_WINDOWS_EXE").map(PathBuf::from);
        let installer = std::env::var_os("MOTCUA_WINDOWS_INSTALLER").map(PathBuf::from);
        require(
            exe.is_some() || installer.is_some(),
            "MOTCUA_WINDOWS_INSTALLER",
        );
        let prefix = Prefix::new("shared");
        let exe = match (installer, exe) {
            (Some(installer), _) => {
                let out = prefix.install(&installer, &["/S", "/CURRENTUSER"]);
                assert!(out.status.success(), "silent install failed: {out:?}");
                installed_exe(&prefix)
            }
            (None, Some(exe)) => {
                let dir = prefix.drive_c().join("MotCua");
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::copy(&exe, dir.join("motcua.exe")).unwrap();
                std::fs::copy(webview2_loader(&exe), dir.join(WEBVIEW2_LOADER)).unwrap();
                dir.join("motcua.exe")
            }
            (None, None) => return None,
        };
        assert!(exe.is_file(), "no {} after installing", exe.display());
        Some(App { prefix, exe })
    })
    .as_ref()
}

impl App {
    /// `motcua.exe ARGS` under Wine.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = self.prefix.command(&self.exe);
        c.args(args);
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).wine_output()
    }

    pub fn run_stdin(&self, args: &[&str], input: &[u8]) -> Output {
        self.cmd(args).wine_output_with(input)
    }

    /// Runs and insists on success; returns standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "motcua.exe {args:?} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("UTF-8 output")
    }
}

/// A database in a temporary folder, named for the Windows side by its `Z:` path.
pub struct WinDesk {
    pub dir: tempfile::TempDir,
    /// The database file as a Linux path.
    pub file: PathBuf,
    /// `--db` for motcua.exe.
    pub db: String,
}

impl WinDesk {
    /// A new database under `sub` (may hold Vietnamese letters and spaces) in a fresh folder.
    pub fn new(sub: &str) -> WinDesk {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join(sub);
        std::fs::create_dir_all(&folder).unwrap();
        let file = folder.join("desk.db");
        let db = windows_path(&file);
        WinDesk { dir, file, db }
    }

    /// `--db <this> ARGS…`
    pub fn args<'a>(&'a self, args: &[&'a str]) -> Vec<&'a str> {
        let mut all = vec!["--db", self.db.as_str()];
        all.extend_from_slice(args);
        all
    }
}

/// The agency every Windows test sets up: the Linux tests' own.
pub use super::linux::SETUP;
