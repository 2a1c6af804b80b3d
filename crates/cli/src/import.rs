//! `clipbook import --from pocket|netscape|wallabag|omnivore|urls`: other tools' exports.
//!
//! Entries that come with their content are stored as they are (the store sanitises them);
//! the others go through the batch path of `clipbook add`. Entries already in the library are
//! neither added nor fetched again, only their tags merged, so an import can be run again
//! after a failure or Ctrl-C and adds only what is missing.

use std::collections::HashMap;
use std::io::{self, IsTerminal, Read, Write};
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clipbook_fetch::{BatchItem, BatchLimits, ClipOptions};
use clipbook_imports::{Entry, Format, ImportBatch, Problem, apply};
use clipbook_store::Library;
use serde::Serialize;

use crate::add::{BatchSetup, fetch_config, progress_bar, run_batch, runtime};
use crate::cli::{ImportArgs, ImportFormat};

/// What the import did, for the summary.
#[derive(Default)]
struct Tally {
    added: usize,
    fetched: usize,
    existing: usize,
    /// Address and reason.
    failed: Vec<(String, String)>,
    problems: Vec<Problem>,
    duplicates: usize,
}

/// One entry's outcome, for `--json`.
#[derive(Serialize)]
struct EntryJson<'a> {
    url: &'a str,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

pub fn run(lib: Library, args: &ImportArgs) -> Result<()> {
    let file = args.file.display().to_string();
    let batch = read(format(args.from), &args.file)?;
    let mut tally = Tally {
        problems: batch.problems.clone(),
        ..Tally::default()
    };
    let plan = apply::plan(batch);
    tally.duplicates = plan.duplicates;
    let total = plan.total;
    store_contents(&lib, &plan.with_content, args, &mut tally)?;
    let to_fetch = skip_known(&lib, plan.to_fetch, args, &mut tally)?;
    let not_done = fetch(lib, to_fetch, args, &mut tally)?;
    report(&file, &tally, total, not_done)
}

fn format(from: ImportFormat) -> Format {
    match from {
        ImportFormat::Pocket => Format::Pocket,
        ImportFormat::Netscape => Format::Netscape,
        ImportFormat::Wallabag => Format::Wallabag,
        ImportFormat::Omnivore => Format::Omnivore,
        // JSON Lines never reach this module (commands.rs imports them); a list is the
        // harmless reading if one did.
        ImportFormat::Urls | ImportFormat::Jsonl => Format::Urls,
    }
}

/// The export, from a file, a folder (Omnivore) or standard input (`-`).
fn read(format: Format, path: &Path) -> Result<ImportBatch> {
    if path.as_os_str() != "-" {
        return Ok(clipbook_imports::load(format, path)?);
    }
    let mut bytes = Vec::new();
    io::stdin()
        .lock()
        .read_to_end(&mut bytes)
        .context("cannot read standard input")?;
    Ok(clipbook_imports::parse(format, &bytes)?)
}

/// Stores the entries that came with their content, each in its own transaction: one the
/// store refuses fails alone.
fn store_contents(
    lib: &Library,
    entries: &[Entry],
    args: &ImportArgs,
    tally: &mut Tally,
) -> Result<()> {
    let interactive = io::stderr().is_terminal();
    let bar = progress_bar(entries.len(), interactive);
    for entry in entries {
        let clipping = apply::new_clipping(entry, &args.tags);
        let (status, id, error) = match lib.add_clipping(&clipping) {
            Ok(outcome) if outcome.created => {
                tally.added += 1;
                ("added", Some(outcome.id), None)
            }
            Ok(outcome) => {
                tally.existing += 1;
                ("existing", Some(outcome.id), None)
            }
            Err(e) => {
                tally.failed.push((entry.url.clone(), e.to_string()));
                bar.set_message(format!("{} failed", tally.failed.len()));
                ("failed", None, Some(e.to_string()))
            }
        };
        bar.inc(1);
        let line = EntryJson {
            url: &entry.url,
            status,
            id,
            title: entry.title.as_deref(),
            error,
        };
        print_entry(&line, args.json, interactive)?;
    }
    bar.finish_and_clear();
    Ok(())
}

fn print_entry(line: &EntryJson<'_>, json: bool, interactive: bool) -> Result<()> {
    let mut out = io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string(line)?)?;
    } else if !interactive {
        let what = line.title.unwrap_or(line.url);
        match (line.id, &line.error) {
            (_, Some(error)) => writeln!(out, "failed   {}: {error}", line.url)?,
            (Some(id), None) => writeln!(out, "{:<8} #{id}  {what}", line.status)?,
            (None, None) => writeln!(out, "{:<8} {what}", line.status)?,
        }
    }
    Ok(())
}

/// Entries without content that the library already has: their tags are merged and they are
/// not fetched again. Returns the others.
fn skip_known(
    lib: &Library,
    entries: Vec<Entry>,
    args: &ImportArgs,
    tally: &mut Tally,
) -> Result<Vec<Entry>> {
    let interactive = io::stderr().is_terminal();
    let mut to_fetch = Vec::new();
    for entry in entries {
        let Some(id) = apply::merge_into_known(lib, &entry, &args.tags)? else {
            to_fetch.push(entry);
            continue;
        };
        tally.existing += 1;
        let line = EntryJson {
            url: &entry.url,
            status: "existing",
            id: Some(id),
            title: entry.title.as_deref(),
            error: None,
        };
        print_entry(&line, args.json, interactive)?;
    }
    Ok(to_fetch)
}

/// Fetches the entries that came without content, through `clipbook add`'s batch. Returns how
/// many were not done (Ctrl-C).
fn fetch(lib: Library, entries: Vec<Entry>, args: &ImportArgs, tally: &mut Tally) -> Result<usize> {
    if entries.is_empty() {
        return Ok(0);
    }
    let config = fetch_config(&args.fetch);
    let options = ClipOptions {
        tags: args.tags.clone(),
        collection: None,
    };
    let setup = BatchSetup {
        config: &config,
        limits: BatchLimits {
            concurrency: args.concurrency as usize,
            per_host: args.per_host as usize,
        },
        options: &options,
        json: args.json,
    };
    let by_url: HashMap<String, Entry> =
        entries.iter().map(|e| (e.url.clone(), e.clone())).collect();
    let urls = entries.into_iter().map(|e| e.url).collect();
    let lib = Arc::new(lib);
    let rt = runtime()?;
    let report = run_batch(&rt, &lib, urls, &setup, |item| {
        if let Some(entry) = by_url.get(&item.url) {
            keep_what_the_export_knew(&lib, item, entry, tally);
        }
    });
    for item in &report.items {
        match &item.result {
            Ok(c) if c.created => tally.fetched += 1,
            Ok(_) => tally.existing += 1,
            Err(e) => tally.failed.push((item.url.clone(), e.to_string())),
        }
    }
    tally.duplicates += report.duplicates;
    Ok(report.not_done.len())
}

/// A fetched clipping gets the entry's own tags and, when new, the date it was saved.
fn keep_what_the_export_knew(lib: &Library, item: &BatchItem, entry: &Entry, tally: &mut Tally) {
    let Ok(clipped) = &item.result else {
        return;
    };
    if let Err(e) = apply::keep_what_the_export_knew(lib, clipped.id, clipped.created, entry) {
        tally.problems.push(Problem {
            location: entry.url.clone(),
            message: format!("clipped, but its tags or date could not be kept ({e})"),
        });
    }
}

fn report(file: &str, tally: &Tally, total: usize, not_done: usize) -> Result<()> {
    let mut summary = format!(
        "added {} with their content, fetched {}, already in the library {}, failed {}, \
         problems {}",
        tally.added,
        tally.fetched,
        tally.existing,
        tally.failed.len(),
        tally.problems.len()
    );
    if tally.duplicates > 0 {
        summary.push_str(&format!(", repeated in the file {}", tally.duplicates));
    }
    let mut err = io::stderr().lock();
    writeln!(err, "{summary}")?;
    for problem in &tally.problems {
        writeln!(err, "{file}: {}: {}", problem.location, problem.message)?;
    }
    for (url, reason) in &tally.failed {
        writeln!(err, "  {url}: {reason}")?;
    }
    if not_done > 0 {
        writeln!(
            err,
            "stopped: {not_done} address{} not done; run the same import again to finish",
            if not_done == 1 { "" } else { "es" }
        )?;
        std::process::exit(130);
    }
    let (failed, problems) = (tally.failed.len(), tally.problems.len());
    if failed + problems > 0 {
        bail!(
            "{failed} of {total} entr{} failed and {problems} had a problem; \
             everything else was imported",
            if total == 1 { "y" } else { "ies" }
        );
    }
    Ok(())
}
