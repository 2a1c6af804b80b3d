//! Bringing a read export into a library: the steps the CLI's `import --from` and the desktop
//! app's import share. Parsing stays pure; these functions write through the [`Library`] they
//! are given, and the fetching of entries without content is left to the caller (the batch
//! path of `clipbook add`).

use std::collections::HashMap;

use clipbook_store::{Library, NewClipping, StoreError};

use crate::{Entry, ImportBatch};

/// Entries whose addresses differ only by tracking parameters and the like are one article
/// (the library would store them as one): their tags are merged into the first. Returns the
/// entries kept and how many were merged away.
pub fn merge_same_articles(entries: Vec<Entry>) -> (Vec<Entry>, usize) {
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut kept: Vec<Entry> = Vec::with_capacity(entries.len());
    let mut merged = 0;
    for entry in entries {
        let key = match clipbook_store::parse_web_url(&entry.url) {
            Ok(url) => clipbook_store::canonical_key(&url, None),
            Err(_) => entry.url.clone(),
        };
        match first.get(&key) {
            Some(&at) => {
                let tags = &mut kept[at].tags;
                for tag in entry.tags {
                    if !tags.contains(&tag) {
                        tags.push(tag);
                    }
                }
                merged += 1;
            }
            None => {
                first.insert(key, kept.len());
                kept.push(entry);
            }
        }
    }
    (kept, merged)
}

/// The entry's own tags, then the ones given for the whole import.
pub fn all_tags(entry: &Entry, extra: &[String]) -> Vec<String> {
    let mut tags = entry.tags.clone();
    for tag in extra {
        if !tags.contains(tag) {
            tags.push(tag.clone());
        }
    }
    tags
}

/// The clipping for an entry that came with its content (the store sanitises the HTML).
pub fn new_clipping(entry: &Entry, extra_tags: &[String]) -> NewClipping {
    NewClipping {
        url: entry.url.clone(),
        title: entry.title.clone().unwrap_or_else(|| entry.url.clone()),
        authors: entry.authors.clone(),
        published_at: entry.published.clone(),
        site_name: entry.site_name.clone(),
        language: entry.language.clone(),
        lead_image_url: entry.lead_image.clone(),
        excerpt: entry.description.clone(),
        content_html: entry.content_html.clone().unwrap_or_default(),
        added_at: entry.added_at,
        tags: all_tags(entry, extra_tags),
        ..NewClipping::default()
    }
}

/// An entry the library already has: its tags are merged, and it is not fetched again.
/// Returns the clipping's id, or `None` when the entry is new.
pub fn merge_into_known(
    lib: &Library,
    entry: &Entry,
    extra_tags: &[String],
) -> Result<Option<i64>, StoreError> {
    let Some(id) = lib.find_by_url(&entry.url)? else {
        return Ok(None);
    };
    let tags = all_tags(entry, extra_tags);
    if !tags.is_empty() {
        lib.tag_clippings(&[id], &tags)?;
    }
    Ok(Some(id))
}

/// A clipping fetched for an entry gets the entry's own tags and, when new, the date the user
/// saved it in the other tool.
pub fn keep_what_the_export_knew(
    lib: &Library,
    id: i64,
    created: bool,
    entry: &Entry,
) -> Result<(), StoreError> {
    if !entry.tags.is_empty() {
        lib.tag_clippings(&[id], &entry.tags)?;
    }
    if let (true, Some(ts)) = (created, entry.added_at) {
        lib.set_added_at(id, ts)?;
    }
    Ok(())
}

/// An export split for importing: entries merged by article, those with content apart from
/// those to fetch.
pub struct Plan {
    pub with_content: Vec<Entry>,
    pub to_fetch: Vec<Entry>,
    /// Entries in the file, after merging repeats.
    pub total: usize,
    /// Repeats merged away (the file's own and those found here).
    pub duplicates: usize,
}

pub fn plan(batch: ImportBatch) -> Plan {
    let (entries, merged) = merge_same_articles(batch.entries);
    let total = entries.len();
    let (with_content, to_fetch) = entries.into_iter().partition(|e| e.content_html.is_some());
    Plan {
        with_content,
        to_fetch,
        total,
        duplicates: batch.duplicates + merged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(url: &str, tags: &[&str]) -> Entry {
        Entry {
            url: url.to_string(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            ..Entry::default()
        }
    }

    #[test]
    fn the_same_article_under_tracking_parameters_is_one_entry_with_both_tags() {
        let (kept, merged) = merge_same_articles(vec![
            entry("https://news.example/a?utm_source=x", &["press"]),
            entry("https://news.example/a", &["iptv", "press"]),
            entry("https://news.example/b", &[]),
        ]);
        assert_eq!(merged, 1);
        assert_eq!(kept.len(), 2);
        assert_eq!(kept[0].tags, vec!["press", "iptv"]);
    }

    #[test]
    fn known_entries_get_their_tags_and_new_ones_keep_their_date() {
        let lib = Library::open_in_memory().unwrap();
        let mut with_content = entry("https://news.example/a", &["press"]);
        with_content.content_html = Some("<p>Body of the article.</p>".into());
        with_content.added_at = Some(1_600_000_000);
        let id = lib
            .add_clipping(&new_clipping(&with_content, &["import".to_string()]))
            .unwrap()
            .id;
        let c = lib.clipping(id).unwrap();
        assert_eq!(c.tags, vec!["import", "press"]);
        assert_eq!(c.title, "https://news.example/a", "no title: the address");

        let again = entry("https://news.example/a", &["iptv"]);
        assert_eq!(merge_into_known(&lib, &again, &[]).unwrap(), Some(id));
        assert!(lib.clipping(id).unwrap().tags.contains(&"iptv".to_string()));
        assert_eq!(
            merge_into_known(&lib, &entry("https://news.example/new", &[]), &[]).unwrap(),
            None
        );
    }
}
