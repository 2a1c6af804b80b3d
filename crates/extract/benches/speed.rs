//! Speed benchmark: every `aeb-dev` page, HTML already in memory, one process, one thread.
//! Prints pages/s and the process's peak memory (VmHWM).
//!
//! ```sh
//! cargo bench -p clipbook-extract --bench speed            # 5 rounds
//! cargo bench -p clipbook-extract --bench speed -- 20      # 20 rounds
//! ```

use std::time::Instant;

use clipbook_extract::{Config, extract};

#[path = "../tests/support/corpus.rs"]
mod corpus;

fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let rounds: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(5);
    let set = corpus::corpus_root().join("aeb-dev");
    let pages = match corpus::load_set(&set) {
        Ok(p) if !p.is_empty() => p,
        _ => {
            println!("speed benchmark skipped: no corpus at {}", set.display());
            return;
        }
    };
    let bytes: usize = pages.iter().map(|p| p.bytes.len()).sum();
    for (label, config) in [
        ("full (html + text + markdown)", Config::default()),
        (
            "without markdown",
            Config {
                markdown: false,
                ..Config::default()
            },
        ),
    ] {
        // One warm-up pass so lazily built regexes are not counted.
        for p in &pages {
            let _ = extract(&p.bytes, p.url.as_ref(), None, &config);
        }
        let start = Instant::now();
        let mut words = 0usize;
        for _ in 0..rounds {
            for p in &pages {
                if let Ok(a) = extract(&p.bytes, p.url.as_ref(), None, &config) {
                    words += a.word_count;
                }
            }
        }
        let secs = start.elapsed().as_secs_f64();
        let n = (pages.len() * rounds) as f64;
        println!(
            "{label}: {} pages x {rounds} rounds ({:.1} MB) in {secs:.2} s: {:.0} pages/s, {:.1} MB/s, {:.2} ms/page ({words} words)",
            pages.len(),
            bytes as f64 / 1e6,
            n / secs,
            bytes as f64 * rounds as f64 / 1e6 / secs,
            secs * 1000.0 / n,
        );
    }
    match peak_memory_kib() {
        Some(k) => println!("peak memory (VmHWM): {:.1} MB", k as f64 / 1024.0),
        None => println!("peak memory: unavailable (no /proc/self/status)"),
    }
}
