//! The desk's own configuration file (`desk.json` in the user's data folder): which database
//! this computer opens, and optionally its desk name. It cannot live in the database it
//! chooses. `--db` and `MOTCUA_DB` still win over it; without any, the default SQLite file.
//! A PostgreSQL password is kept in the file (the desk needs it to connect; the file is
//! readable by its owner only) but never shown: `redact` hides it wherever it is displayed.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::CoreError;
use crate::problem::{FieldError, Problem};
use crate::store::is_postgres_url;
use crate::text;

/// The file's name inside the data folder.
pub const FILE_NAME: &str = "desk.json";

const MAX_LOCATION: usize = 1000;
const MAX_DESK_NAME: usize = 60;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskConfig {
    /// An SQLite file's absolute path or a `postgres://` URL; empty for the default.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub database: String,
    /// This desk's name; empty for the computer's name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub desk: String,
}

fn file_error(path: &Path, source: std::io::Error) -> CoreError {
    CoreError::File {
        path: path.display().to_string(),
        source,
    }
}

impl DeskConfig {
    /// The file at `path`, or the empty configuration when there is none.
    pub fn load(path: &Path) -> Result<DeskConfig, CoreError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(DeskConfig::default()),
            Err(e) => return Err(file_error(path, e)),
        };
        serde_json::from_str(&text).map_err(|e| CoreError::Json(format!("{}: {e}", path.display())))
    }

    /// Writes the file whole (a temporary file renamed over it), readable by its owner only.
    pub fn save(&self, path: &Path) -> Result<(), CoreError> {
        if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            crate::private_fs::create_dir(dir).map_err(|e| file_error(dir, e))?;
        }
        let json =
            serde_json::to_string_pretty(self).map_err(|e| CoreError::Json(e.to_string()))?;
        let staged = path.with_extension("json.new");
        write_private(&staged, json.as_bytes()).map_err(|e| file_error(&staged, e))?;
        std::fs::rename(&staged, path).map_err(|e| file_error(path, e))
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = crate::private_fs::create(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Checks a desk's name as a person typed it: required, one line, at most 60 characters (it
/// is printed in lists and the register). Returns it cleaned.
pub fn check_desk_name(name: &str) -> Result<String, CoreError> {
    let s = text::clean_line(name);
    let problem = if s.is_empty() {
        Some(Problem::Required)
    } else if s.chars().count() > MAX_DESK_NAME {
        Some(Problem::TooLong { max: MAX_DESK_NAME })
    } else {
        None
    };
    match problem {
        Some(p) => Err(CoreError::Invalid(vec![FieldError::new("desk", p)])),
        None => Ok(s),
    }
}

/// Checks a database location as an administrator typed it: a `postgres://` URL naming a
/// server, or an absolute path to an SQLite file (a relative one would depend on the folder
/// the app happens to start in). Returns it trimmed.
pub fn check_location(location: &str) -> Result<String, CoreError> {
    let s = text::clean(location);
    let problem = if s.is_empty() {
        Some(Problem::Required)
    } else if s.chars().count() > MAX_LOCATION {
        Some(Problem::TooLong { max: MAX_LOCATION })
    } else if is_postgres_url(&s) {
        (!postgres_url_ok(&s)).then_some(Problem::DatabaseLocation)
    } else if s.contains("://") || !Path::new(&s).is_absolute() || Path::new(&s).is_dir() {
        Some(Problem::DatabaseLocation)
    } else {
        None
    };
    match problem {
        Some(p) => Err(CoreError::Invalid(vec![FieldError::new("database", p)])),
        None => Ok(s),
    }
}

/// `postgres://[user[:password]@]host[:port][/database][?…]` with a host.
fn postgres_url_ok(url: &str) -> bool {
    let Some((_, rest)) = url.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match host_port.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(']') || host_port.starts_with('[') => {
            if !port.is_empty() && port.parse::<u16>().is_err() {
                return false;
            }
            host
        }
        _ => host_port,
    };
    !host.is_empty() && !host.chars().any(char::is_whitespace)
}

/// The location with any password replaced by `***`, for screens and logs.
pub fn redact(location: &str) -> String {
    if !is_postgres_url(location) {
        return location.to_string();
    }
    let Some((scheme, rest)) = location.split_once("://") else {
        return location.to_string();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let authority = match authority.rsplit_once('@') {
        Some((user, host)) => match user.split_once(':') {
            Some((name, _)) => format!("{name}:***@{host}"),
            None => format!("{user}@{host}"),
        },
        None => authority.to_string(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let params: Vec<String> = query
                .split('&')
                .map(|p| match p.split_once('=') {
                    Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                    _ => p.to_string(),
                })
                .collect();
            format!("{path}?{}", params.join("&"))
        }
        None => tail.to_string(),
    };
    format!("{scheme}://{authority}{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_show() {
        assert_eq!(
            redact("postgres://desk:s3cr:et@10.0.0.5:5432/motcua"),
            "postgres://desk:***@10.0.0.5:5432/motcua"
        );
        assert_eq!(
            redact("postgresql://10.0.0.5/motcua?user=a&password=b&sslmode=require"),
            "postgresql://10.0.0.5/motcua?user=a&password=***&sslmode=require"
        );
        assert_eq!(redact("postgres://desk@host/db"), "postgres://desk@host/db");
        assert_eq!(redact("/srv/motcua.db"), "/srv/motcua.db");
    }

    #[test]
    fn locations_are_checked() {
        assert!(check_location(" postgres://desk:pw@10.0.0.5:5432/motcua ").is_ok());
        assert!(check_location("postgresql://localhost/motcua").is_ok());
        for bad in [
            "",
            "postgres://",
            "postgres:///motcua",
            "postgres://host:port/db",
            "motcua.db",
            "mysql://host/db",
            "/",
        ] {
            let e = check_location(bad).unwrap_err();
            assert_eq!(e.field_errors()[0].field, "database", "{bad}");
        }
        let dir = std::env::temp_dir().join("motcua-desk.db");
        assert!(check_location(dir.to_str().unwrap()).is_ok());
    }

    #[test]
    fn the_file_round_trips_and_a_missing_one_is_empty() {
        let dir = std::env::temp_dir().join(format!("motcua-desk-config-{}", std::process::id()));
        let path = dir.join(FILE_NAME);
        assert_eq!(DeskConfig::load(&path).unwrap(), DeskConfig::default());
        let config = DeskConfig {
            database: "postgres://a:b@h/db".into(),
            desk: String::new(),
        };
        config.save(&path).unwrap();
        assert_eq!(DeskConfig::load(&path).unwrap(), config);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "{mode:o}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
