//! Wallabag's JSON export: an array of entries with their content (HTML), so nothing needs
//! fetching again.

use serde::Deserialize;
use serde_json::Value;

use crate::common::{
    clean, clean_tags, date_time, entry_location, not_this, problem, strip_bom, web_url,
};
use crate::{Entry, Format, ImportBatch, ImportError};

/// One entry of the export; fields Clipbook does not keep are ignored.
#[derive(Debug, Deserialize)]
struct Record {
    url: Option<String>,
    title: Option<String>,
    content: Option<String>,
    #[serde(default)]
    tags: Vec<Tag>,
    created_at: Option<String>,
    published_at: Option<String>,
    #[serde(default)]
    published_by: Option<Authors>,
    language: Option<String>,
    preview_picture: Option<String>,
    domain_name: Option<String>,
}

/// Tags are strings in the export and `{id, label, slug}` objects in the API's answers.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Tag {
    Label(String),
    Object { label: String },
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Authors {
    Many(Vec<String>),
    One(String),
}

pub(crate) fn parse(bytes: &[u8]) -> Result<ImportBatch, ImportError> {
    let value: Value = serde_json::from_slice(strip_bom(bytes))
        .map_err(|e| not_this(Format::Wallabag, format!("it is not JSON ({e})")))?;
    let items = match value {
        Value::Array(items) => items,
        // The API's paginated answer: {"_embedded": {"items": [...]}}.
        Value::Object(mut map) => match map
            .get_mut("_embedded")
            .and_then(|e| e.get_mut("items"))
            .map(Value::take)
        {
            Some(Value::Array(items)) => items,
            _ => {
                return Err(not_this(
                    Format::Wallabag,
                    "it is JSON but not a list of entries",
                ));
            }
        },
        _ => {
            return Err(not_this(
                Format::Wallabag,
                "it is JSON but not a list of entries",
            ));
        }
    };
    let mut batch = ImportBatch::default();
    for (index, item) in items.into_iter().enumerate() {
        let title = item
            .get("title")
            .and_then(Value::as_str)
            .map(str::to_string);
        let location = entry_location(index + 1, title.as_deref());
        match serde_json::from_value::<Record>(item) {
            Ok(record) => read_record(record, location, &mut batch),
            Err(e) => batch
                .problems
                .push(problem(location, format!("is not a Wallabag entry ({e})"))),
        }
    }
    Ok(batch)
}

fn read_record(record: Record, location: String, batch: &mut ImportBatch) {
    let url = match web_url(record.url.as_deref().unwrap_or("")) {
        Ok(url) => url,
        Err(message) => {
            batch.problems.push(problem(location, message));
            return;
        }
    };
    let added_at = date_time(record.created_at.as_deref().unwrap_or("")).unwrap_or_else(|m| {
        batch.problems.push(problem(
            location.clone(),
            format!("{m}; imported without it"),
        ));
        None
    });
    let tags = record.tags.iter().map(|t| match t {
        Tag::Label(label) | Tag::Object { label } => label.as_str(),
    });
    let authors = match record.published_by {
        Some(Authors::Many(list)) => list,
        Some(Authors::One(one)) => vec![one],
        None => Vec::new(),
    };
    batch.entries.push(Entry {
        title: record.title.as_deref().and_then(clean),
        tags: clean_tags(tags),
        added_at,
        content_html: record.content.filter(|c| !c.trim().is_empty()),
        authors: authors.iter().filter_map(|a| clean(a)).collect(),
        published: record.published_at.as_deref().and_then(clean),
        language: record.language.as_deref().and_then(clean),
        site_name: record.domain_name.as_deref().and_then(clean),
        lead_image: record.preview_picture.as_deref().and_then(clean),
        url,
        ..Entry::default()
    });
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const EXPORT: &str = r#"[
      {"is_archived":1,"is_starred":0,"tags":["piracy","piracy/iptv"],"is_public":false,"id":12,
       "title":"IPTV : un réseau démantelé","url":"https://www.example.com/iptv",
       "content":"<p>5500 serveurs <script>x()</script>hors service.</p>",
       "created_at":"2020-11-12T11:00:00+0100","updated_at":"2020-11-13T10:00:00+0100",
       "published_at":"2020-11-12T09:00:00+0100","published_by":["Jane Roe"],
       "annotations":[],"mimetype":"text/html","language":"fr_FR","reading_time":2,
       "domain_name":"www.example.com","preview_picture":"https://www.example.com/lead.jpg"},
      {"title":"Objects","url":"https://ex.com/b","content":"<p>b</p>",
       "tags":[{"id":1,"label":"press","slug":"press"},{"id":2,"label":"europe","slug":"europe"}],
       "created_at":"last week"},
      {"title":"No address","content":"<p>c</p>"},
      {"title":"Number","url":42},
      "not an object",
      {"title":"Empty","url":"https://ex.com/empty","content":"  "}
    ]"#;

    #[test]
    fn entries_with_content_tags_as_strings_or_objects_and_bad_ones() {
        let batch = crate::parse(Format::Wallabag, EXPORT.as_bytes()).unwrap();
        assert_eq!(batch.entries.len(), 3);
        let a = &batch.entries[0];
        assert_eq!(a.tags, ["piracy", "piracy/iptv"]);
        assert_eq!(a.added_at, Some(1_605_175_200));
        assert_eq!(a.authors, ["Jane Roe"]);
        assert_eq!(a.language.as_deref(), Some("fr_FR"));
        assert!(a.content_html.as_deref().unwrap().contains("5500 serveurs"));
        assert_eq!(
            a.lead_image.as_deref(),
            Some("https://www.example.com/lead.jpg")
        );
        let b = &batch.entries[1];
        assert_eq!(b.tags, ["press", "europe"]);
        assert_eq!(b.added_at, None);
        assert_eq!(
            batch.entries[2].content_html, None,
            "blank content means fetch it"
        );
        let problems: Vec<_> = batch.problems.iter().map(|p| p.location.as_str()).collect();
        assert_eq!(
            problems,
            [
                "entry 2 (\"Objects\")",
                "entry 3 (\"No address\")",
                "entry 4 (\"Number\")",
                "entry 5"
            ]
        );
    }

    #[test]
    fn not_json_or_not_a_list_is_refused() {
        for other in ["<html></html>", "{\"a\": 1}", "\"text\""] {
            let err = crate::parse(Format::Wallabag, other.as_bytes()).unwrap_err();
            assert!(
                err.to_string()
                    .starts_with("this is not a Wallabag export: "),
                "{err}"
            );
        }
        let bom = "\u{feff}[]";
        assert_eq!(
            crate::parse(Format::Wallabag, bom.as_bytes())
                .unwrap()
                .entries
                .len(),
            0
        );
    }
}
