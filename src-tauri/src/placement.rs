//! Where the desk window opens. The first time, maximised: it then fills the screen's work
//! area (the taskbar stays visible), so "Lưu và in" is never below a 768-pixel screen's edge.
//! Afterwards where the clerk left it, as long as that still lies on one of the screens (a
//! laptop taken away from its second monitor opens maximised again). Remembered per computer
//! user in `window.json` in the data folder.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tauri::{PhysicalPosition, PhysicalSize, Runtime, WebviewWindow, WindowEvent};

/// The window's outer position and inner size in physical pixels, or maximised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
    pub maximized: bool,
}

/// A screen's work area in physical pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Area {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
}

impl Placement {
    /// Whether the window's top-left corner and its title bar's width lie on one of `areas`,
    /// so the clerk can see and grab it.
    pub fn is_visible_on(&self, areas: &[Area]) -> bool {
        let right = i64::from(self.x) + i64::from(self.width.min(200));
        areas.iter().any(|a| {
            let (ax, ay) = (i64::from(a.x), i64::from(a.y));
            let (ar, ab) = (ax + i64::from(a.width), ay + i64::from(a.height));
            let (x, y) = (i64::from(self.x), i64::from(self.y));
            x >= ax && right <= ar && y >= ay && y + 40 <= ab
        })
    }
}

pub fn file() -> PathBuf {
    crate::context::data_dir().join("window.json")
}

fn load(path: &Path) -> Option<Placement> {
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str(&text).ok()
}

fn save(path: &Path, placement: &Placement) {
    // Losing the window's place is harmless: the next start opens maximised.
    if let Ok(text) = serde_json::to_string(placement) {
        if let Some(dir) = path.parent() {
            let _ = motcua_core::private_fs::own_dir(dir);
        }
        let _ = motcua_core::private_fs::write(path, text.as_bytes());
    }
}

fn current<R: Runtime>(window: &WebviewWindow<R>) -> Option<Placement> {
    let position = window.outer_position().ok()?;
    let size = window.inner_size().ok()?;
    Some(Placement {
        x: position.x,
        y: position.y,
        width: size.width,
        height: size.height,
        maximized: window.is_maximized().unwrap_or(false),
    })
}

fn areas<R: Runtime>(window: &WebviewWindow<R>) -> Vec<Area> {
    window
        .available_monitors()
        .unwrap_or_default()
        .iter()
        .map(|m| {
            let a = m.work_area();
            Area {
                x: a.position.x,
                y: a.position.y,
                width: a.size.width,
                height: a.size.height,
            }
        })
        .collect()
}

/// Puts the (still hidden) window where it was left, or maximised, shows it, and remembers
/// each later move and resize.
pub fn apply<R: Runtime>(window: &WebviewWindow<R>, path: PathBuf) -> tauri::Result<()> {
    match load(&path).filter(|p| p.is_visible_on(&areas(window))) {
        Some(p) if !p.maximized => {
            window.set_size(PhysicalSize::new(p.width, p.height))?;
            window.set_position(PhysicalPosition::new(p.x, p.y))?;
        }
        _ => window.maximize()?,
    }
    window.show()?;
    let watched = window.clone();
    window.on_window_event(move |event| {
        if matches!(event, WindowEvent::Moved(_) | WindowEvent::Resized(_)) {
            if let Some(p) = current(&watched) {
                // A maximised window keeps the size it will return to, not the screen's.
                match (p.maximized, load(&path)) {
                    (true, Some(before)) => save(
                        &path,
                        &Placement {
                            maximized: true,
                            ..before
                        },
                    ),
                    _ => save(&path, &p),
                }
            }
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAPTOP: Area = Area {
        x: 0,
        y: 0,
        width: 1366,
        height: 728,
    };

    fn at(x: i32, y: i32) -> Placement {
        Placement {
            x,
            y,
            width: 1100,
            height: 650,
            maximized: false,
        }
    }

    #[test]
    fn a_place_off_every_screen_is_not_reused() {
        assert!(at(100, 40).is_visible_on(&[LAPTOP]));
        // Left on a second monitor that is gone.
        assert!(!at(1500, 40).is_visible_on(&[LAPTOP]));
        assert!(!at(-300, 40).is_visible_on(&[LAPTOP]));
        assert!(!at(100, 720).is_visible_on(&[LAPTOP]));
        let second = Area {
            x: 1366,
            y: 0,
            width: 1920,
            height: 1040,
        };
        assert!(at(1500, 40).is_visible_on(&[LAPTOP, second]));
        assert!(!at(100, 40).is_visible_on(&[]));
    }
}
