//! `clipbook extract`: the extractor on saved pages, without a library.

use std::io::{self, Read, Write};
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use clipbook_extract::{Article, Config};
use serde::Serialize;

use crate::cli::ExtractArgs;

/// What one file gives: the article's fields, plus its source and the authors joined.
#[derive(Serialize)]
struct Extracted<'a> {
    source: &'a str,
    #[serde(flatten)]
    article: &'a Article,
    author: String,
}

#[derive(Serialize)]
struct Failed<'a> {
    source: &'a str,
    error: String,
}

/// Reads a page, gunzipping it when its bytes say it is gzip (whatever its name).
fn read_page(path: &Path) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
    } else {
        bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    }
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut plain = Vec::new();
        flate2::read::MultiGzDecoder::new(bytes.as_slice())
            .read_to_end(&mut plain)
            .map_err(|e| anyhow!("{} is damaged gzip: {e}", path.display()))?;
        bytes = plain;
    }
    Ok(bytes)
}

fn extract_one(path: &Path, url: Option<&url::Url>, config: &Config) -> Result<Article> {
    let bytes = read_page(path)?;
    clipbook_extract::extract(&bytes, url, None, config)
        .map_err(|e| anyhow!("{}: {e}", path.display()))
}

pub fn run(args: &ExtractArgs) -> Result<()> {
    let url = match &args.url {
        Some(u) => Some(clipbook_store::parse_web_url(u)?),
        None => None,
    };
    let config = Config::default();
    let mut failures = 0;
    let mut pretty: Vec<serde_json::Value> = Vec::new();
    let mut out = io::stdout().lock();
    for path in &args.files {
        let source = path.to_string_lossy();
        match extract_one(path, url.as_ref(), &config) {
            Ok(article) => {
                let record = Extracted {
                    source: &source,
                    author: article.authors.join(", "),
                    article: &article,
                };
                if args.jsonl {
                    serde_json::to_writer(&mut out, &record)?;
                    writeln!(out)?;
                } else {
                    pretty.push(serde_json::to_value(&record)?);
                }
            }
            Err(err) => {
                failures += 1;
                let error = crate::output::one_line(&err);
                if args.jsonl {
                    serde_json::to_writer(
                        &mut out,
                        &Failed {
                            source: &source,
                            error,
                        },
                    )?;
                    writeln!(out)?;
                } else {
                    eprintln!("error: {error}");
                }
            }
        }
    }
    if !args.jsonl {
        match pretty.len() {
            0 => {}
            1 => serde_json::to_writer_pretty(&mut out, &pretty[0])?,
            _ => serde_json::to_writer_pretty(&mut out, &pretty)?,
        }
        if !pretty.is_empty() {
            writeln!(out)?;
        }
    }
    out.flush()?;
    if failures > 0 {
        bail!(
            "{failures} of {} file{} could not be extracted",
            args.files.len(),
            if args.files.len() == 1 { "" } else { "s" }
        );
    }
    Ok(())
}
