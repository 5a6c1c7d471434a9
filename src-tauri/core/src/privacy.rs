//! Personal data (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15 and Decree 356/2025/NĐ-CP, which
//! replaced Decree 13/2023/NĐ-CP on 01/01/2026): lists show only the last digits of ID
//! numbers and phones; the full record is for the task that needs it, and opening it is logged
//! (`Store::open_record`). Exports of personal data need the supervisor role and are logged
//! (`Store::log_export`).

use crate::dossier::DossierSummary;

/// Digits left visible at the end of a masked number.
pub const VISIBLE: usize = 4;

/// Every character but the last four replaced by `*`; a value of four characters or fewer
/// is masked whole, since its "last digits" would be all of it.
fn mask_tail(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= VISIBLE {
        return "*".repeat(chars.len());
    }
    let hidden = chars.len() - VISIBLE;
    let mut out = "*".repeat(hidden);
    out.extend(&chars[hidden..]);
    out
}

/// `079203001234` → `********1234`.
pub fn mask_id_number(id_number: &str) -> String {
    mask_tail(id_number)
}

/// `0912345678` → `******5678`.
pub fn mask_phone(phone: &str) -> String {
    mask_tail(phone)
}

impl DossierSummary {
    /// The line as a list shows it: ID number and phone masked.
    pub fn masked(mut self) -> DossierSummary {
        self.applicant_id_number = mask_id_number(&self.applicant_id_number);
        self.applicant_phone = mask_phone(&self.applicant_phone);
        self
    }
}

/// A list or search result for showing: masked when `mask` is set (the window's lists),
/// unchanged otherwise (the CLI and exports by a supervisor).
pub fn mask_summaries(list: Vec<DossierSummary>, mask: bool) -> Vec<DossierSummary> {
    if mask {
        list.into_iter().map(DossierSummary::masked).collect()
    } else {
        list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_last_four_digits_show() {
        assert_eq!(mask_id_number("079203001234"), "********1234");
        assert_eq!(mask_phone("0912345678"), "******5678");
        assert_eq!(mask_phone("+84912345678"), "********5678");
        assert_eq!(mask_id_number("B1234567"), "****4567");
        assert_eq!(mask_id_number("1234"), "****");
        assert_eq!(mask_phone(""), "");
    }

    #[test]
    fn summaries_are_masked_only_when_asked() {
        let summary = DossierSummary {
            code: "000.00.14.H56-270303-0001".into(),
            status: crate::status::Status::Accepted,
            procedure_code: "1.001193".into(),
            procedure_name: "Đăng ký khai sinh".into(),
            applicant_name: "Nguyễn Văn An".into(),
            applicant_id_number: "079203001234".into(),
            applicant_phone: "0912345678".into(),
            received_at: chrono::DateTime::<chrono::Utc>::MIN_UTC,
            due_at: chrono::DateTime::<chrono::Utc>::MIN_UTC,
            authority: String::new(),
        };
        let plain = mask_summaries(vec![summary.clone()], false);
        assert_eq!(plain[0], summary);
        let masked = mask_summaries(vec![summary], true);
        assert_eq!(masked[0].applicant_id_number, "********1234");
        assert_eq!(masked[0].applicant_phone, "******5678");
        assert_eq!(masked[0].applicant_name, "Nguyễn Văn An");
        let json = serde_json::to_string(&masked).unwrap();
        assert!(!json.contains("079203001234") && !json.contains("0912345678"));
    }
}
