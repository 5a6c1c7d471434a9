//! serve: the citizens' status page on the office network, with the outbox's sender
//! beside it.

use clap::Args;
use motcua_core::error::Problem;
use motcua_core::i18n::tf;
use motcua_core::outbox::sender::Sender;
use motcua_core::store::{parse_listen_address, Store};
use motcua_core::CoreError;

use crate::context::Global;
use crate::serve;

#[derive(Debug, Args)]
#[command(
    after_help = "The receipt's QR opens the page when the lookup URL points here:\n  motcua settings set lookup-url 'http://192.168.1.10:8080/d/{code}?k={tag}'\nThe waiting room's screen shows http://ADDR:PORT/kiosk.\nEach client may hold 16 connections open (256 in all) and must send a whole request within 10 seconds; more are closed."
)]
pub struct ServeArgs {
    /// Address and port to listen on [default: this desk's status-server setting, else
    /// 0.0.0.0:8080]
    #[arg(long, value_name = "ADDR:PORT")]
    pub bind: Option<String>,
    /// Requests each client may make per minute before it is asked to wait
    #[arg(long, value_name = "N", default_value_t = serve::DEFAULT_PER_MINUTE,
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub rate_limit: u32,
}

pub async fn run(global: &Global, store: &Store, args: ServeArgs) -> Result<(), CoreError> {
    let addr = match args.bind.as_deref() {
        Some(bind) => parse_listen_address("bind", bind)?,
        None => match store.status_server(&global.desk_name()).await? {
            Some(addr) => addr,
            None => parse_listen_address("bind", serve::DEFAULT_BIND)?,
        },
    };
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
        CoreError::invalid(
            "bind",
            Problem::Invalid {
                detail: format!("{addr}: {e}"),
            },
        )
    })?;
    let bound = listener.local_addr().unwrap_or(addr);
    outln!(
        "{}",
        tf(
            global.lang(),
            "public.listening",
            &[("url", &format!("http://{bound}"))]
        )
    );
    // The outbox's sender runs beside the page, as long as it does.
    let (stop_sender, stop) = tokio::sync::watch::channel(false);
    let sender = Sender::new(store.clone(), global.desk_name());
    let stop_texts = stop.clone();
    let sending = tokio::spawn(async move { sender.run(stop).await });
    // So does the text layers' worker, resting while Tesseract is missing.
    let texts = store.clone();
    let actor = global.actor();
    let reading = tokio::spawn(async move { texts.run_text_layers(actor, stop_texts).await });
    let served = serve::serve_on(listener, store.clone(), args.rate_limit, stopped()).await;
    // A sender stopped in the middle of a delivery loses nothing (the message stays until
    // acknowledged): the service stops at once rather than after a slow destination.
    let _ = stop_sender.send(true);
    sending.abort();
    reading.abort();
    served.map_err(|e| {
        CoreError::invalid(
            "bind",
            Problem::Invalid {
                detail: format!("{bound}: {e}"),
            },
        )
    })
}

/// Ctrl+C, or SIGTERM from a service manager.
async fn stopped() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
