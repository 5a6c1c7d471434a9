//! The command line's signed-in person. `motcua login` writes a session file for this
//! computer user and this database: the account, a random token and the last command's
//! time. The token is only a key: the database's access log holds its SHA-256 from the
//! "session opened" entry until a "session closed" one, so a file that was copied, forged
//! or kept after `motcua logout` opens nothing. The file lives in a 0700 folder under the
//! user's data folder and is 0600; a file or folder that others may read is refused rather
//! than trusted. Like the window's, a session ends after the `idle-lock-minutes` setting
//! without a command.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{CoreError, CoreResult};
use crate::vntime::{from_millis, to_millis};

/// The folder of session files inside the user's data folder.
pub const FOLDER: &str = "sessions";

/// One signed-in account for one database, as kept on disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CliSession {
    /// The login name.
    pub account: String,
    /// The database it was opened on (password hidden), to tell files apart when read.
    pub database: String,
    /// 32 random bytes in hex: the database knows only their digest.
    pub token: String,
    /// UTC milliseconds.
    pub opened_at: i64,
    /// UTC milliseconds of the last command run in this session.
    pub last_used: i64,
}

impl CliSession {
    /// A new session for `account` on `database` (as `desk_config::redact` shows it).
    pub fn new(account: &str, database: &str, now: DateTime<Utc>) -> CliSession {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        CliSession {
            account: account.to_string(),
            database: database.to_string(),
            token: hex(&bytes),
            opened_at: to_millis(now),
            last_used: to_millis(now),
        }
    }

    /// What the access log records of the token: its SHA-256, never the token.
    pub fn token_digest(&self) -> String {
        hex(&Sha256::digest(self.token.as_bytes()))
    }

    /// Whether the session has gone `idle` without a command at `now`.
    pub fn is_expired(&self, idle: Duration, now: DateTime<Utc>) -> bool {
        now - from_millis(self.last_used) > idle
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The session file of `database` under `data_dir`: one file per database, named by the
/// digest of its location, so a desk that works on two databases keeps two sessions.
pub fn path(data_dir: &Path, database: &str) -> PathBuf {
    let digest = hex(&Sha256::digest(database.as_bytes()));
    data_dir
        .join(FOLDER)
        .join(format!("{}.json", &digest[..32]))
}

fn file_error(path: &Path, source: std::io::Error) -> CoreError {
    CoreError::File {
        path: path.display().to_string(),
        source,
    }
}

/// The session kept at `path`, `None` when there is none. A file or folder that others
/// may read or write, or that belongs to another user, is refused.
pub fn load(path: &Path) -> CoreResult<Option<CliSession>> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(file_error(path, e)),
    };
    check_private(path, &meta, 0o600)?;
    if let Some(dir) = path.parent() {
        let dir_meta = std::fs::symlink_metadata(dir).map_err(|e| file_error(dir, e))?;
        check_private(dir, &dir_meta, 0o700)?;
    }
    let text = std::fs::read_to_string(path).map_err(|e| file_error(path, e))?;
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| CoreError::Json(format!("{}: {e}", path.display())))
}

#[cfg(unix)]
fn check_private(path: &Path, meta: &std::fs::Metadata, allowed: u32) -> CoreResult<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let mode = meta.permissions().mode() & 0o7777;
    // SAFETY: geteuid has no preconditions and cannot fail.
    #[allow(unsafe_code)]
    let me = unsafe { libc::geteuid() };
    let kind_ok = if allowed == 0o700 {
        meta.file_type().is_dir()
    } else {
        meta.file_type().is_file()
    };
    if !kind_ok || mode & !allowed != 0 || meta.uid() != me {
        return Err(CoreError::Access(
            crate::accounts::AccessError::NotPrivate {
                path: path.display().to_string(),
                mode: format!("{mode:04o}"),
            },
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path, _meta: &std::fs::Metadata, _allowed: u32) -> CoreResult<()> {
    // The data folder in the user's own profile is private on Windows.
    Ok(())
}

/// Writes the session whole (a private temporary file renamed over it), making the folder
/// 0700 and the file 0600 whatever the umask.
pub fn save(path: &Path, session: &CliSession) -> CoreResult<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    make_private_dir(dir)?;
    let json = serde_json::to_string(session).map_err(|e| CoreError::Json(e.to_string()))?;
    let staged = path.with_extension("json.new");
    write_private(&staged, json.as_bytes()).map_err(|e| file_error(&staged, e))?;
    std::fs::rename(&staged, path).map_err(|e| file_error(path, e))
}

/// Removes the session file; none there is not an error.
pub fn remove(path: &Path) -> CoreResult<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(file_error(path, e)),
    }
}

#[cfg(unix)]
fn make_private_dir(dir: &Path) -> CoreResult<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| file_error(dir, e))?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
        .map_err(|e| file_error(dir, e))
}

#[cfg(not(unix))]
fn make_private_dir(dir: &Path) -> CoreResult<()> {
    std::fs::create_dir_all(dir).map_err(|e| file_error(dir, e))
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    // A file left over with wider modes keeps them through `open`: narrow it.
    f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

/// Reads a password kept in a file for a scheduled job (its first line). The file must be
/// the user's own and 0600 (or narrower): a password others can read is refused.
pub fn read_password_file(path: &Path) -> CoreResult<String> {
    let meta = std::fs::metadata(path).map_err(|e| file_error(path, e))?;
    check_private(path, &meta, 0o600)?;
    let text = std::fs::read_to_string(path).map_err(|e| file_error(path, e))?;
    let line = text.split('\n').next().unwrap_or("");
    Ok(line.strip_suffix('\r').unwrap_or(line).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(1_800_000_000 + secs, 0).unwrap_or_default()
    }

    #[test]
    fn a_session_expires_after_the_idle_time_from_its_last_command() {
        let mut s = CliSession::new("an.nv", "/srv/desk.db", at(0));
        assert_eq!(s.token.len(), 64);
        assert_ne!(s.token_digest(), s.token);
        assert!(!s.is_expired(Duration::minutes(10), at(600)));
        assert!(s.is_expired(Duration::minutes(10), at(601)));
        s.last_used = to_millis(at(300));
        assert!(!s.is_expired(Duration::minutes(10), at(900)));
        let other = CliSession::new("an.nv", "/srv/desk.db", at(0));
        assert_ne!(other.token, s.token, "each session has its own token");
    }

    #[test]
    fn files_are_per_database_and_private() {
        let dir = tempfile::tempdir().unwrap();
        let a = path(dir.path(), "/srv/a.db");
        let b = path(dir.path(), "/srv/b.db");
        assert_ne!(a, b);
        assert_eq!(load(&a).unwrap(), None);
        let s = CliSession::new("an.nv", "/srv/a.db", at(0));
        save(&a, &s).unwrap();
        assert_eq!(load(&a).unwrap(), Some(s));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&a), 0o600);
            assert_eq!(mode(a.parent().unwrap()), 0o700);
            std::fs::set_permissions(&a, std::fs::Permissions::from_mode(0o644)).unwrap();
            let err = load(&a).unwrap_err();
            assert_eq!(err.kind(), "not_private", "{err}");
            assert!(err.message(crate::i18n::Lang::En).contains("0644"), "{err}");
            std::fs::set_permissions(&a, std::fs::Permissions::from_mode(0o600)).unwrap();
            std::fs::set_permissions(a.parent().unwrap(), std::fs::Permissions::from_mode(0o755))
                .unwrap();
            assert_eq!(load(&a).unwrap_err().kind(), "not_private");
        }
        remove(&a).unwrap();
        remove(&a).unwrap();
        assert_eq!(load(&b).unwrap(), None);
    }

    #[test]
    fn a_password_file_must_be_private() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pw");
        std::fs::write(&file, "hoa sen 2027\r\nrest\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
            assert_eq!(read_password_file(&file).unwrap_err().kind(), "not_private");
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        assert_eq!(read_password_file(&file).unwrap(), "hoa sen 2027");
    }
}
