//! The local clipper service: the browser extension sends the page the user is looking at, as
//! their browser rendered it, to the app over HTTP on 127.0.0.1.
//!
//! No Tauri here: the app implements [`BridgeHandler`] (clip a page, ask the user about a
//! pairing) and starts a [`Bridge`]; tests use a fake handler. The protocol is described in
//! this crate's README.
//!
//! Who may do what:
//! - anyone local may `GET /ping` (no library data in it);
//! - an extension's origin, or a web origin the user allowed (bookmarklet), may ask to pair;
//!   the user compares the six-digit code and accepts;
//! - only a paired origin, with its token in `Authorization: Bearer`, may `POST /clip`.
//!
//! Every request must name `127.0.0.1:<port>` or `localhost:<port>` as its `Host` (DNS
//! rebinding), bodies must be `application/json` (a cross-site request always needs a CORS
//! preflight, which only a paired origin passes) and are capped while they are read.
//! Nothing is logged.
//!
//! ```no_run
//! use std::sync::Arc;
//! use clipbook_bridge::{
//!     Bridge, BridgeConfig, BridgeError, BridgeHandler, BoxFuture, ClipOutcome, ClipPage,
//!     PairingRequest,
//! };
//!
//! struct App;
//! impl BridgeHandler for App {
//!     fn clip(&self, page: ClipPage) -> BoxFuture<'_, Result<ClipOutcome, BridgeError>> {
//!         Box::pin(async move {
//!             Ok(ClipOutcome { id: 1, title: page.title.unwrap_or_default(), created: true })
//!         })
//!     }
//!     fn pairing_requested(&self, request: PairingRequest) {
//!         println!("{} asks to pair; code {}", request.origin, request.code);
//!     }
//! }
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let config = BridgeConfig { token_file: Some("pairings.json".into()), ..Default::default() };
//! let bridge = Bridge::start(config, Arc::new(App)).await?;
//! println!("listening on 127.0.0.1:{}", bridge.port());
//! // Later, when the user has compared the codes:
//! // bridge.answer_pairing(&request_id, true)?;
//! bridge.stop().await;
//! # Ok(()) }
//! ```

mod config;
mod handler;
mod pairing;
mod reply;
mod routes;
mod secret;
mod server;
mod tokens;

pub use config::{BridgeConfig, DEFAULT_PORT, PORT_FALLBACKS};
pub use handler::{BoxFuture, BridgeError, BridgeHandler, ClipOutcome, ClipPage, PairingRequest};
pub use pairing::AnswerError;
pub use server::{Bridge, RunningBridge, StartError};
pub use tokens::{Pairing, TokenStore, TokenStoreError};
