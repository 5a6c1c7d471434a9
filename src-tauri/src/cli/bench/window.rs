//! The desk window's start-up and memory, measured on this binary: from spawning it until
//! the page reports its first screen (the `first_screen` command, see `window::FIRST_SCREEN_ENV`),
//! then, after idling ten seconds, the resident memory of the app and of the WebKit processes
//! it started (from /proc, so Linux only). Needs a display (Xvfb will do).

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use motcua_core::agency::AgencyInput;
use motcua_core::store::Store;

use super::error::BenchError;
use serde::Serialize;

use super::stats::{ms, stats};
use crate::window::{FIRST_SCREEN_ENV, FIRST_SCREEN_LINE};

const IDLE: Duration = Duration::from_secs(10);
const TIMEOUT: Duration = Duration::from_secs(90);

#[derive(Debug, Clone, Default, Serialize)]
pub struct WindowResult {
    pub runs: usize,
    pub first_screen_median_ms: f64,
    pub first_screen_max_ms: f64,
    /// Sum of VmRSS over the app and its WebKit processes (shared pages counted in each).
    pub rss_mb: f64,
    /// Sum of proportional set sizes: shared pages divided among the processes sharing them.
    pub pss_mb: f64,
    /// The anonymous part of that: memory the processes allocated, not library code.
    pub anon_mb: f64,
    /// Our own process alone, without WebKit's web and network processes.
    pub app_rss_mb: f64,
    pub processes: usize,
}

fn kb(path: &str, key: &str) -> u64 {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(key)?.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// `pid` and every process below it.
fn tree(pid: u32) -> Vec<u32> {
    let mut parent: HashMap<u32, u32> = HashMap::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for e in entries.flatten() {
            let Some(p) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
                continue;
            };
            let stat = std::fs::read_to_string(format!("/proc/{p}/stat")).unwrap_or_default();
            // "pid (comm) state ppid …": comm may hold spaces, so read after the last ')'.
            if let Some(ppid) = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|s| s.parse().ok())
            {
                parent.insert(p, ppid);
            }
        }
    }
    let mut out = vec![pid];
    let mut i = 0;
    while i < out.len() {
        let p = out[i];
        out.extend(parent.iter().filter(|(_, pp)| **pp == p).map(|(c, _)| *c));
        i += 1;
    }
    out
}

fn spawn(exe: &Path, db: &str) -> Result<Child, BenchError> {
    let mut cmd = Command::new(exe);
    // As the window tests run it: some virtual and real displays show a blank page with
    // WebKit's DMA-BUF renderer.
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        cmd.env("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    }
    cmd.env("MOTCUA_DB", db)
        .env(FIRST_SCREEN_ENV, "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| BenchError::Step(format!("{}: {e}", exe.display())))
}

/// Waits for the first-screen line on the child's stderr; the reader keeps draining it.
fn wait_first_screen(child: &mut Child) -> Result<Duration, BenchError> {
    let started = Instant::now();
    let stderr = child
        .stderr
        .take()
        .ok_or_else(|| BenchError::Step("stderr".into()))?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains(FIRST_SCREEN_LINE) {
                let _ = tx.send(());
            }
        }
    });
    rx.recv_timeout(TIMEOUT)
        .map_err(|_| BenchError::Step("the window did not show its first screen".into()))?;
    Ok(started.elapsed())
}

fn stop(child: &mut Child, pids: &[u32]) {
    let _ = child.kill();
    let _ = child.wait();
    // The WebKit processes end when their parent's socket closes; wait for that.
    for _ in 0..50 {
        if pids
            .iter()
            .all(|p| !Path::new(&format!("/proc/{p}")).exists())
        {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    for p in pids.iter().skip(1) {
        if Path::new(&format!("/proc/{p}")).exists() {
            let _ = Command::new("kill").arg(p.to_string()).status();
        }
    }
}

/// `runs` starts of the window on a set-up database in `dir`; memory after the last one.
pub async fn run(dir: &Path, runs: usize) -> Result<WindowResult, BenchError> {
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        return Err(BenchError::Step(
            "no display: run under a desktop or xvfb-run".into(),
        ));
    }
    let exe = std::env::current_exe().map_err(|e| BenchError::Step(e.to_string()))?;
    let db = dir.join("window.db").to_string_lossy().into_owned();
    let store = Store::open(&db).await?;
    store
        .setup(&AgencyInput {
            agency_code: "000.00.14.H56".into(),
            governing_body: "UBND XÃ HƯỚNG THỌ PHÚ".into(),
            unit: "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG".into(),
            place: "Hướng Thọ Phú".into(),
            first_number: None,
        })
        .await?;
    store.close().await;

    let runs = runs.max(1);
    let mut times = Vec::with_capacity(runs);
    let mut result = WindowResult {
        runs,
        ..WindowResult::default()
    };
    for i in 0..runs {
        let mut child = spawn(&exe, &db)?;
        let took = match wait_first_screen(&mut child) {
            Ok(t) => t,
            Err(e) => {
                let pids = tree(child.id());
                stop(&mut child, &pids);
                return Err(e);
            }
        };
        times.push(took);
        let mut pids = tree(child.id());
        if i + 1 == runs {
            tokio::time::sleep(IDLE).await;
            pids = tree(child.id());
            let rss: u64 = pids
                .iter()
                .map(|p| kb(&format!("/proc/{p}/status"), "VmRSS:"))
                .sum();
            let pss: u64 = pids
                .iter()
                .map(|p| kb(&format!("/proc/{p}/smaps_rollup"), "Pss:"))
                .sum();
            let anon: u64 = pids
                .iter()
                .map(|p| kb(&format!("/proc/{p}/smaps_rollup"), "Pss_Anon:"))
                .sum();
            result.rss_mb = rss as f64 / 1024.0;
            result.pss_mb = pss as f64 / 1024.0;
            result.anon_mb = anon as f64 / 1024.0;
            result.app_rss_mb =
                kb(&format!("/proc/{}/status", child.id()), "VmRSS:") as f64 / 1024.0;
            result.processes = pids.len();
        }
        stop(&mut child, &pids);
    }
    result.first_screen_max_ms = times.iter().copied().map(ms).fold(0.0, f64::max);
    result.first_screen_median_ms = stats(times).median_ms;
    Ok(result)
}
