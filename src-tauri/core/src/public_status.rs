//! What a citizen may see of their dossier on the office's status page: the procedure, the
//! status in plain words, the appointment, whether the result is ready and where to collect
//! it, and the office's contact line. The applicant's name is masked ("Nguyễn V. A.") and
//! the ID number, phone, e-mail and addresses never leave the core through this view
//! (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15 and Decree 356/2025/NĐ-CP, in force since
//! 01/01/2026): the server renders only what this type holds.

use chrono::{DateTime, Datelike, Utc};
use serde::Serialize;

use crate::dossier::{Dossier, ReturnMethod};
use crate::i18n::{t, tf, Lang};
use crate::status::Status;
use crate::text::clean_line;
use crate::vntime::to_vn;

/// "Nguyễn Văn An" → "Nguyễn V. A.": the family name, then the initial of every other word.
/// A one-word name keeps only its initial, since a family name alone would be the whole name.
pub fn mask_name(name: &str) -> String {
    let cleaned = clean_line(name);
    let words: Vec<&str> = cleaned.split(' ').filter(|w| !w.is_empty()).collect();
    match words.as_slice() {
        [] => String::new(),
        [only] => initial(only).unwrap_or_default(),
        [family, rest @ ..] => {
            let mut parts = vec![family.to_string()];
            parts.extend(rest.iter().filter_map(|w| initial(w)));
            parts.join(" ")
        }
    }
}

fn initial(word: &str) -> Option<String> {
    word.chars()
        .find(|c| c.is_alphanumeric())
        .map(|c| format!("{c}."))
}

/// Where the result is handed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Collect {
    /// At the desk of the agency that received the dossier.
    Desk,
    /// Sent by post to the address the citizen registered, which is not shown.
    Post,
}

/// The public view of one dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicStatus {
    pub code: String,
    /// Masked, e.g. "Nguyễn V. A.".
    pub applicant: String,
    pub procedure: String,
    #[serde(rename = "status_code")]
    pub status: Status,
    #[serde(with = "crate::vntime::serde_vn")]
    pub due_at: DateTime<Utc>,
    pub ready: bool,
    pub collect: Collect,
    /// The receiving agency as it was named on the dossier's slip.
    pub unit: String,
    pub governing_body: String,
    /// The office's contact line (setting `contact`); empty when not set.
    pub contact: String,
}

impl PublicStatus {
    pub fn from_dossier(d: &Dossier, contact: &str) -> PublicStatus {
        PublicStatus {
            code: d.code.clone(),
            applicant: mask_name(&d.applicant.name),
            procedure: d.procedure.name.clone(),
            status: d.status,
            due_at: d.due_at,
            ready: d.status == Status::Ready,
            collect: match d.return_method {
                ReturnMethod::Desk => Collect::Desk,
                ReturnMethod::Post(_) => Collect::Post,
            },
            unit: d.issuer.unit.clone(),
            governing_body: d.issuer.governing_body.clone(),
            contact: clean_line(contact),
        }
    }

    /// The status as a citizen would say it, with what to do next.
    pub fn status_words(&self, lang: Lang) -> String {
        if self.ready && self.collect == Collect::Post {
            return t(lang, "public.status.9_post");
        }
        t(lang, &format!("public.status.{}", self.status.code()))
    }

    /// Whether an appointment still means something: the dossier is on its way. Once it is
    /// ready, returned or closed, the page says so instead.
    pub fn in_progress(&self) -> bool {
        matches!(
            self.status,
            Status::Submitted
                | Status::Accepted
                | Status::Processing
                | Status::SupplementRequested
                | Status::AwaitingFees
        )
    }

    /// In progress with its clock running, and past the appointment at `now`.
    pub fn overdue(&self, now: DateTime<Utc>) -> bool {
        self.in_progress() && !self.status.pauses_clock() && now > self.due_at
    }

    /// "17:00, thứ Tư 03/03/2027" in Vietnam time.
    pub fn appointment_words(&self, lang: Lang) -> String {
        when(self.due_at, lang)
    }

    /// Where to collect the result, in words.
    pub fn collect_words(&self, lang: Lang) -> String {
        match self.collect {
            Collect::Desk => tf(
                lang,
                "public.collect_desk",
                &[
                    ("unit", &self.unit),
                    ("governing_body", &self.governing_body),
                ],
            ),
            Collect::Post => t(lang, "public.collect_post"),
        }
    }
}

/// An instant on a Vietnamese wall clock with its weekday: "17:00, thứ Tư 03/03/2027".
pub fn when(instant: DateTime<Utc>, lang: Lang) -> String {
    let local = to_vn(instant);
    let weekday = t(
        lang,
        &format!("public.weekday.{}", local.weekday().number_from_monday()),
    );
    tf(
        lang,
        "public.when",
        &[
            ("time", &local.format("%H:%M").to_string()),
            ("weekday", &weekday),
            ("date", &local.format("%d/%m/%Y").to_string()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_masked_to_family_name_and_initials() {
        assert_eq!(mask_name("Nguyễn Văn An"), "Nguyễn V. A.");
        assert_eq!(mask_name("  Lê   Thị Bích  Ngọc "), "Lê T. B. N.");
        assert_eq!(mask_name("Đặng Đức"), "Đặng Đ.");
        assert_eq!(mask_name("An"), "A.");
        assert_eq!(mask_name(""), "");
        assert_eq!(mask_name("SMITH JOHN PAUL"), "SMITH J. P.");
        // Decomposed input (as some input methods send it) masks the same way.
        assert_eq!(
            mask_name("Nguye\u{302}\u{303}n Va\u{306}n A\u{300}"),
            "Nguyễn V. À."
        );
    }

    #[test]
    fn weekdays_and_times_are_vietnamese_wall_clock() {
        let t = DateTime::parse_from_rfc3339("2027-03-03T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(when(t, Lang::Vi), "17:00, thứ Tư 03/03/2027");
        assert_eq!(when(t, Lang::En), "17:00, Wednesday 03/03/2027");
    }
}
