//! Which circular numbers the desk's standard forms, and the citation printed on each slip.
//!
//! Thông tư 03/2025/TT-VPCP (signed 15/9/2025, guiding Nghị định 118/2025; domain reference
//! §1, high confidence for numbers and titles) numbers them 01 receipt, 02 supplement request,
//! 03 refusal, 04 letter of apology asking to extend the time limit, 05 notice that the
//! dossier's processing stops, 06 control slip, 07 register book. Thông tư 01/2018/TT-VPCP,
//! the set before it, has no stop notice: 01–04 as above (04 an apology slip with a new
//! appointment), 05 control slip, 06 register book.
//!
//! The set is a setting (`form-set`): a database made by this version starts with the 2025
//! set; a database from before it that never chose keeps the 2018 set it has been printing
//! (see `Store::form_set`). Every issue records the set it used, and a reprint keeps it.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::i18n::{display_in_vietnamese, tf, Lang, Localized};

/// The forms the desk prints, by what they are rather than by their number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    Receipt,
    Supplement,
    Refusal,
    Apology,
    /// Thông báo dừng giải quyết hồ sơ (2025 only).
    Stop,
    Control,
    Register,
}

impl Form {
    /// The form's English name, which scripts and the window use ("supplement", …).
    pub fn name(self) -> &'static str {
        match self {
            Form::Receipt => "receipt",
            Form::Supplement => "supplement",
            Form::Refusal => "refusal",
            Form::Apology => "apology",
            Form::Stop => "stop",
            Form::Control => "control",
            Form::Register => "register",
        }
    }

    /// A form by its name; numbers depend on the set (`FormSet::form`).
    pub fn by_name(s: &str) -> Option<Form> {
        let t = s.trim().to_ascii_lowercase();
        FormSet::Tt03_2025
            .forms()
            .iter()
            .copied()
            .find(|f| f.name() == t)
    }

    /// "02", "2", "mau02", "Mẫu 05" → the number "2", "5"; `None` when `s` is not a number.
    fn number_part(s: &str) -> Option<String> {
        let t = s.trim().to_lowercase();
        let t = t
            .strip_prefix("mẫu")
            .or_else(|| t.strip_prefix("mau"))
            .unwrap_or(&t)
            .trim()
            .trim_start_matches("số")
            .trim()
            .trim_start_matches('0');
        (!t.is_empty() && t.chars().all(|c| c.is_ascii_digit())).then(|| t.to_string())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum FormSet {
    #[serde(rename = "tt01-2018")]
    Tt01_2018,
    /// What a new office prints.
    #[default]
    #[serde(rename = "tt03-2025")]
    Tt03_2025,
}

pub const FORM_SETS: [FormSet; 2] = [FormSet::Tt01_2018, FormSet::Tt03_2025];

const FORMS_2018: [Form; 6] = [
    Form::Receipt,
    Form::Supplement,
    Form::Refusal,
    Form::Apology,
    Form::Control,
    Form::Register,
];

const FORMS_2025: [Form; 7] = [
    Form::Receipt,
    Form::Supplement,
    Form::Refusal,
    Form::Apology,
    Form::Stop,
    Form::Control,
    Form::Register,
];

impl FormSet {
    pub fn as_str(self) -> &'static str {
        match self {
            FormSet::Tt01_2018 => "tt01-2018",
            FormSet::Tt03_2025 => "tt03-2025",
        }
    }

    pub fn parse(s: &str) -> Option<FormSet> {
        let t = s.trim().to_ascii_lowercase();
        FORM_SETS.iter().copied().find(|f| f.as_str() == t)
    }

    pub fn circular(self) -> &'static str {
        match self {
            FormSet::Tt01_2018 => "Thông tư 01/2018/TT-VPCP",
            FormSet::Tt03_2025 => "Thông tư 03/2025/TT-VPCP",
        }
    }

    /// The day the circular was signed, "dd/mm/yyyy": what the window says the set dates
    /// from when the office never chose it.
    pub fn signed(self) -> &'static str {
        match self {
            FormSet::Tt01_2018 => "23/11/2018",
            FormSet::Tt03_2025 => "15/9/2025",
        }
    }

    /// The set's forms in the order of their numbers.
    pub fn forms(self) -> &'static [Form] {
        match self {
            FormSet::Tt01_2018 => &FORMS_2018,
            FormSet::Tt03_2025 => &FORMS_2025,
        }
    }

    pub fn has(self, form: Form) -> bool {
        self.forms().contains(&form)
    }

    /// The form's number in this set, two digits; `None` for a form the set does not have
    /// (the stop notice under 2018).
    pub fn number(self, form: Form) -> Option<&'static str> {
        const NUMBERS: [&str; 7] = ["01", "02", "03", "04", "05", "06", "07"];
        let i = self.forms().iter().position(|f| *f == form)?;
        NUMBERS.get(i).copied()
    }

    /// The form a number ("05", "5", "Mẫu 05") or a name ("control") means in this set.
    pub fn form(self, s: &str) -> Result<Form, UnknownForm> {
        let unknown = || UnknownForm {
            given: s.trim().to_string(),
            set: self,
        };
        match Form::number_part(s) {
            Some(n) => {
                let i: usize = n.parse().map_err(|_| unknown())?;
                i.checked_sub(1)
                    .and_then(|i| self.forms().get(i))
                    .copied()
                    .ok_or_else(unknown)
            }
            None => Form::by_name(s)
                .filter(|f| self.has(*f))
                .ok_or_else(unknown),
        }
    }

    /// "Mẫu số 02 – Thông tư 01/2018/TT-VPCP", printed at the top of the slip.
    pub fn citation(self, form: Form) -> Option<String> {
        Some(format!(
            "Mẫu số {} – {}",
            self.number(form)?,
            self.circular()
        ))
    }

    /// The slip's title as the set words it.
    pub fn title(self, form: Form) -> &'static str {
        match (self, form) {
            (_, Form::Receipt) => "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
            (_, Form::Supplement) => "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
            (_, Form::Refusal) => "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
            (FormSet::Tt01_2018, Form::Apology) => "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
            (FormSet::Tt03_2025, Form::Apology) => {
                "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"
            }
            (_, Form::Stop) => "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
            (_, Form::Control) => "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
            (_, Form::Register) => "SỔ THEO DÕI HỒ SƠ",
        }
    }

    /// "01 receipt, 02 supplement, …": what `--form` takes under this set.
    pub fn listing(self) -> String {
        self.forms()
            .iter()
            .filter_map(|f| Some(format!("{} {}", self.number(*f)?, f.name())))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for FormSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A form number or name the set in force does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownForm {
    pub given: String,
    pub set: FormSet,
}

impl std::error::Error for UnknownForm {}
display_in_vietnamese!(UnknownForm);

impl Localized for UnknownForm {
    fn kind(&self) -> &'static str {
        "unknown_form"
    }

    fn message(&self, lang: Lang) -> String {
        tf(
            lang,
            "error.unknown_form",
            &[
                ("given", &self.given),
                ("circular", self.set.circular()),
                // The English table names the circular by its number alone.
                (
                    "number",
                    self.set.circular().trim_start_matches("Thông tư "),
                ),
                ("forms", &self.set.listing()),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_2025_set_is_the_default_and_cites_its_circular() {
        let set = FormSet::default();
        assert_eq!(set, FormSet::Tt03_2025);
        assert_eq!(
            set.citation(Form::Receipt).unwrap(),
            "Mẫu số 01 – Thông tư 03/2025/TT-VPCP"
        );
        assert_eq!(set.number(Form::Stop), Some("05"));
        assert_eq!(set.number(Form::Control), Some("06"));
        assert_eq!(
            set.citation(Form::Register).unwrap(),
            "Mẫu số 07 – Thông tư 03/2025/TT-VPCP"
        );
        assert!(set.title(Form::Apology).contains("GIA HẠN"));
    }

    #[test]
    fn the_2018_set_has_no_stop_notice() {
        let set = FormSet::Tt01_2018;
        assert_eq!(set.number(Form::Supplement), Some("02"));
        assert_eq!(set.number(Form::Control), Some("05"));
        assert_eq!(set.number(Form::Register), Some("06"));
        assert_eq!(set.number(Form::Stop), None);
        assert_eq!(set.citation(Form::Stop), None);
    }

    #[test]
    fn numbers_mean_what_the_set_says() {
        let (old, new) = (FormSet::Tt01_2018, FormSet::Tt03_2025);
        assert_eq!(old.form("05"), Ok(Form::Control));
        assert_eq!(new.form("05"), Ok(Form::Stop));
        assert_eq!(new.form("Mẫu 06"), Ok(Form::Control));
        assert_eq!(new.form("7"), Ok(Form::Register));
        assert_eq!(new.form("mau02"), Ok(Form::Supplement));
        assert_eq!(old.form("refusal"), Ok(Form::Refusal));
        assert_eq!(
            old.form("07"),
            Err(UnknownForm {
                given: "07".into(),
                set: old
            })
        );
        assert!(old.form("stop").is_err());
        assert!(new.form("0").is_err());
        assert!(new.form("x").is_err());
        assert_eq!(
            old.listing(),
            "01 receipt, 02 supplement, 03 refusal, 04 apology, 05 control, 06 register"
        );
        assert_eq!(FormSet::parse(" TT03-2025 "), Some(FormSet::Tt03_2025));
        assert_eq!(FormSet::parse("tt01"), None);
        assert_eq!(
            serde_json::to_string(&FormSet::Tt01_2018).unwrap(),
            "\"tt01-2018\""
        );
    }
}
