//! The hash chain that makes the logs tamper-evident. Each entry stores the hash of the
//! entry before it (`prev_hash`) and its own `hash`, a SHA-256 over a canonical form of its
//! fields and `prev_hash`. Editing an entry changes its hash; deleting, inserting or moving
//! one breaks the link of the entry after it; removing the newest entries no longer matches
//! the chain's head. `store/audit.rs` writes and checks the chains; this module is the
//! arithmetic and the report.
//!
//! What it does not do: someone who can write the database and knows this scheme can
//! recompute every hash after a forgery. The head hash printed by `motcua audit verify`,
//! noted somewhere else from time to time, pins the history up to that point.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::i18n::{tf, Lang};

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
}

impl Chain {
    pub const ALL: [Chain; 2] = [Chain::Events, Chain::AuditLog];

    pub fn table(self) -> &'static str {
        match self {
            Chain::Events => "events",
            Chain::AuditLog => "audit_log",
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
