//! What keeps the server safe on a company network: a request id on every
//! request and in its log line, a time limit per request, a limit on how
//! often one address may change saved scenarios, and security headers on
//! every answer (a Content-Security-Policy the hydrated pages run under).

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tracing::Instrument as _;

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

/// Writes per client address: a bucket that refills at a steady rate.
#[derive(Debug)]
pub struct WriteLimiter {
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    trusted_proxies: Vec<IpAddr>,
    /// Writes allowed per minute; 0 turns the limit off.
    per_minute: u32,
    /// Writes allowed at once after a quiet spell.
    burst: f64,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Addresses remembered before full buckets are forgotten.
const REMEMBERED: usize = 10_000;

impl WriteLimiter {
    /// `per_minute` writes a minute per address (0: no limit), up to
    /// `burst` at once.
    pub fn new(per_minute: u32, burst: u32) -> Self {
        WriteLimiter {
            trusted_proxies: Vec::new(),
            per_minute,
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// The same limiter behind the reverse proxies `trusted`.
    pub fn behind(mut self, trusted: Vec<IpAddr>) -> Self {
        self.trusted_proxies = trusted;
        self
    }

    /// The client's address: the peer's, or, when the peer is a trusted
    /// proxy, the nearest address in `X-Forwarded-For` that is not one
    /// (read from the right: the proxies append, a client can only
    /// prepend). A header that does not parse leaves the peer's.
    pub fn client(&self, peer: IpAddr, forwarded_for: Option<&str>) -> IpAddr {
        if !self.trusted_proxies.contains(&peer) {
            return peer;
        }
        let Some(header) = forwarded_for else {
            return peer;
        };
        let mut client = peer;
        for hop in header.rsplit(',') {
            match hop.trim().parse::<IpAddr>() {
                Ok(address) if self.trusted_proxies.contains(&address) => client = address,
                Ok(address) => return address,
                Err(_) => return client,
            }
        }
        client
    }

    /// Takes one write for `address` at `now`, or says how many seconds
    /// until the next is allowed.
    pub fn take(&self, address: IpAddr, now: Instant) -> Result<(), u64> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let rate = f64::from(self.per_minute) / 60.0;
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if buckets.len() >= REMEMBERED {
            let burst = self.burst;
            buckets.retain(|_, b| {
                b.tokens + now.saturating_duration_since(b.at).as_secs_f64() * rate < burst
            });
        }
        let bucket = buckets.entry(address).or_insert(Bucket {
            tokens: self.burst,
            at: now,
        });
        let refilled = (bucket.tokens
            + now.saturating_duration_since(bucket.at).as_secs_f64() * rate)
            .min(self.burst);
        if refilled >= 1.0 {
            *bucket = Bucket {
                tokens: refilled - 1.0,
                at: now,
            };
            Ok(())
        } else {
            *bucket = Bucket {
                tokens: refilled,
                at: now,
            };
            Err(((1.0 - refilled) / rate).ceil().max(1.0) as u64)
        }
    }
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
        let address = limiter.client(peer, forwarded);
        if let Err(retry_after_s) = limiter.take(address, Instant::now()) {
            tracing::warn!(%address, retry_after_s, "write refused: rate limit");
            return HttpError::TooManyRequests { retry_after_s }.into_response();
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
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(DOCUMENT_POLICY),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_allowed_then_writes_wait_for_the_refill() {
        let limiter = WriteLimiter::new(60, 3);
        let start = Instant::now();
        let me: IpAddr = "10.0.0.1".parse().unwrap();
        for _ in 0..3 {
            assert_eq!(limiter.take(me, start), Ok(()));
        }
        // One a second at 60 a minute.
        assert_eq!(limiter.take(me, start), Err(1));
        assert_eq!(
            limiter.take(me, start + Duration::from_millis(1_000)),
            Ok(())
        );
        // Another address has its own bucket.
        assert_eq!(limiter.take("10.0.0.2".parse().unwrap(), start), Ok(()));
    }

    #[test]
    fn the_client_is_read_from_x_forwarded_for_only_behind_a_trusted_proxy() {
        let ip = |t: &str| t.parse::<IpAddr>().unwrap();
        let limiter = WriteLimiter::new(60, 3).behind(vec![ip("10.0.0.5"), ip("10.0.0.6")]);
        // Straight from a client: its header is its own word, ignored.
        assert_eq!(
            limiter.client(ip("203.0.113.9"), Some("198.51.100.1")),
            ip("203.0.113.9")
        );
        // Through the proxy: the address it appended.
        assert_eq!(
            limiter.client(ip("10.0.0.5"), Some("198.51.100.1")),
            ip("198.51.100.1")
        );
        // A client prepending a forged address gets the one the proxy saw;
        // a chain of trusted proxies is walked through.
        assert_eq!(
            limiter.client(ip("10.0.0.5"), Some("1.2.3.4, 198.51.100.1, 10.0.0.6")),
            ip("198.51.100.1")
        );
        // Without the header, or with one that does not parse: the proxy.
        assert_eq!(limiter.client(ip("10.0.0.5"), None), ip("10.0.0.5"));
        assert_eq!(
            limiter.client(ip("10.0.0.5"), Some("not an address")),
            ip("10.0.0.5")
        );
        // Every hop trusted: the farthest.
        assert_eq!(
            limiter.client(ip("10.0.0.5"), Some("10.0.0.6")),
            ip("10.0.0.6")
        );
    }

    #[test]
    fn zero_turns_the_limit_off() {
        let limiter = WriteLimiter::new(0, 1);
        let now = Instant::now();
        for _ in 0..1_000 {
            assert_eq!(limiter.take(IpAddr::V4(Ipv4Addr::LOCALHOST), now), Ok(()));
        }
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
