//! The library's records, as the core hands them to the CLI and the desktop app.
//! Field names are part of the CLI's `--json` output: keep them stable.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A new article to store, as the extractor (or an import) produced it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NewClipping {
    /// The address the article was fetched from (after redirects).
    pub url: String,
    /// The page's declared canonical URL (`<link rel=canonical>`), when it has one.
    pub canonical_url: Option<String>,
    pub title: String,
    pub authors: Vec<String>,
    /// RFC 3339 (with offset when known) or `YYYY-MM-DD`.
    pub published_at: Option<String>,
    pub modified_at: Option<String>,
    pub site_name: Option<String>,
    pub language: Option<String>,
    pub lead_image_url: Option<String>,
    pub excerpt: Option<String>,
    /// The article body. Sanitised again on the way in, whatever its origin.
    pub content_html: String,
    /// Plain text of the body; derived from `content_html` when empty.
    pub content_text: String,
    /// Derived from the text when `None`.
    pub word_count: Option<i64>,
    pub notes: String,
    /// Where each metadata field came from ("json-ld", "opengraph", …).
    pub metadata_sources: BTreeMap<String, String>,
    /// The page as fetched, kept compressed for re-extraction later.
    #[serde(skip)]
    pub original_html: Option<Vec<u8>>,
    pub original_content_type: Option<String>,
    /// Unix seconds.
    pub fetched_at: Option<i64>,
    /// When the user first saved it (Unix seconds), for imports from other tools; `None` is now.
    #[serde(default)]
    pub added_at: Option<i64>,
    /// Tags to put on the clipping (also merged onto an existing one).
    pub tags: Vec<String>,
    /// The offline copy's images, stored in the same transaction.
    #[serde(skip)]
    pub images: Vec<crate::images::NewImage>,
}

/// What adding an article did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AddOutcome {
    pub id: i64,
    /// False when the canonical URL was already in the library: the existing clipping was kept
    /// and the new tags merged onto it.
    pub created: bool,
}

/// A row of a listing or search: everything but the body.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ClippingSummary {
    pub id: i64,
    pub url: String,
    pub title: String,
    pub authors: Vec<String>,
    pub published_at: Option<String>,
    pub site_name: Option<String>,
    /// The URL's host without `www.`: the source to show when `site_name` is missing.
    pub host: String,
    pub language: Option<String>,
    pub lead_image_url: Option<String>,
    pub excerpt: Option<String>,
    pub word_count: i64,
    pub tags: Vec<String>,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// The search snippet, with matches between `\u{2}` and `\u{3}`; `None` outside searches.
    #[serde(skip)]
    pub snippet: Option<String>,
}

impl ClippingSummary {
    /// The name of the source: the site's own name, else its host.
    pub fn source(&self) -> &str {
        self.site_name
            .as_deref()
            .filter(|s| !s.is_empty())
            .unwrap_or(&self.host)
    }
}

/// Marks the start of a match in a search snippet.
pub const HIGHLIGHT_START: char = '\u{2}';
/// Marks the end of a match in a search snippet.
pub const HIGHLIGHT_END: char = '\u{3}';

/// A clipping with its body, tags and collections.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Clipping {
    pub id: i64,
    pub url: String,
    pub canonical_url: String,
    pub title: String,
    pub authors: Vec<String>,
    pub published_at: Option<String>,
    pub modified_at: Option<String>,
    pub site_name: Option<String>,
    pub host: String,
    pub language: Option<String>,
    pub lead_image_url: Option<String>,
    pub excerpt: Option<String>,
    pub content_html: String,
    pub content_text: String,
    pub word_count: i64,
    pub notes: String,
    pub metadata_sources: BTreeMap<String, String>,
    pub tags: Vec<String>,
    pub collections: Vec<String>,
    pub has_original_html: bool,
    pub fetched_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// Changes to a clipping's user-editable fields; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ClippingPatch {
    pub title: Option<String>,
    pub notes: Option<String>,
    pub authors: Option<Vec<String>>,
    /// `Some(None)` clears the date.
    pub published_at: Option<Option<String>>,
    pub site_name: Option<Option<String>>,
    pub language: Option<Option<String>>,
}

/// Filters shared by listing, searching and saved searches. Dates are kept as the user typed
/// them so that a saved "last 7 days" stays relative.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Filters {
    /// Every tag must be present (a tag includes its descendants).
    pub tags: Vec<String>,
    pub collection: Option<String>,
    /// A site name or a host.
    pub site: Option<String>,
    pub language: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
}

/// The order of a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Sort {
    /// Newest first by publication date (clipping date when unknown). The default.
    #[default]
    Date,
    /// Most recently clipped first.
    Added,
    /// Alphabetical by title.
    Title,
    /// A hand-ordered collection's own order (falls back to `Date` elsewhere).
    Position,
    /// Best match first (searches only; falls back to `Date` without words to match).
    Relevance,
}

/// A listing or search request.
#[derive(Debug, Clone, Default)]
pub struct ListRequest {
    pub query: String,
    pub filters: Filters,
    /// `None`: relevance for a search, position in a hand-ordered collection, else date.
    pub sort: Option<Sort>,
    pub limit: usize,
    pub offset: usize,
}

/// A tag with the number of clippings that carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TagCount {
    pub name: String,
    /// Clippings tagged with exactly this tag.
    pub count: i64,
    /// Clippings tagged with it or any of its descendants (what filtering by it shows).
    pub total: i64,
}

/// A collection and what it holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CollectionInfo {
    pub id: i64,
    pub name: String,
    pub description: String,
    /// "manual" or "saved-search".
    pub kind: &'static str,
    pub query: Option<String>,
    pub filters: Option<Filters>,
    pub count: i64,
    pub created_at: String,
}

/// What a JSONL import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub added: usize,
    /// Lines whose URL was already in the library: their tags were merged.
    pub existing: usize,
    /// Lines recording an extraction error, not an article.
    pub skipped: usize,
}
