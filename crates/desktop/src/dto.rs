//! The records that cross into the UI, beyond the store's own. Every one derives `TS`: the
//! UI's `bindings.ts` is generated from them (see `tests/bindings.rs`).

use std::path::PathBuf;

use clipbook_store::{Clipping, ClippingSummary, CollectionInfo, Facet, Filters, Sort, TagCount};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::AppError;

/// A listing or search, one page of it.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct ListQuery {
    pub query: String,
    pub filters: Filters,
    pub sort: Option<Sort>,
    pub offset: usize,
    pub limit: usize,
}

/// A row of the list: the listing row, its highlighted snippet and its thumbnail.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Row {
    #[serde(flatten)]
    #[ts(flatten)]
    pub summary: ClippingSummary,
    /// Escaped text with `<mark>` around the matches (searches only).
    pub snippet_html: Option<String>,
    /// The address of the stored lead image's thumbnail.
    pub thumbnail: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ListPage {
    pub rows: Vec<Row>,
    /// How many rows the whole listing has.
    pub total: i64,
}

/// Everything the sidebar shows.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Facets {
    pub total: i64,
    pub tags: Vec<TagCount>,
    pub collections: Vec<CollectionInfo>,
    pub sources: Vec<Facet>,
    pub languages: Vec<Facet>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Ltr,
    Rtl,
}

/// A clipping for the reader.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ReaderView {
    pub clipping: Clipping,
    /// The sanitised body with stored images pointing at the app's image protocol.
    pub body_html: String,
    pub direction: Direction,
}

/// Changes the user made in the reader; `None` leaves a field alone.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct Edit {
    pub title: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct SavedSearch {
    pub query: String,
    pub filters: Filters,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct NewCollection {
    pub name: String,
    pub description: String,
    /// A smart collection: this search, kept up to date.
    pub saved: Option<SavedSearch>,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct ClipRequest {
    pub urls: Vec<String>,
    pub tags: Vec<String>,
    pub collection: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ClipState {
    /// Queued or being fetched.
    Working,
    Added,
    /// Already in the library (its tags were merged).
    Existing,
    Failed,
    /// The same address (after canonicalisation) appeared earlier in the list.
    Duplicate,
    /// The batch was stopped before this address was done.
    Stopped,
}

/// One address of a clipping job changed state.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ClipProgress {
    pub job: u32,
    pub url: String,
    pub state: ClipState,
    pub id: Option<i64>,
    pub title: Option<String>,
    pub error: Option<AppError>,
}

#[derive(Debug, Clone, Default, Serialize, TS)]
pub struct ClipFinished {
    pub job: u32,
    pub added: u32,
    pub existing: u32,
    pub failed: u32,
    pub duplicates: u32,
    pub stopped: u32,
}

/// A page saved from a browser.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct ClipFileRequest {
    pub path: String,
    /// The page's original address; found in the page itself when missing.
    pub url: Option<String>,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ClipResult {
    pub id: i64,
    pub title: String,
    pub created: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum ExportFormat {
    Pdf,
    Markdown,
    MarkdownDir,
    Html,
    Json,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ExportSelection {
    Collection { value: String },
    Tag { value: String },
    Query { value: String },
    Ids { ids: Vec<i64> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    #[default]
    A4,
    Letter,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct ExportRequest {
    pub selection: ExportSelection,
    pub format: ExportFormat,
    pub path: String,
    pub force: bool,
    pub paper: Paper,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ExportProgress {
    pub job: u32,
    pub done: u32,
    pub total: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ExportReport {
    #[ts(type = "string")]
    pub path: PathBuf,
    pub clippings: u32,
    pub images: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ExportFinished {
    pub job: u32,
    pub report: Option<ExportReport>,
    pub error: Option<AppError>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct LibraryInfo {
    pub path: String,
    pub clippings: i64,
}
