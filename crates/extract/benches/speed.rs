//! Speed benchmark: every `aeb-dev` page, HTML already in memory, one process, one thread.
//!
//! Runs our extractor (with and without Markdown) and, as the yardsticks issue 3 names,
//! `dom_smoothie` (a Readability port) and `rs-trafilatura` (a trafilatura port) on the same
//! pages in the same run. The rounds are interleaved (one round of each, then again, each round
//! starting with the next contender), so that a noisy machine slows all of them alike. Prints
//! pages/s for each, our speed as a multiple of each yardstick's (of the totals, and the median
//! of the rounds' ratios, steadier on a busy machine), and each one's peak
//! memory (VmHWM, reset before its warm-up pass; the corpus held in memory is part of it).
//!
//! ```sh
//! cargo bench -p clipbook-extract --bench speed            # 5 rounds
//! cargo bench -p clipbook-extract --bench speed -- 20      # 20 rounds
//! ```

use std::time::{Duration, Instant};

use clipbook_extract::{Config, extract};

#[path = "../tests/support/corpus.rs"]
mod corpus;

fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Resets VmHWM to the current resident size (Linux ≥ 4.0); false where that is not possible.
fn reset_peak_memory() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// One contender: what it is called and one pass over the pages, returning (pages it extracted,
/// a size of what it extracted, so that the work cannot be optimised away).
struct Contender<'a> {
    label: &'static str,
    run: Box<dyn Fn() -> (usize, usize) + 'a>,
    elapsed: Duration,
    /// Each round's time, for the per-round ratios.
    rounds: Vec<Duration>,
    result: (usize, usize),
    peak_kib: Option<u64>,
}

impl<'a> Contender<'a> {
    fn new(label: &'static str, run: impl Fn() -> (usize, usize) + 'a) -> Self {
        Contender {
            label,
            run: Box::new(run),
            elapsed: Duration::ZERO,
            rounds: Vec::new(),
            result: (0, 0),
            peak_kib: None,
        }
    }
}

/// One pass of an extractor over the pages: how many it extracted, and the sum of a size of
/// what it extracted (so that the work cannot be optimised away).
fn tally(
    pages: &[corpus::Page],
    extract_one: impl Fn(&corpus::Page) -> Option<usize>,
) -> (usize, usize) {
    pages
        .iter()
        .filter_map(extract_one)
        .fold((0, 0), |(ok, size), s| (ok + 1, size + s))
}

fn main() {
    let rounds: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(5)
        .max(1);
    let set = corpus::corpus_root().join("aeb-dev");
    let pages = match corpus::load_set(&set) {
        Ok(p) if !p.is_empty() => p,
        _ => {
            println!("speed benchmark skipped: no corpus at {}", set.display());
            return;
        }
    };
    let bytes: usize = pages.iter().map(|p| p.bytes.len()).sum();
    let full = Config::default();
    let no_markdown = Config {
        markdown: false,
        ..Config::default()
    };
    let ours = |config: &Config| {
        tally(&pages, |p| {
            extract(&p.bytes, p.url.as_ref(), None, config)
                .ok()
                .map(|a| a.word_count)
        })
    };
    // dom_smoothie takes text: the bytes are decoded (lossy UTF-8) inside the timed pass, as our
    // extractor decodes them too. Its default configuration: raw text, no Markdown.
    let smoothie = || {
        tally(&pages, |p| {
            let html = String::from_utf8_lossy(&p.bytes);
            let url = p.url.as_ref().map(|u| u.as_str());
            dom_smoothie::Readability::new(&*html, url, None)
                .and_then(|mut r| r.parse())
                .ok()
                .map(|a| a.length)
        })
    };
    // rs-trafilatura takes the bytes (it detects their encoding) and the page's URL, as ours does.
    let trafilatura = || {
        tally(&pages, |p| {
            let options = rs_trafilatura::Options {
                url: p.url.as_ref().map(|u| u.to_string()),
                ..rs_trafilatura::Options::default()
            };
            rs_trafilatura::extract_bytes_with_options(&p.bytes, &options)
                .ok()
                .map(|r| r.content_text.len())
        })
    };
    let mut contenders = [
        Contender::new("clipbook-extract, full (html + text + markdown)", || {
            ours(&full)
        }),
        Contender::new("clipbook-extract, without markdown", || ours(&no_markdown)),
        Contender::new("dom_smoothie 0.19 (Readability), default config", smoothie),
        Contender::new(
            "rs-trafilatura 0.2 (trafilatura), default options",
            trafilatura,
        ),
    ];
    // One warm-up pass each (lazily built regexes and selectors are not counted), which is also
    // where each one's peak memory is read.
    let resettable = reset_peak_memory();
    for c in &mut contenders {
        reset_peak_memory();
        c.result = (c.run)();
        c.peak_kib = peak_memory_kib();
    }
    // Each round starts with the next contender, so that none always runs just after another
    // (a contender's heap and caches left behind slow whichever runs next).
    let count = contenders.len();
    for round in 0..rounds {
        for k in 0..count {
            let c = &mut contenders[(round + k) % count];
            let start = Instant::now();
            let r = (c.run)();
            c.elapsed += start.elapsed();
            c.rounds.push(start.elapsed());
            assert_eq!(r, c.result, "{}: a pass gave a different result", c.label);
        }
    }

    println!(
        "aeb-dev: {} pages ({:.1} MB of HTML), {rounds} interleaved rounds, one thread",
        pages.len(),
        bytes as f64 / 1e6
    );
    let n = (pages.len() * rounds) as f64;
    let mut speeds = Vec::new();
    for c in &contenders {
        let secs = c.elapsed.as_secs_f64();
        speeds.push(n / secs);
        let peak = match c.peak_kib {
            Some(k) => format!("{:.1} MB", k as f64 / 1024.0),
            None => "unavailable".to_string(),
        };
        println!(
            "  {:<50} {:>6.0} pages/s  {:>5.1} MB/s  {:>6.2} ms/page  peak {peak}  ({}/{} pages extracted)",
            c.label,
            n / secs,
            bytes as f64 * rounds as f64 / 1e6 / secs,
            secs * 1000.0 / n,
            c.result.0,
            pages.len(),
        );
    }
    // A busy machine slows whole rounds: the median of each round's ratio is steadier than the
    // ratio of the totals, and both are printed.
    let median_ratio = |ours: &Contender<'_>, other: &Contender<'_>| {
        let mut r: Vec<f64> = ours
            .rounds
            .iter()
            .zip(&other.rounds)
            .map(|(o, t)| t.as_secs_f64() / o.as_secs_f64())
            .collect();
        r.sort_by(f64::total_cmp);
        r[r.len() / 2]
    };
    for (k, name) in [(2, "dom_smoothie"), (3, "rs-trafilatura")] {
        println!(
            "  ours / {name}: {:.2}x (full), {:.2}x (without markdown); median of the rounds {:.2}x, {:.2}x",
            speeds[0] / speeds[k],
            speeds[1] / speeds[k],
            median_ratio(&contenders[0], &contenders[k]),
            median_ratio(&contenders[1], &contenders[k]),
        );
    }
    if !resettable {
        println!(
            "  (peak memory could not be reset between contenders: each figure is the process's peak so far)"
        );
    }
}
