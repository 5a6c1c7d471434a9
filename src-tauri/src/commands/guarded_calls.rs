//! The window's commands in two lists, for the two tests of the role × command matrix (the
//! in-process one in `matrix_tests.rs`, on Tauri's mock runtime, and the page's own under
//! WebDriver in `tests/accounts_window.rs`, which includes this file by path): the commands
//! open before signing in, and each guarded command with the action it needs (its `Action`
//! code) and arguments of the right shape that do no harm when allowed.

use std::collections::BTreeSet;

use serde_json::{json, Value};

/// Commands any window may call: the language, the start state, the login and lock
/// screens, the first administrator (refused by the core once accounts exist) and the
/// database's heartbeat, and the start-up mark the benchmark times.
pub const OPEN: [&str; 12] = [
    "ui_strings",
    "first_screen",
    "app_state",
    "set_lang",
    "database_status",
    "session_status",
    "login",
    "logout",
    "lock_session",
    "unlock_session",
    "touch_session",
    "create_first_administrator",
];

/// Every guarded command, the action it needs, and arguments of the right shape that do
/// no harm when allowed (unknown codes, invalid dates, an unknown setting).
pub fn guarded(dir: &str) -> Vec<(&'static str, &'static str, Value)> {
    let period = json!({ "from": "x", "to": "y", "path": format!("{dir}/x.pdf"), "format": "csv" });
    vec![
        (
            "setup_agency",
            "settings",
            json!({ "input": { "agency_code": "", "governing_body": "", "unit": "", "place": "", "first_number": 1 } }),
        ),
        (
            "change_own_password",
            "change_own_password",
            json!({ "current": "sai", "newPassword": "x" }),
        ),
        ("list_accounts", "manage_accounts", json!({})),
        (
            "create_account",
            "manage_accounts",
            json!({ "input": { "name": "", "display_name": "", "roles": [], "password": "" } }),
        ),
        (
            "set_account_disabled",
            "manage_accounts",
            json!({ "name": "khongco", "disabled": true }),
        ),
        (
            "set_account_roles",
            "manage_accounts",
            json!({ "name": "khongco", "roles": ["reception"] }),
        ),
        (
            "reset_account_password",
            "manage_accounts",
            json!({ "name": "khongco", "password": "x" }),
        ),
        ("audit_status", "view_audit", json!({})),
        ("list_dossiers", "view_dossier", json!({ "query": {} })),
        (
            "search_dossiers",
            "view_dossier",
            json!({ "text": "nguyen" }),
        ),
        (
            "get_dossier",
            "view_full_record",
            json!({ "code": "KHONG-CO" }),
        ),
        ("procedures", "view_dossier", json!({})),
        ("intake", "intake", json!({ "request": {} })),
        ("preview_due", "intake", json!({ "procedure": "KHONG-CO" })),
        ("authorities", "intake", json!({})),
        (
            "last_applicant",
            "intake",
            json!({ "idNumber": "079203001234" }),
        ),
        ("catalog", "catalog", json!({})),
        (
            "save_procedure",
            "catalog",
            json!({ "procedure": { "code": "", "name": "", "field": "", "limit": { "unit": "working_days", "days": 1 } }, "replaces": null }),
        ),
        ("settings_list", "settings", json!({})),
        (
            "settings_set",
            "settings",
            json!({ "key": "khong-co", "value": "" }),
        ),
        ("list_printers", "settings", json!({})),
        // The test desk is named from the environment: renaming it is a supervisor's.
        ("name_desk", "settings", json!({ "name": "" })),
        ("calendar_notices", "calendar", json!({})),
        (
            "calendar_add",
            "calendar",
            json!({ "date": "x", "work": false, "reason": "", "reference": "" }),
        ),
        ("calendar_remove", "calendar", json!({ "date": "x" })),
        (
            "receipt_preview",
            "issue_receipt",
            json!({ "code": "KHONG-CO" }),
        ),
        (
            "print_receipt",
            "issue_receipt",
            json!({ "code": "KHONG-CO" }),
        ),
        (
            "open_receipt",
            "issue_receipt",
            json!({ "code": "KHONG-CO" }),
        ),
        ("scan_slip", "check_in", json!({ "input": "KHONG-CO" })),
        ("parse_id_card", "intake", json!({ "text": "x" })),
        ("scan_kind", "view_dossier", json!({ "text": "x" })),
        ("list_serial_ports", "settings", json!({})),
        ("scanner_status", "view_dossier", json!({})),
        ("set_scanner_port", "settings", json!({ "port": "" })),
        (
            "next_statuses",
            "view_dossier",
            json!({ "code": "KHONG-CO" }),
        ),
        (
            "transition_dossier",
            "transition",
            json!({ "code": "KHONG-CO", "to": 4 }),
        ),
        (
            "hand_over_result",
            "handover",
            json!({ "code": "KHONG-CO", "input": { "method": "person", "receiver_name": "", "receiver_id": "", "authorisation": "", "tracking": "", "rating": null } }),
        ),
        (
            "issue_form",
            "issue_desk_form",
            json!({ "code": "KHONG-CO", "request": { "form": "control" } }),
        ),
        ("form_set_in_force", "view_dossier", json!({})),
        (
            "issue_form",
            "transition",
            json!({ "code": "KHONG-CO", "request": { "form": "stop", "reason": "", "fees": "" } }),
        ),
        (
            "issue_form",
            "issue_slip",
            json!({ "code": "KHONG-CO", "request": { "form": "apology", "reason": "", "new_due": "" } }),
        ),
        (
            "control_rows",
            "view_dossier",
            json!({ "code": "KHONG-CO" }),
        ),
        (
            "transfer_dossiers",
            "transfer",
            json!({ "input": { "items": [], "direction": "to_unit", "unit": "", "giver": "", "receiver": "", "note": "" } }),
        ),
        (
            "record_delivery",
            "handover",
            json!({ "code": "KHONG-CO", "input": { "status": "delivered", "note": "" } }),
        ),
        (
            "report_figures",
            "report",
            json!({ "from": "x", "to": "y" }),
        ),
        ("export_report", "report", period.clone()),
        ("export_register", "export_personal_data", period),
        ("dashboard_figures", "view_dossier", json!({})),
        (
            "suggest_export_path",
            "report",
            json!({ "kind": "report", "from": "x", "to": "y", "format": "csv" }),
        ),
        (
            "path_exists",
            "report",
            json!({ "path": format!("{dir}/khong-co.csv") }),
        ),
        (
            "open_file",
            "view_dossier",
            json!({ "path": format!("{dir}/khong-co.pdf") }),
        ),
        ("database_config", "settings", json!({})),
        ("choose_database", "settings", json!({ "location": "" })),
        // The test desk has no destination: a pass sends nothing, a removal finds nothing.
        ("outbox_pending", "view_dossier", json!({})),
        ("outbox_status", "view_dossier", json!({})),
        ("outbox_destinations", "settings", json!({})),
        (
            "outbox_add",
            "settings",
            json!({ "input": { "kind": "webhook", "target": "", "secret": "" } }),
        ),
        ("outbox_remove", "settings", json!({ "id": -1 })),
        ("outbox_send_now", "view_dossier", json!({})),
        // The test desk has no scanner and no watched folder; no token was staged.
        ("list_scans", "view_dossier", json!({ "code": "KHONG-CO" })),
        ("incoming_scans", "view_dossier", json!({})),
        (
            "stage_scan",
            "intake",
            json!({ "pages": 1, "result": false }),
        ),
        (
            "stage_scan",
            "handover",
            json!({ "pages": 1, "result": true }),
        ),
        ("stage_file", "intake", json!({})),
        (
            "stage_incoming",
            "handover",
            json!({ "name": "khong-co.pdf", "result": true }),
        ),
        (
            "attach_staged",
            "intake",
            json!({ "code": "KHONG-CO", "doc": 1, "result": false, "tokens": [] }),
        ),
        (
            "attach_staged",
            "handover",
            json!({ "code": "KHONG-CO", "doc": 0, "result": true, "tokens": [] }),
        ),
        ("discard_staged", "view_dossier", json!({ "tokens": [] })),
        (
            "scan_page",
            "view_full_record",
            json!({ "code": "KHONG-CO", "file": "x.pdf", "page": 1, "large": false }),
        ),
        (
            "open_scan",
            "view_full_record",
            json!({ "code": "KHONG-CO", "file": "x.pdf" }),
        ),
    ]
}

/// The commands the window registers, read from `handler`'s list in the source, so a command
/// added without a row in these lists fails both tests.
pub fn registered() -> BTreeSet<String> {
    let source = include_str!("mod.rs");
    let start =
        source.find("generate_handler![").expect("the handler list") + "generate_handler![".len();
    let end = start + source[start..].find(']').expect("its end");
    source[start..end]
        .split(',')
        .filter_map(|s| s.trim().rsplit("::").next().map(str::to_string))
        .filter(|s| !s.is_empty())
        .collect()
}
