//! intake, show, history, list, search.

use std::io::Read;

use clap::Args;
use motcua_core::error::Problem;
use motcua_core::intake::IntakeRequest;
use motcua_core::request::{
    self, DateRange, HandoverFlags, HandoverRequest, ListRequest, TransitionRequest,
};
use motcua_core::store::{Store, Worklist};
use motcua_core::CoreError;

use super::output;
use crate::context::Global;

#[derive(Debug, Args)]
pub struct IntakeArgs {
    /// The dossier as JSON: a file path, or - to read standard input.
    /// Shape: {"procedure": "1.001193", "applicant": {"name", "id_number", "phone", "email",
    /// "address"}, "documents": [{"name", "originals", "copies", "from_data"}], "sets": 1,
    /// "return": {"method": "desk"} | {"method": "post", "address", "phone", …},
    /// "received_at": "2027-03-03T09:00:00+07:00", "note": "", "authority": ""}.
    /// "from_data": true takes a document the catalog marks so from a national database or
    /// VNeID (no originals or copies); "authority" names the competent authority of a
    /// procedure receivable at any desk, from the `authorities` setting
    #[arg(value_name = "FILE|-")]
    pub file: String,
    /// JSON Lines: one dossier per input line, each printed on its own output line as soon
    /// as it is committed (stops at the first refusal)
    #[arg(long)]
    pub jsonl: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The dossier code, e.g. 000.00.14.H56-270303-0001
    pub code: String,
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Received on this date (Vietnam time): YYYY-MM-DD, DD/MM/YYYY or today
    #[arg(long)]
    pub date: Option<String>,
    /// Received on or after this date: YYYY-MM-DD or DD/MM/YYYY
    #[arg(long, conflicts_with = "date")]
    pub from: Option<String>,
    /// Received on or before this date: YYYY-MM-DD or DD/MM/YYYY
    #[arg(long, conflicts_with = "date")]
    pub to: Option<String>,
    /// Status code 1–10 (2 = accepted, 9 = ready, 10 = returned, …)
    #[arg(long)]
    pub status: Option<i64>,
    /// Procedure code, e.g. 1.001193
    #[arg(long)]
    pub procedure: Option<String>,
    /// A working list: due-today and overdue (still being processed), ready (not collected)
    #[arg(long, value_enum)]
    pub worklist: Option<WorklistArg>,
    /// At most this many dossiers (1–1000)
    #[arg(long, default_value_t = 200)]
    pub limit: i64,
    /// Skip this many (for paging)
    #[arg(long, default_value_t = 0)]
    pub offset: i64,
    /// Print a JSON array
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum WorklistArg {
    DueToday,
    Overdue,
    Ready,
}

impl From<WorklistArg> for Worklist {
    fn from(w: WorklistArg) -> Worklist {
        match w {
            WorklistArg::DueToday => Worklist::DueToday,
            WorklistArg::Overdue => Worklist::Overdue,
            WorklistArg::Ready => Worklist::Ready,
        }
    }
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// A name (with or without diacritics), a code, an ID number or a phone number
    pub text: String,
    /// At most this many results (1–1000)
    #[arg(long, default_value_t = 50)]
    pub limit: i64,
    /// Print a JSON array
    #[arg(long)]
    pub json: bool,
}

pub async fn intake(global: &Global, store: &Store, args: IntakeArgs) -> Result<(), CoreError> {
    if args.jsonl {
        return intake_lines(global, store, &args.file).await;
    }
    let mut text = String::new();
    if args.file == "-" {
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|source| CoreError::File {
                path: "-".into(),
                source,
            })?;
    } else {
        text = std::fs::read_to_string(&args.file).map_err(|source| CoreError::File {
            path: args.file.clone(),
            source,
        })?;
    }
    if text.trim().is_empty() {
        return Err(CoreError::invalid("procedure", Problem::Required));
    }
    let req = IntakeRequest::from_json(&text)?;
    let dossier = store.intake(&req, &global.actor()).await?;
    output::json(&dossier)
}

async fn intake_lines(global: &Global, store: &Store, file: &str) -> Result<(), CoreError> {
    use std::io::{BufRead, Write};
    let reader: Box<dyn BufRead> = if file == "-" {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        let f = std::fs::File::open(file).map_err(|source| CoreError::File {
            path: file.to_string(),
            source,
        })?;
        Box::new(std::io::BufReader::new(f))
    };
    let actor = global.actor();
    let mut out = std::io::stdout().lock();
    for line in reader.lines() {
        let line = line.map_err(|source| CoreError::File {
            path: file.to_string(),
            source,
        })?;
        if line.trim().is_empty() {
            continue;
        }
        let dossier = store
            .intake(&IntakeRequest::from_json(&line)?, &actor)
            .await?;
        let text = serde_json::to_string(&dossier).map_err(|e| CoreError::Json(e.to_string()))?;
        writeln!(out, "{text}")
            .and_then(|_| out.flush())
            .map_err(|source| CoreError::File {
                path: "-".into(),
                source,
            })?;
    }
    Ok(())
}

/// The full record, unmasked: each opening is in the access log, as in the window.
pub async fn show(global: &Global, store: &Store, args: ShowArgs) -> Result<(), CoreError> {
    let dossier = store
        .open_record(&args.code, &global.actor(), motcua_core::vntime::now())
        .await?;
    if args.json {
        output::json(&dossier)
    } else {
        output::dossier(&dossier, global.lang());
        Ok(())
    }
}

pub async fn history(global: &Global, store: &Store, args: ShowArgs) -> Result<(), CoreError> {
    let events = store.events(&args.code).await?;
    if args.json {
        return output::json(&events);
    }
    let lang = global.lang();
    for e in events {
        let to = e.to_status.map(|s| s.label(lang)).unwrap_or_default();
        outln!(
            "{}  {:<14} {:<20} {}  {}",
            output::time(e.at),
            e.kind,
            to,
            e.actor,
            e.note
        );
    }
    Ok(())
}

pub async fn list(global: &Global, store: &Store, args: ListArgs) -> Result<(), CoreError> {
    let filter = ListRequest {
        date: args.date,
        from: args.from,
        to: args.to,
        status: args.status,
        procedure: args.procedure,
        worklist: args.worklist.map(Worklist::from),
        limit: Some(args.limit),
        offset: Some(args.offset),
    }
    .parse(motcua_core::vntime::now())?;
    let list = store.list(&filter).await?;
    // Printed unmasked, unlike the window's lists: the look is logged.
    if !list.is_empty() {
        store
            .log_list(
                &global.actor(),
                "list",
                list.len(),
                motcua_core::vntime::now(),
            )
            .await?;
    }
    if args.json {
        output::json(&list)
    } else {
        output::summaries(&list, global.lang());
        Ok(())
    }
}

pub async fn search(global: &Global, store: &Store, args: SearchArgs) -> Result<(), CoreError> {
    let now = motcua_core::vntime::now();
    let actor = global.actor();
    let hits = store
        .search_logged(&args.text, args.limit, &actor, now)
        .await?;
    if !hits.is_empty() && !motcua_core::store::is_number_search(&args.text) {
        store.log_list(&actor, "search", hits.len(), now).await?;
    }
    if args.json {
        output::json(&hits)
    } else {
        output::summaries(&hits, global.lang());
        Ok(())
    }
}

#[derive(Debug, Args)]
pub struct TransitionArgs {
    /// The dossier code
    pub code: String,
    /// The new status code (4 processing, 5 supplement requested, 9 ready, 10 returned, …)
    #[arg(long)]
    pub to: i64,
    /// Why (kept in the dossier's history)
    #[arg(long, default_value = "")]
    pub note: String,
    /// When it happened: YYYY-MM-DD[ HH:MM], DD/MM/YYYY[ HH:MM], YYYY-MM-DDTHH:MM (Vietnam time; a bare date
    /// means closing time that day) or RFC 3339 [default: now]
    #[arg(long)]
    pub at: Option<String>,
    /// Refuse if the dossier's version is no longer this one (someone else changed it)
    #[arg(long)]
    pub expect_version: Option<i64>,
}

pub async fn transition(
    global: &Global,
    store: &Store,
    args: TransitionArgs,
) -> Result<(), CoreError> {
    let closing = store.office_hours().await?.afternoon_end;
    let req = TransitionRequest::parse(
        args.code,
        args.to,
        Some(args.note),
        args.at.as_deref(),
        args.expect_version,
        closing,
    )?;
    let dossier = store
        .transition(
            &req.code,
            req.to,
            &req.note,
            req.at,
            req.expected_version,
            &global.actor(),
        )
        .await?;
    output::json(&dossier)
}

#[derive(Debug, Args)]
pub struct HandoverArgs {
    /// The dossier code (its result must be ready, status 9)
    pub code: String,
    /// Who collected the result
    #[arg(long, default_value = "")]
    pub receiver_name: String,
    /// Their citizen ID or passport number
    #[arg(long, default_value = "")]
    pub receiver_id: String,
    /// The authorisation shown by someone other than the applicant
    #[arg(long, default_value = "")]
    pub authorisation: String,
    /// Sent by post instead: the parcel's tracking number
    #[arg(long)]
    pub tracking: Option<String>,
    /// Satisfaction: 1 very satisfied, 2 satisfied, 3 unsatisfied
    #[arg(long)]
    pub rating: Option<i64>,
    /// When: YYYY-MM-DD[ HH:MM], DD/MM/YYYY[ HH:MM], YYYY-MM-DDTHH:MM (Vietnam time; a bare date
    /// means closing time that day) or RFC 3339 [default: now]
    #[arg(long)]
    pub at: Option<String>,
}

pub async fn handover(global: &Global, store: &Store, args: HandoverArgs) -> Result<(), CoreError> {
    let flags = HandoverFlags {
        receiver_name: args.receiver_name,
        receiver_id: args.receiver_id,
        authorisation: args.authorisation,
        tracking: args.tracking,
        rating: args.rating,
    };
    let closing = store.office_hours().await?.afternoon_end;
    let req = HandoverRequest::parse(args.code, flags.into(), args.at.as_deref(), closing)?;
    output::json(
        &store
            .handover(&req.code, &req.input, req.at, &global.actor())
            .await?,
    )
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ReportFormat {
    Json,
    Csv,
    Xlsx,
    Pdf,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// First day of the period: YYYY-MM-DD or DD/MM/YYYY
    #[arg(long)]
    pub from: String,
    /// Last day of the period: YYYY-MM-DD or DD/MM/YYYY
    #[arg(long)]
    pub to: String,
    /// json; csv (UTF-8 with BOM, so spreadsheet programs show Vietnamese); xlsx (an Excel
    /// workbook, counts as numbers, the digitisation rate on a second sheet); pdf (the printed
    /// Biểu 06 table, the digitisation rate on an annex page). xlsx and pdf need --out
    #[arg(long, value_enum, default_value = "json")]
    pub format: ReportFormat,
    /// Write to this file instead of standard output
    #[arg(long)]
    pub out: Option<std::path::PathBuf>,
    /// Judge dossiers still in progress as of this moment when the period has not ended
    /// by then (YYYY-MM-DD[ HH:MM], DD/MM/YYYY[ HH:MM], YYYY-MM-DDTHH:MM (Vietnam time; a bare date means closing time that day) or RFC 3339) [default: now]
    #[arg(long)]
    pub at: Option<String>,
}

pub async fn report(store: &Store, args: ReportArgs) -> Result<(), CoreError> {
    let closing = store.office_hours().await?.afternoon_end;
    let now = request::optional_moment("at", args.at.as_deref(), closing)?
        .unwrap_or_else(motcua_core::vntime::now);
    let range = DateRange::parse(&args.from, &args.to)?;
    let report = store.report(range.from, range.to, now).await?;
    let bytes = match args.format {
        ReportFormat::Json => serde_json::to_string_pretty(&report)
            .map_err(|e| CoreError::Json(e.to_string()))?
            .into_bytes(),
        ReportFormat::Csv => motcua_core::report::to_csv(&report).into_bytes(),
        ReportFormat::Xlsx => store.report_xlsx(&report).await?,
        ReportFormat::Pdf => store.report_pdf(&report).await?,
    };
    match (args.out, args.format) {
        (Some(path), _) => {
            motcua_core::private_fs::write(&path, &bytes).map_err(|source| CoreError::File {
                path: path.display().to_string(),
                source,
            })
        }
        (None, ReportFormat::Xlsx | ReportFormat::Pdf) => {
            Err(CoreError::invalid("out", Problem::Required))
        }
        (None, _) => {
            outln!("{}", String::from_utf8_lossy(&bytes));
            Ok(())
        }
    }
}
