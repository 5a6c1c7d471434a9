//! A scanner through SANE: `scanimage` writes each page as PNM into a private folder of
//! its own (`--batch`, as many pages as asked: a flatbed would otherwise scan forever),
//! like printing goes through CUPS's `lp`. Its complaints are told in plain words naming
//! the device.

use std::io::ErrorKind;
use std::path::PathBuf;
use std::process::Command;

use super::ScanError;

/// Grey or colour, as the `scan-mode` setting says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScanMode {
    Gray,
    Color,
    /// Black and white, for typed pages: scanned grey and made black and white here, since
    /// not every backend offers Lineart (SANE's test backend does not).
    Text,
}

impl ScanMode {
    pub fn parse(s: &str) -> Option<ScanMode> {
        match s.trim().to_lowercase().as_str() {
            "gray" | "grey" => Some(ScanMode::Gray),
            "color" | "colour" => Some(ScanMode::Color),
            "text" | "lineart" => Some(ScanMode::Text),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ScanMode::Gray => "gray",
            ScanMode::Color => "color",
            ScanMode::Text => "text",
        }
    }

    /// The name SANE backends give the mode scanned in.
    fn sane(self) -> &'static str {
        match self {
            ScanMode::Gray => "Gray",
            ScanMode::Color => "Color",
            ScanMode::Text => "Gray",
        }
    }
}

/// One scan: which device, how fine, grey or colour, how many pages.
#[derive(Debug, Clone)]
pub struct ScannerRequest {
    pub device: String,
    pub dpi: u32,
    pub mode: ScanMode,
    pub pages: u32,
}

/// A folder of this process's own under the system's temporary folder, removed when done.
pub(super) struct WorkDir(pub(super) PathBuf);

impl WorkDir {
    pub(super) fn new() -> Result<WorkDir, ScanError> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let dir = std::env::temp_dir().join(format!("motcua-scan-{}-{nanos}", std::process::id()));
        crate::private_fs::create_dir(&dir).map_err(|e| ScanError::Unreadable {
            file: dir.display().to_string(),
            detail: e.to_string(),
        })?;
        Ok(WorkDir(dir))
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The last line `scanimage` wrote that says something, without its own name.
fn complaint(stderr: &[u8]) -> String {
    String::from_utf8_lossy(stderr)
        .lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty() && !l.starts_with("Scanning") && !l.starts_with("Scanned"))
        .map(|l| l.trim_start_matches("scanimage:").trim().to_string())
        .unwrap_or_default()
}

/// Scans `request.pages` pages and returns each page's PNM bytes, in order.
pub fn scan_pages(request: &ScannerRequest) -> Result<Vec<Vec<u8>>, ScanError> {
    let device = request.device.trim();
    if device.is_empty() {
        return Err(ScanError::NoDevice);
    }
    let work = WorkDir::new()?;
    let pattern = work.0.join("p%d.pnm");
    let output = Command::new("scanimage")
        .arg("-d")
        .arg(device)
        .arg("--resolution")
        .arg(request.dpi.to_string())
        .arg("--mode")
        .arg(request.mode.sane())
        .arg("--format=pnm")
        .arg(format!("--batch={}", pattern.display()))
        .arg("--batch-count")
        .arg(request.pages.max(1).to_string())
        .output()
        .map_err(|e| match e.kind() {
            ErrorKind::NotFound => ScanError::NoScanimage,
            _ => ScanError::Scanner {
                device: device.to_string(),
                detail: e.to_string(),
            },
        })?;
    let mut pages = Vec::new();
    for n in 1..=request.pages.max(1) {
        match std::fs::read(work.0.join(format!("p{n}.pnm"))) {
            Ok(bytes) if !bytes.is_empty() => pages.push(bytes),
            _ => break,
        }
    }
    let said = complaint(&output.stderr);
    if said.to_lowercase().contains("busy") {
        return Err(ScanError::Busy {
            device: device.to_string(),
        });
    }
    if pages.is_empty() || (!output.status.success() && pages.len() < request.pages as usize) {
        let detail = if said.is_empty() {
            "no page was scanned".to_string()
        } else {
            said
        };
        return Err(ScanError::Scanner {
            device: device.to_string(),
            detail,
        });
    }
    Ok(pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_complaint_is_scanimages_last_words() {
        let stderr = b"scanimage: open of device nosuch failed: Invalid argument\n";
        assert_eq!(
            complaint(stderr),
            "open of device nosuch failed: Invalid argument"
        );
        let busy = b"Scanning page 1\nscanimage: sane_start: Device busy\n";
        assert_eq!(complaint(busy), "sane_start: Device busy");
    }
}
