//! Settings shared by every desk on the database: the agency, numbering, calendar rules,
//! office hours and the secret that signs slips. Stored as key → text.

use std::net::SocketAddr;

use rand::RngCore;
use sqlx::Row;

use super::{record_log, Store};
use crate::agency::{Agency, AgencyInput};
use crate::calendar::{CalendarRules, OfficeHours};
use crate::error::{CoreError, CoreResult};
use crate::form_set::{FormSet, FORM_SETS};
use crate::i18n::Lang;
use crate::problem::Problem;

pub(crate) const SEEDED: &str = "internal.seeded";
pub const AGENCY: &str = "agency";
pub const FIRST_NUMBER: &str = "first-number";
pub const SLIP_SECRET: &str = "internal.slip-secret";
/// Settings keys under which the slip secrets of merged databases are kept.
pub const IMPORTED_SECRET_PREFIX: &str = "internal.slip-secret.from.";
pub const OFFICE_HOURS: &str = "office-hours";
pub const NOV24_COMPENSATE: &str = "calendar.nov24-compensate";
pub const LOOKUP_URL: &str = "lookup-url";
pub const PRINTER: &str = "printer";
pub const PAPER: &str = "paper";
pub(crate) const CALENDAR_VERSION: &str = "internal.calendar-version";
pub(crate) const CATALOG_VERSION: &str = "internal.catalog-version";
pub(crate) const SETTINGS_VERSION: &str = "internal.settings-version";
/// Minutes without activity after which a desk's session locks.
pub const IDLE_LOCK_MINUTES: &str = "idle-lock-minutes";
pub const IDLE_LOCK_DEFAULT: i64 = 10;
pub const IDLE_LOCK_MAX: i64 = 240;
pub const LANGUAGE: &str = "language";
/// The device of a desk scanner in serial (COM) mode; empty when the scanner is a keyboard.
pub const SCANNER_PORT: &str = "scanner-port";
pub const BACKUP_KEEP: &str = "backup-keep";
/// How many automatic daily backups are kept unless the `backup-keep` setting says otherwise.
pub const BACKUP_KEEP_DEFAULT: i64 = 14;
pub const BACKUP_KEEP_MAX: i64 = 3650;
/// How many days after its hand-over a dossier's public status stays on the public host.
pub const PUBLIC_STATUS_KEEP_DAYS: &str = "public-status-keep-days";
pub const PUBLIC_STATUS_KEEP_DAYS_DEFAULT: i64 = 90;
/// Long enough for any appeal of a result; the host should not keep statuses for years.
pub const PUBLIC_STATUS_KEEP_DAYS_MAX: i64 = 3650;
/// Which circular numbers the forms (`tt01-2018` or `tt03-2025`), see `crate::form_set`.
pub const FORM_SET: &str = "form-set";
/// The office's contact line shown on the citizens' status page.
pub const CONTACT: &str = "contact";
/// Where a desk's window runs the citizens' status page in the background (`ADDR:PORT`);
/// empty for not at all. A desk setting: one desk of a centre serves the page, not all.
pub const STATUS_SERVER: &str = "status-server";
/// The longest contact line: a phone number, hours and a counter fit in one line of a phone.
pub const MAX_CONTACT: usize = 200;
/// The receiving office's name for itself on the receipt; empty for the form set's wording
/// ("Bộ phận tiếp nhận và trả kết quả" under 2018, the centre's own name under 2025).
pub const OFFICE_LABEL: &str = "office-label";
/// Whether the office's dossiers reach the national portal (dichvucong.gov.vn): only then
/// does the receipt send the citizen there.
pub const NATIONAL_PORTAL: &str = "national-portal";
/// The desk's phone line, which Mẫu 02 gives the citizen to call while completing a dossier.
pub const DESK_PHONE: &str = "desk-phone";
/// The competent authorities an any-desk dossier may name, separated by ";".
pub const AUTHORITIES: &str = "authorities";
/// The SANE device this desk scans papers with (`scanimage -L` names it), e.g. `test` or
/// `epson2:libusb:001:004`.
pub const SCANNER_DEVICE: &str = "scanner-device";
/// The resolution a desk scans papers at (dots per inch, default 200).
pub const SCAN_DPI: &str = "scan-dpi";
pub const SCAN_DPI_MIN: i64 = 75;
pub const SCAN_DPI_MAX: i64 = 600;
/// `gray` (the default), `color`, or `text` (black and white, for typed pages).
pub const SCAN_MODE: &str = "scan-mode";
/// The folder on this desk's computer where the office's copier drops its scans.
pub const SCAN_FOLDER: &str = "scan-folder";
/// Where every desk keeps the digitised papers: required on PostgreSQL (a folder all desks
/// reach), else `scans` beside the SQLite database.
pub const SCANS_FOLDER: &str = "scans-folder";
/// How many competent authorities the list holds at most.
pub const MAX_AUTHORITIES: usize = 100;

/// Gives the change counters of the settings, the calendar and the catalog values never used
/// before. A restore brings back the counters of the backup's day, which a desk may have seen
/// with other settings; the desk would then keep what it read. (Triggers count every other
/// change, `store/intake.rs` explains why.)
pub(super) async fn renew_versions(conn: &mut sqlx::AnyConnection) -> CoreResult<()> {
    for key in [SETTINGS_VERSION, CALENDAR_VERSION, CATALOG_VERSION] {
        let fresh = (rand::thread_rng().next_u64() >> 2).to_string();
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(fresh)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

impl Store {
    pub async fn get_setting(&self, key: &str) -> CoreResult<Option<String>> {
        let value: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(self.pool())
            .await?;
        Ok(value)
    }

    /// Sets one setting, recorded in the record log with its old and new value.
    pub async fn set_setting(&self, key: &str, value: &str) -> CoreResult<()> {
        let mut tx = self.pool().begin().await?;
        let old = record_log::setting_before(&mut tx, key).await?;
        sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(key)
            .bind(value)
            .execute(&mut *tx)
            .await?;
        record_log::setting_changed(&mut tx, &self.record_actor(), key, old.as_deref()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// First-run set-up, and later edits of the agency. Creates the slip secret once.
    pub async fn setup(&self, input: &AgencyInput) -> CoreResult<Agency> {
        let (agency, first_number) = input.validate()?;
        let json = serde_json::to_string(&agency).map_err(|e| CoreError::Json(e.to_string()))?;
        let mut tx = self.pool().begin().await?;
        let mut before = Vec::new();
        for key in [AGENCY, FIRST_NUMBER, SLIP_SECRET] {
            before.push((key, record_log::setting_before(&mut tx, key).await?));
        }
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
        let actor = self.record_actor();
        for (key, old) in before {
            if key != SLIP_SECRET || old.is_none() {
                record_log::setting_changed(&mut tx, &actor, key, old.as_deref()).await?;
            }
        }
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
            AUTHORITIES,
        ];
        let mut query = sqlx::query(
            "SELECT key, value FROM settings WHERE key IN ($1, $2, $3, $4, $5, $6, $7, $8)",
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
            authorities: split_authorities(values.remove(AUTHORITIES).as_deref().unwrap_or("")),
        })
    }

    /// Every secret whose slips this desk accepts as its own: the one created at set-up,
    /// then those of databases moved into this one.
    pub async fn slip_secrets(&self) -> CoreResult<Vec<Vec<u8>>> {
        let mut all = vec![self.slip_secret().await?];
        let prefix = IMPORTED_SECRET_PREFIX;
        let sql = format!(
            "SELECT value FROM settings WHERE substr(key, 1, {}) = $1 ORDER BY key",
            prefix.len()
        );
        let imported: Vec<String> = sqlx::query_scalar(&sql)
            .bind(prefix)
            .fetch_all(self.pool())
            .await?;
        all.extend(imported.iter().filter_map(|s| unhex(s)));
        Ok(all)
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
    /// Bumped by triggers on every change to the calendar notices (migration 0008).
    pub calendar_version: Option<String>,
    /// Bumped by triggers on every change to the procedures (migration 0008).
    pub catalog_version: Option<String>,
    /// Bumped by triggers on every change to the settings, these counters included.
    pub version: Option<String>,
    /// The competent authorities an any-desk dossier may name.
    pub authorities: Vec<String>,
}

/// The list as stored ("A; B"), one name each, blanks dropped.
pub fn split_authorities(value: &str) -> Vec<String> {
    value
        .split([';', '\n'])
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_string)
        .collect()
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
pub const NAMED_SETTINGS: [&str; 27] = [
    "agency-code",
    "governing-body",
    "unit",
    "place",
    "first-number",
    "office-hours",
    NOV24_COMPENSATE,
    LOOKUP_URL,
    PRINTER,
    PAPER,
    LANGUAGE,
    SCANNER_PORT,
    BACKUP_KEEP,
    FORM_SET,
    CONTACT,
    STATUS_SERVER,
    IDLE_LOCK_MINUTES,
    OFFICE_LABEL,
    NATIONAL_PORTAL,
    DESK_PHONE,
    AUTHORITIES,
    PUBLIC_STATUS_KEEP_DAYS,
    SCANNER_DEVICE,
    SCAN_DPI,
    SCAN_MODE,
    SCAN_FOLDER,
    SCANS_FOLDER,
];

/// Settings that belong to one desk (its computer's printer and scanner, its clerk's
/// language, whether its window serves the status page), not to the whole office.
pub const DESK_SETTINGS: [&str; 9] = [
    PRINTER,
    PAPER,
    LANGUAGE,
    SCANNER_PORT,
    STATUS_SERVER,
    SCANNER_DEVICE,
    SCAN_DPI,
    SCAN_MODE,
    SCAN_FOLDER,
];

/// The form set in force, for the window's line "Biểu mẫu theo … (từ …)" and its buttons.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FormSetInForce {
    pub form_set: FormSet,
    pub circular: String,
    /// The day the circular was signed ("15/9/2025").
    pub signed: String,
    #[serde(with = "crate::vntime::serde_vn_opt")]
    pub since: Option<chrono::DateTime<chrono::Utc>>,
    pub forms: Vec<FormInSet>,
}

/// One form of the set: what it is, its number and its title.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FormInSet {
    pub form: crate::form_set::Form,
    pub number: String,
    pub title: String,
}

/// Where a desk setting is kept: one row per desk, so desks sharing a PostgreSQL server each
/// keep their own printer.
pub(super) fn desk_key(desk: &str, key: &str) -> String {
    format!("desk.{desk}.{key}")
}

impl Store {
    /// The settings a desk kept under its old name (the computer's, until it was given one
    /// of its own) carried to its new name, each through the record log; a setting the new
    /// name already has is kept.
    pub async fn carry_desk_settings(&self, from: &str, to: &str) -> CoreResult<()> {
        if from == to {
            return Ok(());
        }
        for key in DESK_SETTINGS {
            let Some(value) = self.get_setting(&desk_key(from, key)).await? else {
                continue;
            };
            if self.get_setting(&desk_key(to, key)).await?.is_none() {
                self.set_setting(&desk_key(to, key), &value).await?;
            }
        }
        Ok(())
    }

    /// A desk's own setting, or the office-wide value that databases from before desk
    /// settings kept.
    async fn get_desk_setting(&self, desk: &str, key: &str) -> CoreResult<Option<String>> {
        match self.get_setting(&desk_key(desk, key)).await? {
            Some(v) => Ok(Some(v)),
            None => self.get_setting(key).await,
        }
    }

    pub async fn get_named(&self, desk: &str, key: &str) -> CoreResult<String> {
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
            PRINTER => self.printer(desk).await?,
            PAPER => self.paper(desk).await?.to_string(),
            LANGUAGE => self.language(desk).await?.code().to_string(),
            SCANNER_PORT => self
                .get_desk_setting(desk, SCANNER_PORT)
                .await?
                .unwrap_or_default(),
            BACKUP_KEEP => self.backup_keep().await?.to_string(),
            PUBLIC_STATUS_KEEP_DAYS => self.public_status_keep_days().await?.to_string(),
            FORM_SET => self.form_set().await?.to_string(),
            CONTACT => self.get_setting(CONTACT).await?.unwrap_or_default(),
            STATUS_SERVER => self
                .get_setting(&desk_key(desk, STATUS_SERVER))
                .await?
                .unwrap_or_default(),
            IDLE_LOCK_MINUTES => self.idle_lock_minutes().await?.to_string(),
            OFFICE_LABEL | DESK_PHONE => self.get_setting(key).await?.unwrap_or_default(),
            NATIONAL_PORTAL => self.national_portal().await?.to_string(),
            AUTHORITIES => self.authorities().await?.join("; "),
            SCANNER_DEVICE => self.scan_settings(desk).await?.device,
            SCAN_DPI => self.scan_settings(desk).await?.dpi.to_string(),
            SCAN_MODE => self.scan_settings(desk).await?.mode.as_str().to_string(),
            SCAN_FOLDER => self.scan_settings(desk).await?.folder,
            SCANS_FOLDER => self.get_setting(SCANS_FOLDER).await?.unwrap_or_default(),
            other => return Err(unknown_setting(other)),
        })
    }

    pub async fn set_named(&self, desk: &str, key: &str, value: &str) -> CoreResult<()> {
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
                self.set_setting(&desk_key(desk, PRINTER), &name).await
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
                self.set_setting(&desk_key(desk, PAPER), &paper.to_string())
                    .await
            }
            LANGUAGE => {
                let lang = Lang::parse(value.trim()).ok_or_else(|| {
                    CoreError::invalid(
                        LANGUAGE,
                        Problem::Invalid {
                            detail: "vi, en".into(),
                        },
                    )
                })?;
                self.set_setting(&desk_key(desk, LANGUAGE), lang.code())
                    .await
            }
            SCANNER_PORT => {
                let port = value.trim();
                if !port.is_empty() && !is_scanner_port(port) {
                    return Err(CoreError::invalid(SCANNER_PORT, Problem::ScannerPort));
                }
                self.set_setting(&desk_key(desk, SCANNER_PORT), port).await
            }
            SCANNER_DEVICE => {
                let mut c = crate::validate::Checker::new();
                let device = c.line(SCANNER_DEVICE, value, false, 255);
                if !c.is_ok() {
                    return Err(CoreError::Invalid(c.errors));
                }
                self.set_setting(&desk_key(desk, SCANNER_DEVICE), &device)
                    .await
            }
            SCAN_DPI => {
                let out_of_range = || {
                    CoreError::invalid(
                        SCAN_DPI,
                        Problem::OutOfRange {
                            min: SCAN_DPI_MIN,
                            max: SCAN_DPI_MAX,
                        },
                    )
                };
                let dpi = value.trim().parse::<i64>().map_err(|_| out_of_range())?;
                if !(SCAN_DPI_MIN..=SCAN_DPI_MAX).contains(&dpi) {
                    return Err(out_of_range());
                }
                self.set_setting(&desk_key(desk, SCAN_DPI), &dpi.to_string())
                    .await
            }
            SCAN_MODE => {
                let mode = crate::scans::ScanMode::parse(value).ok_or_else(|| {
                    CoreError::invalid(
                        SCAN_MODE,
                        Problem::Invalid {
                            detail: "gray, color, text".into(),
                        },
                    )
                })?;
                self.set_setting(&desk_key(desk, SCAN_MODE), mode.as_str())
                    .await
            }
            SCAN_FOLDER | SCANS_FOLDER => {
                let folder = value.trim();
                if !folder.is_empty() && !std::path::Path::new(folder).is_absolute() {
                    return Err(CoreError::invalid(key, Problem::AbsoluteFolder));
                }
                let stored = if key == SCAN_FOLDER {
                    desk_key(desk, SCAN_FOLDER)
                } else {
                    SCANS_FOLDER.to_string()
                };
                self.set_setting(&stored, folder).await
            }
            BACKUP_KEEP => {
                let max = BACKUP_KEEP_MAX;
                let out_of_range =
                    || CoreError::invalid(BACKUP_KEEP, Problem::OutOfRange { min: 0, max });
                let n = value.trim().parse::<i64>().map_err(|_| out_of_range())?;
                if !(0..=max).contains(&n) {
                    return Err(out_of_range());
                }
                self.set_setting(BACKUP_KEEP, &n.to_string()).await
            }
            PUBLIC_STATUS_KEEP_DAYS => {
                let max = PUBLIC_STATUS_KEEP_DAYS_MAX;
                let out_of_range = || {
                    CoreError::invalid(PUBLIC_STATUS_KEEP_DAYS, Problem::OutOfRange { min: 1, max })
                };
                let n = value.trim().parse::<i64>().map_err(|_| out_of_range())?;
                if !(1..=max).contains(&n) {
                    return Err(out_of_range());
                }
                self.set_setting(PUBLIC_STATUS_KEEP_DAYS, &n.to_string())
                    .await
            }
            FORM_SET => {
                let set = FormSet::parse(value).ok_or_else(|| {
                    CoreError::invalid(
                        FORM_SET,
                        Problem::Invalid {
                            detail: FORM_SETS.map(FormSet::as_str).join(", "),
                        },
                    )
                })?;
                self.set_setting(FORM_SET, set.as_str()).await
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
                self.set_setting(&desk_key(desk, STATUS_SERVER), &stored)
                    .await
            }
            IDLE_LOCK_MINUTES => {
                let out_of_range = || {
                    CoreError::invalid(
                        IDLE_LOCK_MINUTES,
                        Problem::OutOfRange {
                            min: 1,
                            max: IDLE_LOCK_MAX,
                        },
                    )
                };
                let minutes = value.trim().parse::<i64>().map_err(|_| out_of_range())?;
                if !(1..=IDLE_LOCK_MAX).contains(&minutes) {
                    return Err(out_of_range());
                }
                self.set_setting(IDLE_LOCK_MINUTES, &minutes.to_string())
                    .await
            }
            OFFICE_LABEL => {
                let mut c = crate::validate::Checker::new();
                let label = c.line(OFFICE_LABEL, value, false, MAX_CONTACT);
                if !c.is_ok() {
                    return Err(CoreError::Invalid(c.errors));
                }
                self.set_setting(OFFICE_LABEL, &label).await
            }
            NATIONAL_PORTAL => match value.trim() {
                "true" | "false" => self.set_setting(NATIONAL_PORTAL, value.trim()).await,
                other => Err(CoreError::invalid(
                    NATIONAL_PORTAL,
                    Problem::Invalid {
                        detail: format!("{other}: true, false"),
                    },
                )),
            },
            DESK_PHONE => {
                // Checked as a phone number, kept as the office writes it ("0276 3812 345").
                let mut c = crate::validate::Checker::new();
                c.phone(DESK_PHONE, value, false);
                let typed = c.line(DESK_PHONE, value, false, MAX_CONTACT);
                if !c.is_ok() {
                    return Err(CoreError::Invalid(c.errors));
                }
                self.set_setting(DESK_PHONE, &typed).await
            }
            AUTHORITIES => {
                let mut c = crate::validate::Checker::new();
                let names = split_authorities(value);
                if names.len() > MAX_AUTHORITIES {
                    c.fail(
                        AUTHORITIES,
                        Problem::TooMany {
                            max: MAX_AUTHORITIES,
                        },
                    );
                }
                let mut clean: Vec<String> = Vec::with_capacity(names.len());
                for (i, name) in names.iter().enumerate() {
                    let name = c.line(
                        &format!("{AUTHORITIES}[{i}]"),
                        name,
                        true,
                        crate::validate::MAX_AUTHORITY,
                    );
                    if !clean.contains(&name) {
                        clean.push(name);
                    }
                }
                if !c.is_ok() {
                    return Err(CoreError::Invalid(c.errors));
                }
                self.set_setting(AUTHORITIES, &clean.join("; ")).await
            }
            other => Err(unknown_setting(other)),
        }
    }

    /// Idle minutes before a session locks (10 unless set).
    pub async fn idle_lock_minutes(&self) -> CoreResult<i64> {
        Ok(self
            .get_setting(IDLE_LOCK_MINUTES)
            .await?
            .and_then(|v| v.parse().ok())
            .filter(|m| (1..=IDLE_LOCK_MAX).contains(m))
            .unwrap_or(IDLE_LOCK_DEFAULT))
    }

    /// The form set new slips are issued under. A database made by this version was given
    /// the 2025 set at its first run (`Store::seed`); one without the setting is from
    /// before, when the 2018 set was the only default: it keeps printing what it printed,
    /// so an upgrade never changes the papers under a running office without asking.
    pub async fn form_set(&self) -> CoreResult<FormSet> {
        Ok(self
            .get_setting(FORM_SET)
            .await?
            .and_then(|v| FormSet::parse(&v))
            .unwrap_or(FormSet::Tt01_2018))
    }

    /// The set in force and since when: the moment the record log last saw the setting
    /// take its value (the first run, or the change that chose it); `None` when the
    /// setting was never recorded (a database from before the setting existed).
    pub async fn form_set_in_force(&self) -> CoreResult<FormSetInForce> {
        let set = self.form_set().await?;
        let entries = self.record_entries(Some(FORM_SET), 1000).await?;
        let mut since = None;
        // Newest first: the in-force run of values starts at the oldest entry of the
        // newest run whose new value is this set.
        for e in entries.iter().filter(|e| e.record == "setting") {
            let new = e.data.get("new").and_then(|v| v.as_str());
            let is_set = e.kind == "baseline" || new.and_then(FormSet::parse) == Some(set);
            if !is_set {
                break;
            }
            since = Some(e.at);
            let old = e.data.get("old").and_then(|v| v.as_str());
            if e.kind != "baseline" && old.and_then(FormSet::parse) != Some(set) {
                break;
            }
        }
        Ok(FormSetInForce {
            form_set: set,
            circular: set.circular().to_string(),
            signed: set.signed().to_string(),
            since,
            forms: set
                .forms()
                .iter()
                .filter_map(|f| {
                    Some(FormInSet {
                        form: *f,
                        number: set.number(*f)?.to_string(),
                        title: set.title(*f).to_string(),
                    })
                })
                .collect(),
        })
    }

    /// How many days after its hand-over a dossier's status stays on the public host.
    pub async fn public_status_keep_days(&self) -> CoreResult<i64> {
        Ok(self
            .get_setting(PUBLIC_STATUS_KEEP_DAYS)
            .await?
            .and_then(|v| v.parse().ok())
            .unwrap_or(PUBLIC_STATUS_KEEP_DAYS_DEFAULT))
    }

    /// Whether the office's dossiers reach dichvucong.gov.vn (no unless the office says so).
    pub async fn national_portal(&self) -> CoreResult<bool> {
        Ok(self.get_setting(NATIONAL_PORTAL).await?.as_deref() == Some("true"))
    }

    /// The competent authorities an any-desk dossier may name, in the office's order.
    pub async fn authorities(&self) -> CoreResult<Vec<String>> {
        Ok(split_authorities(
            &self.get_setting(AUTHORITIES).await?.unwrap_or_default(),
        ))
    }

    /// The language the desk's window speaks (Vietnamese unless chosen).
    pub async fn language(&self, desk: &str) -> CoreResult<Lang> {
        Ok(self
            .get_desk_setting(desk, LANGUAGE)
            .await?
            .and_then(|l| Lang::parse(&l))
            .unwrap_or_default())
    }

    /// The desk's printer; empty for the computer's default printer.
    pub async fn printer(&self, desk: &str) -> CoreResult<String> {
        Ok(self
            .get_desk_setting(desk, PRINTER)
            .await?
            .unwrap_or_default())
    }

    /// The desk's paper for receipts (A5 unless chosen).
    pub async fn paper(&self, desk: &str) -> CoreResult<crate::documents::Paper> {
        Ok(self
            .get_desk_setting(desk, PAPER)
            .await?
            .and_then(|p| p.parse().ok())
            .unwrap_or(crate::documents::Paper::A5))
    }
}

impl Store {
    /// Where `desk`'s window should run the status page, if anywhere. Only the desk's own
    /// value counts: an office-wide one, which older versions kept, would make every desk
    /// of a centre listen on the network.
    pub async fn status_server(&self, desk: &str) -> CoreResult<Option<SocketAddr>> {
        match self.get_setting(&desk_key(desk, STATUS_SERVER)).await? {
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

/// A serial port as this computer names it: the desk's own scanner, read on this computer.
fn is_scanner_port(p: &str) -> bool {
    if cfg!(windows) {
        is_com_port(p)
    } else {
        is_device_path(p)
    }
}

/// `COM1`–`COM256`, or the same in the device namespace (`\\.\COM10`), which is how Windows
/// names ports above COM9; no other device or file.
fn is_com_port(p: &str) -> bool {
    let name = p.strip_prefix(r"\\.\").unwrap_or(p);
    let (com, number) = name.split_at_checked(3).unwrap_or_default();
    // `parse` would take "+5" and "05".
    com.eq_ignore_ascii_case("COM")
        && !number.starts_with(['0', '+'])
        && number.parse::<u16>().is_ok_and(|n| (1..=256).contains(&n))
}

/// An absolute path under /dev/ (`/dev/ttyUSB0`, `/dev/serial/by-id/…`) in plain ASCII, with
/// no `..` that could lead the reader out of /dev/.
fn is_device_path(p: &str) -> bool {
    p.len() <= 200
        && p.chars().all(|c| c.is_ascii_graphic())
        && p.strip_prefix("/dev/").is_some_and(|rest| {
            !rest.is_empty() && rest.split('/').all(|part| !part.is_empty() && part != "..")
        })
}

fn unknown_setting(key: &str) -> CoreError {
    CoreError::invalid(
        "setting",
        Problem::Invalid {
            detail: format!("{key}; known: {}", NAMED_SETTINGS.join(", ")),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::{is_com_port, is_device_path};

    #[test]
    fn com_ports_are_com1_to_com256_with_or_without_the_device_prefix() {
        for good in ["COM1", "COM3", "com5", "COM10", r"\\.\COM10", "COM256"] {
            assert!(is_com_port(good), "{good}");
        }
        for bad in [
            "",
            "COM",
            "COM0",
            "COM05",
            "COM+5",
            "COM257",
            "COM3;",
            "COM 3",
            "LPT1",
            "NUL",
            r"\\.\",
            r"\\.\PhysicalDrive0",
            r"\\?\COM3",
            r"C:\COM3",
            "/dev/ttyUSB0",
            "COM3:",
        ] {
            assert!(!is_com_port(bad), "{bad}");
        }
    }

    #[test]
    fn device_paths_stay_under_dev() {
        assert!(is_device_path("/dev/ttyACM0"));
        assert!(!is_device_path("/dev/../etc/passwd"));
        assert!(!is_device_path("COM3"));
    }
}
