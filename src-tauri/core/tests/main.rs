//! The core's tests as one binary: each file of `tests/` is a module here, so the core is
//! linked once rather than once per file. `common` opens test stores on SQLite and
//! PostgreSQL; `private_server` is a PostgreSQL cluster of a test's own.
// A test stops at the first surprise: unwrapping is how it says so (the workspace denies
// it outside tests, and clippy cannot tell these helpers are test code).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/pg_leftovers.rs"]
mod pg_leftovers;
#[path = "common/private_server.rs"]
mod private_server;
#[path = "common/public_host.rs"]
mod public_host;
#[path = "common/receiver.rs"]
mod receiver;

mod accounts;
mod after_intake;
mod bad_input;
mod bulk;
mod caches;
mod calendar;
mod datadesk;
mod digirate;
mod durable;
mod forms;
mod idcard;
mod looks;
mod migrate_truth;
mod module_graph;
mod outbox;
mod pg_roles;
mod public_status;
mod public_status_outbox;
mod receipt;
mod restore_truth;
mod scanner_setting;
mod scans;
mod sealed_status;
mod sealed_status_bucket;
mod serial_scanner;
mod store;
