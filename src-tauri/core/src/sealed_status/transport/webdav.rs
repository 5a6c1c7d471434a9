//! A WebDAV folder (or any web server that accepts HTTP PUT and DELETE, such as nginx's
//! `dav_methods`) as the public host, with an optional HTTP Basic account.

use percent_encoding::percent_decode_str;
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode, Url};

use super::{client, unreachable, WEBDAV_PASSWORD_VAR, WEBDAV_USER_VAR};
use crate::sealed_status::PublishError;

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

/// The folder files are written to by PUT, e.g. `https://host/dav/tra-cuu/`, without any
/// user-info, and the account to write with.
#[derive(Debug, Clone)]
pub(super) struct Folder {
    put_url: String,
    credentials: Option<Credentials>,
}

impl Folder {
    pub(super) fn new(put_url: &str, credentials: Option<Credentials>) -> Folder {
        Folder {
            put_url: put_url.trim().to_string(),
            credentials,
        }
    }

    /// The folder of a stored write address: its account from the address's user-info (the
    /// outbox hides the password wherever it shows the address), else from the environment;
    /// the address handed to the HTTP client without it.
    pub(super) fn open(
        put_url: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Folder, PublishError> {
        let mut url = Url::parse(put_url.trim()).map_err(|_| PublishError::BadAddress)?;
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(PublishError::BadAddress);
        }
        let decode = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
        let credentials = if !url.username().is_empty() || url.password().is_some() {
            let c = Credentials {
                user: decode(url.username()),
                password: decode(url.password().unwrap_or_default()),
            };
            // Cannot fail on an http(s) URL with a host.
            let _ = url.set_username("");
            let _ = url.set_password(None);
            Some(c)
        } else {
            match (env(WEBDAV_USER_VAR), env(WEBDAV_PASSWORD_VAR)) {
                (Some(user), Some(password)) => Some(Credentials { user, password }),
                (None, None) => None,
                (Some(_), None) => {
                    return Err(PublishError::MissingEnv {
                        variable: WEBDAV_PASSWORD_VAR,
                    })
                }
                (None, Some(_)) => {
                    return Err(PublishError::MissingEnv {
                        variable: WEBDAV_USER_VAR,
                    })
                }
            }
        };
        Ok(Folder {
            put_url: url.to_string(),
            credentials,
        })
    }

    pub(super) async fn put(
        &self,
        name: &str,
        content_type: &'static str,
        body: Vec<u8>,
    ) -> Result<(), PublishError> {
        let url = self.file_url(name)?;
        let response = self
            .send(Method::PUT, url, Some((content_type, body)))
            .await?;
        let status = response.status();
        if status.is_success() {
            Ok(())
        } else {
            Err(PublishError::Refused {
                status: status.as_u16(),
            })
        }
    }

    pub(super) async fn delete(&self, name: &str) -> Result<(), PublishError> {
        let url = self.file_url(name)?;
        let response = self.send(Method::DELETE, url, None).await?;
        let status = response.status();
        if status.is_success() || status == StatusCode::NOT_FOUND || status == StatusCode::GONE {
            Ok(())
        } else {
            Err(PublishError::Refused {
                status: status.as_u16(),
            })
        }
    }

    async fn send(
        &self,
        method: Method,
        url: Url,
        body: Option<(&'static str, Vec<u8>)>,
    ) -> Result<reqwest::Response, PublishError> {
        let mut request = client()?.request(method, url);
        if let Some((content_type, bytes)) = body {
            request = request.header(CONTENT_TYPE, content_type).body(bytes);
        }
        if let Some(c) = &self.credentials {
            request = request.basic_auth(&c.user, Some(&c.password));
        }
        request
            .send()
            .await
            .map_err(|e| unreachable(&e.without_url()))
    }

    /// The file's address inside the write folder (names are checked by the caller).
    fn file_url(&self, name: &str) -> Result<Url, PublishError> {
        let mut folder = Url::parse(&self.put_url).map_err(|_| PublishError::BadAddress)?;
        if !matches!(folder.scheme(), "http" | "https") || folder.host().is_none() {
            return Err(PublishError::BadAddress);
        }
        folder.set_fragment(None);
        folder.set_query(None);
        if !folder.path().ends_with('/') {
            let path = format!("{}/", folder.path());
            folder.set_path(&path);
        }
        folder.join(name).map_err(|_| PublishError::BadAddress)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(put_url: &str) -> Folder {
        Folder::new(put_url, None)
    }

    #[test]
    fn files_go_inside_the_write_folder() {
        let f = folder("http://127.0.0.1:8080/dav/tra-cuu");
        assert_eq!(
            f.file_url("index.html").unwrap().as_str(),
            "http://127.0.0.1:8080/dav/tra-cuu/index.html"
        );
        assert_eq!(
            folder("https://h/x/?a=1#f")
                .file_url("AbC-_9")
                .unwrap()
                .as_str(),
            "https://h/x/AbC-_9"
        );
        for bad in ["file:///tmp/", "not a url", "mailto:a@b"] {
            assert!(matches!(
                folder(bad).file_url("x"),
                Err(PublishError::BadAddress)
            ));
        }
    }

    #[test]
    fn the_account_comes_from_the_address_or_else_the_environment() {
        let none = |_: &str| None;
        let f = Folder::open(
            "https://xa%40tinh:m%E1%BA%ADt%20kh%E1%BA%A9u@dav.example.vn/tc/",
            &none,
        )
        .unwrap();
        assert_eq!(f.put_url, "https://dav.example.vn/tc/");
        assert_eq!(
            f.credentials,
            Some(Credentials {
                user: "xa@tinh".into(),
                password: "mật khẩu".into()
            })
        );
        let both = |name: &str| match name {
            WEBDAV_USER_VAR => Some("xa".to_string()),
            WEBDAV_PASSWORD_VAR => Some("pw".to_string()),
            _ => None,
        };
        let f = Folder::open("https://dav.example.vn/tc/", &both).unwrap();
        assert_eq!(f.credentials.map(|c| c.user), Some("xa".into()));
        // The address's own account wins over the environment's.
        let f = Folder::open("https://other:pw2@dav.example.vn/tc/", &both).unwrap();
        assert_eq!(f.credentials.map(|c| c.user), Some("other".into()));
        assert!(Folder::open("https://dav.example.vn/tc/", &none)
            .unwrap()
            .credentials
            .is_none());
        let user_only = |name: &str| (name == WEBDAV_USER_VAR).then(|| "xa".to_string());
        match Folder::open("https://dav.example.vn/tc/", &user_only) {
            Err(PublishError::MissingEnv { variable }) => {
                assert_eq!(variable, WEBDAV_PASSWORD_VAR)
            }
            other => panic!("{other:?}"),
        }
        for bad in ["ftp://dav.example.vn/", "dav.example.vn/tc", "https://"] {
            assert!(matches!(
                Folder::open(bad, &none),
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
        let f = Folder::open("https://xa:hunter2@dav.example.vn/", &|_| None).unwrap();
        assert!(!format!("{f:?}").contains("hunter2"));
    }
}
