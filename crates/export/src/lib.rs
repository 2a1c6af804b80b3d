//! Exports of a selection of clippings — a collection in its order, a tag, a search, or ids:
//! Markdown (one file with its images beside it, or a folder of notes with YAML front matter
//! that Obsidian, Hugo and Jekyll read as they are), a self-contained HTML file, and JSON.
//!
//! Every export is written under a temporary name and renamed at the end: an interrupted export
//! never leaves a half file under the name asked for. Clippings are read one at a time, so
//! memory does not grow with the size of the selection.

mod files;
mod html;
mod json;
pub mod markdown;

use std::path::{Path, PathBuf};

use clipbook_store::{
    Clipping, ClippingSummary, Filters, ImageInfo, Library, ListRequest, Sort, StoreError,
};

pub use files::{Target, safe_file_name};

/// What to export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// A collection, in its own order.
    Collection(String),
    /// Clippings with a tag (or one below it), newest first.
    Tag(String),
    /// A search, best matches first.
    Query(String),
    /// These clippings, in this order.
    Ids(Vec<i64>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    MarkdownDir,
    Html,
    Json,
}

#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub format: Format,
    pub out: PathBuf,
    /// Replace what is at `out`.
    pub force: bool,
    /// Link images at their original addresses instead of copying (or inlining) them.
    pub remote_images: bool,
    /// The export's title; by default the collection's name, the tag or the search.
    pub title: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{} already exists (add --force to replace it)", .0.display())]
    Exists(PathBuf),
    #[error("nothing to export: {0}")]
    Empty(String),
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot convert clipping {id} to Markdown: {message}")]
    Convert { id: i64, message: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ExportError {
    pub fn code(&self) -> &'static str {
        match self {
            ExportError::Exists(_) => "exists",
            ExportError::Empty(_) => "empty",
            ExportError::Write { .. } => "write",
            ExportError::Convert { .. } => "convert",
            ExportError::Store(e) => e.code(),
        }
    }
}

pub(crate) fn write_error(path: &Path) -> impl FnOnce(std::io::Error) -> ExportError + '_ {
    move |source| ExportError::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExportReport {
    pub path: PathBuf,
    pub clippings: usize,
    /// Images copied or inlined.
    pub images: usize,
}

/// The clippings of a selection, in order, with the export's default title and description.
pub struct Resolved {
    pub title: String,
    pub description: String,
    /// The clippings' listing rows, in order: enough for a table of contents.
    pub clippings: Vec<ClippingSummary>,
}

impl Resolved {
    /// The clippings' ids, in order.
    pub fn ids(&self) -> impl Iterator<Item = i64> + '_ {
        self.clippings.iter().map(|c| c.id)
    }
}

/// Finds the clippings a selection names. Unknown collections, tags and ids are errors.
pub fn resolve(lib: &Library, selection: &Selection) -> Result<Resolved, ExportError> {
    let all = |filters: Filters,
               query: String,
               sort: Option<Sort>|
     -> Result<Vec<ClippingSummary>, ExportError> {
        let req = ListRequest {
            query,
            filters,
            sort,
            limit: i64::MAX as usize,
            offset: 0,
        };
        Ok(lib.list(&req)?)
    };
    let resolved = match selection {
        Selection::Collection(name) => {
            let info = lib.collection(name)?;
            let clippings = all(
                Filters {
                    collection: Some(info.name.clone()),
                    ..Filters::default()
                },
                String::new(),
                None,
            )?;
            Resolved {
                title: info.name,
                description: info.description,
                clippings,
            }
        }
        Selection::Tag(tag) => Resolved {
            title: tag.clone(),
            description: String::new(),
            clippings: all(
                Filters {
                    tags: vec![tag.clone()],
                    ..Filters::default()
                },
                String::new(),
                None,
            )?,
        },
        Selection::Query(q) => Resolved {
            title: format!("Search: {q}"),
            description: String::new(),
            clippings: all(Filters::default(), q.clone(), None)?,
        },
        Selection::Ids(ids) => Resolved {
            title: "Clippings".into(),
            description: String::new(),
            clippings: lib.summaries(ids)?,
        },
    };
    if resolved.clippings.is_empty() {
        return Err(ExportError::Empty(format!(
            "\"{}\" holds no clippings",
            resolved.title
        )));
    }
    Ok(resolved)
}

/// One clipping to write, with its images.
pub struct Item {
    pub clipping: Clipping,
    pub images: Vec<ImageInfo>,
}

pub(crate) fn load(lib: &Library, id: i64) -> Result<Item, ExportError> {
    Ok(Item {
        clipping: lib.clipping(id)?,
        images: lib.images(id)?,
    })
}

/// The day an article is dated: its publication day, else the day it was clipped.
pub fn day(c: &Clipping) -> &str {
    dated(c.published_at.as_deref(), &c.created_at)
}

/// [`day`] for a listing row.
pub fn summary_day(c: &ClippingSummary) -> &str {
    dated(c.published_at.as_deref(), &c.created_at)
}

fn dated<'a>(published: Option<&'a str>, created: &'a str) -> &'a str {
    published.unwrap_or(created).get(..10).unwrap_or("")
}

/// "2020-11-12 – 2020-11-14", or one day.
pub fn date_range(days: &[String]) -> String {
    let min = days.iter().filter(|d| !d.is_empty()).min();
    let max = days.iter().filter(|d| !d.is_empty()).max();
    match (min, max) {
        (Some(a), Some(b)) if a == b => a.clone(),
        (Some(a), Some(b)) => format!("{a} – {b}"),
        _ => String::new(),
    }
}

/// The source of a clipping, as printed: its site's name, else its host.
pub fn source(c: &Clipping) -> &str {
    c.site_name
        .as_deref()
        .filter(|s| !s.is_empty())
        .unwrap_or(&c.host)
}

/// Exports a selection. `progress(done, total)` is called after each clipping.
pub fn export(
    lib: &Library,
    selection: &Selection,
    options: &ExportOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ExportReport, ExportError> {
    let resolved = resolve(lib, selection)?;
    let title = options
        .title
        .clone()
        .unwrap_or_else(|| resolved.title.clone());
    let doc = files::Target::prepare(&options.out, options.format, options.force)?;
    let result = match options.format {
        Format::Markdown => markdown::write_file(lib, &resolved, &title, options, &doc, progress),
        Format::MarkdownDir => markdown::write_dir(lib, &resolved, &title, options, &doc, progress),
        Format::Html => html::write(lib, &resolved, &title, options, &doc, progress),
        Format::Json => json::write(lib, &resolved, &doc, progress),
    };
    match result {
        Ok(images) => {
            doc.commit()?;
            Ok(ExportReport {
                path: options.out.clone(),
                clippings: resolved.clippings.len(),
                images,
            })
        }
        Err(err) => {
            doc.abandon();
            Err(err)
        }
    }
}
