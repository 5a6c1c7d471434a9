//! Which status may follow which (domain reference §4), as a real desk moves dossiers:
//! refused, withdrawn, stopped and returned are final; a result that is ready can go back
//! for correction; supplements and fees lead back to processing. A result reaches the
//! citizen (status 10) only through the hand-over, which records who received it: no plain
//! status move goes there.

use crate::i18n::{display_in_vietnamese, t, tf, Lang, Localized};
use crate::status::Status;

/// Whether a dossier in `from` may move to `to`.
pub fn allowed(from: Status, to: Status) -> bool {
    use Status::*;
    match from {
        Submitted => matches!(to, Accepted | Refused | SupplementRequested),
        // The desk registers a dossier as accepted when it saves it; one then found outside
        // the desk's remit is refused with Mẫu 03 rather than stopped.
        Accepted => matches!(
            to,
            Refused | Processing | SupplementRequested | AwaitingFees | Withdrawn | Stopped | Ready
        ),
        Processing => matches!(
            to,
            SupplementRequested | AwaitingFees | Withdrawn | Stopped | Ready
        ),
        SupplementRequested => matches!(to, Accepted | Processing | Withdrawn | Stopped),
        AwaitingFees => matches!(to, Processing | Ready | Withdrawn | Stopped),
        Ready => matches!(to, Returned | Processing),
        Refused | Withdrawn | Stopped | Returned => false,
    }
}

/// Statuses that only the hand-over reaches: a plain move there would leave no receiver.
pub fn by_handover_only(to: Status) -> bool {
    to == Status::Returned
}

/// Whether a plain status move (not the hand-over) may take a dossier from `from` to `to`.
pub fn move_allowed(from: Status, to: Status) -> bool {
    allowed(from, to) && !by_handover_only(to)
}

/// The statuses a plain move may take a dossier in `from` to, in code order.
pub fn next_statuses(from: Status) -> Vec<Status> {
    crate::status::ALL_STATUSES
        .iter()
        .copied()
        .filter(|to| move_allowed(from, *to))
        .collect()
}

/// The plain moves a desk is offered: under a form set with a stop notice (2025), a dossier
/// stops by issuing the notice (`Store::issue_form`), which records the same move with its
/// paper, so the bare move to 8 is not offered.
pub fn offered_moves(from: Status, set: crate::form_set::FormSet) -> Vec<Status> {
    let by_notice = set.has(crate::form_set::Form::Stop);
    next_statuses(from)
        .into_iter()
        .filter(|to| !(by_notice && *to == Status::Stopped))
        .collect()
}

/// A move the dossier's status does not allow. The refusal lists the statuses that may
/// follow, so the clerk sees what to do instead.
#[derive(Debug)]
pub enum TransitionError {
    Transition {
        code: String,
        from: Status,
        to: Status,
    },
    /// A plain status move to 10: only the hand-over, which records the receiver, makes it.
    HandoverOnly { code: String },
    /// A form for a dossier that is no longer being resolved.
    NotOpen { code: String, status: Status },
}

impl std::error::Error for TransitionError {}
display_in_vietnamese!(TransitionError);

impl Localized for TransitionError {
    fn kind(&self) -> &'static str {
        match self {
            TransitionError::Transition { .. } => "transition",
            TransitionError::HandoverOnly { .. } => "handover_only",
            TransitionError::NotOpen { .. } => "not_open",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            TransitionError::Transition { code, from, to } => {
                let allowed: Vec<String> = next_statuses(*from)
                    .iter()
                    .map(|s| format!("{} ({})", s.label(lang), s.code()))
                    .collect();
                let allowed = if allowed.is_empty() {
                    t(lang, "error.transition_final")
                } else {
                    allowed.join(", ")
                };
                tf(
                    lang,
                    "error.transition",
                    &[
                        ("code", code),
                        ("from", &from.label(lang)),
                        ("to", &to.label(lang)),
                        ("allowed", &allowed),
                    ],
                )
            }
            TransitionError::HandoverOnly { code } => {
                tf(lang, "error.handover_only", &[("code", code)])
            }
            TransitionError::NotOpen { code, status } => tf(
                lang,
                "error.not_open",
                &[("code", code), ("status", &status.label(lang))],
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::ALL_STATUSES;

    #[test]
    fn under_2025_a_dossier_stops_by_its_notice() {
        use crate::form_set::FormSet;
        assert!(offered_moves(Status::Processing, FormSet::Tt01_2018).contains(&Status::Stopped));
        let offered = offered_moves(Status::Processing, FormSet::Tt03_2025);
        assert!(!offered.contains(&Status::Stopped));
        assert!(offered.contains(&Status::Ready));
    }

    #[test]
    fn final_statuses_have_no_way_out() {
        for s in [
            Status::Refused,
            Status::Withdrawn,
            Status::Stopped,
            Status::Returned,
        ] {
            assert!(next_statuses(s).is_empty(), "{s:?}");
        }
    }

    #[test]
    fn nothing_moves_to_itself_or_back_to_submitted() {
        for from in ALL_STATUSES {
            assert!(!allowed(from, from));
            assert!(!allowed(from, Status::Submitted));
        }
    }

    #[test]
    fn only_the_hand_over_reaches_returned() {
        for from in ALL_STATUSES {
            assert!(!move_allowed(from, Status::Returned), "{from:?}");
            assert!(!next_statuses(from).contains(&Status::Returned), "{from:?}");
        }
        assert!(allowed(Status::Ready, Status::Returned));
        assert_eq!(next_statuses(Status::Ready), vec![Status::Processing]);
    }

    #[test]
    fn a_returned_result_needs_a_ready_result() {
        let into_returned: Vec<Status> = ALL_STATUSES
            .iter()
            .copied()
            .filter(|f| allowed(*f, Status::Returned))
            .collect();
        assert_eq!(into_returned, vec![Status::Ready]);
    }
}
