//! The browser bridge, as the app runs it: pages the extension sends are clipped into the
//! library through the same path as `clipbook add --html`; pairing requests go to the window.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use clipbook_bridge::{
    BoxFuture, Bridge, BridgeConfig, BridgeError, BridgeHandler, ClipOutcome, ClipPage,
    PairingRequest,
};

pub use clipbook_bridge::RunningBridge;
use clipbook_fetch::{ClipError, ClipOptions, Page};
use serde::Serialize;
use ts_rs::TS;

use crate::{AppError, ClipResult, Desktop, Result};

/// A browser asking to pair, as the window shows it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PairingPrompt {
    pub id: String,
    pub origin: String,
    pub code: String,
    pub name: String,
}

impl From<PairingRequest> for PairingPrompt {
    fn from(r: PairingRequest) -> Self {
        PairingPrompt {
            id: r.id,
            origin: r.origin,
            code: r.code,
            name: r.name,
        }
    }
}

/// A paired browser, for the settings screen.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PairedBrowser {
    pub id: String,
    pub origin: String,
    pub name: String,
    /// Unix seconds.
    pub created: i64,
}

/// Whether the service runs, where, and who is paired.
#[derive(Debug, Clone, Serialize, TS)]
pub struct BridgeStatus {
    /// The port on 127.0.0.1, when the service runs.
    pub port: Option<u16>,
    /// Why it does not run, in plain words.
    pub error: Option<String>,
    pub paired: Vec<PairedBrowser>,
    /// Web origins allowed to pair (for the bookmarklet), e.g. `https://www.lemonde.fr`.
    pub allowed_sites: Vec<String>,
}

/// Where pairings are kept: beside the library, so that each library has its own.
pub fn pairings_file(library: &Path) -> PathBuf {
    let dir = library.parent().unwrap_or(Path::new("."));
    dir.join("bridge-pairings.json")
}

/// Where the sites allowed to pair are kept, beside the library.
pub fn sites_file(library: &Path) -> PathBuf {
    let dir = library.parent().unwrap_or(Path::new("."));
    dir.join("bridge-sites.json")
}

#[derive(Default, serde::Deserialize, Serialize)]
struct SitesFile {
    allowed_sites: Vec<String>,
}

/// The sites allowed to pair; none when the file is missing or unreadable (the safe side).
pub fn load_allowed_sites(file: &Path) -> Vec<String> {
    std::fs::read(file)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<SitesFile>(&bytes).ok())
        .map(|f| f.allowed_sites)
        .unwrap_or_default()
}

/// Checks and keeps the sites allowed to pair, as origins (`https://www.example.com`): one
/// per line as the user typed them, blank lines ignored, duplicates removed.
pub fn save_allowed_sites(file: &Path, sites: &[String]) -> Result<Vec<String>> {
    let mut origins: Vec<String> = Vec::new();
    for site in sites.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let origin = site_origin(site).ok_or_else(|| {
            AppError::invalid(format!(
                "“{site}” is not a web address like https://www.example.com"
            ))
        })?;
        if !origins.contains(&origin) {
            origins.push(origin);
        }
    }
    let json = serde_json::to_vec_pretty(&SitesFile {
        allowed_sites: origins.clone(),
    })
    .map_err(|e| AppError::new("internal", e.to_string()))?;
    let tmp = file.with_extension("json.tmp");
    std::fs::write(&tmp, json)
        .and_then(|()| std::fs::rename(&tmp, file))
        .map_err(|e| {
            AppError::new(
                "write_failed",
                format!(
                    "could not save the allowed sites in {}: {e}",
                    file.display()
                ),
            )
        })?;
    Ok(origins)
}

/// `https://www.example.com/some/page` → `https://www.example.com`; a bare host gets https.
fn site_origin(site: &str) -> Option<String> {
    let with_scheme = if site.contains("://") {
        site.to_string()
    } else {
        format!("https://{site}")
    };
    let url = url::Url::parse(&with_scheme).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return None;
    }
    Some(url.origin().ascii_serialization())
}

/// The first port the service tries: `CLIPBOOK_BRIDGE_PORT` when set (0 takes any free port;
/// tests), else the extension's default.
pub fn bridge_port() -> u16 {
    std::env::var("CLIPBOOK_BRIDGE_PORT")
        .ok()
        .and_then(|p| p.trim().parse().ok())
        .unwrap_or(clipbook_bridge::DEFAULT_PORT)
}

/// What the window is told about the bridge's work.
pub trait BridgeEvents: Send + Sync + 'static {
    fn pairing_requested(&self, prompt: PairingPrompt);
    fn clipped(&self, result: &ClipResult);
}

struct Handler<E> {
    desktop: Arc<Desktop>,
    events: E,
}

impl<E: BridgeEvents> BridgeHandler for Handler<E> {
    fn clip(&self, page: ClipPage) -> BoxFuture<'_, std::result::Result<ClipOutcome, BridgeError>> {
        Box::pin(async move {
            let result = self
                .desktop
                .clip_rendered(page)
                .await
                .map_err(bridge_error)?;
            self.events.clipped(&result);
            Ok(ClipOutcome {
                id: result.id,
                title: result.title,
                created: result.created,
            })
        })
    }

    fn pairing_requested(&self, request: PairingRequest) {
        self.events.pairing_requested(request.into());
    }
}

/// A page that cannot be clipped is the page's fault (422); a library that cannot be written,
/// the app's (500).
fn bridge_error(e: ClipError) -> BridgeError {
    match e {
        ClipError::Store(_) => BridgeError::failed(e.code(), e.to_string()),
        _ => BridgeError::invalid(e.code(), e.to_string()),
    }
}

/// Starts the service for `desktop`, with the pairings and allowed sites kept beside the
/// `library` file. Must run inside a tokio runtime.
pub async fn start(
    desktop: Arc<Desktop>,
    library: &Path,
    port: u16,
    events: impl BridgeEvents,
) -> Result<RunningBridge> {
    let config = BridgeConfig {
        port,
        token_file: Some(pairings_file(library)),
        allowed_web_origins: load_allowed_sites(&sites_file(library)),
        ..BridgeConfig::default()
    };
    Bridge::start(config, Arc::new(Handler { desktop, events }))
        .await
        .map_err(|e| AppError::new(e.code(), e.to_string()))
}

/// The service's state for the settings screen.
pub fn status(
    bridge: std::result::Result<&RunningBridge, &str>,
    library: &Path,
) -> Result<BridgeStatus> {
    let allowed_sites = load_allowed_sites(&sites_file(library));
    match bridge {
        Ok(running) => {
            let paired = running
                .tokens()
                .list()
                .map_err(|e| AppError::new(e.code(), e.to_string()))?
                .into_iter()
                .map(|p| PairedBrowser {
                    id: p.id,
                    origin: p.origin,
                    name: p.name,
                    created: p.created.timestamp(),
                })
                .collect();
            Ok(BridgeStatus {
                port: Some(running.port()),
                error: None,
                paired,
                allowed_sites,
            })
        }
        Err(why) => Ok(BridgeStatus {
            port: None,
            error: Some(why.to_string()),
            paired: Vec::new(),
            allowed_sites,
        }),
    }
}

impl Desktop {
    /// Clips a page as the browser rendered it (`POST /clip`): the whole page, or only the
    /// selection when there is one.
    pub async fn clip_rendered(
        &self,
        page: ClipPage,
    ) -> std::result::Result<ClipResult, ClipError> {
        let url = clipbook_store::parse_web_url(&page.url)
            .map_err(|e| ClipError::InvalidUrl(e.to_string()))?;
        let rendered = Page {
            url,
            content_type: Some("text/html; charset=utf-8".to_string()),
            charset: Some("utf-8".to_string()),
            bytes: page.html.into_bytes(),
        };
        let images = clipbook_fetch::image_client(&self.fetch)?;
        let options = ClipOptions {
            tags: page.tags,
            collection: None,
        };
        let clipped = clipbook_fetch::clip_rendered(
            &self.lib,
            rendered,
            page.selection_html,
            &self.fetch,
            &images,
            &options,
        )
        .await?;
        Ok(ClipResult {
            id: clipped.id,
            title: clipped.title,
            created: clipped.created,
        })
    }
}
