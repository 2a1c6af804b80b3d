//! The PDF press review: a cover (title, date range, number of articles), a table of contents
//! with page numbers, then each article on a new page with its source, author, date and
//! address, its body with headings, lists, quotes, tables and figures, running headers and page
//! numbers. Typeset by typst, used as a library, with fonts built into the binary.
//!
//! Articles reach the template as JSON data, never spliced into markup: a title such as
//! `#panic("x")` prints as it is written.

mod blocks;
mod world;

use std::collections::HashMap;
use std::path::PathBuf;

use clipbook_export::{ExportError, Selection, Target, date_range, day, source};
use clipbook_print_images as images;
use clipbook_store::{Library, PrintVersion};
use serde::Serialize;
use typst::foundations::Bytes;
use typst_layout::PagedDocument;

pub use blocks::{Block, Inline, blocks};

const TEMPLATE: &str = include_str!("template.typ");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Paper {
    #[default]
    A4,
    Letter,
}

#[derive(Debug, Clone)]
pub struct PdfOptions {
    pub out: PathBuf,
    pub force: bool,
    pub paper: Paper,
    /// The title on the cover; by default the collection's name, the tag or the search.
    pub title: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error(transparent)]
    Export(#[from] ExportError),
    #[error("typesetting failed: {0}")]
    Typeset(String),
}

impl PdfError {
    pub fn code(&self) -> &'static str {
        match self {
            PdfError::Export(e) => e.code(),
            PdfError::Typeset(_) => "typeset",
        }
    }
}

impl From<clipbook_store::StoreError> for PdfError {
    fn from(e: clipbook_store::StoreError) -> Self {
        PdfError::Export(e.into())
    }
}

#[derive(Serialize)]
struct ArticleData {
    title: String,
    header: String,
    meta: String,
    url: String,
    lang: String,
    dir: &'static str,
    notes: String,
    blocks: Vec<Block>,
}

#[derive(Serialize)]
struct Data {
    title: String,
    kicker: &'static str,
    description: String,
    range: String,
    count: String,
    paper: &'static str,
    lang: String,
    contents_title: &'static str,
    notes_title: &'static str,
    articles: Vec<ArticleData>,
}

/// Languages written right to left.
fn direction(lang: &str) -> &'static str {
    if matches!(lang, "ar" | "he" | "fa" | "ur" | "yi" | "ps" | "sd" | "ug") {
        "rtl"
    } else {
        "ltr"
    }
}

/// A language code typst accepts: two or three ASCII letters.
fn typst_lang(lang: Option<&str>) -> String {
    lang.filter(|l| (2..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_lowercase()))
        .unwrap_or("en")
        .to_string()
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PdfReport {
    pub path: PathBuf,
    pub clippings: usize,
    pub images: usize,
    pub pages: usize,
    pub bytes: u64,
}

/// Typesets a selection as a press review. `progress(done, total)` is called as articles are
/// prepared; typesetting itself is one step at the end.
pub fn export_pdf(
    lib: &Library,
    selection: &Selection,
    options: &PdfOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<PdfReport, PdfError> {
    let resolved = clipbook_export::resolve(lib, selection)?;
    let target = Target::single_file(&options.out, options.force)?;
    let result = typeset(lib, &resolved, options, progress);
    match result {
        Ok((pdf, pages, images)) => {
            let path = target.main().to_path_buf();
            std::fs::write(&path, &pdf).map_err(|source| ExportError::Write { path, source })?;
            target.commit()?;
            Ok(PdfReport {
                path: options.out.clone(),
                clippings: resolved.clippings.len(),
                images,
                pages,
                bytes: pdf.len() as u64,
            })
        }
        Err(e) => {
            target.abandon();
            Err(e)
        }
    }
}

fn typeset(
    lib: &Library,
    resolved: &clipbook_export::Resolved,
    options: &PdfOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<(Vec<u8>, usize, usize), PdfError> {
    let total = resolved.clippings.len();
    let mut files: HashMap<typst::syntax::FileId, Bytes> = HashMap::new();
    let mut articles = Vec::with_capacity(total);
    let mut days = Vec::with_capacity(total);
    let mut languages: HashMap<String, usize> = HashMap::new();
    let mut image_count = 0usize;
    // First the clippings and the distinct images they show (each image once, even when
    // several articles share it).
    let mut loaded = Vec::with_capacity(total);
    let mut hashes: Vec<String> = Vec::new();
    let mut slot_of: HashMap<String, usize> = HashMap::new();
    for id in resolved.ids() {
        let c = lib.clipping(id)?;
        let stored = lib.images(id)?;
        for hash in stored.iter().filter_map(|i| i.hash.clone()) {
            if !slot_of.contains_key(&hash) {
                slot_of.insert(hash.clone(), hashes.len());
                hashes.push(hash);
            }
        }
        loaded.push((c, stored));
    }
    // Then every image's print-ready version: kept by the library since it was clipped, else
    // prepared here on all cores (decoding is the slow part) and kept for the next export.
    let ready = prepare_all(lib, &hashes);
    let mut path_of_slot: Vec<Option<String>> = Vec::with_capacity(ready.len());
    for prepared in ready {
        let path = prepared.and_then(|p| {
            let path = format!("/img/{}.{}", image_count, p.ext);
            let id = world::file_id(&path)?;
            files.insert(id, Bytes::new(p.bytes));
            image_count += 1;
            Some(path)
        });
        path_of_slot.push(path);
    }
    for (i, (c, stored)) in loaded.into_iter().enumerate() {
        let paths: HashMap<String, Option<String>> = stored
            .iter()
            .map(|image| {
                let path = image
                    .hash
                    .as_ref()
                    .and_then(|h| slot_of.get(h))
                    .and_then(|&slot| path_of_slot[slot].clone());
                (image.url.clone(), path)
            })
            .collect();
        let lang = typst_lang(c.language.as_deref());
        *languages.entry(lang.clone()).or_default() += 1;
        let mut meta = vec![source(&c).to_string()];
        if !c.authors.is_empty() {
            meta.push(c.authors.join(", "));
        }
        if let Some(d) = c.published_at.as_deref().and_then(|p| p.get(..10)) {
            meta.push(d.to_string());
        }
        let short: String = c.title.chars().take(70).collect();
        let header = if short.len() < c.title.len() {
            format!("{} — {short}…", source(&c))
        } else {
            format!("{} — {short}", source(&c))
        };
        days.push(day(&c).to_string());
        articles.push(ArticleData {
            blocks: blocks(&c.content_html, &|url| paths.get(url).cloned().flatten()),
            title: c.title.clone(),
            header,
            meta: meta.join(" · "),
            url: c.url.clone(),
            dir: direction(&lang),
            lang,
            notes: c.notes.trim().to_string(),
        });
        progress(i + 1, total);
    }
    let lang = languages
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map(|(l, _)| l)
        .unwrap_or_else(|| "en".into());
    let data = Data {
        title: options
            .title
            .clone()
            .unwrap_or_else(|| resolved.title.clone()),
        kicker: "Press review",
        description: if options.title.is_none() {
            resolved.description.clone()
        } else {
            String::new()
        },
        range: date_range(&days),
        count: format!("{total} article{}", if total == 1 { "" } else { "s" }),
        paper: match options.paper {
            Paper::A4 => "a4",
            Paper::Letter => "us-letter",
        },
        lang,
        contents_title: "Contents",
        notes_title: "Notes",
        articles,
    };
    let json = serde_json::to_vec(&data).map_err(|e| PdfError::Typeset(e.to_string()))?;
    let data_id =
        world::file_id("/data.json").ok_or_else(|| PdfError::Typeset("bad data path".into()))?;
    files.insert(data_id, Bytes::new(json));
    let today = chrono_today();
    let world = world::PressWorld::new(TEMPLATE, files, today)
        .ok_or_else(|| PdfError::Typeset("bad template path".into()))?;
    let document: PagedDocument = typst::compile(&world).output.map_err(typeset_error)?;
    let pages = document.pages().len();
    let pdf =
        typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(typeset_error)?;
    drop(document);
    // typst memoises for the next compilation; a desktop app exports now and then.
    typst::comemo::evict(0);
    Ok((pdf, pages, image_count))
}

/// typst's diagnostics as one error.
fn typeset_error(errors: typst::ecow::EcoVec<typst::diag::SourceDiagnostic>) -> PdfError {
    let messages: Vec<String> = errors.iter().map(|e| e.message.to_string()).collect();
    PdfError::Typeset(messages.join("; "))
}

/// An image ready for print: the version made when it was clipped (or by an earlier export),
/// else prepared now and kept for the next export (best effort: a library that cannot be
/// written still exports).
fn print_ready(lib: &Library, hash: &str, recipe: &str) -> Option<PrintVersion> {
    if let Ok(Some((bytes, ext))) = lib.print_image(hash, recipe) {
        // Anything but what `print_version` gives is prepared again.
        if images::EXTENSIONS.contains(&ext.as_str()) {
            return Some(PrintVersion {
                recipe: recipe.to_string(),
                ext,
                bytes,
            });
        }
    }
    // An image that cannot be read from the library becomes a placeholder.
    let version = lib
        .image_bytes(hash)
        .ok()
        .flatten()
        .and_then(|b| images::print_version(&b))?;
    let _ = lib.keep_print_image(hash, &version);
    Some(version)
}

/// Prepares images in parallel (as many threads as cores, at most 4), in order.
fn prepare_all(lib: &Library, hashes: &[String]) -> Vec<Option<PrintVersion>> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let recipe = images::recipe();
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<PrintVersion>>> =
        Mutex::new((0..hashes.len()).map(|_| None).collect());
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 4);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(hash) = hashes.get(i) else { break };
                    let prepared = print_ready(lib, hash, &recipe);
                    if let Ok(mut results) = results.lock() {
                        results[i] = prepared;
                    }
                }
            });
        }
    });
    results.into_inner().unwrap_or_default()
}

fn chrono_today() -> (i32, u8, u8) {
    use chrono::Datelike;
    let today = chrono::Local::now().date_naive();
    (today.year(), today.month() as u8, today.day() as u8)
}
