//! The window's names shared by the window builder and its commands: its label, its title,
//! and the first-screen mark `motcua bench --window` waits for.

pub const WINDOW: &str = "main";

/// Set in the environment by `motcua bench --window`: the window then prints
/// `FIRST_SCREEN_LINE` on stderr when its first screen is shown.
pub const FIRST_SCREEN_ENV: &str = "MOTCUA_FIRST_SCREEN_MARK";
pub const FIRST_SCREEN_LINE: &str = "motcua: first screen shown";

pub fn window_title(unit: Option<&str>) -> String {
    match unit {
        Some(unit) if !unit.is_empty() => format!("Một Cửa — {unit}"),
        _ => "Một Cửa".to_string(),
    }
}
