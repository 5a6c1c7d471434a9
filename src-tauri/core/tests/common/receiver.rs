//! A webhook receiver on loopback for the outbox's tests (the domain binary and the desk
//! binary both include this file): plain HTTP/1.1 over tokio, one request per connection.
//! It checks each message's HMAC signature, counts every key once (duplicates on the wire
//! are allowed, effects are not) and remembers, per dossier, the order in which new keys
//! arrived. It can be told to misbehave on a share of the requests: answer 500, hang past
//! the sender's timeout, or drop the connection without answering.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hmac::{Hmac, Mac};
use rand::{Rng, SeedableRng};
use sha2::Sha256;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Default, Debug)]
pub struct Received {
    /// Keys applied, in the order they were first applied.
    pub keys: Vec<String>,
    pub applied: BTreeSet<String>,
    /// Per dossier code, the `seq` of each newly applied message, in arrival order.
    pub seqs: BTreeMap<String, Vec<i64>>,
    /// Every message applied, by key.
    pub messages: BTreeMap<String, serde_json::Value>,
    /// Requests seen on the wire, duplicates included.
    pub requests: u64,
    pub duplicates: u64,
    pub bad_signatures: u64,
    /// Messages whose body key differed from the Idempotency-Key header.
    pub key_mismatches: u64,
}

pub struct Receiver {
    pub port: u16,
    pub received: Arc<Mutex<Received>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// How the receiver treats a share of the requests.
#[derive(Clone, Copy)]
pub struct Trouble {
    /// Out of 1000 requests, how many fail (split evenly between 500, hang and drop).
    pub per_mille: u32,
    /// How long a hanging answer hangs.
    pub hang: Duration,
    pub seed: u64,
}

impl Trouble {
    pub fn none() -> Trouble {
        Trouble {
            per_mille: 0,
            hang: Duration::from_secs(0),
            seed: 0,
        }
    }
}

/// Starts a receiver on `port` (0: any free port) checking signatures with `secret`.
pub async fn start(port: u16, secret: &str, trouble: Trouble) -> Receiver {
    let listener = TcpListener::bind(("127.0.0.1", port)).await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(Mutex::new(Received::default()));
    let state = received.clone();
    let secret = secret.to_string();
    let rng = Arc::new(Mutex::new(rand::rngs::StdRng::seed_from_u64(trouble.seed)));
    let task = tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let (state, secret, rng) = (state.clone(), secret.clone(), rng.clone());
            tokio::spawn(async move {
                let roll: u32 = rng.lock().unwrap().gen_range(0..3000);
                let fate = if roll < trouble.per_mille * 3 {
                    roll % 3
                } else {
                    3
                };
                let _ = serve(stream, &state, &secret, fate, trouble.hang).await;
            });
        }
    });
    Receiver {
        port,
        received,
        task,
    }
}

/// One request: 0 answers 500, 1 applies it and then hangs without answering, 2 drops the
/// connection, 3 applies it and answers 200.
async fn serve(
    mut stream: TcpStream,
    state: &Mutex<Received>,
    secret: &str,
    fate: u32,
    hang: Duration,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let (head_end, length) = loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_string();
            let length = header(&head, "content-length")
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0);
            break (end + 4, length);
        }
    };
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let body = buf[head_end..head_end + length].to_vec();
    state.lock().unwrap().requests += 1;
    match fate {
        0 => {
            stream
                .write_all(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .await?;
            return Ok(());
        }
        2 => return Ok(()),
        _ => {}
    }
    let key = header(&head, "idempotency-key").unwrap_or_default();
    let signature = header(&head, "x-motcua-signature").unwrap_or_default();
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(&body);
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    {
        let mut r = state.lock().unwrap();
        if signature != format!("sha256={expected}") {
            r.bad_signatures += 1;
        } else {
            let message: serde_json::Value = serde_json::from_slice(&body).unwrap();
            if message["key"].as_str() != Some(key.as_str()) {
                r.key_mismatches += 1;
            }
            if r.applied.insert(key.clone()) {
                let code = message["code"].as_str().unwrap_or_default().to_string();
                let seq = message["seq"].as_i64().unwrap_or(0);
                r.seqs.entry(code).or_default().push(seq);
                r.keys.push(key.clone());
                r.messages.insert(key, message);
            } else {
                r.duplicates += 1;
            }
        }
    }
    if fate == 1 {
        // Applied, but the answer never comes in time: the sender must send it again, and
        // the key keeps it from being applied twice.
        tokio::time::sleep(hang).await;
        return Ok(());
    }
    stream
        .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        .await?;
    Ok(())
}

fn header(head: &str, name: &str) -> Option<String> {
    head.lines().find_map(|line| {
        let (k, v) = line.split_once(':')?;
        k.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().to_string())
    })
}
