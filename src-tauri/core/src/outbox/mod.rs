//! The outbox: what the outside world should learn of a dossier, kept in the store until a
//! destination acknowledged it. A change (intake, status move, pause and resumption, new
//! appointment, ready, hand-over, delivery) enqueues one message per configured destination
//! in the transaction that makes it (`store/outbox.rs`), numbered per dossier and
//! destination (`seq`) and keyed (`idempotency_key`); the sender (`sender.rs`) delivers each
//! dossier's messages in order to a drop folder (`folder.rs`), a webhook (`webhook.rs`) or
//! the public status host, and removes a message only once it was acknowledged.
//!
//! The message a destination receives is versioned (`WIRE_VERSION`): `{ "version": 1,
//! "key", "code", "seq", "event", "at", "procedure", "procedure_name", "status",
//! "from_status", "due_at", … }`, with `"applicant"` (name, ID number, phone, e-mail,
//! address) only for a destination marked as entitled to personal data.

mod error;
pub mod folder;
pub mod sender;
pub mod webhook;

pub use error::OutboxError;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::i18n::{display_in_vietnamese, tf, Lang, Localized};
use crate::public_status::PublicStatus;
use crate::sealed_status;
use crate::status::Status;

/// The version of the message a destination receives; a change of its meaning is a new one.
pub const WIRE_VERSION: i64 = 1;

/// Where a destination delivers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DestinationKind {
    /// JSON Lines files, one per Vietnam day, in a folder of the desk that added it.
    Folder,
    /// An HTTPS endpoint that receives each message as a signed POST.
    Webhook,
    /// The encrypted per-dossier status on a WebDAV folder or bucket (`sealed_status`).
    PublicStatus,
}

impl DestinationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DestinationKind::Folder => "folder",
            DestinationKind::Webhook => "webhook",
            DestinationKind::PublicStatus => "public-status",
        }
    }

    pub fn parse(s: &str) -> Option<DestinationKind> {
        match s {
            "folder" => Some(DestinationKind::Folder),
            "webhook" => Some(DestinationKind::Webhook),
            "public-status" => Some(DestinationKind::PublicStatus),
            _ => None,
        }
    }
}

/// A configured destination. The secret is never serialized: lists and the status show
/// whether one is set, not what it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Destination {
    pub id: i64,
    pub kind: DestinationKind,
    /// The folder's path, the webhook's URL, or where public status blobs are written.
    pub target: String,
    /// The address citizens' phones open (public status only).
    pub public_url: String,
    #[serde(skip)]
    pub secret: String,
    /// Entitled to the applicant's personal fields.
    pub personal: bool,
    /// The desk whose sender delivers it (a folder is on that desk's computer); empty for
    /// any desk.
    pub desk: String,
    /// How long a delivery may take before it counts as failed.
    pub timeout_ms: i64,
    #[serde(with = "crate::vntime::serde_vn")]
    pub created_at: DateTime<Utc>,
}

/// Default time a webhook or public status host has to answer.
pub const DEFAULT_TIMEOUT_MS: i64 = 10_000;

/// A destination to add, as the CLI or the settings screen gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDestination {
    pub kind: DestinationKind,
    pub target: String,
    pub public_url: String,
    pub secret: String,
    pub personal: bool,
    pub timeout_ms: Option<i64>,
}

/// What happened to a dossier, as a destination learns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxEvent {
    /// Registered at the desk.
    Intake,
    /// Moved to another status (processing, refused, withdrawn, stopped, …).
    Status,
    /// Waiting for papers or fees: the clock stopped.
    Paused,
    /// The clock runs again, with its new appointment.
    Resumed,
    /// A new appointment given with an apology (Mẫu 04).
    Reappointed,
    /// The result is ready to collect.
    Ready,
    /// The result was handed over (status 10).
    HandedOver,
    /// The post said what became of a result sent by post.
    Delivery,
}

impl OutboxEvent {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxEvent::Intake => "intake",
            OutboxEvent::Status => "status",
            OutboxEvent::Paused => "paused",
            OutboxEvent::Resumed => "resumed",
            OutboxEvent::Reappointed => "reappointed",
            OutboxEvent::Ready => "ready",
            OutboxEvent::HandedOver => "handed_over",
            OutboxEvent::Delivery => "delivery",
        }
    }

    /// The message an event of the dossier's history makes, if the outside should learn of
    /// it: printing a receipt or issuing a form changes nothing a destination shows.
    pub fn from_event(kind: &str, from: Option<Status>, to: Option<Status>) -> Option<Self> {
        match kind {
            "created" => Some(OutboxEvent::Intake),
            "status_changed" | "transferred" => {
                let to = to?;
                let was_paused = from.is_some_and(Status::pauses_clock);
                Some(if to.pauses_clock() && !was_paused {
                    OutboxEvent::Paused
                } else if was_paused && !to.pauses_clock() {
                    OutboxEvent::Resumed
                } else if to == Status::Ready {
                    OutboxEvent::Ready
                } else {
                    OutboxEvent::Status
                })
            }
            "handed_over" => Some(OutboxEvent::HandedOver),
            "reappointed" => Some(OutboxEvent::Reappointed),
            "delivery_updated" => Some(OutboxEvent::Delivery),
            _ => None,
        }
    }
}

/// One message waiting in the outbox for one destination.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub id: i64,
    pub destination_id: i64,
    pub code: String,
    pub seq: i64,
    pub idempotency_key: String,
    pub event: String,
    /// The event's facts, without personal data.
    pub body: serde_json::Value,
    /// The applicant's fields, kept only for an entitled destination.
    pub personal: Option<serde_json::Value>,
    pub created_at: DateTime<Utc>,
    pub attempts: i64,
}

impl Message {
    /// The message as the destination receives it (`WIRE_VERSION`).
    pub fn wire(&self) -> serde_json::Value {
        let mut wire = serde_json::json!({
            "version": WIRE_VERSION,
            "key": self.idempotency_key,
            "code": self.code,
            "seq": self.seq,
            "event": self.event,
        });
        if let (serde_json::Value::Object(out), serde_json::Value::Object(facts)) =
            (&mut wire, &self.body)
        {
            for (k, v) in facts {
                out.entry(k.clone()).or_insert_with(|| v.clone());
            }
            if let Some(personal) = &self.personal {
                out.insert("applicant".into(), personal.clone());
            }
        }
        wire
    }
}

/// What the public status destination publishes of a dossier: the fields the LAN status
/// page shows (`PublicStatus`: procedure, status, appointment, ready, where to collect,
/// contact line, masked name), with the status, appointment and place in plain words in
/// both languages. The sender reads it from the store when it delivers, so a blob always
/// says the dossier's latest state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DossierStatusView {
    pub status: PublicStatus,
    pub status_words_vi: String,
    pub status_words_en: String,
    pub appointment_vi: String,
    pub appointment_en: String,
    pub collect_vi: String,
    pub collect_en: String,
    /// Handed over: the blob may be deleted some time after this.
    #[serde(with = "crate::vntime::serde_vn_opt")]
    pub handed_over_at: Option<DateTime<Utc>>,
}

impl DossierStatusView {
    pub fn new(status: PublicStatus, handed_over_at: Option<DateTime<Utc>>) -> Self {
        DossierStatusView {
            status_words_vi: status.status_words(Lang::Vi),
            status_words_en: status.status_words(Lang::En),
            appointment_vi: status.appointment_words(Lang::Vi),
            appointment_en: status.appointment_words(Lang::En),
            collect_vi: status.collect_words(Lang::Vi),
            collect_en: status.collect_words(Lang::En),
            handed_over_at,
            status,
        }
    }
}

/// Why a message was not delivered this time. Kept with the message (as JSON) and said in
/// the reader's language by `outbox status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum SendError {
    /// No connection could be made (no network, the host refused or is unknown).
    Unreachable { detail: String },
    /// The destination did not answer in time.
    TimedOut { seconds: i64 },
    /// It answered, but not with success.
    Refused { status: u16 },
    /// The drop folder could not be written.
    Folder { path: String, detail: String },
    /// The stored destination cannot be used (an address that is no longer valid).
    Misconfigured { detail: String },
    /// The public status host did not take the file, said as `sealed_status` said it (in
    /// both languages: the message is read later, in the reader's language).
    PublicHost { vi: String, en: String, retry: bool },
}

impl SendError {
    /// Whether trying again later may succeed without anyone changing the destination.
    pub fn retry(&self) -> bool {
        match self {
            SendError::Misconfigured { .. } => false,
            SendError::PublicHost { retry, .. } => *retry,
            _ => true,
        }
    }
}

impl std::error::Error for SendError {}
display_in_vietnamese!(SendError);

impl Localized for SendError {
    fn kind(&self) -> &'static str {
        "outbox_send"
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            SendError::Unreachable { detail } => {
                tf(lang, "outbox.send.unreachable", &[("detail", detail)])
            }
            SendError::TimedOut { seconds } => tf(
                lang,
                "outbox.send.timed_out",
                &[("seconds", &seconds.to_string())],
            ),
            SendError::Refused { status } => tf(
                lang,
                "outbox.send.refused",
                &[("status", &status.to_string())],
            ),
            SendError::Folder { path, detail } => tf(
                lang,
                "outbox.send.folder",
                &[("path", path), ("detail", detail)],
            ),
            SendError::Misconfigured { detail } => {
                tf(lang, "outbox.send.misconfigured", &[("detail", detail)])
            }
            SendError::PublicHost { vi, en, .. } => match lang {
                Lang::Vi => vi.clone(),
                Lang::En => en.clone(),
            },
        }
    }
}

/// An HTTP(S) address a destination may use: HTTPS, or plain HTTP to this computer only
/// (tests, a local adapter).
pub fn check_url(url: &str) -> Result<url::Url, OutboxError> {
    let parsed =
        url::Url::parse(url.trim()).map_err(|_| OutboxError::BadUrl { url: redact(url) })?;
    let Some(host) = parsed.host() else {
        return Err(OutboxError::BadUrl { url: redact(url) });
    };
    match parsed.scheme() {
        "https" => Ok(parsed),
        "http" if is_loopback(&host) => Ok(parsed),
        "http" => Err(OutboxError::PlainHttp { url: redact(url) }),
        _ => Err(OutboxError::BadUrl { url: redact(url) }),
    }
}

/// An address as shown on screens and in errors: a password in it replaced by `***`.
pub fn redact(target: &str) -> String {
    match url::Url::parse(target) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => target.to_string(),
    }
}

fn is_loopback(host: &url::Host<&str>) -> bool {
    match host {
        url::Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(ip) => ip.is_loopback(),
        url::Host::Ipv6(ip) => ip.is_loopback(),
    }
}

/// How long the oldest change has waited, in words ("3 giờ 5 phút", "42 s"): the CLI's
/// `outbox status` and the window's settings screen and banner say it alike.
pub fn words_of_age(seconds: i64, lang: Lang) -> String {
    let seconds = seconds.max(0);
    let (h, m, s) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    let n = |v: i64| v.to_string();
    if h > 0 {
        tf(lang, "outbox.age_hours", &[("h", &n(h)), ("m", &n(m))])
    } else if m > 0 {
        tf(lang, "outbox.age_minutes", &[("m", &n(m)), ("s", &n(s))])
    } else {
        tf(lang, "outbox.age_seconds", &[("s", &n(s))])
    }
}

impl NewDestination {
    /// Checked and normalised: a webhook over HTTPS (plain HTTP to loopback only) with a
    /// secret; public status with both addresses so; a folder made if missing and written
    /// once to prove it can be.
    pub fn checked(mut self) -> Result<NewDestination, OutboxError> {
        self.target = self.target.trim().to_string();
        self.public_url = self.public_url.trim().to_string();
        match self.kind {
            DestinationKind::Webhook => {
                self.target = check_url(&self.target)?.to_string();
                if self.secret.trim().is_empty() {
                    return Err(OutboxError::NoSecret);
                }
                self.secret = self.secret.trim().to_string();
            }
            DestinationKind::PublicStatus => {
                self.target = if sealed_status::is_bucket_address(&self.target) {
                    sealed_status::bucket_address(&self.target).map_err(|_| {
                        OutboxError::BadUrl {
                            url: redact(&self.target),
                        }
                    })?
                } else {
                    check_url(&self.target)?.to_string()
                };
                self.public_url = check_url(&self.public_url)?.to_string();
                sealed_status::check_public_url(&self.public_url).map_err(|_| {
                    OutboxError::PlainHttp {
                        url: redact(&self.public_url),
                    }
                })?;
            }
            DestinationKind::Folder => {
                self.target = folder::prepare(&self.target)?;
                self.secret.clear();
            }
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_age_is_said_in_the_largest_units_that_matter() {
        assert_eq!(words_of_age(42, Lang::Vi), "42 giây");
        assert_eq!(words_of_age(125, Lang::Vi), "2 phút 5 giây");
        assert_eq!(
            words_of_age(3 * 3600 + 5 * 60 + 9, Lang::Vi),
            "3 giờ 5 phút"
        );
        assert_eq!(words_of_age(3 * 3600 + 5 * 60, Lang::En), "3 h 5 min");
        // A clock set back never makes a negative age.
        assert_eq!(words_of_age(-5, Lang::En), "0 s");
    }

    #[test]
    fn events_say_what_a_move_means() {
        use Status::*;
        let e = |k, f, t| OutboxEvent::from_event(k, f, t);
        assert_eq!(
            e("created", None, Some(Accepted)),
            Some(OutboxEvent::Intake)
        );
        assert_eq!(
            e("status_changed", Some(Accepted), Some(Processing)),
            Some(OutboxEvent::Status)
        );
        assert_eq!(
            e(
                "status_changed",
                Some(Processing),
                Some(SupplementRequested)
            ),
            Some(OutboxEvent::Paused)
        );
        assert_eq!(
            e(
                "status_changed",
                Some(SupplementRequested),
                Some(Processing)
            ),
            Some(OutboxEvent::Resumed)
        );
        assert_eq!(
            e("transferred", Some(Processing), Some(Ready)),
            Some(OutboxEvent::Ready)
        );
        assert_eq!(
            e("handed_over", Some(Ready), Some(Returned)),
            Some(OutboxEvent::HandedOver)
        );
        assert_eq!(e("printed", None, None), None);
        assert_eq!(e("form_issued", None, None), None);
        assert_eq!(e("imported", None, None), None);
    }

    #[test]
    fn passwords_in_addresses_are_hidden() {
        assert_eq!(
            redact("https://office:s3cret@dav.example.vn/status/"),
            "https://office:***@dav.example.vn/status/"
        );
        assert_eq!(redact("/media/usb/outbox"), "/media/usb/outbox");
    }

    #[test]
    fn plain_http_only_to_this_computer() {
        assert!(check_url("https://example.gov.vn/hook").is_ok());
        assert!(check_url("http://127.0.0.1:8080/hook").is_ok());
        assert!(check_url("http://[::1]:8080/hook").is_ok());
        assert!(check_url("http://localhost/hook").is_ok());
        assert!(matches!(
            check_url("http://192.168.1.5/hook"),
            Err(OutboxError::PlainHttp { .. })
        ));
        assert!(matches!(
            check_url("ftp://example.gov.vn/"),
            Err(OutboxError::BadUrl { .. })
        ));
        assert!(matches!(
            check_url("not a url"),
            Err(OutboxError::BadUrl { .. })
        ));
    }

    #[test]
    fn the_wire_message_is_versioned_and_personal_only_when_given() {
        let m = Message {
            id: 1,
            destination_id: 2,
            code: "000.00.14.H56-261205-0001".into(),
            seq: 3,
            idempotency_key: "000.00.14.H56-261205-0001:3:2".into(),
            event: "ready".into(),
            body: serde_json::json!({ "status": 9, "procedure": "1.001" }),
            personal: None,
            created_at: crate::vntime::from_millis(0),
            attempts: 0,
        };
        let w = m.wire();
        assert_eq!(w["version"], 1);
        assert_eq!(w["seq"], 3);
        assert_eq!(w["status"], 9);
        assert!(w.get("applicant").is_none());
        let entitled = Message {
            personal: Some(serde_json::json!({ "name": "Nguyễn Văn An" })),
            ..m
        };
        assert_eq!(entitled.wire()["applicant"]["name"], "Nguyễn Văn An");
    }
}
