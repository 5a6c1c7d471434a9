//! The public status in an S3-compatible bucket: a real S3 server (moto, from PyPI, installed
//! by `tests/run-all.sh` into `/var/tmp/motcua-moto`) started on a free loopback port with
//! authentication on and an account of its own for the desk; the page published and a
//! dossier taken in on a real SQLite store sealed and delivered through `object_store`
//! with the keys from the environment (as `PublicTarget::for_destination_in` reads them);
//! then, the way a phone reads a public bucket, every object fetched anonymously over plain
//! HTTP, opened with the key from the citizen's URL, searched for the code, the name and the
//! key, and the citizen's URL opened in headless Chromium.
//!
//! moto checks signatures against its own accounts but cannot serve anonymous readers
//! while it checks them, so the test turns its checking off (moto's `reset-auth`) before
//! reading as the public and on again before the desk writes.

use crate::common;
use crate::public_host::{assert_shows, chromium_run, contains, rendered, tool, CHROMIUM};
use crate::sealed_status::public_view;

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::{actor, birth_request, fresh_sqlite};
use motcua_core::i18n::{Lang, Localized};
use motcua_core::sealed_status::{self, OfficeKeys, PublicTarget, PublishError};
use motcua_core::status::Status;
use motcua_core::vntime;

const BUCKET: &str = "motcua-tra-cuu";
const PREFIX: &str = "xa-an-binh/";

/// moto's install, or `None` (with a note) when it is missing and the test command did
/// not ask for it with `MOTCUA_REQUIRE_S3`.
fn moto_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(
        std::env::var("MOTCUA_MOTO").unwrap_or_else(|_| "/var/tmp/motcua-moto".into()),
    );
    if dir.join("bin/moto_server").exists() {
        return Some(dir);
    }
    assert!(
        std::env::var("MOTCUA_REQUIRE_S3").is_err(),
        "MOTCUA_REQUIRE_S3 is set but {}/bin/moto_server is missing: tests/run-all.sh installs it",
        dir.display()
    );
    eprintln!(
        "SKIPPED: no S3 server ({}/bin/moto_server is missing; tests/run-all.sh installs it)",
        dir.display()
    );
    None
}

/// Makes the desk's account (allowed all of S3) and the bucket, readable by anyone, then
/// turns authentication on; prints the desk's access key and secret.
const SETUP: &str = r#"
import json, sys, urllib.request
import boto3
endpoint, bucket = sys.argv[1], sys.argv[2]
kw = dict(endpoint_url=endpoint, region_name="us-east-1",
          aws_access_key_id="setup", aws_secret_access_key="setup")
iam = boto3.client("iam", **kw)
iam.create_user(UserName="desk")
key = iam.create_access_key(UserName="desk")["AccessKey"]
iam.put_user_policy(UserName="desk", PolicyName="bucket", PolicyDocument=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
s3 = boto3.client("s3", **kw)
s3.create_bucket(Bucket=bucket)
s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                   "Resource": f"arn:aws:s3:::{bucket}/*"}]}))
urllib.request.urlopen(urllib.request.Request(
    endpoint + "/moto-api/reset-auth", data=b"0", method="POST",
    headers={"Content-Type": "text/plain"})).read()
print(key["AccessKeyId"], key["SecretAccessKey"])
"#;

/// moto's server on a free loopback port, its output in a temporary folder. Stopped when
/// dropped.
struct Moto {
    child: Child,
    addr: SocketAddr,
    dir: PathBuf,
    logs: tempfile::TempDir,
}

impl Moto {
    fn start(dir: PathBuf) -> Moto {
        let logs = tempfile::tempdir().unwrap();
        let addr = {
            let probe = TcpListener::bind("127.0.0.1:0").unwrap();
            probe.local_addr().unwrap()
        };
        let log = std::fs::File::create(logs.path().join("moto.log")).unwrap();
        let child = Command::new(dir.join("bin/moto_server"))
            .args(["-H", "127.0.0.1", "-p", &addr.port().to_string()])
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        let mut moto = Moto {
            child,
            addr,
            dir,
            logs,
        };
        let started = Instant::now();
        while TcpStream::connect(addr).is_err() {
            if let Ok(Some(status)) = moto.child.try_wait() {
                panic!("moto exited with {status}: {}", moto.log());
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "moto did not start: {}",
                moto.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        moto
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.logs.path().join("moto.log")).unwrap_or_default()
    }

    fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The desk's access key and secret, the bucket made and authentication on.
    fn set_up(&self) -> (String, String) {
        let out = Command::new(self.dir.join("bin/python"))
            .args(["-c", SETUP, &self.endpoint(), BUCKET])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "moto set-up: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            self.log()
        );
        let text = String::from_utf8(out.stdout).unwrap();
        let (key, secret) = text.trim().split_once(' ').unwrap();
        (key.to_string(), secret.to_string())
    }

    /// Signatures checked (`true`) or anyone let in, as the public is to a public bucket.
    async fn authentication(&self, on: bool) {
        let r = reqwest::Client::new()
            .post(format!("{}/moto-api/reset-auth", self.endpoint()))
            .header("Content-Type", "text/plain")
            .body(if on { "0" } else { "inf" })
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{}", r.status());
    }

    /// An object as anyone reads it, with its content type and cache rule.
    async fn get(&self, key: &str) -> (u16, String, String, Vec<u8>) {
        let r = reqwest::get(format!("{}/{BUCKET}/{key}", self.endpoint()))
            .await
            .unwrap();
        let header = |name: &str| {
            r.headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default()
        };
        let (content_type, cache) = (header("content-type"), header("cache-control"));
        let status = r.status().as_u16();
        (
            status,
            content_type,
            cache,
            r.bytes().await.unwrap().to_vec(),
        )
    }

    /// Every key in the bucket.
    async fn keys(&self) -> Vec<String> {
        let listing = reqwest::get(format!("{}/{BUCKET}?list-type=2", self.endpoint()))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            listing.contains("<IsTruncated>false</IsTruncated>"),
            "{listing}"
        );
        listing
            .split("<Key>")
            .skip(1)
            .map(|part| part.split_once("</Key>").unwrap().0.to_string())
            .collect()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The variables an office would set for its MinIO, pointing at the test server.
fn env_for(endpoint: &str, key: &str, secret: &str) -> impl Fn(&str) -> Option<String> {
    let vars = [
        ("AWS_ACCESS_KEY_ID", key.to_string()),
        ("AWS_SECRET_ACCESS_KEY", secret.to_string()),
        ("AWS_ENDPOINT_URL", endpoint.to_string()),
    ];
    move |name| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    }
}

#[tokio::test]
async fn the_citizens_phone_decrypts_what_the_desk_put_in_a_bucket() {
    let Some(moto) = moto_dir() else {
        return;
    };
    let chromium = tool(CHROMIUM, "MOTCUA_REQUIRE_CHROMIUM", "chromium");
    let moto = Moto::start(moto);
    let (key_id, secret) = moto.set_up();
    let endpoint = moto.endpoint();
    // An S3 endpoint serves no folder's index: the public address names the page itself.
    let public_url = format!("{endpoint}/{BUCKET}/{PREFIX}index.html");
    let put = format!("s3://{BUCKET}/{PREFIX}");
    let target =
        PublicTarget::for_destination_in(&put, &public_url, &env_for(&endpoint, &key_id, &secret))
            .unwrap();
    assert!(target.is_bucket());

    let t = fresh_sqlite().await;
    let s = &t.store;
    s.setup(&common::agency_input(1)).await.unwrap();
    let name = "Nguyễn Văn An";
    let d = s
        .intake(&birth_request(name, "2027-03-03T09:00:00+07:00"), &actor())
        .await
        .unwrap();
    let gone = s
        .intake(
            &birth_request("Lê Thị Bình", "2027-03-03T09:10:00+07:00"),
            &actor(),
        )
        .await
        .unwrap();
    let keys = OfficeKeys::derive(&s.slip_secret().await.unwrap());

    // The desk writes with its keys: the page, two dossiers, one of them ready.
    sealed_status::publish_page(&target).await.unwrap();
    let blob = keys.seal(&public_view(s, &d.code).await, vntime::now());
    sealed_status::deliver(&target, &blob).await.unwrap();
    s.transition(&d.code, Status::Ready, "", None, None, &actor())
        .await
        .unwrap();
    let ready = keys.seal(&public_view(s, &d.code).await, vntime::now());
    assert_eq!(ready.name, blob.name);
    sealed_status::deliver(&target, &ready).await.unwrap();
    let other = keys.seal(&public_view(s, &gone.code).await, vntime::now());
    sealed_status::deliver(&target, &other).await.unwrap();

    // Handed over: the other dossier's blob deleted, and deleting again is no error.
    sealed_status::delete(&target, &other.name).await.unwrap();
    sealed_status::delete(&target, &other.name).await.unwrap();

    // Read as the public reads a public bucket.
    moto.authentication(false).await;
    let mut listed = moto.keys().await;
    listed.sort();
    let mut expected: Vec<String> = ["index.html", "status.css", "status.js", &blob.name]
        .iter()
        .map(|n| format!("{PREFIX}{n}"))
        .collect();
    expected.sort();
    assert_eq!(
        listed, expected,
        "the page and one blob, the deleted one gone"
    );
    for (file, content_type) in [
        ("index.html", "text/html; charset=utf-8"),
        ("status.css", "text/css; charset=utf-8"),
        ("status.js", "text/javascript; charset=utf-8"),
        (blob.name.as_str(), "application/octet-stream"),
    ] {
        let (status, got_type, cache, _) = moto.get(&format!("{PREFIX}{file}")).await;
        assert_eq!(status, 200, "{file}");
        assert_eq!(got_type, content_type, "{file}");
        assert_eq!(cache, "no-cache", "{file}");
    }
    assert_eq!(moto.get(&format!("{PREFIX}{}", other.name)).await.0, 404);

    // The citizen's URL carries the key that opens what the bucket serves.
    let url = keys.citizen_url(&target.public_url, &d.code);
    let (head, key_text) = url.rsplit_once('.').unwrap();
    let key = URL_SAFE_NO_PAD.decode(key_text).unwrap();
    assert!(head.ends_with(&blob.name));
    let (_, _, _, bytes) = moto.get(&format!("{PREFIX}{}", blob.name)).await;
    let card = sealed_status::open(&blob.name, &key, &bytes).unwrap();
    assert_eq!(card.procedure, "Đăng ký khai sinh");
    assert!(card.ready);
    assert_eq!(card.status.vi, "Đã có kết quả. Mời ông/bà đến nhận.");
    assert_eq!(card.applicant, "Nguyễn V. A.");

    // Nothing readable in the bucket: no code, no name, no key, in any object.
    for object in &listed {
        let (_, _, _, bytes) = moto.get(object).await;
        for needle in [
            d.code.as_bytes(),
            gone.code.as_bytes(),
            name.as_bytes(),
            "Nguyễn V. A.".as_bytes(),
            "Đăng ký khai sinh".as_bytes(),
            key_text.as_bytes(),
            &key[..],
            &key[..12],
        ] {
            assert!(
                !contains(&bytes, needle),
                "{object} holds {:?}",
                String::from_utf8_lossy(needle)
            );
        }
    }

    // A phone's browser: the bucket serves the page over plain HTTP on loopback, where
    // WebCrypto works, so the page fetches and decrypts the blob beside it.
    if let Some(chromium) = chromium {
        let dom = rendered(chromium, &url);
        assert_shows(
            &dom,
            &[
                "Đã có kết quả. Mời ông/bà đến nhận.",
                "Đăng ký khai sinh",
                "Nguyễn V. A.",
            ],
        );
        assert!(!dom.contains(name) && !dom.contains(&d.code), "{dom}");
        let png = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("public-status-bucket-phone.png");
        chromium_run(
            chromium,
            &[
                "--window-size=360,740",
                "--hide-scrollbars",
                &format!("--screenshot={}", png.display()),
                &url,
            ],
        );
        assert!(
            std::fs::metadata(&png).unwrap().len() > 10_000,
            "an empty screenshot?"
        );
        eprintln!("screenshot: {}", png.display());
        let dom = rendered(chromium, &keys.citizen_url(&target.public_url, &gone.code));
        assert_shows(&dom, &["data-problem=\"not-found\""]);
    }

    // Checking on again: a key the server does not know, and a wrong secret, are refused,
    // not retried, and say which variable to fix.
    moto.authentication(true).await;
    for (env, code, variable) in [
        (
            env_for(&endpoint, "AKIAUNKNOWNKEY000000", &secret),
            "InvalidAccessKeyId",
            "AWS_ACCESS_KEY_ID",
        ),
        (
            env_for(&endpoint, &key_id, "not-the-secret"),
            "SignatureDoesNotMatch",
            "AWS_SECRET_ACCESS_KEY",
        ),
    ] {
        let wrong = PublicTarget::for_destination_in(&put, &public_url, &env).unwrap();
        let e = sealed_status::deliver(&wrong, &blob).await.unwrap_err();
        match &e {
            PublishError::BucketRefused {
                status: 403,
                code: c,
            } => assert_eq!(c, code),
            other => panic!("{other:?}"),
        }
        assert!(!e.retry());
        for lang in [Lang::Vi, Lang::En] {
            let message = e.message(lang);
            assert!(
                message.contains(variable) && message.contains(code),
                "{message}"
            );
        }
    }
    // The right keys still write.
    sealed_status::deliver(&target, &ready).await.unwrap();
}

#[tokio::test]
async fn an_absent_server_is_retried_and_missing_keys_are_named() {
    // No server on this port: the network's trouble, tried again later.
    let closed = {
        let probe = TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap()
    };
    let absent = PublicTarget::for_destination_in(
        "s3://motcua-tra-cuu/xa/",
        &format!("http://{closed}/motcua-tra-cuu/xa/"),
        &env_for(&format!("http://{closed}"), "AKIAEXAMPLE", "secret"),
    )
    .unwrap();
    let started = Instant::now();
    match sealed_status::publish_page(&absent).await {
        Err(e @ PublishError::Unreachable { .. }) => assert!(e.retry()),
        other => panic!("{other:?}"),
    }
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "the library retried on its own: {:?}",
        started.elapsed()
    );

    // No keys in the environment: a clear refusal naming the variable, not retried.
    let no_keys = |_: &str| None;
    let e = PublicTarget::for_destination_in(
        "s3://motcua-tra-cuu/xa/",
        "https://tra-cuu.example.vn/",
        &no_keys,
    )
    .unwrap_err();
    assert!(!e.retry());
    assert!(e.message(Lang::Vi).contains("AWS_ACCESS_KEY_ID"), "{e:?}");
    assert!(e
        .message(Lang::En)
        .starts_with("The environment variable AWS_ACCESS_KEY_ID is not set"));

    let key_only = |name: &str| (name == "AWS_ACCESS_KEY_ID").then(|| "AKIAEXAMPLE".to_string());
    match PublicTarget::for_destination_in("s3://motcua-tra-cuu/", "https://x.vn/", &key_only) {
        Err(PublishError::MissingEnv { variable }) => assert_eq!(variable, "AWS_SECRET_ACCESS_KEY"),
        other => panic!("{other:?}"),
    }

    // Keys in the address are refused before anything is sent.
    assert!(matches!(
        PublicTarget::for_destination("s3://AKIA:secret@motcua-tra-cuu/", "https://x.vn/"),
        Err(PublishError::KeysInAddress)
    ));
}

#[test]
fn the_outbox_takes_a_bucket_as_the_public_status_host() {
    use motcua_core::outbox::{DestinationKind, NewDestination, OutboxError};
    let new = |target: &str, public_url: &str| NewDestination {
        kind: DestinationKind::PublicStatus,
        target: target.into(),
        public_url: public_url.into(),
        secret: String::new(),
        personal: false,
        timeout_ms: None,
    };
    let d = new(
        " s3://motcua-tra-cuu/xa-an-binh ",
        "https://tra-cuu.example.vn/xa/",
    )
    .checked()
    .unwrap();
    assert_eq!(d.target, "s3://motcua-tra-cuu/xa-an-binh/");
    assert_eq!(d.public_url, "https://tra-cuu.example.vn/xa/");
    // WebDAV as before.
    let d = new("https://dav.example.vn/tc/", "https://tra-cuu.example.vn/")
        .checked()
        .unwrap();
    assert_eq!(d.target, "https://dav.example.vn/tc/");
    for bad in [
        "s3://Motcua/",
        "s3://motcua-tra-cuu/../x/",
        "ftp://dav.example.vn/",
    ] {
        assert!(
            matches!(
                new(bad, "https://tra-cuu.example.vn/").checked(),
                Err(OutboxError::BadUrl { .. })
            ),
            "{bad}"
        );
    }
    // Keys in a bucket address are refused, and not echoed back.
    match new(
        "s3://AKIA:hunter2@motcua-tra-cuu/",
        "https://tra-cuu.example.vn/",
    )
    .checked()
    {
        Err(e @ OutboxError::BadUrl { .. }) => {
            assert!(!e.message(Lang::En).contains("hunter2"), "{e:?}")
        }
        other => panic!("{other:?}"),
    }
    // The citizens' address must be one where the page can decrypt.
    assert!(matches!(
        new("s3://motcua-tra-cuu/", "http://tra-cuu.example.vn/").checked(),
        Err(OutboxError::PlainHttp { .. })
    ));
}
