//! `clipbook add` and `clipbook refetch`: the fetch crate, with progress and a summary.

use std::io::{self, BufRead, IsTerminal, Write};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clipbook_fetch::{
    BatchItem, BatchLimits, BatchReport, ClipOptions, FetchConfig, Page, clip_batch, clip_page,
    image_client, prepare_collection, refetch as refetch_one,
};
use clipbook_store::Library;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::cli::{AddArgs, FetchArgs};

pub(crate) fn fetch_config(args: &FetchArgs) -> FetchConfig {
    let mut config = FetchConfig::default();
    if let Some(ua) = &args.user_agent {
        config.user_agent = ua.clone();
    }
    if let Some(lang) = &args.accept_language {
        config.accept_language = lang.clone();
    }
    config.timeout = Duration::from_secs(args.timeout.max(1));
    config.download_images = !args.no_images;
    config
}

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the network runtime")
}

/// Addresses from a list: one per line, blank lines and `#` comments skipped.
fn read_list(reader: impl BufRead) -> Result<Vec<String>> {
    let mut urls = Vec::new();
    for line in reader.lines() {
        let line = line.context("cannot read the list of addresses")?;
        let line = line.trim();
        if !line.is_empty() && !line.starts_with('#') {
            urls.push(line.to_string());
        }
    }
    Ok(urls)
}

#[derive(Serialize)]
struct ItemJson<'a> {
    url: &'a str,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    images_saved: Option<usize>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    images_failed: Vec<ImageFailure<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'static str>,
}

#[derive(Serialize)]
struct ImageFailure<'a> {
    url: &'a str,
    reason: &'a str,
}

fn item_json(item: &BatchItem) -> ItemJson<'_> {
    match &item.result {
        Ok(c) => ItemJson {
            url: &item.url,
            status: if c.created { "added" } else { "existing" },
            id: Some(c.id),
            title: Some(&c.title),
            images_saved: Some(c.images_saved),
            images_failed: c
                .images_failed
                .iter()
                .map(|(url, reason)| ImageFailure { url, reason })
                .collect(),
            error: None,
            code: None,
        },
        Err(e) => ItemJson {
            url: &item.url,
            status: "failed",
            id: None,
            title: None,
            images_saved: None,
            images_failed: Vec::new(),
            error: Some(e.to_string()),
            code: Some(e.code()),
        },
    }
}

/// One line for a finished address, for logs and pipes.
fn item_line(item: &BatchItem) -> String {
    match &item.result {
        Ok(c) if c.created => {
            let images = if c.images_failed.is_empty() {
                String::new()
            } else {
                format!(
                    " ({} image{} left online)",
                    c.images_failed.len(),
                    if c.images_failed.len() == 1 { "" } else { "s" }
                )
            };
            format!("added    #{}  {}{images}", c.id, c.title)
        }
        Ok(c) => format!("existing #{}  {}", c.id, c.title),
        Err(e) => format!("failed   {}: {e}", item.url),
    }
}

/// A progress bar on a terminal (hidden otherwise), in the style of every batch.
pub(crate) fn progress_bar(total: usize, interactive: bool) -> ProgressBar {
    if !interactive {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total as u64);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{bar:30}] {pos}/{len} · {per_sec} · {msg} · {elapsed_precise}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_message("0 failed");
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// How a batch runs and reports.
pub(crate) struct BatchSetup<'a> {
    pub config: &'a FetchConfig,
    pub limits: BatchLimits,
    pub options: &'a ClipOptions,
    /// One JSON object per address instead of plain lines.
    pub json: bool,
}

/// Clips a list with progress: a bar on a terminal, else one plain line per address, or one
/// JSON object per address with `json`. `after` runs as each address finishes (before it is
/// printed). Ctrl-C stops the batch: what finished stays.
pub(crate) fn run_batch(
    rt: &tokio::runtime::Runtime,
    lib: &Arc<Library>,
    urls: Vec<String>,
    setup: &BatchSetup<'_>,
    mut after: impl FnMut(&BatchItem),
) -> BatchReport {
    let BatchSetup {
        config,
        limits,
        options,
        json,
    } = *setup;
    let total = urls.len();
    let interactive = io::stderr().is_terminal();
    let bar = progress_bar(total, interactive);
    let mut failed = 0usize;
    let mut done = 0usize;
    let report = rt.block_on(clip_batch(
        Arc::clone(lib),
        urls,
        config,
        limits,
        options,
        |item| {
            after(item);
            done += 1;
            if item.result.is_err() {
                failed += 1;
                bar.set_message(format!("{failed} failed"));
            }
            bar.inc(1);
            let mut out = io::stdout().lock();
            // A closed stdout must not stop the batch: what is stored is stored.
            let _ = if json {
                serde_json::to_string(&item_json(item))
                    .map_err(io::Error::other)
                    .and_then(|line| writeln!(out, "{line}"))
            } else if !interactive {
                writeln!(out, "[{done}/{total}] {}", item_line(item))
            } else {
                Ok(())
            };
            let _ = out.flush();
        },
        async {
            let _ = tokio::signal::ctrl_c().await;
        },
    ));
    bar.finish_and_clear();
    report
}

pub fn add(lib: Library, args: &AddArgs) -> Result<()> {
    let config = fetch_config(&args.fetch);
    let options = ClipOptions {
        tags: args.tags.clone(),
        collection: args.collection.clone(),
    };
    prepare_collection(&lib, &options)?;
    let lib = Arc::new(lib);
    let rt = runtime()?;

    if let (Some(path), Some(url)) = (&args.html, &args.url) {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let url = clipbook_store::parse_web_url(url)?;
        let page = Page {
            url,
            content_type: None,
            charset: None,
            bytes,
        };
        let clipped = rt.block_on(async {
            let images = image_client(&config)?;
            clip_page(&lib, page, &config, &images, &options).await
        })?;
        let item = BatchItem {
            index: 0,
            url: path.display().to_string(),
            result: Ok(clipped),
        };
        if args.json {
            println!("{}", serde_json::to_string(&item_json(&item))?);
        } else {
            println!("{}", item_line(&item));
        }
        return Ok(());
    }

    let mut urls = args.urls.clone();
    if let Some(file) = &args.file {
        let f =
            std::fs::File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
        urls.extend(read_list(io::BufReader::new(f))?);
    }
    if args.urls.is_empty() && args.file.is_none() {
        if io::stdin().is_terminal() {
            bail!("no addresses: give them as arguments, with --file, or on standard input");
        }
        urls = read_list(io::stdin().lock())?;
    }
    if urls.is_empty() {
        bail!("the list of addresses is empty");
    }

    let total = urls.len();
    let interactive = io::stderr().is_terminal();
    let limits = BatchLimits {
        concurrency: args.concurrency as usize,
        per_host: args.per_host as usize,
    };
    let setup = BatchSetup {
        config: &config,
        limits,
        options: &options,
        json: args.json,
    };
    let report = run_batch(&rt, &lib, urls, &setup, |_| {});

    let mut summary = format!(
        "added {}, already in the library {}, failed {}",
        report.added(),
        report.existing(),
        report.failed().count()
    );
    if report.duplicates > 0 {
        summary.push_str(&format!(", repeated in the list {}", report.duplicates));
    }
    let mut err = io::stderr().lock();
    writeln!(err, "{summary}")?;
    if interactive || !args.json {
        for item in report.failed() {
            if let Err(e) = &item.result {
                writeln!(err, "  {}: {e}", item.url)?;
            }
        }
    }
    if !report.not_done.is_empty() {
        writeln!(
            err,
            "stopped: {} address{} not done; run the same command again to finish",
            report.not_done.len(),
            if report.not_done.len() == 1 { "" } else { "es" }
        )?;
        std::process::exit(130);
    }
    let failures = report.failed().count();
    if failures > 0 {
        bail!(
            "{failures} of {total} address{} could not be clipped",
            if total == 1 { "" } else { "es" }
        );
    }
    Ok(())
}

pub fn refetch(lib: Library, ids: &[i64], args: &FetchArgs) -> Result<()> {
    let config = fetch_config(args);
    let lib = Arc::new(lib);
    let rt = runtime()?;
    let images = image_client(&config)?;
    let mut failures = 0;
    for &id in ids {
        match rt.block_on(refetch_one(&lib, id, &config, &images)) {
            Ok(outcome) if outcome.changed => println!(
                "clipping {id}: the article changed; the previous version is kept ({} kept)",
                outcome.versions
            ),
            Ok(_) => println!("clipping {id}: unchanged"),
            Err(e) => {
                failures += 1;
                eprintln!("clipping {id}: {e}");
            }
        }
    }
    if failures > 0 {
        bail!(
            "{failures} of {} clipping{} could not be fetched again",
            ids.len(),
            if ids.len() == 1 { "" } else { "s" }
        );
    }
    Ok(())
}
