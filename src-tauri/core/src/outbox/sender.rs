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

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::{folder, webhook, Destination, DestinationKind, Message, SendError};
use crate::error::CoreResult;
use crate::i18n::{Lang, Localized};
use crate::sealed_status::{self, OfficeKeys, PublicTarget, PublishError, SealedBlob};
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

/// How often a running sender deletes the public status of dossiers handed over long ago:
/// the setting counts in days, so an hour late is on time.
const SWEEP_EVERY: Duration = Duration::hours(1);

/// Hand-overs read at once by a sweep.
const SWEEP_BATCH: i64 = 200;

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
    /// Public status destinations this sender has put the page on since it started: the
    /// page goes up once per run (it may have changed with the version), before any blob.
    pages: Arc<Mutex<HashSet<i64>>>,
    /// When this sender last swept each public status destination.
    swept: Arc<Mutex<HashMap<i64, DateTime<Utc>>>>,
}

/// How a pass reaches one destination.
enum Route {
    Folder,
    Webhook(reqwest::Client),
    /// The host, the office's keys, and how long after hand-over a status stays there.
    Public {
        target: PublicTarget,
        keys: Box<OfficeKeys>,
        keep: Duration,
    },
}

/// What one public status message puts on the host.
enum Publication {
    /// The dossier's status now, sealed: later messages of a dossier overwrite the same
    /// name, so the host always holds the latest.
    Blob(SealedBlob),
    /// Handed over longer ago than the host keeps statuses: the blob goes instead.
    Withdraw(String),
}

impl Sender {
    /// The sender of desk `desk` (which alone writes the folders added on it).
    pub fn new(store: Store, desk: impl Into<String>) -> Sender {
        Sender {
            store,
            desk: desk.into(),
            clock: Arc::new(crate::vntime::now),
            pages: Arc::default(),
            swept: Arc::default(),
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
            if destination.kind == DestinationKind::PublicStatus {
                self.sweep(&destination, honour_backoff, &mut report)
                    .await?;
            }
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
        let route = match self.route(destination).await? {
            Ok(route) => route,
            Err(e) => {
                report.first_error.get_or_insert(e);
                return Ok(());
            }
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
                let sent = match &route {
                    Route::Folder => deliver_to_folder(destination, &message).await,
                    Route::Webhook(client) => webhook::deliver(client, destination, &message).await,
                    Route::Public { target, keys, keep } => {
                        let publication = self.publication(keys, *keep, &message).await?;
                        self.publish(destination.id, target, publication).await
                    }
                };
                match sent {
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

    /// Puts the public status page on a destination's host now: when it is added, so a
    /// citizen who scans before the first change is sent reads "not found yet" rather than
    /// the host's error. A failure is said and changes nothing: the sender puts the page
    /// up before its first blob anyway.
    pub async fn publish_page(&self, destination: &Destination) -> Result<(), SendError> {
        let target = PublicTarget::for_destination(&destination.target, &destination.public_url)
            .map_err(|e| host_error(&e))?;
        sealed_status::publish_page(&target)
            .await
            .map_err(|e| host_error(&e))?;
        if let Ok(mut pages) = self.pages.lock() {
            pages.insert(destination.id);
        }
        Ok(())
    }

    /// How this pass reaches a destination, prepared once for all its messages; a
    /// destination that cannot be used is said instead.
    async fn route(&self, destination: &Destination) -> CoreResult<Result<Route, SendError>> {
        Ok(match destination.kind {
            DestinationKind::Folder => Ok(Route::Folder),
            DestinationKind::Webhook => webhook::client(destination).map(Route::Webhook),
            DestinationKind::PublicStatus => match self.public_target(destination).await? {
                Ok((target, keys)) => Ok(Route::Public {
                    target,
                    keys: Box::new(keys),
                    keep: Duration::days(self.store.public_status_keep_days().await?),
                }),
                Err(e) => Err(e),
            },
        })
    }

    /// Where and with which keys a public status destination publishes. The keys come from
    /// the slip secret, so a dossier's name and key are the same on every desk and survive a
    /// restart; the host's account comes with the address (`PublicTarget::for_destination`).
    async fn public_target(
        &self,
        destination: &Destination,
    ) -> CoreResult<Result<(PublicTarget, OfficeKeys), SendError>> {
        let target =
            match PublicTarget::for_destination(&destination.target, &destination.public_url) {
                Ok(target) => target,
                Err(e) => return Ok(Err(host_error(&e))),
            };
        let keys = OfficeKeys::derive(&self.store.slip_secret().await?);
        Ok(Ok((target, keys)))
    }

    /// What the host should hold for the message's dossier now.
    async fn publication(
        &self,
        keys: &OfficeKeys,
        keep: Duration,
        message: &Message,
    ) -> CoreResult<Publication> {
        let now = (self.clock)();
        let view = self.store.dossier_status_view(&message.code).await?;
        Ok(match view.handed_over_at {
            Some(at) if at + keep <= now => Publication::Withdraw(keys.name(&message.code)),
            _ => Publication::Blob(keys.seal(&view.status, now)),
        })
    }

    /// Puts one publication on the host, the page first if this sender has not yet.
    async fn publish(
        &self,
        destination: i64,
        target: &PublicTarget,
        publication: Publication,
    ) -> Result<(), SendError> {
        let page_up = self
            .pages
            .lock()
            .map(|pages| pages.contains(&destination))
            .unwrap_or(false);
        if !page_up {
            sealed_status::publish_page(target)
                .await
                .map_err(|e| host_error(&e))?;
            if let Ok(mut pages) = self.pages.lock() {
                pages.insert(destination);
            }
        }
        match publication {
            Publication::Blob(blob) => sealed_status::deliver(target, &blob).await,
            Publication::Withdraw(name) => sealed_status::delete(target, &name).await,
        }
        .map_err(|e| host_error(&e))
    }

    /// Deletes from the host the statuses of dossiers handed over more than the
    /// `public-status-keep-days` ago, in order of hand-over from where the last sweep (of any
    /// desk) stopped. A running sender sweeps at most hourly; `outbox run --once` each time.
    /// A failure stops the sweep where it is, to resume at the next one.
    async fn sweep(
        &self,
        destination: &Destination,
        honour_backoff: bool,
        report: &mut PassReport,
    ) -> CoreResult<()> {
        let now = (self.clock)();
        let last = self
            .swept
            .lock()
            .ok()
            .and_then(|swept| swept.get(&destination.id).copied());
        if honour_backoff && last.is_some_and(|at| now - at < SWEEP_EVERY) {
            return Ok(());
        }
        if let Ok(mut swept) = self.swept.lock() {
            swept.insert(destination.id, now);
        }
        let Ok((target, keys)) = self.public_target(destination).await? else {
            // Said already by the pass over its messages.
            return Ok(());
        };
        let until = now - Duration::days(self.store.public_status_keep_days().await?);
        // A dossier handed over before the destination existed was never published.
        let mut from = self
            .store
            .swept_until(destination.id)
            .await?
            .max(destination.created_at);
        while from < until {
            let batch = self
                .store
                .handed_over_between(from, until, SWEEP_BATCH)
                .await?;
            let full = i64::try_from(batch.len()).unwrap_or(i64::MAX) >= SWEEP_BATCH;
            for (code, at) in &batch {
                let withdraw = Publication::Withdraw(keys.name(code));
                if let Err(e) = self.publish(destination.id, &target, withdraw).await {
                    self.store.set_swept_until(destination.id, *at).await?;
                    report.first_error.get_or_insert(e);
                    return Ok(());
                }
            }
            from = match batch.last() {
                // A batch ending inside one millisecond's hand-overs would be read again.
                Some((_, at)) if full && *at > from => *at,
                Some((_, at)) if full => *at + Duration::milliseconds(1),
                _ => until,
            };
            self.store.set_swept_until(destination.id, from).await?;
        }
        Ok(())
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

/// One message appended to a drop folder, off the async threads (it fsyncs).
async fn deliver_to_folder(destination: &Destination, message: &Message) -> Result<(), SendError> {
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

/// The host's refusal as the outbox keeps it: in both languages, with whether to retry.
fn host_error(e: &PublishError) -> SendError {
    SendError::PublicHost {
        vi: e.message(Lang::Vi),
        en: e.message(Lang::En),
        retry: e.retry(),
    }
}
