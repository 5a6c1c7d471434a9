//! The physical limit of the disk: a bare insert loop on its own table, one transaction per
//! row of the same size as an intake writes, with the same durability settings (SQLite in
//! WAL mode with synchronous=FULL; PostgreSQL with its default synchronous commit).

use std::str::FromStr;
use std::time::Duration;

use super::error::BenchError;
use serde::Serialize;
use sqlx::any::AnyConnectOptions;
use sqlx::AnyConnection;
use sqlx::{Connection, Executor};

use super::stats::{stats, timed};

#[derive(Debug, Clone, Default, Serialize)]
pub struct RawResult {
    pub count: usize,
    pub per_second: f64,
    pub median_ms: f64,
    pub p95_ms: f64,
    /// Bytes a registered dossier writes on average: the row, its search terms and its chained
    /// event.
    pub row_bytes: i64,
}

fn options(location: &str, sqlite: bool) -> Result<AnyConnectOptions, BenchError> {
    sqlx::any::install_default_drivers();
    let url = if sqlite {
        let mut encoded = String::new();
        for b in location.bytes() {
            match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                    encoded.push(char::from(b))
                }
                other => encoded.push_str(&format!("%{other:02X}")),
            }
        }
        format!("sqlite://{encoded}?mode=rwc")
    } else {
        location.to_string()
    };
    Ok(AnyConnectOptions::from_str(&url)?)
}

/// One connection with the store's settings (store/mod.rs), so only the work differs.
async fn connect(location: &str, sqlite: bool) -> Result<AnyConnection, BenchError> {
    let mut conn = AnyConnection::connect_with(&options(location, sqlite)?).await?;
    if sqlite {
        conn.execute(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 60000;",
        )
        .await?;
    }
    Ok(conn)
}

/// What one intake stores, on average, in the intake benchmark's database.
pub async fn row_bytes(intake_location: &str, sqlite: bool) -> Result<i64, BenchError> {
    let mut conn = connect(intake_location, sqlite).await?;
    let text = |cols: &[&str]| {
        cols.iter()
            .map(|c| format!("COALESCE(OCTET_LENGTH({c}), 0)"))
            .collect::<Vec<_>>()
            .join(" + ")
    };
    let dossier = text(&[
        "code",
        "agency_code",
        "day",
        "request_id",
        "procedure_code",
        "procedure_json",
        "applicant_name",
        "applicant_id_number",
        "applicant_phone",
        "applicant_email",
        "applicant_address",
        "submitter_json",
        "documents_json",
        "channel",
        "return_json",
        "fee_text",
        "note",
        "desk",
        "issuer_json",
    ]);
    // Integers as eight bytes each: 12 in a dossier row, 1 in a term, 5 in an event.
    let sql = format!(
        "SELECT CAST((SELECT SUM({dossier} + 96) FROM dossiers) AS BIGINT), \
         CAST((SELECT SUM(OCTET_LENGTH(term) + 8) FROM dossier_terms) AS BIGINT), \
         CAST((SELECT SUM({} + 40) FROM events) AS BIGINT), \
         (SELECT COUNT(*) FROM dossiers)",
        text(&["actor", "kind", "note", "data_json", "prev_hash", "hash"])
    );
    let (d, t, e, n): (Option<i64>, Option<i64>, Option<i64>, i64) =
        sqlx::query_as(&sql).fetch_one(&mut conn).await?;
    conn.close().await?;
    let total = d.unwrap_or(0) + t.unwrap_or(0) + e.unwrap_or(0);
    Ok(if n > 0 { total / n } else { 0 })
}

/// A table of its own at `location` (an SQLite file beside the intake database, or the
/// PostgreSQL benchmark database) that takes one durable row per `insert`, on a connection
/// of its own: no pool between the loop and the disk.
pub struct Probe {
    conn: AnyConnection,
    body: String,
    next: i64,
}

impl Probe {
    pub async fn open(location: &str, sqlite: bool, bytes: i64) -> Result<Probe, BenchError> {
        let mut conn = connect(location, sqlite).await?;
        conn.execute("CREATE TABLE raw_probe (id BIGINT PRIMARY KEY NOT NULL, body TEXT NOT NULL)")
            .await?;
        // Letters, so no engine compresses the row away.
        let body = (0..bytes.max(1))
            .map(|i| char::from(b'a' + u8::try_from(i % 26).unwrap_or(0)))
            .collect();
        Ok(Probe {
            conn,
            body,
            next: 0,
        })
    }

    /// One single-row transaction, committed durably; how long it took.
    pub async fn insert(&mut self) -> Result<Duration, BenchError> {
        self.next += 1;
        let (result, took) = timed(async {
            let mut tx = self.conn.begin().await?;
            sqlx::query("INSERT INTO raw_probe (id, body) VALUES ($1, $2)")
                .bind(self.next)
                .bind(self.body.as_str())
                .execute(&mut *tx)
                .await?;
            tx.commit().await
        })
        .await;
        result?;
        Ok(took)
    }

    pub async fn close(self) -> Result<(), BenchError> {
        let mut conn = self.conn;
        conn.execute("DROP TABLE raw_probe").await?;
        conn.close().await?;
        Ok(())
    }
}

pub fn result(samples: Vec<Duration>, bytes: i64) -> RawResult {
    let count = samples.len();
    let total: f64 = samples.iter().map(Duration::as_secs_f64).sum();
    let s = stats(samples);
    RawResult {
        count,
        per_second: count as f64 / total.max(1e-9),
        median_ms: s.median_ms,
        p95_ms: s.p95_ms,
        row_bytes: bytes,
    }
}
