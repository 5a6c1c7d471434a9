//! An S3-compatible bucket (AWS S3, a province's MinIO, any host speaking the S3 API) as the
//! public host, served to phones as a static site. Requests are signed by `object_store`
//! (the Apache Arrow project's), sent through the process's one HTTP client; keys, region
//! and endpoint come from the standard `AWS_*` variables, never from the stored address.
//!
//! No retries here: the outbox keeps a message and tries again later when `retry()` says so,
//! so the library gives up at the first failure and the host's answer (its HTTP status and
//! S3 error code, read by our HTTP service before the library sees it) decides.

use std::sync::Arc;

use async_trait::async_trait;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::client::{
    HttpClient, HttpConnector, HttpError, HttpErrorKind, HttpRequest, HttpResponse, HttpService,
};
use object_store::path::Path;
use object_store::{
    Attribute, Attributes, ClientOptions, ObjectStore, ObjectStoreExt, PutOptions, PutPayload,
    RetryConfig,
};
use reqwest::Url;

use super::{client, is_loopback, unreachable, CACHE_CONTROL, REQUEST_TIMEOUT};
use crate::sealed_status::PublishError;

pub const ACCESS_KEY_VAR: &str = "AWS_ACCESS_KEY_ID";
pub const SECRET_KEY_VAR: &str = "AWS_SECRET_ACCESS_KEY";
/// Temporary keys (AWS STS) come with a session token.
pub const SESSION_TOKEN_VAR: &str = "AWS_SESSION_TOKEN";
pub const REGION_VAR: &str = "AWS_REGION";
pub const DEFAULT_REGION_VAR: &str = "AWS_DEFAULT_REGION";
/// The S3-only endpoint variable wins over the general one, as in AWS's own tools.
pub const ENDPOINT_S3_VAR: &str = "AWS_ENDPOINT_URL_S3";
pub const ENDPOINT_VAR: &str = "AWS_ENDPOINT_URL";
/// What MinIO and most S3-compatible hosts accept when no region is set.
const ENDPOINT_DEFAULT_REGION: &str = "us-east-1";

/// Whether a write address names a bucket (`s3://…`) rather than a WebDAV folder.
pub fn is_bucket_address(put: &str) -> bool {
    put.trim()
        .get(..5)
        .is_some_and(|s| s.eq_ignore_ascii_case("s3://"))
}

/// A bucket address checked and written the one way it is stored: `s3://bucket/` or
/// `s3://bucket/prefix/`. Refused: a name S3 would refuse, a prefix with empty, `.` or `..`
/// parts or other characters than letters, digits, `-`, `_` and `.`, and keys, a port, a query
/// or a fragment in the address (keys belong in the environment).
pub fn bucket_address(put: &str) -> Result<String, PublishError> {
    let (bucket, prefix) = parse(put)?;
    Ok(format!("s3://{bucket}/{prefix}"))
}

fn parse(put: &str) -> Result<(String, String), PublishError> {
    let put = put.trim();
    if !is_bucket_address(put) {
        return Err(PublishError::BadAddress);
    }
    // Read as written rather than through a URL parser, which would quietly resolve `..`.
    let rest = &put[5..];
    let (bucket, path) = rest.split_once('/').unwrap_or((rest, ""));
    if bucket.contains('@') {
        return Err(PublishError::KeysInAddress);
    }
    let name_ok = (3..=63).contains(&bucket.len())
        && bucket
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'.'))
        && bucket.starts_with(|c: char| c.is_ascii_alphanumeric())
        && bucket.ends_with(|c: char| c.is_ascii_alphanumeric());
    if !name_ok {
        return Err(PublishError::BadAddress);
    }
    let mut prefix = String::new();
    let path = path.strip_suffix('/').unwrap_or(path);
    if !path.is_empty() {
        for part in path.split('/') {
            let part_ok = !part.is_empty()
                && part != "."
                && part != ".."
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
            if !part_ok {
                return Err(PublishError::BadAddress);
            }
            prefix.push_str(part);
            prefix.push('/');
        }
    }
    Ok((bucket.to_string(), prefix))
}

/// A bucket and the folder in it the files go to.
#[derive(Clone)]
pub(super) struct Bucket {
    store: Arc<AmazonS3>,
    bucket: String,
    prefix: String,
    endpoint: Option<String>,
}

/// Names where the files go, never the keys.
impl std::fmt::Debug for Bucket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bucket")
            .field("bucket", &self.bucket)
            .field("prefix", &self.prefix)
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

impl Bucket {
    /// The bucket of a stored `s3://` address with its keys, region and endpoint from the
    /// environment. Without `AWS_ENDPOINT_URL` the bucket is on AWS and needs a region;
    /// with it (MinIO and the like) the region defaults to `us-east-1` and the bucket is
    /// addressed by path. The endpoint must be HTTPS; plain HTTP only on this computer.
    pub(super) fn open(
        put: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Bucket, PublishError> {
        let (bucket, prefix) = parse(put)?;
        let required =
            |variable: &'static str| env(variable).ok_or(PublishError::MissingEnv { variable });
        let access_key = required(ACCESS_KEY_VAR)?;
        let secret_key = required(SECRET_KEY_VAR)?;
        let endpoint = match env(ENDPOINT_S3_VAR)
            .map(|v| (ENDPOINT_S3_VAR, v))
            .or_else(|| env(ENDPOINT_VAR).map(|v| (ENDPOINT_VAR, v)))
        {
            Some((variable, value)) => Some(endpoint(variable, &value)?),
            None => None,
        };
        let region = match (
            env(REGION_VAR).or_else(|| env(DEFAULT_REGION_VAR)),
            &endpoint,
        ) {
            (Some(region), _) => region.trim().to_string(),
            (None, Some(_)) => ENDPOINT_DEFAULT_REGION.to_string(),
            (None, None) => {
                return Err(PublishError::MissingEnv {
                    variable: REGION_VAR,
                })
            }
        };
        let retry = RetryConfig {
            max_retries: 0,
            retry_timeout: REQUEST_TIMEOUT,
            ..RetryConfig::default()
        };
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(&bucket)
            .with_region(region)
            .with_access_key_id(access_key)
            .with_secret_access_key(secret_key)
            .with_retry(retry)
            // One plain DELETE per blob: every S3-compatible host has it, not all have the
            // bulk `DeleteObjects`.
            .with_disable_bulk_delete(true)
            .with_http_connector(Connector);
        if let Some(token) = env(SESSION_TOKEN_VAR) {
            builder = builder.with_token(token);
        }
        builder = match &endpoint {
            Some(url) => builder
                .with_endpoint(url)
                .with_allow_http(url.starts_with("http://"))
                .with_virtual_hosted_style_request(false),
            // AWS wants `bucket.s3.region.amazonaws.com`, except for names with a dot,
            // which its certificate does not cover.
            None => builder.with_virtual_hosted_style_request(!bucket.contains('.')),
        };
        let store = builder.build().map_err(|_| PublishError::BadAddress)?;
        Ok(Bucket {
            store: Arc::new(store),
            bucket,
            prefix,
            endpoint,
        })
    }

    pub(super) async fn put(
        &self,
        name: &str,
        content_type: &'static str,
        body: Vec<u8>,
    ) -> Result<(), PublishError> {
        let attributes = Attributes::from_iter([
            (Attribute::ContentType, content_type),
            (Attribute::CacheControl, CACHE_CONTROL),
        ]);
        self.store
            .put_opts(
                &self.path(name)?,
                PutPayload::from(body),
                PutOptions::from(attributes),
            )
            .await
            .map(|_| ())
            .map_err(failed)
    }

    /// S3 answers a deletion of a missing object with success; a host that says
    /// `NoSuchKey` instead counts the same.
    pub(super) async fn delete(&self, name: &str) -> Result<(), PublishError> {
        match self.store.delete(&self.path(name)?).await.map_err(failed) {
            Ok(()) => Ok(()),
            Err(PublishError::BucketRefused { status: 404, code }) if code == "NoSuchKey" => Ok(()),
            Err(e) => Err(e),
        }
    }

    fn path(&self, name: &str) -> Result<Path, PublishError> {
        Path::parse(format!("{}{name}", self.prefix)).map_err(|_| PublishError::BadAddress)
    }
}

/// The endpoint from `variable`: an https:// address, or http:// to this computer (a test
/// server), with nothing after the host but `/`.
fn endpoint(variable: &'static str, value: &str) -> Result<String, PublishError> {
    let bad = || PublishError::BadEnv { variable };
    let url = Url::parse(value.trim()).map_err(|_| bad())?;
    let secure = match url.scheme() {
        "https" => url.host().is_some(),
        "http" => is_loopback(&url),
        _ => false,
    };
    if !secure
        || !url.username().is_empty()
        || url.password().is_some()
        || url.path() != "/"
        || url.query().is_some()
        || url.fragment().is_some()
    {
        return Err(bad());
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// Hands `object_store` the process's HTTP client, wrapped in `Answers`.
#[derive(Debug)]
struct Connector;

impl HttpConnector for Connector {
    fn connect(&self, _: &ClientOptions) -> object_store::Result<HttpClient> {
        let client = client().map_err(|e| object_store::Error::Generic {
            store: "S3",
            source: Box::new(e),
        })?;
        Ok(HttpClient::new(Answers(client)))
    }
}

/// The HTTP client, turning every answer but success into an `Answered` error the library
/// passes back untouched (and does not retry): the status and S3's error code survive to
/// `failed`, which the library's own errors would not let us read.
#[derive(Debug)]
struct Answers(reqwest::Client);

#[async_trait]
impl HttpService for Answers {
    async fn call(&self, req: HttpRequest) -> Result<HttpResponse, HttpError> {
        let response = HttpService::call(&self.0, req).await?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let body = response.into_body().bytes().await.unwrap_or_default();
        Err(HttpError::new(
            HttpErrorKind::Unknown,
            Answered {
                status: status.as_u16(),
                code: error_code(&body),
            },
        ))
    }
}

/// The host's refusal: its HTTP status and the `<Code>` of its S3 error document.
#[derive(Debug)]
struct Answered {
    status: u16,
    code: String,
}

impl std::fmt::Display for Answered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HTTP {} {}", self.status, self.code)
    }
}

impl std::error::Error for Answered {}

/// The `<Code>` of an S3 error document, if it is a plain word (it is shown to the clerk).
fn error_code(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    text.split_once("<Code>")
        .and_then(|(_, rest)| rest.split_once("</Code>"))
        .map(|(code, _)| code.trim())
        .filter(|code| {
            code.len() <= 64 && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.')
        })
        .unwrap_or_default()
        .to_string()
}

/// The library's error as ours: the host's answer if there was one, else the reason the
/// host could not be reached.
fn failed(e: object_store::Error) -> PublishError {
    let chain = || {
        std::iter::successors(Some(&e as &(dyn std::error::Error + 'static)), |e| {
            e.source()
        })
    };
    // The answer lies beneath the transport error that carries it.
    if let Some(answer) = chain().find_map(|e| e.downcast_ref::<Answered>()) {
        return PublishError::BucketRefused {
            status: answer.status,
            code: answer.code.clone(),
        };
    }
    match chain().find_map(|e| e.downcast_ref::<HttpError>()) {
        Some(http) => unreachable(http),
        None => unreachable(&e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_addresses_are_checked_and_normalised() {
        for (given, stored) in [
            ("s3://tra-cuu-xa", "s3://tra-cuu-xa/"),
            (" S3://tra-cuu-xa/ ", "s3://tra-cuu-xa/"),
            ("s3://tra-cuu.xa/public", "s3://tra-cuu.xa/public/"),
            ("s3://tra-cuu-xa/a/b_2/", "s3://tra-cuu-xa/a/b_2/"),
        ] {
            assert_eq!(bucket_address(given).unwrap(), stored, "{given}");
        }
        for bad in [
            "s3://",
            "s3://ab/",
            "s3://Tra-Cuu/",
            "s3://-xa/",
            "s3://tra_cuu/",
            "s3://tra-cuu-xa/a//b/",
            "s3://tra-cuu-xa/../b/",
            "s3://tra-cuu-xa/a b/",
            "s3://tra-cuu-xa:9000/",
            "s3://tra-cuu-xa/?x=1",
            "s3://tra-cuu-xa/a#b",
            "s3://tra-cuu-xa/./b/",
            "https://tra-cuu-xa/",
        ] {
            assert!(
                matches!(bucket_address(bad), Err(PublishError::BadAddress)),
                "{bad}"
            );
        }
        assert!(matches!(
            bucket_address("s3://AKIA:secret@tra-cuu-xa/"),
            Err(PublishError::KeysInAddress)
        ));
    }

    fn env_of(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    fn missing(put: &str, vars: &'static [(&'static str, &'static str)]) -> &'static str {
        match Bucket::open(put, &env_of(vars)) {
            Err(PublishError::MissingEnv { variable }) => variable,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn keys_and_region_come_from_the_environment() {
        const KEYS: &[(&str, &str)] =
            &[(ACCESS_KEY_VAR, "AKIAEXAMPLE"), (SECRET_KEY_VAR, "secret")];
        assert_eq!(missing("s3://tra-cuu-xa/", &[]), ACCESS_KEY_VAR);
        assert_eq!(
            missing("s3://tra-cuu-xa/", &[(ACCESS_KEY_VAR, "AKIAEXAMPLE")]),
            SECRET_KEY_VAR
        );
        assert_eq!(missing("s3://tra-cuu-xa/", KEYS), REGION_VAR);
        let b = Bucket::open(
            "s3://tra-cuu-xa/p/",
            &env_of(&[
                (ACCESS_KEY_VAR, "AKIAEXAMPLE"),
                (SECRET_KEY_VAR, "secret"),
                (DEFAULT_REGION_VAR, "ap-southeast-1"),
            ]),
        )
        .unwrap();
        assert_eq!(b.path("x").unwrap().as_ref(), "p/x");
        assert!(!format!("{b:?}").contains("secret"));
        // An endpoint (MinIO) needs no region; the S3-only variable wins.
        let b = Bucket::open(
            "s3://tra-cuu-xa/",
            &env_of(&[
                (ACCESS_KEY_VAR, "AKIAEXAMPLE"),
                (SECRET_KEY_VAR, "secret"),
                (ENDPOINT_VAR, "https://wrong.example.vn"),
                (ENDPOINT_S3_VAR, "https://s3.tinh.gov.vn:9000/"),
            ]),
        )
        .unwrap();
        assert_eq!(b.endpoint.as_deref(), Some("https://s3.tinh.gov.vn:9000"));
        assert_eq!(b.path("index.html").unwrap().as_ref(), "index.html");
    }

    #[test]
    fn a_plain_http_endpoint_only_on_this_computer() {
        for (value, ok) in [
            ("http://127.0.0.1:9000", true),
            ("http://localhost:9000/", true),
            ("https://s3.tinh.gov.vn", true),
            ("http://192.168.1.20:9000", false),
            ("http://s3.tinh.gov.vn", false),
            ("https://s3.tinh.gov.vn/bucket", false),
            ("https://key:secret@s3.tinh.gov.vn", false),
            ("s3.tinh.gov.vn", false),
        ] {
            match endpoint(ENDPOINT_VAR, value) {
                Ok(_) => assert!(ok, "{value}"),
                Err(PublishError::BadEnv { variable }) => {
                    assert!(!ok, "{value}");
                    assert_eq!(variable, ENDPOINT_VAR);
                }
                Err(other) => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn the_error_code_is_read_from_the_document() {
        let doc = b"<?xml version=\"1.0\"?><Error><Code>InvalidAccessKeyId</Code><Message>x</Message></Error>";
        assert_eq!(error_code(doc), "InvalidAccessKeyId");
        assert_eq!(error_code(b""), "");
        assert_eq!(error_code(b"<Code><script></Code>"), "");
    }
}
