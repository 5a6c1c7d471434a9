//! What the post says of a result sent by public postal service (QĐ 45/2016/QĐ-TTg) after
//! the desk handed it over: delivered to the citizen, or returned to the sender.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::CoreError;
use crate::problem::Problem;
use crate::validate::{Checker, MAX_NOTE};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    Delivered,
    Returned,
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Returned => "returned",
        }
    }

    pub fn parse(s: &str) -> Option<DeliveryStatus> {
        match s.trim().to_ascii_lowercase().as_str() {
            "delivered" => Some(DeliveryStatus::Delivered),
            "returned" => Some(DeliveryStatus::Returned),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct DeliveryInput {
    /// "delivered" or "returned".
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Delivery {
    pub status: DeliveryStatus,
    pub note: String,
}

impl DeliveryInput {
    /// `at` is when the post says it happened; it cannot precede the hand-over to the post.
    pub fn validate(
        &self,
        at: DateTime<Utc>,
        handed_at: DateTime<Utc>,
    ) -> Result<Delivery, CoreError> {
        let mut c = Checker::new();
        let status = DeliveryStatus::parse(&self.status);
        if status.is_none() {
            c.fail(
                "delivery.status",
                if self.status.trim().is_empty() {
                    Problem::Required
                } else {
                    Problem::Invalid {
                        detail: "delivered, returned".into(),
                    }
                },
            );
        }
        if at < handed_at {
            c.fail(
                "delivery.at",
                Problem::NotAfter {
                    when: crate::vntime::to_vn(handed_at)
                        .format("%H:%M %d/%m/%Y")
                        .to_string(),
                },
            );
        }
        let note = c.text("delivery.note", &self.note, false, MAX_NOTE);
        match status {
            Some(status) if c.is_ok() => Ok(Delivery { status, note }),
            _ => Err(CoreError::Invalid(c.errors)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_is_one_of_two_and_follows_the_hand_over() {
        let handed = DateTime::parse_from_rfc3339("2027-03-05T10:00:00+07:00")
            .unwrap()
            .with_timezone(&Utc);
        let later = handed + chrono::Duration::days(2);
        let input = |s: &str| DeliveryInput {
            status: s.into(),
            note: String::new(),
        };
        assert_eq!(
            input("Delivered").validate(later, handed).unwrap().status,
            DeliveryStatus::Delivered
        );
        let err = input("lost").validate(later, handed).unwrap_err();
        assert_eq!(err.field_errors()[0].field, "delivery.status");
        let err = input("returned")
            .validate(handed - chrono::Duration::hours(1), handed)
            .unwrap_err();
        assert_eq!(err.field_errors()[0].field, "delivery.at");
    }
}
