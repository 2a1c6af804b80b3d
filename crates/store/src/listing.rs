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

/// Which of a search's matches a query reads, and how.
///
/// Ranking by bm25 scores every match before the first row can be shown: about 2 ms per 1,000
/// matches here. A word found in most of a 100,000-clipping library would take 200 ms, and
/// tells little about relevance there anyway (its inverse document frequency is near zero). So
/// beyond [`RANK_LIMIT`] matches, "relevance" becomes: the clippings whose title matches first,
/// then the others, each newest first (the titles by bm25 when there are few enough); and a
/// date order walks the date index instead of sorting every match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Every match, in the requested order.
    All { newest_first: bool },
    /// The matches in titles.
    Titles { newest_first: bool },
    /// The matches not in titles, newest first.
    OutsideTitles,
}

/// Above this many matches a search is not ranked by bm25 (see [`Reading`]).
pub(crate) const RANK_LIMIT: usize = 10_000;

impl Reading {
    const WHOLE: Reading = Reading::All {
        newest_first: false,
    };

    /// Reads the matches by walking the date index, newest first.
    fn walks_dates(self) -> bool {
        matches!(
            self,
            Reading::All { newest_first: true }
                | Reading::Titles { newest_first: true }
                | Reading::OutsideTitles
        )
    }
}

struct Built {
    from: String,
    where_: String,
    order: &'static str,
    params: Vec<Value>,
    match_expr: Option<String>,
    /// Only words to match, no filter: the index alone can count the rows.
    words_only: bool,
    sort: Sort,
    fts: FtsQuery,
}

/// How many clippings an FTS5 expression matches, filters aside (the index alone: every
/// indexed row is a clipping).
fn fts_count(conn: &Connection, expr: &str) -> Result<usize> {
    let mut stmt =
        conn.prepare_cached("SELECT count(*) FROM clipping_fts WHERE clipping_fts MATCH ?1")?;
    let n: i64 = stmt.query_row([expr], |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// Whether an FTS5 expression matches more than `limit` clippings: counts no further than
/// `limit + 1`, so a word found everywhere costs no more than one found `limit` times.
fn fts_exceeds(conn: &Connection, expr: &str, limit: usize) -> Result<bool> {
    let mut stmt = conn.prepare_cached(
        "SELECT count(*) FROM (SELECT rowid FROM clipping_fts WHERE clipping_fts MATCH ?1 LIMIT ?2)",
    )?;
    let bound = i64::try_from(limit.saturating_add(1)).unwrap_or(i64::MAX);
    let n: i64 = stmt.query_row(rusqlite::params![expr, bound], |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or(0) > limit)
}

/// The queries that read a request's rows, in order: one, or a search's two tiers when it
/// matches more than `rank_limit` clippings (see [`Reading`]).
fn readings(conn: &Connection, req: &ListRequest, rank_limit: usize) -> Result<Vec<Built>> {
    let whole = build(conn, req, Reading::WHOLE)?;
    let Some(expr) = &whole.match_expr else {
        return Ok(vec![whole]);
    };
    if !matches!(whole.sort, Sort::Relevance | Sort::Date) || !fts_exceeds(conn, expr, rank_limit)?
    {
        return Ok(vec![whole]);
    }
    if whole.sort == Sort::Date {
        return Ok(vec![build(conn, req, Reading::All { newest_first: true })?]);
    }
    let in_titles = whole.fts.in_titles().unwrap_or_default();
    let newest_first = fts_exceeds(conn, &in_titles, rank_limit)?;
    Ok(vec![
        build(conn, req, Reading::Titles { newest_first })?,
        build(conn, req, Reading::OutsideTitles)?,
    ])
}

fn build(conn: &Connection, req: &ListRequest, reading: Reading) -> Result<Built> {
    let mut plan = Plan {
        fts: translate(&req.query),
        ..Plan::default()
    };
    plan.apply_filters(conn, &req.filters, 0)?;
    let match_expr = match reading {
        Reading::All { .. } => plan.fts.match_expression(),
        Reading::Titles { .. } => plan.fts.in_titles(),
        Reading::OutsideTitles => plan.fts.outside_titles(),
    };
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
        if reading.walks_dates() {
            // Newest first through the date index, each row checked against the matches:
            // 100 rows shown cost about 100 index steps, however many clippings match.
            from = "clipping c INDEXED BY clipping_by_date".into();
            lead.push((
                "c.id IN (SELECT rowid FROM clipping_fts WHERE clipping_fts MATCH ?)",
                Value::Text(expr.clone()),
            ));
            order = "c.date_ts DESC, c.id DESC";
        } else {
            from = "clipping_fts f JOIN clipping c ON c.id = f.rowid".into();
            lead.push(("clipping_fts MATCH ?", Value::Text(expr.clone())));
        }
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
    let words_only = match_expr.is_some()
        && !reading.walks_dates()
        && from_params.is_empty()
        && lead.len() == 1
        && plan.conditions.is_empty();
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
        words_only,
        sort,
        fts: plan.fts,
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

fn summaries(
    conn: &Connection,
    req: &ListRequest,
    rank_limit: usize,
) -> Result<Vec<ClippingSummary>> {
    let tiers = readings(conn, req, rank_limit)?;
    let mut rows: Vec<ClippingSummary> = Vec::new();
    // The offset within the tier being read.
    let mut offset = req.offset;
    for (i, built) in tiers.iter().enumerate() {
        let want = req.limit.saturating_sub(rows.len());
        if want == 0 {
            break;
        }
        let before = rows.len();
        read_page(conn, built, offset, want, &mut rows)?;
        if i + 1 < tiers.len() {
            // The next tier starts where this one ends.
            offset = if rows.len() > before {
                0
            } else {
                offset.saturating_sub(count_built(conn, built)?)
            };
        }
    }
    fill_tags(conn, &mut rows)?;
    if let Some(built) = tiers.first().filter(|b| b.match_expr.is_some()) {
        fill_snippets(conn, &mut rows, &built.fts.highlight)?;
    }
    Ok(rows)
}

/// Appends up to `limit` rows of one query, from `offset`.
fn read_page(
    conn: &Connection,
    built: &Built,
    offset: usize,
    limit: usize,
    rows: &mut Vec<ClippingSummary>,
) -> Result<()> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM {} {} ORDER BY {} LIMIT ? OFFSET ?",
        built.from, built.where_, built.order
    );
    let mut params = built.params.clone();
    params.push(Value::Integer(i64::try_from(limit).unwrap_or(i64::MAX)));
    params.push(Value::Integer(i64::try_from(offset).unwrap_or(i64::MAX)));
    let mut stmt = conn.prepare_cached(&sql)?;
    for row in stmt.query_map(params_from_iter(params), summary_from_row)? {
        rows.push(row?);
    }
    Ok(())
}

fn count_built(conn: &Connection, built: &Built) -> Result<usize> {
    if let (true, Some(expr)) = (built.words_only, &built.match_expr) {
        return fts_count(conn, expr);
    }
    let sql = format!("SELECT count(*) FROM {} {}", built.from, built.where_);
    let n: i64 = conn.query_row(&sql, params_from_iter(&built.params), |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or(0))
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
        self.read(|conn| summaries(conn, req, self.rank_limit()))
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
            let mut ids = Vec::new();
            for built in readings(conn, req, self.rank_limit())? {
                let sql = format!(
                    "SELECT c.id FROM {} {} ORDER BY {}",
                    built.from, built.where_, built.order
                );
                let mut stmt = conn.prepare(&sql)?;
                for id in stmt.query_map(params_from_iter(built.params), |r| r.get(0))? {
                    ids.push(id?);
                }
            }
            Ok(ids)
        })
    }

    /// How many clippings match a request, whatever its limit.
    pub fn count(&self, req: &ListRequest) -> Result<i64> {
        self.read(|conn| {
            let built = build(conn, req, Reading::WHOLE)?;
            Ok(i64::try_from(count_built(conn, &built)?).unwrap_or(i64::MAX))
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

    #[test]
    fn searches_matching_too_many_to_rank_put_title_matches_first_then_newest() {
        let lib = Library::open_in_memory().unwrap();
        let old_title = add(
            &lib,
            0,
            "Europe votes",
            "A vote in europe.",
            "2019-01-01",
            &[],
        );
        let new_title = add(&lib, 1, "Europe again", "Europe.", "2022-01-01", &[]);
        // The most occurrences, but the oldest: bm25 would put it first among the others.
        let many = add(
            &lib,
            2,
            "Budget",
            "europe europe europe europe",
            "2018-01-01",
            &[],
        );
        let newest = add(&lib, 3, "Climate", "The europe summit.", "2023-01-01", &[]);
        let cup = add(&lib, 4, "Sport", "The europe cup.", "2020-06-01", &[]);
        add(&lib, 5, "Other", "Nothing to see.", "2024-01-01", &[]);
        let req = |q: &str, offset: usize, limit: usize| ListRequest {
            query: q.into(),
            offset,
            limit,
            ..Default::default()
        };
        let ranked = lib.ids(&req("europe", 0, 0)).unwrap();
        assert_eq!(ranked.len(), 5);
        assert_eq!(ranked[2], many, "under the limit, bm25 ranks every match");

        lib.set_rank_limit(3);
        let tiered = lib.ids(&req("europe", 0, 0)).unwrap();
        let mut titles = tiered[..2].to_vec();
        titles.sort();
        assert_eq!(titles, vec![old_title, new_title], "title matches first");
        assert_eq!(
            tiered[2..],
            [newest, cup, many],
            "then the others, newest first"
        );
        // Pages read across the tiers give the same order, whatever their size and offset.
        for limit in 1..=5 {
            let mut paged = Vec::new();
            for offset in (0..6).step_by(limit) {
                paged.extend(
                    lib.list(&req("europe", offset, limit))
                        .unwrap()
                        .iter()
                        .map(|r| r.id),
                );
            }
            assert_eq!(paged, tiered, "pages of {limit}");
        }
        assert_eq!(
            lib.list(&req("europe", 3, 10))
                .unwrap()
                .iter()
                .map(|r| r.id)
                .collect::<Vec<_>>(),
            [cup, many],
            "a page starting past the titles"
        );
        let rows = lib.list(&req("europe", 0, 10)).unwrap();
        assert!(
            rows.iter()
                .all(|r| r.snippet.as_deref().is_some_and(|s| s.contains('\u{2}')))
        );
        assert_eq!(lib.count(&req("europe", 0, 0)).unwrap(), 5);

        // Exclusions and filters hold in both tiers.
        lib.set_rank_limit(2);
        assert_eq!(
            lib.ids(&req("europe -cup -votes", 0, 0)).unwrap(),
            [new_title, newest, many]
        );
        lib.set_rank_limit(3);
        let french = ListRequest {
            filters: Filters {
                language: Some("fr".into()),
                ..Default::default()
            },
            ..req("europe", 0, 0)
        };
        assert_eq!(lib.ids(&french).unwrap(), [old_title, cup, many]);
        assert_eq!(lib.count(&french).unwrap(), 3);

        // More title matches than the limit: the titles too are newest first.
        lib.set_rank_limit(1);
        assert_eq!(
            lib.ids(&req("europe", 0, 0)).unwrap(),
            [new_title, old_title, newest, cup, many]
        );
        // A date order walks the date index.
        let by_date = ListRequest {
            sort: Some(Sort::Date),
            ..req("europe", 0, 0)
        };
        assert_eq!(
            lib.ids(&by_date).unwrap(),
            [newest, new_title, cup, old_title, many]
        );
    }
}
