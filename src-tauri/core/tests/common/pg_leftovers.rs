//! Test databases left on the PostgreSQL server by test processes that have ended.
//!
//! Each test makes its own database, named `motcua_t<pid>_…` after its process. The test
//! command's private server is thrown away at its end, but a developer's long-lived server
//! keeps every database a run made (hundreds per run, gigabytes in a week). A test process
//! cannot drop its own at exit (tests never learn that they were the last), so the first
//! database each process makes first drops those of processes that no longer run.

use std::process::Command;
use std::sync::Once;

/// Drops, once per test process, the test databases of processes that are gone.
pub fn drop_those_of_ended_runs(admin: &str) {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let listed = Command::new("psql")
            .args([
                admin,
                "-Atqc",
                "SELECT datname FROM pg_database WHERE datname LIKE 'motcua\\_t%'",
            ])
            .output();
        let Ok(listed) = listed else { return };
        for name in String::from_utf8_lossy(&listed.stdout).lines() {
            if ended(name) {
                // Another process sweeping at the same time may have dropped it already.
                let _ = Command::new("psql")
                    .args([
                        admin,
                        "-qc",
                        &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
                    ])
                    .output();
            }
        }
    });
}

/// Whether the process a test database is named after has ended (Linux's /proc; elsewhere
/// nothing is dropped).
fn ended(name: &str) -> bool {
    let Some(pid) = name
        .strip_prefix("motcua_t")
        .and_then(|rest| rest.split('_').next())
        .and_then(|pid| pid.parse::<u32>().ok())
    else {
        return false;
    };
    std::path::Path::new("/proc/self").exists()
        && !std::path::Path::new(&format!("/proc/{pid}")).exists()
}
