//! What can go wrong while drawing a slip. Vietnamese is the `Display` because these messages
//! reach the desk clerk; the engine has no language tables, so the core words them otherwise.

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// A vendored font did not parse: a packaging fault, not bad input.
    #[error("không đọc được phông chữ {0}")]
    Font(&'static str),
    #[error("không tạo được mã QR: {0}")]
    Qr(String),
    #[error("không tạo được mã vạch cho «{code}»: {reason}")]
    Barcode { code: String, reason: String },
    #[error("tài liệu không có trang nào")]
    EmptyLayout,
    #[error("khổ giấy không hỗ trợ: «{0}» (a4, a5 hoặc 80mm)")]
    Paper(String),
}
