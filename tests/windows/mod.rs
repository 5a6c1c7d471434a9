//! The Windows build (`src-tauri/windows/build.sh`) under Wine, in the desk's test binary
//! (`tests/main.rs`). `support` runs the installer into a Wine prefix and
//! `motcua.exe` in it; see there for the environment these tests need.

mod support;

/// The Linux tests' helpers: sample requests, PDFs read back, QR codes decoded.
use crate::support as linux;

mod cli;
mod installer;
mod print;
mod serial;
mod window;

/// Starts the shared set-up (`support::app`: a Wine prefix booted and the installer run into
/// it) on a thread of its own, once, when the Windows build is given and this run includes
/// the Windows tests. It takes about twenty seconds, most of them waiting on Wine, and every
/// Windows test needs it: begun by the run's first test, it is ready when they start, instead
/// of four of them holding the run's four places while they wait for it side by side.
pub fn set_up_early() {
    // Decided once: every test's `Desk::new` comes here.
    static STARTED: std::sync::Once = std::sync::Once::new();
    STARTED.call_once(|| {
        if std::env::var_os("MOTCUA_WINDOWS_INSTALLER").is_some() && run_includes_these_tests() {
            // A failure here is reported again, in full, by the first Windows test.
            std::thread::spawn(support::app);
        }
    });
}

/// Whether the test filters on the command line (none, or any that names this module's
/// tests) let the Windows tests run.
fn run_includes_these_tests() -> bool {
    let mut filters = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if [
            "--skip",
            "--logfile",
            "--format",
            "--color",
            "--test-threads",
            "-Z",
        ]
        .contains(&arg.as_str())
        {
            args.next();
        } else if !arg.starts_with('-') {
            filters.push(arg);
        }
    }
    filters.is_empty()
        || filters.iter().any(|f| {
            f.starts_with("built_for_windows") || "built_for_windows::".contains(f.as_str())
        })
}
