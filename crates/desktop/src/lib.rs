//! Clipbook's desktop app without Tauri: every command's logic, the records it exchanges with
//! the UI, and the background jobs (clipping, exporting) with their progress. `src-tauri` is a
//! thin layer of adapters over [`Desktop`]; everything here is tested without a window.

pub mod bridge;
pub mod dto;
pub mod error;
pub mod import;
pub mod reader;
pub mod thumbs;

use std::collections::HashMap;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use clipbook_fetch::{BatchLimits, ClipOptions, FetchConfig, Page};
use clipbook_store::{ClippingPatch, Library, ListRequest};
use tokio::sync::oneshot;

/// The store's records, for the shell's signatures.
pub use clipbook_store as store;
pub use dto::*;
pub use error::{AppError, Result};

/// The most rows one list request returns.
const MAX_PAGE: usize = 500;

/// What a clipping job reports.
#[derive(Debug, Clone)]
pub enum ClipEvent {
    Progress(ClipProgress),
    Finished(ClipFinished),
}

/// What an export job reports.
#[derive(Debug, Clone)]
pub enum ExportEvent {
    Progress(ExportProgress),
    Finished(ExportFinished),
}

/// The app's state: the library and the jobs running on it.
pub struct Desktop {
    lib: Arc<Library>,
    fetch: FetchConfig,
    /// Where the web view finds stored images: `clipbook://localhost/` on Linux and macOS.
    image_base: String,
    next_job: AtomicU32,
    /// Running clipping jobs: sending stops one.
    clip_jobs: Mutex<HashMap<u32, oneshot::Sender<()>>>,
    thumbs: thumbs::Cache,
}

/// The library the app opens: `CLIPBOOK_DB` when set (as for the CLI), else the default file.
pub fn library_path() -> Result<PathBuf> {
    match std::env::var_os("CLIPBOOK_DB") {
        Some(path) if !path.is_empty() => Ok(PathBuf::from(path)),
        _ => Ok(clipbook_store::default_library_path()?),
    }
}

impl Desktop {
    pub fn open(path: &Path, image_base: &str) -> Result<Desktop> {
        Ok(Desktop::with_library(Library::open(path)?, image_base))
    }

    pub fn with_library(lib: Library, image_base: &str) -> Desktop {
        Desktop {
            lib: Arc::new(lib),
            fetch: FetchConfig::default(),
            image_base: image_base.to_string(),
            next_job: AtomicU32::new(1),
            clip_jobs: Mutex::new(HashMap::new()),
            thumbs: thumbs::Cache::default(),
        }
    }

    /// Fetch settings (tests point them at local servers).
    pub fn set_fetch_config(&mut self, config: FetchConfig) {
        self.fetch = config;
    }

    pub fn library(&self) -> &Arc<Library> {
        &self.lib
    }

    pub fn library_info(&self) -> Result<LibraryInfo> {
        Ok(LibraryInfo {
            path: self
                .lib
                .path()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| ":memory:".into()),
            clippings: self.lib.count_clippings()?,
        })
    }

    pub fn list(&self, query: &ListQuery) -> Result<ListPage> {
        let req = ListRequest {
            query: query.query.clone(),
            filters: query.filters.clone(),
            sort: query.sort,
            limit: query.limit.clamp(1, MAX_PAGE),
            offset: query.offset,
        };
        let summaries = self.lib.list(&req)?;
        let total = self.lib.count(&req)?;
        let ids: Vec<i64> = summaries.iter().map(|s| s.id).collect();
        let leads = self.lib.lead_images(&ids)?;
        let rows = summaries
            .into_iter()
            .map(|summary| Row {
                snippet_html: summary.snippet.as_deref().map(clipbook_store::snippet_html),
                thumbnail: leads
                    .get(&summary.id)
                    .map(|hash| format!("{}thumb/{hash}", self.image_base)),
                summary,
            })
            .collect();
        Ok(ListPage { rows, total })
    }

    /// Every id of a listing (its offset and limit ignored), for "select all".
    pub fn ids(&self, query: &ListQuery) -> Result<Vec<i64>> {
        Ok(self.lib.ids(&ListRequest {
            query: query.query.clone(),
            filters: query.filters.clone(),
            sort: query.sort,
            limit: 0,
            offset: 0,
        })?)
    }

    pub fn facets(&self) -> Result<Facets> {
        Ok(Facets {
            total: self.lib.count_clippings()?,
            tags: self.lib.tags()?,
            collections: self.lib.collections()?,
            sources: self.lib.sources()?,
            languages: self.lib.languages()?,
        })
    }

    pub fn reader(&self, id: i64) -> Result<ReaderView> {
        let clipping = self.lib.clipping(id)?;
        let images = self.lib.images(id)?;
        Ok(ReaderView {
            body_html: reader::local_images(&clipping.content_html, &images, &self.image_base),
            direction: reader::direction(clipping.language.as_deref()),
            clipping,
        })
    }

    pub fn edit(&self, id: i64, edit: &Edit) -> Result<clipbook_store::Clipping> {
        if let Some(title) = &edit.title
            && title.trim().is_empty()
        {
            return Err(AppError::invalid("a clipping needs a title"));
        }
        let patch = ClippingPatch {
            title: edit.title.as_ref().map(|t| t.trim().to_string()),
            notes: edit.notes.clone(),
            ..ClippingPatch::default()
        };
        Ok(self.lib.update_clipping(id, &patch)?)
    }

    /// Makes a clipping's tags exactly `tags`; returns them as stored.
    pub fn set_tags(&self, id: i64, tags: &[String]) -> Result<Vec<String>> {
        let current = self.lib.clipping(id)?.tags;
        let wanted: Vec<String> = tags
            .iter()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        let remove: Vec<String> = current
            .iter()
            .filter(|t| !wanted.iter().any(|w| w.eq_ignore_ascii_case(t)))
            .cloned()
            .collect();
        if !remove.is_empty() {
            self.lib.untag_clippings(&[id], &remove)?;
        }
        if !wanted.is_empty() {
            self.lib.tag_clippings(&[id], &wanted)?;
        }
        Ok(self.lib.clipping(id)?.tags)
    }

    pub fn new_collection(&self, req: &NewCollection) -> Result<clipbook_store::CollectionInfo> {
        let saved = req.saved.as_ref().map(|s| (s.query.as_str(), &s.filters));
        Ok(self
            .lib
            .create_collection(&req.name, &req.description, saved)?)
    }

    /// An image of the offline copy (`image/<hash>`) or a list thumbnail (`thumb/<hash>`), as
    /// (content type, bytes). `None`: nothing stored under that path.
    pub fn image(&self, path: &str) -> Option<(String, Arc<Vec<u8>>)> {
        let path = path.trim_start_matches('/');
        let (kind, hash) = path.split_once('/')?;
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        match kind {
            "image" => {
                let bytes = self.lib.image_bytes(hash).ok()??;
                let kind = image::guess_format(&bytes)
                    .map(|f| f.to_mime_type().to_string())
                    .unwrap_or_else(|_| "application/octet-stream".into());
                Some((kind, Arc::new(bytes)))
            }
            "thumb" => {
                let thumb = self.thumbs.get_or_make(hash, || {
                    let bytes = self.lib.image_bytes(hash).ok()??;
                    thumbs::thumbnail(&bytes)
                })?;
                Some(("image/jpeg".into(), thumb))
            }
            _ => None,
        }
    }

    pub(crate) fn job_id(&self) -> u32 {
        self.next_job.fetch_add(1, Ordering::Relaxed)
    }

    /// Starts clipping addresses: returns the job's id and the work, to run on the async
    /// runtime. `sink` hears a `Working` event for every address first, then one event per
    /// address as it finishes, then `Finished`.
    pub fn clip_job(
        self: &Arc<Self>,
        req: ClipRequest,
        sink: impl Fn(ClipEvent) + Send + Sync + 'static,
    ) -> Result<(u32, impl Future<Output = ()> + Send + 'static)> {
        let urls: Vec<String> = req
            .urls
            .iter()
            .map(|u| u.trim().to_string())
            .filter(|u| !u.is_empty())
            .collect();
        if urls.is_empty() {
            return Err(AppError::invalid("no addresses to clip"));
        }
        let options = ClipOptions {
            tags: req.tags.clone(),
            collection: req.collection.clone().filter(|c| !c.trim().is_empty()),
        };
        clipbook_fetch::prepare_collection(&self.lib, &options)?;
        let job = self.job_id();
        let (stop_tx, stop_rx) = oneshot::channel();
        self.lock_jobs().insert(job, stop_tx);
        let this = Arc::clone(self);
        let work = async move {
            for url in &urls {
                sink(ClipEvent::Progress(ClipProgress {
                    job,
                    url: url.clone(),
                    state: ClipState::Working,
                    id: None,
                    title: None,
                    error: None,
                }));
            }
            let report = clipbook_fetch::clip_batch(
                Arc::clone(&this.lib),
                urls,
                &this.fetch,
                BatchLimits::default(),
                &options,
                |item| sink(ClipEvent::Progress(progress_of(job, item))),
                stopped(stop_rx),
            )
            .await;
            this.lock_jobs().remove(&job);
            for url in &report.not_done {
                sink(ClipEvent::Progress(ClipProgress {
                    job,
                    url: url.clone(),
                    state: ClipState::Stopped,
                    id: None,
                    title: None,
                    error: None,
                }));
            }
            sink(ClipEvent::Finished(ClipFinished {
                job,
                added: count(report.added()),
                existing: count(report.existing()),
                failed: count(report.failed().count()),
                duplicates: count(report.duplicates),
                stopped: count(report.not_done.len()),
            }));
        };
        Ok((job, work))
    }

    /// Stops a clipping job: addresses not finished are abandoned (each clipping is one
    /// transaction: nothing is half-stored). Stopping a finished job does nothing.
    pub fn cancel_clip(&self, job: u32) {
        if let Some(stop) = self.lock_jobs().remove(&job) {
            let _ = stop.send(());
        }
    }

    pub(crate) fn lock_jobs(&self) -> std::sync::MutexGuard<'_, HashMap<u32, oneshot::Sender<()>>> {
        self.clip_jobs
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Clips a page saved from a browser. Its address is the one given, else the one the page
    /// declares (canonical link, `og:url`).
    pub async fn clip_file(&self, req: ClipFileRequest) -> Result<ClipResult> {
        let path = PathBuf::from(&req.path);
        let bytes = std::fs::read(&path)
            .map_err(|e| AppError::new("read_file", format!("cannot read {}: {e}", req.path)))?;
        let url = match req.url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            Some(url) => url.to_string(),
            None => declared_url(&bytes).ok_or_else(|| {
                AppError::new(
                    "no_url",
                    "the page does not say where it comes from: give its original address",
                )
            })?,
        };
        let url = clipbook_store::parse_web_url(&url)?;
        let page = Page {
            url,
            content_type: None,
            charset: None,
            bytes,
        };
        let images = clipbook_fetch::image_client(&self.fetch)?;
        let options = ClipOptions {
            tags: req.tags,
            collection: None,
        };
        let clipped =
            clipbook_fetch::clip_page(&self.lib, page, &self.fetch, &images, &options).await?;
        Ok(ClipResult {
            id: clipped.id,
            title: clipped.title,
            created: clipped.created,
        })
    }

    /// Starts an export: returns the job's id and the work, to run on a blocking thread.
    pub fn export_job(
        self: &Arc<Self>,
        req: ExportRequest,
        sink: impl Fn(ExportEvent) + Send + 'static,
    ) -> Result<(u32, impl FnOnce() + Send + 'static)> {
        if req.path.trim().is_empty() {
            return Err(AppError::invalid("choose where to save the export"));
        }
        let job = self.job_id();
        let this = Arc::clone(self);
        let work = move || {
            let mut progress = |done: usize, total: usize| {
                sink(ExportEvent::Progress(ExportProgress {
                    job,
                    done: count(done),
                    total: count(total),
                }));
            };
            let result = this.export(&req, &mut progress);
            let (report, error) = match result {
                Ok(report) => (Some(report), None),
                Err(error) => (None, Some(error)),
            };
            sink(ExportEvent::Finished(ExportFinished { job, report, error }));
        };
        Ok((job, work))
    }

    /// Exports now, on this thread.
    pub fn export(
        &self,
        req: &ExportRequest,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ExportReport> {
        let selection = match &req.selection {
            ExportSelection::Collection { value } => {
                clipbook_export::Selection::Collection(value.clone())
            }
            ExportSelection::Tag { value } => clipbook_export::Selection::Tag(value.clone()),
            ExportSelection::Query { value } if value.trim().is_empty() => {
                clipbook_export::Selection::Ids(self.lib.ids(&ListRequest::default())?)
            }
            ExportSelection::Query { value } => clipbook_export::Selection::Query(value.clone()),
            ExportSelection::Ids { ids } => clipbook_export::Selection::Ids(ids.clone()),
        };
        let out = PathBuf::from(req.path.trim());
        let format = match req.format {
            ExportFormat::Pdf => {
                let options = clipbook_pdf::PdfOptions {
                    out,
                    force: req.force,
                    paper: match req.paper {
                        Paper::A4 => clipbook_pdf::Paper::A4,
                        Paper::Letter => clipbook_pdf::Paper::Letter,
                    },
                    title: None,
                };
                let report = clipbook_pdf::export_pdf(&self.lib, &selection, &options, progress)?;
                return Ok(ExportReport {
                    path: report.path,
                    clippings: count(report.clippings),
                    images: count(report.images),
                });
            }
            ExportFormat::Markdown => clipbook_export::Format::Markdown,
            ExportFormat::MarkdownDir => clipbook_export::Format::MarkdownDir,
            ExportFormat::Html => clipbook_export::Format::Html,
            ExportFormat::Json => clipbook_export::Format::Json,
        };
        let options = clipbook_export::ExportOptions {
            format,
            out,
            force: req.force,
            remote_images: false,
            title: None,
        };
        let report = clipbook_export::export(&self.lib, &selection, &options, progress)?;
        Ok(ExportReport {
            path: report.path,
            clippings: count(report.clippings),
            images: count(report.images),
        })
    }
}

/// Completes when a job is told to stop; a dropped sender (the job finished) is not a stop.
pub(crate) async fn stopped(stop: oneshot::Receiver<()>) {
    if stop.await.is_err() {
        std::future::pending::<()>().await;
    }
}

pub(crate) fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn progress_of(job: u32, item: &clipbook_fetch::BatchItem) -> ClipProgress {
    let (state, id, title, error) = match &item.result {
        Ok(c) if c.created => (ClipState::Added, Some(c.id), Some(c.title.clone()), None),
        Ok(c) => (ClipState::Existing, Some(c.id), Some(c.title.clone()), None),
        Err(e) => (
            ClipState::Failed,
            None,
            None,
            Some(AppError::new(e.code(), e.to_string())),
        ),
    };
    ClipProgress {
        job,
        url: item.url.clone(),
        state,
        id,
        title,
        error,
    }
}

/// The address a saved page declares for itself.
fn declared_url(bytes: &[u8]) -> Option<String> {
    let config = clipbook_extract::Config::default();
    clipbook_extract::extract(bytes, None, None, &config)
        .ok()?
        .canonical_url
}
