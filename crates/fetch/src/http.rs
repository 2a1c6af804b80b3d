//! HTTP: fetching a page or an image with the limits a desktop app needs (timeouts, redirects,
//! size caps while streaming) and errors a user can read.

use std::error::Error as _;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{ACCEPT, ACCEPT_LANGUAGE, CONTENT_TYPE, HeaderMap, HeaderValue};
use reqwest::redirect::Policy;
use url::Url;

use crate::error::{ClipError, describe_content_type};

/// How pages and images are fetched. `FetchConfig::default()` is what the app uses.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    /// Sent as `User-Agent`: a current desktop browser's, since many news sites serve a bare
    /// page (or none) to unknown clients.
    pub user_agent: String,
    /// Sent as `Accept-Language`.
    pub accept_language: String,
    pub connect_timeout: Duration,
    /// For the whole request, body included.
    pub timeout: Duration,
    /// Largest page accepted, enforced while the body streams in.
    pub max_page_bytes: u64,
    /// Largest image accepted.
    pub max_image_bytes: u64,
    pub max_redirects: usize,
    /// Images downloaded at once for one clipping.
    pub images_at_once: usize,
    /// Most images kept for one clipping (a gallery page can have hundreds).
    pub max_images: usize,
    /// Whether to download images for the offline copy.
    pub download_images: bool,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            user_agent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) \
                Chrome/142.0.0.0 Safari/537.36"
                .to_string(),
            accept_language: "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7".to_string(),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_page_bytes: 15 * 1024 * 1024,
            max_image_bytes: 10 * 1024 * 1024,
            max_redirects: 10,
            images_at_once: 8,
            max_images: 60,
            download_images: true,
        }
    }
}

/// A fetched page.
#[derive(Debug, Clone)]
pub struct Page {
    /// Where the page was found, after redirects: the clipping's URL.
    pub url: Url,
    pub content_type: Option<String>,
    /// The `charset` of `Content-Type`, for the extractor.
    pub charset: Option<String>,
    pub bytes: Vec<u8>,
}

#[derive(Debug)]
struct RedirectLoop(String);
impl std::fmt::Display for RedirectLoop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "redirect loop back to {}", self.0)
    }
}
impl std::error::Error for RedirectLoop {}

#[derive(Debug)]
struct TooManyRedirects;
impl std::fmt::Display for TooManyRedirects {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("too many redirects")
    }
}
impl std::error::Error for TooManyRedirects {}

fn builder(config: &FetchConfig) -> reqwest::ClientBuilder {
    let max = config.max_redirects;
    let policy = Policy::custom(move |attempt| {
        if attempt.previous().iter().any(|u| u == attempt.url()) {
            let url = attempt.url().to_string();
            attempt.error(RedirectLoop(url))
        } else if attempt.previous().len() > max {
            attempt.error(TooManyRedirects)
        } else {
            attempt.follow()
        }
    });
    let mut headers = HeaderMap::new();
    if let Ok(lang) = HeaderValue::from_str(&config.accept_language) {
        headers.insert(ACCEPT_LANGUAGE, lang);
    }
    reqwest::Client::builder()
        .user_agent(config.user_agent.clone())
        .default_headers(headers)
        .connect_timeout(config.connect_timeout)
        .timeout(config.timeout)
        .redirect(policy)
        .gzip(true)
        .brotli(true)
        .deflate(true)
}

/// A client for one page: its own cookie jar, so that cookies set along a redirect chain (consent
/// pages) are sent back, and never leak to another page.
pub(crate) fn page_client(config: &FetchConfig) -> Result<reqwest::Client, ClipError> {
    builder(config)
        .cookie_provider(Arc::new(reqwest::cookie::Jar::default()))
        .build()
        .map_err(|e| ClipError::Network(e.to_string()))
}

/// A client for images, shared by all clippings of a batch (no cookies).
pub fn image_client(config: &FetchConfig) -> Result<reqwest::Client, ClipError> {
    builder(config)
        .build()
        .map_err(|e| ClipError::Network(e.to_string()))
}

/// Turns a reqwest error into what happened, in words.
fn classify(err: reqwest::Error, url: &Url, config: &FetchConfig) -> ClipError {
    let host = err
        .url()
        .and_then(|u| u.host_str())
        .or_else(|| url.host_str())
        .unwrap_or_default()
        .to_string();
    let mut source = err.source();
    let mut chain = String::new();
    while let Some(cause) = source {
        if let Some(r) = cause.downcast_ref::<RedirectLoop>() {
            return ClipError::RedirectLoop { url: r.0.clone() };
        }
        if cause.downcast_ref::<TooManyRedirects>().is_some() {
            return ClipError::TooManyRedirects {
                limit: config.max_redirects,
            };
        }
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::ConnectionRefused {
                return ClipError::Refused { host };
            }
        }
        chain.push_str(&cause.to_string().to_lowercase());
        chain.push_str(": ");
        source = cause.source();
    }
    if err.is_timeout() {
        return if err.is_connect() {
            ClipError::ConnectTimeout {
                host,
                seconds: config.connect_timeout.as_secs(),
            }
        } else {
            ClipError::Timeout {
                seconds: config.timeout.as_secs(),
            }
        };
    }
    if chain.contains("dns error") || chain.contains("failed to lookup address") {
        return ClipError::Dns { host };
    }
    if chain.contains("connection refused") {
        return ClipError::Refused { host };
    }
    if chain.contains("certificate") || chain.contains("tls") || chain.contains("handshake") {
        return ClipError::Tls {
            host,
            detail: chain.trim_end_matches(": ").to_string(),
        };
    }
    if err.is_connect() {
        return ClipError::Connect {
            host,
            detail: chain.trim_end_matches(": ").to_string(),
        };
    }
    let detail = if chain.is_empty() {
        err.to_string()
    } else {
        chain
    };
    ClipError::Network(detail.trim_end_matches(": ").to_string())
}

/// Reads a body chunk by chunk, refusing it as soon as it passes `limit` bytes.
async fn read_capped(
    mut response: reqwest::Response,
    what: &'static str,
    limit: u64,
    url: &Url,
    config: &FetchConfig,
) -> Result<Vec<u8>, ClipError> {
    let too_large = || ClipError::TooLarge { what, limit };
    if response.content_length().is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| classify(e, url, config))?
    {
        if body.len() as u64 + chunk.len() as u64 > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn charset_of(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"').to_string())
            .filter(|v| !v.is_empty())
    })
}

/// True when a page's bytes look like HTML (for servers that send no or a wrong content type).
fn sniff_html(bytes: &[u8]) -> bool {
    let head: Vec<u8> = bytes
        .iter()
        .take(1024)
        .map(u8::to_ascii_lowercase)
        .collect();
    let head = String::from_utf8_lossy(&head);
    let trimmed = head.trim_start_matches('\u{feff}').trim_start();
    [
        "<!doctype html",
        "<html",
        "<head",
        "<body",
        "<meta",
        "<title",
        "<!--",
        "<div",
        "<p",
    ]
    .iter()
    .any(|tag| trimmed.starts_with(tag))
}

/// An HTTP error status as what the server answered.
fn check_status(response: &reqwest::Response) -> Result<(), ClipError> {
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    Err(ClipError::HttpStatus {
        status: status.as_u16(),
        reason: status.canonical_reason().unwrap_or("").to_string(),
    })
}

/// Fetches a page: follows redirects, refuses what is not HTML, caps the size.
pub async fn fetch_page(url: &Url, config: &FetchConfig) -> Result<Page, ClipError> {
    let client = page_client(config)?;
    let response = client
        .get(url.clone())
        .header(ACCEPT, "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
        .send()
        .await
        .map_err(|e| classify(e, url, config))?;
    check_status(&response)?;
    let final_url = response.url().clone();
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let html_type = content_type.as_deref().map(|ct| {
        let mime = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        mime == "text/html" || mime == "application/xhtml+xml" || mime.is_empty()
    });
    if let (Some(false), Some(ct)) = (html_type, &content_type) {
        // Some servers call every page text/plain or octet-stream: let the bytes decide then.
        let lower = ct.to_ascii_lowercase();
        if !(lower.starts_with("text/plain") || lower.starts_with("application/octet-stream")) {
            return Err(ClipError::NotHtml {
                kind: describe_content_type(ct),
                content_type: ct.clone(),
            });
        }
    }
    let bytes = read_capped(response, "the page", config.max_page_bytes, url, config).await?;
    if html_type != Some(true) && !sniff_html(&bytes) {
        let ct = content_type
            .clone()
            .unwrap_or_else(|| "no content type".to_string());
        return Err(ClipError::NotHtml {
            kind: describe_content_type(&ct),
            content_type: ct,
        });
    }
    Ok(Page {
        url: final_url,
        charset: content_type.as_deref().and_then(charset_of),
        content_type,
        bytes,
    })
}

/// A downloaded image: its type and bytes.
pub struct Image {
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Downloads one image: only `image/*`, at most `max_image_bytes`.
pub async fn fetch_image(
    client: &reqwest::Client,
    url: &Url,
    config: &FetchConfig,
) -> Result<Image, ClipError> {
    let response = client
        .get(url.clone())
        .send()
        .await
        .map_err(|e| classify(e, url, config))?;
    check_status(&response)?;
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if !content_type.starts_with("image/") {
        let shown = if content_type.is_empty() {
            "no content type".into()
        } else {
            content_type
        };
        return Err(ClipError::NotAnImage {
            content_type: shown,
        });
    }
    let bytes = read_capped(response, "the image", config.max_image_bytes, url, config).await?;
    Ok(Image {
        content_type,
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charset_comes_from_the_content_type_parameter() {
        assert_eq!(
            charset_of("text/html; charset=ISO-8859-1").as_deref(),
            Some("ISO-8859-1")
        );
        assert_eq!(
            charset_of("text/html;charset=\"utf-8\"").as_deref(),
            Some("utf-8")
        );
        assert_eq!(charset_of("text/html"), None);
        assert_eq!(charset_of("text/html; charset="), None);
    }

    #[test]
    fn html_is_sniffed_from_its_first_bytes() {
        assert!(sniff_html(b"\n  <!DOCTYPE html><html>"));
        assert!(sniff_html("\u{feff}<html>".as_bytes()));
        assert!(!sniff_html(b"%PDF-1.7"));
        assert!(!sniff_html(b"{\"a\": 1}"));
    }
}
