//! The fresh databases a run works on: SQLite files in a new folder that is removed at the
//! end, or new databases on a PostgreSQL server that are dropped at the end. The desk's own
//! database is never opened.

use std::path::PathBuf;

use motcua_core::store::is_postgres_url;
use motcua_core::CoreError;

use super::error::BenchError;
use sqlx::any::AnyPoolOptions;
use sqlx::Executor;

pub enum Place {
    Sqlite {
        dir: PathBuf,
    },
    Postgres {
        server: String,
        created: Vec<String>,
    },
}

fn file_error(path: &std::path::Path, source: std::io::Error) -> CoreError {
    CoreError::File {
        path: path.display().to_string(),
        source,
    }
}

/// `postgres://u@h:p/db?opts` with another database name.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let authority_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let server = match base[authority_end..].find('/') {
        Some(slash) => &base[..authority_end + slash],
        None => base,
    };
    format!("{server}/{name}{query}")
}

impl Place {
    /// PostgreSQL when `db` is a postgres:// URL; otherwise SQLite files in a new folder under
    /// `dir` (the system's temporary folder by default).
    pub fn new(db: Option<&str>, dir: Option<PathBuf>) -> Result<Place, BenchError> {
        if let Some(url) = db.filter(|d| is_postgres_url(d.trim())) {
            return Ok(Place::Postgres {
                server: url.trim().to_string(),
                created: Vec::new(),
            });
        }
        let parent = dir.unwrap_or_else(std::env::temp_dir);
        let dir = parent.join(format!("motcua-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| file_error(&dir, e))?;
        Ok(Place::Sqlite { dir })
    }

    pub fn engine(&self) -> &'static str {
        match self {
            Place::Sqlite { .. } => "sqlite",
            Place::Postgres { .. } => "postgresql",
        }
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self, Place::Sqlite { .. })
    }

    /// A new, empty database called `name`: its location for `Store::open`.
    pub async fn create(&mut self, name: &str) -> Result<String, BenchError> {
        match self {
            Place::Sqlite { dir } => Ok(dir.join(format!("{name}.db")).to_string_lossy().into()),
            Place::Postgres { server, created } => {
                let db = format!("motcua_bench_{}_{name}", std::process::id());
                sqlx::any::install_default_drivers();
                let admin = AnyPoolOptions::new()
                    .max_connections(1)
                    .connect(server)
                    .await?;
                admin
                    .execute(format!("DROP DATABASE IF EXISTS {db}").as_str())
                    .await?;
                admin
                    .execute(format!("CREATE DATABASE {db}").as_str())
                    .await?;
                admin.close().await;
                created.push(db.clone());
                Ok(with_database(server, &db))
            }
        }
    }

    /// The folder of an SQLite run (window databases and Chromium's files go there too).
    pub fn scratch_dir(&self) -> PathBuf {
        match self {
            Place::Sqlite { dir } => dir.clone(),
            Place::Postgres { .. } => std::env::temp_dir(),
        }
    }

    /// Removes what the run created. Stores must be closed first.
    pub async fn remove(self) {
        match self {
            Place::Sqlite { dir } => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Place::Postgres { server, created } => {
                if let Ok(admin) = AnyPoolOptions::new()
                    .max_connections(1)
                    .connect(&server)
                    .await
                {
                    for db in created {
                        let _ = admin
                            .execute(format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)").as_str())
                            .await;
                    }
                    admin.close().await;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_name_is_replaced() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:55432/postgres", "x"),
            "postgres://postgres@127.0.0.1:55432/x"
        );
        assert_eq!(
            with_database("postgresql://h/db?sslmode=disable", "x"),
            "postgresql://h/x?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://h:5432", "x"),
            "postgres://h:5432/x"
        );
    }
}
