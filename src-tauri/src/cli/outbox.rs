//! `motcua outbox`: the destinations the desk tells of its dossiers' changes (add, list,
//! remove), what waits for them (`status`), and the sender for a scheduled job (`run`).
//! The sender itself is the core's (`motcua_core::outbox::sender`); this module only reads
//! the arguments and prints.

use std::io::BufRead;

use clap::{Args, Subcommand};
use motcua_core::i18n::{t, tf, Localized};
use motcua_core::outbox::sender::Sender;
use motcua_core::outbox::{DestinationKind, NewDestination, OutboxError};
use motcua_core::store::Store;
use motcua_core::vntime::now;
use motcua_core::CoreError;

use super::output;
use crate::context::Global;

#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    /// Add a destination: a drop folder, a webhook, or the public status host
    #[command(subcommand)]
    Add(AddCommand),
    /// The destinations, with their kind and address (secrets are never shown)
    List {
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Remove a destination and the changes still waiting for it
    Remove {
        /// The destination's number, as `outbox list` shows it
        id: i64,
    },
    /// What waits for each destination: how many changes, the oldest one's age, the last
    /// error in plain words
    Status {
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Send what waits; with --once, one pass that exits 0 when nothing is left and 1 (with
    /// the reason) when something could not be delivered; without, keep sending
    Run(RunArgs),
}

#[derive(Debug, Subcommand)]
pub enum AddCommand {
    /// JSON Lines files, one per day, in PATH on this desk's computer (made if missing)
    Folder {
        path: String,
        /// Include the applicant's name, ID number, phone, e-mail and address
        #[arg(long)]
        personal: bool,
    },
    /// HTTPS POST of each change, signed with HMAC-SHA256 (X-Motcua-Signature) and keyed
    /// (Idempotency-Key); plain http only to this computer
    Webhook {
        url: String,
        /// Read the signing secret from the first line of standard input
        #[arg(long, required = true)]
        secret_stdin: bool,
        /// The receiver is entitled to the applicant's personal fields
        #[arg(long)]
        personal: bool,
        /// Seconds the receiver has to answer [default: 10]
        #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u32).range(1..=300))]
        timeout: Option<u32>,
    },
    /// The citizens' status, encrypted, on a WebDAV folder or bucket
    PublicStatus {
        /// Where the encrypted files are written: a WebDAV folder (HTTP PUT), its account in
        /// the address or in MOTCUA_PUBLIC_STATUS_USER and MOTCUA_PUBLIC_STATUS_PASSWORD; or an
        /// S3-compatible bucket, s3://bucket/prefix/, its keys, region and endpoint from the
        /// environment of the program that sends (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
        /// AWS_SESSION_TOKEN, AWS_REGION, AWS_ENDPOINT_URL for a host other than AWS), never
        /// from the command line
        #[arg(long, value_name = "URL")]
        put: String,
        /// The address citizens' phones open (https)
        #[arg(long = "public", value_name = "URL")]
        public_url: String,
    },
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// One pass, then exit
    #[arg(long)]
    pub once: bool,
}

pub async fn run(global: &Global, store: &Store, command: OutboxCommand) -> Result<(), CoreError> {
    let lang = global.lang();
    match command {
        OutboxCommand::Add(add) => {
            let new = new_destination(add)?;
            let added = store
                .add_destination(new, &global.desk_name(), now())
                .await?;
            outln!(
                "{}",
                tf(
                    lang,
                    "cli.outbox.added",
                    &[("id", &added.id.to_string()), ("kind", added.kind.as_str())]
                )
            );
            if added.kind == DestinationKind::PublicStatus {
                let sender = Sender::new(store.clone(), global.desk_name());
                match sender.publish_page(&added).await {
                    Ok(()) => outln!("{}", t(lang, "cli.outbox.page_published")),
                    Err(e) => outln!(
                        "{}",
                        tf(
                            lang,
                            "cli.outbox.page_later",
                            &[("error", &e.message(lang))]
                        )
                    ),
                }
            }
            Ok(())
        }
        OutboxCommand::List { json } => {
            let destinations = store.destinations().await?;
            if json {
                return output::json(&destinations);
            }
            if destinations.is_empty() {
                outln!("{}", t(lang, "cli.outbox.none"));
            }
            for d in destinations {
                let personal = if d.personal {
                    format!(" ({})", t(lang, "cli.outbox.personal"))
                } else {
                    String::new()
                };
                outln!(
                    "#{}  {:<14} {}{personal}",
                    d.id,
                    d.kind.as_str(),
                    shown(&d.target)
                );
            }
            Ok(())
        }
        OutboxCommand::Remove { id } => {
            store.remove_destination(id, now()).await?;
            outln!(
                "{}",
                tf(lang, "cli.outbox.removed", &[("id", &id.to_string())])
            );
            Ok(())
        }
        OutboxCommand::Status { json } => {
            let statuses = store.outbox_status(now()).await?;
            if json {
                let rows: Vec<serde_json::Value> = statuses
                    .iter()
                    .map(|s| {
                        serde_json::json!({
                            "id": s.destination.id,
                            "kind": s.destination.kind,
                            "target": shown(&s.destination.target),
                            "pending": s.pending,
                            "oldest": s.oldest.map(motcua_core::vntime::rfc3339_vn),
                            "oldest_age_seconds": s.oldest_age_seconds,
                            "last_error": s.last_error.as_ref().map(|e| e.message(lang)),
                            "last_error_kind": s.last_error.as_ref(),
                        })
                    })
                    .collect();
                return output::json(&rows);
            }
            if statuses.is_empty() {
                outln!("{}", t(lang, "cli.outbox.none"));
            }
            for s in statuses {
                outln!(
                    "#{}  {:<14} {}",
                    s.destination.id,
                    s.destination.kind.as_str(),
                    shown(&s.destination.target)
                );
                let age = s.oldest_age_seconds.unwrap_or(0);
                outln!(
                    "    {}",
                    tf(
                        lang,
                        "cli.outbox.pending",
                        &[
                            ("pending", &s.pending.to_string()),
                            ("age", &motcua_core::outbox::words_of_age(age, lang)),
                        ]
                    )
                );
                if let Some(e) = s.last_error.filter(|_| s.pending > 0) {
                    outln!(
                        "    {}",
                        tf(
                            lang,
                            "cli.outbox.last_error",
                            &[("error", &e.message(lang))]
                        )
                    );
                }
            }
            Ok(())
        }
        OutboxCommand::Run(args) => {
            let sender = Sender::new(store.clone(), global.desk_name());
            if !args.once {
                let (_keep, stop) = tokio::sync::watch::channel(false);
                sender.run(stop).await;
                return Ok(());
            }
            let report = sender.pass(false).await?;
            outln!(
                "{}",
                tf(
                    lang,
                    "cli.outbox.sent",
                    &[
                        ("sent", &report.sent.to_string()),
                        ("pending", &report.pending.to_string()),
                    ]
                )
            );
            if report.pending > 0 {
                let reason = match &report.first_error {
                    Some(e) => e.message(lang),
                    None => t(lang, "cli.outbox.busy"),
                };
                return Err(OutboxError::Undelivered {
                    pending: u64::try_from(report.pending).unwrap_or(0),
                    reason,
                }
                .into());
            }
            Ok(())
        }
    }
}

fn new_destination(add: AddCommand) -> Result<NewDestination, CoreError> {
    Ok(match add {
        AddCommand::Folder { path, personal } => NewDestination {
            kind: DestinationKind::Folder,
            target: path,
            public_url: String::new(),
            secret: String::new(),
            personal,
            timeout_ms: None,
        },
        AddCommand::Webhook {
            url,
            secret_stdin: _,
            personal,
            timeout,
        } => {
            let mut secret = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut secret)
                .map_err(|source| CoreError::File {
                    path: "-".into(),
                    source,
                })?;
            NewDestination {
                kind: DestinationKind::Webhook,
                target: url,
                public_url: String::new(),
                secret: secret.trim().to_string(),
                personal,
                timeout_ms: timeout.map(|s| i64::from(s) * 1000),
            }
        }
        AddCommand::PublicStatus { put, public_url } => NewDestination {
            kind: DestinationKind::PublicStatus,
            target: put,
            public_url,
            secret: String::new(),
            personal: false,
            timeout_ms: None,
        },
    })
}

/// An address as shown: a password in it hidden.
fn shown(target: &str) -> String {
    motcua_core::outbox::redact(target)
}
