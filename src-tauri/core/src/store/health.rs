//! Is the database whole? The engine's own check, and the promises the store makes: every
//! dossier has its "created" event and matches the state its last event records, and each
//! day's numbers run without a gap up to the day's counter. Used after a crash and by
//! `motcua check`.

use serde::Serialize;
use sqlx::Row;

use super::backup::LostNumbers;
use super::Store;
use crate::error::CoreResult;

/// Numbers of one day that were issued by the counter but belong to no dossier, or the
/// counter lagging behind the dossiers (the next intake would collide).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    pub agency_code: String,
    pub day: String,
    pub first: i64,
    pub last: i64,
    pub dossiers: i64,
    pub counter: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Health {
    pub integrity_ok: bool,
    pub dossiers: i64,
    pub events: i64,
    /// Codes of dossiers without their "created" event (at most 100).
    pub without_created_event: Vec<String>,
    /// Days whose numbers are not `first..=last` with the counter at `last`. Raising the
    /// first number in the middle of a day makes such a jump on purpose.
    pub gaps: Vec<Gap>,
    /// Days whose only missing numbers were given out after a backup and lost when it was
    /// restored (the restore's access-log entry names them): told, not a fault.
    pub lost_by_restore: Vec<Gap>,
    /// Dossiers whose row (or hand-over, pauses, transfers) no longer matches the state
    /// digest of their last event, or that have none (at most 100; `audit verify` lists all).
    pub not_as_recorded: Vec<crate::audit::RecordMismatch>,
}

impl Health {
    pub fn ok(&self) -> bool {
        self.integrity_ok
            && self.without_created_event.is_empty()
            && self.gaps.is_empty()
            && self.not_as_recorded.is_empty()
    }
}

impl Store {
    pub async fn health(&self) -> CoreResult<Health> {
        let integrity_ok = self.integrity_check().await?;
        let dossiers = self.count().await?;
        let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events")
            .fetch_one(self.pool())
            .await?;
        let without_created_event: Vec<String> = sqlx::query_scalar(
            "SELECT code FROM dossiers d WHERE NOT EXISTS \
             (SELECT 1 FROM events e WHERE e.dossier_id = d.id AND e.kind = 'created') \
             ORDER BY code LIMIT 100",
        )
        .fetch_all(self.pool())
        .await?;
        let rows = sqlx::query(
            "SELECT d.agency_code, d.day, MIN(d.seq) AS first, MAX(d.seq) AS last, COUNT(*) AS n, \
             MAX(c.last_seq) AS counter FROM dossiers d \
             LEFT JOIN day_counters c ON c.agency_code = d.agency_code AND c.day = d.day \
             GROUP BY d.agency_code, d.day ORDER BY d.day, d.agency_code",
        )
        .fetch_all(self.pool())
        .await?;
        let lost = self.numbers_lost_by_restores().await?;
        let mut gaps = Vec::new();
        let mut lost_by_restore = Vec::new();
        for row in rows {
            let gap = Gap {
                agency_code: row.try_get("agency_code")?,
                day: row.try_get("day")?,
                first: row.try_get("first")?,
                last: row.try_get("last")?,
                dossiers: row.try_get("n")?,
                counter: row.try_get("counter")?,
            };
            if gap.dossiers != gap.last - gap.first + 1 || gap.counter != Some(gap.last) {
                if self.explained_by_restores(&gap, &lost).await? {
                    lost_by_restore.push(gap);
                } else {
                    gaps.push(gap);
                }
            }
        }
        let mut conn = self.pool().acquire().await?;
        let mut not_as_recorded = super::audit::verify_dossiers(&mut conn).await?;
        not_as_recorded.truncate(100);
        Ok(Health {
            integrity_ok,
            dossiers,
            events,
            without_created_event,
            gaps,
            lost_by_restore,
            not_as_recorded,
        })
    }

    /// Every day's numbers the restores of this database recorded as lost.
    async fn numbers_lost_by_restores(&self) -> CoreResult<Vec<LostNumbers>> {
        let entries: Vec<String> =
            sqlx::query_scalar("SELECT data_json FROM audit_log WHERE kind = 'restored'")
                .fetch_all(self.pool())
                .await?;
        Ok(entries
            .iter()
            .filter_map(|data| serde_json::from_str::<serde_json::Value>(data).ok())
            .filter_map(|data| {
                serde_json::from_value::<Vec<LostNumbers>>(data.get("lost_numbers")?.clone()).ok()
            })
            .flatten()
            .collect())
    }

    /// Whether every number of the day missing from its dossiers (from its first up to its
    /// counter) is one a restore recorded as lost; a counter behind the dossiers never is.
    async fn explained_by_restores(&self, gap: &Gap, lost: &[LostNumbers]) -> CoreResult<bool> {
        let Some(counter) = gap.counter.filter(|c| *c >= gap.last) else {
            return Ok(false);
        };
        let ranges: Vec<&LostNumbers> = lost
            .iter()
            .filter(|l| l.agency_code == gap.agency_code && l.day == gap.day)
            .collect();
        if ranges.is_empty() {
            return Ok(false);
        }
        let seqs: Vec<i64> = sqlx::query_scalar(
            "SELECT seq FROM dossiers WHERE agency_code = $1 AND day = $2 ORDER BY seq",
        )
        .bind(&gap.agency_code)
        .bind(&gap.day)
        .fetch_all(self.pool())
        .await?;
        let present: std::collections::HashSet<i64> = seqs.into_iter().collect();
        Ok((gap.first..=counter)
            .filter(|n| !present.contains(n))
            .all(|n| ranges.iter().any(|l| (l.first..=l.last).contains(&n))))
    }
}
