//! Adding, reading, editing and deleting clippings.

use std::collections::BTreeMap;
use std::io::Read;

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::canonical::{canonical_key, display_host, parse_web_url};
use crate::dates::{format_timestamp, now, parse_article_date};
use crate::db::Library;
use crate::error::{Result, StoreError};
use crate::html::{excerpt, html_to_text, sanitize_html, word_count};
use crate::model::{AddOutcome, Clipping, ClippingPatch, NewClipping};
use crate::tags::{attach_tags, tags_of};

/// zstd level for the original HTML: level 3 compresses a news page ~6× at a few ms.
const ORIGINAL_HTML_ZSTD_LEVEL: i32 = 3;
/// Length of the excerpt derived from the text when the page gave none.
const EXCERPT_CHARS: usize = 280;

/// Normalises a language tag to its primary subtag ("fr-FR" → "fr").
pub(crate) fn normalize_language(lang: &str) -> Option<String> {
    let primary = lang.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    (!primary.is_empty() && primary.len() <= 8 && primary.bytes().all(|b| b.is_ascii_alphabetic()))
        .then_some(primary)
}

fn clean_authors(authors: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for a in authors {
        let a = a.split_whitespace().collect::<Vec<_>>().join(" ");
        if !a.is_empty() && !out.iter().any(|b| b.eq_ignore_ascii_case(&a)) {
            out.push(a);
        }
    }
    out
}

fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Inserts a clipping, or merges its tags onto the existing one with the same canonical URL.
/// Runs inside the caller's transaction.
pub(crate) fn add_in(tx: &Connection, new: &NewClipping) -> Result<AddOutcome> {
    let url = parse_web_url(&new.url)?;
    let key = canonical_key(&url, new.canonical_url.as_deref());
    let existing: Option<i64> = tx
        .query_row(
            "SELECT id FROM clipping WHERE canonical_url = ?1",
            [&key],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = existing {
        attach_tags(tx, id, &new.tags)?;
        return Ok(AddOutcome { id, created: false });
    }

    let content_html = sanitize_html(&new.content_html);
    let content_text = if new.content_text.trim().is_empty() {
        html_to_text(&content_html)
    } else {
        new.content_text.trim().to_string()
    };
    let content_html = if content_html.trim().is_empty() && !content_text.is_empty() {
        crate::html::text_to_html(&content_text)
    } else {
        content_html
    };
    let words = new.word_count.unwrap_or_else(|| word_count(&content_text));
    let excerpt = non_empty(&new.excerpt)
        .map(str::to_string)
        .or_else(|| Some(excerpt(&content_text, EXCERPT_CHARS)).filter(|e| !e.is_empty()));
    let published = non_empty(&new.published_at).map(|p| match parse_article_date(p) {
        Some(d) => (d.text, Some(d.timestamp)),
        None => (p.to_string(), None),
    });
    let modified = non_empty(&new.modified_at).map(|m| {
        parse_article_date(m)
            .map(|d| d.text)
            .unwrap_or_else(|| m.to_string())
    });
    let authors = serde_json::to_string(&clean_authors(&new.authors))
        .map_err(|e| StoreError::InvalidInput(e.to_string()))?;
    let sources = serde_json::to_string(&new.metadata_sources)
        .map_err(|e| StoreError::InvalidInput(e.to_string()))?;
    let now = now();

    tx.prepare_cached(
        "INSERT INTO clipping (url, canonical_url, title, authors, published_at, published_ts,
            modified_at, site_name, host, language, lead_image_url, excerpt, word_count, notes,
            metadata_sources, fetched_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    )?
    .execute(params![
        url.as_str(),
        key,
        new.title.split_whitespace().collect::<Vec<_>>().join(" "),
        authors,
        published.as_ref().map(|p| &p.0),
        published.as_ref().and_then(|p| p.1),
        modified,
        non_empty(&new.site_name),
        display_host(&url),
        new.language.as_deref().and_then(normalize_language),
        non_empty(&new.lead_image_url),
        excerpt,
        words,
        new.notes,
        sources,
        new.fetched_at,
        new.added_at.unwrap_or(now),
        now,
    ])?;
    let id = tx.last_insert_rowid();
    tx.prepare_cached(
        "INSERT INTO clipping_content (clipping_id, content_html, content_text) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![id, content_html, content_text])?;
    index_new(tx, id)?;
    if let Some(original) = &new.original_html {
        let compressed =
            zstd::encode_all(original.as_slice(), ORIGINAL_HTML_ZSTD_LEVEL).map_err(|source| {
                StoreError::Io {
                    context: "cannot compress the original page".to_string(),
                    source,
                }
            })?;
        tx.execute(
            "INSERT INTO clipping_source (clipping_id, encoding, content_type, original_size, bytes)
             VALUES (?1, 'zstd', ?2, ?3, ?4)",
            params![id, new.original_content_type, original.len() as i64, compressed],
        )?;
    }
    for image in &new.images {
        crate::images::put_image_in(tx, id, image)?;
    }
    attach_tags(tx, id, &new.tags)?;
    Ok(AddOutcome { id, created: true })
}

/// Adds a new clipping to the full-text index (see the migration on why this is not a trigger).
fn index_new(tx: &Connection, id: i64) -> Result<()> {
    type Row = (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let row: Row = tx
        .prepare_cached(
            "SELECT title, author, site, text, notes FROM clipping_fts_source WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?;
    tx.prepare_cached(
        "INSERT INTO clipping_fts (rowid, title, author, site, text, notes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![id, row.0, row.1, row.2, row.3, row.4])?;
    Ok(())
}

pub(crate) fn require_clipping(conn: &Connection, id: i64) -> Result<()> {
    let found: Option<i64> = conn
        .query_row("SELECT 1 FROM clipping WHERE id = ?1", [id], |r| r.get(0))
        .optional()?;
    found.map(|_| ()).ok_or(StoreError::ClippingNotFound(id))
}

pub(crate) fn parse_json_list(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

fn clipping_from_row(row: &Row<'_>) -> rusqlite::Result<Clipping> {
    let sources: String = row.get("metadata_sources")?;
    Ok(Clipping {
        id: row.get("id")?,
        url: row.get("url")?,
        canonical_url: row.get("canonical_url")?,
        title: row.get("title")?,
        authors: parse_json_list(&row.get::<_, String>("authors")?),
        published_at: row.get("published_at")?,
        modified_at: row.get("modified_at")?,
        site_name: row.get("site_name")?,
        host: row.get("host")?,
        language: row.get("language")?,
        lead_image_url: row.get("lead_image_url")?,
        excerpt: row.get("excerpt")?,
        content_html: row.get("content_html")?,
        content_text: row.get("content_text")?,
        word_count: row.get("word_count")?,
        notes: row.get("notes")?,
        metadata_sources: serde_json::from_str::<BTreeMap<String, String>>(&sources)
            .unwrap_or_default(),
        tags: Vec::new(),
        collections: Vec::new(),
        has_original_html: row.get("has_original")?,
        fetched_at: row
            .get::<_, Option<i64>>("fetched_at")?
            .map(format_timestamp),
        created_at: format_timestamp(row.get("created_at")?),
        updated_at: format_timestamp(row.get("updated_at")?),
    })
}

impl Library {
    /// Adds an article. When its canonical URL is already in the library, returns the existing
    /// clipping (with the new tags added to it) instead of creating a duplicate.
    pub fn add_clipping(&self, new: &NewClipping) -> Result<AddOutcome> {
        self.write(|tx| add_in(tx, new))
    }

    /// A clipping with its body, tags and collections.
    pub fn clipping(&self, id: i64) -> Result<Clipping> {
        self.read(|conn| {
            let mut clipping = conn
                .query_row(
                    "SELECT c.*, t.content_html, t.content_text,
                            EXISTS (SELECT 1 FROM clipping_source s WHERE s.clipping_id = c.id)
                                AS has_original
                     FROM clipping c LEFT JOIN clipping_content t ON t.clipping_id = c.id
                     WHERE c.id = ?1",
                    [id],
                    clipping_from_row,
                )
                .optional()?
                .ok_or(StoreError::ClippingNotFound(id))?;
            clipping.tags = tags_of(conn, id)?;
            let mut stmt = conn.prepare_cached(
                "SELECT k.name FROM collection_item i JOIN collection k ON k.id = i.collection_id
                 WHERE i.clipping_id = ?1 ORDER BY k.key",
            )?;
            clipping.collections = stmt
                .query_map([id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(clipping)
        })
    }

    /// The page as it was fetched, decompressed, when the library kept it.
    pub fn original_html(&self, id: i64) -> Result<Option<Vec<u8>>> {
        self.read(|conn| {
            require_clipping(conn, id)?;
            let bytes: Option<Vec<u8>> = conn
                .query_row(
                    "SELECT bytes FROM clipping_source WHERE clipping_id = ?1",
                    [id],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(bytes) = bytes else { return Ok(None) };
            let mut out = Vec::new();
            zstd::Decoder::new(bytes.as_slice())
                .and_then(|mut d| d.read_to_end(&mut out))
                .map_err(|source| StoreError::Io {
                    context: format!("the original page of clipping {id} is damaged"),
                    source,
                })?;
            Ok(Some(out))
        })
    }

    /// Applies a user's edits. Returns the updated clipping.
    pub fn update_clipping(&self, id: i64, patch: &ClippingPatch) -> Result<Clipping> {
        self.write(|tx| {
            require_clipping(tx, id)?;
            let mut sources: BTreeMap<String, String> = serde_json::from_str(&tx.query_row(
                "SELECT metadata_sources FROM clipping WHERE id = ?1",
                [id],
                |r| r.get::<_, String>(0),
            )?)
            .unwrap_or_default();
            let mut user_set = |field: &str| {
                sources.insert(field.to_string(), "user".to_string());
            };
            if let Some(title) = &patch.title {
                let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
                if title.is_empty() {
                    return Err(StoreError::InvalidInput("a title cannot be empty".into()));
                }
                tx.execute(
                    "UPDATE clipping SET title = ?2 WHERE id = ?1",
                    params![id, title],
                )?;
                user_set("title");
            }
            if let Some(notes) = &patch.notes {
                tx.execute(
                    "UPDATE clipping SET notes = ?2 WHERE id = ?1",
                    params![id, notes],
                )?;
            }
            if let Some(authors) = &patch.authors {
                let json = serde_json::to_string(&clean_authors(authors))
                    .map_err(|e| StoreError::InvalidInput(e.to_string()))?;
                tx.execute(
                    "UPDATE clipping SET authors = ?2 WHERE id = ?1",
                    params![id, json],
                )?;
                user_set("authors");
            }
            if let Some(published) = &patch.published_at {
                let parsed = match published
                    .as_deref()
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                {
                    Some(p) => Some(
                        parse_article_date(p).ok_or_else(|| StoreError::InvalidDate(p.into()))?,
                    ),
                    None => None,
                };
                tx.execute(
                    "UPDATE clipping SET published_at = ?2, published_ts = ?3 WHERE id = ?1",
                    params![
                        id,
                        parsed.as_ref().map(|d| &d.text),
                        parsed.as_ref().map(|d| d.timestamp)
                    ],
                )?;
                user_set("published");
            }
            if let Some(site) = &patch.site_name {
                let site = non_empty(site);
                tx.execute(
                    "UPDATE clipping SET site_name = ?2 WHERE id = ?1",
                    params![id, site],
                )?;
                user_set("site_name");
            }
            if let Some(language) = &patch.language {
                let lang = match language.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
                    Some(l) => Some(normalize_language(l).ok_or_else(|| {
                        StoreError::InvalidInput(format!(
                            "\"{l}\" is not a language code (use one such as en, fr, de)"
                        ))
                    })?),
                    None => None,
                };
                tx.execute(
                    "UPDATE clipping SET language = ?2 WHERE id = ?1",
                    params![id, lang],
                )?;
                user_set("language");
            }
            let sources = serde_json::to_string(&sources)
                .map_err(|e| StoreError::InvalidInput(e.to_string()))?;
            tx.execute(
                "UPDATE clipping SET metadata_sources = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, sources, now()],
            )?;
            Ok(())
        })?;
        self.clipping(id)
    }

    /// Deletes clippings, all or none: an unknown id deletes nothing.
    pub fn delete_clippings(&self, ids: &[i64]) -> Result<usize> {
        self.write(|tx| {
            for &id in ids {
                require_clipping(tx, id)?;
            }
            let mut deleted = 0;
            for &id in ids {
                deleted += tx.execute("DELETE FROM clipping WHERE id = ?1", [id])?;
            }
            Ok(deleted)
        })
    }

    /// How many clippings the library holds.
    pub fn count_clippings(&self) -> Result<i64> {
        self.read(|conn| Ok(conn.query_row("SELECT count(*) FROM clipping", [], |r| r.get(0))?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn article(url: &str, title: &str) -> NewClipping {
        NewClipping {
            url: url.to_string(),
            title: title.to_string(),
            authors: vec!["David Igue".into()],
            published_at: Some("2020-11-12T10:31:00+01:00".into()),
            site_name: Some("Numerama".into()),
            language: Some("fr-FR".into()),
            content_html: "<h2>IPTV</h2><p>Un vaste réseau européen démantelé.</p>\
                <script>alert(1)</script>"
                .into(),
            ..Default::default()
        }
    }

    #[test]
    fn add_derives_text_excerpt_and_word_count_and_sanitises() {
        let lib = Library::open_in_memory().unwrap();
        let out = lib
            .add_clipping(&article("https://www.numerama.com/a?utm_source=x", "IPTV"))
            .unwrap();
        assert!(out.created);
        let c = lib.clipping(out.id).unwrap();
        assert_eq!(c.canonical_url, "https://www.numerama.com/a");
        assert_eq!(
            c.content_text,
            "IPTV\n\nUn vaste réseau européen démantelé."
        );
        assert!(!c.content_html.contains("script"));
        assert_eq!(c.word_count, 6);
        assert_eq!(c.language.as_deref(), Some("fr"));
        assert_eq!(c.host, "numerama.com");
        assert_eq!(c.published_at.as_deref(), Some("2020-11-12T10:31:00+01:00"));
        assert_eq!(c.excerpt.as_deref(), Some("IPTV"));
    }

    #[test]
    fn same_canonical_url_returns_the_existing_clipping_and_merges_tags() {
        let lib = Library::open_in_memory().unwrap();
        let mut a = article("https://ex.com/a?utm_source=tw#top", "A");
        a.tags = vec!["piracy".into()];
        let first = lib.add_clipping(&a).unwrap();
        let mut b = article("https://EX.com/a?fbclid=123", "A again");
        b.tags = vec!["Piracy/IPTV".into(), "PIRACY".into()];
        let second = lib.add_clipping(&b).unwrap();
        assert_eq!(
            second,
            AddOutcome {
                id: first.id,
                created: false
            }
        );
        assert_eq!(lib.count_clippings().unwrap(), 1);
        assert_eq!(
            lib.clipping(first.id).unwrap().tags,
            vec!["piracy", "Piracy/IPTV"]
        );
        assert_eq!(
            lib.clipping(first.id).unwrap().title,
            "A",
            "the first copy is kept"
        );
    }

    #[test]
    fn declared_canonical_deduplicates_mobile_and_desktop_urls() {
        let lib = Library::open_in_memory().unwrap();
        let mut a = article("https://m.ex.com/a", "A");
        a.canonical_url = Some("https://ex.com/a".into());
        let mut b = article("https://ex.com/a?utm_campaign=x", "A");
        b.canonical_url = None;
        assert_eq!(
            lib.add_clipping(&a).unwrap().id,
            lib.add_clipping(&b).unwrap().id
        );
    }

    #[test]
    fn original_html_round_trips_compressed() {
        let lib = Library::open_in_memory().unwrap();
        let mut a = article("https://ex.com/a", "A");
        let page = "<html><body>".to_string() + &"<p>répété</p>".repeat(1000) + "</body></html>";
        a.original_html = Some(page.clone().into_bytes());
        let id = lib.add_clipping(&a).unwrap().id;
        assert_eq!(lib.original_html(id).unwrap(), Some(page.into_bytes()));
        let stored: i64 = lib
            .read(|c| {
                Ok(
                    c.query_row("SELECT length(bytes) FROM clipping_source", [], |r| {
                        r.get(0)
                    })?,
                )
            })
            .unwrap();
        assert!(
            stored < 2000,
            "the original page is stored compressed ({stored} bytes)"
        );
        assert!(lib.clipping(id).unwrap().has_original_html);
    }

    #[test]
    fn edit_changes_fields_and_records_the_user_as_their_source() {
        let lib = Library::open_in_memory().unwrap();
        let id = lib
            .add_clipping(&article("https://ex.com/a", "A"))
            .unwrap()
            .id;
        let patch = ClippingPatch {
            title: Some("  New   title ".into()),
            notes: Some("my note".into()),
            authors: Some(vec!["Jane Roe".into()]),
            published_at: Some(Some("2021-01-02".into())),
            language: Some(Some("de-AT".into())),
            ..Default::default()
        };
        let c = lib.update_clipping(id, &patch).unwrap();
        assert_eq!(c.title, "New title");
        assert_eq!(c.notes, "my note");
        assert_eq!(c.authors, vec!["Jane Roe"]);
        assert_eq!(c.published_at.as_deref(), Some("2021-01-02"));
        assert_eq!(c.language.as_deref(), Some("de"));
        assert_eq!(
            c.metadata_sources.get("title").map(String::as_str),
            Some("user")
        );
        let bad = ClippingPatch {
            published_at: Some(Some("soon".into())),
            ..Default::default()
        };
        assert!(matches!(
            lib.update_clipping(id, &bad),
            Err(StoreError::InvalidDate(_))
        ));
        let empty = ClippingPatch {
            title: Some("  ".into()),
            ..Default::default()
        };
        assert!(lib.update_clipping(id, &empty).is_err());
        assert_eq!(
            lib.clipping(id).unwrap().title,
            "New title",
            "a refused edit changes nothing"
        );
    }

    #[test]
    fn delete_is_all_or_nothing() {
        let lib = Library::open_in_memory().unwrap();
        let a = lib
            .add_clipping(&article("https://ex.com/a", "A"))
            .unwrap()
            .id;
        let b = lib
            .add_clipping(&article("https://ex.com/b", "B"))
            .unwrap()
            .id;
        assert!(matches!(
            lib.delete_clippings(&[a, 999]),
            Err(StoreError::ClippingNotFound(999))
        ));
        assert_eq!(lib.count_clippings().unwrap(), 2);
        assert_eq!(lib.delete_clippings(&[a, b]).unwrap(), 2);
        assert!(matches!(
            lib.clipping(a),
            Err(StoreError::ClippingNotFound(_))
        ));
    }

    #[test]
    fn invalid_urls_are_refused() {
        let lib = Library::open_in_memory().unwrap();
        let err = lib
            .add_clipping(&article("ftp://ex.com/a", "A"))
            .unwrap_err();
        assert_eq!(err.code(), "invalid_url");
    }
}

/// What re-fetching a clipping found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct RefreshOutcome {
    pub id: i64,
    /// True when the article's text had changed: the previous version was kept.
    pub changed: bool,
    /// Earlier versions kept for this clipping, this one included.
    pub versions: i64,
}

/// An earlier version of a clipping's article.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClippingVersion {
    pub id: i64,
    pub title: String,
    pub content_html: String,
    pub content_text: String,
    pub fetched_at: Option<String>,
    pub replaced_at: String,
}

impl Library {
    /// Dates a clipping as added at `ts` (Unix seconds): an import keeps when the user first
    /// saved an article in another tool, also for the ones it had to fetch.
    pub fn set_added_at(&self, id: i64, ts: i64) -> Result<()> {
        self.write(|tx| {
            require_clipping(tx, id)?;
            tx.execute(
                "UPDATE clipping SET created_at = ?2 WHERE id = ?1",
                params![id, ts],
            )?;
            Ok(())
        })
    }

    /// The clipping already stored under this address (after canonicalisation), if any.
    pub fn find_by_url(&self, url: &str) -> Result<Option<i64>> {
        let url = parse_web_url(url)?;
        let key = canonical_key(&url, None);
        self.read(|conn| {
            Ok(conn
                .prepare_cached("SELECT id FROM clipping WHERE canonical_url = ?1")?
                .query_row([&key], |r| r.get(0))
                .optional()?)
        })
    }

    /// Replaces a clipping's article with a newer extraction of it (from `clipbook refetch`).
    /// When the text changed, the previous title, HTML and text are kept as a version. Fields
    /// the user edited (source "user") keep the user's value; notes, tags and collections stay.
    pub fn refresh_clipping(&self, id: i64, new: &NewClipping) -> Result<RefreshOutcome> {
        self.write(|tx| {
            require_clipping(tx, id)?;
            let (old_title, old_html, old_text, old_fetched, sources): (
                String,
                String,
                String,
                Option<i64>,
                String,
            ) = tx.query_row(
                "SELECT c.title, t.content_html, t.content_text, c.fetched_at, c.metadata_sources
                 FROM clipping c JOIN clipping_content t ON t.clipping_id = c.id WHERE c.id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )?;
            let user: BTreeMap<String, String> = serde_json::from_str(&sources).unwrap_or_default();
            let by_user = |field: &str| user.get(field).is_some_and(|s| s == "user");
            let content_html = sanitize_html(&new.content_html);
            let content_text = if new.content_text.trim().is_empty() {
                html_to_text(&content_html)
            } else {
                new.content_text.trim().to_string()
            };
            let changed = content_text != old_text;
            let now = now();
            if changed {
                tx.execute(
                    "INSERT INTO clipping_version
                        (clipping_id, title, content_html, content_text, fetched_at, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![id, old_title, old_html, old_text, old_fetched, now],
                )?;
                tx.execute(
                    "UPDATE clipping_content SET content_html = ?2, content_text = ?3
                     WHERE clipping_id = ?1",
                    params![id, content_html, content_text],
                )?;
            }
            let mut merged: BTreeMap<String, String> = new.metadata_sources.clone();
            merged.extend(user.iter().filter(|(_, s)| *s == "user").map(|(k, v)| (k.clone(), v.clone())));
            let title = new.title.split_whitespace().collect::<Vec<_>>().join(" ");
            if !by_user("title") && !title.is_empty() {
                tx.execute("UPDATE clipping SET title = ?2 WHERE id = ?1", params![id, title])?;
            }
            if !by_user("authors") && !new.authors.is_empty() {
                let json = serde_json::to_string(&clean_authors(&new.authors))
                    .map_err(|e| StoreError::InvalidInput(e.to_string()))?;
                tx.execute("UPDATE clipping SET authors = ?2 WHERE id = ?1", params![id, json])?;
            }
            if !by_user("published") {
                if let Some(d) = non_empty(&new.published_at).and_then(parse_article_date) {
                    tx.execute(
                        "UPDATE clipping SET published_at = ?2, published_ts = ?3 WHERE id = ?1",
                        params![id, d.text, d.timestamp],
                    )?;
                }
            }
            let modified = non_empty(&new.modified_at)
                .map(|m| parse_article_date(m).map(|d| d.text).unwrap_or_else(|| m.to_string()));
            let words = new.word_count.unwrap_or_else(|| word_count(&content_text));
            let sources = serde_json::to_string(&merged)
                .map_err(|e| StoreError::InvalidInput(e.to_string()))?;
            tx.execute(
                "UPDATE clipping SET modified_at = coalesce(?2, modified_at),
                    lead_image_url = coalesce(?3, lead_image_url), word_count = ?4,
                    metadata_sources = ?5, fetched_at = coalesce(?6, fetched_at), updated_at = ?7
                 WHERE id = ?1",
                params![
                    id,
                    modified,
                    non_empty(&new.lead_image_url),
                    words,
                    sources,
                    new.fetched_at,
                    now
                ],
            )?;
            if let Some(original) = &new.original_html {
                let compressed = zstd::encode_all(original.as_slice(), ORIGINAL_HTML_ZSTD_LEVEL)
                    .map_err(|source| StoreError::Io {
                        context: "cannot compress the original page".to_string(),
                        source,
                    })?;
                tx.execute(
                    "INSERT INTO clipping_source (clipping_id, encoding, content_type, original_size, bytes)
                     VALUES (?1, 'zstd', ?2, ?3, ?4)
                     ON CONFLICT (clipping_id) DO UPDATE SET content_type = excluded.content_type,
                        original_size = excluded.original_size, bytes = excluded.bytes",
                    params![id, new.original_content_type, original.len() as i64, compressed],
                )?;
            }
            for image in &new.images {
                crate::images::put_image_in(tx, id, image)?;
            }
            attach_tags(tx, id, &new.tags)?;
            let versions: i64 = tx.query_row(
                "SELECT count(*) FROM clipping_version WHERE clipping_id = ?1",
                [id],
                |r| r.get(0),
            )?;
            Ok(RefreshOutcome { id, changed, versions })
        })
    }

    /// A clipping's earlier versions, newest first.
    pub fn versions(&self, id: i64) -> Result<Vec<ClippingVersion>> {
        self.read(|conn| {
            require_clipping(conn, id)?;
            let mut stmt = conn.prepare_cached(
                "SELECT id, title, content_html, content_text, fetched_at, created_at
                 FROM clipping_version WHERE clipping_id = ?1 ORDER BY id DESC",
            )?;
            let rows = stmt.query_map([id], |r| {
                Ok(ClippingVersion {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    content_html: r.get(2)?,
                    content_text: r.get(3)?,
                    fetched_at: r.get::<_, Option<i64>>(4)?.map(format_timestamp),
                    replaced_at: format_timestamp(r.get(5)?),
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }
}

#[cfg(test)]
mod refresh_tests {
    use super::*;

    #[test]
    fn refresh_keeps_the_previous_version_when_the_text_changed() {
        let lib = Library::open_in_memory().unwrap();
        let mut a = NewClipping {
            url: "https://ex.com/a".into(),
            title: "First".into(),
            content_html: "<p>Version one.</p>".into(),
            ..Default::default()
        };
        let id = lib.add_clipping(&a).unwrap().id;
        lib.update_clipping(
            id,
            &ClippingPatch {
                title: Some("Mine".into()),
                ..Default::default()
            },
        )
        .unwrap();
        let same = lib.refresh_clipping(id, &a).unwrap();
        assert_eq!((same.changed, same.versions), (false, 0));
        a.content_html = "<p>Version two, corrected.</p>".into();
        a.title = "Second".into();
        let changed = lib.refresh_clipping(id, &a).unwrap();
        assert_eq!((changed.changed, changed.versions), (true, 1));
        let c = lib.clipping(id).unwrap();
        assert_eq!(c.content_text, "Version two, corrected.");
        assert_eq!(c.title, "Mine", "the user's title is kept");
        let versions = lib.versions(id).unwrap();
        assert_eq!(versions[0].content_text, "Version one.");
        let hits = lib
            .list(&crate::ListRequest {
                query: "corrected".into(),
                limit: 5,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(hits.len(), 1, "the index follows the new text");
        assert_eq!(
            lib.find_by_url("https://ex.com/a?utm_source=x").unwrap(),
            Some(id)
        );
        assert_eq!(lib.find_by_url("https://ex.com/b").unwrap(), None);
    }
}
