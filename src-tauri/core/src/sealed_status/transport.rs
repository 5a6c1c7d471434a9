//! Writing to the public host: a WebDAV folder (or any web server that accepts HTTP PUT and
//! DELETE, such as nginx's `dav_methods`), where the page and the blobs sit side by side; and
//! the check that the address citizens open is one where WebCrypto works.

use std::net::IpAddr;
use std::sync::OnceLock;
use std::time::Duration;

use reqwest::header::CONTENT_TYPE;
use reqwest::{Client, Method, StatusCode, Url};

use super::page::page_files;
use super::{PublishError, SealedBlob};
use crate::problem::{FieldError, Problem};

/// The setting's field name in a `FieldError` about the public address.
pub const PUBLIC_URL_FIELD: &str = "public-url";

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// A blob is a few hundred bytes and the page a few kilobytes: a minute is a dead link.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// An account on the WebDAV host, sent as HTTP Basic authentication.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub user: String,
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// Where the public status goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicTarget {
    /// The folder files are written to by PUT, e.g. `https://host/dav/tra-cuu/`.
    pub put_url: String,
    /// The address citizens' phones open, serving the same folder, e.g.
    /// `https://xa.example.vn/tra-cuu/`.
    pub public_url: String,
    pub credentials: Option<Credentials>,
}

/// Refuses a public address where the page could not decrypt: anything but `https://`, and
/// `http://` to another computer (browsers count only loopback as a secure context).
pub fn check_public_url(url: &str) -> Result<(), FieldError> {
    let refused = || FieldError::new(PUBLIC_URL_FIELD, Problem::PublicUrl);
    let parsed = Url::parse(url.trim()).map_err(|_| refused())?;
    let host = parsed.host().ok_or_else(refused)?;
    let secure = match parsed.scheme() {
        "https" => true,
        "http" => match host {
            url::Host::Domain(name) => {
                let name = name.to_ascii_lowercase();
                name == "localhost" || name.ends_with(".localhost")
            }
            url::Host::Ipv4(ip) => IpAddr::V4(ip).is_loopback(),
            url::Host::Ipv6(ip) => IpAddr::V6(ip).is_loopback(),
        },
        _ => false,
    };
    if secure {
        Ok(())
    } else {
        Err(refused())
    }
}

/// Uploads one dossier's sealed status, replacing the one before.
pub async fn deliver(target: &PublicTarget, blob: &SealedBlob) -> Result<(), PublishError> {
    put(
        target,
        &blob.name,
        "application/octet-stream",
        blob.bytes.clone(),
    )
    .await
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
    let url = file_url(target, name)?;
    let response = send(target, Method::DELETE, url, None).await?;
    let status = response.status();
    if status.is_success() || status == StatusCode::NOT_FOUND || status == StatusCode::GONE {
        Ok(())
    } else {
        Err(PublishError::Refused {
            status: status.as_u16(),
        })
    }
}

async fn put(
    target: &PublicTarget,
    name: &str,
    content_type: &'static str,
    body: Vec<u8>,
) -> Result<(), PublishError> {
    let url = file_url(target, name)?;
    let response = send(target, Method::PUT, url, Some((content_type, body))).await?;
    let status = response.status();
    if status.is_success() {
        Ok(())
    } else {
        Err(PublishError::Refused {
            status: status.as_u16(),
        })
    }
}

async fn send(
    target: &PublicTarget,
    method: Method,
    url: Url,
    body: Option<(&'static str, Vec<u8>)>,
) -> Result<reqwest::Response, PublishError> {
    let mut request = client()?.request(method, url);
    if let Some((content_type, bytes)) = body {
        request = request.header(CONTENT_TYPE, content_type).body(bytes);
    }
    if let Some(c) = &target.credentials {
        request = request.basic_auth(&c.user, Some(&c.password));
    }
    request.send().await.map_err(unreachable)
}

/// The file's address inside the write folder. Names are base64url or the page's own file
/// names, so they need no escaping and cannot leave the folder.
fn file_url(target: &PublicTarget, name: &str) -> Result<Url, PublishError> {
    let mut folder = Url::parse(target.put_url.trim()).map_err(|_| PublishError::BadAddress)?;
    if !matches!(folder.scheme(), "http" | "https") || folder.host().is_none() {
        return Err(PublishError::BadAddress);
    }
    folder.set_fragment(None);
    folder.set_query(None);
    if !folder.path().ends_with('/') {
        let path = format!("{}/", folder.path());
        folder.set_path(&path);
    }
    if name.is_empty()
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        || name.starts_with('.')
    {
        return Err(PublishError::BadAddress);
    }
    folder.join(name).map_err(|_| PublishError::BadAddress)
}

/// One HTTP client for the process: TLS with the ring provider the database driver already
/// uses and the operating system's certificate store, no redirects (a PUT is not followed
/// elsewhere), bounded waits.
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
        .map_err(unreachable)?;
    Ok(CLIENT.get_or_init(|| client).clone())
}

/// The client's reason and its causes, without the URL.
fn unreachable(e: reqwest::Error) -> PublishError {
    let e = e.without_url();
    let mut detail = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(cause) = source {
        detail.push_str(": ");
        detail.push_str(&cause.to_string());
        source = cause.source();
    }
    PublishError::Unreachable { detail }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(put_url: &str) -> PublicTarget {
        PublicTarget {
            put_url: put_url.into(),
            public_url: "https://xa.example.vn/tra-cuu/".into(),
            credentials: None,
        }
    }

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
    fn files_go_inside_the_write_folder() {
        let t = target("http://127.0.0.1:8080/dav/tra-cuu");
        assert_eq!(
            file_url(&t, "index.html").unwrap().as_str(),
            "http://127.0.0.1:8080/dav/tra-cuu/index.html"
        );
        assert_eq!(
            file_url(&target("https://h/x/?a=1#f"), "AbC-_9")
                .unwrap()
                .as_str(),
            "https://h/x/AbC-_9"
        );
        for bad in ["", "../x", ".hidden", "a/b", "a b"] {
            assert!(matches!(file_url(&t, bad), Err(PublishError::BadAddress)));
        }
        for bad in ["file:///tmp/", "not a url", "mailto:a@b"] {
            assert!(matches!(
                file_url(&target(bad), "x"),
                Err(PublishError::BadAddress)
            ));
        }
    }

    #[test]
    fn credentials_are_not_printed() {
        let c = Credentials {
            user: "xa".into(),
            password: "hunter2".into(),
        };
        assert!(!format!("{c:?}").contains("hunter2"));
    }
}
