//! What the figures were measured on: processor, cores, memory, system, engine, build, and
//! how busy the machine was (figures taken while other work runs are pessimistic).

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    pub cpu: String,
    pub cores: usize,
    pub memory_mb: u64,
    pub os: String,
    pub engine: String,
    /// "release" or "debug": debug builds are several times slower.
    pub build: String,
    /// The one-minute load average when the run started and when it ended.
    pub load_start: f64,
    pub load_end: f64,
    /// This program's size: the release binary's target is 25 MB.
    pub binary_mb: f64,
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

fn field(text: &str, key: &str, sep: char) -> Option<String> {
    text.lines().find_map(|l| {
        let (k, v) = l.split_once(sep)?;
        (k.trim() == key).then(|| v.trim().trim_matches('"').to_string())
    })
}

/// The one-minute load average (0 where the system does not say).
pub fn load() -> f64 {
    read("/proc/loadavg")
        .split_whitespace()
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0.0)
}

pub fn describe(engine: &str) -> Machine {
    let cpuinfo = read("/proc/cpuinfo");
    let meminfo = read("/proc/meminfo");
    let memory_kb: u64 = field(&meminfo, "MemTotal", ':')
        .and_then(|v| v.split_whitespace().next().and_then(|n| n.parse().ok()))
        .unwrap_or(0);
    Machine {
        cpu: field(&cpuinfo, "model name", ':').unwrap_or_else(|| std::env::consts::ARCH.into()),
        cores: std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        memory_mb: memory_kb / 1024,
        os: field(&read("/etc/os-release"), "PRETTY_NAME", '=')
            .unwrap_or_else(|| std::env::consts::OS.into()),
        engine: engine.to_string(),
        build: if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
        .into(),
        load_start: load(),
        load_end: 0.0,
        binary_mb: 0.0,
    }
}

/// The size of this program's file, in MB.
pub fn binary_mb() -> f64 {
    std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| m.len() as f64 / (1024.0 * 1024.0))
        .unwrap_or(0.0)
}
