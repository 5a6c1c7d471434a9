//! The webhook: each message is POSTed as JSON (`Message::wire`) to the destination's URL
//! over HTTPS (plain HTTP only to this computer, `check_url`), with
//! - `Idempotency-Key`: the message's key, the same on every retry, so the receiver applies
//!   it once however many times it arrives;
//! - `X-Motcua-Signature: sha256=<hex>`: HMAC-SHA256 of the exact body bytes under the
//!   destination's secret, so the receiver knows it came from the office unchanged.
//!
//! Only a 2xx answer acknowledges a message; anything else (another status, a timeout, a
//! dropped connection) leaves it in the outbox to be retried. Redirects are not followed:
//! the body and its signature go only where the office said. TLS is rustls with the ring
//! provider (the one sqlx already brings) and the system's root certificates.

use std::sync::Arc;
use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::{check_url, Destination, Message, SendError};

/// The signature header's name.
pub const SIGNATURE_HEADER: &str = "X-Motcua-Signature";

/// `sha256=<hex of HMAC-SHA256(secret, body)>`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        // HMAC takes a key of any length; this arm is never reached.
        Err(_) => return String::new(),
    };
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let mut out = String::with_capacity(7 + digest.len() * 2);
    out.push_str("sha256=");
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// A client for one destination: its timeout for the whole exchange, no redirects.
pub fn client(destination: &Destination) -> Result<reqwest::Client, SendError> {
    let misconfigured = |detail: String| SendError::Misconfigured { detail };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_native_certs::load_native_certs().certs {
        // A certificate the system lists but rustls cannot read is skipped, as browsers do.
        let _ = roots.add(cert);
    }
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| misconfigured(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let timeout = Duration::from_millis(u64::try_from(destination.timeout_ms.max(1)).unwrap_or(1));
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .timeout(timeout)
        .connect_timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("motcua/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| misconfigured(detail(&e)))
}

/// POSTs `message` to `destination`; `Ok` only for a 2xx answer.
pub async fn deliver(
    client: &reqwest::Client,
    destination: &Destination,
    message: &Message,
) -> Result<(), SendError> {
    let url = check_url(&destination.target).map_err(|e| SendError::Misconfigured {
        detail: crate::i18n::Localized::message(&e, crate::i18n::Lang::En),
    })?;
    let body = message.wire().to_string().into_bytes();
    let signed = signature(&destination.secret, &body);
    let answer = client
        .post(url)
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", &message.idempotency_key)
        .header(SIGNATURE_HEADER, signed)
        .body(body)
        .send()
        .await;
    let response = match answer {
        Ok(r) => r,
        Err(e) if e.is_timeout() => {
            return Err(SendError::TimedOut {
                seconds: (destination.timeout_ms + 999) / 1000,
            })
        }
        Err(e) => return Err(SendError::Unreachable { detail: detail(&e) }),
    };
    let status = response.status();
    // The answer is read to its end so the connection can be used again; only its status
    // matters (a 2xx whose body is then cut off still acknowledged the message).
    let _ = response.bytes().await;
    if status.is_success() {
        Ok(())
    } else {
        Err(SendError::Refused {
            status: status.as_u16(),
        })
    }
}

/// An error and its causes in one line, without the URL (which may carry a token).
fn detail(e: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    if parts.is_empty() {
        parts.push(if e.is_connect() {
            "connection failed".to_string()
        } else {
            "request failed".to_string()
        });
    }
    parts.dedup();
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_hmac_sha256_of_the_body() {
        // RFC 4231 test case 2.
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
