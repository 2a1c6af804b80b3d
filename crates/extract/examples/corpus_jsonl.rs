//! Runs the extractor over a corpus set's `html/*.html.gz` and writes JSON Lines in the format
//! `score.py` reads (the fields `clipbook extract --jsonl` prints). Each page gets the URL its
//! ground truth records, as the app knows the URL of what it clips.
//!
//! ```sh
//! cargo run --release -p clipbook-extract --example corpus_jsonl -- ../shared/corpus/aeb-dev out.jsonl
//! python3 ../shared/corpus/score.py ../shared/corpus/aeb-dev out.jsonl --worst 10
//! ```
//!
//! `--full` writes every field of each `Article` instead (HTML, Markdown, word count, sources…):
//! the check that a change meant for speed alone leaves the output byte-identical.

use std::io::Write;
use std::path::PathBuf;

#[path = "../tests/support/corpus.rs"]
mod corpus;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(set), Some(out)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: corpus_jsonl CORPUS_SET_DIR OUT.jsonl [--no-url] [--full]");
        std::process::exit(2);
    };
    let mut pages = corpus::load_set(&PathBuf::from(set))?;
    if args.iter().any(|a| a == "--no-url") {
        // As `clipbook extract FILE` without `--url` sees them.
        for p in &mut pages {
            p.url = None;
        }
    }
    let mut w = std::io::BufWriter::new(std::fs::File::create(out)?);
    let config = clipbook_extract::Config::default();
    let full = args.iter().any(|a| a == "--full");
    for page in &pages {
        let line = if full {
            match clipbook_extract::extract(&page.bytes, page.url.as_ref(), None, &config) {
                Ok(a) => serde_json::to_string(&a)?,
                Err(e) => format!("error: {e}"),
            }
        } else {
            corpus::prediction(page, &config).to_string()
        };
        writeln!(w, "{line}")?;
    }
    w.flush()?;
    eprintln!("{} pages", pages.len());
    Ok(())
}
