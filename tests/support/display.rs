//! A virtual X display of one window's own: each window test runs on its own Xvfb server, so
//! windows run side by side without taking each other's focus or pictures, and a test that
//! waits on a clock holds up no other.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

pub struct Display {
    server: Child,
    /// The value for `DISPLAY`, such as `:3`.
    pub name: String,
}

impl Display {
    /// Starts Xvfb on the first free display number (the server picks it and writes it to
    /// its standard output, so two tests starting at once cannot pick the same one), with a
    /// screen larger than any window size the tests use.
    pub fn start() -> Display {
        let mut server = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1920x1080x24",
                "-nolisten",
                "tcp",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start Xvfb ({e}): run the test command, which installs it")
            });
        let mut line = String::new();
        let stdout = server.stdout.take().expect("Xvfb's standard output");
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("Xvfb's display number");
        let number = line.trim();
        assert!(
            !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()),
            "Xvfb did not say its display number: {line:?}"
        );
        Display {
            name: format!(":{number}"),
            server,
        }
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}
