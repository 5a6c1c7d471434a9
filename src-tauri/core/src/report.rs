//! Biểu số 06/VPCP/KSTT (TT 01/2020/TT-VPCP): dossiers received, resolved (early, on time,
//! late) and in progress (within time, overdue) over a period, by field and procedure.
//!
//! - *carried over*: received before the period, neither resolved nor closed before it;
//! - *resolved*: the result became ready (9), or was returned (10) without a ready step,
//!   within the period; early / on time / late compares that Vietnam date with the
//!   appointment date (after any pause or re-appointment);
//! - *closed*: refused, withdrawn or stopped within the period;
//! - *in progress*: received total − resolved − closed at the period's end; *overdue* when
//!   its appointment date is before the day of the report's moment (`as_of`: the period's end,
//!   or now when the period has not ended yet, so a month still running never counts a
//!   dossier as late before its day), unless its clock is stopped then (waiting for papers
//!   or fees: the appointment moves when the wait ends).
//!
//! So received total = resolved + in progress + closed, for every row.
//!
//! Beside Biểu 06, the digitisation rate (issue 21; not part of the legal form, so every
//! export shows it apart from the form's table):
//! - *components digitised*: dossiers received in the period (not carried over) with at least
//!   one checklist row scanned and every row (1 to the number of rows the dossier was
//!   received with) either scanned or taken from a national database (`from_data`: there is
//!   no paper to scan); its rate is over the dossiers received in the period (online +
//!   direct). A dossier whose every row came from data, with nothing scanned, does not count
//!   as digitised: the count is driven by the scans (see `store/report.rs`);
//! - *results digitised*: dossiers resolved in the period (as above) whose result has a scan;
//!   its rate is over the dossiers resolved in the period.
//!
//! Scans count as known when the report is made, whenever they were made (a result scanned
//! at next month's hand-over still counts for the month it became ready). A rate over no
//! dossiers is `None` ("—"); rates are printed as a percentage with one decimal.
//!
//! `build` is the definition, over the facts of each dossier. The store counts the same in
//! one SQL aggregate (`store/report.rs`), because a year at a busy centre is a million
//! dossiers; the store tests hold the two equal on generated years.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::vntime::vn_date;

/// Early, on time or late: judged by the Vietnam date against the appointment (domain
/// reference §5), so a result on the appointment day is on time whatever the hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Timeliness {
    Early,
    OnTime,
    Late,
}

impl Timeliness {
    pub fn judge(done: DateTime<Utc>, due: DateTime<Utc>) -> Timeliness {
        match vn_date(done).cmp(&vn_date(due)) {
            std::cmp::Ordering::Less => Timeliness::Early,
            std::cmp::Ordering::Equal => Timeliness::OnTime,
            std::cmp::Ordering::Greater => Timeliness::Late,
        }
    }

    /// As printed on the forms (Vietnamese by law).
    pub fn words(self) -> &'static str {
        match self {
            Timeliness::Early => "Trước hạn",
            Timeliness::OnTime => "Đúng hạn",
            Timeliness::Late => "Quá hạn",
        }
    }
}

/// Serialized with the two digitisation rates added as percentages (see `Serialize` below).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    pub received_total: i64,
    pub received_online: i64,
    pub received_direct: i64,
    pub received_carried_over: i64,
    pub resolved_total: i64,
    pub resolved_early: i64,
    pub resolved_on_time: i64,
    pub resolved_late: i64,
    pub in_progress_total: i64,
    pub in_progress_within: i64,
    pub in_progress_overdue: i64,
    pub closed_total: i64,
    pub rating_very_satisfied: i64,
    pub rating_satisfied: i64,
    pub rating_unsatisfied: i64,
    /// Received in the period with every checklist row scanned.
    pub components_digitised: i64,
    /// Resolved in the period with the result scanned.
    pub results_digitised: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    pub field: String,
    pub procedure: String,
    pub procedure_name: String,
    #[serde(flatten)]
    pub counters: Counters,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The moment "in progress" is judged at (see the module's comment).
    #[serde(with = "crate::vntime::serde_vn")]
    pub as_of: DateTime<Utc>,
    pub totals: Counters,
    pub rows: Vec<Row>,
}

/// What the report needs to know of one dossier.
#[derive(Debug, Clone)]
pub struct Facts {
    pub field: String,
    pub procedure: String,
    pub procedure_name: String,
    pub online: bool,
    pub received_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub ready_at: Option<DateTime<Utc>>,
    pub returned_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub handed_at: Option<DateTime<Utc>>,
    pub rating: Option<i64>,
    /// The times its clock stood still (statuses 5 and 6).
    pub pauses: Vec<Pause>,
    /// How many rows its checklist has (`documents`).
    pub checklist_rows: u32,
    /// The checklist rows (from 1) taken from a national database rather than paper.
    pub data_rows: Vec<u32>,
    /// The checklist rows (from 1) that have at least one scan, in any order.
    pub scanned_rows: Vec<u32>,
    /// Whether its result has a scan.
    pub result_scanned: bool,
}

/// An interval during which a dossier's clock stood still; `until` is `None` while it still
/// waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    pub from: DateTime<Utc>,
    pub until: Option<DateTime<Utc>>,
}

impl Pause {
    fn covers(&self, moment: DateTime<Utc>) -> bool {
        self.from < moment && self.until.is_none_or(|u| u >= moment)
    }
}

/// The moment a period ending at `end` (exclusive) is judged at, asked at `now`.
pub fn as_of(end: DateTime<Utc>, now: DateTime<Utc>) -> DateTime<Utc> {
    end.min(now)
}

/// Whether a dossier still in progress counts as overdue at `as_of`: its appointment day is
/// over (by Vietnam date, as the lists judge it) and its clock is running.
fn overdue(due_at: DateTime<Utc>, pauses: &[Pause], as_of: DateTime<Utc>) -> bool {
    vn_date(due_at) < vn_date(as_of) && !pauses.iter().any(|p| p.covers(as_of))
}

impl Counters {
    fn add(&mut self, f: &Facts, start: DateTime<Utc>, end: DateTime<Utc>, as_of: DateTime<Utc>) {
        let resolved_at = f.ready_at.or(f.returned_at);
        let before = |t: Option<DateTime<Utc>>, limit: DateTime<Utc>| t.is_some_and(|t| t < limit);
        let in_period = |t: Option<DateTime<Utc>>| t.is_some_and(|t| t >= start && t < end);
        if f.received_at >= end {
            return;
        }
        if f.received_at < start {
            if before(resolved_at, start) || before(f.closed_at, start) {
                return;
            }
            self.received_carried_over += 1;
        } else {
            if f.online {
                self.received_online += 1;
            } else {
                self.received_direct += 1;
            }
            let every_row = (1..=f.checklist_rows)
                .all(|row| f.scanned_rows.contains(&row) || f.data_rows.contains(&row));
            if !f.scanned_rows.is_empty() && every_row {
                self.components_digitised += 1;
            }
        }
        self.received_total += 1;
        if let Some(done) = resolved_at.filter(|t| *t >= start && *t < end) {
            self.resolved_total += 1;
            if f.result_scanned {
                self.results_digitised += 1;
            }
            match Timeliness::judge(done, f.due_at) {
                Timeliness::Early => self.resolved_early += 1,
                Timeliness::OnTime => self.resolved_on_time += 1,
                Timeliness::Late => self.resolved_late += 1,
            }
        } else if in_period(f.closed_at) {
            self.closed_total += 1;
        } else {
            self.in_progress_total += 1;
            if overdue(f.due_at, &f.pauses, as_of) {
                self.in_progress_overdue += 1;
            } else {
                self.in_progress_within += 1;
            }
        }
        if in_period(f.handed_at) {
            match f.rating {
                Some(1) => self.rating_very_satisfied += 1,
                Some(2) => self.rating_satisfied += 1,
                Some(3) => self.rating_unsatisfied += 1,
                _ => {}
            }
        }
    }

    fn merge(&mut self, o: &Counters) {
        self.received_total += o.received_total;
        self.received_online += o.received_online;
        self.received_direct += o.received_direct;
        self.received_carried_over += o.received_carried_over;
        self.resolved_total += o.resolved_total;
        self.resolved_early += o.resolved_early;
        self.resolved_on_time += o.resolved_on_time;
        self.resolved_late += o.resolved_late;
        self.in_progress_total += o.in_progress_total;
        self.in_progress_within += o.in_progress_within;
        self.in_progress_overdue += o.in_progress_overdue;
        self.closed_total += o.closed_total;
        self.rating_very_satisfied += o.rating_very_satisfied;
        self.rating_satisfied += o.rating_satisfied;
        self.rating_unsatisfied += o.rating_unsatisfied;
        self.components_digitised += o.components_digitised;
        self.results_digitised += o.results_digitised;
    }

    fn is_empty(&self) -> bool {
        *self == Counters::default()
    }
}

/// Counts `facts` over the Vietnam dates `from..=to`, a row per field and procedure, as
/// known at `now`.
pub fn build(from: NaiveDate, to: NaiveDate, now: DateTime<Utc>, facts: &[Facts]) -> Report {
    let start = crate::vntime::vn_day_start(from);
    let end = to
        .succ_opt()
        .map(crate::vntime::vn_day_start)
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    let as_of = as_of(end, now);
    let mut rows: std::collections::BTreeMap<(String, String), Row> =
        std::collections::BTreeMap::new();
    for f in facts {
        let row = rows
            .entry((f.field.clone(), f.procedure.clone()))
            .or_insert_with(|| Row {
                field: f.field.clone(),
                procedure: f.procedure.clone(),
                procedure_name: f.procedure_name.clone(),
                counters: Counters::default(),
            });
        row.counters.add(f, start, end, as_of);
    }
    let rows: Vec<Row> = rows
        .into_values()
        .filter(|r| !r.counters.is_empty())
        .collect();
    let mut totals = Counters::default();
    for r in &rows {
        totals.merge(&r.counters);
    }
    Report {
        from,
        to,
        as_of,
        totals,
        rows,
    }
}

/// The report from counters already made per procedure (by the store's query) at `as_of`:
/// rows in field and procedure order, and their totals.
pub fn from_rows(
    from: NaiveDate,
    to: NaiveDate,
    as_of: DateTime<Utc>,
    mut rows: Vec<Row>,
) -> Report {
    rows.retain(|r| !r.counters.is_empty());
    rows.sort_by(|a, b| (&a.field, &a.procedure).cmp(&(&b.field, &b.procedure)));
    let mut totals = Counters::default();
    for r in &rows {
        totals.merge(&r.counters);
    }
    Report {
        from,
        to,
        as_of,
        totals,
        rows,
    }
}

/// The row labels' columns of every export.
pub const LABEL_TITLES: [&str; 3] = ["Lĩnh vực", "Mã thủ tục", "Tên thủ tục"];

/// The counters' columns of every export, in `Counters::values` order.
pub const COUNTER_TITLES: [&str; 15] = [
    "Tổng số tiếp nhận",
    "Trực tuyến",
    "Trực tiếp và bưu chính",
    "Kỳ trước chuyển qua",
    "Đã giải quyết",
    "Trước hạn",
    "Đúng hạn",
    "Quá hạn",
    "Đang giải quyết",
    "Trong hạn",
    "Quá hạn (đang giải quyết)",
    "Trả lại, rút, dừng",
    "Rất hài lòng",
    "Hài lòng",
    "Không hài lòng",
];

/// The counters' titles under their group's title (`COUNTER_GROUPS`), as Biểu 06 words
/// its second header row.
pub const COUNTER_SHORT_TITLES: [&str; 15] = [
    "Tổng số",
    "Trực tuyến",
    "Trực tiếp, bưu chính",
    "Kỳ trước chuyển qua",
    "Tổng số",
    "Trước hạn",
    "Đúng hạn",
    "Quá hạn",
    "Tổng số",
    "Trong hạn",
    "Quá hạn",
    "Tổng số",
    "Rất hài lòng",
    "Hài lòng",
    "Không hài lòng",
];

/// How the counters group under the two-level header of Biểu 06: a title over so many
/// columns of `COUNTER_SHORT_TITLES`.
pub const COUNTER_GROUPS: [(&str, usize); 5] = [
    ("Số hồ sơ nhận giải quyết", 4),
    ("Số hồ sơ đã giải quyết", 4),
    ("Số hồ sơ đang giải quyết", 3),
    ("Trả lại, rút, dừng", 1),
    ("Mức độ hài lòng", 3),
];

/// The digitisation table's columns (its own section or sheet in every export), in
/// `Counters::digitisation_cells` order, under `DIGITISATION_GROUPS`.
pub const DIGITISATION_TITLES: [&str; 6] = [
    "Tiếp nhận trong kỳ",
    "Số hóa đủ thành phần",
    "Tỷ lệ",
    "Đã giải quyết",
    "Kết quả được số hóa",
    "Tỷ lệ",
];

/// The two groups over `DIGITISATION_TITLES`.
pub const DIGITISATION_GROUPS: [(&str, usize); 2] =
    [("Thành phần hồ sơ", 3), ("Kết quả giải quyết", 3)];

/// The title of the digitisation section (sheet, PDF page).
pub const DIGITISATION_TITLE: &str = "TỶ LỆ SỐ HÓA HỒ SƠ, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH";

/// The CSV's extra columns after Biểu 06's, whole-row titles.
const CSV_DIGITISATION_TITLES: [&str; 4] = [
    "Số hóa đủ thành phần hồ sơ",
    "Tỷ lệ số hóa thành phần hồ sơ (%)",
    "Kết quả được số hóa",
    "Tỷ lệ số hóa kết quả (%)",
];

/// The rows of one field and their subtotal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldGroup<'a> {
    pub field: &'a str,
    pub totals: Counters,
    pub rows: Vec<&'a Row>,
}

impl Report {
    /// The period and the moment of its figures, as every export heads them (Vietnamese by
    /// law): "Kỳ báo cáo: từ ngày 01/12/2026 đến ngày 31/12/2026 (số liệu tính đến 14:30
    /// ngày 05/12/2026)".
    pub fn period_line(&self) -> String {
        format!(
            "Kỳ báo cáo: từ ngày {} đến ngày {} ({})",
            self.from.format("%d/%m/%Y"),
            self.to.format("%d/%m/%Y"),
            self.as_of_words()
        )
    }

    /// "số liệu tính đến 14:30 ngày 05/12/2026"; the end of a closed period reads as its last
    /// day's end ("24:00 ngày 31/12/2026") rather than the next day's midnight.
    pub fn as_of_words(&self) -> String {
        let local = crate::vntime::to_vn(self.as_of);
        let (time, day) = if local.time() == chrono::NaiveTime::MIN {
            (
                "24:00".to_string(),
                local.date_naive().pred_opt().unwrap_or(local.date_naive()),
            )
        } else {
            (local.format("%H:%M").to_string(), local.date_naive())
        };
        format!("số liệu tính đến {time} ngày {}", day.format("%d/%m/%Y"))
    }

    /// The rows grouped by field (they are sorted by field already), each with its total.
    pub fn by_field(&self) -> Vec<FieldGroup<'_>> {
        let mut groups: Vec<FieldGroup<'_>> = Vec::new();
        for row in &self.rows {
            match groups.last_mut() {
                Some(g) if g.field == row.field => {
                    g.totals.merge(&row.counters);
                    g.rows.push(row);
                }
                _ => groups.push(FieldGroup {
                    field: &row.field,
                    totals: row.counters,
                    rows: vec![row],
                }),
            }
        }
        groups
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

impl Counters {
    /// The counters in `COUNTER_TITLES` order.
    pub fn values(&self) -> [i64; 15] {
        let c = self;
        [
            c.received_total,
            c.received_online,
            c.received_direct,
            c.received_carried_over,
            c.resolved_total,
            c.resolved_early,
            c.resolved_on_time,
            c.resolved_late,
            c.in_progress_total,
            c.in_progress_within,
            c.in_progress_overdue,
            c.closed_total,
            c.rating_very_satisfied,
            c.rating_satisfied,
            c.rating_unsatisfied,
        ]
    }

    /// Dossiers received in the period (not carried over): the components rate's base.
    pub fn received_in_period(&self) -> i64 {
        self.received_online + self.received_direct
    }

    /// The share (0–1) of the dossiers received in the period with every component
    /// digitised, when any were received.
    pub fn components_rate(&self) -> Option<f64> {
        share(self.components_digitised, self.received_in_period())
    }

    /// The share (0–1) of the dossiers resolved in the period with the result digitised,
    /// when any were resolved.
    pub fn results_rate(&self) -> Option<f64> {
        share(self.results_digitised, self.resolved_total)
    }

    /// The digitisation figures in `DIGITISATION_TITLES` order, rates as printed.
    pub fn digitisation_cells(&self) -> [String; 6] {
        [
            self.received_in_period().to_string(),
            self.components_digitised.to_string(),
            percent_words(self.components_rate()),
            self.resolved_total.to_string(),
            self.results_digitised.to_string(),
            percent_words(self.results_rate()),
        ]
    }

    /// The share of resolved dossiers resolved early or on time, when any were resolved.
    pub fn on_time_rate(&self) -> Option<f64> {
        (self.resolved_total > 0).then(|| {
            (self.resolved_early + self.resolved_on_time) as f64 / self.resolved_total as f64
        })
    }
}

fn share(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// A share (0–1) as a percentage rounded to one decimal (0.75 → 75.0).
pub fn percent(share: f64) -> f64 {
    (share * 1000.0).round() / 10.0
}

/// A share as printed in Vietnamese: "75,0 %", or "—" when there was nothing to count.
pub fn percent_words(share: Option<f64>) -> String {
    match share {
        Some(s) => format!("{:.1} %", percent(s)).replace('.', ","),
        None => "—".to_string(),
    }
}

/// The JSON of the counters: every count, and the two digitisation rates as percentages
/// (one decimal; null when there was nothing to count), so a reader of the export does not
/// recompute them.
impl Serialize for Counters {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut m = s.serialize_struct("Counters", 19)?;
        m.serialize_field("received_total", &self.received_total)?;
        m.serialize_field("received_online", &self.received_online)?;
        m.serialize_field("received_direct", &self.received_direct)?;
        m.serialize_field("received_carried_over", &self.received_carried_over)?;
        m.serialize_field("resolved_total", &self.resolved_total)?;
        m.serialize_field("resolved_early", &self.resolved_early)?;
        m.serialize_field("resolved_on_time", &self.resolved_on_time)?;
        m.serialize_field("resolved_late", &self.resolved_late)?;
        m.serialize_field("in_progress_total", &self.in_progress_total)?;
        m.serialize_field("in_progress_within", &self.in_progress_within)?;
        m.serialize_field("in_progress_overdue", &self.in_progress_overdue)?;
        m.serialize_field("closed_total", &self.closed_total)?;
        m.serialize_field("rating_very_satisfied", &self.rating_very_satisfied)?;
        m.serialize_field("rating_satisfied", &self.rating_satisfied)?;
        m.serialize_field("rating_unsatisfied", &self.rating_unsatisfied)?;
        m.serialize_field("components_digitised", &self.components_digitised)?;
        m.serialize_field(
            "components_digitised_percent",
            &self.components_rate().map(percent),
        )?;
        m.serialize_field("results_digitised", &self.results_digitised)?;
        m.serialize_field(
            "results_digitised_percent",
            &self.results_rate().map(percent),
        )?;
        m.end()
    }
}

/// CSV in UTF-8 with a byte-order mark: spreadsheet programs then read Vietnamese right.
pub fn to_csv(report: &Report) -> String {
    let mut out = String::from("\u{FEFF}");
    let header: Vec<&str> = LABEL_TITLES
        .iter()
        .chain(&COUNTER_TITLES)
        .chain(&CSV_DIGITISATION_TITLES)
        .copied()
        .collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    let line = |out: &mut String, texts: [&str; 3], c: &Counters| {
        let mut cells: Vec<String> = texts.iter().map(|t| csv_field(t)).collect();
        cells.extend(c.values().iter().map(i64::to_string));
        // Rates with a full stop for spreadsheets; empty when there was nothing to count.
        let rate = |r: Option<f64>| r.map(|r| format!("{:.1}", percent(r))).unwrap_or_default();
        cells.push(c.components_digitised.to_string());
        cells.push(rate(c.components_rate()));
        cells.push(c.results_digitised.to_string());
        cells.push(rate(c.results_rate()));
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    };
    for r in &report.rows {
        line(
            &mut out,
            [&r.field, &r.procedure, &r.procedure_name],
            &r.counters,
        );
    }
    line(&mut out, ["Tổng cộng", "", ""], &report.totals);
    out.push_str(&csv_field(&report.period_line()));
    out.push_str("\r\n");
    out
}
