//! The sender: delivers what waits in the outbox, destination by destination, and per
//! dossier in order. For each destination it asks the store for the first waiting message
//! of each dossier (`Store::outbox_heads`: never a later one before it), claims it with a
//! lease (so another desk's or process's sender leaves it alone), delivers it, and deletes
//! it only once the destination acknowledged it; a failure is recorded with the message in
//! plain words (`SendError`) and the message waits (`store::backoff`: 30 s doubling to an
//! hour) while the dossier's later messages wait behind it. A sender killed at any moment
//! loses nothing: an unacknowledged message stays, and its claim lapses after `LEASE`.
//!
//! The clock is injected (`Sender::with_clock`), so tests can move through an hour of
//! outage without waiting for it.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::{folder, webhook, Destination, DestinationKind, Message, SendError};
use crate::error::CoreResult;
use crate::store::{backoff, Store};

/// How long a claimed message is left to its sender: longer than any delivery may take (a
/// destination's timeout is seconds), short enough that a killed sender's message goes out
/// soon with the next one.
pub const LEASE: Duration = Duration::seconds(30);

/// Messages asked for at once, per destination.
const BATCH: i64 = 50;

/// Failures in a row after which a pass leaves a destination alone: it is down, and every
/// other dossier's message would wait its timeout for nothing.
const GIVE_UP_AFTER: usize = 3;

/// How often a running sender looks for new messages when none is waiting.
const POLL: Duration = Duration::seconds(15);

pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// What one pass did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PassReport {
    pub sent: u64,
    pub failed: u64,
    /// Messages still waiting for this desk's destinations after the pass.
    pub pending: i64,
    /// The first failure of the pass, if any.
    pub first_error: Option<SendError>,
}

#[derive(Clone)]
pub struct Sender {
    store: Store,
    desk: String,
    clock: Clock,
}

impl Sender {
    /// The sender of desk `desk` (which alone writes the folders added on it).
    pub fn new(store: Store, desk: impl Into<String>) -> Sender {
        Sender {
            store,
            desk: desk.into(),
            clock: Arc::new(crate::vntime::now),
        }
    }

    /// The same sender reading another clock.
    pub fn with_clock(self, clock: Clock) -> Sender {
        Sender { clock, ..self }
    }

    /// Sends everything that can be sent now. With `honour_backoff`, a message waits out its
    /// backoff (a running sender); without, every waiting message is tried once more (a
    /// scheduled `outbox run --once`, whose schedule is its backoff).
    pub async fn pass(&self, honour_backoff: bool) -> CoreResult<PassReport> {
        let mut report = PassReport::default();
        for destination in self.store.destinations_for(&self.desk).await? {
            self.pass_one(&destination, honour_backoff, &mut report)
                .await?;
        }
        report.pending = self.store.outbox_pending_for(&self.desk).await?;
        Ok(report)
    }

    async fn pass_one(
        &self,
        destination: &Destination,
        honour_backoff: bool,
        report: &mut PassReport,
    ) -> CoreResult<()> {
        let client = match destination.kind {
            DestinationKind::Webhook => match webhook::client(destination) {
                Ok(client) => Some(client),
                Err(e) => {
                    report.first_error.get_or_insert(e);
                    return Ok(());
                }
            },
            _ => None,
        };
        let mut skip: Vec<i64> = Vec::new();
        let mut in_a_row = 0;
        loop {
            let now = (self.clock)();
            let due = if honour_backoff {
                now
            } else {
                now + Duration::days(36_500)
            };
            let heads = self
                .store
                .outbox_heads(destination.id, now, due, &skip, BATCH)
                .await?;
            if heads.is_empty() {
                return Ok(());
            }
            for message in heads {
                let now = (self.clock)();
                if !self
                    .store
                    .claim_message(message.id, now, now + LEASE)
                    .await?
                {
                    // Another sender has it now.
                    skip.push(message.id);
                    continue;
                }
                match deliver(destination, client.as_ref(), &message).await {
                    Ok(()) => {
                        self.store.acknowledge_message(message.id).await?;
                        report.sent += 1;
                        in_a_row = 0;
                    }
                    Err(e) => {
                        let now = (self.clock)();
                        self.store
                            .message_failed(message.id, &e, now + backoff(message.attempts + 1))
                            .await?;
                        report.failed += 1;
                        skip.push(message.id);
                        in_a_row += 1;
                        let stop = !e.retry() || in_a_row >= GIVE_UP_AFTER;
                        report.first_error.get_or_insert(e);
                        if stop {
                            return Ok(());
                        }
                    }
                }
            }
        }
    }

    /// Sends until `stop` turns true: a pass, then a sleep until the next message is due (at
    /// most `POLL`, so new changes leave within seconds). A database that cannot be reached
    /// is tried again after `POLL`: the window and the status server keep their sender
    /// through an outage, and the messages wait in the database meanwhile.
    pub async fn run(&self, mut stop: tokio::sync::watch::Receiver<bool>) {
        loop {
            if *stop.borrow() {
                return;
            }
            let wait = match self.pass(true).await {
                Ok(_) => {
                    let now = (self.clock)();
                    match self.store.outbox_next_due(&self.desk).await {
                        Ok(Some(next)) => (next - now).clamp(Duration::seconds(1), POLL),
                        _ => POLL,
                    }
                }
                Err(_) => POLL,
            };
            let wait = wait.to_std().unwrap_or(std::time::Duration::from_secs(15));
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                changed = stop.changed() => {
                    if changed.is_err() {
                        return;
                    }
                }
            }
        }
    }
}

/// One message to one destination.
async fn deliver(
    destination: &Destination,
    client: Option<&reqwest::Client>,
    message: &Message,
) -> Result<(), SendError> {
    match destination.kind {
        DestinationKind::Folder => {
            let dir = PathBuf::from(&destination.target);
            let owned = message.clone();
            let path = destination.target.clone();
            tokio::task::spawn_blocking(move || folder::deliver(&dir, &owned))
                .await
                .unwrap_or_else(|e| {
                    Err(SendError::Folder {
                        path,
                        detail: e.to_string(),
                    })
                })
        }
        DestinationKind::Webhook => match client {
            Some(client) => webhook::deliver(client, destination, message).await,
            None => Err(SendError::Misconfigured {
                detail: "no HTTP client".into(),
            }),
        },
        // Sealing and uploading the dossier's status belongs to `sealed_status`, joined here
        // when it is part of the build; until then its messages wait, none is lost.
        DestinationKind::PublicStatus => Err(SendError::Unsupported {
            kind: DestinationKind::PublicStatus.as_str().into(),
        }),
    }
}
