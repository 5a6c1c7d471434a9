//! Which circular numbers the desk's standard forms, and the citation printed on each slip.
//!
//! Thông tư 01/2018/TT-VPCP (in force, confirmed by several sources) numbers them 01 receipt,
//! 02 supplement request, 03 refusal, 04 apology and new appointment, 05 control slip, 06
//! register book. A 2025 circular (reported as Thông tư 03/2025/TT-VPCP; domain reference §1
//! rates it low to medium confidence) reportedly turns 04 into a letter of apology asking
//! for an extension, inserts a new 05 (notice that processing stops) and moves the control
//! slip to 06 and the register to 07. The set is a setting (`form-set`) so an office can
//! follow its province without a new release; every issue records the set it used.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The forms the desk prints, by what they are rather than by their number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    Receipt,
    Supplement,
    Refusal,
    Apology,
    Control,
    Register,
}

impl Form {
    /// The number under Thông tư 01/2018, which desks and scripts know the forms by.
    pub fn code_2018(self) -> &'static str {
        match self {
            Form::Receipt => "01",
            Form::Supplement => "02",
            Form::Refusal => "03",
            Form::Apology => "04",
            Form::Control => "05",
            Form::Register => "06",
        }
    }

    /// "02", "2", "mau02" or the form's name ("supplement", …).
    pub fn parse(s: &str) -> Option<Form> {
        let t = s.trim().to_ascii_lowercase();
        let t = t
            .strip_prefix("mau")
            .or_else(|| t.strip_prefix("mẫu"))
            .unwrap_or(&t)
            .trim()
            .trim_start_matches('0');
        Some(match t {
            "1" | "receipt" => Form::Receipt,
            "2" | "supplement" => Form::Supplement,
            "3" | "refusal" => Form::Refusal,
            "4" | "apology" => Form::Apology,
            "5" | "control" => Form::Control,
            "6" | "register" => Form::Register,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum FormSet {
    #[default]
    #[serde(rename = "tt01-2018")]
    Tt01_2018,
    #[serde(rename = "tt03-2025")]
    Tt03_2025,
}

pub const FORM_SETS: [FormSet; 2] = [FormSet::Tt01_2018, FormSet::Tt03_2025];

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

    /// The form's number in this set, two digits.
    pub fn number(self, form: Form) -> &'static str {
        match (self, form) {
            (FormSet::Tt01_2018, f) => f.code_2018(),
            (FormSet::Tt03_2025, Form::Control) => "06",
            (FormSet::Tt03_2025, Form::Register) => "07",
            (FormSet::Tt03_2025, f) => f.code_2018(),
        }
    }

    /// "Mẫu số 02 – Thông tư 01/2018/TT-VPCP", printed at the top of the slip.
    pub fn citation(self, form: Form) -> String {
        format!("Mẫu số {} – {}", self.number(form), self.circular())
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
            (_, Form::Control) => "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
            (_, Form::Register) => "SỔ THEO DÕI HỒ SƠ",
        }
    }
}

impl fmt::Display for FormSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_2018_set_is_the_default_and_cites_its_circular() {
        let set = FormSet::default();
        assert_eq!(
            set.citation(Form::Receipt),
            "Mẫu số 01 – Thông tư 01/2018/TT-VPCP"
        );
        assert_eq!(set.number(Form::Control), "05");
        assert_eq!(set.number(Form::Register), "06");
    }

    #[test]
    fn the_2025_set_moves_the_control_slip_and_the_register() {
        let set = FormSet::Tt03_2025;
        assert_eq!(set.number(Form::Supplement), "02");
        assert_eq!(set.number(Form::Control), "06");
        assert_eq!(
            set.citation(Form::Register),
            "Mẫu số 07 – Thông tư 03/2025/TT-VPCP"
        );
        assert!(set.title(Form::Apology).contains("GIA HẠN"));
    }

    #[test]
    fn names_and_numbers_parse() {
        assert_eq!(Form::parse("02"), Some(Form::Supplement));
        assert_eq!(Form::parse("5"), Some(Form::Control));
        assert_eq!(Form::parse("Mẫu 04"), Some(Form::Apology));
        assert_eq!(Form::parse("refusal"), Some(Form::Refusal));
        assert_eq!(Form::parse("07"), None);
        assert_eq!(FormSet::parse(" TT03-2025 "), Some(FormSet::Tt03_2025));
        assert_eq!(FormSet::parse("tt01"), None);
        assert_eq!(
            serde_json::to_string(&FormSet::Tt01_2018).unwrap(),
            "\"tt01-2018\""
        );
    }
}
