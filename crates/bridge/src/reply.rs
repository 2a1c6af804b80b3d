//! Responses: JSON bodies, errors as `{"error":{"code","message"}}`, and the headers every
//! response carries.

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::header::{self, HeaderValue};
use hyper::{Response, StatusCode};
use serde::Serialize;

pub(crate) type Reply = Response<Full<Bytes>>;

/// A request refused: its status and what the requester is told. Messages are plain words
/// for the user, never internal details.
#[derive(Debug)]
pub(crate) struct Refusal {
    pub(crate) status: StatusCode,
    pub(crate) code: String,
    pub(crate) message: String,
}

pub(crate) fn refuse(status: StatusCode, code: &str, message: impl Into<String>) -> Refusal {
    Refusal {
        status,
        code: code.to_string(),
        message: message.into(),
    }
}

impl Refusal {
    pub(crate) fn into_reply(self) -> Reply {
        let body = serde_json::json!({ "error": { "code": self.code, "message": self.message } });
        let mut reply = json(self.status, &body);
        if self.status == StatusCode::TOO_MANY_REQUESTS {
            reply
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
        }
        reply
    }
}

/// A JSON response.
pub(crate) fn json(status: StatusCode, body: &impl Serialize) -> Reply {
    // Serialising our own records cannot fail; an empty object is a safe fallback anyway.
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    let mut reply = Response::new(Full::new(Bytes::from(bytes)));
    *reply.status_mut() = status;
    reply.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    reply
}

/// An empty response (preflights).
pub(crate) fn empty(status: StatusCode) -> Reply {
    let mut reply = Response::new(Full::new(Bytes::new()));
    *reply.status_mut() = status;
    reply
}

/// Adds what every response carries: CORS for `cors_origin` only, `Vary: Origin` (the answer
/// depends on it, so no cache may reuse it for another origin), and no caching or sniffing.
pub(crate) fn finish(mut reply: Reply, cors_origin: Option<&str>) -> Reply {
    let headers = reply.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Some(value) = cors_origin.and_then(|o| HeaderValue::from_str(o).ok()) {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
    }
    reply
}
