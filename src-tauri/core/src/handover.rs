//! Handing the result over: to the applicant or someone they authorised, at the desk, or to
//! the post with a tracking number; and the citizen's satisfaction rating.

use serde::{Deserialize, Serialize};

use crate::error::CoreError;
use crate::problem::Problem;
use crate::validate::Checker;

/// Rất hài lòng / Hài lòng / Không hài lòng (Biểu 06).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    VerySatisfied,
    Satisfied,
    Unsatisfied,
}

impl Rating {
    pub fn code(self) -> i64 {
        match self {
            Rating::VerySatisfied => 1,
            Rating::Satisfied => 2,
            Rating::Unsatisfied => 3,
        }
    }

    pub fn from_code(code: i64) -> Option<Rating> {
        match code {
            1 => Some(Rating::VerySatisfied),
            2 => Some(Rating::Satisfied),
            3 => Some(Rating::Unsatisfied),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct HandoverInput {
    /// "person" (at the desk, the default) or "post".
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub receiver_name: String,
    #[serde(default)]
    pub receiver_id: String,
    /// For someone other than the applicant: the authorisation they showed.
    #[serde(default)]
    pub authorisation: String,
    /// For the post: the parcel's tracking number.
    #[serde(default)]
    pub tracking: String,
    #[serde(default)]
    pub rating: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Handover {
    pub method: String,
    pub receiver_name: String,
    pub receiver_id: String,
    pub is_applicant: bool,
    pub authorisation: String,
    pub tracking: String,
    pub rating: Option<Rating>,
}

impl HandoverInput {
    /// Checks the form against the dossier's applicant ID.
    pub fn validate(&self, applicant_id: &str) -> Result<Handover, CoreError> {
        let mut c = Checker::new();
        let method = match self.method.trim() {
            "" | "person" => "person",
            "post" => "post",
            other => {
                c.fail(
                    "handover.method",
                    Problem::Invalid {
                        detail: other.to_string(),
                    },
                );
                "person"
            }
        };
        let receiver_name = c.person_name(
            "handover.receiver_name",
            &self.receiver_name,
            method == "person",
        );
        let receiver_id = c.id_number(
            "handover.receiver_id",
            &self.receiver_id,
            method == "person",
        );
        let is_applicant = method == "person" && receiver_id == applicant_id;
        let authorisation = c.line(
            "handover.authorisation",
            &self.authorisation,
            method == "person" && !is_applicant,
            300,
        );
        let tracking = c.line("handover.tracking", &self.tracking, method == "post", 60);
        let rating = match self.rating {
            None => None,
            Some(code) => Rating::from_code(code).or_else(|| {
                c.fail("handover.rating", Problem::OutOfRange { min: 1, max: 3 });
                None
            }),
        };
        if c.is_ok() {
            Ok(Handover {
                method: method.to_string(),
                receiver_name,
                receiver_id,
                is_applicant,
                authorisation,
                tracking,
                rating,
            })
        } else {
            Err(CoreError::Invalid(c.errors))
        }
    }
}
