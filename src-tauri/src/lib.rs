//! The Một Cửa application: the desk window (Tauri) and the command-line interface, both
//! thin layers over `motcua_core`. With no command the binary opens the window; with one,
//! it is the CLI.

pub mod cli;
pub mod commands;
pub mod context;
pub mod gui;
pub mod scanner;
pub mod serve;

use clap::Parser;

/// Parses the command line and runs the CLI or the window.
pub fn main_entry() -> std::process::ExitCode {
    let args = cli::Cli::parse();
    match args.command {
        Some(command) => cli::run(args.global, command),
        None => gui::run(args.global),
    }
}
