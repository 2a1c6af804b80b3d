//! Importing another tool's export from the app: the same steps as `clipbook import --from`
//! (entries with content stored as they are, known ones only re-tagged, the rest fetched
//! through the batch path), as a stoppable job that reports its progress.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use clipbook_fetch::{BatchLimits, ClipOptions};
use clipbook_imports::{Entry, Format, apply};
use serde::{Deserialize, Serialize};
use tokio::sync::oneshot;
use ts_rs::TS;

use crate::{AppError, Desktop, Result, count, stopped};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum ImportFormat {
    Pocket,
    Netscape,
    Wallabag,
    Omnivore,
    Urls,
}

impl From<ImportFormat> for Format {
    fn from(f: ImportFormat) -> Format {
        match f {
            ImportFormat::Pocket => Format::Pocket,
            ImportFormat::Netscape => Format::Netscape,
            ImportFormat::Wallabag => Format::Wallabag,
            ImportFormat::Omnivore => Format::Omnivore,
            ImportFormat::Urls => Format::Urls,
        }
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct ImportRequest {
    /// The export file (or Omnivore's unzipped folder).
    pub path: String,
    pub format: ImportFormat,
    /// Added to every imported clipping.
    pub tags: Vec<String>,
}

/// How far an import is: entries handled out of all, by outcome.
#[derive(Debug, Clone, Default, Serialize, TS)]
pub struct ImportProgress {
    pub job: u32,
    pub done: u32,
    pub total: u32,
    /// Stored with the content the export had.
    pub added: u32,
    /// Fetched from the web.
    pub fetched: u32,
    pub existing: u32,
    pub failed: u32,
}

/// An entry that failed or was read with a problem: where, and why.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportIssue {
    /// The address, or the line or entry of the file.
    pub location: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportFinished {
    pub job: u32,
    /// The last counts.
    pub progress: ImportProgress,
    pub failures: Vec<ImportIssue>,
    pub problems: Vec<ImportIssue>,
    /// Entries repeated in the file (merged).
    pub duplicates: u32,
    /// Entries not done because the user stopped: running the same import again finishes.
    pub stopped: u32,
    /// The file could not be read at all.
    pub error: Option<AppError>,
}

/// What an import job reports.
#[derive(Debug, Clone)]
pub enum ImportEvent {
    Progress(ImportProgress),
    Finished(ImportFinished),
}

/// The running counts, and the failures met.
struct Run<S> {
    progress: ImportProgress,
    failures: Vec<ImportIssue>,
    sink: S,
}

impl<S: Fn(ImportEvent)> Run<S> {
    fn step(&mut self, outcome: Outcome, location: &str, message: Option<String>) {
        let p = &mut self.progress;
        p.done += 1;
        match outcome {
            Outcome::Added => p.added += 1,
            Outcome::Fetched => p.fetched += 1,
            Outcome::Existing => p.existing += 1,
            Outcome::Failed => p.failed += 1,
        }
        if let Some(message) = message {
            self.failures.push(ImportIssue {
                location: location.to_string(),
                message,
            });
        }
        // Every entry of a short import; about every percent of a long one.
        let every = (p.total / 100).max(1);
        if p.done % every == 0 || p.done == p.total {
            (self.sink)(ImportEvent::Progress(p.clone()));
        }
    }
}

enum Outcome {
    Added,
    Fetched,
    Existing,
    Failed,
}

impl Desktop {
    /// Starts importing an export: returns the job's id and the work, to run on the async
    /// runtime. Stopped with [`Desktop::cancel_clip`] like a clipping job.
    pub fn import_job(
        self: &Arc<Self>,
        req: ImportRequest,
        sink: impl Fn(ImportEvent) + Send + Sync + 'static,
    ) -> Result<(u32, impl Future<Output = ()> + Send + 'static)> {
        if req.path.trim().is_empty() {
            return Err(AppError::invalid("choose the file to import"));
        }
        let job = self.job_id();
        let (stop_tx, stop_rx) = oneshot::channel();
        self.lock_jobs().insert(job, stop_tx);
        let this = Arc::clone(self);
        let work = async move {
            let finished = this.import(job, req, stop_rx, &sink).await;
            this.lock_jobs().remove(&job);
            sink(ImportEvent::Finished(finished));
        };
        Ok((job, work))
    }

    async fn import(
        &self,
        job: u32,
        req: ImportRequest,
        stop: oneshot::Receiver<()>,
        sink: &(impl Fn(ImportEvent) + Send + Sync),
    ) -> ImportFinished {
        let mut finished = ImportFinished {
            job,
            progress: ImportProgress {
                job,
                ..ImportProgress::default()
            },
            failures: Vec::new(),
            problems: Vec::new(),
            duplicates: 0,
            stopped: 0,
            error: None,
        };
        let path = PathBuf::from(&req.path);
        let format = Format::from(req.format);
        let loaded = tokio::task::spawn_blocking(move || clipbook_imports::load(format, &path))
            .await
            .map_err(|e| AppError::new("internal", e.to_string()))
            .and_then(|r| r.map_err(|e| AppError::new(e.code(), e.to_string())));
        let batch = match loaded {
            Ok(batch) => batch,
            Err(e) => {
                finished.error = Some(e);
                return finished;
            }
        };
        finished.problems = batch
            .problems
            .iter()
            .map(|p| ImportIssue {
                location: p.location.clone(),
                message: p.message.clone(),
            })
            .collect();
        let plan = apply::plan(batch);
        finished.duplicates = count(plan.duplicates);
        let mut run = Run {
            progress: ImportProgress {
                job,
                total: count(plan.total),
                ..ImportProgress::default()
            },
            failures: Vec::new(),
            sink,
        };
        sink(ImportEvent::Progress(run.progress.clone()));

        // Stored and known entries: quick library work, done here in order.
        let lib = Arc::clone(&self.lib);
        let (with_content, without, tags) = (plan.with_content, plan.to_fetch, req.tags.clone());
        let local = tokio::task::spawn_blocking(move || {
            let stored: Vec<_> = with_content
                .iter()
                .map(|e| {
                    let r = lib.add_clipping(&apply::new_clipping(e, &tags));
                    (e.url.clone(), r.map(|o| o.created))
                })
                .collect();
            let mut to_fetch = Vec::new();
            let mut known = Vec::new();
            for entry in without {
                match apply::merge_into_known(&lib, &entry, &tags) {
                    Ok(Some(_)) => known.push((entry.url.clone(), Ok(()))),
                    Ok(None) => to_fetch.push(entry),
                    Err(e) => known.push((entry.url.clone(), Err(e))),
                }
            }
            (stored, known, to_fetch)
        })
        .await;
        let (stored, known, to_fetch) = match local {
            Ok(parts) => parts,
            Err(e) => {
                finished.error = Some(AppError::new("internal", e.to_string()));
                return finished;
            }
        };
        for (url, result) in stored {
            match result {
                Ok(true) => run.step(Outcome::Added, &url, None),
                Ok(false) => run.step(Outcome::Existing, &url, None),
                Err(e) => run.step(Outcome::Failed, &url, Some(e.to_string())),
            }
        }
        for (url, result) in known {
            match result {
                Ok(()) => run.step(Outcome::Existing, &url, None),
                Err(e) => run.step(Outcome::Failed, &url, Some(e.to_string())),
            }
        }

        // The rest through the batch path, each fetched clipping given what the export knew.
        let by_url: HashMap<String, Entry> = to_fetch
            .iter()
            .map(|e| (e.url.clone(), e.clone()))
            .collect();
        let urls: Vec<String> = to_fetch.into_iter().map(|e| e.url).collect();
        let options = ClipOptions {
            tags: req.tags,
            collection: None,
        };
        let mut problems = Vec::new();
        let report = clipbook_fetch::clip_batch(
            Arc::clone(&self.lib),
            urls,
            &self.fetch,
            BatchLimits::default(),
            &options,
            |item| match &item.result {
                Ok(clipped) => {
                    if let Some(entry) = by_url.get(&item.url) {
                        if let Err(e) = apply::keep_what_the_export_knew(
                            &self.lib,
                            clipped.id,
                            clipped.created,
                            entry,
                        ) {
                            problems.push(ImportIssue {
                                location: item.url.clone(),
                                message: format!(
                                    "clipped, but its tags or date could not be kept ({e})"
                                ),
                            });
                        }
                    }
                    let outcome = if clipped.created {
                        Outcome::Fetched
                    } else {
                        Outcome::Existing
                    };
                    run.step(outcome, &item.url, None);
                }
                Err(e) => run.step(Outcome::Failed, &item.url, Some(e.to_string())),
            },
            stopped(stop),
        )
        .await;
        finished.problems.extend(problems);
        finished.duplicates += count(report.duplicates);
        finished.stopped = count(report.not_done.len());
        finished.progress = run.progress;
        finished.failures = run.failures;
        finished
    }
}
