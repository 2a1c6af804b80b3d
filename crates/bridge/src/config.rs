//! What the app decides about the service: where it listens, who may pair, where tokens live.

use std::path::PathBuf;
use std::time::Duration;

/// The port the extension tries first. Fixed so that the extension finds the app without
/// asking the user; when it is taken the service takes one of the next ten.
pub const DEFAULT_PORT: u16 = 52525;

/// How many ports after the default one are tried when it is taken.
pub const PORT_FALLBACKS: u16 = 10;

/// The service's settings. `BridgeConfig::default()` is what the app uses, with `token_file`
/// set to a file in its data folder.
#[derive(Debug, Clone)]
pub struct BridgeConfig {
    /// The first port tried; the next [`PORT_FALLBACKS`] follow when it is taken. 0 binds any
    /// free port (tests).
    pub port: u16,
    /// Where pairings are kept (JSON, tokens hashed). `None` keeps them in memory only: every
    /// pairing is forgotten when the service stops.
    pub token_file: Option<PathBuf>,
    /// Web origins (`https://www.example.com`) that may pair, for the bookmarklet, which runs
    /// with the page's origin. Extensions' origins (`chrome-extension://…`,
    /// `moz-extension://…`) may always ask; the user confirms each pairing in the app.
    pub allowed_web_origins: Vec<String>,
    /// The largest request body accepted, in bytes: a rendered page with inline images can be
    /// large, but not larger than this.
    pub max_body_bytes: usize,
    /// How long a pairing request waits for the user's answer.
    pub pairing_ttl: Duration,
    /// How many pairing requests one origin may make in a minute.
    pub pairing_per_minute: usize,
    /// The version `GET /ping` reports.
    pub version: String,
}

impl Default for BridgeConfig {
    fn default() -> Self {
        BridgeConfig {
            port: DEFAULT_PORT,
            token_file: None,
            allowed_web_origins: Vec::new(),
            max_body_bytes: 30 * 1024 * 1024,
            pairing_ttl: Duration::from_secs(120),
            pairing_per_minute: 5,
            version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }
}

/// An origin as browsers send it: lower case, no trailing slash. Used on the configured web
/// origins so that `https://Example.com/` matches the `https://example.com` a browser sends.
pub(crate) fn normalize_origin(origin: &str) -> String {
    origin.trim().trim_end_matches('/').to_ascii_lowercase()
}

/// Whether `origin` is a browser extension's (`chrome-extension://<id>`, `moz-extension://<uuid>`).
pub(crate) fn is_extension_origin(origin: &str) -> bool {
    [
        "chrome-extension://",
        "moz-extension://",
        "safari-web-extension://",
    ]
    .iter()
    .filter_map(|scheme| origin.strip_prefix(scheme))
    .any(|id| {
        !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extension_origins_are_recognised_and_web_ones_are_not() {
        assert!(is_extension_origin("chrome-extension://abcdefghijklmnop"));
        assert!(is_extension_origin(
            "moz-extension://1b2c3d4e-0000-4000-8000-123456789abc"
        ));
        assert!(!is_extension_origin("chrome-extension://"));
        assert!(!is_extension_origin("chrome-extension://abc/path"));
        assert!(!is_extension_origin("https://chrome-extension.example"));
        assert!(!is_extension_origin("null"));
    }

    #[test]
    fn configured_origins_are_compared_as_browsers_send_them() {
        assert_eq!(
            normalize_origin(" https://Example.com/ "),
            "https://example.com"
        );
    }
}
