//! Settings shared by every desk on the database: the agency, numbering, calendar rules,
//! office hours and the secret that signs slips. Stored as key → text.

use std::net::SocketAddr;

use rand::RngCore;

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
/// The office's contact line shown on the citizens' status page.
pub const CONTACT: &str = "contact";
/// Where the desk window runs the citizens' status page in the background (`ADDR:PORT`);
/// empty for not at all.
pub const STATUS_SERVER: &str = "status-server";
/// The longest contact line: a phone number, hours and a counter fit in one line of a phone.
pub const MAX_CONTACT: usize = 200;

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
        let json = self.get_setting(AGENCY).await?.ok_or(CoreError::NotSetUp)?;
        serde_json::from_str(&json).map_err(|e| CoreError::Json(e.to_string()))
    }

    pub async fn is_set_up(&self) -> CoreResult<bool> {
        Ok(self.get_setting(AGENCY).await?.is_some())
    }

    /// The first dossier number of each day (the "reset to" of production systems).
    pub async fn first_number(&self) -> CoreResult<i64> {
        Ok(self
            .get_setting(FIRST_NUMBER)
            .await?
            .and_then(|v| v.parse().ok())
            .unwrap_or(1))
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
        match self.get_setting(OFFICE_HOURS).await? {
            Some(text) => Ok(OfficeHours::parse(&text)?),
            None => Ok(OfficeHours::default()),
        }
    }

    pub async fn calendar_rules(&self) -> CoreResult<CalendarRules> {
        let mut rules = CalendarRules::default();
        if let Some(v) = self.get_setting(NOV24_COMPENSATE).await? {
            rules.nov24_compensate = v == "true";
        }
        Ok(rules)
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
pub const NAMED_SETTINGS: [&str; 9] = [
    "agency-code",
    "governing-body",
    "unit",
    "place",
    "first-number",
    "office-hours",
    NOV24_COMPENSATE,
    CONTACT,
    STATUS_SERVER,
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
            CONTACT => self.get_setting(CONTACT).await?.unwrap_or_default(),
            STATUS_SERVER => self.get_setting(STATUS_SERVER).await?.unwrap_or_default(),
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
            CONTACT => {
                let mut c = crate::validate::Checker::new();
                let line = c.line(CONTACT, value, false, MAX_CONTACT);
                if !c.is_ok() {
                    return Err(CoreError::Invalid(c.errors));
                }
                self.set_setting(CONTACT, &line).await
            }
            STATUS_SERVER => {
                let value = value.trim();
                let stored = if value.is_empty() {
                    String::new()
                } else {
                    parse_listen_address(STATUS_SERVER, value)?.to_string()
                };
                self.set_setting(STATUS_SERVER, &stored).await
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

impl Store {
    /// Where the desk window should run the status page, if anywhere.
    pub async fn status_server(&self) -> CoreResult<Option<SocketAddr>> {
        match self.get_setting(STATUS_SERVER).await? {
            Some(v) if !v.trim().is_empty() => parse_listen_address(STATUS_SERVER, &v).map(Some),
            _ => Ok(None),
        }
    }
}

/// An address to listen on, `ADDR:PORT` (`0.0.0.0:8080`, `192.168.1.10:8080`,
/// `[::]:8080`); `field` names the setting or option in the error.
pub fn parse_listen_address(field: &str, value: &str) -> CoreResult<SocketAddr> {
    value.trim().parse::<SocketAddr>().map_err(|_| {
        CoreError::invalid(
            field,
            Problem::Invalid {
                detail: format!("{}: ADDR:PORT, 0.0.0.0:8080", value.trim()),
            },
        )
    })
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
