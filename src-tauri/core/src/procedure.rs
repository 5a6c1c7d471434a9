//! The procedure catalog: what a desk accepts, how long it takes, what it costs and which
//! papers it needs. Seeded with the commune-level starter catalog; editable, importable and
//! exportable as JSON.

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};

use crate::calendar::{PausePolicy, TimeLimit};
use crate::error::CoreError;
use crate::problem::Problem;
use crate::text::fold;
use crate::validate::{Checker, MAX_DOCUMENTS, MAX_DOC_NAME};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequiredDocument {
    pub name: String,
    #[serde(default)]
    pub originals: u32,
    #[serde(default)]
    pub copies: u32,
    #[serde(default = "yes")]
    pub required: bool,
    /// Obtainable from a national database or the citizen's VNeID account (Nghị quyết
    /// 66.7/2025/NQ-CP, Nghị định 224/2026/NĐ-CP Art. 18.4): the desk may take it from data
    /// instead of asking for the paper. Left out of the JSON when false, so catalog rows
    /// (and their record digests) written before the mark existed read the same.
    #[serde(default, skip_serializing_if = "is_false")]
    pub from_data: bool,
}

pub(crate) fn is_false(b: &bool) -> bool {
    !*b
}

fn yes() -> bool {
    true
}

fn extend() -> PausePolicy {
    PausePolicy::Extend
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Procedure {
    /// National procedure code, e.g. "1.001193".
    pub code: String,
    pub name: String,
    /// Lĩnh vực, e.g. "Hộ tịch".
    pub field: String,
    pub limit: TimeLimit,
    #[serde(default = "extend")]
    pub pause_policy: PausePolicy,
    #[serde(default)]
    pub fee_text: String,
    #[serde(default)]
    pub documents: Vec<RequiredDocument>,
    #[serde(default = "yes")]
    pub active: bool,
    /// Receivable at any desk whatever the citizen's residence ("phi địa giới hành chính");
    /// such a dossier may name another competent authority.
    #[serde(default, skip_serializing_if = "is_false")]
    pub any_desk: bool,
}

impl Procedure {
    /// Checks and cleans a catalog entry (from the import file or the editor).
    pub fn validated(mut self, prefix: &str) -> Result<Procedure, CoreError> {
        let mut c = Checker::new();
        self.code = c.line(&format!("{prefix}code"), &self.code, true, 30);
        if !self.code.is_empty() && !is_procedure_code(&self.code) {
            c.fail(&format!("{prefix}code"), Problem::ProcedureCode);
        }
        self.name = c.line(&format!("{prefix}name"), &self.name, true, 300);
        self.field = c.line(&format!("{prefix}field"), &self.field, true, 100);
        self.fee_text = c.line(&format!("{prefix}fee_text"), &self.fee_text, false, 300);
        match self.limit {
            TimeLimit::WorkingDays { days } | TimeLimit::CalendarDays { days } => {
                c.range(&format!("{prefix}limit"), i64::from(days), 0, 365);
            }
            TimeLimit::SameDay { .. } => {}
        }
        if self.documents.len() > MAX_DOCUMENTS {
            c.fail(
                &format!("{prefix}documents"),
                Problem::TooMany { max: MAX_DOCUMENTS },
            );
        }
        for (i, d) in self.documents.iter_mut().enumerate() {
            d.name = c.line(
                &format!("{prefix}documents[{i}].name"),
                &d.name,
                true,
                MAX_DOC_NAME,
            );
            c.range(
                &format!("{prefix}documents[{i}].originals"),
                i64::from(d.originals),
                0,
                99,
            );
            c.range(
                &format!("{prefix}documents[{i}].copies"),
                i64::from(d.copies),
                0,
                99,
            );
        }
        if c.is_ok() {
            Ok(self)
        } else {
            Err(CoreError::Invalid(c.errors))
        }
    }

    pub fn search_key(&self) -> String {
        fold(&format!("{} {}", self.code, self.name))
    }
}

/// National procedure codes look like "1.001193" or "2.000815"; provinces add their own,
/// so accept letters, digits, dots and hyphens.
pub fn is_procedure_code(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_')
}

/// The import/export file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Catalog {
    pub procedures: Vec<Procedure>,
}

impl Catalog {
    pub fn parse(json: &str) -> Result<Catalog, CoreError> {
        let catalog: Catalog =
            serde_json::from_str(json).map_err(|e| CoreError::Json(e.to_string()))?;
        let mut errors = Vec::new();
        let mut procedures = Vec::with_capacity(catalog.procedures.len());
        let mut seen = std::collections::HashSet::new();
        for (i, p) in catalog.procedures.into_iter().enumerate() {
            let prefix = format!("procedures[{i}].");
            match p.validated(&prefix) {
                Ok(p) => {
                    if !seen.insert(p.code.clone()) {
                        errors.push(crate::problem::FieldError::new(
                            format!("{prefix}code"),
                            Problem::Invalid {
                                detail: format!("duplicate {}", p.code),
                            },
                        ));
                    }
                    procedures.push(p);
                }
                Err(CoreError::Invalid(mut e)) => errors.append(&mut e),
                Err(other) => return Err(other),
            }
        }
        if errors.is_empty() {
            Ok(Catalog { procedures })
        } else {
            Err(CoreError::Invalid(errors))
        }
    }
}

fn doc(name: &str, originals: u32, copies: u32) -> RequiredDocument {
    RequiredDocument {
        name: name.to_string(),
        originals,
        copies,
        required: true,
        from_data: false,
    }
}

fn optional(name: &str, originals: u32, copies: u32) -> RequiredDocument {
    RequiredDocument {
        name: name.to_string(),
        originals,
        copies,
        required: false,
        from_data: false,
    }
}

fn same_day() -> TimeLimit {
    TimeLimit::SameDay {
        cutoff: NaiveTime::from_hms_opt(15, 0, 0).unwrap_or(NaiveTime::MIN),
    }
}

fn working(days: u32) -> TimeLimit {
    TimeLimit::WorkingDays { days }
}

/// The commune-level starter catalog of the domain reference (§12). Fees that each province
/// sets are left as "Theo quy định của tỉnh" for the administrator to fill in.
pub fn starter_catalog() -> Vec<Procedure> {
    let by_province = "Theo quy định của HĐND tỉnh";
    let p = |code: &str,
             name: &str,
             field: &str,
             limit: TimeLimit,
             fee: &str,
             documents: Vec<RequiredDocument>| Procedure {
        code: code.to_string(),
        name: name.to_string(),
        field: field.to_string(),
        limit,
        pause_policy: PausePolicy::Extend,
        fee_text: fee.to_string(),
        documents,
        active: true,
        any_desk: false,
    };
    vec![
        p(
            "1.001193",
            "Đăng ký khai sinh",
            "Hộ tịch",
            same_day(),
            "Miễn lệ phí nếu đăng ký đúng hạn",
            vec![
                doc("Tờ khai đăng ký khai sinh", 1, 0),
                doc("Giấy chứng sinh", 1, 0),
                optional("Văn bản ủy quyền (nếu nộp thay)", 1, 0),
            ],
        ),
        p(
            "1.000894",
            "Đăng ký kết hôn",
            "Hộ tịch",
            same_day(),
            "Miễn lệ phí",
            vec![
                doc("Tờ khai đăng ký kết hôn", 1, 0),
                optional(
                    "Giấy xác nhận tình trạng hôn nhân (nếu đăng ký ở nơi khác nơi cư trú)",
                    1,
                    0,
                ),
            ],
        ),
        p(
            "1.000656",
            "Đăng ký khai tử",
            "Hộ tịch",
            same_day(),
            "Miễn lệ phí nếu đăng ký đúng hạn",
            vec![
                doc("Tờ khai đăng ký khai tử", 1, 0),
                doc("Giấy báo tử hoặc giấy tờ thay thế Giấy báo tử", 1, 0),
            ],
        ),
        p(
            "1.004873",
            "Cấp Giấy xác nhận tình trạng hôn nhân",
            "Hộ tịch",
            working(3),
            by_province,
            vec![
                doc("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", 1, 0),
                optional(
                    "Giấy tờ chứng minh đã ly hôn hoặc người kia đã chết (nếu có)",
                    0,
                    1,
                ),
            ],
        ),
        p(
            "1.004884",
            "Đăng ký lại khai sinh",
            "Hộ tịch",
            working(5),
            by_province,
            vec![
                doc("Tờ khai đăng ký lại khai sinh", 1, 0),
                doc("Bản sao giấy tờ có nội dung khai sinh", 0, 1),
            ],
        ),
        p(
            "1.001022",
            "Đăng ký nhận cha, mẹ, con",
            "Hộ tịch",
            working(3),
            by_province,
            vec![
                doc("Tờ khai đăng ký nhận cha, mẹ, con", 1, 0),
                doc("Chứng cứ chứng minh quan hệ cha, mẹ, con", 1, 0),
            ],
        ),
        p(
            "1.004859",
            "Thay đổi, cải chính, bổ sung thông tin hộ tịch",
            "Hộ tịch",
            working(3),
            by_province,
            vec![
                doc(
                    "Tờ khai đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch",
                    1,
                    0,
                ),
                doc("Giấy tờ làm căn cứ thay đổi, cải chính, bổ sung", 0, 1),
            ],
        ),
        p(
            "2.000635",
            "Cấp bản sao trích lục hộ tịch",
            "Hộ tịch",
            same_day(),
            "8.000 đồng/bản sao",
            vec![doc("Tờ khai cấp bản sao trích lục hộ tịch", 1, 0)],
        ),
        p(
            "2.000815",
            "Chứng thực bản sao từ bản chính",
            "Chứng thực",
            same_day(),
            "2.000 đồng/trang cho trang 1–2, 1.000 đồng/trang từ trang 3, tối đa 200.000 đồng/bản",
            vec![
                doc("Bản chính giấy tờ, văn bản", 1, 0),
                doc("Bản sao cần chứng thực", 0, 1),
            ],
        ),
        p(
            "2.000884",
            "Chứng thực chữ ký",
            "Chứng thực",
            same_day(),
            "10.000 đồng/trường hợp",
            vec![doc("Giấy tờ, văn bản cần chứng thực chữ ký", 1, 0)],
        ),
        p(
            "2.001035",
            "Chứng thực hợp đồng, giao dịch",
            "Chứng thực",
            working(2),
            "50.000 đồng/hợp đồng, giao dịch",
            vec![
                doc("Dự thảo hợp đồng, giao dịch", 1, 0),
                doc("Bản sao giấy tờ tùy thân của người yêu cầu", 0, 1),
                optional(
                    "Bản sao giấy chứng nhận quyền sở hữu, quyền sử dụng tài sản",
                    0,
                    1,
                ),
            ],
        ),
        p(
            "1.001612",
            "Đăng ký thành lập hộ kinh doanh",
            "Hộ kinh doanh",
            working(3),
            by_province,
            vec![
                doc("Giấy đề nghị đăng ký hộ kinh doanh", 1, 0),
                optional("Biên bản họp thành viên hộ gia đình (nếu có)", 0, 1),
            ],
        ),
        p(
            "DD.001",
            "Đăng ký đất đai lần đầu, cấp Giấy chứng nhận quyền sử dụng đất",
            "Đất đai",
            working(20),
            by_province,
            vec![
                doc("Đơn đăng ký đất đai, tài sản gắn liền với đất", 1, 0),
                doc("Giấy tờ về quyền sử dụng đất", 0, 1),
                optional("Sơ đồ nhà ở, công trình xây dựng", 1, 0),
            ],
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starter_catalog_is_valid() {
        for p in starter_catalog() {
            p.clone().validated("").unwrap();
        }
    }

    #[test]
    fn catalog_round_trips_as_json() {
        let catalog = Catalog {
            procedures: starter_catalog(),
        };
        let json = serde_json::to_string(&catalog).unwrap();
        let back = Catalog::parse(&json).unwrap();
        assert_eq!(back.procedures, catalog.procedures);
    }

    #[test]
    fn bad_catalog_names_the_field() {
        let json = r#"{"procedures":[{"code":"1.0","name":"","field":"X","limit":{"unit":"working_days","days":3}}]}"#;
        let err = Catalog::parse(json).unwrap_err();
        assert_eq!(err.field_errors()[0].field, "procedures[0].name");
    }
}
