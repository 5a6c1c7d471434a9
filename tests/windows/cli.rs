//! The command line of the installed `motcua.exe`: the same results as the Linux build,
//! Vietnamese intact on the way in and out, exit codes and errors as documented.

use super::support::{self, LINUX_BIN};

#[test]
fn calendar_matches_the_linux_build_byte_for_byte() {
    let Some(app) = support::app() else { return };
    for args in [
        &["calendar", "days", "2026"][..],
        &["--lang", "en", "calendar", "days", "2026"][..],
    ] {
        let windows = app.run(args);
        let linux = std::process::Command::new(LINUX_BIN)
            .args(args)
            .output()
            .unwrap();
        assert!(windows.status.success(), "{:?}", windows);
        assert_eq!(windows.status.code(), linux.status.code());
        assert_eq!(
            String::from_utf8_lossy(&windows.stdout),
            String::from_utf8_lossy(&linux.stdout),
            "{args:?}"
        );
    }
}
