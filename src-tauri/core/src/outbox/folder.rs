//! The drop folder: for an office that carries its data on a USB stick. Messages are
//! written as JSON Lines (`Message::wire`, one object a line), one file per Vietnam day
//! (`motcua-outbox-YYYY-MM-DD.jsonl`, the day the change was made, so a message always goes
//! to the same file however late it is sent).
//!
//! Whole lines are appended, each in one write, and the file is flushed to the disk
//! (`fsync`) before the message counts as delivered. Idempotent: a message whose key is
//! already in its day's file is not written again (a sender killed between the write and
//! the outbox's acknowledgement). A line torn by a power cut (the file does not end with a
//! newline) is cut off at the next write: it was never acknowledged, so its message is still
//! in the outbox and is written whole. Appending rather than rewriting lets a window's sender
//! and a scheduled `outbox run` on one desk write the same file without losing each other's
//! lines.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::{Message, OutboxError, SendError};
use crate::vntime::vn_date;

/// The day's file name.
pub fn file_name(day: chrono::NaiveDate) -> String {
    format!("motcua-outbox-{}.jsonl", day.format("%Y-%m-%d"))
}

/// Makes the folder if missing and proves it can be written; answers its absolute path.
pub fn prepare(path: &str) -> Result<String, OutboxError> {
    let bad = |detail: String| OutboxError::BadFolder {
        path: path.to_string(),
        detail,
    };
    if path.trim().is_empty() {
        return Err(bad("—".into()));
    }
    let dir = PathBuf::from(path);
    std::fs::create_dir_all(&dir).map_err(|e| bad(e.to_string()))?;
    let dir = std::fs::canonicalize(&dir).map_err(|e| bad(e.to_string()))?;
    let probe = dir.join(".motcua-outbox-probe");
    std::fs::write(&probe, b"").map_err(|e| bad(e.to_string()))?;
    std::fs::remove_file(&probe).map_err(|e| bad(e.to_string()))?;
    Ok(dir.to_string_lossy().into_owned())
}

/// Writes `message` to its day's file in `dir`, unless it is already there.
pub fn deliver(dir: &Path, message: &Message) -> Result<(), SendError> {
    let path = dir.join(file_name(vn_date(message.created_at)));
    let failed = |e: std::io::Error| SendError::Folder {
        path: path.display().to_string(),
        detail: e.to_string(),
    };
    let mut file = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(&path)
        .map_err(failed)?;
    // The file may hold applicants' fields: its owner's alone, as every such file is.
    crate::private_fs::tighten(&path).map_err(failed)?;
    let mut text = String::new();
    file.read_to_string(&mut text).map_err(failed)?;
    let whole = match text.rfind('\n') {
        Some(end) => end + 1,
        None => 0,
    };
    if whole < text.len() {
        file.set_len(u64::try_from(whole).unwrap_or(0))
            .map_err(failed)?;
        file.seek(SeekFrom::End(0)).map_err(failed)?;
    }
    if contains_key(&text[..whole], &message.idempotency_key) {
        return Ok(());
    }
    let mut line = message.wire().to_string();
    line.push('\n');
    file.write_all(line.as_bytes()).map_err(failed)?;
    file.sync_all().map_err(failed)?;
    sync_dir(dir);
    Ok(())
}

fn contains_key(lines: &str, key: &str) -> bool {
    lines
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .any(|value| value.get("key").and_then(|k| k.as_str()) == Some(key))
}

/// The folder's entry for a new file reaches the disk too (unix; Windows cannot open a
/// folder as a file and flushes its entries with the file).
fn sync_dir(dir: &Path) {
    if cfg!(unix) {
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(seq: i64) -> Message {
        Message {
            id: seq,
            destination_id: 1,
            code: "000.00.14.H56-261205-0001".into(),
            seq,
            idempotency_key: format!("000.00.14.H56-261205-0001:{seq}:1"),
            event: "status".into(),
            body: serde_json::json!({ "status": 4 }),
            personal: None,
            created_at: crate::vntime::from_millis(1_764_900_000_000),
            attempts: 0,
        }
    }

    #[test]
    fn written_once_and_a_torn_line_is_cut_off() {
        let dir = tempfile::tempdir().unwrap();
        deliver(dir.path(), &message(1)).unwrap();
        deliver(dir.path(), &message(1)).unwrap();
        let path = dir.path().join(file_name(vn_date(message(1).created_at)));
        // A power cut in the middle of the next line.
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(b"{\"version\":1,\"key\":\"000.00").unwrap();
        drop(f);
        deliver(dir.path(), &message(2)).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let seqs: Vec<i64> = text
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["seq"]
                    .as_i64()
                    .unwrap()
            })
            .collect();
        assert_eq!(seqs, vec![1, 2]);
    }

    #[test]
    fn a_folder_that_cannot_be_made_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a-file");
        std::fs::write(&file, b"x").unwrap();
        let inside = file.join("sub");
        assert!(matches!(
            prepare(&inside.to_string_lossy()),
            Err(OutboxError::BadFolder { .. })
        ));
        assert!(prepare(&dir.path().join("new").to_string_lossy()).is_ok());
    }
}
