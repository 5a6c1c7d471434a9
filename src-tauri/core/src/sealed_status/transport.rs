//! Writing to the public host, of one of two kinds: a WebDAV folder (or any web server that
//! accepts HTTP PUT and DELETE, such as nginx's `dav_methods`), or an S3-compatible bucket
//! (AWS S3, a province's MinIO) served to phones as a static site. Either way the page and
//! the blobs sit side by side. Also the check that the address citizens open is one where
//! WebCrypto works.
//!
//! The sender knows a destination by two stored strings, its write address and its public
//! address; `PublicTarget::for_destination` turns them into a target, taking the secrets
//! from the environment (a bucket's keys always, a WebDAV account unless the stored address
//! carries it), so no key is ever typed on a command line or kept in the database.

use std::net::IpAddr;
use std::sync::OnceLock;
use std::time::Duration;

use reqwest::{Client, Url};

use super::page::page_files;
use super::{PublishError, SealedBlob};
use crate::problem::{FieldError, Problem};

mod bucket;
mod webdav;

pub use bucket::{bucket_address, is_bucket_address};
pub use webdav::Credentials;

/// The setting's field name in a `FieldError` about the public address.
pub const PUBLIC_URL_FIELD: &str = "public-url";

/// The WebDAV account's variables, read when the write address carries none.
pub const WEBDAV_USER_VAR: &str = "MOTCUA_PUBLIC_STATUS_USER";
pub const WEBDAV_PASSWORD_VAR: &str = "MOTCUA_PUBLIC_STATUS_PASSWORD";

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// A blob is a few hundred bytes and the page a few kilobytes: a minute is a dead link.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// The blobs' content type, and the cache rule a bucket stores with every object (a WebDAV
/// host's own configuration sets its headers): phones must ask the host again every time,
/// or a citizen would see yesterday's status; the page has the same rule so that an
/// upgrade's page meets the blobs it reads.
const BLOB_TYPE: &str = "application/octet-stream";
const CACHE_CONTROL: &str = "no-cache";

/// Where the public status goes.
#[derive(Debug, Clone)]
pub struct PublicTarget {
    /// The address citizens' phones open, serving the same folder, e.g.
    /// `https://xa.example.vn/tra-cuu/`.
    pub public_url: String,
    host: Host,
}

#[derive(Debug, Clone)]
enum Host {
    WebDav(webdav::Folder),
    Bucket(bucket::Bucket),
}

impl PublicTarget {
    /// The target of a public-status destination: `put` is `s3://bucket/prefix/` (keys,
    /// region and endpoint from the standard `AWS_*` variables) or an `http(s)://` WebDAV
    /// folder (its account from the address's user-info, else from
    /// `MOTCUA_PUBLIC_STATUS_USER` and `MOTCUA_PUBLIC_STATUS_PASSWORD`).
    pub fn for_destination(put: &str, public_url: &str) -> Result<PublicTarget, PublishError> {
        PublicTarget::for_destination_in(put, public_url, &|name| std::env::var(name).ok())
    }

    /// `for_destination` with the variables looked up through `env` rather than in this
    /// process's environment.
    pub fn for_destination_in(
        put: &str,
        public_url: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<PublicTarget, PublishError> {
        let env = |name: &str| env(name).filter(|v| !v.trim().is_empty());
        let host = if is_bucket_address(put) {
            Host::Bucket(bucket::Bucket::open(put, &env)?)
        } else {
            Host::WebDav(webdav::Folder::open(put, &env)?)
        };
        Ok(PublicTarget {
            public_url: public_url.trim().to_string(),
            host,
        })
    }

    /// A WebDAV folder with the account given here rather than taken from anywhere else.
    pub fn webdav(put_url: &str, public_url: &str, credentials: Option<Credentials>) -> Self {
        PublicTarget {
            public_url: public_url.trim().to_string(),
            host: Host::WebDav(webdav::Folder::new(put_url, credentials)),
        }
    }

    /// Whether the files go to an S3-compatible bucket (rather than a WebDAV folder).
    pub fn is_bucket(&self) -> bool {
        matches!(self.host, Host::Bucket(_))
    }
}

/// Refuses a public address where the page could not decrypt: anything but `https://`, and
/// `http://` to another computer (browsers count only loopback as a secure context).
pub fn check_public_url(url: &str) -> Result<(), FieldError> {
    let refused = || FieldError::new(PUBLIC_URL_FIELD, Problem::PublicUrl);
    let parsed = Url::parse(url.trim()).map_err(|_| refused())?;
    let secure = match parsed.scheme() {
        "https" => parsed.host().is_some(),
        "http" => is_loopback(&parsed),
        _ => false,
    };
    if secure {
        Ok(())
    } else {
        Err(refused())
    }
}

/// Whether `url` names this computer: `localhost` (and names under it) or a loopback IP.
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(name)) => {
            let name = name.to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// Uploads one dossier's sealed status, replacing the one before.
pub async fn deliver(target: &PublicTarget, blob: &SealedBlob) -> Result<(), PublishError> {
    put(target, &blob.name, BLOB_TYPE, blob.bytes.clone()).await
}

/// Writes the status page (`index.html`, `status.css`, `status.js`) into the folder. Done
/// once per destination and after an upgrade; writing it again changes nothing else.
pub async fn publish_page(target: &PublicTarget) -> Result<(), PublishError> {
    for file in page_files() {
        put(
            target,
            file.name,
            file.content_type,
            file.text.as_bytes().to_vec(),
        )
        .await?;
    }
    Ok(())
}

/// Removes a dossier's blob (some time after the hand-over). A blob already gone counts as
/// removed, so a repeated deletion succeeds.
pub async fn delete(target: &PublicTarget, name: &str) -> Result<(), PublishError> {
    check_name(name)?;
    match &target.host {
        Host::WebDav(folder) => folder.delete(name).await,
        Host::Bucket(bucket) => bucket.delete(name).await,
    }
}

async fn put(
    target: &PublicTarget,
    name: &str,
    content_type: &'static str,
    body: Vec<u8>,
) -> Result<(), PublishError> {
    check_name(name)?;
    match &target.host {
        Host::WebDav(folder) => folder.put(name, content_type, body).await,
        Host::Bucket(bucket) => bucket.put(name, content_type, body).await,
    }
}

/// File names are base64url or the page's own file names, so they need no escaping and
/// cannot leave the folder or the bucket's prefix.
fn check_name(name: &str) -> Result<(), PublishError> {
    if name.is_empty()
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        || name.starts_with('.')
    {
        return Err(PublishError::BadAddress);
    }
    Ok(())
}

/// One HTTP client for the process, for the folder and the bucket alike: TLS with the ring
/// provider the database driver already uses and the operating system's certificate store,
/// no redirects (a PUT is not followed elsewhere), bounded waits.
fn client() -> Result<Client, PublishError> {
    static CLIENT: OnceLock<Client> = OnceLock::new();
    if let Some(client) = CLIENT.get() {
        return Ok(client.clone());
    }
    // Fails only when another provider was installed first, which serves as well.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(REQUEST_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| unreachable(&e.without_url()))?;
    Ok(CLIENT.get_or_init(|| client).clone())
}

/// An error's text and its causes', as the reason a host could not be reached.
fn unreachable(e: &(dyn std::error::Error + 'static)) -> PublishError {
    let mut detail = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        // Some errors repeat their cause in their own text.
        if !detail.ends_with(&text) {
            detail.push_str(": ");
            detail.push_str(&text);
        }
        source = cause.source();
    }
    PublishError::Unreachable { detail }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_or_loopback_may_be_the_public_address() {
        for ok in [
            "https://xa.example.vn/tra-cuu/",
            "https://203.0.113.5/",
            "http://127.0.0.1:8080/",
            "http://127.1.2.3/",
            "http://[::1]:9000/status/",
            "http://localhost:8080/",
            "http://desk.localhost/",
        ] {
            assert!(check_public_url(ok).is_ok(), "{ok}");
        }
        for refused in [
            "http://xa.example.vn/tra-cuu/",
            "http://192.168.1.10:8080/",
            "http://localhost.example.vn/",
            "ftp://xa.example.vn/",
            "xa.example.vn/tra-cuu",
            "",
        ] {
            let e = check_public_url(refused).unwrap_err();
            assert_eq!(e.field, PUBLIC_URL_FIELD);
            assert!(e.message(crate::i18n::Lang::Vi).contains("https://"));
            assert!(e
                .message(crate::i18n::Lang::En)
                .starts_with("Public status page address"));
        }
    }

    #[test]
    fn names_cannot_leave_the_folder() {
        for ok in ["index.html", "AbC-_9"] {
            assert!(check_name(ok).is_ok(), "{ok}");
        }
        for bad in ["", "../x", ".hidden", "a/b", "a b", "a%2Fb"] {
            assert!(matches!(check_name(bad), Err(PublishError::BadAddress)));
        }
    }

    #[test]
    fn the_write_address_chooses_the_kind() {
        let none = |_: &str| None;
        let t = PublicTarget::for_destination_in(
            "https://dav.example.vn/tra-cuu/",
            " https://xa.example.vn/ ",
            &none,
        )
        .unwrap();
        assert!(!t.is_bucket());
        assert_eq!(t.public_url, "https://xa.example.vn/");
        let keys = |name: &str| match name {
            "AWS_ACCESS_KEY_ID" => Some("AKIAEXAMPLE".to_string()),
            "AWS_SECRET_ACCESS_KEY" => Some("secret".to_string()),
            "AWS_REGION" => Some("ap-southeast-1".to_string()),
            _ => None,
        };
        let t = PublicTarget::for_destination_in(
            "s3://tra-cuu-xa/public/",
            "https://tra-cuu-xa.s3.ap-southeast-1.amazonaws.com/public/index.html",
            &keys,
        )
        .unwrap();
        assert!(t.is_bucket());
        assert!(!format!("{t:?}").contains("secret"));
    }
}
