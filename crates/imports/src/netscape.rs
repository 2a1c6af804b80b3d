//! Netscape bookmark files, as browsers, Raindrop, linkding, Pinboard and Shiori export them:
//! `<DT><A HREF ADD_DATE TAGS>title</A>` in `<DL>` lists, folders as `<DT><H3>name</H3><DL>…`,
//! descriptions in a `<DD>` after the link. Real files are malformed HTML (no closing `</DT>`,
//! stray `<p>`), so they go through an HTML5 parser, which nests them the way browsers do.

use scraper::{ElementRef, Html, Selector};

use crate::common::{
    clean, clean_tags, entry_location, not_this, problem, text, unix_time, web_url,
};
use crate::{Entry, Format, ImportBatch, ImportError};

pub(crate) fn parse(bytes: &[u8]) -> Result<ImportBatch, ImportError> {
    let text = text(bytes);
    let head: String = text
        .chars()
        .take(4096)
        .collect::<String>()
        .to_ascii_lowercase();
    if !head.contains("netscape-bookmark-file") && !head.contains("<dt") {
        return Err(not_this(
            Format::Netscape,
            "it has neither the <!DOCTYPE NETSCAPE-Bookmark-file-1> line nor <DT> bookmarks",
        ));
    }
    let doc = Html::parse_document(&text);
    let links = Selector::parse("dt > a").map_err(|_| not_this(Format::Netscape, "selector"))?;
    let mut batch = ImportBatch::default();
    for (index, a) in doc.select(&links).enumerate() {
        read_link(a, index + 1, &mut batch);
    }
    Ok(batch)
}

fn read_link(a: ElementRef<'_>, position: usize, batch: &mut ImportBatch) {
    let title = clean(&a.text().collect::<String>());
    let location = entry_location(position, title.as_deref());
    let el = a.value();
    let url = match web_url(el.attr("href").unwrap_or("")) {
        Ok(url) => url,
        Err(message) => {
            batch.problems.push(problem(location, message));
            return;
        }
    };
    let added_at = unix_time(el.attr("add_date").unwrap_or("")).unwrap_or_else(|message| {
        batch.problems.push(problem(
            location.clone(),
            format!("{message}; imported without it"),
        ));
        None
    });
    let folder = folder_path(a);
    let mut tags = clean_tags(el.attr("tags").unwrap_or("").split(','));
    if let Some(folder) = folder {
        tags.insert(0, folder);
    }
    batch.entries.push(Entry {
        title: title.filter(|t| *t != url),
        tags,
        added_at,
        description: description(a),
        url,
        ..Entry::default()
    });
}

/// The folders around a bookmark, outermost first, as one nested tag (`Press/Europe`). A folder
/// is the `<H3>` just before the `<DL>` that holds the bookmark.
fn folder_path(a: ElementRef<'_>) -> Option<String> {
    let mut names = Vec::new();
    for ancestor in a.ancestors().filter_map(ElementRef::wrap) {
        if !ancestor.value().name().eq_ignore_ascii_case("dl") {
            continue;
        }
        let heading = ancestor
            .prev_siblings()
            .filter_map(ElementRef::wrap)
            .next()
            .filter(|e| e.value().name().eq_ignore_ascii_case("h3"));
        if let Some(name) = heading.and_then(|h| clean(&h.text().collect::<String>())) {
            // A '/' inside a folder's name would nest it one level deeper than it is.
            names.push(name.replace('/', "-"));
        }
    }
    names.reverse();
    (!names.is_empty()).then(|| names.join("/"))
}

/// The `<DD>` right after the bookmark's `<DT>`.
fn description(a: ElementRef<'_>) -> Option<String> {
    let dt = a.parent().and_then(ElementRef::wrap)?;
    let next = dt.next_siblings().filter_map(ElementRef::wrap).next()?;
    if !next.value().name().eq_ignore_ascii_case("dd") {
        return None;
    }
    // The DD's own text, not that of a folder list the parser may have nested in it.
    let own: String = next
        .children()
        .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
        .collect();
    clean(&own)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const FILE: &str = "\u{feff}<!DOCTYPE NETSCAPE-Bookmark-file-1>
<!-- This is an automatically generated file. -->
<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=UTF-8\">
<TITLE>Bookmarks</TITLE>
<H1>Bookmarks</H1>
<DL><p>
    <DT><H3 ADD_DATE=\"1600000000\">Bookmarks</H3>
    <DL><p>
        <DT><H3>Press</H3>
        <DL><p>
            <DT><A HREF=\"https://www.example.com/iptv\" ADD_DATE=\"1605175200\" TAGS=\"piracy,iptv\">IPTV</A>
            <DD>Europol's operation
            <DT><H3>Europe/EU</H3>
            <DL><p>
                <DT><A HREF=\"https://ex.com/eu\" ADD_DATE=\"1605175200000\">EU</A>
            </DL><p>
        </DL><p>
        <DT><A HREF=\"place:sort=8&maxResults=10\">Recent tags</A>
        <DT><A HREF=\"https://ex.com/top\" ADD_DATE=\"not a date\">Top</A>
        <DT><A ADD_DATE=\"1605175200\">No address</A>
    </DL><p>
    <DT><A HREF=\"https://ex.com/loose\">Loose</A>
    <DT><A HREF=\"https://www.example.com/iptv\" TAGS=\"later\">IPTV again</A>
</DL><p>
";

    #[test]
    fn folders_tags_dates_descriptions_and_bad_entries() {
        let batch = crate::parse(Format::Netscape, FILE.as_bytes()).unwrap();
        let got: Vec<_> = batch
            .entries
            .iter()
            .map(|e| (e.url.as_str(), e.tags.join(" ")))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "https://www.example.com/iptv",
                    "Bookmarks/Press piracy iptv later".to_string()
                ),
                ("https://ex.com/eu", "Bookmarks/Press/Europe-EU".to_string()),
                ("https://ex.com/top", "Bookmarks".to_string()),
                ("https://ex.com/loose", String::new()),
            ]
        );
        assert_eq!(
            batch.entries[0].description.as_deref(),
            Some("Europol's operation")
        );
        assert_eq!(batch.entries[0].added_at, Some(1_605_175_200));
        assert_eq!(
            batch.entries[1].added_at,
            Some(1_605_175_200),
            "milliseconds are read"
        );
        assert_eq!(batch.entries[1].description, None);
        assert_eq!(batch.duplicates, 1);
        let problems: Vec<_> = batch.problems.iter().map(|p| p.location.as_str()).collect();
        assert_eq!(
            problems,
            [
                "entry 3 (\"Recent tags\")",
                "entry 4 (\"Top\")",
                "entry 5 (\"No address\")"
            ]
        );
        assert!(batch.problems[0].message.contains("only http and https"));
    }

    #[test]
    fn a_file_without_bookmarks_is_refused() {
        let err =
            crate::parse(Format::Netscape, b"<html><body><p>hello</p></body></html>").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("this is not a Netscape bookmark file: "),
            "{err}"
        );
    }
}
