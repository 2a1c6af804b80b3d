//! The fixture corpus: one folder per page under `tests/pages/<slug>/` at the repository root,
//! pages the team wrote to cover each behaviour of issue 3. `expected.json` holds the metadata
//! and the phrases the text must and must not contain; `expected.md` the exact Markdown.
//! `UPDATE_EXPECTED=1 cargo test -p clipbook-extract --test fixtures` rewrites `expected.md`
//! (review the diff before committing it). `tests/pages/add-page.sh` starts a new page.

use std::path::{Path, PathBuf};

use clipbook_extract::{Article, Config, extract, is_probably_article};

mod support;

fn pages_dir() -> PathBuf {
    support::corpus::crate_dir().join("../../tests/pages")
}

fn field<'a>(a: &'a Article, name: &str) -> Option<&'a str> {
    match name {
        "title" => a.title.as_deref(),
        "published" => a.published.as_deref(),
        "modified" => a.modified.as_deref(),
        "language" => a.language.as_deref(),
        "site_name" => a.site_name.as_deref(),
        "lead_image" => a.lead_image.as_deref(),
        "canonical_url" => a.canonical_url.as_deref(),
        "description" => a.description.as_deref(),
        _ => None,
    }
}

fn check_page(dir: &Path, failures: &mut Vec<String>) {
    let slug = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut fail = |field: &str, msg: String| failures.push(format!("{slug}: {field}: {msg}"));
    let Ok(source) = std::fs::read(dir.join("source.html")) else {
        fail("source.html", "missing".into());
        return;
    };
    let expected: serde_json::Value = match std::fs::read_to_string(dir.join("expected.json"))
        .map_err(|e| e.to_string())
        .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
    {
        Ok(v) => v,
        Err(e) => {
            fail("expected.json", e);
            return;
        }
    };
    let url = expected
        .get("url")
        .and_then(|u| u.as_str())
        .and_then(|u| url::Url::parse(u).ok());
    let config = Config {
        fetch_time: expected
            .get("fetch_time")
            .and_then(|t| t.as_str())
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok()),
        ..Config::default()
    };
    let article = match extract(&source, url.as_ref(), None, &config) {
        Ok(a) => a,
        Err(e) => {
            fail("extract", format!("returned an error: {e}"));
            return;
        }
    };
    for name in [
        "title",
        "published",
        "modified",
        "language",
        "site_name",
        "lead_image",
        "canonical_url",
        "description",
    ] {
        if let Some(want) = expected.get(name).and_then(|v| v.as_str()) {
            let got = field(&article, name);
            if got != Some(want) {
                fail(name, format!("expected {want:?}, got {got:?}"));
            }
        }
    }
    if let Some(want) = expected.get("authors").and_then(|v| v.as_array()) {
        let want: Vec<&str> = want.iter().filter_map(|v| v.as_str()).collect();
        if article.authors != want {
            fail(
                "authors",
                format!("expected {want:?}, got {:?}", article.authors),
            );
        }
    }
    let list = |key: &str| -> Vec<String> {
        expected
            .get(key)
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    for s in list("text_contains") {
        if !article.text.contains(&s) {
            fail(
                "text",
                format!(
                    "should contain {s:?} (article body); text was:\n{}",
                    article.text
                ),
            );
        }
    }
    for s in list("text_excludes") {
        if article.text.contains(&s) {
            fail(
                "text",
                format!(
                    "should not contain {s:?} (page furniture); text was:\n{}",
                    article.text
                ),
            );
        }
    }
    for s in list("html_contains") {
        if !article.html.contains(&s) {
            fail(
                "html",
                format!("should contain {s:?}; html was:\n{}", article.html),
            );
        }
    }
    for s in list("html_excludes") {
        if article.html.contains(&s) {
            fail(
                "html",
                format!("should not contain {s:?}; html was:\n{}", article.html),
            );
        }
    }
    if let Some(max) = expected.get("max_confidence").and_then(|v| v.as_f64()) {
        if f64::from(article.confidence) > max {
            fail(
                "confidence",
                format!(
                    "{} above {max}: this page has no article",
                    article.confidence
                ),
            );
        }
    }
    if let Some(min) = expected.get("min_confidence").and_then(|v| v.as_f64()) {
        if f64::from(article.confidence) < min {
            fail("confidence", format!("{} below {min}", article.confidence));
        }
    }
    if let Some(want) = expected.get("probably_article").and_then(|v| v.as_bool()) {
        if is_probably_article(&source) != want {
            fail("is_probably_article", format!("expected {want}"));
        }
    }
    let md_path = dir.join("expected.md");
    if std::env::var_os("UPDATE_EXPECTED").is_some() {
        if let Err(e) = std::fs::write(&md_path, format!("{}\n", article.markdown.trim_end())) {
            fail("expected.md", format!("cannot write: {e}"));
        }
    } else {
        match std::fs::read_to_string(&md_path) {
            Ok(want) if want.trim_end() == article.markdown.trim_end() => {}
            Ok(want) => fail(
                "markdown",
                format!(
                    "differs from expected.md\n--- expected\n{want}\n--- got\n{}",
                    article.markdown
                ),
            ),
            Err(_) => fail(
                "expected.md",
                "missing (run with UPDATE_EXPECTED=1 and review)".into(),
            ),
        }
    }
}

#[test]
fn fixture_pages_extract_as_expected() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(pages_dir())
        .unwrap_or_else(|e| panic!("{}: {e}", pages_dir().display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("source.html").exists())
        .collect();
    dirs.sort();
    assert!(
        dirs.len() >= 10,
        "the fixture corpus should cover every behaviour of issue 3"
    );
    let mut failures = Vec::new();
    for d in &dirs {
        check_page(d, &mut failures);
    }
    assert!(
        failures.is_empty(),
        "{} fixture failure(s):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
