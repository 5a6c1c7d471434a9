//! Open connections, bounded: at most `PER_CLIENT` from one client and `TOTAL` in all (one
//! more is closed as soon as it is accepted), and none may take longer than `HEADER_TIMEOUT`
//! to send a request, counted from its opening or from the end of the previous answer.
//! Without these a phone holding a thousand half-sent requests would use up the process's
//! file descriptors, and with the desk window running the server, the desk itself.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::connect_info::Connected;
use axum::serve::{IncomingStream, Listener};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::{sleep, Instant, Sleep};

use super::limit::Client;

/// Connections one client may hold open: a phone, or a waiting-room screen, needs a few.
pub const PER_CLIENT: usize = 16;
/// Connections open at once in all; well below the usual limit of 1,024 file descriptors.
pub const TOTAL: usize = 256;
/// How long a client has to send a whole request.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Who is connected, by client.
#[derive(Debug, Default)]
struct Counts {
    by_client: HashMap<Client, usize>,
    total: usize,
}

/// A listener that keeps to the limits above.
pub struct Bounded {
    listener: TcpListener,
    counts: Arc<Mutex<Counts>>,
    per_client: usize,
    total: usize,
    header_timeout: Duration,
}

impl Bounded {
    pub fn new(listener: TcpListener) -> Bounded {
        Bounded {
            listener,
            counts: Arc::default(),
            per_client: PER_CLIENT,
            total: TOTAL,
            header_timeout: HEADER_TIMEOUT,
        }
    }

    /// Takes a place for `client`, or `None` when it or the server is full.
    fn admit(&self, client: Client) -> Option<Place> {
        let mut counts = lock(&self.counts);
        let mine = counts.by_client.get(&client).copied().unwrap_or(0);
        if mine >= self.per_client || counts.total >= self.total {
            return None;
        }
        counts.by_client.insert(client, mine + 1);
        counts.total += 1;
        Some(Place {
            counts: Arc::clone(&self.counts),
            client,
        })
    }
}

// A poisoned lock only means a connection panicked while counting; the counts stand.
fn lock(counts: &Mutex<Counts>) -> std::sync::MutexGuard<'_, Counts> {
    counts
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A connection's place in the counts, given back when the connection ends.
#[derive(Debug)]
struct Place {
    counts: Arc<Mutex<Counts>>,
    client: Client,
}

impl Drop for Place {
    fn drop(&mut self) {
        let mut counts = lock(&self.counts);
        counts.total = counts.total.saturating_sub(1);
        if let Some(n) = counts.by_client.get_mut(&self.client) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                counts.by_client.remove(&self.client);
            }
        }
    }
}

impl Listener for Bounded {
    type Io = Guarded;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Guarded, SocketAddr) {
        loop {
            let (stream, peer) = match self.listener.accept().await {
                Ok(accepted) => accepted,
                Err(_) => {
                    // Out of descriptors or a connection reset before it was taken: wait a
                    // moment rather than spin (as axum's own listener does).
                    sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            // Over the limit: dropped at once, which closes it.
            let Some(place) = self.admit(Client::of(peer.ip())) else {
                continue;
            };
            let guarded = Guarded {
                stream,
                _place: place,
                timeout: self.header_timeout,
                deadline: Box::pin(sleep(self.header_timeout)),
            };
            return (guarded, peer);
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }
}

/// The client's address, as the request guard sees it.
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub SocketAddr);

impl Connected<IncomingStream<'_, Bounded>> for Peer {
    fn connect_info(stream: IncomingStream<'_, Bounded>) -> Self {
        Peer(*stream.remote_addr())
    }
}

/// An accepted connection: reading fails once the client has taken too long to send a
/// request, which makes the server close it.
pub struct Guarded {
    stream: TcpStream,
    _place: Place,
    timeout: Duration,
    /// Moved on each time an answer is written: the next request's time starts then.
    deadline: Pin<Box<Sleep>>,
}

impl AsyncRead for Guarded {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.deadline.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Err(io::ErrorKind::TimedOut.into()));
        }
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Guarded {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let written = Pin::new(&mut self.stream).poll_write(cx, buf);
        if matches!(written, Poll::Ready(Ok(n)) if n > 0) {
            let next = Instant::now() + self.timeout;
            self.deadline.as_mut().reset(next);
        }
        written
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let written = Pin::new(&mut self.stream).poll_write_vectored(cx, bufs);
        if matches!(written, Poll::Ready(Ok(n)) if n > 0) {
            let next = Instant::now() + self.timeout;
            self.deadline.as_mut().reset(next);
        }
        written
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn places_are_counted_per_client_and_in_all_and_given_back() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut bounded = Bounded::new(listener);
        bounded.per_client = 2;
        bounded.total = 3;
        let a = Client::of("10.0.0.1".parse().unwrap());
        let b = Client::of("10.0.0.2".parse().unwrap());
        let first = bounded.admit(a).unwrap();
        let _second = bounded.admit(a).unwrap();
        assert!(bounded.admit(a).is_none(), "a third from one client");
        let _other = bounded.admit(b).unwrap();
        assert!(bounded.admit(b).is_none(), "a fourth in all");
        drop(first);
        let again = bounded.admit(a);
        assert!(again.is_some(), "a place given back is taken again");
        assert_eq!(lock(&bounded.counts).total, 3);
        drop(again);
        assert_eq!(lock(&bounded.counts).total, 2);
    }
}
