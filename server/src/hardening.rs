//! What keeps the server safe on a company network: a request id on every
//! request and in its log line, a time limit per request, a limit on how
//! often one address may change saved scenarios (kept in the store, so
//! instances behind one load balancer share it), and security headers on
//! every answer (a Content-Security-Policy the hydrated pages run under).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tracing::Instrument as _;

use crate::db::{Db, WriteLimit};
use crate::error::HttpError;

/// Header carrying the request id, in and out.
pub static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// A fresh id for a request that came without one: a random prefix drawn
/// once per process and a counter, so ids never repeat within a run and
/// rarely across runs, without a system call per request.
pub fn new_request_id() -> String {
    static PREFIX: LazyLock<u32> = LazyLock::new(|| {
        let mut bytes = [0u8; 4];
        // Without randomness the prefix is the start time; ids stay unique
        // within the run either way.
        if getrandom::fill(&mut bytes).is_err() {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            bytes = nanos.to_be_bytes();
        }
        u32::from_be_bytes(bytes)
    });
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    format!(
        "{:08x}{:08x}",
        *PREFIX,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// Keeps a request id the client sent (if short and printable) or makes
/// one, logs the request with it, and returns it on the answer.
pub async fn request_id(mut request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_graphic()))
        .map_or_else(new_request_id, str::to_owned);
    let value = HeaderValue::from_str(&id).unwrap_or(HeaderValue::from_static("invalid"));
    request
        .headers_mut()
        .insert(REQUEST_ID.clone(), value.clone());
    let span = tracing::info_span!(
        "request",
        id = %id,
        method = %request.method(),
        path = %request.uri().path()
    );
    let started = Instant::now();
    let mut response = next.run(request).instrument(span.clone()).await;
    let status = response.status().as_u16();
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    span.in_scope(|| {
        if status >= 500 {
            tracing::warn!(status, elapsed_ms, "answered");
        } else {
            tracing::info!(status, elapsed_ms, "answered");
        }
    });
    response.headers_mut().insert(REQUEST_ID.clone(), value);
    response
}

/// Stops a request that runs longer than `limit` with a 503 problem.
pub async fn time_limit(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => HttpError::Timeout {
            limit_s: limit.as_secs().max(1),
        }
        .into_response(),
    }
}

/// The write rate limit per client address. It is kept in the store, so
/// every instance on one database enforces one limit.
#[derive(Debug, Clone)]
pub struct WriteLimiter {
    db: Db,
    limit: WriteLimit,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    trusted_proxies: Vec<IpAddr>,
}

impl WriteLimiter {
    /// `limit` per client of `db`, reading the client behind `trusted_proxies`.
    pub fn new(db: Db, limit: WriteLimit, trusted_proxies: Vec<IpAddr>) -> Self {
        WriteLimiter {
            db,
            limit,
            trusted_proxies,
        }
    }

    /// Takes one write for `address`, or refuses it: 429 with the seconds
    /// until the next is allowed, or 503 when the store does not answer
    /// (the write needs it anyway). Any other failure of the store lets
    /// the write go on, unlimited, with a warning.
    async fn take(&self, address: IpAddr) -> Result<(), HttpError> {
        let now_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        match self
            .db
            .take_write(&address.to_string(), self.limit, now_ms)
            .await
        {
            Ok(Ok(())) => Ok(()),
            Ok(Err(retry_after_s)) => {
                tracing::warn!(%address, retry_after_s, "write refused: rate limit");
                Err(HttpError::TooManyRequests { retry_after_s })
            }
            Err(e) if e.is_unavailable() => Err(e.into()),
            Err(e) => {
                tracing::warn!(error = %e, "write limit not checked: the store failed");
                Ok(())
            }
        }
    }
}

/// The client's address: the peer's, or, when the peer is one of the
/// `trusted` proxies, the nearest address in `X-Forwarded-For` that is not
/// one (read from the right: the proxies append, a client can only
/// prepend). A header that does not parse leaves the peer's.
pub fn client_address(trusted: &[IpAddr], peer: IpAddr, forwarded_for: Option<&str>) -> IpAddr {
    // A dual-stack listener sees IPv4 peers as `::ffff:a.b.c.d`.
    let trusted = |address: &IpAddr| trusted.iter().any(|t| t.to_canonical() == *address);
    let peer = peer.to_canonical();
    if !trusted(&peer) {
        return peer;
    }
    let Some(header) = forwarded_for else {
        return peer;
    };
    let mut client = peer;
    for hop in header.rsplit(',') {
        match hop.trim().parse::<IpAddr>().map(|a| a.to_canonical()) {
            Ok(address) if trusted(&address) => client = address,
            Ok(address) => return address,
            Err(_) => return client,
        }
    }
    client
}

/// Whether `request` changes saved scenarios.
fn is_write(request: &Request) -> bool {
    request.uri().path().starts_with("/api/v1/scenarios")
        && matches!(
            *request.method(),
            Method::POST | Method::PUT | Method::DELETE | Method::PATCH
        )
}

/// Refuses a write with 429 when its address has written too often.
pub async fn limit_writes(
    State(limiter): State<std::sync::Arc<WriteLimiter>>,
    request: Request,
    next: Next,
) -> Response {
    if is_write(&request) {
        let peer = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
        let forwarded = request
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok());
        let address = client_address(&limiter.trusted_proxies, peer, forwarded);
        if let Err(refused) = limiter.take(address).await {
            return refused.into_response();
        }
    }
    next.run(request).await
}

/// Gives the bare errors axum answers by itself (a method the path does not
/// answer) a problem body like every other error, naming what the path
/// answers. axum drops its own `Allow` header under router-wide layers, so
/// it comes from the documented operations (pages answer GET).
pub async fn bare_errors_as_problems(request: Request, next: Next) -> Response {
    let method = request.method().to_string();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    if response.status() != axum::http::StatusCode::METHOD_NOT_ALLOWED
        || response.headers().contains_key(header::CONTENT_TYPE)
    {
        return response;
    }
    let mut allowed: Vec<String> = crate::api::OPERATIONS
        .iter()
        .filter(|op| template_matches(op.path, &path))
        .map(|op| op.method.to_string())
        .collect();
    if allowed.is_empty() {
        allowed.push("GET".to_owned());
    }
    if allowed.iter().any(|m| m == "GET") {
        allowed.push("HEAD".to_owned());
    }
    let allowed = allowed.join(", ");
    let mut problem = HttpError::MethodNotAllowed {
        method,
        allowed: allowed.clone(),
    }
    .into_response();
    if let Ok(value) = HeaderValue::from_str(&allowed) {
        problem.headers_mut().insert(header::ALLOW, value);
    }
    problem
}

/// Whether `path` fits the route `template` (`{name}` matches one segment).
fn template_matches(template: &str, path: &str) -> bool {
    let (mut t, mut p) = (template.split('/'), path.split('/'));
    loop {
        match (t.next(), p.next()) {
            (None, None) => return true,
            (Some(want), Some(got)) if want.starts_with('{') || want == got => {}
            _ => return false,
        }
    }
}

/// 404 for a path under `/api/` that no route serves.
pub async fn api_not_found(request: Request) -> HttpError {
    HttpError::NotFound {
        message: format!(
            "no API route {} {}; the routes are listed at /api/v1/openapi.json and /api/docs",
            request.method(),
            request.uri().path()
        ),
        field: None,
    }
}

/// A panic in a handler, answered as a 500 problem instead of a dropped
/// connection.
pub fn panic_as_problem(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default();
    HttpError::Internal(format!("handler panicked: {detail}")).into_response()
}

/// The policy for pages: scripts only from here or carrying `nonce`
/// (Leptos' hydration script), WebAssembly allowed to compile, nothing
/// framed, no plugins, forms and fetches to this origin only.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The policy for anything else: nothing runs; an SVG keeps its own style.
const DOCUMENT_POLICY: &str = "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// The policy for an HTML page with no nonce of its own (the API docs, the
/// accuracy page, error pages): the site's own scripts only, for the theme.
const STATIC_PAGE_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// Adds the security headers every answer carries; a page that set its
/// own policy (with its nonce) keeps it.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        let html = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
        let policy = if html {
            STATIC_PAGE_POLICY
        } else {
            DOCUMENT_POLICY
        };
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(policy),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_is_read_from_x_forwarded_for_only_behind_a_trusted_proxy() {
        let ip = |t: &str| t.parse::<IpAddr>().unwrap();
        let trusted = [ip("10.0.0.5"), ip("10.0.0.6")];
        let client = |peer, header| client_address(&trusted, ip(peer), header);
        // Straight from a client: its header is its own word, ignored.
        assert_eq!(
            client("203.0.113.9", Some("198.51.100.1")),
            ip("203.0.113.9")
        );
        // Through the proxy: the address it appended.
        assert_eq!(client("10.0.0.5", Some("198.51.100.1")), ip("198.51.100.1"));
        // A client prepending a forged address gets the one the proxy saw;
        // a chain of trusted proxies is walked through.
        assert_eq!(
            client("10.0.0.5", Some("1.2.3.4, 198.51.100.1, 10.0.0.6")),
            ip("198.51.100.1")
        );
        // Without the header, or with one that does not parse: the proxy.
        assert_eq!(client("10.0.0.5", None), ip("10.0.0.5"));
        assert_eq!(client("10.0.0.5", Some("not an address")), ip("10.0.0.5"));
        // An IPv4 proxy seen through a dual-stack listener is still trusted.
        assert_eq!(
            client("::ffff:10.0.0.5", Some("198.51.100.1")),
            ip("198.51.100.1")
        );
        // Every hop trusted: the farthest.
        assert_eq!(client("10.0.0.5", Some("10.0.0.6")), ip("10.0.0.6"));
    }

    #[tokio::test]
    async fn a_request_over_the_time_limit_is_stopped_with_a_503_problem() {
        use tower::ServiceExt as _;
        let slow = axum::Router::new()
            .route(
                "/slow",
                axum::routing::get(|| async {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    "late"
                }),
            )
            .layer(axum::middleware::from_fn_with_state(
                Duration::from_millis(20),
                time_limit,
            ));
        let request = axum::http::Request::get("/slow")
            .body(axum::body::Body::empty())
            .unwrap();
        let response = slow.oneshot(request).await.unwrap();
        assert_eq!(
            response.status(),
            axum::http::StatusCode::SERVICE_UNAVAILABLE
        );
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            crate::error::PROBLEM_JSON
        );
    }

    #[test]
    fn a_path_fits_its_route_template_segment_by_segment() {
        assert!(template_matches(
            "/api/v1/scenarios/{id}",
            "/api/v1/scenarios/abc"
        ));
        assert!(!template_matches(
            "/api/v1/scenarios/{id}",
            "/api/v1/scenarios/abc/csv"
        ));
        assert!(!template_matches(
            "/api/v1/scenarios/{id}",
            "/api/v1/scenarios"
        ));
        assert!(template_matches("/healthz", "/healthz"));
    }

    #[test]
    fn request_ids_are_16_hex_digits_and_differ() {
        let (a, b) = (new_request_id(), new_request_id());
        assert_eq!(a.len(), 16);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
