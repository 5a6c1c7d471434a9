//! Opening a written file (a receipt, a form, an export) in the program the system uses for
//! its kind, the way a double click would. No shell sits in between: a file name holding
//! `& | ^ % !` or a quote is a name, never a command.
// Windows API calls are foreign functions: the one place `unsafe` is allowed.
#![allow(unsafe_code)]

use std::path::Path;

/// Asks the system to open `path` with its default program; returns once the request is
/// handed over (the viewer keeps running on its own).
pub fn open(path: &Path) -> std::io::Result<()> {
    platform::open(path)
}

#[cfg(windows)]
mod platform {
    use std::os::windows::ffi::OsStrExt;
    use std::path::Path;

    use windows_sys::Win32::System::Com::{
        CoInitializeEx, CoUninitialize, COINIT_APARTMENTTHREADED, COINIT_DISABLE_OLE1DDE,
    };
    use windows_sys::Win32::UI::Shell::ShellExecuteW;
    use windows_sys::Win32::UI::WindowsAndMessaging::SW_SHOWNORMAL;

    fn wide(s: &std::ffi::OsStr) -> Vec<u16> {
        s.encode_wide().chain(std::iter::once(0)).collect()
    }

    pub fn open(path: &Path) -> std::io::Result<()> {
        let file = wide(path.as_os_str());
        let verb = wide(std::ffi::OsStr::new("open"));
        // ShellExecute may hand the file to a handler that uses COM, which wants a
        // single-threaded apartment: a thread of its own gives it one whatever thread
        // (a Tauri worker, the CLI's runtime) asked.
        let code = std::thread::spawn(move || {
            // SAFETY: the apartment is initialised and uninitialised on this thread only;
            // both strings are NUL-terminated UTF-16 that outlive the call; the other
            // pointers may be null per the API.
            unsafe {
                let com = CoInitializeEx(
                    std::ptr::null(),
                    (COINIT_APARTMENTTHREADED | COINIT_DISABLE_OLE1DDE) as u32,
                );
                let result = ShellExecuteW(
                    std::ptr::null_mut(),
                    verb.as_ptr(),
                    file.as_ptr(),
                    std::ptr::null(),
                    std::ptr::null(),
                    SW_SHOWNORMAL,
                );
                if com >= 0 {
                    CoUninitialize();
                }
                result as isize
            }
        })
        .join()
        .map_err(|_| std::io::Error::other("ShellExecuteW"))?;
        // Above 32 is success; at or below, one of the documented error codes, which are
        // Win32 error numbers for the common cases (2: not found, 5: access denied).
        if code > 32 {
            Ok(())
        } else {
            Err(std::io::Error::from_raw_os_error(code as i32))
        }
    }
}

#[cfg(not(windows))]
mod platform {
    use std::path::Path;
    use std::process::{Command, Stdio};

    pub fn open(path: &Path) -> std::io::Result<()> {
        let program = if cfg!(target_os = "macos") {
            "open"
        } else {
            "xdg-open"
        };
        // Handed over as one argument, not through a shell; the child is not waited for.
        Command::new(program)
            .arg(path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map(drop)
    }
}
