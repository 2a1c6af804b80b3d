//! A plain list of addresses: one per line, blank lines and `#` comments skipped.

use crate::common::{not_this, problem, text, web_url};
use crate::{Entry, Format, ImportBatch, ImportError};

pub(crate) fn parse(bytes: &[u8]) -> Result<ImportBatch, ImportError> {
    if bytes.contains(&0) {
        return Err(not_this(Format::Urls, "it is a binary file"));
    }
    let text = text(bytes);
    let mut batch = ImportBatch::default();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if batch.entries.is_empty() && batch.problems.is_empty() && looks_like_markup(line) {
            return Err(not_this(
                Format::Urls,
                format!(
                    "line {} starts with {:?}; use --from netscape, pocket or wallabag for an export",
                    index + 1,
                    &line[..1]
                ),
            ));
        }
        match web_url(line) {
            Ok(url) => batch.entries.push(Entry {
                url,
                ..Entry::default()
            }),
            Err(message) => batch
                .problems
                .push(problem(format!("line {}", index + 1), message)),
        }
    }
    Ok(batch)
}

/// An HTML or JSON export given as a list: refuse it whole rather than report every line.
fn looks_like_markup(line: &str) -> bool {
    line.starts_with(['<', '{', '['])
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn comments_blanks_and_bad_lines() {
        let list =
            "\u{feff}# morning\n\nhttps://ex.com/a\n  http://ex.com/b  \nnot an address\nplace:x\n";
        let batch = parse(list.as_bytes()).unwrap();
        let urls: Vec<_> = batch.entries.iter().map(|e| e.url.as_str()).collect();
        assert_eq!(urls, ["https://ex.com/a", "http://ex.com/b"]);
        let lines: Vec<_> = batch.problems.iter().map(|p| p.location.as_str()).collect();
        assert_eq!(
            lines,
            ["line 5", "line 6"],
            "problems name their lines, counted from 1"
        );
    }

    #[test]
    fn an_export_is_not_a_list() {
        let err = parse(b"<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL>").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("this is not a list of addresses"),
            "{err}"
        );
        assert!(parse(b"\x00\x01PK").is_err());
    }
}
