//! How the forms word dates, times and money ("ngày 03 tháng 03 năm 2027", "17 giờ 00
//! phút, …", "8.000 đồng"), always on the Vietnam wall clock.

use chrono::{DateTime, Datelike, Timelike, Utc};

use crate::vntime::to_vn;

/// "ngày 03 tháng 03 năm 2027" in Vietnam time.
pub fn date_words(t: DateTime<Utc>) -> String {
    let t = to_vn(t);
    format!(
        "ngày {:02} tháng {:02} năm {:04}",
        t.day(),
        t.month(),
        t.year()
    )
}

/// "17 giờ 00 phút, ngày 03 tháng 03 năm 2027" in Vietnam time.
pub fn time_words(t: DateTime<Utc>) -> String {
    let v = to_vn(t);
    format!(
        "{:02} giờ {:02} phút, {}",
        v.hour(),
        v.minute(),
        date_words(t)
    )
}

/// "Hướng Thọ Phú, ngày 03 tháng 03 năm 2027", the dateline under the motto.
pub fn dateline(place: &str, t: DateTime<Utc>) -> String {
    let place = place.trim();
    if place.is_empty() {
        date_words(t)
    } else {
        format!("{place}, {}", date_words(t))
    }
}

/// A procedure's time limit as the forms say it: "3 ngày làm việc", "5 ngày", "trong ngày".
pub fn limit_words(limit: crate::calendar::TimeLimit) -> String {
    use crate::calendar::TimeLimit;
    match limit {
        TimeLimit::WorkingDays { days } => format!("{days} ngày làm việc"),
        TimeLimit::CalendarDays { days } => format!("{days} ngày"),
        TimeLimit::SameDay { .. } => "trong ngày".to_string(),
    }
}

/// "09:15 03/03/2027": a table cell's time.
pub fn short_time(t: DateTime<Utc>) -> String {
    to_vn(t).format("%H:%M %d/%m/%Y").to_string()
}

/// "03/03/2027".
pub fn short_date(t: DateTime<Utc>) -> String {
    to_vn(t).format("%d/%m/%Y").to_string()
}

/// The receiving office as the 2018 receipt names it.
pub const DESK_2018: &str = "Bộ phận tiếp nhận và trả kết quả";
/// The national public-service portal, where a dossier is found only when the province's
/// system sent it there.
pub const NATIONAL_PORTAL: &str = "dichvucong.gov.vn";
/// Where a document taken from data stands in the receipt's count columns.
pub const FROM_DATA: &str = "Khai thác từ CSDL";

/// The receiving office's label on the receipt: the office's own (the `office-label`
/// setting) when set, else "Bộ phận tiếp nhận và trả kết quả" under the 2018 set and the
/// centre's own name (the agency's unit) under the 2025 set, which names the centre.
pub fn office_label(set: crate::form_set::FormSet, configured: &str, unit: &str) -> String {
    match (configured.trim(), set) {
        ("", crate::form_set::FormSet::Tt01_2018) => DESK_2018.to_string(),
        ("", _) if !unit.trim().is_empty() => unit.trim().to_string(),
        ("", _) => DESK_2018.to_string(),
        (label, _) => label.to_string(),
    }
}

/// The receipt's lookup line, promising only what works: dichvucong.gov.vn only when the
/// office's dossiers reach it, the QR code only when it opens the office's own lookup page
/// (a `lookup-url` is set; otherwise it holds what only a desk scanner reads), else whom to
/// ask: the office's contact line or the office itself.
pub fn lookup_line(portal: bool, own_page: bool, contact: &str, office: &str) -> String {
    match (portal, own_page, contact.trim()) {
        (true, true, _) => {
            format!("Quét mã QR để tra cứu tình trạng hồ sơ, hoặc tra cứu tại {NATIONAL_PORTAL}")
        }
        (true, false, _) => format!("Tra cứu hồ sơ tại {NATIONAL_PORTAL} theo mã hồ sơ"),
        (false, true, "") => "Quét mã QR để tra cứu tình trạng hồ sơ".to_string(),
        (false, true, contact) => {
            format!("Quét mã QR để tra cứu tình trạng hồ sơ. Liên hệ: {contact}")
        }
        (false, false, "") => format!("Hỏi về hồ sơ: {}, theo mã hồ sơ", office.trim()),
        (false, false, contact) => format!("Hỏi về hồ sơ: {contact}"),
    }
}

/// "8.000 đồng": Vietnamese groups thousands with dots.
pub fn vnd(amount: i64) -> String {
    format!("{} đồng", grouped(amount))
}

/// "1.234.567".
pub fn grouped(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    let sign = if amount < 0 { "-" } else { "" };
    format!("{sign}{out}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_grouped_with_dots() {
        assert_eq!(vnd(0), "0 đồng");
        assert_eq!(vnd(8000), "8.000 đồng");
        assert_eq!(vnd(200_000), "200.000 đồng");
        assert_eq!(vnd(1_234_567), "1.234.567 đồng");
        assert_eq!(vnd(-50_000), "-50.000 đồng");
    }

    #[test]
    fn the_office_names_itself_and_the_lookup_line_promises_only_what_works() {
        use crate::form_set::FormSet;
        let unit = "Trung tâm Phục vụ hành chính công xã Tân Phú";
        assert_eq!(office_label(FormSet::Tt01_2018, "", unit), DESK_2018);
        assert_eq!(office_label(FormSet::Tt03_2025, " ", unit), unit);
        assert_eq!(
            office_label(FormSet::Tt03_2025, "Điểm tiếp nhận số 2", unit),
            "Điểm tiếp nhận số 2"
        );
        let contact = "Điện thoại 0276 3812 345";
        assert_eq!(
            lookup_line(true, true, contact, unit),
            "Quét mã QR để tra cứu tình trạng hồ sơ, hoặc tra cứu tại dichvucong.gov.vn"
        );
        assert!(lookup_line(true, false, "", unit).contains("dichvucong.gov.vn"));
        for (own_page, contact) in [(true, ""), (true, contact), (false, ""), (false, contact)] {
            let line = lookup_line(false, own_page, contact, unit);
            assert!(!line.contains("dichvucong"), "{line}");
            assert_eq!(line.contains("QR"), own_page, "{line}");
        }
        assert_eq!(
            lookup_line(false, false, contact, unit),
            "Hỏi về hồ sơ: Điện thoại 0276 3812 345"
        );
        assert!(lookup_line(false, false, "", unit).contains(unit));
    }

    #[test]
    fn times_are_vietnam_wall_clock() {
        let t = DateTime::parse_from_rfc3339("2027-03-03T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(time_words(t), "17 giờ 00 phút, ngày 03 tháng 03 năm 2027");
        assert_eq!(short_time(t), "17:00 03/03/2027");
        let late = DateTime::parse_from_rfc3339("2027-03-03T17:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(date_words(late), "ngày 04 tháng 03 năm 2027");
        assert_eq!(
            dateline(" Hướng Thọ Phú ", late),
            "Hướng Thọ Phú, ngày 04 tháng 03 năm 2027"
        );
        assert_eq!(dateline("", late), "ngày 04 tháng 03 năm 2027");
    }
}
