//! The citizens' status page: a small read-only web server on the office network, over the
//! same database as the desks. The QR on a receipt can open `/d/{code}?k={tag}` (the
//! `lookup-url` setting); `/kiosk` is the waiting room's screen. Nothing here writes to the
//! database, and the request log carries no code, tag, name or client address.
//! `connections.rs` bounds the open connections and the time a request may take to arrive.

mod connections;
mod html;
mod limit;
mod pages;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{ConnectInfo, Path, Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use motcua_core::i18n::Lang;
use motcua_core::slip;
use motcua_core::store::{Store, CONTACT};
use motcua_core::vntime;
use serde::Deserialize;
use tokio::net::TcpListener;

use connections::{Bounded, Peer};
pub use limit::DEFAULT_PER_MINUTE;
use pages::{KioskAnswer, Office, Screen};

/// Where `motcua serve` listens when neither `--bind` nor the `status-server` setting says.
pub const DEFAULT_BIND: &str = "0.0.0.0:8080";

/// At most this many codes in the waiting room's list.
const READY_LIST_LIMIT: usize = 60;

#[derive(Clone)]
struct Shared {
    store: Store,
    limiter: Arc<limit::RateLimiter>,
}

/// The web application, for a server or a test.
pub fn router(store: Store, per_minute: u32) -> Router {
    let shared = Shared {
        store,
        limiter: Arc::new(limit::RateLimiter::new(per_minute)),
    };
    Router::new()
        .route("/", get(phone))
        .route("/kiosk", get(kiosk))
        .route("/d/{code}", get(status))
        .fallback(fallback)
        .layer(middleware::from_fn_with_state(shared.clone(), guard))
        .with_state(shared)
}

/// Binds `addr` and serves until `shutdown` completes.
pub async fn serve(
    store: Store,
    addr: SocketAddr,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let listener = TcpListener::bind(addr).await?;
    serve_on(listener, store, DEFAULT_PER_MINUTE, shutdown).await
}

/// Serves on a bound listener (its address is known before the first request, which is how
/// `motcua serve --bind 127.0.0.1:0` can say which port it got).
pub async fn serve_on(
    listener: TcpListener,
    store: Store,
    per_minute: u32,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(store, per_minute);
    axum::serve(
        Bounded::new(listener),
        app.into_make_service_with_connect_info::<Peer>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// Starts the server beside the desk window when this desk's `status-server` setting names
/// an address; it runs until the window closes. Problems are reported on stderr and never
/// stop the desk.
pub fn start_in_background(store: &Store, desk: String) {
    let store = store.clone();
    tauri::async_runtime::spawn(async move {
        let addr = match store.status_server(&desk).await {
            Ok(Some(addr)) => addr,
            Ok(None) => return,
            Err(e) => {
                eprintln!("motcua: status-server: {}", e.message(Lang::En));
                return;
            }
        };
        if let Err(e) = serve(store, addr, std::future::pending()).await {
            eprintln!("motcua: status page on {addr}: {e}");
        }
    });
}

#[derive(Debug, Default, Deserialize)]
struct Params {
    k: Option<String>,
    q: Option<String>,
    lang: Option<String>,
}

impl Params {
    fn read(query: Result<Query<Params>, QueryRejection>) -> Params {
        query.map(|Query(p)| p).unwrap_or_default()
    }

    fn lang(&self) -> Lang {
        self.lang
            .as_deref()
            .and_then(Lang::parse)
            .unwrap_or_default()
    }
}

/// The language asked for in a raw query string, for pages answered before routing.
fn lang_of(query: Option<&str>) -> Lang {
    query
        .into_iter()
        .flat_map(|q| q.split('&'))
        .filter_map(|pair| pair.strip_prefix("lang="))
        .find_map(Lang::parse)
        .unwrap_or_default()
}

/// The route a path belongs to, as logged: never the code itself.
fn route_of(path: &str) -> &'static str {
    match path {
        "/" => "/",
        "/kiosk" => "/kiosk",
        p if p.starts_with("/d/") => "/d/{code}",
        _ => "(other)",
    }
}

/// Every request: the rate limit, the headers every page carries, and one log line.
async fn guard(
    State(shared): State<Shared>,
    ConnectInfo(Peer(peer)): ConnectInfo<Peer>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = route_of(request.uri().path());
    let mut response = match shared.limiter.check(peer.ip(), started) {
        Ok(()) => next.run(request).await,
        Err(wait) => {
            let lang = lang_of(request.uri().query());
            let mut r =
                (StatusCode::TOO_MANY_REQUESTS, Html(pages::too_many(lang))).into_response();
            let seconds = wait.as_secs().saturating_add(1);
            if let Ok(v) = HeaderValue::from_str(&seconds.to_string()) {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            r
        }
    };
    let headers = response.headers_mut();
    for (name, value) in [
        // A status changes, and a shared phone should not keep someone's dossier.
        (header::CACHE_CONTROL, "no-store"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        // The page's URL holds the slip's tag: it must not travel anywhere.
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    eprintln!(
        "{} {} {} {} {}ms",
        vntime::rfc3339_vn(vntime::now()),
        method,
        route,
        response.status().as_u16(),
        started.elapsed().as_millis()
    );
    response
}

/// The office as it is named now, for pages that show no dossier.
async fn office(store: &Store) -> Office {
    let agency = store.agency().await.ok();
    Office {
        governing_body: agency
            .as_ref()
            .map(|a| a.governing_body.clone())
            .unwrap_or_default(),
        unit: agency.map(|a| a.unit).unwrap_or_default(),
        contact: store
            .get_setting(CONTACT)
            .await
            .ok()
            .flatten()
            .unwrap_or_default(),
    }
}

fn html(status: StatusCode, body: String) -> Response {
    (status, Html(body)).into_response()
}

fn failure(lang: Lang, e: &motcua_core::CoreError) -> Response {
    // The kind only: a database message may quote data.
    eprintln!("motcua serve: {}", e.kind());
    html(StatusCode::INTERNAL_SERVER_ERROR, pages::error(lang))
}

async fn status(
    State(shared): State<Shared>,
    code: Result<Path<String>, PathRejection>,
    query: Result<Query<Params>, QueryRejection>,
) -> Response {
    let params = Params::read(query);
    let lang = params.lang();
    let code = code.map(|Path(c)| c).unwrap_or_default();
    let tag = params.k.unwrap_or_default();
    match shared.store.public_status(&code, &tag).await {
        Ok(Some(s)) => html(StatusCode::OK, pages::status(&s, &tag, lang, vntime::now())),
        Ok(None) => html(
            StatusCode::NOT_FOUND,
            pages::not_found(lang, &office(&shared.store).await),
        ),
        Err(e) => failure(lang, &e),
    }
}

async fn phone(state: State<Shared>, query: Result<Query<Params>, QueryRejection>) -> Response {
    lookup(state, Screen::Phone, Params::read(query)).await
}

async fn kiosk(state: State<Shared>, query: Result<Query<Params>, QueryRejection>) -> Response {
    lookup(state, Screen::Kiosk, Params::read(query)).await
}

async fn lookup(State(shared): State<Shared>, screen: Screen, params: Params) -> Response {
    let lang = params.lang();
    let store = &shared.store;
    let ready = match store.ready_to_collect(READY_LIST_LIMIT).await {
        Ok(codes) => codes,
        Err(e) => return failure(lang, &e),
    };
    let asked = params.q.as_deref().map(str::trim).unwrap_or_default();
    let answer = if asked.is_empty() {
        KioskAnswer::Blank
    } else {
        match slip::parse_scan(asked) {
            Some(slip::Scanned {
                code,
                tag: Some(tag),
            }) => match store.public_status(&code, &tag).await {
                Ok(Some(s)) => KioskAnswer::Status(Box::new(s)),
                Ok(None) => KioskAnswer::NotFound,
                Err(e) => return failure(lang, &e),
            },
            Some(slip::Scanned { code, tag: None }) => {
                if ready.contains(&code) {
                    KioskAnswer::Ready(code)
                } else {
                    KioskAnswer::ScanQr
                }
            }
            None => KioskAnswer::NotFound,
        }
    };
    let office = office(store).await;
    html(
        StatusCode::OK,
        pages::lookup(screen, lang, &office, &answer, &ready, vntime::now()),
    )
}

async fn fallback(
    State(shared): State<Shared>,
    query: Result<Query<Params>, QueryRejection>,
) -> Response {
    let lang = Params::read(query).lang();
    html(
        StatusCode::NOT_FOUND,
        pages::not_found(lang, &office(&shared.store).await),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logged_routes_never_carry_a_code() {
        assert_eq!(route_of("/d/000.00.14.H56-270303-0001"), "/d/{code}");
        assert_eq!(route_of("/kiosk"), "/kiosk");
        assert_eq!(route_of("/nguyen-van-an"), "(other)");
    }

    #[test]
    fn the_language_comes_from_the_query() {
        assert_eq!(lang_of(Some("k=ABC&lang=en")), Lang::En);
        assert_eq!(lang_of(Some("lang=xx")), Lang::Vi);
        assert_eq!(lang_of(None), Lang::Vi);
    }
}
