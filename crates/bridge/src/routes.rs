//! One request in, one response out: the checks every request passes, then the four routes.
//!
//! Order of the checks: the `Host` header (DNS rebinding), then who is asking (`Origin`), then
//! the token, then the body (type, size, JSON). The handler is reached only past all of them.

use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt as _, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::{Method, Request, StatusCode};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::config::{BridgeConfig, is_extension_origin};
use crate::handler::{BridgeHandler, ClipPage};
use crate::pairing::{AskError, Pairings, Status};
use crate::reply::{self, Refusal, Reply, refuse};
use crate::tokens::TokenStore;

/// How long `GET /pair/{id}` waits for the user's answer before saying "pending".
const LONG_POLL: Duration = Duration::from_secs(20);

/// How long a request body may take to arrive.
const BODY_TIMEOUT: Duration = Duration::from_secs(60);

/// The longest extension name kept; longer ones are cut.
const MAX_NAME_CHARS: usize = 80;

/// What every request handler shares.
pub(crate) struct Shared {
    pub(crate) config: BridgeConfig,
    pub(crate) port: u16,
    pub(crate) tokens: Arc<TokenStore>,
    pub(crate) pairings: Pairings,
    pub(crate) handler: Arc<dyn BridgeHandler>,
    /// The web origins allowed to pair (normalised); the settings screen changes them while
    /// the service runs.
    pub(crate) web_origins: std::sync::RwLock<Vec<String>>,
}

impl Shared {
    /// Whether `origin` may ask to pair: an extension, or a web origin the user allowed.
    fn may_pair(&self, origin: &str) -> bool {
        is_extension_origin(origin)
            || self
                .web_origins
                .read()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .iter()
                .any(|o| o == origin)
    }

    fn is_paired(&self, origin: &str) -> bool {
        self.tokens.is_paired(origin).unwrap_or(false)
    }

    /// The origin CORS is granted to, if any: a paired origin everywhere; an origin that may
    /// pair, on the pairing routes (a bookmarklet must read its code before it has a token).
    fn cors_origin<'a>(&self, path: &str, origin: Option<&'a str>) -> Option<&'a str> {
        let origin = origin?;
        let pairing_route = path == "/ping" || path == "/pair" || path.starts_with("/pair/");
        (self.is_paired(origin) || (pairing_route && self.may_pair(origin))).then_some(origin)
    }
}

/// Answers one request.
pub(crate) async fn handle(shared: Arc<Shared>, req: Request<Incoming>) -> Reply {
    if !host_is_ours(req.headers(), shared.port) {
        let refusal = refuse(
            StatusCode::MISDIRECTED_REQUEST,
            "wrong_host",
            "This service answers only at 127.0.0.1 or localhost.",
        );
        return reply::finish(refusal.into_reply(), None);
    }
    let origin = header_str(req.headers(), header::ORIGIN).map(str::to_string);
    let path = req.uri().path().to_string();
    let cors = shared.cors_origin(&path, origin.as_deref());
    let reply = route(&shared, req, &path, origin.as_deref())
        .await
        .unwrap_or_else(Refusal::into_reply);
    reply::finish(reply, cors)
}

async fn route(
    shared: &Shared,
    req: Request<Incoming>,
    path: &str,
    origin: Option<&str>,
) -> Result<Reply, Refusal> {
    match (req.method(), path) {
        (&Method::OPTIONS, _) => preflight(shared, req.headers(), path, origin),
        (&Method::GET, "/ping") => Ok(ping(shared, origin)),
        (&Method::POST, "/pair") => pair(shared, req, origin).await,
        (&Method::GET, _) if path.starts_with("/pair/") => {
            poll(shared, &path["/pair/".len()..], origin).await
        }
        (&Method::POST, "/clip") => clip(shared, req, origin).await,
        (_, "/ping" | "/pair" | "/clip") => Err(refuse(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "This address does not take that method.",
        )),
        _ => Err(not_found()),
    }
}

fn not_found() -> Refusal {
    refuse(StatusCode::NOT_FOUND, "not_found", "Nothing here.")
}

/// `Host` must name this service: a page on `evil.example` whose name was re-pointed at
/// 127.0.0.1 (DNS rebinding) sends `Host: evil.example`, and is refused here.
fn host_is_ours(headers: &HeaderMap, port: u16) -> bool {
    let Some(host) = header_str(headers, header::HOST) else {
        return false;
    };
    let host = host.to_ascii_lowercase();
    host == format!("127.0.0.1:{port}") || host == format!("localhost:{port}")
}

fn header_str(headers: &HeaderMap, name: impl header::AsHeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// A CORS preflight: granted (204) only to an origin [`Shared::cors_origin`] names.
fn preflight(
    shared: &Shared,
    headers: &HeaderMap,
    path: &str,
    origin: Option<&str>,
) -> Result<Reply, Refusal> {
    if !matches!(path, "/ping" | "/pair" | "/clip") && !path.starts_with("/pair/") {
        return Err(not_found());
    }
    if shared.cors_origin(path, origin).is_none() {
        return Err(refuse(
            StatusCode::FORBIDDEN,
            "origin_not_allowed",
            "This origin is not paired with Clipbook.",
        ));
    }
    let mut reply = reply::empty(StatusCode::NO_CONTENT);
    let out = reply.headers_mut();
    let set = |out: &mut HeaderMap, name, value| out.insert(name, HeaderValue::from_static(value));
    set(out, header::ACCESS_CONTROL_ALLOW_METHODS, "GET, POST");
    set(
        out,
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        "Authorization, Content-Type",
    );
    set(out, header::ACCESS_CONTROL_MAX_AGE, "600");
    // Chrome asks before a public page talks to the loopback (Private Network Access).
    if header_str(headers, "access-control-request-private-network") == Some("true") {
        out.insert(
            "access-control-allow-private-network",
            HeaderValue::from_static("true"),
        );
    }
    Ok(reply)
}

/// `GET /ping`: who answers, and whether the asking origin is paired. No library data.
fn ping(shared: &Shared, origin: Option<&str>) -> Reply {
    let paired = origin.is_some_and(|o| shared.is_paired(o));
    let body = serde_json::json!({
        "app": "clipbook",
        "version": shared.config.version,
        "paired": paired,
    });
    reply::json(StatusCode::OK, &body)
}

#[derive(Deserialize)]
struct PairBody {
    #[serde(default)]
    name: String,
}

/// `POST /pair`: opens a pairing request the app shows to the user.
async fn pair(
    shared: &Shared,
    req: Request<Incoming>,
    origin: Option<&str>,
) -> Result<Reply, Refusal> {
    let origin = origin.filter(|o| shared.may_pair(o)).ok_or_else(|| {
        refuse(
            StatusCode::FORBIDDEN,
            "origin_not_allowed",
            "Only the Clipbook extension, or a site allowed in Clipbook's settings, may pair.",
        )
    })?;
    let body: PairBody = read_json(req, shared.config.max_body_bytes).await?;
    let name = clean_name(&body.name);
    let request = shared.pairings.ask(origin, &name).map_err(|e| match e {
        AskError::TooMany => refuse(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_requests",
            "Too many pairing requests: wait a minute and try again.",
        ),
        AskError::Random(_) => internal(),
    })?;
    shared.handler.pairing_requested(request.clone());
    let body = serde_json::json!({
        "request": request.id,
        "code": request.code,
        "expires_in": shared.config.pairing_ttl.as_secs(),
    });
    Ok(reply::json(StatusCode::CREATED, &body))
}

/// The requester's name for itself, without control characters and not too long.
fn clean_name(name: &str) -> String {
    let name: String = name
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME_CHARS)
        .collect();
    match name.trim() {
        "" => "Unnamed browser".to_string(),
        name => name.to_string(),
    }
}

/// `GET /pair/{id}`: waits (up to [`LONG_POLL`]) for the user's answer, then reports it.
async fn poll(shared: &Shared, id: &str, origin: Option<&str>) -> Result<Reply, Refusal> {
    let no_request = || {
        refuse(
            StatusCode::NOT_FOUND,
            "no_such_request",
            "No such pairing request: ask to pair again.",
        )
    };
    let origin = origin.ok_or_else(no_request)?;
    let deadline = Instant::now() + LONG_POLL.min(shared.config.pairing_ttl);
    let status = loop {
        // Registered before looking, so that an answer given in between still wakes us.
        let changed = shared.pairings.changed.notified();
        let status = shared.pairings.status(id, origin).ok_or_else(no_request)?;
        let now = Instant::now();
        if status != Status::Pending || now >= deadline {
            break status;
        }
        let _ = tokio::time::timeout(deadline - now, changed).await;
    };
    let body = match status {
        Status::Pending => serde_json::json!({ "status": "pending" }),
        Status::Accepted(token) => serde_json::json!({ "status": "accepted", "token": token }),
        Status::Rejected => serde_json::json!({ "status": "rejected" }),
        Status::Expired => serde_json::json!({ "status": "expired" }),
    };
    Ok(reply::json(StatusCode::OK, &body))
}

/// `POST /clip`: a paired origin with its token sends a page; the app clips it.
async fn clip(
    shared: &Shared,
    req: Request<Incoming>,
    origin: Option<&str>,
) -> Result<Reply, Refusal> {
    let origin = origin.filter(|o| shared.is_paired(o)).ok_or_else(|| {
        refuse(
            StatusCode::FORBIDDEN,
            "origin_not_paired",
            "This browser is not paired with Clipbook: pair it from the extension.",
        )
    })?;
    let token = bearer_token(req.headers()).ok_or_else(unauthorized)?;
    if !shared.tokens.check(origin, token).map_err(|_| internal())? {
        return Err(unauthorized());
    }
    let page: ClipPage = read_json(req, shared.config.max_body_bytes).await?;
    let handler = Arc::clone(&shared.handler);
    // On its own task, so that a handler that panics costs this request only.
    match tokio::spawn(async move { handler.clip(page).await }).await {
        Ok(Ok(outcome)) => Ok(reply::json(StatusCode::OK, &outcome)),
        Ok(Err(e)) => {
            let status = StatusCode::from_u16(e.status)
                .ok()
                .filter(|s| s.is_client_error() || s.is_server_error())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            Err(refuse(status, &e.code, e.message))
        }
        Err(_) => Err(internal()),
    }
}

fn unauthorized() -> Refusal {
    refuse(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "The pairing token is missing or no longer valid: pair this browser again.",
    )
}

fn internal() -> Refusal {
    refuse(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "Clipbook could not do this; try again.",
    )
}

/// The token of `Authorization: Bearer <token>`: the only place a token is read from.
fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = header_str(headers, header::AUTHORIZATION)?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// Reads a JSON body of at most `max` bytes: `Content-Type` must be JSON (so that a browser
/// preflights every cross-site request), and the cap holds while reading, not after.
async fn read_json<T: DeserializeOwned>(req: Request<Incoming>, max: usize) -> Result<T, Refusal> {
    if !is_json(req.headers()) {
        return Err(refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Send JSON, with Content-Type: application/json.",
        ));
    }
    let too_large = || {
        refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!(
                "The page is too large (more than {} MB).",
                max / (1024 * 1024)
            ),
        )
    };
    let declared = header_str(req.headers(), header::CONTENT_LENGTH).and_then(|v| v.parse().ok());
    if declared.is_some_and(|len: u64| len > max as u64) {
        return Err(too_large());
    }
    let body = Limited::new(req.into_body(), max);
    let bytes = match tokio::time::timeout(BODY_TIMEOUT, body.collect()).await {
        Err(_) => {
            return Err(refuse(
                StatusCode::REQUEST_TIMEOUT,
                "timeout",
                "The request took too long to arrive.",
            ));
        }
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => return Err(too_large()),
        Ok(Err(_)) => {
            return Err(refuse(
                StatusCode::BAD_REQUEST,
                "bad_body",
                "The request body could not be read.",
            ));
        }
        Ok(Ok(collected)) => collected.to_bytes(),
    };
    serde_json::from_slice(&bytes).map_err(|e| {
        refuse(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!("The request is not the JSON expected: {e}."),
        )
    })
}

fn is_json(headers: &HeaderMap) -> bool {
    header_str(headers, header::CONTENT_TYPE)
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn only_our_own_host_names_pass() {
        assert!(host_is_ours(
            &headers(&[("host", "127.0.0.1:52525")]),
            52525
        ));
        assert!(host_is_ours(
            &headers(&[("host", "LOCALHOST:52525")]),
            52525
        ));
        assert!(!host_is_ours(
            &headers(&[("host", "127.0.0.1:52526")]),
            52525
        ));
        assert!(!host_is_ours(
            &headers(&[("host", "evil.example:52525")]),
            52525
        ));
        assert!(!host_is_ours(&headers(&[]), 52525));
    }

    #[test]
    fn the_token_is_read_from_a_bearer_header_only() {
        assert_eq!(
            bearer_token(&headers(&[("authorization", "Bearer abc")])),
            Some("abc")
        );
        assert_eq!(
            bearer_token(&headers(&[("authorization", "Basic abc")])),
            None
        );
        assert_eq!(
            bearer_token(&headers(&[("authorization", "Bearer ")])),
            None
        );
        assert_eq!(bearer_token(&headers(&[])), None);
    }

    #[test]
    fn json_is_recognised_with_or_without_a_charset() {
        assert!(is_json(&headers(&[("content-type", "application/json")])));
        assert!(is_json(&headers(&[(
            "content-type",
            "Application/JSON; charset=utf-8"
        )])));
        assert!(!is_json(&headers(&[("content-type", "text/plain")])));
        assert!(!is_json(&headers(&[])));
    }

    #[test]
    fn names_are_cleaned() {
        assert_eq!(
            clean_name(" Clipbook\n for Firefox "),
            "Clipbook for Firefox"
        );
        assert_eq!(clean_name(""), "Unnamed browser");
        assert_eq!(clean_name(&"x".repeat(500)).len(), MAX_NAME_CHARS);
    }
}
