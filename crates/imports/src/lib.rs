//! Other tools' exports read into entries Clipbook can import: Pocket (HTML and CSV), Netscape
//! bookmark files (browsers, Raindrop, linkding, Shiori), Wallabag's JSON, Omnivore's export and
//! plain lists of addresses.
//!
//! Parsing is pure: bytes in, an [`ImportBatch`] out — no network, no database (only [`load`]
//! reads the file or folder it is given). [`apply`] has the steps that bring a batch into a
//! library, shared by the CLI and the desktop app. A malformed entry becomes a [`Problem`] that names its line or
//! entry, and the valid entries are still returned; a file that is not the format claimed at all
//! is an [`ImportError`].
//!
//! ```
//! use clipbook_imports::{Format, parse};
//!
//! let list = "# morning review\nhttps://www.example.com/a\njavascript:alert(1)\n";
//! let batch = parse(Format::Urls, list.as_bytes())?;
//! assert_eq!(batch.entries[0].url, "https://www.example.com/a");
//! assert_eq!(batch.problems[0].location, "line 3");
//! # Ok::<(), clipbook_imports::ImportError>(())
//! ```

pub mod apply;
mod common;
mod netscape;
mod omnivore;
mod pocket;
mod urls;
mod wallabag;

use std::collections::HashMap;
use std::path::Path;

pub use omnivore::{OmnivoreFile, parse_files as parse_omnivore_files};

/// An export format Clipbook reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Pocket's HTML export, or its newer CSV.
    Pocket,
    /// Netscape bookmark HTML, as browsers, Raindrop, linkding and Shiori write it.
    Netscape,
    /// Wallabag's JSON export (with the articles' content).
    Wallabag,
    /// Omnivore's export: a .zip or its unzipped folder (`metadata_*.json`, `content/*.md`).
    Omnivore,
    /// One address per line; blank lines and `#` comments skipped.
    Urls,
}

impl Format {
    /// The format as users know it, with its article, for messages: "a Pocket export".
    pub fn described(self) -> &'static str {
        match self {
            Format::Pocket => "a Pocket export",
            Format::Netscape => "a Netscape bookmark file",
            Format::Wallabag => "a Wallabag export",
            Format::Omnivore => "an Omnivore export",
            Format::Urls => "a list of addresses",
        }
    }
}

/// One article or bookmark to import.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Entry {
    /// An http or https address (checked by the parsers).
    pub url: String,
    pub title: Option<String>,
    /// Nested with '/' (a bookmark folder `Press > Europe` becomes `Press/Europe`).
    pub tags: Vec<String>,
    /// When the user saved it in the other tool, in Unix seconds.
    pub added_at: Option<i64>,
    /// The article body as HTML when the export has it; `None` means it must be fetched.
    pub content_html: Option<String>,
    /// A description or excerpt.
    pub description: Option<String>,
    pub authors: Vec<String>,
    /// As the export gives it (RFC 3339 or a date); the store reads it.
    pub published: Option<String>,
    pub language: Option<String>,
    pub site_name: Option<String>,
    pub lead_image: Option<String>,
}

/// An entry that could not be read, or was read with something left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where: `line 12`, or `entry 7 ("A title")`.
    pub location: String,
    pub message: String,
}

/// What a file holds: the entries to import and the problems met on the way.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportBatch {
    pub entries: Vec<Entry>,
    pub problems: Vec<Problem>,
    /// Entries that repeated an earlier one's address: merged into it (their tags added).
    pub duplicates: usize,
}

/// A file that cannot be imported at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("this is not {format}: {reason}")]
    NotThisFormat {
        format: &'static str,
        reason: String,
    },
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

impl ImportError {
    /// A stable code for programs and the UI.
    pub fn code(&self) -> &'static str {
        match self {
            ImportError::NotThisFormat { .. } => "not_this_format",
            ImportError::Io { .. } => "io",
        }
    }
}

/// Reads one export file's bytes. Omnivore's export is several files: give its .zip here, or
/// use [`load`] for its folder.
pub fn parse(format: Format, bytes: &[u8]) -> Result<ImportBatch, ImportError> {
    let batch = match format {
        Format::Pocket => pocket::parse(bytes)?,
        Format::Netscape => netscape::parse(bytes)?,
        Format::Wallabag => wallabag::parse(bytes)?,
        Format::Omnivore => omnivore::parse_zip(bytes)?,
        Format::Urls => urls::parse(bytes)?,
    };
    Ok(batch.merge_duplicates())
}

/// Reads an export from disk: a file, or for Omnivore also the folder of its unzipped export.
pub fn load(format: Format, path: &Path) -> Result<ImportBatch, ImportError> {
    if format == Format::Omnivore && path.is_dir() {
        return Ok(omnivore::read_dir(path)?.merge_duplicates());
    }
    let bytes = std::fs::read(path).map_err(|source| ImportError::Io {
        path: path.display().to_string(),
        source,
    })?;
    parse(format, &bytes)
}

impl ImportBatch {
    /// Folds entries with the same address into the first one: tags are added, missing fields
    /// filled. Exports repeat addresses (a bookmark in two folders), and the import must not
    /// fetch or report the same page twice.
    fn merge_duplicates(mut self) -> ImportBatch {
        let mut first: HashMap<String, usize> = HashMap::new();
        let mut kept: Vec<Entry> = Vec::with_capacity(self.entries.len());
        for entry in std::mem::take(&mut self.entries) {
            match first.get(&entry.url) {
                Some(&at) => {
                    kept[at].absorb(entry);
                    self.duplicates += 1;
                }
                None => {
                    first.insert(entry.url.clone(), kept.len());
                    kept.push(entry);
                }
            }
        }
        self.entries = kept;
        self
    }
}

impl Entry {
    fn absorb(&mut self, other: Entry) {
        for tag in other.tags {
            if !self.tags.contains(&tag) {
                self.tags.push(tag);
            }
        }
        fill(&mut self.title, other.title);
        fill(&mut self.content_html, other.content_html);
        fill(&mut self.description, other.description);
        fill(&mut self.published, other.published);
        fill(&mut self.language, other.language);
        fill(&mut self.site_name, other.site_name);
        fill(&mut self.lead_image, other.lead_image);
        self.added_at = match (self.added_at, other.added_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if self.authors.is_empty() {
            self.authors = other.authors;
        }
    }
}

fn fill(slot: &mut Option<String>, other: Option<String>) {
    if slot.is_none() {
        *slot = other;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn duplicates_are_merged_into_the_first_entry() {
        let list = "https://ex.com/a\nhttps://ex.com/b\nhttps://ex.com/a\n";
        let batch = parse(Format::Urls, list.as_bytes()).unwrap();
        assert_eq!(batch.entries.len(), 2);
        assert_eq!(batch.duplicates, 1);
    }
}
