//! The public status without a public server: a real nginx from Debian (its WebDAV module)
//! started on a free loopback port in a temporary folder as the public host, a dossier taken
//! in on a real SQLite store, its status sealed and PUT there next to the published page, and
//! the citizen's URL opened in a real headless Chromium, which must decrypt and show it.
//! Afterwards every file the host holds is searched for the code, the name and the key.

use std::net::TcpListener;
use std::path::Path;

use crate::common;
use crate::public_host::{
    assert_shows, chromium_run, contains, files_under, rendered, tool, WebDav, CHROMIUM, NGINX,
};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::{actor, birth_request, fresh_sqlite};
use motcua_core::sealed_status::{
    self, check_public_url, Credentials, OfficeKeys, PublicTarget, PublishError,
};
use motcua_core::slip;
use motcua_core::status::Status;
use motcua_core::store::{Store, TagCheck};
use motcua_core::vntime;

pub(crate) async fn public_view(
    store: &Store,
    code: &str,
) -> motcua_core::public_status::PublicStatus {
    let tag = slip::tag(&store.slip_secret().await.unwrap(), code);
    store.public_status(code, &tag).await.unwrap().unwrap()
}

#[tokio::test]
async fn the_citizens_phone_decrypts_what_the_desk_put_on_a_webdav_host() {
    let Some(nginx) = tool(NGINX, "MOTCUA_REQUIRE_NGINX", "nginx") else {
        return;
    };
    let Some(chromium) = tool(CHROMIUM, "MOTCUA_REQUIRE_CHROMIUM", "chromium") else {
        return;
    };
    let dav = WebDav::start(nginx);
    let t = fresh_sqlite().await;
    let s = &t.store;
    s.setup(&common::agency_input(1)).await.unwrap();
    s.set_named("Quầy 1", "contact", "Điện thoại 0276 3812 345")
        .await
        .unwrap();
    let name = "Nguyễn Văn An";
    let d = s
        .intake(&birth_request(name, "2027-03-03T09:00:00+07:00"), &actor())
        .await
        .unwrap();
    let unsent = s
        .intake(
            &birth_request("Lê Thị Bình", "2027-03-03T09:10:00+07:00"),
            &actor(),
        )
        .await
        .unwrap();

    let target = PublicTarget::webdav(&dav.url(""), &dav.url(""), None);
    check_public_url(&target.public_url).unwrap();
    sealed_status::publish_page(&target).await.unwrap();
    let keys = OfficeKeys::derive(&s.slip_secret().await.unwrap());
    let blob = keys.seal(&public_view(s, &d.code).await, vntime::now());
    sealed_status::deliver(&target, &blob).await.unwrap();
    let url = keys.citizen_url(&target.public_url, &d.code);

    // Taken in: the procedure, the status and the appointment.
    let dom = rendered(chromium, &url);
    assert_shows(
        &dom,
        &[
            "Đăng ký khai sinh",
            "Hồ sơ đã được tiếp nhận và đang chờ giải quyết.",
            "17:00, thứ Tư 03/03/2027",
            "Nguyễn V. A.",
            "Điện thoại 0276 3812 345",
            "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
            ">English<",
        ],
    );
    assert!(!dom.contains(name) && !dom.contains(&d.code), "{dom}");

    // Ready: sealed and PUT again under the same name; the same URL now says so.
    s.transition(&d.code, Status::Ready, "", None, None, &actor())
        .await
        .unwrap();
    let again = keys.seal(&public_view(s, &d.code).await, vntime::now());
    assert_eq!(again.name, blob.name);
    sealed_status::deliver(&target, &again).await.unwrap();
    let dom = rendered(chromium, &url);
    assert_shows(
        &dom,
        &[
            "Đã có kết quả. Mời ông/bà đến nhận.",
            "Khi đến nhận, xin mang theo giấy tiếp nhận",
            "Đăng ký khai sinh",
        ],
    );
    assert!(!dom.contains("17:00, thứ Tư"), "{dom}");
    let english = url.replacen('#', "?lang=en#", 1);
    assert_shows(
        &rendered(chromium, &english),
        &[
            "The result is ready. Please come and collect it.",
            "Where to collect",
            "Đăng ký khai sinh",
            ">Tiếng Việt<",
        ],
    );

    // At a phone's width: a picture to look at.
    let png = Path::new(env!("CARGO_TARGET_TMPDIR")).join("public-status-phone.png");
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

    // The same page reached over plain HTTP by a name other than loopback: WebCrypto is
    // withheld there, and the page says HTTPS is needed rather than failing silently.
    let named = url.replace(
        &format!("127.0.0.1:{}", dav.addr.port()),
        &format!("status.example.vn:{}", dav.addr.port()),
    );
    let dom = String::from_utf8(chromium_run(
        chromium,
        &[
            "--host-resolver-rules=MAP status.example.vn 127.0.0.1",
            "--dump-dom",
            &named,
        ],
    ))
    .unwrap();
    assert_shows(&dom, &["data-problem=\"insecure\"", "HTTPS"]);

    // A dossier not sent yet, and a URL whose key is another dossier's.
    let dom = rendered(
        chromium,
        &keys.citizen_url(&target.public_url, &unsent.code),
    );
    assert_shows(&dom, &["data-problem=\"not-found\"", "Chưa có thông tin"]);
    let (head, _) = url.rsplit_once('.').unwrap();
    let foreign_key = URL_SAFE_NO_PAD.encode(keys.dossier_key(&unsent.code));
    let dom = rendered(chromium, &format!("{head}.{foreign_key}"));
    assert_shows(&dom, &["data-problem=\"cannot-decrypt\""]);
    let dom = rendered(chromium, &target.public_url);
    assert_shows(&dom, &["data-problem=\"no-link\""]);

    // The desk scanner finds the dossier from the URL and checks its key.
    let scan = s.scan(&url).await.unwrap();
    assert_eq!(scan.code, d.code);
    assert_eq!(scan.tag, TagCheck::Verified);
    let scan = s.scan(&format!("{head}.{foreign_key}")).await.unwrap();
    assert_eq!(scan.code, d.code);
    assert_eq!(scan.tag, TagCheck::Invalid);

    // The host holds the page and ciphertexts: no code, no name, no key, anywhere, its
    // logs and temporary files included.
    let key = keys.dossier_key(&d.code);
    let key_text = URL_SAFE_NO_PAD.encode(key);
    let files = files_under(dav.dir.path());
    assert!(files.len() >= 5, "{files:?}");
    for (path, bytes) in &files {
        for needle in [
            d.code.as_bytes(),
            unsent.code.as_bytes(),
            name.as_bytes(),
            "Nguyễn V. A.".as_bytes(),
            "Đăng ký khai sinh".as_bytes(),
            key_text.as_bytes(),
            &key[..],
            &key[..12],
        ] {
            assert!(
                !contains(bytes, needle),
                "{} holds {:?}",
                path.display(),
                String::from_utf8_lossy(needle)
            );
        }
    }
    assert!(dav.www().join(&blob.name).exists());

    // Deleted after the hand-over: gone, and deleting again is not an error.
    sealed_status::delete(&target, &blob.name).await.unwrap();
    assert!(!dav.www().join(&blob.name).exists());
    sealed_status::delete(&target, &blob.name).await.unwrap();
    let dom = rendered(chromium, &url);
    assert_shows(&dom, &["data-problem=\"not-found\""]);
}

#[tokio::test]
async fn a_refusing_or_absent_host_says_whether_to_retry() {
    let Some(nginx) = tool(NGINX, "MOTCUA_REQUIRE_NGINX", "nginx") else {
        return;
    };
    let dav = WebDav::start(nginx);
    let keys = OfficeKeys::derive(b"an office secret of thirty-two b");
    let t = fresh_sqlite().await;
    t.store.setup(&common::agency_input(1)).await.unwrap();
    let d = t
        .store
        .intake(
            &birth_request("Nguyễn Văn An", "2027-03-03T09:00:00+07:00"),
            &actor(),
        )
        .await
        .unwrap();
    let blob = keys.seal(&public_view(&t.store, &d.code).await, vntime::now());

    let read_only = PublicTarget::webdav(&dav.url("ro/"), &dav.url("ro/"), None);
    match sealed_status::deliver(&read_only, &blob).await {
        Err(e @ PublishError::Refused { status: 405 }) => assert!(!e.retry()),
        other => panic!("{other:?}"),
    }

    // A folder behind HTTP Basic authentication: refused without the account, written with it.
    let private = PublicTarget::webdav(&dav.url("private/"), &dav.url("private/"), None);
    match sealed_status::deliver(&private, &blob).await {
        Err(e @ PublishError::Refused { status: 401 }) => assert!(!e.retry()),
        other => panic!("{other:?}"),
    }
    let private = PublicTarget::webdav(
        &dav.url("private/"),
        &dav.url("private/"),
        Some(Credentials {
            user: "xa".into(),
            password: "mat-khau-dav".into(),
        }),
    );
    sealed_status::deliver(&private, &blob).await.unwrap();
    assert!(dav.www().join("private").join(&blob.name).exists());
    // The account as the outbox stores it, in the write address: taken out of the URL and
    // sent as HTTP Basic authentication.
    std::fs::remove_file(dav.www().join("private").join(&blob.name)).unwrap();
    let stored = PublicTarget::for_destination(
        &format!("http://xa:mat-khau-dav@{}/private/", dav.addr),
        &dav.url("private/"),
    )
    .unwrap();
    sealed_status::deliver(&stored, &blob).await.unwrap();
    assert!(dav.www().join("private").join(&blob.name).exists());

    let closed = {
        let probe = TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap()
    };
    let absent = PublicTarget::webdav(
        &format!("http://{closed}/"),
        &format!("http://{closed}/"),
        None,
    );
    match sealed_status::publish_page(&absent).await {
        Err(e @ PublishError::Unreachable { .. }) => assert!(e.retry()),
        other => panic!("{other:?}"),
    }
    let bad = PublicTarget::webdav("ftp://example.vn/", &absent.public_url, None);
    assert!(matches!(
        sealed_status::delete(&bad, &blob.name).await,
        Err(PublishError::BadAddress)
    ));
}
