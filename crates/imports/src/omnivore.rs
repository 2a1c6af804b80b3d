//! Omnivore's export: `metadata_*.json` files (arrays of `{id, slug, title, author, url, labels,
//! savedAt, publishedAt, description, …}`) and the articles as Markdown in `content/<slug>.md`,
//! in a .zip or in the folder it unzips to. The Markdown becomes the clipping's HTML.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use crate::common::{
    clean, clean_tags, date_time, entry_location, not_this, problem, strip_bom, web_url,
};
use crate::{Entry, Format, ImportBatch, ImportError};

/// No single file of an export is larger than this; a bigger one is not read (a zip bomb, or
/// not an export).
const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// One file of an export: its path inside the export ('/'-separated) and its bytes.
#[derive(Debug, Clone)]
pub struct OmnivoreFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Record {
    slug: Option<String>,
    title: Option<String>,
    author: Option<String>,
    url: Option<String>,
    description: Option<String>,
    #[serde(default)]
    labels: Vec<Label>,
    saved_at: Option<String>,
    published_at: Option<String>,
    thumbnail: Option<String>,
    site_name: Option<String>,
}

/// Labels are names in the export, `{name, color}` objects in some versions of it.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Label {
    Name(String),
    Object { name: String },
}

/// Reads the files of an export (in any order).
pub fn parse_files(files: Vec<OmnivoreFile>) -> Result<ImportBatch, ImportError> {
    let mut metadata = Vec::new();
    let mut content = HashMap::new();
    for file in files {
        let name = file.path.rsplit('/').next().unwrap_or("").to_string();
        if name.starts_with("metadata_") && name.ends_with(".json") {
            metadata.push((name, file.bytes));
        } else if file.path.split('/').any(|part| part == "content") {
            if let Some(slug) = name.strip_suffix(".md") {
                content.insert(slug.to_string(), file.bytes);
            }
        }
    }
    if metadata.is_empty() {
        return Err(not_this(
            Format::Omnivore,
            "it has no metadata_*.json file (give the export's .zip or the folder it unzips to)",
        ));
    }
    metadata.sort();
    let mut batch = ImportBatch::default();
    for (name, bytes) in metadata {
        read_metadata(&name, &bytes, &content, &mut batch);
    }
    Ok(batch)
}

fn read_metadata(
    name: &str,
    bytes: &[u8],
    content: &HashMap<String, Vec<u8>>,
    batch: &mut ImportBatch,
) {
    let items = match serde_json::from_slice::<Value>(strip_bom(bytes)) {
        Ok(Value::Array(items)) => items,
        Ok(_) => {
            batch
                .problems
                .push(problem(name.to_string(), "is not a list of entries"));
            return;
        }
        Err(e) => {
            batch
                .problems
                .push(problem(name.to_string(), format!("is not JSON ({e})")));
            return;
        }
    };
    for (index, item) in items.into_iter().enumerate() {
        let title = item
            .get("title")
            .and_then(Value::as_str)
            .map(str::to_string);
        let location = format!("{name}, {}", entry_location(index + 1, title.as_deref()));
        match serde_json::from_value::<Record>(item) {
            Ok(record) => read_record(record, location, content, batch),
            Err(e) => batch
                .problems
                .push(problem(location, format!("is not an Omnivore entry ({e})"))),
        }
    }
}

fn read_record(
    record: Record,
    location: String,
    content: &HashMap<String, Vec<u8>>,
    batch: &mut ImportBatch,
) {
    let url = match web_url(record.url.as_deref().unwrap_or("")) {
        Ok(url) => url,
        Err(message) => {
            batch.problems.push(problem(location, message));
            return;
        }
    };
    let added_at = date_time(record.saved_at.as_deref().unwrap_or("")).unwrap_or_else(|m| {
        batch.problems.push(problem(
            location.clone(),
            format!("{m}; imported without it"),
        ));
        None
    });
    let markdown = record
        .slug
        .as_deref()
        .and_then(|slug| content.get(slug))
        .map(|bytes| String::from_utf8_lossy(strip_bom(bytes)).into_owned());
    let labels = record.labels.iter().map(|l| match l {
        Label::Name(name) | Label::Object { name } => name.as_str(),
    });
    batch.entries.push(Entry {
        title: record.title.as_deref().and_then(clean),
        tags: clean_tags(labels),
        added_at,
        content_html: markdown
            .filter(|m| !m.trim().is_empty())
            .map(|m| markdown_to_html(&m)),
        description: record.description.as_deref().and_then(clean),
        authors: record
            .author
            .as_deref()
            .and_then(clean)
            .into_iter()
            .collect(),
        published: record.published_at.as_deref().and_then(clean),
        site_name: record.site_name.as_deref().and_then(clean),
        lead_image: record.thumbnail.as_deref().and_then(clean),
        url,
        ..Entry::default()
    });
}

fn markdown_to_html(markdown: &str) -> String {
    let options = pulldown_cmark::Options::ENABLE_TABLES
        | pulldown_cmark::Options::ENABLE_STRIKETHROUGH
        | pulldown_cmark::Options::ENABLE_FOOTNOTES;
    let parser = pulldown_cmark::Parser::new_ext(markdown, options);
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, parser);
    html
}

/// Reads the export's .zip.
pub(crate) fn parse_zip(bytes: &[u8]) -> Result<ImportBatch, ImportError> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
        not_this(
            Format::Omnivore,
            format!("it is not a .zip ({e}); give the export's .zip or the folder it unzips to"),
        )
    })?;
    let mut files = Vec::new();
    for i in 0..archive.len() {
        let mut file = archive
            .by_index(i)
            .map_err(|e| not_this(Format::Omnivore, format!("the .zip is damaged ({e})")))?;
        if !wanted(file.name()) {
            continue;
        }
        let path = file.name().to_string();
        let mut bytes = Vec::new();
        file.by_ref()
            .take(MAX_FILE_BYTES)
            .read_to_end(&mut bytes)
            .map_err(|e| not_this(Format::Omnivore, format!("{path} cannot be unzipped ({e})")))?;
        files.push(OmnivoreFile { path, bytes });
    }
    parse_files(files)
}

/// Reads the folder an export unzips to (and the folders inside it).
pub(crate) fn read_dir(root: &Path) -> Result<ImportBatch, ImportError> {
    let mut files = Vec::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let io = |source| ImportError::Io {
            path: folder.display().to_string(),
            source,
        };
        for item in std::fs::read_dir(&folder).map_err(io)? {
            let path = item.map_err(io)?.path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let name = relative.to_string_lossy().replace('\\', "/");
            if wanted(&name) {
                let bytes = std::fs::read(&path).map_err(|source| ImportError::Io {
                    path: path.display().to_string(),
                    source,
                })?;
                files.push(OmnivoreFile { path: name, bytes });
            }
        }
    }
    parse_files(files)
}

/// Only the metadata and the Markdown content are read; highlights and the rest are not.
fn wanted(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    (name.starts_with("metadata_") && name.ends_with(".json"))
        || (name.ends_with(".md") && path.split('/').any(|part| part == "content"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::io::Write;

    use super::*;

    const METADATA: &str = r##"[
      {"id":"1","slug":"iptv-reseau","title":"IPTV","author":"Jane Roe","url":"https://www.example.com/iptv",
       "description":"Europol","labels":["piracy","piracy/iptv"],"state":"Archived",
       "savedAt":"2020-11-12T10:00:00.000Z","publishedAt":"2020-11-12T08:00:00.000Z"},
      {"id":"2","slug":"no-content","title":"Bare","url":"https://ex.com/bare","labels":[{"name":"press","color":"#fff"}],
       "savedAt":"whenever"},
      {"id":"3","slug":"x","title":"Evil","url":"javascript:alert(1)"}
    ]"##;
    const CONTENT: &str = "# IPTV\n\nUn **vaste** réseau.\n\n- un\n- deux\n";

    fn files() -> Vec<OmnivoreFile> {
        vec![
            OmnivoreFile {
                path: "export/metadata_0_to_3.json".into(),
                bytes: METADATA.into(),
            },
            OmnivoreFile {
                path: "export/content/iptv-reseau.md".into(),
                bytes: CONTENT.into(),
            },
            OmnivoreFile {
                path: "export/highlights/iptv-reseau.md".into(),
                bytes: b"> hi".to_vec(),
            },
        ]
    }

    fn check(batch: &ImportBatch) {
        assert_eq!(batch.entries.len(), 2);
        let a = &batch.entries[0];
        let html = a.content_html.as_deref().unwrap();
        assert!(
            html.contains("<strong>vaste</strong>") && html.contains("<li>deux</li>"),
            "{html}"
        );
        assert_eq!(a.tags, ["piracy", "piracy/iptv"]);
        assert_eq!(a.authors, ["Jane Roe"]);
        assert_eq!(a.added_at, Some(1_605_175_200));
        assert_eq!(a.published.as_deref(), Some("2020-11-12T08:00:00.000Z"));
        let b = &batch.entries[1];
        assert_eq!(
            b.content_html, None,
            "without content/<slug>.md it is fetched"
        );
        assert_eq!(b.tags, ["press"]);
        let problems: Vec<_> = batch.problems.iter().map(|p| p.location.as_str()).collect();
        assert_eq!(
            problems,
            [
                "metadata_0_to_3.json, entry 2 (\"Bare\")",
                "metadata_0_to_3.json, entry 3 (\"Evil\")"
            ]
        );
    }

    #[test]
    fn metadata_with_markdown_content_labels_and_bad_entries() {
        check(&parse_files(files()).unwrap());
    }

    #[test]
    fn the_zip_and_the_folder_read_the_same() {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let dir = tempfile::tempdir().unwrap();
        for f in files() {
            zip.start_file(f.path.as_str(), zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(&f.bytes).unwrap();
            let path = dir.path().join(&f.path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, &f.bytes).unwrap();
        }
        let bytes = zip.finish().unwrap().into_inner();
        check(&crate::parse(Format::Omnivore, &bytes).unwrap());
        check(&crate::load(Format::Omnivore, dir.path()).unwrap());
    }

    #[test]
    fn something_else_is_refused() {
        let err = crate::parse(Format::Omnivore, b"[{\"url\":\"https://ex.com\"}]").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("this is not an Omnivore export"),
            "{err}"
        );
        let empty = tempfile::tempdir().unwrap();
        let err = crate::load(Format::Omnivore, empty.path()).unwrap_err();
        assert!(err.to_string().contains("no metadata_*.json"), "{err}");
    }
}
