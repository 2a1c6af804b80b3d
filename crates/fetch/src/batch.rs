//! Many addresses at once: bounded concurrency (overall and per host), a result per address,
//! cancellation that never leaves a clipping half-written.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::Arc;

use clipbook_store::Library;
use tokio::sync::Semaphore;

use crate::clip::{ClipOptions, Clipped, clip_url};
use crate::error::ClipError;
use crate::http::{FetchConfig, image_client};

/// How many pages are fetched at once.
#[derive(Debug, Clone, Copy)]
pub struct BatchLimits {
    pub concurrency: usize,
    /// At most this many at once from one host: polite, and what news sites tolerate.
    pub per_host: usize,
}

impl Default for BatchLimits {
    fn default() -> Self {
        BatchLimits {
            concurrency: 6,
            per_host: 2,
        }
    }
}

/// The outcome for one address.
#[derive(Debug)]
pub struct BatchItem {
    /// Position in the list given.
    pub index: usize,
    pub url: String,
    pub result: Result<Clipped, ClipError>,
}

/// What a batch did.
#[derive(Debug, Default)]
pub struct BatchReport {
    /// One per address that was clipped, found, or failed, in the order they finished.
    pub items: Vec<BatchItem>,
    /// Addresses that appeared more than once in the list (after canonicalisation): done once.
    pub duplicates: usize,
    /// Addresses not done because the batch was stopped.
    pub not_done: Vec<String>,
}

impl BatchReport {
    pub fn added(&self) -> usize {
        self.items
            .iter()
            .filter(|i| matches!(&i.result, Ok(c) if c.created))
            .count()
    }
    pub fn existing(&self) -> usize {
        self.items
            .iter()
            .filter(|i| matches!(&i.result, Ok(c) if !c.created))
            .count()
    }
    pub fn failed(&self) -> impl Iterator<Item = &BatchItem> {
        self.items.iter().filter(|i| i.result.is_err())
    }
}

fn dedupe_key(input: &str) -> String {
    match clipbook_store::parse_web_url(input) {
        Ok(url) => clipbook_store::canonical_key(&url, None),
        Err(_) => input.trim().to_string(),
    }
}

fn host_of(input: &str) -> String {
    url::Url::parse(input.trim())
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .unwrap_or_default()
}

/// Clips every address. `on_done` is called as each one finishes (for progress), in this task.
/// When `stop` completes (Ctrl-C), addresses not finished are abandoned: each clipping is one
/// transaction, so what finished stays and nothing is half-written.
pub async fn clip_batch(
    lib: Arc<Library>,
    urls: Vec<String>,
    config: &FetchConfig,
    limits: BatchLimits,
    options: &ClipOptions,
    mut on_done: impl FnMut(&BatchItem),
    stop: impl Future<Output = ()>,
) -> BatchReport {
    let mut report = BatchReport::default();
    let mut seen = HashSet::new();
    let mut work: Vec<(usize, String)> = Vec::new();
    for url in urls {
        if seen.insert(dedupe_key(&url)) {
            work.push((work.len(), url));
        } else {
            report.duplicates += 1;
        }
    }
    let images = match image_client(config) {
        Ok(client) => client,
        Err(err) => {
            let message = err.to_string();
            for (index, url) in work {
                let item = BatchItem {
                    index,
                    url,
                    result: Err(ClipError::Network(message.clone())),
                };
                on_done(&item);
                report.items.push(item);
            }
            return report;
        }
    };
    let overall = Arc::new(Semaphore::new(limits.concurrency.max(1)));
    let mut hosts: HashMap<String, Arc<Semaphore>> = HashMap::new();
    let mut tasks = tokio::task::JoinSet::new();
    let mut pending: HashMap<usize, String> = HashMap::new();
    for (index, url) in work {
        let host = hosts
            .entry(host_of(&url))
            .or_insert_with(|| Arc::new(Semaphore::new(limits.per_host.max(1))))
            .clone();
        let (lib, overall, images) = (Arc::clone(&lib), Arc::clone(&overall), images.clone());
        let (config, options) = (config.clone(), options.clone());
        pending.insert(index, url.clone());
        tasks.spawn(async move {
            // Host first, so a long list from one site does not hold every overall slot.
            let _host = host.acquire_owned().await;
            let _slot = overall.acquire_owned().await;
            let result = clip_url(&lib, &url, &config, &images, &options).await;
            BatchItem { index, url, result }
        });
    }
    tokio::pin!(stop);
    loop {
        tokio::select! {
            biased;
            () = &mut stop => {
                tasks.abort_all();
                while let Some(done) = tasks.join_next().await {
                    if let Ok(item) = done {
                        pending.remove(&item.index);
                        on_done(&item);
                        report.items.push(item);
                    }
                }
                break;
            }
            next = tasks.join_next() => match next {
                None => break,
                Some(Ok(item)) => {
                    pending.remove(&item.index);
                    on_done(&item);
                    report.items.push(item);
                }
                Some(Err(_)) => {}
            },
        }
    }
    let mut not_done: Vec<(usize, String)> = pending.into_iter().collect();
    not_done.sort();
    report.not_done = not_done.into_iter().map(|(_, url)| url).collect();
    report
}
