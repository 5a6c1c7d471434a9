//! A PostgreSQL cluster of the test's own, started and stopped at will (to see a desk go
//! offline and come back), or serving TLS only with a certificate signed by a CA made for
//! the test. It runs as the `postgres` user, so the tests need root, as the test command
//! and CI have. Shared by the core's and the window's tests through `#[path]`.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

pub fn run(cmd: &str, args: &[&str]) {
    let out = Command::new(cmd).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{cmd} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The certificates of a TLS-only server: the CA that signed the server's certificate (for
/// 127.0.0.1 and localhost), and another CA that did not.
pub struct TlsFiles {
    pub ca: PathBuf,
    pub other_ca: PathBuf,
}

/// A PostgreSQL cluster of the test's own on a free port, so that it can be stopped.
pub struct PrivateServer {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    tls: Option<TlsFiles>,
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A self-signed CA `name.crt` (P-256) with its key.
fn make_ca(dir: &Path, name: &str) {
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            &format!("{name}.key"),
            "-out",
            &format!("{name}.crt"),
            "-days",
            "3",
            "-subj",
            &format!("/CN=Mot Cua test {name}"),
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ],
    );
}

impl PrivateServer {
    pub fn start_new() -> Option<PrivateServer> {
        let server = Self::init()?;
        server.start();
        Some(server)
    }

    /// A server that accepts only TLS connections over TCP (`hostssl` alone in pg_hba):
    /// a plain connection is refused. Trust authentication, as the test clusters have.
    pub fn start_tls() -> Option<PrivateServer> {
        let mut server = Self::init()?;
        let tls = server.dir.path().join("tls");
        std::fs::create_dir_all(&tls).unwrap();
        make_ca(&tls, "ca");
        make_ca(&tls, "other-ca");
        std::fs::write(
            tls.join("server.ext"),
            "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n\
             keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
        )
        .unwrap();
        openssl(
            &tls,
            &[
                "req",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
                "-subj",
                "/CN=localhost",
            ],
        );
        openssl(
            &tls,
            &[
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                "server.crt",
                "-days",
                "3",
                "-extfile",
                "server.ext",
            ],
        );
        run(
            "chown",
            &["postgres", tls.join("server.key").to_str().unwrap()],
        );
        run(
            "chown",
            &["postgres", tls.join("server.crt").to_str().unwrap()],
        );
        run("chmod", &["600", tls.join("server.key").to_str().unwrap()]);
        std::fs::write(
            Path::new(&server.data()).join("pg_hba.conf"),
            "local all all trust\nhostssl all all 127.0.0.1/32 trust\n",
        )
        .unwrap();
        server.tls = Some(TlsFiles {
            ca: tls.join("ca.crt"),
            other_ca: tls.join("other-ca.crt"),
        });
        server.start();
        Some(server)
    }

    fn init() -> Option<PrivateServer> {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|e| e.ok())
            .map(|e| e.path().join("bin"))
            .filter(|p| p.join("pg_ctl").exists())
            .max()?;
        let dir = tempfile::tempdir().unwrap();
        run("chown", &["postgres", dir.path().to_str().unwrap()]);
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let server = PrivateServer {
            dir,
            bin,
            port,
            tls: None,
        };
        server.pg(&[
            "initdb",
            "-D",
            &server.data(),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ]);
        Some(server)
    }

    pub fn data(&self) -> String {
        self.dir.path().join("data").to_string_lossy().into_owned()
    }

    pub fn pg(&self, args: &[&str]) {
        let tool = self.bin.join(args[0]);
        let mut all = vec!["-u", "postgres", "--", tool.to_str().unwrap()];
        all.extend_from_slice(&args[1..]);
        run("runuser", &all);
    }

    pub fn start(&self) {
        let mut options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1",
            self.port,
            self.dir.path().display()
        );
        if self.tls.is_some() {
            let tls = self.dir.path().join("tls");
            options.push_str(&format!(
                " -c ssl=on -c ssl_cert_file={} -c ssl_key_file={}",
                tls.join("server.crt").display(),
                tls.join("server.key").display()
            ));
        }
        let log = self.dir.path().join("log");
        self.pg(&[
            "pg_ctl",
            "-D",
            &self.data(),
            "-l",
            log.to_str().unwrap(),
            "-w",
            "-o",
            &options,
            "start",
        ]);
    }

    pub fn stop(&self) {
        self.pg(&["pg_ctl", "-D", &self.data(), "-m", "fast", "-w", "stop"]);
    }

    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn tls(&self) -> Option<&TlsFiles> {
        self.tls.as_ref()
    }

    /// `database` as `role`; on a TLS server, verified against the test CA.
    pub fn url_as(&self, role: &str, database: &str) -> String {
        let base = format!("postgres://{role}@127.0.0.1:{}/{database}", self.port);
        match &self.tls {
            Some(tls) => format!(
                "{base}?sslmode=verify-full&sslrootcert={}",
                tls.ca.display()
            ),
            None => base,
        }
    }

    /// `sql` run by `psql` as `role` over TCP (TLS when the server has it), each statement
    /// on its own (CREATE DATABASE cannot share a transaction), stopping at the first error.
    pub fn psql(&self, role: &str, database: &str, sql: &str) -> Output {
        use std::io::Write;
        let mut child = Command::new("psql")
            .arg(self.url_as(role, database))
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut input = child.stdin.take().unwrap();
        input.write_all(sql.as_bytes()).unwrap();
        input.write_all(b";\n").unwrap();
        drop(input);
        child.wait_with_output().unwrap()
    }
}

impl Drop for PrivateServer {
    fn drop(&mut self) {
        let _ = Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(self.bin.join("pg_ctl"))
            .args(["-D", &self.data(), "-m", "immediate", "stop"])
            .output();
    }
}
