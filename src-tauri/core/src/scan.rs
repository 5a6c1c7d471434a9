//! What a desk scanner read: one of our receipts (QR payload or barcode), a citizen's ID
//! card, or something else. One scanner serves the whole desk, so every scanned line is
//! routed by its shape before anything acts on it.

use serde::Serialize;

use crate::{idcard, sealed_status, slip};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScanKind {
    /// A receipt's QR (`MC1:…`, the lookup URL, the public status URL) or its barcode (the
    /// bare dossier code).
    Slip,
    /// A citizen ID card's QR.
    IdCard,
    Other,
}

/// The kind of a scanned line. The two shapes cannot overlap: a receipt's payload never
/// starts with twelve digits, an ID card's always does.
pub fn kind_of(line: &str) -> ScanKind {
    if slip::parse_scan(line).is_some() || sealed_status::looks_like_url(line) {
        ScanKind::Slip
    } else if idcard::looks_like_id_card(line) {
        ScanKind::IdCard
    } else {
        ScanKind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipts_cards_and_the_rest_are_told_apart() {
        assert_eq!(
            kind_of("MC1:000.00.14.H56-270303-0001:ABCDEFGHJKMNP"),
            ScanKind::Slip
        );
        assert_eq!(kind_of("000.00.14.H56-270303-0001"), ScanKind::Slip);
        assert_eq!(
            kind_of("048201007731||Lê Văn Đức|23112001|Nam|Tổ 12, phường Hòa Khánh Bắc, quận Liên Chiểu, thành phố Đà Nẵng|02082022"),
            ScanKind::IdCard
        );
        assert_eq!(
            kind_of("048201007731||L? V?n ??c|23112001|Nam|T? 12|02082022"),
            ScanKind::IdCard
        );
        assert_eq!(kind_of("8935049501234"), ScanKind::Other);
        assert_eq!(kind_of(""), ScanKind::Other);
    }
}
