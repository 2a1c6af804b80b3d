//! Pocket's exports: the classic HTML (`<h1>Unread</h1><ul><li><a href time_added tags>`, then
//! the Read Archive) and the newer CSV (`title,url,time_added,tags,status`, tags joined by `|`).

use scraper::{Html, Selector};

use crate::common::{
    clean, clean_tags, entry_location, not_this, problem, text, unix_time, web_url,
};
use crate::{Entry, Format, ImportBatch, ImportError};

pub(crate) fn parse(bytes: &[u8]) -> Result<ImportBatch, ImportError> {
    let text = text(bytes);
    let start = text.trim_start();
    if start.starts_with('<') {
        return parse_html(&text);
    }
    let header = start.lines().next().unwrap_or("").to_ascii_lowercase();
    if header
        .split(',')
        .any(|field| field.trim().trim_matches('"') == "url")
    {
        return parse_csv(start.as_bytes());
    }
    Err(not_this(
        Format::Pocket,
        "it is neither Pocket's HTML export nor its CSV (whose first line names the columns: \
         title,url,time_added,tags,status)",
    ))
}

fn parse_html(text: &str) -> Result<ImportBatch, ImportError> {
    let doc = Html::parse_document(text);
    let links =
        Selector::parse("li a").map_err(|_| not_this(Format::Pocket, "internal selector"))?;
    let title =
        Selector::parse("title").map_err(|_| not_this(Format::Pocket, "internal selector"))?;
    let is_pocket = doc
        .select(&title)
        .any(|t| t.text().collect::<String>().contains("Pocket"))
        || text.contains("time_added=");
    if !is_pocket {
        return Err(not_this(
            Format::Pocket,
            "the HTML has neither Pocket's title nor its links with time_added \
             (a browser's bookmarks? use --from netscape)",
        ));
    }
    let mut batch = ImportBatch::default();
    for (index, a) in doc.select(&links).enumerate() {
        let title = clean(&a.text().collect::<String>());
        let location = entry_location(index + 1, title.as_deref());
        let el = a.value();
        let url = match web_url(el.attr("href").unwrap_or("")) {
            Ok(url) => url,
            Err(message) => {
                batch.problems.push(problem(location, message));
                continue;
            }
        };
        let added_at = unix_time(el.attr("time_added").unwrap_or("")).unwrap_or_else(|message| {
            batch.problems.push(problem(
                location.clone(),
                format!("{message}; imported without it"),
            ));
            None
        });
        batch.entries.push(Entry {
            title: title.filter(|t| *t != url),
            tags: clean_tags(el.attr("tags").unwrap_or("").split(',')),
            added_at,
            url,
            ..Entry::default()
        });
    }
    Ok(batch)
}

fn parse_csv(bytes: &[u8]) -> Result<ImportBatch, ImportError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|e| {
            not_this(
                Format::Pocket,
                format!("its first line cannot be read ({e})"),
            )
        })?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let Some(url_at) = column("url") else {
        return Err(not_this(Format::Pocket, "its CSV has no \"url\" column"));
    };
    let (title_at, time_at, tags_at) = (column("title"), column("time_added"), column("tags"));
    let mut batch = ImportBatch::default();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                batch.problems.push(problem(
                    format!("line {line}"),
                    format!("cannot be read ({e})"),
                ));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let location = format!("line {line}");
        let field = |at: Option<usize>| at.and_then(|i| record.get(i)).unwrap_or("");
        let url = match web_url(field(Some(url_at))) {
            Ok(url) => url,
            Err(message) => {
                batch.problems.push(problem(location, message));
                continue;
            }
        };
        let added_at = unix_time(field(time_at)).unwrap_or_else(|message| {
            batch.problems.push(problem(
                location.clone(),
                format!("{message}; imported without it"),
            ));
            None
        });
        batch.entries.push(Entry {
            title: clean(field(title_at)).filter(|t| *t != url),
            tags: clean_tags(field(tags_at).split('|')),
            added_at,
            url,
            ..Entry::default()
        });
    }
    Ok(batch)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const HTML: &str = r#"<!DOCTYPE html>
<html><head><meta charset="UTF-8"><title>Pocket Export</title></head><body>
<h1>Unread</h1>
<ul>
<li><a href="https://www.example.com/iptv" time_added="1605175200" tags="piracy,iptv">IPTV : un réseau démantelé</a></li>
<li><a href="javascript:alert(1)" time_added="1605175200" tags="">Evil</a></li>
<li><a href="https://ex.com/no-date" time_added="soon" tags="">No date</a></li>
<li><a time_added="1605175200">No address</a></li>
</ul>
<h1>Read Archive</h1>
<ul>
<li><a href="https://ex.com/read" time_added="1500000000" tags="">https://ex.com/read</a></li>
<li><a href="https://www.example.com/iptv" time_added="1605175300" tags="europol">Again</a></li>
</ul>
</body></html>"#;

    #[test]
    fn html_export_with_both_sections_and_bad_entries() {
        let batch = crate::parse(Format::Pocket, HTML.as_bytes()).unwrap();
        assert_eq!(batch.entries.len(), 3, "{:#?}", batch.entries);
        let iptv = &batch.entries[0];
        assert_eq!(iptv.title.as_deref(), Some("IPTV : un réseau démantelé"));
        assert_eq!(
            iptv.tags,
            ["piracy", "iptv", "europol"],
            "the duplicate's tags are merged"
        );
        assert_eq!(iptv.added_at, Some(1_605_175_200));
        assert_eq!(batch.duplicates, 1);
        let no_date = &batch.entries[1];
        assert_eq!(
            no_date.added_at, None,
            "a bad date is dropped, the entry kept"
        );
        assert_eq!(
            batch.entries[2].title, None,
            "a title that is only the address is no title"
        );
        let problems: Vec<_> = batch.problems.iter().map(|p| p.location.as_str()).collect();
        assert_eq!(
            problems,
            [
                "entry 2 (\"Evil\")",
                "entry 3 (\"No date\")",
                "entry 4 (\"No address\")"
            ]
        );
    }

    #[test]
    fn csv_export_with_quoted_commas_newlines_and_a_bom() {
        let csv = "\u{feff}title,url,time_added,tags,status\n\
            \"Hello, world\",https://ex.com/a,1605175200,press|press/europe,unread\n\
            \"Two\nlines\",https://ex.com/b,,,archive\n\
            Bad,javascript:void(0),1605175200,,unread\n\
            Late,https://ex.com/c,tomorrow,,unread\n";
        let batch = crate::parse(Format::Pocket, csv.as_bytes()).unwrap();
        let titles: Vec<_> = batch.entries.iter().map(|e| e.title.as_deref()).collect();
        assert_eq!(
            titles,
            [Some("Hello, world"), Some("Two lines"), Some("Late")]
        );
        assert_eq!(batch.entries[0].tags, ["press", "press/europe"]);
        assert_eq!(batch.entries[0].added_at, Some(1_605_175_200));
        let problems: Vec<_> = batch.problems.iter().map(|p| p.location.as_str()).collect();
        assert_eq!(
            problems,
            ["line 5", "line 6"],
            "lines count the quoted newline"
        );
    }

    #[test]
    fn other_files_are_refused_whole() {
        for other in [
            "{\"url\": 1}",
            "<!DOCTYPE NETSCAPE-Bookmark-file-1><DL><DT><A HREF=\"https://ex.com\">x</A></DL>",
            "just text",
        ] {
            let err = crate::parse(Format::Pocket, other.as_bytes()).unwrap_err();
            assert!(
                err.to_string().starts_with("this is not a Pocket export: "),
                "{err}"
            );
        }
    }
}
