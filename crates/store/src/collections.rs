//! Collections: hand-ordered lists of clippings, or saved searches evaluated when read.

use rusqlite::{Connection, OptionalExtension, params};

use crate::clippings::require_clipping;
use crate::dates::{Bound, format_timestamp, now, parse_bound};
use crate::db::Library;
use crate::error::{Result, StoreError};
use crate::model::{CollectionInfo, Filters, ListRequest};

pub(crate) enum CollectionKind {
    Manual,
    Saved { query: String, filters: Filters },
}

pub(crate) struct FoundCollection {
    pub id: i64,
    pub name: String,
    pub kind: CollectionKind,
}

fn collection_key(name: &str) -> Result<(String, String)> {
    let tidy = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if tidy.is_empty() {
        return Err(StoreError::InvalidCollectionName {
            name: name.to_string(),
            reason: "it is empty",
        });
    }
    if tidy.chars().any(char::is_control) {
        return Err(StoreError::InvalidCollectionName {
            name: name.to_string(),
            reason: "it contains control characters",
        });
    }
    let key = tidy.to_lowercase();
    Ok((tidy, key))
}

pub(crate) fn find_collection(conn: &Connection, name: &str) -> Result<FoundCollection> {
    let (tidy, key) = collection_key(name)?;
    let row: Option<(i64, String, Option<String>, Option<String>)> = conn
        .query_row(
            "SELECT id, name, query, filters FROM collection WHERE key = ?1",
            [&key],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let (id, name, query, filters) = row.ok_or(StoreError::CollectionNotFound(tidy))?;
    let kind = match query {
        None => CollectionKind::Manual,
        Some(query) => CollectionKind::Saved {
            query,
            filters: filters
                .and_then(|f| serde_json::from_str(&f).ok())
                .unwrap_or_default(),
        },
    };
    Ok(FoundCollection { id, name, kind })
}

fn manual(conn: &Connection, name: &str) -> Result<FoundCollection> {
    let found = find_collection(conn, name)?;
    match found.kind {
        CollectionKind::Manual => Ok(found),
        CollectionKind::Saved { .. } => Err(StoreError::SavedSearchCollection(found.name)),
    }
}

fn members(conn: &Connection, collection: i64) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT clipping_id FROM collection_item WHERE collection_id = ?1 ORDER BY position, clipping_id",
    )?;
    let rows = stmt.query_map([collection], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn renumber(conn: &Connection, collection: i64, order: &[i64]) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "UPDATE collection_item SET position = ?3 WHERE collection_id = ?1 AND clipping_id = ?2",
    )?;
    for (position, id) in order.iter().enumerate() {
        stmt.execute(params![collection, id, position as i64 + 1])?;
    }
    Ok(())
}

/// Checks a saved search's filters now, so a typo is refused when saved rather than when read.
fn validate_filters(filters: &Filters) -> Result<()> {
    let now = chrono::Local::now();
    if let Some(since) = &filters.since {
        parse_bound(since, Bound::Start, now)?;
    }
    if let Some(until) = &filters.until {
        parse_bound(until, Bound::End, now)?;
    }
    Ok(())
}

impl Library {
    /// Creates a collection: hand-ordered when `saved` is `None`, else a saved search
    /// (words to search and filters, evaluated each time the collection is read).
    pub fn create_collection(
        &self,
        name: &str,
        description: &str,
        saved: Option<(&str, &Filters)>,
    ) -> Result<CollectionInfo> {
        let (tidy, key) = collection_key(name)?;
        if let Some((_, filters)) = saved {
            validate_filters(filters)?;
        }
        self.write(|tx| {
            let exists: Option<i64> = tx
                .query_row("SELECT id FROM collection WHERE key = ?1", [&key], |r| r.get(0))
                .optional()?;
            if exists.is_some() {
                return Err(StoreError::CollectionExists(tidy.clone()));
            }
            if let Some((_, filters)) = saved {
                // Names in the filters must exist now (the listing checks them again when read).
                for tag in &filters.tags {
                    crate::tags::require_tag(tx, tag)?;
                }
                if let Some(inner) = &filters.collection {
                    find_collection(tx, inner)?;
                }
            }
            let filters_json = match saved {
                Some((_, f)) => Some(
                    serde_json::to_string(f).map_err(|e| StoreError::InvalidInput(e.to_string()))?,
                ),
                None => None,
            };
            let now = now();
            tx.execute(
                "INSERT INTO collection (name, key, description, query, filters, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                params![tidy, key, description.trim(), saved.map(|s| s.0.trim()), filters_json, now],
            )?;
            Ok(())
        })?;
        self.collection(&tidy)
    }

    /// A collection's description and size.
    pub fn collection(&self, name: &str) -> Result<CollectionInfo> {
        let (id, name, description, query, filters, created): (
            i64,
            String,
            String,
            Option<String>,
            Option<String>,
            i64,
        ) = self.read(|conn| {
            let found = find_collection(conn, name)?;
            Ok(conn.query_row(
                "SELECT id, name, description, query, filters, created_at FROM collection WHERE id = ?1",
                [found.id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
            )?)
        })?;
        let count = self.count(&ListRequest {
            filters: Filters {
                collection: Some(name.clone()),
                ..Filters::default()
            },
            ..ListRequest::default()
        })?;
        Ok(CollectionInfo {
            id,
            name,
            description,
            kind: if query.is_some() {
                "saved-search"
            } else {
                "manual"
            },
            query,
            filters: filters.and_then(|f| serde_json::from_str(&f).ok()),
            count,
            created_at: format_timestamp(created),
        })
    }

    /// Every collection, by name.
    pub fn collections(&self) -> Result<Vec<CollectionInfo>> {
        let names: Vec<String> = self.read(|conn| {
            let mut stmt = conn.prepare_cached("SELECT name FROM collection ORDER BY key")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })?;
        names.iter().map(|n| self.collection(n)).collect()
    }

    /// Appends clippings to a hand-ordered collection, in the order given. Clippings already in
    /// it keep their place. Returns how many were added.
    pub fn add_to_collection(&self, name: &str, ids: &[i64]) -> Result<usize> {
        self.write(|tx| {
            let collection = manual(tx, name)?;
            let mut next: i64 = tx.query_row(
                "SELECT coalesce(max(position), 0) + 1 FROM collection_item WHERE collection_id = ?1",
                [collection.id],
                |r| r.get(0),
            )?;
            let mut added = 0;
            for &id in ids {
                require_clipping(tx, id)?;
                let inserted = tx.execute(
                    "INSERT OR IGNORE INTO collection_item (collection_id, clipping_id, position, added_at)
                     VALUES (?1, ?2, ?3, ?4)",
                    params![collection.id, id, next, now()],
                )?;
                next += inserted as i64;
                added += inserted;
            }
            Ok(added)
        })
    }

    /// Removes clippings from a hand-ordered collection (the clippings stay in the library).
    pub fn remove_from_collection(&self, name: &str, ids: &[i64]) -> Result<usize> {
        self.write(|tx| {
            let collection = manual(tx, name)?;
            for &id in ids {
                let removed = tx.execute(
                    "DELETE FROM collection_item WHERE collection_id = ?1 AND clipping_id = ?2",
                    params![collection.id, id],
                )?;
                if removed == 0 {
                    require_clipping(tx, id)?;
                    return Err(StoreError::NotInCollection {
                        collection: collection.name,
                        id,
                    });
                }
            }
            renumber(tx, collection.id, &members(tx, collection.id)?)?;
            Ok(ids.len())
        })
    }

    /// Moves a clipping to `position` (1 is first; past the end means last).
    pub fn move_in_collection(&self, name: &str, id: i64, position: usize) -> Result<()> {
        self.write(|tx| {
            let collection = manual(tx, name)?;
            let mut order = members(tx, collection.id)?;
            let Some(from) = order.iter().position(|&m| m == id) else {
                require_clipping(tx, id)?;
                return Err(StoreError::NotInCollection {
                    collection: collection.name,
                    id,
                });
            };
            order.remove(from);
            let to = position.saturating_sub(1).min(order.len());
            order.insert(to, id);
            renumber(tx, collection.id, &order)
        })
    }

    /// Renames a collection.
    pub fn rename_collection(&self, old: &str, new: &str) -> Result<()> {
        let (tidy, key) = collection_key(new)?;
        self.write(|tx| {
            let found = find_collection(tx, old)?;
            let other: Option<i64> = tx
                .query_row("SELECT id FROM collection WHERE key = ?1", [&key], |r| {
                    r.get(0)
                })
                .optional()?;
            if other.is_some_and(|o| o != found.id) {
                return Err(StoreError::CollectionExists(tidy.clone()));
            }
            tx.execute(
                "UPDATE collection SET name = ?2, key = ?3, updated_at = ?4 WHERE id = ?1",
                params![found.id, tidy, key, now()],
            )?;
            Ok(())
        })
    }

    /// Deletes a collection (never its clippings).
    pub fn delete_collection(&self, name: &str) -> Result<()> {
        self.write(|tx| {
            let found = find_collection(tx, name)?;
            tx.execute("DELETE FROM collection WHERE id = ?1", [found.id])?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NewClipping, Sort};

    fn lib_with(n: usize) -> (Library, Vec<i64>) {
        let lib = Library::open_in_memory().unwrap();
        let ids = (0..n)
            .map(|i| {
                lib.add_clipping(&NewClipping {
                    url: format!("https://ex.com/{i}"),
                    title: format!("Article {i}"),
                    content_text: if i % 2 == 0 {
                        "iptv news".into()
                    } else {
                        "other".into()
                    },
                    tags: if i < 2 { vec!["piracy".into()] } else { vec![] },
                    ..Default::default()
                })
                .unwrap()
                .id
            })
            .collect();
        (lib, ids)
    }

    fn order(lib: &Library, name: &str) -> Vec<i64> {
        lib.list(&ListRequest {
            filters: Filters {
                collection: Some(name.into()),
                ..Default::default()
            },
            limit: 100,
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect()
    }

    #[test]
    fn hand_ordered_collections_keep_their_order() {
        let (lib, ids) = lib_with(4);
        lib.create_collection("Revue du 12", "Morning review", None)
            .unwrap();
        assert_eq!(
            lib.add_to_collection("revue DU 12", &[ids[2], ids[0], ids[3]])
                .unwrap(),
            3
        );
        assert_eq!(
            lib.add_to_collection("Revue du 12", &[ids[0], ids[1]])
                .unwrap(),
            1
        );
        assert_eq!(
            order(&lib, "Revue du 12"),
            vec![ids[2], ids[0], ids[3], ids[1]]
        );
        lib.move_in_collection("Revue du 12", ids[1], 1).unwrap();
        assert_eq!(
            order(&lib, "Revue du 12"),
            vec![ids[1], ids[2], ids[0], ids[3]]
        );
        lib.move_in_collection("Revue du 12", ids[1], 99).unwrap();
        assert_eq!(
            order(&lib, "Revue du 12"),
            vec![ids[2], ids[0], ids[3], ids[1]]
        );
        lib.remove_from_collection("Revue du 12", &[ids[0]])
            .unwrap();
        assert_eq!(order(&lib, "Revue du 12"), vec![ids[2], ids[3], ids[1]]);
        let info = lib.collection("revue du 12").unwrap();
        assert_eq!(
            (info.count, info.kind, info.description.as_str()),
            (3, "manual", "Morning review")
        );
        let by_title = lib
            .list(&ListRequest {
                filters: Filters {
                    collection: Some("Revue du 12".into()),
                    ..Default::default()
                },
                sort: Some(Sort::Title),
                limit: 10,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(
            by_title.iter().map(|c| c.id).collect::<Vec<_>>(),
            vec![ids[1], ids[2], ids[3]]
        );
    }

    #[test]
    fn deleting_a_clipping_removes_it_from_collections() {
        let (lib, ids) = lib_with(3);
        lib.create_collection("C", "", None).unwrap();
        lib.add_to_collection("C", &ids).unwrap();
        lib.delete_clippings(&[ids[1]]).unwrap();
        assert_eq!(order(&lib, "C"), vec![ids[0], ids[2]]);
        lib.move_in_collection("C", ids[2], 1).unwrap();
        assert_eq!(order(&lib, "C"), vec![ids[2], ids[0]]);
    }

    #[test]
    fn saved_searches_are_evaluated_when_read() {
        let (lib, ids) = lib_with(4);
        let filters = Filters {
            tags: vec!["piracy".into()],
            ..Default::default()
        };
        let info = lib
            .create_collection("IPTV watch", "", Some(("iptv", &filters)))
            .unwrap();
        assert_eq!((info.kind, info.count), ("saved-search", 1));
        assert_eq!(order(&lib, "IPTV watch"), vec![ids[0]]);
        lib.tag_clippings(&[ids[2]], &["piracy".into()]).unwrap();
        assert_eq!(
            lib.collection("IPTV watch").unwrap().count,
            2,
            "new matches appear"
        );
        assert!(matches!(
            lib.add_to_collection("IPTV watch", &[ids[1]]),
            Err(StoreError::SavedSearchCollection(_))
        ));
        let bad = Filters {
            since: Some("someday".into()),
            ..Default::default()
        };
        assert!(matches!(
            lib.create_collection("Bad", "", Some(("x", &bad))),
            Err(StoreError::InvalidDate(_))
        ));
        let recursive = Filters {
            collection: Some("IPTV watch".into()),
            ..Default::default()
        };
        lib.create_collection("Narrower", "", Some(("news", &recursive)))
            .unwrap();
        assert_eq!(lib.collection("Narrower").unwrap().count, 2);
    }

    #[test]
    fn errors_name_what_is_wrong() {
        let (lib, ids) = lib_with(2);
        lib.create_collection("A", "", None).unwrap();
        assert!(matches!(
            lib.create_collection("a", "", None),
            Err(StoreError::CollectionExists(_))
        ));
        assert!(matches!(
            lib.create_collection("  ", "", None),
            Err(StoreError::InvalidCollectionName { .. })
        ));
        assert!(matches!(
            lib.add_to_collection("B", &ids),
            Err(StoreError::CollectionNotFound(_))
        ));
        assert!(matches!(
            lib.add_to_collection("A", &[999]),
            Err(StoreError::ClippingNotFound(999))
        ));
        assert_eq!(
            lib.collection("A").unwrap().count,
            0,
            "a failed add adds nothing"
        );
        assert!(matches!(
            lib.remove_from_collection("A", &[ids[0]]),
            Err(StoreError::NotInCollection { .. })
        ));
        assert!(matches!(
            lib.move_in_collection("A", ids[0], 1),
            Err(StoreError::NotInCollection { .. })
        ));
        lib.rename_collection("A", "Renamed").unwrap();
        assert_eq!(lib.collections().unwrap()[0].name, "Renamed");
        lib.delete_collection("renamed").unwrap();
        assert!(lib.collections().unwrap().is_empty());
        assert_eq!(
            lib.count_clippings().unwrap(),
            2,
            "deleting a collection keeps its clippings"
        );
    }
}
