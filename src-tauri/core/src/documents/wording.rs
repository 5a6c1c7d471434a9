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
