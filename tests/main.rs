//! The desk's end-to-end tests as one binary: each file of `tests/` is a module here, so
//! the whole app is linked once rather than once per file. `support` runs the real
//! `motcua`; `built_for_windows` (`windows/`) holds the Windows build's tests under Wine.
// A test stops at the first surprise: unwrapping is how it says so (the workspace denies
// it outside tests, and clippy cannot tell these helpers are test code).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../src-tauri/core/tests/common/private_server.rs"]
mod private_server;
// The window's command lists, shared with the app's in-process matrix test.
#[path = "../src-tauri/src/commands/guarded_calls.rs"]
mod guarded_calls;
#[path = "../src-tauri/core/tests/common/pg_leftovers.rs"]
mod pg_leftovers;
#[path = "../src-tauri/core/tests/common/public_host.rs"]
mod public_host;
#[path = "../src-tauri/core/tests/common/receiver.rs"]
mod receiver;
mod support;

mod accounts_window;
mod audit_cli;
mod bench_smoke;
mod calendar_cli;
mod cli;
mod database_cli;
mod datadesk_cli;
mod datadesk_window;
mod desk_rules_window;
mod desk_window;
mod digirate_cli;
mod durability;
mod forms2025_cli;
mod forms_cli;
mod idcard_cli;
mod idcard_window;
mod layout_window;
mod lifecycle_window;
mod outbox_cli;
mod outbox_window;
mod pg_roles_cli;
mod private_files;
mod public_status_cli;
mod receipt_cli;
mod reception_window;
mod records_cli;
mod scans_cli;
mod scans_ocr;
mod scans_window;
mod serve;
mod signin_cli;
mod users_cli;
mod window;
// Named to sort early: the test harness starts tests in name order, and these long Wine tests
// then run beside the window tests instead of after them.
#[path = "windows/mod.rs"]
mod built_for_windows;
