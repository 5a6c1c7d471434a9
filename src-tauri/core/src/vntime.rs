//! Vietnam time. Every local date and clock time in the product is UTC+7 (no daylight
//! saving), whatever the computer's own zone; instants are stored in UTC.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// UTC+7, in seconds east of UTC.
pub const VN_OFFSET_SECS: i32 = 7 * 3600;

pub fn vn_offset() -> FixedOffset {
    match FixedOffset::east_opt(VN_OFFSET_SECS) {
        Some(offset) => offset,
        // 7 hours is within the ±24 h a FixedOffset accepts.
        None => unreachable!("UTC+7 is a valid offset"),
    }
}

/// An instant seen on a Vietnamese wall clock.
pub fn to_vn(instant: DateTime<Utc>) -> DateTime<FixedOffset> {
    instant.with_timezone(&vn_offset())
}

/// The Vietnam calendar date of an instant.
pub fn vn_date(instant: DateTime<Utc>) -> NaiveDate {
    to_vn(instant).date_naive()
}

/// A Vietnam wall-clock time as a UTC instant. Never ambiguous: UTC+7 has no DST.
pub fn from_vn(local: NaiveDateTime) -> DateTime<Utc> {
    (local - chrono::Duration::seconds(i64::from(VN_OFFSET_SECS))).and_utc()
}

/// Vietnam midnight starting `date`, as a UTC instant.
pub fn vn_day_start(date: NaiveDate) -> DateTime<Utc> {
    from_vn(date.and_time(chrono::NaiveTime::MIN))
}

/// RFC 3339 in Vietnam time, e.g. `2027-03-03T09:00:00+07:00`.
pub fn rfc3339_vn(instant: DateTime<Utc>) -> String {
    to_vn(instant).to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// The one clock of the app (`.clippy.toml` sends every other caller here).
#[allow(clippy::disallowed_methods)]
pub fn now() -> DateTime<Utc> {
    Utc::now()
}

/// Milliseconds since the Unix epoch: how instants are stored in the database.
pub fn to_millis(instant: DateTime<Utc>) -> i64 {
    instant.timestamp_millis()
}

pub fn from_millis(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// A date as Vietnamese write it, day first: `05/12/2026`, `5/12/26`, `5-12-2026`,
/// `5.12.2026`, or without the year (`5/12`: that day of `today`'s year); also the ISO
/// `2026-12-05` that scripts and date pickers send, and `today`. Whatever the computer's
/// locale. The one reader of typed dates: the window and the CLI both come here (through
/// `request`), so they accept the same forms.
pub fn parse_date(s: &str, today: NaiveDate) -> Option<NaiveDate> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("today") {
        return Some(today);
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(d);
    }
    let parts: Vec<&str> = s.split(['/', '-', '.']).map(str::trim).collect();
    let number = |p: &str, max_len: usize| -> Option<u32> {
        (!p.is_empty() && p.len() <= max_len && p.chars().all(|c| c.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let (day, month) = (number(parts.first()?, 2)?, number(parts.get(1)?, 2)?);
    let year = match parts.get(2) {
        None => today.year(),
        Some(y) if y.len() == 2 => 2000 + i32::try_from(number(y, 2)?).ok()?,
        Some(y) if y.len() == 4 => i32::try_from(number(y, 4)?).ok()?,
        Some(_) => return None,
    };
    if parts.len() > 3 {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

/// What a person types for a moment: RFC 3339 with any offset, a Vietnam wall-clock time
/// `YYYY-MM-DDTHH:MM[:SS]`, or any date `parse_date` reads followed by a space and
/// `HH:MM[:SS]` (`2027-03-10 08:30` as a window's date-time field sends it, `10/03/2027
/// 08:30` as the desk writes it), or a bare date, which means `time_of_day` that day (the
/// desk's closing time, where a moment is wanted). The one reader of typed moments.
pub fn parse_vn(s: &str, time_of_day: chrono::NaiveTime) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(local) = NaiveDateTime::parse_from_str(s, format) {
            return Some(from_vn(local));
        }
    }
    let today = vn_date(now());
    if let Some((date, time)) = s.rsplit_once(char::is_whitespace) {
        let time = ["%H:%M:%S", "%H:%M"]
            .into_iter()
            .find_map(|f| chrono::NaiveTime::parse_from_str(time, f).ok());
        if let (Some(date), Some(time)) = (parse_date(date, today), time) {
            return Some(from_vn(date.and_time(time)));
        }
    }
    // Not a date and a time: a date alone, which may hold spaces ("5 / 12").
    parse_date(s, today).map(|d| from_vn(d.and_time(time_of_day)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_moments_are_vietnam_time() {
        let five = chrono::NaiveTime::from_hms_opt(17, 0, 0).unwrap();
        let want = |s: &str| rfc3339_vn(parse_vn(s, five).unwrap());
        assert_eq!(want("2027-03-10"), "2027-03-10T17:00:00+07:00");
        assert_eq!(want("2027-03-10T08:30"), "2027-03-10T08:30:00+07:00");
        assert_eq!(want("2027-03-10 08:30:15"), "2027-03-10T08:30:15+07:00");
        assert_eq!(want("2027-03-10T01:30:00Z"), "2027-03-10T08:30:00+07:00");
        assert_eq!(want("10/03/2027"), "2027-03-10T17:00:00+07:00");
        assert_eq!(want("10/03/2027 08:30"), "2027-03-10T08:30:00+07:00");
        assert_eq!(want("10/3/2027 8:30:15"), "2027-03-10T08:30:15+07:00");
        assert_eq!(want("2027-03-10 08:30"), "2027-03-10T08:30:00+07:00");
        assert_eq!(
            want("2027-03-10T08:30:00+07:00"),
            "2027-03-10T08:30:00+07:00"
        );
        assert!(parse_vn("10/03/2027 8h", five).is_none());
        assert!(parse_vn("03/10/2027 25:00", five).is_none());
        assert!(parse_vn("", five).is_none());
        assert_eq!(want(" 10 / 3 / 2027 "), "2027-03-10T17:00:00+07:00");
    }

    #[test]
    fn dates_are_read_day_first_whatever_the_locale() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        for (typed, want) in [
            ("05/12/2026", d(2026, 12, 5)),
            ("5/12", d(2026, 12, 5)),
            (" 1/3/27 ", d(2027, 3, 1)),
            ("31-12-2026", d(2026, 12, 31)),
            ("1.1.2027", d(2027, 1, 1)),
            ("2026-12-05", d(2026, 12, 5)),
            ("today", d(2026, 12, 5)),
            ("12/31/2026", None),
            ("30/02/2027", None),
            ("5/12/2026/1", None),
            ("5/12/202", None),
            ("", None),
            ("hôm nay", None),
        ] {
            assert_eq!(parse_date(typed, today), want, "{typed:?}");
        }
    }

    #[test]
    fn vietnam_midnight_is_17_utc_the_day_before() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        assert_eq!(vn_day_start(d).to_rfc3339(), "2026-11-26T17:00:00+00:00");
    }

    #[test]
    fn rfc3339_is_in_vietnam_time() {
        let t = DateTime::parse_from_rfc3339("2027-03-03T02:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(rfc3339_vn(t), "2027-03-03T09:00:00+07:00");
        assert_eq!(vn_date(t), NaiveDate::from_ymd_opt(2027, 3, 3).unwrap());
    }
}

/// Serde for instants: written as RFC 3339 in Vietnam time, read from any offset.
pub mod serde_vn {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::rfc3339_vn(*t))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let text = String::deserialize(d)?;
        DateTime::parse_from_rfc3339(&text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(serde::de::Error::custom)
    }
}

/// `serde_vn` for an instant that may be missing (`null`).
pub mod serde_vn_opt {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_str(&super::rfc3339_vn(*t)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|text| {
                DateTime::parse_from_rfc3339(&text)
                    .map(|t| t.with_timezone(&Utc))
                    .map_err(serde::de::Error::custom)
            })
            .transpose()
    }
}
