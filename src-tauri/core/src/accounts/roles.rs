//! The four roles of a desk and what each may do (`Action`, `role_allows`): the table the
//! window, the CLI and the refusal messages read. A leaf of `accounts`, so an error that
//! names an action (`AccessError::Forbidden`) needs nothing else of the accounts module.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::i18n::{t, Lang};

/// What a person does at the desk. A person may hold several roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Intake, receipts, check-in, hand-over of results.
    Reception,
    /// Status changes and the processing slips.
    Processing,
    /// Reports, settings, the catalog and the calendar; personal-data exports.
    Supervisor,
    /// Staff accounts and the audit trail.
    Administrator,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Reception,
        Role::Processing,
        Role::Supervisor,
        Role::Administrator,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Reception => "reception",
            Role::Processing => "processing",
            Role::Supervisor => "supervisor",
            Role::Administrator => "administrator",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s.trim().to_ascii_lowercase().as_str() {
            "reception" => Some(Role::Reception),
            "processing" => Some(Role::Processing),
            "supervisor" => Some(Role::Supervisor),
            "administrator" | "admin" => Some(Role::Administrator),
            _ => None,
        }
    }

    pub fn label(self, lang: Lang) -> String {
        t(lang, &format!("role.{}", self.code()))
    }

    /// Whether this role alone permits `action`.
    pub fn allows(self, action: Action) -> bool {
        use Action::*;
        match self {
            // The receiving officer's whole job at the one-stop desk: intake and its receipt,
            // asking for papers (Mẫu 02) or refusing (Mẫu 03), carrying dossiers to the
            // processing unit and results back, returning them to the citizen or the post.
            Role::Reception => matches!(
                action,
                Intake
                    | IssueReceipt
                    | CheckIn
                    | Handover
                    | IssueDeskForm
                    | Transfer
                    | ViewDossier
                    | ViewFullRecord
                    | ChangeOwnPassword
                    | NameDesk
            ),
            Role::Processing => matches!(
                action,
                Transition
                    | IssueSlip
                    | IssueDeskForm
                    | Transfer
                    | ViewDossier
                    | ViewFullRecord
                    | ChangeOwnPassword
                    | NameDesk
            ),
            Role::Supervisor => matches!(
                action,
                Report
                    | ExportPersonalData
                    | Settings
                    | Catalog
                    | Calendar
                    | ViewDossier
                    | ViewFullRecord
                    | ChangeOwnPassword
                    | NameDesk
            ),
            // Accounts and the audit trail only: an administrator who is not also desk
            // staff sees no citizen's data.
            Role::Administrator => {
                matches!(
                    action,
                    ManageAccounts | ViewAudit | ChangeOwnPassword | NameDesk
                )
            }
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// What a command does, as far as permissions go. Every Tauri command names one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Intake,
    IssueReceipt,
    CheckIn,
    Handover,
    Transition,
    /// Forms 04 (apology and new appointment) by the unit that resolves the dossier.
    IssueSlip,
    /// Forms the desk itself issues: 02 (papers missing), 03 (refusal), 05 (control slip).
    IssueDeskForm,
    /// Batch hand-over of dossiers to the processing unit and of results back (status 4, 9).
    Transfer,
    Report,
    ExportPersonalData,
    Settings,
    Catalog,
    Calendar,
    ManageAccounts,
    ViewAudit,
    /// Lists and search results, with ID numbers and phones masked.
    ViewDossier,
    /// One dossier in full (ID number, phone, address); each opening is logged.
    ViewFullRecord,
    ChangeOwnPassword,
    /// Giving this computer's desk its name the first time: part of setting the computer
    /// up, done by whoever signs in there first (renaming a named desk is `Settings`).
    NameDesk,
}

impl Action {
    pub const ALL: [Action; 19] = [
        Action::Intake,
        Action::IssueReceipt,
        Action::CheckIn,
        Action::Handover,
        Action::Transition,
        Action::IssueSlip,
        Action::IssueDeskForm,
        Action::Transfer,
        Action::Report,
        Action::ExportPersonalData,
        Action::Settings,
        Action::Catalog,
        Action::Calendar,
        Action::ManageAccounts,
        Action::ViewAudit,
        Action::ViewDossier,
        Action::ViewFullRecord,
        Action::ChangeOwnPassword,
        Action::NameDesk,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Action::Intake => "intake",
            Action::IssueReceipt => "issue_receipt",
            Action::CheckIn => "check_in",
            Action::Handover => "handover",
            Action::Transition => "transition",
            Action::IssueSlip => "issue_slip",
            Action::IssueDeskForm => "issue_desk_form",
            Action::Transfer => "transfer",
            Action::Report => "report",
            Action::ExportPersonalData => "export_personal_data",
            Action::Settings => "settings",
            Action::Catalog => "catalog",
            Action::Calendar => "calendar",
            Action::ManageAccounts => "manage_accounts",
            Action::ViewAudit => "view_audit",
            Action::ViewDossier => "view_dossier",
            Action::ViewFullRecord => "view_full_record",
            Action::ChangeOwnPassword => "change_own_password",
            Action::NameDesk => "name_desk",
        }
    }

    pub fn label(self, lang: Lang) -> String {
        t(lang, &format!("action.{}", self.code()))
    }

    /// What issuing `form` asks of the person.
    pub fn for_form(form: crate::form_set::Form) -> Action {
        use crate::form_set::Form;
        match form {
            Form::Apology => Action::IssueSlip,
            // Whoever may stop a dossier by a status move (under 2018) may issue the notice
            // that stops it (under 2025).
            Form::Stop => Action::Transition,
            Form::Supplement | Form::Refusal | Form::Control => Action::IssueDeskForm,
            Form::Receipt => Action::IssueReceipt,
            Form::Register => Action::ExportPersonalData,
        }
    }

    /// The roles that permit this action, for telling a refused person whom to ask.
    pub fn roles(self) -> Vec<Role> {
        Role::ALL.into_iter().filter(|r| r.allows(self)).collect()
    }
}

/// Whether a person holding `roles` may do `action`.
pub fn role_allows(roles: &[Role], action: Action) -> bool {
    roles.iter().any(|r| r.allows(action))
}

/// Sorted, without repeats: how roles are stored and compared.
pub fn normalize_roles(roles: &[Role]) -> Vec<Role> {
    let mut roles = roles.to_vec();
    roles.sort();
    roles.dedup();
    roles
}

/// Roles as stored: `reception,supervisor`.
pub fn roles_to_text(roles: &[Role]) -> String {
    normalize_roles(roles)
        .iter()
        .map(|r| r.code())
        .collect::<Vec<_>>()
        .join(",")
}

/// Roles read back; unknown names (from a newer version) are skipped.
pub fn roles_from_text(text: &str) -> Vec<Role> {
    let roles: Vec<Role> = text.split(',').filter_map(Role::parse).collect();
    normalize_roles(&roles)
}
