//! form (a dossier's forms, numbered by the form set in force), register (the register
//! book), transfer (batch hand-over with its list), delivery (what the post says of a result
//! sent by post).

use std::path::PathBuf;

use clap::{ArgGroup, Args};
use motcua_core::delivery::DeliveryInput;
use motcua_core::i18n::tf;
use motcua_core::request::{
    transfer_items, DateRange, DeliveryRequest, FormFlags, FormIssue, TransferRequest,
};
use motcua_core::store::Store;
use motcua_core::transfer::TransferInput;
use motcua_core::CoreError;

use super::output;
use crate::context::{archive_form, archive_transfer_list, Global};

#[derive(Debug, Args)]
#[command(
    after_help = "Form numbers follow the form-set setting (`motcua settings get form-set`):\n  \
    Thông tư 03/2025/TT-VPCP (tt03-2025, a new office's set): 02 supplement request, 03 refusal,\n    \
    04 letter of apology asking to extend the time limit, 05 stop notice, 06 control slip\n    \
    (01 receipt: `motcua receipt`; 07 register book: `motcua register`)\n  \
    Thông tư 01/2018/TT-VPCP (tt01-2018): 02 supplement request, 03 refusal, 04 apology with a\n    \
    new appointment, 05 control slip (06 register book: `motcua register`); no stop notice:\n    \
    a dossier stops with `motcua transition CODE --to 8`\n\n\
    Examples:\n  \
    motcua form CODE --form 02 --missing 'Tờ khai đăng ký khai sinh:chưa có chữ ký' \\\n      \
    --missing 'Giấy chứng sinh:bản sao không rõ' --out mau02.pdf\n  \
    motcua form CODE --form 03 --reason 'Không thuộc thẩm quyền giải quyết' --out mau03.pdf\n  \
    motcua form CODE --form 04 --reason 'Chờ kết quả xác minh' --new-due 2027-03-12 --out mau04.pdf\n  \
    motcua form CODE --form 05 --reason request --fees refunded --out mau05.pdf   (2025)\n  \
    motcua form CODE --form control --out kiem-soat.pdf"
)]
pub struct FormArgs {
    /// The dossier code
    pub code: String,
    /// Which form, by its number in the form set in force (see below) or by name:
    /// supplement (moves the dossier to status 5), refusal (status 3), apology (a new
    /// appointment), stop (2025 only: status 8, the clock stops for good), control
    #[arg(long, value_name = "NUMBER|NAME")]
    pub form: String,
    /// Mẫu 02: a missing document and why, as 'DOCUMENT:REASON' (repeat for each)
    #[arg(long = "missing", value_name = "DOCUMENT:REASON")]
    pub missing: Vec<String>,
    /// Mẫu 02: whom to ask while completing the dossier, or another note
    #[arg(long, default_value = "")]
    pub guide: String,
    /// Mẫu 03: a reason for the refusal (repeat for each); Mẫu 04: the reason for the delay;
    /// stop notice: why it stops, in words or one of the usual reasons: request (the
    /// citizen asks to stop), not_completed (the dossier was not completed as asked)
    #[arg(long = "reason", value_name = "TEXT")]
    pub reasons: Vec<String>,
    /// Stop notice: fees already paid: none (nothing paid), refunded, kept
    #[arg(long, value_name = "none|refunded|kept", default_value = "none")]
    pub fees: String,
    /// Mẫu 04: the new appointment: YYYY-MM-DD[ HH:MM], DD/MM/YYYY[ HH:MM],
    /// YYYY-MM-DDTHH:MM (Vietnam time; a bare date means closing time that day) or RFC 3339
    #[arg(long, value_name = "WHEN")]
    pub new_due: Option<String>,
    /// When it is issued: YYYY-MM-DD[ HH:MM], DD/MM/YYYY[ HH:MM],
    /// YYYY-MM-DDTHH:MM (Vietnam time; a bare date means closing time that day) or RFC 3339 [default: now]
    #[arg(long)]
    pub at: Option<String>,
    /// Where to write the PDF (a copy is also kept under forms/ beside the database)
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct RegisterArgs {
    /// First day of reception: YYYY-MM-DD or DD/MM/YYYY
    #[arg(long)]
    pub from: String,
    /// Last day of reception: YYYY-MM-DD or DD/MM/YYYY
    #[arg(long)]
    pub to: String,
    /// Where to write the PDF
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("direction").required(true).args(["to_unit", "back"])))]
pub struct TransferArgs {
    /// The dossier codes (all move, or none does)
    #[arg(required = true, num_args = 1..)]
    pub codes: Vec<String>,
    /// From the desk to the processing unit (status 4)
    #[arg(long)]
    pub to_unit: bool,
    /// Results back from the processing unit to the desk (status 9)
    #[arg(long)]
    pub back: bool,
    /// The processing unit, e.g. 'Công chức Tư pháp – Hộ tịch' [default with --to-unit: the
    /// competent authority the dossiers name; with --back: the unit the dossiers went to]
    #[arg(long, default_value = "")]
    pub unit: String,
    /// Who hands the dossiers over, printed under the list's signature
    #[arg(long, default_value = "")]
    pub giver: String,
    /// Who receives them, printed under the list's signature
    #[arg(long, default_value = "")]
    pub receiver: String,
    #[arg(long, default_value = "")]
    pub note: String,
    /// When: YYYY-MM-DD[ HH:MM], DD/MM/YYYY[ HH:MM],
    /// YYYY-MM-DDTHH:MM (Vietnam time; a bare date means closing time that day) or RFC 3339 [default: now]
    #[arg(long)]
    pub at: Option<String>,
    /// Also write the hand-over list (PDF) here; it is always kept under transfers/
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DeliveryArgs {
    /// The dossier code (its result was handed to the post)
    pub code: String,
    /// What the post reports
    #[arg(long, value_name = "delivered|returned")]
    pub status: String,
    /// When it happened: YYYY-MM-DD[ HH:MM], DD/MM/YYYY[ HH:MM],
    /// YYYY-MM-DDTHH:MM (Vietnam time; a bare date means closing time that day) or RFC 3339 [default: now]
    #[arg(long)]
    pub at: Option<String>,
    #[arg(long, default_value = "")]
    pub note: String,
}

fn write(path: &std::path::Path, bytes: &[u8]) -> Result<(), CoreError> {
    motcua_core::private_fs::write(path, bytes).map_err(|source| CoreError::File {
        path: path.display().to_string(),
        source,
    })
}

pub async fn form(global: &Global, store: &Store, args: FormArgs) -> Result<(), CoreError> {
    let set = store.form_set().await?;
    let request = FormFlags {
        form: args.form,
        missing: args.missing,
        guide: args.guide,
        reasons: args.reasons,
        fees: args.fees,
        new_due: args.new_due,
    }
    .request(set)?;
    let closing = store.office_hours().await?.afternoon_end;
    let req = FormIssue::parse(args.code, request, args.at.as_deref(), closing)?;
    let issued = store
        .issue_form(&req.code, &req.request, req.at, &global.actor())
        .await?;
    let archived = archive_form(global, &issued)?;
    write(&args.out, &issued.pdf)?;
    output::json(&serde_json::json!({
        "code": issued.dossier.code,
        "form": issued.form,
        "number": issued.number,
        "form_set": issued.form_set,
        "issue": issued.issue,
        "letter": issued.letter,
        "status_code": issued.dossier.status,
        "due_at": motcua_core::vntime::rfc3339_vn(issued.dossier.due_at),
        "archived": archived,
    }))
}

pub async fn register(global: &Global, store: &Store, args: RegisterArgs) -> Result<(), CoreError> {
    let range = DateRange::parse(&args.from, &args.to)?;
    write(
        &args.out,
        &store
            .export_register(
                range.from,
                range.to,
                &global.actor(),
                motcua_core::vntime::now(),
            )
            .await?,
    )
}

pub async fn transfer(global: &Global, store: &Store, args: TransferArgs) -> Result<(), CoreError> {
    let input = TransferInput {
        items: transfer_items(args.codes),
        direction: if args.back { "back" } else { "to_unit" }.into(),
        unit: args.unit,
        giver: args.giver,
        receiver: args.receiver,
        note: args.note,
    };
    let closing = store.office_hours().await?.afternoon_end;
    let req = TransferRequest::parse(input, args.at.as_deref(), closing)?;
    let batch = store.transfer(&req.input, req.at, &global.actor()).await?;
    let pdf = store.transfer_list_pdf(&batch).await?;
    let archived = archive_transfer_list(global, &batch, &pdf)?;
    if let Some(out) = &args.out {
        write(out, &pdf)?;
    }
    eprintln!(
        "{}",
        tf(
            global.lang(),
            "cli.transferred",
            &[
                ("count", &batch.rows.len().to_string()),
                ("batch", &batch.id.to_string())
            ]
        )
    );
    let mut value = serde_json::to_value(&batch).map_err(|e| CoreError::Json(e.to_string()))?;
    if let serde_json::Value::Object(map) = &mut value {
        map.insert("archived".into(), archived.display().to_string().into());
    }
    output::json(&value)
}

pub async fn delivery(global: &Global, store: &Store, args: DeliveryArgs) -> Result<(), CoreError> {
    let input = DeliveryInput {
        status: args.status,
        note: args.note,
    };
    let closing = store.office_hours().await?.afternoon_end;
    let req = DeliveryRequest::parse(args.code, input, args.at.as_deref(), closing)?;
    output::json(
        &store
            .record_delivery(&req.code, &req.input, req.at, &global.actor())
            .await?,
    )
}
