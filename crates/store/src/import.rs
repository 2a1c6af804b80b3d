//! Bulk import of articles already extracted: JSON Lines, one article per line, in the shape
//! `clipbook extract --jsonl` prints.

use std::collections::BTreeMap;
use std::io::BufRead;

use serde::Deserialize;

use crate::clippings::add_in;
use crate::dates::parse_article_date;
use crate::db::Library;
use crate::error::{Result, StoreError};
use crate::model::{ImportReport, NewClipping};

/// `author` may be one name or a list of names.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// One line of an import. Unknown fields are ignored, so the output of `clipbook extract`
/// (with `markdown`, `confidence`…) imports as it is.
#[derive(Debug, Deserialize)]
struct ImportRecord {
    url: Option<String>,
    canonical_url: Option<String>,
    title: Option<String>,
    author: Option<OneOrMany>,
    authors: Option<Vec<String>>,
    #[serde(alias = "published_at", alias = "date")]
    published: Option<String>,
    #[serde(alias = "modified_at")]
    modified: Option<String>,
    #[serde(alias = "site")]
    site_name: Option<String>,
    #[serde(alias = "lang")]
    language: Option<String>,
    #[serde(alias = "lead_image_url")]
    lead_image: Option<String>,
    #[serde(alias = "excerpt")]
    description: Option<String>,
    #[serde(alias = "content_html")]
    html: Option<String>,
    #[serde(alias = "content_text")]
    text: Option<String>,
    word_count: Option<i64>,
    notes: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    metadata_sources: BTreeMap<String, String>,
    fetched_at: Option<String>,
    /// The page as fetched, when the exporter kept it.
    original_html: Option<String>,
    /// Present on the lines where `clipbook extract` failed: they are skipped.
    error: Option<serde_json::Value>,
}

impl ImportRecord {
    fn into_new_clipping(self, extra_tags: &[String]) -> std::result::Result<NewClipping, String> {
        let url = self
            .url
            .filter(|u| !u.trim().is_empty())
            .ok_or("it has no \"url\" (every clipping needs the address it came from)")?;
        let authors = match (self.authors, self.author) {
            (Some(list), _) if !list.is_empty() => list,
            (_, Some(OneOrMany::Many(list))) => list,
            (_, Some(OneOrMany::One(one))) => vec![one],
            _ => Vec::new(),
        };
        let fetched_at = match self
            .fetched_at
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(text) => Some(
                parse_article_date(text)
                    .map(|d| d.timestamp)
                    .ok_or_else(|| format!("\"fetched_at\" is not a date: {text:?}"))?,
            ),
            None => None,
        };
        let mut tags = self.tags;
        tags.extend(extra_tags.iter().cloned());
        Ok(NewClipping {
            url,
            canonical_url: self.canonical_url,
            title: self.title.unwrap_or_default(),
            authors,
            published_at: self.published,
            modified_at: self.modified,
            site_name: self.site_name,
            language: self.language,
            lead_image_url: self.lead_image,
            excerpt: self.description,
            content_html: self.html.unwrap_or_default(),
            content_text: self.text.unwrap_or_default(),
            word_count: self.word_count,
            notes: self.notes.unwrap_or_default(),
            metadata_sources: self.metadata_sources,
            original_html: self.original_html.map(String::into_bytes),
            original_content_type: None,
            fetched_at,
            added_at: None,
            tags,
            images: Vec::new(),
        })
    }
}

impl Library {
    /// Imports JSON Lines in one transaction: every line lands, or none does. A bad line stops
    /// the import with its line number. Lines that record an extraction error
    /// (`{"source": …, "error": …}`) are skipped and counted. `progress` is called with the
    /// number of lines read so far.
    pub fn import_jsonl(
        &self,
        input: impl BufRead,
        extra_tags: &[String],
        mut progress: impl FnMut(usize),
    ) -> Result<ImportReport> {
        self.write(|tx| {
            let mut report = ImportReport::default();
            for (index, line) in input.lines().enumerate() {
                let line_no = index + 1;
                let bad = |message: String| StoreError::ImportLine {
                    line: line_no,
                    message,
                };
                let line = line.map_err(|e| bad(format!("cannot be read ({e})")))?;
                if line.trim().is_empty() {
                    continue;
                }
                let record: ImportRecord = serde_json::from_str(&line)
                    .map_err(|e| bad(format!("is not a JSON article ({e})")))?;
                if record.error.is_some() {
                    report.skipped += 1;
                    continue;
                }
                let new = record.into_new_clipping(extra_tags).map_err(bad)?;
                let outcome = add_in(tx, &new).map_err(|e| match e {
                    StoreError::Sqlite(_) | StoreError::Busy | StoreError::Io { .. } => e,
                    other => bad(other.to_string()),
                })?;
                if outcome.created {
                    report.added += 1;
                } else {
                    report.existing += 1;
                }
                if line_no % 256 == 0 {
                    progress(line_no);
                }
            }
            Ok(report)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_extract_output_and_merges_duplicates() {
        let lib = Library::open_in_memory().unwrap();
        let input = r#"{"source":"a.html","url":"https://ex.com/a","title":"A","author":"Jane Roe, John Doe","authors":["Jane Roe","John Doe"],"published":"2020-11-12","html":"<p>Hello world</p>","markdown":"Hello world","confidence":0.9}

{"url":"https://ex.com/a?utm_source=x","title":"A again","tags":["news"]}
{"source":"b.html","error":"no article found"}
{"url":"https://ex.com/b","title":"B","author":"Solo","text":"Only text.\n\nTwo paragraphs.","tags":["piracy/iptv"]}
"#;
        let report = lib
            .import_jsonl(input.as_bytes(), &["batch".into()], |_| {})
            .unwrap();
        assert_eq!(
            report,
            ImportReport {
                added: 2,
                existing: 1,
                skipped: 1
            }
        );
        let all = lib
            .list(&crate::ListRequest {
                limit: 10,
                ..Default::default()
            })
            .unwrap();
        let a = all.iter().find(|c| c.title == "A").unwrap();
        assert_eq!(a.authors, vec!["Jane Roe", "John Doe"]);
        assert_eq!(a.tags, vec!["batch", "news"]);
        let b = lib
            .clipping(all.iter().find(|c| c.title == "B").unwrap().id)
            .unwrap();
        assert_eq!(b.content_html, "<p>Only text.</p>\n<p>Two paragraphs.</p>");
        assert_eq!(b.authors, vec!["Solo"]);
    }

    #[test]
    fn a_bad_line_imports_nothing_and_names_its_line() {
        let lib = Library::open_in_memory().unwrap();
        let input = "{\"url\":\"https://ex.com/a\",\"title\":\"A\"}\n{\"title\":\"no url\"}\n";
        let err = lib.import_jsonl(input.as_bytes(), &[], |_| {}).unwrap_err();
        assert!(
            matches!(err, StoreError::ImportLine { line: 2, .. }),
            "{err}"
        );
        assert_eq!(
            lib.count_clippings().unwrap(),
            0,
            "the first line was rolled back"
        );
        for bad in [
            "not json",
            "{\"url\": 5}",
            "{\"url\":\"ftp://x/y\"}",
            "[1,2]",
        ] {
            let err = lib.import_jsonl(bad.as_bytes(), &[], |_| {}).unwrap_err();
            assert!(
                matches!(err, StoreError::ImportLine { line: 1, .. }),
                "{bad}: {err}"
            );
        }
    }
}
