//! Carrying paper dossiers between the desk and the processing unit: several at once, with a
//! hand-over list both sides sign ("Danh sách bàn giao hồ sơ"). Each transfer is also a row
//! of the dossier's control slip (Mẫu 05).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::CoreError;
use crate::numbering::normalize_code;
use crate::problem::Problem;
use crate::report::Timeliness;
use crate::status::Status;
use crate::validate::{Checker, MAX_NAME, MAX_NOTE};

/// How many dossiers one hand-over list may carry.
pub const MAX_BATCH: usize = 500;
pub const MAX_UNIT: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// From the desk to the unit that processes the dossier (status 4).
    ToUnit,
    /// The unit sends the result back to the desk (status 9).
    Back,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::ToUnit => "to_unit",
            Direction::Back => "back",
        }
    }

    pub fn parse(s: &str) -> Option<Direction> {
        match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "to_unit" => Some(Direction::ToUnit),
            "back" => Some(Direction::Back),
            _ => None,
        }
    }

    /// The status a transfer this way moves a dossier to.
    pub fn target(self) -> Status {
        match self {
            Direction::ToUnit => Status::Processing,
            Direction::Back => Status::Ready,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct TransferItem {
    pub code: String,
    /// The version the desk saw; a dossier changed since is refused (and so is the batch).
    #[serde(default)]
    pub version: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct TransferInput {
    #[serde(default)]
    pub items: Vec<TransferItem>,
    /// "to_unit" or "back".
    #[serde(default)]
    pub direction: String,
    /// The processing unit, e.g. "Công chức Tư pháp – Hộ tịch".
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub giver: String,
    #[serde(default)]
    pub receiver: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    /// Normalised codes with the versions the desk saw.
    pub items: Vec<(String, Option<i64>)>,
    pub direction: Direction,
    pub unit: String,
    pub giver: String,
    pub receiver: String,
    pub note: String,
}

impl TransferInput {
    pub fn validate(&self) -> Result<Transfer, CoreError> {
        let mut c = Checker::new();
        let direction = Direction::parse(&self.direction);
        if direction.is_none() {
            c.fail(
                "transfer.direction",
                if self.direction.trim().is_empty() {
                    Problem::Required
                } else {
                    Problem::Invalid {
                        detail: "to_unit, back".into(),
                    }
                },
            );
        }
        if self.items.is_empty() {
            c.fail("transfer.codes", Problem::Required);
        } else if self.items.len() > MAX_BATCH {
            c.fail("transfer.codes", Problem::TooMany { max: MAX_BATCH });
        }
        let mut items: Vec<(String, Option<i64>)> = Vec::new();
        for (i, item) in self.items.iter().take(MAX_BATCH).enumerate() {
            let field = format!("transfer.codes[{i}]");
            match normalize_code(&item.code) {
                None => c.fail(
                    &field,
                    Problem::Invalid {
                        detail: item.code.trim().to_string(),
                    },
                ),
                Some(code) if items.iter().any(|(seen, _)| *seen == code) => {
                    c.fail(&field, Problem::Repeated { value: code })
                }
                Some(code) => items.push((code, item.version)),
            }
        }
        // The list both sides sign must name them: a list naming no one proves nothing. The
        // unit may be left to the store, which takes the competent authority the dossiers
        // name (going) or the unit they went to (coming back), and refuses a list without one.
        let unit = c.line("transfer.unit", &self.unit, false, MAX_UNIT);
        let giver = c.line("transfer.giver", &self.giver, true, MAX_NAME);
        let receiver = c.line("transfer.receiver", &self.receiver, true, MAX_NAME);
        let note = c.text("transfer.note", &self.note, false, MAX_NOTE);
        match direction {
            Some(direction) if c.is_ok() => Ok(Transfer {
                items,
                direction,
                unit,
                giver,
                receiver,
                note,
            }),
            _ => Err(CoreError::Invalid(c.errors)),
        }
    }
}

/// One dossier of a hand-over list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransferRow {
    pub code: String,
    pub procedure_name: String,
    pub applicant_name: String,
    pub sets: u32,
    #[serde(with = "crate::vntime::serde_vn")]
    pub due_at: DateTime<Utc>,
    pub from_status: Status,
    pub to_status: Status,
}

/// A hand-over as recorded: who gave, who received, when, and the dossiers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransferBatch {
    pub id: i64,
    pub direction: Direction,
    #[serde(with = "crate::vntime::serde_vn")]
    pub at: DateTime<Utc>,
    pub unit: String,
    pub giver: String,
    pub receiver: String,
    pub note: String,
    /// The desk clerk who recorded it.
    pub clerk: String,
    pub rows: Vec<TransferRow>,
}

/// What a row of the control slip records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum ControlStep {
    /// Desk → processing unit, or back.
    Transfer {
        direction: Direction,
        unit: String,
        giver: String,
        receiver: String,
        batch: i64,
    },
    /// Desk → citizen (or the post).
    Returned {
        receiver: String,
        by_post: bool,
        tracking: String,
        clerk: String,
    },
}

/// A row of Mẫu 05: the step, when, and whether it came before, on or after the
/// appointment's date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ControlRow {
    #[serde(flatten)]
    pub step: ControlStep,
    #[serde(with = "crate::vntime::serde_vn")]
    pub at: DateTime<Utc>,
    pub timeliness: Timeliness,
    pub note: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(codes: &[&str], direction: &str) -> TransferInput {
        TransferInput {
            items: codes
                .iter()
                .map(|c| TransferItem {
                    code: c.to_string(),
                    version: None,
                })
                .collect(),
            direction: direction.into(),
            unit: "Công chức Tư pháp – Hộ tịch".into(),
            giver: "Nguyễn Thị Giao".into(),
            receiver: "Trần Văn Nhận".into(),
            ..Default::default()
        }
    }

    #[test]
    fn the_list_names_both_sides_and_the_unit() {
        let fields = |i: TransferInput| -> Vec<String> {
            match i.validate() {
                Err(CoreError::Invalid(errors)) => errors.into_iter().map(|e| e.field).collect(),
                other => panic!("{other:?}"),
            }
        };
        let code = "000.00.14.H56-270303-0001";
        let mut blank = input(&[code], "to_unit");
        blank.unit = " ".into();
        blank.giver.clear();
        blank.receiver.clear();
        // The unit may be left to the store (the competent authority the dossiers name, or
        // the unit they went to).
        assert_eq!(
            fields(blank.clone()),
            ["transfer.giver", "transfer.receiver"]
        );
        blank.direction = "back".into();
        assert_eq!(fields(blank), ["transfer.giver", "transfer.receiver"]);
        let mut back = input(&[code], "back");
        back.unit.clear();
        assert!(back.validate().is_ok());
    }

    #[test]
    fn codes_are_normalised_and_named_once() {
        let ok = input(
            &["000.00.14.h56-270303-0001", "000.00.14.H56-270303-0002"],
            "to-unit",
        )
        .validate()
        .unwrap();
        assert_eq!(ok.direction, Direction::ToUnit);
        assert_eq!(ok.items[0].0, "000.00.14.H56-270303-0001");
        let err = input(
            &[
                "000.00.14.H56-270303-0001",
                "000.00.14.h56-270303-0001",
                "x",
            ],
            "sideways",
        )
        .validate()
        .unwrap_err();
        let fields: Vec<&str> = err
            .field_errors()
            .iter()
            .map(|e| e.field.as_str())
            .collect();
        assert_eq!(
            fields,
            [
                "transfer.direction",
                "transfer.codes[1]",
                "transfer.codes[2]"
            ]
        );
        assert!(input(&[], "back").validate().is_err());
    }
}
