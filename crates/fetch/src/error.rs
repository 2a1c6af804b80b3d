use clipbook_store::StoreError;

/// Why an address did not become a clipping. Each message says what happened in words a user
/// can act on; [`ClipError::code`] is stable for the UI and `--json`.
#[derive(Debug, thiserror::Error)]
pub enum ClipError {
    #[error("{0}")]
    InvalidUrl(String),
    #[error(
        "could not find the server {host} (the name does not resolve: check the address or your connection)"
    )]
    Dns { host: String },
    #[error("the server {host} refused the connection")]
    Refused { host: String },
    #[error("could not connect to {host}: {detail}")]
    Connect { host: String, detail: String },
    #[error("the secure connection to {host} failed: {detail}")]
    Tls { host: String, detail: String },
    #[error("the server {host} did not accept the connection within {seconds} s")]
    ConnectTimeout { host: String, seconds: u64 },
    #[error("the server did not send the page within {seconds} s")]
    Timeout { seconds: u64 },
    #[error("the server answered HTTP {status} {reason}")]
    HttpStatus { status: u16, reason: String },
    #[error("the address is {kind} ({content_type}), not a web page")]
    NotHtml {
        kind: &'static str,
        content_type: String,
    },
    #[error("not an image ({content_type})")]
    NotAnImage { content_type: String },
    #[error("{what} is larger than the {} limit", human_size(*.limit))]
    TooLarge { what: &'static str, limit: u64 },
    #[error("the address redirects more than {limit} times")]
    TooManyRedirects { limit: usize },
    #[error("the address redirects in a loop (back to {url})")]
    RedirectLoop { url: String },
    #[error("the connection failed: {0}")]
    Network(String),
    #[error("no article found on the page ({0})")]
    NoArticle(String),
    #[error("cannot read {path}: {source}")]
    ReadFile {
        path: String,
        source: std::io::Error,
    },
    #[error("stopped before this address was clipped")]
    Cancelled,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ClipError {
    pub fn code(&self) -> &'static str {
        match self {
            ClipError::InvalidUrl(_) => "invalid_url",
            ClipError::Dns { .. } => "dns",
            ClipError::Refused { .. } => "connection_refused",
            ClipError::Connect { .. } => "connect",
            ClipError::Tls { .. } => "tls",
            ClipError::ConnectTimeout { .. } => "connect_timeout",
            ClipError::Timeout { .. } => "timeout",
            ClipError::HttpStatus { .. } => "http_status",
            ClipError::NotHtml { .. } => "not_html",
            ClipError::NotAnImage { .. } => "not_an_image",
            ClipError::TooLarge { .. } => "too_large",
            ClipError::TooManyRedirects { .. } => "too_many_redirects",
            ClipError::RedirectLoop { .. } => "redirect_loop",
            ClipError::Network(_) => "network",
            ClipError::NoArticle(_) => "no_article",
            ClipError::ReadFile { .. } => "read_file",
            ClipError::Cancelled => "cancelled",
            ClipError::Store(e) => e.code(),
        }
    }
}

/// A size as people read it: "15 MB", "100 KB".
pub(crate) fn human_size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{} MB", bytes / (1024 * 1024))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// A content type as a reader names it.
pub(crate) fn describe_content_type(content_type: &str) -> &'static str {
    let ct = content_type.to_ascii_lowercase();
    if ct.contains("pdf") {
        "a PDF document"
    } else if ct.starts_with("image/") {
        "an image"
    } else if ct.starts_with("video/") {
        "a video"
    } else if ct.starts_with("audio/") {
        "a sound file"
    } else if ct.contains("json") {
        "JSON data"
    } else if ct.contains("xml") {
        "an XML document (a feed?)"
    } else if ct.starts_with("text/") {
        "plain text"
    } else {
        "a file"
    }
}
