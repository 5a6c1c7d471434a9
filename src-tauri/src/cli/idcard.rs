//! idcard parse, idcard ports, idcard listen: reading a citizen ID card's QR, and finding and
//! trying a desk scanner in serial (COM) mode. None needs the database.

use std::io::{Read, Write};

use clap::Subcommand;
use motcua_core::i18n::{t, tf, Localized};
use motcua_core::idcard;
use motcua_core::serial_scanner::{self, Reader, ReaderConfig, ScannerEvent};
use motcua_core::CoreError;

use super::output;
use crate::context::Global;

#[derive(Debug, Subcommand)]
pub enum IdcardCommand {
    /// Read an ID card's QR text and print it as JSON; "suspect" lists the fields a
    /// keyboard-wedge scanner garbled, to check against the card
    #[command(
        after_help = "Example:\n  motcua idcard parse '048201007731||Lê Văn Đức|23112001|Nam|Tổ 12, phường Hòa Khánh Bắc, quận Liên Chiểu, thành phố Đà Nẵng|02082022'"
    )]
    Parse {
        /// The text the scanner delivered, or - to read it from standard input
        text: String,
    },
    /// List the serial (COM) ports of this computer, one per line: what the settings screen
    /// offers for the scanner's port
    #[command(after_help = "Examples:\n  motcua idcard ports\n  motcua idcard ports --json")]
    Ports {
        /// Print a JSON array instead of text
        #[arg(long)]
        json: bool,
    },
    /// Listen to a scanner in serial (COM) mode and print each ID card it reads as one line
    /// of JSON (other scans are reported on standard error); for trying a scanner
    #[command(
        after_help = "Examples:\n  motcua idcard listen --port COM3 --count 1          (Windows)\n  motcua idcard listen --port /dev/ttyACM0 --count 1  (Linux)"
    )]
    Listen {
        /// The scanner's port: COM3 on Windows; /dev/ttyUSB0, /dev/ttyACM0 or
        /// /dev/serial/by-id/… on Linux (`motcua idcard ports` lists them)
        #[arg(long)]
        port: String,
        /// Stop after this many scanned lines [default: run until interrupted]
        #[arg(long)]
        count: Option<u64>,
        /// Speed set on the scanner (1200–115200)
        #[arg(long, default_value_t = serial_scanner::DEFAULT_BAUD,
              value_parser = parse_baud)]
        baud: u32,
    },
}

fn parse_baud(s: &str) -> Result<u32, String> {
    s.parse::<u32>()
        .ok()
        .filter(|b| serial_scanner::BAUDS.contains(b))
        .ok_or_else(|| format!("use one of {:?}", serial_scanner::BAUDS))
}

pub async fn run(global: &Global, command: IdcardCommand) -> Result<(), CoreError> {
    match command {
        IdcardCommand::Parse { text } => parse(&text),
        IdcardCommand::Ports { json } => ports(global, json),
        IdcardCommand::Listen { port, count, baud } => listen(global, &port, count, baud).await,
    }
}

fn ports(global: &Global, json: bool) -> Result<(), CoreError> {
    let list = serial_scanner::list_ports();
    if json {
        return output::json(&list);
    }
    if list.is_empty() {
        eprintln!("{}", t(global.lang(), "idcard.ports.none"));
    }
    for port in list {
        outln!("{port}");
    }
    Ok(())
}

fn parse(text: &str) -> Result<(), CoreError> {
    let text = if text == "-" {
        let mut input = String::new();
        std::io::stdin()
            .read_to_string(&mut input)
            .map_err(|source| CoreError::File {
                path: "-".into(),
                source,
            })?;
        input
    } else {
        text.to_string()
    };
    let card = idcard::parse(&text).map_err(CoreError::NotAnIdCard)?;
    output::json(&card)
}

async fn listen(
    global: &Global,
    port: &str,
    count: Option<u64>,
    baud: u32,
) -> Result<(), CoreError> {
    let lang = global.lang();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let config = ReaderConfig {
        baud,
        ..ReaderConfig::new(port)
    };
    let reader = Reader::spawn(config, tx).map_err(|source| CoreError::File {
        path: port.to_string(),
        source,
    })?;
    let mut seen = 0u64;
    while count.is_none_or(|n| seen < n) {
        let Some(event) = rx.recv().await else {
            break;
        };
        match event {
            ScannerEvent::Connected => eprintln!(
                "{}",
                tf(
                    lang,
                    "idcard.listen.connected",
                    &[("port", port), ("baud", &baud.to_string())]
                )
            ),
            ScannerEvent::Disconnected(problem) => eprintln!("{}", problem.message(port, lang)),
            ScannerEvent::Line(line) => {
                seen += 1;
                match idcard::parse(&line) {
                    Ok(card) => {
                        let json = serde_json::to_string(&card)
                            .map_err(|e| CoreError::Json(e.to_string()))?;
                        let mut out = std::io::stdout().lock();
                        // Flushed per card: whoever reads the output sees each scan at once.
                        let _ = writeln!(out, "{json}").and_then(|()| out.flush());
                    }
                    Err(reason) => eprintln!("{}", reason.message(lang)),
                }
            }
        }
    }
    reader.stop();
    Ok(())
}
