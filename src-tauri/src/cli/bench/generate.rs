//! A busy centre's year: realistic dossiers received on the working days of `YEAR` during
//! office hours, in order (so codes run consecutively each day), each with what later
//! happened to it, loaded in batches through `Store::insert_bulk`. The database grows in
//! steps so search can be measured at each size.

use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use motcua_core::calendar::{due_at, OfficeHours, WorkCalendar};
use motcua_core::intake::validate;
use motcua_core::procedure::Procedure;
use motcua_core::sample::Sampler;
use motcua_core::store::{Actor, BulkDossier, Store};
use motcua_core::text::fold;
use motcua_core::vntime::{from_vn, vn_day_start};
use motcua_core::CoreError;

use super::error::BenchError;
use serde::Serialize;

/// The year the dossiers are received in: the last complete year whose holidays the seeded
/// notices announce.
pub const YEAR: i32 = 2025;
const BATCH: usize = 2000;
/// One dossier in this many is remembered for searching and scanning.
const PROBE_EVERY: usize = 97;

#[derive(Debug, Clone, Default, Serialize)]
pub struct GenerateResult {
    pub seconds: f64,
    pub dossiers: usize,
    pub per_second: f64,
}

/// What a clerk would search for to find one generated dossier.
#[derive(Debug, Clone)]
pub struct Probe {
    pub code: String,
    pub folded_name: String,
    pub id_number: String,
    pub phone: String,
}

pub struct Generator {
    sampler: Sampler,
    procedures: Vec<Procedure>,
    calendar: WorkCalendar,
    hours: OfficeHours,
    days: Vec<NaiveDate>,
    total: usize,
    made: usize,
    year_end: DateTime<Utc>,
    actor: Actor,
    pub probes: Vec<Probe>,
    pub elapsed: Duration,
}

impl Generator {
    /// Ready to make `total` dossiers spread over `YEAR`.
    pub async fn new(store: &Store, total: usize) -> Result<Generator, BenchError> {
        let calendar = store.work_calendar().await?;
        let days: Vec<NaiveDate> = NaiveDate::from_ymd_opt(YEAR, 1, 1)
            .into_iter()
            .flat_map(|d| d.iter_days())
            .take_while(|d| chrono::Datelike::year(d) == YEAR)
            .filter(|d| calendar.is_working_day(*d))
            .collect();
        if days.is_empty() {
            return Err(BenchError::Step(format!("no working day in {YEAR}")));
        }
        let year_end = NaiveDate::from_ymd_opt(YEAR + 1, 1, 1)
            .map(vn_day_start)
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        Ok(Generator {
            sampler: Sampler::new(2025),
            procedures: store.procedures(false).await?,
            hours: store.office_hours().await?,
            calendar,
            days,
            total: total.max(1),
            made: 0,
            year_end,
            actor: Actor::new("bench", "Quầy 1"),
            probes: Vec::new(),
            elapsed: Duration::ZERO,
        })
    }

    pub fn made(&self) -> usize {
        self.made
    }

    /// Dossier `i` of `total`: the working days share them evenly, each day's in order
    /// through the morning and afternoon sessions.
    fn received(&self, i: usize) -> DateTime<Utc> {
        let pos = i as f64 * self.days.len() as f64 / self.total as f64;
        let day = self.days[(pos as usize).min(self.days.len().saturating_sub(1))];
        let minutes = self.hours.working_minutes_per_day() as f64;
        let mut minute = ((pos - pos.floor()) * minutes) as i64;
        let [(m0, m1), (a0, _)] = self.hours.sessions();
        let morning = (m1 - m0).num_minutes();
        let start: NaiveTime = if minute < morning {
            m0
        } else {
            minute -= morning;
            a0
        };
        from_vn(day.and_time(start) + chrono::Duration::minutes(minute))
    }

    /// Adds dossiers until the database holds `n` of them.
    pub async fn grow_to(&mut self, store: &Store, n: usize) -> Result<(), BenchError> {
        let started = Instant::now();
        while self.made < n.min(self.total) {
            let end = (self.made + BATCH).min(n);
            let mut batch = Vec::with_capacity(end - self.made);
            for i in self.made..end {
                let received = self.received(i);
                let procedure = self
                    .sampler
                    .procedure(&self.procedures)
                    .cloned()
                    .ok_or_else(|| {
                        CoreError::invalid("procedure", motcua_core::error::Problem::Required)
                    })?;
                let req = self.sampler.request(&procedure, received);
                let limit = procedure.limit;
                let intake = validate(&req, Some(procedure), &[], received)?;
                let due = due_at(&self.calendar, &self.hours, limit, intake.received_at);
                let history = self.sampler.history(intake.received_at, due, self.year_end);
                batch.push(BulkDossier {
                    intake,
                    due_at: due,
                    steps: history.steps,
                    rating: history.rating,
                });
            }
            let codes = store.insert_bulk(&batch, &self.actor).await?;
            for (k, (code, d)) in codes.iter().zip(&batch).enumerate() {
                if (self.made + k) % PROBE_EVERY == 0 {
                    self.probes.push(Probe {
                        code: code.clone(),
                        folded_name: fold(&d.intake.applicant.name),
                        id_number: d.intake.applicant.id_number.clone(),
                        phone: d.intake.applicant.phone.clone(),
                    });
                }
            }
            self.made = end;
            if self.made % 50_000 < BATCH {
                eprintln!("motcua bench: {} dossiers generated", self.made);
            }
        }
        self.elapsed += started.elapsed();
        Ok(())
    }

    pub fn result(&self) -> GenerateResult {
        let seconds = self.elapsed.as_secs_f64();
        GenerateResult {
            seconds,
            dossiers: self.made,
            per_second: self.made as f64 / seconds.max(1e-9),
        }
    }
}
