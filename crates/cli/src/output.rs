//! Printing: human tables and JSON, written so that a closed pipe is an error, not a panic.

use std::io::{self, IsTerminal, Write};

use clipbook_store::{ClippingSummary, HIGHLIGHT_END, HIGHLIGHT_START, snippet_html};
use serde::Serialize;

/// An error and its causes on one line.
pub fn one_line(err: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
    }
    parts.join(": ").replace('\n', " ")
}

pub fn stdout_is_terminal() -> bool {
    io::stdout().is_terminal()
}

pub fn print_json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// Cuts `text` to `width` characters, with an ellipsis when it was longer.
pub fn fit(text: &str, width: usize) -> String {
    let count = text.chars().count();
    if count <= width {
        return format!("{text:<width$}");
    }
    let cut: String = text.chars().take(width.saturating_sub(1)).collect();
    format!("{cut}…")
}

/// The day part of a stored date ("2020-11-12T10:31:00+01:00" → "2020-11-12").
pub fn day(date: Option<&str>) -> &str {
    date.and_then(|d| d.get(..10)).unwrap_or("")
}

/// A snippet for the terminal: matches in bold on a terminal, else between [ and ].
pub fn snippet_for_terminal(snippet: &str, color: bool) -> String {
    let (open, close) = if color {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("[", "]")
    };
    snippet
        .replace(HIGHLIGHT_START, open)
        .replace(HIGHLIGHT_END, close)
        .replace('\n', " ")
}

/// A snippet without its highlight marks.
pub fn snippet_plain(snippet: &str) -> String {
    snippet
        .replace([HIGHLIGHT_START, HIGHLIGHT_END], "")
        .replace('\n', " ")
}

/// One line per clipping: id, date, source, title, tags; and the snippet under search hits.
pub fn print_rows(rows: &[ClippingSummary]) -> anyhow::Result<()> {
    let color = stdout_is_terminal();
    let mut out = io::stdout().lock();
    for row in rows {
        let tags = if row.tags.is_empty() {
            String::new()
        } else {
            format!("  [{}]", row.tags.join(", "))
        };
        let date = match day(row.published_at.as_deref()) {
            "" => "          ",
            d => d,
        };
        writeln!(
            out,
            "{:>6}  {date:<10}  {}  {}{tags}",
            row.id,
            fit(row.source(), 18),
            if row.title.is_empty() {
                &row.url
            } else {
                &row.title
            },
        )?;
        if let Some(snippet) = &row.snippet {
            writeln!(out, "        {}", snippet_for_terminal(snippet, color))?;
        }
    }
    out.flush()?;
    Ok(())
}

#[derive(Serialize)]
struct JsonRow<'a> {
    #[serde(flatten)]
    row: &'a ClippingSummary,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet_html: Option<String>,
}

pub fn print_rows_json(rows: &[ClippingSummary]) -> anyhow::Result<()> {
    let rows: Vec<JsonRow<'_>> = rows
        .iter()
        .map(|row| JsonRow {
            row,
            snippet: row.snippet.as_deref().map(snippet_plain),
            snippet_html: row.snippet.as_deref().map(snippet_html),
        })
        .collect();
    print_json(&rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_escape_html_and_mark_matches() {
        let s = "a <b> \u{2}IPTV\u{3} & co";
        assert_eq!(snippet_html(s), "a &lt;b&gt; <mark>IPTV</mark> &amp; co");
        assert_eq!(snippet_plain(s), "a <b> IPTV & co");
        assert_eq!(snippet_for_terminal(s, false), "a <b> [IPTV] & co");
    }

    #[test]
    fn fit_pads_and_cuts_by_characters() {
        assert_eq!(fit("Numérama", 10), "Numérama  ");
        assert_eq!(fit("Le Monde diplomatique", 8), "Le Mond…");
    }
}
