//! The service's protocol end to end over loopback: a real bridge on 127.0.0.1, a fake app
//! behind it, and requests as an extension (or an attacker) would send them. Every refusal
//! checks its status and that the app's handler was never reached.

#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use clipbook_bridge::{
    BoxFuture, Bridge, BridgeConfig, BridgeError, BridgeHandler, ClipOutcome, ClipPage,
    PairingRequest, RunningBridge, TokenStore,
};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

const EXTENSION: &str = "chrome-extension://abcdefghijklmnopabcdefghijklmnop";
const OTHER_EXTENSION: &str = "moz-extension://0b1c2d3e-0000-4000-8000-123456789abc";

/// `Response::json` without reqwest's `json` feature (which would rebuild reqwest for this
/// package alone).
trait JsonBody {
    fn json(self) -> impl std::future::Future<Output = Result<Value, serde_json::Error>>;
}

impl JsonBody for reqwest::Response {
    async fn json(self) -> Result<Value, serde_json::Error> {
        serde_json::from_str(&self.text().await.unwrap_or_default())
    }
}

/// The app, faked: records what reached it.
#[derive(Default)]
struct FakeApp {
    clips: Mutex<Vec<ClipPage>>,
    pairing_requests: Mutex<Vec<PairingRequest>>,
}

impl FakeApp {
    fn clips(&self) -> Vec<ClipPage> {
        self.clips.lock().unwrap().clone()
    }
    fn last_request(&self) -> PairingRequest {
        self.pairing_requests
            .lock()
            .unwrap()
            .last()
            .unwrap()
            .clone()
    }
}

impl BridgeHandler for FakeApp {
    fn clip(&self, page: ClipPage) -> BoxFuture<'_, Result<ClipOutcome, BridgeError>> {
        Box::pin(async move {
            if page.url.contains("unclippable") {
                return Err(BridgeError::invalid(
                    "no_article",
                    "No article found on this page.",
                ));
            }
            let mut clips = self.clips.lock().unwrap();
            clips.push(page.clone());
            Ok(ClipOutcome {
                id: clips.len() as i64,
                title: page.title.unwrap_or_default(),
                created: true,
            })
        })
    }

    fn pairing_requested(&self, request: PairingRequest) {
        self.pairing_requests.lock().unwrap().push(request);
    }
}

struct Harness {
    bridge: RunningBridge,
    app: Arc<FakeApp>,
    http: reqwest::Client,
}

fn test_config() -> BridgeConfig {
    BridgeConfig {
        port: 0,
        ..BridgeConfig::default()
    }
}

async fn start(config: BridgeConfig) -> Harness {
    let app = Arc::new(FakeApp::default());
    let bridge = Bridge::start(config, app.clone()).await.unwrap();
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    Harness { bridge, app, http }
}

impl Harness {
    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.bridge.port())
    }

    async fn post(&self, path: &str, origin: &str, body: &Value) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .header("Origin", origin)
            .header("Content-Type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap()
    }

    async fn get(&self, path: &str, origin: &str) -> reqwest::Response {
        self.http
            .get(self.url(path))
            .header("Origin", origin)
            .send()
            .await
            .unwrap()
    }

    /// Asks to pair from `origin` and returns the request the app was shown.
    async fn ask_pairing(&self, origin: &str) -> PairingRequest {
        let response = self
            .post("/pair", origin, &json!({"name": "Clipbook for Chrome"}))
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let body: Value = response.json().await.unwrap();
        let shown = self.app.last_request();
        assert_eq!(body["request"], shown.id.as_str());
        assert_eq!(
            body["code"],
            shown.code.as_str(),
            "the extension and the app show the same code, for the user to compare"
        );
        assert_eq!(shown.origin, origin);
        assert_eq!(shown.name, "Clipbook for Chrome");
        shown
    }

    /// The whole pairing, accepted by the user: returns the token.
    async fn pair(&self, origin: &str) -> String {
        let request = self.ask_pairing(origin).await;
        self.bridge.answer_pairing(&request.id, true).unwrap();
        let body: Value = self
            .get(&format!("/pair/{}", request.id), origin)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(body["status"], "accepted");
        body["token"].as_str().unwrap().to_string()
    }

    async fn clip(&self, origin: &str, token: &str, page: &Value) -> reqwest::Response {
        self.http
            .post(self.url("/clip"))
            .header("Origin", origin)
            .header("Authorization", format!("Bearer {token}"))
            .header("Content-Type", "application/json")
            .body(page.to_string())
            .send()
            .await
            .unwrap()
    }
}

fn page() -> Value {
    json!({
        "url": "https://news.example/2024/iptv",
        "html": "<html><body><article><p>Europol took down an IPTV network.</p></article></body></html>",
        "selection_html": null,
        "title": "IPTV network taken down",
        "tags": ["piracy/iptv"]
    })
}

async fn error_code(response: reqwest::Response) -> String {
    let body: Value = response.json().await.unwrap();
    body["error"]["code"].as_str().unwrap().to_string()
}

/// Sends raw bytes and returns the status line's code and the whole answer.
async fn raw(port: u16, request: &[u8]) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    // The server may answer and close before reading everything (a body over the cap).
    let _ = stream.write_all(request).await;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, answer)
}

#[tokio::test]
async fn ping_says_who_answers_and_whether_this_origin_is_paired() {
    let h = start(test_config()).await;
    let body: Value = h.get("/ping", EXTENSION).await.json().await.unwrap();
    assert_eq!(body["app"], "clipbook");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(body["paired"], false);

    h.pair(EXTENSION).await;
    let body: Value = h.get("/ping", EXTENSION).await.json().await.unwrap();
    assert_eq!(body["paired"], true);
    let body: Value = h.get("/ping", OTHER_EXTENSION).await.json().await.unwrap();
    assert_eq!(body["paired"], false, "pairing is per origin");
}

#[tokio::test]
async fn a_paired_extension_clips_a_page_and_the_app_receives_it() {
    let h = start(test_config()).await;
    let token = h.pair(EXTENSION).await;

    let response = h.clip(EXTENSION, &token, &page()).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        EXTENSION,
        "the paired origin may read the answer"
    );
    assert_eq!(response.headers()["vary"], "Origin");
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body,
        json!({"id": 1, "title": "IPTV network taken down", "created": true})
    );

    let clips = h.app.clips();
    assert_eq!(clips.len(), 1);
    assert_eq!(clips[0].url, "https://news.example/2024/iptv");
    assert_eq!(clips[0].tags, vec!["piracy/iptv".to_string()]);
    assert!(clips[0].html.contains("Europol"));
}

#[tokio::test]
async fn an_error_from_the_app_reaches_the_extension_as_plain_json() {
    let h = start(test_config()).await;
    let token = h.pair(EXTENSION).await;
    let mut page = page();
    page["url"] = json!("https://news.example/unclippable");
    let response = h.clip(EXTENSION, &token, &page).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body,
        json!({"error": {"code": "no_article", "message": "No article found on this page."}})
    );
}

#[tokio::test]
async fn a_rejected_pairing_gives_no_token() {
    let h = start(test_config()).await;
    let request = h.ask_pairing(EXTENSION).await;
    h.bridge.answer_pairing(&request.id, false).unwrap();
    let body: Value = h
        .get(&format!("/pair/{}", request.id), EXTENSION)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body, json!({"status": "rejected"}));
    assert!(h.bridge.tokens().list().unwrap().is_empty());
}

#[tokio::test]
async fn a_poll_waits_for_the_answer_and_another_origin_cannot_see_it() {
    let h = Arc::new(start(test_config()).await);
    let request = h.ask_pairing(EXTENSION).await;

    let other: Value = h
        .get(&format!("/pair/{}", request.id), OTHER_EXTENSION)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(other["error"]["code"], "no_such_request");

    let poller = {
        let h = Arc::clone(&h);
        let id = request.id.clone();
        tokio::spawn(async move {
            let started = std::time::Instant::now();
            let body: Value = h
                .get(&format!("/pair/{id}"), EXTENSION)
                .await
                .json()
                .await
                .unwrap();
            (body, started.elapsed())
        })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    h.bridge.answer_pairing(&request.id, true).unwrap();
    let (body, waited) = poller.await.unwrap();
    assert_eq!(body["status"], "accepted");
    assert!(
        waited < Duration::from_secs(5),
        "a long poll returns as soon as the user answers, not at its timeout"
    );

    let again: Value = h
        .get(&format!("/pair/{}", request.id), EXTENSION)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["status"], "expired", "a token is handed over once");
}

#[tokio::test]
async fn an_unanswered_pairing_expires() {
    let h = start(BridgeConfig {
        pairing_ttl: Duration::from_millis(300),
        ..test_config()
    })
    .await;
    let request = h.ask_pairing(EXTENSION).await;
    let body: Value = h
        .get(&format!("/pair/{}", request.id), EXTENSION)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["status"], "expired");
    assert!(
        h.bridge.answer_pairing(&request.id, true).is_err(),
        "too late to accept"
    );
    assert!(h.bridge.tokens().list().unwrap().is_empty());
}

#[tokio::test]
async fn pairing_is_rate_limited_per_origin() {
    let h = start(test_config()).await;
    for _ in 0..5 {
        h.ask_pairing(EXTENSION).await;
    }
    let response = h.post("/pair", EXTENSION, &json!({"name": "x"})).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers()["retry-after"], "60");
    assert_eq!(error_code(response).await, "too_many_requests");
    assert_eq!(h.app.pairing_requests.lock().unwrap().len(), 5);
    h.ask_pairing(OTHER_EXTENSION).await;
}

#[tokio::test]
async fn a_web_page_may_pair_only_when_its_origin_is_allowed() {
    let h = start(BridgeConfig {
        allowed_web_origins: vec!["https://News.example/".into()],
        ..test_config()
    })
    .await;
    let token = h.pair("https://news.example").await;
    let response = h.clip("https://news.example", &token, &page()).await;
    assert_eq!(response.status(), StatusCode::OK);

    let response = h
        .post("/pair", "https://evil.example", &json!({"name": "x"}))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(
        response
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    let response = h.post("/pair", "null", &json!({"name": "x"})).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(h.app.pairing_requests.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn allowing_a_site_takes_effect_while_the_service_runs() {
    let h = start(test_config()).await;
    let response = h
        .post("/pair", "https://news.example", &json!({"name": "x"}))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    h.bridge
        .set_allowed_web_origins(&["https://news.example/".to_string()]);
    let token = h.pair("https://news.example").await;
    h.bridge.set_allowed_web_origins(&[]);
    let response = h
        .post("/pair", "https://news.example", &json!({"name": "x"}))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "no new pairing");
    let response = h.clip("https://news.example", &token, &page()).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "a pairing made stays until revoked"
    );
}

#[tokio::test]
async fn a_wrong_or_missing_token_is_refused() {
    let h = start(test_config()).await;
    let token = h.pair(EXTENSION).await;

    let response = h.clip(EXTENSION, "not-the-token", &page()).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(response).await, "unauthorized");

    let response = h.post("/clip", EXTENSION, &page()).await;
    assert_eq!(
        response.status(),
        StatusCode::UNAUTHORIZED,
        "no token at all"
    );

    let response = h
        .post(&format!("/clip?token={token}"), EXTENSION, &page())
        .await;
    assert_eq!(
        response.status(),
        StatusCode::UNAUTHORIZED,
        "a token in the URL is never read: URLs end up in logs and histories"
    );

    let other_token = h.pair(OTHER_EXTENSION).await;
    let response = h.clip(EXTENSION, &other_token, &page()).await;
    assert_eq!(
        response.status(),
        StatusCode::UNAUTHORIZED,
        "a token works only for the origin it was given to"
    );
    assert!(h.app.clips().is_empty());
}

#[tokio::test]
async fn another_origin_with_a_stolen_token_gets_neither_cors_nor_a_clip() {
    let h = start(test_config()).await;
    let token = h.pair(EXTENSION).await;

    let preflight = h
        .http
        .request(reqwest::Method::OPTIONS, h.url("/clip"))
        .header("Origin", "https://evil.example")
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "authorization, content-type",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), StatusCode::FORBIDDEN);
    assert!(
        preflight
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );

    let response = h.clip("https://evil.example", &token, &page()).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(
        response
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    assert_eq!(error_code(response).await, "origin_not_paired");

    let response = h
        .http
        .post(h.url("/clip"))
        .header("Authorization", format!("Bearer {token}"))
        .header("Content-Type", "application/json")
        .body(page().to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "no Origin at all");
    assert!(h.app.clips().is_empty());
}

#[tokio::test]
async fn the_paired_origin_passes_the_preflight() {
    let h = start(test_config()).await;
    h.pair(EXTENSION).await;
    let preflight = h
        .http
        .request(reqwest::Method::OPTIONS, h.url("/clip"))
        .header("Origin", EXTENSION)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Private-Network", "true")
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), StatusCode::NO_CONTENT);
    let headers = preflight.headers();
    assert_eq!(headers["access-control-allow-origin"], EXTENSION);
    assert_eq!(headers["vary"], "Origin");
    assert!(
        headers["access-control-allow-headers"]
            .to_str()
            .unwrap()
            .contains("Authorization")
    );
    assert_eq!(headers["access-control-allow-private-network"], "true");
}

#[tokio::test]
async fn a_wrong_host_is_refused_against_dns_rebinding() {
    let h = start(test_config()).await;
    let token = h.pair(EXTENSION).await;
    let port = h.bridge.port();
    let body = page().to_string();
    let request = format!(
        "POST /clip HTTP/1.1\r\nHost: evil.example:{port}\r\nOrigin: {EXTENSION}\r\n\
         Authorization: Bearer {token}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let (status, answer) = raw(port, request.as_bytes()).await;
    assert_eq!(status, 421, "{answer}");
    assert!(answer.contains("wrong_host"));
    assert!(
        !answer
            .to_ascii_lowercase()
            .contains("access-control-allow-origin")
    );

    let (status, _) = raw(
        port,
        format!(
            "GET /ping HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            port + 1
        )
        .as_bytes(),
    )
    .await;
    assert_eq!(status, 421, "the right name on the wrong port is wrong too");
    let (status, _) = raw(port, b"GET /ping HTTP/1.0\r\n\r\n").await;
    assert_eq!(status, 421, "no Host at all");
    let (status, _) = raw(
        port,
        format!("GET /ping HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    )
    .await;
    assert_eq!(status, 200, "localhost is ours");
    assert!(h.app.clips().is_empty());
}

#[tokio::test]
async fn an_oversized_body_is_refused_while_it_is_read() {
    let h = start(BridgeConfig {
        max_body_bytes: 4096,
        ..test_config()
    })
    .await;
    let token = h.pair(EXTENSION).await;
    let mut big = page();
    big["html"] = json!("x".repeat(10_000));

    let response = h.clip(EXTENSION, &token, &big).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(error_code(response).await, "body_too_large");

    // Without a Content-Length the cap still holds: chunks are counted as they arrive.
    let port = h.bridge.port();
    let body = big.to_string();
    let mut request = format!(
        "POST /clip HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: {EXTENSION}\r\n\
         Authorization: Bearer {token}\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    for chunk in body.as_bytes().chunks(1000) {
        request.push_str(&format!(
            "{:x}\r\n{}\r\n",
            chunk.len(),
            String::from_utf8_lossy(chunk)
        ));
    }
    request.push_str("0\r\n\r\n");
    let (status, answer) = raw(port, request.as_bytes()).await;
    assert_eq!(status, 413, "{answer}");
    assert!(h.app.clips().is_empty(), "nothing reached the app");
}

#[tokio::test]
async fn only_json_bodies_are_accepted() {
    let h = start(test_config()).await;
    let token = h.pair(EXTENSION).await;
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ] {
        let response = h
            .http
            .post(h.url("/clip"))
            .header("Origin", EXTENSION)
            .header("Authorization", format!("Bearer {token}"))
            .header("Content-Type", content_type)
            .body(page().to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type} is what a page may send without a preflight"
        );
    }
    let response = h
        .http
        .post(h.url("/pair"))
        .header("Origin", EXTENSION)
        .header("Content-Type", "text/plain")
        .body(r#"{"name":"x"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(h.app.clips().is_empty());
    assert_eq!(h.app.pairing_requests.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn malformed_json_and_malformed_requests_are_refused_plainly() {
    let h = start(test_config()).await;
    let token = h.pair(EXTENSION).await;

    let response = h
        .http
        .post(h.url("/clip"))
        .header("Origin", EXTENSION)
        .header("Authorization", format!("Bearer {token}"))
        .header("Content-Type", "application/json")
        .body("{\"url\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_code(response).await, "invalid_json");

    let response = h
        .clip(EXTENSION, &token, &json!({"url": "https://a.example"}))
        .await;
    assert_eq!(
        response.status(),
        StatusCode::BAD_REQUEST,
        "html is required"
    );
    let message = response.text().await.unwrap();
    assert!(message.contains("html"), "{message}");

    let (status, _) = raw(h.bridge.port(), b"NOT HTTP AT ALL\r\n\r\n").await;
    assert_eq!(status, 400);
    let response = h.get("/nowhere", EXTENSION).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = h.get("/clip", EXTENSION).await;
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(h.app.clips().is_empty());
    let response = h.get("/ping", EXTENSION).await;
    assert_eq!(response.status(), StatusCode::OK, "still serving");
}

#[tokio::test]
async fn the_next_port_is_taken_when_the_default_one_is_busy() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let taken = busy.local_addr().unwrap().port();
    let h = start(BridgeConfig {
        port: taken,
        ..test_config()
    })
    .await;
    let port = h.bridge.port();
    assert!(
        port > taken && port <= taken.saturating_add(10),
        "port {port} after {taken}"
    );
    let response = h.get("/ping", EXTENSION).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn pairings_survive_a_restart_and_revoking_one_ends_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bridge-pairings.json");
    let config = BridgeConfig {
        token_file: Some(file.clone()),
        ..test_config()
    };

    let h = start(config.clone()).await;
    let token = h.pair(EXTENSION).await;
    h.bridge.stop().await;
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains(&token), "tokens are stored hashed");

    let h = start(config.clone()).await;
    let response = h.clip(EXTENSION, &token, &page()).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "the token works after a restart"
    );

    // The settings screen may open the same file on its own; revoking takes effect at once.
    let settings = TokenStore::open(Some(file)).unwrap();
    let pairings = settings.list().unwrap();
    assert_eq!(pairings.len(), 1);
    assert_eq!(pairings[0].origin, EXTENSION);
    assert_eq!(pairings[0].name, "Clipbook for Chrome");
    assert!(settings.revoke(&pairings[0].id).unwrap());

    let response = h.clip(EXTENSION, &token, &page()).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "revoked");
    assert_eq!(h.app.clips().len(), 1);
    let body: Value = h.get("/ping", EXTENSION).await.json().await.unwrap();
    assert_eq!(body["paired"], false);
}
