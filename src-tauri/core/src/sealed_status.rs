//! The public status without a public server: what the status page shows of a dossier,
//! sealed so that a web host or a bucket the office may write to can serve it to the
//! citizen's phone while holding nothing readable.
//!
//! For each dossier the desk writes one blob: the page's fields as JSON, encrypted with
//! AES-256-GCM under a key derived for that dossier, with a fresh random nonce per upload.
//! The blob's name is the dossier code encrypted with AES-GCM-SIV under a second derived key:
//! deterministic, so a later upload replaces the earlier one, and opaque to anyone without
//! the office's secret, while the desk can read the code back out of a scanned URL. The
//! citizen's URL is `PUBLIC#<name>.<key>`: browsers never send the fragment to the host, so
//! the host sees names and ciphertexts only, never a code, a name or a key.
//!
//! Both derived keys come from the slip secret (`internal.slip-secret`, made at set-up and
//! never shown, see `store/settings.rs`) through HKDF-SHA256 with their own labels, so they
//! are independent of the slip tags made from the same secret; a database moved into another
//! keeps its URLs readable through the imported secrets, as it keeps its slips.
//!
//! `page.rs` holds the static page (embedded from `ui/status/`), `transport.rs` the transports
//! (a WebDAV folder, an S3-compatible bucket) and the check of the public address, `error.rs` the `PublishError`.

use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use aes_gcm::Aes256Gcm;
use aes_gcm_siv::Aes256GcmSiv;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::i18n::{t, tf, Lang};
use crate::public_status::{Collect, PublicStatus};
use crate::vntime;

mod error;
mod page;
mod transport;

pub use error::PublishError;
pub use page::{page_files, PageFile};
pub use transport::{
    bucket_address, check_public_url, delete, deliver, is_bucket_address, publish_page,
    Credentials, PublicTarget, PUBLIC_URL_FIELD, WEBDAV_PASSWORD_VAR, WEBDAV_USER_VAR,
};

/// HKDF salt: the purpose and version of every key below.
const KDF_SALT: &[u8] = b"motcua public status v1";
/// The first byte of a blob: its format (nonce, then ciphertext and tag).
pub const BLOB_VERSION: u8 = 1;
const NONCE_LEN: usize = 12;
/// Bytes of a dossier's key, and its length in base64url.
const KEY_LEN: usize = 32;
const KEY_CHARS: usize = 43;
/// A blob name carries the code (at most this long) and a 16-byte tag.
const MAX_CODE_LEN: usize = 64;

/// The keys derived from one office secret.
pub struct OfficeKeys {
    names: Aes256GcmSiv,
    dossier_keys: [u8; KEY_LEN],
}

impl OfficeKeys {
    /// Derives the keys from the office secret (the slip secret).
    pub fn derive(secret: &[u8]) -> OfficeKeys {
        let hk = Hkdf::<Sha256>::new(Some(KDF_SALT), secret);
        let mut names = [0u8; KEY_LEN];
        let mut dossier_keys = [0u8; KEY_LEN];
        for (label, out) in [
            (&b"blob names"[..], &mut names),
            (&b"dossier keys"[..], &mut dossier_keys),
        ] {
            if hk.expand(label, out).is_err() {
                // HKDF-SHA256 refuses only outputs over 255 × 32 bytes.
                unreachable!("32 bytes is a valid HKDF-SHA256 output length");
            }
        }
        OfficeKeys {
            names: Aes256GcmSiv::new(&names.into()),
            dossier_keys,
        }
    }

    /// The blob's name for `code`: the same for every upload of one dossier, different for
    /// every dossier, and meaningless without the office secret.
    pub fn name(&self, code: &str) -> String {
        let code = canonical_code(code);
        // A fixed nonce is what AES-GCM-SIV is made for: equal codes give equal names and
        // nothing else is revealed.
        let nonce = aes_gcm_siv::Nonce::default();
        match self.names.encrypt(
            &nonce,
            Payload {
                msg: code.as_bytes(),
                aad: KDF_SALT,
            },
        ) {
            Ok(sealed) => URL_SAFE_NO_PAD.encode(sealed),
            // AES-GCM-SIV refuses only messages of 64 GiB and more.
            Err(_) => unreachable!("a dossier code is short enough to encrypt"),
        }
    }

    /// The code a blob name was made from, if it was made with these keys.
    pub fn code_of(&self, name: &str) -> Option<String> {
        if name.len() > (MAX_CODE_LEN + 16) * 4 / 3 + 2 {
            return None;
        }
        let sealed = URL_SAFE_NO_PAD.decode(name).ok()?;
        let nonce = aes_gcm_siv::Nonce::default();
        let code = self
            .names
            .decrypt(
                &nonce,
                Payload {
                    msg: &sealed,
                    aad: KDF_SALT,
                },
            )
            .ok()?;
        String::from_utf8(code).ok()
    }

    /// The dossier's own key: what the citizen's URL carries after the dot.
    pub fn dossier_key(&self, code: &str) -> [u8; KEY_LEN] {
        let mut mac = match <Hmac<Sha256> as Mac>::new_from_slice(&self.dossier_keys) {
            Ok(mac) => mac,
            Err(_) => unreachable!("HMAC accepts keys of any length"),
        };
        mac.update(canonical_code(code).as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// The address the receipt's QR carries: the public page with the blob's name and the
    /// dossier's key in the fragment.
    pub fn citizen_url(&self, public_url: &str, code: &str) -> String {
        let base = public_url.trim().split('#').next().unwrap_or_default();
        format!(
            "{base}#{}.{}",
            self.name(code),
            URL_SAFE_NO_PAD.encode(self.dossier_key(code))
        )
    }

    /// Seals what the page shows of a dossier: the blob to upload under `name`.
    pub fn seal(&self, status: &PublicStatus, now: DateTime<Utc>) -> SealedBlob {
        let card = StatusCard::from_status(status, now);
        let name = self.name(&status.code);
        let key = self.dossier_key(&status.code);
        let cipher = Aes256Gcm::new(&key.into());
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        // A struct of strings, booleans and a number always serialises.
        let json = serde_json::to_vec(&card).unwrap_or_default();
        let sealed = match cipher.encrypt(
            &nonce,
            Payload {
                msg: &json,
                aad: name.as_bytes(),
            },
        ) {
            Ok(sealed) => sealed,
            Err(_) => unreachable!("a status card is short enough to encrypt"),
        };
        let mut bytes = Vec::with_capacity(1 + NONCE_LEN + sealed.len());
        bytes.push(BLOB_VERSION);
        bytes.extend_from_slice(&nonce);
        bytes.extend_from_slice(&sealed);
        SealedBlob { name, bytes }
    }
}

/// One dossier's upload: the name to write it under and the bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedBlob {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Opens a blob with the key from a citizen's URL, as the page does with WebCrypto. `None`
/// when the key, the name or the bytes do not belong together.
pub fn open(name: &str, key: &[u8], blob: &[u8]) -> Option<StatusCard> {
    let (&version, rest) = blob.split_first()?;
    if version != BLOB_VERSION || rest.len() < NONCE_LEN || key.len() != KEY_LEN {
        return None;
    }
    let (nonce, sealed) = rest.split_at(NONCE_LEN);
    let cipher = Aes256Gcm::new_from_slice(key).ok()?;
    let json = cipher
        .decrypt(
            aes_gcm::Nonce::from_slice(nonce),
            Payload {
                msg: sealed,
                aad: name.as_bytes(),
            },
        )
        .ok()?;
    serde_json::from_slice(&json).ok()
}

/// A text in both languages: the page switches without asking the desk again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Words {
    pub vi: String,
    pub en: String,
}

impl Words {
    fn of(say: impl Fn(Lang) -> String) -> Words {
        Words {
            vi: say(Lang::Vi),
            en: say(Lang::En),
        }
    }
}

/// What the page shows of a dossier, worded on the desk as the LAN status page words it
/// (`serve/pages.rs`). No code, and the name masked, as `PublicStatus` holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCard {
    pub v: u8,
    pub unit: String,
    pub governing_body: String,
    pub applicant: String,
    pub procedure: String,
    pub status_code: i64,
    pub ready: bool,
    /// "ready", "wait", "stop" or "": the colour of the status line.
    pub tone: String,
    pub status: Words,
    pub appointment: Option<Words>,
    /// The appointment as RFC 3339 when the clock runs: past it, the page says "overdue".
    pub overdue_after: Option<String>,
    pub collect: Option<Words>,
    pub notes: Vec<Words>,
    pub contact: String,
    /// When the desk sealed it.
    pub updated: Words,
}

impl StatusCard {
    pub fn from_status(s: &PublicStatus, now: DateTime<Utc>) -> StatusCard {
        let in_progress = s.in_progress();
        let tone = if s.ready {
            "ready"
        } else if in_progress {
            "wait"
        } else if s.status == crate::status::Status::Returned {
            ""
        } else {
            "stop"
        };
        let mut notes = Vec::new();
        if s.status.pauses_clock() {
            notes.push(Words::of(|lang| t(lang, "public.paused")));
        }
        if s.ready && s.collect == Collect::Desk {
            notes.push(Words::of(|lang| t(lang, "public.bring_receipt")));
        }
        StatusCard {
            v: BLOB_VERSION,
            unit: s.unit.clone(),
            governing_body: s.governing_body.clone(),
            applicant: s.applicant.clone(),
            procedure: s.procedure.clone(),
            status_code: s.status.code(),
            ready: s.ready,
            tone: tone.into(),
            status: Words::of(|lang| s.status_words(lang)),
            appointment: in_progress.then(|| Words::of(|lang| s.appointment_words(lang))),
            overdue_after: (in_progress && !s.status.pauses_clock())
                .then(|| vntime::rfc3339_vn(s.due_at)),
            collect: (s.ready || in_progress).then(|| Words::of(|lang| s.collect_words(lang))),
            notes,
            contact: s.contact.clone(),
            updated: Words::of(|lang| {
                tf(
                    lang,
                    "public.checked_at",
                    &[("time", &crate::public_status::when(now, lang))],
                )
            }),
        }
    }
}

/// A scanned citizen's URL this office made: the dossier's code, and whether the key in it
/// is that dossier's key (a QR whose key was altered names a dossier but proves nothing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedScan {
    pub code: String,
    pub key_matches: bool,
}

/// The blob name and key of something shaped like a citizen's URL (`http(s)://…#name.key`).
pub fn split_url(input: &str) -> Option<(&str, &str)> {
    let s = input.trim();
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return None;
    }
    let (_, fragment) = s.split_once('#')?;
    let (name, key) = fragment.split_once('.')?;
    let b64 = |part: &str| {
        !part.is_empty()
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    (b64(name) && key.len() == KEY_CHARS && b64(key)).then_some((name, key))
}

/// Whether a scanned line has the shape of a citizen's URL, before any secret is tried: the
/// desk routes it as a receipt.
pub fn looks_like_url(input: &str) -> bool {
    split_url(input).is_some()
}

/// Reads a citizen's URL with every secret the desk accepts. A wedge scanner with Caps Lock
/// on flips the case of every letter, which base64url cannot ignore, so the flipped reading
/// is tried too. `None` when no secret made the name: not this office's URL.
pub fn scan_url(secrets: &[Vec<u8>], input: &str) -> Option<SealedScan> {
    let flipped = crate::text::caps_lock(input.trim());
    for candidate in [input.trim(), flipped.as_str()] {
        let Some((name, key)) = split_url(candidate) else {
            continue;
        };
        for secret in secrets {
            let keys = OfficeKeys::derive(secret);
            if let Some(code) = keys.code_of(name) {
                let given = URL_SAFE_NO_PAD.decode(key).unwrap_or_default();
                let expected = keys.dossier_key(&code);
                let key_matches = crate::slip::same_secret(&given, &expected);
                return Some(SealedScan { code, key_matches });
            }
        }
    }
    None
}

/// Codes are case-insensitive everywhere (`slip.rs`): a name and key are made from the upper
/// case.
fn canonical_code(code: &str) -> String {
    code.trim().to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::Status;

    const SECRET: &[u8] = b"office secret for tests, 32 byte";
    const CODE: &str = "000.00.14.H56-270303-0001";

    fn status(code: &str, status: Status) -> PublicStatus {
        PublicStatus {
            code: code.into(),
            applicant: "Nguyễn V. A.".into(),
            procedure: "Đăng ký khai sinh".into(),
            status,
            due_at: DateTime::parse_from_rfc3339("2027-03-05T10:00:00Z")
                .unwrap()
                .with_timezone(&Utc),
            ready: status == Status::Ready,
            collect: Collect::Desk,
            unit: "UBND xã Hòa Vang".into(),
            governing_body: "UBND thành phố Đà Nẵng".into(),
            contact: "0236 3800 000, giờ hành chính".into(),
        }
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2027-03-03T02:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn a_sealed_blob_opens_with_its_key_and_only_with_it() {
        let keys = OfficeKeys::derive(SECRET);
        let blob = keys.seal(&status(CODE, Status::Processing), now());
        let key = keys.dossier_key(CODE);
        let card = open(&blob.name, &key, &blob.bytes).unwrap();
        assert_eq!(card.procedure, "Đăng ký khai sinh");
        assert_eq!(card.status.vi, "Hồ sơ đang được giải quyết.");
        assert_eq!(card.status.en, "Your dossier is being processed.");
        assert_eq!(
            card.appointment.as_ref().unwrap().vi,
            "17:00, thứ Sáu 05/03/2027"
        );
        assert_eq!(
            card.overdue_after.as_deref(),
            Some("2027-03-05T17:00:00+07:00")
        );
        assert!(!card.ready);

        // Another dossier's key, another office's key, a flipped bit, another name: nothing.
        let other = keys.dossier_key("000.00.14.H56-270303-0002");
        assert!(open(&blob.name, &other, &blob.bytes).is_none());
        let foreign = OfficeKeys::derive(b"another office").dossier_key(CODE);
        assert!(open(&blob.name, &foreign, &blob.bytes).is_none());
        let mut tampered = blob.bytes.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        assert!(open(&blob.name, &key, &tampered).is_none());
        assert!(open(&keys.name("000.00.14.H56-270303-0002"), &key, &blob.bytes).is_none());
        assert!(open(&blob.name, &key[..16], &blob.bytes).is_none());
        assert!(open(&blob.name, &key, &[]).is_none());
    }

    #[test]
    fn the_blob_holds_no_code_no_name_and_no_key() {
        let keys = OfficeKeys::derive(SECRET);
        let blob = keys.seal(&status(CODE, Status::Ready), now());
        let text = String::from_utf8_lossy(&blob.bytes);
        assert!(!text.contains(CODE));
        assert!(!text.contains("Nguy"));
        assert!(!blob.name.contains("H56"));
        let key = keys.dossier_key(CODE);
        assert!(!blob.bytes.windows(8).any(|w| w == &key[..8]));
        // The plaintext itself carries no code either.
        let card = open(&blob.name, &key, &blob.bytes).unwrap();
        assert!(!serde_json::to_string(&card).unwrap().contains(CODE));
        assert!(card.ready);
        assert_eq!(card.tone, "ready");
        assert!(card.appointment.is_none());
    }

    #[test]
    fn every_upload_has_a_fresh_nonce_and_the_same_name() {
        let keys = OfficeKeys::derive(SECRET);
        let a = keys.seal(&status(CODE, Status::Processing), now());
        let b = keys.seal(&status(CODE, Status::Processing), now());
        assert_eq!(a.name, b.name);
        assert_ne!(a.bytes, b.bytes);
        assert_ne!(a.bytes[1..13], b.bytes[1..13]);
    }

    #[test]
    fn names_are_stable_distinct_and_read_back_by_the_office() {
        let keys = OfficeKeys::derive(SECRET);
        let name = keys.name(CODE);
        assert_eq!(name, OfficeKeys::derive(SECRET).name(&CODE.to_lowercase()));
        assert_ne!(name, keys.name("000.00.14.H56-270303-0002"));
        assert_ne!(name, OfficeKeys::derive(b"another office").name(CODE));
        assert_eq!(keys.code_of(&name).as_deref(), Some(CODE));
        assert_eq!(OfficeKeys::derive(b"another office").code_of(&name), None);
        assert_eq!(keys.code_of("not-a-name"), None);
        assert!(name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_ne!(
            keys.dossier_key(CODE),
            keys.dossier_key("000.00.14.H56-270303-0002")
        );
    }

    #[test]
    fn the_citizen_url_is_recognised_and_verified_by_the_desk() {
        let keys = OfficeKeys::derive(SECRET);
        let url = keys.citizen_url("https://xa.example.vn/tra-cuu/", CODE);
        assert!(url.starts_with("https://xa.example.vn/tra-cuu/#"));
        assert!(looks_like_url(&url));
        let secrets = vec![b"merged commune".to_vec(), SECRET.to_vec()];
        let scan = scan_url(&secrets, &url).unwrap();
        assert_eq!(scan.code, CODE);
        assert!(scan.key_matches);

        // Caps Lock on the wedge scanner flips every letter.
        let flipped = crate::text::caps_lock(&url);
        assert_eq!(scan_url(&secrets, &flipped).unwrap().code, CODE);

        // A key altered by one character names the dossier but proves nothing.
        let (head, key) = url.rsplit_once('.').unwrap();
        let altered = format!(
            "{head}.{}{}",
            if key.starts_with('A') { 'B' } else { 'A' },
            &key[1..]
        );
        let scan = scan_url(&secrets, &altered).unwrap();
        assert_eq!(scan.code, CODE);
        assert!(!scan.key_matches);

        // Another office's URL, a LAN slip URL and garbage are not ours.
        assert_eq!(scan_url(&[b"elsewhere".to_vec()], &url), None);
        for input in [
            "https://xa.example.vn/tra-cuu/",
            "http://192.168.1.10:8080/d/000.00.14.H56-270303-0001?k=ABCDEFGHJKMNP",
            "MC1:000.00.14.H56-270303-0001:ABCDEFGHJKMNP",
            "ftp://x/#abc.def",
            "",
        ] {
            assert!(!looks_like_url(input), "{input}");
            assert_eq!(scan_url(&secrets, input), None);
        }
    }

    #[test]
    fn a_url_with_a_fragment_already_keeps_only_the_page() {
        let keys = OfficeKeys::derive(SECRET);
        let url = keys.citizen_url(" http://127.0.0.1:8080/#old ", CODE);
        assert!(url.starts_with("http://127.0.0.1:8080/#"));
        assert_eq!(url.matches('#').count(), 1);
    }
}
