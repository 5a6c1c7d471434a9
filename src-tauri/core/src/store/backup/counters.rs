//! The numbers a restore must not give out twice.
//!
//! A restore puts back a whole older database, counters included. But the numbers given
//! out since the backup are already outside it: codes printed on citizens' receipts, lines
//! written in the register book, sequence numbers and idempotency keys a receiver has seen.
//! Handing them out again would give two dossiers one code, or make a receiver drop a new
//! change as a duplicate. So each counter keeps the higher of its value in the backup and
//! its value just before the restore.

use serde::{Deserialize, Serialize};
use sqlx::{Any, Row, Transaction};

use crate::error::CoreResult;

/// A day's numbers given out after the backup and lost with the dossiers the restore took
/// away: recorded in the restore's access-log entry, so `motcua check` can tell these gaps
/// from a dossier deleted behind the app's back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LostNumbers {
    pub agency_code: String,
    pub day: String,
    pub first: i64,
    pub last: i64,
}

/// The counters as they stood before the restore.
pub(super) struct Counters {
    days: Vec<(String, String, i64)>,
    registers: Vec<(i64, i64, i64)>,
    outbox: Vec<(i64, String, i64)>,
}

impl Counters {
    pub(super) async fn read(tx: &mut Transaction<'_, Any>) -> CoreResult<Counters> {
        let mut days = Vec::new();
        for row in sqlx::query("SELECT agency_code, day, last_seq FROM day_counters")
            .fetch_all(&mut **tx)
            .await?
        {
            days.push((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?));
        }
        let mut registers = Vec::new();
        for row in sqlx::query("SELECT year, book, last_line FROM register_counters")
            .fetch_all(&mut **tx)
            .await?
        {
            registers.push((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?));
        }
        let mut outbox = Vec::new();
        for row in sqlx::query("SELECT destination_id, code, last_seq FROM outbox_counters")
            .fetch_all(&mut **tx)
            .await?
        {
            outbox.push((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?));
        }
        Ok(Counters {
            days,
            registers,
            outbox,
        })
    }

    /// Raises the restored counters to at least what they were before (an outbox counter
    /// only for a destination the restored database still has); returns each day's numbers
    /// the restore left without a dossier.
    pub(super) async fn keep_higher(
        &self,
        tx: &mut Transaction<'_, Any>,
    ) -> CoreResult<Vec<LostNumbers>> {
        let mut lost = Vec::new();
        for (agency, day, last) in &self.days {
            let restored: Option<i64> = sqlx::query_scalar(
                "SELECT last_seq FROM day_counters WHERE agency_code = $1 AND day = $2",
            )
            .bind(agency)
            .bind(day)
            .fetch_optional(&mut **tx)
            .await?;
            let restored = restored.unwrap_or(0);
            if restored < *last {
                lost.push(LostNumbers {
                    agency_code: agency.clone(),
                    day: day.clone(),
                    first: restored + 1,
                    last: *last,
                });
            }
            sqlx::query(
                "INSERT INTO day_counters (agency_code, day, last_seq) VALUES ($1, $2, $3) \
                 ON CONFLICT (agency_code, day) DO UPDATE SET last_seq = CASE \
                   WHEN day_counters.last_seq > excluded.last_seq THEN day_counters.last_seq \
                   ELSE excluded.last_seq END",
            )
            .bind(agency)
            .bind(day)
            .bind(last)
            .execute(&mut **tx)
            .await?;
        }
        for (year, book, line) in &self.registers {
            // A book with a higher number, or the same book further on, is further on.
            sqlx::query(
                "INSERT INTO register_counters (year, book, last_line) VALUES ($1, $2, $3) \
                 ON CONFLICT (year) DO UPDATE SET \
                   last_line = CASE WHEN excluded.book > register_counters.book \
                     OR (excluded.book = register_counters.book \
                         AND excluded.last_line > register_counters.last_line) \
                     THEN excluded.last_line ELSE register_counters.last_line END, \
                   book = CASE WHEN excluded.book > register_counters.book \
                     THEN excluded.book ELSE register_counters.book END",
            )
            .bind(year)
            .bind(book)
            .bind(line)
            .execute(&mut **tx)
            .await?;
        }
        for (destination, code, last) in &self.outbox {
            sqlx::query(
                "INSERT INTO outbox_counters (destination_id, code, last_seq) \
                 SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM outbox_destinations WHERE id = $1) \
                 ON CONFLICT (destination_id, code) DO UPDATE SET last_seq = CASE \
                   WHEN outbox_counters.last_seq > excluded.last_seq THEN outbox_counters.last_seq \
                   ELSE excluded.last_seq END",
            )
            .bind(destination)
            .bind(code)
            .bind(last)
            .execute(&mut **tx)
            .await?;
        }
        Ok(lost)
    }
}
