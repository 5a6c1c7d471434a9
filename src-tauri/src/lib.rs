//! The Một Cửa application: the desk window (Tauri) and the command-line interface, both
//! thin layers over `motcua_core`. With no command the binary opens the window; with one,
//! it is the CLI.

pub mod app_state;
pub mod cli;
pub mod commands;
pub mod console;
pub mod context;
pub mod gui;
pub mod opener;
pub mod placement;
pub mod scanner;
pub mod serve;
pub mod webview_runtime;
pub mod window;

use clap::Parser;

/// Parses the command line and runs the CLI or the window.
pub fn main_entry() -> std::process::ExitCode {
    quiet_panics();
    context::protect_data_dir();
    if std::env::args_os().len() > 1 {
        console::attach_to_parent();
    }
    let args = cli::Cli::parse();
    match args.command {
        Some(command) => cli::run(args.global, command),
        None => gui::run(args.global),
    }
}

/// A crash report says where, never what: a panic's message may quote the value that
/// caused it, which can be a citizen's name or ID number.
fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("motcua: internal error at {place}; please report this line");
    }));
}
