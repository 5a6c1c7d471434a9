//! The desk window on a Windows without the WebView2 runtime (Wine has none): the clerk gets a
//! message saying what to install, and the program ends cleanly with a failure code, with
//! no crash dialog.

use std::process::Stdio;
use std::time::{Duration, Instant};

use super::support::{self, WinDesk, SETUP};

/// X windows whose title is exactly `title`.
fn windows_named(title: &str) -> Vec<String> {
    let out = std::process::Command::new("xdotool")
        .args(["search", "--name", &format!("^{title}$")])
        .output()
        .expect("xdotool (Debian's xdotool package)");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn without_webview2_the_window_says_what_to_install_and_exits() {
    let Some(app) = support::app() else { return };
    assert!(
        std::env::var_os("DISPLAY").is_some(),
        "the window test needs an X display (the test command starts one)"
    );
    let _display = super::linux::window::the_display();
    let desk = WinDesk::new("cua so");
    app.ok(&desk.args(&SETUP));
    // Standard error into a file: a pipe would stay open as long as Wine's server runs
    // (see `support::WineOutput`).
    let stderr_file = desk.dir.path().join("stderr");
    let mut child = app
        .cmd(&["--db", &desk.db])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&stderr_file).unwrap())
        .spawn()
        .unwrap();

    // The message box, titled with the app's name, waits for the clerk's OK.
    let deadline = Instant::now() + Duration::from_secs(90);
    let boxes = loop {
        let found = windows_named("Một Cửa");
        if !found.is_empty() {
            break found;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("motcua.exe ended ({status}) without showing its message");
        }
        assert!(Instant::now() < deadline, "no message box within 90 s");
        std::thread::sleep(Duration::from_millis(300));
    };
    // Still waiting for the clerk: the box is what stands between start and exit.
    std::thread::sleep(Duration::from_millis(500));
    assert!(child.try_wait().unwrap().is_none(), "exited before the OK");
    for window in &boxes {
        let _ = std::process::Command::new("xdotool")
            .args([
                "windowfocus",
                "--sync",
                window,
                "key",
                "--clearmodifiers",
                "Return",
            ])
            .status();
    }

    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "still running after the OK");
        std::thread::sleep(Duration::from_millis(200));
    };
    let stderr = std::fs::read_to_string(&stderr_file).unwrap();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("WebView2 Runtime"), "{stderr}");
    assert!(
        stderr.contains("Evergreen Standalone Installer"),
        "{stderr}"
    );
    assert!(!stderr.contains("internal error"), "{stderr}");
    // Wine names its crash dialog after the program; a clean exit leaves none.
    assert!(windows_named("Program Error").is_empty());
}
