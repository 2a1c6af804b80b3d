//! Library benchmark: builds libraries of synthetic clippings and prints what a user feels —
//! import rate, search and filtered-list latencies, size on disk. Prints figures only; it
//! asserts nothing about time (the machines that run it are noisy).
//!
//! `cargo bench -p clipbook-store --bench library` (sizes: `CLIPBOOK_BENCH_SIZES=10000,100000`).
//!
//! Each clipping has ≈ 6 KB of text drawn from a 20,000-word vocabulary with a Zipf
//! distribution (as natural language has), in paragraphs of HTML and as plain text, and 5 tags
//! out of 300 (10 parents × 30 children, `section3/topic117`). Searches look for words drawn
//! uniformly from the vocabulary outside its 100 most frequent words (what people search for is
//! topical, not "the"); the 100 most frequent words are timed apart as the worst case.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use clipbook_store::{Filters, Library, ListRequest};

const VOCABULARY: usize = 20_000;
const TAGS: usize = 300;
const TAGS_PER_CLIPPING: usize = 5;
const TEXT_BYTES: usize = 6_000;
const CHUNK: usize = 5_000;
const QUERIES: usize = 300;
const LANGUAGES: [&str; 4] = ["fr", "en", "de", "es"];

/// xorshift64*: deterministic, fast, and no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

struct Corpus {
    words: Vec<String>,
    /// Cumulative Zipf weights, for sampling word ranks.
    cumulative: Vec<f64>,
    tags: Vec<String>,
}

impl Corpus {
    fn new(rng: &mut Rng) -> Corpus {
        const SYLLABLES: &[&str] = &[
            "ba", "ce", "di", "fo", "gu", "la", "me", "ni", "po", "ru", "sa", "te", "vi", "zo",
            "an", "er", "in", "or", "ul", "ré", "lé", "qué", "tra", "str", "ion", "ment",
        ];
        let mut words = Vec::with_capacity(VOCABULARY);
        let mut seen = std::collections::HashSet::new();
        while words.len() < VOCABULARY {
            let n = 1 + rng.below(4);
            let w: String = (0..n)
                .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
                .collect();
            if seen.insert(w.clone()) {
                words.push(w);
            }
        }
        let mut total = 0.0;
        let cumulative = (1..=VOCABULARY)
            .map(|rank| {
                total += 1.0 / rank as f64;
                total
            })
            .collect();
        let tags = (0..TAGS)
            .map(|i| format!("section{}/topic{i}", i / 30))
            .collect();
        Corpus {
            words,
            cumulative,
            tags,
        }
    }

    fn zipf_word(&self, rng: &mut Rng) -> &str {
        let target = rng.unit() * self.cumulative[VOCABULARY - 1];
        let rank = self
            .cumulative
            .partition_point(|&c| c < target)
            .min(VOCABULARY - 1);
        &self.words[rank]
    }

    /// One JSON Lines article.
    fn article(&self, rng: &mut Rng, n: usize, line: &mut String) {
        let mut text = String::with_capacity(TEXT_BYTES + 200);
        let mut html = String::with_capacity(TEXT_BYTES + 400);
        html.push_str("<p>");
        let mut in_paragraph = 0;
        while text.len() < TEXT_BYTES {
            let w = self.zipf_word(rng);
            if in_paragraph > 0 {
                text.push(' ');
                html.push(' ');
            }
            text.push_str(w);
            html.push_str(w);
            in_paragraph += 1;
            if in_paragraph == 90 {
                text.push_str(".\n\n");
                html.push_str(".</p><p>");
                in_paragraph = 0;
            }
        }
        html.push_str("</p>");
        let title: Vec<&str> = (0..8).map(|_| self.zipf_word(rng)).collect();
        let mut tags = Vec::new();
        while tags.len() < TAGS_PER_CLIPPING {
            let t = &self.tags[rng.below(TAGS)];
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
        let day = rng.below(5 * 365);
        let date =
            chrono::NaiveDate::from_ymd_opt(2021, 1, 1).unwrap() + chrono::Days::new(day as u64);
        let value = serde_json::json!({
            "url": format!("https://news{}.example/{}/article-{n}", n % 500, date.format("%Y/%m/%d")),
            "title": title.join(" "),
            "author": format!("Author {}", n % 2_000),
            "published": format!("{}T{:02}:{:02}:00+01:00", date, rng.below(24), rng.below(60)),
            "site_name": format!("News {}", n % 500),
            "language": LANGUAGES[n % 4],
            "html": html,
            "text": text,
            "tags": tags,
        });
        line.clear();
        write!(line, "{value}").unwrap();
    }
}

/// CPU seconds this process has used (user + system), from /proc: on a busy machine it shows
/// what the work costs apart from waiting for a core. `None` where /proc is missing.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) start at ") ".
    let fields: Vec<&str> = stat.rsplit_once(") ")?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn percentile(samples: &mut [Duration], p: f64) -> f64 {
    samples.sort();
    let idx = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[idx].as_secs_f64() * 1000.0
}

fn time_queries(lib: &Library, reqs: &[ListRequest]) -> (f64, f64, f64) {
    let mut samples = Vec::with_capacity(reqs.len());
    let mut hits = 0usize;
    for req in reqs {
        let start = Instant::now();
        let rows = lib.list(req).unwrap();
        samples.push(start.elapsed());
        hits += rows.len();
    }
    let avg_hits = hits as f64 / reqs.len() as f64;
    (
        percentile(&mut samples, 0.5),
        percentile(&mut samples, 0.95),
        avg_hits,
    )
}

fn file_size(path: &std::path::Path) -> u64 {
    ["", "-wal"]
        .iter()
        .filter_map(|suffix| {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            std::fs::metadata(p).ok().map(|m| m.len())
        })
        .sum()
}

fn run(size: usize) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ size as u64);
    let corpus = Corpus::new(&mut rng);
    let dir = tempfile::tempdir().unwrap();
    // CLIPBOOK_BENCH_KEEP=FOLDER keeps the libraries there, to look into them afterwards.
    let path = match std::env::var_os("CLIPBOOK_BENCH_KEEP") {
        Some(keep) => std::path::PathBuf::from(keep).join(format!("bench-{size}.db")),
        None => dir.path().join("bench.db"),
    };
    let _ = std::fs::remove_file(&path);
    let lib = Library::open(&path).unwrap();

    let mut importing = Duration::ZERO;
    let mut importing_cpu = 0.0;
    let mut line = String::new();
    let mut chunk = String::new();
    let mut n = 0;
    while n < size {
        chunk.clear();
        let end = (n + CHUNK).min(size);
        for i in n..end {
            corpus.article(&mut rng, i, &mut line);
            chunk.push_str(&line);
            chunk.push('\n');
        }
        let start = Instant::now();
        let cpu = cpu_seconds();
        let report = lib.import_jsonl(chunk.as_bytes(), &[], |_| {}).unwrap();
        importing += start.elapsed();
        importing_cpu += cpu_seconds().zip(cpu).map_or(0.0, |(b, a)| b - a);
        assert_eq!(report.added, end - n, "every synthetic article is new");
        n = end;
    }
    let rate = size as f64 / importing.as_secs_f64();
    // Where an import's time goes: sanitising each body is the one step that parses HTML.
    let sample: Vec<String> = (0..200)
        .map(|i| {
            corpus.article(&mut rng, i, &mut line);
            let v: serde_json::Value = serde_json::from_str(&line).unwrap();
            v["html"].as_str().unwrap().to_string()
        })
        .collect();
    let start = Instant::now();
    for html in &sample {
        std::hint::black_box(clipbook_store::sanitize_html(html));
    }
    let sanitize_ms = start.elapsed().as_secs_f64() * 1000.0 / sample.len() as f64;

    let query = |q: String| ListRequest {
        query: q,
        limit: 50,
        ..Default::default()
    };
    let uniform = |rng: &mut Rng| corpus.words[100 + rng.below(VOCABULARY - 100)].clone();
    let one: Vec<_> = (0..QUERIES).map(|_| query(uniform(&mut rng))).collect();
    let two: Vec<_> = (0..QUERIES)
        .map(|_| query(format!("{} {}", uniform(&mut rng), uniform(&mut rng))))
        .collect();
    let frequent: Vec<_> = (0..QUERIES / 3)
        .map(|_| query(corpus.words[rng.below(100)].clone()))
        .collect();
    let prefix: Vec<_> = (0..QUERIES)
        .map(|_| {
            let w = uniform(&mut rng);
            let cut: String = w.chars().take(3.max(w.chars().count() / 2)).collect();
            query(format!("{cut}*"))
        })
        .collect();
    let filtered: Vec<_> = (0..QUERIES)
        .map(|_| ListRequest {
            filters: Filters {
                tags: vec![corpus.tags[rng.below(TAGS)].clone()],
                ..Default::default()
            },
            limit: 50,
            ..Default::default()
        })
        .collect();
    let parent: Vec<_> = (0..QUERIES / 3)
        .map(|_| ListRequest {
            filters: Filters {
                tags: vec![format!("section{}", rng.below(10))],
                ..Default::default()
            },
            limit: 50,
            ..Default::default()
        })
        .collect();

    // Warm the page cache the way a running app has it warm.
    time_queries(&lib, &one[..20]);
    let report = |name: &str, reqs: &[ListRequest]| {
        let (p50, p95, hits) = time_queries(&lib, reqs);
        println!(
            "  {name:<44} p50 {p50:>7.2} ms   p95 {p95:>7.2} ms   ({hits:.0} rows on average)"
        );
    };
    println!("library of {size} clippings");
    println!(
        "  import rate                                  {rate:>8.0} clippings/s ({:.1} s)",
        importing.as_secs_f64()
    );
    if importing_cpu > 0.0 {
        println!(
            "  import rate per CPU second                    {:>8.0} clippings/s",
            size as f64 / importing_cpu
        );
    }
    println!("  of which sanitising one body                  {sanitize_ms:>8.3} ms");
    report("search, one word", &one);
    report("search, two words", &two);
    report("search, prefix (word*)", &prefix);
    report("search, one of the 100 most frequent words", &frequent);
    report("filtered list (tag + date sort, 50 rows)", &filtered);
    report("filtered list (parent tag: 30 children)", &parent);
    drop(lib);
    let bytes = file_size(&path);
    println!(
        "  database size                               {:>8.1} MB ({:.1} KB per clipping)",
        bytes as f64 / 1e6,
        bytes as f64 / 1e3 / size as f64
    );
}

fn main() {
    let sizes: Vec<usize> = std::env::var("CLIPBOOK_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10_000, 100_000]);
    // `cargo bench` passes `--bench`; a `cargo test --benches` run passes nothing and should be
    // quick: it only checks that the benchmark runs.
    let quick = !std::env::args().any(|a| a == "--bench");
    for size in sizes {
        run(if quick { size.min(500) } else { size });
    }
}
