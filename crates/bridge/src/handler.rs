//! What the service asks of the app: store a clipped page, ask the user about a pairing.

use std::future::Future;
use std::pin::Pin;

use serde::{Deserialize, Serialize};

/// A future the handler returns; boxed so that the handler can live behind `Arc<dyn …>`.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A page as the user's browser rendered it: the body of `POST /clip`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClipPage {
    /// The page's address.
    pub url: String,
    /// The whole document as rendered (`document.documentElement.outerHTML`).
    pub html: String,
    /// Only the part the user selected, when they clipped a selection.
    #[serde(default)]
    pub selection_html: Option<String>,
    /// The document's title, as the browser shows it.
    #[serde(default)]
    pub title: Option<String>,
    /// Tags typed in the extension (nested with `/`).
    #[serde(default)]
    pub tags: Vec<String>,
}

/// The clipping a `POST /clip` made (or found: one canonical URL is one clipping).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClipOutcome {
    pub id: i64,
    pub title: String,
    /// False when the library already had this address (its tags were merged instead).
    pub created: bool,
}

/// A failure the app reports to the extension: a stable `code` the extension may branch on
/// and a `message` it shows as it is. No internal details: the message is seen by the page's
/// extension, not only by the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BridgeError {
    pub code: String,
    pub message: String,
    /// The HTTP status: 422 for a page that cannot be clipped, 500 for the app's own failures.
    #[serde(skip)]
    pub status: u16,
}

impl BridgeError {
    /// The page itself cannot be clipped (no article found, address refused…): 422.
    pub fn invalid(code: impl Into<String>, message: impl Into<String>) -> Self {
        BridgeError {
            code: code.into(),
            message: message.into(),
            status: 422,
        }
    }

    /// The app failed (the library could not be written…): 500.
    pub fn failed(code: impl Into<String>, message: impl Into<String>) -> Self {
        BridgeError {
            code: code.into(),
            message: message.into(),
            status: 500,
        }
    }
}

/// A browser asking to pair, shown to the user so that they can compare the code with the one
/// the extension shows and check the origin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PairingRequest {
    /// Pass it back to [`crate::RunningBridge::answer_pairing`].
    pub id: String,
    /// `chrome-extension://…`, `moz-extension://…` or an allowed web origin.
    pub origin: String,
    /// Six digits, shown both by the extension and by the app.
    pub code: String,
    /// What the extension calls itself ("Clipbook for Firefox"); said by the requester, so
    /// only a hint: the origin is what the browser vouches for.
    pub name: String,
}

/// What the app does for the service. Implemented by the desktop app; tests use a fake.
pub trait BridgeHandler: Send + Sync + 'static {
    /// Clips a page: the same path as `clipbook add --html` (extract, download images, store).
    fn clip(&self, page: ClipPage) -> BoxFuture<'_, Result<ClipOutcome, BridgeError>>;

    /// A browser asks to pair: show the code and the origin and ask the user, whose answer
    /// comes back through [`crate::RunningBridge::answer_pairing`]. Called on the service's
    /// task: return at once (send an event to the window, do not wait for the user).
    fn pairing_requested(&self, request: PairingRequest);
}
