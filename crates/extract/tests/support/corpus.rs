//! Reading the shared extraction corpus (`../shared/corpus` beside the repository) and writing
//! predictions in the JSON Lines format `score.py` reads. Shared by the quality gate, the
//! `corpus_jsonl` example and the speed benchmark.
#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};

/// This crate's directory. Cargo sets `CARGO_MANIFEST_DIR` when it runs a test, a bench or an
/// example; the path compiled in is only the fallback, because a build reused from another
/// checkout (a shared target directory) carries that checkout's path.
pub fn crate_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

/// `<repo>/../shared/corpus`, found from this crate's directory.
pub fn corpus_root() -> PathBuf {
    crate_dir().join("../../../shared/corpus")
}

/// One page of a corpus set: its file, its bytes (gunzipped) and its URL from the ground truth.
pub struct Page {
    pub path: PathBuf,
    pub id: String,
    pub bytes: Vec<u8>,
    pub url: Option<url::Url>,
}

fn urls(set: &Path) -> std::collections::HashMap<String, String> {
    let mut out = std::collections::HashMap::new();
    let single = set.join("ground-truth.json");
    if let Ok(text) = std::fs::read_to_string(&single) {
        if let Ok(serde_json::Value::Object(m)) = serde_json::from_str(&text) {
            for (id, v) in m {
                if let Some(u) = v.get("url").and_then(|u| u.as_str()) {
                    out.insert(id, u.to_string());
                }
            }
        }
    } else if let Ok(dir) = std::fs::read_dir(set.join("ground-truth")) {
        for e in dir.flatten() {
            let p = e.path();
            let id = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            if let Ok(text) = std::fs::read_to_string(&p) {
                if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
                    if let Some(u) = v.get("url").and_then(|u| u.as_str()) {
                        out.insert(id, u.to_string());
                    }
                }
            }
        }
    }
    out
}

/// Loads every `html/*.html.gz` of a set, sorted by name.
pub fn load_set(set: &Path) -> std::io::Result<Vec<Page>> {
    let urls = urls(set);
    let mut files: Vec<PathBuf> = std::fs::read_dir(set.join("html"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".html.gz"))
        .collect();
    files.sort();
    let mut pages = Vec::with_capacity(files.len());
    for path in files {
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(std::fs::File::open(&path)?).read_to_end(&mut bytes)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let id = name.split('.').next().unwrap_or("").to_string();
        let url = urls.get(&id).and_then(|u| url::Url::parse(u).ok());
        pages.push(Page {
            path,
            id,
            bytes,
            url,
        });
    }
    Ok(pages)
}

/// One JSON Lines record as `clipbook extract --jsonl` prints it (the fields score.py reads),
/// plus `sources` (where each field came from, for reading failures; score.py ignores it).
pub fn prediction(page: &Page, config: &clipbook_extract::Config) -> serde_json::Value {
    match clipbook_extract::extract(&page.bytes, page.url.as_ref(), None, config) {
        Ok(a) => serde_json::json!({
            "source": page.path.to_string_lossy(),
            "title": a.title,
            "author": (!a.authors.is_empty()).then(|| a.authors.join(", ")),
            "published": a.published,
            "text": a.text,
            "sources": a.metadata_sources,
        }),
        Err(e) => {
            serde_json::json!({"source": page.path.to_string_lossy(), "error": e.to_string()})
        }
    }
}
