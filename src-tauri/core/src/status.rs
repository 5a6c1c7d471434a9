//! Dossier statuses, with the national portal's numeric codes (domain reference §4).

use serde::{Deserialize, Serialize};

use crate::i18n::{t, Lang};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub enum Status {
    /// 1 Mới đăng ký: submitted online, not yet accepted.
    Submitted,
    /// 2 Được tiếp nhận.
    Accepted,
    /// 3 Không được tiếp nhận (Mẫu 03).
    Refused,
    /// 4 Đang xử lý.
    Processing,
    /// 5 Yêu cầu bổ sung giấy tờ (Mẫu 02): the clock is paused.
    SupplementRequested,
    /// 6 Yêu cầu thực hiện nghĩa vụ tài chính: the clock is paused.
    AwaitingFees,
    /// 7 Công dân yêu cầu rút hồ sơ.
    Withdrawn,
    /// 8 Dừng xử lý.
    Stopped,
    /// 9 Đã xử lý xong: result ready at the desk.
    Ready,
    /// 10 Đã trả kết quả.
    Returned,
}

pub const ALL_STATUSES: [Status; 10] = [
    Status::Submitted,
    Status::Accepted,
    Status::Refused,
    Status::Processing,
    Status::SupplementRequested,
    Status::AwaitingFees,
    Status::Withdrawn,
    Status::Stopped,
    Status::Ready,
    Status::Returned,
];

impl Status {
    pub fn code(self) -> i64 {
        match self {
            Status::Submitted => 1,
            Status::Accepted => 2,
            Status::Refused => 3,
            Status::Processing => 4,
            Status::SupplementRequested => 5,
            Status::AwaitingFees => 6,
            Status::Withdrawn => 7,
            Status::Stopped => 8,
            Status::Ready => 9,
            Status::Returned => 10,
        }
    }

    pub fn from_code(code: i64) -> Option<Status> {
        ALL_STATUSES.iter().copied().find(|s| s.code() == code)
    }

    /// Waiting on the citizen (papers or fees): the processing clock does not run.
    pub fn pauses_clock(self) -> bool {
        matches!(self, Status::SupplementRequested | Status::AwaitingFees)
    }

    pub fn label(self, lang: Lang) -> String {
        t(lang, &format!("status.{}", self.code()))
    }
}

impl TryFrom<i64> for Status {
    type Error = String;
    fn try_from(code: i64) -> Result<Self, Self::Error> {
        Status::from_code(code).ok_or_else(|| format!("unknown status code {code}"))
    }
}

impl From<Status> for i64 {
    fn from(s: Status) -> i64 {
        s.code()
    }
}
