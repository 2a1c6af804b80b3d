//! Nested tags (`piracy/iptv`): unique whatever their case, kept with the user's casing.

use rusqlite::{Connection, OptionalExtension, params};

use crate::clippings::require_clipping;
use crate::dates::now;
use crate::db::Library;
use crate::error::{Result, StoreError};
use crate::model::TagCount;

/// Longest tag name accepted, in characters.
const MAX_TAG_CHARS: usize = 200;

/// A tag name as stored (`name`, the user's casing, tidied) and its lookup key (`key`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TagName {
    pub name: String,
    pub key: String,
}

/// Adds the missing ancestors of `tags` (named as their first descendant spells them), each
/// with the number of distinct clippings under it.
fn add_implied_parents(conn: &Connection, tags: &mut Vec<TagCount>) -> Result<()> {
    let mut known: std::collections::HashSet<String> =
        tags.iter().map(|t| t.name.to_lowercase()).collect();
    let mut missing = Vec::new();
    for tag in tags.iter() {
        let mut prefix = String::new();
        let segments: Vec<&str> = tag.name.split('/').collect();
        for segment in &segments[..segments.len().saturating_sub(1)] {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(segment);
            if known.insert(prefix.to_lowercase()) {
                missing.push(prefix.clone());
            }
        }
    }
    let mut total = conn.prepare_cached("SELECT count(*) FROM tag_filter WHERE key = ?1")?;
    for name in missing {
        let n: i64 = total.query_row([name.to_lowercase()], |r| r.get(0))?;
        tags.push(TagCount {
            name,
            count: 0,
            total: n,
        });
    }
    Ok(())
}

/// Tidies a tag name: segments trimmed, inner whitespace collapsed, empty segments dropped
/// (`" piracy // IPTV "` → `piracy/IPTV`).
pub(crate) fn normalize_tag(input: &str) -> Result<TagName> {
    let invalid = |reason| StoreError::InvalidTag {
        name: input.to_string(),
        reason,
    };
    if input.chars().any(char::is_control) {
        return Err(invalid("it contains control characters"));
    }
    let name = input
        .split('/')
        .map(|seg| seg.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|seg| !seg.is_empty())
        .collect::<Vec<_>>()
        .join("/");
    if name.is_empty() {
        return Err(invalid("it is empty"));
    }
    if name.chars().count() > MAX_TAG_CHARS {
        return Err(invalid("it is longer than 200 characters"));
    }
    let key = name.to_lowercase();
    Ok(TagName { name, key })
}

/// The key range holding a tag's descendants: `key/` ≤ k < `key0` ('0' follows '/').
fn descendant_bounds(key: &str) -> (String, String) {
    (format!("{key}/"), format!("{key}0"))
}

/// SQL condition matching tag `alias` and its descendants; binds [`subtree_params`] in order.
pub(crate) fn subtree_condition(alias: &str) -> String {
    format!("({alias}.key = ? OR ({alias}.key >= ? AND {alias}.key < ?))")
}

/// The three values [`subtree_condition`] binds for a tag.
pub(crate) fn subtree_params(key: &str) -> [String; 3] {
    let (lo, hi) = descendant_bounds(key);
    [key.to_string(), lo, hi]
}

/// The tags (id, name) of a tag and its descendants.
fn subtree(conn: &Connection, key: &str) -> Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT t.id, t.name FROM tag t WHERE {} ORDER BY t.key",
        subtree_condition("t")
    ))?;
    let rows = stmt.query_map(subtree_params(key), |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Fails with [`StoreError::TagNotFound`] when neither the tag nor any descendant exists.
pub(crate) fn require_tag(conn: &Connection, input: &str) -> Result<TagName> {
    let tag = normalize_tag(input)?;
    if subtree(conn, &tag.key)?.is_empty() {
        return Err(StoreError::TagNotFound(tag.name));
    }
    Ok(tag)
}

fn tag_id(conn: &Connection, key: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM tag WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

/// The id of a tag, created with the user's casing when new.
pub(crate) fn ensure_tag(conn: &Connection, input: &str) -> Result<i64> {
    let tag = normalize_tag(input)?;
    if let Some(id) = tag_id(conn, &tag.key)? {
        return Ok(id);
    }
    conn.execute(
        "INSERT INTO tag (name, key, created_at) VALUES (?1, ?2, ?3)",
        params![tag.name, tag.key, now()],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Rewrites a clipping's rows in `tag_filter` from its current tags.
///
/// Only single-row statements, and none when nothing changes: a statement that may write several
/// rows opens a statement journal, which makes FTS5 flush its pending index (see migration 1).
pub(crate) fn refresh_tag_filter(conn: &Connection, clipping_id: i64) -> Result<()> {
    let mut wanted: Vec<String> = Vec::new();
    for name in tags_of(conn, clipping_id)? {
        let key = name.to_lowercase();
        let mut end = key.len();
        loop {
            let ancestor = &key[..end];
            if !wanted.iter().any(|k| k == ancestor) {
                wanted.push(ancestor.to_string());
            }
            match ancestor.rfind('/') {
                Some(slash) => end = slash,
                None => break,
            }
        }
    }
    let date_ts: i64 = conn
        .prepare_cached("SELECT date_ts FROM clipping WHERE id = ?1")?
        .query_row([clipping_id], |r| r.get(0))?;
    let existing: Vec<(String, i64)> = conn
        .prepare_cached("SELECT key, date_ts FROM tag_filter WHERE clipping_id = ?1")?
        .query_map([clipping_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut delete = conn.prepare_cached(
        "DELETE FROM tag_filter WHERE key = ?1 AND date_ts = ?2 AND clipping_id = ?3",
    )?;
    for (key, ts) in &existing {
        if *ts != date_ts || !wanted.contains(key) {
            delete.execute(params![key, ts, clipping_id])?;
        }
    }
    let mut insert = conn
        .prepare_cached("INSERT INTO tag_filter (key, date_ts, clipping_id) VALUES (?1, ?2, ?3)")?;
    for key in wanted {
        if !existing.iter().any(|(k, ts)| *k == key && *ts == date_ts) {
            insert.execute(params![key, date_ts, clipping_id])?;
        }
    }
    Ok(())
}

/// The clippings carrying a tag or one of its descendants.
fn clippings_under(conn: &Connection, key: &str) -> Result<Vec<i64>> {
    let mut stmt =
        conn.prepare_cached("SELECT DISTINCT clipping_id FROM tag_filter WHERE key = ?1")?;
    let rows = stmt.query_map([key], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn attach_tags(conn: &Connection, clipping_id: i64, tags: &[String]) -> Result<usize> {
    if tags.is_empty() {
        return Ok(0);
    }
    let mut added = 0;
    for tag in tags {
        let tag_id = ensure_tag(conn, tag)?;
        added += conn
            .prepare_cached(
                "INSERT OR IGNORE INTO clipping_tag (clipping_id, tag_id) VALUES (?1, ?2)",
            )?
            .execute(params![clipping_id, tag_id])?;
    }
    if added > 0 {
        refresh_tag_filter(conn, clipping_id)?;
    }
    Ok(added)
}

pub(crate) fn tags_of(conn: &Connection, clipping_id: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.name FROM clipping_tag ct JOIN tag t ON t.id = ct.tag_id
         WHERE ct.clipping_id = ?1 ORDER BY t.key",
    )?;
    let rows = stmt.query_map([clipping_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Orders tags as a reader expects a tree: parents before children, segment by segment,
/// ignoring case and the accents of Latin letters (so "Économie" sits with the e's).
fn tree_sort_key(name: &str) -> Vec<String> {
    name.split('/').map(crate::fold::fold).collect()
}

/// The name a tag gets when its ancestor `from` (of `from_depth` segments) becomes `to`.
fn reparent(name: &str, from_depth: usize, to: &str) -> String {
    let rest: Vec<&str> = name.split('/').skip(from_depth).collect();
    if rest.is_empty() {
        to.to_string()
    } else {
        format!("{to}/{}", rest.join("/"))
    }
}

impl Library {
    /// Puts tags on clippings (creating the tags as needed). Returns how many were new.
    pub fn tag_clippings(&self, ids: &[i64], tags: &[String]) -> Result<usize> {
        self.write(|tx| {
            let mut added = 0;
            for &id in ids {
                require_clipping(tx, id)?;
                added += attach_tags(tx, id, tags)?;
            }
            Ok(added)
        })
    }

    /// Takes exact tags off clippings. The tags themselves stay in the library.
    pub fn untag_clippings(&self, ids: &[i64], tags: &[String]) -> Result<usize> {
        self.write(|tx| {
            let mut removed = 0;
            let mut tag_ids = Vec::new();
            for tag in tags {
                let tag = normalize_tag(tag)?;
                tag_ids.push(tag_id(tx, &tag.key)?.ok_or(StoreError::TagNotFound(tag.name))?);
            }
            for &id in ids {
                require_clipping(tx, id)?;
                for tag_id in &tag_ids {
                    removed += tx.execute(
                        "DELETE FROM clipping_tag WHERE clipping_id = ?1 AND tag_id = ?2",
                        params![id, tag_id],
                    )?;
                }
                refresh_tag_filter(tx, id)?;
            }
            Ok(removed)
        })
    }

    /// Every tag, in tree order, with its own and its subtree's clipping counts. Parents that
    /// are not tags themselves (`piracy` when only `piracy/iptv` exists) are listed too, with
    /// no clipping of their own: a tree needs them, and filtering by them works.
    pub fn tags(&self) -> Result<Vec<TagCount>> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT t.name,
                        (SELECT count(*) FROM clipping_tag ct WHERE ct.tag_id = t.id),
                        (SELECT count(*) FROM tag_filter f WHERE f.key = t.key)
                 FROM tag t ORDER BY t.key",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok(TagCount {
                    name: r.get(0)?,
                    count: r.get(1)?,
                    total: r.get(2)?,
                })
            })?;
            let mut tags: Vec<TagCount> = rows.collect::<rusqlite::Result<_>>()?;
            add_implied_parents(conn, &mut tags)?;
            tags.sort_by_cached_key(|t| tree_sort_key(&t.name));
            Ok(tags)
        })
    }

    /// Renames a tag and, with it, its descendants (`piracy/iptv` follows `piracy`). Changing
    /// only the case of a name is a rename too. Refuses when a new name is taken by another tag.
    pub fn rename_tag(&self, old: &str, new: &str) -> Result<usize> {
        self.write(|tx| {
            let from = require_tag(tx, old)?;
            let clippings = clippings_under(tx, &from.key)?;
            let to = normalize_tag(new)?;
            let affected = subtree(tx, &from.key)?;
            if to.key.starts_with(&format!("{}/", from.key)) {
                return Err(StoreError::InvalidTagOperation {
                    action: format!("rename \"{}\" to \"{}\"", from.name, to.name),
                    reason: "a tag cannot move inside itself".into(),
                });
            }
            let depth = from.name.split('/').count();
            let renamed: Vec<(i64, String)> = affected
                .iter()
                .map(|(id, name)| (*id, reparent(name, depth, &to.name)))
                .collect();
            // A new name may be taken by a tag of the same subtree (it is renamed too), never by
            // another one.
            for (_, name) in &renamed {
                if let Some(other) = tag_id(tx, &name.to_lowercase())? {
                    if !affected.iter().any(|(id, _)| *id == other) {
                        return Err(StoreError::TagExists(name.clone()));
                    }
                }
            }
            // Two passes keep the UNIQUE(key) constraint satisfied while names swap around.
            for (id, _) in &renamed {
                tx.execute(
                    "UPDATE tag SET key = char(0) || 'renaming/' || id WHERE id = ?1",
                    [id],
                )?;
            }
            for (id, name) in &renamed {
                tx.execute(
                    "UPDATE tag SET name = ?2, key = ?3 WHERE id = ?1",
                    params![id, name, name.to_lowercase()],
                )?;
            }
            for id in clippings {
                refresh_tag_filter(tx, id)?;
            }
            Ok(renamed.len())
        })
    }

    /// Moves every clipping of `from` onto `into` and deletes `from`. `from`'s descendants move
    /// under `into` (merged with same-named tags there). `into` must exist.
    pub fn merge_tags(&self, from: &str, into: &str) -> Result<usize> {
        self.write(|tx| {
            let source = require_tag(tx, from)?;
            let clippings = clippings_under(tx, &source.key)?;
            let target = normalize_tag(into)?;
            let Some(_) = tag_id(tx, &target.key)? else {
                return Err(StoreError::TagNotFound(target.name));
            };
            let target_name: String =
                tx.query_row("SELECT name FROM tag WHERE key = ?1", [&target.key], |r| {
                    r.get(0)
                })?;
            let action = || format!("merge \"{}\" into \"{}\"", source.name, target.name);
            if source.key == target.key {
                return Err(StoreError::InvalidTagOperation {
                    action: action(),
                    reason: "they are the same tag".into(),
                });
            }
            if target.key.starts_with(&format!("{}/", source.key)) {
                return Err(StoreError::InvalidTagOperation {
                    action: action(),
                    reason: format!("\"{}\" is inside \"{}\"", target.name, source.name),
                });
            }
            let depth = source.name.split('/').count();
            let mut moved = 0;
            for (id, name) in subtree(tx, &source.key)? {
                let new_name = reparent(&name, depth, &target_name);
                match tag_id(tx, &new_name.to_lowercase())? {
                    Some(existing) => {
                        tx.execute(
                            "INSERT OR IGNORE INTO clipping_tag (clipping_id, tag_id)
                             SELECT clipping_id, ?2 FROM clipping_tag WHERE tag_id = ?1",
                            params![id, existing],
                        )?;
                        tx.execute("DELETE FROM tag WHERE id = ?1", [id])?;
                    }
                    None => {
                        tx.execute(
                            "UPDATE tag SET name = ?2, key = ?3 WHERE id = ?1",
                            params![id, new_name, new_name.to_lowercase()],
                        )?;
                    }
                }
                moved += 1;
            }
            for id in clippings {
                refresh_tag_filter(tx, id)?;
            }
            Ok(moved)
        })
    }

    /// Deletes a tag and its descendants from the library and from every clipping. The
    /// clippings themselves stay. Returns how many tags were deleted.
    pub fn delete_tag(&self, name: &str) -> Result<usize> {
        self.write(|tx| {
            let tag = require_tag(tx, name)?;
            let clippings = clippings_under(tx, &tag.key)?;
            let ids = subtree(tx, &tag.key)?;
            for (id, _) in &ids {
                tx.execute("DELETE FROM tag WHERE id = ?1", [id])?;
            }
            for id in clippings {
                refresh_tag_filter(tx, id)?;
            }
            Ok(ids.len())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NewClipping;

    fn lib_with(tags: &[&[&str]]) -> (Library, Vec<i64>) {
        let lib = Library::open_in_memory().unwrap();
        let ids = tags
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let new = NewClipping {
                    url: format!("https://ex.com/{i}"),
                    title: format!("Article {i}"),
                    content_text: "text".into(),
                    tags: t.iter().map(|s| s.to_string()).collect(),
                    ..Default::default()
                };
                lib.add_clipping(&new).unwrap().id
            })
            .collect();
        (lib, ids)
    }

    /// `tag_filter` must hold, for each clipping, exactly its tags' keys and their ancestors',
    /// with the clipping's date.
    fn assert_tag_filter_consistent(lib: &Library) {
        lib.read(|conn| {
            let mut expected: Vec<(String, i64, i64)> = Vec::new();
            let mut stmt = conn.prepare(
                "SELECT t.key, c.date_ts, c.id FROM clipping_tag ct JOIN tag t ON t.id = ct.tag_id
                 JOIN clipping c ON c.id = ct.clipping_id",
            )?;
            let rows: Vec<(String, i64, i64)> = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (key, date, id) in rows {
                let parts: Vec<&str> = key.split('/').collect();
                for n in 1..=parts.len() {
                    let k = parts[..n].join("/");
                    if !expected.iter().any(|e| e.0 == k && e.2 == id) {
                        expected.push((k, date, id));
                    }
                }
            }
            let mut actual: Vec<(String, i64, i64)> = conn
                .prepare("SELECT key, date_ts, clipping_id FROM tag_filter")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            expected.sort();
            actual.sort();
            assert_eq!(actual, expected, "tag_filter is out of step with the tags");
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn the_tag_filter_index_follows_every_tag_operation_and_date_change() {
        let (lib, ids) = lib_with(&[
            &["piracy", "piracy/iptv/europe"],
            &["piracy/torrent", "sport"],
            &["Sport/Football"],
        ]);
        assert_tag_filter_consistent(&lib);
        lib.rename_tag("piracy", "copyright").unwrap();
        assert_tag_filter_consistent(&lib);
        lib.merge_tags("sport", "copyright/torrent").unwrap();
        assert_tag_filter_consistent(&lib);
        lib.untag_clippings(&[ids[0]], &["copyright".into()])
            .unwrap();
        assert_tag_filter_consistent(&lib);
        lib.tag_clippings(&[ids[2]], &["copyright/iptv".into()])
            .unwrap();
        assert_tag_filter_consistent(&lib);
        let patch = crate::ClippingPatch {
            published_at: Some(Some("1999-01-01".into())),
            ..Default::default()
        };
        lib.update_clipping(ids[1], &patch).unwrap();
        assert_tag_filter_consistent(&lib);
        lib.delete_tag("copyright/iptv").unwrap();
        assert_tag_filter_consistent(&lib);
        lib.delete_clippings(&[ids[0]]).unwrap();
        assert_tag_filter_consistent(&lib);
    }

    #[test]
    fn filtering_by_a_tag_lists_newest_first_and_follows_date_edits() {
        let lib = Library::open_in_memory().unwrap();
        let add = |n: u32, date: &str| {
            lib.add_clipping(&NewClipping {
                url: format!("https://ex.com/{n}"),
                published_at: Some(date.into()),
                tags: vec!["a/b".into()],
                ..Default::default()
            })
            .unwrap()
            .id
        };
        let (x, y, z) = (
            add(1, "2020-01-01"),
            add(2, "2022-01-01"),
            add(3, "2021-01-01"),
        );
        let listed = |lib: &Library| -> Vec<i64> {
            let req = crate::ListRequest {
                filters: crate::Filters {
                    tags: vec!["A".into()],
                    ..Default::default()
                },
                limit: 10,
                ..Default::default()
            };
            lib.list(&req).unwrap().into_iter().map(|c| c.id).collect()
        };
        assert_eq!(listed(&lib), vec![y, z, x]);
        let patch = crate::ClippingPatch {
            published_at: Some(Some("2030-01-01".into())),
            ..Default::default()
        };
        lib.update_clipping(x, &patch).unwrap();
        assert_eq!(listed(&lib), vec![x, y, z]);
    }

    fn names(lib: &Library) -> Vec<(String, i64, i64)> {
        lib.tags()
            .unwrap()
            .into_iter()
            .map(|t| (t.name, t.count, t.total))
            .collect()
    }

    #[test]
    fn names_are_tidied_and_unique_whatever_the_case() {
        assert_eq!(
            normalize_tag(" Piracy // IPTV  ").unwrap().name,
            "Piracy/IPTV"
        );
        assert_eq!(normalize_tag("Économie").unwrap().key, "économie");
        for bad in ["", " / ", "a\u{0}b", "x\ny"] {
            assert!(normalize_tag(bad).is_err(), "{bad:?} should be refused");
        }
        let (lib, _) = lib_with(&[&["Économie", "ÉCONOMIE", "économie"]]);
        assert_eq!(names(&lib), vec![("Économie".to_string(), 1, 1)]);
    }

    #[test]
    fn counts_include_descendants_once() {
        let (lib, _) = lib_with(&[
            &["piracy", "piracy/iptv"],
            &["piracy/iptv"],
            &["piracy/torrent"],
            &[],
        ]);
        assert_eq!(
            names(&lib),
            vec![
                ("piracy".to_string(), 1, 3),
                ("piracy/iptv".to_string(), 2, 2),
                ("piracy/torrent".to_string(), 1, 1),
            ]
        );
    }

    #[test]
    fn tags_list_in_tree_order_ignoring_case_and_accents() {
        let (lib, _) = lib_with(&[&[
            "zèbre",
            "Économie/Budget",
            "piracy-news",
            "piracy/iptv",
            "Alpha",
        ]]);
        let got: Vec<String> = lib.tags().unwrap().into_iter().map(|t| t.name).collect();
        assert_eq!(
            got,
            vec![
                "Alpha",
                "Économie",
                "Économie/Budget",
                "piracy",
                "piracy/iptv",
                "piracy-news",
                "zèbre"
            ]
        );
    }

    #[test]
    fn a_sibling_with_a_common_prefix_is_not_a_descendant() {
        let (lib, _) = lib_with(&[&["piracy"], &["piracy-news"], &["piracy0"]]);
        let piracy = lib
            .tags()
            .unwrap()
            .into_iter()
            .find(|t| t.name == "piracy")
            .unwrap();
        assert_eq!(
            piracy.total, 1,
            "piracy-news and piracy0 are not under piracy"
        );
    }

    #[test]
    fn renaming_a_parent_renames_its_children() {
        let (lib, _) = lib_with(&[&["piracy", "piracy/iptv", "piracy/iptv/europe", "other"]]);
        assert_eq!(lib.rename_tag("PIRACY", "Copyright").unwrap(), 3);
        let got: Vec<String> = lib.tags().unwrap().into_iter().map(|t| t.name).collect();
        assert_eq!(
            got,
            vec![
                "Copyright",
                "Copyright/iptv",
                "Copyright/iptv/europe",
                "other"
            ]
        );
    }

    #[test]
    fn renaming_only_the_case_works_and_collisions_are_refused() {
        let (lib, _) = lib_with(&[&["iptv", "sport"]]);
        lib.rename_tag("iptv", "IPTV").unwrap();
        assert!(lib.tags().unwrap().iter().any(|t| t.name == "IPTV"));
        assert!(matches!(
            lib.rename_tag("IPTV", "Sport"),
            Err(StoreError::TagExists(_))
        ));
        assert!(matches!(
            lib.rename_tag("nope", "x"),
            Err(StoreError::TagNotFound(_))
        ));
        assert!(
            lib.rename_tag("iptv", "iptv/sub").is_err(),
            "cannot move inside itself"
        );
    }

    #[test]
    fn renaming_a_parent_that_exists_only_through_children() {
        let (lib, _) = lib_with(&[&["a/b", "a/c"]]);
        assert_eq!(lib.rename_tag("a", "z").unwrap(), 2);
        let got: Vec<String> = lib.tags().unwrap().into_iter().map(|t| t.name).collect();
        assert_eq!(got, vec!["z", "z/b", "z/c"]);
    }

    #[test]
    fn merge_moves_clippings_and_children_then_deletes_the_source() {
        let (lib, ids) = lib_with(&[
            &["streaming", "streaming/live"],
            &["iptv", "iptv/live"],
            &["iptv", "streaming"],
        ]);
        lib.merge_tags("streaming", "IPTV").unwrap();
        assert_eq!(
            names(&lib),
            vec![("iptv".to_string(), 3, 3), ("iptv/live".to_string(), 2, 2)]
        );
        assert_eq!(
            lib.clipping(ids[0]).unwrap().tags,
            vec!["iptv", "iptv/live"]
        );
        assert!(matches!(
            lib.merge_tags("iptv", "missing"),
            Err(StoreError::TagNotFound(_))
        ));
        assert!(lib.merge_tags("iptv", "iptv").is_err());
        assert!(lib.merge_tags("iptv", "iptv/live").is_err());
    }

    #[test]
    fn delete_removes_the_tag_from_clippings_only() {
        let (lib, ids) = lib_with(&[&["piracy", "piracy/iptv", "keep"]]);
        assert_eq!(lib.delete_tag("piracy").unwrap(), 2);
        assert_eq!(lib.clipping(ids[0]).unwrap().tags, vec!["keep"]);
        assert_eq!(lib.count_clippings().unwrap(), 1);
    }

    #[test]
    fn untag_refuses_unknown_tags_and_keeps_the_tag() {
        let (lib, ids) = lib_with(&[&["a", "b"]]);
        assert_eq!(lib.untag_clippings(&ids, &["A".into()]).unwrap(), 1);
        assert_eq!(lib.clipping(ids[0]).unwrap().tags, vec!["b"]);
        assert!(
            lib.tags()
                .unwrap()
                .iter()
                .any(|t| t.name == "a" && t.count == 0)
        );
        assert!(matches!(
            lib.untag_clippings(&ids, &["zzz".into()]),
            Err(StoreError::TagNotFound(_))
        ));
        assert!(matches!(
            lib.tag_clippings(&[999], &["x".into()]),
            Err(StoreError::ClippingNotFound(999))
        ));
    }

    #[test]
    fn parents_that_are_not_tags_are_listed_with_distinct_totals() {
        // One clipping under both children: the parent counts it once.
        let (lib, _) = lib_with(&[
            &["piracy/iptv", "piracy/streaming"],
            &["piracy/IPTV/Europe"],
            &["sport"],
        ]);
        let tags: Vec<(String, i64, i64)> = lib
            .tags()
            .unwrap()
            .into_iter()
            .map(|t| (t.name, t.count, t.total))
            .collect();
        assert_eq!(
            tags,
            [
                ("piracy".to_string(), 0, 2),
                ("piracy/iptv".to_string(), 1, 2),
                ("piracy/IPTV/Europe".to_string(), 1, 1),
                ("piracy/streaming".to_string(), 1, 1),
                ("sport".to_string(), 1, 1),
            ]
        );
        // Filtering by the implied parent works.
        let req = crate::model::ListRequest {
            filters: crate::model::Filters {
                tags: vec!["piracy".into()],
                ..Default::default()
            },
            limit: 10,
            ..Default::default()
        };
        assert_eq!(lib.count(&req).unwrap(), 2);
    }
}
