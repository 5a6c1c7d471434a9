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
