//! The installer that `src-tauri/windows/build.sh` makes, run under Wine into fresh prefixes:
//! silent per-user and per-machine installs, their files, shortcuts and uninstall entries, an
//! upgrade over a running copy, uninstalls that keep the dossiers' data unless `/PURGE` says
//! otherwise, and the version and publisher in the installer's file properties.

use super::support::{self, Prefix, WineOutput};
use std::collections::HashMap;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

const VERSION: &str = env!("CARGO_PKG_VERSION");
const SHORTCUT: &str = "Một Cửa.lnk";
const INSTALLED_FILES: [&str; 4] = [
    "motcua.exe",
    "motcua.com",
    "WebView2Loader.dll",
    "uninstall.exe",
];

fn publisher() -> String {
    let conf: serde_json::Value =
        serde_json::from_str(include_str!("../../tauri.conf.json")).unwrap();
    conf["bundle"]["publisher"].as_str().unwrap().to_string()
}

/// Which hive and which shell folders an install mode uses.
#[derive(Clone, Copy)]
enum Mode {
    CurrentUser,
    AllUsers,
}

impl Mode {
    fn hive(self) -> &'static str {
        match self {
            Mode::CurrentUser => "HKCU",
            Mode::AllUsers => "HKLM",
        }
    }

    fn folder(self, prefix: &Prefix) -> PathBuf {
        match self {
            Mode::CurrentUser => prefix.local_app_data().join("Programs"),
            Mode::AllUsers => prefix.drive_c().join("Program Files"),
        }
        .join("MotCua")
    }

    fn shortcuts(self, prefix: &Prefix) -> [PathBuf; 2] {
        let (programs, desktop) = match self {
            Mode::CurrentUser => (
                prefix.profile().join("AppData/Roaming"),
                prefix.profile().join("Desktop"),
            ),
            Mode::AllUsers => (
                prefix.drive_c().join("ProgramData"),
                prefix.drive_c().join("users/Public/Desktop"),
            ),
        };
        [
            programs
                .join("Microsoft/Windows/Start Menu/Programs")
                .join(SHORTCUT),
            desktop.join(SHORTCUT),
        ]
    }
}

fn install(prefix: &Prefix, installer: &Path, args: &[&str]) {
    let out = prefix.install(installer, args);
    assert_success("installer", args, &out);
}

/// Runs the uninstaller the way `QuietUninstallString` does and waits for its copy in the
/// temp folder, which does the work after the first process has returned.
fn uninstall(prefix: &Prefix, mode: Mode, args: &[&str]) {
    let out = prefix
        .command(mode.folder(prefix).join("uninstall.exe"))
        .args(args)
        .output()
        .unwrap();
    prefix.wait();
    assert_success("uninstaller", args, &out);
}

fn assert_success(what: &str, args: &[&str], out: &Output) {
    assert!(
        out.status.success(),
        "{what} {args:?}: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}

fn run_installed(prefix: &Prefix, mode: Mode, args: &[&str]) -> String {
    run_program(prefix, &mode.folder(prefix).join("motcua.exe"), args)
}

fn run_program(prefix: &Prefix, program: &Path, args: &[&str]) -> String {
    let out = prefix.command(program).args(args).wine_output();
    assert_success(&program.display().to_string(), args, &out);
    String::from_utf8(out.stdout).unwrap()
}

/// `PROGRAM serve` on a free loopback port, once it answers: a copy of the app that runs.
fn start_serving(prefix: &Prefix, program: &Path) -> Child {
    let bind = format!("127.0.0.1:{}", free_port());
    let mut child = prefix
        .command(program)
        .args(["serve", "--bind", &bind])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let address: SocketAddr = bind.parse().unwrap();
    let started = Instant::now();
    while TcpStream::connect_timeout(&address, Duration::from_secs(1)).is_err() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "{} serve ended on its own",
            program.display()
        );
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "{} serve never listened",
            program.display()
        );
        std::thread::sleep(Duration::from_millis(300));
    }
    child
}

/// The app's uninstall entry in the mode's hive, read with `reg export` (`reg query` prints
/// through the console's code page, which loses the Vietnamese letters). `None`: no entry.
fn uninstall_entry(prefix: &Prefix, mode: Mode) -> Option<HashMap<String, String>> {
    let file = prefix.drive_c().join("entry.reg");
    let _ = std::fs::remove_file(&file);
    let key = format!(
        r"{}\Software\Microsoft\Windows\CurrentVersion\Uninstall\MotCua",
        mode.hive()
    );
    let out = prefix
        .command("reg")
        .args(["export", &key, r"C:\entry.reg", "/y"])
        .wine_output();
    if !out.status.success() {
        assert!(!file.exists(), "reg export failed but wrote {file:?}");
        return None;
    }
    let bytes = std::fs::read(&file).unwrap();
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    let text = String::from_utf16(&units).unwrap();
    let mut values = HashMap::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix('"') else {
            continue;
        };
        let (name, value) = rest.split_once("\"=").unwrap();
        let value = match value.strip_prefix('"') {
            Some(quoted) => quoted
                .strip_suffix('"')
                .unwrap()
                .replace("\\\"", "\"")
                .replace("\\\\", "\\"),
            None => value.to_string(),
        };
        values.insert(name.to_string(), value);
    }
    Some(values)
}

/// Files, shortcuts and uninstall entry of an install in `mode`; returns the entry.
fn assert_installed(prefix: &Prefix, mode: Mode) -> HashMap<String, String> {
    let folder = mode.folder(prefix);
    for file in INSTALLED_FILES {
        assert!(folder.join(file).is_file(), "no {file} in {folder:?}");
    }
    let entry = uninstall_entry(prefix, mode).expect("an uninstall entry");
    let location = &entry["InstallLocation"];
    let exe = format!(r"{location}\motcua.exe");
    let uninstaller = format!(r#""{location}\uninstall.exe""#);
    let expected = [
        ("DisplayName", "Một Cửa".to_string()),
        ("DisplayVersion", VERSION.to_string()),
        ("Publisher", publisher()),
        ("DisplayIcon", format!("{exe},0")),
        ("UninstallString", uninstaller.clone()),
        ("QuietUninstallString", format!("{uninstaller} /S")),
        ("NoModify", "dword:00000001".to_string()),
        ("NoRepair", "dword:00000001".to_string()),
    ];
    for (name, value) in expected {
        assert_eq!(entry.get(name), Some(&value), "{name} in {entry:?}");
    }
    let size = entry["EstimatedSize"].strip_prefix("dword:").unwrap();
    let size_kb = u32::from_str_radix(size, 16).unwrap();
    let on_disk: u64 = INSTALLED_FILES
        .iter()
        .map(|f| folder.join(f).metadata().unwrap().len())
        .sum();
    // FileFunc's GetSize rounds down to whole KiB.
    assert_eq!(u64::from(size_kb), on_disk / 1024, "EstimatedSize");

    let exe_utf16: Vec<u8> = exe.encode_utf16().flat_map(u16::to_le_bytes).collect();
    for shortcut in mode.shortcuts(prefix) {
        let bytes = std::fs::read(&shortcut)
            .unwrap_or_else(|e| panic!("shortcut {}: {e}", shortcut.display()));
        assert!(
            contains(&bytes, exe.as_bytes()) || contains(&bytes, &exe_utf16),
            "{} does not point at {exe}",
            shortcut.display()
        );
    }
    entry
}

fn assert_uninstalled(prefix: &Prefix, mode: Mode) {
    let folder = mode.folder(prefix);
    assert!(!folder.exists(), "{folder:?} is still there");
    for shortcut in mode.shortcuts(prefix) {
        assert!(!shortcut.exists(), "{} is still there", shortcut.display());
    }
    assert_eq!(uninstall_entry(prefix, mode), None);
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn data_folder(prefix: &Prefix) -> PathBuf {
    prefix.local_app_data().join("motcua")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn per_user_install_upgrade_and_uninstall_keep_the_data_unless_purged() {
    let Some(installer) = support::installer() else {
        return;
    };
    let prefix = Prefix::new("installer-user");
    let mode = Mode::CurrentUser;
    install(&prefix, &installer, &["/S"]);
    assert_installed(&prefix, mode);
    assert_eq!(uninstall_entry(&prefix, Mode::AllUsers), None);

    let folder = mode.folder(&prefix);
    let exe = std::fs::read(folder.join("motcua.exe")).unwrap();
    let info = version_info(&exe);
    assert_eq!(info.file_version, format!("{VERSION}.0"));
    assert_eq!(subsystem(&exe), IMAGE_SUBSYSTEM_WINDOWS_GUI);
    // motcua.com, for cmd: the same bytes but for the subsystem, a console program.
    let mut com = std::fs::read(folder.join("motcua.com")).unwrap();
    assert_eq!(subsystem(&com), IMAGE_SUBSYSTEM_WINDOWS_CUI);
    let at = optional_header(&com) + SUBSYSTEM;
    com[at..at + 2].copy_from_slice(&IMAGE_SUBSYSTEM_WINDOWS_GUI.to_le_bytes());
    assert!(
        com == exe,
        "motcua.com differs from motcua.exe beyond its subsystem"
    );
    let days = run_installed(&prefix, mode, &["calendar", "days", "2026"]);
    assert!(days.contains("2026"), "{days}");
    assert_eq!(
        run_program(
            &prefix,
            &folder.join("motcua.com"),
            &["calendar", "days", "2026"]
        ),
        days
    );

    // The clerk's first run, on the default database in the data folder.
    run_installed(&prefix, mode, &support::SETUP);
    let database = data_folder(&prefix).join("motcua.db");
    assert!(database.is_file(), "no database at {database:?}");

    // An upgrade while the app runs, from either file: the silent installer ends both
    // copies and replaces the files.
    let mut running = [
        start_serving(&prefix, &folder.join("motcua.exe")),
        start_serving(&prefix, &folder.join("motcua.com")),
    ];
    // Not `install`: waiting for every process of the prefix would wait for a survivor.
    let out = prefix.command(&installer).arg("/S").output().unwrap();
    assert_success("installer", &["/S"], &out);
    let ended = Instant::now();
    while running.iter_mut().any(|c| c.try_wait().unwrap().is_none()) {
        if ended.elapsed() > Duration::from_secs(30) {
            for child in &mut running {
                let _ = child.kill();
            }
            panic!("a running copy survived the upgrade");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    prefix.wait();
    assert_installed(&prefix, mode);
    run_installed(&prefix, mode, &["--version"]);

    uninstall(&prefix, mode, &["/S"]);
    assert_uninstalled(&prefix, mode);
    assert!(database.is_file(), "the uninstaller deleted {database:?}");

    // Installed again, the data is there; /PURGE then removes it.
    install(&prefix, &installer, &["/S", "/CURRENTUSER"]);
    assert_installed(&prefix, mode);
    let shown = run_installed(&prefix, mode, &["--lang", "en", "list", "--json"]);
    assert!(shown.trim_start().starts_with('['), "list: {shown}");
    uninstall(&prefix, mode, &["/S", "/PURGE"]);
    assert_uninstalled(&prefix, mode);
    assert!(
        !data_folder(&prefix).exists(),
        "/PURGE kept the data folder"
    );
}

#[test]
fn per_machine_install_with_allusers() {
    let Some(installer) = support::installer() else {
        return;
    };
    let prefix = Prefix::new("installer-machine");
    let mode = Mode::AllUsers;
    install(&prefix, &installer, &["/S", "/ALLUSERS"]);
    let entry = assert_installed(&prefix, mode);
    assert_eq!(entry["InstallLocation"], r"C:\Program Files\MotCua");
    assert_eq!(uninstall_entry(&prefix, Mode::CurrentUser), None);
    assert!(run_installed(&prefix, mode, &["calendar", "days", "2026"]).contains("2026"));

    run_installed(&prefix, mode, &support::SETUP);
    uninstall(&prefix, mode, &["/S"]);
    assert_uninstalled(&prefix, mode);
    assert!(data_folder(&prefix).join("motcua.db").is_file());
}

#[test]
fn installer_file_properties_give_version_and_publisher() {
    let Some(installer) = support::installer() else {
        return;
    };
    let info = version_info(&std::fs::read(&installer).unwrap());
    assert_eq!(info.file_version, format!("{VERSION}.0"));
    // A string table per language, named language then code page: Vietnamese (0x042A)
    // and English (0x0409).
    let mut languages: Vec<&str> = info.tables.iter().map(|(l, _)| &l[..4]).collect();
    languages.sort_unstable();
    assert_eq!(languages, ["0409", "042a"]);
    for (language, strings) in &info.tables {
        for (key, value) in [
            ("ProductName", "Một Cửa".to_string()),
            ("ProductVersion", VERSION.to_string()),
            ("FileVersion", VERSION.to_string()),
            ("CompanyName", publisher()),
        ] {
            assert_eq!(strings.get(key), Some(&value), "{key} in {language}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// What Explorer shows in a file's properties, read from the PE file itself.

const IMAGE_SUBSYSTEM_WINDOWS_GUI: u16 = 2;
const IMAGE_SUBSYSTEM_WINDOWS_CUI: u16 = 3;
/// Where the subsystem sits in the optional header.
const SUBSYSTEM: usize = 68;

fn u16_at(b: &[u8], at: usize) -> usize {
    usize::from(u16::from_le_bytes([b[at], b[at + 1]]))
}

fn u32_at(b: &[u8], at: usize) -> usize {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]) as usize
}

/// The offset of the optional header.
fn optional_header(pe: &[u8]) -> usize {
    let header = u32_at(pe, 0x3C);
    assert_eq!(&pe[header..header + 4], b"PE\0\0", "not a PE file");
    header + 24
}

fn subsystem(pe: &[u8]) -> u16 {
    u16_at(pe, optional_header(pe) + SUBSYSTEM) as u16
}

/// The bytes of each version resource (RT_VERSION): NSIS writes one per language.
fn version_resources(pe: &[u8]) -> Vec<&[u8]> {
    const RT_VERSION: usize = 16;
    const SUBDIRECTORY: usize = 0x8000_0000;
    let optional = optional_header(pe);
    let coff = optional - 20;
    let sections = optional + u16_at(pe, coff + 16);
    let directories = optional
        + if u16_at(pe, optional) == 0x20B {
            112
        } else {
            96
        };
    let offset = |rva: usize| {
        (0..u16_at(pe, coff + 2))
            .map(|i| sections + 40 * i)
            .find_map(|s| {
                let (size, va) = (u32_at(pe, s + 8), u32_at(pe, s + 12));
                let raw_size = u32_at(pe, s + 16);
                (va <= rva && rva < va + size.max(raw_size)).then(|| rva - va + u32_at(pe, s + 20))
            })
            .expect("an RVA inside a section")
    };
    let root = offset(u32_at(pe, directories + 2 * 8));
    let entries = |directory: usize| {
        let at = root + directory;
        (0..u16_at(pe, at + 12) + u16_at(pe, at + 14))
            .map(|i| (u32_at(pe, at + 16 + 8 * i), u32_at(pe, at + 20 + 8 * i)))
            .collect::<Vec<_>>()
    };
    // Type, then name, then language: the leaves below RT_VERSION.
    let mut pending = vec![
        entries(0)
            .into_iter()
            .find(|(id, _)| *id == RT_VERSION)
            .expect("a version resource")
            .1,
    ];
    let mut leaves = Vec::new();
    while let Some(target) = pending.pop() {
        if target & SUBDIRECTORY != 0 {
            pending.extend(entries(target & !SUBDIRECTORY).into_iter().map(|(_, t)| t));
        } else {
            let data = offset(u32_at(pe, root + target));
            leaves.push(&pe[data..data + u32_at(pe, root + target + 4)]);
        }
    }
    leaves
}

/// One node of VS_VERSIONINFO: a key, a value (text or bytes) and children.
struct Block {
    key: String,
    value: Vec<u8>,
    text: bool,
    children: Vec<Block>,
}

fn align4(n: usize) -> usize {
    (n + 3) & !3
}

fn utf16z(b: &[u8]) -> String {
    let units: Vec<u16> = b
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .take_while(|&u| u != 0)
        .collect();
    String::from_utf16(&units).unwrap()
}

fn block(b: &[u8]) -> Block {
    let length = u16_at(b, 0);
    let text = u16_at(b, 4) == 1;
    let key = utf16z(&b[6..length]);
    let value_start = align4(6 + 2 * (key.encode_utf16().count() + 1));
    let value_length = u16_at(b, 2) * if text { 2 } else { 1 };
    let value_end = (value_start + value_length).min(length);
    let mut children = Vec::new();
    let mut at = align4(value_end);
    while at + 6 <= length {
        let child = u16_at(b, at);
        assert!(child > 0, "an empty version block");
        children.push(block(&b[at..at + child]));
        at = align4(at + child);
    }
    Block {
        key,
        value: b[value_start.min(value_end)..value_end].to_vec(),
        text,
        children,
    }
}

struct VersionInfo {
    /// VS_FIXEDFILEINFO's file version, `a.b.c.d` (the same in every language).
    file_version: String,
    /// Each string table's language-and-code-page key and its strings.
    tables: Vec<(String, HashMap<String, String>)>,
}

fn version_info(pe: &[u8]) -> VersionInfo {
    let mut file_versions = Vec::new();
    let mut tables = Vec::new();
    for resource in version_resources(pe) {
        let root = block(resource);
        assert_eq!(root.key, "VS_VERSION_INFO");
        assert_eq!(u32_at(&root.value, 0), 0xFEEF_04BD, "fixed file info");
        let (ms, ls) = (u32_at(&root.value, 8), u32_at(&root.value, 12));
        file_versions.push(format!(
            "{}.{}.{}.{}",
            ms >> 16,
            ms & 0xFFFF,
            ls >> 16,
            ls & 0xFFFF
        ));
        for table in root
            .children
            .iter()
            .filter(|c| c.key == "StringFileInfo")
            .flat_map(|c| &c.children)
        {
            let strings = table
                .children
                .iter()
                .filter(|s| s.text)
                .map(|s| (s.key.clone(), utf16z(&s.value)))
                .collect();
            tables.push((table.key.to_lowercase(), strings));
        }
    }
    file_versions.dedup();
    assert_eq!(file_versions.len(), 1, "{file_versions:?}");
    VersionInfo {
        file_version: file_versions.remove(0),
        tables,
    }
}
