//! On Windows the desk window is drawn by Microsoft's WebView2 runtime. Windows 10 and 11
//! ship it, but an office machine that was never updated, or one where it was removed, lacks
//! it, and the window would then fail deep inside its first frame. So the window asks first,
//! and where the runtime is missing says in plain words what to install, and exits cleanly.
//! The command line needs no runtime and keeps working.
// Windows API calls are foreign functions: the one place `unsafe` is allowed.
#![allow(unsafe_code)]

use motcua_core::i18n::{t, Lang};

/// The installed runtime's version, or `None` when there is none.
#[cfg(windows)]
pub fn installed_version() -> Option<String> {
    use webview2_com::Microsoft::Web::WebView2::Win32::GetAvailableCoreWebView2BrowserVersionString;
    use windows_core::{PCWSTR, PWSTR};

    let mut version = PWSTR::null();
    // SAFETY: a null folder asks for the installed (evergreen or configured) runtime; on
    // success `version` points to a string the loader allocated, which `take_pwstr` copies
    // and frees.
    unsafe { GetAvailableCoreWebView2BrowserVersionString(PCWSTR::null(), &mut version) }.ok()?;
    let version = webview2_com::take_pwstr(version);
    (!version.is_empty()).then_some(version)
}

/// Other systems draw the window with their own web view (WebKitGTK on Linux).
#[cfg(not(windows))]
pub fn installed_version() -> Option<String> {
    Some(String::new())
}

/// What the desk says when the runtime is missing: Vietnamese first, then English for the
/// IT person who may not read it.
pub fn missing_message() -> String {
    format!(
        "{}\n\n{}",
        t(Lang::Vi, "window.webview2_missing"),
        t(Lang::En, "window.webview2_missing")
    )
}

/// Shows `text` where a person starting the desk from the Start menu will see it (a message
/// box on Windows), and on the standard error stream for a caller with a console.
pub fn alert(text: &str) {
    eprintln!("motcua: {text}");
    #[cfg(windows)]
    {
        use windows_sys::Win32::UI::WindowsAndMessaging::{MessageBoxW, MB_ICONERROR, MB_OK};
        let wide = |s: &str| {
            s.encode_utf16()
                .chain(std::iter::once(0))
                .collect::<Vec<u16>>()
        };
        let body = wide(text);
        let title = wide("Một Cửa");
        // SAFETY: both strings are NUL-terminated UTF-16 alive for the call; no owner window.
        unsafe {
            MessageBoxW(
                std::ptr::null_mut(),
                body.as_ptr(),
                title.as_ptr(),
                MB_OK | MB_ICONERROR,
            );
        }
    }
}
