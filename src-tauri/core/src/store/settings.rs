//! Settings shared by every desk on the database: the agency, numbering, calendar rules,
//! office hours and the secret that signs slips. Stored as key → text.

use rand::RngCore;
use sqlx::Row;

use super::Store;
use crate::agency::{Agency, AgencyInput};
use crate::calendar::{CalendarRules, OfficeHours};
use crate::error::{CoreError, CoreResult, Problem};

pub(crate) const SEEDED: &str = "internal.seeded";
pub const AGENCY: &str = "agency";
pub const FIRST_NUMBER: &str = "first-number";
pub const SLIP_SECRET: &str = "internal.slip-secret";
pub const OFFICE_HOURS: &str = "office-hours";
pub const NOV24_COMPENSATE: &str = "calendar.nov24-compensate";
pub const LOOKUP_URL: &str = "lookup-url";
pub const PRINTER: &str = "printer";
pub const PAPER: &str = "paper";
pub(crate) const CALENDAR_VERSION: &str = "internal.calendar-version";
pub(crate) const CATALOG_VERSION: &str = "internal.catalog-version";
pub(crate) const SETTINGS_VERSION: &str = "internal.settings-version";

impl Store {
    pub async fn get_setting(&self, key: &str) -> CoreResult<Option<String>> {
        let value: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(self.pool())
            .await?;
        Ok(value)
    }

    pub async fn set_setting(&self, key: &str, value: &str) -> CoreResult<()> {
        sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(key)
            .bind(value)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// First-run set-up, and later edits of the agency. Creates the slip secret once.
    pub async fn setup(&self, input: &AgencyInput) -> CoreResult<Agency> {
        let (agency, first_number) = input.validate()?;
        let json = serde_json::to_string(&agency).map_err(|e| CoreError::Json(e.to_string()))?;
        let mut tx = self.pool().begin().await?;
        for (key, value) in [(AGENCY, json), (FIRST_NUMBER, first_number.to_string())] {
            sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
                .bind(key)
                .bind(value)
                .execute(&mut *tx)
                .await?;
        }
        let mut secret = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut secret);
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
        )
        .bind(SLIP_SECRET)
        .bind(hex(&secret))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(agency)
    }

    /// The agency, or `NotSetUp` before the first-run set-up.
    pub async fn agency(&self) -> CoreResult<Agency> {
        parse_agency(self.get_setting(AGENCY).await?)
    }

    pub async fn is_set_up(&self) -> CoreResult<bool> {
        Ok(self.get_setting(AGENCY).await?.is_some())
    }

    /// The first dossier number of each day (the "reset to" of production systems).
    pub async fn first_number(&self) -> CoreResult<i64> {
        Ok(parse_first_number(self.get_setting(FIRST_NUMBER).await?))
    }

    pub async fn set_first_number(&self, value: i64) -> CoreResult<()> {
        if !(1..=crate::agency::MAX_FIRST_NUMBER).contains(&value) {
            return Err(CoreError::invalid(
                "agency.first_number",
                Problem::OutOfRange {
                    min: 1,
                    max: crate::agency::MAX_FIRST_NUMBER,
                },
            ));
        }
        self.set_setting(FIRST_NUMBER, &value.to_string()).await
    }

    pub async fn office_hours(&self) -> CoreResult<OfficeHours> {
        parse_office_hours(self.get_setting(OFFICE_HOURS).await?)
    }

    pub async fn calendar_rules(&self) -> CoreResult<CalendarRules> {
        Ok(parse_rules(self.get_setting(NOV24_COMPENSATE).await?))
    }

    /// Everything registering a dossier reads from the settings, in one query: each query is a
    /// round trip to the database, and an intake is timed against a bare durable insert.
    pub(super) async fn intake_settings(&self) -> CoreResult<IntakeSettings> {
        let keys = [
            AGENCY,
            FIRST_NUMBER,
            OFFICE_HOURS,
            NOV24_COMPENSATE,
            CALENDAR_VERSION,
            CATALOG_VERSION,
            SETTINGS_VERSION,
        ];
        let mut query = sqlx::query(
            "SELECT key, value FROM settings WHERE key IN ($1, $2, $3, $4, $5, $6, $7)",
        );
        for key in keys {
            query = query.bind(key);
        }
        let rows = query.fetch_all(self.pool()).await?;
        let mut values = std::collections::HashMap::new();
        for row in &rows {
            values.insert(
                row.try_get::<String, _>("key")?,
                row.try_get::<String, _>("value")?,
            );
        }
        Ok(IntakeSettings {
            agency: parse_agency(values.remove(AGENCY))?,
            first_number: parse_first_number(values.remove(FIRST_NUMBER)),
            hours: parse_office_hours(values.remove(OFFICE_HOURS))?,
            rules: parse_rules(values.remove(NOV24_COMPENSATE)),
            calendar_version: values.remove(CALENDAR_VERSION),
            catalog_version: values.remove(CATALOG_VERSION),
            version: values.remove(SETTINGS_VERSION),
        })
    }

    /// The secret that signs slips, created at set-up.
    pub async fn slip_secret(&self) -> CoreResult<Vec<u8>> {
        let text = self
            .get_setting(SLIP_SECRET)
            .await?
            .ok_or(CoreError::NotSetUp)?;
        unhex(&text).ok_or_else(|| CoreError::Json("slip secret".into()))
    }
}

/// What an intake reads from the settings (see `Store::intake_settings`).
#[derive(Debug, Clone)]
pub(super) struct IntakeSettings {
    pub agency: Agency,
    pub first_number: i64,
    pub hours: OfficeHours,
    pub rules: CalendarRules,
    /// Bumped by triggers on every change to the calendar notices (migration 0005).
    pub calendar_version: Option<String>,
    /// Bumped by triggers on every change to the procedures (migration 0005).
    pub catalog_version: Option<String>,
    /// Bumped by triggers on every change to the settings, these counters included.
    pub version: Option<String>,
}

fn parse_agency(json: Option<String>) -> CoreResult<Agency> {
    let json = json.ok_or(CoreError::NotSetUp)?;
    serde_json::from_str(&json).map_err(|e| CoreError::Json(e.to_string()))
}

fn parse_first_number(value: Option<String>) -> i64 {
    value.and_then(|v| v.parse().ok()).unwrap_or(1)
}

fn parse_office_hours(value: Option<String>) -> CoreResult<OfficeHours> {
    match value {
        Some(text) => Ok(OfficeHours::parse(&text)?),
        None => Ok(OfficeHours::default()),
    }
}

fn parse_rules(nov24: Option<String>) -> CalendarRules {
    let mut rules = CalendarRules::default();
    if let Some(v) = nov24 {
        rules.nov24_compensate = v == "true";
    }
    rules
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The settings a person may read and change by name (the window's settings screen and
/// `motcua settings`), each validated the same way wherever it is set.
pub const NAMED_SETTINGS: [&str; 7] = [
    "agency-code",
    "governing-body",
    "unit",
    "place",
    "first-number",
    "office-hours",
    NOV24_COMPENSATE,
];

impl Store {
    pub async fn get_named(&self, key: &str) -> CoreResult<String> {
        let agency = || async { self.agency().await };
        Ok(match key {
            "agency-code" => agency().await?.code.to_string(),
            "governing-body" => agency().await?.governing_body,
            "unit" => agency().await?.unit,
            "place" => agency().await?.place,
            "first-number" => self.first_number().await?.to_string(),
            "office-hours" => self.office_hours().await?.to_string(),
            NOV24_COMPENSATE => self.calendar_rules().await?.nov24_compensate.to_string(),
            LOOKUP_URL => self.get_setting(LOOKUP_URL).await?.unwrap_or_default(),
            PRINTER => self.get_setting(PRINTER).await?.unwrap_or_default(),
            PAPER => self.paper().await?.to_string(),
            other => return Err(unknown_setting(other)),
        })
    }

    pub async fn set_named(&self, key: &str, value: &str) -> CoreResult<()> {
        match key {
            "agency-code" | "governing-body" | "unit" | "place" => {
                let current = self.agency().await?;
                let mut input = AgencyInput {
                    agency_code: current.code.to_string(),
                    governing_body: current.governing_body,
                    unit: current.unit,
                    place: current.place,
                    first_number: Some(self.first_number().await?),
                };
                match key {
                    "agency-code" => input.agency_code = value.to_string(),
                    "governing-body" => input.governing_body = value.to_string(),
                    "unit" => input.unit = value.to_string(),
                    _ => input.place = value.to_string(),
                }
                self.setup(&input).await.map(|_| ())
            }
            "first-number" => {
                let n = value.trim().parse::<i64>().map_err(|_| {
                    CoreError::invalid(
                        "agency.first_number",
                        Problem::OutOfRange {
                            min: 1,
                            max: crate::agency::MAX_FIRST_NUMBER,
                        },
                    )
                })?;
                self.set_first_number(n).await
            }
            "office-hours" => {
                let hours = OfficeHours::parse(value)?;
                self.set_setting(OFFICE_HOURS, &hours.to_string()).await
            }
            NOV24_COMPENSATE => match value.trim() {
                "true" | "false" => self.set_setting(NOV24_COMPENSATE, value.trim()).await,
                other => Err(CoreError::invalid(
                    NOV24_COMPENSATE,
                    Problem::Invalid {
                        detail: other.to_string(),
                    },
                )),
            },
            LOOKUP_URL => {
                let template = value.trim();
                if !template.is_empty() && !is_lookup_template(template) {
                    return Err(CoreError::invalid(LOOKUP_URL, Problem::LookupUrl));
                }
                self.set_setting(LOOKUP_URL, template).await
            }
            PRINTER => {
                let mut c = crate::validate::Checker::new();
                let name = c.line(PRINTER, value, false, 127);
                if !c.is_ok() {
                    return Err(CoreError::Invalid(c.errors));
                }
                self.set_setting(PRINTER, &name).await
            }
            PAPER => {
                let paper: crate::documents::Paper = value.trim().parse().map_err(|_| {
                    CoreError::invalid(
                        PAPER,
                        Problem::Invalid {
                            detail: "a4, a5, 80mm".into(),
                        },
                    )
                })?;
                self.set_setting(PAPER, &paper.to_string()).await
            }
            other => Err(unknown_setting(other)),
        }
    }

    /// The desk's paper for receipts (A5 unless chosen).
    pub async fn paper(&self) -> CoreResult<crate::documents::Paper> {
        Ok(self
            .get_setting(PAPER)
            .await?
            .and_then(|p| p.parse().ok())
            .unwrap_or(crate::documents::Paper::A5))
    }
}

/// An http(s) URL in plain ASCII with a `{code}` placeholder: a desk scanner must be able
/// to type it back, and a phone must be able to open it.
fn is_lookup_template(t: &str) -> bool {
    (t.starts_with("http://") || t.starts_with("https://"))
        && t.contains("{code}")
        && t.len() <= 300
        && t.chars().all(|c| c.is_ascii_graphic())
}

fn unknown_setting(key: &str) -> CoreError {
    CoreError::invalid(
        "setting",
        Problem::Invalid {
            detail: format!("{key}; known: {}", NAMED_SETTINGS.join(", ")),
        },
    )
}
