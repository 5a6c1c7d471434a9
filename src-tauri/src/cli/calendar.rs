//! calendar days|to-lunar|to-solar|add-off|add-workday|remove|check, and due-date.

use chrono::{DateTime, NaiveDate, Utc};
use clap::{Args, Subcommand};
use motcua_core::calendar::{due_at, lunar_to_solar, solar_to_lunar, DayKind, LunarDate};
use motcua_core::error::Problem;
use motcua_core::i18n::{t, tf};
use motcua_core::request::{self, NoticeRequest};
use motcua_core::store::Store;
use motcua_core::vntime::{now, rfc3339_vn, vn_date};
use motcua_core::CoreError;
use serde::Serialize;

use super::output;
use crate::context::Global;

#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// Every non-working weekday and working weekend day of YEAR, with its reason
    Days {
        year: i32,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// The Vietnamese lunar date of a solar date: YYYY-MM-DD, DD/MM/YYYY or today
    ToLunar {
        date: String,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// The solar date (YYYY-MM-DD) of a lunar date
    ToSolar {
        #[arg(long)]
        day: u8,
        #[arg(long)]
        month: u8,
        #[arg(long)]
        year: i32,
        /// The date is in the leap month
        #[arg(long)]
        leap: bool,
    },
    /// Add a day off announced by the government (or the province) to the notice table
    AddOff(NoticeArgs),
    /// Add a make-up working day (usually a Saturday) to the notice table
    AddWorkday(NoticeArgs),
    /// Remove a date from the notice table
    Remove {
        /// The date: YYYY-MM-DD or DD/MM/YYYY
        date: String,
    },
    /// Warn when this year or next year has no government notice yet (exit status 3)
    Check {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct NoticeArgs {
    /// The date: YYYY-MM-DD or DD/MM/YYYY
    pub date: String,
    /// Why, as it will be shown (e.g. "Nghỉ Tết Nguyên đán")
    #[arg(long)]
    pub reason: String,
    /// The legal reference of the notice (e.g. the announcing document)
    #[arg(long, default_value = "")]
    pub reference: String,
}

#[derive(Debug, Args)]
pub struct DueDateArgs {
    /// Procedure code, e.g. 1.001193
    #[arg(long)]
    pub procedure: String,
    /// Reception time: RFC 3339 (e.g. 2027-03-03T09:00:00+07:00), YYYY-MM-DD[ HH:MM],
    /// DD/MM/YYYY[ HH:MM] or YYYY-MM-DDTHH:MM (Vietnam time; a bare date means closing time)
    #[arg(long)]
    pub received: String,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

/// The commands that need no database; `None` for the others.
pub fn run_offline(global: &Global, command: &CalendarCommand) -> Option<Result<(), CoreError>> {
    let lang = global.lang();
    match command {
        CalendarCommand::ToLunar { date, json } => Some((|| {
            let lunar = solar_to_lunar(request::date("date", date)?)?;
            if *json {
                output::json(&lunar)
            } else {
                let leap = if lunar.leap {
                    t(lang, "cli.leap")
                } else {
                    String::new()
                };
                outln!("{}/{}{}/{}", lunar.day, lunar.month, leap, lunar.year);
                Ok(())
            }
        })()),
        CalendarCommand::ToSolar {
            day,
            month,
            year,
            leap,
        } => Some((|| {
            let date = lunar_to_solar(LunarDate {
                day: *day,
                month: *month,
                year: *year,
                leap: *leap,
            })?;
            outln!("{}", date.format("%Y-%m-%d"));
            Ok(())
        })()),
        _ => None,
    }
}

#[derive(Serialize)]
struct CheckReport {
    today: NaiveDate,
    years: Vec<YearStatus>,
    warnings: Vec<String>,
}

#[derive(Serialize)]
struct YearStatus {
    year: i32,
    announced: bool,
}

pub async fn run(
    global: &Global,
    store: &Store,
    command: CalendarCommand,
) -> Result<(), CoreError> {
    let lang = global.lang();
    match command {
        CalendarCommand::Days { year, json } => {
            let days = store.work_calendar().await?.special_days(year)?;
            if json {
                return output::json(&days);
            }
            for d in days {
                let what = if d.working {
                    t(lang, "cli.working_day")
                } else {
                    t(lang, "cli.day_off")
                };
                outln!(
                    "{}  {:<10} {}",
                    d.date.format("%Y-%m-%d %a"),
                    what,
                    d.reason.unwrap_or_default()
                );
            }
            Ok(())
        }
        CalendarCommand::AddOff(args) => add(store, args, DayKind::Off).await,
        CalendarCommand::AddWorkday(args) => add(store, args, DayKind::Work).await,
        CalendarCommand::Remove { date } => {
            let date = request::notice_date(&date)?;
            if store.remove_notice(date).await? {
                Ok(())
            } else {
                Err(CoreError::invalid(
                    "notice.date",
                    Problem::Invalid {
                        detail: date.format("%Y-%m-%d").to_string(),
                    },
                ))
            }
        }
        CalendarCommand::Check { json } => {
            let today = vn_date(now());
            let missing = store.missing_notice_years(today).await?;
            let calendar = store.work_calendar().await?;
            let years = [
                chrono::Datelike::year(&today),
                chrono::Datelike::year(&today) + 1,
            ];
            let warnings: Vec<String> = missing
                .iter()
                .map(|y| tf(lang, "calendar.notice_missing", &[("year", &y.to_string())]))
                .collect();
            if json {
                output::json(&CheckReport {
                    today,
                    years: years
                        .iter()
                        .map(|&year| YearStatus {
                            year,
                            announced: calendar.is_announced(year),
                        })
                        .collect(),
                    warnings: warnings.clone(),
                })?;
            } else if warnings.is_empty() {
                outln!("{}", t(lang, "calendar.notices_ok"));
            }
            if warnings.is_empty() {
                Ok(())
            } else {
                if !json {
                    for w in &warnings {
                        outln!("{w}");
                    }
                }
                std::process::exit(3);
            }
        }
        CalendarCommand::ToLunar { .. } | CalendarCommand::ToSolar { .. } => Ok(()),
    }
}

async fn add(store: &Store, args: NoticeArgs, kind: DayKind) -> Result<(), CoreError> {
    let req = NoticeRequest::parse(&args.date, kind, args.reason, args.reference)?;
    store
        .add_notice(req.date, req.kind, &req.reason, &req.reference)
        .await?;
    Ok(())
}

#[derive(Serialize)]
struct DueDate {
    procedure: String,
    #[serde(with = "motcua_core::vntime::serde_vn")]
    received_at: DateTime<Utc>,
    #[serde(with = "motcua_core::vntime::serde_vn")]
    due_at: DateTime<Utc>,
}

pub async fn due_date(store: &Store, args: DueDateArgs) -> Result<(), CoreError> {
    let procedure =
        store
            .procedure(&args.procedure)
            .await?
            .ok_or_else(|| CoreError::ProcedureNotFound {
                code: args.procedure.trim().to_string(),
            })?;
    let hours = store.office_hours().await?;
    let received = request::moment("received_at", &args.received, hours.afternoon_end)?;
    if !(motcua_core::calendar::MIN_YEAR..=motcua_core::calendar::MAX_YEAR)
        .contains(&chrono::Datelike::year(&received))
    {
        return Err(CoreError::invalid("received_at", Problem::DateTime));
    }
    let calendar = store.work_calendar().await?;
    let due = due_at(&calendar, &hours, procedure.limit, received);
    if args.json {
        output::json(&DueDate {
            procedure: procedure.code,
            received_at: received,
            due_at: due,
        })
    } else {
        outln!("{}", rfc3339_vn(due));
        Ok(())
    }
}
