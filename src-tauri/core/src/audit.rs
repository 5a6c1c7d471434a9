//! The hash chain that makes the logs tamper-evident. Each entry stores the hash of the
//! entry before it (`prev_hash`) and its own `hash`, a SHA-256 over a canonical form of its
//! fields and `prev_hash`. Editing an entry changes its hash; deleting, inserting or moving
//! one breaks the link of the entry after it; removing the newest entries no longer matches
//! the chain's head. `store/audit.rs` writes and checks the chains; this module is the
//! arithmetic and the report.
//!
//! The chains also cover the records themselves: each dossier event carries the digest of
//! its dossier's state after it, and each entry of the record log the digest of an
//! account, setting, procedure or calendar notice after a change (`state_hash`). A digest
//! names its fields' groups by short tags besides the full hash, so a mismatch can say
//! which fields differ; the full hash alone decides whether they do.
//!
//! What it does not do: someone who can write the database and knows this scheme can
//! recompute every hash after a forgery. The head hashes printed by `motcua audit verify`,
//! noted somewhere else from time to time and given back with `--expect`, pin the history
//! up to that point.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::i18n::{display_in_vietnamese, t, tf, Lang, Localized};

/// One field of an entry, as hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell<'a> {
    Int(i64),
    Text(&'a str),
    Null,
}

impl From<i64> for Cell<'_> {
    fn from(v: i64) -> Self {
        Cell::Int(v)
    }
}

impl<'a> From<&'a str> for Cell<'a> {
    fn from(v: &'a str) -> Self {
        Cell::Text(v)
    }
}

impl From<Option<i64>> for Cell<'_> {
    fn from(v: Option<i64>) -> Self {
        v.map_or(Cell::Null, Cell::Int)
    }
}

/// An unambiguous byte form: each text carries its length, so no choice of field
/// contents can make two different entries serialise alike.
pub fn canonical(cells: &[Cell<'_>]) -> Vec<u8> {
    let mut out = Vec::new();
    for cell in cells {
        match cell {
            Cell::Int(v) => out.extend_from_slice(format!("i{v};").as_bytes()),
            Cell::Text(s) => {
                out.extend_from_slice(format!("s{}:", s.len()).as_bytes());
                out.extend_from_slice(s.as_bytes());
                out.push(b';');
            }
            Cell::Null => out.extend_from_slice(b"n;"),
        }
    }
    out
}

const VERSION: &[u8] = b"motcua-audit-v1\n";

/// The hash of an entry with these fields following `prev_hash`, as lower-case hex.
pub fn entry_hash(prev_hash: &str, cells: &[Cell<'_>]) -> String {
    let mut h = Sha256::new();
    h.update(VERSION);
    h.update(prev_hash.as_bytes());
    h.update(b"\n");
    h.update(canonical(cells));
    hex(&h.finalize())
}

/// The start of a chain: a digest of the entries written before the chain existed (the
/// events of a database older than the audit trail), in order. The first chained entry
/// follows it, so those older entries cannot change unnoticed either.
pub struct Genesis(Sha256);

impl Genesis {
    pub fn new(chain: Chain) -> Genesis {
        let mut h = Sha256::new();
        h.update(VERSION);
        h.update(b"genesis ");
        h.update(chain.table().as_bytes());
        h.update(b"\n");
        Genesis(h)
    }

    pub fn add(&mut self, cells: &[Cell<'_>]) {
        self.0.update(canonical(cells));
        self.0.update(b"\n");
    }

    pub fn finish(self) -> String {
        hex(&self.0.finalize())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The chained logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Chain {
    /// The dossiers' history (`events`).
    Events,
    /// Logins, account changes, full-record openings, personal-data exports (`audit_log`).
    AuditLog,
    /// Changes to accounts, settings, procedures and calendar notices, with the digest of
    /// the row after each (`record_log`).
    RecordLog,
}

impl Chain {
    pub const ALL: [Chain; 3] = [Chain::Events, Chain::AuditLog, Chain::RecordLog];

    pub fn table(self) -> &'static str {
        match self {
            Chain::Events => "events",
            Chain::AuditLog => "audit_log",
            Chain::RecordLog => "record_log",
        }
    }

    pub fn label(self, lang: Lang) -> String {
        crate::i18n::t(lang, &format!("audit.chain.{}", self.table()))
    }
}

/// Why the chain is broken at an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BreakReason {
    /// The entry's fields no longer give its hash: it was edited.
    Edited,
    /// The entry does not follow the one before it: an entry before it was deleted,
    /// inserted or moved.
    Unlinked,
    /// The entry has no hash: written into the database behind the app's back.
    Unchained,
    /// The chain ends before its head says: the newest entries were deleted.
    Truncated { expected: i64, found: i64 },
    /// Entries written before the chain started were edited or deleted.
    GenesisChanged,
    /// The chain has no head row.
    NoHead,
    /// The head was reset to "not sealed" while the chain holds hashed entries: sealing it
    /// again would fold edited entries into a new genesis, so it is reported instead.
    Unsealed,
}

/// The first place a chain is broken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BrokenEntry {
    pub chain: Chain,
    /// The entry's id in its table (for `Truncated`, the last entry left; for
    /// `GenesisChanged`, the last entry before the chain started).
    pub id: i64,
    pub reason: BreakReason,
}

impl BrokenEntry {
    pub fn message(&self, lang: Lang) -> String {
        let chain = self.chain.label(lang);
        let id = self.id.to_string();
        let args = [("chain", chain.as_str()), ("id", id.as_str())];
        match &self.reason {
            BreakReason::Edited => tf(lang, "audit.edited", &args),
            BreakReason::Unlinked => tf(lang, "audit.unlinked", &args),
            BreakReason::Unchained => tf(lang, "audit.unchained", &args),
            BreakReason::GenesisChanged => tf(lang, "audit.genesis_changed", &args),
            BreakReason::NoHead => tf(lang, "audit.no_head", &args),
            BreakReason::Unsealed => tf(lang, "audit.unsealed", &args),
            BreakReason::Truncated { expected, found } => tf(
                lang,
                "audit.truncated",
                &[
                    ("chain", chain.as_str()),
                    ("id", id.as_str()),
                    ("expected", &expected.to_string()),
                    ("found", &found.to_string()),
                ],
            ),
        }
    }
}

/// The newest entry of a chain: noted elsewhere, it pins the history up to there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainHead {
    pub chain: Chain,
    pub entries: i64,
    pub hash: String,
}

/// What `verify_audit` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditReport {
    pub ok: bool,
    /// Chained entries checked, over every chain.
    pub checked: i64,
    pub first_broken: Option<BrokenEntry>,
    pub heads: Vec<ChainHead>,
    /// Records whose current rows no longer match their last entry.
    pub mismatches: Vec<RecordMismatch>,
    /// Hashes given with `--expect` that are no entry's hash on any chain (any more).
    pub missing_pins: Vec<String>,
    /// Digitised papers whose file is gone or no longer has the hash its event recorded.
    pub scan_files: Vec<ScanFileProblem>,
}

/// What is wrong with a digitised paper's file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScanFileFault {
    Missing,
    Changed,
    /// On PostgreSQL, no `scans-folder` setting says where the files are.
    NoFolder,
}

/// One digitised paper that does not match its chained event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScanFileProblem {
    /// The file's full path (the setting's name for `NoFolder`).
    pub file: String,
    pub fault: ScanFileFault,
}

impl ScanFileProblem {
    pub fn message(&self, lang: Lang) -> String {
        let key = match self.fault {
            ScanFileFault::Missing => "audit.scan_missing",
            ScanFileFault::Changed => "audit.scan_changed",
            ScanFileFault::NoFolder => "audit.scan_no_folder",
        };
        tf(lang, key, &[("file", self.file.as_str())])
    }
}

/// A history that does not verify, refused where it matters: the desk's own (`audit
/// verify`), or a database about to be moved into this one, which would launder it.
#[derive(Debug)]
pub enum AuditError {
    Broken(Box<AuditReport>),
    SourceBroken(Box<AuditReport>),
}

impl std::error::Error for AuditError {}
display_in_vietnamese!(AuditError);

impl Localized for AuditError {
    fn kind(&self) -> &'static str {
        match self {
            AuditError::Broken(_) => "audit_broken",
            AuditError::SourceBroken(_) => "source_audit_broken",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            AuditError::Broken(report) => report.problems(lang).join("\n"),
            AuditError::SourceBroken(report) => {
                let detail = match &report.first_broken {
                    Some(broken) => broken.message(lang),
                    None => t(lang, "error.source_audit_records"),
                };
                tf(lang, "error.source_audit_broken", &[("detail", &detail)])
            }
        }
    }
}

impl AuditReport {
    /// Every problem found, one sentence each, in `lang`.
    pub fn problems(&self, lang: Lang) -> Vec<String> {
        let mut out: Vec<String> = self.first_broken.iter().map(|b| b.message(lang)).collect();
        out.extend(self.mismatches.iter().map(|m| m.message(lang)));
        out.extend(
            self.missing_pins
                .iter()
                .map(|h| tf(lang, "audit.pin_missing", &[("hash", h.as_str())])),
        );
        out.extend(self.scan_files.iter().map(|p| p.message(lang)));
        out
    }
}

/// The kinds of record the chains cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Record {
    Dossier,
    Account,
    Setting,
    Procedure,
    Notice,
}

impl Record {
    pub const LOGGED: [Record; 4] = [
        Record::Account,
        Record::Setting,
        Record::Procedure,
        Record::Notice,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Record::Dossier => "dossier",
            Record::Account => "account",
            Record::Setting => "setting",
            Record::Procedure => "procedure",
            Record::Notice => "notice",
        }
    }

    pub fn from_code(code: &str) -> Option<Record> {
        Record::LOGGED
            .into_iter()
            .chain([Record::Dossier])
            .find(|r| r.code() == code)
    }

    pub fn label(self, lang: Lang) -> String {
        crate::i18n::t(lang, &format!("audit.record.{}", self.code()))
    }
}

/// How a record differs from what its chain says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Mismatch {
    /// The row was changed behind the app's back; `fields` names the groups of fields
    /// whose tags differ.
    Differs { fields: Vec<String> },
    /// The row exists but no entry records it: inserted behind the app's back.
    NoEntry,
    /// The last entry records the row but it is gone: deleted behind the app's back.
    Removed,
}

/// One record that does not match its chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordMismatch {
    pub record: Record,
    /// The dossier code, account name, setting key, procedure code or notice day.
    pub key: String,
    pub problem: Mismatch,
}

impl RecordMismatch {
    pub fn message(&self, lang: Lang) -> String {
        let record = self.record.label(lang);
        let args = [("record", record.as_str()), ("key", self.key.as_str())];
        match &self.problem {
            Mismatch::Differs { fields } => tf(
                lang,
                "audit.record_differs",
                &[
                    ("record", record.as_str()),
                    ("key", self.key.as_str()),
                    ("fields", fields.join(", ").as_str()),
                ],
            ),
            Mismatch::NoEntry => tf(lang, "audit.record_no_entry", &args),
            Mismatch::Removed => tf(lang, "audit.record_removed", &args),
        }
    }
}

/// A record's state as hashed: named groups of fields, each a list of cells.
pub type StateGroups<'a> = Vec<(&'static str, Vec<Cell<'a>>)>;

const STATE_VERSION: &[u8] = b"motcua-state-v1\n";
/// Hex digits of each group's tag: enough to name what changed, never relied on to decide
/// whether it did.
const TAG_HEX: usize = 4;

/// The digest of a record's state: the full SHA-256 over every group, then `:` and a short
/// tag per group, in order.
pub fn state_hash(groups: &[(&'static str, Vec<Cell<'_>>)]) -> String {
    let mut full = Sha256::new();
    full.update(STATE_VERSION);
    let mut tags = String::with_capacity(groups.len() * TAG_HEX);
    for (name, cells) in groups {
        let bytes = canonical(cells);
        full.update(canonical(&[Cell::Text(name)]));
        full.update(&bytes);
        let mut one = Sha256::new();
        one.update(name.as_bytes());
        one.update(b"\n");
        one.update(&bytes);
        tags.push_str(&hex(&one.finalize())[..TAG_HEX]);
    }
    format!("{}:{tags}", hex(&full.finalize()))
}

/// Which groups differ between a stored and a current digest of the same kind of record
/// (`groups` in hashing order); `None` when the digests agree.
pub fn state_differs(stored: &str, current: &str, groups: &[&'static str]) -> Option<Vec<String>> {
    if stored == current {
        return None;
    }
    let tags = |s: &str| {
        s.split_once(':')
            .map(|(_, t)| t.to_string())
            .unwrap_or_default()
    };
    let (a, b) = (tags(stored), tags(current));
    let fields: Vec<String> = groups
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            let range = i * TAG_HEX..(i + 1) * TAG_HEX;
            a.get(range.clone()) != b.get(range)
        })
        .map(|(_, g)| (*g).to_string())
        .collect();
    Some(if fields.is_empty() {
        vec!["state".to_string()]
    } else {
        fields
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_form_cannot_be_shifted_between_fields() {
        let a = canonical(&[Cell::Text("ab"), Cell::Text("c")]);
        let b = canonical(&[Cell::Text("a"), Cell::Text("bc")]);
        assert_ne!(a, b);
        assert_ne!(
            canonical(&[Cell::Null]),
            canonical(&[Cell::Text("")]),
            "null is not empty text"
        );
        assert_ne!(canonical(&[Cell::Int(1)]), canonical(&[Cell::Text("1")]));
    }

    #[test]
    fn the_hash_commits_to_the_previous_entry_and_every_field() {
        let cells = [Cell::Int(1), Cell::Text("created"), Cell::Null];
        let h = entry_hash("00", &cells);
        assert_eq!(h.len(), 64);
        assert_eq!(h, entry_hash("00", &cells), "deterministic");
        assert_ne!(h, entry_hash("01", &cells));
        assert_ne!(
            h,
            entry_hash("00", &[Cell::Int(1), Cell::Text("created"), Cell::Int(0)])
        );
    }

    #[test]
    fn genesis_depends_on_the_chain_and_the_older_entries() {
        let empty_events = Genesis::new(Chain::Events).finish();
        assert_ne!(empty_events, Genesis::new(Chain::AuditLog).finish());
        let mut g = Genesis::new(Chain::Events);
        g.add(&[Cell::Int(1)]);
        assert_ne!(g.finish(), empty_events);
    }

    #[test]
    fn a_state_digest_names_the_group_that_changed() {
        let groups = |id: &'static str, rating: i64| -> StateGroups<'static> {
            vec![
                ("applicant_id_number", vec![Cell::Text(id)]),
                ("handover", vec![Cell::Int(rating)]),
            ]
        };
        let names = ["applicant_id_number", "handover"];
        let before = state_hash(&groups("001099000001", 5));
        assert_eq!(state_differs(&before, &before, &names), None);
        let after = state_hash(&groups("001099000001", 1));
        assert_eq!(
            state_differs(&before, &after, &names),
            Some(vec!["handover".to_string()])
        );
        let after = state_hash(&groups("001099000002", 5));
        assert_eq!(
            state_differs(&before, &after, &names),
            Some(vec!["applicant_id_number".to_string()])
        );
        assert_eq!(
            state_differs("", &after, &names),
            Some(names.iter().map(|n| n.to_string()).collect())
        );
    }

    #[test]
    fn broken_entries_name_the_entry() {
        let b = BrokenEntry {
            chain: Chain::Events,
            id: 42,
            reason: BreakReason::Edited,
        };
        assert!(
            b.message(Lang::En).contains("42"),
            "{}",
            b.message(Lang::En)
        );
        assert!(b.message(Lang::Vi).contains("42"));
    }
}
