//! Clipbook's library store: every clipping, tag, collection and image, in one SQLite file.
//!
//! The store owns the schema (numbered migrations in `migrations/`), every SQL statement and the
//! invariants the rest of Clipbook relies on: article bodies are sanitised before they are
//! stored, one canonical URL is one clipping, the full-text index follows every change (SQLite
//! triggers), and each write is one transaction.
//!
//! ```
//! use clipbook_store::{Library, ListRequest, NewClipping};
//!
//! let library = Library::open_in_memory()?;
//! let article = NewClipping {
//!     url: "https://www.example.com/iptv?utm_source=feed".into(),
//!     title: "IPTV : un vaste réseau européen démantelé".into(),
//!     content_html: "<p>5500 serveurs mis hors service.</p>".into(),
//!     tags: vec!["piracy/iptv".into()],
//!     ..Default::default()
//! };
//! let id = library.add_clipping(&article)?.id;
//! let hits = library.list(&ListRequest { query: "serveurs".into(), limit: 10, ..Default::default() })?;
//! assert_eq!(hits[0].id, id);
//! # Ok::<(), clipbook_store::StoreError>(())
//! ```

mod canonical;
mod clippings;
mod collections;
mod dates;
mod db;
mod error;
mod facets;
mod fold;
mod html;
mod images;
mod import;
mod listing;
mod model;
mod query;
mod snippet;
mod tags;

pub use canonical::{canonical_key, canonicalize, parse_web_url};
pub use clippings::{ClippingVersion, RefreshOutcome};
pub use dates::{Bound, format_timestamp, parse_article_date, parse_bound};
pub use db::{APPLICATION_ID, Library, SCHEMA_VERSION};
pub use error::{Result, StoreError};
pub use facets::{ChangeWatch, Facet, default_library_path};
pub use html::{escape_html, html_to_text, sanitize_html};
pub use images::{ImageInfo, NewImage, PrintVersion, content_hash};
pub use model::*;
pub use query::{FtsQuery, translate as translate_query};
pub use snippet::{HighlightTerm, snippet_html};
