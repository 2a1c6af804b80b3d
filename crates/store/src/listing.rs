//! Listing and searching: one query builder serves `list`, `search`, collections and saved
//! searches, so a filter means the same thing everywhere.

use chrono::Local;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params_from_iter};

use crate::canonical::parse_web_url;
use crate::clippings::{normalize_language, parse_json_list};
use crate::collections::{CollectionKind, find_collection};
use crate::dates::{Bound, format_timestamp, parse_bound};
use crate::db::Library;
use crate::error::{Result, StoreError};
use crate::model::{ClippingSummary, Filters, ListRequest, Sort};
use crate::query::{FtsQuery, translate};
use crate::snippet::{HighlightTerm, snippet};
use crate::tags::require_tag;

/// Saved searches may name collections that are saved searches themselves; this bounds the
/// chain (and breaks cycles).
const MAX_COLLECTION_NESTING: usize = 8;

/// Words in a search snippet: two lines of a result list.
const SNIPPET_WORDS: usize = 28;

/// A query under construction: conditions on `c` (clipping) and the values they bind, in order.
#[derive(Default)]
struct Plan {
    conditions: Vec<String>,
    params: Vec<Value>,
    fts: FtsQuery,
    /// A hand-ordered collection the listing is restricted to (its order is available).
    manual_collection: Option<i64>,
    /// The key of the first tag filtered on.
    tag_index: Option<String>,
}

impl Plan {
    fn add(&mut self, condition: String, params: impl IntoIterator<Item = Value>) {
        self.conditions.push(condition);
        self.params.extend(params);
    }

    fn apply_filters(&mut self, conn: &Connection, filters: &Filters, depth: usize) -> Result<()> {
        let now = Local::now();
        for tag in &filters.tags {
            let tag = require_tag(conn, tag)?;
            if self.tag_index.is_none() {
                // The first tag is placed by `build`: it may drive the query.
                self.tag_index = Some(tag.key);
                continue;
            }
            self.add(
                "c.id IN (SELECT clipping_id FROM tag_filter WHERE key = ?)".into(),
                [Value::Text(tag.key)],
            );
        }
        if let Some(site) = filters
            .site
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let host = site_host(site);
            self.add(
                "(c.host = ? OR c.site_name = ? COLLATE NOCASE)".into(),
                [Value::Text(host), Value::Text(site.to_string())],
            );
        }
        if let Some(lang) = filters
            .language
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let lang = normalize_language(lang).ok_or_else(|| {
                StoreError::InvalidInput(format!(
                    "\"{lang}\" is not a language code (use one such as en, fr, de)"
                ))
            })?;
            self.add("c.language = ?".into(), [Value::Text(lang)]);
        }
        if let Some(since) = &filters.since {
            let ts = parse_bound(since, Bound::Start, now)?;
            self.add("c.date_ts >= ?".into(), [Value::Integer(ts)]);
        }
        if let Some(until) = &filters.until {
            let ts = parse_bound(until, Bound::End, now)?;
            self.add("c.date_ts < ?".into(), [Value::Integer(ts)]);
        }
        if let Some(name) = &filters.collection {
            if depth >= MAX_COLLECTION_NESTING {
                return Err(StoreError::InvalidInput(format!(
                    "collection \"{name}\" refers to collections too deeply (or to itself)"
                )));
            }
            let collection = find_collection(conn, name)?;
            match collection.kind {
                CollectionKind::Manual => {
                    if self.manual_collection.is_none() {
                        self.manual_collection = Some(collection.id);
                    }
                    self.add(
                        "c.id IN (SELECT clipping_id FROM collection_item WHERE collection_id = ?)"
                            .into(),
                        [Value::Integer(collection.id)],
                    );
                }
                CollectionKind::Saved { query, filters } => {
                    self.fts = std::mem::take(&mut self.fts).and(translate(&query));
                    self.apply_filters(conn, &filters, depth + 1)?;
                }
            }
        }
        Ok(())
    }
}

/// What a `--site` value is compared with in `host`: "https://www.Le-Monde.fr/x" → "le-monde.fr".
fn site_host(site: &str) -> String {
    let host = parse_web_url(site)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| site.to_string())
        .to_lowercase();
    host.strip_prefix("www.")
        .map(str::to_string)
        .unwrap_or(host)
}

struct Built {
    from: String,
    where_: String,
    order: &'static str,
    params: Vec<Value>,
    match_expr: Option<String>,
    highlight: Vec<crate::snippet::HighlightTerm>,
}

fn build(conn: &Connection, req: &ListRequest) -> Result<Built> {
    let mut plan = Plan {
        fts: translate(&req.query),
        ..Plan::default()
    };
    plan.apply_filters(conn, &req.filters, 0)?;
    let match_expr = plan.fts.match_expression();
    if let (None, Some(exclude)) = (&match_expr, &plan.fts.exclude) {
        // Only exclusions: every clipping except those that match.
        plan.add(
            "c.id NOT IN (SELECT rowid FROM clipping_fts WHERE clipping_fts MATCH ?)".into(),
            [Value::Text(exclude.clone())],
        );
    }
    let sort = req.sort.unwrap_or(if match_expr.is_some() {
        Sort::Relevance
    } else if plan.manual_collection.is_some() {
        Sort::Position
    } else {
        Sort::Date
    });
    let mut order = match sort {
        // FTS5 returns rows in rank order itself; a second key would force a sort of every match.
        Sort::Relevance if match_expr.is_some() => "f.rank",
        Sort::Position if plan.manual_collection.is_some() => "ci.position, c.id",
        Sort::Added => "c.created_at DESC, c.id DESC",
        Sort::Title => "c.title COLLATE NOCASE, c.id",
        Sort::Date | Sort::Relevance | Sort::Position => "c.date_ts DESC, c.id DESC",
    };
    let mut from = String::from("clipping c");
    let mut from_params = Vec::new();
    // Conditions that go before the filters', with their values.
    let mut lead: Vec<(&str, Value)> = Vec::new();
    if let Some(expr) = &match_expr {
        from = "clipping_fts f JOIN clipping c ON c.id = f.rowid".into();
        lead.push(("clipping_fts MATCH ?", Value::Text(expr.clone())));
    }
    if let Some(key) = plan.tag_index.take() {
        if sort == Sort::Date && match_expr.is_none() {
            // Walk the tag's rows in `tag_filter` newest first: 50 rows read for 50 shown,
            // however many clippings carry the tag.
            from = "tag_filter tf JOIN clipping c ON c.id = tf.clipping_id".into();
            lead.push(("tf.key = ?", Value::Text(key)));
            order = "tf.date_ts DESC, tf.clipping_id DESC";
        } else {
            lead.push((
                "c.id IN (SELECT clipping_id FROM tag_filter WHERE key = ?)",
                Value::Text(key),
            ));
        }
    }
    if let (Sort::Position, Some(collection)) = (sort, plan.manual_collection) {
        from.push_str(" JOIN collection_item ci ON ci.clipping_id = c.id AND ci.collection_id = ?");
        from_params.push(Value::Integer(collection));
    }
    // Values bind in the order their `?` appear: the FROM clause's, then the WHERE clause's.
    let mut conditions: Vec<String> = lead.iter().map(|(c, _)| c.to_string()).collect();
    conditions.extend(plan.conditions);
    let mut params = from_params;
    params.extend(lead.into_iter().map(|(_, v)| v));
    params.extend(plan.params);
    plan.conditions = conditions;
    let where_ = if plan.conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", plan.conditions.join(" AND "))
    };
    Ok(Built {
        from,
        where_,
        order,
        params,
        match_expr,
        highlight: plan.fts.highlight,
    })
}

const SUMMARY_COLUMNS: &str = "c.id, c.url, c.title, c.authors, c.published_at, c.site_name,
    c.host, c.language, c.lead_image_url, c.excerpt, c.word_count, c.created_at";

/// A row of [`SUMMARY_COLUMNS`].
fn summary_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ClippingSummary> {
    Ok(ClippingSummary {
        id: r.get(0)?,
        url: r.get(1)?,
        title: r.get(2)?,
        authors: parse_json_list(&r.get::<_, String>(3)?),
        published_at: r.get(4)?,
        site_name: r.get(5)?,
        host: r.get(6)?,
        language: r.get(7)?,
        lead_image_url: r.get(8)?,
        excerpt: r.get(9)?,
        word_count: r.get(10)?,
        created_at: format_timestamp(r.get(11)?),
        tags: Vec::new(),
        snippet: None,
    })
}

fn summaries(conn: &Connection, req: &ListRequest) -> Result<Vec<ClippingSummary>> {
    let built = build(conn, req)?;
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM {} {} ORDER BY {} LIMIT ? OFFSET ?",
        built.from, built.where_, built.order
    );
    let mut params = built.params;
    params.push(Value::Integer(i64::try_from(req.limit).unwrap_or(i64::MAX)));
    params.push(Value::Integer(
        i64::try_from(req.offset).unwrap_or(i64::MAX),
    ));
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows: Vec<ClippingSummary> = stmt
        .query_map(params_from_iter(params), summary_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    fill_tags(conn, &mut rows)?;
    if built.match_expr.is_some() {
        fill_snippets(conn, &mut rows, &built.highlight)?;
    }
    Ok(rows)
}

/// Snippets for a page of search results: from the text around the first match, else from the
/// title, else the text's opening words.
fn fill_snippets(
    conn: &Connection,
    rows: &mut [ClippingSummary],
    terms: &[HighlightTerm],
) -> Result<()> {
    let mut stmt =
        conn.prepare_cached("SELECT content_text FROM clipping_content WHERE clipping_id = ?1")?;
    for row in rows {
        let text: String = stmt
            .query_row([row.id], |r| r.get(0))
            .optional()?
            .unwrap_or_default();
        row.snippet = snippet(&text, terms, SNIPPET_WORDS)
            .or_else(|| snippet(&row.title, terms, SNIPPET_WORDS))
            .or_else(|| {
                let opening: Vec<&str> = text.split_whitespace().take(SNIPPET_WORDS).collect();
                (!opening.is_empty()).then(|| opening.join(" "))
            });
    }
    Ok(())
}

/// Tags for a page of rows, in one query.
fn fill_tags(conn: &Connection, rows: &mut [ClippingSummary]) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let ids = serde_json::to_string(&rows.iter().map(|r| r.id).collect::<Vec<_>>())
        .map_err(|e| StoreError::InvalidInput(e.to_string()))?;
    let mut stmt = conn.prepare_cached(
        "SELECT ct.clipping_id, t.name FROM clipping_tag ct JOIN tag t ON t.id = ct.tag_id
         WHERE ct.clipping_id IN (SELECT value FROM json_each(?1)) ORDER BY t.key",
    )?;
    let pairs = stmt.query_map([ids], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
    // An export lists every clipping of a collection: index the rows, do not scan them.
    let index: std::collections::HashMap<i64, usize> =
        rows.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    for pair in pairs {
        let (id, name) = pair?;
        if let Some(&i) = index.get(&id) {
            rows[i].tags.push(name);
        }
    }
    Ok(())
}

impl Library {
    /// Clippings matching a request (words to search, filters), in the requested order.
    /// Searches carry a snippet with highlighted matches.
    pub fn list(&self, req: &ListRequest) -> Result<Vec<ClippingSummary>> {
        self.read(|conn| summaries(conn, req))
    }

    /// The listing rows of these clippings, in this order. An unknown id is an error.
    pub fn summaries(&self, ids: &[i64]) -> Result<Vec<ClippingSummary>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {SUMMARY_COLUMNS} FROM clipping c WHERE c.id = ?1"
            ))?;
            let mut rows = Vec::with_capacity(ids.len());
            for &id in ids {
                let row = stmt.query_row([id], summary_from_row).optional()?;
                rows.push(row.ok_or(StoreError::ClippingNotFound(id))?);
            }
            fill_tags(conn, &mut rows)?;
            Ok(rows)
        })
    }

    /// The ids of every clipping matching a request, in its order, whatever its limit
    /// ("select all" in a list of 100,000 rows needs the ids, not the rows).
    pub fn ids(&self, req: &ListRequest) -> Result<Vec<i64>> {
        self.read(|conn| {
            let built = build(conn, req)?;
            let sql = format!(
                "SELECT c.id FROM {} {} ORDER BY {}",
                built.from, built.where_, built.order
            );
            let mut stmt = conn.prepare(&sql)?;
            let ids = stmt.query_map(params_from_iter(built.params), |r| r.get(0))?;
            Ok(ids.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// How many clippings match a request, whatever its limit.
    pub fn count(&self, req: &ListRequest) -> Result<i64> {
        self.read(|conn| {
            let built = build(conn, req)?;
            let sql = format!("SELECT count(*) FROM {} {}", built.from, built.where_);
            Ok(conn.query_row(&sql, params_from_iter(built.params), |r| r.get(0))?)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NewClipping;

    struct Fixture {
        lib: Library,
        ids: Vec<i64>,
    }

    fn add(
        lib: &Library,
        n: usize,
        title: &str,
        text: &str,
        published: &str,
        tags: &[&str],
    ) -> i64 {
        lib.add_clipping(&NewClipping {
            url: format!("https://site{}.example/{n}", n % 2),
            title: title.into(),
            content_text: text.into(),
            published_at: Some(published.into()),
            site_name: Some(if n % 2 == 0 { "Numerama" } else { "Le Monde" }.into()),
            language: Some(if n % 2 == 0 { "fr" } else { "en" }.into()),
            authors: vec![format!("Author {n}")],
            tags: tags.iter().map(|t| t.to_string()).collect(),
            ..Default::default()
        })
        .unwrap()
        .id
    }

    fn fixture() -> Fixture {
        let lib = Library::open_in_memory().unwrap();
        let ids = vec![
            add(
                &lib,
                0,
                "IPTV : un vaste réseau européen démantelé",
                "Cinq mille serveurs mis hors service par Europol.",
                "2020-11-12T10:00:00+01:00",
                &["piracy/iptv"],
            ),
            add(
                &lib,
                1,
                "Football streaming crackdown",
                "Illegal IPTV streams of football matches were shut down.",
                "2021-03-01",
                &["piracy", "sport"],
            ),
            add(
                &lib,
                2,
                "Budget 2022",
                "Le gouvernement présente son budget.",
                "2021-09-20",
                &["politics"],
            ),
            add(
                &lib,
                3,
                "Serveurs et réseaux",
                "Un article sur les réseaux de serveurs.",
                "2019-01-05",
                &[],
            ),
        ];
        Fixture { lib, ids }
    }

    fn ids(lib: &Library, req: ListRequest) -> Vec<i64> {
        lib.list(&ListRequest { limit: 100, ..req })
            .unwrap()
            .into_iter()
            .map(|c| c.id)
            .collect()
    }

    fn search(lib: &Library, q: &str) -> Vec<i64> {
        ids(
            lib,
            ListRequest {
                query: q.into(),
                ..Default::default()
            },
        )
    }

    #[test]
    fn list_sorts_by_date_added_and_title() {
        let f = fixture();
        let [a, b, c, d] = f.ids[..] else { panic!() };
        assert_eq!(ids(&f.lib, ListRequest::default()), vec![c, b, a, d]);
        let by = |sort| {
            ids(
                &f.lib,
                ListRequest {
                    sort: Some(sort),
                    ..Default::default()
                },
            )
        };
        assert_eq!(by(Sort::Added), vec![d, c, b, a]);
        assert_eq!(by(Sort::Title), vec![c, b, a, d]);
    }

    #[test]
    fn filters_by_tag_with_descendants_site_language_and_dates() {
        let f = fixture();
        let [a, b, c, _d] = f.ids[..] else { panic!() };
        let with = |filters: Filters| {
            ids(
                &f.lib,
                ListRequest {
                    filters,
                    ..Default::default()
                },
            )
        };
        assert_eq!(
            with(Filters {
                tags: vec!["PIRACY".into()],
                ..Default::default()
            }),
            vec![b, a]
        );
        assert_eq!(
            with(Filters {
                tags: vec!["piracy".into(), "sport".into()],
                ..Default::default()
            }),
            vec![b]
        );
        assert_eq!(
            with(Filters {
                site: Some("numerama".into()),
                ..Default::default()
            }),
            vec![c, a]
        );
        assert_eq!(
            with(Filters {
                site: Some("https://www.site1.example/x".into()),
                ..Default::default()
            })
            .len(),
            2
        );
        assert_eq!(
            with(Filters {
                language: Some("en-GB".into()),
                ..Default::default()
            })
            .len(),
            2
        );
        assert_eq!(
            with(Filters {
                since: Some("2020-11-12".into()),
                until: Some("2021-03".into()),
                ..Default::default()
            }),
            vec![b, a]
        );
        let err = f.lib.list(&ListRequest {
            filters: Filters {
                tags: vec!["nope".into()],
                ..Default::default()
            },
            ..Default::default()
        });
        assert!(matches!(err, Err(StoreError::TagNotFound(_))));
        let err = f.lib.list(&ListRequest {
            filters: Filters {
                since: Some("last year".into()),
                ..Default::default()
            },
            ..Default::default()
        });
        assert!(matches!(err, Err(StoreError::InvalidDate(_))));
    }

    #[test]
    fn search_ranks_title_matches_first_and_ignores_accents() {
        let f = fixture();
        let [a, b, _c, d] = f.ids[..] else { panic!() };
        assert_eq!(
            search(&f.lib, "serveurs"),
            vec![d, a],
            "title match ranks first"
        );
        assert_eq!(search(&f.lib, "demantele"), vec![a], "accents are folded");
        assert_eq!(search(&f.lib, "iptv"), vec![a, b]);
        assert_eq!(search(&f.lib, "iptv -football"), vec![a]);
        assert_eq!(search(&f.lib, "\"hors service\""), vec![a]);
        assert_eq!(search(&f.lib, "\"service hors\""), Vec::<i64>::new());
        assert_eq!(search(&f.lib, "budg*"), vec![f.ids[2]]);
        assert_eq!(search(&f.lib, "budget OR football").len(), 2);
        assert_eq!(search(&f.lib, "Europol").len(), 1);
        assert_eq!(search(&f.lib, "Author 3"), vec![d], "authors are indexed");
        assert_eq!(
            search(&f.lib, "-iptv").len(),
            2,
            "exclusion alone lists the rest"
        );
    }

    #[test]
    fn search_snippets_highlight_matches() {
        let f = fixture();
        let hits = f
            .lib
            .list(&ListRequest {
                query: "europol".into(),
                limit: 5,
                ..Default::default()
            })
            .unwrap();
        let snippet = hits[0].snippet.as_deref().unwrap();
        assert!(snippet.contains("\u{2}Europol\u{3}"), "{snippet:?}");
    }

    #[test]
    fn hostile_queries_never_fail() {
        let f = fixture();
        for q in [
            "\"",
            "*",
            "NEAR(",
            ")",
            "(",
            "AND",
            "OR",
            "NOT",
            "a:b",
            "^x",
            "\"unclosed",
            "--",
            "-",
            "'",
            "\\",
            "{",
            "[",
            "*iptv",
            "ip*tv*",
            "\u{0}",
            "NEAR(a b, 2)",
            "😀",
            "title:",
            "a OR",
            "OR b",
            "- -",
            "\"\"\"\"",
            "iptv*\"",
            "x' OR 1=1 --",
        ] {
            let result = f.lib.list(&ListRequest {
                query: q.into(),
                limit: 5,
                ..Default::default()
            });
            assert!(result.is_ok(), "{q:?} failed: {:?}", result.err());
            assert!(
                f.lib
                    .count(&ListRequest {
                        query: q.into(),
                        ..Default::default()
                    })
                    .is_ok()
            );
        }
    }

    #[test]
    fn index_follows_edits_and_deletes() {
        let f = fixture();
        let a = f.ids[0];
        f.lib
            .update_clipping(
                a,
                &crate::ClippingPatch {
                    title: Some("Renamed zebra".into()),
                    notes: Some("note about giraffes".into()),
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(search(&f.lib, "zebra"), vec![a]);
        assert_eq!(search(&f.lib, "giraffes"), vec![a], "notes are indexed");
        assert_eq!(
            search(&f.lib, "vaste"),
            Vec::<i64>::new(),
            "the old title is gone"
        );
        f.lib.delete_clippings(&[a]).unwrap();
        assert_eq!(search(&f.lib, "zebra"), Vec::<i64>::new());
        let check: String = f
            .lib
            .read(|c| {
                c.execute(
                    "INSERT INTO clipping_fts(clipping_fts) VALUES ('integrity-check')",
                    [],
                )?;
                Ok("ok".to_string())
            })
            .unwrap();
        assert_eq!(check, "ok");
    }

    #[test]
    fn search_combines_with_filters_and_counts() {
        let f = fixture();
        let req = ListRequest {
            query: "iptv".into(),
            filters: Filters {
                tags: vec!["sport".into()],
                ..Default::default()
            },
            ..Default::default()
        };
        assert_eq!(ids(&f.lib, req.clone()), vec![f.ids[1]]);
        assert_eq!(f.lib.count(&req).unwrap(), 1);
        let req = ListRequest {
            limit: 1,
            offset: 1,
            ..Default::default()
        };
        assert_eq!(
            f.lib.list(&req).unwrap()[0].id,
            f.ids[1],
            "offset pages through the list"
        );
    }
}
