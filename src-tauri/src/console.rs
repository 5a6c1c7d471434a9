//! The release exe is a Windows GUI program, so that the desk window opens from the Start
//! menu without a console window behind it. Run from `cmd` or PowerShell with a command, it
//! borrows the caller's console so the CLI's output and errors appear there. Rust's standard
//! streams write to a console through `WriteConsoleW`, so Vietnamese letters print whatever
//! the console's code page; piped or redirected output stays UTF-8 bytes.
//!
//! A GUI program does not make an interactive `cmd` wait for it, so the installer also puts
//! `motcua.com` beside `motcua.exe`: the same program marked as a console program, which
//! `cmd` and PowerShell pick first for a bare `motcua` (`.COM` precedes `.EXE` in PATHEXT),
//! wait for, and take the exit code from.
// Windows API calls are foreign functions: the one place `unsafe` is allowed.
#![allow(unsafe_code)]

/// Attaches to the parent's console when there is one and standard output goes nowhere yet.
/// Returns whether a console was attached (always false off Windows, or when the streams
/// were already handed over, e.g. redirected to a file or a pipe).
#[cfg(windows)]
pub fn attach_to_parent() -> bool {
    use windows_sys::Win32::System::Console::{
        AttachConsole, GetStdHandle, ATTACH_PARENT_PROCESS, STD_OUTPUT_HANDLE,
    };
    // SAFETY: GetStdHandle takes a constant and returns a handle or null; nothing is
    // dereferenced.
    let stdout = unsafe { GetStdHandle(STD_OUTPUT_HANDLE) };
    if !stdout.is_null() && stdout != windows_sys::Win32::Foundation::INVALID_HANDLE_VALUE {
        // A console program, or output redirected by the caller: already wired.
        return false;
    }
    // SAFETY: AttachConsole takes a process id constant; failure (no parent console, as
    // when started from Explorer) is reported through its return value only.
    unsafe { AttachConsole(ATTACH_PARENT_PROCESS) != 0 }
}

#[cfg(not(windows))]
pub fn attach_to_parent() -> bool {
    false
}
