// No console window on Windows for the desk app; the CLI attaches to the caller's console.
#![cfg_attr(
    all(not(debug_assertions), target_os = "windows"),
    windows_subsystem = "windows"
)]

fn main() -> std::process::ExitCode {
    motcua_app::main_entry()
}
